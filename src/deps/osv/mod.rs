//! OSV advisories: the record model, matching, the offline database and the online API.
//!
//! [`check`] is the entry point a scan calls: it takes the packages the lockfiles declared
//! and an [`AdvisorySource`] (the offline database or the OSV API) and returns one
//! [`VulnMatch`] per (package, advisory group), plus the errors that left part of the check
//! undone (the caller reports what was found and exits 3 when there are errors).
//!
//! **Advisory groups.** The same vulnerability is often published several times: RustSec,
//! GitHub (GHSA) and NVD (CVE) records that list each other in `aliases`. Records that affect
//! the same package version and share any id (their own or an alias, transitively) form one
//! group and are reported once. The group's id is chosen stably from all its ids:
//!
//! 1. an ecosystem database's own id (`RUSTSEC-`, `PYSEC-`, `GO-`, `RSEC-`, `HSEC-`);
//! 2. else a GitHub advisory (`GHSA-`);
//! 3. else a `CVE-`;
//! 4. else any other id;
//!
//! the alphabetically first within the best class. Every other id of the group is listed in
//! [`VulnMatch::aliases`].
//!
//! **Severity of a group**: the highest CVSS base score computed from any of its records'
//! vectors (v4.0, v3.x or v2); else the highest label (`database_specific.severity`, or a
//! non-CVSS `severity` entry); else, for RustSec informational advisories, low; else medium
//! (see [`cvss::Severity::unknown`]).

pub mod api;
pub mod cvss;
pub mod db;
pub mod freshness;
pub mod matcher;
pub mod model;

use self::cvss::Severity;
use crate::deps::{Ecosystem, Package};
use matcher::AffectMatch;
use model::Vulnerability;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

pub use api::{ApiClient, ApiConfig, ApiError};
pub use db::{default_db_dir, DbError, EcosystemDb};

/// Where advisories come from.
#[derive(Debug, Clone)]
pub enum AdvisorySource {
    /// The offline database in `db_dir` (`<db_dir>/<Ecosystem>/all.zip`). Never opens a
    /// socket.
    Offline { db_dir: PathBuf },
    /// The OSV API.
    Online(ApiConfig),
}

/// A reason the check is incomplete.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Offline(#[from] DbError),
    #[error(transparent)]
    Online(#[from] ApiError),
}

/// A package version affected by an advisory group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VulnMatch {
    pub package: Package,
    /// The group's preferred id (see the module documentation).
    pub advisory_id: String,
    /// Every other id of the group (record ids and their aliases), sorted.
    pub aliases: Vec<String>,
    /// Ids of the OSV records that matched, sorted.
    pub record_ids: Vec<String>,
    pub summary: Option<String>,
    pub details: Option<String>,
    /// Versions that would clear the advisory, in the ecosystem's order; empty when no fix
    /// is known.
    pub fixed: Vec<String>,
    pub severity: Severity,
    /// RustSec informational kind (`unmaintained`, `unsound`, `notice`), when the advisory
    /// is one.
    pub informational: Option<String>,
    /// Reference URLs of the group's records, deduplicated, advisories first.
    pub references: Vec<String>,
}

/// What [`check`] found.
#[derive(Debug, Default)]
pub struct CheckOutcome {
    /// Sorted by lockfile path, line, package name, version and advisory id.
    pub matches: Vec<VulnMatch>,
    /// What could not be checked and why. Non-empty means the result is incomplete.
    pub errors: Vec<CheckError>,
}

/// A unique package version to check.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key {
    ecosystem: Ecosystem,
    name: String,
    version: String,
}

fn key_of(p: &Package) -> Key {
    Key {
        ecosystem: p.ecosystem,
        name: matcher::normalize_name(p.ecosystem, &p.name).into_owned(),
        version: p.version.clone(),
    }
}

/// Checks packages against advisories. See the module documentation.
pub fn check(packages: &[Package], source: &AdvisorySource) -> CheckOutcome {
    match source {
        AdvisorySource::Offline { db_dir } => check_offline(packages, db_dir),
        AdvisorySource::Online(config) => match ApiClient::new(config.clone()) {
            Ok(client) => check_online(packages, &client),
            Err(e) => CheckOutcome {
                matches: Vec::new(),
                errors: vec![e.into()],
            },
        },
    }
}

