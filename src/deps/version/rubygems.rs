//! RubyGems versions (`Gem::Version`).
//!
//! A version is split into segments at `.` and wherever a digit meets a non-digit
//! (`1.0.a10` → `1`, `0`, `a`, `10`; so `1.0.a2` = `1.0.a.2`). Segments are grouped into the
//! leading numbers and the rest (the pre-release part, from the first non-number on); trailing
//! `0` segments are dropped from each group (`1.0` = `1`, `1.0.a` = `1.a`). Segments then
//! compare pairwise, the shorter list padded with `0`: numbers numerically, words byte-wise,
//! and a number is greater than a word — so any pre-release (`1.0.b1`) sorts below its release
//! (`1.0`).
//!
//! Ruby would reject some strings (`1..2`, `1.0-é`); they still order, the way OSV's tooling
//! orders them; nothing panics.

use super::components::{compare_mixed, split_digit_runs, Int, NumericRank};
use std::cmp::Ordering;

fn segments(s: &str) -> Vec<&str> {
    let all: Vec<&str> = s.split('.').flat_map(split_digit_runs).collect();
    let split = all
        .iter()
        .position(|seg| Int::parse(seg).is_none())
        .unwrap_or(all.len());
    let (numbers, rest) = all.split_at(split);
    let trim = |group: &[&'_ str]| -> usize {
        group
            .iter()
            .rposition(|seg| *seg != "0")
            .map_or(0, |i| i + 1)
    };
    let mut out = numbers[..trim(numbers)].to_vec();
    out.extend_from_slice(&rest[..trim(rest)]);
    out
}

/// Compares two RubyGems versions.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (a, b) = (segments(a), segments(b));
    (0..a.len().max(b.len()))
        .map(|i| {
            let x = a.get(i).copied().unwrap_or("0");
            let y = b.get(i).copied().unwrap_or("0");
            compare_mixed(x, y, NumericRank::AboveWords)
        })
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    #[test]
    fn rubygems_versions() {
        assert_eq!(compare("3.10", "3.2"), Greater);
        assert_eq!(compare("1", "1beta"), Greater);
        assert_eq!(compare("1.2.4.beta", "1.2.4"), Less);
        assert_eq!(compare("1.0.a10", "1.0.a.9"), Greater);
        assert_eq!(compare("1.0.a2", "1.0.a.2"), Equal);
        assert_eq!(compare("1.0.b1", "1.0.a.2"), Greater);
        assert_eq!(compare("1.0", "1"), Equal);
        assert_eq!(compare("1.0.a", "1.a"), Equal);
        assert_eq!(compare("1.0.0.pre1", "1.0.0"), Less);
    }

    #[test]
    fn odd_input() {
        for s in ["", ".", "..", "é", "1.é2", "a.0.0"] {
            assert_eq!(compare(s, s), Equal);
            let _ = compare(s, "1.0");
        }
    }
}
