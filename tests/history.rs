//! End-to-end tests of `hygiene scan --history`, `--since` and `--staged` on real repositories
//! built with the `git` CLI in temp dirs.

mod common;
use common::{hygiene, write};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Invented AWS key ids in the real format (never issued by AWS).
const KEY_A: &str = "AKIAQ3EGRX7M2TW5KJ4N";
const KEY_B: &str = "AKIAZ7WQ4ML2XB6TRP3D";
const KEY_C: &str = "AKIAR5TY7UE2WQ4XNM6B";

/// Runs git with a fixed identity, a fixed clock (`t` seconds after a base date, so commit
/// order is deterministic), and no user or system configuration.
fn git_at(dir: &Path, t: u64, args: &[&str]) -> String {
    let out = git_try(dir, t, args);
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Like [`git_at`], but returns the output whatever the exit status.
fn git_try(dir: &Path, t: u64, args: &[&str]) -> std::process::Output {
    let date = format!("{} +0000", 1_700_000_000 + t);
    common::git_command(dir, args)
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .expect("run git")
}

fn git(dir: &Path, args: &[&str]) -> String {
    git_at(dir, 0, args)
}

/// A fresh repository on branch `main`.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    dir
}

/// Stages everything and commits at time `t`; returns the commit id.
fn commit(dir: &Path, t: u64, message: &str) -> String {
    git_at(dir, t, &["add", "-A"]);
    git_at(dir, t, &["commit", "-q", "--allow-empty", "-m", message]);
    git(dir, &["rev-parse", "HEAD"])
}

