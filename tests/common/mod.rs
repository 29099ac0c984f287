//! Helpers for end-to-end tests: build trees in temp dirs and run the real binary on them.
#![allow(dead_code)]

pub mod http;
pub mod registries;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Path of the built `hygiene` binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_hygiene"))
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Standard output as JSON; a scan report is also checked against the documented schema
    /// (`docs/report.schema.json`), so every end-to-end test that reads a report validates it.
    pub fn json(&self) -> serde_json::Value {
        let value = serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        });
        if is_scan_report(&value) {
            assert_report_schema(&value);
        }
        value
    }
}

/// Whether a JSON document is a scan report (rather than a package list or a baseline).
pub fn is_scan_report(value: &serde_json::Value) -> bool {
    value.get("findings").is_some() && value.get("stats").is_some() && value.get("tool").is_some()
}

/// Panics with every violation when `report` does not follow `docs/report.schema.json`.
pub fn assert_report_schema(report: &serde_json::Value) {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report.schema.json");
        let text = std::fs::read_to_string(&path).expect("docs/report.schema.json");
        let schema: serde_json::Value = serde_json::from_str(&text).expect("the schema is JSON");
        jsonschema::validator_for(&schema).expect("the schema compiles")
    });
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the report does not follow docs/report.schema.json:\n{}\n{report:#}",
        errors.join("\n")
    );
}

pub fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `hygiene args...` in `dir` with a clean colour environment.
pub fn hygiene(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run hygiene");
    finish(out)
}

/// Runs `hygiene args...` in `dir` like [`hygiene`], with `envs` set, and fails the test if
/// it has not ended after `limit`: a hang becomes a failure with what was printed so far,
/// not a test suite that never ends. The limit is a guard, never a measurement: keep it
/// generous.
pub fn hygiene_bounded(
    dir: &Path,
    args: &[&str],
    envs: &[(&str, &str)],
    limit: std::time::Duration,
) -> Run {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .envs(envs.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run hygiene");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for hygiene") {
            break Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let run = Run {
        code: status.and_then(|s| s.code()).unwrap_or(-1),
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    };
    assert!(
        status.is_some(),
        "hygiene {args:?} was still running after {limit:?} (a hang); stderr so far:\n{}",
        run.stderr
    );
    run
}

/// Writes `content` to `root/rel`, creating parent directories.
pub fn write(root: &Path, rel: &str, content: impl AsRef<[u8]>) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&path, content).expect("write");
    // Private, as a careful user keeps files with secrets: a test about anything else must
    // not also get `secret-file-permissions` findings for a readable fixture (tests of that
    // rule set modes themselves).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
}

/// `git args...` in `dir` with a fixed identity and no system or user configuration, so a
/// test sees the same git on every machine.
pub fn git_command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("git");
    cmd.args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "Test Author")
        .env("GIT_COMMITTER_EMAIL", "author@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", dir)
        .env("NO_COLOR", "1");
    cmd
}

/// Runs `git args...` in `dir` whatever its exit status (a hook may refuse).
pub fn git_try(dir: &Path, args: &[&str]) -> Output {
    git_command(dir, args).output().expect("run git")
}

/// Runs `git args...` in `dir`, panicking on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_try(dir, args);
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Where a JSON report found content: (path, line) of every finding but the path-only ones
/// (sensitive files, and files with a secret readable by others: their mode depends on the
/// checkout's umask), for scoring against a labelled corpus's `truth.tsv`.
pub fn found_lines(report: &serde_json::Value) -> std::collections::BTreeSet<(String, u64)> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .filter(|f| {
            let rule = f["rule_id"].as_str().unwrap_or_default();
            !rule.starts_with("sensitive-file-") && rule != "secret-file-permissions"
        })
        .map(|f| {
            (
                f["path"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// The findings array of a JSON report, as (rule_id, path, line, column) tuples.
pub fn positions(report: &serde_json::Value) -> Vec<(String, String, u64, u64)> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or_default().to_string(),
                f["path"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
                f["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// Path of the shared test data, if present (CI has it; a bare checkout may not).
pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        missing_shared(&format!(
            "{} not found; this test needs ../shared",
            p.display()
        ));
        None
    }
}

/// Says loudly that a test's shared data is missing and it was skipped — or, under CI
/// (`CI=true`, where `../shared` is always present), fails: a green CI run then proves every
/// test over the shared data really ran.
pub fn missing_shared(what: &str) {
    let ci = std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
    assert!(!ci, "CI=true but the shared test data is missing: {what}");
    eprintln!("\n*** SKIPPED: {what} ***\n");
}

/// Zips every file of `src` (flat) into `zip`: the layout of an OSV `<Ecosystem>/all.zip`.
pub fn zip_dir(src: &Path, zip: &Path) {
    use std::io::Write as _;
    std::fs::create_dir_all(zip.parent().expect("zip path has a parent")).expect("mkdir");
    let file = std::fs::File::create(zip).expect("create zip");
    let mut w = zip::ZipWriter::new(file);
    let mut entries: Vec<_> = std::fs::read_dir(src)
        .expect("read fixture dir")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("zip entry");
        w.write_all(&std::fs::read(&path).expect("read fixture"))
            .expect("write zip");
    }
    w.finish().expect("finish zip");
}
