//! `docs/report.schema.json` describes the JSON report: a report with every kind of finding,
//! problems and a baseline follows it, and the schema is strict enough to reject a report
//! that does not (every other end-to-end test validates its reports too, via `Run::json`).

mod common;
use common::{assert_report_schema, git, hygiene, write};

#[test]
fn a_report_with_every_part_follows_the_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "app/settings.py",
        "AWS_ACCESS_KEY_ID = 'AKIAQ3EGRX7M2TW5KJ4N'\n",
    );
    write(root, "requirements.txt", "requests>=2\n");
    write(root, "bad/package-lock.json", "{ not json");
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "init"]);
    // A baseline that accepts nothing current, so its summary has a stale entry.
    write(
        root,
        "base.json",
        r#"{"version":1,"findings":[{"rule_id":"aws-access-key-id","path":"gone.py","fingerprint":"00000000000000000000000000000000"}]}"#,
    );
    let db = tempfile::tempdir().expect("db");
    let run = hygiene(
        root,
        &[
            "scan",
            ".",
            "--format",
            "json",
            "--offline",
            "--db-dir",
            &db.path().to_string_lossy(),
            "--baseline",
            "base.json",
        ],
    );
    let report = run.json();
    let kinds: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"secret") && kinds.contains(&"hygiene"),
        "{report:#}"
    );
    assert!(
        !report["errors"].as_array().expect("errors").is_empty(),
        "{report:#}"
    );
    assert!(report["baseline"].is_object(), "{}", run.stderr);
    // A history scan: findings carry commit, author and date.
    let history = hygiene(root, &["scan", ".", "--history", "--format", "json"]).json();
    assert!(history["findings"][0]["commit"].is_string(), "{history:#}");
}

#[test]
fn the_schema_rejects_what_a_report_never_holds() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.py", "KEY = 'AKIAQ3EGRX7M2TW5KJ4N'\n");
    let report = hygiene(dir.path(), &["scan", ".", "--no-deps", "--format", "json"]).json();
    for (pointer, bad) in [
        ("/findings/0/severity", serde_json::json!("urgent")),
        ("/findings/0/line", serde_json::json!(0)),
        ("/version", serde_json::json!(2)),
    ] {
        let mut broken = report.clone();
        *broken.pointer_mut(pointer).expect("field") = bad;
        let result = std::panic::catch_unwind(|| assert_report_schema(&broken));
        assert!(result.is_err(), "{pointer} was not checked");
    }
    let mut extra = report.clone();
    extra["findings"][0]["surprise"] = serde_json::json!(true);
    assert!(std::panic::catch_unwind(|| assert_report_schema(&extra)).is_err());
}
