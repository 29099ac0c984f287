//! What "outdated" means: which release is the newest, and whether the version in use is a
//! major version behind it or too old.
//!
//! * **Newest** is the registry's own current release when it names one (npm's
//!   `dist-tags.latest`, crates.io's `max_stable_version`, PyPI's `info.version`, Go's
//!   `@latest`) and it is not withdrawn; otherwise the highest release by the ecosystem's
//!   version ordering that is neither withdrawn nor a prerelease. A version in use above
//!   the newest (a prerelease of the next major, say) is never outdated.
//! * **Major** is the first number of the version, except where the ecosystem's convention
//!   makes `0.x` releases break each other: for crates.io and npm (Cargo's and npm's caret
//!   ranges), `0.3` → `0.4` is a major step, as `1.x` → `2.x` is.
//! * **Too old**: the version in use was published more than the age limit ago and a newer
//!   release exists. A release without a date (the registry does not say) is never too old.

use super::registry::{Release, Releases};
use crate::deps::version;
use crate::deps::Ecosystem;
use std::cmp::Ordering;

/// The release a version in use should be compared with, if any. A current release the
/// registry names but does not list (an answer that leaves the version list out) still
/// counts, without a date.
pub fn newest(ecosystem: Ecosystem, releases: &Releases) -> Option<Release> {
    let available = |r: &&Release| !r.withdrawn;
    if let Some(latest) = &releases.latest {
        let listed = releases
            .releases
            .iter()
            .find(|r| same(ecosystem, &r.version, latest));
        match listed {
            Some(r) if !r.withdrawn => return Some(r.clone()),
            Some(_) => {}
            None => {
                return Some(Release {
                    version: latest.clone(),
                    published: None,
                    withdrawn: false,
                })
            }
        }
    }
    releases
        .releases
        .iter()
        .filter(available)
        .filter(|r| !is_prerelease(ecosystem, &r.version))
        .max_by(|a, b| version::compare(ecosystem, &a.version, &b.version))
        .cloned()
}

/// Whether two spellings name the same version (`v1.2.0` and `1.2.0` in Go or Packagist).
fn same(ecosystem: Ecosystem, a: &str, b: &str) -> bool {
    a == b || version::compare(ecosystem, a, b) == Ordering::Equal
}

/// The release of `used` among `releases`, for its date.
pub fn find<'a>(ecosystem: Ecosystem, releases: &'a Releases, used: &str) -> Option<&'a Release> {
    releases
        .releases
        .iter()
        .find(|r| r.version == used)
        .or_else(|| {
            releases
                .releases
                .iter()
                .find(|r| same(ecosystem, &r.version, used))
        })
}

/// Whether `newer` is a newer release than `used`.
pub fn is_newer(ecosystem: Ecosystem, newer: &str, used: &str) -> bool {
    version::compare(ecosystem, newer, used) == Ordering::Greater
}

/// The major-version key of a version: its leading numbers up to and including the first
/// non-zero one for crates.io and npm (`0.3.1` → `[0, 3]`), else its first number. `None` for
/// a version that does not start with a number.
pub fn major(ecosystem: Ecosystem, v: &str) -> Option<Vec<u64>> {
    let v = v.trim().trim_start_matches(['v', 'V']);
    let numbers: Vec<u64> = v
        .split(|c: char| !c.is_ascii_digit())
        .take_while(|s| !s.is_empty())
        .take(3)
        .map_while(|s| s.parse().ok())
        .collect();
    let first = *numbers.first()?;
    let zero_is_breaking = matches!(ecosystem, Ecosystem::CratesIo | Ecosystem::Npm);
    if first != 0 || !zero_is_breaking {
        return Some(vec![first]);
    }
    let mut key = vec![0];
    for &n in numbers.iter().skip(1) {
        key.push(n);
        if n != 0 {
            break;
        }
    }
    Some(key)
}

/// How many major versions `used` is behind `newest` (0 when it is not behind).
pub fn majors_behind(ecosystem: Ecosystem, used: &str, newest: &str) -> u64 {
    let (Some(u), Some(n)) = (major(ecosystem, used), major(ecosystem, newest)) else {
        return 0;
    };
    if n <= u {
        return 0;
    }
    // Past the shared prefix, the first differing number counts the steps; a move from
    // `0.x` to `1.x` (or `0.0.x` to `0.1`) is one step.
    let i = u.iter().zip(&n).take_while(|(a, b)| a == b).count();
    match (u.get(i), n.get(i)) {
        (Some(&a), Some(&b)) if a > 0 => b.saturating_sub(a),
        _ => 1,
    }
}

/// Whether a version is a prerelease by its ecosystem's conventions: a SemVer `-` suffix,
/// PEP 440 `a`/`b`/`rc`/`.dev`, a letter in a RubyGems version, Maven's qualifiers
/// (`alpha`, `beta`, `rc`, `cr`, `m1`, `milestone`, `snapshot`, `preview`, `ea`).
pub fn is_prerelease(ecosystem: Ecosystem, v: &str) -> bool {
    let v = v.trim().trim_start_matches(['v', 'V']);
    match ecosystem {
        Ecosystem::PyPI => match v.parse::<pep440_rs::Version>() {
            Ok(p) => p.any_prerelease(),
            Err(_) => v.bytes().any(|b| b.is_ascii_alphabetic()),
        },
        Ecosystem::RubyGems => v.bytes().any(|b| b.is_ascii_alphabetic()),
        Ecosystem::Maven => v
            .to_ascii_lowercase()
            .split(['.', '-', '_'])
            .any(maven_qualifier_is_pre),
        Ecosystem::Packagist => {
            let l = v.to_ascii_lowercase();
            l.starts_with("dev-")
                || l.ends_with("-dev")
                || ["alpha", "beta", "rc", "-a", "-b", "-p"]
                    .iter()
                    .any(|q| l.contains(q) && !l.contains("-patch"))
        }
        // SemVer-like: anything after the numbers that starts with `-` (Go pseudo-versions
        // included).
        _ => v.split('+').next().is_some_and(|core| core.contains('-')),
    }
}

