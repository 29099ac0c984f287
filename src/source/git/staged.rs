//! Staged changes: what `git commit` would record, compared to `HEAD`.
//!
//! Every index entry (stage 0, regular or executable file) whose blob differs from `HEAD`'s at
//! the same path is scanned, and only findings on lines the `HEAD` version lacks are kept, so a
//! commit is not blocked for an old secret elsewhere in a file it touches. A blob that `HEAD`
//! already has at another path (a rename or copy) is not new content. On an unborn branch,
//! everything staged is new.

use super::tree::TreeDiff;
use super::{scan_jobs, GitOptions, Job};
use crate::error::{Error, ErrorKind};
use crate::outcome::Outcome;
use crate::source::Visitor;
use gix::bstr::BString;
use gix::hashtable::HashSet;
use gix::index::entry::{Mode, Stage};
use gix::ObjectId;
use std::collections::HashMap;

/// Scans the index of `repo` against `HEAD`.
pub fn scan_staged(
    ts_repo: &gix::ThreadSafeRepository,
    visitor: &dyn Visitor,
    options: &GitOptions,
) -> Result<Outcome, Error> {
    let repo = ts_repo.to_thread_local();
    let index = repo
        .index_or_empty()
        .map_err(|e| Error::git(format!("cannot read the index: {e}")))?;
    let head_tree = match super::head_commit(&repo)? {
        Some(id) => Some(
            repo.find_commit(id)
                .and_then(|c| c.tree_id())
                .map_err(|e| Error::git(format!("cannot read HEAD's tree: {e}")))?
                .detach(),
        ),
        None => None,
    };
    let mut head: HashMap<BString, ObjectId> = HashMap::new();
    let mut head_blobs: HashSet<ObjectId> = HashSet::default();
    let packs = super::pack::Packs::open(&repo);
    if let Some(tree) = head_tree {
        let reader = super::pack::Reader::new(packs.clone(), &repo);
        let listing = TreeDiff::new(&reader)
            .diff(None, tree)
            .map_err(|e| Error::with_source(ErrorKind::Git, "cannot read HEAD's tree", e))?;
        for c in listing.changes {
            head_blobs.insert(c.id);
            head.insert(c.path, c.id);
        }
    }
    let mut jobs = Vec::new();
    for entry in index.entries() {
        if entry.stage() != Stage::Unconflicted
            || !(entry.mode == Mode::FILE || entry.mode == Mode::FILE_EXECUTABLE)
        {
            continue;
        }
        let path = entry.path(&index);
        let old = head.get(path).copied();
        if old == Some(entry.id) || (old.is_none() && head_blobs.contains(&entry.id)) {
            continue;
        }
        jobs.push(Job {
            blob: entry.id,
            path: std::sync::Arc::from(AsRef::<[u8]>::as_ref(path)),
            old,
            commit: None,
        });
    }
    let (mut outcome, found) = scan_jobs(ts_repo, &packs, &jobs, &[], visitor, options, true);
    outcome
        .findings
        .extend(found.into_iter().flat_map(|(_, f)| f));
    outcome.sort();
    Ok(outcome)
}
