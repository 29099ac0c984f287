//! The pinning practice checks end to end: unpinned requirement lines, manifests without a
//! lockfile, git-ignored lockfiles; reported as `hygiene` findings in every format, and
//! switched off one by one in `.hygiene.toml`.

mod common;

use common::{git, hygiene, write};
use serde_json::Value;
use std::path::Path;

/// `hygiene scan . --offline` against an empty advisory database (nothing reaches the network;
/// the packages are listed, not matched) with `extra` flags.
fn scan(dir: &Path, extra: &[&str]) -> common::Run {
    let db = tempfile::tempdir().unwrap();
    let mut args = vec![
        "scan",
        ".",
        "--no-secrets",
        "--offline",
        "--db-dir",
        db.path().to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    hygiene(dir, &args)
}

fn json(dir: &Path) -> Value {
    scan(dir, &["--format", "json"]).json()
}

/// (rule id, path, line) of every hygiene finding.
fn hygiene_findings(report: &Value) -> Vec<(String, String, u64)> {
    let mut out: Vec<_> = report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .filter(|f| f["kind"] == "hygiene")
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or_default().to_string(),
                f["path"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

fn finding(rule: &str, path: &str, line: u64) -> (String, String, u64) {
    (rule.to_string(), path.to_string(), line)
}

const REQUIREMENTS: &str = "\
# pinned, or not a requirement: none reported
requests==2.31.0
celery[redis] == 5.3.0 ; python_version >= \"3.8\"
yolo===1.0
hashed==1.0 \\
    --hash=sha256:0123456789abcdef
-r other-requirements.txt
-c constraints.txt
--index-url https://pypi.org/simple
-e .
git+https://github.com/o/r.git@0123456789abcdef0123456789abcdef01234567#egg=r
https://example.com/pkg-1.0.tar.gz
# unpinned, each form
flask
django>=4.2
numpy~=1.26
six!=1.0
pandas==2.*
ranged>=1.0 --hash=sha256:0123456789abcdef
git+https://github.com/o/branch.git@main#egg=branch
";

#[test]
fn unpinned_requirements_are_reported_at_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "requirements.txt", REQUIREMENTS);
    write(dir.path(), "other-requirements.txt", "attrs==23.1.0\n");
    let report = json(dir.path());
    let expected: Vec<_> = [14, 15, 16, 17, 18, 19, 20]
        .into_iter()
        .map(|l| finding("unpinned-requirement", "requirements.txt", l))
        .collect();
    assert_eq!(hygiene_findings(&report), expected);
    let first = &report["findings"][0];
    assert_eq!(first["severity"], "medium");
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .contains("`flask` does not pin one version"),
        "{first}"
    );
}

