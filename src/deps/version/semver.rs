//! SemVer 2.0 ordering, made lenient the way the OSV tooling (osv-scalibr's `semantic`
//! package) makes it: used for npm, crates.io, Hex and SwiftURL, and — with build metadata
//! taking part — for Pub.
//!
//! # Parsing
//!
//! Every string parses; none is rejected. A version is read as:
//!
//! - an optional leading lowercase `v`, dropped (`v1.2.3` = `1.2.3`);
//! - a run of numeric components separated by `.`, any number of them and of any size
//!   (`1` = `1.0` = `1.0.0`; missing components count as zero);
//! - from the first character that is neither an ASCII digit nor `.`, a "build string" that
//!   holds the pre-release (after `-`) and build metadata (after `+`).
//!
//! Numeric components beyond the third are moved onto the end of the build string, as `.N`,
//! so `1.1.3.4.5` orders as `1.1.3` with a pre-release `.4.5` (below `1.1.3`). That is what
//! OSV does; real SemVer ecosystems never publish such versions.
//!
//! # Ordering
//!
//! Numeric components first, then the pre-release per SemVer §11: a version without one is
//! greater; dot-separated identifiers compare numerically when both are numbers, byte-wise
//! (ASCII, so case-sensitive) when both are not, and a number is below a word; a longer list
//! wins when one is a prefix of the other. Build metadata is ignored (`1.2.3+a` = `1.2.3+b`),
//! except by [`compare_pub`].
//!
//! # Why not the `semver` crate
//!
//! The `semver` crate is strict (it rejects `v1.2`, `1.2`, `1.1.3.4.5` and numbers beyond
//! `u64`) and its `Ord` takes build metadata into account, so it agrees with OSV on neither
//! what parses nor how metadata orders. The lenient parser below is small enough to own.

use super::components::{compare_identifiers, compare_padded, Int};
use std::cmp::Ordering;

/// A version read the lenient OSV way; see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SemverLike<'a> {
    /// Numeric components, at most the `max_components` asked for.
    pub(crate) components: Vec<Int<'a>>,
    /// Everything from the first non-digit, non-dot character on (`-rc.1+build`), with any
    /// numeric components beyond `max_components` appended as `.N`.
    pub(crate) build: String,
}

impl<'a> SemverLike<'a> {
    /// Parses `s`, keeping at most `max_components` numeric components (3 for SemVer, 4 for
    /// NuGet).
    pub(crate) fn parse(s: &'a str, max_components: usize) -> SemverLike<'a> {
        let s = s.strip_prefix('v').unwrap_or(s);
        let mut components = Vec::new();
        let mut build = "";
        let mut start = None;
        for (i, c) in s.char_indices() {
            if c.is_ascii_digit() {
                start.get_or_insert(i);
                continue;
            }
            if let Some(st) = start.take() {
                components.extend(Int::parse_unsigned(&s[st..i]));
            }
            if c != '.' {
                build = &s[i..];
                break;
            }
        }
        if build.is_empty() {
            if let Some(st) = start {
                components.extend(Int::parse_unsigned(&s[st..]));
            }
        }
        let mut build = build.to_owned();
        if components.len() > max_components {
            for extra in components.drain(max_components..) {
                build.push('.');
                build.push_str(&extra.canonical());
            }
        }
        SemverLike { components, build }
    }

    /// The build metadata: what follows the first `+` of the build string, or `""`.
    fn metadata(&self) -> &str {
        self.build.split_once('+').map_or("", |(_, m)| m)
    }
}

/// Compares two build strings (`-rc.1+meta`) by their pre-release parts only.
pub(crate) fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let pre = |s: &'_ str| -> String {
        let s = s.split('+').next().unwrap_or("");
        s.strip_prefix('-').unwrap_or(s).to_owned()
    };
    let (a, b) = (pre(a), pre(b));
    match (a.is_empty(), b.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => {
            let a: Vec<&str> = a.split('.').collect();
            let b: Vec<&str> = b.split('.').collect();
            compare_identifiers(&a, &b)
        }
    }
}

/// Compares two parsed versions: numeric components, then pre-release.
pub(crate) fn compare_parsed(a: &SemverLike<'_>, b: &SemverLike<'_>) -> Ordering {
    compare_padded(&a.components, &b.components)
        .then_with(|| compare_prerelease(&a.build, &b.build))
}

/// SemVer ordering for npm, crates.io, Hex and SwiftURL (build metadata ignored).
pub fn compare(a: &str, b: &str) -> Ordering {
    compare_parsed(&SemverLike::parse(a, 3), &SemverLike::parse(b, 3))
}

/// Pub's ordering: SemVer, then — where Dart's `pub_semver` departs from the spec — build
/// metadata breaks ties, compared byte-wise (`1.2.3 < 1.2.3+1 < 1.2.3+a`).
pub fn compare_pub(a: &str, b: &str) -> Ordering {
    let (a, b) = (SemverLike::parse(a, 3), SemverLike::parse(b, 3));
    compare_parsed(&a, &b).then_with(|| a.metadata().cmp(b.metadata()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    #[test]
    fn spec_precedence_chain() {
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.1.0",
            "2.0.0",
        ];
        for w in chain.windows(2) {
            assert_eq!(compare(w[0], w[1]), Less, "{} < {}", w[0], w[1]);
            assert_eq!(compare(w[1], w[0]), Greater, "{} > {}", w[1], w[0]);
        }
    }

    #[test]
    fn lenient_forms() {
        assert_eq!(compare("v1.2.3", "1.2.3"), Equal);
        assert_eq!(compare("1", "1.0.0"), Equal);
        assert_eq!(compare("1.2", "1.2.0"), Equal);
        assert_eq!(compare("1.2.3+build", "1.2.3+other"), Equal);
        assert_eq!(compare("1.2.3-r100", "1.2.3-r2"), Less);
        assert_eq!(compare("1.2.3-R2", "1.2.3-r100"), Less);
        assert_eq!(compare("1.1.3.4.5", "1.1.3.4.5"), Equal);
        // extra numeric components become a pre-release, as in OSV
        assert_eq!(compare("1.1.3.4", "1.1.3"), Less);
        assert_eq!(
            compare(
                "999999999999999999999999999991",
                "999999999999999999999999999999"
            ),
            Less
        );
    }

    #[test]
    fn pub_orders_build_metadata() {
        assert_eq!(compare_pub("1.0.0-pre", "1.0.0-pre+build"), Less);
        assert_eq!(compare_pub("1.0.0-pre+build", "1.0.0"), Less);
        assert_eq!(compare_pub("1.0.0", "1.0.0+build"), Less);
        assert_eq!(compare_pub("1.2.3+9a", "1.2.3+1z"), Greater);
        assert_eq!(compare_pub("1.2.3+a1", "1.2.3+a1"), Equal);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "",
            "v",
            "+",
            "-",
            ".",
            "..",
            "é",
            "1.é",
            "1-é.1",
            "v1.2.3-ü+ß",
            "١٢",
        ] {
            let _ = compare(s, "1.0.0");
            let _ = compare_pub(s, s);
            assert_eq!(compare(s, s), Equal);
        }
    }
}
