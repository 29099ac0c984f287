//! The rule commands: what rules there are (`hygiene rules list`) and whether they keep their
//! promises (`hygiene rules check`). Rendering is [`crate::report::rules`]'s.

use crate::error::{Error, ErrorKind};
use crate::finding::{Confidence, Severity};
use crate::scan::load_rules;
use crate::secrets::check::{check_attribution, check_examples, check_quality};
use crate::secrets::formats::{builtin_formats, check_examples as check_format_examples};
use crate::secrets::{load_rule_dir, Engine};
use std::path::{Path, PathBuf};

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// A content rule (`patterns/*.toml`, `--rules DIR`, inline rules).
    Content,
    /// A sensitive file, found by its path.
    SensitiveFile,
    /// A credential-file format (`patterns/formats/`), read field by field.
    CredentialFile,
    /// A practice rule checked by code (`patterns/practices/rules.toml`).
    Practice,
}

/// One line of the catalogue.
#[derive(Debug, Clone)]
pub struct RuleEntry {
    pub kind: RuleKind,
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub confidence: Confidence,
    /// Content rules: their keywords. Credential-file formats: their family.
    pub detail: Vec<String>,
}

/// Every rule: the built-in content rules plus those in `rule_dirs`, the sensitive-file
/// rules, the credential-file formats, then the practice rules.
pub fn catalogue(rule_dirs: &[PathBuf]) -> Result<Vec<RuleEntry>, Error> {
    crate::secrets::sensitive::builtin()?;
    let mut entries: Vec<RuleEntry> = load_rules(rule_dirs, true)?
        .iter()
        .map(|r| RuleEntry {
            kind: RuleKind::Content,
            id: r.spec.id.clone(),
            name: r.spec.name.clone(),
            severity: r.spec.severity,
            confidence: r.spec.confidence,
            detail: r.spec.keywords.clone(),
        })
        .collect();
    entries.extend(
        crate::secrets::sensitive::rule_infos()
            .iter()
            .map(|r| RuleEntry {
                kind: RuleKind::SensitiveFile,
                id: r.id.clone(),
                name: r.name.clone(),
                severity: r.severity,
                confidence: r.confidence,
                detail: Vec::new(),
            }),
    );
    entries.extend(builtin_formats()?.formats().iter().map(|f| RuleEntry {
        kind: RuleKind::CredentialFile,
        id: f.spec.id.clone(),
        name: f.spec.name.clone(),
        severity: f.spec.severity,
        confidence: f.spec.confidence,
        detail: vec![f.spec.family.clone()],
    }));
    entries.extend(crate::practice::rules().iter().map(|r| RuleEntry {
        kind: RuleKind::Practice,
        id: r.id.clone(),
        name: r.name.clone(),
        severity: r.severity,
        confidence: Confidence::High,
        detail: vec!["hygiene".to_string()],
    }));
    Ok(entries)
}

/// One rule `scan --validate` can check, and what its check sends where.
#[derive(Debug, Clone)]
pub struct ValidatorEntry {
    pub id: String,
    pub provider: String,
    /// `GET https://api.github.com/user`, or what the code sends.
    pub request: String,
    /// Where the secret goes: header names, `basic auth`, `body`, `URL`.
    pub carries: String,
    pub docs: String,
}

/// The rules with a validator: the built-in ones and those in `rule_dirs`, in rule order.
pub fn validators(rule_dirs: &[PathBuf]) -> Result<Vec<ValidatorEntry>, Error> {
    use crate::secrets::validator::ValidatorKind;
    Ok(load_rules(rule_dirs, true)?
        .iter()
        .filter_map(|r| {
            let v = r.spec.validate.as_ref()?;
            let (request, carries) = match v.kind() {
                ValidatorKind::AwsSts => (
                    "POST https://sts.amazonaws.com/ (sts:GetCallerIdentity)".to_string(),
                    "SigV4 signature only".to_string(),
                ),
                ValidatorKind::GcpJwt => (
                    "POST https://oauth2.googleapis.com/token (JWT exchange)".to_string(),
                    "RS256 signature only".to_string(),
                ),
                ValidatorKind::Http => {
                    let mut carries: Vec<String> = v
                        .headers
                        .iter()
                        .filter(|(_, t)| t.contains("{{"))
                        .map(|(h, _)| format!("{h} header"))
                        .collect();
                    if v.basic.is_some() {
                        carries.push("basic auth".to_string());
                    }
                    if v.body.as_ref().is_some_and(|b| b.contains("{{")) {
                        carries.push("body".to_string());
                    }
                    if v.url.contains("{{secret") {
                        carries.push("URL".to_string());
                    }
                    let url = match v.literal_host() {
                        Some(_) => v.url.clone(),
                        None => format!("{} ({})", v.url, v.hosts.join(", ")),
                    };
                    (format!("{} {url}", v.method()), carries.join(", "))
                }
            };
            Some(ValidatorEntry {
                id: r.spec.id.clone(),
                provider: v.provider.clone(),
                request,
                carries,
                docs: v.docs.clone(),
            })
        })
        .collect())
}

/// What `rules check` found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Content rules checked.
    pub rules: usize,
    /// Credential-file formats checked (only with the built-in rules).
    pub formats: usize,
    /// Sensitive-file rules checked (only with the built-in rules).
    pub sensitive_files: usize,
    /// Every example that did not behave as its file says, one line each.
    pub failures: Vec<String>,
}

/// Validates the rule files of `dir` (the built-in rules and formats without it) and runs
/// every example and negative example, alone and with every other rule of the set (each
/// example must be reported under its own rule); the built-in rules must also meet the
/// quality bar. An `Err` is a file that does not load at all.
pub fn check(dir: Option<&Path>) -> Result<CheckReport, Error> {
    let rules = match dir {
        Some(d) => load_rule_dir(d)?,
        None => load_rules(&[], true)?,
    };
    crate::secrets::rule::check_unique_ids(&rules)?;
    let count = rules.len();
    let engine = Engine::new(rules)
        .map_err(|e| Error::with_source(ErrorKind::Rules, "cannot build the keyword filter", e))?;
    let mut report = CheckReport {
        rules: count,
        formats: 0,
        sensitive_files: 0,
        failures: check_examples(&engine)
            .iter()
            .chain(&check_attribution(&engine))
            .map(|f| f.to_string())
            .collect(),
    };
    if dir.is_none() {
        // The quality bar holds the built-in rules (docs/RULES.md); a team's own rules need
        // not cite a provider's documentation.
        report
            .failures
            .extend(check_quality(&engine).iter().map(|f| f.to_string()));
        let set = builtin_formats()?;
        report.formats = set.formats().len();
        report
            .failures
            .extend(check_format_examples(&set).iter().map(|f| f.to_string()));
        let sensitive = crate::secrets::sensitive::builtin()?;
        report.sensitive_files = sensitive.rules().len();
        report.failures.extend(
            crate::secrets::sensitive::check_examples(sensitive)
                .iter()
                .map(|f| f.to_string()),
        );
    }
    Ok(report)
}