/// A Maven version token that marks a prerelease: a qualifier word, or `a`/`b`/`m` followed
/// by a number (`M3`, `b2`; Maven's own short forms of alpha, beta and milestone).
fn maven_qualifier_is_pre(token: &str) -> bool {
    let word = token.trim_end_matches(|c: char| c.is_ascii_digit());
    let numbered = word.len() < token.len();
    match word {
        "alpha" | "beta" | "rc" | "cr" | "milestone" | "snapshot" | "preview" | "ea" | "pre"
        | "dev" => true,
        "a" | "b" | "m" => numbered,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(v: &str, withdrawn: bool) -> Release {
        Release {
            version: v.into(),
            published: None,
            withdrawn,
        }
    }

    #[test]
    fn newest_prefers_the_registry_s_latest_and_skips_withdrawn_and_prereleases() {
        let r = Releases {
            releases: vec![
                rel("1.0.0", false),
                rel("2.0.0", false),
                rel("3.0.0-beta.1", false),
                rel("2.1.0", true),
            ],
            latest: None,
        };
        assert_eq!(
            newest(Ecosystem::Npm, &r).map(|r| r.version),
            Some("2.0.0".into())
        );
        let tagged = Releases {
            latest: Some("1.0.0".into()),
            ..r.clone()
        };
        assert_eq!(
            newest(Ecosystem::Npm, &tagged).map(|r| r.version),
            Some("1.0.0".into())
        );
        let withdrawn_latest = Releases {
            latest: Some("2.1.0".into()),
            ..r
        };
        assert_eq!(
            newest(Ecosystem::Npm, &withdrawn_latest).map(|r| r.version),
            Some("2.0.0".into())
        );
    }

    #[test]
    fn zero_major_is_breaking_for_cargo_and_npm_only() {
        assert_eq!(majors_behind(Ecosystem::CratesIo, "0.3.1", "0.4.0"), 1);
        assert_eq!(majors_behind(Ecosystem::CratesIo, "0.3.1", "0.3.9"), 0);
        assert_eq!(majors_behind(Ecosystem::CratesIo, "0.9.15", "1.0.210"), 1);
        assert_eq!(majors_behind(Ecosystem::Npm, "0.0.3", "0.0.4"), 1);
        assert_eq!(majors_behind(Ecosystem::Npm, "4.17.21", "4.18.0"), 0);
        assert_eq!(majors_behind(Ecosystem::Npm, "2.6.9", "5.0.1"), 3);
        assert_eq!(majors_behind(Ecosystem::PyPI, "0.19.0", "0.27.2"), 0);
        assert_eq!(majors_behind(Ecosystem::PyPI, "1.26.4", "2.1.0"), 1);
        assert_eq!(majors_behind(Ecosystem::Go, "v1.2.0", "v1.9.0"), 0);
        assert_eq!(majors_behind(Ecosystem::Maven, "31.1-jre", "33.3.1-jre"), 2);
        assert_eq!(majors_behind(Ecosystem::NuGet, "3.0.0", "2.0.0"), 0);
        assert_eq!(majors_behind(Ecosystem::RubyGems, "abc", "2.0.0"), 0);
    }

    #[test]
    fn prereleases_by_ecosystem() {
        assert!(is_prerelease(Ecosystem::Npm, "3.0.0-beta.1"));
        assert!(!is_prerelease(Ecosystem::Npm, "3.0.0+build.5"));
        assert!(is_prerelease(Ecosystem::PyPI, "2.0.0rc1"));
        assert!(is_prerelease(Ecosystem::PyPI, "2.0.0.dev3"));
        assert!(!is_prerelease(Ecosystem::PyPI, "2.0.0.post1"));
        assert!(is_prerelease(Ecosystem::RubyGems, "7.1.0.beta1"));
        assert!(!is_prerelease(Ecosystem::RubyGems, "7.1.0"));
        assert!(is_prerelease(Ecosystem::Maven, "6.0.0-M3"));
        assert!(is_prerelease(Ecosystem::Maven, "2.0.0-rc2"));
        assert!(is_prerelease(Ecosystem::Maven, "1.0-SNAPSHOT"));
        assert!(!is_prerelease(Ecosystem::Maven, "33.3.1-jre"));
        assert!(!is_prerelease(Ecosystem::Maven, "5.3.39.RELEASE"));
        assert!(!is_prerelease(Ecosystem::Maven, "2.17.2"));
        assert!(is_prerelease(Ecosystem::Packagist, "v7.2.0-RC1"));
        assert!(!is_prerelease(Ecosystem::Packagist, "v7.1.5"));
        assert!(is_prerelease(
            Ecosystem::Go,
            "v0.0.0-20240101000000-abcdef123456"
        ));
        assert!(is_prerelease(Ecosystem::NuGet, "9.0.0-preview.7.24405.7"));
    }
}
