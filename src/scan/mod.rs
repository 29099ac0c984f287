//! The scan pipeline: the one entry point every command that scans goes through.
//!
//! [`run`] takes a [`ScanRequest`] and, whatever the [`Source`] (working tree, whole history,
//! `--since` range, staged changes, a push):
//!
//! 1. reads the configuration (`.hygiene.toml` or `--config`) and the baseline, so a bad file
//!    fails before any work;
//! 2. works out what to read (the commits of a range, the staged blobs), and compiles the
//!    rules only when there is something to read: pushing a deletion costs no compilation;
//! 3. runs every check ([`checks::Checks`]: secret rules, credential-file formats, sensitive
//!    file names, and on the working tree the lockfiles and their pinning) on every file or
//!    blob, with the allowlist's paths skipped before anything is read;
//! 4. on the working tree, reports the untracked files holding a secret that their group or
//!    others can read ([`permissions`]), checks the packages found against the advisory source
//!    (warning when the offline database is past its age limit) and applies `[[deps.ignore]]`;
//! 5. drops what the baseline accepts, then what is under `--min-confidence`;
//! 6. sorts, times, and gives the [`Verdict`](crate::outcome::Verdict) under the gate.
//!
//! So `--baseline`, the allowlists and the sensitive-file checks mean the same thing in every
//! mode, and a check added to [`checks::Checks`] runs on every source.

pub mod checks;
mod packages;
mod permissions;
mod pinning;
pub mod progress;

use crate::baseline::Baseline;
use crate::config::{self, Loaded};
use crate::deps::ignore;
use crate::deps::osv::freshness::MaxDbAge;
use crate::deps::osv::AdvisorySource;
use crate::error::Error;
use crate::finding::FindingKind;
use crate::outcome::{Gate, Outcome, ProblemKind, ScanError};
use crate::secrets::allow::AllowContext;
pub use crate::source::cache::CacheSettings;
use crate::source::cache::{self, ScanCache};
use crate::source::git::{self, GitOptions, PushInput, Selection};
use crate::source::walk::{walk, WalkOptions};
pub use checks::{configure_rules, configured_engine, load_rules, Checks, SecretEngine};
pub use progress::Progress;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Where the bytes come from.
#[derive(Debug, Clone, Default)]
pub enum Source {
    /// The working tree at the root (`hygiene scan`).
    #[default]
    Tree,
    /// Every blob reachable from any ref, once, attributed to the commit that introduced it
    /// (`--history`).
    History,
    /// What the commits of `REV..HEAD` introduced (`--since REV`).
    Since(String),
    /// The staged changes against `HEAD`, added lines only (`--staged`, the pre-commit hook).
    Staged,
    /// The commits a push sends (the pre-push hook).
    Push(PushInput),
}

impl Source {
    /// Whether the source is everything there is (the tree, the whole history) rather than a
    /// change: only then can a baseline entry that matches nothing be called stale.
    fn is_whole(&self) -> bool {
        matches!(self, Source::Tree | Source::History)
    }
}

/// What to do with the packages the lockfiles declare. Lockfiles are read from the working
/// tree only: a history or a change is scanned for secrets.
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

