//! Git as a source of bytes: the whole history, a range of commits (`--since`, the pre-push
//! check) and the staged changes (`--staged`, the pre-commit check).
//!
//! Objects are read with `gix`, never by running `git` per commit. A history scan goes in four
//! steps:
//!
//! 1. **Commits.** Every commit reachable from any ref (and `HEAD`), or, for a range, those
//!    reachable from the tip but not from the hidden commits (gix's walk with hidden tips,
//!    which stops where the two histories meet instead of walking all of them). A full scan
//!    takes tree, parents and time from the commit-graph file when there is one.
//! 2. **Order.** Parents before children, oldest commit time first among the commits that are
//!    ready (Kahn's algorithm): "first" means the earliest commit in that order.
//! 3. **What each commit introduced**, in parallel: the blobs of its tree that differ from its
//!    parent's tree at the same path ([`tree::TreeDiff`] skips unchanged subtrees by id). A
//!    root commit (or one at a shallow boundary) introduces its whole tree. A merge introduces
//!    only blobs that differ from *every* parent (what a conflict resolution or an evil merge
//!    adds); the rest came with the merged branch and were introduced there. A blob that the
//!    parent had at another path (a rename) is not new content.
//! 4. **Scan**, in parallel: each blob once (deduplicated by id), attributed to the first
//!    commit and path that introduced it, decoded in delta-chain order so that each base is
//!    inflated once. The same secret (rule and value) found in several
//!    blobs is one finding: the earliest introduction.
//!
//! A range scan (pre-push, `--since`) also reports only findings on lines that the blob's
//! previous version at that path did not have, so a push is not blocked for an old secret that
//! sits elsewhere in a file it touches. Staged changes work the same way against `HEAD`.

mod changes;
mod lines;
pub mod pack;
pub mod staged;
pub mod tracked;
pub mod tree;

mod push;

pub use push::{parse_push_lines, push_ranges, PushInput, PushLine};

use super::Visitor;
use crate::error::Error;
use crate::finding::{CommitInfo, Finding};
use crate::outcome::{Outcome, ProblemKind, ScanError};
use crate::source::cache::{Cached, Key};
use gix::bstr::BString;
use gix::hashtable::HashSet;
use gix::objs::FindExt;
use gix::ObjectId;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap as StdHashMap};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tree::{Change, TreeDiff};

/// How far into a blob we look for a NUL byte to call it binary (as the walker does).
const BINARY_PROBE: usize = 8192;

/// Scan settings shared by every git mode.
#[derive(Debug, Clone)]
pub struct GitOptions {
    /// Blobs larger than this are skipped and counted.
    pub max_file_size: u64,
    /// Worker threads; 0 means one per CPU.
    pub threads: usize,
}

impl Default for GitOptions {
    fn default() -> Self {
        GitOptions {
            max_file_size: 10 << 20,
            threads: 0,
        }
    }
}

/// Which commits to scan.
#[derive(Debug, Clone)]
pub enum Selection {
    /// Every commit reachable from any ref or `HEAD`.
    All,
    /// The union of several ranges.
    Ranges(Vec<Range>),
}

/// The commits reachable from `tip` and from none of `hidden`.
#[derive(Debug, Clone)]
pub struct Range {
    pub tip: ObjectId,
    pub hidden: Vec<ObjectId>,
}

/// A git object that could not be read as the scan needs it: reported as an `unreadable`
/// problem, and the scan goes on without it.
#[derive(Debug, thiserror::Error)]
pub enum ObjectError {
    #[error("{what} {id} is missing")]
    Missing { what: &'static str, id: ObjectId },
    #[error("{id} is a {kind}, not a {expected}")]
    WrongKind {
        id: ObjectId,
        kind: gix::objs::Kind,
        expected: &'static str,
    },
    #[error("cannot read {what} {id}: {source}")]
    Read {
        what: &'static str,
        id: ObjectId,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("cannot decode {what} {id}: {reason}")]
    Corrupt {
        what: &'static str,
        id: String,
        reason: &'static str,
    },
}

/// Opens the repository containing `path` (searching upwards, as git does).
pub fn open(path: &Path) -> Result<gix::ThreadSafeRepository, Error> {
    gix::ThreadSafeRepository::discover(path).map_err(|e| not_a_repo(path, e))
}

/// Opens the repository as git's hooks see it: `GIT_DIR`, `GIT_INDEX_FILE` and friends, when
/// set, win over discovery from `path`. `git commit -a` runs the pre-commit hook with a
/// temporary index, and this is how we read it.
pub fn open_from_env(path: &Path) -> Result<gix::ThreadSafeRepository, Error> {
    gix::ThreadSafeRepository::discover_with_environment_overrides(path)
        .map_err(|e| not_a_repo(path, e))
}

fn not_a_repo(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::git(format!(
        "{} is not inside a git repository ({e}); --history, --since, --staged and the hooks \
         read git objects: give a path inside a repository",
        path.display()
    ))
}

/// Resolves a revision (`main`, `v1.2`, `HEAD~3`, a hash) to a commit id.
pub fn resolve_commit(repo: &gix::Repository, rev: &str) -> Result<ObjectId, Error> {
    let id = repo
        .rev_parse_single(rev)
        .map_err(|e| Error::git(format!("cannot resolve revision `{rev}`: {e}")))?;
    let commit = id
        .object()
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| Error::git(format!("`{rev}` does not name a commit: {e}")))?;
    Ok(commit.id)
}

