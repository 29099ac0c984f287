//! What a scan says on standard error: nothing with `--quiet`, a timing breakdown with
//! `--verbose`, never a progress line when standard error is not a terminal; and the online
//! advisory check failing fast, with its advice, without a network.

mod common;
use common::http::{Resp, Server};
use common::{hygiene, write};
use serde_json::json;
use std::time::Duration;

const KEY: &str = "AKIAQ3EGRX7M2TW5KJ4N";

const CARGO_LOCK: &str = r#"version = 3

[[package]]
name = "fixture-alpha"
version = "1.2.3"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;

/// A tree with nothing to report and nothing to warn about.
fn clean_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "src/main.py", "print('hello')\n");
    write(dir.path(), "README.md", "# nothing to see\n");
    dir
}

/// Signs of a progress line: carriage returns, ANSI sequences, spinner glyphs.
fn has_progress(stderr: &str) -> bool {
    stderr.contains('\r')
        || stderr.contains('\x1b')
        || stderr.contains("scanning")
        || stderr
            .chars()
            .any(|c| ('\u{2800}'..='\u{28ff}').contains(&c))
}

#[test]
fn quiet_leaves_stderr_empty_and_still_reports() {
    let dir = clean_tree();
    let run = hygiene(dir.path(), &["scan", ".", "--no-deps", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert!(run.stdout.contains("no findings"), "{}", run.stdout);

    write(dir.path(), "config.py", format!("AWS_KEY = \"{KEY}\"\n"));
    let run = hygiene(dir.path(), &["scan", ".", "--no-deps", "-q", "-f", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_eq!(run.json()["findings"].as_array().map(Vec::len), Some(1));
}

#[test]
fn quiet_and_verbose_do_not_mix() {
    let dir = clean_tree();
    let run = hygiene(dir.path(), &["scan", ".", "-q", "-v"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn verbose_prints_each_phase_and_no_secret() {
    let dir = clean_tree();
    write(dir.path(), "config.py", format!("AWS_KEY = \"{KEY}\"\n"));
    write(dir.path(), "Cargo.lock", CARGO_LOCK);
    let run = hygiene(
        dir.path(),
        &[
            "scan",
            ".",
            "--offline",
            "--db-dir",
            "nodb",
            "-v",
            "--show-secrets",
        ],
    );
    for phase in [
        "rules compilation",
        "walk+read",
        "secret rules",
        "lockfile parsing",
        "advisory check",
        "update check",
        "report rendering",
    ] {
        assert!(run.stderr.contains(phase), "{phase}: {}", run.stderr);
    }
    // The report shows the secret (asked for), the timings never do.
    assert!(run.stdout.contains(KEY), "{}", run.stdout);
    assert!(!run.stderr.contains(KEY), "{}", run.stderr);
}

#[test]
fn json_stats_carry_the_timings() {
    let dir = clean_tree();
    write(dir.path(), "Cargo.lock", CARGO_LOCK);
    let run = hygiene(dir.path(), &["scan", ".", "--no-deps", "-f", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let timings = &run.json()["stats"]["timings"];
    for key in [
        "rules_compile_seconds",
        "read_seconds",
        "secret_rules_seconds",
        "lockfiles_seconds",
        "advisories_seconds",
        "outdated_seconds",
    ] {
        assert!(
            timings[key].as_f64().is_some_and(|s| s >= 0.0),
            "{key}: {timings}"
        );
    }
    assert!(
        timings["rules_compile_seconds"].as_f64() > Some(0.0),
        "{timings}"
    );
}

#[test]
fn no_progress_when_stderr_is_not_a_terminal() {
    // An advisory API that takes 1.5 s: the scan lasts past the progress line's delay.
    let server = Server::start(|_| Resp {
        delay: Duration::from_millis(1500),
        ..Resp::json(200, &json!({"results": [{}]}))
    });
    let dir = clean_tree();
    write(dir.path(), "Cargo.lock", CARGO_LOCK);
    let run = hygiene(dir.path(), &["scan", ".", "--osv-url", &server.url()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(server.requests().len(), 1);
    assert!(!has_progress(&run.stderr), "{:?}", run.stderr);
    assert_eq!(run.stderr, "");
}

/// Without a network the advisory check fails at once with its advice, the secrets are still
/// reported, and the scan is incomplete. (The unit tests of the API client count the
/// attempts: one, no retries.)
fn offline_scan(osv_url: &str) {
    let dir = clean_tree();
    write(dir.path(), "Cargo.lock", CARGO_LOCK);
    write(dir.path(), "config.py", format!("AWS_KEY = \"{KEY}\"\n"));
    let started = std::time::Instant::now();
    let run = hygiene(
        dir.path(),
        &["scan", ".", "--osv-url", osv_url, "-f", "json", "-q"],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    let report = run.json();
    let errors = report["errors"].as_array().expect("errors");
    let advice = errors
        .iter()
        .find(|e| e["kind"] == "advisories")
        .unwrap_or_else(|| panic!("{report:#}"));
    let message = advice["message"].as_str().unwrap_or_default();
    assert!(message.contains("cannot reach"), "{message}");
    assert!(message.contains("--offline"), "{message}");
    assert!(report["findings"]
        .as_array()
        .is_some_and(|f| f.iter().any(|f| f["path"] == "config.py")));
    // Generous: four attempts with the default backoff would take 3.5 s of sleeping alone.
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn unresolvable_advisory_host_fails_fast_with_advice() {
    // RFC 6761: `.invalid` never resolves.
    offline_scan("http://nonexistent.invalid");
}

#[test]
fn refused_advisory_connection_fails_fast_with_advice() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    offline_scan(&format!("http://127.0.0.1:{port}"));
}
