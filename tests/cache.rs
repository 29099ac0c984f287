//! `scan --cache DIR`: a scan run again reads only what changed, and reports exactly what a
//! scan without the cache reports.

mod common;

use common::{git, hygiene, write, Run};
use serde_json::Value;
use std::path::Path;

const KEY_A: &str = "AKIAQ3EGRX7M2TW5KJ4N";
const KEY_B: &str = "AKIAZ7WQ4ML2XB6TRP3D";
const KEY_C: &str = "AKIAR5TY7UE2WQ4XNM6B";
const TOKEN: &str = "acme_0123456789abcdef0123456789abcdef";

const ACME_RULE: &str = r#"[[rules]]
id = "acme-internal-token"
name = "ACME internal API token"
description = "A token for ACME's internal API."
regex = '''\b(acme_[0-9a-f]{32})\b'''
keywords = ["acme_"]
severity = "high"
confidence = "high"
examples = ["ACME_TOKEN=acme_0123456789abcdef0123456789abcdef"]
"#;

/// Sets every file under `root` (but `.git`) to an old modification time: the cache does not
/// remember a file modified within seconds of the scan (a second write in the same tick would
/// go unseen), and the tests' files are all brand new.
fn age(root: &Path) {
    for entry in walk(root) {
        age_file(&entry);
    }
}

/// [`age`] for one file (touching a file changes its change time, which the cache key holds:
/// touching them all would change every key).
fn age_file(path: &Path) {
    let out = std::process::Command::new("touch")
        .args(["-m", "-d", "@1600000000"])
        .arg(path)
        .output()
        .expect("touch");
    assert!(out.status.success());
}

fn walk(root: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(root).expect("read_dir").flatten() {
        let p = e.path();
        if e.file_name() == ".git" {
            continue;
        }
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn scan(root: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["scan", "--no-deps", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(".");
    let run = hygiene(root, &args);
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}; stderr: {}\n{}",
        run.code,
        run.stderr,
        run.stdout
    );
    run
}

/// The report without what may differ between two runs of the same scan: the statistics and
/// timings.
fn comparable(report: &Value) -> Value {
    let mut r = report.clone();
    if let Some(o) = r.as_object_mut() {
        o.remove("stats");
        o.remove("duration_seconds");
    }
    r
}

fn stat(report: &Value, name: &str) -> u64 {
    report["stats"][name].as_u64().expect(name)
}

fn secrets(report: &Value) -> Vec<String> {
    let mut out: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| format!("{} {}", f["path"], f["rule_id"]))
        .collect();
    out.sort();
    out
}

/// Every file of the cache directory (the main file and a journal alike).
fn assert_no_whole_secret(cache: &Path, secrets: &[&str]) {
    assert!(cache.join("scan-v4.bin").is_file(), "the cache file");
    for entry in std::fs::read_dir(cache).expect("the cache directory") {
        let path = entry.expect("an entry").path();
        let bytes = std::fs::read(&path).expect("a cache file");
        for s in secrets {
            assert!(
                !bytes.windows(s.len()).any(|w| w == s.as_bytes()),
                "{} holds the whole secret {s}",
                path.display()
            );
        }
    }
}

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "src/config.py", format!("KEY = \"{KEY_A}\"\n"));
    write(root, "src/other.py", format!("OTHER = \"{KEY_B}\"\n"));
    write(root, "README.md", "hello\n");
    write(root, "logo.bin", b"\x00\x01binary\x00");
    write(root, "latin1.txt", b"caf\xe9\n");
    for i in 0..20 {
        write(root, &format!("lib/m{i}.py"), format!("x = {i}\n"));
    }
    dir
}

