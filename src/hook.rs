//! Git hooks: `hygiene hook install|uninstall` writes and removes small shell scripts, and
//! `hygiene hook pre-commit|pre-push` is what those scripts run.
//!
//! * **pre-commit** scans the staged changes (added lines only) and blocks the commit on a
//!   finding.
//! * **pre-push** reads git's `<local ref> <local sha> <remote ref> <remote sha>` lines on
//!   stdin and scans only the commits the remote does not have yet: for an update, those not
//!   reachable from the remote's old tip; for a new branch, those not reachable from any
//!   remote-tracking ref (`refs/remotes/*`); for a deletion, nothing. On a finding it prints
//!   what and where, how to allow a false positive, and blocks the push.
//!
//! A script we write carries [`MARKER`]; `uninstall` removes only files that carry it, and
//! `install` never replaces someone else's hook without `--force` (which keeps it as
//! `<hook>.bak`, restored by `uninstall`).

use crate::error::Error;
use crate::outcome::{Outcome, ScanError};
use crate::secrets::Engine;
use crate::source::git::{self, GitOptions, Range, Selection};
use gix::ObjectId;
use std::path::{Path, PathBuf};

/// The line that marks a hook script as ours.
pub const MARKER: &str = "# installed by hygiene";

/// The hooks we know how to install.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookKind {
    PreCommit,
    PrePush,
}

impl HookKind {
    /// The file name in the hooks directory, which is also our subcommand's name.
    pub fn name(self) -> &'static str {
        match self {
            HookKind::PreCommit => "pre-commit",
            HookKind::PrePush => "pre-push",
        }
    }

    fn what(self) -> &'static str {
        match self {
            HookKind::PreCommit => "scans staged changes for secrets before each commit",
            HookKind::PrePush => "scans the commits being pushed for secrets",
        }
    }

    fn skip(self) -> &'static str {
        match self {
            HookKind::PreCommit => "git commit --no-verify",
            HookKind::PrePush => "git push --no-verify",
        }
    }
}

/// The directory git runs hooks from: `core.hooksPath` if set (relative to the working tree,
/// as git reads it), else `hooks/` in the common git directory (shared by worktrees).
pub fn hooks_dir(repo: &gix::Repository) -> Result<PathBuf, Error> {
    let configured = repo
        .config_snapshot()
        .trusted_path("core.hooksPath")
        .map_err(|e| Error::Config(format!("cannot read core.hooksPath: {e}")))?;
    Ok(match configured {
        Some(p) if p.is_absolute() => p,
        Some(p) => repo.workdir().unwrap_or(repo.git_dir()).join(p),
        None => repo.common_dir().join("hooks"),
    })
}

/// Quotes `s` for a POSIX shell.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The script for `kind`, calling the binary at `exe` (or `hygiene` on `PATH` if it is gone).
pub fn script(kind: HookKind, exe: &Path) -> String {
    format!(
        "#!/bin/sh\n\
         {MARKER}: {what}.\n\
         # `hygiene hook uninstall` removes it; `{skip}` skips it once.\n\
         hygiene={exe}\n\
         [ -x \"$hygiene\" ] || hygiene=hygiene\n\
         exec \"$hygiene\" hook {name} \"$@\"\n",
        what = kind.what(),
        skip = kind.skip(),
        exe = sh_quote(&exe.to_string_lossy()),
        name = kind.name(),
    )
}

fn is_ours(path: &Path) -> bool {
    std::fs::read(path)
        .map(|b| memchr::memmem::find(&b, MARKER.as_bytes()).is_some())
        .unwrap_or(false)
}

fn backup_path(hook: &Path) -> PathBuf {
    let mut name = hook.as_os_str().to_owned();
    name.push(".bak");
    PathBuf::from(name)
}

fn io_err(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::Io(format!("cannot {what} {}: {e}", path.display()))
}

