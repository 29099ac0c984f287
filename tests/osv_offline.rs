//! Offline advisory database: fixtures of our own (always run) and the real OSV exports in
//! `../shared/osv` (skipped loudly when absent).
//!
//! Versions here are chosen so that plain string order and each ecosystem's real order agree,
//! so the assertions hold whichever comparator is behind `deps::version::compare`.

use hygiene::deps::osv::cvss::{Qualitative, SeveritySource};
use hygiene::deps::osv::db::{self, EcosystemDb};
use hygiene::deps::osv::{self, AdvisorySource, CheckError, DbError, VulnMatch};
use hygiene::deps::{Ecosystem, Package};
use std::path::{Path, PathBuf};

mod common;
use common::zip_dir;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/osv");
const SHARED_OSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/osv");

fn pkg(eco: Ecosystem, name: &str, version: &str, path: &str, line: usize) -> Package {
    Package {
        ecosystem: eco,
        name: name.into(),
        version: version.into(),
        path: path.into(),
        line,
        direct: Some(true),
        dev: Some(false),
    }
}

fn crate_pkg(name: &str, version: &str) -> Package {
    pkg(Ecosystem::CratesIo, name, version, "Cargo.lock", 1)
}

/// Zips every file of `src` into `zip`.
/// A database directory built from `fixtures/osv/<Ecosystem>/`.
fn fixture_db() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for eco in ["crates.io", "PyPI"] {
        zip_dir(
            &Path::new(FIXTURES).join(eco),
            &dir.path().join(eco).join("all.zip"),
        );
    }
    dir
}

fn find<'a>(matches: &'a [VulnMatch], name: &str, version: &str) -> Vec<&'a VulnMatch> {
    matches
        .iter()
        .filter(|m| m.package.name == name && m.package.version == version)
        .collect()
}

fn ids(matches: &[&VulnMatch]) -> Vec<String> {
    matches.iter().map(|m| m.advisory_id.clone()).collect()
}

