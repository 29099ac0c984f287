//! `action.yml` (the composite GitHub Action) and `docs/examples/github-workflow.yml` have the
//! shape GitHub needs, and the action's shell steps do what they say when run with bash
//! against the real binary: the scan's exit code is held back so the upload still runs, extra
//! arguments and odd paths get through quoted, and the verdict fails the job on findings.

mod common;
use common::{bin, write};
use serde_yaml_ng::Value;
use std::path::Path;
use std::process::Command;

fn yaml(rel: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not YAML: {e}"))
}

fn steps(v: &Value) -> &Vec<Value> {
    v["runs"]["steps"].as_sequence().expect("runs.steps")
}

fn step<'a>(action: &'a Value, name: &str) -> &'a Value {
    steps(action)
        .iter()
        .find(|s| s["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("no step named {name}"))
}

#[test]
fn the_action_is_composite_with_defaults_and_an_upload() {
    let action = yaml("action.yml");
    assert!(action["name"].is_string() && action["description"].is_string());
    assert_eq!(action["runs"]["using"], "composite");
    for (input, default) in [
        ("path", "."),
        ("args", ""),
        ("sarif-file", "hygiene.sarif"),
        ("category", "hygiene"),
        ("upload", "true"),
        ("fail-on-findings", "true"),
        ("scan-cache", "true"),
    ] {
        let i = &action["inputs"][input];
        assert!(i["description"].is_string(), "{input} lacks a description");
        assert_eq!(i["default"].as_str(), Some(default), "{input}'s default");
    }
    let steps = steps(&action);
    for s in steps {
        // A composite `run` step must name its shell; none pastes an input into a script.
        if let Some(run) = s["run"].as_str() {
            assert_eq!(s["shell"], "bash", "{:?}", s["name"]);
            assert!(
                !run.contains("${{"),
                "{:?} interpolates into shell",
                s["name"]
            );
        }
    }
    let names: Vec<&str> = steps.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "Key the build cache on the action's sources",
            "Restore the hygiene binary",
            "Build hygiene",
            "Restore the scan cache",
            "Scan",
            "Upload to code scanning",
            "Verdict",
        ]
    );
    let cache = step(&action, "Restore the hygiene binary");
    assert!(cache["uses"]
        .as_str()
        .unwrap()
        .starts_with("actions/cache@"));
    let build = step(&action, "Build hygiene");
    assert!(build["if"].as_str().unwrap().contains("cache-hit"));
    assert!(build["run"]
        .as_str()
        .unwrap()
        .contains("cargo install --locked --force --path \"$GITHUB_ACTION_PATH\""));

    let upload = step(&action, "Upload to code scanning");
    assert!(upload["uses"]
        .as_str()
        .unwrap()
        .starts_with("github/codeql-action/upload-sarif@"));
    let cond = upload["if"].as_str().unwrap();
    assert!(cond.contains("always()") && cond.contains("inputs.upload == 'true'"));
    assert_eq!(upload["with"]["category"], "${{ inputs.category }}");
    assert!(step(&action, "Verdict")["if"]
        .as_str()
        .unwrap()
        .contains("always()"));
}

#[test]
fn the_example_workflow_can_upload_and_sees_history() {
    let wf = yaml("docs/examples/github-workflow.yml");
    assert!(wf["on"]["push"].is_mapping() && !wf["on"]["pull_request"].is_string());
    assert!(wf["on"].as_mapping().unwrap().contains_key("pull_request"));
    assert_eq!(wf["permissions"]["security-events"], "write");
    assert_eq!(wf["permissions"]["contents"], "read");
    let steps = wf["jobs"]["hygiene"]["steps"].as_sequence().expect("steps");
    let checkout = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout@"))
        })
        .expect("a checkout");
    assert_eq!(checkout["with"]["fetch-depth"], 0);
    let scan = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("hygiene-scanner/hygiene@"))
        })
        .expect("the action");
    assert_eq!(scan["with"]["upload"], "true");
    assert!(scan["with"]["args"].as_str().unwrap().contains("--history"));
}