/// `HEAD` as a commit id, or `None` on an unborn branch.
pub fn head_commit(repo: &gix::Repository) -> Result<Option<ObjectId>, Error> {
    let head = repo
        .head()
        .map_err(|e| Error::git(format!("cannot read HEAD: {e}")))?;
    Ok(head.id().map(|id| id.detach()))
}

/// The tips of every remote-tracking branch (`refs/remotes/*`): what the remotes already have.
pub fn remote_tips(repo: &gix::Repository, errors: &mut Vec<ScanError>) -> Vec<ObjectId> {
    let mut tips = Vec::new();
    let platform = match repo.references() {
        Ok(p) => p,
        Err(e) => {
            errors.push(ScanError::warning(
                None,
                ProblemKind::Git,
                format!("cannot list references: {e}"),
            ));
            return tips;
        }
    };
    let iter = match platform.remote_branches() {
        Ok(i) => i,
        Err(e) => {
            errors.push(ScanError::warning(
                None,
                ProblemKind::Git,
                format!("cannot list remote branches: {e}"),
            ));
            return tips;
        }
    };
    for r in iter {
        let Ok(mut r) = r else { continue };
        if let Ok(id) = r.peel_to_id() {
            tips.push(id.detach());
        }
    }
    tips
}

/// Every ref (and `HEAD`) peeled to a commit: where a full history scan starts.
fn all_tips(repo: &gix::Repository, errors: &mut Vec<ScanError>) -> Result<Vec<ObjectId>, Error> {
    let platform = repo
        .references()
        .map_err(|e| Error::git(format!("cannot read references: {e}")))?;
    let iter = platform
        .all()
        .map_err(|e| Error::git(format!("cannot read references: {e}")))?;
    let mut tips = Vec::new();
    let mut consider =
        |name: String, id: Result<ObjectId, String>, errors: &mut Vec<ScanError>| match id {
            Ok(id) => match repo.find_header(id) {
                Ok(h) if h.kind() == gix::objs::Kind::Commit => tips.push(id),
                Ok(h) => errors.push(ScanError::warning(
                    Some(name),
                    ProblemKind::Git,
                    format!("points to a {}, not a commit; not scanned", h.kind()),
                )),
                Err(e) => errors.push(ScanError::error(
                    Some(name),
                    ProblemKind::Unreadable,
                    format!("points to {id}, which cannot be read: {e}"),
                )),
            },
            Err(e) => errors.push(ScanError::error(
                Some(name),
                ProblemKind::Unreadable,
                format!("cannot resolve reference: {e}"),
            )),
        };
    for r in iter {
        match r {
            Ok(mut r) => {
                let name = r.name().as_bstr().to_string();
                let id = r
                    .peel_to_id()
                    .map(|id| id.detach())
                    .map_err(|e| e.to_string());
                consider(name, id, errors);
            }
            Err(e) => errors.push(ScanError::error(
                None,
                ProblemKind::Unreadable,
                format!("cannot read a reference: {e}"),
            )),
        }
    }
    if let Some(id) = head_commit(repo)? {
        consider("HEAD".to_string(), Ok(id), errors);
    }
    tips.sort();
    tips.dedup();
    Ok(tips)
}

/// A commit as the scan needs it.
#[derive(Debug, Clone)]
struct Node {
    id: ObjectId,
    tree: ObjectId,
    /// Parents, minus those cut off by a shallow boundary. A boxed slice, not a `Vec`: one
    /// exact allocation (none for a root commit) where a `Vec` built by pushing kept room
    /// for four ids, 5 MiB over an 80,000-commit history.
    parents: Box<[ObjectId]>,
    /// Committer time, seconds since the epoch.
    time: i64,
}

fn read_node(
    objects: &impl gix::objs::Find,
    id: ObjectId,
    shallow: &HashSet<ObjectId>,
    buf: &mut Vec<u8>,
) -> Result<Node, ObjectError> {
    let commit = objects
        .find_commit(&id, buf)
        .map_err(|e| ObjectError::Read {
            what: "commit",
            id,
            source: e.into(),
        })?;
    let parents = if shallow.contains(&id) {
        Box::default()
    } else {
        commit.parents().collect()
    };
    Ok(Node {
        id,
        tree: commit.tree(),
        parents,
        time: commit.committer().map(|s| s.seconds()).unwrap_or(0),
    })
}

/// `id` as the commit-graph file (`git commit-graph write`, written by `git gc` and by
/// default on fetch) describes it: tree, parents and committer time without inflating and
/// parsing the commit object, which was most of the time spent collecting the commits of a
/// long history. `None` when the commit is not in the file or its entry does not hold
/// together (the caller then reads the commit itself).
fn graph_node(
    graph: &gix::commitgraph::Graph,
    id: ObjectId,
    shallow: &HashSet<ObjectId>,
) -> Option<Node> {
    let commit = graph.commit_by_id(id)?;
    let mut parents = Vec::new();
    if !shallow.contains(&id) {
        for p in commit.iter_parents() {
            let p = p.ok()?;
            // `id_at` panics out of bounds; a corrupt file must not.
            if p.0 >= graph.num_commits() {
                return None;
            }
            parents.push(graph.id_at(p).to_owned());
        }
    }
    let parents = parents.into_boxed_slice();
    Some(Node {
        id,
        tree: commit.root_tree_id().to_owned(),
        parents,
        time: i64::try_from(commit.committer_timestamp()).unwrap_or(i64::MAX),
    })
}

