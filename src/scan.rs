//! The scan: one walk over the tree, every check run on each file's bytes, then the
//! packages found checked against advisories.

use crate::deps::findings::to_findings;
use crate::deps::ignore::{self, IgnoreEntry};
use crate::deps::lockfile;
use crate::deps::osv::{self, AdvisorySource};
use crate::error::Error;
use crate::outcome::{Outcome, ScanError};
use crate::secrets::{builtin_rules, load_rule_dir, Engine, Rule};
use crate::source::walk::{walk, Visitor, WalkOptions};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What to do with the packages the lockfiles declare.
#[derive(Debug, Clone, Default)]
pub enum DepsMode {
    /// Do not look at lockfiles.
    Off,
    /// Parse lockfiles and list packages; look nothing up.
    #[default]
    ListOnly,
    /// Check packages against an advisory source.
    Check(AdvisorySource),
}

/// What to scan and how.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    pub root: PathBuf,
    pub walk: WalkOptions,
    /// Directories of extra rule files (`--rules DIR`).
    pub rule_dirs: Vec<PathBuf>,
    /// Skip the secret rules (`--no-secrets`).
    pub no_secrets: bool,
    pub deps: DepsMode,
    /// `[[deps.ignore]]` entries.
    pub deps_ignore: Vec<IgnoreEntry>,
}

/// Loads the built-in rules plus those in `dirs`, rejecting duplicate ids.
pub fn load_rules(dirs: &[PathBuf]) -> Result<Vec<Rule>, Error> {
    let mut rules = builtin_rules()?;
    for dir in dirs {
        rules.extend(load_rule_dir(dir)?);
    }
    crate::secrets::rule::check_unique_ids(&rules)?;
    Ok(rules)
}

/// Runs every check on each file the walk yields.
pub struct TreeScanner {
    engine: Option<Engine>,
    /// Scan root, for lockfile includes; `None` when lockfiles are not parsed.
    lockfile_root: Option<PathBuf>,
}

impl TreeScanner {
    /// `engine`: the secret rules, or `None` to skip secrets. `lockfile_root`: the scan root
    /// when lockfiles should be parsed.
    pub fn new(engine: Option<Engine>, lockfile_root: Option<PathBuf>) -> TreeScanner {
        TreeScanner {
            engine,
            lockfile_root,
        }
    }

    pub fn engine(&self) -> Option<&Engine> {
        self.engine.as_ref()
    }

    fn lockfile(&self, root: &Path, rel: &str, content: &[u8], out: &mut Outcome) {
        let Some(format) = lockfile::detect(Path::new(rel)) else {
            return;
        };
        let text = String::from_utf8_lossy(content);
        out.stats.lockfiles += 1;
        match lockfile::parse_in_tree(root, rel, format, &text) {
            Ok(packages) => out.packages.extend(packages),
            Err(e) => out.errors.push(ScanError::error(
                Some(e.path.clone()),
                "lockfile",
                match e.line {
                    Some(line) => format!("line {line}: {}", e.message),
                    None => e.message,
                },
            )),
        }
    }
}

impl Visitor for TreeScanner {
    fn content(&self, rel: &str, content: &[u8], out: &mut Outcome) {
        if let Some(engine) = &self.engine {
            out.findings.extend(engine.scan(rel, content));
        }
        if let Some(root) = &self.lockfile_root {
            self.lockfile(root, rel, content, out);
        }
    }
}

/// Scans the working tree at `options.root`.
pub fn scan_tree(options: &ScanOptions) -> Result<Outcome, Error> {
    let started = Instant::now();
    check_root(&options.root)?;
    let engine = if options.no_secrets {
        None
    } else {
        Some(Engine::new(load_rules(&options.rule_dirs)?).map_err(Error::Config)?)
    };
    let lockfile_root = match options.deps {
        DepsMode::Off => None,
        _ => Some(options.root.clone()),
    };
    let scanner = TreeScanner::new(engine, lockfile_root);
    let mut outcome = walk(&options.root, &options.walk, &scanner);
    dedupe_packages(&mut outcome);
    if let DepsMode::Check(source) = &options.deps {
        check_packages(&mut outcome, source, &options.deps_ignore);
    }
    outcome.sort();
    outcome.stats.duration_seconds = started.elapsed().as_secs_f64();
    Ok(outcome)
}

/// A requirements file included by another is parsed twice (once through the include, once
/// on its own): keep one entry per lockfile, package and version.
fn dedupe_packages(outcome: &mut Outcome) {
    let mut seen = HashSet::new();
    outcome.packages.retain(|p| {
        seen.insert((
            p.path.clone(),
            p.ecosystem,
            p.name.clone(),
            p.version.clone(),
        ))
    });
    outcome.stats.packages = outcome.packages.len() as u64;
}

/// Looks the packages up and adds vulnerability findings; an unreachable or broken advisory
/// source is an error (the scan is incomplete), never a reason to drop the secret findings.
fn check_packages(outcome: &mut Outcome, source: &AdvisorySource, ignores: &[IgnoreEntry]) {
    if outcome.packages.is_empty() {
        return;
    }
    let checked = osv::check(&outcome.packages, source);
    let mut vulns = to_findings(&checked.matches);
    outcome
        .errors
        .extend(ignore::apply(&mut vulns, ignores, ignore::today()));
    outcome.findings.extend(vulns);
    for e in checked.errors {
        outcome
            .errors
            .push(ScanError::error(None, "advisories", e.to_string()));
    }
}

fn check_root(root: &Path) -> Result<(), Error> {
    match std::fs::metadata(root) {
        Ok(_) => Ok(()),
        Err(e) => Err(Error::Io(format!(
            "cannot scan {}: {e}; give an existing directory or file",
            root.display()
        ))),
    }
}