#[test]
fn a_tree_scan_replays_what_is_unchanged_and_reads_what_changed() {
    let dir = tree();
    let root = dir.path();
    age(root);
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let cache = cache_dir.path().to_str().expect("utf-8 path");

    let plain = scan(root, &[]).json();
    let first = scan(root, &["--cache-dir", cache]).json();
    assert_eq!(comparable(&first), comparable(&plain));
    assert_eq!(stat(&first, "cache_hits"), 0);
    assert!(stat(&first, "cache_misses") > 20);

    let second = scan(root, &["--cache-dir", cache]).json();
    assert_eq!(comparable(&second), comparable(&plain));
    assert_eq!(stat(&second, "cache_misses"), 0);
    assert_eq!(stat(&second, "cache_hits"), stat(&first, "cache_misses"));
    assert_eq!(
        stat(&second, "files_scanned"),
        stat(&plain, "files_scanned")
    );
    assert_eq!(
        stat(&second, "skipped_binary"),
        stat(&plain, "skipped_binary")
    );
    // Text and SARIF render the replayed findings as they render read ones.
    for format in ["text", "sarif"] {
        let with = hygiene(
            root,
            &["scan", "--no-deps", "-f", format, "--cache-dir", cache, "."],
        );
        let without = hygiene(root, &["scan", "--no-deps", "-f", format, "."]);
        let strip = |s: &str| {
            s.lines()
                .filter(|l| !l.contains(" in ") || !l.contains("scanned"))
                .filter(|l| !l.contains("duration") && !l.contains("Time"))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&with.stdout), strip(&without.stdout), "{format}");
    }

    // One file changed: it alone is read, and its new secret found.
    write(root, "src/other.py", format!("OTHER = \"{KEY_C}\"\n"));
    age_file(&root.join("src/other.py"));
    let third = scan(root, &["--cache-dir", cache]).json();
    let plain = scan(root, &[]).json();
    assert_eq!(comparable(&third), comparable(&plain));
    assert_eq!(stat(&third, "cache_misses"), 1);
    assert!(third.to_string().contains("AKIA"), "{third}");
    assert_no_whole_secret(cache_dir.path(), &[KEY_A, KEY_B, KEY_C]);
}

#[test]
fn show_secrets_prints_whole_values_with_a_warm_cache() {
    let dir = tree();
    let root = dir.path();
    age(root);
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let cache = cache_dir.path().to_str().expect("utf-8 path");
    scan(root, &["--cache-dir", cache]);
    let warm = scan(root, &["--cache-dir", cache]).json();
    assert!(stat(&warm, "cache_hits") > 0);
    assert!(!warm.to_string().contains(KEY_A));
    let shown = scan(root, &["--cache-dir", cache, "--show-secrets"]);
    assert!(shown.stdout.contains(KEY_A), "{}", shown.stdout);
    assert!(shown.stdout.contains(KEY_B), "{}", shown.stdout);
    assert_eq!(stat(&shown.json(), "cache_hits"), 0);
    assert_no_whole_secret(cache_dir.path(), &[KEY_A, KEY_B]);
}

#[test]
fn a_configuration_or_rules_change_starts_the_cache_afresh() {
    let dir = tree();
    let root = dir.path();
    let rules = tempfile::tempdir().expect("tempdir");
    write(rules.path(), "acme.toml", ACME_RULE);
    write(root, "src/acme.py", format!("T = \"{TOKEN}\"\n"));
    age(root);
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let cache = cache_dir.path().to_str().expect("utf-8 path");
    let rules_dir = rules.path().to_str().expect("utf-8 path");

    let first = scan(root, &["--cache-dir", cache, "--rules", rules_dir]).json();
    assert!(secrets(&first).iter().any(|s| s.contains("acme")));
    let warm = scan(root, &["--cache-dir", cache, "--rules", rules_dir]).json();
    assert_eq!(comparable(&warm), comparable(&first));
    assert!(stat(&warm, "cache_hits") > 0);

    // The rule file changes (a narrower regex): nothing is replayed, the token is not found.
    write(
        rules.path(),
        "acme.toml",
        ACME_RULE
            .replace("acme_[0-9a-f]{32}", "acme_[g-z]{32}")
            .replace(
                "ACME_TOKEN=acme_0123456789abcdef",
                "ACME_TOKEN=acme_ghijklmnopqrstuvwxyzghijklmnopqrstuv",
            ),
    );
    let changed = scan(root, &["--cache-dir", cache, "--rules", rules_dir]).json();
    assert_eq!(stat(&changed, "cache_hits"), 0);
    assert!(!secrets(&changed).iter().any(|s| s.contains("acme")));

    // The configuration disables a rule: it takes effect at once.
    let before = scan(root, &["--cache-dir", cache]).json();
    assert!(secrets(&before)
        .iter()
        .any(|s| s.contains("aws-access-key-id")));
    write(
        root,
        ".hygiene.toml",
        "[secrets]\ndisable = [\"aws-access-key-id\"]\n",
    );
    age(root);
    let disabled = scan(root, &["--cache-dir", cache]).json();
    assert_eq!(stat(&disabled, "cache_hits"), 0);
    assert!(!secrets(&disabled)
        .iter()
        .any(|s| s.contains("aws-access-key-id")));
    assert_eq!(comparable(&disabled), comparable(&scan(root, &[]).json()));
    assert_no_whole_secret(cache_dir.path(), &[KEY_A, KEY_B, TOKEN]);
}

