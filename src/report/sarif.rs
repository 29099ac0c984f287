//! SARIF 2.1.0 for GitHub code scanning.
//!
//! GitHub's rules shape this file: each rule carries help and a numeric `security-severity`;
//! each result a relative `uri` with a `uriBaseId`, a region (none for a finding about a whole
//! file), and a `partialFingerprints.primaryLocationLineHash` so alerts follow code that moves;
//! the run a `runAutomationDetails.id` category.
//!
//! GitHub rejects a whole upload that breaks one of its hard limits, which would lose every
//! alert for the sake of the least important ones. So the log stays inside them: one run (of
//! 20 allowed), one location per result and no related locations or code flows (of 1,000),
//! at most 20 tags per rule, at most 25,000 results, and at most 10 MB gzipped. When results
//! must go, the least severe go first, and a notification says how many of which severity.

use super::{shown_secret, RenderOptions};
use crate::finding::{Finding, FindingKind, RuleInfo, Severity, ValidationState};
use crate::outcome::{ErrorLevel, Outcome, ProblemKind, ScanError};
use serde_json::{json, Value};
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, RunAutomationDetails, Sarif, Tool, ToolComponent,
};
use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

/// The most results GitHub accepts in one run.
pub const MAX_RESULTS: usize = 25_000;

/// The largest SARIF file GitHub accepts, measured gzip-compressed as its upload API takes it
/// ("10 MB"; read as decimal megabytes, the smaller reading, to be safe either way).
pub const MAX_GZIPPED_BYTES: usize = 10_000_000;

/// The most tags GitHub accepts on one rule.
pub const MAX_TAGS: usize = 20;

/// The base id every result `uri` is relative to: the scanned directory.
pub const SRCROOT: &str = "%SRCROOT%";

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The limits a log is kept within. [`Limits::GITHUB`] for real reports; tests use small ones
/// to exercise the cuts without writing megabytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Results per run.
    pub results: usize,
    /// Size of the serialized log once gzipped.
    pub gzipped_bytes: usize,
}

impl Limits {
    /// GitHub code scanning's hard limits.
    pub const GITHUB: Limits = Limits {
        results: MAX_RESULTS,
        gzipped_bytes: MAX_GZIPPED_BYTES,
    };
}

/// Writes the SARIF log, within GitHub's limits.
pub fn render(outcome: &Outcome, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let (_, bytes) = encode(outcome, options, Limits::GITHUB)?;
    out.write_all(&bytes)
}

/// Builds the SARIF log for `outcome`, within GitHub's limits.
pub fn build(outcome: &Outcome, options: &RenderOptions) -> io::Result<Sarif> {
    encode(outcome, options, Limits::GITHUB).map(|(log, _)| log)
}

/// The log for `outcome` within `limits`, and its serialized form (pretty JSON and a newline,
/// as written).
///
/// The size is checked on the serialized text rather than estimated, so what is measured is
/// what is uploaded. Gzip is only run when the text itself is over the limit: JSON text always
/// compresses (only near-random bytes grow under gzip, and then by a few bytes), so a smaller
/// text is within it, and the normal report costs no compression at all.
pub fn encode(
    outcome: &Outcome,
    options: &RenderOptions,
    limits: Limits,
) -> io::Result<(Sarif, Vec<u8>)> {
    let ranked = ranked(&outcome.findings);
    let within_count = ranked.len().min(limits.results);
    let mut keep = within_count;
    loop {
        let mut notes = Vec::new();
        if within_count < ranked.len() {
            notes.push(format!(
                "{} left out: GitHub accepts at most {} results per run, so the most severe \
                 {within_count} are kept; the JSON report lists every finding",
                dropped(&ranked[within_count..]),
                limits.results,
            ));
        }
        if keep < within_count {
            notes.push(format!(
                "{} left out to keep the file under GitHub's upload limit of {} bytes \
                 gzipped; the most severe {keep} are kept; the JSON report lists every finding",
                dropped(&ranked[keep..within_count]),
                limits.gzipped_bytes,
            ));
        }
        let log = assemble(outcome, options, &ranked[..keep], notes);
        let mut bytes = serde_json::to_vec_pretty(&log)?;
        bytes.push(b'\n');
        if bytes.len() <= limits.gzipped_bytes || keep == 0 {
            return Ok((log, bytes));
        }
        let gzipped = gzipped_len(&bytes)?;
        if gzipped <= limits.gzipped_bytes {
            return Ok((log, bytes));
        }
        // Shrink in proportion to the overshoot, with a tenth to spare for the part of the
        // file that is not results (rules, notifications), so one or two rounds do; always
        // by at least one, so the loop ends.
        let scaled = keep as u128 * limits.gzipped_bytes as u128 * 9 / (gzipped as u128 * 10);
        keep = usize::try_from(scaled).unwrap_or(keep).min(keep - 1);
    }
}

