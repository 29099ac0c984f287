//! Several reports from one scan: `--format text` on stdout with `--sarif`, `--json` and
//! `--text` files, all rendered from the same outcome.

mod common;
use common::{hygiene, write};
use serde_json::Value;
use std::collections::BTreeSet;

/// Invented AWS key ids in the real format (never issued by AWS).
const KEY_A: &str = "AKIAQ3EGRX7M2TW5KJ4N";
const KEY_B: &str = "AKIAZ7WQ4ML2XB6TRP3D";

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "src/config.py",
        format!("# settings\nAWS_KEY = \"{KEY_A}\"\n"),
    );
    write(dir.path(), "deploy/env.sh", format!("export K={KEY_B}\n"));
    dir
}

fn read_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).expect("report file");
    serde_json::from_str(&text).expect("valid JSON")
}

/// (rule, path, line) of every JSON finding.
fn from_json(report: &Value) -> BTreeSet<(String, String, u64)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or_default().to_string(),
                f["path"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// (rule, path, line) of every SARIF result.
fn from_sarif(sarif: &Value) -> BTreeSet<(String, String, u64)> {
    sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap_or_default().to_string(),
                loc["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                loc["region"]["startLine"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// (rule, path, line) of every text finding line (`path:line:col  severity rule  message`).
fn from_text(text: &str) -> BTreeSet<(String, String, u64)> {
    text.lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let location = words.next()?;
            let _severity = words.next()?;
            let rule = words.next()?;
            let mut parts = location.split(':');
            let path = parts.next()?;
            let line = parts.next()?.parse().ok()?;
            let _column: u64 = parts.next()?.parse().ok()?;
            Some((rule.to_string(), path.to_string(), line))
        })
        .collect()
}

#[test]
fn one_scan_writes_text_sarif_and_json_with_the_same_findings() {
    let dir = tree();
    let run = hygiene(
        dir.path(),
        &[
            "scan",
            ".",
            "--no-deps",
            "--format",
            "text",
            "--sarif",
            "out/report.sarif",
            "--json",
            "out/report.json",
            "--text",
            "out/report.txt",
        ],
    );
    // The output directory does not exist: a clear error, no partial file.
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("report.sarif"), "{}", run.stderr);

    std::fs::create_dir(dir.path().join("out")).expect("mkdir");
    let run = hygiene(
        dir.path(),
        &[
            "scan",
            ".",
            "--no-deps",
            "--format",
            "text",
            "--sarif",
            "out/report.sarif",
            "--json",
            "out/report.json",
            "--text",
            "out/report.txt",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = from_text(&run.stdout);
    assert_eq!(text.len(), 2, "{}", run.stdout);
    let json = read_json(&dir.path().join("out/report.json"));
    let sarif = read_json(&dir.path().join("out/report.sarif"));
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(from_json(&json), text);
    assert_eq!(from_sarif(&sarif), text);
    // The text file is the stdout report (no colours either way here).
    let file = std::fs::read_to_string(dir.path().join("out/report.txt")).expect("text file");
    assert_eq!(from_text(&file), text);
    assert!(!file.contains('\x1b'));
    // No temporary file is left beside the reports.
    let names: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    // The secrets stay redacted in every report.
    for body in [
        run.stdout.clone(),
        json.to_string(),
        sarif.to_string(),
        file,
    ] {
        assert!(!body.contains(KEY_A) && !body.contains(KEY_B));
    }
}

#[test]
fn output_file_still_takes_the_main_format() {
    let dir = tree();
    let run = hygiene(
        dir.path(),
        &[
            "scan",
            ".",
            "--no-deps",
            "-f",
            "json",
            "-o",
            "main.json",
            "--sarif",
            "x.sarif",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let main = read_json(&dir.path().join("main.json"));
    let sarif = read_json(&dir.path().join("x.sarif"));
    assert_eq!(from_json(&main), from_sarif(&sarif));
    assert_eq!(from_json(&main).len(), 2);
}

#[test]
fn text_locations_are_path_line_col() {
    let dir = tree();
    let run = hygiene(dir.path(), &["scan", ".", "--no-deps"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("src/"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(line.starts_with("src/config.py:2:"), "{line}");
    let column = line["src/config.py:2:".len()..]
        .split_whitespace()
        .next()
        .and_then(|c| c.parse::<u64>().ok());
    assert_eq!(column, Some(12), "{line}");
}
