//! The checks run on every file of every source: secret rules and credential-file formats,
//! sensitive file names, lockfiles and their pinning. One [`Visitor`] implementation, so a check added here runs
//! on the working tree, the history, a range, the staged changes and a push alike.

use super::pinning::Collector;
use super::progress::Progress;
use crate::config::{Allowlist, Loaded};
use crate::deps::lockfile;
use crate::error::{Error, ErrorKind};
use crate::outcome::{Outcome, ProblemKind, ScanError};
use crate::secrets::formats::builtin_formats;
use crate::secrets::sensitive::SensitiveFiles;
use crate::secrets::{builtin_rules, load_rule_dir, Engine, Rule};
use crate::source::cache::ScanCache;
use crate::source::Visitor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// Loads the built-in rules (unless `builtin` is false: a gitleaks configuration that
/// replaces them) plus those in `dirs`, rejecting duplicate ids.
pub fn load_rules(dirs: &[PathBuf], builtin: bool) -> Result<Vec<Rule>, Error> {
    // The credential-file formats and sensitive file names are compiled once per process, and
    // every scan needs them next: compiled beside the rules, on the other core.
    let (rules, _) = rayon::join(
        || match builtin {
            true => builtin_rules(),
            false => Ok(Vec::new()),
        },
        || {
            // Errors are reported where they are used (`configure_rules`).
            let _ = builtin_formats();
            let _ = crate::secrets::sensitive::builtin();
        },
    );
    let mut rules = rules?;
    for dir in dirs {
        rules.extend(load_rule_dir(dir)?);
    }
    crate::secrets::rule::check_unique_ids(&rules)?;
    Ok(rules)
}

/// Applies a configuration to the loaded rules: adds its inline `[[secrets.rules]]` and a
/// gitleaks configuration's rules (which replace the built-in rules of the same id or that
/// its `disabledRules` names), then removes the rules its `[secrets] disable` names (an
/// unknown id is an error, so a typo does not silently leave a rule on).
pub fn configure_rules(mut rules: Vec<Rule>, loaded: &Loaded) -> Result<Vec<Rule>, Error> {
    let name = loaded.name();
    for spec in &loaded.config.secrets.rules {
        // A validator says where a found secret is sent: only rule files (the built-in
        // patterns, `--rules DIR`) may say that, never the configuration of the repository
        // being scanned.
        if spec.validate.is_some() {
            return Err(Error::config(format!(
                "{name}: rule `{}`: a [rules.validate] table is not allowed in a \
                 configuration file; put the rule in a rule file and pass --rules DIR",
                spec.id
            )));
        }
        rules.push(Rule::compile(spec.clone(), &name)?);
    }
    if let Some(g) = &loaded.gitleaks {
        rules.retain(|r| !g.disabled.contains(&r.spec.id));
        rules.extend(g.rules.iter().cloned());
    }
    crate::secrets::rule::check_unique_ids(&rules)?;
    let disable = &loaded.config.secrets.disable;
    crate::secrets::sensitive::builtin()?;
    let sensitive = crate::secrets::sensitive::rule_ids();
    let formats = builtin_formats()?;
    for id in disable {
        if !rules.iter().any(|r| &r.spec.id == id)
            && !sensitive.contains(&id.as_str())
            && !formats.formats().iter().any(|f| &f.spec.id == id)
            && !crate::practice::is_rule(id)
        {
            return Err(Error::config(format!(
                "{name}: secrets.disable: unknown rule id `{id}` (see `hygiene rules list`)"
            )));
        }
    }
    rules.retain(|r| !disable.contains(&r.spec.id));
    Ok(rules)
}

/// The secret engine with a configuration applied: inline and disabled rules and formats, and
/// the allowlist's secret patterns.
pub fn configured_engine(
    rules: Vec<Rule>,
    loaded: &Loaded,
    allow: &Allowlist,
) -> Result<Engine, Error> {
    let rules = configure_rules(rules, loaded)?;
    let disable = &loaded.config.secrets.disable;
    let formats = builtin_formats()?.retain(|f| !disable.contains(&f.spec.id))?;
    let mut engine = Engine::new(rules)
        .map_err(|e| Error::with_source(ErrorKind::Rules, "cannot build the keyword filter", e))?;
    engine.set_allow(allow.secrets.clone());
    engine.set_allow_entries(loaded.allow_entries().to_vec());
    engine.set_formats(formats);
    Ok(engine)
}

/// Builds the secret engine when a [`SecretEngine::deferred`] one is first needed.
type MakeEngine = Box<dyn Fn() -> Result<Engine, Error> + Send + Sync>;

