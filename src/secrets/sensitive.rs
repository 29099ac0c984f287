//! Sensitive files, found by path: a committed `id_rsa`, keystore, `.env`, `.ppk`, password
//! database or credential store is a finding whatever its content, even when it is binary or
//! no content rule matches (a DER key, a PKCS#12 bundle, a KeePass database).
//!
//! Checked from [`crate::source::walk::Visitor::path`], called for every regular file before
//! it is read. Findings are of kind `secret` (they are credentials, and baselines, allowlists
//! and `--min-confidence` treat them like any other secret), rule ids `sensitive-file-<what>`,
//! at line 1, with a fingerprint over rule id and path (the content is not read here, so a
//! changed file keeps its fingerprint).
//!
//! Files under a test-looking directory (`test/`, `tests/`, `testdata/`, `fixtures/`,
//! `examples/`, ...) are still reported, one confidence level lower: test keys are committed
//! on purpose more often than not, but a real key in a test directory is still a real key.
//! Templates (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`) are not sensitive.

use super::context::in_test_directory;
use crate::finding::{fingerprint, Confidence, Finding, FindingKind, RuleInfo, Severity};
use regex::{RegexSet, RegexSetBuilder};
use std::sync::Arc;

/// One kind of sensitive file.
struct Kind {
    id: &'static str,
    name: &'static str,
    description: &'static str,
    /// Regex over the lowercased relative path (`/`-separated).
    path: &'static str,
    severity: Severity,
    confidence: Confidence,
    /// A text format that credential-file formats (`patterns/formats/`) read: its located
    /// credentials are the findings, and the path alone is reported only when the content
    /// cannot be read as text (binary, encrypted, over the size limit) or no format knows it.
    readable: bool,
}

