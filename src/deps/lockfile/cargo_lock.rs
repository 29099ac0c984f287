//! `Cargo.lock` (crates.io), every lockfile version (v1 with `[metadata]` checksums, v2+).
//!
//! Read with `toml` + serde rather than the `cargo-lock` crate: `cargo-lock` gives no
//! positions, and it rejects a whole file when one dependency reference does not resolve
//! (e.g. a hand-trimmed or partially merged lockfile), where a scanner should still report
//! what it can. Packages without a `source` are the workspace's own crates and path
//! dependencies: they are skipped. `direct`: named in the `dependencies` of one of those
//! (`name`, `name version` or `name version (source)`); `None` when the file has no local
//! package to tell. `dev` is unknown (Cargo.lock does not separate dev-dependencies).
//! Line: the package's `name =` key.

use super::lines::{toml_decode, LineIndex};
use super::{Ctx, LockfileError};
use crate::deps::package::Package;
use serde::Deserialize;
use std::collections::HashSet;
use toml::Spanned;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Entry>,
    /// Very old (pre-2018) lockfiles put the root crate in `[root]`.
    root: Option<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: Spanned<String>,
    version: String,
    source: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let index = LineIndex::new(content);
    let lock: Lock = toml_decode(ctx, content, &index)?;

    // (name, Some(version)) or (name, None) for v2+ references that omit a unique version.
    let mut direct: HashSet<(&str, Option<&str>)> = HashSet::new();
    let mut has_root = false;
    for root in lock.package.iter().chain(lock.root.iter()) {
        if root.source.is_none() {
            has_root = true;
            for dep in &root.dependencies {
                let mut parts = dep.split_whitespace();
                if let Some(name) = parts.next() {
                    direct.insert((name, parts.next()));
                }
            }
        }
    }

    let mut out = Vec::with_capacity(lock.package.len());
    for p in &lock.package {
        if p.source.is_none() {
            continue;
        }
        let name = p.name.get_ref().as_str();
        let mut pkg = ctx.package(name, p.version.as_str(), index.line_of(p.name.span().start));
        pkg.direct = has_root.then(|| {
            direct.contains(&(name, Some(p.version.as_str()))) || direct.contains(&(name, None))
        });
        out.push(pkg);
    }
    Ok(out)
}