fn history(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["scan", "--history", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(".");
    let run = hygiene(dir, &args);
    assert!(
        run.code == 0 || run.code == 1 || run.code == 3,
        "exit {}; stderr: {}",
        run.code,
        run.stderr
    );
    (run.code, run.json())
}

/// (path, line, commit) of each finding.
fn found(report: &Value) -> Vec<(String, u64, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
                f["commit"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn secret_added_then_removed_is_found_in_the_commit_that_added_it() {
    let dir = repo();
    let root = dir.path();
    write(root, "README.md", "hello\n");
    commit(root, 1, "first");
    write(
        root,
        "src/config.py",
        format!("# settings\nKEY = \"{KEY_A}\"\n"),
    );
    let added = commit(root, 2, "add config");
    write(
        root,
        "src/config.py",
        "# settings\nKEY = os.environ['KEY']\n",
    );
    commit(root, 3, "remove the key");
    // The working tree is clean ...
    assert_eq!(hygiene(root, &["scan", "."]).code, 0);
    // ... the history is not.
    let (code, report) = history(root, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        found(&report),
        vec![("src/config.py".into(), 2, added.clone())]
    );
    let f = &report["findings"][0];
    assert_eq!(f["author"], "Test Author <author@example.com>");
    assert_eq!(f["date"], "2023-11-14T22:13:22+00:00");
    assert_eq!(f["column"], 8);
    assert_eq!(report["stats"]["commits_scanned"], 3);
    // Every blob once: README, config v1, config v2.
    assert_eq!(report["stats"]["files_scanned"], 3);
    // The text report says where it came from.
    let run = hygiene(root, &["scan", "--history", "."]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains(&format!("introduced in {}", &added[..12])),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("from 3 commits"), "{}", run.stdout);
}

#[test]
fn same_secret_in_many_commits_is_one_finding_at_its_first_introduction() {
    let dir = repo();
    let root = dir.path();
    write(root, "app.env", format!("AWS={KEY_A}\n"));
    let first = commit(root, 1, "one");
    for i in 2..8 {
        // Each commit changes the file (a new blob) but keeps the key; one copies it elsewhere.
        write(root, "app.env", format!("AWS={KEY_A}\nN={i}\n"));
        if i == 5 {
            write(root, "copy/app.env", format!("# copy\nAWS={KEY_A}\n"));
        }
        commit(root, i, "more");
    }
    let (code, report) = history(root, &[]);
    assert_eq!(code, 1);
    let key: Vec<_> = found(&report)
        .into_iter()
        .zip(report["findings"].as_array().expect("findings"))
        .filter(|(_, f)| f["rule_id"] == "aws-access-key-id")
        .map(|(found, _)| found)
        .collect();
    assert_eq!(key, vec![("app.env".into(), 1, first.clone())]);
    // `*.env` files no format reads are sensitive by name: once per path, where it appeared.
    let env: Vec<_> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule_id"] == "sensitive-file-env")
        .map(|f| f["path"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(env, vec!["app.env", "copy/app.env"]);
}

#[test]
fn secret_on_an_unmerged_side_branch_is_found() {
    let dir = repo();
    let root = dir.path();
    write(root, "a.txt", "a\n");
    commit(root, 1, "base");
    git(root, &["checkout", "-q", "-b", "side"]);
    write(root, "side.txt", format!("token {KEY_B}\n"));
    let side = commit(root, 2, "side work");
    git(root, &["checkout", "-q", "main"]);
    write(root, "b.txt", "b\n");
    commit(root, 3, "main work");
    assert_eq!(hygiene(root, &["scan", "."]).code, 0);
    let (code, report) = history(root, &[]);
    assert_eq!(code, 1);
    assert_eq!(found(&report), vec![("side.txt".into(), 1, side)]);
}

#[test]
fn a_tag_on_an_otherwise_unreachable_commit_is_scanned() {
    let dir = repo();
    let root = dir.path();
    write(root, "a.txt", "a\n");
    commit(root, 1, "base");
    write(root, "release.txt", format!("{KEY_C}\n"));
    let tagged = commit(root, 2, "release");
    git(root, &["tag", "-a", "-m", "v1", "v1"]);
    git(root, &["reset", "-q", "--hard", "HEAD~1"]);
    let (_, report) = history(root, &[]);
    assert_eq!(found(&report), vec![("release.txt".into(), 1, tagged)]);
}

#[test]
fn merged_secrets_belong_to_the_branch_commit_and_merge_resolutions_to_the_merge() {
    let dir = repo();
    let root = dir.path();
    write(root, "conf.txt", "value = 1\n");
    commit(root, 1, "base");
    git(root, &["checkout", "-q", "-b", "feature"]);
    write(root, "feature.txt", format!("{KEY_A}\n"));
    write(root, "conf.txt", "value = 2\n");
    let feature = commit(root, 2, "feature");
    git(root, &["checkout", "-q", "main"]);
    write(root, "conf.txt", "value = 3\n");
    commit(root, 3, "main");
    // A conflicting merge, resolved with a key nobody committed before: an evil merge.
    let out = git_try(root, 4, &["merge", "-q", "feature"]);
    assert!(!out.status.success(), "expected a conflict");
    assert!(root.join(".git/MERGE_HEAD").exists(), "{out:?}");
    write(root, "conf.txt", format!("value = {KEY_B}\n"));
    let merge = commit(root, 4, "merge feature");
    assert_eq!(
        git(root, &["rev-list", "--parents", "-n", "1", "HEAD"])
            .split(' ')
            .count(),
        3,
        "a merge commit"
    );
    let (code, report) = history(root, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        found(&report),
        vec![
            ("conf.txt".into(), 1, merge),
            ("feature.txt".into(), 1, feature),
        ]
    );
    assert_eq!(report["stats"]["commits_scanned"], 4);
}

#[test]
fn a_rename_is_not_a_new_introduction() {
    let dir = repo();
    let root = dir.path();
    write(root, "old/name.py", format!("K = '{KEY_A}'\n"));
    let first = commit(root, 1, "add");
    git(root, &["mv", "old", "new"]);
    commit(root, 2, "move the directory");
    git(root, &["mv", "new/name.py", "new/renamed.py"]);
    commit(root, 3, "rename the file");
    let (_, report) = history(root, &[]);
    assert_eq!(found(&report), vec![("old/name.py".into(), 1, first)]);
    assert_eq!(report["stats"]["files_scanned"], 1);
}

#[test]
fn binary_blobs_are_skipped_and_counted() {
    let dir = repo();
    let root = dir.path();
    let mut bin = b"\x89PNG\r\n\x1a\n\x00\x00".to_vec();
    bin.extend_from_slice(KEY_A.as_bytes());
    write(root, "logo.png", bin);
    write(root, "a.txt", "text\n");
    commit(root, 1, "binary");
    let (code, report) = history(root, &[]);
    assert_eq!(code, 0);
    assert_eq!(report["stats"]["skipped_binary"], 1);
    assert_eq!(report["stats"]["files_scanned"], 1);
}

#[test]
fn large_blobs_are_skipped_with_a_warning() {
    let dir = repo();
    let root = dir.path();
    write(root, "big.txt", format!("{}\n{KEY_A}\n", "x".repeat(4096)));
    commit(root, 1, "big");
    let (code, report) = history(root, &["--max-file-size", "1K"]);
    assert_eq!(code, 0);
    assert_eq!(report["stats"]["skipped_large"], 1);
    assert_eq!(report["errors"][0]["kind"], "too-large");
    assert_eq!(report["errors"][0]["path"], "big.txt");
}

#[test]
fn an_empty_repository_is_clean() {
    let dir = repo();
    let (code, report) = history(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(0));
    assert_eq!(report["errors"].as_array().map(Vec::len), Some(0));
    assert_eq!(report["stats"]["commits_scanned"], 0);
    // --staged and --since on an unborn branch, too.
    let run = hygiene(dir.path(), &["scan", "--staged", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_shallow_clone_scans_what_it_has_and_warns() {
    let dir = repo();
    let origin = dir.path();
    write(origin, "a.txt", format!("{KEY_A}\n"));
    commit(origin, 1, "old secret");
    write(origin, "a.txt", "clean\n");
    commit(origin, 2, "clean");
    write(origin, "b.txt", format!("{KEY_B}\n"));
    let newest = commit(origin, 3, "new secret");
    let clone = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", origin.display());
    git(clone.path(), &["clone", "-q", "--depth", "1", &url, "c"]);
    let c = clone.path().join("c");
    assert_eq!(git(&c, &["rev-parse", "--is-shallow-repository"]), "true");
    let (code, report) = history(&c, &[]);
    assert_eq!(code, 1, "truncated history is not an incomplete scan");
    assert_eq!(found(&report), vec![("b.txt".into(), 1, newest)]);
    assert_eq!(report["stats"]["commits_scanned"], 1);
    let errors = report["errors"].as_array().expect("errors");
    assert!(
        errors
            .iter()
            .any(|e| e["kind"] == "shallow" && e["level"] == "warning"),
        "{errors:?}"
    );
}

#[test]
fn since_scans_only_the_newer_commits_and_only_added_lines() {
    let dir = repo();
    let root = dir.path();
    write(root, "old.txt", format!("{KEY_A}\n"));
    write(root, "conf.txt", format!("a = 1\nkey = {KEY_B}\n"));
    let base = commit(root, 1, "old secrets");
    git(root, &["tag", "base"]);
    // Touch the file holding an old secret: the key line is not new.
    write(root, "conf.txt", format!("a = 2\nkey = {KEY_B}\n"));
    commit(root, 2, "edit");
    write(root, "new.txt", format!("x\n{KEY_C}\n"));
    let added = commit(root, 3, "new secret");
    let (code, report) = history(root, &["--since", "base"]);
    assert_eq!(code, 1);
    assert_eq!(found(&report), vec![("new.txt".into(), 2, added)]);
    assert_eq!(report["stats"]["commits_scanned"], 2);
    let (code, report) = history(root, &["--since", "HEAD"]);
    assert_eq!(code, 0);
    assert_eq!(report["stats"]["commits_scanned"], 0);
    // An unknown revision is a usage error.
    let run = hygiene(root, &["scan", "--since", "no-such-rev", "."]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-such-rev"), "{}", run.stderr);
    let _ = base;
}

#[test]
fn staged_scans_only_added_lines_of_staged_files() {
    let dir = repo();
    let root = dir.path();
    write(root, "conf.txt", format!("a = 1\nold = {KEY_A}\n"));
    write(root, "other.txt", "clean\n");
    commit(root, 1, "old secret");
    // An unstaged secret is not the commit's business.
    write(root, "other.txt", format!("{KEY_C}\n"));
    // A staged edit near the old secret: nothing new.
    write(root, "conf.txt", format!("a = 2\nold = {KEY_A}\n"));
    git(root, &["add", "conf.txt"]);
    let run = hygiene(root, &["scan", "--staged", "--format", "json", "."]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    // A staged new secret.
    write(
        root,
        "conf.txt",
        format!("a = 2\nold = {KEY_A}\nnew = {KEY_B}\n"),
    );
    write(root, "fresh.txt", format!("{KEY_C}\n"));
    git(root, &["add", "conf.txt", "fresh.txt"]);
    let run = hygiene(root, &["scan", "--staged", "--format", "json", "."]);
    assert_eq!(run.code, 1);
    let report = run.json();
    let f: Vec<(String, u64)> = found(&report)
        .into_iter()
        .map(|(p, l, c)| {
            assert_eq!(c, "", "staged findings have no commit");
            (p, l)
        })
        .collect();
    assert_eq!(f, vec![("conf.txt".into(), 3), ("fresh.txt".into(), 1)]);
    // A renamed file with an old secret is not new content.
    git(root, &["reset", "-q"]);
    git(root, &["checkout", "-q", "--", "."]);
    git(root, &["mv", "conf.txt", "moved.txt"]);
    let run = hygiene(root, &["scan", "--staged", "."]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn sarif_carries_commit_properties_and_a_location() {
    let dir = repo();
    let root = dir.path();
    write(root, "x/y.txt", format!("\n  {KEY_A}\n"));
    let id = commit(root, 1, "add");
    let run = hygiene(root, &["scan", "--history", "--format", "sarif", "."]);
    assert_eq!(run.code, 1);
    let sarif: Value = serde_json::from_str(&run.stdout).expect("sarif json");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["properties"]["commit"], id.as_str());
    assert_eq!(
        result["properties"]["author"],
        "Test Author <author@example.com>"
    );
    assert!(result["properties"]["date"].is_string());
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "x/y.txt");
    assert_eq!(loc["region"]["startLine"], 2);
    assert_eq!(loc["region"]["startColumn"], 3);
}

#[test]
fn not_a_repository_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Stop discovery at the temp dir so an enclosing repository is not found.
    let out = Command::new(common::bin())
        .args(["scan", "--history", "."])
        .current_dir(dir.path())
        .env(
            "GIT_CEILING_DIRECTORIES",
            dir.path().parent().expect("parent"),
        )
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not inside a git repository"));
}

#[test]
fn a_missing_blob_makes_the_scan_incomplete() {
    let dir = repo();
    let root = dir.path();
    write(root, "a.txt", "fine\n");
    write(root, "b.txt", "doomed\n");
    commit(root, 1, "two files");
    let blob = git(root, &["rev-parse", "HEAD:b.txt"]);
    let object = root.join(".git/objects").join(&blob[..2]).join(&blob[2..]);
    std::fs::remove_file(&object).expect("remove a loose object");
    let (code, report) = history(root, &[]);
    assert_eq!(code, 3);
    let e = &report["errors"][0];
    assert_eq!(e["level"], "error");
    assert_eq!(e["kind"], "unreadable");
    assert_eq!(e["path"], "b.txt");
    assert_eq!(report["stats"]["files_scanned"], 1);
}