/// The distinct package versions, and the packages behind each.
fn distinct(packages: &[Package]) -> BTreeMap<Key, Vec<&Package>> {
    let mut by_key: BTreeMap<Key, Vec<&Package>> = BTreeMap::new();
    // A hash set, not a search of each list: a popular crate sits in hundreds of lockfiles.
    let mut seen: HashSet<&Package> = HashSet::with_capacity(packages.len());
    for p in packages {
        if seen.insert(p) {
            by_key.entry(key_of(p)).or_default().push(p);
        }
    }
    by_key
}

/// Offline check against `<db_dir>/<Ecosystem>/all.zip`.
pub fn check_offline(packages: &[Package], db_dir: &std::path::Path) -> CheckOutcome {
    let by_key = distinct(packages);
    let mut outcome = CheckOutcome::default();
    let ecosystems: BTreeSet<Ecosystem> = by_key.keys().map(|k| k.ecosystem).collect();
    let mut dbs: HashMap<Ecosystem, EcosystemDb> = HashMap::new();
    for eco in ecosystems {
        match EcosystemDb::open(db_dir, eco) {
            Ok(db) => {
                dbs.insert(eco, db);
            }
            Err(e) => outcome.errors.push(e.into()),
        }
    }
    check_with_dbs(&by_key, &dbs, &mut outcome);
    finish(outcome)
}

/// Offline check against already opened databases (one per ecosystem). Packages of an
/// ecosystem without a database are reported as an error.
pub fn check_with(packages: &[Package], dbs: &[&EcosystemDb]) -> CheckOutcome {
    let by_key = distinct(packages);
    let mut outcome = CheckOutcome::default();
    let mut map: HashMap<Ecosystem, &EcosystemDb> = HashMap::new();
    for db in dbs {
        map.insert(db.ecosystem(), db);
    }
    let ecosystems: BTreeSet<Ecosystem> = by_key.keys().map(|k| k.ecosystem).collect();
    for eco in ecosystems {
        if !map.contains_key(&eco) {
            outcome.errors.push(
                DbError::Missing {
                    ecosystem: eco,
                    path: PathBuf::from(eco.as_str()),
                }
                .into(),
            );
        }
    }
    check_with_dbs(&by_key, &map, &mut outcome);
    finish(outcome)
}

trait DbLookup: Sync {
    fn get_db(&self, eco: Ecosystem) -> Option<&EcosystemDb>;
}

impl DbLookup for HashMap<Ecosystem, EcosystemDb> {
    fn get_db(&self, eco: Ecosystem) -> Option<&EcosystemDb> {
        self.get(&eco)
    }
}

impl DbLookup for HashMap<Ecosystem, &EcosystemDb> {
    fn get_db(&self, eco: Ecosystem) -> Option<&EcosystemDb> {
        self.get(&eco).copied()
    }
}

fn check_with_dbs(
    by_key: &BTreeMap<Key, Vec<&Package>>,
    dbs: &impl DbLookup,
    outcome: &mut CheckOutcome,
) {
    // Records are loaded once per package name, then evaluated for each version of it.
    type Versions<'a> = Vec<(&'a Key, &'a Vec<&'a Package>)>;
    let mut by_name: BTreeMap<(Ecosystem, &str), Versions<'_>> = BTreeMap::new();
    for (key, pkgs) in by_key {
        by_name
            .entry((key.ecosystem, key.name.as_str()))
            .or_default()
            .push((key, pkgs));
    }
    // Each name's records parsed and matched on its own thread: on a tree with 40,000
    // packages this was a serial half second after the walk. Results are kept in name order,
    // so the report does not depend on the threads.
    let by_name: Vec<_> = by_name.into_iter().collect();
    let per_name: Vec<(Vec<VulnMatch>, Option<DbError>)> = by_name
        .into_par_iter()
        .map(|((eco, name), versions)| {
            let mut matches = Vec::new();
            let Some(db) = dbs.get_db(eco) else {
                return (matches, None);
            };
            let records = match db.records_for(name) {
                Ok(r) => r,
                Err(e) => return (matches, Some(e)),
            };
            if records.is_empty() {
                return (matches, None);
            }
            let records: Vec<Arc<Vulnerability>> = records.into_iter().map(Arc::new).collect();
            for (key, pkgs) in versions {
                let hits: Vec<(Arc<Vulnerability>, AffectMatch)> = records
                    .iter()
                    .filter_map(|r| {
                        matcher::affects(r, key.ecosystem, &key.name, &key.version)
                            .map(|m| (r.clone(), m))
                    })
                    .collect();
                emit(key.ecosystem, hits, pkgs, &mut matches);
            }
            (matches, None)
        })
        .collect();
    for (matches, error) in per_name {
        outcome.matches.extend(matches);
        outcome.errors.extend(error.map(Into::into));
    }
}