/// Installs the hooks of `kinds` into the repository containing `path`. Returns one line per
/// hook saying what was done.
pub fn install(path: &Path, kinds: &[HookKind], force: bool) -> Result<Vec<String>, Error> {
    let repo = git::open_from_env(path)?.to_thread_local();
    let dir = hooks_dir(&repo)?;
    let exe = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .unwrap_or_else(|_| PathBuf::from("hygiene"));
    // Check every hook first so a refusal leaves nothing half-installed.
    for kind in kinds {
        let hook = dir.join(kind.name());
        if hook.exists() && !is_ours(&hook) && !force {
            return Err(Error::Config(format!(
                "{} already exists and was not installed by hygiene; not replacing it. Use \
                 --force to replace it (it is kept as {}.bak), or call `hygiene hook {}` from it",
                hook.display(),
                kind.name(),
                kind.name()
            )));
        }
    }
    std::fs::create_dir_all(&dir).map_err(|e| io_err("create", &dir, e))?;
    let mut done = Vec::new();
    for &kind in kinds {
        let hook = dir.join(kind.name());
        let mut note = String::new();
        if hook.exists() && !is_ours(&hook) {
            let bak = backup_path(&hook);
            std::fs::rename(&hook, &bak).map_err(|e| io_err("back up", &hook, e))?;
            note = format!(" (the previous hook is kept as {})", bak.display());
        }
        std::fs::write(&hook, script(kind, &exe)).map_err(|e| io_err("write", &hook, e))?;
        make_executable(&hook)?;
        done.push(format!(
            "installed {} hook at {}{note}",
            kind.name(),
            hook.display()
        ));
    }
    Ok(done)
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| io_err("make executable", path, e))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<(), Error> {
    Ok(())
}

/// Removes the hooks of `kinds` that hygiene installed (restoring a hook `--force` set aside);
/// leaves anything else alone. Returns one line per hook saying what was done.
pub fn uninstall(path: &Path, kinds: &[HookKind]) -> Result<Vec<String>, Error> {
    let repo = git::open_from_env(path)?.to_thread_local();
    let dir = hooks_dir(&repo)?;
    let mut done = Vec::new();
    for &kind in kinds {
        let hook = dir.join(kind.name());
        if !hook.exists() {
            done.push(format!("no {} hook at {}", kind.name(), hook.display()));
        } else if !is_ours(&hook) {
            done.push(format!(
                "{} was not installed by hygiene; left alone",
                hook.display()
            ));
        } else {
            std::fs::remove_file(&hook).map_err(|e| io_err("remove", &hook, e))?;
            let bak = backup_path(&hook);
            if bak.exists() {
                std::fs::rename(&bak, &hook).map_err(|e| io_err("restore", &bak, e))?;
                done.push(format!(
                    "removed {} hook; restored the previous one from {}",
                    kind.name(),
                    bak.display()
                ));
            } else {
                done.push(format!("removed {} hook {}", kind.name(), hook.display()));
            }
        }
    }
    Ok(done)
}

/// One line of the pre-push hook's stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushLine {
    pub local_ref: String,
    pub local_sha: String,
    pub remote_ref: String,
    pub remote_sha: String,
}

/// Parses `<local ref> SP <local sha> SP <remote ref> SP <remote sha>` lines; blank lines are
/// skipped.
pub fn parse_push_lines(input: &str) -> Result<Vec<PushLine>, Error> {
    let mut lines = Vec::new();
    for (n, line) in input.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [local_ref, local_sha, remote_ref, remote_sha] = parts[..] else {
            return Err(Error::Config(format!(
                "pre-push input line {}: expected `<local ref> <local sha> <remote ref> <remote sha>`, got `{line}`",
                n + 1
            )));
        };
        lines.push(PushLine {
            local_ref: local_ref.to_string(),
            local_sha: local_sha.to_string(),
            remote_ref: remote_ref.to_string(),
            remote_sha: remote_sha.to_string(),
        });
    }
    Ok(lines)
}

