//! The `hygiene` binary: parse flags, call the library, map the outcome to an exit code.

use clap::Parser;
use hygiene::cli::{
    AdvisoryArgs, BaselineCommand, Cli, Command, DbCommand, DepsCommand, HookCommand, HookScanArgs,
    ListFormat, OutputArgs, RulesCommand, ScanArgs,
};
use hygiene::deps::osv::api::ApiConfig;
use hygiene::deps::osv::{self, AdvisorySource};
use hygiene::deps::Ecosystem;
use hygiene::finding::{Confidence, Severity};
use hygiene::hook::{self, HookKind, PushInput};
use hygiene::outcome::Outcome;
use hygiene::outcome::DEFAULT_FAIL_CONFIDENCE;
use hygiene::report::{self, Format, RenderOptions};
use hygiene::scan::{load_rules, scan_tree, DepsMode, ScanOptions};
use hygiene::secrets::baseline::{Baseline, BASELINE_FILE};
use hygiene::secrets::check::check_examples;
use hygiene::secrets::formats::{builtin_formats, check_examples as check_format_examples};
use hygiene::secrets::{load_rule_dir, Engine};
use hygiene::source::git::{self, GitMode, GitOptions};
use hygiene::source::walk::WalkOptions;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

/// Exit codes, documented in the README.
const EXIT_CLEAN: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_INCOMPLETE: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => scan(args),
        Command::Rules(cmd) => rules(cmd),
        Command::Deps(cmd) => deps(cmd),
        Command::Db(cmd) => db(cmd),
        Command::Baseline(cmd) => baseline(cmd),
        Command::Hook(cmd) => hook_command(cmd),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("hygiene: error: {message}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn scan(args: ScanArgs) -> Result<u8, String> {
    if args.staged || args.history || args.since.is_some() {
        return scan_git(args);
    }
    let options = ScanOptions {
        root: args.path.clone(),
        walk: WalkOptions {
            max_file_size: args.common.max_file_size,
            threads: args.common.threads,
        },
        rule_dirs: args.common.rules.clone(),
        no_secrets: args.no_secrets,
        deps: if args.no_deps {
            DepsMode::Off
        } else {
            DepsMode::Check(advisory_source(&args.advisories))
        },
        config: args.config.clone(),
    };
    let mut outcome = scan_tree(&options).map_err(|e| e.to_string())?;
    if let Some(file) = &args.baseline {
        // Before the confidence filter: a baselined finding hidden by --min-confidence is
        // not stale.
        let b = Baseline::load(file).map_err(|e| e.to_string())?;
        b.apply(&file.display().to_string(), &mut outcome);
    }
    outcome
        .findings
        .retain(|f| f.confidence >= args.min_confidence.unwrap_or(Confidence::Low));
    write_report(&outcome, &args.output)?;
    Ok(exit_code(&outcome, &args))
}

/// The advisory source the flags ask for.
fn advisory_source(args: &AdvisoryArgs) -> AdvisorySource {
    if args.offline {
        AdvisorySource::Offline {
            db_dir: args.db_dir.clone().unwrap_or_else(osv::default_db_dir),
        }
    } else {
        AdvisorySource::Online(ApiConfig {
            base_url: args.osv_url.trim_end_matches('/').to_string(),
            timeout: std::time::Duration::from_secs(args.osv_timeout.max(1)),
            ..ApiConfig::default()
        })
    }
}

fn deps(cmd: DepsCommand) -> Result<u8, String> {
    let DepsCommand::List {
        path,
        format,
        output,
    } = cmd;
    let options = ScanOptions {
        root: path,
        no_secrets: true,
        deps: DepsMode::ListOnly,
        ..ScanOptions::default()
    };
    let outcome = scan_tree(&options).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    match format {
        ListFormat::Json => {
            let doc = serde_json::json!({
                "packages": outcome.packages.iter().map(|p| serde_json::json!({
                    "ecosystem": p.ecosystem,
                    "name": p.name,
                    "version": p.version,
                    "path": p.path,
                    "line": p.line,
                    "direct": p.direct,
                    "dev": p.dev,
                })).collect::<Vec<_>>(),
                "errors": outcome.errors,
            });
            serde_json::to_writer_pretty(&mut buf, &doc).map_err(|e| e.to_string())?;
            buf.push(b'\n');
        }
        ListFormat::Text => {
            let flag = |v: Option<bool>, yes: &str, no: &str| match v {
                Some(true) => yes.to_string(),
                Some(false) => no.to_string(),
                None => "-".to_string(),
            };
            let _ = writeln!(
                buf,
                "{:<12} {:<40} {:<20} {:<10} {:<4} LOCATION",
                "ECOSYSTEM", "NAME", "VERSION", "DIRECT", "DEV"
            );
            for p in &outcome.packages {
                let _ = writeln!(
                    buf,
                    "{:<12} {:<40} {:<20} {:<10} {:<4} {}:{}",
                    p.ecosystem.as_str(),
                    p.name,
                    p.version,
                    flag(p.direct, "direct", "transitive"),
                    flag(p.dev, "dev", "no"),
                    p.path,
                    p.line
                );
            }
            for e in &outcome.errors {
                let _ = writeln!(buf, "{e}");
            }
            let _ = writeln!(
                buf,
                "{} packages in {} lockfiles",
                outcome.packages.len(),
                outcome.stats.lockfiles
            );
        }
    }
    emit(&buf, output.as_deref())?;
    Ok(if outcome.incomplete() {
        EXIT_INCOMPLETE
    } else {
        EXIT_CLEAN
    })
}

