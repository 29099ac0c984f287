//! Checks every version comparator against the relation vectors in `../shared/versions/`
//! (`A < B`, `A = B`, `A > B` a line; `//` and `#` start comments), in both directions.
//!
//! The vectors come from the ecosystems' own tools (PHP's `version_compare`, Maven's
//! `ComparableVersion`, Python's `packaging`, RubyGems, R) via osv-scalibr's test data. Where
//! the directory is absent the test says SKIPPED loudly; each module's unit tests still run.

mod common;

use hygiene::deps::version::compare;
use hygiene::deps::Ecosystem;
use std::cmp::Ordering;
use std::path::{Path, PathBuf};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/versions");

/// Which vector files each ecosystem must agree with.
const SUITES: &[(Ecosystem, &[&str])] = &[
    (Ecosystem::Npm, &["semver-versions.txt"]),
    (Ecosystem::CratesIo, &["semver-versions.txt"]),
    (Ecosystem::Hex, &["semver-versions.txt"]),
    (Ecosystem::SwiftUrl, &["semver-versions.txt"]),
    (Ecosystem::Go, &["semver-versions.txt"]),
    (Ecosystem::ConanCenter, &["semver-versions.txt"]),
    (Ecosystem::Pub, &["pub-versions.txt"]),
    (
        Ecosystem::PyPI,
        &["pypi-versions.txt", "pypi-versions-generated.txt"],
    ),
    (
        Ecosystem::RubyGems,
        &["rubygems-versions.txt", "rubygems-versions-generated.txt"],
    ),
    (
        Ecosystem::Maven,
        &["maven-versions.txt", "maven-versions-generated.txt"],
    ),
    (Ecosystem::NuGet, &["nuget-versions.txt"]),
    (
        Ecosystem::Packagist,
        &["packagist-versions.txt", "packagist-versions-generated.txt"],
    ),
    (
        Ecosystem::Cran,
        &["cran-versions.txt", "cran-versions-generated.txt"],
    ),
];

fn vectors_dir() -> Option<PathBuf> {
    let dir = Path::new(VECTORS);
    if dir.is_dir() {
        Some(dir.to_path_buf())
    } else {
        common::missing_shared(&format!(
            "version vectors not found at {VECTORS}; the comparators are only covered by \
             their unit tests"
        ));
        None
    }
}

fn symbol(o: Ordering) -> &'static str {
    match o {
        Ordering::Less => "<",
        Ordering::Equal => "=",
        Ordering::Greater => ">",
    }
}

/// Checks one file for one ecosystem; returns the number of relation lines checked and
/// appends a description of each failure to `failures`.
fn check_file(eco: Ecosystem, path: &Path, failures: &mut Vec<String>) -> usize {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            failures.push(format!("{eco}: cannot read {}: {e}", path.display()));
            return 0;
        }
    };
    let mut checked = 0;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("//") || line.starts_with('#') {
            continue;
        }
        let at = format!("{eco} {name}:{}: {line}", n + 1);
        let pieces: Vec<&str> = line.split_whitespace().collect();
        let [a, op, b] = pieces[..] else {
            failures.push(format!("{at}: not of the form `A op B`"));
            continue;
        };
        let want = match op {
            "<" => Ordering::Less,
            "=" => Ordering::Equal,
            ">" => Ordering::Greater,
            _ => {
                failures.push(format!("{at}: unknown relation {op:?}"));
                continue;
            }
        };
        checked += 1;
        let forward = compare(eco, a, b);
        let backward = compare(eco, b, a);
        if forward != want {
            failures.push(format!("{at}: got {a} {} {b}", symbol(forward)));
        }
        if backward != want.reverse() {
            failures.push(format!("{at}: got {b} {} {a} (reversed)", symbol(backward)));
        }
    }
    checked
}

#[test]
fn comparators_agree_with_every_vector() {
    let Some(dir) = vectors_dir() else { return };
    let mut failures = Vec::new();
    let mut summary = Vec::new();
    for &(eco, files) in SUITES {
        let mut total = 0;
        for file in files {
            total += check_file(eco, &dir.join(file), &mut failures);
        }
        assert!(total > 0, "{eco}: no relation lines found in {files:?}");
        summary.push(format!("{eco}: {total}"));
    }
    eprintln!("relation lines checked: {}", summary.join(", "));
    assert!(
        failures.is_empty(),
        "{} vector failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