/// Online check with the OSV API.
pub fn check_online(packages: &[Package], client: &ApiClient) -> CheckOutcome {
    let by_key = distinct(packages);
    let keys: Vec<&Key> = by_key.keys().collect();
    // Ask with the name as the lockfile spells it (the API normalises where the ecosystem
    // does); match locally with the normalised one.
    let queries: Vec<api::PackageQuery> = keys
        .iter()
        .map(|k| api::PackageQuery {
            ecosystem: k.ecosystem,
            name: by_key[*k]
                .first()
                .map_or_else(|| k.name.clone(), |p| p.name.clone()),
            version: k.version.clone(),
        })
        .collect();
    let mut outcome = CheckOutcome::default();
    let (answers, errors) = client.query_batch(&queries);
    outcome
        .errors
        .extend(errors.into_iter().map(CheckError::from));

    let all_ids: Vec<String> = answers.iter().flatten().flatten().cloned().collect();
    let (records, errors) = client.get_vulns(&all_ids);
    outcome
        .errors
        .extend(errors.into_iter().map(CheckError::from));

    for (key, ids) in keys.iter().zip(answers) {
        let Some(ids) = ids else { continue };
        let pkgs = &by_key[*key];
        let mut hits = Vec::new();
        for id in ids {
            let record = match records.get(&id) {
                Some(r) => r.clone(),
                // The API said it applies but the record could not be fetched (the error is
                // in `errors`): report the id alone rather than drop a known vulnerability.
                None => Arc::new(Vulnerability {
                    id: id.clone(),
                    ..Default::default()
                }),
            };
            if record.withdrawn.is_some() {
                continue;
            }
            // The API decided the match; our evaluation supplies the fixed versions. Where
            // the two disagree (an ordering the API knows better), the API wins and the fix
            // list falls back to the nearest fixes above the version.
            let m = matcher::affects(&record, key.ecosystem, &key.name, &key.version)
                .unwrap_or_else(|| fallback_match(&record, key));
            hits.push((record, m));
        }
        emit(key.ecosystem, hits, pkgs, &mut outcome.matches);
    }
    finish(outcome)
}

/// For a record the API reported but our evaluation did not match: the smallest `fixed`
/// above the version in each ordered range of the package's entries.
fn fallback_match(record: &Vulnerability, key: &Key) -> AffectMatch {
    let mut m = AffectMatch::default();
    for (i, affected) in record.affected.iter().enumerate() {
        if !matcher::entry_names_package(affected, key.ecosystem, &key.name) {
            continue;
        }
        m.affected.push(i);
        if m.informational.is_none() {
            m.informational = affected.informational().map(str::to_string);
        }
        for range in &affected.ranges {
            if !matches!(
                range.kind,
                model::RangeType::Semver | model::RangeType::Ecosystem
            ) {
                continue;
            }
            let mut above: Vec<&str> = range
                .events
                .iter()
                .filter_map(|e| e.fixed.as_deref())
                .filter(|f| {
                    matcher::compare_versions(key.ecosystem, f, &key.version)
                        == std::cmp::Ordering::Greater
                })
                .collect();
            above.sort_by(|a, b| matcher::compare_versions(key.ecosystem, a, b));
            m.fixed.extend(above.first().map(|s| s.to_string()));
        }
    }
    matcher::sort_versions(key.ecosystem, &mut m.fixed);
    m
}

