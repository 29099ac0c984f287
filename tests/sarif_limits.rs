//! SARIF that GitHub code scanning accepts and tracks: inside its hard limits (25,000 results
//! a run, the least severe cut first and counted), fingerprints that survive code moving, and
//! no made-up region on a finding about a whole file.

mod common;
use common::{hygiene, shared, write};
use serde_json::Value;
use std::path::Path;

fn sarif(dir: &Path) -> Value {
    let run = hygiene(dir, &["scan", "--format", "sarif", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.json()
}

fn notifications(log: &Value) -> Vec<String> {
    log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|n| {
                    n["message"]["text"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A small deterministic generator (an LCG), so the invented keys are the same every run.
struct Lcg(u64);

impl Lcg {
    fn pick(&mut self, alphabet: &[u8]) -> char {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        alphabet[(self.0 >> 33) as usize % alphabet.len()] as char
    }

    fn token(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len).map(|_| self.pick(alphabet)).collect()
    }
}

#[test]
fn over_25000_results_the_least_severe_are_left_out_and_counted() {
    // 24,950 AWS access key ids (high) and 150 AppSync keys (medium): 25,100 findings, so
    // 100 must go, and all of them medium. Invented keys of the real formats; one file keeps
    // the scan to a few seconds even in a debug build.
    const HIGH: usize = 24_950;
    const MEDIUM: usize = 150;
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Lcg(7);
    let mut text = String::new();
    for i in 0..HIGH {
        let key = rng.token(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        text.push_str(&format!("key_{i} = AKIA{key}\n"));
    }
    for i in 0..MEDIUM {
        let key = rng.token(b"abcdefghijklmnopqrstuvwxyz0123456789", 26);
        text.push_str(&format!("appsync_{i} = da2-{key}\n"));
    }
    write(dir.path(), "keys.txt", text);

    let log = sarif(dir.path());
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "one run (GitHub takes at most 20)");
    let results = runs[0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 25_000);
    let count = |rule: &str| results.iter().filter(|r| r["ruleId"] == rule).count();
    assert_eq!(
        count("aws-access-key-id"),
        HIGH,
        "every high result is kept"
    );
    assert_eq!(count("aws-appsync-api-key"), 50);
    for r in results {
        assert_eq!(r["locations"].as_array().map(Vec::len), Some(1));
        assert!(r.get("relatedLocations").is_none() && r.get("codeFlows").is_none());
    }
    // Kept results are listed in file order, not by rank.
    let lines: Vec<u64> = results
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64())
        .collect::<Option<_>>()
        .expect("every result has a line");
    assert!(lines.windows(2).all(|w| w[0] < w[1]));

    let notes = notifications(&log);
    let truncated: Vec<&String> = notes.iter().filter(|n| n.contains("left out")).collect();
    assert_eq!(truncated.len(), 1, "{notes:?}");
    assert!(
        truncated[0].contains("100 results (100 medium) left out"),
        "{}",
        truncated[0]
    );
    assert!(truncated[0].contains("25000"), "{}", truncated[0]);
}

#[test]
fn fingerprints_stay_when_lines_are_inserted_above() {
    let dir = tempfile::tempdir().unwrap();
    let body = "def connect():\n    key = 'AKIAQ3EGRX7M2TW5KJ4N'\n    return key\n";
    write(dir.path(), "src/app.py", body);
    let before = sarif(dir.path());
    write(
        dir.path(),
        "src/app.py",
        format!("# one\n# two\n# three\nimport os\n\n{body}"),
    );
    let after = sarif(dir.path());

    let only = |log: &Value| -> Value {
        let results = log["runs"][0]["results"].as_array().expect("results");
        assert_eq!(results.len(), 1, "{results:?}");
        results[0].clone()
    };
    let (a, b) = (only(&before), only(&after));
    let line = |r: &Value| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64();
    assert_eq!(line(&a), Some(2));
    assert_eq!(line(&b), Some(7), "the finding moved down 5 lines");
    assert!(a["partialFingerprints"]["primaryLocationLineHash"].is_string());
    assert_eq!(a["partialFingerprints"], b["partialFingerprints"]);
    assert!(!a["fingerprints"]
        .as_object()
        .expect("fingerprints")
        .is_empty());
    assert_eq!(a["fingerprints"], b["fingerprints"]);
}

#[test]
fn a_finding_about_a_whole_file_has_no_region() {
    let dir = tempfile::tempdir().unwrap();
    // A key file by name (its content is no help), a credential file whose content cannot be
    // read as text, a file with a secret readable by others, a manifest without a lockfile:
    // each is about the file, not a line of it. The secret itself has its place.
    write(dir.path(), "deploy/id_rsa", "not read\n");
    write(dir.path(), ".env", b"A=1\0\0\0binary\n");
    write(dir.path(), "app.py", "k = 'AKIAQ3EGRX7M2TW5KJ4N'\n");
    write(dir.path(), "open.py", "aws = 'AKIAQ3EGRX7M2TW5KJ5N'\n");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.path().join("open.py"),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
    }
    write(
        dir.path(),
        "package.json",
        r#"{"name":"x","dependencies":{"left-pad":"^1.0.0"}}"#,
    );
    let log = sarif(dir.path());
    let results = log["runs"][0]["results"].as_array().expect("results");
    let mut seen = Vec::new();
    for r in results {
        let rule = r["ruleId"].as_str().expect("ruleId");
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"].is_string(), "{r}");
        let whole_file = rule.starts_with("sensitive-file-")
            || rule == "secret-file-permissions"
            || rule == "manifest-without-lockfile";
        if whole_file {
            assert!(loc.get("region").is_none(), "{rule} has a region: {loc}");
        } else {
            assert!(
                loc["region"]["startLine"].as_u64() >= Some(1),
                "{rule}: {loc}"
            );
            assert!(
                loc["region"]["startColumn"].as_u64() > Some(1),
                "{rule}: {loc}"
            );
        }
        seen.push(rule.to_string());
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "aws-access-key-id",
            "aws-access-key-id",
            "manifest-without-lockfile",
            "secret-file-permissions",
            "sensitive-file-env",
            "sensitive-file-ssh-private-key",
        ]
    );

    // A location with no region is valid SARIF.
    let Some(schema_path) = shared("sarif/sarif-schema-2.1.0.json") else {
        return;
    };
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "schema violations:\n{}",
        errors.join("\n")
    );
}