/// Every kind, most specific first (the first that matches names the finding).
const KINDS: &[Kind] = &[
    Kind {
        id: "sensitive-file-env",
        name: "Environment file (.env)",
        description: "A `.env` file: it holds the environment of a deployment, usually with database passwords and API keys. Commit a `.env.example` with placeholders instead and keep `.env` in `.gitignore`.",
        path: r"(?:^|/)(?:\.env(?:\.(?:local|dev|development|prod|production|staging|stage|test|testing|ci|qa|uat|live|docker|backup|bak|old|save|secret|secrets))*|[\w-]+\.env)$",
        severity: Severity::High,
        confidence: Confidence::Medium,
        readable: true,
    },
    Kind {
        id: "sensitive-file-ssh-private-key",
        name: "SSH private key file",
        description: "An SSH private key (`id_rsa`, `id_ed25519`, `ssh_host_*_key`, ...): whoever has it logs in wherever its public key is authorised.",
        path: r"(?:^|/)(?:id_(?:rsa|dsa|ecdsa|ed25519|xmss)(?:_sk)?(?:[_-][\w-]*)?|ssh_host_[\w-]*key|identity)$",
        severity: Severity::Critical,
        confidence: Confidence::High,
        readable: false,
    },
    Kind {
        id: "sensitive-file-putty-key",
        name: "PuTTY private key file (.ppk)",
        description: "A PuTTY private key. Whoever has it logs in wherever its public key is authorised.",
        path: r"\.ppk$",
        severity: Severity::Critical,
        confidence: Confidence::High,
        readable: false,
    },
    Kind {
        id: "sensitive-file-keystore",
        name: "Keystore or PKCS#12 bundle",
        description: "A Java keystore or PKCS#12 bundle (`.jks`, `.keystore`, `.p12`, `.pfx`, `.bks`, `.jceks`): certificates with their private keys, often protected only by a default password.",
        path: r"\.(?:jks|keystore|p12|pfx|pkcs12|bks|jceks|bcfks)$",
        severity: Severity::High,
        confidence: Confidence::High,
        readable: false,
    },
    Kind {
        id: "sensitive-file-rails-master-key",
        name: "Rails master key",
        description: "`config/master.key` or `config/credentials/<env>.key`: it decrypts the application's `credentials.yml.enc`.",
        path: r"(?:^|/)config/(?:master|credentials/[\w-]+)\.key$",
        severity: Severity::Critical,
        confidence: Confidence::High,
        readable: false,
    },
    Kind {
        id: "sensitive-file-private-key",
        name: "Private key file",
        description: "A private key file (`.key`, `.p8`, `.pk8`, GnuPG `secring`): a TLS, signing or API private key.",
        path: r"(?:^|/)(?:[\w.-]*\.(?:p8|pk8|pkcs8)|secring\.(?:gpg|kbx|skr)|(?:[\w-]+\.)*(?:[\w-]+)\.key)$",
        severity: Severity::High,
        confidence: Confidence::Medium,
        readable: false,
    },
    Kind {
        id: "sensitive-file-password-database",
        name: "Password manager database",
        description: "A password manager database or keychain (KeePass `.kdbx`, macOS keychain, Password Safe, browser `key4.db` / `Login Data`). Its master password is the only thing between a reader and every credential in it.",
        path: r"(?:^|/)(?:[^/]*\.(?:kdbx|kdb|keychain|keychain-db|psafe3|agilekeychain|opvault)|key[34]\.db|login data)$",
        severity: Severity::Critical,
        confidence: Confidence::High,
        readable: false,
    },
    Kind {
        id: "sensitive-file-credential-store",
        name: "Credential store file",
        description: "A file whose format is a list of credentials: `.git-credentials`, `.netrc`, `.pgpass`, `.htpasswd`, `.pypirc`, `.s3cfg`, AWS `credentials`, docker `config.json` / `.dockercfg`, `/etc/shadow`.",
        path: r"(?:^|/)(?:\.git-credentials|[._]netrc|\.pgpass|\.htpasswd|\.pypirc|\.s3cfg|\.dockercfg|\.aws/credentials|\.docker/config\.json|(?:etc/)?g?shadow-?|master\.passwd)$",
        severity: Severity::High,
        confidence: Confidence::High,
        readable: true,
    },
    Kind {
        id: "sensitive-file-cloud-credentials",
        name: "Cloud credentials file",
        description: "A credentials file of a cloud SDK or OAuth client (`credentials.json`, `client_secret*.json`, `service-account*.json`, gcloud `application_default_credentials.json`, Azure `accessTokens.json`).",
        path: r"(?:^|/)(?:credentials\.json|client_secrets?[\w.-]*\.json|service[-_]account[\w.-]*\.json|application_default_credentials\.json|accesstokens\.json|azureprofile\.json)$",
        severity: Severity::High,
        confidence: Confidence::Medium,
        readable: true,
    },
    Kind {
        id: "sensitive-file-ftp-config",
        name: "FTP/SFTP client or editor deployment config",
        description: "Saved FTP/SFTP connections with their passwords: FileZilla `sitemanager.xml` / `recentservers.xml`, Sublime SFTP `sftp-config.json`, VS Code `.vscode/sftp.json`, Atom `.ftpconfig`, JetBrains `.idea/webServers.xml`, WinSCP `WinSCP.ini`.",
        path: r"(?:^|/)(?:sitemanager\.xml|recentservers\.xml|filezilla\.xml|sftp-config\.json|\.vscode/sftp\.json|\.ftpconfig|\.remote-sync\.json|\.idea/webservers\.xml|winscp\.ini|deployment-config\.json)$",
        severity: Severity::High,
        confidence: Confidence::Medium,
        readable: true,
    },
    Kind {
        id: "sensitive-file-database-connections",
        name: "Database client connection file",
        description: "Saved database connections of a GUI client (DBeaver `credentials-config.json`, Navicat `.ncx`, Robo 3T, SQuirreL aliases, JetBrains `dataSources.local.xml`), which keep passwords, often only obfuscated.",
        path: r"(?:^|/)(?:credentials-config\.json|[^/]*\.ncx|robo(?:mongo|3t)\.json|sqlaliases\d*\.xml|\.idea/datasources\.local\.xml|\.my\.cnf|\.mylogin\.cnf)$",
        severity: Severity::High,
        confidence: Confidence::Medium,
        readable: true,
    },
    Kind {
        id: "sensitive-file-shell-history",
        name: "Shell or database client history",
        description: "A command history (`.bash_history`, `.zsh_history`, `.mysql_history`, `.psql_history`, ...): passwords typed on command lines end up here.",
        path: r"(?:^|/)\.(?:bash|zsh|sh|ksh|fish|mysql|psql|sqlite|rediscli|python|node_repl|irb|lesshst)_?history$",
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        readable: false,
    },
    Kind {
        id: "sensitive-file-terraform-state",
        name: "Terraform state file",
        description: "Terraform state (`.tfstate`) stores every resource attribute in clear text, database passwords and generated keys included. Keep it in an encrypted remote backend.",
        path: r"\.tfstate(?:\.backup)?$",
        severity: Severity::High,
        confidence: Confidence::Medium,
        readable: true,
    },
    Kind {
        id: "sensitive-file-kerberos-keytab",
        name: "Kerberos keytab",
        description: "A Kerberos keytab: long-term keys that authenticate as its principals without a password.",
        path: r"\.keytab$",
        severity: Severity::High,
        confidence: Confidence::High,
        readable: false,
    },
];

