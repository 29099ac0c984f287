//! End-to-end tests of `hygiene scan` on trees built in temp dirs.

mod common;
use common::{hygiene, positions, write};
use std::path::Path;

/// Invented AWS key ids in the real format (never issued by AWS).
const KEY_A: &str = "AKIAQ3EGRX7M2TW5KJ4N";
const KEY_B: &str = "AKIAZ7WQ4ML2XB6TRP3D";
const KEY_C: &str = "ASIAY34FZKBOKMUTVV7A";
const KEY_D: &str = "AKIAR5TY7UE2WQ4XNM6B";

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "src/config.py",
        format!("# settings\nAWS_KEY = \"{KEY_A}\"\n"),
    );
    write(root, ".env", format!("AWS_ACCESS_KEY_ID={KEY_B}\n"));
    write(root, "docs/ünicode.md", format!("ünïcödé {KEY_C}\n"));
    write(root, ".gitignore", "ignored.txt\nbuild/\n");
    write(root, "ignored.txt", format!("{KEY_D}\n"));
    write(root, "build/out.txt", format!("{KEY_D}\n"));
    write(root, ".git/config", format!("[remote]\n url = {KEY_D}\n"));
    let mut binary = b"\x00\x01\x02".to_vec();
    binary.extend_from_slice(KEY_D.as_bytes());
    write(root, "image.bin", binary);
    dir
}