fn shallow_set(repo: &gix::Repository, errors: &mut Vec<ScanError>) -> HashSet<ObjectId> {
    match repo.shallow_commits() {
        Ok(Some(commits)) => commits.iter().copied().collect(),
        Ok(None) => HashSet::default(),
        Err(e) => {
            errors.push(ScanError::warning(
                None,
                ProblemKind::Shallow,
                format!("cannot read the shallow file: {e}"),
            ));
            HashSet::default()
        }
    }
}

/// Every commit reachable from `tips`, depth first, stopping at shallow boundaries.
fn collect_all(
    repo: &gix::Repository,
    tips: Vec<ObjectId>,
    shallow: &HashSet<ObjectId>,
    errors: &mut Vec<ScanError>,
) -> Vec<Node> {
    let mut stack = tips;
    let mut seen: HashSet<ObjectId> = HashSet::default();
    let mut nodes = Vec::new();
    let mut buf = Vec::new();
    // Unreadable or disabled: every commit is read from the object database instead.
    let graph = repo.commit_graph_if_enabled().ok().flatten();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let node = match graph.as_ref().and_then(|g| graph_node(g, id, shallow)) {
            Some(node) => Ok(node),
            None => read_node(&repo.objects, id, shallow, &mut buf),
        };
        match node {
            Ok(node) => {
                stack.extend(node.parents.iter().filter(|p| !seen.contains(*p)));
                nodes.push(node);
            }
            Err(e) => errors.push(ScanError::error(
                None,
                ProblemKind::Unreadable,
                format!("{e}; the history behind it is not scanned"),
            )),
        }
    }
    nodes
}

/// The commits of several ranges (deduplicated).
fn collect_ranges(
    repo: &gix::Repository,
    ranges: &[Range],
    shallow: &HashSet<ObjectId>,
    errors: &mut Vec<ScanError>,
) -> Vec<Node> {
    let mut seen: HashSet<ObjectId> = HashSet::default();
    let mut nodes = Vec::new();
    let mut buf = Vec::new();
    for range in ranges {
        // A hidden commit we do not have cannot be walked; what it hides is unknown to us
        // anyway (a remote ref fetched by someone else, say).
        let hidden: Vec<ObjectId> = range
            .hidden
            .iter()
            .copied()
            .filter(|h| repo.has_object(h))
            .collect();
        let walk = match repo.rev_walk([range.tip]).with_hidden(hidden).all() {
            Ok(w) => w,
            Err(e) => {
                errors.push(ScanError::error(
                    None,
                    ProblemKind::Unreadable,
                    format!("cannot walk the commits of {}: {e}", range.tip),
                ));
                continue;
            }
        };
        for info in walk {
            let id = match info {
                Ok(info) => info.id,
                Err(e) => {
                    errors.push(ScanError::error(
                        None,
                        ProblemKind::Unreadable,
                        format!("cannot walk the commits of {}: {e}", range.tip),
                    ));
                    break;
                }
            };
            if !seen.insert(id) {
                continue;
            }
            match read_node(&repo.objects, id, shallow, &mut buf) {
                Ok(node) => nodes.push(node),
                Err(e) => errors.push(ScanError::error(
                    None,
                    ProblemKind::Unreadable,
                    e.to_string(),
                )),
            }
        }
    }
    nodes
}

/// Parents before children; among commits whose parents are all placed, the oldest first.
///
/// Real commits cannot form a cycle (a commit's id hashes its parents' ids), but a damaged or
/// hostile object store can name an object by an id that is not its hash, and a commit can
/// then be its own parent or ancestor. Left as it is, such a commit introduces nothing (its
/// tree is its parent's) and hides what it holds. So when no commit is ready but some are
/// left, the oldest of them loses its links to unplaced parents, and is diffed against the
/// rest (against nothing, if none): its content is scanned, and its id is returned to be
/// reported.
fn topo_sort(mut nodes: Vec<Node>) -> (Vec<Node>, Vec<ObjectId>) {
    let index: StdHashMap<ObjectId, usize> =
        nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
    let parents_of = |n: &Node| -> Vec<usize> {
        let mut ps: Vec<usize> = n
            .parents
            .iter()
            .filter_map(|p| index.get(p).copied())
            .collect();
        ps.sort_unstable();
        ps.dedup();
        ps
    };
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    let mut pending = vec![0usize; nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        let ps = parents_of(n);
        pending[i] = ps.len();
        for p in ps {
            children[p].push(i);
        }
    }
    let mut ready: BinaryHeap<Reverse<(i64, ObjectId, usize)>> = nodes
        .iter()
        .enumerate()
        .filter(|(i, _)| pending[*i] == 0)
        .map(|(i, n)| Reverse((n.time, n.id, i)))
        .collect();
    let mut order = Vec::with_capacity(nodes.len());
    let mut placed = vec![false; nodes.len()];
    let mut cut = Vec::new();
    loop {
        while let Some(Reverse((_, _, i))) = ready.pop() {
            order.push(i);
            placed[i] = true;
            for &c in &children[i] {
                pending[c] -= 1;
                if pending[c] == 0 {
                    ready.push(Reverse((nodes[c].time, nodes[c].id, c)));
                }
            }
        }
        if order.len() == nodes.len() {
            break;
        }
        // A cycle: free the oldest unplaced commit from its unplaced parents.
        let Some(i) = (0..nodes.len())
            .filter(|&i| !placed[i])
            .min_by_key(|&i| (nodes[i].time, nodes[i].id))
        else {
            break;
        };
        let keep: Box<[ObjectId]> = nodes[i]
            .parents
            .iter()
            .filter(|p| index.get(*p).is_none_or(|&j| placed[j]))
            .copied()
            .collect();
        for j in parents_of(&nodes[i]) {
            if !placed[j] {
                children[j].retain(|&c| c != i);
            }
        }
        nodes[i].parents = keep;
        pending[i] = 0;
        cut.push(nodes[i].id);
        ready.push(Reverse((nodes[i].time, nodes[i].id, i)));
    }
    let mut slots: Vec<Option<Node>> = nodes.into_iter().map(Some).collect();
    let sorted = order.into_iter().filter_map(|i| slots[i].take()).collect();
    (sorted, cut)
}

