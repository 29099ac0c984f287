//! What a scan produces: findings, the problems met on the way, counts and the verdict. Every
//! report renders exactly this.

use crate::finding::{Confidence, Finding, Severity};
use crate::package::Package;
use serde::Serialize;
use std::fmt;

/// The least confidence a finding needs to fail a scan when `--min-confidence` is not given.
/// Low-confidence findings (generic matches and credential-file fields in tests, fixtures,
/// examples and documentation) are still reported; `--min-confidence low` makes them count.
pub const DEFAULT_FAIL_CONFIDENCE: Confidence = Confidence::Medium;

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

/// What kind of problem a [`ScanError`] is: a stable tag in every report (`kind` in JSON and in
/// the SARIF notification's properties), so scripts can act on it without reading messages.
/// Tags are added over time, never renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// A file, blob, commit or reference that could not be read (permissions, I/O error, a
    /// corrupt or missing git object).
    Unreadable,
    /// A file that disappeared between the walk listing it and the read.
    Vanished,
    /// A symbolic link whose target does not exist.
    BrokenSymlink,
    /// A symbolic link pointing outside the scan root (never followed).
    SymlinkOutsideRoot,
    /// A text file that is not valid UTF-8 (scanned anyway, as bytes).
    InvalidUtf8,
    /// A file or blob over `--max-file-size`: not scanned.
    TooLarge,
    /// A lockfile that could not be parsed: its packages are not checked.
    Lockfile,
    /// The advisory source failed (unreachable API, garbage answer, missing offline database).
    Advisories,
    /// A git reference or range that could not be used as asked.
    Git,
    /// A shallow clone: history stops at the boundary.
    Shallow,
    /// A baseline entry that matches no finding any more.
    BaselineStale,
    /// A version 1 baseline (plain hashes of secrets) that should be migrated.
    BaselineLegacy,
    /// A report cut short (SARIF's result limit).
    Truncated,
    /// A `[[deps.ignore]]` entry past its `until` date.
    IgnoreExpired,
    /// A `[[deps.ignore]]` entry that matched no finding.
    IgnoreUnused,
    /// Something in a configuration that was read but has no effect (a gitleaks rule id
    /// hygiene has no equivalent of).
    Config,
    /// The offline advisory database is older than `max_db_age` / `--max-db-age`.
    StaleDatabase,
    /// `--outdated` could not ask a registry, or could not tell which dependencies are
    /// direct: some packages were not checked for newer releases.
    Outdated,
    /// The scan cache (`--cache`) could not be read or written: the scan ran without it.
    Cache,
    /// `--validate` could not tell whether some secrets are live (rate-limited, timed out,
    /// unreachable, an unexpected answer): they are reported as `unknown`.
    Validation,
}

impl ProblemKind {
    /// The tag as reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Unreadable => "unreadable",
            ProblemKind::Vanished => "vanished",
            ProblemKind::BrokenSymlink => "broken-symlink",
            ProblemKind::SymlinkOutsideRoot => "symlink-outside-root",
            ProblemKind::InvalidUtf8 => "invalid-utf8",
            ProblemKind::TooLarge => "too-large",
            ProblemKind::Lockfile => "lockfile",
            ProblemKind::Advisories => "advisories",
            ProblemKind::Git => "git",
            ProblemKind::Shallow => "shallow",
            ProblemKind::BaselineStale => "baseline-stale",
            ProblemKind::BaselineLegacy => "baseline-legacy",
            ProblemKind::Truncated => "truncated",
            ProblemKind::IgnoreExpired => "ignore-expired",
            ProblemKind::IgnoreUnused => "ignore-unused",
            ProblemKind::Config => "config",
            ProblemKind::StaleDatabase => "stale-database",
            ProblemKind::Outdated => "outdated",
            ProblemKind::Cache => "cache",
            ProblemKind::Validation => "validation",
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem met during the scan. The scan goes on; the report lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanError {
    /// The file concerned, relative to the scan root, if any.
    pub path: Option<String>,
    pub level: ErrorLevel,
    pub kind: ProblemKind,
    /// What happened and what to do about it.
    pub message: String,
}

impl ScanError {
    pub fn error(path: Option<String>, kind: ProblemKind, message: impl Into<String>) -> Self {
        ScanError {
            path,
            level: ErrorLevel::Error,
            kind,
            message: message.into(),
        }
    }

