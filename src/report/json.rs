//! The JSON report: a documented, stable schema (`docs/report.schema.json`, validated against
//! every report the end-to-end tests read; `docs/json-report.md`). Fields are added over time,
//! never renamed or removed; `version` changes only if that promise has to be broken.

use super::{shown_secret, RenderOptions};
use crate::deps::Package;
use crate::finding::{
    AdvisoryInfo, Confidence, Encoding, Finding, FindingKind, Severity, Validation,
};
use crate::outcome::{Outcome, ScanError, Stats};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Schema version of the JSON report.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    errors: &'a [ScanError],
    stats: JsonStats<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'a crate::outcome::BaselineSummary>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    kind: FindingKind,
    rule_id: &'a str,
    rule_name: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    severity: Severity,
    confidence: Confidence,
    fingerprint: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
    /// How the secret was encoded where it was found: `base64`, `percent`, `json-escape`.
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<Encoding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    package: Option<JsonPackage<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    advisory: Option<&'a AdvisoryInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    validation: Option<&'a Validation>,
}

#[derive(Serialize)]
struct JsonPackage<'a> {
    ecosystem: &'a str,
    name: &'a str,
    version: &'a str,
    direct: Option<bool>,
    dev: Option<bool>,
}

impl<'a> JsonPackage<'a> {
    fn new(p: &'a Package) -> Self {
        JsonPackage {
            ecosystem: p.ecosystem.as_str(),
            name: &p.name,
            version: &p.version,
            direct: p.direct,
            dev: p.dev,
        }
    }
}

#[derive(Serialize)]
struct JsonStats<'a> {
    #[serde(flatten)]
    stats: &'a Stats,
    skipped: u64,
    findings: BTreeMap<&'static str, usize>,
}

fn finding<'a>(f: &'a Finding, options: &RenderOptions) -> JsonFinding<'a> {
    JsonFinding {
        kind: f.kind,
        rule_id: &f.rule.id,
        rule_name: &f.rule.name,
        path: &f.path,
        line: f.line,
        column: f.column,
        end_line: f.end_line,
        end_column: f.end_column,
        severity: f.severity,
        confidence: f.confidence,
        fingerprint: &f.fingerprint,
        message: &f.message,
        secret: f.secret.as_ref().map(|s| shown_secret(s, options)),
        encoding: f.encoding,
        commit: f.commit.as_ref().map(|c| c.id.as_str()),
        author: f.commit.as_ref().map(|c| c.author.as_str()),
        date: f.commit.as_ref().map(|c| c.date.as_str()),
        package: f.package.as_ref().map(JsonPackage::new),
        advisory: f.advisory.as_ref(),
        validation: f.validation.as_ref(),
    }
}

/// Writes the JSON report, pretty-printed, with a trailing newline.
pub fn render(outcome: &Outcome, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let report = Report {
        version: JSON_VERSION,
        tool: Tool {
            name: "hygiene",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: outcome
            .findings
            .iter()
            .map(|f| finding(f, options))
            .collect(),
        errors: &outcome.errors,
        stats: JsonStats {
            stats: &outcome.stats,
            skipped: outcome.stats.skipped(),
            findings: outcome
                .counts_by_severity()
                .into_iter()
                .map(|(s, n)| (s.as_str(), n))
                .collect(),
        },
        baseline: outcome.baseline.as_ref(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
