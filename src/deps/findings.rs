//! Turns advisory matches into [`Finding`]s: one per (package version, advisory group),
//! located at the lockfile line that declares the package.

use super::osv::cvss::Qualitative;
use super::osv::VulnMatch;
use crate::finding::{
    fingerprint, AdvisoryInfo, Confidence, Finding, FindingKind, RuleInfo, Severity,
};
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
    let mut help = format!(
        "**{}**{aliases}: {summary}\n\n**What to do**\n\n{}\n\nThen regenerate the lockfile and \
         commit it. To accept the risk for a while, add to `.hygiene.toml`:\n\n\
         ```toml\n[[deps.ignore]]\nid = \"{}\"\nreason = \"why this does not affect us\"\nuntil = \"YYYY-MM-DD\"\n```",
        m.advisory_id,
        upgrade_advice(m),
        m.advisory_id
    );
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
    let mut tags = vec![
        "security".to_string(),
        "vulnerability".to_string(),
        "dependency".to_string(),
    ];
    if let Some(kind) = &m.informational {
        tags.push(kind.clone());
    }
    let sev = severity(m.severity.qualitative);
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
        security_severity: m.severity.security_severity(),
    }
}

/// One finding per match. Rule descriptions are shared between matches of one advisory.
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
            let summary = m.summary.as_deref().unwrap_or("known vulnerability");
            Finding {
                kind: FindingKind::Vulnerability,
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
                message: format!(
                    "{relation}{} {} ({}) is affected by {}: {summary}. {}",
                    p.name,
                    p.version,
                    p.ecosystem,
                    m.advisory_id,
                    upgrade_advice(m)
                ),
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
            }
        })
        .collect()
}
