//! Offline-check benchmark: a 1,000-package, Cargo.lock-like package list against the real
//! crates.io export, cold (index built) and warm (index loaded from disk), loading included.
//!
//! Ignored by `cargo test`; run it with `bench/osv_offline.sh` (release build). The database
//! directory defaults to `../shared/osv`; `HYGIENE_BENCH_DB_DIR` overrides it. Target: warm
//! < 200 ms.

mod common;

use hygiene::deps::osv::db::{self, EcosystemDb};
use hygiene::deps::osv::{self, AdvisorySource};
use hygiene::deps::{Ecosystem, Package};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn db_dir() -> PathBuf {
    std::env::var_os("HYGIENE_BENCH_DB_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/osv")))
}

/// 1,000 packages: every crate named in the export (with versions spread over 0.x–3.x), then
/// invented names, the way a real lockfile is mostly crates without advisories.
fn packages(dir: &std::path::Path) -> Vec<Package> {
    let (records, _) = db::read_zip(&db::zip_path(dir, Ecosystem::CratesIo)).unwrap();
    let mut names: Vec<String> = records
        .iter()
        .flat_map(|r| r.affected.iter().map(|a| a.package.name.clone()))
        .collect();
    names.sort();
    names.dedup();
    names.truncate(600);
    let mut i = 0usize;
    while names.len() < 1000 {
        names.push(format!("synthetic-crate-{i}"));
        i += 1;
    }
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    names
        .into_iter()
        .enumerate()
        .map(|(line, name)| Package {
            ecosystem: Ecosystem::CratesIo,
            name,
            version: format!("{}.{}.{}", next() % 4, next() % 30, next() % 20),
            path: "Cargo.lock".into(),
            line: line * 7 + 1,
            direct: Some(line % 10 == 0),
            dev: Some(false),
        })
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[test]
#[ignore = "benchmark: run bench/osv_offline.sh"]
fn offline_check_1000_crates() {
    let dir = db_dir();
    let zip = db::zip_path(&dir, Ecosystem::CratesIo);
    if !zip.is_file() {
        common::missing_shared(&format!("{} not found", zip.display()));
        return;
    }
    let pkgs = packages(&dir);
    let index_dir = tempfile::tempdir().unwrap();

    // Cold: no index yet; it is built (zip read and parsed) and written.
    let t = Instant::now();
    let db = EcosystemDb::open_zip(&zip, Ecosystem::CratesIo, Some(index_dir.path())).unwrap();
    let cold_open = t.elapsed();
    let outcome = osv::check_with(&pkgs, &[&db]);
    let cold = t.elapsed();
    assert!(outcome.errors.is_empty());
    let found = outcome.matches.len();
    drop(db);

    // Warm: open the index from disk and check, ten times.
    let mut warm = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let db = EcosystemDb::open_zip(&zip, Ecosystem::CratesIo, Some(index_dir.path())).unwrap();
        let outcome = osv::check_with(&pkgs, &[&db]);
        warm.push(t.elapsed());
        assert_eq!(outcome.matches.len(), found);
    }
    warm.sort();

    // The public entry point, as the scan calls it (index in its default place).
    let source = AdvisorySource::Offline {
        db_dir: dir.clone(),
    };
    let _ = osv::check(&pkgs, &source);
    let mut public = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let outcome = osv::check(&pkgs, &source);
        public.push(t.elapsed());
        assert_eq!(outcome.matches.len(), found);
    }
    public.sort();

    println!(
        "osv offline check, {} packages, {} matches, db {}",
        pkgs.len(),
        found,
        zip.display()
    );
    println!(
        "cold (build index + check): {:.1} ms (index build {:.1} ms)",
        ms(cold),
        ms(cold_open)
    );
    println!(
        "warm (load index + check):  min {:.1} ms, median {:.1} ms, max {:.1} ms",
        ms(warm[0]),
        ms(warm[5]),
        ms(warm[9])
    );
    println!(
        "warm via osv::check:        min {:.1} ms, median {:.1} ms",
        ms(public[0]),
        ms(public[5])
    );
    assert!(warm[5] < Duration::from_millis(200), "warm check too slow");

    // Index build and load of the other exports at hand.
    for eco in [Ecosystem::Go, Ecosystem::PyPI] {
        let zip = db::zip_path(&dir, eco);
        if !zip.is_file() {
            continue;
        }
        let index_dir = tempfile::tempdir().unwrap();
        let t = Instant::now();
        let db = EcosystemDb::open_zip(&zip, eco, Some(index_dir.path())).unwrap();
        let cold = t.elapsed();
        let t = Instant::now();
        let db2 = EcosystemDb::open_zip(&zip, eco, Some(index_dir.path())).unwrap();
        let warm = t.elapsed();
        println!(
            "{eco}: {} records, {} packages: index build {:.1} ms, index load {:.1} ms",
            db.record_count(),
            db2.package_count(),
            ms(cold),
            ms(warm)
        );
    }
}