fn finish(mut outcome: CheckOutcome) -> CheckOutcome {
    outcome.matches.sort_by(|a, b| {
        (
            &a.package.path,
            a.package.line,
            &a.package.name,
            &a.package.version,
            &a.advisory_id,
        )
            .cmp(&(
                &b.package.path,
                b.package.line,
                &b.package.name,
                &b.package.version,
                &b.advisory_id,
            ))
    });
    outcome
}

/// Groups the records that hit one package version and pushes one match per group for
/// each package declaring that version.
fn emit(
    ecosystem: Ecosystem,
    hits: Vec<(Arc<Vulnerability>, AffectMatch)>,
    packages: &[&Package],
    out: &mut Vec<VulnMatch>,
) {
    for group in group_records(&hits) {
        let members: Vec<&(Arc<Vulnerability>, AffectMatch)> =
            group.iter().map(|&i| &hits[i]).collect();
        let summary = build_match(ecosystem, &members);
        for p in packages {
            let mut m = summary.clone();
            m.package = (*p).clone();
            out.push(m);
        }
    }
}

/// Union-find over records sharing an id or alias. Returns groups of indices into `hits`,
/// each sorted, in order of their first member.
pub fn group_records(hits: &[(Arc<Vulnerability>, AffectMatch)]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..hits.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, (record, _)) in hits.iter().enumerate() {
        for id in record.ids() {
            match owner.get(id) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    if a != b {
                        parent[a.max(b)] = a.min(b);
                    }
                }
                None => {
                    owner.insert(id, i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..hits.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    groups.into_values().collect()
}

/// Rank of an id for choosing a group's preferred id (lower is better).
pub fn id_rank(id: &str) -> u8 {
    let prefix = id.split('-').next().unwrap_or(id);
    match prefix {
        "RUSTSEC" | "PYSEC" | "GO" | "RSEC" | "HSEC" => 0,
        "GHSA" => 1,
        "CVE" => 2,
        _ => 3,
    }
}

/// The preferred id among `ids`: best [`id_rank`], then alphabetical.
pub fn preferred_id<'a>(ids: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    ids.into_iter()
        .min_by(|a, b| (id_rank(a), *a).cmp(&(id_rank(b), *b)))
}

fn build_match(ecosystem: Ecosystem, members: &[&(Arc<Vulnerability>, AffectMatch)]) -> VulnMatch {
    let all_ids: BTreeSet<&str> = members.iter().flat_map(|(r, _)| r.ids()).collect();
    let advisory_id = preferred_id(all_ids.iter().copied())
        .unwrap_or_default()
        .to_string();
    let aliases: Vec<String> = all_ids
        .iter()
        .filter(|id| **id != advisory_id)
        .map(|s| s.to_string())
        .collect();
    let mut record_ids: Vec<String> = members.iter().map(|(r, _)| r.id.clone()).collect();
    record_ids.sort();
    record_ids.dedup();

    // Records in preference order: the best-ranked record id first.
    let mut ordered: Vec<&(Arc<Vulnerability>, AffectMatch)> = members.to_vec();
    ordered.sort_by(|(a, _), (b, _)| (id_rank(&a.id), &a.id).cmp(&(id_rank(&b.id), &b.id)));
    let non_empty = |s: &Option<String>| s.as_ref().filter(|s| !s.trim().is_empty()).cloned();
    let summary = ordered.iter().find_map(|(r, _)| non_empty(&r.summary));
    let details = ordered.iter().find_map(|(r, _)| non_empty(&r.details));

    let mut fixed: Vec<String> = members.iter().flat_map(|(_, m)| m.fixed.clone()).collect();
    matcher::sort_versions(ecosystem, &mut fixed);
    // Informational only when no RustSec record of the group says it is a vulnerability: a
    // RustSec vulnerability merged (through aliases) with an informational advisory must not
    // be downgraded to a low-severity hygiene finding. Records of other databases (GHSA, CVE)
    // never carry the flag, so they do not decide.
    let rustsec_vulnerability = members
        .iter()
        .any(|(r, m)| r.id.starts_with("RUSTSEC-") && m.informational.is_none());
    let informational = if rustsec_vulnerability {
        None
    } else {
        ordered.iter().find_map(|(_, m)| m.informational.clone())
    };

    let mut references = Vec::new();
    let mut seen = BTreeSet::new();
    for advisories_first in [true, false] {
        for (r, _) in &ordered {
            for reference in &r.references {
                if (reference.kind == "ADVISORY") == advisories_first
                    && seen.insert(reference.url.clone())
                {
                    references.push(reference.url.clone());
                }
            }
        }
    }

    VulnMatch {
        package: Package {
            ecosystem,
            name: String::new(),
            version: String::new(),
            path: String::new(),
            line: 0,
            direct: None,
            dev: None,
        },
        advisory_id,
        aliases,
        record_ids,
        summary,
        details,
        fixed,
        severity: group_severity(members, informational.as_deref()),
        informational,
        references,
    }
}

/// The severity of a group; see the module documentation for the order of preference.
pub fn group_severity(
    members: &[&(Arc<Vulnerability>, AffectMatch)],
    informational: Option<&str>,
) -> Severity {
    let mut scored: Vec<Severity> = Vec::new();
    let mut labelled: Vec<Severity> = Vec::new();
    for (record, m) in members {
        let entries = record.severity.iter().chain(
            m.affected
                .iter()
                .filter_map(|&i| record.affected.get(i))
                .flat_map(|a| a.severity.iter()),
        );
        for entry in entries {
            if let Some(s) = Severity::from_entry(entry) {
                if s.score.is_some() {
                    scored.push(s);
                } else {
                    labelled.push(s);
                }
            }
        }
        if let Some(s) = record.database_severity().and_then(Severity::from_label) {
            labelled.push(s);
        }
    }
    let best = |v: Vec<Severity>| {
        v.into_iter().max_by(|a, b| {
            a.rank()
                .cmp(&b.rank())
                .then_with(|| b.vector.cmp(&a.vector))
        })
    };
    best(scored)
        .or_else(|| best(labelled))
        .or_else(|| informational.map(Severity::informational))
        .unwrap_or_else(Severity::unknown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Affected, AffectedPackage, Event, Range, RangeType, SeverityEntry};

    fn rec(id: &str, aliases: &[&str]) -> Arc<Vulnerability> {
        Arc::new(Vulnerability {
            id: id.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            affected: vec![Affected {
                package: AffectedPackage {
                    ecosystem: "crates.io".into(),
                    name: "foo".into(),
                    purl: None,
                },
                ranges: vec![Range {
                    kind: RangeType::Semver,
                    events: vec![Event::introduced("0"), Event::fixed("1.5.0")],
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        })
    }

    fn hits(records: Vec<Arc<Vulnerability>>) -> Vec<(Arc<Vulnerability>, AffectMatch)> {
        records
            .into_iter()
            .map(|r| {
                let m = matcher::affects(&r, Ecosystem::CratesIo, "foo", "1.0.0").unwrap();
                (r, m)
            })
            .collect()
    }

    #[test]
    fn aliases_merge_transitively() {
        let h = hits(vec![
            rec("RUSTSEC-2020-0001", &["CVE-2020-1"]),
            rec("GHSA-aaaa-bbbb-cccc", &["CVE-2020-1"]),
            rec("CVE-2020-1", &[]),
            rec("GHSA-zzzz-yyyy-xxxx", &["CVE-2021-9"]),
            rec("OSV-2020-5", &["GHSA-zzzz-yyyy-xxxx"]),
        ]);
        let groups = group_records(&h);
        assert_eq!(groups, vec![vec![0, 1, 2], vec![3, 4]]);
    }

    #[test]
    fn preferred_id_order() {
        assert_eq!(
            preferred_id(["CVE-2020-1", "GHSA-a", "RUSTSEC-2020-0001"]),
            Some("RUSTSEC-2020-0001")
        );
        assert_eq!(
            preferred_id(["CVE-2020-1", "GHSA-b", "GHSA-a"]),
            Some("GHSA-a")
        );
        assert_eq!(
            preferred_id(["CVE-2020-2", "CVE-2020-1"]),
            Some("CVE-2020-1")
        );
        assert_eq!(
            preferred_id(["PYSEC-2021-1", "GHSA-x"]),
            Some("PYSEC-2021-1")
        );
        assert_eq!(
            preferred_id(["GO-2022-1", "GHSA-x", "CVE-1"]),
            Some("GO-2022-1")
        );
        assert_eq!(preferred_id(["MAL-2022-1", "OSV-1"]), Some("MAL-2022-1"));
    }

    #[test]
    fn group_is_informational_only_without_a_rustsec_vulnerability() {
        let a = rec("RUSTSEC-2020-0001", &["CVE-2020-1"]);
        let b = rec("RUSTSEC-2020-0002", &["CVE-2020-1"]);
        let g = rec("GHSA-aaaa-bbbb-cccc", &["CVE-2020-1"]);
        let flag = |h: &mut Vec<(Arc<Vulnerability>, AffectMatch)>, i: usize, kind: &str| {
            h[i].1.informational = Some(kind.to_string());
        };
        // Unsound RustSec advisory + GHSA record: informational (the GHSA cannot say).
        let mut h = hits(vec![a.clone(), g.clone()]);
        flag(&mut h, 0, "unsound");
        let members: Vec<_> = h.iter().collect();
        let m = build_match(Ecosystem::CratesIo, &members);
        assert_eq!(m.informational.as_deref(), Some("unsound"));
        // Unmaintained + a RustSec vulnerability in one group: a vulnerability.
        let mut h = hits(vec![a, b, g]);
        flag(&mut h, 0, "unmaintained");
        let members: Vec<_> = h.iter().collect();
        let m = build_match(Ecosystem::CratesIo, &members);
        assert_eq!(m.informational, None);
    }

    #[test]
    fn group_match_merges_fields() {
        let mut a = (*rec("GHSA-aaaa-bbbb-cccc", &["CVE-2020-1"])).clone();
        a.summary = Some("from ghsa".into());
        a.database_specific = Some(serde_json::json!({"severity": "MODERATE"}));
        let mut b = (*rec("RUSTSEC-2020-0001", &["CVE-2020-1"])).clone();
        b.summary = Some("from rustsec".into());
        b.severity = vec![SeverityEntry {
            kind: "CVSS_V3".into(),
            score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into(),
        }];
        let h = hits(vec![Arc::new(a), Arc::new(b)]);
        let members: Vec<_> = h.iter().collect();
        let m = build_match(Ecosystem::CratesIo, &members);
        assert_eq!(m.advisory_id, "RUSTSEC-2020-0001");
        assert_eq!(m.aliases, ["CVE-2020-1", "GHSA-aaaa-bbbb-cccc"]);
        assert_eq!(m.record_ids, ["GHSA-aaaa-bbbb-cccc", "RUSTSEC-2020-0001"]);
        assert_eq!(m.summary.as_deref(), Some("from rustsec"));
        assert_eq!(m.fixed, ["1.5.0"]);
        // CVSS beats the label.
        assert_eq!(m.severity.score, Some(9.8));
        assert_eq!(m.severity.qualitative, cvss::Qualitative::Critical);
    }

    #[test]
    fn severity_falls_back_to_label_then_informational_then_unknown() {
        let mut a = (*rec("GHSA-a", &[])).clone();
        a.database_specific = Some(serde_json::json!({"severity": "HIGH"}));
        let h = hits(vec![Arc::new(a)]);
        let members: Vec<_> = h.iter().collect();
        assert_eq!(
            group_severity(&members, None).qualitative,
            cvss::Qualitative::High
        );

        let h = hits(vec![rec("RUSTSEC-2020-0002", &[])]);
        let members: Vec<_> = h.iter().collect();
        assert_eq!(
            group_severity(&members, Some("unmaintained")).source,
            cvss::SeveritySource::Informational("unmaintained".into())
        );
        assert_eq!(group_severity(&members, None), Severity::unknown());
    }
}
