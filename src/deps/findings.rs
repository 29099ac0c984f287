//! Turns advisory matches into [`Finding`]s: one per (package version, advisory group),
//! located at the lockfile line that declares the package.
//!
//! **Kinds.** What an advisory *is* decides the finding's kind, as cargo-audit decides between
//! its vulnerability list and its warnings:
//!
//! * an informational advisory (RustSec's `informational`: `unmaintained`, `unsound`,
//!   `notice`) is a `hygiene` finding at **low** severity: something to act on, not a known
//!   exploitable flaw. Its rule is still the advisory (id, help, references); the rule's tags
//!   add the practice class (`dependency-unmaintained`, `dependency-unsound`,
//!   `dependency-notice`, from `patterns/practices/rules.toml`) so `[secrets] disable` can turn
//!   a whole class off. An informational kind RustSec may add later counts as a notice;
//! * a malicious-package advisory (OSV's `MAL-` records, under any id of the group) is a
//!   vulnerability at **critical**, whatever its CVSS says: installing it is the compromise;
//! * everything else is a vulnerability at its CVSS (or label) severity.
//!
//! Withdrawn advisories never get here: the matcher drops them.

use super::osv::cvss::Qualitative;
use super::osv::VulnMatch;
use crate::finding::{
    fingerprint, AdvisoryInfo, Confidence, Finding, FindingKind, RuleInfo, Severity,
};
use crate::practice;
use std::collections::HashMap;
use std::sync::Arc;

fn severity(q: Qualitative) -> Severity {
    match q {
        Qualitative::None => Severity::Info,
        Qualitative::Low => Severity::Low,
        Qualitative::Medium => Severity::Medium,
        Qualitative::High => Severity::High,
        Qualitative::Critical => Severity::Critical,
    }
}

/// What an advisory group is; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class<'a> {
    Vulnerability,
    Malicious,
    /// The practice rule id of the class, and RustSec's word for it.
    Informational {
        practice: &'static str,
        kind: &'a str,
    },
}

/// Malicious-package records: OSV's `MAL-` ids (the OpenSSF malicious-packages feed). Any id
/// of the group counts, since the group may be named after a GHSA that aliases one.
fn is_malicious(m: &VulnMatch) -> bool {
    // `get`, not slicing: an id is input and may hold a multi-byte character.
    let mal = |id: &String| id.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("MAL-"));
    mal(&m.advisory_id) || m.aliases.iter().any(mal) || m.record_ids.iter().any(mal)
}

fn classify(m: &VulnMatch) -> Class<'_> {
    if is_malicious(m) {
        return Class::Malicious;
    }
    match m.informational.as_deref() {
        None => Class::Vulnerability,
        Some(kind) => Class::Informational {
            practice: match kind {
                "unmaintained" => "dependency-unmaintained",
                "unsound" => "dependency-unsound",
                _ => "dependency-notice",
            },
            kind,
        },
    }
}

/// The finding's words for an informational kind: "`x` 1.2.3 is unmaintained".
fn informational_phrase(kind: &str) -> String {
    match kind {
        "unmaintained" => "is unmaintained".to_string(),
        "unsound" => "is unsound".to_string(),
        "notice" => "has an advisory notice".to_string(),
        other => format!("has an informational advisory ({other})"),
    }
}

/// The advice a reader acts on: the smallest upgrade that clears the advisory.
fn upgrade_advice(m: &VulnMatch) -> String {
    let p = &m.package;
    match m.fixed.first() {
        Some(first) if m.fixed.len() == 1 => {
            format!("Upgrade `{}` to {first} or later.", p.name)
        }
        Some(_) => format!(
            "Upgrade `{}` to one of the fixed versions: {}.",
            p.name,
            m.fixed.join(", ")
        ),
        None if m.informational.is_some() => format!(
            "No fixed version: `{}` is flagged as {}. Consider replacing it.",
            p.name,
            m.informational.as_deref().unwrap_or("informational")
        ),
        None => format!(
            "No fixed version is known yet: consider removing or replacing `{}`, or mitigating as the advisory describes.",
            p.name
        ),
    }
}

