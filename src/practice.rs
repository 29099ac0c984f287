//! Practice rules: checks whose findings are of kind `hygiene` and come from code rather than
//! from a content rule (an informational advisory, an unpinned requirement, a secrets file
//! readable by others). Their descriptions are data, `patterns/practices/rules.toml`, compiled
//! into the binary, so every report shows the same id, text and fix.

use crate::finding::{fingerprint, Confidence, Finding, FindingKind, RuleInfo, Severity};
use serde::Deserialize;
use std::sync::{Arc, OnceLock};

/// One practice rule as its file describes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PracticeRule {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub description: String,
    /// What to do, shown in help texts.
    pub fix: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    practices: Vec<PracticeRule>,
}

const TEXT: &str = include_str!("../patterns/practices/rules.toml");

struct Catalogue {
    rules: Vec<PracticeRule>,
    infos: Vec<Arc<RuleInfo>>,
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        // Built-in data, checked by this module's tests: a broken file is a build defect.
        let rules = toml::from_str::<File>(TEXT)
            .map(|f| f.practices)
            .unwrap_or_default();
        let infos = rules.iter().map(|r| Arc::new(rule_info(r))).collect();
        Catalogue { rules, infos }
    })
}

fn rule_info(r: &PracticeRule) -> RuleInfo {
    RuleInfo {
        id: r.id.clone(),
        name: r.name.clone(),
        short_description: r.name.clone(),
        full_description: r.description.clone(),
        help_markdown: format!(
            "**{}**\n\n{}\n\n**What to do**\n\n{}\n\nTo turn the rule off, add `{}` to \
             `[secrets] disable` in `.hygiene.toml`.",
            r.name, r.description, r.fix, r.id
        ),
        tags: vec!["security".to_string(), "hygiene".to_string()],
        severity: r.severity,
        confidence: Confidence::High,
        security_severity: r.severity.security_severity(),
    }
}

/// Every practice rule.
pub fn rules() -> &'static [PracticeRule] {
    &catalogue().rules
}

/// Whether `id` names a practice rule.
pub fn is_rule(id: &str) -> bool {
    rules().iter().any(|r| r.id == id)
}

/// The rule description findings of practice rule `id` share; `None` for an unknown id.
pub fn info(id: &str) -> Option<Arc<RuleInfo>> {
    let c = catalogue();
    c.rules
        .iter()
        .position(|r| r.id == id)
        .map(|i| c.infos[i].clone())
}

/// A `hygiene` finding of practice rule `id` at `path:line` (line 1 for the file as a whole).
/// `identity` are the parts that make it the same finding from run to run (a package name,
/// a requirement), besides the rule and the path. `None` for an unknown id.
pub fn finding(
    id: &str,
    path: &str,
    line: usize,
    message: String,
    identity: &[&str],
) -> Option<Finding> {
    let rule = info(id)?;
    let mut parts = vec![id, path];
    parts.extend_from_slice(identity);
    Some(Finding {
        kind: FindingKind::Hygiene,
        severity: rule.severity,
        confidence: Confidence::High,
        rule,
        path: path.to_string(),
        line: line.max(1),
        column: 1,
        end_line: line.max(1),
        end_column: 1,
        fingerprint: fingerprint(&parts),
        message,
        secret: None,
        commit: None,
        package: None,
        advisory: None,
        encoding: None,
        whole_file: false,
        validation: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_loads_and_ids_are_unique() {
        let parsed: File = toml::from_str(TEXT).expect("patterns/practices/rules.toml parses");
        assert!(!parsed.practices.is_empty());
        let mut ids: Vec<&str> = parsed.practices.iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), parsed.practices.len(), "duplicate practice ids");
        assert_eq!(rules().len(), parsed.practices.len());
    }

    #[test]
    fn findings_carry_the_rule() {
        let f = finding(
            "dependency-unmaintained",
            "Cargo.lock",
            3,
            "m".into(),
            &["x"],
        )
        .expect("known rule");
        assert_eq!(f.kind, FindingKind::Hygiene);
        assert_eq!(f.rule.id, "dependency-unmaintained");
        assert_eq!(f.severity, Severity::Low);
        assert!(finding("no-such-rule", "a", 1, "m".into(), &[]).is_none());
    }
}
