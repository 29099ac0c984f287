//! One pipeline for every source: the baseline, the allowlists and the sensitive-file checks
//! mean the same in `scan` (tree), `scan --history`, `scan --since`, `scan --staged` and both
//! installed git hooks, run by real `git commit` and `git push`.

mod common;
use common::{git_try, hygiene, write};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

/// An invented AWS key id in the real format (never issued by AWS).
const KEY: &str = "AKIAQ3EGRX7M2TW5KJ4N";

/// Not a real key: a binary file under an SSH private key's name is sensitive by its name
/// alone, whatever its bytes.
const SSH_KEY_BYTES: &[u8] = b"openssh-key-v1\0\0\0\x04none\0\0\0\x04none";

/// An invented database password in a `.env` file.
const DOTENV: &str = "DATABASE_PASSWORD=Zx8kq2LmPw9vRt\nDEBUG=1\n";

fn git(dir: &Path, args: &[&str]) -> String {
    common::git(dir, args).trim().to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A temp dir holding `remote.git` (bare) and `work` (its clone-to-be, `origin` set), with
/// one clean commit pushed.
fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let remote = dir.path().join("remote.git");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&remote).expect("mkdir");
    std::fs::create_dir_all(&work).expect("mkdir");
    git(&remote, &["init", "-q", "--bare", "-b", "main"]);
    git(&work, &["init", "-q", "-b", "main"]);
    git(
        &work,
        &["remote", "add", "origin", &remote.to_string_lossy()],
    );
    write(&work, "README.md", "hello\n");
    git(&work, &["add", "-A"]);
    git(&work, &["commit", "-q", "-m", "base"]);
    git(&work, &["push", "-q", "-u", "origin", "main"]);
    (dir, work)
}

/// `hygiene scan . <args> -f json` in `dir`: exit code and report.
fn scan(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["scan", ".", "--no-deps", "-f", "json"];
    all.extend_from_slice(args);
    let run = hygiene(dir, &all);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    (run.code, run.json())
}

fn rule_ids(report: &Value) -> Vec<String> {
    let mut ids: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| format!("{} {}", f["rule_id"].as_str().unwrap_or(""), f["path"]))
        .collect();
    ids.sort();
    ids
}

fn error_kinds(report: &Value) -> Vec<String> {
    report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or("").to_string())
        .collect()
}

fn plant_sensitive_files(work: &Path) {
    write(work, "keys/id_ed25519", SSH_KEY_BYTES);
    write(work, ".env", DOTENV);
}

const EXPECTED: [&str; 2] = [
    "generic-config-assignment \".env\"",
    "sensitive-file-ssh-private-key \"keys/id_ed25519\"",
];

