//! The one `Finding` type that both halves of the scan produce and every report consumes.
//!
//! A secret and a vulnerable package look different, but a CI gate, a SARIF upload and a
//! terminal summary all need the same things from them: what rule, where, how bad, how sure,
//! and a stable identity. Keeping one type means one renderer per format and no drift.

use crate::package::Package;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// What half of the scan produced a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    /// A committed credential.
    Secret,
    /// A dependency version with a known advisory.
    Vulnerability,
    /// A practice problem (sensitive file committed, unpinned dependency, ...).
    Hygiene,
}

/// How bad a finding is. Ordered: `Info < Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// All severities, most severe first (the order summaries print them in).
    pub const DESCENDING: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The number GitHub code scanning reads from `security-severity` (0.0-10.0). GitHub maps
    /// 9.0 and above to critical, 7.0 to high, 4.0 to medium and anything above 0 to low;
    /// these values sit inside those bands.
    pub fn security_severity(self) -> f64 {
        match self {
            Severity::Critical => 9.5,
            Severity::High => 8.0,
            Severity::Medium => 5.5,
            Severity::Low => 3.0,
            Severity::Info => 0.0,
        }
    }

    /// The qualitative band of a CVSS-style score.
    pub fn from_score(score: f64) -> Severity {
        if score >= 9.0 {
            Severity::Critical
        } else if score >= 7.0 {
            Severity::High
        } else if score >= 4.0 {
            Severity::Medium
        } else if score > 0.0 {
            Severity::Low
        } else {
            Severity::Info
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "info" | "none" => Ok(Severity::Info),
            "low" => Ok(Severity::Low),
            "medium" | "moderate" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            other => Err(format!(
                "unknown severity `{other}`: use one of critical, high, medium, low, info"
            )),
        }
    }
}

/// How sure a finding is. Ordered: `Low < Medium < High`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    /// SARIF `properties.precision`, which GitHub shows and uses to sort alerts.
    pub fn sarif_precision(self) -> &'static str {
        match self {
            Confidence::High => "very-high",
            Confidence::Medium => "high",
            Confidence::Low => "medium",
        }
    }
}

impl FromStr for Confidence {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Ok(Confidence::Low),
            "medium" => Ok(Confidence::Medium),
            "high" => Ok(Confidence::High),
            other => Err(format!(
                "unknown confidence `{other}`: use one of high, medium, low"
            )),
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a report needs to know about the rule behind a finding: SARIF lists each rule once
/// in `tool.driver.rules`, with help text that tells the reader what to do.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleInfo {
    pub id: String,
    pub name: String,
    /// One line.
    pub short_description: String,
    /// A paragraph.
    pub full_description: String,
    /// Markdown remediation shown by GitHub beside the alert.
    pub help_markdown: String,
    /// SARIF tags (`security`, `secret`, `dependency`, ...).
    pub tags: Vec<String>,
    pub severity: Severity,
    pub confidence: Confidence,
    /// 0.0-10.0; for advisories the CVSS base score where known.
    pub security_severity: f64,
}

/// A secret value, kept whole in memory only so `--show-secrets` can print it.
///
/// A finding replayed from the scan cache (`--cache`) holds no whole value: the cache never
/// stores one. Such a value knows only its redacted form and a digest (to tell two findings of
/// the same secret apart from findings of different ones, as the history scan's one finding per
/// secret needs). A run with `--show-secrets` does not read the cache, so a report that
/// prints values whole never meets one.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretValue(Value);

#[derive(Clone, PartialEq, Eq)]
enum Value {
    Whole { value: String, digest: [u8; 16] },
    Redacted { redacted: String, digest: [u8; 16] },
}

impl SecretValue {
    /// A value found now, with its digest ([`crate::fingerprint::secret_digest`] of its
    /// derived key: the digest is computed by whoever derived the key, since deriving is the
    /// slow part and is done once per distinct secret).
    pub fn new(value: impl Into<String>, digest: [u8; 16]) -> Self {
        SecretValue(Value::Whole {
            value: value.into(),
            digest,
        })
    }

    /// A value known only by its redacted form and [`digest`](Self::digest), as the scan
    /// cache stores it.
    pub fn from_redacted(redacted: String, digest: [u8; 16]) -> Self {
        SecretValue(Value::Redacted { redacted, digest })
    }

    /// Whether the whole value is known (not a value replayed from the scan cache).
    pub fn is_whole(&self) -> bool {
        matches!(self.0, Value::Whole { .. })
    }

    /// The whole value. Only reports given `--show-secrets` may print this. For a value
    /// replayed from the cache, the redacted form: the whole one is not known.
    pub fn expose(&self) -> &str {
        match &self.0 {
            Value::Whole { value, .. } => value,
            Value::Redacted { redacted, .. } => redacted,
        }
    }

