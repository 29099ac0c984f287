//! Go module versions: SemVer with a mandatory `v`, `+incompatible` and pseudo-versions.
//!
//! OSV's Go ordering is its lenient SemVer ordering (see [`super::semver`]); Go's own rules
//! fall out of it:
//!
//! - `v1.2.3` and `1.2.3` are the same version (OSV advisories for Go use both spellings);
//! - `+incompatible` (a v2+ module without a `go.mod`) is build metadata, so
//!   `v2.0.0+incompatible` = `v2.0.0`, as `golang.org/x/mod/semver.Compare` says;
//! - pseudo-versions are pre-releases whose identifiers order correctly byte-wise because the
//!   timestamp is fixed-width: `v0.0.0-20191109021931-daa7c04131f5` (no tag yet) sorts below
//!   `v0.0.0`; `vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdef` (after tag `vX.Y.Z`) sorts above `vX.Y.Z`
//!   and below `vX.Y.(Z+1)` and its pre-releases (`0` is the lowest identifier);
//!   `vX.Y.Z-pre.0.yyyymmddhhmmss-abcdef` (after `vX.Y.Z-pre`) sorts just above `vX.Y.Z-pre`.
//!
//! Strings Go itself would reject (`v1.2.3.4`, `latest`) still order, leniently, as OSV's
//! tooling orders them; nothing panics.

use std::cmp::Ordering;

/// Compares two Go module versions.
pub fn compare(a: &str, b: &str) -> Ordering {
    super::semver::compare(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    #[test]
    fn prefix_and_incompatible() {
        assert_eq!(compare("v1.2.3", "1.2.3"), Equal);
        assert_eq!(compare("v2.0.0+incompatible", "v2.0.0"), Equal);
        assert_eq!(
            compare("v2.0.1+incompatible", "v2.0.0+incompatible"),
            Greater
        );
        assert_eq!(compare("v1.10.0", "v1.9.9"), Greater);
        assert_eq!(compare("v1.2", "v1.2.0"), Equal);
    }

    #[test]
    fn pseudo_versions_sit_between_tags() {
        let chain = [
            "v0.0.0-20191109021931-daa7c04131f5",
            "v0.0.0-20200101000000-000000000000",
            "v0.0.0",
            "v1.2.3",
            "v1.2.4-0.20200101000000-abcdefabcdef",
            "v1.2.4-0.20210101000000-abcdefabcdef",
            "v1.2.4-alpha",
            "v1.2.4-alpha.0.20210101000000-abcdefabcdef",
            "v1.2.4-beta",
            "v1.2.4",
        ];
        for w in chain.windows(2) {
            assert_eq!(compare(w[0], w[1]), Less, "{} < {}", w[0], w[1]);
            assert_eq!(compare(w[1], w[0]), Greater, "{} > {}", w[1], w[0]);
        }
    }
}
