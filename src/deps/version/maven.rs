//! Maven versions, ordered like Maven's `ComparableVersion` (the Maven version spec).
//!
//! A version is split into tokens at `.` and `-` and wherever a digit meets a non-digit; each
//! token remembers its prefix (`.` or `-`; a digit/non-digit transition counts as `-`, the
//! first token has none). Tokens are lower-cased; an empty token is `0`; `cr` is `rc`; `ga`,
//! `final` and `release` are the empty qualifier; `a`, `b` and `m` directly followed by a
//! number are `alpha`, `beta` and `milestone`; numbers lose leading zeros. Then "null" tokens
//! (`0`, empty) are trimmed from the end, and again before each remaining `-`, so
//! `1.0.0-0.0.0` = `1`, and `1-1.foo-bar1baz-.1` = `1-1.foo-bar-1-baz-0.1`.
//!
//! Two versions compare token by token, the shorter padded with nulls (`0` after `.`, empty
//! after `-`). Tokens with the same prefix: numbers numerically and above words; known
//! qualifiers in the order `alpha < beta < milestone < rc < snapshot < "" (release) < sp`,
//! above them any other word, compared byte-wise. Tokens with different prefixes:
//! `.qualifier < -qualifier < -number < .number`.
//!
//! Every string orders; nothing panics. Two details differ, on purpose, from OSV's Go port:
//! digit/non-digit splits never cut a multi-byte character in two (Go's byte offsets can),
//! and a pair that is neither equal nor less in either direction compares `Equal` instead
//! of `Greater` both ways, so the order stays antisymmetric.

use super::components::{split_digit_runs, Int};
use std::borrow::Cow;
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefix {
    /// The first token of a version.
    None,
    Dot,
    Dash,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Token<'a> {
    prefix: Prefix,
    value: Cow<'a, str>,
    /// A padding token standing in for a missing one (`0` or empty).
    null: bool,
}

impl Token<'_> {
    fn number(&self) -> Option<Int<'_>> {
        Int::parse(&self.value)
    }

    fn trimmable(&self) -> bool {
        matches!(&*self.value, "0" | "" | "final" | "ga")
    }

    fn same(&self, other: &Token<'_>) -> bool {
        self.prefix == other.prefix && self.value == other.value
    }

    /// `.qualifier < -qualifier < -number < .number`.
    fn kind_rank(&self) -> u8 {
        match (self.prefix, self.number().is_some()) {
            (Prefix::Dash, true) => 2,
            (Prefix::Dot, true) => 3,
            (Prefix::Dash, false) => 1,
            (Prefix::Dot, false) => 0,
            // Only the first token has no prefix, and both sides always have one there.
            (Prefix::None, _) => 0,
        }
    }

    /// The null token that pads the other version where this one has `self`.
    fn null_for(other: &Token<'_>) -> Token<'static> {
        let value = match other.prefix {
            // `sp` is the one qualifier above the empty (release) one; padding with "" makes
            // `1.sp` come out above `1`.
            Prefix::Dot if other.value == "sp" => "",
            Prefix::Dot | Prefix::None => "0",
            Prefix::Dash => "",
        };
        Token {
            prefix: other.prefix,
            value: Cow::Borrowed(value),
            null: true,
        }
    }

    fn less_than(&self, other: &Token<'_>) -> bool {
        if self.prefix != other.prefix {
            return self.kind_rank() < other.kind_rank();
        }
        let (m, n) = (self.number(), other.number());
        if let (Some(m), Some(n)) = (m, n) {
            return m < n;
        }
        // Numbers sort above qualifiers, unless they are padding.
        if m.is_some() && !self.null {
            return false;
        }
        if n.is_some() && !other.null {
            return true;
        }
        let (l, r) = (keyword_rank(&self.value), keyword_rank(&other.value));
        if l == KEYWORDS.len() && r == KEYWORDS.len() {
            return self.value < other.value;
        }
        l < r
    }
}

const KEYWORDS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

fn keyword_rank(value: &str) -> usize {
    KEYWORDS
        .iter()
        .position(|k| *k == value)
        .unwrap_or(KEYWORDS.len())
}

