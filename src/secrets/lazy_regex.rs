//! A regex checked when its rule or format loads and compiled the first time it is used.
//!
//! The built-in data holds about a thousand regexes besides the rules' own (allowlist
//! regexes of the rules, rules' path regexes, the credential-file formats' key, section and
//! path regexes), and a given scan uses few of them. Compiling them all at start cost most of
//! the start of a scan the cache answers (`bench/README.md`, "Scanning again"): compiling is
//! building an NFA, literal prefilters and a search strategy, where parsing (which is all a
//! bad pattern needs to be reported) is a fraction of that. The pattern is parsed at load,
//! so a syntax error is still a load error naming its field.

use regex::{Regex, RegexBuilder};
use std::sync::{Arc, OnceLock};

/// See the module documentation. Clones share the compiled regex.
#[derive(Debug, Clone)]
pub struct LazyRegex {
    pattern: String,
    case_insensitive: bool,
    compiled: Arc<OnceLock<Regex>>,
}

impl LazyRegex {
    /// Parses `pattern` (so a bad one is an error now) without compiling it.
    pub fn new(pattern: &str, case_insensitive: bool) -> Result<LazyRegex, String> {
        regex_syntax::ParserBuilder::new()
            .case_insensitive(case_insensitive)
            .build()
            .parse(pattern)
            .map_err(|e| e.to_string())?;
        Ok(LazyRegex::builtin(pattern, case_insensitive))
    }

    /// A pattern compiled into the binary, not parsed now: the credential-file formats hold
    /// about eight hundred case-insensitive regexes, and parsing them (Unicode case folding
    /// and classes) was a sixth of a one-file scan's CPU. The tests and `hygiene rules check`
    /// compile every one ([`compile_now`](Self::compile_now)), which is where a bad one
    /// is reported.
    pub fn builtin(pattern: &str, case_insensitive: bool) -> LazyRegex {
        LazyRegex {
            pattern: pattern.to_string(),
            case_insensitive,
            compiled: Arc::new(OnceLock::new()),
        }
    }

    /// Whether the pattern is matched ignoring case (beyond its own `(?i)` flags).
    pub fn is_case_insensitive(&self) -> bool {
        self.case_insensitive
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// The compiled regex. A pattern that parses but is over the regex crate's size limit
    /// compiles to one that never matches (the test suite compiles every built-in pattern,
    /// and [`compile_now`](Self::compile_now) reports it for loaded ones).
    pub fn get(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            self.build()
                .or_else(|_| Regex::new(r"[^\s\S]"))
                .expect("a never-matching regex compiles")
        })
    }

    /// Whether the regex matches `haystack` (compiling it first if need be).
    pub fn is_match(&self, haystack: &str) -> bool {
        self.get().is_match(haystack)
    }

    /// Compiles now, reporting why the pattern cannot be compiled (for `rules check` and
    /// the tests: at scan time a pattern is compiled on first use).
    pub fn compile_now(&self) -> Result<(), String> {
        if self.compiled.get().is_none() {
            let regex = self.build().map_err(|e| e.to_string())?;
            let _ = self.compiled.set(regex);
        }
        Ok(())
    }

    fn build(&self) -> Result<Regex, regex::Error> {
        RegexBuilder::new(&self.pattern)
            .case_insensitive(self.case_insensitive)
            .build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_is_reported_at_load() {
        let e = LazyRegex::new("a(b", false).unwrap_err();
        assert!(e.contains("unclosed group"), "{e}");
    }

    #[test]
    fn compiles_on_first_use_and_clones_share_it() {
        let r = LazyRegex::new("^ab+c$", true).unwrap();
        let clone = r.clone();
        assert!(r.compiled.get().is_none());
        assert!(r.is_match("ABBC"));
        assert!(!r.is_match("ac"));
        assert!(clone.compiled.get().is_some());
    }

    #[test]
    fn a_builtin_pattern_is_checked_when_compiled() {
        let r = LazyRegex::builtin("a(b", false);
        assert!(r.compile_now().is_err());
        assert!(!r.is_match("a(b"), "a bad pattern never matches");
        assert!(LazyRegex::builtin("(?i)^ab$", false).is_match("AB"));
    }

    #[test]
    fn a_pattern_over_the_size_limit_is_reported_by_compile_now() {
        let r = LazyRegex::new(r"\w{1000}\w{1000}\w{1000}", false).unwrap();
        assert!(r.compile_now().is_err());
        assert!(!r.is_match("x"));
    }
}