fn is_zero(sha: &str) -> bool {
    !sha.is_empty() && sha.bytes().all(|b| b == b'0')
}

/// `sha` peeled to a commit (a pushed annotated tag names a tag object), if we have it.
fn peel_commit(repo: &gix::Repository, sha: &str) -> Option<ObjectId> {
    let id = ObjectId::from_hex(sha.as_bytes()).ok()?;
    let object = repo.find_object(id).ok()?;
    object.peel_to_commit().ok().map(|c| c.id)
}

/// The ranges a push sends: see the module documentation.
pub fn push_ranges(
    repo: &gix::Repository,
    lines: &[PushLine],
    errors: &mut Vec<ScanError>,
) -> Vec<Range> {
    let mut remote_tips: Option<Vec<ObjectId>> = None;
    let mut ranges = Vec::new();
    for line in lines {
        if is_zero(&line.local_sha) {
            continue; // a deletion sends no commits
        }
        let Some(tip) = peel_commit(repo, &line.local_sha) else {
            errors.push(ScanError::warning(
                Some(line.local_ref.clone()),
                "git",
                format!(
                    "{} is not a commit we can read; nothing scanned for it",
                    line.local_sha
                ),
            ));
            continue;
        };
        let known_remote = (!is_zero(&line.remote_sha))
            .then(|| peel_commit(repo, &line.remote_sha))
            .flatten();
        let hidden = match known_remote {
            Some(id) => vec![id],
            // A new branch, or a remote tip we never fetched: hide what every remote has.
            None => remote_tips
                .get_or_insert_with(|| git::remote_tips(repo, errors))
                .clone(),
        };
        ranges.push(Range { tip, hidden });
    }
    ranges
}

/// The ranges the pre-commit framework describes in its environment when it runs a pre-push
/// hook (it reads git's stdin itself): `PRE_COMMIT_TO_REF` (formerly `PRE_COMMIT_ORIGIN`) is
/// being pushed, `PRE_COMMIT_FROM_REF` (formerly `PRE_COMMIT_SOURCE`) is what the remote has.
pub fn pre_commit_framework_ranges(
    repo: &gix::Repository,
    errors: &mut Vec<ScanError>,
) -> Option<Vec<Range>> {
    let var = |a: &str, b: &str| {
        std::env::var(a)
            .ok()
            .or_else(|| std::env::var(b).ok())
            .filter(|v| !v.is_empty())
    };
    let to = var("PRE_COMMIT_TO_REF", "PRE_COMMIT_ORIGIN")?;
    let from = var("PRE_COMMIT_FROM_REF", "PRE_COMMIT_SOURCE");
    let resolve = |rev: &str| git::resolve_commit(repo, rev).ok();
    let tip = resolve(&to)?;
    let hidden = match from.as_deref().and_then(resolve) {
        Some(id) => vec![id],
        None => git::remote_tips(repo, errors),
    };
    Some(vec![Range { tip, hidden }])
}

/// What `hygiene hook pre-push` scans, from whichever description of the push is at hand.
pub enum PushInput {
    /// git's stdin lines.
    Lines(Vec<PushLine>),
    /// Nothing on stdin: use the pre-commit framework's variables if set, else (when run by
    /// hand) `HEAD` against every remote-tracking ref.
    Nothing { interactive: bool },
}

