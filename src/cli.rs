//! The binary's command-line definitions (clap derive) and their translation into library
//! requests. Not part of the library: `main.rs` declares this module.

use clap::{Args, Parser, Subcommand};
use hygiene::baseline::BASELINE_FILE;
use hygiene::deps::osv::api::ApiConfig;
use hygiene::deps::osv::{self, AdvisorySource};
use hygiene::deps::outdated;
use hygiene::deps::Ecosystem;
use hygiene::finding::{Confidence, Severity};
use hygiene::outcome::Gate;
use hygiene::report::packages::ListFormat as PackageFormat;
use hygiene::report::{Format, RenderOptions};
use hygiene::scan::{CacheSettings, DepsMode, ScanRequest, Source, ValidateRequest};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Find committed secrets and vulnerable dependencies; report text, JSON or SARIF.
#[derive(Debug, Parser)]
#[command(name = "hygiene", version, about, long_about = None)]
#[command(after_help = EXAMPLES_TOP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan a directory for secrets (exit 0: clean, 1: findings, 2: usage error, 3: incomplete).
    #[command(after_help = EXAMPLES_SCAN)]
    Scan(Box<ScanArgs>),
    /// List or check secret-detection rules.
    #[command(subcommand, after_help = EXAMPLES_RULES)]
    Rules(RulesCommand),
    /// Inspect dependencies.
    #[command(subcommand, after_help = EXAMPLES_DEPS)]
    Deps(DepsCommand),
    /// Manage the offline advisory database.
    #[command(subcommand, after_help = EXAMPLES_DB)]
    Db(DbCommand),
    /// Accept today's findings so later scans report only new ones.
    #[command(subcommand, after_help = EXAMPLES_BASELINE)]
    Baseline(BaselineCommand),
    /// Install, remove or run the git hooks (pre-commit: staged changes; pre-push: the commits
    /// being pushed).
    #[command(subcommand, after_help = EXAMPLES_HOOK)]
    Hook(HookCommand),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) to standard
    /// output.
    #[command(after_help = EXAMPLES_COMPLETIONS)]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to standard output, or write one page per command into a
    /// directory.
    #[command(after_help = EXAMPLES_MAN)]
    Man {
        /// Write hygiene.1 and a page per subcommand (hygiene-scan.1, ...) into this directory
        /// (created if missing) instead of printing the top-level page.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Write a commented .hygiene.toml (every setting, with its default) into a directory.
    #[command(after_help = EXAMPLES_INIT)]
    Init {
        /// The directory to write .hygiene.toml into.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Overwrite an existing .hygiene.toml.
        #[arg(long)]
        force: bool,
    },
    /// Explain a rule: what it finds, why it matters and how to fix it (ids: `hygiene rules
    /// list`; advisory ids such as GHSA-... too).
    #[command(after_help = EXAMPLES_EXPLAIN)]
    Explain {
        /// The rule id, as findings and `hygiene rules list` show it.
        rule_id: String,
        /// Also look in the rule files of this directory. Repeatable.
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
}

/// Where advisories come from.
#[derive(Debug, Args)]
pub struct AdvisoryArgs {
    /// Match dependencies against the local database (`hygiene db update`); never open a socket.
    #[arg(long)]
    pub offline: bool,

    /// Offline database directory, laid out as `<Ecosystem>/all.zip`.
    #[arg(long, env = "HYGIENE_DB_DIR", value_name = "DIR")]
    pub db_dir: Option<PathBuf>,

    /// OSV API base URL.
    #[arg(long, default_value = "https://api.osv.dev", value_name = "URL")]
    pub osv_url: String,

    /// Seconds before an OSV API request is abandoned.
    #[arg(long, default_value_t = 60)]
    pub osv_timeout: u64,

    /// Fail as incomplete (exit 3) when the offline database is older than this (36h, 7d,
    /// 2w). Without it, a database older than `[deps] max_db_age` (default 7d) only warns.
    #[arg(long, value_name = "AGE", requires = "offline", value_parser = osv::freshness::parse_age)]
    pub max_db_age: Option<std::time::Duration>,
}

/// The update check (`--outdated`).
#[derive(Debug, Args)]
pub struct OutdatedArgs {
    /// Also report direct dependencies a major version or more behind their registry's newest
    /// release, or older than `[deps] outdated_max_age` (default 2y) with a newer one out.
    /// Online: one request per package, cached for a day.
    #[arg(long, conflicts_with = "no_deps")]
    pub outdated: bool,

    /// With --outdated: the age past which a version with a newer release out is reported
    /// (180d, 1y); overrides `[deps] outdated_max_age`.
    #[arg(long, value_name = "AGE", requires = "outdated", value_parser = osv::freshness::parse_age)]
    pub outdated_max_age: Option<std::time::Duration>,

    /// With --outdated: ask this registry instead of the public one for an ecosystem
    /// (`npm=https://npm.example.com`, a mirror). Repeatable.
    #[arg(long = "registry", value_name = "ECOSYSTEM=URL", requires = "outdated", value_parser = parse_registry)]
    pub registries: Vec<(Ecosystem, String)>,
}

impl OutdatedArgs {
    /// The update check the flags ask for, if any.
    pub fn options(&self) -> Option<outdated::Options> {
        self.outdated.then(|| outdated::Options {
            registries: self.registries.clone(),
            max_age: self.outdated_max_age,
            ..outdated::Options::default()
        })
    }
}

fn parse_registry(s: &str) -> Result<(Ecosystem, String), String> {
    let (eco, url) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not ECOSYSTEM=URL (e.g. npm=https://npm.example.com)"))?;
    let ecosystem = parse_ecosystem(eco.trim())?;
    if outdated::registry::default_base(ecosystem).is_none() {
        return Err(format!("--outdated does not check {ecosystem} packages"));
    }
    let url = url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(format!("`{url}` is not an http(s) URL"));
    }
    Ok((ecosystem, url.to_string()))
}

#[derive(Debug, Subcommand)]
pub enum DepsCommand {
    /// Print the packages the lockfiles declare.
    #[command(after_help = EXAMPLES_DEPS)]
    List {
        /// Directory (or lockfile) to look in.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// `text` or `json`.
        #[arg(long, short = 'f', value_enum, default_value = "text")]
        format: ListFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// Formats of `deps list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

impl From<ListFormat> for PackageFormat {
    fn from(f: ListFormat) -> Self {
        match f {
            ListFormat::Text => PackageFormat::Text,
            ListFormat::Json => PackageFormat::Json,
        }
    }
}

/// Formats of a scan report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Sarif,
}

impl From<ReportFormat> for Format {
    fn from(f: ReportFormat) -> Self {
        match f {
            ReportFormat::Text => Format::Text,
            ReportFormat::Json => Format::Json,
            ReportFormat::Sarif => Format::Sarif,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Download (or refresh) `<base>/<Ecosystem>/all.zip` for each ecosystem into the cache.
    #[command(after_help = EXAMPLES_DB)]
    Update {
        /// Ecosystems to fetch, by OSV name (`crates.io`, `npm`, `PyPI`, ...). Default: all.
        #[arg(long = "ecosystem", value_name = "E", value_parser = parse_ecosystem)]
        ecosystems: Vec<Ecosystem>,
        /// Database directory.
        #[arg(long, env = "HYGIENE_DB_DIR", value_name = "DIR")]
        db_dir: Option<PathBuf>,
        /// Where the exports live.
        #[arg(
            long,
            default_value = "https://osv-vulnerabilities.storage.googleapis.com",
            value_name = "URL"
        )]
        base_url: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Scan PATH and write every finding's fingerprint to a baseline file
    /// (default PATH/.hygiene-baseline.json); `scan --baseline FILE` then reports only new ones.
    #[command(after_help = EXAMPLES_BASELINE)]
    Create(BaselineCreateArgs),
    /// Rewrite a version 1 baseline (plain hashes of secrets) as version 2 (slow, salted
    /// fingerprints), keeping exactly the findings it accepted.
    #[command(after_help = EXAMPLES_BASELINE)]
    Migrate(BaselineMigrateArgs),
}

#[derive(Debug, Args)]
pub struct BaselineMigrateArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Directory (or file) to scan: the one the baseline was created from.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// The baseline to migrate (default: PATH/.hygiene-baseline.json).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Where to write the migrated baseline (default: over the one migrated).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Configuration file (default: .hygiene.toml at PATH, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The baseline accepts what the whole git history holds (it was made with
    /// `baseline create --history`).
    #[arg(long)]
    pub history: bool,
}

#[derive(Debug, Args)]
pub struct BaselineCreateArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Directory (or file) to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Where to write the baseline (default: PATH/.hygiene-baseline.json).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Configuration file (default: .hygiene.toml at PATH, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Accept what the whole git history holds, not only the working tree (for teams that
    /// run `scan --history --baseline`).
    #[arg(long)]
    pub history: bool,
}

/// Flags every scanning command shares: size limit, extra rules, threads.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Skip files (or blobs) larger than this (bytes, or with a unit: 512K, 10M, 1G).
    #[arg(long, default_value = "10M", value_parser = parse_size)]
    pub max_file_size: u64,

    /// Add the rule files (*.toml) in this directory to the built-in rules. Repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,

    /// Worker threads, 1 to 256 (default 0: one per CPU).
    #[arg(long, default_value_t = 0, value_parser = parse_threads)]
    pub threads: usize,

    /// Read this gitleaks configuration: its rules and allowlists apply (default:
    /// .gitleaks.toml at PATH when there is no .hygiene.toml).
    #[arg(long, value_name = "FILE")]
    pub gitleaks_config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Directory (or file) to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Exit with 1 only for findings at or above this severity.
    #[arg(long, default_value = "low", value_parser = parse_severity)]
    pub fail_on: Severity,

    /// Report only findings at or above this confidence, and fail on them. Without it every
    /// finding is reported and those of medium confidence or above fail: low-confidence ones
    /// (generic matches in tests, fixtures, examples and docs) are listed but pass.
    #[arg(long, value_parser = parse_confidence)]
    pub min_confidence: Option<Confidence>,

    /// Do not look for secrets (dependencies only).
    #[arg(long)]
    pub no_secrets: bool,

    /// Do not check dependencies (secrets only).
    #[arg(long)]
    pub no_deps: bool,

    #[command(flatten)]
    pub advisories: AdvisoryArgs,

    #[command(flatten)]
    pub outdated: OutdatedArgs,

    /// Configuration file (default: .hygiene.toml at PATH, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Report only findings not in this baseline file, and list its stale entries.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Scan the git history instead of the working tree: every blob reachable from any ref,
    /// once, attributed to the commit that introduced it.
    #[arg(long)]
    pub history: bool,

    /// Scan only what the commits in REV..HEAD introduced (implies a history scan).
    #[arg(long, value_name = "REV", conflicts_with = "staged")]
    pub since: Option<String>,

    /// Remember what each file, blob and commit held, so scanning again reads only what
    /// changed: in a directory of this tree's own under the cache directory
    /// (`$HYGIENE_CACHE_DIR/scan/…`, by default ~/.cache/hygiene/scan/…), the directory a CI
    /// job keeps between runs. The cache never holds a whole secret; a change of rules,
    /// configuration or hygiene version starts it afresh.
    #[arg(long)]
    pub cache: bool,

    /// Keep the scan cache in DIR instead (implies --cache).
    #[arg(long, value_name = "DIR", env = "HYGIENE_SCAN_CACHE")]
    pub cache_dir: Option<PathBuf>,

    /// Scan only the staged changes (the index against HEAD; added lines only), as a
    /// pre-commit check.
    #[arg(long, conflicts_with = "history")]
    pub staged: bool,

    /// Ask each secret's provider (its documented, read-only endpoint, over HTTPS) whether
    /// the secret is live, and report `active`, `inactive` or `unknown` on each finding. Sends
    /// the secrets found to their providers: never done without this flag. Verdicts are kept
    /// for a day under the cache directory (validate/). `hygiene rules list --validators`
    /// lists what is sent where; `[validate] enabled = false` in .hygiene.toml refuses it.
    #[arg(long)]
    pub validate: bool,

    /// With --validate: report only the secrets their provider said are live (dependency and
    /// practice findings are kept).
    #[arg(long, requires = "validate")]
    pub only_active: bool,

    /// With --validate: seconds before a provider's answer is given up on (reported as
    /// `unknown: timeout`).
    #[arg(long, value_name = "SECS", default_value_t = 10.0, requires = "validate", value_parser = parse_seconds)]
    pub validate_timeout: f64,
    /// With --validate: the most requests this run sends to one provider's host; the secrets
    /// past it are reported `unknown: rate-limited` (a tree full of distinct fake tokens would
    /// otherwise keep the run asking for hours).
    #[arg(long, value_name = "N", default_value_t = hygiene::validate::MAX_PER_HOST, requires = "validate")]
    pub validate_max: usize,

    #[command(flatten)]
    pub reports: ReportFileArgs,

    #[command(flatten)]
    pub terminal: TerminalArgs,
}

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Write hook scripts into the repository's hooks directory (honours core.hooksPath). With
    /// neither --pre-commit nor --pre-push, installs both.
    #[command(after_help = EXAMPLES_HOOK_INSTALL)]
    Install {
        #[command(flatten)]
        which: HookSelection,
        /// Replace an existing hook that hygiene did not write (it is kept as <hook>.bak).
        #[arg(long)]
        force: bool,
        /// A directory inside the repository.
        #[arg(default_value = ".")]
        path: PathBuf,
    },
    /// Remove the hook scripts hygiene wrote (anything else is left alone).
    #[command(after_help = EXAMPLES_HOOK_UNINSTALL)]
    Uninstall {
        #[command(flatten)]
        which: HookSelection,
        /// A directory inside the repository.
        #[arg(default_value = ".")]
        path: PathBuf,
    },
    /// What the pre-commit hook runs: scan the staged changes, block on a finding.
    #[command(after_help = EXAMPLES_HOOK_PRE_COMMIT)]
    PreCommit {
        #[command(flatten)]
        scan: HookScanArgs,
    },
    /// What the pre-push hook runs: read git's `<local ref> <local sha> <remote ref> <remote
    /// sha>` lines on stdin, scan the commits the remote does not have, block on a finding.
    #[command(after_help = EXAMPLES_HOOK_PRE_PUSH)]
    PrePush {
        /// The remote's name (passed by git; informational).
        remote: Option<String>,
        /// The remote's URL (passed by git; informational).
        url: Option<String>,
        #[command(flatten)]
        scan: HookScanArgs,
    },
}

/// Which hooks `hook install` / `hook uninstall` act on.
#[derive(Debug, Args)]
pub struct HookSelection {
    /// The pre-commit hook (scans staged changes).
    #[arg(long)]
    pub pre_commit: bool,
    /// The pre-push hook (scans the commits being pushed).
    #[arg(long)]
    pub pre_push: bool,
}

/// Scan settings of the hook runners.
#[derive(Debug, Args)]
pub struct HookScanArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Block only for findings at or above this severity.
    #[arg(long, default_value = "low", value_parser = parse_severity)]
    pub fail_on: Severity,
    /// Report only findings at or above this confidence, and fail on them. Without it every
    /// finding is reported and those of medium confidence or above fail: low-confidence ones
    /// (generic matches in tests, fixtures, examples and docs) are listed but pass.
    #[arg(long, value_parser = parse_confidence)]
    pub min_confidence: Option<Confidence>,

    /// Let through the findings this baseline accepts (default: .hygiene-baseline.json at the
    /// top of the working tree, if there is one).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Ask each found secret's provider whether it still works, as `scan --validate` does, and
    /// show the answer in the hook's message. Never without this flag: a hook sends nothing
    /// over the network unless its command line asks (add it in the hook script or in your
    /// hook manager's configuration). `[validate] enabled = false` refuses it.
    #[arg(long)]
    pub validate: bool,
}