fn db(cmd: DbCommand) -> Result<u8, String> {
    let DbCommand::Update {
        ecosystems,
        db_dir,
        base_url,
    } = cmd;
    let ecosystems: Vec<Ecosystem> = if ecosystems.is_empty() {
        Ecosystem::ALL.to_vec()
    } else {
        ecosystems
            .iter()
            .map(|e| {
                Ecosystem::from_osv(e).ok_or_else(|| {
                    let known: Vec<&str> = Ecosystem::ALL.iter().map(|e| e.as_str()).collect();
                    format!("unknown ecosystem `{e}`: use one of {}", known.join(", "))
                })
            })
            .collect::<Result<_, _>>()?
    };
    let dir = db_dir.unwrap_or_else(osv::default_db_dir);
    let client = osv::db::http_client(
        std::time::Duration::from_secs(15),
        std::time::Duration::from_secs(600),
    )
    .map_err(|e| e.to_string())?;
    let mut failed = 0;
    for outcome in osv::db::update(base_url.trim_end_matches('/'), &dir, &ecosystems, &client) {
        match outcome.status {
            osv::db::UpdateStatus::Downloaded { bytes } => {
                println!("{}: downloaded {bytes} bytes", outcome.ecosystem)
            }
            osv::db::UpdateStatus::Unchanged => println!("{}: up to date", outcome.ecosystem),
            osv::db::UpdateStatus::Failed(e) => {
                failed += 1;
                eprintln!("{}: {e}", outcome.ecosystem);
            }
        }
    }
    println!("database: {}", dir.display());
    Ok(if failed > 0 {
        EXIT_INCOMPLETE
    } else {
        EXIT_CLEAN
    })
}

fn emit(buf: &[u8], output: Option<&std::path::Path>) -> Result<(), String> {
    match output {
        Some(path) => {
            std::fs::write(path, buf).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = stdout.write_all(buf).and_then(|_| stdout.flush());
            Ok(())
        }
    }
}

/// `hygiene scan --history | --since REV | --staged`.
fn scan_git(args: ScanArgs) -> Result<u8, String> {
    let started = std::time::Instant::now();
    let mode = if args.staged {
        GitMode::Staged
    } else if let Some(rev) = &args.since {
        GitMode::Since(rev.clone())
    } else {
        GitMode::History
    };
    let (engine, allow) = engine(&args.path, args.config.as_deref(), &args.common.rules)?;
    let options = GitOptions {
        max_file_size: args.common.max_file_size,
        threads: args.common.threads,
    };
    let mut outcome = git::scan(&args.path, &mode, &engine, &options).map_err(|e| e.to_string())?;
    drop_allowed_paths(&mut outcome, &allow);
    outcome.stats.duration_seconds = started.elapsed().as_secs_f64();
    outcome
        .findings
        .retain(|f| f.confidence >= args.min_confidence.unwrap_or(Confidence::Low));
    write_report(&outcome, &args.output)?;
    Ok(exit_code(&outcome, &args))
}

/// The secret engine for a git scan of the repository at `root`, with its configuration
/// (`config`, else `.hygiene.toml` at `root`) applied; the allowlist's paths are honoured by
/// [`drop_allowed_paths`].
fn engine(
    root: &Path,
    config: Option<&Path>,
    rule_dirs: &[std::path::PathBuf],
) -> Result<(Engine, hygiene::config::Allowlist), String> {
    let loaded = hygiene::config::load(root, config).map_err(|e| e.to_string())?;
    let rules = load_rules(rule_dirs).map_err(|e| e.to_string())?;
    hygiene::scan::configured_engine(rules, &loaded).map_err(|e| e.to_string())
}

/// Removes findings in paths the configuration allows.
fn drop_allowed_paths(outcome: &mut Outcome, allow: &hygiene::config::Allowlist) {
    outcome.findings.retain(|f| !allow.path_allowed(&f.path));
}

