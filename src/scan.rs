//! The scan: one walk over the tree, every check run on each file's bytes.

use crate::error::Error;
use crate::outcome::Outcome;
use crate::secrets::{builtin_rules, load_rule_dir, Engine, Rule};
use crate::source::walk::{walk, Visitor, WalkOptions};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What to scan and how.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    pub root: PathBuf,
    pub walk: WalkOptions,
    /// Directories of extra rule files (`--rules DIR`).
    pub rule_dirs: Vec<PathBuf>,
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
    engine: Engine,
}

impl TreeScanner {
    pub fn new(rules: Vec<Rule>) -> Result<TreeScanner, Error> {
        Ok(TreeScanner {
            engine: Engine::new(rules).map_err(Error::Config)?,
        })
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }
}

impl Visitor for TreeScanner {
    fn content(&self, rel: &str, content: &[u8], out: &mut Outcome) {
        out.findings.extend(self.engine.scan(rel, content));
    }
}

/// Scans the working tree at `options.root`.
pub fn scan_tree(options: &ScanOptions) -> Result<Outcome, Error> {
    let started = Instant::now();
    check_root(&options.root)?;
    let scanner = TreeScanner::new(load_rules(&options.rule_dirs)?)?;
    let mut outcome = walk(&options.root, &options.walk, &scanner);
    outcome.sort();
    outcome.stats.duration_seconds = started.elapsed().as_secs_f64();
    Ok(outcome)
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