/// Flags every reporting command shares.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: ReportFormat,

    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print secret values whole. Never use this in CI logs.
    #[arg(long)]
    pub show_secrets: bool,

    /// No colours in text output (also: the NO_COLOR environment variable).
    #[arg(long)]
    pub no_color: bool,

    /// SARIF category (runAutomationDetails.id), to keep several uploads apart on GitHub.
    #[arg(long, default_value = "hygiene/")]
    pub sarif_category: String,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Print every rule: id, name, severity, confidence, keywords.
    #[command(after_help = EXAMPLES_RULES_LIST)]
    List {
        /// Also load the rule files in this directory.
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
        /// Print only the rules `scan --validate` can check, with the provider, the request
        /// (method, host, path) and where the secret goes in it.
        #[arg(long)]
        validators: bool,
    },
    /// Validate rule files and run their examples (the built-in rules when no DIR is given).
    #[command(after_help = EXAMPLES_RULES_CHECK)]
    Check {
        /// Directory of rule files to check.
        dir: Option<PathBuf>,
    },
}

/// Parses `10M`, `512k`, `1GiB`, `4096`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a size: use bytes or a unit, e.g. 10M"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("unknown size unit `{other}`: use K, M or G")),
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("`{s}` is too large"))
}

/// The most worker threads a scan starts: far beyond any machine's useful parallelism for I/O
/// and regex work, and far below what exhausts a system's thread or memory limits (each
/// thread has its own stack and scratch buffers).
pub const MAX_THREADS: usize = 256;

