//! NuGet versions: SemVer 2.0 with an optional fourth number, case-insensitive labels.
//!
//! As OSV's tooling reads them: up to four numeric components (`1.0` = `1.0.0.0`; numbers of
//! any size, leading zeros ignored: `1.0.01` = `1.0.1`), then a pre-release compared like
//! SemVer's but case-insensitively (`1.0.0-BETA` = `1.0.0-beta`), then build metadata, which is
//! ignored. A fifth number onwards becomes a pre-release identifier, as in [`super::semver`].
//! Every string orders; nothing is rejected.

use super::semver::{compare_parsed, SemverLike};
use std::cmp::Ordering;

/// Compares two NuGet versions.
pub fn compare(a: &str, b: &str) -> Ordering {
    let mut a = SemverLike::parse(a, 4);
    let mut b = SemverLike::parse(b, 4);
    a.build = a.build.to_lowercase();
    b.build = b.build.to_lowercase();
    compare_parsed(&a, &b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    #[test]
    fn nuget_versions() {
        assert_eq!(compare("1.0", "1.0.0.0"), Equal);
        assert_eq!(compare("1.0.01", "1.0.1.0"), Equal);
        assert_eq!(compare("1.0.0-BETA", "1.0.0-beta"), Equal);
        assert_eq!(compare("1.0.0", "1.0.0+beta"), Equal);
        assert_eq!(compare("1.0.0", "1.0.0.1"), Less);
        assert_eq!(compare("1.0.0-beta2", "1.0.0-BETA"), Greater);
        assert_eq!(compare("1.0.0.1-alpha", "1.0.0.1-pre"), Less);
        assert_eq!(compare("1.0.0", "1.0.0.1-alpha"), Less);
        assert_eq!(compare("1.0.0-ÄB", "1.0.0-äb"), Equal);
    }
}