/// Everything a scan needs to know.
#[derive(Debug, Clone)]
pub struct ScanRequest {
    /// The directory (or file) to scan; for git sources, a path inside the repository. The
    /// configuration file is looked for here.
    pub root: PathBuf,
    pub source: Source,
    /// Directories of extra rule files (`--rules DIR`).
    pub rule_dirs: Vec<PathBuf>,
    /// `--config FILE`; without it, `.hygiene.toml` at the root is read if present.
    pub config: Option<PathBuf>,
    /// `--gitleaks-config FILE`; without it, `.gitleaks.toml` at the root is read when there
    /// is no hygiene configuration.
    pub gitleaks_config: Option<PathBuf>,
    /// `--baseline FILE`: findings it accepts are not reported.
    pub baseline: Option<PathBuf>,
    /// Look for secrets (`false` with `--no-secrets`).
    pub secrets: bool,
    pub deps: DepsMode,
    pub gate: Gate,
    /// Files or blobs larger than this are skipped and reported.
    pub max_file_size: u64,
    /// Worker threads; 0 means one per CPU.
    pub threads: usize,
    /// `--max-db-age`: an offline database older than this makes the scan incomplete. Without
    /// it, `[deps] max_db_age` (default 7 days) only warns.
    pub max_db_age: Option<Duration>,
    /// `--outdated`: ask the registries which direct dependencies are far behind.
    pub outdated: Option<crate::deps::outdated::Options>,
    /// `--cache DIR`: answer for the files and blobs an earlier scan read unchanged (see
    /// [`cache`]). `None`: read everything.
    pub cache: Option<CacheSettings>,
    /// `--validate`: ask the providers whether the secrets found are live (see
    /// [`crate::validate`]). `None`: never (the default, and always in the git hooks).
    pub validate: Option<ValidateRequest>,
    /// Counters the scan bumps as it reads (files, bytes, time in the checks), for a caller
    /// that shows progress from another thread. The library never prints: a front end polls
    /// this. Shared by clones of the request.
    pub progress: Arc<Progress>,
}

impl Default for ScanRequest {
    fn default() -> Self {
        ScanRequest {
            root: PathBuf::from("."),
            source: Source::Tree,
            rule_dirs: Vec::new(),
            config: None,
            gitleaks_config: None,
            baseline: None,
            secrets: true,
            deps: DepsMode::default(),
            gate: Gate::default(),
            max_file_size: WalkOptions::default().max_file_size,
            threads: 0,
            max_db_age: None,
            outdated: None,
            cache: None,
            validate: None,
            progress: Progress::new(),
        }
    }
}

/// What `--validate` asks for.
#[derive(Debug, Clone, Default)]
pub struct ValidateRequest {
    pub options: crate::validate::Options,
    /// `--only-active`: report only the secrets the provider said are live.
    pub only_active: bool,
}

