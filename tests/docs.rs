//! The documentation's examples are checked, not decorative: every `hygiene` command in a
//! ```sh block of `README.md` and `docs/*.md` runs here, in order within its block, in a
//! small git repository with a secret, lockfiles and a history, and must not be a usage error
//! (exit 2) — a renamed flag or a typo in the docs fails this test.
//!
//! No command reaches the internet: every proxy variable points at a closed port on
//! 127.0.0.1, so the online advisory check and `db update` fail fast (exit 3, which is
//! allowed: the docs show them as they are used), and the offline database is a small one
//! built from `fixtures/osv`.

mod common;
use common::{bin, git, write};
use std::path::{Path, PathBuf};
use std::process::Command;

const OSV_FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/osv");

/// The documentation files whose examples run.
fn pages() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// The `hygiene` command lines of each fenced block of `text`, trailing comments removed:
/// every line of a ```sh block, and in other blocks (CI YAML) the `run: hygiene ...` and
/// `- hygiene ...` steps.
fn blocks(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut current: Option<(bool, Vec<String>)> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        match (&mut current, trimmed.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.trim() == "sh", Vec::new())),
            (Some(_), Some(_)) => out.extend(current.take().map(|(_, b)| b)),
            (Some((shell, block)), None) => {
                let command = match shell {
                    true => trimmed.strip_prefix("$ ").unwrap_or(trimmed),
                    false => trimmed
                        .strip_prefix("- run:")
                        .or_else(|| trimmed.strip_prefix("run:"))
                        .or_else(|| trimmed.strip_prefix("- "))
                        .unwrap_or("")
                        .trim(),
                };
                let command = match command.find("  #") {
                    Some(i) => command[..i].trim_end(),
                    None => command,
                };
                if command.starts_with("hygiene ") || command == "hygiene" {
                    block.push(command.to_string());
                }
            }
            _ => {}
        }
    }
    out
}

/// A repository on `main` with a secret, lockfiles and configuration, a feature branch one
/// commit ahead, and a staged change.
fn repository(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
    write(
        dir,
        "app/settings.py",
        "AWS_ACCESS_KEY_ID = 'AKIAQ3EGRX7M2TW5KJ4N'\n",
    );
    write(
        dir,
        "Cargo.lock",
        "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"smallvec\"]\n\n[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    );
    write(dir, "requirements.txt", "requests==2.20.0\n");
    write(dir, ".gitleaks.toml", "[extend]\nuseDefault = true\n");
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "init"]);
    git(dir, &["checkout", "-q", "-b", "feature"]);
    write(
        dir,
        "app/more.py",
        "TOKEN = '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'\n",
    );
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "more"]);
    write(dir, "app/staged.py", "print('staged')\n");
    git(dir, &["add", "app/staged.py"]);
}

#[test]
fn every_documented_command_runs() {
    let db = tempfile::tempdir().expect("db");
    for ecosystem in ["crates.io", "PyPI"] {
        common::zip_dir(
            &Path::new(OSV_FIXTURES).join(ecosystem),
            &db.path().join(ecosystem).join("all.zip"),
        );
    }
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let proxy = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let bin_dir = bin().parent().expect("bin dir").to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");

    let mut ran = 0;
    let mut failures = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).expect("page");
        let name = page
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for block in blocks(&text) {
            let work = tempfile::tempdir().expect("work");
            let home = tempfile::tempdir().expect("home");
            repository(work.path());
            for command in block {
                let out = Command::new("sh")
                    .args(["-c", &command])
                    .current_dir(work.path())
                    .env("PATH", &path)
                    .env("HOME", home.path())
                    .env("XDG_CONFIG_HOME", home.path())
                    .env("HYGIENE_DB_DIR", db.path())
                    .env("HYGIENE_CACHE_DIR", home.path().join("cache"))
                    .env("NO_COLOR", "1")
                    .env("GIT_CONFIG_NOSYSTEM", "1")
                    .env("GIT_CONFIG_GLOBAL", "/dev/null")
                    .env("GIT_AUTHOR_NAME", "Doc Test")
                    .env("GIT_AUTHOR_EMAIL", "doc@example.com")
                    .env("GIT_COMMITTER_NAME", "Doc Test")
                    .env("GIT_COMMITTER_EMAIL", "doc@example.com")
                    .env("HTTPS_PROXY", &proxy)
                    .env("HTTP_PROXY", &proxy)
                    .env("ALL_PROXY", &proxy)
                    .env("https_proxy", &proxy)
                    .env("http_proxy", &proxy)
                    .env_remove("NO_PROXY")
                    .env_remove("no_proxy")
                    .output()
                    .expect("run sh");
                ran += 1;
                let code = out.status.code().unwrap_or(-1);
                let stderr = String::from_utf8_lossy(&out.stderr);
                if !matches!(code, 0 | 1 | 3) || stderr.contains("error: unexpected argument") {
                    failures.push(format!("{name}: `{command}` exited {code}:\n{stderr}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The pages hold dozens of examples; a parser that found none would pass vacuously.
    assert!(ran >= 30, "only {ran} documented commands found");
}

#[test]
fn without_network_the_first_command_scans_and_says_how_to_get_the_database() {
    let dir = tempfile::tempdir().expect("dir");
    repository(dir.path());
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let proxy = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let out = Command::new(bin())
        .args(["scan", "."])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("HTTPS_PROXY", &proxy)
        .env("HTTP_PROXY", &proxy)
        .env("ALL_PROXY", &proxy)
        .env_remove("NO_PROXY")
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The secrets were scanned and reported.
    assert!(stdout.contains("app/settings.py"), "{stdout}");
    // The advisory check could not run: incomplete, with one line naming the way out.
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let advice: Vec<&str> = stdout
        .lines()
        .chain(stderr.lines())
        .filter(|l| l.contains("hygiene db update"))
        .collect();
    assert!(!advice.is_empty(), "{stdout}");
    assert!(advice.iter().any(|l| l.contains("--offline")), "{advice:?}");
}

/// `cargo install --path .` gives a binary that needs nothing outside itself: a copy of it,
/// run from an empty directory with an empty `PATH` (no `git`, no rule files, no data), scans
/// a working tree and a git history.
#[test]
fn the_binary_needs_nothing_outside_itself() {
    let repo = tempfile::tempdir().expect("repo");
    repository(repo.path());
    let install = tempfile::tempdir().expect("install");
    let copy = install.path().join("hygiene");
    std::fs::copy(bin(), &copy).expect("copy the binary");
    for args in [
        vec!["scan", "--no-deps", "--format", "json", "."],
        vec!["scan", "--history", "--format", "json", "."],
    ] {
        let out = Command::new(&copy)
            .args(&args)
            .current_dir(repo.path())
            .env_clear()
            .env("HOME", install.path())
            .output()
            .expect("run the copy");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert!(
            report["findings"]
                .as_array()
                .is_some_and(|f| f.iter().any(|f| f["path"] == "app/settings.py")),
            "{args:?}: {report:#}"
        );
    }
}
