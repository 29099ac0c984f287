//! Sensitive files are findings by their path, binary or not, whatever their content — those
//! whose content is no help (keys, keystores, password databases). A readable credential file
//! (`.env`) reports its located credentials instead, and nothing when it holds none.

mod common;
use common::{hygiene, write};

#[test]
fn sensitive_files_are_found_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".env", "LOG_LEVEL=debug\n");
    write(root, ".env.example", "DB_PASS=changeme\n");
    write(root, "deploy/id_rsa", "not really a key\n");
    write(root, "deploy/id_rsa.pub", "ssh-ed25519 AAAA\n");
    write(root, "certs/client.p12", b"\x30\x82\x00\x00binary");
    write(
        root,
        "keys/server.ppk",
        "PuTTY-User-Key-File-3: ssh-ed25519\n",
    );
    write(root, "vault.kdbx", b"\x03\xd9\xa2\x9a\x00binary");
    write(root, "tests/fixtures/keystore.jks", b"\xfe\xed\xfe\xed\x00");
    write(root, "src/main.rs", "fn main() {}\n");
    let run = hygiene(root, &["scan", ".", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    let got: Vec<(String, String, String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule_id"].as_str().unwrap().to_string(),
                f["confidence"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, String, String, u64)> = [
        ("certs/client.p12", "sensitive-file-keystore", "high"),
        ("deploy/id_rsa", "sensitive-file-ssh-private-key", "high"),
        ("keys/server.ppk", "sensitive-file-putty-key", "high"),
        // In a test directory: still reported, one confidence level lower.
        (
            "tests/fixtures/keystore.jks",
            "sensitive-file-keystore",
            "medium",
        ),
        ("vault.kdbx", "sensitive-file-password-database", "high"),
    ]
    .iter()
    .map(|(p, r, c)| (p.to_string(), r.to_string(), c.to_string(), 1))
    .collect();
    assert_eq!(got, want, "{report:#}");
    for f in report["findings"].as_array().unwrap() {
        assert_eq!(f["kind"], "secret");
        assert!(f["secret"].is_null());
    }
}

#[test]
fn sensitive_file_rules_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let run = hygiene(dir.path(), &["rules", "list"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("sensitive-file-ssh-private-key"));
    assert!(run.stdout.contains("generic-password"));
}