/// How many items each thread takes at a time: about `per_thread` runs per thread, at least
/// `min`. A run starts with a cold object cache (the first trees or blobs of a run rebuild
/// their delta chains from the base), so short runs handed out alternately cost CPU: with 64
/// commits a run, tree diffing took half as much CPU again on two threads as on one. A few
/// dozen runs per thread still balance the load when one thread is slowed down.
fn chunk_size(len: usize, threads: usize, per_thread: usize, min: usize) -> usize {
    (len / (thread_count(threads) * per_thread).max(1)).max(min)
}

fn thread_count(threads: usize) -> usize {
    if threads > 0 {
        threads
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

/// Runs `work` over `0..len` in chunks on up to `threads` threads, each with its own
/// thread-local repository handle and state, and returns every thread's final state.
fn parallel<S: Send>(
    repo: &gix::ThreadSafeRepository,
    threads: usize,
    len: usize,
    chunk: usize,
    init: impl Fn(gix::Repository) -> S + Sync,
    work: impl Fn(&mut S, usize) + Sync,
) -> Vec<S> {
    let threads = thread_count(threads).min(len.div_ceil(chunk)).max(1);
    let next = AtomicUsize::new(0);
    let run = || {
        let mut state = init(repo.to_thread_local());
        loop {
            let start = next.fetch_add(chunk, Ordering::Relaxed);
            if start >= len {
                break;
            }
            for i in start..(start + chunk).min(len) {
                work(&mut state, i);
            }
        }
        state
    };
    if threads == 1 {
        return vec![run()];
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(run)).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// `path`, shared with the earlier jobs at the same path (copied only the first time the path
/// is met).
fn intern(paths: &mut std::collections::HashSet<Arc<[u8]>>, path: &[u8]) -> Arc<[u8]> {
    if let Some(p) = paths.get(path) {
        return p.clone();
    }
    let p: Arc<[u8]> = Arc::from(path);
    paths.insert(p.clone());
    p
}

/// One blob to scan.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub blob: ObjectId,
    /// Shared between the jobs of one path (see [`intern`]).
    pub path: Arc<[u8]>,
    /// The blob at the same path before the change, for the added-lines filter.
    pub old: Option<ObjectId>,
    /// Index of the introducing commit in the scan's commit order.
    pub commit: Option<usize>,
}

/// What a thread found while scanning blobs.
struct ScanState {
    reader: pack::Reader,
    old_buf: Vec<u8>,
    outcome: Outcome,
    found: Vec<(usize, Vec<Finding>)>,
}

/// Scans `jobs` in parallel. `added_only`: keep only findings on lines the old version lacked.
pub(crate) fn scan_jobs(
    repo: &gix::ThreadSafeRepository,
    packs: &pack::Packs,
    jobs: &[Job],
    commits: &[ObjectId],
    visitor: &dyn Visitor,
    options: &GitOptions,
    added_only: bool,
) -> (Outcome, Vec<(usize, Vec<Finding>)>) {
    // Decode order: by delta chain (see `Packs::chain_start`); objects outside the packs last,
    // and last of all those the scan cache answers, which are not decoded at all (finding a
    // chain's start reads pack entry headers: most of a warm run's time if done for them).
    let cache = visitor.scan_cache();
    let mut window = pack::Window::default();
    // Each job's cache key and the cache's answer, each found once and in parallel: a warm
    // run is mostly these lookups, each a SHA-256 and a cache miss in a table of megabytes.
    let (keys, answers): (Vec<Key>, Vec<Option<Cached>>) = match cache {
        Some(_) => {
            use rayon::prelude::*;
            jobs.par_iter()
                .with_min_len(1024)
                .map(|job| {
                    let path = String::from_utf8_lossy(&job.path);
                    let key = Key::blob(job.blob.as_bytes(), &path);
                    let answer = visitor.cache_for(&path).and_then(|c| c.get(&key, &path));
                    (key, answer)
                })
                .unzip()
        }
        None => (Vec::new(), Vec::new()),
    };
    let mut order: Vec<(usize, u64, usize, usize)> = jobs
        .iter()
        .enumerate()
        .map(|(i, job)| {
            if answers.get(i).is_some_and(Option::is_some) {
                return (usize::MAX, u64::MAX, 0, i);
            }
            let (p, start, depth) =
                packs
                    .chain_start(&job.blob, &mut window)
                    .unwrap_or((usize::MAX, 0, 0));
            (p, start, depth, i)
        })
        .collect();
    order.sort_unstable();
    let mut packs = packs.clone();
    packs.share_cache(thread_count(options.threads));
    let packs = &packs;
    let ctx = JobContext {
        commits,
        visitor,
        options,
        added_only,
        keys: &keys,
        answers: &answers,
    };
    let states = parallel(
        repo,
        options.threads,
        jobs.len(),
        chunk_size(jobs.len(), options.threads, 32, 16),
        |repo| ScanState {
            reader: pack::Reader::new(packs.clone(), &repo),
            old_buf: Vec::new(),
            outcome: Outcome::default(),
            found: Vec::new(),
        },
        |state, i| {
            let i = order[i].3;
            let findings = scan_job(state, i, &jobs[i], &ctx);
            if !findings.is_empty() {
                state.found.push((i, findings));
            }
        },
    );
    let mut outcome = Outcome::default();
    let mut found = Vec::new();
    for s in states {
        outcome.merge(s.outcome);
        found.extend(s.found);
    }
    found.sort_by_key(|(i, _)| *i);
    (outcome, found)
}

fn describe(job: &Job, commits: &[ObjectId]) -> String {
    match job.commit {
        Some(c) => format!("blob {} (introduced in commit {})", job.blob, commits[c]),
        None => format!("blob {}", job.blob),
    }
}

/// What every job of a scan shares.
struct JobContext<'a> {
    /// The scan's commits, in order (a job's `commit` indexes it).
    commits: &'a [ObjectId],
    visitor: &'a dyn Visitor,
    options: &'a GitOptions,
    /// Keep only findings on lines the blob's previous version lacked.
    added_only: bool,
    /// Each job's cache key (empty without a cache).
    keys: &'a [Key],
    /// What the cache answered for each job (empty without a cache).
    answers: &'a [Option<Cached>],
}

/// Runs the visitor on one blob, as the walker does on a file: the path first, then the
/// content (or, for a blob not read as text, [`Visitor::unread`]). Returns the blob's findings
/// (attributed and deduplicated by the caller); problems and packages go to the thread's
/// outcome.
fn scan_job(state: &mut ScanState, i: usize, job: &Job, ctx: &JobContext<'_>) -> Vec<Finding> {
    let path = String::from_utf8_lossy(&job.path).into_owned();
    let mut found = Outcome::default();
    ctx.visitor.path(&path, &mut found);
    if ctx.visitor.wants_content(&path) {
        read_job(state, i, job, &path, ctx, &mut found);
    }
    let findings = std::mem::take(&mut found.findings);
    state.outcome.merge(found);
    findings
}

/// Reads `job`'s blob and hands it to the visitor. With `added_only`, keeps only the
/// findings (path findings included) on lines the blob's previous version lacked.
fn read_job(
    state: &mut ScanState,
    i: usize,
    job: &Job,
    path: &str,
    ctx: &JobContext<'_>,
    out: &mut Outcome,
) {
    let JobContext {
        commits,
        visitor,
        options,
        added_only,
        keys,
        answers,
    } = *ctx;
    let too_large = |out: &mut Outcome, size: u64| {
        out.stats.skipped_large += 1;
        out.errors.push(ScanError::warning(
            Some(path.to_string()),
            ProblemKind::TooLarge,
            format!(
                "{}: {size} bytes, over the {} byte limit; not scanned (raise --max-file-size to scan it)",
                describe(job, commits),
                options.max_file_size
            ),
        ));
    };
    let unreadable = |out: &mut Outcome, e: String| {
        out.stats.skipped_unreadable += 1;
        out.errors.push(ScanError::error(
            Some(path.to_string()),
            ProblemKind::Unreadable,
            format!(
                "cannot read {}: {e} (run `git fsck`)",
                describe(job, commits)
            ),
        ));
    };
    // `--cache`: a blob known by id and path is not even decoded. A range scan keeps only
    // the findings on added lines, which takes both versions' bytes: a known blob with
    // findings and a previous version is read all the same.
    let mut pending = None;
    if let Some(cache) = visitor.cache_for(path) {
        let key = keys
            .get(i)
            .copied()
            .unwrap_or_else(|| Key::blob(job.blob.as_bytes(), path));
        let answer = match answers.get(i) {
            Some(answer) => answer.clone(),
            None => cache.get(&key, path),
        };
        match answer {
            Some(Cached::Text { findings, .. })
                if added_only && job.old.is_some() && !findings.is_empty() => {}
            Some(hit) => {
                out.stats.cache_hits += 1;
                match hit {
                    Cached::Binary => {
                        out.stats.skipped_binary += 1;
                        visitor.unread(path, out);
                    }
                    Cached::Text { size, findings, .. } => {
                        out.stats.files_scanned += 1;
                        out.stats.bytes_scanned += size;
                        out.findings.extend(findings);
                    }
                }
                return;
            }
            None => {}
        }
        out.stats.cache_misses += 1;
        pending = Some((cache, key));
    }
    // The size before reading where it is known without decoding (a whole pack entry, a
    // loose object); a delta's only after resolving it.
    match state.reader.cheap_size(&job.blob) {
        Ok(Some(size)) if size > options.max_file_size => {
            too_large(out, size);
            visitor.unread(path, out);
            return;
        }
        Ok(_) => {}
        Err(e) => {
            unreadable(out, e.to_string());
            return;
        }
    }
    let object = match state.reader.object(&job.blob) {
        Ok(Some((gix::objs::Kind::Blob, data))) => data,
        Ok(Some((kind, _))) => {
            unreadable(out, format!("it is a {kind}, not a blob"));
            return;
        }
        Ok(None) => {
            unreadable(out, "it is missing from the object database".to_string());
            return;
        }
        Err(e) => {
            unreadable(out, e.to_string());
            return;
        }
    };
    let data = object.as_slice();
    if data.len() as u64 > options.max_file_size {
        too_large(out, data.len() as u64);
        visitor.unread(path, out);
        return;
    }
    if memchr::memchr(0, &data[..data.len().min(BINARY_PROBE)]).is_some() {
        if let Some((cache, key)) = pending {
            cache.put_binary(key);
        }
        out.stats.skipped_binary += 1;
        visitor.unread(path, out);
        return;
    }
    out.stats.files_scanned += 1;
    out.stats.bytes_scanned += data.len() as u64;
    let before = out.findings.len();
    visitor.content(path, data, out);
    if let Some((cache, key)) = pending {
        // Before the added-lines filter: the cache holds what the blob holds.
        cache.put_text(key, data.len() as u64, None, &out.findings[before..]);
    }
    if added_only && !out.findings.is_empty() {
        if let Some(old) = job.old {
            match state.reader.find_blob(&old, &mut state.old_buf) {
                Ok(o) => lines::retain_added(&mut out.findings, o.data, data),
                Err(e) => out.errors.push(ScanError::warning(
                    Some(path.to_string()),
                    ProblemKind::Unreadable,
                    format!(
                        "cannot read the previous version {old}: {e}; every line counted as new"
                    ),
                )),
            }
        }
    }
}

/// The blobs `node` introduced, as described in the module documentation.
fn introduced(
    objects: &pack::Reader,
    node: &Node,
    trees: &StdHashMap<ObjectId, ObjectId>,
    shallow: &HashSet<ObjectId>,
    buf: &mut Vec<u8>,
    warnings: &mut Vec<String>,
) -> Result<Vec<Change>, ObjectError> {
    let mut differ = TreeDiff::new(objects);
    let mut parent_trees = Vec::with_capacity(node.parents.len());
    for p in &node.parents {
        match trees.get(p) {
            Some(t) => parent_trees.push(*t),
            // A parent outside the scanned set (a range's boundary) is still a base to diff
            // against. One that cannot be read is left out (the commit then introduces more,
            // never less) and reported.
            None => match read_node(objects, *p, shallow, buf) {
                Ok(parent) => parent_trees.push(parent.tree),
                Err(e) => warnings.push(format!("{e}; diffed against its other parents only")),
            },
        }
    }
    let Some((first, others)) = parent_trees.split_first() else {
        return Ok(differ.diff_unique(None, node.tree)?.changes);
    };
    // A merge keeps every path of its first diff: a change survives only where the other
    // parents' diffs have the same path and blob, which a diff keeping one path per blob
    // would not tell. The scan keeps each blob once all the same.
    let diff = match others.is_empty() {
        true => differ.diff_unique(Some(*first), node.tree)?,
        false => differ.diff(Some(*first), node.tree)?,
    };
    let removed: HashSet<ObjectId> = diff.removed.into_iter().collect();
    let mut changes: Vec<Change> = diff
        .changes
        .into_iter()
        .filter(|c| !removed.contains(&c.id))
        .collect();
    for other in others {
        if changes.is_empty() {
            break;
        }
        let d = differ.diff(Some(*other), node.tree)?;
        let new_here: std::collections::HashSet<(BString, ObjectId)> =
            d.changes.into_iter().map(|c| (c.path, c.id)).collect();
        let removed: HashSet<ObjectId> = d.removed.into_iter().collect();
        changes.retain(|c| !removed.contains(&c.id) && new_here.contains(&(c.path.clone(), c.id)));
    }
    Ok(changes)
}

/// Prints how long each phase took on stderr when `HYGIENE_TIMINGS` is set (for benchmarks).
struct Timings {
    on: bool,
    last: std::time::Instant,
}

impl Timings {
    fn new() -> Self {
        Timings {
            on: std::env::var_os("HYGIENE_TIMINGS").is_some(),
            last: std::time::Instant::now(),
        }
    }

    fn mark(&mut self, what: std::fmt::Arguments<'_>) {
        if self.on {
            let now = std::time::Instant::now();
            let cpu = process_cpu_ms();
            eprintln!(
                "hygiene: {:>8.1} ms wall {:>8.0} ms cpu so far {:>6} MiB peak  {what}",
                (now - self.last).as_secs_f64() * 1e3,
                cpu,
                peak_rss_mib()
            );
            self.last = now;
        }
    }
}

/// Peak resident memory of the process so far (`VmHWM` in `/proc/self/status`), in MiB;
/// `?` where there is no such file.
fn peak_rss_mib() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some((kib / 1024).to_string())
        })
        .unwrap_or_else(|| "?".to_string())
}