#[test]
fn sensitive_files_are_found_in_every_mode() {
    let (_dir, work) = setup();
    let w = &work;
    plant_sensitive_files(w);

    // The working tree.
    let (code, report) = scan(w, &[]);
    assert_eq!(
        (code, rule_ids(&report)),
        (1, EXPECTED.map(String::from).to_vec())
    );

    // Staged.
    git(w, &["add", "-A"]);
    let (code, report) = scan(w, &["--staged"]);
    assert_eq!(
        (code, rule_ids(&report)),
        (1, EXPECTED.map(String::from).to_vec())
    );

    // The pre-commit hook blocks the commit and names both files.
    assert_eq!(hygiene(w, &["hook", "install"]).code, 0);
    let out = git_try(w, &["commit", "-q", "-m", "keys"]);
    assert!(!out.status.success(), "commit must be blocked");
    let err = stderr(&out);
    assert!(err.contains("sensitive-file-ssh-private-key"), "{err}");
    assert!(err.contains("keys/id_ed25519"), "{err}");
    assert!(err.contains(".env"), "{err}");
    assert!(err.contains("commit blocked"), "{err}");
    assert!(
        !err.contains("Zx8kq2LmPw9vRt"),
        "never print the secret: {err}"
    );

    // Committed anyway: the history and the range find them.
    git(w, &["commit", "-q", "--no-verify", "-m", "keys"]);
    let (code, report) = scan(w, &["--history"]);
    assert_eq!(
        (code, rule_ids(&report)),
        (1, EXPECTED.map(String::from).to_vec())
    );
    let (code, report) = scan(w, &["--since", "HEAD~1"]);
    assert_eq!(
        (code, rule_ids(&report)),
        (1, EXPECTED.map(String::from).to_vec())
    );

    // The pre-push hook blocks the push.
    let out = git_try(w, &["push", "-q", "origin", "main"]);
    assert!(!out.status.success(), "push must be blocked");
    let err = stderr(&out);
    assert!(err.contains("keys/id_ed25519"), "{err}");
    assert!(err.contains(".env"), "{err}");
    assert!(err.contains("push blocked"), "{err}");

    // An allowlisted path is skipped in every mode alike.
    write(
        w,
        ".hygiene.toml",
        "[allow]\npaths = [\"keys\", \".env\"]\n",
    );
    for args in [&[][..], &["--history"], &["--since", "HEAD~1"]] {
        let (code, report) = scan(w, args);
        assert_eq!((code, rule_ids(&report)), (0, Vec::new()), "{args:?}");
    }
    let out = git_try(w, &["push", "-q", "origin", "main"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_baseline_is_honoured_in_every_mode() {
    let (_dir, work) = setup();
    let w = &work;
    plant_sensitive_files(w);
    write(w, "config.py", format!("AWS_KEY = '{KEY}'\n"));

    // Accept today's findings (the working tree, not yet committed).
    let run = hygiene(w, &["baseline", "create", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("wrote 3 entries"), "{}", run.stderr);
    let baseline = w.join(".hygiene-baseline.json");
    assert!(baseline.is_file());
    let file = baseline.to_string_lossy().into_owned();

    // Staged: without the baseline the three findings fail, with it nothing does, and a scan
    // of changes does not call the entries it did not see stale.
    git(w, &["add", "-A"]);
    let (code, report) = scan(w, &["--staged"]);
    assert_eq!((code, rule_ids(&report).len()), (1, 3));
    let (code, report) = scan(w, &["--staged", "--baseline", &file]);
    assert_eq!((code, rule_ids(&report)), (0, Vec::<String>::new()));
    assert_eq!(report["baseline"]["suppressed"], 3);
    assert!(!error_kinds(&report).contains(&"baseline-stale".to_string()));

    // The pre-commit hook uses .hygiene-baseline.json at the top of the tree by default.
    assert_eq!(hygiene(w, &["hook", "install"]).code, 0);
    let out = git_try(w, &["commit", "-q", "-m", "accepted"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no secrets found"),
        "{}",
        stderr(&out)
    );

    // History and range.
    for args in [&["--history"][..], &["--since", "HEAD~1"]] {
        let (code, report) = scan(w, args);
        assert_eq!((code, rule_ids(&report).len()), (1, 3), "{args:?}");
        let mut with = args.to_vec();
        with.extend(["--baseline", &file]);
        let (code, report) = scan(w, &with);
        assert_eq!((code, rule_ids(&report)), (0, Vec::new()), "{args:?}");
        assert_eq!(report["baseline"]["suppressed"], 3, "{args:?}");
        assert_eq!(report["baseline"]["stale"], Value::Array(Vec::new()));
    }

    // The pre-push hook lets the accepted secrets through too.
    let out = git_try(w, &["push", "-q", "origin", "main"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 new commit checked"),
        "{}",
        stderr(&out)
    );

    // A new secret is not accepted: the hook blocks it despite the baseline.
    write(w, "other.py", format!("KEY = '{KEY}'\n"));
    git(w, &["add", "-A"]);
    let out = git_try(w, &["commit", "-q", "-m", "new"]);
    assert!(!out.status.success(), "a new secret must block the commit");
    assert!(stderr(&out).contains("other.py"), "{}", stderr(&out));

    // The whole history judges staleness: once config.py is fixed, its entry is stale.
    git(w, &["reset", "-q", "HEAD", "other.py"]);
    std::fs::remove_file(w.join("other.py")).expect("rm");
    write(w, "config.py", "AWS_KEY = os.environ['AWS_KEY']\n");
    let (code, report) = scan(w, &["--baseline", &file]);
    assert_eq!(code, 0);
    assert_eq!(
        report["baseline"]["stale"][0]["rule_id"], "aws-access-key-id",
        "{report}"
    );
    assert!(error_kinds(&report).contains(&"baseline-stale".to_string()));
}
