//! Baselines: a file of accepted findings, so a team can adopt the scanner on a repository
//! with history and be told only about what is new.
//!
//! `hygiene baseline create` writes `.hygiene-baseline.json`:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {"rule_id": "generic-password", "path": "config/db.yml", "fingerprint": "9c1f…"}
//!   ]
//! }
//! ```
//!
//! Entries are keyed by the finding's fingerprint (a hash of rule id, path and secret value),
//! sorted by path, rule and fingerprint, with no line numbers and no timestamps: moving code
//! around a baselined secret changes nothing, and two branches that each add entries merge
//! without conflicts in the common case. A rotated secret on the same line has a new
//! fingerprint, so it is reported as new.
//!
//! `hygiene scan --baseline FILE` drops findings whose fingerprint is in the file and lists the
//! entries no finding matched any more (fixed, moved to another file, or rotated): those are
//! *stale* and can be removed by re-creating the baseline.

use crate::error::{Error, ErrorKind};
use crate::finding::Finding;
use crate::outcome::{BaselineEntry, BaselineSummary, Outcome, ProblemKind, ScanError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// The default baseline file name, at the scan root.
pub const BASELINE_FILE: &str = ".hygiene-baseline.json";

/// Schema version of the baseline file.
pub const BASELINE_VERSION: u32 = 1;

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

impl Baseline {
    /// A baseline accepting `findings`: one entry per distinct fingerprint, sorted.
    pub fn from_findings(findings: &[Finding]) -> Baseline {
        let set: BTreeSet<(String, String, String)> = findings
            .iter()
            .map(|f| (f.path.clone(), f.rule.id.clone(), f.fingerprint.clone()))
            .collect();
        Baseline {
            version: BASELINE_VERSION,
            findings: set
                .into_iter()
                .map(|(path, rule_id, fingerprint)| BaselineEntry {
                    rule_id,
                    path,
                    fingerprint,
                })
                .collect(),
        }
    }

    /// The file's text: pretty JSON, one entry per line group, trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("baseline serialises");
        s.push('\n');
        s
    }

    /// Reads a baseline file; errors name the file.
    pub fn load(path: &Path) -> Result<Baseline, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::with_source(
                ErrorKind::Baseline,
                format!(
                    "cannot read baseline {} (create one with `hygiene baseline create`)",
                    path.display()
                ),
                e,
            )
        })?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| {
            Error::with_source(
                ErrorKind::Baseline,
                format!("{}: not a hygiene baseline", path.display()),
                e,
            )
        })?;
        if b.version != BASELINE_VERSION {
            return Err(Error::new(ErrorKind::Baseline, format!(
                "{}: baseline version {} is not supported (this hygiene writes version {BASELINE_VERSION})",
                path.display(),
                b.version
            ),
            ));
        }
        Ok(b)
    }

    /// Drops the findings the baseline accepts from `outcome` and records what was done in
    /// `outcome.baseline`. With `judge_stale` (a scan that sees everything: the working tree or
    /// the whole history) it also lists the entries no finding matched and adds a warning
    /// (kind `baseline-stale`) per stale entry so every report format shows them; a scan of
    /// staged changes or of a range sees only what is new, so every entry would look stale.
    pub fn apply(&self, file: &str, outcome: &mut Outcome, judge_stale: bool) {
        let known: BTreeSet<&str> = self
            .findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let mut matched: BTreeSet<String> = BTreeSet::new();
        let before = outcome.findings.len();
        outcome.findings.retain(|f| {
            if known.contains(f.fingerprint.as_str()) {
                matched.insert(f.fingerprint.clone());
                false
            } else {
                true
            }
        });
        let suppressed = before - outcome.findings.len();
        let stale: Vec<BaselineEntry> = self
            .findings
            .iter()
            .filter(|e| judge_stale && !matched.contains(&e.fingerprint))
            .cloned()
            .collect();
        for e in &stale {
            outcome.errors.push(ScanError::warning(
                Some(e.path.clone()),
                ProblemKind::BaselineStale,
                format!(
                    "baseline entry {} ({}) matches no finding any more (fixed, moved or rotated); \
                     re-create the baseline to drop it",
                    e.fingerprint, e.rule_id
                ),
            ));
        }
        outcome.baseline = Some(BaselineSummary {
            file: file.to_string(),
            entries: self.findings.len(),
            suppressed,
            stale,
        });
    }
}
