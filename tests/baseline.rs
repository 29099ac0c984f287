//! `hygiene baseline create` and `scan --baseline`: new, unchanged, stale and rotated secrets.

mod common;
use common::{hygiene, write};

const PW1: &str = "Qx7#vLm2Tz9k";
const PW2: &str = "Rb4!nWq8Xs3p";
const PW3: &str = "Hv9$kTz2Lm6q";

#[test]
fn baseline_reports_only_new_findings_and_lists_stale_entries() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "a.py", format!("DB_PASSWORD = \"{PW1}\"\n"));
    write(root, "b.py", format!("SMTP_PASSWORD = \"{PW2}\"\n"));
    write(root, ".env", "DB_PASSWORD=Pr0dDbPass\n");

    let run = hygiene(root, &["baseline", "create", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(root.join(".hygiene-baseline.json")).unwrap();
    let b: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(b["version"], 2);
    let entries = b["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    for e in entries {
        let keys: Vec<&String> = e.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["rule_id", "path", "fingerprint"], "{e}");
    }
    let paths: Vec<&str> = entries
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, [".env", "a.py", "b.py"], "sorted by path");
    assert!(
        !text.contains("line") && !text.contains("20"),
        "no lines, no timestamps: {text}"
    );
    assert!(!text.contains(PW1), "no secrets in the baseline");

    // Unchanged tree: nothing new, nothing stale.
    let run = hygiene(
        root,
        &[
            "scan",
            ".",
            "--baseline",
            ".hygiene-baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    let r = run.json();
    assert_eq!(r["findings"].as_array().unwrap().len(), 0);
    assert_eq!(r["baseline"]["suppressed"], 3);
    assert_eq!(r["baseline"]["stale"].as_array().unwrap().len(), 0);

    // Code moves around a baselined secret: still known.
    write(
        root,
        "a.py",
        format!("import os\n\n\nDB_PASSWORD = \"{PW1}\"\n"),
    );
    // b.py's secret is rotated on the same line: new. The old entry is stale.
    write(root, "b.py", format!("SMTP_PASSWORD = \"{PW3}\"\n"));
    // A new file with a new secret: new.
    write(root, "c.py", format!("password = \"{PW2}\"\n"));
    let run = hygiene(
        root,
        &[
            "scan",
            ".",
            "--baseline",
            ".hygiene-baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 1);
    let r = run.json();
    let new: Vec<(&str, u64)> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(new, [("b.py", 1), ("c.py", 1)]);
    let stale = r["baseline"]["stale"].as_array().unwrap();
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0]["path"], "b.py");
    assert_eq!(r["baseline"]["suppressed"], 2);
    assert!(r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "baseline-stale" && e["path"] == "b.py"));

    // Text and SARIF show stale entries too.
    let run = hygiene(root, &["scan", ".", "--baseline", ".hygiene-baseline.json"]);
    assert!(run.stdout.contains("1 stale"), "{}", run.stdout);
    let run = hygiene(
        root,
        &[
            "scan",
            ".",
            "--baseline",
            ".hygiene-baseline.json",
            "--format",
            "sarif",
        ],
    );
    assert!(run.stdout.contains("baseline-stale"));

    // Fixing a secret leaves its entry stale, and exits 0 once nothing new remains.
    write(root, "a.py", "DB_PASSWORD = os.environ[\"DB_PASSWORD\"]\n");
    write(root, "b.py", "\n");
    std::fs::remove_file(root.join("c.py")).unwrap();
    let run = hygiene(
        root,
        &[
            "scan",
            ".",
            "--baseline",
            ".hygiene-baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0);
    assert_eq!(run.json()["baseline"]["stale"].as_array().unwrap().len(), 2);
}

#[test]
fn baseline_create_output_flag_and_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "a.py", format!("DB_PASSWORD = \"{PW1}\"\n"));
    let run = hygiene(
        root,
        &["baseline", "create", ".", "--output", "custom.json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(root.join("custom.json").exists());
    assert!(!root.join(".hygiene-baseline.json").exists());
    // Re-creating gives the same bytes: deterministic, merge-friendly.
    let first = std::fs::read(root.join("custom.json")).unwrap();
    hygiene(
        root,
        &["baseline", "create", ".", "--output", "custom.json"],
    );
    assert_eq!(first, std::fs::read(root.join("custom.json")).unwrap());

    let run = hygiene(root, &["scan", ".", "--baseline", "missing.json"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("missing.json"));
    write(root, "bad.json", "{\"version\": 1}");
    let run = hygiene(root, &["scan", ".", "--baseline", "bad.json"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("bad.json"), "{}", run.stderr);
}

/// A version 1 baseline (plain SHA-256 fingerprints of secrets, written before issue 17) keeps
/// working, says it should be migrated, and `baseline migrate` rewrites it with exactly the
/// findings it accepted.
#[test]
fn a_version_1_baseline_is_honoured_and_migrated() {
    use hygiene::fingerprint::legacy_secret_fingerprint;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let cache = tempfile::tempdir().unwrap();
    let cache = cache.path().to_str().unwrap();
    write(root, "a.py", format!("DB_PASSWORD = \"{PW1}\"\n"));
    write(root, "b.py", format!("SMTP_PASSWORD = \"{PW2}\"\n"));
    // As hygiene 0.1 wrote it: a.py accepted, b.py new, and an entry for a secret gone since.
    let v1 = serde_json::json!({
        "version": 1,
        "findings": [
            {"rule_id": "generic-password", "path": "a.py",
             "fingerprint": legacy_secret_fingerprint("generic-password", "a.py", PW1)},
            {"rule_id": "generic-password", "path": "gone.py",
             "fingerprint": legacy_secret_fingerprint("generic-password", "gone.py", PW3)},
        ]
    });
    std::fs::write(root.join("old.json"), format!("{v1:#}\n")).unwrap();

    // Twice with a cache: the second run must not answer from it (a cached finding has no
    // whole secret to compute a version 1 fingerprint from).
    for _ in 0..2 {
        let run = hygiene(
            root,
            &[
                "scan",
                ".",
                "--baseline",
                "old.json",
                "--format",
                "json",
                "--no-deps",
                "--cache-dir",
                cache,
            ],
        );
        assert_eq!(run.code, 1, "{}", run.stderr);
        let r = run.json();
        let found: Vec<&str> = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        assert_eq!(
            found,
            ["b.py"],
            "a.py is accepted by its version 1 fingerprint"
        );
        assert_eq!(r["baseline"]["suppressed"], 1);
        assert_eq!(r["stats"]["cache_hits"], 0);
        let mut kinds: Vec<&str> = r["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        kinds.sort_unstable();
        assert_eq!(
            kinds,
            ["baseline-legacy", "baseline-stale"],
            "{}",
            r["errors"]
        );
    }

    let run = hygiene(
        root,
        &["baseline", "migrate", "--baseline", "old.json", "."],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("dropped entry") && run.stderr.contains("gone.py"),
        "{}",
        run.stderr
    );
    let migrated: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("old.json")).unwrap()).unwrap();
    assert_eq!(migrated["version"], 2);
    let entries = migrated["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{migrated}");
    assert_eq!(entries[0]["path"], "a.py");

    // The new fingerprint is the one scans report, and the warning is gone.
    let run = hygiene(
        root,
        &[
            "scan",
            ".",
            "--format",
            "json",
            "--no-deps",
            "--baseline",
            "old.json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = run.json();
    assert_eq!(r["baseline"]["suppressed"], 1);
    assert_eq!(
        r["errors"].as_array().map(Vec::len),
        Some(0),
        "{}",
        r["errors"]
    );
    // Migrating again has nothing to do.
    let run = hygiene(
        root,
        &["baseline", "migrate", "--baseline", "old.json", "."],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("nothing to migrate"), "{}", run.stderr);

    // A version this hygiene does not know is a usage error, not silently ignored.
    std::fs::write(
        root.join("new.json"),
        "{\"version\": 3, \"findings\": []}\n",
    )
    .unwrap();
    let run = hygiene(root, &["scan", ".", "--baseline", "new.json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("versions 1 and 2"), "{}", run.stderr);
}
