//! No output of hygiene holds a secret it found, whole or in a recognisable piece, unless
//! `--show-secrets` asks for it (issue 17, item 3).
//!
//! One repository holds invented secrets of real formats (an AWS key pair, GitHub tokens, an
//! RSA private key, a password in a `.env`, credentials in URLs, a Slack token that only the
//! git history still holds, a Stripe key in a malformed lockfile that fails to parse, a GitLab
//! token in a file that is not UTF-8, a token in a malformed baseline file). It is scanned
//! every way a user can: the working tree and the history, in text, JSON and SARIF, to
//! standard output and to report files, with `--verbose`, with the scan cache (a run that
//! fills it and one that answers from it), `baseline create` and a scan against that baseline,
//! the pre-commit and pre-push hooks, and commands that fail. Every byte written to standard
//! output, standard error, a report, the cache directory and the baseline is searched for each
//! secret and for every 12-character piece of it: the redacted form shows at most 4 leading
//! characters, so no longer piece has a reason to be there.
//!
//! And so that the test cannot pass by finding nothing: with `--show-secrets` each secret is
//! reported whole.

mod common;
use common::{bin, git, hygiene, write, Run};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Pieces this long (or longer) of a secret must not appear anywhere.
const WINDOW: usize = 12;

const AWS_ID: &str = "AKIAZ7QW3RT5YU2PLM4K";
const AWS_SECRET: &str = "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";
const GITHUB: &str = "ghp_Lk8Qm2Vx7Rt4Zp9Wn3Bc6Hy1Jd5Fs0GaE7uq";
const ENV_PASSWORD: &str = "Vq7!xL2mRt9zKw4#Np";
const PG_PASSWORD: &str = "Pg-Invented-Pa55-7319";
const NPM_PASSWORD: &str = "Npm-Made-Up-Pa55-8841";
/// Only in the history: committed, then deleted.
const SLACK: &str = "xoxb-482716350294-5193847261053-Qm8Zt3Lx7Vp2Rk9Wn4Bc6Hy1";
/// On the line of a malformed `Cargo.lock` where parsing fails.
const STRIPE: &str = "sk_live_Vb8Nq3Lz7Xw2Rm9Kt4Pc6Yh1";
/// In a file with bytes that are not UTF-8.
const GITLAB: &str = "glpat-Hk3Vq8Zx2Lm7Rt9Wp4Nc";
/// Staged, not committed (the pre-commit hook's input), then committed (the pre-push hook's).
const STAGED: &str = "ghp_Zr5Tx9Mq2Wk7Lp3Vn8Bc4Hd6Jf1Gs0YaE2ui";
/// In a malformed baseline file only: no scan finds it, an error message must not echo it.
const IN_BAD_BASELINE: &str = "ghp_Bx4Nm8Qw2Zk6Rt9Lp3Vc7Hd1Jf5Gs0YaE3uo";

/// The body of an invented RSA private key: deterministic base64, 64 characters a line.
fn pem_body() -> Vec<String> {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut state: u64 = 17;
    (0..6)
        .map(|_| {
            (0..64)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    B64[(state >> 33) as usize % 64] as char
                })
                .collect()
        })
        .collect()
}

fn pem() -> String {
    let mut s = String::from("-----BEGIN RSA PRIVATE KEY-----\n");
    for line in pem_body() {
        s.push_str(&line);
        s.push('\n');
    }
    s.push_str("-----END RSA PRIVATE KEY-----\n");
    s
}

