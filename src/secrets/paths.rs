//! Which of many path patterns a file's path matches, cheaply enough to ask for every file.
//!
//! Credential-file formats and path-only rules (a `.pgpass`, a Responder capture log) each
//! carry a path regex, and every path of a scan is asked about all of them. Running them one by
//! one, or even as one `RegexSet`, cost a large share of a scan's CPU for almost no matches:
//! most patterns end in a literal before `$`, so a path is first filtered by its suffix.

use super::lazy_regex::LazyRegex;
use std::sync::{Arc, OnceLock};

/// Path patterns (the formats', the path-only rules'), with a literal prefilter: every file's path is checked, and
/// running two hundred patterns over each path (as one set, or in small sets) cost an eighth
/// of a scan's CPU in lazy-DFA construction and reverse searches. Almost every pattern ends
/// in `$` after a literal (`\.npmrc$`, `sitemanager\.xml$`, `\.json$`): the path must end
/// with one of the pattern's literal suffixes (extracted from the parsed pattern), so a path
/// is matched only against the few patterns whose suffix it ends with, found by its last
/// three bytes.
#[derive(Debug, Clone)]
pub(crate) struct PathSets {
    regexes: Vec<LazyRegex>,
    /// For each lowercase last byte: (lowercase suffix, pattern index).
    by_tail: Vec<Vec<(Vec<u8>, usize)>>,
    /// Patterns without a usable suffix: run on every path, as one set (built on first use).
    always: Vec<usize>,
    always_set: Arc<OnceLock<Option<regex::RegexSet>>>,
}

impl PathSets {
    /// The patterns, as built-in (case-sensitive) regexes compiled on first use.
    pub(crate) fn new(patterns: &[&str]) -> PathSets {
        PathSets::from_regexes(
            patterns
                .iter()
                .map(|p| LazyRegex::builtin(p, false))
                .collect(),
        )
    }

    /// The regexes (shared with their owners: each is compiled once, by whoever runs it
    /// first). Pattern `i` is `regexes[i]`.
    pub(crate) fn from_regexes(regexes: Vec<LazyRegex>) -> PathSets {
        let mut by_tail: Vec<Vec<(Vec<u8>, usize)>> = vec![Vec::new(); 256];
        let mut always = Vec::new();
        for (i, regex) in regexes.iter().enumerate() {
            match suffixes(regex.as_str()) {
                Some(list) => {
                    for suffix in list {
                        let bucket = &mut by_tail[suffix[suffix.len() - 1] as usize];
                        if !bucket.iter().any(|(s, k)| *k == i && *s == suffix) {
                            bucket.push((suffix, i));
                        }
                    }
                }
                None => always.push(i),
            }
        }
        PathSets {
            regexes,
            by_tail,
            always,
            always_set: Arc::new(OnceLock::new()),
        }
    }

    /// Pattern `i`'s regex.
    pub(crate) fn regex(&self, i: usize) -> &LazyRegex {
        &self.regexes[i]
    }

    /// Indexes of the patterns that match `path`, in order.
    pub(crate) fn matches(&self, path: &str) -> Vec<usize> {
        let set = self.always_set.get_or_init(|| {
            let patterns = self.always.iter().map(|&i| {
                let r = &self.regexes[i];
                match r.is_case_insensitive() {
                    true => format!("(?i:{})", r.as_str()),
                    false => r.as_str().to_string(),
                }
            });
            regex::RegexSet::new(patterns).ok()
        });
        let mut out: Vec<usize> = match set {
            Some(set) => set.matches(path).iter().map(|k| self.always[k]).collect(),
            None => self
                .always
                .iter()
                .copied()
                .filter(|&i| self.regexes[i].get().is_match(path))
                .collect(),
        };
        let b = path.as_bytes();
        if let Some(&last) = b.last() {
            let n = b.len();
            for (suffix, i) in &self.by_tail[last.to_ascii_lowercase() as usize] {
                if suffix.len() <= n
                    && !out.contains(i)
                    && b[n - suffix.len()..].eq_ignore_ascii_case(suffix)
                    && self.regexes[*i].get().is_match(path)
                {
                    out.push(*i);
                }
            }
        }
        out.sort_unstable();
        out
    }

    pub(crate) fn is_match(&self, path: &str) -> bool {
        !self.matches(path).is_empty()
    }

    /// The patterns run on every path (no literal suffix to filter them by).
    #[cfg(test)]
    pub(crate) fn unfiltered(&self) -> &[usize] {
        &self.always
    }

    pub(crate) fn matched(&self, path: &str, i: usize) -> bool {
        self.matches(path).contains(&i)
    }
}

/// The lowercase literal suffixes (not empty) one of which every path `pattern` matches ends
/// with, or `None` when the pattern is not anchored at the end or no such finite set is read
/// off it. Read from the parsed pattern's end: literals, and case-insensitive letters (`[Nn]`)
/// as their lowercase, back to the first construct that is neither; alternations and
/// optional groups at the end give one suffix per branch.
fn suffixes(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    let mut out = tail(&hir)?;
    out.sort();
    out.dedup();
    // A path ending in `.npmrc` ends in `npmrc`: keep only the shortest of nested suffixes.
    let all = out.clone();
    out.retain(|s| !all.iter().any(|t| t.len() < s.len() && s.ends_with(t)));
    Some(out)
}