/// Runs the scan `request` describes: see the module documentation. An `Err` is a usage or
/// configuration error (nothing was scanned); problems met while scanning are in the outcome.
pub fn run(request: &ScanRequest) -> Result<Outcome, Error> {
    let started = Instant::now();
    if request.threads > 0 {
        // The work rayon spreads (parsing the rule files, the cache's lookups, the offline
        // advisory check) keeps to `--threads` too. The pool can be set once per process: a
        // second scan in the same process (tests) keeps the first one's.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(request.threads)
            .build_global();
    }
    if matches!(request.source, Source::Tree) {
        check_root(&request.root)?;
    }
    let loaded = config::load(
        &request.root,
        request.config.as_deref(),
        request.gitleaks_config.as_deref(),
    )?;
    if request.validate.is_some() && loaded.config.validate.enabled == Some(false) {
        return Err(Error::usage(format!(
            "--validate is turned off by {} ([validate] enabled = false): this organisation \
             does not send found secrets to their providers; scan without --validate",
            loaded.name()
        )));
    }
    let baseline = match &request.baseline {
        Some(file) => Some((file, Baseline::load(file)?)),
        None => None,
    };
    let ignores = ignore::from_config_value(&loaded.name(), loaded.config.deps.as_ref())?;
    let max_db_age = MaxDbAge::resolve(
        request.max_db_age,
        ignore::max_db_age_from_config(&loaded.name(), loaded.config.deps.as_ref())?,
    );
    let outdated_max_age =
        ignore::outdated_max_age_from_config(&loaded.name(), loaded.config.deps.as_ref())?;
    let before = request.progress.snapshot();
    let read_started = Instant::now();
    let legacy_baseline = baseline.as_ref().is_some_and(|(_, b)| b.is_legacy());
    let mut outcome = read_source(request, &loaded, legacy_baseline)?;
    let read = read_started.elapsed();
    let after = request.progress.snapshot();
    let timings = &mut outcome.stats.timings;
    timings.read_seconds = (read.as_secs_f64() - timings.rules_compile_seconds).max(0.0);
    // Differences: a request (and its counters) may serve more than one scan.
    timings.secret_rules_seconds = after.rules.saturating_sub(before.rules).as_secs_f64();
    timings.lockfiles_seconds = after
        .lockfiles
        .saturating_sub(before.lockfiles)
        .as_secs_f64();
    apply_allow_entries(&loaded, &mut outcome);
    if matches!(request.source, Source::Tree) {
        permissions::check(&request.root, &mut outcome);
    }
    if matches!(request.source, Source::Tree) {
        packages::dedupe(&mut outcome);
        if let DepsMode::Check(source) = &request.deps {
            let started = Instant::now();
            packages::check(&mut outcome, source, &ignores);
            packages::check_db_age(&mut outcome, source, max_db_age);
            outcome.stats.timings.advisories_seconds = started.elapsed().as_secs_f64();
        }
        if let (Some(options), false) = (&request.outdated, matches!(request.deps, DepsMode::Off)) {
            let mut options = options.clone();
            options.max_age = options.max_age.or(outdated_max_age);
            let started = Instant::now();
            packages::check_outdated(&mut outcome, &request.root, &options);
            outcome.stats.timings.outdated_seconds = started.elapsed().as_secs_f64();
        }
    }
    // After the advisory check: informational advisories are hygiene findings too.
    drop_disabled_practices(&loaded, &mut outcome);
    outcome.sort();
    if let Some((file, b)) = &baseline {
        // Before the confidence filter: a baselined finding hidden by --min-confidence is
        // not stale.
        b.apply(
            &file.display().to_string(),
            &mut outcome,
            request.source.is_whole(),
        );
    }
    if let Some(min) = request.gate.min_confidence {
        outcome.findings.retain(|f| f.confidence >= min);
    }
    if let Some(v) = &request.validate {
        validate(request, &loaded, v, &mut outcome)?;
    }
    outcome.stats.duration_seconds = started.elapsed().as_secs_f64();
    outcome.verdict = outcome.judge(&request.gate);
    Ok(outcome)
}

/// `--validate`: asks about the findings left after the baseline and filters, with the
/// validators of the rule files only (the built-in patterns and `--rules DIR`; a
/// configuration's inline rules may not carry one).
fn validate(
    request: &ScanRequest,
    loaded: &Loaded,
    v: &ValidateRequest,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    let started = Instant::now();
    let rules = load_rules(&request.rule_dirs, loaded.builtin_rules())?;
    let options = crate::validate::Options {
        root: matches!(request.source, Source::Tree).then(|| request.root.clone()),
        ..v.options.clone()
    };
    let summary =
        crate::validate::run(&mut outcome.findings, &rules, &options).map_err(Error::usage)?;
    if summary.unknown > 0 {
        outcome.errors.push(ScanError::warning(
            None,
            ProblemKind::Validation,
            format!(
                "{} of {} secrets checked could not be validated (rate-limited, timed out, \
                 unreachable or an unexpected answer): they are reported as `unknown`; scan \
                 again later",
                summary.unknown, summary.checked
            ),
        ));
    }
    if v.only_active {
        crate::validate::only_active(&mut outcome.findings);
    }
    outcome.stats.timings.validate_seconds = started.elapsed().as_secs_f64();
    Ok(())
}

/// Applies what the engine could not: conditional allowlist entries that need a commit (known
/// only once a git scan attributed each finding), and every entry to the findings of the
/// sensitive-file rules (made from a path, outside the engine). Then reports what the
/// gitleaks configuration held that has no effect.
fn apply_allow_entries(loaded: &Loaded, outcome: &mut Outcome) {
    let entries = loaded.allow_entries();
    if !entries.is_empty() {
        outcome.findings.retain(|f| {
            if f.kind != FindingKind::Secret {
                return true;
            }
            let by_path = f.secret.is_none();
            let secret = f.secret.as_ref().map_or("", |s| s.expose());
            let cx = AllowContext {
                rule: &f.rule.id,
                path: &f.path,
                commit: f.commit.as_ref().map(|c| c.id.as_str()),
                secret,
                matched: secret.as_bytes(),
                line: secret.as_bytes(),
            };
            !entries
                .iter()
                .filter(|e| by_path || e.needs_commit())
                .any(|e| e.allows(&cx))
        });
    }
    if let Some(g) = &loaded.gitleaks {
        for w in &g.warnings {
            outcome
                .errors
                .push(ScanError::warning(None, ProblemKind::Config, w.clone()));
        }
    }
}

