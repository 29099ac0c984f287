//! Building blocks shared by the per-ecosystem comparators: arbitrary-size integers, padded
//! numeric component lists, dotted identifier lists and digit/non-digit splitting.
//!
//! Version strings in the wild carry numbers far beyond `u64` (`20190126230843123456`, the
//! `999999999999999999999999999991` of the OSV vectors), so numbers are never converted to
//! machine integers: an [`Int`] borrows its digits from the version string and compares by
//! length, then byte by byte.

use std::cmp::Ordering;

/// A base-10 integer of any size, borrowed from the version string.
///
/// Parsing follows Go's `big.Int.SetString(s, 10)`, which the OSV tooling uses to decide what
/// "is a number": an optional `+` or `-`, then one or more ASCII digits and nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Int<'a> {
    negative: bool,
    /// Digits without leading zeros; empty for zero.
    digits: &'a str,
}

impl<'a> Int<'a> {
    /// Zero, the value missing components are padded with.
    pub(crate) const ZERO: Int<'static> = Int {
        negative: false,
        digits: "",
    };

    /// Parses `s` as a (possibly signed) decimal integer; `None` if it is anything else.
    pub(crate) fn parse(s: &'a str) -> Option<Int<'a>> {
        let (negative, rest) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let digits = Self::parse_unsigned_digits(rest)?;
        Some(Int {
            negative: negative && !digits.is_empty(),
            digits,
        })
    }

    /// Parses `s` as an unsigned decimal integer (ASCII digits only, at least one).
    pub(crate) fn parse_unsigned(s: &'a str) -> Option<Int<'a>> {
        Self::parse_unsigned_digits(s).map(|digits| Int {
            negative: false,
            digits,
        })
    }

    fn parse_unsigned_digits(s: &'a str) -> Option<&'a str> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Leading zeros are ASCII, so this slice is on a char boundary.
        Some(s.trim_start_matches('0'))
    }

    /// The canonical decimal form (no leading zeros, `-` for negatives, `0` for zero).
    pub(crate) fn canonical(&self) -> String {
        match (self.negative, self.digits) {
            (_, "") => "0".to_owned(),
            (true, d) => format!("-{d}"),
            (false, d) => d.to_owned(),
        }
    }
}

impl Ord for Int<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        let magnitude = || {
            self.digits
                .len()
                .cmp(&other.digits.len())
                .then_with(|| self.digits.cmp(other.digits))
        };
        match (self.negative, other.negative) {
            (false, false) => magnitude(),
            (true, true) => magnitude().reverse(),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
        }
    }
}

impl PartialOrd for Int<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Compares two lists of numbers component by component, the shorter one padded with zeros
/// (so `1.2` equals `1.2.0.0`).
pub(crate) fn compare_padded(a: &[Int<'_>], b: &[Int<'_>]) -> Ordering {
    let n = a.len().max(b.len());
    (0..n)
        .map(|i| {
            let x = a.get(i).copied().unwrap_or(Int::ZERO);
            let y = b.get(i).copied().unwrap_or(Int::ZERO);
            x.cmp(&y)
        })
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// How a number ranks against a word in [`compare_mixed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumericRank {
    /// Numbers sort below words (SemVer pre-release identifiers).
    BelowWords,
    /// Numbers sort above words (RubyGems segments: `1.0 > 1.0.b1`).
    AboveWords,
}

/// Compares two version pieces: numerically when both are numbers ([`Int::parse`]),
/// byte-wise when neither is, and a number against a word as `rank` says.
pub(crate) fn compare_mixed(x: &str, y: &str, rank: NumericRank) -> Ordering {
    let number_vs_word = match rank {
        NumericRank::BelowWords => Ordering::Less,
        NumericRank::AboveWords => Ordering::Greater,
    };
    match (Int::parse(x), Int::parse(y)) {
        (Some(m), Some(n)) => m.cmp(&n),
        (None, None) => x.cmp(y),
        (Some(_), None) => number_vs_word,
        (None, Some(_)) => number_vs_word.reverse(),
    }
}

