//! `secret-file-permissions`: a working-tree file with a secret that its group or others can
//! read is a finding that says `chmod 600`; private files, files without secrets, git scans
//! and a disabled rule give none.
#![cfg(unix)]

mod common;
use common::{git, hygiene, write};
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const RULE: &str = "secret-file-permissions";
const AWS_KEY: &str = "AKIAQ3EGRX7M2TW5KJ4N";

fn chmod(root: &Path, rel: &str, mode: u32) {
    std::fs::set_permissions(root.join(rel), std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn scan_json(root: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["scan", ".", "--no-deps", "--format", "json"];
    args.extend_from_slice(extra);
    let run = hygiene(root, &args);
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}: {}",
        run.code,
        run.stderr
    );
    run.json()
}

/// The permission findings of a report: (path, message).
fn permission_findings(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule_id"] == RULE)
        .map(|f| {
            assert_eq!(f["kind"], "hygiene", "{f}");
            assert_eq!(f["severity"], "medium", "{f}");
            (
                f["path"].as_str().unwrap_or_default().to_string(),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// A `.env` with a password, a source file with a key, and a file without a secret.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), ".env", "DB_PASSWORD=Pr0dDbPass\n");
    write(dir.path(), "src/config.py", format!("KEY = '{AWS_KEY}'\n"));
    write(dir.path(), "README.md", "nothing to see\n");
    dir
}

#[test]
fn a_readable_secret_file_is_reported_with_the_chmod_that_fixes_it() {
    let dir = tree();
    let root = dir.path();
    chmod(root, ".env", 0o644);
    chmod(root, "src/config.py", 0o600);
    chmod(root, "README.md", 0o644);
    let found = permission_findings(&scan_json(root, &[]));
    assert_eq!(found.len(), 1, "{found:?}");
    let (path, message) = &found[0];
    assert_eq!(path, ".env");
    assert!(message.contains("0644"), "{message}");
    assert!(message.contains("chmod 600 .env"), "{message}");
    assert!(
        message.contains("its group and every other user"),
        "{message}"
    );
}

#[test]
fn private_files_and_files_without_secrets_are_not_reported() {
    let dir = tree();
    let root = dir.path();
    chmod(root, ".env", 0o600);
    chmod(root, "src/config.py", 0o600);
    chmod(root, "README.md", 0o644);
    let report = scan_json(root, &[]);
    assert!(permission_findings(&report).is_empty(), "{report}");
    // The secrets themselves are still reported.
    let secrets = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["kind"] == "secret")
        .count();
    assert!(secrets >= 2, "{report}");
}

#[test]
fn a_group_readable_source_file_with_a_token_is_reported() {
    let dir = tree();
    let root = dir.path();
    chmod(root, ".env", 0o600);
    chmod(root, "src/config.py", 0o640);
    let found = permission_findings(&scan_json(root, &[]));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "src/config.py");
    assert!(found[0].1.contains("0640"), "{}", found[0].1);
    assert!(found[0].1.contains("lets its group read"), "{}", found[0].1);
}

#[test]
fn a_key_file_reported_by_name_is_checked_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    // A binary keystore: no content rule reads it, the sensitive-file rule names it.
    write(root, "deploy/release.p12", [0u8, 1, 2, 3, 0xff, 0xfe]);
    chmod(root, "deploy/release.p12", 0o604);
    let report = scan_json(root, &[]);
    let found = permission_findings(&report);
    assert_eq!(found.len(), 1, "{report}");
    assert_eq!(found[0].0, "deploy/release.p12");
    assert!(found[0].1.contains("every other user"), "{}", found[0].1);
}

#[test]
fn git_scans_never_report_file_modes() {
    let dir = tree();
    let root = dir.path();
    chmod(root, ".env", 0o644);
    chmod(root, "src/config.py", 0o644);
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "secrets"]);
    let report = scan_json(root, &["--history"]);
    assert!(
        report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["kind"] == "secret"),
        "{report}"
    );
    assert!(permission_findings(&report).is_empty(), "{report}");
}

#[test]
fn in_a_repository_only_untracked_files_are_checked() {
    let dir = tree();
    let root = dir.path();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "secrets"]);
    // A local file with a secret, never added.
    write(
        root,
        "deploy/.env.local",
        "API_TOKEN=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\n",
    );
    for rel in [".env", "src/config.py", "deploy/.env.local"] {
        chmod(root, rel, 0o644);
    }
    let report = scan_json(root, &[]);
    let found = permission_findings(&report);
    assert_eq!(found.len(), 1, "{report}");
    assert_eq!(found[0].0, "deploy/.env.local");
    // The tracked ones are still reported for their secrets.
    let secret_paths: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["kind"] == "secret")
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(secret_paths.contains(&"src/config.py"), "{report}");
    // Scanning a subdirectory of the repository maps paths to the index correctly.
    let sub = hygiene(
        &root.join("src"),
        &["scan", ".", "--no-deps", "--format", "json"],
    );
    assert!(
        permission_findings(&sub.json()).is_empty(),
        "{}",
        sub.stdout
    );
    let deploy = hygiene(
        &root.join("deploy"),
        &["scan", ".", "--no-deps", "--format", "json"],
    );
    let found = permission_findings(&deploy.json());
    assert_eq!(found.len(), 1, "{}", deploy.stdout);
    assert_eq!(found[0].0, ".env.local");
}

#[test]
fn the_rule_can_be_disabled() {
    let dir = tree();
    let root = dir.path();
    chmod(root, ".env", 0o644);
    chmod(root, "src/config.py", 0o644);
    assert_eq!(permission_findings(&scan_json(root, &[])).len(), 2);
    write(
        root,
        ".hygiene.toml",
        format!("[secrets]\ndisable = [\"{RULE}\"]\n"),
    );
    assert!(permission_findings(&scan_json(root, &[])).is_empty());
}

#[test]
fn text_and_sarif_show_the_finding() {
    let dir = tree();
    let root = dir.path();
    chmod(root, ".env", 0o644);
    chmod(root, "src/config.py", 0o600);
    let text = hygiene(root, &["scan", ".", "--no-deps"]);
    assert_eq!(text.code, 1, "{}", text.stderr);
    assert!(text.stdout.contains(RULE), "{}", text.stdout);
    assert!(text.stdout.contains("chmod 600 .env"), "{}", text.stdout);
    // A finding about the whole file is located at the file, not at a made-up 1:1.
    let line = text
        .stdout
        .lines()
        .find(|l| l.contains(RULE))
        .unwrap_or_default();
    assert!(line.starts_with(".env "), "{line}");

    let sarif = hygiene(root, &["scan", ".", "--no-deps", "--format", "sarif"]);
    let log: Value = serde_json::from_str(&sarif.stdout).expect("SARIF is JSON");
    let run = &log["runs"][0];
    let rule = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["id"] == RULE)
        .expect("the rule is described");
    assert!(
        rule["help"]["markdown"]
            .as_str()
            .unwrap_or_default()
            .contains("chmod 600"),
        "{rule}"
    );
    let result = run["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == RULE)
        .expect("a result");
    assert!(
        result["message"]["text"]
            .as_str()
            .unwrap_or_default()
            .contains("0644"),
        "{result}"
    );
}