/// Drops the `hygiene` findings of practice rules that `[secrets] disable` turns off: by the
/// finding's rule id, or by a tag naming the practice rule (an informational advisory is its
/// own rule, tagged with its class, `dependency-unmaintained`).
fn drop_disabled_practices(loaded: &Loaded, outcome: &mut Outcome) {
    let disable = &loaded.config.secrets.disable;
    if disable.is_empty() {
        return;
    }
    outcome.findings.retain(|f| {
        f.kind != FindingKind::Hygiene
            || !disable
                .iter()
                .any(|d| *d == f.rule.id || f.rule.tags.iter().any(|t| t == d))
    });
}

/// Reads the request's source with every check. `legacy_baseline`: a version 1 baseline
/// will be applied, which needs every secret whole (see [`Baseline::is_legacy`]), so the
/// cache is written but not read.
fn read_source(
    request: &ScanRequest,
    loaded: &Loaded,
    legacy_baseline: bool,
) -> Result<Outcome, Error> {
    let allow = config::compile_allow(loaded)?;
    // Compiled only once the source is known to hold something to read; timed apart, since
    // compiling the rules is no part of reading.
    let compile = std::cell::Cell::new(Duration::ZERO);
    // Opened with the rules, which are part of its identity; saved once the source is read.
    let cache_slot: std::cell::RefCell<Option<Arc<ScanCache>>> = Default::default();
    let cache_warnings: std::cell::RefCell<Vec<String>> = Default::default();
    // Time spent building a deferred engine during the scan (see `SecretEngine`).
    let deferred_build: std::cell::RefCell<Option<Arc<AtomicU64>>> = Default::default();
    let checks = |lockfile_root: Option<PathBuf>| {
        let started = Instant::now();
        let cache = match &request.cache {
            Some(settings) if request.secrets => {
                let settings = CacheSettings {
                    dir: settings.dir.clone(),
                    read: settings.read && !legacy_baseline,
                };
                let mut cache = open_cache(&settings, request, loaded);
                cache_warnings.borrow_mut().extend(cache.take_warnings());
                let cache = Arc::new(cache);
                *cache_slot.borrow_mut() = Some(cache.clone());
                Some(cache)
            }
            _ => None,
        };
        let engine = match request.secrets {
            false => None,
            // A cache written under this identity: the same rules and configuration compiled
            // without error then, so they are compiled only if something is not in it.
            true if cache.as_ref().is_some_and(|c| c.answers()) => {
                let dirs = request.rule_dirs.clone();
                let loaded = loaded.clone();
                let allow = allow.clone();
                let engine = SecretEngine::deferred(Box::new(move || {
                    configured_engine(load_rules(&dirs, loaded.builtin_rules())?, &loaded, &allow)
                }));
                *deferred_build.borrow_mut() = Some(engine.build_time());
                Some(engine)
            }
            true => {
                let rules = load_rules(&request.rule_dirs, loaded.builtin_rules())?;
                Some(SecretEngine::ready(configured_engine(
                    rules, loaded, &allow,
                )?))
            }
        };
        let checks = Checks::with_engine(engine, loaded, allow.clone(), lockfile_root)
            .with_progress(request.progress.clone())
            .with_cache(cache);
        compile.set(compile.get() + started.elapsed());
        Ok::<_, Error>(checks)
    };
    let git_options = GitOptions {
        max_file_size: request.max_file_size,
        threads: request.threads,
    };
    let root = &request.root;
    let mut outcome = match &request.source {
        Source::Tree => {
            let lockfiles = match request.deps {
                DepsMode::Off => None,
                _ => Some(root.clone()),
            };
            let options = WalkOptions {
                max_file_size: request.max_file_size,
                threads: request.threads,
            };
            let checks = checks(lockfiles)?;
            let mut outcome = walk(root, &options, &checks);
            checks.finish(root, &mut outcome);
            outcome
        }
        Source::History => {
            let repo = git::open(root)?;
            let checks = checks(None)?;
            let outcome = git::scan_commits(&repo, &Selection::All, &checks, &git_options)?;
            crate::memory::drop_in_background(checks);
            outcome
        }
        Source::Since(rev) => {
            let repo = git::open(root)?;
            let ranges = git::since_ranges(&repo.to_thread_local(), rev)?;
            let selection = Selection::Ranges(ranges);
            git::scan_commits(&repo, &selection, &checks(None)?, &git_options)?
        }
        Source::Staged => {
            // As git's hooks see it: `git commit -a` runs pre-commit with a temporary index.
            let repo = git::open_from_env(root)?;
            git::staged::scan_staged(&repo, &checks(None)?, &git_options)?
        }
        Source::Push(input) => {
            let repo = git::open_from_env(root)?;
            let mut errors = Vec::new();
            let ranges = input.ranges(&repo.to_thread_local(), &mut errors)?;
            let mut outcome = if ranges.is_empty() {
                Outcome::default()
            } else {
                let selection = Selection::Ranges(ranges);
                git::scan_commits(&repo, &selection, &checks(None)?, &git_options)?
            };
            outcome.errors.extend(errors);
            outcome
        }
    };
    let deferred = deferred_build
        .take()
        .map_or(0, |n| n.load(std::sync::atomic::Ordering::Relaxed));
    outcome.stats.timings.rules_compile_seconds =
        (compile.get() + Duration::from_nanos(deferred)).as_secs_f64();
    for w in cache_warnings.take() {
        outcome
            .errors
            .push(ScanError::warning(None, ProblemKind::Cache, w));
    }
    if let Some(cache) = cache_slot.take() {
        if let Err(e) = cache.save() {
            outcome.errors.push(ScanError::warning(
                None,
                ProblemKind::Cache,
                format!("scan cache not saved: {e}; the next scan reads everything again"),
            ));
        }
        crate::memory::drop_in_background(cache);
    }
    Ok(outcome)
}

