//! A stale offline advisory database: a warning in every format past `[deps] max_db_age`
//! (default 7 days), an incomplete scan (exit 3) past an explicit `--max-db-age`.

mod common;
use common::{hygiene, write};
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/osv");
const DAY: u64 = 86_400;

const CARGO_LOCK: &str = r#"version = 3

[[package]]
name = "fixture-alpha"
version = "1.2.3"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;

/// `<tmp>/crates.io/all.zip` from `fixtures/osv/crates.io`, last modified `days_old` ago.
fn db(days_old: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let zip = dir.path().join("crates.io").join("all.zip");
    common::zip_dir(&Path::new(FIXTURES).join("crates.io"), &zip);
    let file = std::fs::File::options()
        .write(true)
        .open(&zip)
        .expect("open zip");
    file.set_modified(SystemTime::now() - Duration::from_secs(days_old * DAY))
        .expect("set mtime");
    dir
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "Cargo.lock", CARGO_LOCK);
    dir
}

fn scan(dir: &Path, db: &Path, extra: &[&str]) -> common::Run {
    let db = db.to_str().expect("utf-8 temp path");
    let mut args = vec!["scan", ".", "--no-secrets", "--offline", "--db-dir", db];
    args.extend_from_slice(extra);
    hygiene(dir, &args)
}

fn stale(report: &Value) -> Vec<&Value> {
    report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter(|e| e["kind"] == "stale-database")
        .collect()
}

#[test]
fn an_old_database_warns_in_every_format_and_the_exit_code_stays() {
    let db = db(10);
    let dir = project();
    let run = scan(dir.path(), db.path(), &["--format", "json"]);
    assert_eq!(run.code, 1, "the vulnerable package fails: {}", run.stderr);
    let report = run.json();
    let warnings = stale(&report);
    assert_eq!(warnings.len(), 1, "{report:#}");
    assert_eq!(warnings[0]["level"], "warning");
    let message = warnings[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("10 days ago"), "{message}");
    assert!(message.contains("more than 7 days"), "{message}");
    assert!(message.contains("hygiene db update"), "{message}");
    assert!(message.contains("crates.io"), "{message}");

    let text = scan(dir.path(), db.path(), &[]);
    assert_eq!(text.code, 1);
    assert!(
        text.stdout
            .contains("warning: the offline advisory database for crates.io"),
        "{}",
        text.stdout
    );

    let sarif = scan(dir.path(), db.path(), &["--format", "sarif"]);
    assert_eq!(sarif.code, 1);
    let log: Value = serde_json::from_str(&sarif.stdout).expect("SARIF is JSON");
    let notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    let note = notes
        .iter()
        .find(|n| n["properties"]["kind"] == "stale-database")
        .expect("a stale-database notification");
    assert_eq!(note["level"], "warning");
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn a_fresh_database_or_a_generous_limit_is_quiet() {
    let dir = project();
    let fresh = db(1);
    let report = scan(dir.path(), fresh.path(), &["--format", "json"]).json();
    assert!(stale(&report).is_empty(), "{report:#}");

    let old = db(10);
    let run = scan(
        dir.path(),
        old.path(),
        &["--format", "json", "--max-db-age", "30d"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(stale(&run.json()).is_empty());
}

#[test]
fn an_explicit_limit_makes_an_old_database_an_incomplete_scan() {
    let db = db(10);
    let dir = project();
    let run = scan(
        dir.path(),
        db.path(),
        &["--format", "json", "--max-db-age", "1d"],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    let report = run.json();
    let errors = stale(&report);
    assert_eq!(errors.len(), 1, "{report:#}");
    assert_eq!(errors[0]["level"], "error");
    let message = errors[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("--max-db-age"), "{message}");
    assert!(message.contains("incomplete"), "{message}");
    assert!(message.contains("hygiene db update"), "{message}");
    // The findings are still reported.
    assert!(report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .any(|f| f["kind"] == "vulnerability"));

    // Hours and weeks are ages too.
    assert_eq!(
        scan(dir.path(), db.path(), &["--max-db-age", "36h"]).code,
        3
    );
    assert_eq!(scan(dir.path(), db.path(), &["--max-db-age", "2w"]).code, 1);
}

#[test]
fn the_configuration_sets_the_warning_limit() {
    let db = db(10);
    let dir = project();
    write(
        dir.path(),
        ".hygiene.toml",
        "[deps]\nmax_db_age = \"30d\"\n",
    );
    let report = scan(dir.path(), db.path(), &["--format", "json"]).json();
    assert!(stale(&report).is_empty(), "{report:#}");

    // A configured limit only warns; the command line's flag wins and enforces.
    write(dir.path(), ".hygiene.toml", "[deps]\nmax_db_age = \"2d\"\n");
    let run = scan(dir.path(), db.path(), &["--format", "json"]);
    assert_eq!(run.code, 1);
    let report = run.json();
    let warnings = stale(&report);
    assert_eq!(warnings.len(), 1, "{report:#}");
    assert!(warnings[0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("more than 2 days"));
    let run = scan(dir.path(), db.path(), &["--max-db-age", "30d"]);
    assert_eq!(run.code, 1, "{}", run.stdout);

    write(
        dir.path(),
        ".hygiene.toml",
        "[deps]\nmax_db_age = \"soon\"\n",
    );
    let run = scan(dir.path(), db.path(), &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("max_db_age"), "{}", run.stderr);
}

#[test]
fn an_update_that_found_the_export_unchanged_counts_as_fresh() {
    let db = db(10);
    let dir = project();
    // What `hygiene db update` writes when the server answers 304 Not Modified.
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    write(
        db.path(),
        "crates.io/all.zip.meta.json",
        format!(r#"{{"url": "https://example.invalid/crates.io/all.zip", "checked": {now}}}"#),
    );
    let report = scan(dir.path(), db.path(), &["--format", "json"]).json();
    assert!(stale(&report).is_empty(), "{report:#}");
}

#[test]
fn a_bad_age_on_the_command_line_is_a_usage_error() {
    let db = db(1);
    let dir = project();
    let run = scan(dir.path(), db.path(), &["--max-db-age", "7"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("36h, 7d, 2w"), "{}", run.stderr);
    // Only an offline scan has a database to age.
    let run = hygiene(dir.path(), &["scan", ".", "--max-db-age", "7d"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--offline"), "{}", run.stderr);
}
