//! End-to-end: what an advisory is decides the finding's kind. Informational advisories
//! (unmaintained, unsound, notice) are low `hygiene` findings tagged with their practice
//! class; malicious-package (`MAL-`) records are critical vulnerabilities; withdrawn records
//! never report. The advisories are written here, zipped into an offline database the way
//! `tests/deps.rs` does.

mod common;
use common::{hygiene, write};
use serde_json::Value;
use std::path::Path;

/// An unmaintained crate, no fix.
const UNMAINTAINED: &str = r#"{
  "id": "RUSTSEC-2099-0101",
  "modified": "2099-01-02T00:00:00Z",
  "summary": "kinds-old is no longer maintained",
  "affected": [{
    "package": {"ecosystem": "crates.io", "name": "kinds-old"},
    "database_specific": {"informational": "unmaintained"},
    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.0.0-0"}]}]
  }]
}"#;

/// An unsound API, fixed in 2.0.0. Its CVSS vector says high; informational wins: low.
const UNSOUND: &str = r#"{
  "id": "RUSTSEC-2099-0102",
  "modified": "2099-01-02T00:00:00Z",
  "summary": "kinds-cell hands out aliasing mutable references",
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
  "affected": [{
    "package": {"ecosystem": "crates.io", "name": "kinds-cell"},
    "database_specific": {"informational": "unsound"},
    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]
  }]
}"#;

/// A malicious release, no severity at all (as OSV's MAL- records usually are).
const MALICIOUS: &str = r#"{
  "id": "MAL-2099-7",
  "modified": "2099-01-02T00:00:00Z",
  "summary": "Malicious code in kinds-typo (crates.io)",
  "affected": [{
    "package": {"ecosystem": "crates.io", "name": "kinds-typo"},
    "versions": ["0.1.0"]
  }]
}"#;

/// Withdrawn: a critical vulnerability that turned out not to be one.
const WITHDRAWN: &str = r#"{
  "id": "RUSTSEC-2099-0103",
  "modified": "2099-01-02T00:00:00Z",
  "withdrawn": "2099-01-03T00:00:00Z",
  "summary": "kinds-gone: remote code execution (withdrawn)",
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
  "affected": [{
    "package": {"ecosystem": "crates.io", "name": "kinds-gone"},
    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]
  }]
}"#;

/// A plain vulnerability, medium (CVSS 5.3).
const VULNERABLE: &str = r#"{
  "id": "RUSTSEC-2099-0104",
  "modified": "2099-01-02T00:00:00Z",
  "summary": "kinds-parse reads past the end of its buffer",
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"}],
  "affected": [{
    "package": {"ecosystem": "crates.io", "name": "kinds-parse"},
    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.0.1"}]}]
  }]
}"#;

/// `<tmp>/crates.io/all.zip` holding the records above.
fn db() -> tempfile::TempDir {
    let records = tempfile::tempdir().unwrap();
    for (id, text) in [
        ("RUSTSEC-2099-0101", UNMAINTAINED),
        ("RUSTSEC-2099-0102", UNSOUND),
        ("MAL-2099-7", MALICIOUS),
        ("RUSTSEC-2099-0103", WITHDRAWN),
        ("RUSTSEC-2099-0104", VULNERABLE),
    ] {
        write(records.path(), &format!("{id}.json"), text);
    }
    let dir = tempfile::tempdir().unwrap();
    common::zip_dir(
        records.path(),
        &dir.path().join("crates.io").join("all.zip"),
    );
    dir
}

/// A Cargo.lock (v3) with the root crate `app` depending on each of `packages`.
fn lockfile(packages: &[(&str, &str)]) -> String {
    let mut s = String::from(
        "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n",
    );
    for (name, _) in packages {
        s.push_str(&format!(" \"{name}\",\n"));
    }
    s.push_str("]\n");
    for (name, version) in packages {
        s.push_str(&format!(
            "\n[[package]]\nname = \"{name}\"\nversion = \"{version}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        ));
    }
    s
}

fn project(packages: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Cargo.lock", lockfile(packages));
    dir
}

fn scan(dir: &Path, db: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec![
        "scan",
        ".",
        "--offline",
        "--db-dir",
        db.to_str().unwrap(),
        "--no-secrets",
    ];
    args.extend_from_slice(extra);
    hygiene(dir, &args)
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().unwrap()
}

fn by_rule<'a>(report: &'a Value, id: &str) -> Option<&'a Value> {
    findings(report).iter().find(|f| f["rule_id"] == id)
}

