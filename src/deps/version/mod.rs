//! Version ordering, one module per ecosystem.
//!
//! OSV ranges are evaluated with each ecosystem's own ordering; a wrong comparator means a
//! missed or a false advisory, so every module here is tested against the relation vectors in
//! `../shared/versions/` (see `tests/versions.rs`), and follows the reference OSV matcher
//! (osv-scalibr's `semantic` package) where an ecosystem's own tools are silent.
//!
//! | ecosystem | module |
//! |---|---|
//! | npm, crates.io, Hex, SwiftURL | [`semver`] (SemVer 2.0, lenient) |
//! | Pub | [`semver::compare_pub`] (SemVer, build metadata breaks ties) |
//! | Go | [`go`] (`v` prefix, `+incompatible`, pseudo-versions) |
//! | PyPI | [`pep440`] (PEP 440, legacy fallback) |
//! | RubyGems | [`rubygems`] |
//! | Maven | [`maven`] |
//! | NuGet | [`nuget`] |
//! | Packagist | [`packagist`] |
//! | CRAN | [`cran`] |
//! | ConanCenter | [`conan`] (OSV's lenient SemVer) |
//!
//! # Unparseable versions
//!
//! There are none, by design: every comparator gives every string a place in its order, the
//! way OSV's tooling does, so a matcher never has to decide what to do with a version that
//! "failed to parse". What a module does with strings its ecosystem would reject is in its
//! documentation; the one ecosystem where the split matters to a user is PyPI, where
//! [`pep440::is_pep440`] tells whether a version got PEP 440 or the legacy fallback ordering.
//! No comparator panics, whatever the input.

use super::Ecosystem;
use std::cmp::Ordering;

mod components;
pub mod conan;
pub mod cran;
pub mod go;
pub mod maven;
pub mod nuget;
pub mod packagist;
pub mod pep440;
pub mod rubygems;
pub mod semver;

/// Compares two versions the way `ecosystem` orders them.
///
/// Never panics: versions a module cannot parse are ordered the way the OSV tooling orders
/// them (see each module's doc comment).
pub fn compare(ecosystem: Ecosystem, a: &str, b: &str) -> Ordering {
    match ecosystem {
        Ecosystem::CratesIo | Ecosystem::Npm | Ecosystem::Hex | Ecosystem::SwiftUrl => {
            semver::compare(a, b)
        }
        Ecosystem::Pub => semver::compare_pub(a, b),
        Ecosystem::Go => go::compare(a, b),
        Ecosystem::PyPI => pep440::compare(a, b),
        Ecosystem::RubyGems => rubygems::compare(a, b),
        Ecosystem::Maven => maven::compare(a, b),
        Ecosystem::NuGet => nuget::compare(a, b),
        Ecosystem::Packagist => packagist::compare(a, b),
        Ecosystem::Cran => cran::compare(a, b),
        Ecosystem::ConanCenter => conan::compare(a, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings chosen to trip slicing, number parsing and case folding.
    const ODD: [&str; 16] = [
        "",
        " ",
        ".",
        "-",
        "+",
        "v",
        "V",
        "é",
        "1.é.2",
        "١.٢",
        "1..2--3__4++5",
        "\u{212A}",
        "1.0-ǅ",
        "999999999999999999999999999999999999.1",
        "-1.-2",
        "1.0.0-🦀+🦀",
    ];

    #[test]
    fn every_ecosystem_orders_odd_input_without_panicking() {
        for eco in Ecosystem::ALL {
            for a in ODD {
                assert_eq!(compare(eco, a, a), Ordering::Equal, "{eco} {a:?}");
                for b in ODD {
                    let ab = compare(eco, a, b);
                    let ba = compare(eco, b, a);
                    assert_eq!(ab, ba.reverse(), "{eco}: {a:?} vs {b:?}");
                }
            }
        }
    }

    /// Every string of up to three pieces from a small hostile alphabet, against a few
    /// anchors and itself: no panic, reflexive, antisymmetric.
    #[test]
    fn exhaustive_short_strings_are_ordered_consistently() {
        const ALPHABET: [&str; 16] = [
            "0", "1", "9", ".", "-", "+", "_", "v", "V", "a", "rc", "é", "#", " ", "!", "🦀",
        ];
        let mut strings = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = strings
                .iter()
                .filter(|s| s.chars().count() <= 4)
                .flat_map(|s| ALPHABET.iter().map(move |c| format!("{s}{c}")))
                .collect();
            strings.extend(longer);
        }
        let anchors = ["1.0.0", "v1", "1.0-rc1", "0", "a", ""];
        for eco in Ecosystem::ALL {
            for s in &strings {
                assert_eq!(compare(eco, s, s), Ordering::Equal, "{eco} {s:?}");
                for a in anchors {
                    assert_eq!(
                        compare(eco, s, a),
                        compare(eco, a, s).reverse(),
                        "{eco}: {s:?} vs {a:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn dispatch_reaches_each_ordering() {
        use Ordering::*;
        assert_eq!(compare(Ecosystem::Npm, "1.2.3+a", "1.2.3+b"), Equal);
        assert_eq!(compare(Ecosystem::Pub, "1.2.3+a", "1.2.3+b"), Less);
        assert_eq!(compare(Ecosystem::PyPI, "1.0.dev0", "1.0a0"), Less);
        assert_eq!(compare(Ecosystem::Maven, "1.0-SNAPSHOT", "1.0"), Less);
        assert_eq!(compare(Ecosystem::RubyGems, "1.0.b1", "1.0"), Less);
        assert_eq!(compare(Ecosystem::NuGet, "1.0.0-BETA", "1.0.0-beta"), Equal);
        assert_eq!(compare(Ecosystem::Packagist, "1.0pl1", "1.0"), Greater);
        assert_eq!(compare(Ecosystem::Cran, "0.1.0", "0.1.0.0"), Less);
        assert_eq!(
            compare(Ecosystem::Go, "v2.0.0+incompatible", "v2.0.0"),
            Equal
        );
        assert_eq!(compare(Ecosystem::ConanCenter, "1.1.1k", "1.1.1l"), Less);
        assert_eq!(compare(Ecosystem::CratesIo, "0.10.0", "0.9.0"), Greater);
    }
}