/// Opens the scan cache under this scan's identity: the rules as loaded, the configuration
/// as loaded (inline rules, disabled ones, allowlists, a gitleaks configuration) and the
/// size limit (see [`cache`]).
fn open_cache(settings: &CacheSettings, request: &ScanRequest, loaded: &Loaded) -> ScanCache {
    // The rules by their text, not compiled: the built-in ones are part of the executable,
    // which the identity covers; a `--rules` directory by its files' names and bytes.
    let identity = cache::identity(&[
        &rule_dir_bytes(&request.rule_dirs),
        format!("{loaded:?}").as_bytes(),
        &request.max_file_size.to_le_bytes(),
    ]);
    // An allowlist entry limited to commits is applied after the read (the commit is known
    // only then) and may look at the secret, which a cached finding no longer holds whole:
    // with one, the cache is written but not read.
    let needs_secret = loaded
        .allow_entries()
        .iter()
        .any(|e| e.needs_commit() && (!e.regexes.is_empty() || !e.stopwords.is_empty()));
    let settings = CacheSettings {
        dir: settings.dir.clone(),
        read: settings.read && !needs_secret,
    };
    ScanCache::open(&settings, identity)
}

/// The `*.toml` files of rule directories, by name and content, for the cache identity. What
/// cannot be read is hashed as its error: an identity no earlier scan had, so the rules are
/// loaded before the scan and the error reported as usual.
fn rule_dir_bytes(dirs: &[PathBuf]) -> Vec<u8> {
    let mut out = Vec::new();
    for dir in dirs {
        out.extend_from_slice(dir.to_string_lossy().as_bytes());
        out.push(0);
        let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries.filter_map(|e| e.ok()).map(|e| e.path()).collect(),
            Err(e) => {
                out.extend_from_slice(format!("error {e}").as_bytes());
                continue;
            }
        };
        files.retain(|p| p.extension().is_some_and(|x| x == "toml"));
        files.sort();
        for f in files {
            out.extend_from_slice(f.to_string_lossy().as_bytes());
            out.push(0);
            match std::fs::read(&f) {
                Ok(bytes) => {
                    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
                    out.extend_from_slice(&bytes);
                }
                Err(e) => out.extend_from_slice(format!("error {e}").as_bytes()),
            }
        }
    }
    out
}

