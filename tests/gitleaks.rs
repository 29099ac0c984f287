//! Migrating from gitleaks: a `.gitleaks.toml` (found at the root, or named with
//! `--gitleaks-config`) keeps a team's custom rules and allowlists working, and what hygiene
//! cannot honour is an error that names the key.

mod common;
use common::{git, hygiene, write};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// An invented token of the team's own format (matched by their custom rule).
const ACME: &str = "acme_9f3kq2lmpw8vrt7xz5nb4hc6yd1ej0ga";
/// An invented AWS key id in the real format (never issued by AWS).
const AWS: &str = "AKIAQ3EGRX7M2TW5KJ4N";
/// An invented password assigned in code (found by the generic rules).
const PASSWORD_LINE: &str = "db_password = \"Xk9#mQ2vLp7!wZ\"\n";

/// (rule id, path) of every finding.
fn found(report: &Value) -> BTreeSet<(String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or_default().to_string(),
                f["path"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn scan(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["scan", ".", "--no-deps", "--format", "json"];
    args.extend_from_slice(extra);
    let run = hygiene(dir, &args);
    assert!(run.code <= 1, "exit {}: {}", run.code, run.stderr);
    run.json()
}

fn pair(rule: &str, path: &str) -> (String, String) {
    (rule.to_string(), path.to_string())
}

const CUSTOM_RULE: &str = r#"
[[rules]]
id = "acme-internal-token"
description = "ACME internal service token"
regex = '''\b(acme_[a-z0-9]{32})\b'''
keywords = ["acme_"]
tags = ["internal"]
"#;

fn tree(dir: &Path) {
    write(dir, "src/client.py", format!("TOKEN = \"{ACME}\"\n"));
    write(dir, "src/aws.py", format!("key_id = \"{AWS}\"\n"));
    write(dir, "src/db.py", PASSWORD_LINE);
}

#[test]
fn without_use_default_only_the_files_rules_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    tree(dir.path());
    write(
        dir.path(),
        ".gitleaks.toml",
        format!("title = \"acme\"\n{CUSTOM_RULE}"),
    );
    let report = scan(dir.path(), &[]);
    assert_eq!(
        found(&report),
        BTreeSet::from([pair("acme-internal-token", "src/client.py")]),
        "as in gitleaks, a configuration without [extend] useDefault replaces the defaults"
    );
}

#[test]
fn use_default_keeps_the_builtin_rules_and_disabled_rules_turn_them_off() {
    let dir = tempfile::tempdir().expect("tempdir");
    tree(dir.path());
    write(
        dir.path(),
        ".gitleaks.toml",
        format!("[extend]\nuseDefault = true\n{CUSTOM_RULE}"),
    );
    let all = found(&scan(dir.path(), &[]));
    assert!(
        all.contains(&pair("acme-internal-token", "src/client.py")),
        "{all:?}"
    );
    assert!(
        all.contains(&pair("aws-access-key-id", "src/aws.py")),
        "{all:?}"
    );
    assert!(all.iter().any(|(_, p)| p == "src/db.py"), "{all:?}");

    // gitleaks' own ids reach hygiene's rules for the same detection; an id with no
    // equivalent is a warning, not a failure.
    write(
        dir.path(),
        ".gitleaks.toml",
        format!(
            "[extend]\nuseDefault = true\ndisabledRules = [\"aws-access-token\", \"generic-api-key\", \"no-such-rule\"]\n{CUSTOM_RULE}"
        ),
    );
    let report = scan(dir.path(), &[]);
    assert_eq!(
        found(&report),
        BTreeSet::from([pair("acme-internal-token", "src/client.py")])
    );
    let warnings: Vec<&str> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter(|e| e["kind"] == "config")
        .filter_map(|e| e["message"].as_str())
        .collect();
    assert!(
        warnings.len() == 1 && warnings[0].contains("no-such-rule"),
        "{warnings:?}"
    );
}

#[test]
fn global_and_per_rule_allowlists_apply() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "src/a.py", format!("TOKEN = \"{ACME}\"\n"));
    write(d, "vendor/lib.py", format!("TOKEN = \"{ACME}\"\n"));
    write(
        d,
        "src/sample.py",
        "TOKEN = \"acme_0000example000000000000000000000\"\n",
    );
    write(
        d,
        "src/doc.py",
        format!("TOKEN = \"{ACME}\"  # docs sample\n"),
    );
    write(d, "legacy/keys.py", format!("key_id = \"{AWS}\"\n"));
    write(d, "src/keys.py", format!("key_id = \"{AWS}\"\n"));
    write(d, "test/both.py", format!("TOKEN = \"{ACME}\" # fake\n"));
    write(d, "test/one.py", format!("TOKEN = \"{ACME}\"\n"));
    write(
        d,
        ".gitleaks.toml",
        format!(
            r#"[extend]
useDefault = true
{CUSTOM_RULE}
[[rules.allowlists]]
description = "samples"
regexes = ['''example''']

[[rules.allowlists]]
description = "documentation lines"
regexTarget = "line"
regexes = ['''# docs sample''']

[[rules.allowlists]]
description = "only fakes under test/"
condition = "AND"
paths = ['''^test/''']
regexTarget = "line"
regexes = ['''# fake''']

# An override of a default rule (no regex): its allowlist joins hygiene's rule.
[[rules]]
id = "aws-access-token"
[[rules.allowlists]]
paths = ['''^legacy/''']

[[allowlists]]
description = "vendored code"
paths = ['''^vendor/''']
"#
        ),
    );
    let got = found(&scan(d, &[]));
    assert_eq!(
        got,
        BTreeSet::from([
            pair("acme-internal-token", "src/a.py"),
            pair("acme-internal-token", "test/one.py"),
            pair("aws-access-key-id", "src/keys.py"),
        ])
    );
}