/// Findings most important first: by severity, then confidence, then a stable key (path,
/// position, rule, fingerprint), so the same findings are always cut at the same place.
fn ranked(findings: &[Finding]) -> Vec<&Finding> {
    let mut ranked: Vec<&Finding> = findings.iter().collect();
    ranked.sort_by(|a, b| {
        (Reverse(a.severity), Reverse(a.confidence), file_key(a)).cmp(&(
            Reverse(b.severity),
            Reverse(b.confidence),
            file_key(b),
        ))
    });
    ranked
}

/// The order results are listed in: by file and position, as the other reports list them.
fn file_key(f: &Finding) -> (&str, usize, usize, &str, &str) {
    (
        f.path.as_str(),
        f.line,
        f.column,
        f.rule.id.as_str(),
        f.fingerprint.as_str(),
    )
}

/// "N results (a critical, b low)": what a cut left out, by severity, most severe first.
fn dropped(left_out: &[&Finding]) -> String {
    let by_severity: Vec<String> = Severity::DESCENDING
        .iter()
        .filter_map(|&s| {
            let n = left_out.iter().filter(|f| f.severity == s).count();
            (n > 0).then(|| format!("{n} {s}"))
        })
        .collect();
    let n = left_out.len();
    let noun = if n == 1 { "result" } else { "results" };
    format!("{n} {noun} ({})", by_severity.join(", "))
}