/// CPU time of the process so far (user + system, all threads), from `/proc` where there is
/// one: wall time means little on a loaded machine.
fn process_cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) * 10.0 // USER_HZ is 100 on Linux
}

/// Scans the commits of `selection`: see the module documentation.
pub fn scan_commits(
    ts_repo: &gix::ThreadSafeRepository,
    selection: &Selection,
    visitor: &dyn Visitor,
    options: &GitOptions,
) -> Result<Outcome, Error> {
    let mut timings = Timings::new();
    let repo = ts_repo.to_thread_local();
    let mut errors = Vec::new();
    let shallow = shallow_set(&repo, &mut errors);
    let nodes = match selection {
        Selection::All => {
            let tips = all_tips(&repo, &mut errors)?;
            collect_all(&repo, tips, &shallow, &mut errors)
        }
        Selection::Ranges(ranges) => collect_ranges(&repo, ranges, &shallow, &mut errors),
    };
    timings.mark(format_args!("{} commits collected", nodes.len()));
    let (nodes, cut) = topo_sort(nodes);
    for id in cut {
        errors.push(ScanError::error(
            None,
            ProblemKind::Unreadable,
            format!(
                "commit {id} is its own ancestor (a parent cycle: the object store is damaged \
                 or forged; run `git fsck`); it is scanned as if it had none of the parents in \
                 the cycle"
            ),
        ));
    }
    timings.mark(format_args!("sorted"));
    if nodes.iter().any(|n| shallow.contains(&n.id)) {
        errors.push(ScanError::warning(
            None,
            ProblemKind::Shallow,
            "shallow clone: history stops at the shallow boundary, and commits there are \
             treated as introducing their whole tree; fetch the full history \
             (`git fetch --unshallow`) to scan it all"
                .to_string(),
        ));
    }
    let trees: StdHashMap<ObjectId, ObjectId> = nodes.iter().map(|n| (n.id, n.tree)).collect();

    // What each commit introduced, in parallel. Consecutive commits go to the same thread so
    // a child's parent tree is often still in that thread's object cache.
    let mut packs = pack::Packs::open(&repo);
    packs.share_cache(thread_count(options.threads));
    let cache = visitor.scan_cache();
    struct DiffState {
        reader: pack::Reader,
        buf: Vec<u8>,
        /// What this thread's commits introduced, one after the other (each commit's
        /// changes together and in order), in one vector: a vector per commit cost an
        /// allocation and a slot per commit, and a second copy of every job while they were
        /// put in commit order.
        jobs: Vec<Job>,
        /// The commits whose trees could not be diffed.
        failed: Vec<(usize, ObjectError)>,
        /// The paths this thread has seen, shared by its jobs: a long history has many
        /// versions of each file, and all of them wait here until the scan.
        paths: std::collections::HashSet<Arc<[u8]>>,
        warnings: Vec<String>,
    }
    /// Commit `i`'s changes (path, blob, previous blob) as jobs, whether they came from the
    /// cache's record or a diff.
    fn push_jobs<'a>(
        s: &mut DiffState,
        i: usize,
        changes: impl Iterator<Item = (&'a [u8], ObjectId, Option<ObjectId>)>,
    ) {
        for (path, blob, old) in changes {
            s.jobs.push(Job {
                blob,
                path: intern(&mut s.paths, path),
                old,
                commit: Some(i),
            });
        }
    }
    let states = parallel(
        ts_repo,
        options.threads,
        nodes.len(),
        chunk_size(nodes.len(), options.threads, 16, 64),
        |repo| DiffState {
            reader: pack::Reader::new(packs.clone(), &repo),
            buf: Vec::new(),
            jobs: Vec::new(),
            failed: Vec::new(),
            paths: Default::default(),
            warnings: Vec::new(),
        },
        |s, i| {
            // Newest first: git packs store newer versions whole and older ones as deltas
            // against them, so decoding the newer tree first leaves the base of the next one
            // in the pack cache.
            let i = nodes.len() - 1 - i;
            let node = &nodes[i];
            let key = cache.map(|_| Key::commit(node.id.as_bytes(), shallow.contains(&node.id)));
            let known = match (cache, &key) {
                (Some(cache), Some(key)) => cache.record(key).and_then(changes::decode_borrowed),
                _ => None,
            };
            if let Some(changes) = known {
                push_jobs(s, i, changes.iter().map(|c| (c.path, c.id, c.old)));
                return;
            }
            if cache.is_some() {
                // A commit the cache has no record of: its new blobs will need the rules.
                visitor.expect_reads();
            }
            let warned = s.warnings.len();
            let r = introduced(
                &s.reader,
                node,
                &trees,
                &shallow,
                &mut s.buf,
                &mut s.warnings,
            );
            // Only a diff against every parent is the commit's answer for good.
            if let (Some(cache), Some(key), Ok(changes)) = (cache, key, &r) {
                if s.warnings.len() == warned {
                    cache.put_record(key, changes::encode(changes));
                }
            }
            match r {
                Ok(changes) => {
                    push_jobs(
                        s,
                        i,
                        changes.iter().map(|c| (c.path.as_slice(), c.id, c.old)),
                    );
                }
                Err(e) => s.failed.push((i, e)),
            }
        },
    );
    let mut jobs: Vec<Job> = Vec::new();
    let mut failed = Vec::new();
    for s in states {
        for w in s.warnings {
            errors.push(ScanError::error(None, ProblemKind::Unreadable, w));
        }
        failed.extend(s.failed);
        if jobs.is_empty() {
            jobs = s.jobs;
        } else {
            jobs.extend(s.jobs);
        }
    }
    failed.sort_by_key(|(i, _)| *i);
    for (i, e) in failed {
        errors.push(ScanError::error(
            None,
            ProblemKind::Unreadable,
            format!(
                "commit {}: {e}; what it introduced is not scanned",
                nodes[i].id
            ),
        ));
    }

    // First introduction of each blob, in commit order: the sort is stable, so the changes of
    // one commit keep their order, and the first of a blob's jobs is the one kept.
    jobs.sort_by_key(|j| j.commit);
    let mut seen: HashSet<ObjectId> = HashSet::default();
    jobs.retain(|j| seen.insert(j.blob));
    drop(seen);
    jobs.shrink_to_fit();
    timings.mark(format_args!("{} unique blobs introduced", jobs.len()));
    let ids: Vec<ObjectId> = nodes.iter().map(|n| n.id).collect();
    // The commits' trees and parents are not needed any more: free them before the scan,
    // where memory peaks.
    drop(trees);
    drop(nodes);
    crate::memory::release_free_heap();
    let added_only = matches!(selection, Selection::Ranges(_));
    let (mut outcome, found) =
        scan_jobs(ts_repo, &packs, &jobs, &ids, visitor, options, added_only);
    timings.mark(format_args!(
        "{} blobs scanned ({} bytes)",
        outcome.stats.files_scanned, outcome.stats.bytes_scanned
    ));
    outcome.errors.extend(errors);
    outcome.stats.commits_scanned = ids.len() as u64;

    // One finding per secret: the first job (in commit order) that has it.
    let mut first_job: StdHashMap<(String, String), usize> = StdHashMap::new();
    for (j, findings) in &found {
        for f in findings {
            first_job.entry(secret_key(f)).or_insert(*j);
        }
    }
    let mut infos: StdHashMap<usize, CommitInfo> = StdHashMap::new();
    let mut buf = Vec::new();
    for (j, findings) in found {
        for mut f in findings {
            if first_job.get(&secret_key(&f)) != Some(&j) {
                continue;
            }
            if let Some(ci) = jobs[j].commit {
                let info = infos
                    .entry(ci)
                    .or_insert_with(|| commit_info(&repo, ids[ci], &mut buf));
                f.commit = Some(info.clone());
            }
            outcome.findings.push(f);
        }
    }
    outcome.sort();
    Ok(outcome)
}