/// What [`create_baseline`] wrote.
#[derive(Debug)]
pub struct CreatedBaseline {
    pub path: PathBuf,
    pub baseline: Baseline,
    /// The scan it was made from (its problems are worth showing: a file not scanned is a
    /// secret not accepted).
    pub outcome: Outcome,
}

/// `hygiene baseline create`: scans as `request` says and writes every finding's fingerprint
/// to `output` (default: `.hygiene-baseline.json` in the scanned directory).
pub fn create_baseline(
    request: &ScanRequest,
    output: Option<&Path>,
) -> Result<CreatedBaseline, Error> {
    let outcome = run(request)?;
    let path = match output {
        Some(p) => p.to_path_buf(),
        None if request.root.is_dir() => request.root.join(crate::baseline::BASELINE_FILE),
        None => PathBuf::from(crate::baseline::BASELINE_FILE),
    };
    let baseline = Baseline::from_findings(&outcome.findings);
    std::fs::write(&path, baseline.to_json()).map_err(|e| Error::io("write", &path, e))?;
    Ok(CreatedBaseline {
        path,
        baseline,
        outcome,
    })
}

/// What [`migrate_baseline`] wrote.
#[derive(Debug)]
pub struct MigratedBaseline {
    pub path: PathBuf,
    /// The version of the file read (1, or 2 when there was nothing to do).
    pub from_version: u32,
    pub baseline: Baseline,
    /// Entries of the old file that no finding matched: not carried over (their secret is
    /// gone, or moved, so the version 2 fingerprint cannot be computed).
    pub dropped: Vec<crate::outcome::BaselineEntry>,
    pub outcome: Outcome,
}

/// `hygiene baseline migrate`: reads the baseline at `file`, scans as `request` says (which
/// must read every file and apply no baseline: see `BaselineMigrateArgs::request`) and
/// writes the version 2 baseline of the same accepted findings to `output` (default: over
/// `file`). A version 2 file is left as it is.
pub fn migrate_baseline(
    request: &ScanRequest,
    file: &Path,
    output: Option<&Path>,
) -> Result<MigratedBaseline, Error> {
    let old = Baseline::load(file)?;
    let path = output.unwrap_or(file).to_path_buf();
    if !old.is_legacy() {
        if path != file {
            std::fs::write(&path, old.to_json()).map_err(|e| Error::io("write", &path, e))?;
        }
        return Ok(MigratedBaseline {
            path,
            from_version: old.version,
            baseline: old,
            dropped: Vec::new(),
            outcome: Outcome::default(),
        });
    }
    let outcome = run(request)?;
    let (baseline, dropped) = old.migrate(&outcome.findings);
    std::fs::write(&path, baseline.to_json()).map_err(|e| Error::io("write", &path, e))?;
    Ok(MigratedBaseline {
        path,
        from_version: old.version,
        baseline,
        dropped,
        outcome,
    })
}

fn check_root(root: &Path) -> Result<(), Error> {
    match std::fs::metadata(root) {
        Ok(_) => Ok(()),
        Err(e) => Err(Error::usage(format!(
            "cannot scan {}: {e}; give an existing directory or file",
            root.display()
        ))),
    }
}