/// The secret rules and formats, compiled now or on first use.
///
/// Why deferred: loading and compiling the built-in rules costs about 80 ms, as much as the
/// whole of a repeated `--history` scan that the cache answers. A scan whose cache was
/// written under the same identity (same binary, rules and configuration, so the same rules
/// compiled without error then) needs the engine only for what the cache does not know, and
/// often for nothing at all.
pub struct SecretEngine {
    make: Option<MakeEngine>,
    /// A build was started ahead of need ([`SecretEngine::build_soon`]).
    started: AtomicBool,
    built: OnceLock<Result<Engine, String>>,
    /// Time spent building, in nanoseconds (for `rules_compile_seconds`).
    build_nanos: Arc<AtomicU64>,
    /// A deferred build that failed has been reported (once per scan, not once per file).
    reported: AtomicBool,
}

impl SecretEngine {
    /// An engine compiled now (errors reported before the scan starts).
    pub fn ready(engine: Engine) -> SecretEngine {
        let built = OnceLock::new();
        let _ = built.set(Ok(engine));
        SecretEngine {
            make: None,
            started: AtomicBool::new(true),
            built,
            build_nanos: Arc::default(),
            reported: AtomicBool::new(false),
        }
    }

    /// An engine `make` builds the first time a file needs it. A build that fails then (which
    /// the identity argument above rules out, short of a rule file edited mid-scan) is an
    /// error of the scan, so the scan cannot pass with files unread.
    pub fn deferred(make: MakeEngine) -> SecretEngine {
        SecretEngine {
            make: Some(make),
            started: AtomicBool::new(false),
            built: OnceLock::new(),
            build_nanos: Arc::default(),
            reported: AtomicBool::new(false),
        }
    }

    /// Where the time spent building is counted (nanoseconds).
    pub fn build_time(&self) -> Arc<AtomicU64> {
        self.build_nanos.clone()
    }

    /// Starts building a deferred engine on a thread of its own, once: a history scan that
    /// meets a commit the cache has no record of will need the engine as soon as it has
    /// diffed it, and the build (about 60 ms) then overlaps the diffs instead of following
    /// them. A file that needs the engine meanwhile waits for this build.
    pub fn build_soon(self: &Arc<Self>) {
        if self.started.swap(true, Ordering::AcqRel) || self.built.get().is_some() {
            return;
        }
        let engine = Arc::clone(self);
        let spawned = std::thread::Builder::new()
            .name("hygiene-rules".into())
            .spawn(move || {
                let _ = engine.get();
            });
        // No thread: the first file builds it, as without the hint.
        drop(spawned);
    }

    fn get(&self) -> &Result<Engine, String> {
        self.built.get_or_init(|| {
            let started = Instant::now();
            let built = match &self.make {
                Some(make) => make().map_err(|e| e.to_string()),
                None => Err("the secret engine was not built".to_string()),
            };
            let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
            self.build_nanos.fetch_add(nanos, Ordering::Relaxed);
            built
        })
    }
}

/// Every check, configured: see the module documentation.
pub struct Checks {
    /// The secret rules and formats; `None` with `--no-secrets`.
    engine: Option<Arc<SecretEngine>>,
    sensitive: Option<SensitiveFiles>,
    allow: Allowlist,
    /// Scan root, for lockfile includes; `None` when lockfiles are not parsed.
    lockfile_root: Option<PathBuf>,
    /// The pinning checks, which run with the lockfiles.
    pinning: Option<Collector>,
    /// Files read and time spent per check, for a progress display and `--verbose`.
    progress: Arc<Progress>,
    /// `--cache`: what earlier scans found in the same bytes.
    cache: Option<Arc<ScanCache>>,
}

impl Checks {
    /// The checks a configuration asks for. `rules` is `None` when no secrets are looked for;
    /// `lockfile_root` is `Some(scan root)` when lockfiles are parsed.
    pub fn new(
        rules: Option<Vec<Rule>>,
        loaded: &Loaded,
        allow: Allowlist,
        lockfile_root: Option<PathBuf>,
    ) -> Result<Checks, Error> {
        let engine = match rules {
            Some(rules) => Some(SecretEngine::ready(configured_engine(
                rules, loaded, &allow,
            )?)),
            None => None,
        };
        Ok(Checks::with_engine(engine, loaded, allow, lockfile_root))
    }

    /// [`new`](Self::new) with the secret engine given (`None`: no secrets looked for).
    pub fn with_engine(
        engine: Option<SecretEngine>,
        loaded: &Loaded,
        allow: Allowlist,
        lockfile_root: Option<PathBuf>,
    ) -> Checks {
        let sensitive = engine
            .as_ref()
            .map(|_| SensitiveFiles::new(&loaded.config.secrets.disable));
        Checks {
            engine: engine.map(Arc::new),
            sensitive,
            allow,
            pinning: lockfile_root.as_ref().map(|_| Collector::default()),
            lockfile_root,
            progress: Arc::default(),
            cache: None,
        }
    }