#[test]
fn finds_secrets_with_exact_positions_and_honours_gitignore() {
    let dir = tree();
    let run = hygiene(dir.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    let found = positions(&report);
    // A committed `.env` reports the credentials it holds (no path-only finding besides).
    let want: Vec<(String, String, u64, u64)> = vec![
        (".env".into(), 1, 19),
        ("docs/ünicode.md".into(), 1, 9),
        ("src/config.py".into(), 2, 12),
    ]
    .into_iter()
    .map(|(p, l, c): (String, u64, u64)| ("aws-access-key-id".to_string(), p, l, c))
    .collect();
    assert_eq!(found, want);
    assert_eq!(report["stats"]["skipped_binary"], 1);
    assert_eq!(report["stats"]["files_scanned"], 4, "{report:#}");
    assert_eq!(report["version"], 1);
    let f = &report["findings"][0];
    for field in [
        "kind",
        "rule_id",
        "path",
        "line",
        "column",
        "end_line",
        "severity",
        "fingerprint",
        "message",
        "secret",
    ] {
        assert!(!f[field].is_null(), "finding lacks `{field}`: {f:#}");
    }
    assert_eq!(f["kind"], "secret");
    assert_eq!(f["end_column"], 19 + 20);
}

#[test]
fn secrets_never_appear_whole_in_any_format_unless_asked() {
    let dir = tree();
    for format in ["text", "json", "sarif"] {
        let run = hygiene(dir.path(), &["scan", ".", "--format", format]);
        assert_eq!(run.code, 1);
        for secret in [KEY_A, KEY_B, KEY_C] {
            assert!(
                !run.stdout.contains(secret) && !run.stderr.contains(secret),
                "{format} output contains the secret {secret}"
            );
        }
        assert!(
            run.stdout.contains("AKIA…(20 chars)"),
            "{format}: {}",
            run.stdout
        );
    }
    let shown = hygiene(
        dir.path(),
        &["scan", ".", "--format", "json", "--show-secrets"],
    );
    assert!(shown.stdout.contains(KEY_A));
    // Written to a file, the same holds.
    let out = dir.path().join("report.sarif");
    let run = hygiene(
        dir.path(),
        &[
            "scan",
            "src",
            "--format",
            "sarif",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("\"2.1.0\"") && !written.contains(KEY_A));
}

#[test]
fn inline_markers_suppress() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.py",
        format!(
            "x = '{KEY_A}'  # hygiene:allow\ny = '{KEY_B}'  # gitleaks:allow\n\
             z = '{KEY_C}'  # pragma: allowlist secret\nw = '{KEY_D}'\n"
        ),
    );
    let run = hygiene(dir.path(), &["scan", "--format", "json"]);
    let found = positions(&run.json());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].2, 4);
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = tree();
    assert_eq!(hygiene(dir.path(), &["scan"]).code, 1);
    // Findings are `high`: below a `critical` threshold they do not fail the run.
    assert_eq!(
        hygiene(dir.path(), &["scan", "--fail-on", "critical"]).code,
        0
    );
    let clean = tempfile::tempdir().unwrap();
    write(clean.path(), "README", "nothing to see\n");
    let run = hygiene(clean.path(), &["scan"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("no findings"), "{}", run.stdout);
    // Usage errors are 2.
    assert_eq!(hygiene(clean.path(), &["scan", "--format", "xml"]).code, 2);
    assert_eq!(
        hygiene(clean.path(), &["scan", "--fail-on", "severe"]).code,
        2
    );
    let missing = hygiene(clean.path(), &["scan", "no/such/dir"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("no/such/dir"), "{}", missing.stderr);
}

#[test]
fn large_files_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "big.txt",
        format!("{}{KEY_A}\n", "x".repeat(5000)),
    );
    write(dir.path(), "small.txt", format!("{KEY_B}\n"));
    let run = hygiene(
        dir.path(),
        &["scan", "--max-file-size", "1K", "--format", "json"],
    );
    let report = run.json();
    assert_eq!(positions(&report).len(), 1);
    assert_eq!(report["stats"]["skipped_large"], 1);
    let err = &report["errors"][0];
    assert_eq!(err["kind"], "too-large");
    assert_eq!(err["path"], "big.txt");
    assert_eq!(
        run.code, 1,
        "a skipped large file is a warning, not an incomplete scan"
    );
    // The text summary counts it too.
    let text = hygiene(dir.path(), &["scan", "--max-file-size", "1K"]);
    assert!(
        text.stdout.contains("1 skipped (1 too large)"),
        "{}",
        text.stdout
    );
    // And big files are scanned (memory-mapped) when under the limit.
    write(
        dir.path(),
        "huge.txt",
        format!("{}\n{KEY_C}\n", "y".repeat(5 << 20)),
    );
    let report = hygiene(dir.path(), &["scan", "--format", "json"]).json();
    assert!(positions(&report)
        .iter()
        .any(|p| p.1 == "huge.txt" && p.2 == 2));
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_and_broken_ones_are_reported() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.txt", format!("{KEY_A}\n"));
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "real.txt", format!("{KEY_B}\n"));
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        dir.path().join("out.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("outdir")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("real.txt"), dir.path().join("alias.txt")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), dir.path().join("broken.txt")).unwrap();
    let run = hygiene(dir.path(), &["scan", "--format", "json"]);
    let report = run.json();
    let found = positions(&report);
    assert_eq!(found.len(), 1, "only real.txt: {found:?}");
    assert_eq!(found[0].1, "real.txt");
    let kinds: Vec<(&str, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["path"].as_str().unwrap(), e["kind"].as_str().unwrap()))
        .collect();
    assert!(
        kinds.contains(&("broken.txt", "broken-symlink")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("out.txt", "symlink-outside-root")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("outdir", "symlink-outside-root")),
        "{kinds:?}"
    );
    assert_eq!(
        run.code, 1,
        "symlink warnings do not make the scan incomplete"
    );
}

#[test]
fn invalid_utf8_is_reported_and_still_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let mut content = b"caf\xe9 = 1\n".to_vec();
    content.extend_from_slice(format!("key = {KEY_A}\n").as_bytes());
    write(dir.path(), "latin1.txt", content);
    let report = hygiene(dir.path(), &["scan", "--format", "json"]).json();
    let found = positions(&report);
    assert_eq!(
        found,
        vec![("aws-access-key-id".into(), "latin1.txt".into(), 2, 7)]
    );
    assert_eq!(report["errors"][0]["kind"], "invalid-utf8");
    assert_eq!(report["errors"][0]["level"], "warning");
}

