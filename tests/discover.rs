//! Discoverability: every command's help has examples that run as written, shell completions,
//! the man page, `init` (a configuration that loads, commented or not) and `explain`.

mod common;

use common::{bin, git, hygiene, write};
use std::path::Path;
use std::process::{Command, Stdio};

/// Marks an example that needs the internet; it is shown but not run here.
const NETWORK: &str = "# needs network";

/// Every command path (`[]`, `["scan"]`, `["hook", "install"]`, ...), found by reading the
/// `Commands:` section of each help text.
fn command_paths() -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut out = Vec::new();
    let mut todo = vec![Vec::<String>::new()];
    while let Some(path) = todo.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let run = hygiene(dir.path(), &args);
        assert_eq!(run.code, 0, "hygiene {args:?}: {}", run.stderr);
        let mut in_commands = false;
        for line in run.stdout.lines() {
            if line == "Commands:" {
                in_commands = true;
                continue;
            }
            if in_commands {
                let Some(name) = line
                    .strip_prefix("  ")
                    .and_then(|l| l.split_whitespace().next())
                else {
                    break;
                };
                if line.starts_with("   ") || name == "help" {
                    continue;
                }
                let mut sub = path.clone();
                sub.push(name.to_string());
                todo.push(sub);
            }
        }
        out.push(path);
    }
    out.sort();
    out
}

fn help(path: &[String]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    hygiene(dir.path(), &args).stdout
}

/// The command lines of a help text's `Examples:` block (comments dropped).
fn examples(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim_end() != "Examples:")
        .skip(1)
        .take_while(|l| l.is_empty() || l.starts_with("  "))
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// A small git repository with a committed secret, a rule directory, a second commit and a
/// staged change: what the examples need.
fn example_repo(root: &Path) -> std::path::PathBuf {
    let repo = root.join("repo");
    std::fs::create_dir_all(&repo).expect("mkdir");
    git(&repo, &["init", "-q", "-b", "main"]);
    write(&repo, "README.md", "# demo\n");
    write(
        &repo,
        "config/settings.py",
        "AWS_ACCESS_KEY_ID = \"AKIAQ3EGRX7M2TW5KJ4N\"\n",
    );
    write(
        &repo,
        "rules/acme.toml",
        r#"[[rules]]
id = "acme-internal-token"
name = "ACME internal API token"
description = "A token for ACME's internal API: acme_ and 32 hex digits."
regex = '''\b(acme_[0-9a-f]{32})\b'''
keywords = ["acme_"]
severity = "high"
confidence = "high"
examples = ["ACME_TOKEN=acme_0123456789abcdef0123456789abcdef"]
"#,
    );
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "first"]);
    write(&repo, "app.py", "print('hello')\n");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "second"]);
    write(&repo, "app.py", "print('hello, world')\n");
    git(&repo, &["add", "app.py"]);
    repo
}

/// Runs one example line with `sh` in a fresh example repository, the binary first on PATH
/// and HOME, the caches and the advisory database inside the temp dir.
fn run_examples(lines: &[String]) -> Vec<(String, i32, String)> {
    let root = tempfile::tempdir().expect("tempdir");
    let repo = example_repo(root.path());
    let bin_dir = bin().parent().expect("bin dir").to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    let mut results = Vec::new();
    for line in lines {
        let out = Command::new("sh")
            .arg("-c")
            .arg(line)
            .current_dir(&repo)
            .env("PATH", &path)
            .env("HOME", root.path().join("home"))
            .env("XDG_CACHE_HOME", root.path().join("cache"))
            .env("HYGIENE_DB_DIR", root.path().join("db"))
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "Test Author")
            .env("GIT_AUTHOR_EMAIL", "author@example.com")
            .env("GIT_COMMITTER_NAME", "Test Author")
            .env("GIT_COMMITTER_EMAIL", "author@example.com")
            .stdin(Stdio::null())
            .output()
            .expect("run sh");
        results.push((
            line.clone(),
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ));
    }
    results
}

