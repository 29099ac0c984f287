//! The packages the walk found: deduplicated, then checked against advisories.

use crate::deps::findings::to_findings;
use crate::deps::ignore::{self, IgnoreEntry};
use crate::deps::osv::freshness::{self, MaxDbAge};
use crate::deps::osv::{self, AdvisorySource};
use crate::deps::outdated;
use crate::outcome::{Outcome, ProblemKind, ScanError};
use std::collections::{BTreeSet, HashSet};

/// A requirements file included by another is parsed twice (once through the include, once
/// on its own): keep one entry per lockfile, package and version.
pub(super) fn dedupe(outcome: &mut Outcome) {
    // Borrowed keys: no copy of three strings per package (40k packages on the bench corpus).
    let keep: Vec<bool> = {
        let mut seen = HashSet::with_capacity(outcome.packages.len());
        outcome
            .packages
            .iter()
            .map(|p| seen.insert((&p.path, p.ecosystem, &p.name, &p.version)))
            .collect()
    };
    let mut keep = keep.into_iter();
    outcome.packages.retain(|_| keep.next().unwrap_or(true));
    outcome.stats.packages = outcome.packages.len() as u64;
}

/// Looks the packages up and adds vulnerability findings; an unreachable or broken advisory
/// source is an error (the scan is incomplete), never a reason to drop the secret findings.
pub(super) fn check(outcome: &mut Outcome, source: &AdvisorySource, ignores: &[IgnoreEntry]) {
    if outcome.packages.is_empty() {
        return;
    }
    let checked = osv::check(&outcome.packages, source);
    let mut vulns = to_findings(&checked.matches);
    outcome
        .errors
        .extend(ignore::apply(&mut vulns, ignores, ignore::today()));
    outcome.findings.extend(vulns);
    for e in checked.errors {
        outcome.errors.push(ScanError::error(
            None,
            ProblemKind::Advisories,
            e.to_string(),
        ));
    }
}

/// Warns (or, with `--max-db-age`, errs) when an offline database the packages were checked
/// against is older than the limit. Only the ecosystems the packages are of: a stale database
/// nobody used is no problem.
pub(super) fn check_db_age(outcome: &mut Outcome, source: &AdvisorySource, max: MaxDbAge) {
    let AdvisorySource::Offline { db_dir } = source else {
        return;
    };
    let used: BTreeSet<_> = outcome.packages.iter().map(|p| p.ecosystem).collect();
    let now = std::time::SystemTime::now();
    outcome
        .errors
        .extend(freshness::check(db_dir, used, max, now));
}

/// `--outdated`: adds the direct dependencies far behind their registries' newest releases,
/// and a warning for what could not be asked.
pub(super) fn check_outdated(
    outcome: &mut Outcome,
    root: &std::path::Path,
    options: &outdated::Options,
) {
    if outcome.packages.is_empty() {
        return;
    }
    let checked = outdated::check(&outcome.packages, root, options);
    outcome.findings.extend(checked.findings);
    outcome.errors.extend(checked.problems);
}
