//! End-to-end tests of `hygiene hook install|uninstall` and of the installed hooks run by real
//! `git commit` and `git push` against a bare "remote" in a temp dir.

mod common;
use common::{bin, git_try, hygiene, write};
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Invented AWS key ids in the real format (never issued by AWS).
const KEY_A: &str = "AKIAQ3EGRX7M2TW5KJ4N";
const KEY_B: &str = "AKIAZ7WQ4ML2XB6TRP3D";
const KEY_C: &str = "AKIAR5TY7UE2WQ4XNM6B";
const ZERO: &str = "0000000000000000000000000000000000000000";

fn git(dir: &Path, args: &[&str]) -> String {
    common::git(dir, args).trim().to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A temp dir holding `remote.git` (bare) and `work` (a repository whose `origin` is it).
struct Setup {
    _dir: tempfile::TempDir,
    remote: std::path::PathBuf,
    work: std::path::PathBuf,
}

fn setup() -> Setup {
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
    Setup {
        _dir: dir,
        remote,
        work,
    }
}

fn commit(dir: &Path, message: &str) -> String {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
    git(dir, &["rev-parse", "HEAD"])
}

#[test]
fn install_uninstall_and_force() {
    let s = setup();
    let hooks = s.work.join(".git/hooks");
    let run = hygiene(&s.work, &["hook", "install"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for name in ["pre-commit", "pre-push"] {
        let text = std::fs::read_to_string(hooks.join(name)).expect("hook written");
        assert!(text.contains("# installed by hygiene"), "{text}");
        assert!(text.contains(&format!("hook {name}")), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(hooks.join(name))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o111, 0o111, "executable");
        }
    }
    // Installing again replaces our own hooks without --force.
    assert_eq!(hygiene(&s.work, &["hook", "install", "--pre-push"]).code, 0);

    // Someone else's pre-commit hook: uninstall leaves it, install refuses to clobber it.
    let theirs = "#!/bin/sh\necho theirs\n";
    write(&hooks, "pre-commit", theirs);
    let run = hygiene(&s.work, &["hook", "uninstall"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("left alone"), "{}", run.stdout);
    assert!(!hooks.join("pre-push").exists(), "ours removed");
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).unwrap(),
        theirs
    );
    let run = hygiene(&s.work, &["hook", "install", "--pre-commit"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).unwrap(),
        theirs
    );

    // --force keeps theirs as .bak; uninstall puts it back.
    let run = hygiene(&s.work, &["hook", "install", "--pre-commit", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit.bak")).unwrap(),
        theirs
    );
    assert!(std::fs::read_to_string(hooks.join("pre-commit"))
        .unwrap()
        .contains("installed by hygiene"));
    let run = hygiene(&s.work, &["hook", "uninstall", "--pre-commit"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).unwrap(),
        theirs
    );
    assert!(!hooks.join("pre-commit.bak").exists());
}

#[test]
fn install_honours_core_hooks_path() {
    let s = setup();
    git(&s.work, &["config", "core.hooksPath", "my-hooks"]);
    let sub = s.work.join("deep/dir");
    std::fs::create_dir_all(&sub).unwrap();
    let run = hygiene(&sub, &["hook", "install", "--pre-push"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(s.work.join("my-hooks/pre-push").exists());
    assert!(!s.work.join(".git/hooks/pre-push").exists());
}

#[test]
fn pre_commit_hook_blocks_a_new_secret_and_explains_how_to_allow_it() {
    let s = setup();
    let w = &s.work;
    write(
        w,
        "conf.py",
        format!("a = 1\nold = '{KEY_A}'  # hygiene:allow\n"),
    );
    commit(w, "base");
    assert_eq!(hygiene(w, &["hook", "install", "--pre-commit"]).code, 0);

    // Clean change: goes through, the old allowed secret does not matter.
    write(
        w,
        "conf.py",
        format!("a = 2\nold = '{KEY_A}'  # hygiene:allow\n"),
    );
    git(w, &["add", "-A"]);
    let out = git_try(w, &["commit", "-q", "-m", "clean"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no secrets found"),
        "{}",
        stderr(&out)
    );

    // A new secret: blocked, with what, where and how to allow.
    write(w, "deploy/settings.cfg", format!("X=1\nAWS_KEY={KEY_B}\n"));
    git(w, &["add", "-A"]);
    let out = git_try(w, &["commit", "-q", "-m", "leak"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("deploy/settings.cfg"), "{err}");
    assert!(err.contains("2:9"), "{err}");
    assert!(err.contains("aws-access-key-id"), "{err}");
    assert!(err.contains("commit blocked"), "{err}");
    assert!(err.contains("hygiene:allow"), "{err}");
    assert!(err.contains("git commit --no-verify"), "{err}");
    assert!(!err.contains(KEY_B), "never print the secret: {err}");

    // Marked as allowed: goes through.
    write(
        w,
        "deploy/settings.cfg",
        format!("X=1\nAWS_KEY={KEY_B} # hygiene:allow\n"),
    );
    git(w, &["add", "-A"]);
    let out = git_try(w, &["commit", "-q", "-m", "allowed"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // `git commit -a` stages through a temporary index (GIT_INDEX_FILE): still caught.
    write(w, "conf.py", format!("a = 3\nnew = '{KEY_C}'\n"));
    let out = git_try(w, &["commit", "-q", "-a", "-m", "commit -a"]);
    assert!(!out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("conf.py"), "{}", stderr(&out));
}

#[test]
fn pre_push_hook_scans_only_what_the_remote_lacks() {
    let s = setup();
    let w = &s.work;
    assert_eq!(hygiene(w, &["hook", "install", "--pre-push"]).code, 0);

    // A clean first push (a new branch; the remote has nothing).
    write(w, "README.md", "hello\n");
    commit(w, "one");
    write(w, "src/lib.rs", "pub fn f() {}\n");
    commit(w, "two");
    let out = git_try(w, &["push", "-q", "-u", "origin", "main"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 new commits checked"),
        "{}",
        stderr(&out)
    );

    // An update with a secret: blocked, the remote keeps its old tip.
    let before = git(&s.remote, &["rev-parse", "main"]);
    write(w, "a.env", format!("# env\nAWS={KEY_A}\n"));
    let leak = commit(w, "leak");
    let out = git_try(w, &["push", "-q", "origin", "main"]);
    assert!(!out.status.success(), "push must be blocked");
    let err = stderr(&out);
    assert!(err.contains("a.env"), "{err}");
    assert!(err.contains("2:5"), "{err}");
    assert!(err.contains(&leak[..12]), "names the commit: {err}");
    assert!(err.contains("push blocked"), "{err}");
    assert!(err.contains("hygiene:allow"), "{err}");
    assert!(err.contains("git push --no-verify"), "{err}");
    assert!(!err.contains(KEY_A), "never print the secret: {err}");
    assert_eq!(git(&s.remote, &["rev-parse", "main"]), before);

    // Pushed anyway (last resort): the secret is now on origin/main.
    let out = git_try(w, &["push", "-q", "--no-verify", "origin", "main"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // A clean update on top: only the new commit is scanned, the old secret is not re-reported.
    write(w, "b.txt", "b\n");
    commit(w, "clean");
    let out = git_try(w, &["push", "-q", "origin", "main"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 new commit checked"),
        "{}",
        stderr(&out)
    );

    // A new branch: only the commits on no remote ref (not the leaked one on origin/main).
    git(w, &["checkout", "-q", "-b", "feature"]);
    write(w, "c.txt", "c\n");
    commit(w, "feature work");
    let out = git_try(w, &["push", "-q", "-u", "origin", "feature"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 new commit checked"),
        "{}",
        stderr(&out)
    );

    // A new branch with a secret: blocked.
    git(w, &["checkout", "-q", "-b", "feature2"]);
    write(w, "d.txt", format!("{KEY_B}\n"));
    let leak2 = commit(w, "leak two");
    let out = git_try(w, &["push", "-q", "origin", "feature2"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains(&leak2[..12]), "{}", stderr(&out));
    assert!(git(&s.remote, &["branch", "--list", "feature2"]).is_empty());

    // A deletion sends no commits: nothing to scan.
    let out = git_try(w, &["push", "-q", "origin", "--delete", "feature"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("0 new commits checked"),
        "{}",
        stderr(&out)
    );
}

/// Runs `hygiene hook pre-push origin URL` with `input` on stdin.
fn pre_push(dir: &Path, input: &str) -> Output {
    let mut child = Command::new(bin())
        .args(["hook", "pre-push", "origin", "/nowhere"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

#[test]
fn pre_push_reads_git_lines_on_stdin() {
    let s = setup();
    let w = &s.work;
    write(w, "a.txt", "a\n");
    let base = commit(w, "base");
    git(w, &["push", "-q", "origin", "main"]);
    write(w, "b.txt", format!("{KEY_A}\n"));
    commit(w, "leak");
    write(w, "c.txt", "c\n");
    let tip = commit(w, "more");

    // An update from the remote's tip: two commits, one secret.
    let out = pre_push(
        w,
        &format!("refs/heads/main {tip} refs/heads/main {base}\n"),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("b.txt"));

    // A new branch: everything not on refs/remotes/* (origin/main is at `base`).
    let out = pre_push(
        w,
        &format!("refs/heads/main {tip} refs/heads/other {ZERO}\n"),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    // Pushing what the remote already has: nothing new.
    let out = pre_push(
        w,
        &format!("refs/heads/main {base} refs/heads/main {base}\n"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("0 new commits checked"),
        "{}",
        stderr(&out)
    );

    // A deletion: nothing.
    let out = pre_push(w, &format!("(delete) {ZERO} refs/heads/gone {base}\n"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // A remote tip we never fetched (someone else pushed): hide what the remotes have.
    let unknown = "1234567890123456789012345678901234567890";
    let out = pre_push(
        w,
        &format!("refs/heads/main {tip} refs/heads/main {unknown}\n"),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    // Garbage on stdin is a usage error, not a silent pass.
    let out = pre_push(w, "what is this\n");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