    pub fn warning(path: Option<String>, kind: ProblemKind, message: impl Into<String>) -> Self {
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
    /// `--cache`: files or blobs whose findings came from the cache, unread.
    pub cache_hits: u64,
    /// `--cache`: files or blobs looked up in the cache and read, since it did not know them.
    pub cache_misses: u64,
    pub duration_seconds: f64,
    /// Where the time went, phase by phase (`--verbose` prints it).
    pub timings: Timings,
}

/// Time per phase of a scan, in seconds. The reads and the per-file checks run interleaved on
/// the worker threads, so those are sums over threads (CPU-ish time: they can exceed the
/// wall time of the read), while the phases that run alone are wall time. Set by the pipeline;
/// zero for a phase that did not run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Timings {
    /// Wall time of loading and compiling the secret rules (before any file is read).
    pub rules_compile_seconds: f64,
    /// Wall time of walking and reading the source (the working tree, or the git objects),
    /// the per-file checks included, the rules' compilation not.
    pub read_seconds: f64,
    /// The secret rules and credential-file formats, summed over worker threads.
    pub secret_rules_seconds: f64,
    /// Lockfile parsing, summed over worker threads.
    pub lockfiles_seconds: f64,
    /// Wall time of the advisory check (the OSV API or the offline database).
    pub advisories_seconds: f64,
    /// Wall time of the update check (`--outdated`).
    pub outdated_seconds: f64,
    /// Wall time of asking providers whether secrets are live (`--validate`).
    pub validate_seconds: f64,
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
        self.cache_hits += other.cache_hits;
        self.cache_misses += other.cache_misses;
        // Timings are the pipeline's to set, once, not a per-thread count.
    }
}

/// One accepted finding of a baseline file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub rule_id: String,
    pub path: String,
    pub fingerprint: String,
}

/// What applying a baseline did, for the reports.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BaselineSummary {
    /// The baseline file, as given.
    pub file: String,
    /// Entries in the file.
    pub entries: usize,
    /// Findings dropped because the baseline holds them.
    pub suppressed: usize,
    /// Entries that no finding matched (only judged by scans that see everything: the
    /// working tree or the whole history).
    pub stale: Vec<BaselineEntry>,
}

/// When a scan fails: the `--fail-on` and `--min-confidence` settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gate {
    /// The least severity that fails.
    pub fail_on: Severity,
    /// `--min-confidence` as given: findings below it are not reported, and those at or above
    /// it fail. Without it every finding is reported and [`DEFAULT_FAIL_CONFIDENCE`] fails.
    pub min_confidence: Option<Confidence>,
}

impl Default for Gate {
    fn default() -> Self {
        Gate {
            fail_on: Severity::Low,
            min_confidence: None,
        }
    }
}

/// What the scan says about the repository: the exit code's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verdict {
    /// Nothing reaches the gate.
    #[default]
    Clean,
    /// A finding reaches the gate.
    Findings,
    /// Something that should have been scanned was not: a gate must not pass a scan that did
    /// not finish, so this wins over findings.
    Incomplete,
}

/// The result of a scan.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub packages: Vec<Package>,
    pub errors: Vec<ScanError>,
    pub stats: Stats,
    /// What `--baseline` suppressed and which of its entries are stale.
    pub baseline: Option<BaselineSummary>,
    /// Set by the pipeline once every filter has run.
    pub verdict: Verdict,
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

    /// The verdict under `gate` (see [`Verdict`]).
    pub fn judge(&self, gate: &Gate) -> Verdict {
        let confidence = gate.min_confidence.unwrap_or(DEFAULT_FAIL_CONFIDENCE);
        if self.incomplete() {
            Verdict::Incomplete
        } else if self.fails(gate.fail_on, confidence) {
            Verdict::Findings
        } else {
            Verdict::Clean
        }
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
        self.errors.sort_by(|a, b| {
            (&a.path, a.kind.as_str(), &a.message).cmp(&(&b.path, b.kind.as_str(), &b.message))
        });
        self.packages.sort_by(|a, b| {
            (&a.path, a.line, &a.name, &a.version).cmp(&(&b.path, b.line, &b.name, &b.version))
        });
    }
}
