//! SARIF 2.1.0 for GitHub code scanning.
//!
//! GitHub's rules shape this file: each rule carries help and a numeric `security-severity`;
//! each result a relative `uri` with a `uriBaseId`, a region, and a
//! `partialFingerprints.primaryLocationLineHash` so alerts follow code that moves; the run a
//! `runAutomationDetails.id` category. GitHub rejects runs over 25,000 results, so we keep the
//! most severe and say what was dropped in a notification.

use super::{shown_secret, RenderOptions};
use crate::finding::{Finding, FindingKind, RuleInfo, Severity};
use crate::outcome::{ErrorLevel, Outcome, ProblemKind, ScanError};
use serde_json::{json, Value};
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, RunAutomationDetails, Sarif, Tool, ToolComponent,
};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

/// The most results GitHub accepts in one run.
pub const MAX_RESULTS: usize = 25_000;

/// The base id every result `uri` is relative to: the scanned directory.
pub const SRCROOT: &str = "%SRCROOT%";

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Writes the SARIF log.
pub fn render(outcome: &Outcome, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let log = build(outcome, options);
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// Builds the SARIF log for `outcome`.
pub fn build(outcome: &Outcome, options: &RenderOptions) -> Sarif {
    // Most severe first, so truncation drops the least important results.
    let mut order: Vec<&Finding> = outcome.findings.iter().collect();
    order.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let dropped = order.len().saturating_sub(MAX_RESULTS);
    order.truncate(MAX_RESULTS);
    // Restore file order for readability.
    order.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));

    let mut rule_index: HashMap<&str, usize> = HashMap::new();
    let mut rules: Vec<ReportingDescriptor> = Vec::new();
    let mut results = Vec::with_capacity(order.len());
    for f in order {
        let index = *rule_index.entry(f.rule.id.as_str()).or_insert_with(|| {
            rules.push(descriptor(&f.rule));
            rules.len() - 1
        });
        results.push(result(f, index, options));
    }

    let mut notifications: Vec<Notification> = outcome.errors.iter().map(notification).collect();
    if dropped > 0 {
        notifications.push(notification(&ScanError::warning(
            None,
            ProblemKind::Truncated,
            format!(
                "{dropped} lower-severity results left out: GitHub accepts at most {MAX_RESULTS} \
                 results per run; see the JSON report for all of them"
            ),
        )));
    }
    let invocation = Invocation::builder()
        .execution_successful(!outcome.incomplete())
        .tool_execution_notifications(notifications)
        .build();

    let driver = ToolComponent::builder()
        .name("hygiene")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/hygiene-scanner/hygiene")
        .rules(rules)
        .build();
    let category = if options.sarif_category.is_empty() {
        "hygiene/".to_string()
    } else {
        options.sarif_category.clone()
    };
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .automation_details(RunAutomationDetails::builder().id(category).build())
        .column_kind(json!("unicodeCodePoints"))
        .build();
    Sarif::builder()
        .schema(SCHEMA)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}

fn text(s: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s).build()
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn descriptor(rule: &RuleInfo) -> ReportingDescriptor {
    let mut props = BTreeMap::new();
    props.insert(
        "security-severity".to_string(),
        Value::String(format!("{:.1}", rule.security_severity)),
    );
    props.insert(
        "precision".to_string(),
        Value::String(rule.confidence.sarif_precision().to_string()),
    );
    props.insert(
        "problem.severity".to_string(),
        Value::String(level(rule.severity).replace("note", "recommendation")),
    );
    ReportingDescriptor::builder()
        .id(rule.id.clone())
        .name(pascal_case(&rule.id))
        .short_description(text(&rule.short_description))
        .full_description(text(&rule.full_description))
        .help(
            MultiformatMessageString::builder()
                .text(strip_markdown(&rule.help_markdown))
                .markdown(rule.help_markdown.clone())
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level(rule.severity)))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(rule.tags.clone())
                .additional_properties(props)
                .build(),
        )
        .build()
}

