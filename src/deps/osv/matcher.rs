//! Does an OSV record affect a given package version?
//!
//! This is the schema's evaluation algorithm (`IsVulnerable` in the OSV schema's "Evaluation"
//! section), with each ecosystem's own version ordering from [`crate::deps::version`]:
//!
//! * an `affected[]` entry applies when its ecosystem (parsed with [`Ecosystem::from_osv`], so
//!   suffixes such as `Maven:https://…` work) and its package name equal the package's; names
//!   are compared after [`normalize_name`] on both sides;
//! * the version is affected when it is listed in `versions`, or lies in one of the `SEMVER` or
//!   `ECOSYSTEM` ranges;
//! * a range is evaluated by walking its events sorted by version: `introduced` (where `"0"`
//!   sorts before every version) turns vulnerability on at and above it, `fixed` turns it off
//!   at and above it, `last_affected` turns it off above it; `limit` events bound the range
//!   (the version must be below at least one of them; `"*"` is infinity; no `limit` means no
//!   bound);
//! * `GIT` ranges need the repository's commit graph and are ignored (OSV.dev enumerates their
//!   tags into `versions`, which is checked); unknown range types are ignored;
//! * withdrawn records affect nothing.
//!
//! Besides the yes/no, a match carries the `fixed` versions that would clear it: for each
//! matching range the `fixed` event that closes the interval holding the version, and for a
//! match through `versions` the smallest `fixed` above the version in that entry's ranges.

use super::model::{Affected, EventKind, Range, RangeType, Vulnerability};
use crate::deps::version;
use crate::deps::Ecosystem;
use std::borrow::Cow;
use std::cmp::Ordering;

/// What a matching record says about one package version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AffectMatch {
    /// Indices into `affected[]` of the entries that matched.
    pub affected: Vec<usize>,
    /// Versions that fix the matched ranges, sorted by the ecosystem's order, deduplicated.
    /// Empty when no fix is known (open range, or a `last_affected` range).
    pub fixed: Vec<String>,
    /// RustSec's `informational` kind (`unmaintained`, `unsound`, `notice`) of a matched entry.
    pub informational: Option<String>,
}

/// Normalises a package name for comparison: PEP 503 for PyPI (lowercase, runs of `-`, `_`,
/// `.` become one `-`); lowercase for NuGet and Packagist, whose registries are
/// case-insensitive; unchanged elsewhere.
pub fn normalize_name(ecosystem: Ecosystem, name: &str) -> Cow<'_, str> {
    match ecosystem {
        Ecosystem::PyPI => {
            let out = crate::package::normalise_pypi_name(name);
            if out == name {
                Cow::Borrowed(name)
            } else {
                Cow::Owned(out)
            }
        }
        Ecosystem::NuGet | Ecosystem::Packagist => {
            if name.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(name.to_ascii_lowercase())
            } else {
                Cow::Borrowed(name)
            }
        }
        _ => Cow::Borrowed(name),
    }
}

/// Whether an `affected[]` entry names this package. `normalized_name` must already be
/// [`normalize_name`]d.
pub fn entry_names_package(
    affected: &Affected,
    ecosystem: Ecosystem,
    normalized_name: &str,
) -> bool {
    Ecosystem::from_osv(&affected.package.ecosystem) == Some(ecosystem)
        && normalize_name(ecosystem, &affected.package.name) == normalized_name
}

/// Compares two versions in `ecosystem`'s order. Go versions are compared without their `v`
/// prefix, since lockfiles write `v1.2.3` and OSV Go records write `1.2.3`.
pub fn compare_versions(ecosystem: Ecosystem, a: &str, b: &str) -> Ordering {
    version::compare(ecosystem, canonical(ecosystem, a), canonical(ecosystem, b))
}

fn canonical(ecosystem: Ecosystem, v: &str) -> &str {
    let v = v.trim();
    match ecosystem {
        Ecosystem::Go => v.strip_prefix('v').unwrap_or(v),
        _ => v,
    }
}

fn versions_equal(ecosystem: Ecosystem, a: &str, b: &str) -> bool {
    a == b || compare_versions(ecosystem, a, b) == Ordering::Equal
}

