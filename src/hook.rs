//! Git hooks: `hygiene hook install|uninstall` writes and removes small shell scripts, and
//! `hygiene hook pre-commit|pre-push` is what those scripts run.
//!
//! * **pre-commit** scans the staged changes (added lines only: [`Source::Staged`]) and blocks
//!   the commit on a finding.
//! * **pre-push** reads git's `<local ref> <local sha> <remote ref> <remote sha>` lines on
//!   stdin and scans only the commits the remote does not have yet ([`Source::Push`]; the
//!   ranges are worked out in [`crate::source::git::PushInput`]). On a finding it prints what
//!   and where, how to allow a false positive, and blocks the push.
//!
//! Both are ordinary scans through [`crate::scan::run`]: configuration, allowlists, baseline
//! and every check apply as in `hygiene scan`. What they print is rendered by
//! [`crate::report::hook`].
//!
//! A script we write carries [`MARKER`]; `uninstall` removes only files that carry it, and
//! `install` never replaces someone else's hook without `--force` (which keeps it as
//! `<hook>.bak`, restored by `uninstall`).

use crate::error::{Error, ErrorKind};
use crate::scan::{ScanRequest, Source};
use crate::source::git::{self, PushInput};
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

    /// How to get past the hook once.
    pub fn skip(self) -> &'static str {
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
        .map_err(|e| Error::with_source(ErrorKind::Git, "cannot read core.hooksPath", e))?;
    Ok(match configured {
        Some(p) if p.is_absolute() => p,
        Some(p) => repo.workdir().unwrap_or(repo.git_dir()).join(p),
        None => repo.common_dir().join("hooks"),
    })
}

/// Where `core.hooksPath` was set, when it was set outside this repository's own
/// configuration (the user's `~/.gitconfig`, the system's, the environment): hooks written
/// there run for every repository that shares the setting. `None` when it is unset or local.
fn shared_hooks_path_source(repo: &gix::Repository) -> Option<gix::config::Source> {
    let config = repo.config_snapshot();
    let mut source = None;
    for section in config.plumbing().sections_by_name("core")? {
        if section.value("hooksPath").is_some() {
            source = Some(section.meta().source);
        }
    }
    source.filter(|s| {
        !matches!(
            s,
            gix::config::Source::Local | gix::config::Source::Worktree
        )
    })
}

/// How a configuration source is called in messages.
fn source_name(source: gix::config::Source) -> &'static str {
    use gix::config::Source;
    match source {
        Source::User => "user (global, ~/.gitconfig)",
        Source::Git => "git (XDG, ~/.config/git/config)",
        Source::System => "system",
        Source::GitInstallation => "git installation's",
        Source::Env | Source::EnvOverride => "environment's",
        Source::Cli | Source::Api => "command line's",
        Source::Local | Source::Worktree => "repository's",
    }
}

/// Whether a hook file is in the way: anything at its path, a symbolic link (even a dangling
/// one, which `Path::exists` does not see) included.
fn occupied(hook: &Path) -> bool {
    std::fs::symlink_metadata(hook).is_ok()
}

/// Whether the hook at `hook` is a script hygiene wrote: a regular file (never a link, whose
/// target may be anywhere) holding the marker.
fn is_our_file(hook: &Path) -> bool {
    std::fs::symlink_metadata(hook).is_ok_and(|m| m.file_type().is_file()) && is_ours(hook)
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
    Error::io(what, path, e)
}

/// Installs the hooks of `kinds` into the repository containing `path`. Returns one line per
/// hook saying what was done.
pub fn install(path: &Path, kinds: &[HookKind], force: bool) -> Result<Vec<String>, Error> {
    let repo = git::open_from_env(path)?.to_thread_local();
    let dir = hooks_dir(&repo)?;
    let exe = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .unwrap_or_else(|_| PathBuf::from("hygiene"));
    if let (Some(source), false) = (shared_hooks_path_source(&repo), force) {
        return Err(Error::usage(format!(
            "core.hooksPath is set in the {} git configuration to {}: hooks installed there run \
             for every repository that uses that setting, not only this one. Install there \
             anyway with --force, or set a hooks path for this repository only (`git config \
             core.hooksPath .git/hooks`) and run `hygiene hook install` again",
            source_name(source),
            dir.display()
        )));
    }
    // Check every hook first so a refusal leaves nothing half-installed.
    for kind in kinds {
        let hook = dir.join(kind.name());
        if occupied(&hook) && !is_our_file(&hook) && !force {
            let what = match std::fs::symlink_metadata(&hook) {
                Ok(m) if m.file_type().is_symlink() => {
                    "is a symbolic link (hygiene never writes \
                                                        through one)"
                }
                _ => "already exists and was not installed by hygiene",
            };
            return Err(Error::usage(format!(
                "{} {what}; not replacing it. Use --force to replace it (it is kept as {}.bak), \
                 or call `hygiene hook {}` from it",
                hook.display(),
                kind.name(),
                kind.name()
            )));
        }
    }
    std::fs::create_dir_all(&dir).map_err(|e| io_err("create", &dir, e))?;
    let mut done = Vec::new();
    if let Some(source) = shared_hooks_path_source(&repo) {
        done.push(format!(
            "note: {} is the hooks directory of the {} git configuration: these hooks run for \
             every repository that uses it",
            dir.display(),
            source_name(source)
        ));
    }
    for &kind in kinds {
        let hook = dir.join(kind.name());
        let mut note = String::new();
        if occupied(&hook) && !is_our_file(&hook) {
            // A link is moved aside as a link: its target is never written.
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

/// The scan a hook runs, in the repository git runs it in (the working directory): the staged
/// changes for pre-commit; for pre-push, the commits described on standard input.
pub fn request(kind: HookKind, base: ScanRequest) -> Result<ScanRequest, Error> {
    let source = match kind {
        HookKind::PreCommit => Source::Staged,
        HookKind::PrePush => Source::Push(PushInput::from_stdin()?),
    };
    Ok(ScanRequest {
        root: PathBuf::from("."),
        source,
        ..base
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_quotes_the_path_and_carries_the_marker() {
        let s = script(HookKind::PrePush, Path::new("/opt/it's/hygiene"));
        assert!(s.starts_with("#!/bin/sh\n"));
        assert!(s.contains(MARKER));
        assert!(s.contains(r"hygiene='/opt/it'\''s/hygiene'"));
        assert!(s.contains("exec \"$hygiene\" hook pre-push \"$@\""));
    }
}
