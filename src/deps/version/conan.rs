//! ConanCenter versions.
//!
//! osv-scalibr (the reference OSV matcher) orders ConanCenter versions with its lenient SemVer
//! comparator, so this module does the same, to agree with OSV on which versions an advisory
//! covers. Conan's own `Version` class differs on versions with letters or more than three
//! numbers, and those differences are inherited from OSV on purpose:
//!
//! - `1.1.1k` reads as `1.1.1` with pre-release `k`: `1.1.1j < 1.1.1k`, but `1.1.1k < 1.1.1`;
//! - a fourth number becomes a pre-release identifier: `1.2.3.4 < 1.2.3`, `1.2.3.4 < 1.2.3.5`.
//!
//! See [`super::semver`] for the exact rules.

use std::cmp::Ordering;

/// Compares two ConanCenter versions.
pub fn compare(a: &str, b: &str) -> Ordering {
    super::semver::compare(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    #[test]
    fn conan_versions() {
        assert_eq!(compare("1.2.13", "1.2.11"), Greater);
        assert_eq!(compare("3.0.1", "3.0.10"), Less);
        assert_eq!(compare("1.1.1k", "1.1.1l"), Less);
        assert_eq!(compare("1.1.1w", "3.0.0"), Less);
        assert_eq!(compare("cci.20200101", "cci.20200101"), Equal);
        assert_eq!(compare("1.2.3.4", "1.2.3.5"), Less);
        // inherited from OSV's SemVer reading, as the module documentation says
        assert_eq!(compare("1.1.1k", "1.1.1"), Less);
        assert_eq!(compare("1.2.3.4", "1.2.3"), Less);
    }
}