const ALL: &[(&str, &str)] = &[
    ("kinds-cell", "1.4.0"),
    ("kinds-gone", "3.0.0"),
    ("kinds-old", "0.3.1"),
    ("kinds-parse", "1.0.0"),
    ("kinds-typo", "0.1.0"),
];

#[test]
fn each_advisory_class_gets_its_kind_and_severity() {
    let db = db();
    let dir = project(ALL);
    let run = scan(dir.path(), db.path(), &["--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();

    let old = by_rule(&report, "RUSTSEC-2099-0101").expect("unmaintained reported");
    assert_eq!(old["kind"], "hygiene", "{old:#}");
    assert_eq!(old["severity"], "low");
    assert_eq!(old["advisory"]["id"], "RUSTSEC-2099-0101");
    assert_eq!(old["package"]["name"], "kinds-old");
    let msg = old["message"].as_str().unwrap();
    assert!(
        msg.contains("`kinds-old` 0.3.1 (crates.io) is unmaintained (RUSTSEC-2099-0101)"),
        "{msg}"
    );
    assert!(!msg.contains("vulnerab"), "{msg}");

    let cell = by_rule(&report, "RUSTSEC-2099-0102").expect("unsound reported");
    assert_eq!(cell["kind"], "hygiene");
    assert_eq!(
        cell["severity"], "low",
        "CVSS does not lift an informational advisory"
    );
    assert!(cell["message"].as_str().unwrap().contains("is unsound"));
    assert!(cell["message"]
        .as_str()
        .unwrap()
        .contains("Upgrade `kinds-cell` to 2.0.0"));
    // The advisory's own score is still shown for what it is.
    assert_eq!(cell["advisory"]["score"], 7.5);

    let typo = by_rule(&report, "MAL-2099-7").expect("malicious reported");
    assert_eq!(typo["kind"], "vulnerability");
    assert_eq!(typo["severity"], "critical");
    assert!(typo["message"]
        .as_str()
        .unwrap()
        .contains("is a malicious package (MAL-2099-7)"));

    let parse = by_rule(&report, "RUSTSEC-2099-0104").expect("vulnerability reported");
    assert_eq!(parse["kind"], "vulnerability");
    assert_eq!(parse["severity"], "medium");

    // Withdrawn: nothing about kinds-gone, under any id.
    assert!(
        findings(&report)
            .iter()
            .all(|f| f["package"]["name"] != "kinds-gone"),
        "{report:#}"
    );
    assert_eq!(findings(&report).len(), 4, "{report:#}");
}

#[test]
fn informational_findings_do_not_fail_a_medium_gate() {
    let db = db();
    // Only informational advisories (and a withdrawn one).
    let dir = project(&[
        ("kinds-cell", "1.4.0"),
        ("kinds-gone", "3.0.0"),
        ("kinds-old", "0.3.1"),
    ]);
    let run = scan(
        dir.path(),
        db.path(),
        &["--format", "json", "--fail-on", "medium"],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(findings(&report).len(), 2, "{report:#}");
    assert!(findings(&report).iter().all(|f| f["kind"] == "hygiene"));
    // The default gate (low) still fails on them.
    let run = scan(dir.path(), db.path(), &["--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn withdrawn_advisory_alone_reports_nothing() {
    let db = db();
    let dir = project(&[("kinds-gone", "0.0.1"), ("kinds-gone", "3.0.0")]);
    let run = scan(dir.path(), db.path(), &["--format", "json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert!(findings(&report).is_empty(), "{report:#}");
    assert_eq!(report["stats"]["packages"], 2, "{report:#}");
}

#[test]
fn disabling_the_unmaintained_class_keeps_vulnerabilities() {
    let db = db();
    let dir = project(ALL);
    write(
        dir.path(),
        ".hygiene.toml",
        "[secrets]\ndisable = [\"dependency-unmaintained\"]\n",
    );
    let report = scan(dir.path(), db.path(), &["--format", "json"]).json();
    assert!(
        by_rule(&report, "RUSTSEC-2099-0101").is_none(),
        "{report:#}"
    );
    // Other classes and vulnerabilities stay.
    assert!(
        by_rule(&report, "RUSTSEC-2099-0102").is_some(),
        "{report:#}"
    );
    assert!(
        by_rule(&report, "RUSTSEC-2099-0104").is_some(),
        "{report:#}"
    );
    assert!(by_rule(&report, "MAL-2099-7").is_some(), "{report:#}");
}

#[test]
fn ignores_cover_both_kinds() {
    let db = db();
    let dir = project(ALL);
    write(
        dir.path(),
        ".hygiene.toml",
        "[[deps.ignore]]\nid = \"RUSTSEC-2099-0101\"\nreason = \"replacing it next sprint\"\n\n\
         [[deps.ignore]]\nid = \"RUSTSEC-2099-0104\"\nreason = \"input is trusted\"\n",
    );
    let run = scan(dir.path(), db.path(), &["--format", "json"]);
    let report = run.json();
    assert!(
        by_rule(&report, "RUSTSEC-2099-0101").is_none(),
        "{report:#}"
    );
    assert!(
        by_rule(&report, "RUSTSEC-2099-0104").is_none(),
        "{report:#}"
    );
    assert!(
        by_rule(&report, "RUSTSEC-2099-0102").is_some(),
        "{report:#}"
    );
    assert!(
        !run.stderr.contains("matched nothing"),
        "both ignores were used: {}",
        run.stderr
    );
}

#[test]
fn sarif_and_text_show_the_kinds() {
    let db = db();
    let dir = project(ALL);
    let run = scan(dir.path(), db.path(), &["--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
    let driver = &sarif["runs"][0]["tool"]["driver"];
    let rule = |id: &str| -> &Value {
        driver["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no rule {id}"))
    };
    let result = |id: &str| -> &Value {
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == id)
            .unwrap_or_else(|| panic!("no result {id}"))
    };

    let old_rule = rule("RUSTSEC-2099-0101");
    let old_tags = old_rule["properties"]["tags"].as_array().unwrap();
    assert!(old_tags.iter().any(|t| t == "dependency-unmaintained"));
    assert!(!old_tags.iter().any(|t| t == "vulnerability"));
    assert_eq!(old_rule["properties"]["security-severity"], "3.0");
    assert_eq!(old_rule["defaultConfiguration"]["level"], "note");
    let old = result("RUSTSEC-2099-0101");
    assert_eq!(old["level"], "note");
    assert_eq!(old["properties"]["kind"], "hygiene");
    assert_eq!(old["properties"]["tags"][0], "hygiene");

    let cell_tags = rule("RUSTSEC-2099-0102")["properties"]["tags"].clone();
    assert!(
        cell_tags
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "dependency-unsound"),
        "{cell_tags}"
    );
    assert_eq!(result("RUSTSEC-2099-0102")["level"], "note");

    let typo_rule = rule("MAL-2099-7");
    let typo_tags = typo_rule["properties"]["tags"].as_array().unwrap();
    assert!(typo_tags.iter().any(|t| t == "vulnerability"));
    assert!(typo_tags.iter().any(|t| t == "malicious"));
    assert_eq!(typo_rule["properties"]["security-severity"], "9.5");
    assert_eq!(typo_rule["defaultConfiguration"]["level"], "error");
    let typo = result("MAL-2099-7");
    assert_eq!(typo["level"], "error");
    assert_eq!(typo["properties"]["kind"], "vulnerability");
    assert_eq!(typo["properties"]["tags"][0], "vulnerability");

    let run = scan(dir.path(), db.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = &run.stdout;
    assert!(
        text.contains("is unmaintained (RUSTSEC-2099-0101)"),
        "{text}"
    );
    assert!(
        text.contains("is a malicious package (MAL-2099-7)"),
        "{text}"
    );
    assert!(!text.contains("kinds-gone"), "{text}");
}