/// Runs the pre-push check in the repository containing `path`.
///
/// `make_engine` is called only when there are commits to scan, so pushing a deletion (or
/// nothing new) does not pay for compiling the rules.
pub fn pre_push(
    path: &Path,
    input: PushInput,
    make_engine: impl FnOnce() -> Result<Engine, Error>,
    options: &GitOptions,
) -> Result<Outcome, Error> {
    let ts_repo = git::open_from_env(path)?;
    let repo = ts_repo.to_thread_local();
    let mut errors = Vec::new();
    let ranges = match input {
        PushInput::Lines(lines) => push_ranges(&repo, &lines, &mut errors),
        PushInput::Nothing { interactive } => {
            match pre_commit_framework_ranges(&repo, &mut errors) {
                Some(r) => r,
                None if interactive => match git::head_commit(&repo)? {
                    Some(tip) => vec![Range {
                        tip,
                        hidden: git::remote_tips(&repo, &mut errors),
                    }],
                    None => Vec::new(),
                },
                None => Vec::new(),
            }
        }
    };
    let mut outcome = if ranges.is_empty() {
        Outcome::default()
    } else {
        let engine = make_engine()?;
        git::scan_commits(&ts_repo, &Selection::Ranges(ranges), &engine, options)?
    };
    outcome.errors.extend(errors);
    outcome.sort();
    Ok(outcome)
}

/// Runs the pre-commit check (staged changes) in the repository containing `path`.
pub fn pre_commit(path: &Path, engine: &Engine, options: &GitOptions) -> Result<Outcome, Error> {
    git::scan_staged_at(path, engine, options)
}

/// The one line a hook prints when it lets a commit or push through.
pub fn clean_summary(kind: HookKind, outcome: &Outcome) -> String {
    let s = &outcome.stats;
    let files = if s.files_scanned == 1 {
        "file"
    } else {
        "files"
    };
    match kind {
        HookKind::PreCommit => format!(
            "staged changes checked ({} {files}): no secrets found",
            s.files_scanned
        ),
        HookKind::PrePush => {
            let commits = if s.commits_scanned == 1 {
                "commit"
            } else {
                "commits"
            };
            format!(
                "{} new {commits} checked ({} {files}): no secrets found",
                s.commits_scanned, s.files_scanned
            )
        }
    }
}

/// The advice printed under a report when a hook blocks: how to allow a false positive.
pub fn blocked_advice(kind: HookKind, outcome: &Outcome) -> String {
    let mut s = String::new();
    let n = outcome.findings.len();
    let (what, fix) = match kind {
        HookKind::PreCommit => (
            "commit blocked",
            "remove the secret from the staged files (and rotate it if it was ever shared), \
             then `git add` them again",
        ),
        HookKind::PrePush => (
            "push blocked",
            "remove the secret from the commits above (`git rebase -i`, or amend the last \
             commit) and rotate it: anyone who fetched it has it",
        ),
    };
    if n > 0 {
        let word = if n == 1 { "secret" } else { "secrets" };
        s.push_str(&format!("hygiene: {what}: {n} {word} found.\n"));
        s.push_str(&format!("  To fix: {fix}.\n"));
        s.push_str(
            "  A false positive? Add a `hygiene:allow` comment on that line (in the commit that \
             adds it), or raise --fail-on / --min-confidence in the hook.\n",
        );
    } else {
        s.push_str(&format!(
            "hygiene: {what}: the scan did not complete (see the errors above).\n"
        ));
    }
    s.push_str(&format!(
        "  As a last resort, `{}` skips the check.\n",
        kind.skip()
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_push_lines() {
        let z = "0".repeat(40);
        let a = "a".repeat(40);
        let input =
            format!("refs/heads/main {a} refs/heads/main {z}\n\n(delete) {z} refs/heads/old {a}\n");
        let lines = parse_push_lines(&input).unwrap();
        assert_eq!(lines.len(), 2);
        assert!(is_zero(&lines[0].remote_sha));
        assert_eq!(lines[1].local_ref, "(delete)");
        assert!(parse_push_lines("just three words").is_err());
    }

    #[test]
    fn script_quotes_the_path_and_carries_the_marker() {
        let s = script(HookKind::PrePush, Path::new("/opt/it's/hygiene"));
        assert!(s.starts_with("#!/bin/sh\n"));
        assert!(s.contains(MARKER));
        assert!(s.contains(r"hygiene='/opt/it'\''s/hygiene'"));
        assert!(s.contains("exec \"$hygiene\" hook pre-push \"$@\""));
    }
}