fn result(f: &Finding, rule_index: usize, options: &RenderOptions) -> SarifResult {
    let region = Region::builder()
        .start_line(f.line as i64)
        .start_column(f.column as i64)
        .end_line(f.end_line as i64)
        .end_column(f.end_column.max(1) as i64)
        .build();
    let mut props = BTreeMap::new();
    props.insert("kind".to_string(), json!(f.kind));
    props.insert("severity".to_string(), json!(f.severity));
    props.insert("confidence".to_string(), json!(f.confidence));
    if let Some(s) = &f.secret {
        props.insert("secret".to_string(), json!(shown_secret(s, options)));
    }
    if let Some(e) = f.encoding {
        props.insert("encoding".to_string(), json!(e));
    }
    if let Some(c) = &f.commit {
        props.insert("commit".to_string(), json!(c.id));
        props.insert("author".to_string(), json!(c.author));
        props.insert("date".to_string(), json!(c.date));
    }
    if let Some(p) = &f.package {
        props.insert(
            "package".to_string(),
            json!({"ecosystem": p.ecosystem, "name": p.name, "version": p.version,
                   "direct": p.direct, "dev": p.dev}),
        );
    }
    if let Some(a) = &f.advisory {
        props.insert("advisory".to_string(), json!(a));
    }
    let mut partial = BTreeMap::new();
    partial.insert("primaryLocationLineHash".to_string(), f.fingerprint.clone());
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert("hygiene/v1".to_string(), f.fingerprint.clone());
    let kind_tag = match f.kind {
        FindingKind::Secret => "secret",
        FindingKind::Vulnerability => "vulnerability",
        FindingKind::Hygiene => "hygiene",
    };
    SarifResult::builder()
        .rule_id(f.rule.id.clone())
        .rule_index(rule_index as i64)
        .level(match level(f.severity) {
            "error" => ResultLevel::Error,
            "warning" => ResultLevel::Warning,
            _ => ResultLevel::Note,
        })
        .message(Message::builder().text(f.message.clone()).build())
        .locations(vec![location(&f.path, Some(region))])
        .partial_fingerprints(partial)
        .fingerprints(fingerprints)
        .properties(
            PropertyBag::builder()
                .tags(vec![kind_tag.to_string()])
                .additional_properties(props)
                .build(),
        )
        .build()
}

fn location(path: &str, region: Option<Region>) -> Location {
    let artifact = ArtifactLocation::builder()
        .uri(encode_uri_path(path))
        .uri_base_id(SRCROOT)
        .build();
    let physical = match region {
        Some(r) => PhysicalLocation::builder()
            .artifact_location(artifact)
            .region(r)
            .build(),
        None => PhysicalLocation::builder()
            .artifact_location(artifact)
            .build(),
    };
    Location::builder().physical_location(physical).build()
}

fn notification(e: &ScanError) -> Notification {
    let level = match e.level {
        ErrorLevel::Error => "error",
        ErrorLevel::Warning => "warning",
    };
    let mut props = BTreeMap::new();
    props.insert("kind".to_string(), json!(e.kind));
    let builder = Notification::builder()
        .level(json!(level))
        .message(Message::builder().text(e.to_string()).build())
        .properties(PropertyBag::builder().additional_properties(props).build());
    match &e.path {
        Some(p) => builder.locations(vec![location(p, None)]).build(),
        None => builder.build(),
    }
}

/// Percent-encodes a relative path for a SARIF `uri` (RFC 3986 path characters kept).
pub fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `aws-access-key-id` -> `AwsAccessKeyId`, the form SARIF `name`s usually take.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// A plain-text rendition of our help markdown (only `**` and backticks are used in it).
fn strip_markdown(md: &str) -> String {
    md.replace("**", "").replace('`', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(encode_uri_path("a b/c%.txt"), "a%20b/c%25.txt");
        assert_eq!(encode_uri_path("src/ünï.rs"), "src/%C3%BCn%C3%AF.rs");
    }

    #[test]
    fn names_are_pascal_case() {
        assert_eq!(pascal_case("aws-access-key-id"), "AwsAccessKeyId");
    }
}
