//! Confidence: high for prefixed tokens, medium for generic assignments (low in tests and
//! docs); `--min-confidence` filters; SARIF `precision` follows it.

mod common;
use common::{hygiene, write};

#[test]
fn min_confidence_filters_and_sarif_precision_follows() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "aws.txt",
        "aws_access_key_id = AKIAQ3EGRX7M2TW5KJ4N\n",
    );
    write(root, "settings.py", "DB_PASSWORD = \"Qx7#vLm2Tz9k\"\n");
    write(
        root,
        ".netrc",
        "machine api.example.net login ci password Vt7qXm2Lz9\n",
    );

    let ids = |args: &[&str]| -> Vec<(String, String)> {
        let mut all = vec!["scan", ".", "--format", "json"];
        all.extend_from_slice(args);
        let r = hygiene(root, &all).json();
        let mut v: Vec<(String, String)> = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule_id"].as_str().unwrap().to_string(),
                    f["confidence"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let all = ids(&[]);
    assert!(
        all.contains(&("aws-access-key-id".into(), "high".into())),
        "{all:?}"
    );
    assert!(
        all.contains(&("generic-password".into(), "medium".into())),
        "{all:?}"
    );
    assert!(all.contains(&("netrc".into(), "high".into())), "{all:?}");
    let medium = ids(&["--min-confidence", "medium"]);
    assert!(medium.iter().all(|(_, c)| c != "low"), "{medium:?}");
    assert!(medium.iter().any(|(r, _)| r == "generic-password"));
    assert!(medium.iter().any(|(r, _)| r == "netrc"));
    let high = ids(&["--min-confidence", "high"]);
    assert!(high.iter().all(|(_, c)| c == "high"), "{high:?}");
    assert!(high.iter().any(|(r, _)| r == "aws-access-key-id"));

    let sarif = hygiene(root, &["scan", ".", "--format", "sarif"]).json();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let precision = |id: &str| {
        rules
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} not in SARIF rules"))["properties"]["precision"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(precision("aws-access-key-id"), "very-high");
    assert_eq!(precision("netrc"), "very-high");
    assert_eq!(precision("generic-password"), "high");
    let tags = rules
        .iter()
        .find(|r| r["id"] == "generic-password")
        .unwrap()["properties"]["tags"]
        .as_array()
        .unwrap()
        .clone();
    assert!(tags.iter().any(|t| t == "generic"));
}