/// What makes two findings "the same secret": the rule and the value (or, for findings
/// without a value, the rule and the path). The value by its digest: a finding replayed from
/// the scan cache has no whole value, and must meet a freshly read one of the same secret.
fn secret_key(f: &Finding) -> (String, String) {
    let value = match &f.secret {
        Some(s) => s
            .digest()
            .iter()
            .fold(String::with_capacity(32), |mut out, b| {
                use std::fmt::Write;
                let _ = write!(out, "{b:02x}");
                out
            }),
        None => format!("\0{}", f.path),
    };
    (f.rule.id.clone(), value)
}

/// Id, author (`Name <email>`) and author date (RFC 3339) of a commit.
pub fn commit_info(repo: &gix::Repository, id: ObjectId, buf: &mut Vec<u8>) -> CommitInfo {
    let mut info = CommitInfo {
        id: id.to_string(),
        author: String::new(),
        date: String::new(),
    };
    if let Ok(commit) = repo.objects.find_commit(&id, buf) {
        if let Ok(author) = commit.author() {
            info.author = format!("{} <{}>", author.name, author.email);
            if let Ok(time) = author.time() {
                info.date = time
                    .format(gix::date::time::format::ISO8601_STRICT)
                    .unwrap_or_else(|_| time.seconds.to_string());
            }
        }
    }
    info
}

