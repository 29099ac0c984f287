//! `Cargo.lock` (crates.io), every lockfile version (v1 with `[metadata]` checksums, v2+).
//!
//! Most files are exactly as cargo wrote them, and those are read line by line
//! ([`canonical`]): a TOML parse (even without `cargo-lock`'s own work on top) read them at
//! 36-65 MB/s, the largest single cost of the dependency check on the bench corpus's 800
//! lockfiles. The line reader accepts only cargo's own layout, line for line; at the first
//! line that is anything else (an escape, an inline array, `[[patch.unused]]`, `[root]`, a
//! key it does not know) it gives up and the file is read as below, so it never reads a
//! file differently from `cargo-lock` (a test compares the two on every fixture).
//!
//! The `cargo-lock` crate reads every other file (it knows every lockfile version and resolves
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
    if let Some(packages) = canonical(ctx, content) {
        return Ok(packages);
    }
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

/// One `[[package]]` of [`canonical`].
#[derive(Default)]
struct Listed<'a> {
    name: Option<(&'a str, usize)>,
    version: Option<&'a str>,
    source: Option<&'a str>,
    checksum: bool,
    /// Whether the `dependencies` key was seen (its entries may be none).
    has_dependencies: bool,
    dependencies: Vec<&'a str>,
}

/// The packages of a lockfile in the layout cargo writes, or `None` at the first line that
/// layout does not have. Accepted: blank lines and comments; a top-level `version = N`;
/// `[[package]]` tables of `name`, `version`, `source` and `checksum` strings and a
/// `dependencies` array with one string per line; v1's `[metadata]` of checksum strings.
/// Whatever TOML would refuse is refused too (a key twice, a control character), and so are
/// strings with an escape, which cargo does not write in these keys. `direct` is decided as in
/// [`from_entries`]: a dependency reference of a local package names the package and maybe its
/// version.
fn canonical<'a>(ctx: &Ctx<'_>, content: &'a str) -> Option<Vec<Package>> {
    /// TOML forbids control characters (but tab) in strings and comments.
    fn clean(s: &str) -> bool {
        !s.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
    }
    /// A `"..."` basic string without escapes.
    fn string(s: &str) -> Option<&str> {
        let inner = s.strip_prefix('"')?.strip_suffix('"')?;
        (!inner.contains(['"', '\\']) && clean(inner)).then_some(inner)
    }
    #[derive(PartialEq)]
    enum Section {
        Top,
        Package,
        Metadata,
        Dependencies,
    }
    let mut section = Section::Top;
    let (mut lock_version, mut metadata) = (false, false);
    // In a `dependencies` array: whether the last element ended with a comma.
    let mut comma = true;
    let mut checksums: HashSet<&str> = HashSet::new();
    let mut listed: Vec<Listed<'a>> = Vec::new();
    for (i, line) in content.lines().enumerate() {
        let line = line.trim_matches([' ', '\t']);
        if line.is_empty() || (line.starts_with('#') && clean(line)) {
            continue;
        }
        if section == Section::Dependencies {
            match line {
                "]" => section = Section::Package,
                // Elements are separated by commas (the last may have one too).
                _ if !comma => return None,
                _ => {
                    let dep = line.strip_suffix(',');
                    comma = dep.is_some();
                    let dep = string(dep.unwrap_or(line).trim_end_matches([' ', '\t']))?;
                    listed.last_mut()?.dependencies.push(dep);
                }
            }
            continue;
        }
        match line {
            "[[package]]" => {
                section = Section::Package;
                listed.push(Listed::default());
                continue;
            }
            "[metadata]" if !metadata => {
                (section, metadata) = (Section::Metadata, true);
                continue;
            }
            _ => {}
        }
        let (key, value) = line.split_once('=')?;
        let (key, value) = (
            key.trim_matches([' ', '\t']),
            value.trim_matches([' ', '\t']),
        );
        match section {
            Section::Top if key == "version" && !lock_version => {
                let digits = value.bytes().all(|b| b.is_ascii_digit());
                if !digits || value.is_empty() || (value.len() > 1 && value.starts_with('0')) {
                    return None;
                }
                lock_version = true;
            }
            Section::Metadata => {
                string(value)?;
                if !checksums.insert(string(key)?) {
                    return None;
                }
            }
            Section::Package => {
                let p = listed.last_mut()?;
                let slot = match key {
                    "name" if p.name.is_none() => {
                        p.name = Some((string(value)?, i + 1));
                        continue;
                    }
                    "dependencies" if value == "[" && !p.has_dependencies => {
                        p.has_dependencies = true;
                        (section, comma) = (Section::Dependencies, true);
                        continue;
                    }
                    "checksum" if !p.checksum => {
                        string(value)?;
                        p.checksum = true;
                        continue;
                    }
                    "version" => &mut p.version,
                    "source" => &mut p.source,
                    _ => return None,
                };
                if slot.is_some() {
                    return None;
                }
                *slot = Some(string(value)?);
            }
            _ => return None,
        }
    }
    if section == Section::Dependencies {
        return None;
    }
    // What `cargo-lock` checks before it accepts a package.
    for p in &listed {
        p.name?;
        semver::Version::parse(p.version?).ok()?;
    }
    let mut has_root = false;
    let mut direct: HashSet<(&str, Option<&str>)> = HashSet::new();
    for root in listed.iter().filter(|p| p.source.is_none()) {
        has_root = true;
        for dep in &root.dependencies {
            let mut parts = dep.split_whitespace();
            if let Some(name) = parts.next() {
                direct.insert((name, parts.next()));
            }
        }
    }
    let packages = listed
        .iter()
        .filter(|p| p.source.is_some())
        .filter_map(|p| {
            let ((name, line), version) = (p.name?, p.version?);
            let mut pkg = ctx.package(name, version, line);
            pkg.direct = has_root
                .then(|| direct.contains(&(name, Some(version))) || direct.contains(&(name, None)));
            Some(pkg)
        })
        .collect();
    Some(packages)
}