/// The length of `bytes` gzipped at the default level (the upload tools' level), counted
/// without keeping the compressed bytes.
fn gzipped_len(bytes: &[u8]) -> io::Result<usize> {
    struct Count(usize);
    impl Write for Count {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut gz = flate2::write::GzEncoder::new(Count(0), flate2::Compression::default());
    gz.write_all(bytes)?;
    Ok(gz.finish()?.0)
}

/// The log of `kept` (any order) with `truncation` notes beside the scan's own problems.
fn assemble(
    outcome: &Outcome,
    options: &RenderOptions,
    kept: &[&Finding],
    truncation: Vec<String>,
) -> Sarif {
    let mut order = kept.to_vec();
    order.sort_by(|a, b| file_key(a).cmp(&file_key(b)));

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
    for note in truncation {
        notifications.push(notification(&ScanError::warning(
            None,
            ProblemKind::Truncated,
            note,
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
                .tags(rule.tags.iter().take(MAX_TAGS).cloned().collect::<Vec<_>>())
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
    if let Some(v) = &f.validation {
        props.insert("validation".to_string(), json!(v.state));
        if let Some(r) = v.reason {
            props.insert("validationReason".to_string(), json!(r));
        }
    }
    // A credential the provider accepted is an incident, whatever the rule's severity.
    let active = f
        .validation
        .as_ref()
        .is_some_and(|v| v.state == ValidationState::Active);
    let mut partial = BTreeMap::new();
    partial.insert("primaryLocationLineHash".to_string(), f.fingerprint.clone());
    let mut fingerprints = BTreeMap::new();
    // SARIF keys a fingerprint by the way it was computed: a secret's goes through the slow,
    // salted derivation of `crate::fingerprint` since version 2; every other finding's is the
    // same plain hash as in version 1.
    let scheme = match f.secret {
        Some(_) => "hygiene/v2",
        None => "hygiene/v1",
    };
    fingerprints.insert(scheme.to_string(), f.fingerprint.clone());
    let kind_tag = match f.kind {
        FindingKind::Secret => "secret",
        FindingKind::Vulnerability => "vulnerability",
        FindingKind::Hygiene => "hygiene",
    };
    SarifResult::builder()
        .rule_id(f.rule.id.clone())
        .rule_index(rule_index as i64)
        .level(match level(f.severity) {
            _ if active => ResultLevel::Error,
            "error" => ResultLevel::Error,
            "warning" => ResultLevel::Warning,
            _ => ResultLevel::Note,
        })
        .message(Message::builder().text(f.message.clone()).build())
        .locations(vec![location(&f.path, (!f.whole_file).then_some(region))])
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

    use crate::finding::Confidence;

    /// `n` findings of a practice rule, severities cycling through all five, each with its own
    /// path and a message of noise that compresses like real text does (poorly).
    fn findings(n: usize) -> Vec<Finding> {
        (0..n)
            .filter_map(|i| {
                let noise = crate::finding::fingerprint(&[&i.to_string()]);
                let mut f = crate::practice::finding(
                    "unpinned-requirement",
                    &format!("req/{i:05}.txt"),
                    i + 1,
                    format!("`pkg{i}` does not pin one version: {noise}"),
                    &[&i.to_string()],
                )?;
                f.severity = Severity::DESCENDING[i % 5];
                f.confidence = if i % 2 == 0 {
                    Confidence::High
                } else {
                    Confidence::Low
                };
                Some(f)
            })
            .collect()
    }

    fn outcome(findings: Vec<Finding>) -> Outcome {
        Outcome {
            findings,
            ..Outcome::default()
        }
    }

    fn notes(log: &Sarif) -> Vec<String> {
        let v = serde_json::to_value(log).expect("log serializes");
        v["runs"][0]["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|n| {
                        n["message"]["text"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string()
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn kept_severities(log: &Sarif) -> Vec<String> {
        let v = serde_json::to_value(log).expect("log serializes");
        v["runs"][0]["results"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|r| {
                        r["properties"]["severity"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string()
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn the_result_limit_keeps_the_most_severe_and_says_what_went() {
        let limits = Limits {
            results: 7,
            gzipped_bytes: MAX_GZIPPED_BYTES,
        };
        // 20 findings: 4 of each severity; 7 kept = 4 critical + 3 high.
        let (log, _) =
            encode(&outcome(findings(20)), &RenderOptions::default(), limits).expect("encodes");
        let mut kept = kept_severities(&log);
        kept.sort();
        assert_eq!(
            kept,
            ["critical"; 4]
                .iter()
                .chain(&["high"; 3])
                .copied()
                .collect::<Vec<_>>()
        );
        let notes = notes(&log);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("13 results (1 high, 4 medium, 4 low, 4 info) left out"),
            "{}",
            notes[0]
        );
        assert!(notes[0].contains("at most 7 results"), "{}", notes[0]);
    }

    #[test]
    fn ties_in_severity_go_by_confidence_then_a_stable_key() {
        let mut all = findings(10);
        for f in &mut all {
            f.severity = Severity::Medium;
        }
        let limits = Limits {
            results: 3,
            gzipped_bytes: MAX_GZIPPED_BYTES,
        };
        let (log, bytes) =
            encode(&outcome(all.clone()), &RenderOptions::default(), limits).expect("encodes");
        let v = serde_json::to_value(&log).expect("json");
        let uris: Vec<&str> = v["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap_or_default()
            })
            .collect();
        // High confidence are the even ones; the first three by path, listed in file order.
        assert_eq!(uris, ["req/00000.txt", "req/00002.txt", "req/00004.txt"]);
        all.reverse();
        let (_, again) = encode(&outcome(all), &RenderOptions::default(), limits).expect("encodes");
        assert_eq!(
            bytes, again,
            "the cut does not depend on the findings' order"
        );
    }

    #[test]
    fn the_size_limit_drops_the_least_severe_until_the_gzipped_file_fits() {
        let all = findings(400);
        let options = RenderOptions::default();
        let (_, whole) = encode(&outcome(all.clone()), &options, Limits::GITHUB).expect("encodes");
        let full_gz = gzipped_len(&whole).expect("gzip");
        let limit = full_gz / 3;
        let limits = Limits {
            results: MAX_RESULTS,
            gzipped_bytes: limit,
        };
        let (log, bytes) = encode(&outcome(all), &options, limits).expect("encodes");
        assert!(gzipped_len(&bytes).expect("gzip") <= limit);
        assert!(
            bytes.len() > limit,
            "the test must exercise gzip, not the raw size"
        );
        let kept = kept_severities(&log);
        assert!(kept.len() > 50 && kept.len() < 400, "{}", kept.len());
        // Most severe first: every critical is kept before any info is.
        assert_eq!(kept.iter().filter(|s| *s == "critical").count(), 80);
        assert_eq!(kept.iter().filter(|s| *s == "info").count(), 0);
        let notes = notes(&log);
        assert_eq!(notes.len(), 1, "{notes:?}");
        let dropped = 400 - kept.len();
        assert!(
            notes[0].contains(&format!("{dropped} results (")),
            "{}",
            notes[0]
        );
        assert!(notes[0].contains("80 info"), "{}", notes[0]);
        assert!(notes[0].contains("gzipped"), "{}", notes[0]);
    }

    #[test]
    fn a_whole_file_finding_has_no_region() {
        let all = findings(2);
        let mut whole = all[0].clone().for_whole_file();
        whole.path = "id_rsa".into();
        let (log, _) = encode(
            &outcome(vec![whole, all[1].clone()]),
            &RenderOptions::default(),
            Limits::GITHUB,
        )
        .expect("encodes");
        let v = serde_json::to_value(&log).expect("json");
        let results = v["runs"][0]["results"].as_array().expect("results");
        let loc = |i: usize| &results[i]["locations"][0]["physicalLocation"];
        assert_eq!(loc(0)["artifactLocation"]["uri"], "id_rsa");
        assert!(loc(0).get("region").is_none(), "{}", loc(0));
        assert_eq!(loc(1)["region"]["startLine"], 2);
    }

    #[test]
    fn names_are_pascal_case() {
        assert_eq!(pascal_case("aws-access-key-id"), "AwsAccessKeyId");
    }
}
