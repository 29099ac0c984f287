//! Baselines: a file of accepted findings, so a team can adopt the scanner on a repository
//! with history and be told only about what is new.
//!
//! `hygiene baseline create` writes `.hygiene-baseline.json`:
//!
//! ```json
//! {
//!   "version": 2,
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
//!
//! **Versions.** Version 2 fingerprints a secret through a slow, salted derivation (see
//! [`crate::fingerprint`]); version 1 used a plain SHA-256 of the secret, which let anyone
//! holding the file test guesses quickly. A version 1 file is still read: its entries match a
//! finding by the version 1 fingerprint, computed for matching only (it needs the whole secret,
//! so a scan with such a baseline reads every file rather than the scan cache), and every
//! report carries a `baseline-legacy` warning until `hygiene baseline migrate` rewrites the
//! file as version 2. Findings that hold no secret (packages, file names) have the same
//! fingerprint in both versions.

use crate::error::{Error, ErrorKind};
use crate::finding::Finding;
use crate::outcome::{BaselineEntry, BaselineSummary, Outcome, ProblemKind, ScanError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// The default baseline file name, at the scan root.
pub const BASELINE_FILE: &str = ".hygiene-baseline.json";

/// Schema version of the baseline file this hygiene writes.
pub const BASELINE_VERSION: u32 = 2;

/// The version whose secret fingerprints were a plain SHA-256: still read, never written.
pub const LEGACY_BASELINE_VERSION: u32 = 1;

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
        if b.version != BASELINE_VERSION && b.version != LEGACY_BASELINE_VERSION {
            return Err(Error::new(
                ErrorKind::Baseline,
                format!(
                    "{}: baseline version {} is not supported (this hygiene reads versions \
                 {LEGACY_BASELINE_VERSION} and {BASELINE_VERSION} and writes {BASELINE_VERSION})",
                    path.display(),
                    b.version
                ),
            ));
        }
        Ok(b)
    }

    /// Whether this is a version 1 file (secret fingerprints by plain SHA-256).
    pub fn is_legacy(&self) -> bool {
        self.version == LEGACY_BASELINE_VERSION
    }

    /// The fingerprint this baseline's entries would hold for `f`: today's, or for a version 1
    /// file the version 1 fingerprint of a finding with a whole secret. `None` for a secret
    /// finding replayed from the scan cache under a version 1 baseline (its whole value is not
    /// known; the scan does not read the cache in that case).
    fn entry_fingerprint(&self, f: &Finding, legacy: bool) -> Option<String> {
        match (&f.secret, legacy) {
            (Some(s), true) if s.is_whole() => Some(crate::fingerprint::legacy_secret_fingerprint(
                &f.rule.id,
                &f.path,
                s.expose(),
            )),
            (Some(_), true) => None,
            _ => Some(f.fingerprint.clone()),
        }
    }

    /// Rewrites a version 1 baseline as version 2 from a scan's findings (a scan that reads
    /// every file, so each secret finding holds its whole value): each entry matched by a
    /// finding's version 1 fingerprint takes that finding's version 2 fingerprint; an entry
    /// that holds no secret keeps its fingerprint (the same in both versions); entries that
    /// match nothing are returned apart (stale: they cannot be converted without the secret).
    /// A version 2 baseline is returned as it is.
    pub fn migrate(&self, findings: &[Finding]) -> (Baseline, Vec<BaselineEntry>) {
        if !self.is_legacy() {
            return (self.clone(), Vec::new());
        }
        let mut by_old: std::collections::HashMap<String, &Finding> =
            std::collections::HashMap::new();
        for f in findings {
            if let Some(fp) = self.entry_fingerprint(f, true) {
                by_old.entry(fp).or_insert(f);
            }
        }
        let mut set: BTreeSet<(String, String, String)> = BTreeSet::new();
        let mut stale = Vec::new();
        for e in &self.findings {
            match by_old.get(&e.fingerprint) {
                Some(f) => {
                    set.insert((f.path.clone(), f.rule.id.clone(), f.fingerprint.clone()));
                }
                None => stale.push(e.clone()),
            }
        }
        let baseline = Baseline {
            version: BASELINE_VERSION,
            findings: set
                .into_iter()
                .map(|(path, rule_id, fingerprint)| BaselineEntry {
                    rule_id,
                    path,
                    fingerprint,
                })
                .collect(),
        };
        (baseline, stale)
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
        let legacy = self.is_legacy();
        outcome
            .findings
            .retain(|f| match self.entry_fingerprint(f, legacy) {
                Some(fp) if known.contains(fp.as_str()) => {
                    matched.insert(fp);
                    false
                }
                _ => true,
            });
        if legacy {
            outcome.errors.push(ScanError::warning(
                Some(file.to_string()),
                ProblemKind::BaselineLegacy,
                format!(
                    "baseline version {LEGACY_BASELINE_VERSION} holds plain hashes of secrets \
                     (anyone with the file can test guesses quickly); rewrite it as version \
                     {BASELINE_VERSION} with `hygiene baseline migrate --baseline {file}`"
                ),
            ));
        }
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
