//! CRAN (R package) versions.
//!
//! R's `package_version`: a sequence of non-negative integers separated by `.` or `-`, which
//! weigh the same (`0.1-0` = `0.01.0`). Compared number by number, the shorter padded with
//! zeros; if that ties, the version with more numbers is greater (`0.1.0 < 0.1.0.0`), as in R.
//!
//! Pieces that are not numbers (`1.0.beta`) are skipped, as OSV's tooling does; nothing is
//! rejected and nothing panics.

use super::components::{compare_padded, Int};
use std::cmp::Ordering;

fn parse(s: &str) -> Vec<Int<'_>> {
    s.split(['.', '-']).filter_map(Int::parse).collect()
}

/// Compares two CRAN versions.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (a, b) = (parse(a), parse(b));
    compare_padded(&a, &b).then_with(|| a.len().cmp(&b.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    #[test]
    fn cran_versions() {
        assert_eq!(compare("0.01.0", "0.1-0"), Equal);
        assert_eq!(compare("0.9", "0.75"), Less);
        assert_eq!(compare("0.1.0", "0.1.0.0"), Less);
        assert_eq!(compare("0.3.2.0", "0.3.2"), Greater);
        assert_eq!(compare("1.0-0", "1.1-0"), Less);
        assert_eq!(compare("0.1.4", "0.1.18"), Less);
    }
}