/// Names that look sensitive but are templates or public halves.
const NOT_SENSITIVE: &str = r"(?:\.pub|\.example|\.sample|\.template|\.tmpl|\.dist|\.defaults?|\.schema|\.md|\.txt|\.rs|\.go|\.py|\.rb|\.js|\.ts|\.java|\.c|\.h|\.enc|\.gpg\.key|\.asc\.key|(?:^|/)public\.key|(?:^|/)pub(?:lic)?[\w.-]*\.key)$";

/// The sensitive-file checker: compiled path patterns and the rule info of each kind.
pub struct SensitiveFiles {
    set: RegexSet,
    not: regex::Regex,
    /// Indexes into `KINDS` of the enabled kinds, parallel to `set`'s patterns.
    kinds: Vec<usize>,
    infos: Vec<Arc<RuleInfo>>,
}

/// Ids of every sensitive-file rule (for `rules list` and config validation).
pub fn rule_ids() -> Vec<&'static str> {
    KINDS.iter().map(|k| k.id).collect()
}

/// Rule info of every sensitive-file rule, as `rules list` and SARIF show them.
pub fn rule_infos() -> Vec<Arc<RuleInfo>> {
    KINDS.iter().map(|k| Arc::new(info(k))).collect()
}

fn info(k: &Kind) -> RuleInfo {
    RuleInfo {
        id: k.id.to_string(),
        name: k.name.to_string(),
        short_description: k.name.to_string(),
        full_description: k.description.to_string(),
        help_markdown: format!(
            "**{}**\n\n{}\n\n**What to do**\n\n\
             1. Treat every credential in the file as compromised: rotate or revoke it.\n\
             2. Remove the file from the repository (`git rm --cached`), add it to \
             `.gitignore`, and purge it from history (`git filter-repo`) after rotating.\n\n\
             If the file is meant to be public (a test fixture, a throwaway key), allow its path \
             in `.hygiene.toml` (`[allow] paths = [...]`) or add it to the baseline.",
            k.name, k.description
        ),
        tags: vec![
            "security".to_string(),
            "secret".to_string(),
            "sensitive-file".to_string(),
        ],
        severity: k.severity,
        confidence: k.confidence,
        security_severity: k.severity.security_severity(),
    }
}

impl SensitiveFiles {
    /// Every kind except those whose id is in `disabled`.
    pub fn new(disabled: &[String]) -> SensitiveFiles {
        let kinds: Vec<usize> = (0..KINDS.len())
            .filter(|&i| !disabled.iter().any(|d| d == KINDS[i].id))
            .collect();
        let set = RegexSetBuilder::new(kinds.iter().map(|&i| KINDS[i].path))
            .build()
            .expect("built-in sensitive-file patterns compile");
        SensitiveFiles {
            set,
            not: regex::Regex::new(NOT_SENSITIVE).expect("pattern compiles"),
            kinds,
            infos: KINDS.iter().map(|k| Arc::new(info(k))).collect(),
        }
    }

    /// The finding for `rel` (relative, `/`-separated) if it names a sensitive file whose
    /// content is no help (a key, a keystore, a password database): reported whatever the
    /// file holds. Readable credential files are left to [`Self::check_unread`].
    pub fn check(&self, rel: &str) -> Option<Finding> {
        self.check_kind(rel, false)
    }

    /// The finding for `rel` if it names a readable credential file (`.env`, `.netrc`,
    /// `sitemanager.xml`, ...) whose content was not read as text: binary (an encrypted
    /// DBeaver `credentials-config.json`), too large, or of a layout no format reads.
    pub fn check_unread(&self, rel: &str) -> Option<Finding> {
        self.check_kind(rel, true)
    }

