//! PyPI versions: PEP 440, with a fallback for the "legacy" versions PEP 440 cannot parse.
//!
//! Versions that `pep440_rs` parses order by PEP 440 (epoch, release, pre, post, dev, local;
//! `1.0.dev0 < 1.0a0 < 1.0 < 1.0.post1`, `1.0+local > 1.0`, case and spelling normalised).
//!
//! Anything else (`0.9-doduo`, `trunk`, `-class.-jw.util.version.Version-`) is a legacy
//! version, ordered as OSV's tooling orders it (after setuptools' old `parse_version`):
//!
//! - every legacy version is below every PEP 440 version (`packaging` 22 and later, and so
//!   pip, no longer parse them at all; OSV keeps them, at the bottom);
//! - two legacy versions compare by a key built from the lower-cased string: its runs of ASCII
//!   digits (zero-padded to eight), runs of ASCII letters (prefixed with `*`, with `pre`,
//!   `preview` and `rc` spelled `c`, and `dev` spelled `@`) and hyphens (`*final-`), followed by
//!   `*final`; before each word, trailing `00000000` parts are dropped, and before a word
//!   that sorts below `*final`, trailing `*final-` parts too. Other characters are ignored.
//!   The keys compare as the concatenation of their parts, byte-wise.
//!
//! One limit of `pep440_rs`: release numbers above `u64::MAX` do not parse, so such a
//! version orders as legacy (below every real release). No PyPI release has such a number.

use pep440_rs::Version;
use std::cmp::Ordering;
use std::str::FromStr;

enum Parsed {
    Pep440(Version),
    Legacy(String),
}

fn parse(s: &str) -> Parsed {
    match Version::from_str(s) {
        Ok(v) => Parsed::Pep440(v),
        Err(_) => Parsed::Legacy(legacy_key(s)),
    }
}

/// Whether `s` is a valid PEP 440 version (rather than ordered by the legacy fallback).
pub fn is_pep440(s: &str) -> bool {
    Version::from_str(s).is_ok()
}

/// The comparison key of a legacy version; see the module documentation.
fn legacy_key(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut parts: Vec<String> = Vec::new();
    let raw = legacy_pieces(&lower).chain(std::iter::once("final"));
    for piece in raw {
        let part = match piece {
            "pre" | "preview" | "rc" => "*c".to_owned(),
            "-" => "*final-".to_owned(),
            "dev" => "*@".to_owned(),
            p if p.starts_with(|c: char| c.is_ascii_digit()) => format!("{p:0>8}"),
            p => format!("*{p}"),
        };
        if part.starts_with('*') {
            if part.as_str() < "*final" {
                while parts.last().is_some_and(|p| p == "*final-") {
                    parts.pop();
                }
            }
            while parts.last().is_some_and(|p| p == "00000000") {
                parts.pop();
            }
        }
        parts.push(part);
    }
    parts.concat()
}

/// The runs of ASCII digits, runs of ASCII lower-case letters and hyphens in `s`, in order
/// (dots and anything else are separators and dropped).
fn legacy_pieces(s: &str) -> impl Iterator<Item = &str> {
    let bytes = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let start = i;
            let b = bytes[i];
            if b.is_ascii_digit() {
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
            } else if b.is_ascii_lowercase() {
                while i < bytes.len() && bytes[i].is_ascii_lowercase() {
                    i += 1;
                }
            } else {
                i += 1;
                if b == b'-' {
                    return Some(&s[start..i]);
                }
                continue;
            }
            // Runs of ASCII bytes start and end on char boundaries.
            return Some(&s[start..i]);
        }
        None
    })
}

/// Compares two PyPI versions.
pub fn compare(a: &str, b: &str) -> Ordering {
    match (parse(a), parse(b)) {
        (Parsed::Pep440(a), Parsed::Pep440(b)) => a.cmp(&b),
        (Parsed::Legacy(a), Parsed::Legacy(b)) => a.cmp(&b),
        (Parsed::Legacy(_), Parsed::Pep440(_)) => Ordering::Less,
        (Parsed::Pep440(_), Parsed::Legacy(_)) => Ordering::Greater,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    #[test]
    fn pep440_order() {
        let chain = [
            "1.0.dev0",
            "1.0a0",
            "1.0a1.dev1",
            "1.0a1",
            "1.0b2.post3",
            "1.0rc1",
            "1.0",
            "1.0+local",
            "1.0.post1.dev1",
            "1.0.post1",
            "1!0.1",
        ];
        for w in chain.windows(2) {
            assert_eq!(compare(w[0], w[1]), Less, "{} < {}", w[0], w[1]);
            assert_eq!(compare(w[1], w[0]), Greater, "{} > {}", w[1], w[0]);
        }
        assert_eq!(compare("1.0-1", "1.0.post1"), Equal);
        assert_eq!(compare("1.0.0+local.a", "1.0.0+local.1"), Less);
        assert_eq!(compare("v1.0", "1.0"), Equal);
        assert_eq!(compare("1.2B3.DEV4", "1.2b3.dev4"), Equal);
    }

    #[test]
    fn legacy_versions() {
        assert!(!is_pep440("0.9-doduo"));
        assert!(is_pep440("1.0"));
        assert_eq!(compare("0.1-bulbasaur", "0.1-charmander"), Less);
        assert_eq!(compare("0.9-ivysaur", "1.0"), Less);
        assert_eq!(compare("trunk", "3.2.3"), Less);
        assert_eq!(compare("trunk", "trunk"), Equal);
        assert_eq!(compare("-class.-jw.util.version.version-dev", "1.0"), Less);
        assert_eq!(compare("0.9-doduo", "0.9-eevee"), Less);
    }

    #[test]
    fn legacy_key_form() {
        assert_eq!(legacy_key("1.0-beta"), "00000001*beta*final");
        assert_eq!(legacy_key("1.0-1"), "00000001*final-00000001*final");
        assert_eq!(legacy_key("1.0.dev"), "00000001*@*final");
        assert_eq!(legacy_key(""), "*final");
    }

    #[test]
    fn odd_input() {
        for s in ["", " ", "é", "1.é", "ǅ1", "1.0+é", "\u{212A}1"] {
            assert_eq!(compare(s, s), Equal);
            let _ = compare(s, "1.0");
        }
    }
}