#[test]
fn fixture_database_end_to_end() {
    let dir = fixture_db();
    let packages = vec![
        crate_pkg("fixture-alpha", "1.2.3"),
        crate_pkg("fixture-alpha", "2.1.0"),
        crate_pkg("fixture-alpha", "2.1.1"),
        crate_pkg("fixture-alpha", "1.3.1"),
        crate_pkg("fixture-beta", "0.6.0"),
        crate_pkg("fixture-beta", "0.7.0"),
        crate_pkg("fixture-gamma", "1.4.0"),
        crate_pkg("fixture-delta", "0.1.0"),
        crate_pkg("not-in-db", "1.0.0"),
        pkg(
            Ecosystem::PyPI,
            "Fixture.Zeta",
            "0.9.0",
            "requirements.txt",
            3,
        ),
        pkg(
            Ecosystem::PyPI,
            "fixture-zeta",
            "2.2.3",
            "requirements.txt",
            4,
        ),
        pkg(
            Ecosystem::PyPI,
            "fixture-zeta",
            "2.2.4",
            "requirements.txt",
            5,
        ),
    ];
    let outcome = osv::check(
        &packages,
        &AdvisorySource::Offline {
            db_dir: dir.path().to_path_buf(),
        },
    );
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    let m = &outcome.matches;

    // Three records of one vulnerability, merged; plus a separate last_affected advisory.
    let alpha = find(m, "fixture-alpha", "1.2.3");
    assert_eq!(ids(&alpha), ["RUSTSEC-2099-0001", "RUSTSEC-2099-0002"]);
    let g = alpha[0];
    assert_eq!(g.aliases, ["CVE-2099-0001", "GHSA-2099-aaaa-bbbb"]);
    assert_eq!(g.record_ids, ["GHSA-2099-aaaa-bbbb", "RUSTSEC-2099-0001"]);
    assert_eq!(g.summary.as_deref(), Some("Heap overflow in fixture-alpha"));
    assert_eq!(g.fixed, ["1.2.4"]);
    // Highest CVSS of the group: GHSA's v4.0 vector (9.3) beats RustSec's v3.1 (8.1).
    assert_eq!(g.severity.score, Some(9.3));
    assert_eq!(g.severity.qualitative, Qualitative::Critical);
    assert_eq!(g.severity.source, SeveritySource::Cvss("4.0".into()));
    assert_eq!(g.severity.security_severity_string(), "9.3");
    assert_eq!(
        g.references[0],
        "https://rustsec.org/advisories/RUSTSEC-2099-0001.html"
    );
    assert_eq!(g.package.path, "Cargo.lock");
    assert_eq!(g.package.direct, Some(true));
    let la = alpha[1];
    assert!(la.fixed.is_empty(), "last_affected gives no fix");
    assert_eq!(la.severity.qualitative, Qualitative::Medium);

    // In the second interval all three records match, still one group.
    let alpha2 = find(m, "fixture-alpha", "2.1.0");
    assert_eq!(ids(&alpha2), ["RUSTSEC-2099-0001"]);
    assert_eq!(
        alpha2[0].record_ids,
        ["CVE-2099-0001", "GHSA-2099-aaaa-bbbb", "RUSTSEC-2099-0001"]
    );
    assert_eq!(alpha2[0].fixed, ["2.1.1"]);
    assert!(find(m, "fixture-alpha", "2.1.1").is_empty());
    assert!(find(m, "fixture-alpha", "1.3.1").is_empty());

    // limit, and the withdrawn record is not reported.
    assert_eq!(
        ids(&find(m, "fixture-beta", "0.6.0")),
        ["RUSTSEC-2099-0003"]
    );
    assert!(find(m, "fixture-beta", "0.7.0").is_empty());

    // Two advisories, one rated by label only.
    let gamma = find(m, "fixture-gamma", "1.4.0");
    assert_eq!(ids(&gamma), ["GHSA-2099-cccc-dddd", "RUSTSEC-2099-0003"]);
    assert_eq!(gamma[0].severity.qualitative, Qualitative::Medium);
    assert_eq!(
        gamma[0].severity.source,
        SeveritySource::Label("MODERATE".into())
    );
    assert_eq!(gamma[0].fixed, ["1.5.0"]);
    assert_eq!(gamma[1].severity.score, Some(7.8));
    assert_eq!(gamma[1].fixed, ["3.0.0"]);

    // Informational.
    let delta = find(m, "fixture-delta", "0.1.0");
    assert_eq!(delta[0].informational.as_deref(), Some("unmaintained"));
    assert_eq!(delta[0].severity.qualitative, Qualitative::Low);

    // PyPI: PEP 503 names, the versions list (0.9.0 is only listed), ranges.
    let zeta = find(m, "Fixture.Zeta", "0.9.0");
    assert_eq!(ids(&zeta), ["PYSEC-2099-1"]);
    assert_eq!(zeta[0].aliases, ["CVE-2099-1000", "GHSA-2099-eeee-ffff"]);
    assert_eq!(zeta[0].fixed, ["2.2.4"]);
    assert_eq!(zeta[0].summary, None);
    assert!(zeta[0].details.as_deref().unwrap().contains("Invented"));
    assert_eq!(ids(&find(m, "fixture-zeta", "2.2.3")), ["PYSEC-2099-1"]);
    assert!(find(m, "fixture-zeta", "2.2.4").is_empty());

    assert_eq!(m.len(), 9, "{m:#?}");
}

#[test]
fn one_match_per_lockfile_location_and_sorted_output() {
    let dir = fixture_db();
    let a = pkg(
        Ecosystem::CratesIo,
        "fixture-gamma",
        "1.4.0",
        "b/Cargo.lock",
        7,
    );
    let b = pkg(
        Ecosystem::CratesIo,
        "fixture-gamma",
        "1.4.0",
        "a/Cargo.lock",
        9,
    );
    let outcome = osv::check(
        &[a.clone(), b.clone(), a.clone()],
        &AdvisorySource::Offline {
            db_dir: dir.path().to_path_buf(),
        },
    );
    let got: Vec<(&str, &str)> = outcome
        .matches
        .iter()
        .map(|m| (m.package.path.as_str(), m.advisory_id.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("a/Cargo.lock", "GHSA-2099-cccc-dddd"),
            ("a/Cargo.lock", "RUSTSEC-2099-0003"),
            ("b/Cargo.lock", "GHSA-2099-cccc-dddd"),
            ("b/Cargo.lock", "RUSTSEC-2099-0003"),
        ]
    );
}