    fn check_kind(&self, rel: &str, readable: bool) -> Option<Finding> {
        let lower = rel.to_lowercase();
        // Nearly every path matches nothing, and `is_match` stops at the first match state
        // instead of tracking every pattern to the end of the path.
        if !self.set.is_match(&lower) {
            return None;
        }
        let first = self.set.matches(&lower).into_iter().next()?;
        if self.not.is_match(&lower) {
            return None;
        }
        let k = self.kinds[first];
        let kind = &KINDS[k];
        if kind.readable != readable {
            return None;
        }
        let mut confidence = kind.confidence;
        if in_test_directory(&lower) {
            confidence = match confidence {
                Confidence::High => Confidence::Medium,
                _ => Confidence::Low,
            };
        }
        Some(Finding {
            kind: FindingKind::Secret,
            rule: self.infos[k].clone(),
            path: rel.to_string(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            severity: kind.severity,
            confidence,
            fingerprint: fingerprint(&[kind.id, rel]),
            message: format!("{} committed: {rel}", kind.name),
            secret: None,
            commit: None,
            package: None,
            advisory: None,
            encoding: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(rel: &str) -> Option<String> {
        let s = SensitiveFiles::new(&[]);
        s.check(rel)
            .or_else(|| s.check_unread(rel))
            .map(|f| f.rule.id.clone())
    }

    #[test]
    fn readable_credential_files_are_left_to_their_content() {
        let s = SensitiveFiles::new(&[]);
        for path in [".env", ".netrc", "sitemanager.xml", "terraform.tfstate"] {
            assert!(s.check(path).is_none(), "{path}");
            assert!(s.check_unread(path).is_some(), "{path}");
        }
        for path in ["id_rsa", "vault.kdbx", "release.keystore"] {
            assert!(s.check(path).is_some(), "{path}");
            assert!(s.check_unread(path).is_none(), "{path}");
        }
    }

    #[test]
    fn sensitive_paths_are_found() {
        for (path, want) in [
            (".env", "sensitive-file-env"),
            ("app/.env.production", "sensitive-file-env"),
            ("deploy/prod.env", "sensitive-file-env"),
            ("home/.ssh/id_rsa", "sensitive-file-ssh-private-key"),
            ("id_ed25519", "sensitive-file-ssh-private-key"),
            ("keys/server.ppk", "sensitive-file-putty-key"),
            ("android/app/release.keystore", "sensitive-file-keystore"),
            ("certs/client.p12", "sensitive-file-keystore"),
            ("certs/client.PFX", "sensitive-file-keystore"),
            (
                "src/main/resources/truststore.jks",
                "sensitive-file-keystore",
            ),
            ("tls/server.key", "sensitive-file-private-key"),
            ("AuthKey_ABC123.p8", "sensitive-file-private-key"),
            ("vault.kdbx", "sensitive-file-password-database"),
            (".git-credentials", "sensitive-file-credential-store"),
            (".netrc", "sensitive-file-credential-store"),
            ("etc/shadow", "sensitive-file-credential-store"),
            (".docker/config.json", "sensitive-file-credential-store"),
            ("credentials.json", "sensitive-file-cloud-credentials"),
            ("sitemanager.xml", "sensitive-file-ftp-config"),
            (".vscode/sftp.json", "sensitive-file-ftp-config"),
            ("config/master.key", "sensitive-file-rails-master-key"),
            (".bash_history", "sensitive-file-shell-history"),
            ("infra/terraform.tfstate", "sensitive-file-terraform-state"),
        ] {
            assert_eq!(id(path).as_deref(), Some(want), "{path}");
        }
    }

    #[test]
    fn templates_and_public_halves_are_not_sensitive() {
        for path in [
            ".env.example",
            ".env.sample",
            ".env.template",
            ".env.dist",
            "id_rsa.pub",
            "src/env.rs",
            "environment.ts",
            "keys/llvm-snapshot.gpg.key",
            "docs/id_rsa.md",
            "config.json",
            ".envrc",
            "src/credentials.rs",
            "monkey.txt",
        ] {
            assert_eq!(id(path), None, "{path}");
        }
    }

    #[test]
    fn test_directories_lower_confidence() {
        let s = SensitiveFiles::new(&[]);
        assert_eq!(s.check("id_rsa").unwrap().confidence, Confidence::High);
        assert_eq!(
            s.check("tests/keys/id_rsa").unwrap().confidence,
            Confidence::Medium
        );
    }

    #[test]
    fn disabled_kinds_are_skipped() {
        let s = SensitiveFiles::new(&["sensitive-file-env".to_string()]);
        assert!(s.check(".env").is_none());
        assert!(s.check("id_rsa").is_some());
    }
}
