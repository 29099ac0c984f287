//! Everything the tool prints: one renderer per report format, all reading the same
//! [`Outcome`]; the package list ([`packages`]), the rules table ([`rules`]) and a hook's
//! message ([`hook`]); and [`write_output`], the one place output reaches a file or stdout.

pub mod explain;
pub mod hook;
pub mod json;
pub mod packages;
pub mod rules;
pub mod sarif;
pub mod text;

use crate::error::Error;
use crate::outcome::Outcome;
use std::io::{self, Write};
use std::path::Path;

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

/// Settings shared by every renderer.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Print secret values whole (`--show-secrets`). Off by default everywhere.
    pub show_secrets: bool,
    /// ANSI colours in text output.
    pub color: bool,
    /// SARIF `runAutomationDetails.id`, the category GitHub keeps results apart by.
    pub sarif_category: String,
}

/// Renders `outcome` in `format` to `out`.
pub fn render(
    format: Format,
    outcome: &Outcome,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::render(outcome, options, out),
        Format::Json => json::render(outcome, options, out),
        Format::Sarif => sarif::render(outcome, options, out),
    }
}

/// Writes `bytes` to `output`, or to standard output without one. A closed pipe on standard
/// output (`| head`) is not an error worth a message.
pub fn write_output(bytes: &[u8], output: Option<&Path>) -> Result<(), Error> {
    match output {
        Some(path) => write_file(path, bytes),
        None => {
            let mut stdout = io::stdout().lock();
            let _ = stdout.write_all(bytes).and_then(|_| stdout.flush());
            Ok(())
        }
    }
}

/// Writes a report file under a temporary name beside it, then renames it into place: a
/// reader (a CI step uploading the SARIF, a watcher) never sees half a report, and a failed
/// run leaves the previous report whole rather than truncated.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    crate::atomic::write(path, bytes, crate::atomic::Replace::default())
        .map_err(|e| Error::io("write", path, e))
}

/// The secret as a report may show it: whole only when the user asked.
pub(crate) fn shown_secret(
    secret: &crate::finding::SecretValue,
    options: &RenderOptions,
) -> String {
    if options.show_secrets {
        secret.expose().to_string()
    } else {
        secret.redacted()
    }
}

/// `s` safe to print on a terminal: control characters (ESC, CR, BEL, C1 controls, ...) and
/// the bidirectional overrides that reorder what a reader sees are written as `\x1b` /
/// `\u{202e}` escapes, so a repository cannot hide, fake or recolour report lines through a
/// file name, an author or a matched line. Borrowed when there is nothing to escape.
pub(crate) fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            c if !unsafe_char(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert_eq!(printable("src/a.py"), "src/a.py");
        assert_eq!(printable("a\u{1b}[31mb"), "a\\x1b[31mb");
        assert_eq!(printable("x\ry\nz\t"), "x\\x0dy\\x0az\\x09");
        assert_eq!(printable("ab\u{202e}cd"), "ab\\u{202e}cd");
        assert_eq!(printable("\u{9b}"), "\\u{9b}");
        assert_eq!(printable("naïve/日本"), "naïve/日本");
    }
}