/// Whether [`canonical`] reads `content` as the full reading does (`cargo-lock`, else the
/// lenient pass): `Ok(true)` when it read the file and agrees, `Ok(false)` when it gave the
/// file up, `Err` with both readings when they differ. For the tests and the fuzz target.
#[doc(hidden)]
pub fn canonical_agrees(content: &str) -> Result<bool, String> {
    let ctx = Ctx {
        format: super::Format::CargoLock,
        path: "Cargo.lock",
    };
    let Some(fast) = canonical(&ctx, content) else {
        return Ok(false);
    };
    let full = match content.parse::<cargo_lock::Lockfile>() {
        Ok(lockfile) => Ok(from_cargo_lock(&ctx, &lockfile, content)),
        Err(_) => {
            let index = LineIndex::new(content);
            toml_decode::<Lock>(&ctx, content, &index).and_then(|l| from_entries(&ctx, &l, &index))
        }
    };
    // Compared as `parse` hands them on: a package listed twice is one package, at its first
    // line (where the full reading puts both).
    let key = |p: &Package| (p.name.clone(), p.version.clone(), p.line, p.direct);
    let (fast, full) = (super::finish(fast), full.map(super::finish));
    match full {
        Ok(full) if full.iter().map(key).eq(fast.iter().map(key)) => Ok(true),
        full => Err(format!(
            "line reader: {:?}\nfull reading: {:?}",
            fast.iter().map(key).collect::<Vec<_>>(),
            full.map(|f| f.iter().map(key).collect::<Vec<_>>())
        )),
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

    #[test]
    fn the_line_reader_reads_cargos_own_layout_and_agrees() {
        // v3 as cargo writes it (with a checksum and CRLF line ends, as a Windows checkout has).
        let v3 = LOCK.replace(
            "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
            "source = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"ab12\"\n",
        );
        // v1: dependencies with versions and sources, checksums under `[metadata]`.
        let v1 = r#"[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "git-dep 0.2.0 (git+https://github.com/o/r?branch=main#0123abc)",
 "serde 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)",
]

[[package]]
name = "git-dep"
version = "0.2.0"
source = "git+https://github.com/o/r?branch=main#0123abc"

[[package]]
name = "serde"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[metadata]
"checksum serde 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)" = "ab12"
"#;
        // A package listed twice (as a bad merge leaves it) is one package at its first line.
        let twice = format!("{LOCK}\n[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n");
        for text in [
            LOCK.to_string(),
            v3.replace('\n', "\r\n"),
            v1.to_string(),
            twice,
        ] {
            assert_eq!(canonical_agrees(&text), Ok(true), "{text}");
        }
        let got = canonical(&ctx(), v1).expect("cargo's layout");
        let got: Vec<_> = got
            .iter()
            .map(|p| (&p.name[..], p.line, p.direct))
            .collect();
        assert_eq!(
            got,
            [("git-dep", 10, Some(true)), ("serde", 15, Some(true))]
        );
    }

    #[test]
    fn the_line_reader_gives_up_on_anything_else() {
        let cases = [
            // TOML cargo never writes here: an escape, an inline array, a trailing comment.
            LOCK.replace("name = \"serde\"", "name = \"ser\\u0064e\""),
            LOCK.replace(
                "dependencies = [\n \"serde 1.0.0\",\n]",
                "dependencies = [\"serde 1.0.0\"]",
            ),
            LOCK.replace("name = \"app\"", "name = \"app\" # the root"),
            // Tables and keys it does not know, and a key twice (a TOML error).
            format!("{LOCK}\n[[patch.unused]]\nname = \"x\"\nversion = \"1.0.0\"\n"),
            LOCK.replace("[[package]]\nname = \"app\"", "[root]\nname = \"app\""),
            LOCK.replace(
                "version = \"0.1.0\"",
                "version = \"0.1.0\"\nreplace = \"x\"",
            ),
            LOCK.replace(
                "version = \"0.1.0\"",
                "version = \"0.1.0\"\nversion = \"0.2.0\"",
            ),
            // Two elements without a comma between them (found by the fuzz target).
            LOCK.replace("\"serde 1.0.0\",", "\"serde,\"\n \"serde 1.0.0\","),
            // A version cargo-lock would refuse, and an array left open.
            LOCK.replace("version = \"0.9.0\"", "version = \"0.9\""),
            LOCK.replace("\n]\n", "\n"),
        ];
        for text in &cases {
            assert!(canonical(&ctx(), text).is_none(), "{text}");
            assert_eq!(canonical_agrees(text), Ok(false));
        }
    }
}