/// Does `vuln` affect `name` at `version` in `ecosystem`? `None` when it does not (or the
/// record is withdrawn).
pub fn affects(
    vuln: &Vulnerability,
    ecosystem: Ecosystem,
    name: &str,
    version: &str,
) -> Option<AffectMatch> {
    if vuln.withdrawn.is_some() {
        return None;
    }
    let name = normalize_name(ecosystem, name);
    let mut result = AffectMatch::default();
    for (i, affected) in vuln.affected.iter().enumerate() {
        if !entry_names_package(affected, ecosystem, &name) {
            continue;
        }
        if let Some(fixes) = entry_affects(affected, ecosystem, version) {
            result.affected.push(i);
            result.fixed.extend(fixes);
            if result.informational.is_none() {
                result.informational = affected.informational().map(str::to_string);
            }
        }
    }
    if result.affected.is_empty() {
        return None;
    }
    sort_versions(ecosystem, &mut result.fixed);
    Some(result)
}

/// Sorts versions in `ecosystem`'s order and removes duplicates.
pub fn sort_versions(ecosystem: Ecosystem, versions: &mut Vec<String>) {
    versions.sort_by(|a, b| compare_versions(ecosystem, a, b).then_with(|| a.cmp(b)));
    versions.dedup_by(|a, b| versions_equal(ecosystem, a, b));
}

/// Whether one `affected[]` entry covers `version` (the entry's package is assumed to match).
/// `Some(fixes)` when it does.
pub fn entry_affects(
    affected: &Affected,
    ecosystem: Ecosystem,
    version: &str,
) -> Option<Vec<String>> {
    let mut hit = false;
    let mut fixes = Vec::new();
    for range in &affected.ranges {
        if let Some(fix) = range_affects(range, ecosystem, version) {
            hit = true;
            fixes.extend(fix);
        }
    }
    if !hit
        && affected
            .versions
            .iter()
            .any(|listed| versions_equal(ecosystem, listed, version))
    {
        hit = true;
        // Listed explicitly: the nearest fix above the version in any ordered range.
        let mut candidates: Vec<&str> = affected
            .ranges
            .iter()
            .filter(|r| matches!(r.kind, RangeType::Semver | RangeType::Ecosystem))
            .flat_map(|r| r.events.iter())
            .filter_map(|e| match e.kind() {
                Some(EventKind::Fixed(f))
                    if compare_versions(ecosystem, f, version) == Ordering::Greater =>
                {
                    Some(f)
                }
                _ => None,
            })
            .collect();
        candidates.sort_by(|a, b| compare_versions(ecosystem, a, b));
        fixes.extend(candidates.first().map(|s| s.to_string()));
    }
    hit.then_some(fixes)
}

/// A position on a range's timeline.
#[derive(Debug, Clone, Copy)]
enum Bound<'a> {
    /// `introduced: "0"`: before every version.
    Min,
    /// A `limit` containing `*`: after every version.
    Max,
    At(&'a str),
}

