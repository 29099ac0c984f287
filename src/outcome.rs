//! What a scan produces: findings, the problems met on the way, and counts. Every report
//! renders exactly this.

use crate::finding::{Confidence, Finding, Severity};
use crate::package::Package;

/// The least confidence a finding needs to fail a scan when `--min-confidence` is not given.
/// Low-confidence findings (generic matches and credential-file fields in tests, fixtures,
/// examples and documentation) are still reported; `--min-confidence low` makes them count.
pub const DEFAULT_FAIL_CONFIDENCE: Confidence = Confidence::Medium;
use serde::Serialize;
use std::fmt;

/// How much a problem met during the scan matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorLevel {
    /// Something was scanned differently than usual, or deliberately not scanned; the result
    /// is still complete for what the user asked.
    Warning,
    /// Something that should have been scanned was not: the scan is incomplete (exit code 3).
    Error,
}

/// A problem met during the scan. The scan goes on; the report lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanError {
    /// The file concerned, relative to the scan root, if any.
    pub path: Option<String>,
    pub level: ErrorLevel,
    /// A short stable tag (`unreadable`, `vanished`, `broken-symlink`, `invalid-utf8`,
    /// `too-large`, `lockfile`, `advisories`, ...).
    pub kind: &'static str,
    /// What happened and what to do about it.
    pub message: String,
}

impl ScanError {
    pub fn error(path: Option<String>, kind: &'static str, message: impl Into<String>) -> Self {
        ScanError {
            path,
            level: ErrorLevel::Error,
            kind,
            message: message.into(),
        }
    }

    pub fn warning(path: Option<String>, kind: &'static str, message: impl Into<String>) -> Self {
        ScanError {
            path,
            level: ErrorLevel::Warning,
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            ErrorLevel::Warning => "warning",
            ErrorLevel::Error => "error",
        };
        match &self.path {
            Some(p) => write!(f, "{level}: {p}: {}", self.message),
            None => write!(f, "{level}: {}", self.message),
        }
    }
}

/// Counters kept during a scan.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    /// Files with a NUL byte in their first block.
    pub skipped_binary: u64,
    /// Files over `--max-file-size`.
    pub skipped_large: u64,
    /// Symbolic links (never followed: their targets inside the root are scanned directly).
    pub skipped_symlinks: u64,
    /// Files that could not be read.
    pub skipped_unreadable: u64,
    /// Lockfiles parsed.
    pub lockfiles: u64,
    /// Packages found in lockfiles.
    pub packages: u64,
    /// Commits looked at by a git history, range or pre-push scan.
    pub commits_scanned: u64,
    pub duration_seconds: f64,
}

impl Stats {
    pub fn skipped(&self) -> u64 {
        self.skipped_binary + self.skipped_large + self.skipped_symlinks + self.skipped_unreadable
    }

    pub fn add(&mut self, other: &Stats) {
        self.files_scanned += other.files_scanned;
        self.bytes_scanned += other.bytes_scanned;
        self.skipped_binary += other.skipped_binary;
        self.skipped_large += other.skipped_large;
        self.skipped_symlinks += other.skipped_symlinks;
        self.skipped_unreadable += other.skipped_unreadable;
        self.lockfiles += other.lockfiles;
        self.packages += other.packages;
        self.commits_scanned += other.commits_scanned;
    }
}

/// The result of a scan.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub packages: Vec<Package>,
    pub errors: Vec<ScanError>,
    pub stats: Stats,
    /// What `--baseline` suppressed and which of its entries are stale.
    pub baseline: Option<crate::secrets::baseline::BaselineSummary>,
}

impl Outcome {
    /// Folds another partial outcome (one walker thread's) into this one.
    pub fn merge(&mut self, other: Outcome) {
        self.findings.extend(other.findings);
        self.packages.extend(other.packages);
        self.errors.extend(other.errors);
        self.stats.add(&other.stats);
        if self.baseline.is_none() {
            self.baseline = other.baseline;
        }
    }

    /// Whether a finding reaches both `severity` and `confidence`: the scan fails.
    pub fn fails(&self, severity: Severity, confidence: Confidence) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity >= severity && f.confidence >= confidence)
    }

    /// Whether something that should have been scanned was not.
    pub fn incomplete(&self) -> bool {
        self.errors.iter().any(|e| e.level == ErrorLevel::Error)
    }

    /// Number of findings per severity, most severe first.
    pub fn counts_by_severity(&self) -> Vec<(Severity, usize)> {
        Severity::DESCENDING
            .iter()
            .map(|&s| (s, self.findings.iter().filter(|f| f.severity == s).count()))
            .collect()
    }

    /// Puts findings and errors in a deterministic order.
    pub fn sort(&mut self) {
        crate::finding::sort_findings(&mut self.findings);
        self.errors
            .sort_by(|a, b| (&a.path, a.kind, &a.message).cmp(&(&b.path, b.kind, &b.message)));
        self.packages.sort_by(|a, b| {
            (&a.path, a.line, &a.name, &a.version).cmp(&(&b.path, b.line, &b.name, &b.version))
        });
    }
}