/// The range `--since REV` scans: the commits of `REV..HEAD` (none on an unborn branch).
pub fn since_ranges(repo: &gix::Repository, rev: &str) -> Result<Vec<Range>, Error> {
    let base = resolve_commit(repo, rev)?;
    Ok(match head_commit(repo)? {
        Some(tip) => vec![Range {
            tip,
            hidden: vec![base],
        }],
        None => Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(n: u8, parents: &[u8], time: i64) -> Node {
        let id = |b: u8| ObjectId::from_bytes_or_panic(&[b; 20]);
        Node {
            id: id(n),
            tree: id(n),
            parents: parents.iter().map(|&p| id(p)).collect(),
            time,
        }
    }

    #[test]
    fn topo_sort_puts_parents_first_even_with_skewed_clocks() {
        // 3's clock is behind its parent 2.
        let nodes = vec![
            node(3, &[2], 5),
            node(1, &[], 10),
            node(2, &[1], 20),
            node(4, &[1], 15),
        ];
        let (sorted, cut) = topo_sort(nodes);
        let order: Vec<u8> = sorted.iter().map(|n| n.id.as_bytes()[0]).collect();
        assert_eq!(order, vec![1, 4, 2, 3]);
        assert!(cut.is_empty());
    }

    #[test]
    fn topo_sort_breaks_parent_cycles_at_their_oldest_commit() {
        // 1 <- 2 <- 3 <- 2 (a cycle of 2 and 3), 4 a child of 3, 5 its own parent.
        let nodes = vec![
            node(4, &[3], 40),
            node(3, &[2], 30),
            node(2, &[1, 3], 20),
            node(1, &[], 10),
            node(5, &[5], 50),
        ];
        let (sorted, cut) = topo_sort(nodes);
        let order: Vec<u8> = sorted.iter().map(|n| n.id.as_bytes()[0]).collect();
        assert_eq!(order, vec![1, 2, 3, 4, 5]);
        let cut: Vec<u8> = cut.iter().map(|id| id.as_bytes()[0]).collect();
        assert_eq!(cut, vec![2, 5]);
        // 2 keeps its real parent 1; 5 has none left.
        assert_eq!(sorted[1].parents.len(), 1);
        assert!(sorted[4].parents.is_empty());
    }
}