fn rule_info(m: &VulnMatch) -> RuleInfo {
    let summary = m
        .summary
        .clone()
        .unwrap_or_else(|| format!("{} in {}", m.advisory_id, m.package.name));
    let aliases = if m.aliases.is_empty() {
        String::new()
    } else {
        format!(" (also {})", m.aliases.join(", "))
    };
    let class = classify(m);
    let mut help = format!(
        "**{}**{aliases}: {summary}\n\n**What to do**\n\n{}\n\nThen regenerate the lockfile and \
         commit it. To accept the risk for a while, add to `.hygiene.toml`:\n\n\
         ```toml\n[[deps.ignore]]\nid = \"{}\"\nreason = \"why this does not affect us\"\nuntil = \"YYYY-MM-DD\"\n```",
        m.advisory_id,
        upgrade_advice(m),
        m.advisory_id
    );
    match class {
        Class::Informational { practice, .. } => {
            if let Some(rule) = practice::rules().iter().find(|r| r.id == practice) {
                help.push_str(&format!(
                    "\n\n**{}**\n\n{}\n\n{}",
                    rule.name, rule.description, rule.fix
                ));
            }
            help.push_str(&format!(
                "\n\nTo stop reporting this whole class, add `{practice}` to `[secrets] disable` \
                 in `.hygiene.toml`."
            ));
        }
        Class::Malicious => help.insert_str(
            0,
            "**Malicious package**: this release was published to attack whoever installs it. \
             Treat every machine that built or ran it as compromised: remove it, rotate the \
             credentials those machines held, and check for persistence.\n\n",
        ),
        Class::Vulnerability => {}
    }
    if let Some(details) = &m.details {
        help.push_str("\n\n**Details**\n\n");
        help.push_str(details);
    }
    if !m.references.is_empty() {
        help.push_str("\n\n**References**\n\n");
        for r in m.references.iter().take(10) {
            help.push_str(&format!("- {r}\n"));
        }
    }
    let (tags, sev, security_severity) = match class {
        Class::Vulnerability => (
            vec!["security", "vulnerability", "dependency"],
            severity(m.severity.qualitative),
            m.severity.security_severity(),
        ),
        // Critical whatever the record's CVSS says; a higher score is kept.
        Class::Malicious => (
            vec!["security", "vulnerability", "dependency", "malicious"],
            Severity::Critical,
            m.severity
                .security_severity()
                .max(Severity::Critical.security_severity()),
        ),
        Class::Informational { practice, .. } => (
            vec!["security", "hygiene", "dependency", practice],
            Severity::Low,
            Severity::Low.security_severity(),
        ),
    };
    let tags = tags.into_iter().map(str::to_string).collect();
    RuleInfo {
        id: m.advisory_id.clone(),
        name: m.advisory_id.clone(),
        short_description: summary,
        full_description: m
            .details
            .clone()
            .or_else(|| m.summary.clone())
            .unwrap_or_else(|| m.advisory_id.clone()),
        help_markdown: help,
        tags,
        severity: sev,
        confidence: Confidence::High,
        security_severity,
    }
}

/// One finding per match, of the kind and severity its advisory's class gives (see the module
/// documentation). Rule descriptions are shared between matches of one advisory.
pub fn to_findings(matches: &[VulnMatch]) -> Vec<Finding> {
    let mut rules: HashMap<&str, Arc<RuleInfo>> = HashMap::new();
    matches
        .iter()
        .map(|m| {
            let rule = rules
                .entry(m.advisory_id.as_str())
                .or_insert_with(|| Arc::new(rule_info(m)))
                .clone();
            let p = &m.package;
            let relation = match p.direct {
                Some(true) => "direct dependency ",
                Some(false) => "transitive dependency ",
                None => "",
            };
            let class = classify(m);
            let (kind, default_summary) = match class {
                Class::Informational { .. } => (FindingKind::Hygiene, "informational advisory"),
                Class::Malicious => (FindingKind::Vulnerability, "malicious package"),
                Class::Vulnerability => (FindingKind::Vulnerability, "known vulnerability"),
            };
            let summary = m.summary.as_deref().unwrap_or(default_summary);
            let message = match class {
                Class::Informational { kind, .. } => format!(
                    "{relation}`{}` {} ({}) {} ({}): {summary}. {}",
                    p.name,
                    p.version,
                    p.ecosystem,
                    informational_phrase(kind),
                    m.advisory_id,
                    upgrade_advice(m)
                ),
                Class::Malicious => format!(
                    "{relation}`{}` {} ({}) is a malicious package ({}): {summary}. Remove it \
                     and treat the machines that installed it as compromised.",
                    p.name, p.version, p.ecosystem, m.advisory_id
                ),
                Class::Vulnerability => format!(
                    "{relation}{} {} ({}) is affected by {}: {summary}. {}",
                    p.name,
                    p.version,
                    p.ecosystem,
                    m.advisory_id,
                    upgrade_advice(m)
                ),
            };
            Finding {
                kind,
                severity: rule.severity,
                confidence: Confidence::High,
                rule,
                path: p.path.clone(),
                line: p.line,
                column: 1,
                end_line: p.line,
                end_column: 1,
                fingerprint: fingerprint(&[
                    &m.advisory_id,
                    &p.path,
                    p.ecosystem.as_str(),
                    &p.name,
                    &p.version,
                ]),
                message,
                secret: None,
                commit: None,
                package: Some(p.clone()),
                advisory: Some(AdvisoryInfo {
                    id: m.advisory_id.clone(),
                    aliases: m.aliases.clone(),
                    summary: summary.to_string(),
                    fixed: m.fixed.clone(),
                    score: m.severity.score,
                    vector: m.severity.vector.clone(),
                }),
                encoding: None,
                whole_file: false,
                validation: None,
            }
        })
        .collect()
}