/// What must not leak: each secret, or for the private key each line of its body (the
/// `-----BEGIN` armour is no secret).
fn secrets() -> Vec<String> {
    let mut out: Vec<String> = [
        AWS_ID,
        AWS_SECRET,
        GITHUB,
        ENV_PASSWORD,
        PG_PASSWORD,
        NPM_PASSWORD,
        SLACK,
        STRIPE,
        GITLAB,
        STAGED,
        IN_BAD_BASELINE,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    out.extend(pem_body());
    out
}

/// The first piece of `text` that is a secret or a [`WINDOW`]-long part of one.
fn leak(text: &[u8]) -> Option<String> {
    for secret in secrets() {
        let chars: Vec<char> = secret.chars().collect();
        for start in 0..=chars.len().saturating_sub(WINDOW) {
            let piece: String = chars[start..(start + WINDOW).min(chars.len())]
                .iter()
                .collect();
            if text.windows(piece.len()).any(|w| w == piece.as_bytes()) {
                return Some(format!("`{piece}` of `{secret}`"));
            }
        }
    }
    None
}

fn assert_no_leak(what: &str, text: &[u8]) {
    if let Some(piece) = leak(text) {
        panic!("{what} leaks {piece}:\n{}", String::from_utf8_lossy(text));
    }
}

fn assert_run_clean(what: &str, run: &Run) {
    assert_no_leak(&format!("{what}: stdout"), run.stdout.as_bytes());
    assert_no_leak(&format!("{what}: stderr"), run.stderr.as_bytes());
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn assert_files_clean(what: &str, dir: &Path) -> usize {
    let all = files(dir);
    for f in &all {
        let bytes = std::fs::read(f).expect("read");
        assert_no_leak(&format!("{what}: {}", f.display()), &bytes);
    }
    all.len()
}

/// A repository whose history once held the Slack token, whose tree holds the rest, with the
/// staged secret staged, and a bare remote holding its first commit.
fn repository(root: &Path) -> (PathBuf, String) {
    let work = root.join("work");
    let remote = root.join("remote.git");
    std::fs::create_dir_all(&work).expect("mkdir");
    git(
        root,
        &["init", "-q", "--bare", remote.to_str().expect("utf-8")],
    );
    git(&work, &["init", "-q", "-b", "main"]);
    git(
        &work,
        &["remote", "add", "origin", remote.to_str().expect("utf-8")],
    );
    write(&work, "README.md", "an app\n");
    write(&work, "ops/slack.sh", format!("SLACK_BOT_TOKEN={SLACK}\n"));
    git(&work, &["add", "-A"]);
    git(&work, &["commit", "-qm", "first"]);
    git(&work, &["push", "-q", "origin", "main"]);
    git(&work, &["rm", "-q", "ops/slack.sh"]);

    write(
        &work,
        "config/aws.ini",
        format!("[default]\naws_access_key_id = {AWS_ID}\naws_secret_access_key = {AWS_SECRET}\n"),
    );
    write(
        &work,
        "src/deploy.py",
        format!("import os\nGITHUB_TOKEN = \"{GITHUB}\"\n"),
    );
    write(&work, "keys/server.pem", pem());
    write(
        &work,
        ".env",
        format!(
            "DB_PASSWORD={ENV_PASSWORD}\nDATABASE_URL=postgres://app:{PG_PASSWORD}@db.example.org:5432/app\n"
        ),
    );
    write(
        &work,
        ".npmrc",
        format!("registry=http://deploy:{NPM_PASSWORD}@nexus.example.org/repository/npm/\n"),
    );
    // A lockfile that fails to parse on the line holding the secret.
    write(
        &work,
        "Cargo.lock",
        format!(
            "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nstripe = \"{STRIPE}\" oops\n"
        ),
    );
    let mut not_utf8 = b"notes \xff\xfe\n".to_vec();
    not_utf8.extend_from_slice(format!("gitlab token {GITLAB}\n").as_bytes());
    write(&work, "docs/notes.txt", not_utf8);
    git(&work, &["add", "-A"]);
    git(&work, &["commit", "-qm", "second"]);
    let tip = git(&work, &["rev-parse", "HEAD"]).trim().to_string();

    write(&work, "src/staged.py", format!("TOKEN = \"{STAGED}\"\n"));
    git(&work, &["add", "src/staged.py"]);
    (work, tip)
}

/// Every secret of the working tree and the history, as `--show-secrets` reports them.
fn shown(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["secret"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn no_output_cache_or_baseline_holds_a_secret() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (work, _) = repository(tmp.path());
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    let cache = tmp.path().join("cache");
    let db = tmp.path().join("db");
    std::fs::create_dir_all(&db).expect("mkdir");
    let db = db.to_str().expect("utf-8").to_string();
    let offline = ["--offline", "--db-dir", db.as_str()];

    // The working tree and the history, every format, to stdout and with --verbose.
    for history in [false, true] {
        for format in ["text", "json", "sarif"] {
            for verbose in [false, true] {
                let mut args = vec!["scan", ".", "--format", format, "--no-color"];
                args.extend(offline);
                if history {
                    args.push("--history");
                }
                if verbose {
                    args.push("--verbose");
                }
                let run = hygiene(&work, &args);
                // 3: the malformed Cargo.lock is an error (scan incomplete); the history
                // scan reads no lockfiles.
                let code = if history { 1 } else { 3 };
                assert_eq!(run.code, code, "{args:?}: {}", run.stderr);
                assert_run_clean(&format!("{args:?}"), &run);
            }
        }
    }

    // Report files, all three at once.
    let mut args = vec!["scan", "."];
    args.extend(offline);
    let (sarif, json, text) = (out.join("r.sarif"), out.join("r.json"), out.join("r.txt"));
    let files_args = [
        "--sarif",
        sarif.to_str().expect("utf-8"),
        "--json",
        json.to_str().expect("utf-8"),
        "--text",
        text.to_str().expect("utf-8"),
    ];
    args.extend(files_args);
    let run = hygiene(&work, &args);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_run_clean("report files run", &run);
    assert_eq!(assert_files_clean("report files", &out), 3);

    // The cache: filled by one run, answering the next; the tree and the history.
    for history in [false, true] {
        for _ in 0..2 {
            let mut args = vec![
                "scan",
                ".",
                "--format",
                "json",
                "--verbose",
                "--cache-dir",
                cache.to_str().expect("utf-8"),
            ];
            args.extend(offline);
            if history {
                args.push("--history");
            }
            let run = hygiene(&work, &args);
            assert_eq!(run.code, if history { 1 } else { 3 }, "{}", run.stderr);
            assert_run_clean("cached scan", &run);
        }
    }
    let report = hygiene(
        &work,
        &[
            "scan",
            ".",
            "--format",
            "json",
            "--no-deps",
            "--cache-dir",
            cache.to_str().expect("utf-8"),
        ],
    )
    .json();
    assert!(
        report["stats"]["cache_hits"].as_u64().unwrap_or(0) > 0,
        "the cache answered: {}",
        report["stats"]
    );
    assert!(assert_files_clean("cache", &cache) >= 1);

    // A baseline, and scans against it (tree and history).
    let baseline = out.join("baseline.json");
    let b = baseline.to_str().expect("utf-8");
    let run = hygiene(&work, &["baseline", "create", "--output", b, "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_run_clean("baseline create", &run);
    let run = hygiene(
        &work,
        &["baseline", "create", "--history", "--output", b, "."],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_run_clean("baseline create --history", &run);
    assert_no_leak("baseline", &std::fs::read(&baseline).expect("baseline"));
    let mut args = vec![
        "scan",
        ".",
        "--history",
        "--format",
        "json",
        "--baseline",
        b,
    ];
    args.extend(offline);
    let run = hygiene(&work, &args);
    assert_run_clean("scan --baseline", &run);
    assert_eq!(
        run.json()["findings"]
            .as_array()
            .map(|f| f.iter().filter(|f| f["kind"] == "secret").count()),
        Some(0),
        "the baseline accepts every secret"
    );

    // Errors: a malformed baseline holding a token, a rules directory that does not exist.
    let bad = out.join("bad-baseline.json");
    std::fs::write(
        &bad,
        format!("{{\"version\": 2, \"findings\": [{IN_BAD_BASELINE}]}}\n"),
    )
    .expect("write");
    let run = hygiene(
        &work,
        &["scan", ".", "--baseline", bad.to_str().expect("utf-8")],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_run_clean("malformed baseline", &run);
}

#[test]
fn the_hooks_never_print_a_secret() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (work, tip) = repository(tmp.path());

    // pre-commit: the staged secret.
    let run = hygiene(&work, &["hook", "pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("src/staged.py"), "{}", run.stderr);
    assert_run_clean("pre-commit", &run);
    let run = hygiene(
        &work,
        &["scan", "--staged", "--format", "json", "--verbose"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_run_clean("scan --staged", &run);

    // pre-push: the commit after the remote's tip, as git gives it on stdin.
    git(&work, &["commit", "-qm", "third"]);
    let head = git(&work, &["rev-parse", "HEAD"]).trim().to_string();
    let remote_tip = git(&work, &["rev-parse", "origin/main"]).trim().to_string();
    assert_ne!(tip, head);
    let input = format!("refs/heads/main {head} refs/heads/main {remote_tip}\n");
    let mut child = Command::new(bin())
        .args(["hook", "pre-push", "origin", "/nowhere"])
        .current_dir(&work)
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
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("src/deploy.py"), "{stderr}");
    assert_no_leak("pre-push: stdout", &out.stdout);
    assert_no_leak("pre-push: stderr", &out.stderr);
}

#[test]
fn show_secrets_is_the_one_way_to_print_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (work, _) = repository(tmp.path());
    let tree = hygiene(
        &work,
        &[
            "scan",
            ".",
            "--format",
            "json",
            "--no-deps",
            "--show-secrets",
        ],
    );
    assert_eq!(tree.code, 1, "{}", tree.stderr);
    let history = hygiene(
        &work,
        &[
            "scan",
            ".",
            "--history",
            "--format",
            "json",
            "--no-deps",
            "--show-secrets",
        ],
    );
    assert_eq!(history.code, 1, "{}", history.stderr);
    let mut found = shown(&tree.json());
    found.extend(shown(&history.json()));
    let mut missing: Vec<String> = secrets()
        .into_iter()
        .filter(|s| !found.iter().any(|f| f.contains(s.as_str())))
        .collect();
    // Never scanned: it is only in a malformed baseline file.
    missing.retain(|s| s != IN_BAD_BASELINE);
    assert!(
        missing.is_empty(),
        "not reported whole with --show-secrets: {missing:?}\nfound: {found:#?}"
    );
    // And in text, whole too.
    let text = hygiene(
        &work,
        &[
            "scan",
            ".",
            "--format",
            "text",
            "--no-deps",
            "--show-secrets",
        ],
    );
    assert!(text.stdout.contains(GITHUB), "{}", text.stdout);
}
