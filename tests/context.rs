//! Context lowers what is not a credential: vendorless findings in tests, fixtures, examples
//! and docs are low confidence and do not fail a scan by default (`--min-confidence low` makes
//! them count); a provider's token keeps its confidence there; names that say "not a
//! credential" (CSRF tokens, nonces, hashes) silence the generic rules.

mod common;
use common::{hygiene, write};

fn findings(root: &std::path::Path, args: &[&str]) -> (i32, Vec<(String, String, String)>) {
    let mut all = vec!["scan", ".", "--format", "json", "--no-deps"];
    all.extend_from_slice(args);
    let run = hygiene(root, &all);
    let report = run.json();
    let list = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule_id"].as_str().unwrap().to_string(),
                f["confidence"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (run.code, list)
}

#[test]
fn samples_in_tests_and_docs_are_reported_but_do_not_fail() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "tests/test_login.py",
        "def test_login():\n    password = \"Qx7#vLm2Tz9k\"\n",
    );
    write(
        root,
        "docs/setup.md",
        "Set `DB_PASSWORD = \"Hn3pQ6sY9bC2\"` in settings.\n",
    );
    let (code, list) = findings(root, &[]);
    assert_eq!(code, 0, "low-confidence findings must not fail: {list:?}");
    assert_eq!(list.len(), 2, "{list:?}");
    assert!(list.iter().all(|(_, _, c)| c == "low"), "{list:?}");
    let (code, _) = findings(root, &["--min-confidence", "low"]);
    assert_eq!(code, 1, "--min-confidence low makes them count");
    let (code, list) = findings(root, &["--min-confidence", "medium"]);
    assert_eq!((code, list.len()), (0, 0));

    // The same line in application code fails the scan.
    write(root, "app/settings.py", "DB_PASSWORD = \"Qx7#vLm2Tz9k\"\n");
    let (code, list) = findings(root, &[]);
    assert_eq!(code, 1, "{list:?}");
    assert!(list.contains(&(
        "app/settings.py".into(),
        "generic-password".into(),
        "medium".into()
    )));
}

#[test]
fn provider_tokens_keep_their_confidence_in_tests() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "spec/fixtures/config.yml",
        "github_token: ghp_R4nD0mTok3nV4lu3Xq9Lm2Zp8Kt5Wc7Yb1Nd\n",
    );
    let (code, list) = findings(root, &[]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter()
            .any(|(_, r, c)| r.starts_with("github") && c == "high"),
        "{list:?}"
    );
}

#[test]
fn names_that_are_not_credentials_stay_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "app/views.py",
        "csrf_token = \"Zx91Lq7TbW3mRv8KpN2cQw\"\n\
         authenticity_token = 'Rq8vT2xL9mKp4WzN7bYcAa'\n\
         next_page_token = \"a3f9c2e81b7d4605f2e9c8a17b3d5e04\"\n\
         SECRET_HASH = \"9f8e7d6c5b4a39281706f5e4d3c2b1a0\"\n\
         file_checksum_secret_sha256 = \"4f8a2c9e1b7d3f5a0c6e8b2d4f9a1c3e\"\n",
    );
    let (code, list) = findings(root, &[]);
    assert_eq!((code, list.len()), (0, 0), "{list:?}");
}