#[test]
fn text_and_sarif_show_the_findings() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "requirements.txt", "flask>=2\n");
    let text = scan(dir.path(), &[]);
    assert_eq!(text.code, 1, "{}{}", text.stdout, text.stderr);
    assert!(text.stdout.contains("requirements.txt"), "{}", text.stdout);
    assert!(
        text.stdout.contains("1:1  medium   unpinned-requirement"),
        "{}",
        text.stdout
    );
    let sarif: Value = serde_json::from_str(&scan(dir.path(), &["--format", "sarif"]).stdout)
        .expect("SARIF is JSON");
    let run = &sarif["runs"][0];
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "unpinned-requirement");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let rule = rules
        .iter()
        .find(|r| r["id"] == "unpinned-requirement")
        .expect("the rule is described");
    assert!(rule["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("pip-compile"));
}

const APP: &str = r#"{"name": "app", "private": true, "dependencies": {"left-pad": "^1.3.0"}}"#;
const LIB: &str = r#"{"name": "lib", "version": "1.0.0", "main": "index.js", "dependencies": {"left-pad": "^1.3.0"}}"#;

#[test]
fn package_json_applications_need_a_lockfile_libraries_do_not() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app/package.json", APP);
    write(dir.path(), "lib/package.json", LIB);
    write(dir.path(), "locked/package.json", APP);
    write(
        dir.path(),
        "locked/package-lock.json",
        r#"{"name": "app", "lockfileVersion": 3, "packages": {}}"#,
    );
    let report = json(dir.path());
    assert_eq!(
        hygiene_findings(&report),
        vec![finding("manifest-without-lockfile", "app/package.json", 1)]
    );
    let message = report["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("package-lock.json"), "{message}");
    assert!(message.contains("npm"), "{message}");
}

#[test]
fn cargo_workspace_roots_and_binaries_need_a_lockfile_libraries_do_not() {
    let dir = tempfile::tempdir().unwrap();
    // A workspace without Cargo.lock: the root is reported, its binary member is the root's.
    write(
        dir.path(),
        "ws/Cargo.toml",
        "[workspace]\nmembers = [\"tool\"]\n",
    );
    write(
        dir.path(),
        "ws/tool/Cargo.toml",
        "[package]\nname = \"tool\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\n",
    );
    write(dir.path(), "ws/tool/src/main.rs", "fn main() {}\n");
    // A library crate: no lockfile needed.
    write(
        dir.path(),
        "lib/Cargo.toml",
        "[package]\nname = \"lib\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\n",
    );
    write(dir.path(), "lib/src/lib.rs", "pub fn f() {}\n");
    // A binary crate on its own: reported.
    write(
        dir.path(),
        "bin/Cargo.toml",
        "[package]\nname = \"bin\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\n",
    );
    write(dir.path(), "bin/src/main.rs", "fn main() {}\n");
    let report = json(dir.path());
    assert_eq!(
        hygiene_findings(&report),
        vec![
            finding("manifest-without-lockfile", "bin/Cargo.toml", 1),
            finding("manifest-without-lockfile", "ws/Cargo.toml", 1),
        ]
    );
}

#[test]
fn go_mod_with_requirements_needs_go_sum() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "svc/go.mod",
        "module example.com/svc\n\ngo 1.22\n\nrequire golang.org/x/text v0.14.0\n",
    );
    write(
        dir.path(),
        "bare/go.mod",
        "module example.com/bare\n\ngo 1.22\n",
    );
    write(
        dir.path(),
        "summed/go.mod",
        "module example.com/summed\n\nrequire golang.org/x/text v0.14.0\n",
    );
    write(
        dir.path(),
        "summed/go.sum",
        "golang.org/x/text v0.14.0 h1:abc=\n",
    );
    assert_eq!(
        hygiene_findings(&json(dir.path())),
        vec![finding("manifest-without-lockfile", "svc/go.mod", 1)]
    );
}

#[test]
fn a_git_ignored_lockfile_is_reported_at_its_ignore_pattern() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    write(
        dir.path(),
        ".gitignore",
        "node_modules/\npackage-lock.json\n",
    );
    write(dir.path(), "package.json", APP);
    write(
        dir.path(),
        "package-lock.json",
        r#"{"name": "app", "lockfileVersion": 3, "packages": {}}"#,
    );
    let report = json(dir.path());
    assert_eq!(
        hygiene_findings(&report),
        vec![finding("lockfile-gitignored", ".gitignore", 2)]
    );
    let message = report["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("package-lock.json"), "{message}");
    // Un-ignored (a later negation wins), the lockfile is seen and all is well.
    write(
        dir.path(),
        ".gitignore",
        "node_modules/\npackage-lock.json\n!package-lock.json\n",
    );
    assert_eq!(hygiene_findings(&json(dir.path())), vec![]);
}

#[test]
fn each_rule_is_switched_off_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "requirements.txt", "flask\n");
    write(dir.path(), "package.json", APP);
    write(
        dir.path(),
        ".hygiene.toml",
        "[secrets]\ndisable = [\"unpinned-requirement\"]\n",
    );
    assert_eq!(
        hygiene_findings(&json(dir.path())),
        vec![finding("manifest-without-lockfile", "package.json", 1)]
    );
}

#[test]
fn no_deps_turns_the_checks_off() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "requirements.txt", "flask\n");
    write(dir.path(), "package.json", APP);
    let run = hygiene(dir.path(), &["scan", ".", "--no-deps", "--format", "json"]);
    assert_eq!(hygiene_findings(&run.json()), vec![]);
}
