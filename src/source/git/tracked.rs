//! Which working-tree files git tracks.
//!
//! A check about the files on disk rather than their content (such as
//! `secret-file-permissions`) needs to know whether git carries a file: git records no read
//! bits, so what holds for a tracked file's mode here says nothing about any other checkout.

use gix::bstr::BStr;
use std::collections::HashSet;
use std::path::{Component, Path};

/// The `candidates` (paths relative to `root`, with `/` separators) that the index of the
/// repository containing `root` tracks. Empty when `root` is in no repository, in a bare one,
/// or the index cannot be read: then nothing is known to be tracked.
pub fn tracked(root: &Path, candidates: &[&str]) -> HashSet<String> {
    let mut out = HashSet::new();
    if candidates.is_empty() {
        return out;
    }
    let root_is_file = std::fs::metadata(root).is_ok_and(|m| m.is_file());
    let dir = match root.parent() {
        Some(p) if root_is_file && p.as_os_str().is_empty() => Path::new("."),
        Some(p) if root_is_file => p,
        _ => root,
    };
    let Ok(repo) = gix::discover(dir) else {
        return out;
    };
    let (Some(workdir), Ok(dir)) = (repo.workdir(), dir.canonicalize()) else {
        return out;
    };
    let Ok(workdir) = workdir.canonicalize() else {
        return out;
    };
    let Ok(prefix) = dir.strip_prefix(&workdir) else {
        return out;
    };
    let mut prefix_parts = Vec::new();
    for c in prefix.components() {
        match c {
            Component::Normal(s) => match s.to_str() {
                Some(s) => prefix_parts.push(s),
                None => return out,
            },
            _ => return out,
        }
    }
    let Ok(index) = repo.index_or_empty() else {
        return out;
    };
    for &rel in candidates {
        let mut path = prefix_parts.join("/");
        let name = match root_is_file {
            // The walk names a file given as the root by its file name.
            true => root.file_name().and_then(|n| n.to_str()).unwrap_or(rel),
            false => rel,
        };
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(name);
        if index.entry_by_path(BStr::new(path.as_bytes())).is_some() {
            out.insert(rel.to_string());
        }
    }
    out
}