    /// A short prefix and the length: enough to recognise the secret, not to use it (see
    /// [`redact`]).
    pub fn redacted(&self) -> String {
        match &self.0 {
            Value::Whole { value, .. } => redact(value),
            Value::Redacted { redacted, .. } => redacted.clone(),
        }
    }

    /// What tells values of one rule apart without holding them: 128 bits derived from the
    /// value's slow, salted key (see [`crate::fingerprint`]), so it is no faster a way to test
    /// guesses than a fingerprint is.
    pub fn digest(&self) -> [u8; 16] {
        match &self.0 {
            Value::Whole { digest, .. } | Value::Redacted { digest, .. } => *digest,
        }
    }
}

/// The redacted form of a value: a short prefix and the length.
///
/// The prefix is at most 4 characters and never more than a quarter of the value, so a
/// short password shows one or two characters at most.
pub fn redact(value: &str) -> String {
    let len = value.chars().count();
    let shown = (len / 4).min(4);
    let prefix: String = value.chars().take(shown).collect();
    format!("{prefix}…({len} chars)")
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Debug output ends up in logs and panics: never the whole value.
        write!(f, "SecretValue({})", self.redacted())
    }
}

/// The commit that introduced a finding seen in git history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitInfo {
    pub id: String,
    pub author: String,
    /// RFC 3339.
    pub date: String,
}

/// The advisory behind a vulnerability finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdvisoryInfo {
    /// The preferred id of the advisory group.
    pub id: String,
    /// Every other id of the group (GHSA, CVE, RUSTSEC, PYSEC, GO, ...).
    pub aliases: Vec<String>,
    pub summary: String,
    /// Versions that fix it.
    pub fixed: Vec<String>,
    /// CVSS base score where a vector was given.
    pub score: Option<f64>,
    /// The CVSS vector the score came from.
    pub vector: Option<String>,
}

/// One thing a report lists.
#[derive(Debug, Clone)]
pub struct Finding {
    pub kind: FindingKind,
    pub rule: Arc<RuleInfo>,
    /// Relative to the scan root, `/`-separated.
    pub path: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub end_line: usize,
    /// 1-based, exclusive, in characters.
    pub end_column: usize,
    pub severity: Severity,
    pub confidence: Confidence,
    /// Stable identity: hash of rule id, path and secret (the secret through a slow, salted
    /// derivation: see [`crate::fingerprint`]), or of package and advisory. No line number, so
    /// a finding keeps its identity when code moves around it.
    pub fingerprint: String,
    pub message: String,
    pub secret: Option<SecretValue>,
    pub commit: Option<CommitInfo>,
    pub package: Option<Package>,
    pub advisory: Option<AdvisoryInfo>,
    /// How a secret was encoded where it was found (it is located at the encoded text).
    pub encoding: Option<Encoding>,
    /// The finding is about the file as a whole (its name, its mode, a lockfile missing beside
    /// it), not a place in it. `line`/`column` then hold 1/1 for formats that need a position,
    /// but SARIF leaves the region out: a made-up `1:1` would have GitHub annotate the first
    /// line of the file as if it were the problem.
    pub whole_file: bool,
    /// What the provider said of the secret (`scan --validate`); `None`: not asked.
    pub validation: Option<Validation>,
}

/// What a provider said when asked whether a found credential works (`scan --validate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValidationState {
    /// The provider accepted it: whoever holds the file can use it now.
    Active,
    /// The provider does not know it (revoked, expired, never valid).
    Inactive,
    /// No verdict (see [`UnknownReason`]).
    Unknown,
}

impl ValidationState {
    pub fn as_str(self) -> &'static str {
        match self {
            ValidationState::Active => "active",
            ValidationState::Inactive => "inactive",
            ValidationState::Unknown => "unknown",
        }
    }
}

/// Why a validation has no verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnknownReason {
    /// The provider answered 429 (or said so in its answer).
    RateLimited,
    /// No answer within the timeout.
    Timeout,
    /// The provider could not be reached (DNS, connection, TLS, proxy).
    Network,
    /// An answer none of the validator's matchers describe (a 5xx, garbage, a redirect).
    UnexpectedAnswer,
    /// The check could not be made: a part of the credential is missing (an AWS secret key
    /// with no access key ID beside it), or the value is not known whole.
    Incomplete,
}

