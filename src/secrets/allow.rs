//! Inline suppression: a marker on the line of a finding silences it.
//!
//! Besides our own `hygiene:allow`, the markers of gitleaks and detect-secrets are honoured so a
//! team can switch tools without touching every suppressed line.

/// Markers that, anywhere on a line, suppress findings that start on that line.
pub const INLINE_MARKERS: [&str; 3] = [
    "hygiene:allow",
    "gitleaks:allow",
    "pragma: allowlist secret",
];

/// Whether `line` carries an inline allow marker.
pub fn line_is_allowed(line: &[u8]) -> bool {
    INLINE_MARKERS
        .iter()
        .any(|m| memchr::memmem::find(line, m.as_bytes()).is_some())
}

#[cfg(test)]
mod tests {
    use super::line_is_allowed;

    #[test]
    fn markers_suppress() {
        assert!(line_is_allowed(b"key = 'x' # hygiene:allow"));
        assert!(line_is_allowed(b"key = 'x' // gitleaks:allow"));
        assert!(line_is_allowed(b"key = 'x'  # pragma: allowlist secret"));
        assert!(!line_is_allowed(b"key = 'x'  # allow"));
    }
}