#[test]
fn a_corrupt_cache_file_is_ignored_with_a_warning() {
    let dir = tree();
    let root = dir.path();
    age(root);
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let cache = cache_dir.path().to_str().expect("utf-8 path");
    let plain = scan(root, &[]).json();
    scan(root, &["--cache-dir", cache]);
    let file = cache_dir.path().join("scan-v4.bin");
    let bytes = std::fs::read(&file).expect("cache file");
    for broken in [
        bytes[..bytes.len() / 2].to_vec(),
        Vec::new(),
        b"garbage".to_vec(),
        {
            let mut b = bytes.clone();
            let mid = b.len() / 2;
            b[mid] ^= 0xff;
            b
        },
    ] {
        std::fs::write(&file, &broken).expect("write");
        let run = scan(root, &["--cache-dir", cache]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let report = run.json();
        assert_eq!(stat(&report, "cache_hits"), 0);
        assert_eq!(comparable_findings(&report), comparable_findings(&plain));
        assert!(
            report["errors"]
                .as_array()
                .expect("errors")
                .iter()
                .any(|e| e["kind"] == "cache" && e["level"] == "warning"),
            "{report}"
        );
        // Rewritten whole: the next run replays.
        let next = scan(root, &["--cache-dir", cache]).json();
        assert!(stat(&next, "cache_hits") > 0);
    }
}

fn comparable_findings(report: &Value) -> Value {
    report["findings"].clone()
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(root, "README.md", "hello\n");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "first"]);
    write(root, "src/config.py", format!("KEY = \"{KEY_A}\"\n"));
    write(root, "src/other.py", format!("OTHER = \"{KEY_B}\"\n"));
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "keys"]);
    write(root, "src/config.py", "KEY = os.environ['KEY']\n");
    // The same secret again elsewhere: still one finding, at its first introduction.
    write(root, "src/copy.py", format!("KEY = \"{KEY_A}\"\n"));
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "move"]);
    dir
}

#[test]
fn a_history_scan_replays_known_blobs_and_reads_new_ones() {
    let dir = repo();
    let root = dir.path();
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let cache = cache_dir.path().to_str().expect("utf-8 path");

    let plain = scan(root, &["--history"]).json();
    let first = scan(root, &["--history", "--cache-dir", cache]).json();
    assert_eq!(comparable(&first), comparable(&plain));
    let second = scan(root, &["--history", "--cache-dir", cache]).json();
    assert_eq!(comparable(&second), comparable(&plain));
    assert_eq!(stat(&second, "cache_misses"), 0);
    assert_eq!(stat(&second, "cache_hits"), stat(&first, "cache_misses"));
    assert_eq!(secrets(&second).len(), 2, "{second}");

    // One more commit: its blob is read, the rest replayed; the old secret copied again is
    // still one finding.
    write(
        root,
        "src/new.py",
        format!("NEW = \"{KEY_C}\"\nOLD = \"{KEY_B}\"\n"),
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "more"]);
    let plain = scan(root, &["--history"]).json();
    let third = scan(root, &["--history", "--cache-dir", cache]).json();
    assert_eq!(comparable(&third), comparable(&plain));
    assert_eq!(stat(&third, "cache_misses"), 1);
    assert_eq!(secrets(&third).len(), 3, "{third}");

    // A range scan answers from the same cache.
    let since = scan(root, &["--since", "HEAD~1", "--cache-dir", cache]).json();
    let since_plain = scan(root, &["--since", "HEAD~1"]).json();
    assert_eq!(comparable(&since), comparable(&since_plain));

    let shown = scan(root, &["--history", "--cache-dir", cache, "--show-secrets"]);
    assert!(shown.stdout.contains(KEY_A) && shown.stdout.contains(KEY_C));
    assert_no_whole_secret(cache_dir.path(), &[KEY_A, KEY_B, KEY_C]);
}

/// What a run adds to a long history's cache goes to the journal beside the main file, not a
/// rewrite of it; the next run answers from both, a finding of a rule the main file never
/// stored included.
#[test]
fn one_new_commit_is_added_to_the_journal_and_answered_from_it() {
    const PAYSTACK: &str = "sk_live_7c1e94a0b3d25f68e0a9c4b17d3f2e85a6c09b4d";
    let dir = repo();
    let root = dir.path();
    for i in 0..300 {
        write(root, &format!("docs/page{i}.md"), format!("page {i}\n"));
    }
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "pages"]);
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let cache = cache_dir.path().to_str().expect("utf-8 path");
    let main = cache_dir.path().join("scan-v4.bin");
    let journal = cache_dir.path().join("scan-v4.journal");
    scan(root, &["--history", "--cache-dir", cache]);
    let written = std::fs::read(&main).expect("the cache file");
    assert!(!journal.exists());

    write(
        root,
        "billing.py",
        format!("# Paystack\nPAYSTACK_SECRET_KEY = \"{PAYSTACK}\"\n"),
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "billing"]);
    let plain = scan(root, &["--history"]).json();
    assert!(
        secrets(&plain).iter().any(|s| s.contains("paystack")),
        "{plain}"
    );
    let added = scan(root, &["--history", "--cache-dir", cache]).json();
    assert_eq!(comparable(&added), comparable(&plain));
    assert_eq!(stat(&added, "cache_misses"), 1);
    assert_eq!(
        std::fs::read(&main).expect("main"),
        written,
        "the main file was rewritten"
    );
    assert!(journal.is_file(), "no journal written");

    let again = scan(root, &["--history", "--cache-dir", cache]).json();
    assert_eq!(comparable(&again), comparable(&plain));
    assert_eq!(stat(&again, "cache_misses"), 0);
    assert_no_whole_secret(cache_dir.path(), &[KEY_A, KEY_B, PAYSTACK]);
}

