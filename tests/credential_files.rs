//! Credential files read as what they are (end to end): a weak password in a format that
//! stores credentials is found at its own line and column and names the file kind; empty and
//! templated fields stay quiet (no path-only finding either); a binary credential store falls
//! back to its path; the same works in git history; encoded secrets are found and located at
//! the encoded text, with the encoding named in JSON and SARIF.

mod common;
use common::{git, hygiene, write};
use serde_json::Value;

const SITES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
<FileZilla3 version="3.66.5" platform="windows">
	<Servers>
		<Server>
			<Host>ftp.shop.example.net</Host>
			<Port>21</Port>
			<Protocol>0</Protocol>
			<Type>0</Type>
			<User>webmaster</User>
			<Pass encoding="base64">YWRtaW4xMjM=</Pass>
			<Logontype>1</Logontype>
			<Name>shop live</Name>
		</Server>
		<Server>
			<Host>sftp.backup.example.net</Host>
			<Port>22</Port>
			<Protocol>1</Protocol>
			<User>backup</User>
			<Pass>summer2019!</Pass>
			<Name>backup</Name>
		</Server>
	</Servers>
</FileZilla3>
"#;

fn findings(report: &Value) -> Vec<&Value> {
    report["findings"].as_array().unwrap().iter().collect()
}

#[test]
fn weak_passwords_in_credential_files_are_located_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "home/ops/.config/filezilla/sitemanager.xml", SITES);
    let run = hygiene(root, &["scan", ".", "--no-deps", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    let list = findings(&report);
    let got: Vec<(String, u64, u64, String)> = list
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["rule_name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Line 10: `\t\t\t<Pass encoding="base64">` is 3 tabs + 24 characters before the value.
    assert_eq!(
        got,
        [
            (
                "filezilla-sites".to_string(),
                10,
                28,
                "Credential in FileZilla saved sites".to_string()
            ),
            (
                "filezilla-sites".to_string(),
                19,
                10,
                "Credential in FileZilla saved sites".to_string()
            ),
        ],
        "{report:#}"
    );
    assert_eq!(list[0]["encoding"], "base64");
    assert!(list[0]["message"]
        .as_str()
        .unwrap()
        .contains("FileZilla saved sites"));
    // Never the whole value.
    assert!(!run.stdout.contains("summer2019!"));
    assert!(!run.stdout.contains("YWRtaW4xMjM="));
}

#[test]
fn empty_and_templated_credential_files_say_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let templated = SITES
        .replace("YWRtaW4xMjM=", "")
        .replace("summer2019!", "${FTP_BACKUP_PASSWORD}");
    write(root, "sitemanager.xml", &templated);
    write(
        root,
        "deploy/sitemanager.xml",
        SITES
            .replace("summer2019!", "changeme")
            .replace("YWRtaW4xMjM=", "{{ ftp_pass }}"),
    );
    let run = hygiene(root, &["scan", ".", "--no-deps", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(findings(&run.json()).is_empty(), "{}", run.stdout);
}

#[test]
fn binary_credential_stores_fall_back_to_their_path() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // DBeaver encrypts credentials-config.json (AES): nothing to read, the path is the finding.
    write(
        root,
        ".dbeaver/credentials-config.json",
        b"\x9a\x1f\x00\x83\xee\x10binary-aes-ciphertext\x00\x01",
    );
    let run = hygiene(root, &["scan", ".", "--no-deps", "--format", "json"]);
    let report = run.json();
    let ids: Vec<&str> = findings(&report)
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["sensitive-file-database-connections"], "{report:#}");
}

#[test]
fn credential_files_are_read_in_git_history() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(root, "sitemanager.xml", SITES);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "saved sites"]);
    git(root, &["rm", "-q", "sitemanager.xml"]);
    git(root, &["commit", "-q", "-m", "oops"]);
    let run = hygiene(root, &["scan", ".", "--history", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    let list = findings(&report);
    assert_eq!(list.len(), 2, "{report:#}");
    assert!(list
        .iter()
        .all(|f| f["rule_id"] == "filezilla-sites" && f["commit"].is_string()));
}

#[test]
fn encoded_secrets_are_found_at_the_encoded_text() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // A base64 value that decodes to a config file holding an AWS secret key.
    // base64("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8f3kLm2N\n")
    write(
        root,
        "deploy/app-config.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\nbinaryData:\n  \
         credentials: YXdzX3NlY3JldF9hY2Nlc3Nfa2V5ID0gd0phbHJYVXRuRkVNSS9LN01ERU5HL2JQeFJmaUNZelE4ZjNrTG0yTgo=\n",
    );
    write(
        root,
        "hooks.json",
        "{\"remote\": \"https:\\/\\/deploy:Qw7xLm2Rt9zK@git.example.net\\/org\\/repo.git\"}\n",
    );
    write(
        root,
        "app.env.txt",
        "DATABASE_URL=postgres://app:p%40ss%23Xk9mQ2@db.example.net/app\n",
    );
    let run = hygiene(root, &["scan", ".", "--no-deps", "--format", "json"]);
    let report = run.json();
    let got: Vec<(String, String, u64, u64, String)> = findings(&report)
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule_id"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["encoding"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    assert!(
        got.contains(&(
            "deploy/app-config.yaml".into(),
            "aws-secret-access-key".into(),
            6,
            48,
            "base64".into()
        )),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(p, _, l, c, e)| p == "hooks.json" && (*l, *c) == (1, 30) && e == "json-escape"),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(p, _, l, _, e)| p == "app.env.txt" && *l == 1 && e == "percent"),
        "{got:?}"
    );
    let sarif = hygiene(root, &["scan", ".", "--no-deps", "--format", "sarif"]).json();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results
        .iter()
        .any(|r| r["properties"]["encoding"] == "base64"));
    let text = hygiene(root, &["scan", ".", "--no-deps"]).stdout;
    assert!(text.contains("(base64 encoded)"), "{text}");
    assert!(!text.contains("wJalrXUtnFEMI"), "{text}");
}