#[test]
fn every_command_has_examples() {
    let paths = command_paths();
    assert!(paths.len() >= 20, "{paths:?}");
    for want in [
        &["scan"][..],
        &["completions"],
        &["man"],
        &["init"],
        &["explain"],
        &["hook", "pre-push"],
    ] {
        assert!(paths.iter().any(|p| p == want), "{want:?} not in {paths:?}");
    }
    for path in &paths {
        let text = help(path);
        assert!(
            text.contains("\nExamples:\n"),
            "hygiene {path:?} --help:\n{text}"
        );
        let lines = examples(&text);
        assert!(
            !lines.is_empty(),
            "no example lines in hygiene {path:?} --help"
        );
        assert!(
            lines.iter().all(|l| l.contains("hygiene ")),
            "hygiene {path:?}: {lines:?}"
        );
        // Each help shows how to run the command it documents.
        let invocation = format!("hygiene {}", path.join(" "));
        assert!(
            lines.iter().any(|l| l.contains(invocation.trim_end())),
            "hygiene {path:?}: no example runs `{invocation}`: {lines:?}"
        );
    }
}

#[test]
fn every_example_runs() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for path in command_paths() {
        let lines: Vec<String> = examples(&help(&path))
            .into_iter()
            .filter(|l| !l.ends_with(NETWORK))
            .collect();
        ran += lines.len();
        for (line, code, stderr) in run_examples(&lines) {
            if code != 0 && code != 1 {
                failures.push(format!(
                    "hygiene {path:?}: `{line}` exited {code}: {stderr}"
                ));
            }
        }
    }
    assert!(ran >= 40, "only {ran} examples ran");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn completions_for_every_shell() {
    let dir = tempfile::tempdir().expect("tempdir");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = hygiene(dir.path(), &["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.len() > 200, "{shell}: {}", run.stdout);
        assert!(run.stdout.contains("scan"), "{shell}");
        assert!(run.stdout.contains("explain"), "{shell}");
    }
    let run = hygiene(dir.path(), &["completions", "tcsh"]);
    assert_eq!(run.code, 2);
}

#[test]
fn man_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = hygiene(dir.path(), &["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with(".TH"), "{}", &run.stdout[..80]);
    assert!(run.stdout.contains("scan"));
    let run = hygiene(dir.path(), &["man", "--dir", "pages"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in ["hygiene.1", "hygiene-scan.1", "hygiene-hook-install.1"] {
        let text = std::fs::read_to_string(dir.path().join("pages").join(page))
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.starts_with(".TH"), "{page}");
    }
}

/// Scans `dir` with its `.hygiene.toml`, secrets only: a configuration error is exit 2.
fn assert_loads(dir: &Path) {
    let run = hygiene(dir, &["scan", "--no-deps", "--format", "json"]);
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}: {}",
        run.code,
        run.stderr
    );
    assert!(!run.stderr.contains("configuration"), "{}", run.stderr);
}

#[test]
fn init_writes_a_configuration_that_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "app.py", "print('hello')\n");
    let run = hygiene(dir.path(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(".hygiene.toml"), "{}", run.stdout);
    let path = dir.path().join(".hygiene.toml");
    let text = std::fs::read_to_string(&path).expect("written");
    for key in [
        "[secrets]",
        "disable",
        "[[secrets.rules]]",
        "[allow]",
        "paths",
        "regexes",
        "stopwords",
        "[deps]",
        "max_db_age",
        "outdated_max_age",
        "[[deps.ignore]]",
        "reason",
        "until",
    ] {
        assert!(text.contains(key), "{key} missing:\n{text}");
    }
    assert_loads(dir.path());

    // Every example value enabled (a bare `#` before a setting) loads too, and takes effect.
    let enabled: String = text
        .lines()
        .map(|l| match l.strip_prefix('#') {
            Some(rest) if !rest.is_empty() && !rest.starts_with([' ', '#']) => rest,
            _ => l,
        })
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(enabled, text);
    assert!(!enabled.contains("\n#disable"), "{enabled}");
    std::fs::write(&path, &enabled).expect("write");
    write(
        dir.path(),
        "src/token.txt",
        "ACME_TOKEN=acme_0123456789abcdef0123456789abcdef\n",
    );
    let run = hygiene(dir.path(), &["scan", "--no-deps", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("acme-internal-token"), "{}", run.stdout);

    // A wrong key is still an error, so the checks above would catch a broken template.
    std::fs::write(&path, format!("{enabled}\n[allow2]\n")).expect("write");
    let run = hygiene(dir.path(), &["scan", "--no-deps"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "sub/.hygiene.toml", "# mine\n");
    let run = hygiene(dir.path(), &["init", "sub"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    let kept = std::fs::read_to_string(dir.path().join("sub/.hygiene.toml")).expect("read");
    assert_eq!(kept, "# mine\n");
    let run = hygiene(dir.path(), &["init", "sub", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.path().join("sub/.hygiene.toml")).expect("read");
    assert!(text.contains("[secrets]"), "{text}");
    let run = hygiene(dir.path(), &["init", "missing"]);
    assert_eq!(run.code, 2);
}

#[test]
fn explain_covers_every_kind_of_rule() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (id, kind, extra) in [
        ("aws-access-key-id", "content rule", "AKIA…(20 chars)"),
        (
            "log-credential-python",
            "content rule (practice)",
            "Example",
        ),
        ("netrc", "credential-file format", "netrc"),
        ("sensitive-file-env", "sensitive-file rule", ".env"),
        ("unpinned-requirement", "practice check", "requirements"),
        ("dependency-unmaintained", "practice check", "unmaintained"),
        ("RUSTSEC-2020-0071", "dependency advisory", "osv.dev"),
    ] {
        let run = hygiene(dir.path(), &["explain", id]);
        assert_eq!(run.code, 0, "{id}: {}", run.stderr);
        let out = &run.stdout;
        assert!(out.starts_with(&format!("{id}: ")), "{id}:\n{out}");
        for section in [
            "What it finds:",
            "Why it matters:",
            "How to fix it:",
            kind,
            extra,
        ] {
            assert!(out.contains(section), "{id}: no {section:?}:\n{out}");
        }
    }
    // A content rule's example never shows the secret whole.
    let run = hygiene(dir.path(), &["explain", "aws-access-key-id"]);
    assert!(
        !run.stdout.contains("AKIAQ3EGRX7M2TW5KJ4N"),
        "{}",
        run.stdout
    );
    // Rules from --rules DIR are explained too.
    write(
        dir.path(),
        "rules/acme.toml",
        r#"[[rules]]
id = "acme-internal-token"
name = "ACME internal API token"
description = "A token for ACME's internal API."
regex = '''\b(acme_[0-9a-f]{32})\b'''
keywords = ["acme_"]
severity = "high"
confidence = "high"
examples = ["ACME_TOKEN=acme_0123456789abcdef0123456789abcdef"]
"#,
    );
    let run = hygiene(
        dir.path(),
        &["explain", "acme-internal-token", "--rules", "rules"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("ACME internal API token"));
}

#[test]
fn explain_suggests_close_ids_for_an_unknown_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = hygiene(dir.path(), &["explain", "aws-acess-key-id"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("did you mean"), "{}", run.stderr);
    assert!(run.stderr.contains("`aws-access-key-id`"), "{}", run.stderr);
    let run = hygiene(dir.path(), &["explain", "sensitive-file-dotenv"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("sensitive-file-env"), "{}", run.stderr);
    let run = hygiene(dir.path(), &["explain", "qqqqqqqqqqqqqqqq"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("hygiene rules list"), "{}", run.stderr);
}