#[test]
fn index_is_written_reused_and_rebuilt_when_the_zip_changes() {
    let dir = fixture_db();
    let zip = db::zip_path(dir.path(), Ecosystem::CratesIo);
    let index = PathBuf::from(format!("{}.index", zip.display()));
    assert!(!index.exists());

    let first = EcosystemDb::open(dir.path(), Ecosystem::CratesIo).unwrap();
    assert_eq!(first.index_path(), Some(index.as_path()));
    assert!(index.is_file());
    assert_eq!(first.record_count(), 8);
    assert_eq!(first.skipped_count(), 1, "broken.json is skipped");
    assert_eq!(first.package_count(), 4);
    let before = std::fs::metadata(&index).unwrap().modified().unwrap();

    // Reopening reads the same index without rebuilding it.
    let second = EcosystemDb::open(dir.path(), Ecosystem::CratesIo).unwrap();
    assert_eq!(second.record_count(), 8);
    assert_eq!(
        std::fs::metadata(&index).unwrap().modified().unwrap(),
        before
    );
    assert_eq!(second.records_for("fixture-alpha").unwrap().len(), 4);
    assert!(second.records_for("nope").unwrap().is_empty());

    // A different zip (a new download) makes the index stale: it is rebuilt.
    let smaller = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(FIXTURES).join("crates.io/RUSTSEC-2099-0005.json"),
        smaller.path().join("RUSTSEC-2099-0005.json"),
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    zip_dir(smaller.path(), &zip);
    let third = EcosystemDb::open(dir.path(), Ecosystem::CratesIo).unwrap();
    assert_eq!(third.record_count(), 1);
    assert!(third.records_for("fixture-alpha").unwrap().is_empty());

    // A cut-off index (blobs past its end) is not trusted: rebuilt.
    let bytes = std::fs::read(&index).unwrap();
    std::fs::write(&index, &bytes[..bytes.len() - 10]).unwrap();
    let cut = EcosystemDb::open(dir.path(), Ecosystem::CratesIo).unwrap();
    assert_eq!(cut.records_for("fixture-delta").unwrap().len(), 1);
    assert_eq!(std::fs::read(&index).unwrap().len(), bytes.len());

    // A garbage index file is ignored and replaced.
    std::fs::write(&index, b"not an index").unwrap();
    let fourth = EcosystemDb::open(dir.path(), Ecosystem::CratesIo).unwrap();
    assert_eq!(fourth.record_count(), 1);
}

#[test]
fn explicit_index_dir_keeps_the_database_dir_untouched() {
    let dir = fixture_db();
    let index_dir = tempfile::tempdir().unwrap();
    let zip = db::zip_path(dir.path(), Ecosystem::PyPI);
    let db = EcosystemDb::open_zip(&zip, Ecosystem::PyPI, Some(index_dir.path())).unwrap();
    assert!(db.index_path().unwrap().starts_with(index_dir.path()));
    assert!(!PathBuf::from(format!("{}.index", zip.display())).exists());
    // Any spelling of the name finds the records.
    assert_eq!(db.records_for("FIXTURE_zeta").unwrap().len(), 1);
}

#[test]
fn missing_database_is_an_error_that_says_what_to_do() {
    let dir = fixture_db();
    let outcome = osv::check(
        &[
            pkg(Ecosystem::Npm, "left-pad", "1.0.0", "package-lock.json", 2),
            crate_pkg("fixture-delta", "0.1.0"),
        ],
        &AdvisorySource::Offline {
            db_dir: dir.path().to_path_buf(),
        },
    );
    // What could be checked still is.
    assert_eq!(outcome.matches.len(), 1);
    assert_eq!(outcome.errors.len(), 1);
    let e = &outcome.errors[0];
    assert!(
        matches!(
            e,
            CheckError::Offline(DbError::Missing {
                ecosystem: Ecosystem::Npm,
                ..
            })
        ),
        "{e:?}"
    );
    let msg = e.to_string();
    assert!(msg.contains("hygiene db update"), "{msg}");
    assert!(msg.contains("npm"), "{msg}");
}

#[test]
fn corrupt_zip_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let zip = db::zip_path(dir.path(), Ecosystem::CratesIo);
    std::fs::create_dir_all(zip.parent().unwrap()).unwrap();
    std::fs::write(&zip, b"PK\x03\x04 this is not really a zip").unwrap();
    let outcome = osv::check(
        &[crate_pkg("anything", "1.0.0")],
        &AdvisorySource::Offline {
            db_dir: dir.path().to_path_buf(),
        },
    );
    assert!(outcome.matches.is_empty());
    let msg = outcome.errors[0].to_string();
    assert!(
        matches!(
            outcome.errors[0],
            CheckError::Offline(DbError::Corrupt { .. })
        ),
        "{msg}"
    );
    assert!(msg.contains("hygiene db update"), "{msg}");
}