fn normalise(piece: &str, followed_by_more: bool) -> Cow<'_, str> {
    let lower = if piece.chars().any(|c| c.is_uppercase()) {
        Cow::Owned(piece.to_lowercase())
    } else {
        Cow::Borrowed(piece)
    };
    let value: Cow<'_, str> = match &*lower {
        "" => Cow::Borrowed("0"),
        "cr" => Cow::Borrowed("rc"),
        "ga" | "final" | "release" => Cow::Borrowed(""),
        "a" if followed_by_more => Cow::Borrowed("alpha"),
        "b" if followed_by_more => Cow::Borrowed("beta"),
        "m" if followed_by_more => Cow::Borrowed("milestone"),
        _ => lower,
    };
    match Int::parse(&value) {
        Some(n) => Cow::Owned(n.canonical()),
        None => value,
    }
}

fn tokens(s: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut prefix = Prefix::None;
    let mut rest = s;
    loop {
        let (raw, next) = match rest.find(['.', '-']) {
            Some(i) => (&rest[..i], Some((rest.as_bytes()[i], &rest[i + 1..]))),
            None => (rest, None),
        };
        let pieces = split_digit_runs(raw);
        let last = pieces.len() - 1;
        for (j, piece) in pieces.into_iter().enumerate() {
            tokens.push(Token {
                prefix: if j > 0 { Prefix::Dash } else { prefix },
                value: normalise(piece, j < last),
                null: false,
            });
        }
        match next {
            Some((delimiter, after)) => {
                prefix = if delimiter == b'.' {
                    Prefix::Dot
                } else {
                    Prefix::Dash
                };
                rest = after;
            }
            None => break,
        }
    }

    // Trim trailing nulls, then again before each remaining hyphen, from the end to the
    // start; the first token always stays.
    let mut i = tokens.len() as isize - 1;
    while i > 0 {
        let idx = i as usize;
        if tokens[idx].trimmable() {
            tokens.remove(idx);
            i -= 1;
            continue;
        }
        while i >= 0 && tokens[i as usize].prefix != Prefix::Dash {
            i -= 1;
        }
        i -= 1;
    }
    tokens
}

fn less_than(a: &[Token<'_>], b: &[Token<'_>]) -> bool {
    for i in 0..a.len().max(b.len()) {
        let (left, right) = match (a.get(i), b.get(i)) {
            (Some(l), Some(r)) => (l.clone(), r.clone()),
            (Some(l), None) => (l.clone(), Token::null_for(l)),
            (None, Some(r)) => (Token::null_for(r), r.clone()),
            (None, None) => break,
        };
        if left.same(&right) {
            continue;
        }
        return left.less_than(&right);
    }
    false
}

/// Compares two Maven versions.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (a, b) = (tokens(a), tokens(b));
    if a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x.same(y)) {
        Ordering::Equal
    } else if less_than(&a, &b) {
        Ordering::Less
    } else if less_than(&b, &a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    #[test]
    fn maven_spec_order() {
        let chain = [
            "1.0-alpha-1-SNAPSHOT",
            "1.0-alpha-1",
            "1.0-alpha-2",
            "1.0-beta-1",
            "1.0-SNAPSHOT",
            "1.0",
            "1.0-sp",
            "1.0-1",
            "1.0-2",
            "1.0.1",
        ];
        for w in chain.windows(2) {
            assert_eq!(compare(w[0], w[1]), Less, "{} < {}", w[0], w[1]);
            assert_eq!(compare(w[1], w[0]), Greater, "{} > {}", w[1], w[0]);
        }
    }

    #[test]
    fn maven_equivalences() {
        for (a, b) in [
            ("1", "1.0.0"),
            ("1", "1-0"),
            ("1ga", "1"),
            ("1.FINAL", "1"),
            ("1cr", "1rc"),
            ("1a1", "1-alpha-1"),
            ("1m3", "1MILESTONE3"),
            ("1.1", "1.01"),
            ("1-1.foo-bar-1-baz-0.1", "1-1.foo-bar1baz-.1"),
            ("0.0.0-0.0.0", "0-final-ga"),
        ] {
            assert_eq!(compare(a, b), Equal, "{a} = {b}");
        }
    }

    #[test]
    fn odd_input() {
        for s in ["", ".", "-", "..--", "é", "1.é2", "É1-ß", "1.sp", "v1"] {
            assert_eq!(compare(s, s), Equal);
            let _ = compare(s, "1.0");
            let _ = compare("1.0", s);
        }
    }
}