/// `hygiene hook ...`.
fn hook_command(cmd: HookCommand) -> Result<u8, String> {
    let kinds = |pre_commit: bool, pre_push: bool| match (pre_commit, pre_push) {
        (true, false) => vec![HookKind::PreCommit],
        (false, true) => vec![HookKind::PrePush],
        _ => vec![HookKind::PreCommit, HookKind::PrePush],
    };
    match cmd {
        HookCommand::Install { which, force, path } => {
            let kinds = kinds(which.pre_commit, which.pre_push);
            for line in hook::install(&path, &kinds, force).map_err(|e| e.to_string())? {
                println!("{line}");
            }
            Ok(EXIT_CLEAN)
        }
        HookCommand::Uninstall { which, path } => {
            let kinds = kinds(which.pre_commit, which.pre_push);
            for line in hook::uninstall(&path, &kinds).map_err(|e| e.to_string())? {
                println!("{line}");
            }
            Ok(EXIT_CLEAN)
        }
        HookCommand::PreCommit { scan } => {
            let (engine, allow) = engine(Path::new("."), None, &scan.common.rules)?;
            let mut outcome = hook::pre_commit(Path::new("."), &engine, &git_options(&scan))
                .map_err(|e| e.to_string())?;
            drop_allowed_paths(&mut outcome, &allow);
            Ok(hook_verdict(HookKind::PreCommit, outcome, &scan))
        }
        HookCommand::PrePush { scan, .. } => {
            let stdin = std::io::stdin();
            let input = if stdin.is_terminal() {
                PushInput::Nothing { interactive: true }
            } else {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut stdin.lock(), &mut text)
                    .map_err(|e| format!("cannot read the pre-push lines on stdin: {e}"))?;
                let lines = hook::parse_push_lines(&text).map_err(|e| e.to_string())?;
                if lines.is_empty() {
                    PushInput::Nothing { interactive: false }
                } else {
                    PushInput::Lines(lines)
                }
            };
            // Rules are compiled only when there is something to scan: pushing a deletion or
            // nothing new costs no regex compilation.
            // The configuration is read now (cheap); rules are compiled only when there is
            // something to scan.
            let loaded = hygiene::config::load(Path::new("."), None).map_err(|e| e.to_string())?;
            let allow = hygiene::config::compile_allow(&loaded).map_err(|e| e.to_string())?;
            let rules = scan.common.rules.clone();
            let make_engine = move || {
                let rules = load_rules(&rules)?;
                hygiene::scan::configured_engine(rules, &loaded).map(|(engine, _)| engine)
            };
            let mut outcome =
                hook::pre_push(Path::new("."), input, make_engine, &git_options(&scan))
                    .map_err(|e| e.to_string())?;
            drop_allowed_paths(&mut outcome, &allow);
            Ok(hook_verdict(HookKind::PrePush, outcome, &scan))
        }
    }
}

fn git_options(scan: &HookScanArgs) -> GitOptions {
    GitOptions {
        max_file_size: scan.common.max_file_size,
        threads: scan.common.threads,
    }
}

/// Prints a hook's report on stderr (git shows it) and decides: 0 lets the commit or push
/// through, anything else blocks it.
fn hook_verdict(kind: HookKind, mut outcome: Outcome, scan: &HookScanArgs) -> u8 {
    outcome
        .findings
        .retain(|f| f.confidence >= scan.min_confidence.unwrap_or(Confidence::Low));
    let code = verdict(&outcome, scan.fail_on, scan.min_confidence);
    let mut err = std::io::stderr().lock();
    if code == EXIT_CLEAN {
        for e in &outcome.errors {
            let _ = writeln!(err, "hygiene: {e}");
        }
        let _ = writeln!(err, "hygiene: {}", hook::clean_summary(kind, &outcome));
        return code;
    }
    let options = RenderOptions {
        show_secrets: false,
        color: std::io::stderr().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        sarif_category: String::new(),
    };
    let mut buf = Vec::new();
    let _ = report::render(Format::Text, &outcome, &options, &mut buf);
    let _ = err.write_all(&buf);
    let _ = writeln!(err);
    let _ = err.write_all(hook::blocked_advice(kind, &outcome).as_bytes());
    code
}

/// 3 when the scan is incomplete (even with findings: a gate must not pass a scan that did
/// not finish), else 1 when a finding reaches `--fail-on` (and the failing confidence), else 0.
fn exit_code(outcome: &Outcome, args: &ScanArgs) -> u8 {
    verdict(outcome, args.fail_on, args.min_confidence)
}