impl UnknownReason {
    pub fn as_str(self) -> &'static str {
        match self {
            UnknownReason::RateLimited => "rate-limited",
            UnknownReason::Timeout => "timeout",
            UnknownReason::Network => "network",
            UnknownReason::UnexpectedAnswer => "unexpected-answer",
            UnknownReason::Incomplete => "incomplete",
        }
    }
}

/// The answer to one validation. Never holds the secret: `detail` is made from status codes
/// and error kinds only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validation {
    pub state: ValidationState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<UnknownReason>,
    /// A few words on what was seen (`HTTP 503`), for `unknown`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Validation {
    pub fn active() -> Validation {
        Validation {
            state: ValidationState::Active,
            reason: None,
            detail: None,
        }
    }

    pub fn inactive() -> Validation {
        Validation {
            state: ValidationState::Inactive,
            reason: None,
            detail: None,
        }
    }

    pub fn unknown(reason: UnknownReason, detail: impl Into<String>) -> Validation {
        Validation {
            state: ValidationState::Unknown,
            reason: Some(reason),
            detail: Some(detail.into()).filter(|d: &String| !d.is_empty()),
        }
    }

    /// `active`, `inactive`, `unknown: rate-limited (HTTP 429)`.
    pub fn describe(&self) -> String {
        match (self.reason, &self.detail) {
            (Some(r), Some(d)) => format!("{}: {} ({d})", self.state.as_str(), r.as_str()),
            (Some(r), None) => format!("{}: {}", self.state.as_str(), r.as_str()),
            _ => self.state.as_str().to_string(),
        }
    }
}

impl Finding {
    /// This finding, marked as being about its whole file (see [`Finding::whole_file`]).
    pub fn for_whole_file(mut self) -> Finding {
        self.whole_file = true;
        self
    }
}

/// An encoding a secret was found inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Encoding {
    /// Base64 (Kubernetes `Secret` data, basic-auth headers, wrapped key files).
    #[serde(rename = "base64")]
    Base64,
    /// Percent-encoding (`%40` in a URL).
    #[serde(rename = "percent")]
    Percent,
    /// JSON string escapes (`\n` in a PEM held in JSON, `\/` in a URL).
    #[serde(rename = "json-escape")]
    JsonEscape,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Base64 => "base64",
            Encoding::Percent => "percent",
            Encoding::JsonEscape => "json-escape",
        }
    }
}

/// Hashes the parts of an identity into a fingerprint (hex SHA-256, first 128 bits).
///
/// Parts are separated by a NUL so `("ab", "c")` and `("a", "bc")` differ. Fast, so only for
/// identities with nothing to guess in them (a package and an advisory, a file name): a
/// secret's fingerprint goes through [`crate::fingerprint`]'s slow derivation.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    let digest = hasher.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Orders findings for output: by path, then position, then rule, so every report is
/// deterministic whatever order the parallel walk found things in.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (
            a.path.as_str(),
            a.line,
            a.column,
            a.rule.id.as_str(),
            &a.fingerprint,
        )
            .cmp(&(
                b.path.as_str(),
                b.line,
                b.column,
                b.rule.id.as_str(),
                &b.fingerprint,
            ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_never_shows_the_whole_value() {
        let s = SecretValue::new("ghp_abcdefghijklmnopqrstuvwxyz0123456789", [1; 16]);
        assert_eq!(s.redacted(), "ghp_…(40 chars)");
        let short = SecretValue::new("hunter2", [2; 16]);
        assert_eq!(short.redacted(), "h…(7 chars)");
        assert_eq!(redact("ab"), "…(2 chars)");
        assert!(!format!("{s:?}").contains("abcdefgh"));
    }

    #[test]
    fn a_redacted_value_keeps_its_redaction_and_digest() {
        let s = SecretValue::new("ghp_abcdefghijklmnopqrstuvwxyz0123456789", [1; 16]);
        let r = SecretValue::from_redacted(s.redacted(), s.digest());
        assert!(!r.is_whole());
        assert_eq!(r.redacted(), s.redacted());
        assert_eq!(r.digest(), s.digest());
        assert_eq!(r.expose(), "ghp_…(40 chars)");
    }

    #[test]
    fn fingerprint_ignores_nothing_but_separates_parts() {
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_eq!(fingerprint(&["x"]).len(), 32);
        assert_eq!(fingerprint(&["x"]), fingerprint(&["x"]));
    }

    #[test]
    fn severity_orders_and_parses() {
        assert!(Severity::Critical > Severity::High);
        assert_eq!("MODERATE".parse::<Severity>(), Ok(Severity::Medium));
        assert!("bogus".parse::<Severity>().is_err());
        assert_eq!(Severity::from_score(9.8), Severity::Critical);
        assert_eq!(Severity::from_score(7.5), Severity::High);
    }
}