/// Parses `--threads`: 0 (one per CPU) to [`MAX_THREADS`].
pub fn parse_threads(s: &str) -> Result<usize, String> {
    match s.trim().parse::<u64>() {
        Ok(n) if n <= MAX_THREADS as u64 => Ok(n as usize),
        _ => Err(format!(
            "`{s}` is not a thread count: give 0 (one per CPU) to {MAX_THREADS}"
        )),
    }
}

fn parse_ecosystem(s: &str) -> Result<Ecosystem, String> {
    Ecosystem::from_osv(s).ok_or_else(|| {
        let known: Vec<&str> = Ecosystem::ALL.iter().map(|e| e.as_str()).collect();
        format!("unknown ecosystem `{s}`: use one of {}", known.join(", "))
    })
}

/// Parses a positive number of seconds (`10`, `0.5`), at most an hour.
fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(n) if n > 0.0 && n <= 3600.0 => Ok(n),
        _ => Err(format!("`{s}` is not a number of seconds (0.1 to 3600)")),
    }
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

fn parse_confidence(s: &str) -> Result<Confidence, String> {
    s.parse()
}

/// Whether colours are wanted on a stream: a terminal, and no `NO_COLOR` in the environment.
pub fn color(terminal: bool) -> bool {
    terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

impl CommonArgs {
    /// A request with these settings, for the scan of `root`.
    pub fn request(&self, root: PathBuf, config: Option<PathBuf>) -> ScanRequest {
        ScanRequest {
            root,
            rule_dirs: self.rules.clone(),
            config,
            gitleaks_config: self.gitleaks_config.clone(),
            max_file_size: self.max_file_size,
            threads: self.threads,
            ..ScanRequest::default()
        }
    }
}

impl AdvisoryArgs {
    /// The advisory source the flags ask for.
    pub fn source(&self) -> AdvisorySource {
        if self.offline {
            AdvisorySource::Offline {
                db_dir: self.db_dir.clone().unwrap_or_else(osv::default_db_dir),
            }
        } else {
            AdvisorySource::Online(ApiConfig {
                base_url: self.osv_url.trim_end_matches('/').to_string(),
                timeout: std::time::Duration::from_secs(self.osv_timeout.max(1)),
                ..ApiConfig::default()
            })
        }
    }
}

impl ScanArgs {
    /// The scan these flags ask for.
    pub fn request(&self) -> ScanRequest {
        let source = if self.staged {
            Source::Staged
        } else if let Some(rev) = &self.since {
            Source::Since(rev.clone())
        } else if self.history {
            Source::History
        } else {
            Source::Tree
        };
        ScanRequest {
            source,
            baseline: self.baseline.clone(),
            secrets: !self.no_secrets,
            max_db_age: self.advisories.max_db_age,
            outdated: self.outdated.options(),
            deps: if self.no_deps {
                DepsMode::Off
            } else {
                DepsMode::Check(self.advisories.source())
            },
            gate: Gate {
                fail_on: self.fail_on,
                min_confidence: self.min_confidence,
            },
            validate: self.validate.then(|| ValidateRequest {
                options: hygiene::validate::Options {
                    timeout: std::time::Duration::from_secs_f64(self.validate_timeout),
                    max_per_host: self.validate_max,
                    ..hygiene::validate::Options::default()
                },
                only_active: self.only_active,
            }),
            // `--show-secrets` and `--validate` read everything: the cache holds no whole
            // secret to show or to send to its provider.
            cache: match (&self.cache_dir, self.cache) {
                (Some(dir), _) => Some(dir.clone()),
                (None, true) => default_scan_cache(&self.path),
                (None, false) => None,
            }
            .map(|dir| CacheSettings {
                dir,
                read: !self.output.show_secrets && !self.validate,
            }),
            ..self.common.request(self.path.clone(), self.config.clone())
        }
    }
}

impl BaselineCreateArgs {
    /// The scan whose findings the baseline accepts. Dependency findings are managed with
    /// `[[deps.ignore]]`, which says why and until when.
    pub fn request(&self) -> ScanRequest {
        ScanRequest {
            source: if self.history {
                Source::History
            } else {
                Source::Tree
            },
            deps: DepsMode::Off,
            ..self.common.request(self.path.clone(), self.config.clone())
        }
    }
}

impl BaselineMigrateArgs {
    /// The scan that finds what the old baseline accepted: every file read (no cache, whose
    /// findings hold no whole secret to compute a version 1 fingerprint from), no baseline
    /// applied, no dependency check.
    pub fn request(&self) -> ScanRequest {
        ScanRequest {
            source: if self.history {
                Source::History
            } else {
                Source::Tree
            },
            deps: DepsMode::Off,
            cache: None,
            baseline: None,
            ..self.common.request(self.path.clone(), self.config.clone())
        }
    }

    /// The baseline file to migrate.
    pub fn baseline_file(&self) -> PathBuf {
        match &self.baseline {
            Some(file) => file.clone(),
            None if self.path.is_dir() => self.path.join(BASELINE_FILE),
            None => PathBuf::from(BASELINE_FILE),
        }
    }
}

impl HookScanArgs {
    /// The settings of a hook's scan (the hook picks the source). Git runs hooks at the top
    /// of the working tree, where `hygiene baseline create` writes its file.
    pub fn request(&self) -> ScanRequest {
        let default_baseline = PathBuf::from(BASELINE_FILE);
        ScanRequest {
            baseline: self
                .baseline
                .clone()
                .or_else(|| default_baseline.is_file().then_some(default_baseline)),
            deps: DepsMode::Off,
            gate: Gate {
                fail_on: self.fail_on,
                min_confidence: self.min_confidence,
            },
            validate: self.validate.then(|| ValidateRequest {
                options: hygiene::validate::Options::default(),
                only_active: false,
            }),
            // A hook has no `--cache` flag (git runs it with none), only the environment; it
            // is written but not read with --validate, which needs every secret whole.
            cache: std::env::var_os("HYGIENE_SCAN_CACHE")
                .filter(|v| !v.is_empty())
                .map(|dir| CacheSettings {
                    dir: PathBuf::from(dir),
                    read: !self.validate,
                }),
            ..self.common.request(PathBuf::from("."), None)
        }
    }
}

impl OutputArgs {
    pub fn render_options(&self) -> RenderOptions {
        let to_terminal = self.output.is_none() && std::io::stdout().is_terminal();
        RenderOptions {
            show_secrets: self.show_secrets,
            color: self.format == ReportFormat::Text && !self.no_color && color(to_terminal),
            sarif_category: self.sarif_category.clone(),
        }
    }
}

/// More reports from the same scan, each to its own file, besides the main one (`--format`,
/// to `--output` or standard output): a CI job prints text to its log and uploads SARIF and
/// JSON without scanning three times.
#[derive(Debug, Args)]
pub struct ReportFileArgs {
    /// Also write the SARIF report to this file (from the same scan).
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,

    /// Also write the JSON report to this file (from the same scan).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// Also write the text report to this file (from the same scan; never coloured).
    #[arg(long, value_name = "FILE")]
    pub text: Option<PathBuf>,
}

/// What a scan says on standard error besides its errors.
#[derive(Debug, Args)]
pub struct TerminalArgs {
    /// Nothing on standard error but errors: no progress, no timings. The report still goes to
    /// standard output or its files.
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    pub quiet: bool,

    /// After the scan, print on standard error how long each phase took (reading, secret
    /// rules, lockfiles, advisory check, update check, rendering).
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

impl TerminalArgs {
    /// Whether a progress line may be drawn: standard error is a terminal (never in a CI log,
    /// a pipe or a hook's captured output) and `--quiet` is off.
    pub fn progress(&self) -> bool {
        !self.quiet && std::io::stderr().is_terminal()
    }
}

impl ScanArgs {
    /// Every report to write: the main one (to `--output` or standard output), then the
    /// `--sarif`, `--json` and `--text` files, all rendered from the one outcome.
    pub fn reports(&self) -> Vec<(Format, RenderOptions, Option<PathBuf>)> {
        let main = self.output.render_options();
        let mut reports = vec![(
            self.output.format.into(),
            main.clone(),
            self.output.output.clone(),
        )];
        let files = [
            (Format::Sarif, &self.reports.sarif),
            (Format::Json, &self.reports.json),
            (Format::Text, &self.reports.text),
        ];
        for (format, file) in files {
            if let Some(file) = file {
                let options = RenderOptions {
                    color: false, // a file is not a terminal
                    ..main.clone()
                };
                reports.push((format, options, Some(file.clone())));
            }
        }
        reports
    }
}

// Examples shown after each command's help. Every `hygiene ...` line runs as written in a
// small git repository (tests/discover.rs); a line ending in `# needs network` is not run there.

const EXAMPLES_TOP: &str = "\
Examples:
  # Scan the current directory for secrets and vulnerable dependencies
  hygiene scan
  # Secrets only, as SARIF for GitHub code scanning
  hygiene scan --no-deps --format sarif --output hygiene.sarif
  # What a rule finds, why it matters and how to fix it
  hygiene explain aws-access-key-id
  # Start a commented configuration file
  hygiene init
  # Install git hooks that block commits and pushes with secrets
  hygiene hook install";

const EXAMPLES_SCAN: &str = "\
Examples:
  # Secrets and dependencies of the current directory
  hygiene scan
  # Secrets only, failing only on high or critical findings
  hygiene scan . --no-deps --fail-on high
  # A JSON report written to a file
  hygiene scan --format json --output report.json
  # SARIF for GitHub code scanning
  hygiene scan --format sarif --output hygiene.sarif
  # Every commit of the git history
  hygiene scan --history
  # Only what the commits since HEAD~1 introduced
  hygiene scan --since HEAD~1
  # Only the staged changes, as a pre-commit check
  hygiene scan --staged
  # Report only findings that are not in the baseline
  hygiene baseline create
  hygiene scan --baseline .hygiene-baseline.json
  # Also report dependencies far behind their newest release
  hygiene scan --outdated  # needs network
  # Ask each secret's provider whether it is live; report only the live ones
  hygiene scan --validate --only-active  # needs network";

const EXAMPLES_RULES: &str = "\
Examples:
  # Every rule with its severity, confidence and keywords
  hygiene rules list
  # Check the built-in rules' examples
  hygiene rules check
  # Check a directory of your own rule files
  hygiene rules check rules
  # One rule in detail
  hygiene explain generic-password";

const EXAMPLES_RULES_LIST: &str = "\
Examples:
  hygiene rules list
  # The rules scan --validate can check, and what each sends where
  hygiene rules list --validators
  # With your own rule files
  hygiene rules list --rules rules";

const EXAMPLES_RULES_CHECK: &str = "\
Examples:
  # The built-in rules
  hygiene rules check
  # A directory of your own rule files
  hygiene rules check rules";

const EXAMPLES_DEPS: &str = "\
Examples:
  # The packages the lockfiles under the current directory declare
  hygiene deps list
  # As JSON, into a file
  hygiene deps list . --format json --output packages.json";

const EXAMPLES_DB: &str = "\
Examples:
  # Download the advisories of every ecosystem (then: hygiene scan --offline)
  hygiene db update  # needs network
  # Only some ecosystems, into a chosen directory
  hygiene db update --ecosystem crates.io --ecosystem npm --db-dir advisories  # needs network";

const EXAMPLES_BASELINE: &str = "\
Examples:
  # Accept today's findings in .hygiene-baseline.json
  hygiene baseline create
  # Later scans report only new findings
  hygiene scan --baseline .hygiene-baseline.json
  # Accept what the whole git history holds, for history scans
  hygiene baseline create --history --output history-baseline.json
  hygiene scan --history --baseline history-baseline.json
  # Rewrite a version 1 baseline (unsalted fingerprints) with today's fingerprints
  hygiene baseline migrate --baseline .hygiene-baseline.json";

const EXAMPLES_HOOK: &str = "\
Examples:
  # Install the pre-commit and pre-push hooks in this repository
  hygiene hook install
  # Remove them again
  hygiene hook uninstall
  # Only the pre-commit hook, replacing one hygiene did not write (kept as .bak)
  hygiene hook install --pre-commit --force";

const EXAMPLES_HOOK_INSTALL: &str = "\
Examples:
  # Both hooks
  hygiene hook install
  # Only the pre-push hook
  hygiene hook install --pre-push
  # Replace a hook hygiene did not write (it is kept as .bak)
  hygiene hook install --pre-commit --force";

const EXAMPLES_HOOK_UNINSTALL: &str = "\
Examples:
  hygiene hook uninstall
  hygiene hook uninstall --pre-push";

const EXAMPLES_HOOK_PRE_COMMIT: &str = "\
Examples:
  # What the installed hook runs (git runs it before each commit)
  hygiene hook pre-commit
  # Block only on high or critical findings
  hygiene hook pre-commit --fail-on high";

const EXAMPLES_HOOK_PRE_PUSH: &str = "\
Examples:
  # What the installed hook runs: git passes the remote, and a line per ref on standard input
  echo \"refs/heads/main $(git rev-parse HEAD) refs/heads/main 0000000000000000000000000000000000000000\" | hygiene hook pre-push origin";

const EXAMPLES_COMPLETIONS: &str = "\
Examples:
  # Bash: source the file from ~/.bashrc
  hygiene completions bash > hygiene.bash
  # Zsh: save as _hygiene in a directory of $fpath
  hygiene completions zsh > _hygiene
  # Fish: save in ~/.config/fish/completions/
  hygiene completions fish > hygiene.fish
  # PowerShell: dot-source the file from $PROFILE
  hygiene completions powershell > hygiene.ps1";

const EXAMPLES_MAN: &str = "\
Examples:
  # The manual page, to read with `man ./hygiene.1`
  hygiene man > hygiene.1
  # A page per command, for a man/man1 directory
  hygiene man --dir man1";

const EXAMPLES_INIT: &str = "\
Examples:
  # Write .hygiene.toml in the current directory
  hygiene init
  # Replace an existing one
  hygiene init . --force";

const EXAMPLES_EXPLAIN: &str = "\
Examples:
  # A content rule
  hygiene explain aws-access-key-id
  # A credential-file format
  hygiene explain netrc
  # A sensitive-file rule
  hygiene explain sensitive-file-env
  # A practice check
  hygiene explain unpinned-requirement
  # An advisory
  hygiene explain GHSA-jfh8-c2jp-5v3q";

/// `--cache` without `--cache-dir`: `scan/` under the cache directory (`$HYGIENE_CACHE_DIR`,
/// else ~/.cache/hygiene), then a name made from the scanned tree's absolute path. One cache
/// per tree, because a cache holds the answers of one set of rules and configuration: two
/// repositories sharing one would each start it afresh on every run. `None` where the platform
/// has no cache directory.
fn default_scan_cache(root: &std::path::Path) -> Option<PathBuf> {
    use sha2::{Digest, Sha256};
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let digest = Sha256::digest(root.as_os_str().as_encoded_bytes());
    let name: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Some(outdated::default_cache_dir()?.join("scan").join(name))
}

#[cfg(test)]
mod tests {
    use super::{parse_size, parse_threads};

    #[test]
    fn thread_counts_are_bounded() {
        assert_eq!(parse_threads("0"), Ok(0));
        assert_eq!(parse_threads("256"), Ok(256));
        for bad in [
            "257",
            "2000",
            "4294967296",
            "18446744073709551615",
            "99999999999999999999",
            "-1",
            "x",
        ] {
            assert!(parse_threads(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("10M"), Ok(10 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5X").is_err());
        assert!(parse_size("99999999999999G").is_err());
    }
}