/// Runs one of the action's `run` scripts with bash the way a runner would: inputs in the
/// environment, `$GITHUB_OUTPUT` a file, `$HOME/.cargo/bin/hygiene` the binary under test.
fn run_step(script: &str, dir: &Path, env: &[(&str, &str)]) -> (i32, String) {
    let home = dir.join("home");
    std::fs::create_dir_all(home.join(".cargo/bin")).unwrap();
    let link = home.join(".cargo/bin/hygiene");
    if !link.exists() {
        std::os::unix::fs::symlink(bin(), &link).unwrap();
    }
    let output = dir.join("github_output");
    std::fs::write(&output, "").unwrap();
    let status = Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(dir.join("ws"))
        .env("HOME", &home)
        .env("GITHUB_OUTPUT", &output)
        .env("NO_COLOR", "1")
        .env_remove("HYGIENE_CACHE_DIR")
        .env_remove("HYGIENE_SCAN_CACHE")
        .env_remove("XDG_CACHE_HOME")
        .envs(env.iter().copied())
        .status()
        .expect("run bash");
    (
        status.code().unwrap_or(-1),
        std::fs::read_to_string(&output).unwrap(),
    )
}

#[test]
fn the_scan_step_keeps_the_exit_code_for_the_verdict() {
    let action = yaml("action.yml");
    let scan = step(&action, "Scan")["run"].as_str().unwrap().to_string();
    let verdict = step(&action, "Verdict")["run"]
        .as_str()
        .unwrap()
        .to_string();
    let tmp = tempfile::tempdir().unwrap();
    // A path with a space and a glob character, to prove the quoting.
    write(
        &tmp.path().join("ws"),
        "my src [1]/app.py",
        "k = 'AKIAQ3EGRX7M2TW5KJ4N'\n",
    );
    let inputs = |args: &'static str| {
        vec![
            ("HYGIENE_PATH", "my src [1]"),
            ("HYGIENE_ARGS", args),
            ("HYGIENE_SARIF", "out dir.sarif"),
            ("HYGIENE_CATEGORY", "hygiene"),
            ("HYGIENE_USE_CACHE", "true"),
        ]
    };

    // Findings: the step itself succeeds (so the upload runs) and records exit code 1.
    let (code, out) = run_step(&scan, tmp.path(), &inputs(""));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("exit-code=1\n"), "{out}");
    assert!(out.contains("written=true\n"), "{out}");
    assert!(out.contains("sarif-file=out dir.sarif\n"), "{out}");
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("ws/out dir.sarif")).unwrap(),
    )
    .unwrap();
    assert_eq!(sarif["runs"][0]["automationDetails"]["id"], "hygiene");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);
    // The scan cache went where the "Restore the scan cache" step keeps it.
    let kept = std::fs::read_dir(tmp.path().join("home/.cache/hygiene/scan"))
        .expect("the scan cache under ~/.cache/hygiene/scan")
        .count();
    assert_eq!(kept, 1);
    let restore = step(&action, "Restore the scan cache");
    assert_eq!(restore["with"]["path"], "~/.cache/hygiene/scan");
    assert_eq!(restore["if"], "inputs.scan-cache == 'true'");

    // Extra arguments get through, split on whitespace: a high finding passes --fail-on
    // critical.
    let (_, out) = run_step(&scan, tmp.path(), &inputs("--fail-on  critical"));
    assert!(out.contains("exit-code=0\n"), "{out}");

    // A usage error: nothing written, so no upload; the verdict fails with its code.
    let (_, out) = run_step(&scan, tmp.path(), &inputs("--no-such-flag"));
    assert!(out.contains("exit-code=2\n"), "{out}");
    assert!(out.contains("written=false\n"), "{out}");

    let verdict_for = |code: &str, fail: &str| {
        run_step(
            &verdict,
            tmp.path(),
            &[("CODE", code), ("FAIL_ON_FINDINGS", fail)],
        )
        .0
    };
    assert_eq!(verdict_for("0", "true"), 0);
    assert_eq!(verdict_for("1", "true"), 1);
    assert_eq!(verdict_for("1", "false"), 0);
    assert_eq!(verdict_for("2", "true"), 2);
    assert_eq!(verdict_for("3", "false"), 3);
    assert_ne!(verdict_for("", "true"), 0, "a scan that never ran fails");
}