/// `min_confidence` is the flag as given: without it, low-confidence findings (samples in
/// tests and docs) are reported but do not fail.
fn verdict(outcome: &Outcome, fail_on: Severity, min_confidence: Option<Confidence>) -> u8 {
    let gate = min_confidence.unwrap_or(DEFAULT_FAIL_CONFIDENCE);
    if outcome.incomplete() {
        EXIT_INCOMPLETE
    } else if outcome.fails(fail_on, gate) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn write_report(outcome: &Outcome, args: &OutputArgs) -> Result<(), String> {
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let options = RenderOptions {
        show_secrets: args.show_secrets,
        color: args.format == Format::Text
            && to_terminal
            && !args.no_color
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        sarif_category: args.sarif_category.clone(),
    };
    let mut buf = Vec::new();
    report::render(args.format, outcome, &options, &mut buf)
        .map_err(|e| format!("cannot render the report: {e}"))?;
    match &args.output {
        Some(path) => {
            std::fs::write(path, &buf).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = stdout.write_all(&buf).and_then(|_| stdout.flush());
            Ok(())
        }
    }
}

fn baseline(cmd: BaselineCommand) -> Result<u8, String> {
    match cmd {
        BaselineCommand::Create(args) => {
            let options = ScanOptions {
                root: args.path.clone(),
                walk: WalkOptions {
                    max_file_size: args.common.max_file_size,
                    threads: args.common.threads,
                },
                rule_dirs: args.common.rules.clone(),
                config: args.config.clone(),
                // A baseline accepts secrets; dependency findings are managed with
                // `[[deps.ignore]]`, which says why and until when.
                deps: DepsMode::Off,
                no_secrets: false,
            };
            let outcome = scan_tree(&options).map_err(|e| e.to_string())?;
            for e in &outcome.errors {
                eprintln!("{e}");
            }
            let output = args.output.clone().unwrap_or_else(|| {
                if args.path.is_dir() {
                    args.path.join(BASELINE_FILE)
                } else {
                    std::path::PathBuf::from(BASELINE_FILE)
                }
            });
            let b = Baseline::from_findings(&outcome.findings);
            std::fs::write(&output, b.to_json())
                .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
            eprintln!(
                "wrote {} entries ({} findings) to {}",
                b.findings.len(),
                outcome.findings.len(),
                output.display()
            );
            Ok(if outcome.incomplete() {
                EXIT_INCOMPLETE
            } else {
                EXIT_CLEAN
            })
        }
    }
}

fn rules(cmd: RulesCommand) -> Result<u8, String> {
    match cmd {
        RulesCommand::List { rules } => {
            let rules = load_rules(&rules).map_err(|e| e.to_string())?;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "{:<40} {:<9} {:<11} {:<48} KEYWORDS",
                "ID", "SEVERITY", "CONFIDENCE", "NAME"
            );
            for r in &rules {
                let _ = writeln!(
                    out,
                    "{:<40} {:<9} {:<11} {:<48} {}",
                    r.spec.id,
                    r.spec.severity,
                    r.spec.confidence,
                    r.spec.name,
                    r.spec.keywords.join(", ")
                );
            }
            let sensitive = hygiene::secrets::sensitive::rule_infos();
            for r in &sensitive {
                let _ = writeln!(
                    out,
                    "{:<40} {:<9} {:<11} {:<48} (file path)",
                    r.id, r.severity, r.confidence, r.name
                );
            }
            let formats = builtin_formats().map_err(|e| e.to_string())?;
            for f in formats.formats() {
                let _ = writeln!(
                    out,
                    "{:<40} {:<9} {:<11} {:<48} (credential file: {})",
                    f.spec.id, f.spec.severity, f.spec.confidence, f.spec.name, f.spec.family
                );
            }
            let _ = writeln!(
                out,
                "{} rules ({} content rules, {} credential-file formats, {} sensitive-file rules)",
                rules.len() + formats.formats().len() + sensitive.len(),
                rules.len(),
                formats.formats().len(),
                sensitive.len()
            );
            Ok(EXIT_CLEAN)
        }
        RulesCommand::Check { dir } => {
            let rules = match &dir {
                Some(d) => load_rule_dir(d).map_err(|e| e.to_string())?,
                None => load_rules(&[]).map_err(|e| e.to_string())?,
            };
            hygiene::secrets::rule::check_unique_ids(&rules).map_err(|e| e.to_string())?;
            let count = rules.len();
            let engine = Engine::new(rules)?;
            let mut failures: Vec<String> = check_examples(&engine)
                .iter()
                .map(|f| f.to_string())
                .collect();
            let mut formats = 0;
            if dir.is_none() {
                let set = builtin_formats().map_err(|e| e.to_string())?;
                formats = set.formats().len();
                failures.extend(check_format_examples(&set).iter().map(|f| f.to_string()));
            }
            for f in &failures {
                eprintln!("{f}");
            }
            if failures.is_empty() {
                println!(
                    "{count} rules and {formats} credential-file formats ok: every example \
                     matches, no negative example does"
                );
                Ok(EXIT_CLEAN)
            } else {
                eprintln!("{} example failures in {count} rules", failures.len());
                Ok(EXIT_FINDINGS)
            }
        }
    }
}