/// A commit's changes are remembered too: a warm history scan diffs no old commit (proved by
/// deleting an old tree object, which only a diff would read) and, having learnt nothing,
/// leaves the cache file as it was.
#[test]
fn a_warm_history_scan_diffs_only_new_commits() {
    let dir = repo();
    let root = dir.path();
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let cache = cache_dir.path().to_str().expect("utf-8 path");
    let file = cache_dir.path().join("scan-v4.bin");

    let first = scan(root, &["--history", "--cache-dir", cache]).json();
    let written = std::fs::read(&file).expect("the cache file");
    let second = scan(root, &["--history", "--cache-dir", cache]).json();
    assert_eq!(comparable(&second), comparable(&first));
    assert_eq!(
        std::fs::read(&file).expect("the cache file"),
        written,
        "a run that learnt nothing rewrote the cache"
    );

    // The first commit's tree: needed by the diffs of the first two commits, and only there.
    let tree = git(root, &["rev-parse", "HEAD~2^{tree}"]);
    let tree = tree.trim();
    let loose = root.join(".git/objects").join(&tree[..2]).join(&tree[2..]);
    std::fs::remove_file(&loose).expect("the tree is a loose object");
    let cold = hygiene(
        root,
        &["scan", "--no-deps", "--format", "json", "--history", "."],
    );
    assert_eq!(
        cold.code, 3,
        "without the cache the missing tree is an error"
    );
    assert!(
        cold.stdout.contains(&format!("tree {tree} is missing")),
        "{}",
        cold.stdout
    );
    let warm = scan(root, &["--history", "--cache-dir", cache]).json();
    assert_eq!(warm["errors"], serde_json::json!([]), "{warm}");
    assert_eq!(comparable(&warm), comparable(&first));
    assert_eq!(secrets(&warm).len(), 2, "{warm}");

    // A new commit is diffed (and its new blob read) and remembered.
    write(root, "src/new.py", format!("NEW = \"{KEY_C}\"\n"));
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "more"]);
    let third = scan(root, &["--history", "--cache-dir", cache]).json();
    assert_eq!(third["errors"], serde_json::json!([]), "{third}");
    assert_eq!(stat(&third, "cache_misses"), 1);
    assert_eq!(secrets(&third).len(), 3, "{third}");
    assert_ne!(std::fs::read(&file).expect("the cache file"), written);
}

/// `--cache` alone keeps the cache under `$HYGIENE_CACHE_DIR/scan/`, one directory per
/// scanned tree, so two repositories scanned on one machine do not take turns emptying it.
#[test]
fn cache_without_a_directory_keeps_one_per_tree_under_the_cache_directory() {
    let a = tree();
    let b = tree();
    age(a.path());
    age(b.path());
    let home = tempfile::tempdir().expect("tempdir");
    let run = |root: &Path| {
        let out = std::process::Command::new(common::bin())
            .args(["scan", "--no-deps", "--format", "json", "--cache", "."])
            .current_dir(root)
            .env("HYGIENE_CACHE_DIR", home.path())
            .env_remove("HYGIENE_SCAN_CACHE")
            .output()
            .expect("run hygiene");
        common::finish(out)
    };
    let first = run(a.path()).json();
    let warm = run(a.path()).json();
    assert_eq!(comparable(&warm), comparable(&first));
    assert_eq!(stat(&warm, "cache_misses"), 0);
    assert!(stat(&warm, "cache_hits") > 0);
    run(b.path());
    let dirs: Vec<_> = std::fs::read_dir(home.path().join("scan"))
        .expect("the scan cache directory")
        .map(|e| e.expect("an entry").path())
        .collect();
    assert_eq!(dirs.len(), 2, "{dirs:?}");
    for d in &dirs {
        assert!(d.join("scan-v4.bin").is_file(), "{}", d.display());
    }
    // Still warm after the other tree's scan.
    assert_eq!(stat(&run(a.path()).json(), "cache_misses"), 0);
}