#[cfg(unix)]
#[test]
fn unreadable_file_makes_the_scan_incomplete_but_the_rest_completes() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "locked.txt", format!("{KEY_A}\n"));
    write(dir.path(), "open.txt", format!("{KEY_B}\n"));
    let locked = dir.path().join("locked.txt");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        // Root reads anything: run the scan as `nobody` instead, if we can.
        if !run_as_nobody_possible(dir.path()) {
            eprintln!("SKIPPED: running as root without setpriv; unreadable-file e2e not run (unit test covers it)");
            return;
        }
        let out = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(common::bin())
            .args(["scan", ".", "--format", "json"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        return check_unreadable(
            out.status.code().unwrap_or(-1),
            &String::from_utf8_lossy(&out.stdout),
        );
    }
    let run = hygiene(dir.path(), &["scan", ".", "--format", "json"]);
    check_unreadable(run.code, &run.stdout);
}

fn check_unreadable(code: i32, stdout: &str) {
    let report: serde_json::Value = serde_json::from_str(stdout).expect("json");
    assert_eq!(code, 3, "{report:#}");
    // Secret findings only: run as another user, open.txt had to be made world-readable,
    // which `secret-file-permissions` rightly reports too.
    let found: Vec<_> = positions(&report)
        .into_iter()
        .filter(|f| f.0 != "secret-file-permissions")
        .collect();
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(found[0].1, "open.txt");
    assert_eq!(report["errors"][0]["path"], "locked.txt");
    assert_eq!(report["errors"][0]["kind"], "unreadable");
    assert_eq!(report["errors"][0]["level"], "error");
}

#[cfg(unix)]
fn run_as_nobody_possible(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    // `nobody` must be able to reach the tree and the binary.
    let mut p = Some(dir);
    while let Some(d) = p {
        if let Ok(meta) = std::fs::metadata(d) {
            let mode = meta.permissions().mode();
            if mode & 0o005 != 0o005 {
                let _ = std::fs::set_permissions(d, std::fs::Permissions::from_mode(mode | 0o755));
            }
        }
        p = d.parent();
        if p == Some(Path::new("/tmp")) {
            break;
        }
    }
    let _ = std::fs::set_permissions(dir.join("open.txt"), std::fs::Permissions::from_mode(0o644));
    std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(common::bin())
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn custom_rules_directory_adds_rules_and_bad_rules_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "rules/acme.toml",
        r#"[[rules]]
id = "acme-token"
name = "Acme token"
description = "Token for the invented Acme API."
regex = '''\b(acme_[a-z0-9]{24})\b'''
keywords = ["acme_"]
severity = "critical"
confidence = "high"
examples = ["acme_0123456789abcdefghijklmn"]
negative_examples = ["acme_short"]
"#,
    );
    write(
        dir.path(),
        "src/app.js",
        "const t = 'acme_q8zr2lxt0vnw9kby4mhs7pce';\n",
    );
    let run = hygiene(
        dir.path(),
        &["scan", "src", "--rules", "rules", "--format", "json"],
    );
    let found = positions(&run.json());
    assert_eq!(found, vec![("acme-token".into(), "app.js".into(), 1, 12)]);
    assert_eq!(hygiene(dir.path(), &["rules", "check", "rules"]).code, 0);
    let listed = hygiene(dir.path(), &["rules", "list", "--rules", "rules"]);
    assert!(listed.stdout.contains("acme-token") && listed.stdout.contains("aws-access-key-id"));

    write(
        dir.path(),
        "bad/x.toml",
        "[[rules]]\nid = \"x\"\nname = \"X\"\ndescription = \"d\"\nregex = 'x[0-9]+'\n\
         keywords = [\"x\"]\nseverity = \"high\"\nconfidence = \"high\"\nexamples = [\"x1\"]\n",
    );
    let bad = hygiene(dir.path(), &["scan", "src", "--rules", "bad"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("no capture group"), "{}", bad.stderr);
    let check = hygiene(dir.path(), &["rules", "check", "bad"]);
    assert_eq!(check.code, 2);

    write(
        dir.path(),
        "failing/y.toml",
        "[[rules]]\nid = \"y\"\nname = \"Y\"\ndescription = \"d\"\nregex = '(y[0-9]+)'\n\
         keywords = [\"y\"]\nseverity = \"high\"\nconfidence = \"high\"\nexamples = [\"no match\"]\n\
         negative_examples = [\"y12\"]\n",
    );
    let check = hygiene(dir.path(), &["rules", "check", "failing"]);
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.contains("example not matched"),
        "{}",
        check.stderr
    );
    assert!(
        check.stderr.contains("negative example matched"),
        "{}",
        check.stderr
    );
}

