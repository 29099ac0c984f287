//! The SARIF report validates against the OASIS schema and meets GitHub's upload checklist.

mod common;
use common::{hygiene, shared, write};

fn sarif_for_tree() -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "src/a b.py", "k = 'AKIAQ3EGRX7M2TW5KJ4N'\n");
    write(dir.path(), "b.txt", "id=ASIAY34FZKBOKMUTVV7A\n");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("dangling")).unwrap();
    let run = hygiene(dir.path(), &["scan", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("SARIF is JSON")
}

#[test]
fn sarif_validates_against_the_schema() {
    let Some(schema_path) = shared("sarif/sarif-schema-2.1.0.json") else {
        return;
    };
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let log = sarif_for_tree();
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

#[test]
fn sarif_meets_githubs_checklist() {
    let log = sarif_for_tree();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "hygiene/");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 1, "one rule, listed once");
    let rule = &rules[0];
    assert_eq!(rule["id"], "aws-access-key-id");
    for field in ["name", "shortDescription", "fullDescription", "help"] {
        assert!(!rule[field].is_null(), "rule lacks {field}");
    }
    assert!(rule["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("rotate"));
    let sev: f64 = rule["properties"]["security-severity"]
        .as_str()
        .expect("security-severity is a string")
        .parse()
        .expect("numeric");
    assert!((0.0..=10.0).contains(&sev));
    assert!(rule["properties"]["tags"]
        .as_array()
        .unwrap()
        .contains(&"security".into()));
    assert!(rule["properties"]["precision"].is_string());

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        assert_eq!(r["ruleId"], "aws-access-key-id");
        assert_eq!(r["ruleIndex"], 0);
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            !uri.starts_with('/') && !uri.contains("://"),
            "relative uri: {uri}"
        );
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
        assert!(r["partialFingerprints"]["primaryLocationLineHash"].is_string());
    }
    assert_eq!(
        results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "src/a%20b.py"
    );
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "warning");
    assert!(notes[0]["message"]["text"]
        .as_str()
        .unwrap()
        .contains("dangling"));
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}
