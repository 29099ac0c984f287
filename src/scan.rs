//! The scan: one walk over the tree, every check run on each file's bytes, then the
//! packages found checked against advisories.

use crate::config::{self, Allowlist, Loaded};
use crate::deps::findings::to_findings;
use crate::deps::ignore::{self, IgnoreEntry};
use crate::deps::lockfile;
use crate::deps::osv::{self, AdvisorySource};
use crate::error::Error;
use crate::outcome::{Outcome, ScanError};
use crate::secrets::formats::builtin_formats;
use crate::secrets::sensitive::SensitiveFiles;
use crate::secrets::{builtin_rules, load_rule_dir, Engine, Rule};
use crate::source::walk::{walk, Visitor, WalkOptions};
use std::collections::HashSet;
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
    /// Skip the secret rules (`--no-secrets`).
    pub no_secrets: bool,
    pub deps: DepsMode,
}

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
    let formats = builtin_formats()?;
    for id in disable {
        if !rules.iter().any(|r| &r.spec.id == id)
            && !sensitive.contains(&id.as_str())
            && !formats.formats().iter().any(|f| &f.spec.id == id)
        {
            return Err(Error::Config(format!(
                "{name}: secrets.disable: unknown rule id `{id}` (see `hygiene rules list`)"
            )));
        }
    }
    rules.retain(|r| !disable.contains(&r.spec.id));
    Ok(rules)
}

/// The secret engine with a configuration applied (inline and disabled rules, secret
/// allowlists), and the compiled allowlist (whose paths the caller must honour).
pub fn configured_engine(rules: Vec<Rule>, loaded: &Loaded) -> Result<(Engine, Allowlist), Error> {
    let rules = configure_rules(rules, loaded)?;
    let allow = config::compile_allow(loaded)?;
    let disable = &loaded.config.secrets.disable;
    let formats = builtin_formats()?.retain(|f| !disable.contains(&f.spec.id))?;
    let mut engine = Engine::new(rules).map_err(Error::Config)?;
    engine.set_allow(allow.secrets.clone());
    engine.set_formats(formats);
    Ok((engine, allow))
}

/// Runs every check on each file the walk yields.
pub struct TreeScanner {
    /// The secret rules; `None` with `--no-secrets`.
    engine: Option<Engine>,
    sensitive: Option<SensitiveFiles>,
    allow: Allowlist,
    /// Scan root, for lockfile includes; `None` when lockfiles are not parsed.
    lockfile_root: Option<PathBuf>,
}

impl TreeScanner {
    pub fn new(rules: Vec<Rule>) -> Result<TreeScanner, Error> {
        TreeScanner::configured(rules, &Loaded::default())
    }

    /// A scanner with a configuration applied: inline rules, disabled rules, allowlists.
    pub fn configured(rules: Vec<Rule>, loaded: &Loaded) -> Result<TreeScanner, Error> {
        let (engine, allow) = configured_engine(rules, loaded)?;
        Ok(TreeScanner {
            engine: Some(engine),
            sensitive: Some(SensitiveFiles::new(&loaded.config.secrets.disable)),
            allow,
            lockfile_root: None,
        })
    }

    /// A scanner that looks for no secrets (only lockfiles, once [`Self::with_lockfiles`]).
    pub fn without_secrets(loaded: &Loaded) -> Result<TreeScanner, Error> {
        Ok(TreeScanner {
            engine: None,
            sensitive: None,
            allow: config::compile_allow(loaded)?,
            lockfile_root: None,
        })
    }

    /// Also parse the lockfiles the walk meets; `root` is the scan root (for includes).
    pub fn with_lockfiles(mut self, root: PathBuf) -> TreeScanner {
        self.lockfile_root = Some(root);
        self
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
    fn path(&self, rel: &str, out: &mut Outcome) {
        if self.allow.path_allowed(rel) {
            return;
        }
        if let Some(f) = self.sensitive.as_ref().and_then(|s| s.check(rel)) {
            out.findings.push(f);
        }
    }

    /// A readable credential file that could not be read as text (binary, encrypted, too
    /// large): the path is all there is to report.
    fn unread(&self, rel: &str, out: &mut Outcome) {
        if let Some(f) = self.sensitive.as_ref().and_then(|s| s.check_unread(rel)) {
            out.findings.push(f);
        }
    }

    fn wants_content(&self, rel: &str) -> bool {
        !self.allow.path_allowed(rel)
            && (self.engine.is_some()
                || (self.lockfile_root.is_some() && lockfile::detect(Path::new(rel)).is_some()))
    }

    /// Only for paths `wants_content` accepted (not allowlisted).
    fn content(&self, rel: &str, content: &[u8], out: &mut Outcome) {
        if let Some(engine) = &self.engine {
            out.findings.extend(engine.scan(rel, content));
            // A credential file by name that no format reads: its path is the finding.
            if let Some(f) = self.sensitive.as_ref().and_then(|s| s.check_unread(rel)) {
                if !engine.reads_as_format(rel) {
                    out.findings.push(f);
                }
            }
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
    let loaded = config::load(&options.root, options.config.as_deref())?;
    let deps_ignore = ignore::from_config_value(&loaded.name(), loaded.config.deps.as_ref())
        .map_err(Error::Config)?;
    let mut scanner = if options.no_secrets {
        TreeScanner::without_secrets(&loaded)?
    } else {
        TreeScanner::configured(load_rules(&options.rule_dirs)?, &loaded)?
    };
    if !matches!(options.deps, DepsMode::Off) {
        scanner = scanner.with_lockfiles(options.root.clone());
    }
    let mut outcome = walk(&options.root, &options.walk, &scanner);
    dedupe_packages(&mut outcome);
    if let DepsMode::Check(source) = &options.deps {
        check_packages(&mut outcome, source, &deps_ignore);
    }
    outcome.sort();
    outcome.stats.duration_seconds = started.elapsed().as_secs_f64();
    Ok(outcome)
}

/// A requirements file included by another is parsed twice (once through the include, once
/// on its own): keep one entry per lockfile, package and version.
fn dedupe_packages(outcome: &mut Outcome) {
    // Borrowed keys: no copy of three strings per package (40k packages on the bench corpus).
    let keep: Vec<bool> = {
        let mut seen = HashSet::with_capacity(outcome.packages.len());
        outcome
            .packages
            .iter()
            .map(|p| seen.insert((&p.path, p.ecosystem, &p.name, &p.version)))
            .collect()
    };
    let mut keep = keep.into_iter();
    outcome.packages.retain(|_| keep.next().unwrap_or(true));
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
