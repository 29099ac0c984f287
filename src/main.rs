//! The `hygiene` binary: parse flags ([`cli`]), call one library function per command, print
//! what it returns and map its verdict to an exit code.

mod cli;
mod terminal;

use clap::Parser;
use cli::{BaselineCommand, Cli, Command, DbCommand, DepsCommand, HookCommand, RulesCommand};
use hygiene::deps::{osv, Ecosystem};
use hygiene::error::Error;
use hygiene::hook::{self, HookKind};
use hygiene::outcome::{Outcome, Verdict};
use hygiene::report::{self, write_output};
use hygiene::scan::{self, DepsMode};
use std::io::IsTerminal;
use std::process::ExitCode;

/// Exit codes, documented in `docs/exit-codes.md`.
const EXIT_CLEAN: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_INCOMPLETE: u8 = 3;

fn main() -> ExitCode {
    hygiene::memory::tune_allocator();
    let result = match Cli::parse().command {
        Command::Scan(args) => scan(*args),
        Command::Rules(cmd) => rules(cmd),
        Command::Deps(cmd) => deps(cmd),
        Command::Db(cmd) => db(cmd),
        Command::Baseline(cmd) => baseline(cmd),
        Command::Hook(cmd) => hook_command(cmd),
        Command::Completions { shell } => completions(shell),
        Command::Man { dir } => man(dir),
        Command::Init { path, force } => init(&path, force),
        Command::Explain { rule_id, rules } => explain(&rule_id, &rules),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("hygiene: error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn exit_code(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Clean => EXIT_CLEAN,
        Verdict::Findings => EXIT_FINDINGS,
        Verdict::Incomplete => EXIT_INCOMPLETE,
    }
}

/// 3 when something was not scanned, else 0: for commands that list rather than judge.
fn completeness(outcome: &Outcome) -> u8 {
    match outcome.incomplete() {
        true => EXIT_INCOMPLETE,
        false => EXIT_CLEAN,
    }
}

fn render_error(e: std::io::Error) -> Error {
    Error::with_source(hygiene::error::ErrorKind::Io, "cannot render", e)
}

/// One scan, then every report asked for rendered from its outcome (`--format` to `--output`
/// or stdout, plus `--sarif`, `--json`, `--text` files).
fn scan(args: cli::ScanArgs) -> Result<u8, Error> {
    let request = args.request();
    let outcome = run_with_progress(&request, args.terminal.progress())?;
    let started = std::time::Instant::now();
    for (format, options, file) in args.reports() {
        let mut buf = Vec::new();
        report::render(format, &outcome, &options, &mut buf).map_err(render_error)?;
        write_output(&buf, file.as_deref())?;
    }
    if args.terminal.verbose {
        let s = &outcome.stats;
        eprint!(
            "{}",
            terminal::timings(&s.timings, started.elapsed(), s.duration_seconds)
        );
        if request.cache.is_some() {
            eprintln!(
                "hygiene: cache: {} answered, {} read",
                s.cache_hits, s.cache_misses
            );
        }
    }
    Ok(exit_code(outcome.verdict))
}

/// Runs a scan with a progress line on standard error when `show` (see
/// [`terminal::ProgressLine`]); the line is gone before the caller prints anything.
fn run_with_progress(request: &scan::ScanRequest, show: bool) -> Result<Outcome, Error> {
    let unit = match request.source {
        scan::Source::Tree => "files",
        _ => "blobs",
    };
    let line = terminal::ProgressLine::start(request.progress.clone(), unit, show);
    let outcome = scan::run(request);
    line.finish();
    outcome
}

fn deps(cmd: DepsCommand) -> Result<u8, Error> {
    let DepsCommand::List {
        path,
        format,
        output,
    } = cmd;
    let request = scan::ScanRequest {
        root: path,
        secrets: false,
        deps: DepsMode::ListOnly,
        ..scan::ScanRequest::default()
    };
    let outcome = scan::run(&request)?;
    let mut buf = Vec::new();
    report::packages::render(format.into(), &outcome, &mut buf).map_err(render_error)?;
    write_output(&buf, output.as_deref())?;
    Ok(completeness(&outcome))
}

fn db(cmd: DbCommand) -> Result<u8, Error> {
    let DbCommand::Update {
        ecosystems,
        db_dir,
        base_url,
    } = cmd;
    let ecosystems = match ecosystems.is_empty() {
        true => Ecosystem::ALL.to_vec(),
        false => ecosystems,
    };
    let dir = db_dir.unwrap_or_else(osv::default_db_dir);
    let mut failed = false;
    for outcome in osv::db::update_all(base_url.trim_end_matches('/'), &dir, &ecosystems)? {
        match outcome.status {
            osv::db::UpdateStatus::Downloaded { bytes } => {
                println!("{}: downloaded {bytes} bytes", outcome.ecosystem)
            }
            osv::db::UpdateStatus::Unchanged => println!("{}: up to date", outcome.ecosystem),
            osv::db::UpdateStatus::Failed(e) => {
                failed = true;
                eprintln!("{}: {e}", outcome.ecosystem);
            }
        }
    }
    println!("database: {}", dir.display());
    Ok(if failed { EXIT_INCOMPLETE } else { EXIT_CLEAN })
}

fn hook_command(cmd: HookCommand) -> Result<u8, Error> {
    let kinds = |which: cli::HookSelection| match (which.pre_commit, which.pre_push) {
        (true, false) => vec![HookKind::PreCommit],
        (false, true) => vec![HookKind::PrePush],
        _ => vec![HookKind::PreCommit, HookKind::PrePush],
    };
    let (kind, settings) = match cmd {
        HookCommand::Install { which, force, path } => {
            hook::install(&path, &kinds(which), force)?
                .iter()
                .for_each(|line| println!("{line}"));
            return Ok(EXIT_CLEAN);
        }
        HookCommand::Uninstall { which, path } => {
            hook::uninstall(&path, &kinds(which))?
                .iter()
                .for_each(|line| println!("{line}"));
            return Ok(EXIT_CLEAN);
        }
        HookCommand::PreCommit { scan } => (HookKind::PreCommit, scan),
        HookCommand::PrePush { scan, .. } => (HookKind::PrePush, scan),
    };
    // A progress line only on a terminal: a GUI client or CI capturing the hook sees none.
    let show = std::io::stderr().is_terminal();
    let outcome = run_with_progress(&hook::request(kind, settings.request())?, show)?;
    // On stderr, which git shows; 0 lets the commit or push through.
    let color = cli::color(std::io::stderr().is_terminal());
    eprint!("{}", report::hook::message(kind, &outcome, color));
    Ok(exit_code(outcome.verdict))
}

fn baseline(cmd: BaselineCommand) -> Result<u8, Error> {
    let args = match cmd {
        BaselineCommand::Create(args) => args,
        BaselineCommand::Migrate(args) => return migrate_baseline(args),
    };
    let created = scan::create_baseline(&args.request(), args.output.as_deref())?;
    for e in &created.outcome.errors {
        eprintln!("{e}");
    }
    eprintln!(
        "wrote {} entries ({} findings) to {}",
        created.baseline.findings.len(),
        created.outcome.findings.len(),
        created.path.display()
    );
    Ok(completeness(&created.outcome))
}

fn migrate_baseline(args: cli::BaselineMigrateArgs) -> Result<u8, Error> {
    let file = args.baseline_file();
    let migrated = scan::migrate_baseline(&args.request(), &file, args.output.as_deref())?;
    if migrated.from_version == hygiene::baseline::BASELINE_VERSION {
        eprintln!(
            "{} is already version {}: nothing to migrate",
            file.display(),
            migrated.from_version
        );
        return Ok(EXIT_CLEAN);
    }
    for e in &migrated.outcome.errors {
        eprintln!("{e}");
    }
    for e in &migrated.dropped {
        eprintln!(
            "dropped entry {} ({} in {}): no finding matches it any more",
            e.fingerprint, e.rule_id, e.path
        );
    }
    eprintln!(
        "wrote {} entries (version {}, from version {}) to {}",
        migrated.baseline.findings.len(),
        hygiene::baseline::BASELINE_VERSION,
        migrated.from_version,
        migrated.path.display()
    );
    Ok(completeness(&migrated.outcome))
}

fn rules(cmd: RulesCommand) -> Result<u8, Error> {
    match cmd {
        RulesCommand::List { rules, validators } => {
            let mut buf = Vec::new();
            match validators {
                true => {
                    report::rules::render_validators(&hygiene::rules::validators(&rules)?, &mut buf)
                }
                false => report::rules::render(&hygiene::rules::catalogue(&rules)?, &mut buf),
            }
            .map_err(render_error)?;
            write_output(&buf, None)?;
            Ok(EXIT_CLEAN)
        }
        RulesCommand::Check { dir } => {
            let report = hygiene::rules::check(dir.as_deref())?;
            for f in &report.failures {
                eprintln!("{f}");
            }
            if report.failures.is_empty() {
                println!(
                    "{} rules, {} credential-file formats and {} sensitive-file rules ok: every \
                     example matches, no negative example does",
                    report.rules, report.formats, report.sensitive_files
                );
                Ok(EXIT_CLEAN)
            } else {
                let (n, rules) = (report.failures.len(), report.rules);
                eprintln!("{n} example failures in {rules} rules");
                Ok(EXIT_FINDINGS)
            }
        }
    }
}

fn completions(shell: clap_complete::Shell) -> Result<u8, Error> {
    use clap::CommandFactory;
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "hygiene", &mut buf);
    write_output(&buf, None)?;
    Ok(EXIT_CLEAN)
}