    /// Counts into `progress` (files read, time in the rules and the lockfile parsers) instead
    /// of private counters: the caller watches the scan through it.
    pub fn with_progress(mut self, progress: Arc<Progress>) -> Checks {
        self.progress = progress;
        self
    }

    /// Answers from `cache` (see [`Visitor::cache_for`]) and stores what is read into it.
    pub fn with_cache(mut self, cache: Option<Arc<ScanCache>>) -> Checks {
        self.cache = cache;
        self
    }

    /// After a walk of the working tree at `root`: the pinning findings that need the whole
    /// tree seen (manifests without a lockfile, git-ignored lockfiles).
    pub fn finish(&self, root: &Path, out: &mut Outcome) {
        if let Some(p) = &self.pinning {
            p.finish(root, out);
        }
    }

    fn lockfile(&self, root: &Path, rel: &str, content: &[u8], out: &mut Outcome) {
        let Some(format) = lockfile::detect(Path::new(rel)) else {
            return;
        };
        let started = Instant::now();
        let text = String::from_utf8_lossy(content);
        out.stats.lockfiles += 1;
        let parsed = lockfile::parse_in_tree(root, rel, format, &text);
        self.progress.lockfile(started.elapsed());
        match parsed {
            Ok(packages) => out.packages.extend(packages),
            Err(e) => out.errors.push(ScanError::error(
                Some(e.path.clone()),
                ProblemKind::Lockfile,
                match e.line {
                    Some(line) => format!("line {line}: {}", e.message),
                    None => e.message,
                },
            )),
        }
    }
}

impl Visitor for Checks {
    fn path(&self, rel: &str, out: &mut Outcome) {
        if let Some(p) = &self.pinning {
            p.path(rel); // a lockfile counts even where the allowlist skips its content
        }
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
        // A lockfile left unread leaves its packages unchecked: an error (the scan is
        // incomplete, exit 3), not only the size warning, or a lockfile padded past the
        // limit would let every dependency in it pass unseen.
        if self.lockfile_root.is_some()
            && !self.allow.path_allowed(rel)
            && lockfile::detect(Path::new(rel)).is_some()
        {
            out.errors.push(ScanError::error(
                Some(rel.to_string()),
                ProblemKind::Lockfile,
                "not read (over --max-file-size, or not text): its packages are not checked; \
                 raise --max-file-size to check them",
            ));
        }
    }

    fn wants_content(&self, rel: &str) -> bool {
        !self.allow.path_allowed(rel)
            && (self.engine.is_some()
                || (self.lockfile_root.is_some() && lockfile::detect(Path::new(rel)).is_some())
                || (self.pinning.is_some() && Collector::wants_content(rel)))
    }

    /// Only with the secret checks on, and not for the files the lockfile and pinning checks
    /// read: those gather state across the whole tree, which a cached answer would skip.
    fn cache_for(&self, rel: &str) -> Option<&ScanCache> {
        let cache = self.cache.as_deref()?;
        let gathered = (self.lockfile_root.is_some() && lockfile::detect(Path::new(rel)).is_some())
            || (self.pinning.is_some() && Collector::wants_content(rel));
        (self.engine.is_some() && !gathered).then_some(cache)
    }

    fn scan_cache(&self) -> Option<&ScanCache> {
        self.cache.as_deref()
    }

    fn expect_reads(&self) {
        if let Some(engine) = &self.engine {
            engine.build_soon();
        }
    }

    /// Only for paths `wants_content` accepted (not allowlisted).
    fn content(&self, rel: &str, content: &[u8], out: &mut Outcome) {
        self.progress.file(content.len());
        match self.engine.as_deref().map(SecretEngine::get) {
            Some(Ok(engine)) => {
                // Timed per call: the rules run interleaved with the reads on every worker, so
                // only the sum of these spans tells the rules' share from the I/O's.
                let started = Instant::now();
                let found = engine.scan(rel, content);
                self.progress.rules(started.elapsed());
                out.findings.extend(found);
                // A credential file by name that no format reads: its path is the finding.
                if let Some(f) = self.sensitive.as_ref().and_then(|s| s.check_unread(rel)) {
                    if !engine.reads_as_format(rel) {
                        out.findings.push(f);
                    }
                }
            }
            Some(Err(e)) => {
                if let Some(cache) = &self.cache {
                    cache.discard();
                }
                let slot = self.engine.as_ref().map(|s| &s.reported);
                if slot.is_some_and(|r| !r.swap(true, Ordering::Relaxed)) {
                    out.errors.push(ScanError::error(
                        None,
                        ProblemKind::Config,
                        format!(
                            "cannot build the secret rules: {e}; no file was scanned for secrets"
                        ),
                    ));
                }
            }
            None => {}
        }
        if let Some(root) = &self.lockfile_root {
            self.lockfile(root, rel, content, out);
        }
        if let Some(p) = &self.pinning {
            p.content(rel, content, out);
        }
    }
}
