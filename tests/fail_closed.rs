//! Fail closed: what would let a commit, push or scan through unchecked is an error (or an
//! explicit warning with the safe outcome), never a silent pass.

mod common;
use common::{bin, git, hygiene, write};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    write(dir.path(), "a.txt", "a\n");
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "a"]);
    dir
}

fn pre_push(dir: &Path, input: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(bin());
    cmd.args(["hook", "pre-push", "origin", "/nowhere"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(input.unwrap_or("").as_bytes())
        .expect("stdin");
    drop(stdin);
    child.wait_with_output().expect("wait")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_missing_pre_commit_to_ref_blocks_the_push() {
    let dir = repo();
    let out = pre_push(
        dir.path(),
        None,
        &[
            ("PRE_COMMIT_TO_REF", "refs/heads/nope"),
            ("PRE_COMMIT_FROM_REF", "main"),
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("PRE_COMMIT_TO_REF"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_pushed_object_that_cannot_be_read_blocks_the_push() {
    let dir = repo();
    let missing = "1234567890abcdef1234567890abcdef12345678";
    let zero = "0".repeat(40);
    let out = pre_push(
        dir.path(),
        Some(&format!(
            "refs/heads/main {missing} refs/heads/main {zero}\n"
        )),
        &[],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("not checked"), "{}", stderr(&out));
}

#[test]
fn allowlists_that_allow_everything_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.py", "KEY = 'AKIAQ3EGRX7M2TW5KJ4N'\n");
    for config in [
        "[allow]\nregexes = [\"\"]\n",
        "[allow]\nregexes = [\"x*\"]\n",
        "[allow]\nstopwords = [\"\"]\n",
        "[allow]\npaths = [\"**\"]\n",
    ] {
        write(dir.path(), ".hygiene.toml", config);
        let run = hygiene(dir.path(), &["scan", ".", "--no-deps"]);
        assert_eq!(run.code, 2, "{config}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains("every"), "{config}: {}", run.stderr);
    }
    std::fs::remove_file(dir.path().join(".hygiene.toml")).expect("rm");
    for config in [
        "[allowlist]\nregexes = ['''''']\n",
        "[allowlist]\nstopwords = [\"\"]\n",
        "[allowlist]\npaths = ['''.*''']\n",
    ] {
        write(
            dir.path(),
            ".gitleaks.toml",
            format!("[extend]\nuseDefault = true\n{config}"),
        );
        let run = hygiene(dir.path(), &["scan", ".", "--no-deps"]);
        assert_eq!(run.code, 2, "{config}: {}{}", run.stdout, run.stderr);
    }
    // A real allowlist still works.
    write(
        dir.path(),
        ".gitleaks.toml",
        "[extend]\nuseDefault = true\n[allowlist]\nregexes = ['''^AKIAQ3EG''']\n",
    );
    assert_eq!(hygiene(dir.path(), &["scan", ".", "--no-deps"]).code, 0);
}

#[cfg(unix)]
#[test]
fn a_hook_that_is_a_dangling_symlink_is_never_written_through() {
    let dir = repo();
    let outside = tempfile::tempdir().expect("outside");
    let target = outside.path().join("planted");
    let hook = dir.path().join(".git/hooks/pre-commit");
    std::fs::create_dir_all(hook.parent().expect("hooks")).expect("mkdir");
    std::os::unix::fs::symlink(&target, &hook).expect("symlink");
    let run = hygiene(dir.path(), &["hook", "install", "--pre-commit"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert!(!target.exists(), "written through the link");
    // With --force the link itself is set aside and a real file takes its place.
    let run = hygiene(dir.path(), &["hook", "install", "--pre-commit", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!target.exists(), "written through the link");
    let meta = std::fs::symlink_metadata(&hook).expect("hook");
    assert!(meta.file_type().is_file());
    assert!(
        std::fs::symlink_metadata(dir.path().join(".git/hooks/pre-commit.bak"))
            .expect("bak")
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_global_hooks_path_is_not_used_without_being_asked() {
    let dir = repo();
    let home = tempfile::tempdir().expect("home");
    let shared = home.path().join("shared-hooks");
    std::fs::write(
        home.path().join(".gitconfig"),
        format!("[core]\n\thooksPath = {}\n", shared.display()),
    )
    .expect("gitconfig");
    let install = |force: bool| {
        let mut args = vec!["hook", "install", "--pre-push"];
        if force {
            args.push("--force");
        }
        Command::new(bin())
            .args(&args)
            .current_dir(dir.path())
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join(".config"))
            .env_remove("GIT_CONFIG_GLOBAL")
            .output()
            .expect("run")
    };
    let out = install(false);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("every repository"),
        "{}",
        stderr(&out)
    );
    assert!(!shared.join("pre-push").exists());
    let out = install(true);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(shared.join("pre-push").exists());
    assert!(String::from_utf8_lossy(&out.stdout).contains("every repository"));
}

/// The hook scripts quote every path: a binary and a repository under directories with
/// spaces, quotes and shell metacharacters still block a commit with a secret.
#[cfg(unix)]
#[test]
fn hook_scripts_survive_hostile_paths() {
    let base = tempfile::tempdir().expect("tempdir");
    let odd = "dir with 'quotes' $(touch pwned) & ; \"x\"";
    let bin_dir = base.path().join(odd).join("bin");
    std::fs::create_dir_all(&bin_dir).expect("bin dir");
    let exe = bin_dir.join("hygiene");
    std::fs::copy(bin(), &exe).expect("copy binary");
    let work = base.path().join(odd).join("repo `x`");
    std::fs::create_dir_all(&work).expect("repo dir");
    git(&work, &["init", "-q", "-b", "main"]);
    let out = Command::new(&exe)
        .args(["hook", "install", "--pre-commit"])
        .current_dir(&work)
        .output()
        .expect("install");
    assert!(out.status.success(), "{}", stderr(&out));
    write(&work, "a.py", "KEY = 'AKIAQ3EGRX7M2TW5KJ4N'\n");
    git(&work, &["add", "a.py"]);
    let commit = common::git_command(&work, &["commit", "-qm", "leak"])
        .output()
        .expect("commit");
    assert!(!commit.status.success(), "the hook let the secret through");
    assert!(
        String::from_utf8_lossy(&commit.stderr).contains("aws-access-key-id"),
        "{}",
        stderr(&commit)
    );
    assert!(
        !base.path().join("pwned").exists() && !work.join("pwned").exists(),
        "a path was run as code"
    );
}