/// Compares two SemVer pre-release identifier lists (`alpha.1` vs `alpha.beta`): pairwise
/// with numbers below words, and — when one list is a prefix of the other — the longer list
/// is greater.
pub(crate) fn compare_identifiers<S: AsRef<str>>(a: &[S], b: &[S]) -> Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| compare_mixed(x.as_ref(), y.as_ref(), NumericRank::BelowWords))
        .find(|o| o.is_ne())
        .unwrap_or_else(|| a.len().cmp(&b.len()))
}

/// Splits `s` wherever an ASCII digit meets a non-digit (`"rc10b"` → `rc`, `10`, `b`).
///
/// An empty `s` yields one empty piece, so callers see every position of a dotted version
/// (`1..2` has an empty middle component). Splits are always on char boundaries: a digit is
/// one byte, so the byte next to it starts a char.
pub(crate) fn split_digit_runs(s: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut prev_digit: Option<bool> = None;
    for (i, c) in s.char_indices() {
        let digit = c.is_ascii_digit();
        if prev_digit.is_some_and(|p| p != digit) {
            pieces.push(&s[start..i]);
            start = i;
        }
        prev_digit = Some(digit);
    }
    pieces.push(&s[start..]);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(s: &str) -> Int<'_> {
        Int::parse(s).unwrap()
    }

    #[test]
    fn ints_parse_like_go_big_int() {
        assert_eq!(int("007"), int("7"));
        assert_eq!(int("-0"), Int::ZERO);
        assert_eq!(int("+5"), int("5"));
        assert_eq!(int("0000"), Int::ZERO);
        for bad in ["", "+", "-", "1a", "a1", " 1", "1_000", "١"] {
            assert!(Int::parse(bad).is_none(), "{bad:?}");
        }
        assert!(Int::parse_unsigned("-1").is_none());
        assert_eq!(int("0012").canonical(), "12");
        assert_eq!(int("-12").canonical(), "-12");
        assert_eq!(int("00").canonical(), "0");
    }

    #[test]
    fn ints_compare_beyond_u64() {
        assert!(int("999999999999999999999999999991") < int("999999999999999999999999999999"));
        assert!(int("10") > int("9"));
        assert!(int("-10") < int("-9"));
        assert!(int("-1") < int("0"));
    }

    #[test]
    fn padded_lists() {
        let a = [int("1"), int("2")];
        let b = [int("1"), int("2"), int("0")];
        assert_eq!(compare_padded(&a, &b), Ordering::Equal);
        assert_eq!(compare_padded(&a, &[int("1"), int("10")]), Ordering::Less);
        assert_eq!(compare_padded(&[], &[]), Ordering::Equal);
    }

    #[test]
    fn identifier_lists() {
        let cmp = |a: &str, b: &str| {
            let a: Vec<&str> = a.split('.').collect();
            let b: Vec<&str> = b.split('.').collect();
            compare_identifiers(&a, &b)
        };
        assert_eq!(cmp("alpha.1", "alpha.beta"), Ordering::Less);
        assert_eq!(cmp("beta.2", "beta.11"), Ordering::Less);
        assert_eq!(cmp("a", "a.b"), Ordering::Less);
        assert_eq!(cmp("R2", "r100"), Ordering::Less);
        assert_eq!(cmp("x.1", "x.1"), Ordering::Equal);
    }

    #[test]
    fn mixed_pieces() {
        use NumericRank::*;
        assert_eq!(compare_mixed("1", "a", BelowWords), Ordering::Less);
        assert_eq!(compare_mixed("1", "a", AboveWords), Ordering::Greater);
        assert_eq!(compare_mixed("a", "1", AboveWords), Ordering::Less);
        assert_eq!(compare_mixed("010", "9", AboveWords), Ordering::Greater);
        assert_eq!(compare_mixed("b", "a", BelowWords), Ordering::Greater);
    }

    #[test]
    fn digit_runs() {
        assert_eq!(split_digit_runs("rc10b"), ["rc", "10", "b"]);
        assert_eq!(split_digit_runs("12"), ["12"]);
        assert_eq!(split_digit_runs(""), [""]);
        assert_eq!(split_digit_runs("é1ü"), ["é", "1", "ü"]);
    }
}