#[test]
fn default_db_dir_honours_the_environment() {
    // Only reads the variable; other tests do not depend on it.
    let dir = db::default_db_dir();
    if std::env::var_os(db::DB_DIR_ENV).is_none() {
        assert!(dir.ends_with("hygiene/osv"), "{}", dir.display());
    }
}

// ------------------------------------------------------------------------------------
// Real OSV exports in ../shared/osv
// ------------------------------------------------------------------------------------

fn shared_db(eco: Ecosystem, index_dir: &Path) -> Option<EcosystemDb> {
    let zip = db::zip_path(Path::new(SHARED_OSV), eco);
    if !zip.is_file() {
        common::missing_shared(&format!(
            "{} not found; real-advisory checks for {eco} did not run",
            zip.display()
        ));
        return None;
    }
    Some(EcosystemDb::open_zip(&zip, eco, Some(index_dir)).expect("shared db opens"))
}

fn check_real(db: &EcosystemDb, eco: Ecosystem, name: &str, version: &str) -> Vec<VulnMatch> {
    let outcome = osv::check_with(&[pkg(eco, name, version, "lock", 1)], &[db]);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    outcome.matches
}

fn has(matches: &[VulnMatch], id: &str) -> bool {
    matches
        .iter()
        .any(|m| m.advisory_id == id || m.aliases.iter().any(|a| a == id))
}

#[test]
fn real_crates_io_advisories() {
    let index_dir = tempfile::tempdir().unwrap();
    let Some(db) = shared_db(Ecosystem::CratesIo, index_dir.path()) else {
        return;
    };
    assert!(db.record_count() > 1000, "{}", db.record_count());
    assert_eq!(db.skipped_count(), 0);
    let eco = Ecosystem::CratesIo;

    // RUSTSEC-2021-0093 crossbeam-deque: [0, 0.7.4) and [0.8.0, 0.8.1).
    let m = check_real(&db, eco, "crossbeam-deque", "0.7.3");
    assert!(has(&m, "RUSTSEC-2021-0093"));
    let hit = m
        .iter()
        .find(|m| m.advisory_id == "RUSTSEC-2021-0093")
        .unwrap();
    assert_eq!(hit.fixed, ["0.7.4"]);
    assert!(hit.aliases.contains(&"CVE-2021-32810".to_string()));
    assert!(hit.aliases.contains(&"GHSA-pqqp-xmhj-wgcw".to_string()));
    assert!(hit.severity.score.is_some());
    assert!(!has(
        &check_real(&db, eco, "crossbeam-deque", "0.7.4"),
        "RUSTSEC-2021-0093"
    ));
    let m = check_real(&db, eco, "crossbeam-deque", "0.8.0");
    let hit = m
        .iter()
        .find(|m| m.advisory_id == "RUSTSEC-2021-0093")
        .unwrap();
    assert_eq!(hit.fixed, ["0.8.1"]);
    assert!(!has(
        &check_real(&db, eco, "crossbeam-deque", "0.8.1"),
        "RUSTSEC-2021-0093"
    ));

    // RUSTSEC-2022-0091 tauri: [1.0.0, 1.0.7) and [1.1.0, 1.1.2).
    assert!(!has(
        &check_real(&db, eco, "tauri", "0.9.0"),
        "RUSTSEC-2022-0091"
    ));
    assert!(has(
        &check_real(&db, eco, "tauri", "1.0.0"),
        "RUSTSEC-2022-0091"
    ));
    assert!(has(
        &check_real(&db, eco, "tauri", "1.0.6"),
        "RUSTSEC-2022-0091"
    ));
    assert!(!has(
        &check_real(&db, eco, "tauri", "1.0.7"),
        "RUSTSEC-2022-0091"
    ));
    assert!(has(
        &check_real(&db, eco, "tauri", "1.1.1"),
        "RUSTSEC-2022-0091"
    ));
    assert!(!has(
        &check_real(&db, eco, "tauri", "1.1.2"),
        "RUSTSEC-2022-0091"
    ));

    // RUSTSEC-2022-0076 and RUSTSEC-2022-0102 are the same vulnerability (both alias
    // CVE-2022-39392 / GHSA-44mr-8vmm-wjhg): one group, reported once.
    let m = check_real(&db, eco, "wasmtime", "1.0.1");
    let groups: Vec<&VulnMatch> = m
        .iter()
        .filter(|m| m.aliases.iter().any(|a| a == "CVE-2022-39392"))
        .collect();
    assert_eq!(groups.len(), 1, "{m:#?}");
    assert_eq!(groups[0].advisory_id, "RUSTSEC-2022-0076");
    assert!(groups[0].aliases.contains(&"RUSTSEC-2022-0102".to_string()));
    assert_eq!(
        groups[0].record_ids,
        ["RUSTSEC-2022-0076", "RUSTSEC-2022-0102"]
    );
    assert_eq!(groups[0].fixed, ["1.0.2"]);
    assert!(!has(
        &check_real(&db, eco, "wasmtime", "2.0.2"),
        "RUSTSEC-2022-0076"
    ));

    // Informational: RUSTSEC-2016-0006 cassandra is unmaintained.
    let m = check_real(&db, eco, "cassandra", "0.8.1");
    let hit = m
        .iter()
        .find(|m| m.advisory_id == "RUSTSEC-2016-0006")
        .unwrap();
    assert_eq!(hit.informational.as_deref(), Some("unmaintained"));
    assert_eq!(hit.severity.qualitative, Qualitative::Low);
}