/// Suffixes every match of `hir` ends with (each at least one byte), if anchored at the end.
fn tail(hir: &regex_syntax::hir::Hir) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::{HirKind, Look};
    match hir.kind() {
        HirKind::Alternation(alts) => {
            let mut out = Vec::new();
            for alt in alts {
                out.extend(tail(alt)?);
            }
            Some(out)
        }
        HirKind::Capture(c) => tail(&c.sub),
        HirKind::Concat(subs) => {
            let (last, rest) = subs.split_last()?;
            if !matches!(last.kind(), HirKind::Look(Look::End)) {
                // `(?:a$|b$)` as the last element: anchored inside.
                return if rest.is_empty() { None } else { tail(last) };
            }
            concat_tail(rest)
        }
        _ => None,
    }
}

/// The suffixes of a concatenation (whose `$` has been taken off).
fn concat_tail(subs: &[regex_syntax::hir::Hir]) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::HirKind;
    let mut acc: Vec<u8> = Vec::new();
    for (k, sub) in subs.iter().enumerate().rev() {
        if let Some(b) = literal_bytes(sub) {
            let mut next = b;
            next.extend_from_slice(&acc);
            acc = next;
            continue;
        }
        if !acc.is_empty() {
            return Some(vec![acc]);
        }
        return match sub.kind() {
            HirKind::Alternation(alts) => {
                let mut out = Vec::new();
                for alt in alts {
                    let mut whole: Vec<_> = subs[..k].to_vec();
                    whole.push(alt.clone());
                    out.extend(concat_tail(&whole)?);
                }
                Some(out)
            }
            HirKind::Capture(c) => {
                let mut whole: Vec<_> = subs[..k].to_vec();
                whole.push((*c.sub).clone());
                concat_tail(&whole)
            }
            HirKind::Concat(inner) => {
                let mut whole: Vec<_> = subs[..k].to_vec();
                whole.extend(inner.iter().cloned());
                concat_tail(&whole)
            }
            // An optional group at the end: with it, or without it.
            HirKind::Repetition(r) if r.min == 0 && r.max == Some(1) => {
                let mut with: Vec<_> = subs[..k].to_vec();
                with.push((*r.sub).clone());
                let mut out = concat_tail(&with)?;
                out.extend(concat_tail(&subs[..k])?);
                Some(out)
            }
            _ => None,
        };
    }
    (!acc.is_empty()).then_some(vec![acc])
}

/// The lowercase bytes a literal or a one-letter case class (`[Nn]`) matches.
fn literal_bytes(hir: &regex_syntax::hir::Hir) -> Option<Vec<u8>> {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Literal(l) => Some(l.0.to_ascii_lowercase()),
        HirKind::Class(Class::Unicode(c)) => {
            let chars: Vec<char> = c
                .ranges()
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .take(4)
                .collect();
            case_pair(&chars)
        }
        HirKind::Class(Class::Bytes(c)) => {
            let chars: Vec<char> = c
                .ranges()
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .take(4)
                .map(char::from)
                .collect();
            case_pair(&chars)
        }
        _ => None,
    }
}

/// `[Nn]` (and the Kelvin-sign `[Kk\u{212A}]` forms Unicode case folding adds) as `n`.
fn case_pair(chars: &[char]) -> Option<Vec<u8>> {
    let ascii: Vec<char> = chars.iter().copied().filter(char::is_ascii).collect();
    match ascii.as_slice() {
        [a, b] if a.eq_ignore_ascii_case(b) && a != b => Some(vec![a.to_ascii_lowercase() as u8]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_suffixes_filter_the_patterns() {
        assert_eq!(
            suffixes(r"(?i)(?:^|/)\.?npmrc$").unwrap(),
            [b"npmrc".to_vec()]
        );
        assert_eq!(suffixes(r"(?i)\.ya?ml$").unwrap(), [b"ml".to_vec()]);
        assert_eq!(
            suffixes(r"(?i)(?:^|/)(?:a\.conf|b\.ini)(?:\.bak)?$").unwrap(),
            [b".bak".to_vec(), b"a.conf".to_vec(), b"b.ini".to_vec()]
        );
        assert_eq!(suffixes(r"(?:^|/)Sessions/[^/]+$"), None);
        assert_eq!(suffixes(r"(?:^|/)config"), None);
        let sets = PathSets::new(&[r"(?i)(?:^|/)\.?npmrc$", r"\.json$", r"(?:^|/)x/[^/]+$"]);
        assert_eq!(sets.unfiltered(), [2]);
        assert_eq!(sets.matches("home/a/.NPMRC"), [0]);
        assert_eq!(sets.matches("a/b.json"), [1]);
        assert_eq!(sets.matches("x/y"), [2]);
        assert!(sets.matches("src/main.rs").is_empty());
    }
}