#[test]
fn target_rules_and_secret_group() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "a.cfg", "acme.token: id=7 secret=Zq8Lm2Xv9Rt4Kp7W\n");
    write(d, "b.cfg", "acme.token: id=7 secret=Zq8Lm2Xv9Rt4DUMMY\n");
    write(
        d,
        "gl.toml",
        r#"
[[rules]]
id = "Acme_Token"
regex = '''acme\.token: (id=\d+) secret=([A-Za-z0-9]{16,})'''
secretGroup = 2
keywords = ["acme.token"]

[[allowlists]]
targetRules = ["Acme_Token"]
stopwords = ["dummy"]
"#,
    );
    let report = scan(d, &["--gitleaks-config", "gl.toml"]);
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["rule_id"], "acme-token");
    assert_eq!(findings[0]["path"], "a.cfg");
    // Group 2 is the secret: it starts after `secret=` (column 25, 1-based).
    assert_eq!(findings[0]["column"], 25, "{:?}", findings[0]);
}

#[test]
fn commit_allowlists_apply_to_history() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    write(d, "old.py", format!("TOKEN = \"{ACME}\"\n"));
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "old"]);
    let old = git(d, &["rev-parse", "HEAD"]).trim().to_string();
    write(
        d,
        "new.py",
        "TOKEN = \"acme_1111q2lmpw8vrt7xz5nb4hc6yd1ej0ga\"\n",
    );
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "new"]);
    let config = format!("{CUSTOM_RULE}\n[[allowlists]]\ncommits = [\"{old}\"]\n");
    write(d, "gl.toml", &config);
    let report = scan(d, &["--history", "--gitleaks-config", "gl.toml"]);
    assert_eq!(
        found(&report),
        BTreeSet::from([pair("acme-internal-token", "new.py")]),
        "the secret introduced by the allowlisted commit is not reported"
    );
}

#[test]
fn a_hygiene_configuration_takes_precedence_over_the_found_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    tree(dir.path());
    write(dir.path(), ".gitleaks.toml", CUSTOM_RULE);
    write(
        dir.path(),
        ".hygiene.toml",
        "[allow]\npaths = [\"src/db.py\"]\n",
    );
    let got = found(&scan(dir.path(), &[]));
    assert!(
        got.contains(&pair("aws-access-key-id", "src/aws.py")),
        "{got:?}"
    );
    assert!(
        !got.iter().any(|(r, _)| r == "acme-internal-token"),
        "with a .hygiene.toml, .gitleaks.toml is only read when named: {got:?}"
    );
    // Named explicitly, it applies too.
    let got = found(&scan(dir.path(), &["--gitleaks-config", ".gitleaks.toml"]));
    assert!(
        got.contains(&pair("acme-internal-token", "src/client.py")),
        "{got:?}"
    );
}

#[test]
fn unsupported_keys_are_errors_naming_the_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    tree(dir.path());
    let cases = [
        (
            "[[rules]]\nid = \"x\"\nregex = '''a(b)'''\nkeywords = [\"a\"]\nseverity = \"high\"\n",
            "severity",
        ),
        (
            "[extend]\nurl = \"https://example.com/gitleaks.toml\"\n",
            "extend.url",
        ),
        (
            "[[rules]]\nid = \"x\"\nregex = '''a(b)'''\n[[rules.required]]\nid = \"y\"\n",
            "rules.required",
        ),
        (
            "[[rules]]\nid = \"x\"\nregex = '''a(b)'''\nskipReport = true\n",
            "skipReport",
        ),
        (
            "[[allowlists]]\nregexTarget = \"file\"\nregexes = ['''x''']\n",
            "regexTarget",
        ),
        (
            "[[allowlists]]\ncondition = \"XOR\"\npaths = ['''x''']\n",
            "condition",
        ),
        (
            "[[rules]]\nid = \"x\"\nregex = '''a(b'''\n",
            "invalid regex",
        ),
        ("[whitelist]\nfiles = [\"x\"]\n", "whitelist"),
    ];
    for (text, key) in cases {
        write(dir.path(), "gl.toml", text);
        let run = hygiene(
            dir.path(),
            &["scan", ".", "--no-deps", "--gitleaks-config", "gl.toml"],
        );
        assert_eq!(run.code, 2, "{text}: {}", run.stderr);
        assert!(
            run.stderr.contains(key) && run.stderr.contains("gl.toml"),
            "{text}: the error should name `{key}` and the file: {}",
            run.stderr
        );
    }
}
