//! `Cargo.lock` (crates.io), every lockfile version (v1 with `[metadata]` checksums, v2+).
//!
//! The `cargo-lock` crate reads the file (it knows every lockfile version and resolves
//! dependency references as cargo does); a `toml` pass with spans supplies what it cannot: the
//! line of each package. `cargo-lock` rejects a whole file when one dependency reference does
//! not resolve (a hand-trimmed or half-merged lockfile); a scanner should still report what it
//! can, so such files are read from the spanned pass alone, with the same rules. Packages
//! without a `source` are the workspace's own crates and path dependencies: they are skipped. `direct`: named in the `dependencies` of one of those
//! (`name`, `name version` or `name version (source)`); `None` when the file has no local
//! package to tell. `dev` is unknown (Cargo.lock does not separate dev-dependencies).
//! Line: the package's `name =` key.

use super::lines::{toml_decode, LineIndex};
use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{Ecosystem, Package};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use toml::Spanned;

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "Cargo.lock",
    file_names: &["Cargo.lock"],
    matches: None,
    ecosystem: Ecosystem::CratesIo,
    family: Family::Toml,
    remedy: "regenerate it with `cargo generate-lockfile`",
    parser: Parser::Text(parse),
};

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
    match content.parse::<cargo_lock::Lockfile>() {
        Ok(lockfile) => Ok(from_cargo_lock(ctx, &lockfile, content)),
        Err(_) => {
            // Syntax errors come from the spanned pass, which knows their line.
            let index = LineIndex::new(content);
            let lock: Lock = toml_decode(ctx, content, &index)?;
            from_entries(ctx, &lock, &index)
        }
    }
}

/// The line of each `[[package]]`'s `name =` key, by (name, version). The file already parsed
/// as a lockfile, so a line scan of cargo's own layout suffices (a second, spanned TOML parse
/// cost as much as the first on the bench corpus's 600 lockfiles); a package it misses is
/// placed at line 1.
fn package_lines(content: &str) -> HashMap<(&str, semver::Version), usize> {
    fn value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
        let rest = line
            .strip_prefix(key)?
            .trim_start()
            .strip_prefix('=')?
            .trim();
        rest.strip_prefix('"')?.strip_suffix('"')
    }
    let mut lines = HashMap::new();
    let mut name: Option<(&str, usize)> = None;
    for (i, line) in content.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('[') {
            name = None;
        } else if let Some(n) = value(line, "name") {
            name = Some((n, i + 1));
        } else if let (Some(v), Some((n, at))) = (value(line, "version"), name) {
            if let Ok(v) = semver::Version::parse(v.trim()) {
                lines.entry((n, v)).or_insert(at);
            }
        }
    }
    lines
}

/// Packages as `cargo-lock` resolved them, each placed at its `name =` line.
fn from_cargo_lock(ctx: &Ctx<'_>, lockfile: &cargo_lock::Lockfile, content: &str) -> Vec<Package> {
    // What the workspace's own crates depend on, by name and version (as
    // `Dependency::matches` compares them): a set, as a workspace of many crates over a
    // thousand packages made asking each root about each package the bulk of the parse.
    let mut has_root = false;
    let mut direct: HashSet<(&str, &cargo_lock::Version)> = HashSet::new();
    for root in lockfile.packages.iter().filter(|p| p.source.is_none()) {
        has_root = true;
        direct.extend(
            root.dependencies
                .iter()
                .map(|d| (d.name.as_str(), &d.version)),
        );
    }
    let lines = package_lines(content);
    let line_of = |name: &str, version: &cargo_lock::Version| {
        lines.get(&(name, version.clone())).copied().unwrap_or(1)
    };
    lockfile
        .packages
        .iter()
        .filter(|p| p.source.is_some())
        .map(|p| {
            let mut pkg = ctx.package(
                p.name.as_str(),
                p.version.to_string(),
                line_of(p.name.as_str(), &p.version),
            );
            pkg.direct = has_root.then(|| direct.contains(&(p.name.as_str(), &p.version)));
            pkg
        })
        .collect()
}

/// The lenient reading, for files `cargo-lock` rejects.
fn from_entries(
    ctx: &Ctx<'_>,
    lock: &Lock,
    index: &LineIndex,
) -> Result<Vec<Package>, LockfileError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deps::lockfile::Format;

    const LOCK: &str = r#"version = 3

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "serde 1.0.0",
]

[[package]]
name = "serde"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "serde"
version = "0.9.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;

    fn ctx() -> Ctx<'static> {
        Ctx {
            format: Format::CargoLock,
            path: "Cargo.lock",
        }
    }

    #[test]
    fn cargo_lock_crate_reads_versions_and_direct_edges() {
        let lockfile: cargo_lock::Lockfile = LOCK.parse().expect("cargo-lock reads it");
        let got: Vec<(String, String, usize, Option<bool>)> =
            from_cargo_lock(&ctx(), &lockfile, LOCK)
                .into_iter()
                .map(|p| (p.name, p.version, p.line, p.direct))
                .collect();
        assert_eq!(
            got,
            vec![
                ("serde".into(), "1.0.0".into(), 11, Some(true)),
                ("serde".into(), "0.9.0".into(), 16, Some(false)),
            ]
        );
    }

    #[test]
    fn a_file_cargo_lock_rejects_is_still_read() {
        // `missing` is referenced but never declared: cargo-lock refuses the whole file.
        let broken = LOCK.replace("\"serde 1.0.0\",", "\"serde 1.0.0\",\n \"missing\",");
        assert!(broken.parse::<cargo_lock::Lockfile>().is_err());
        let got = parse(&ctx(), &broken).expect("lenient reading");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].direct, Some(true));
    }
}