#[test]
fn real_crates_io_withdrawn_records_are_never_reported() {
    let index_dir = tempfile::tempdir().unwrap();
    let Some(db) = shared_db(Ecosystem::CratesIo, index_dir.path()) else {
        return;
    };
    let zip = db::zip_path(Path::new(SHARED_OSV), Ecosystem::CratesIo);
    let (records, _) = db::read_zip(&zip).unwrap();
    let withdrawn: Vec<_> = records.iter().filter(|r| r.withdrawn.is_some()).collect();
    assert!(!withdrawn.is_empty());
    for r in withdrawn {
        for a in &r.affected {
            // Every version the record's own ranges name is not reported for it.
            for range in &a.ranges {
                for e in &range.events {
                    if let Some(v) = e.introduced.as_deref().filter(|v| *v != "0") {
                        let m = check_real(&db, Ecosystem::CratesIo, &a.package.name, v);
                        assert!(
                            m.iter().all(|m| !m.record_ids.contains(&r.id)),
                            "{} reported",
                            r.id
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn real_go_advisories() {
    let index_dir = tempfile::tempdir().unwrap();
    let Some(db) = shared_db(Ecosystem::Go, index_dir.path()) else {
        return;
    };
    // GO-2022-0969 (net/http HTTP/2 DoS): stdlib before 1.18.6. Lockfiles write `v`.
    let m = check_real(&db, Ecosystem::Go, "stdlib", "v1.18.5");
    let hit = m.iter().find(|m| m.advisory_id == "GO-2022-0969").unwrap();
    assert!(hit.aliases.contains(&"CVE-2022-27664".to_string()));
    assert!(hit.fixed.contains(&"1.18.6".to_string()));
    // Go's own records carry no severity: the documented default.
    assert_eq!(hit.severity.source, SeveritySource::Unknown);
    assert!(!has(
        &check_real(&db, Ecosystem::Go, "stdlib", "v1.18.6"),
        "GO-2022-0969"
    ));
}

#[test]
fn real_pypi_advisories() {
    let index_dir = tempfile::tempdir().unwrap();
    let Some(db) = shared_db(Ecosystem::PyPI, index_dir.path()) else {
        return;
    };
    // PYSEC-2012-6 trytond: before 2.2.4, with an explicit versions list.
    for (v, affected) in [
        ("1.0.0", true),
        ("2.2.3", true),
        ("2.2.4", false),
        ("3.0.0", false),
    ] {
        let m = check_real(&db, Ecosystem::PyPI, "Trytond", v);
        assert_eq!(has(&m, "PYSEC-2012-6"), affected, "trytond {v}");
        if affected {
            let hit = m.iter().find(|m| m.advisory_id == "PYSEC-2012-6").unwrap();
            assert_eq!(hit.fixed, ["2.2.4"]);
            assert!(hit.aliases.contains(&"CVE-2012-0215".to_string()));
        }
    }
}