fn man(dir: Option<std::path::PathBuf>) -> Result<u8, Error> {
    use clap::CommandFactory;
    let io_error = |what: String, e: std::io::Error| {
        Error::with_source(hygiene::error::ErrorKind::Io, what, e)
    };
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let Some(dir) = dir else {
        write_output(&man_page(&cmd).map_err(render_error)?, None)?;
        return Ok(EXIT_CLEAN);
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| io_error(format!("cannot create {}", dir.display()), e))?;
    let mut todo = vec![cmd];
    while let Some(cmd) = todo.pop() {
        todo.extend(cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
        let file = dir.join(clap_mangen::Man::new(cmd.clone()).get_filename());
        let page = man_page(&cmd).map_err(render_error)?;
        std::fs::write(&file, page)
            .map_err(|e| io_error(format!("cannot write {}", file.display()), e))?;
        println!("wrote {}", file.display());
    }
    Ok(EXIT_CLEAN)
}

/// `cmd`'s manual page, its `.TH` title line first (clap_mangen puts two string definitions
/// before it, which are just as valid after it).
fn man_page(cmd: &clap::Command) -> std::io::Result<Vec<u8>> {
    let mut roff = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut roff)?;
    let text = String::from_utf8_lossy(&roff);
    let mut lines: Vec<&str> = text.lines().collect();
    if let Some(i) = lines.iter().position(|l| l.starts_with(".TH ")) {
        let title = lines.remove(i);
        lines.insert(0, title);
    }
    Ok(lines
        .iter()
        .flat_map(|l| [l.as_bytes(), b"\n"])
        .flatten()
        .copied()
        .collect())
}

fn init(path: &std::path::Path, force: bool) -> Result<u8, Error> {
    let written = hygiene::config::init::init(path, force)?;
    println!(
        "wrote {}: every setting is commented out with its default; uncomment what you need",
        written.display()
    );
    Ok(EXIT_CLEAN)
}

fn explain(rule_id: &str, rules: &[std::path::PathBuf]) -> Result<u8, Error> {
    let explanation = hygiene::explain::explain(rule_id, rules)?;
    let mut buf = Vec::new();
    report::explain::render(&explanation, &mut buf).map_err(render_error)?;
    write_output(&buf, None)?;
    Ok(EXIT_CLEAN)
}
