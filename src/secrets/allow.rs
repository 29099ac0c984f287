//! Suppression: a marker on the line of a finding silences it, and so does a conditional
//! allowlist entry (gitleaks' `[[allowlists]]`, see `config/gitleaks.rs`).
//!
//! Besides our own `hygiene:allow`, the markers of gitleaks and detect-secrets are honoured so a
//! team can switch tools without touching every suppressed line.

use regex::bytes::Regex;

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

/// How an allowlist entry's criteria combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// Any one criterion that matches allows the finding (gitleaks' default, `OR`).
    Any,
    /// Every criterion the entry sets must match (`AND`).
    All,
}

/// What an entry's regexes are matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The secret (the rule's secret group).
    Secret,
    /// Everything the rule's regex matched.
    Match,
    /// The line the finding starts on.
    Line,
}

/// One conditional allowlist entry: commits, path regexes, value regexes and stopwords,
/// combined by `condition`, limited to some rules or applying to all. Unlike `[allow]` in
/// `.hygiene.toml` (each list on its own), an entry can require several things at once
/// ("this regex, but only under `testdata/`").
#[derive(Debug, Clone)]
pub struct AllowEntry {
    /// Rule ids the entry applies to; empty: every rule.
    pub rules: Vec<String>,
    pub condition: Condition,
    /// Commit ids (full, or a prefix of at least 7 hex digits).
    pub commits: Vec<String>,
    /// Regexes searched in the relative path.
    pub paths: Vec<Regex>,
    pub regexes: Vec<Regex>,
    pub target: Target,
    /// Lowercase substrings of the secret.
    pub stopwords: Vec<String>,
}

/// What an entry is judged against.
#[derive(Debug, Clone, Copy)]
pub struct AllowContext<'a> {
    pub rule: &'a str,
    pub path: &'a str,
    /// `None` outside git history (a working-tree file has no commit).
    pub commit: Option<&'a str>,
    pub secret: &'a str,
    /// The whole regex match; the secret where only that is known.
    pub matched: &'a [u8],
    /// The finding's first line; the secret where only that is known.
    pub line: &'a [u8],
}

impl AllowEntry {
    /// Whether the entry concerns `rule` at all.
    pub fn applies_to(&self, rule: &str) -> bool {
        self.rules.is_empty() || self.rules.iter().any(|r| r == rule)
    }

    /// Whether the entry needs the commit, which only the git scans know after the engine ran.
    pub fn needs_commit(&self) -> bool {
        !self.commits.is_empty()
    }

    /// Whether the entry allows (silences) the finding `cx` describes.
    pub fn allows(&self, cx: &AllowContext<'_>) -> bool {
        if !self.applies_to(cx.rule) {
            return false;
        }
        // Each criterion the entry sets, judged; `None` for one it leaves empty.
        let commit = (!self.commits.is_empty()).then(|| {
            cx.commit.is_some_and(|c| {
                self.commits.iter().any(|want| {
                    want.eq_ignore_ascii_case(c)
                        || (want.len() >= 7
                            && c.len() > want.len()
                            && c[..want.len()].eq_ignore_ascii_case(want))
                })
            })
        });
        let path = (!self.paths.is_empty())
            .then(|| self.paths.iter().any(|p| p.is_match(cx.path.as_bytes())));
        let regex = (!self.regexes.is_empty()).then(|| {
            let hay = match self.target {
                Target::Secret => cx.secret.as_bytes(),
                Target::Match => cx.matched,
                Target::Line => cx.line,
            };
            self.regexes.iter().any(|r| r.is_match(hay))
        });
        let stopword = (!self.stopwords.is_empty()).then(|| {
            let secret = cx.secret.to_ascii_lowercase();
            self.stopwords.iter().any(|w| secret.contains(w.as_str()))
        });
        let mut set = [commit, path, regex, stopword]
            .into_iter()
            .flatten()
            .peekable();
        match self.condition {
            Condition::Any => set.any(|c| c),
            Condition::All => set.peek().is_some() && set.all(|c| c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(condition: Condition) -> AllowEntry {
        AllowEntry {
            rules: vec![],
            condition,
            commits: vec!["0123456789abcdef".into()],
            paths: vec![Regex::new(r"^testdata/").unwrap()],
            regexes: vec![Regex::new("EXAMPLE").unwrap()],
            target: Target::Secret,
            stopwords: vec!["dummy".into()],
        }
    }

    fn cx<'a>(path: &'a str, commit: Option<&'a str>, secret: &'a str) -> AllowContext<'a> {
        AllowContext {
            rule: "r",
            path,
            commit,
            secret,
            matched: secret.as_bytes(),
            line: secret.as_bytes(),
        }
    }

    #[test]
    fn any_condition_needs_one_criterion() {
        let e = entry(Condition::Any);
        assert!(e.allows(&cx("testdata/a", None, "s3cr3t")));
        assert!(e.allows(&cx("src/a", Some("0123456789abcdef0000"), "s3cr3t")));
        assert!(e.allows(&cx("src/a", None, "AKIAEXAMPLE")));
        assert!(e.allows(&cx("src/a", None, "my-DUMMY-key")));
        assert!(!e.allows(&cx("src/a", None, "s3cr3t")));
        assert!(!e.allows(&cx("src/a", Some("fedcba"), "s3cr3t")));
    }

    #[test]
    fn all_condition_needs_every_criterion() {
        let mut e = entry(Condition::All);
        e.commits.clear();
        e.stopwords.clear();
        assert!(e.allows(&cx("testdata/a", None, "AKIAEXAMPLE")));
        assert!(!e.allows(&cx("src/a", None, "AKIAEXAMPLE")));
        assert!(!e.allows(&cx("testdata/a", None, "s3cr3t")));
    }

    #[test]
    fn targets_and_rules() {
        let mut e = entry(Condition::Any);
        e.commits.clear();
        e.paths.clear();
        e.stopwords.clear();
        e.target = Target::Line;
        e.rules = vec!["only-this".into()];
        let mut c = cx("a", None, "s3cr3t");
        c.line = b"key = s3cr3t # EXAMPLE";
        assert!(!e.allows(&c), "another rule");
        c.rule = "only-this";
        assert!(e.allows(&c));
        e.target = Target::Secret;
        assert!(!e.allows(&c));
    }

    #[test]
    fn markers_suppress() {
        assert!(line_is_allowed(b"key = 'x' # hygiene:allow"));
        assert!(line_is_allowed(b"key = 'x' // gitleaks:allow"));
        assert!(line_is_allowed(b"key = 'x'  # pragma: allowlist secret"));
        assert!(!line_is_allowed(b"key = 'x'  # allow"));
    }
}