#[test]
fn text_report_groups_by_file_and_summarises() {
    let dir = tree();
    let run = hygiene(dir.path(), &["scan"]);
    let out = &run.stdout;
    assert!(!out.contains('\x1b'), "NO_COLOR must disable colour");
    // Grouped by file, each finding at its `path:line:col`.
    let env_at = out.find(".env:").expect("a .env finding");
    let cfg_at = out
        .find("\nsrc/config.py:")
        .expect("a src/config.py finding");
    assert!(env_at < cfg_at);
    assert!(out.contains("src/config.py:2:12 "), "{out}");
    let last = out.lines().last().unwrap();
    assert!(
        last.starts_with("3 findings (3 high); scanned 4 files"),
        "{last}"
    );
    assert!(last.contains("1 skipped (1 binary)"), "{last}");
}

/// Files past the first read (64 KiB): a text file is read to its end (a key near the end is
/// found), a binary one is recognised from its head and skipped.
#[test]
fn files_longer_than_the_first_read_are_read_whole_unless_binary() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let filler = "let x = 1; // nothing to see here\n".repeat(6000); // ~200 KiB
    write(root, "big.rs", format!("{filler}AWS_KEY = \"{KEY_A}\"\n"));
    let mut blob = b"\x00PK\x03\x04".to_vec();
    blob.extend_from_slice(filler.as_bytes());
    blob.extend_from_slice(KEY_B.as_bytes());
    write(root, "big.bin", blob);
    let run = hygiene(root, &["scan", ".", "--no-deps", "--format", "json"]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    let found = positions(&report);
    assert_eq!(
        found,
        vec![(
            "aws-access-key-id".to_string(),
            "big.rs".to_string(),
            6001,
            12
        )]
    );
    assert_eq!(report["stats"]["skipped_binary"], 1);
    assert_eq!(report["stats"]["files_scanned"], 1);
}

#[test]
fn builtin_rules_check_runs_every_kind_of_rule_and_list_counts_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let check = hygiene(dir.path(), &["rules", "check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stdout.contains("credential-file formats")
            && check.stdout.contains("sensitive-file rules ok"),
        "{}",
        check.stdout
    );
    let list = hygiene(dir.path(), &["rules", "list"]);
    assert_eq!(list.code, 0);
    let summary = list.stdout.lines().last().unwrap_or_default();
    // "N rules (C content rules, F credential-file formats, S sensitive-file rules)": the
    // table has one row per rule under its header.
    let total: usize = summary
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert_eq!(list.stdout.lines().count(), total + 2, "{summary}");
    assert!(list.stdout.contains("sensitive-file-ssh-private-key"));
    assert!(list.stdout.contains("(credential file: "));
    // Every practice check of the catalogue, each on a row marked as one.
    for id in [
        "dependency-unmaintained",
        "dependency-unsound",
        "dependency-notice",
        "unpinned-requirement",
        "manifest-without-lockfile",
        "lockfile-gitignored",
        "secret-file-permissions",
        "dependency-outdated",
    ] {
        assert!(
            list.stdout
                .lines()
                .any(|l| l.starts_with(&format!("{id} ")) && l.ends_with("(practice check)")),
            "practice rule {id} is listed:\n{}",
            list.stdout
        );
    }
}
