//! `Cargo.lock` (crates.io), every lockfile version.
//!
//! The file is read twice: once as plain TOML to learn where each `[[package]]`'s `name =`
//! line is (and to report syntax errors with a line), once with the `cargo-lock` crate for
//! the semantics (v1 `[metadata]` checksums, v2+ abbreviated dependency references).
//! Packages without a `source` are the workspace's own crates and path dependencies: they
//! are skipped. `direct`: a dependency of one of those. `dev` is unknown (Cargo.lock does not
//! separate dev-dependencies).

use super::lines::{toml_decode, LineIndex};
use super::{Ctx, LockfileError};
use crate::deps::package::Package;
use serde::Deserialize;
use std::collections::{HashMap, HashSet, VecDeque};
use std::str::FromStr;
use toml::Spanned;

#[derive(Deserialize)]
struct Raw {
    #[serde(default)]
    package: Vec<RawPackage>,
}

#[derive(Deserialize)]
struct RawPackage {
    name: Spanned<String>,
    version: String,
}

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let index = LineIndex::new(content);
    let raw: Raw = toml_decode(ctx, content, &index)?;
    let mut lines: HashMap<(String, String), VecDeque<usize>> = HashMap::new();
    for p in &raw.package {
        lines
            .entry((p.name.get_ref().clone(), p.version.clone()))
            .or_default()
            .push_back(index.line_of(p.name.span().start));
    }

    let lock = cargo_lock::Lockfile::from_str(content).map_err(|e| ctx.error(None, e))?;

    let mut direct: HashSet<(String, String)> = HashSet::new();
    for root in lock.packages.iter().chain(lock.root.iter()) {
        if root.source.is_none() {
            for d in &root.dependencies {
                direct.insert((d.name.as_str().to_string(), d.version.to_string()));
            }
        }
    }

    let mut out = Vec::with_capacity(lock.packages.len());
    for p in &lock.packages {
        let key = (p.name.as_str().to_string(), p.version.to_string());
        let line = lines.get_mut(&key).and_then(VecDeque::pop_front).unwrap_or(1);
        if p.source.is_none() {
            continue;
        }
        let mut pkg = ctx.package(key.0.clone(), key.1.clone(), line);
        pkg.direct = Some(direct.contains(&key));
        out.push(pkg);
    }
    Ok(out)
}
