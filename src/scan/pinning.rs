//! The pinning checks' glue for working-tree scans (the rules are in
//! [`crate::deps::pinning`]): requirements files are judged line by line as the walk reads
//! them; manifests and the lockfiles beside them are collected during the walk and judged once
//! it is over, since only then is it known which lockfiles the walk saw. A lockfile the walk did
//! not see but that exists on disk was skipped by an ignore rule: when the repository's
//! `.gitignore` files (or `.git/info/exclude`) ignore it, it is never committed, and that is the
//! finding.
//!
//! They run with the lockfiles, on the working tree only, and not with `--no-deps`: pinning is
//! a dependency practice, and a history or a change has no "beside it" to look at.

use crate::deps::lockfile::{self, Format};
use crate::deps::pinning::{self, name_of, Manifest};
use crate::finding::Finding;
use crate::outcome::Outcome;
use crate::practice;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// What the walk told the pinning checks; shared by the walker's threads (they lock it only
/// for manifests and lockfiles, a handful of files in a tree).
#[derive(Default)]
pub struct Collector {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Lockfiles, gemspecs and Rust binary sources the walk saw.
    seen: BTreeSet<String>,
    /// Manifests that need a lockfile, by their text.
    manifests: Vec<(String, Manifest)>,
}

fn is_requirements(rel: &str) -> bool {
    lockfile::detect(Path::new(rel)) == Some(Format::Requirements)
}

impl Collector {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves plain sets behind: still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every file the walk meets, before it is read (binary lockfiles such as `bun.lockb`
    /// count too).
    pub fn path(&self, rel: &str) {
        if pinning::is_evidence(rel) {
            self.state().seen.insert(rel.to_string());
        }
    }

    /// Whether the checks need the file's text: a manifest or a requirements file.
    pub fn wants_content(rel: &str) -> bool {
        pinning::manifest_kind(name_of(rel)).is_some() || is_requirements(rel)
    }

    pub fn content(&self, rel: &str, content: &[u8], out: &mut Outcome) {
        if let Some(kind) = pinning::manifest_kind(name_of(rel)) {
            let text = String::from_utf8_lossy(content);
            if let Some(m) = pinning::assess(kind, &text) {
                self.state().manifests.push((rel.to_string(), m));
            }
        } else if is_requirements(rel) {
            let text = String::from_utf8_lossy(content);
            for u in pinning::unpinned_requirements(&text) {
                let message = format!("`{}` does not pin one version: {}", u.requirement, u.reason);
                out.findings.extend(practice::finding(
                    "unpinned-requirement",
                    rel,
                    u.line,
                    message,
                    &[&u.name],
                ));
            }
        }
    }

    /// After the walk: the manifests without a lockfile, and the lockfiles git ignores.
    /// `root` is the scan root; a root that is a file has no "beside it" and is left alone.
    pub fn finish(&self, root: &Path, out: &mut Outcome) {
        if !root.is_dir() {
            return;
        }
        let state = std::mem::take(&mut *self.state());
        let mut manifests = state.manifests;
        manifests.sort_by(|a, b| a.0.cmp(&b.0));
        let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        for missing in pinning::missing_lockfiles(&manifests, &state.seen) {
            let on_disk: Vec<&String> = missing
                .candidates
                .iter()
                .filter(|c| canonical.join(c).symlink_metadata().is_ok())
                .collect();
            if on_disk.is_empty() {
                let expected: Vec<&str> = missing.candidates.iter().map(|c| name_of(c)).collect();
                let message = format!(
                    "{} ({}) has no lockfile beside it (expected {}): every install resolves \
                     its version ranges afresh",
                    missing.manifest,
                    missing.tool,
                    expected.join(", ")
                );
                out.findings.extend(
                    practice::finding(
                        "manifest-without-lockfile",
                        &missing.manifest,
                        1,
                        message,
                        &[],
                    )
                    .map(Finding::for_whole_file),
                );
                continue;
            }
            // There, but the walk skipped it: git-ignored, or hidden by an `.ignore` file (a
            // committed lockfile: fine), or not a regular file.
            for lock in on_disk {
                let Some(by) = ignored_by(&canonical, lock) else {
                    continue;
                };
                let message = format!(
                    "{lock}, the lockfile of {}, is ignored by git (`{}` in {}): it is never \
                     committed, so every other checkout resolves versions afresh",
                    missing.manifest, by.pattern, by.file_display
                );
                // At the ignoring pattern's line where the ignore file is inside the root;
                // else about the lockfile as a whole.
                let (path, line, whole_file) = match &by.file_rel {
                    Some(rel) => (rel.as_str(), by.line, false),
                    None => (lock.as_str(), 1, true),
                };
                out.findings.extend(
                    practice::finding("lockfile-gitignored", path, line, message, &[lock])
                        .map(|f| Finding { whole_file, ..f }),
                );
            }
        }
    }
}

/// The ignore rule that hides a file from git.
struct IgnoredBy {
    pattern: String,
    /// The ignore file as shown in the message.
    file_display: String,
    /// The ignore file relative to the scan root, when it is inside it.
    file_rel: Option<String>,
    /// 1-based line of the pattern in it (1 when not found).
    line: usize,
}

/// Whether git ignores `rel` (root-relative) under `root` (canonical): the `.gitignore` files
/// from its directory up to the repository's top (or the scan root outside a repository), the
/// deepest that has a say decides, then `.git/info/exclude`. The global excludes file is not
/// read, as the walk does not read it either.
fn ignored_by(root: &Path, rel: &str) -> Option<IgnoredBy> {
    let path = root.join(rel);
    let top = root
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf);
    let mut dirs: Vec<PathBuf> = path
        .ancestors()
        .skip(1)
        .take_while(|d| match &top {
            Some(t) => d.starts_with(t),
            None => d.starts_with(root),
        })
        .map(Path::to_path_buf)
        .collect();
    let mut files: Vec<(PathBuf, PathBuf)> =
        dirs.drain(..).map(|d| (d.join(".gitignore"), d)).collect();
    if let Some(t) = &top {
        files.push((t.join(".git/info/exclude"), t.clone()));
    }
    for (file, dir) in files {
        if !file.is_file() {
            continue;
        }
        let mut builder = GitignoreBuilder::new(&dir);
        // A bad line is reported by `add` but the others are kept, as git keeps them.
        let _ = builder.add(&file);
        let Ok(gitignore): Result<Gitignore, _> = builder.build() else {
            continue;
        };
        match gitignore.matched_path_or_any_parents(&path, false) {
            Match::None => continue,
            Match::Whitelist(_) => return None,
            Match::Ignore(glob) => {
                let pattern = glob.original().to_string();
                let line = std::fs::read_to_string(&file)
                    .ok()
                    .and_then(|t| t.lines().position(|l| l.trim() == pattern))
                    .map_or(1, |i| i + 1);
                let file_rel = file
                    .strip_prefix(root)
                    .ok()
                    .map(|r| r.to_string_lossy().replace('\\', "/"));
                let file_display = file_rel
                    .clone()
                    .unwrap_or_else(|| file.display().to_string());
                return Some(IgnoredBy {
                    pattern,
                    file_display,
                    file_rel,
                    line,
                });
            }
        }
    }
    None
}
