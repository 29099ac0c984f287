//! Hostile names and arguments: a repository cannot hide or fake report lines through file
//! names or commit authors, and `--threads` is bounded.

mod common;
use common::{git, git_command, hygiene, write};

#[cfg(unix)]
#[test]
fn control_characters_in_names_are_printed_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    // ESC [2K erases the line, CR returns to its start: a name that would overwrite its own
    // report line with a fake one, and a right-to-left override that reorders what is shown.
    let evil = "evil\u{1b}[2K\rall clean\u{202e}yp.py";
    write(root, evil, "AWS_ACCESS_KEY_ID = 'AKIAQ3EGRX7M2TW5KJ4N'\n");
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    let out = git_command(root, &["commit", "-qm", "x"])
        .env("GIT_AUTHOR_NAME", "Mallory\u{1b}[31m")
        .output()
        .expect("commit");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for args in [
        vec!["scan", ".", "--no-deps"],
        vec!["scan", ".", "--history", "--no-deps"],
    ] {
        let run = hygiene(root, &args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            assert!(
                !text.contains('\u{1b}') && !text.contains('\r') && !text.contains('\u{202e}'),
                "{args:?}: a raw control character reached {stream}: {text:?}"
            );
        }
        assert!(
            run.stdout
                .contains("evil\\x1b[2K\\x0dall clean\\u{202e}yp.py"),
            "{}",
            run.stdout
        );
    }
    let history = hygiene(root, &["scan", ".", "--history", "--no-deps"]);
    assert!(
        history.stdout.contains("Mallory\\x1b[31m"),
        "{}",
        history.stdout
    );
    // JSON keeps the real name (a consumer gets the bytes, escaped by JSON itself).
    let json = hygiene(root, &["scan", ".", "--no-deps", "--format", "json"]).json();
    assert_eq!(json["findings"][0]["path"], evil);
}

#[test]
fn thread_counts_are_bounded() {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..4 {
        write(dir.path(), &format!("f{i}.txt"), "nothing\n");
    }
    for bad in [
        "4294967296",
        "18446744073709551615",
        "2000",
        "99999999999999999999999",
    ] {
        let run = hygiene(dir.path(), &["scan", ".", "--no-deps", "--threads", bad]);
        assert_eq!(run.code, 2, "--threads {bad}: {}", run.stderr);
        assert!(
            run.stderr.contains("0 (one per CPU) to 256"),
            "{}",
            run.stderr
        );
    }
    let run = hygiene(dir.path(), &["scan", ".", "--no-deps", "--threads", "256"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}
