//! The scan: one walk over the tree, every check run on each file's bytes.

use crate::config::{self, Allowlist, Loaded};
use crate::error::Error;
use crate::outcome::Outcome;
use crate::secrets::sensitive::SensitiveFiles;
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
    /// `--config FILE`; without it, `.hygiene.toml` at the root is read if present.
    pub config: Option<PathBuf>,
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

/// Applies a configuration to the loaded rules: adds its inline `[[secrets.rules]]`, then
/// removes the rules its `[secrets] disable` names (an unknown id is an error, so a typo does
/// not silently leave a rule on).
pub fn configure_rules(mut rules: Vec<Rule>, loaded: &Loaded) -> Result<Vec<Rule>, Error> {
    let name = loaded.name();
    for spec in &loaded.config.secrets.rules {
        rules.push(Rule::compile(spec.clone(), &name)?);
    }
    crate::secrets::rule::check_unique_ids(&rules)?;
    let disable = &loaded.config.secrets.disable;
    let sensitive = crate::secrets::sensitive::rule_ids();
    for id in disable {
        if !rules.iter().any(|r| &r.spec.id == id) && !sensitive.contains(&id.as_str()) {
            return Err(Error::Config(format!(
                "{name}: secrets.disable: unknown rule id `{id}` (see `hygiene rules list`)"
            )));
        }
    }
    rules.retain(|r| !disable.contains(&r.spec.id));
    Ok(rules)
}

/// Runs every check on each file the walk yields.
pub struct TreeScanner {
    engine: Engine,
    sensitive: SensitiveFiles,
    allow: Allowlist,
}

impl TreeScanner {
    pub fn new(rules: Vec<Rule>) -> Result<TreeScanner, Error> {
        TreeScanner::configured(rules, &Loaded::default())
    }

    /// A scanner with a configuration applied: inline rules, disabled rules, allowlists.
    pub fn configured(rules: Vec<Rule>, loaded: &Loaded) -> Result<TreeScanner, Error> {
        let rules = configure_rules(rules, loaded)?;
        let allow = config::compile_allow(loaded)?;
        let mut engine = Engine::new(rules).map_err(Error::Config)?;
        engine.set_allow(allow.secrets.clone());
        Ok(TreeScanner {
            engine,
            sensitive: SensitiveFiles::new(&loaded.config.secrets.disable),
            allow,
        })
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }
}

impl Visitor for TreeScanner {
    fn path(&self, rel: &str, out: &mut Outcome) {
        if self.allow.path_allowed(rel) {
            return;
        }
        if let Some(f) = self.sensitive.check(rel) {
            out.findings.push(f);
        }
    }

    fn content(&self, rel: &str, content: &[u8], out: &mut Outcome) {
        if self.allow.path_allowed(rel) {
            return;
        }
        out.findings.extend(self.engine.scan(rel, content));
    }
}

/// Scans the working tree at `options.root`.
pub fn scan_tree(options: &ScanOptions) -> Result<Outcome, Error> {
    let started = Instant::now();
    check_root(&options.root)?;
    let loaded = config::load(&options.root, options.config.as_deref())?;
    let scanner = TreeScanner::configured(load_rules(&options.rule_dirs)?, &loaded)?;
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
