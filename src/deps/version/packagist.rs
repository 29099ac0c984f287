//! Packagist (Composer) versions, ordered like PHP's `version_compare`.
//!
//! Canonical form: a leading `v` and then a leading `V` are dropped (`V1.0.0` = `v1.0.0` =
//! `1.0.0`); `-`, `_` and `+` become `.`; and a `.` is inserted wherever a digit meets
//! anything else (`1.0rc1` → `1.0.rc.1`). The parts between dots then compare pairwise:
//!
//! - two numbers numerically;
//! - otherwise by "special" rank: anything unrecognised (and `dev`) < `a…`/`alpha` < `b…`/`beta`
//!   < `rc…`/`RC…` < `#` (what a number counts as against a word) < `p…`/`pl`/`patch`;
//!   a word is ranked by prefix, so `beta` ranks as `b`, and parts of equal rank are equal
//!   (`1.0rc1` = `1.0RC1`).
//!
//! When one list runs out, the longer one is greater if its next part is a number
//! (`1.0.0 > 1.0`), and otherwise its remaining parts are compared against `#`, so `1.0-dev`
//! and `1.0a1` sort below `1.0` and `1.0pl1` above it.
//!
//! OSV's Go implementation checks "is a number" for that next part with `strconv.Atoi`,
//! which fails above `i64::MAX`; here any run of digits is a number, so
//! `1.0.99999999999999999999 > 1.0` instead of being equal to it.

use super::components::{split_digit_runs, Int};
use std::cmp::Ordering;

fn parts(s: &str) -> Vec<&str> {
    let s = s.strip_prefix('v').unwrap_or(s);
    let s = s.strip_prefix('V').unwrap_or(s);
    s.split(['.', '-', '_', '+'])
        .flat_map(split_digit_runs)
        .collect()
}

/// The rank of a non-numeric part; `#` is the rank a number takes against a word.
fn special_rank(part: &str) -> u8 {
    if part.starts_with("RC") {
        return 3;
    }
    const SPECIALS: [&str; 6] = ["dev", "a", "b", "rc", "#", "p"];
    SPECIALS
        .iter()
        .position(|p| part.starts_with(p))
        .map_or(0, |i| i as u8)
}

fn compare_parts(a: &[&str], b: &[&str]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let o = match (Int::parse(x), Int::parse(y)) {
            (Some(m), Some(n)) => m.cmp(&n),
            (None, None) => special_rank(x).cmp(&special_rank(y)),
            (Some(_), None) => special_rank("#").cmp(&special_rank(y)),
            (None, Some(_)) => special_rank(x).cmp(&special_rank("#")),
        };
        if o.is_ne() {
            return o;
        }
    }
    match a.len().cmp(&b.len()) {
        Ordering::Equal => Ordering::Equal,
        Ordering::Greater => {
            let rest = &a[b.len()..];
            if rest.first().is_some_and(|p| Int::parse(p).is_some()) {
                Ordering::Greater
            } else {
                compare_parts(rest, &["#"])
            }
        }
        Ordering::Less => {
            let rest = &b[a.len()..];
            if rest.first().is_some_and(|p| Int::parse(p).is_some()) {
                Ordering::Less
            } else {
                compare_parts(&["#"], rest)
            }
        }
    }
}

/// Compares two Packagist versions.
pub fn compare(a: &str, b: &str) -> Ordering {
    compare_parts(&parts(a), &parts(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    #[test]
    fn php_version_compare() {
        let chain = ["1.0-dev", "1.0a1", "1.0b1", "1.0RC1", "1.0", "1.0pl1"];
        for w in chain.windows(2) {
            assert_eq!(compare(w[0], w[1]), Less, "{} < {}", w[0], w[1]);
            assert_eq!(compare(w[1], w[0]), Greater, "{} > {}", w[1], w[0]);
        }
        assert_eq!(compare("1.0RC1", "1.0rc1"), Equal);
        assert_eq!(compare("1.0.0", "1.0"), Greater);
        assert_eq!(compare("1.0.0rc2", "1.0.0.rc2"), Equal);
        assert_eq!(compare("V1.0.0", "v1.0.0"), Equal);
        assert_eq!(compare("dev-foo", "1.26.0"), Less);
        assert_eq!(compare("1.2.3.#.beta", "1.2.3"), Less);
    }

    #[test]
    fn odd_input() {
        for s in ["", "v", "V", ".", "é", "1.é2", "#"] {
            assert_eq!(compare(s, s), Equal);
            let _ = compare(s, "1.0");
        }
    }
}
