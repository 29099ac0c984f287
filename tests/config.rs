//! `.hygiene.toml` and `--config`: disable and add rules, allow paths, regexes, stopwords;
//! errors that name the file and the key.

mod common;
use common::{hygiene, write};
use std::path::Path;

const PW: &str = "Qx7#vLm2Tz9k";
const TOKEN: &str = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "app/settings.py", format!("DB_PASSWORD = \"{PW}\"\n"));
    write(
        root,
        "fixtures/data/seed.py",
        format!("password = \"{PW}\"\n"),
    );
    write(
        root,
        "lib/client.js",
        format!("const apiKey = \"{TOKEN}\";\n"),
    );
    write(root, "deploy/id_rsa", "key\n");
    dir
}

fn rule_paths(root: &Path, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["scan", ".", "--format", "json"];
    all.extend_from_slice(args);
    let run = hygiene(root, &all);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let mut v: Vec<(String, String)> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = v
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    v.sort();
    v
}

#[test]
fn without_config_everything_is_reported() {
    let dir = tree();
    assert_eq!(
        rule_paths(dir.path(), &[]),
        pairs(&[
            ("generic-password", "app/settings.py"),
            ("generic-password", "fixtures/data/seed.py"),
            ("generic-secret", "lib/client.js"),
            ("sensitive-file-ssh-private-key", "deploy/id_rsa"),
        ])
    );
}

#[test]
fn allow_paths_regexes_stopwords_and_disable() {
    let dir = tree();
    write(
        dir.path(),
        ".hygiene.toml",
        "[secrets]\ndisable = [\"sensitive-file-ssh-private-key\"]\n\n\
         [allow]\npaths = [\"fixtures\"]\nregexes = ['''^9f8e7d''']\nstopwords = []\n",
    );
    assert_eq!(
        rule_paths(dir.path(), &[]),
        pairs(&[("generic-password", "app/settings.py")])
    );
    write(
        dir.path(),
        ".hygiene.toml",
        "[allow]\nstopwords = [\"LM2tz\"]\n[secrets]\ndisable = [\"generic-secret\"]\n",
    );
    assert_eq!(
        rule_paths(dir.path(), &[]),
        pairs(&[("sensitive-file-ssh-private-key", "deploy/id_rsa")])
    );
}

#[test]
fn inline_rules_are_added_and_config_flag_wins() {
    let dir = tree();
    write(
        dir.path(),
        "ops/notes.txt",
        "acme_live_0123456789abcdefXYZ\n",
    );
    write(
        dir.path(),
        "elsewhere/custom.toml",
        r#"
[allow]
paths = ["app/**", "lib/*.js", "fixtures/**", "deploy/**", "elsewhere"]

[[secrets.rules]]
id = "acme-live-token"
name = "Acme live token"
description = "An Acme live API token."
regex = '''\b(acme_live_[0-9A-Za-z]{19})\b'''
keywords = ["acme_live_"]
severity = "critical"
confidence = "high"
examples = ["acme_live_0123456789abcdefXYZ"]
negative_examples = ["acme_live_short"]
"#,
    );
    // The root's .hygiene.toml (none here) is ignored when --config is given.
    assert_eq!(
        rule_paths(dir.path(), &["--config", "elsewhere/custom.toml"]),
        pairs(&[("acme-live-token", "ops/notes.txt")])
    );
}

#[test]
fn deps_section_is_accepted() {
    let dir = tree();
    write(
        dir.path(),
        ".hygiene.toml",
        "[[deps.ignore]]\nid = \"GHSA-aaaa-bbbb-cccc\"\nreason = \"not reachable\"\nignore_until = \"2030-01-01\"\n",
    );
    assert_eq!(rule_paths(dir.path(), &[]).len(), 4);
}

#[test]
fn config_errors_name_the_file_and_key_and_exit_2() {
    let dir = tree();
    for (text, needle) in [
        ("[allow]\npath = [\"x\"]\n", "path"),
        ("[secrets]\ndisabled = [\"x\"]\n", "disabled"),
        ("[secrets]\ndisable = [\"no-such-rule\"]\n", "no-such-rule"),
        ("[allow]\nregexes = [\"(\"]\n", "allow.regexes[0]"),
        ("colour = 1\n", "colour"),
        (
            "[[secrets.rules]]\nid = \"x\"\nname = \"x\"\ndescription = \"x\"\nregex = \"nogroup\"\nkeywords = [\"n\"]\nseverity = \"low\"\nconfidence = \"low\"\nexamples = [\"nogroup\"]\n",
            "no capture group",
        ),
    ] {
        write(dir.path(), ".hygiene.toml", text);
        let run = hygiene(dir.path(), &["scan", "."]);
        assert_eq!(run.code, 2, "{text}: {}", run.stderr);
        assert!(run.stderr.contains(".hygiene.toml"), "{}", run.stderr);
        assert!(run.stderr.contains(needle), "{needle}: {}", run.stderr);
    }
    let run = hygiene(dir.path(), &["scan", ".", "--config", "missing.toml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("missing.toml"));
}

#[test]
fn this_repository_scans_clean() {
    // The README's first command: our own patterns, fixtures and tests hold invented secrets
    // by design, and the root .hygiene.toml allows exactly those paths.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Dependencies are checked offline against the real RustSec advisories in
    // ../shared/osv/crates.io/all.zip (the `--db-dir` layout): no test reaches the network,
    // and "clean" includes our own Cargo.lock having no known vulnerability.
    let Some(db) = common::shared("osv") else {
        return;
    };
    let run = hygiene(
        root,
        &[
            "scan",
            ".",
            "--format",
            "json",
            "--offline",
            "--db-dir",
            db.to_str().unwrap(),
        ],
    );
    let report = run.json();
    let findings: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}:{} {}", f["path"], f["line"], f["rule_id"]))
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");
    assert!(
        report["stats"]["packages"].as_u64().unwrap_or(0) > 100,
        "Cargo.lock was checked: {}",
        report["stats"]
    );
    // Clean means nothing skipped or unreadable either, and the exit code a CI gate reads.
    // The one warning allowed is about the test data, not the repository: the shared
    // database snapshot growing older than `max_db_age` (7 days).
    let errors: Vec<String> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter(|e| !(e["level"] == "warning" && e["kind"] == "stale-database"))
        .map(|e| format!("{} {} {}", e["level"], e["kind"], e["message"]))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A configuration or rule file with a mistake is reported at its line and column, without
/// echoing the line: it may hold a secret.
#[test]
fn config_errors_never_echo_the_offending_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let token = "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";
    for (file, text) in [
        (
            ".hygiene.toml",
            format!("[allow]\nstopwords = [\"{token}\"\n"),
        ),
        (
            ".hygiene.toml",
            format!("[secrets]\ndisable = \"{token}\"\n"),
        ),
    ] {
        write(dir.path(), file, &text);
        let run = common::hygiene(dir.path(), &["scan", ".", "--no-deps"]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("line "), "{}", run.stderr);
        assert!(
            !run.stderr.contains(token) && !run.stdout.contains(token),
            "{}",
            run.stderr
        );
    }
    std::fs::remove_file(dir.path().join(".hygiene.toml")).expect("rm");
    let rules = dir.path().join("rules");
    write(
        &rules,
        "bad.toml",
        format!("[[rules]]\nid = \"x\"\nregex = '''{token}\n"),
    );
    let run = common::hygiene(dir.path(), &["scan", ".", "--no-deps", "--rules", "rules"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains(token), "{}", run.stderr);
}