fn bound(event: EventKind<'_>) -> Bound<'_> {
    match event {
        EventKind::Introduced("0") => Bound::Min,
        EventKind::Limit(l) if l.contains('*') => Bound::Max,
        e => Bound::At(e.version()),
    }
}

fn cmp_bounds(ecosystem: Ecosystem, a: Bound<'_>, b: Bound<'_>) -> Ordering {
    match (a, b) {
        (Bound::Min, Bound::Min) | (Bound::Max, Bound::Max) => Ordering::Equal,
        (Bound::Min, _) | (_, Bound::Max) => Ordering::Less,
        (_, Bound::Min) | (Bound::Max, _) => Ordering::Greater,
        (Bound::At(x), Bound::At(y)) => compare_versions(ecosystem, x, y),
    }
}

/// `version` compared with a bound.
fn cmp_version(ecosystem: Ecosystem, version: &str, b: Bound<'_>) -> Ordering {
    cmp_bounds(ecosystem, Bound::At(version), b)
}

/// Evaluates one range. `Some(fix)` when `version` is in it, with the `fixed` version that
/// closes the interval holding it (if there is one).
pub fn range_affects(range: &Range, ecosystem: Ecosystem, version: &str) -> Option<Option<String>> {
    if !matches!(range.kind, RangeType::Semver | RangeType::Ecosystem) {
        return None;
    }
    let mut events: Vec<EventKind<'_>> = range.events.iter().filter_map(|e| e.kind()).collect();

    // BeforeLimits: with no limit the range is unbounded above.
    let limits: Vec<Bound<'_>> = events
        .iter()
        .filter(|e| matches!(e, EventKind::Limit(_)))
        .map(|e| bound(*e))
        .collect();
    if !limits.is_empty()
        && !limits
            .iter()
            .any(|l| cmp_version(ecosystem, version, *l) == Ordering::Less)
    {
        return None;
    }

    // Stable sort, so events at the same version keep the record's order.
    events.sort_by(|a, b| cmp_bounds(ecosystem, bound(*a), bound(*b)));
    let mut vulnerable = false;
    let mut closing_fix = None;
    for event in &events {
        let at = cmp_version(ecosystem, version, bound(*event));
        match event {
            EventKind::Introduced(_) if at != Ordering::Less => vulnerable = true,
            EventKind::Fixed(_) if at != Ordering::Less => vulnerable = false,
            EventKind::LastAffected(_) if at == Ordering::Greater => vulnerable = false,
            EventKind::Fixed(f) if closing_fix.is_none() => closing_fix = Some(f.to_string()),
            _ => {}
        }
    }
    vulnerable.then_some(closing_fix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deps::osv::model::{AffectedPackage, Event};

    fn record(affected: Vec<Affected>) -> Vulnerability {
        Vulnerability {
            id: "TEST-1".into(),
            affected,
            ..Default::default()
        }
    }

    fn entry(eco: &str, name: &str, ranges: Vec<Range>, versions: &[&str]) -> Affected {
        Affected {
            package: AffectedPackage {
                ecosystem: eco.into(),
                name: name.into(),
                purl: None,
            },
            ranges,
            versions: versions.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    fn range(kind: RangeType, events: Vec<Event>) -> Range {
        Range {
            kind,
            events,
            ..Default::default()
        }
    }

    fn semver(events: Vec<Event>) -> Range {
        range(RangeType::Semver, events)
    }

    const CRATES: Ecosystem = Ecosystem::CratesIo;

    fn hit(v: &Vulnerability, version: &str) -> bool {
        affects(v, CRATES, "foo", version).is_some()
    }

    // Versions in these tests are chosen so that plain string order and SemVer order agree,
    // so they hold whichever comparator is behind `version::compare`.

    #[test]
    fn introduced_zero_means_every_version() {
        let v = record(vec![entry(
            "crates.io",
            "foo",
            vec![semver(vec![Event::introduced("0")])],
            &[],
        )]);
        for ver in ["0.0.1", "1.0.0", "9.9.9"] {
            assert!(hit(&v, ver), "{ver}");
        }
        assert_eq!(
            affects(&v, CRATES, "foo", "1.0.0").unwrap().fixed,
            Vec::<String>::new()
        );
    }

    #[test]
    fn fixed_is_exclusive_introduced_inclusive() {
        let v = record(vec![entry(
            "crates.io",
            "foo",
            vec![semver(vec![
                Event::introduced("1.2.0"),
                Event::fixed("1.4.0"),
            ])],
            &[],
        )]);
        assert!(!hit(&v, "1.1.9"));
        assert!(hit(&v, "1.2.0"));
        assert!(hit(&v, "1.3.5"));
        assert!(!hit(&v, "1.4.0"));
        assert!(!hit(&v, "1.5.0"));
        assert_eq!(
            affects(&v, CRATES, "foo", "1.3.5").unwrap().fixed,
            ["1.4.0"]
        );
    }

    #[test]
    fn last_affected_is_inclusive_and_gives_no_fix() {
        let v = record(vec![entry(
            "crates.io",
            "foo",
            vec![semver(vec![
                Event::introduced("0"),
                Event::last_affected("2.1.4"),
            ])],
            &[],
        )]);
        assert!(hit(&v, "1.0.0"));
        assert!(hit(&v, "2.1.4"));
        assert!(!hit(&v, "2.1.5"));
        assert!(affects(&v, CRATES, "foo", "2.1.4")
            .unwrap()
            .fixed
            .is_empty());
    }

    #[test]
    fn several_intervals_in_one_range_and_unsorted_events() {
        // Events deliberately out of order: evaluation sorts them.
        let v = record(vec![entry(
            "crates.io",
            "foo",
            vec![semver(vec![
                Event::fixed("3.2.5"),
                Event::introduced("3.0.0"),
                Event::fixed("1.0.2"),
                Event::introduced("1.0.0"),
            ])],
            &[],
        )]);
        assert!(!hit(&v, "0.9.0"));
        assert!(hit(&v, "1.0.1"));
        assert!(!hit(&v, "1.0.2"));
        assert!(!hit(&v, "2.5.0"));
        assert!(hit(&v, "3.1.0"));
        assert!(!hit(&v, "3.2.5"));
        assert_eq!(
            affects(&v, CRATES, "foo", "1.0.1").unwrap().fixed,
            ["1.0.2"]
        );
        assert_eq!(
            affects(&v, CRATES, "foo", "3.1.0").unwrap().fixed,
            ["3.2.5"]
        );
    }

    #[test]
    fn several_ranges_and_affected_entries() {
        let v = record(vec![
            entry(
                "crates.io",
                "foo",
                vec![
                    semver(vec![Event::introduced("1.0.0"), Event::fixed("1.1.0")]),
                    semver(vec![Event::introduced("2.0.0"), Event::fixed("2.1.0")]),
                ],
                &[],
            ),
            entry(
                "crates.io",
                "foo",
                vec![semver(vec![
                    Event::introduced("4.0.0"),
                    Event::fixed("4.2.0"),
                ])],
                &[],
            ),
            entry(
                "crates.io",
                "bar",
                vec![semver(vec![Event::introduced("0")])],
                &[],
            ),
        ]);
        assert!(hit(&v, "1.0.5"));
        assert!(hit(&v, "2.0.5"));
        assert!(!hit(&v, "3.0.0"));
        let m = affects(&v, CRATES, "foo", "4.1.0").unwrap();
        assert_eq!(m.affected, [1]);
        assert_eq!(m.fixed, ["4.2.0"]);
        assert!(affects(&v, CRATES, "bar", "3.0.0").is_some());
        assert!(affects(&v, CRATES, "baz", "3.0.0").is_none());
    }

    #[test]
    fn limit_bounds_the_range() {
        let v = record(vec![entry(
            "crates.io",
            "foo",
            vec![semver(vec![
                Event::introduced("1.0.0"),
                Event::limit("2.0.0"),
            ])],
            &[],
        )]);
        assert!(!hit(&v, "0.5.0"));
        assert!(hit(&v, "1.5.0"));
        assert!(!hit(&v, "2.0.0"));
        assert!(!hit(&v, "3.0.0"));

        // Several limits: below any of them is enough. `*` is infinity.
        let v = record(vec![entry(
            "crates.io",
            "foo",
            vec![semver(vec![
                Event::introduced("1.0.0"),
                Event::limit("2.0.0"),
                Event::limit("*"),
            ])],
            &[],
        )]);
        assert!(hit(&v, "3.0.0"));
    }

    #[test]
    fn versions_list_membership() {
        let v = record(vec![entry(
            "crates.io",
            "foo",
            vec![range(
                RangeType::Git,
                vec![Event::introduced("abc123"), Event::fixed("def456")],
            )],
            &["1.0.0", "1.0.1"],
        )]);
        assert!(hit(&v, "1.0.0"));
        assert!(hit(&v, "1.0.1"));
        assert!(!hit(&v, "1.0.2"));
        // A GIT range alone never matches a version, and its fixed commit is no upgrade target.
        assert!(affects(&v, CRATES, "foo", "1.0.0")
            .unwrap()
            .fixed
            .is_empty());

        // Listed versions with an ordered range beside them: the nearest fix above.
        let v = record(vec![entry(
            "crates.io",
            "foo",
            vec![range(
                RangeType::Ecosystem,
                vec![
                    Event::introduced("2.0.0"),
                    Event::fixed("2.2.0"),
                    Event::introduced("1.0.0"),
                    Event::fixed("1.3.0"),
                ],
            )],
            &["0.9.0"],
        )]);
        assert_eq!(
            affects(&v, CRATES, "foo", "0.9.0").unwrap().fixed,
            ["1.3.0"]
        );
    }

    #[test]
    fn git_and_unknown_ranges_are_ignored() {
        let v = record(vec![entry(
            "crates.io",
            "foo",
            vec![
                range(RangeType::Git, vec![Event::introduced("0")]),
                range(
                    RangeType::Other("FUTURE".into()),
                    vec![Event::introduced("0")],
                ),
            ],
            &[],
        )]);
        assert!(!hit(&v, "1.0.0"));
    }

    #[test]
    fn ecosystem_range_type_is_evaluated() {
        let v = record(vec![entry(
            "crates.io",
            "foo",
            vec![range(
                RangeType::Ecosystem,
                vec![Event::introduced("0"), Event::fixed("1.5.0")],
            )],
            &[],
        )]);
        assert!(hit(&v, "1.4.0"));
        assert!(!hit(&v, "1.5.0"));
    }

    #[test]
    fn withdrawn_records_affect_nothing() {
        let mut v = record(vec![entry(
            "crates.io",
            "foo",
            vec![semver(vec![Event::introduced("0")])],
            &[],
        )]);
        assert!(hit(&v, "1.0.0"));
        v.withdrawn = Some("2024-01-01T00:00:00Z".into());
        assert!(!hit(&v, "1.0.0"));
    }

    #[test]
    fn ecosystem_must_match_and_suffixes_are_allowed() {
        let v = record(vec![entry(
            "PyPI",
            "foo",
            vec![range(RangeType::Ecosystem, vec![Event::introduced("0")])],
            &[],
        )]);
        assert!(!hit(&v, "1.0.0"));
        assert!(affects(&v, Ecosystem::PyPI, "foo", "1.0.0").is_some());

        let v = record(vec![entry(
            "Maven:https://maven.google.com",
            "g:a",
            vec![range(RangeType::Ecosystem, vec![Event::introduced("0")])],
            &[],
        )]);
        assert!(affects(&v, Ecosystem::Maven, "g:a", "1.0").is_some());
        assert!(affects(&v, Ecosystem::Npm, "g:a", "1.0").is_none());
    }

    #[test]
    fn pypi_names_are_pep503_normalized_on_both_sides() {
        assert_eq!(
            normalize_name(Ecosystem::PyPI, "Foo_Bar.baz"),
            "foo-bar-baz"
        );
        assert_eq!(normalize_name(Ecosystem::PyPI, "foo--_.bar"), "foo-bar");
        assert_eq!(normalize_name(Ecosystem::PyPI, "django"), "django");
        assert_eq!(normalize_name(Ecosystem::CratesIo, "Foo_Bar"), "Foo_Bar");
        assert_eq!(
            normalize_name(Ecosystem::NuGet, "Newtonsoft.Json"),
            "newtonsoft.json"
        );

        let v = record(vec![entry(
            "PyPI",
            "Zope.Interface",
            vec![range(
                RangeType::Ecosystem,
                vec![Event::introduced("0"), Event::fixed("5.0")],
            )],
            &[],
        )]);
        assert!(affects(&v, Ecosystem::PyPI, "zope-interface", "4.0").is_some());
        assert!(affects(&v, Ecosystem::PyPI, "ZOPE_interface", "4.0").is_some());
        assert!(affects(&v, Ecosystem::PyPI, "zopeinterface", "4.0").is_none());
    }

    #[test]
    fn go_v_prefix_is_ignored_when_comparing() {
        let v = record(vec![entry(
            "Go",
            "example.com/m",
            vec![semver(vec![Event::introduced("0"), Event::fixed("1.4.0")])],
            &[],
        )]);
        assert!(affects(&v, Ecosystem::Go, "example.com/m", "v1.3.0").is_some());
        assert!(affects(&v, Ecosystem::Go, "example.com/m", "v1.4.0").is_none());
        assert_eq!(
            affects(&v, Ecosystem::Go, "example.com/m", "v1.3.0")
                .unwrap()
                .fixed,
            ["1.4.0"]
        );
    }

    #[test]
    fn fixes_from_several_entries_are_merged_sorted_and_deduplicated() {
        let v = record(vec![
            entry(
                "crates.io",
                "foo",
                vec![semver(vec![Event::introduced("0"), Event::fixed("1.7.0")])],
                &[],
            ),
            entry(
                "crates.io",
                "foo",
                vec![
                    semver(vec![Event::introduced("1.0.0"), Event::fixed("1.5.0")]),
                    semver(vec![Event::introduced("1.0.0"), Event::fixed("1.7.0")]),
                ],
                &[],
            ),
        ]);
        assert_eq!(
            affects(&v, CRATES, "foo", "1.2.0").unwrap().fixed,
            ["1.5.0", "1.7.0"]
        );
    }

    #[test]
    fn informational_kind_is_reported() {
        let mut e = entry(
            "crates.io",
            "foo",
            vec![semver(vec![Event::introduced("0")])],
            &[],
        );
        e.database_specific = Some(serde_json::json!({"informational": "unmaintained"}));
        let v = record(vec![e]);
        assert_eq!(
            affects(&v, CRATES, "foo", "1.0.0")
                .unwrap()
                .informational
                .as_deref(),
            Some("unmaintained")
        );
    }

    #[test]
    fn empty_events_never_match() {
        let v = record(vec![entry("crates.io", "foo", vec![semver(vec![])], &[])]);
        assert!(!hit(&v, "1.0.0"));
        let v = record(vec![entry(
            "crates.io",
            "foo",
            vec![semver(vec![Event::fixed("1.0.0")])],
            &[],
        )]);
        assert!(!hit(&v, "0.5.0"));
    }
}
