//! `pnpm-lock.yaml` (npm), lockfile versions 5.x, 6.x and 9.
//!
//! Package keys are `/name/version[_peers]` (v5), `/name@version[(peers)]` (v6) or
//! `name@version` (v9, peers live in `snapshots`); an entry's own `name`/`version` fields win
//! over the key (tarball and git entries). `file:`/`link:` entries (local folders) and
//! entries without a registry-style version are skipped.
//!
//! `direct`: named with that version in an importer's (or, before v6, the top level's)
//! `dependencies`, `devDependencies` or `optionalDependencies`. `dev`: v5/v6 entries carry
//! `dev` and `optional` (either makes it dev/optional-only); v9 has no flag, so it is
//! computed from the `snapshots` graph: dev when reachable only from `devDependencies` or
//! `optionalDependencies`. Line: the entry's key.
//!
//! Several documents: pnpm 10 writes the lockfile of its `configDependencies` and
//! `packageManagerDependencies` as a YAML document of its own (`---`) before the project's.
//! Every document is read, each as a lockfile of its own, and their packages are reported
//! together (a config dependency is installed code too).

use super::graph::DevClassifier;
use super::lines::{is_registry_version, split_name_version, yaml_block_keys, yaml_decode};
use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{Ecosystem, Package};
use serde_yaml_ng::{Mapping, Value};
use std::collections::{HashMap, HashSet};

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "pnpm-lock.yaml",
    file_names: &["pnpm-lock.yaml"],
    matches: None,
    ecosystem: Ecosystem::Npm,
    family: Family::Yaml,
    remedy: "regenerate it with `pnpm install --lockfile-only`",
    parser: Parser::Text(parse),
};

/// Importer dependency lists, and whether each is dev/optional-only (this crate's `dev`
/// covers optional-only dependencies too, as npm's `devOptional`/`optional` do).
const LISTS: [(&str, bool); 3] = [
    ("dependencies", false),
    ("optionalDependencies", true),
    ("devDependencies", true),
];

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let mut packages = Vec::new();
    for document in documents(content) {
        packages.extend(parse_document(ctx, &document)?);
    }
    Ok(packages)
}

/// The YAML documents of `content`, split at `---` lines. Each is padded with the blank lines
/// before it, so line numbers (of packages and of parse errors) stay those of the file.
fn documents(content: &str) -> Vec<String> {
    let mut docs = Vec::new();
    let mut current = String::new();
    let mut has_content = false;
    for (consumed, line) in content.split_inclusive('\n').enumerate() {
        let marker = line.trim_end();
        if marker == "---" || marker.starts_with("--- ") {
            if has_content {
                docs.push(std::mem::take(&mut current));
                // The next document starts at this line: as many blank lines before it.
                current = "\n".repeat(consumed);
                has_content = false;
            }
            current.push('\n');
            continue;
        }
        let text = marker.trim_start();
        has_content |= !text.is_empty() && !text.starts_with('#');
        current.push_str(line);
    }
    if has_content || docs.is_empty() {
        docs.push(current);
    }
    docs
}

fn parse_document(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let Some(doc) = yaml_decode::<Value>(ctx, content)? else {
        return Ok(Vec::new());
    };
    let Some(doc) = doc.as_mapping() else {
        return Err(ctx.error(Some(1), "expected a YAML mapping at the top"));
    };
    let version = match doc.get("lockfileVersion") {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        Some(Value::String(s)) => s.trim().parse::<f64>().unwrap_or(0.0),
        _ => 0.0,
    };
    let Some(packages) = doc.get("packages").and_then(Value::as_mapping) else {
        return Ok(Vec::new());
    };
    let lines = yaml_block_keys(content, "packages");

    // What the projects ask for: (name, version) pairs, per production / dev.
    let mut prod_roots: Vec<String> = Vec::new();
    let mut dev_roots: Vec<String> = Vec::new();
    let mut projects: Vec<&Mapping> = Vec::new();
    if let Some(importers) = doc.get("importers").and_then(Value::as_mapping) {
        projects.extend(importers.values().filter_map(Value::as_mapping));
    } else {
        projects.push(doc);
    }
    for project in projects {
        for (list, dev) in LISTS {
            let Some(deps) = project.get(list).and_then(Value::as_mapping) else {
                continue;
            };
            for (name, spec) in deps {
                let (Some(name), Some(v)) = (name.as_str(), dep_version(spec)) else {
                    continue;
                };
                let id = node_id(name, strip_peers(v));
                if dev {
                    dev_roots.push(id);
                } else {
                    prod_roots.push(id);
                }
            }
        }
    }
    let has_roots = !(prod_roots.is_empty() && dev_roots.is_empty());
    let direct: HashSet<String> = prod_roots.iter().chain(dev_roots.iter()).cloned().collect();

    // v9: the graph lives in `snapshots`, keyed like packages plus peer suffixes.
    let classes = (version >= 9.0).then(|| {
        let mut edges: HashMap<String, Vec<String>> = HashMap::new();
        if let Some(snapshots) = doc.get("snapshots").and_then(Value::as_mapping) {
            for (key, snap) in snapshots {
                let Some(key) = key.as_str() else { continue };
                let Some((name, ver)) = split_name_version(strip_peers(key)) else {
                    continue;
                };
                let targets = edges.entry(node_id(name, ver)).or_default();
                for list in ["dependencies", "optionalDependencies"] {
                    let Some(deps) = snap.get(list).and_then(Value::as_mapping) else {
                        continue;
                    };
                    for (dn, dv) in deps {
                        if let (Some(dn), Some(dv)) = (dn.as_str(), dv.as_str()) {
                            targets.push(resolve_dep(dn, dv));
                        }
                    }
                }
            }
        }
        DevClassifier::new(prod_roots.clone(), dev_roots.clone(), &edges)
    });

    let mut out = Vec::new();
    for (key, entry) in packages {
        let Some(key) = key.as_str() else { continue };
        let Some((mut name, mut ver)) = name_version_from_key(key, version) else {
            continue;
        };
        // Graph and importers refer to the key's own name@version (for git and tarball
        // entries that is a URL, not the version field).
        let id = node_id(&name, &ver);
        if let Some(n) = entry.get("name").and_then(Value::as_str) {
            name = n.to_string();
        }
        if let Some(v) = entry.get("version").and_then(Value::as_str) {
            ver = v.to_string();
        }
        if name.is_empty() || !is_registry_version(&ver) {
            continue;
        }
        let line = lines.get(key).copied().unwrap_or(1);
        let mut p = ctx.package(name, ver, line);
        p.direct = has_roots.then(|| direct.contains(&id));
        p.dev = match &classes {
            Some(c) => c.dev(&id),
            None => {
                let flag = |k: &str| entry.get(k).and_then(Value::as_bool);
                match (flag("dev"), flag("optional")) {
                    (None, None) => None,
                    (dev, optional) => Some(dev == Some(true) || optional == Some(true)),
                }
            }
        };
        out.push(p);
    }
    Ok(out)
}

fn node_id(name: &str, version: &str) -> String {
    format!("{name}@{version}")
}

/// The version an importer / top-level dependency resolves to: `{version: X}` (v6+) or `X`.
fn dep_version(spec: &Value) -> Option<&str> {
    match spec {
        Value::String(s) => Some(s),
        Value::Mapping(m) => m.get("version").and_then(Value::as_str),
        _ => None,
    }
}

/// `1.0.0(peer@2)` / `1.0.0_peer@2` → `1.0.0`.
fn strip_peers(v: &str) -> &str {
    let end = v.find(['(', '_']).unwrap_or(v.len());
    v.get(..end).unwrap_or(v)
}

/// A snapshot dependency `name: version` → node id; aliases (`npm:real@1.0.0` or
/// `real@1.0.0` as the version) point at the real package.
fn resolve_dep(name: &str, version: &str) -> String {
    let v = strip_peers(version.strip_prefix("npm:").unwrap_or(version));
    match split_name_version(v) {
        Some((real, rv)) if !is_registry_version(v) => node_id(real, rv),
        _ => node_id(name, v),
    }
}

/// Name and version encoded in a `packages` key, per lockfile version. Unknown parts are
/// empty strings (an entry's own fields may fill them).
fn name_version_from_key(key: &str, lockfile_version: f64) -> Option<(String, String)> {
    let key = key.trim_matches('\'');
    if key.starts_with("file:") || key.starts_with("link:") {
        return None;
    }
    if lockfile_version >= 6.0 {
        let core = key.strip_prefix('/').unwrap_or(key);
        let core = core.split('(').next().unwrap_or(core);
        return Some(match split_name_version(core) {
            Some((n, v)) => (n.to_string(), v.to_string()),
            None => (core.to_string(), String::new()),
        });
    }
    // v5: `[host]/name/version[_peers]` or `[host]/@scope/name/version[_peers]`.
    let mut parts = key.split('/').skip(1);
    let first = parts.next()?;
    let name = if first.starts_with('@') {
        format!("{}/{}", first, parts.next()?)
    } else {
        first.to_string()
    };
    let version = parts.next().unwrap_or_default();
    let (name, version) = if version.is_empty() {
        match split_name_version(&name) {
            Some((n, v)) => (n.to_string(), v.to_string()),
            None => (name, String::new()),
        }
    } else {
        (name, version.to_string())
    };
    Some((name, strip_peers(&version).to_string()))
}

#[cfg(test)]
mod tests {
    use super::{documents, name_version_from_key};
    use crate::package::Package;

    fn pkgs(text: &str) -> Vec<Package> {
        let format = super::super::detect(std::path::Path::new("pnpm-lock.yaml")).expect("format");
        super::super::parse(format, "pnpm-lock.yaml", text).expect("parses")
    }

    fn nv(key: &str, v: f64) -> Option<(String, String)> {
        name_version_from_key(key, v)
    }

    #[test]
    fn keys_per_version() {
        let s = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(nv("/foo/1.0.0", 5.3), s("foo", "1.0.0"));
        assert_eq!(nv("/@foo/bar/1.0.0", 5.3), s("@foo/bar", "1.0.0"));
        assert_eq!(nv("registry.npmjs.org/foo/1.1.0", 5.3), s("foo", "1.1.0"));
        assert_eq!(
            nv("example.com/foo/1.3.0_bar@2.0.0", 5.3),
            s("foo", "1.3.0")
        );
        assert_eq!(
            nv("/foo/1.4.0_@types+babel__core@7.1.14", 5.3),
            s("foo", "1.4.0")
        );
        assert_eq!(nv("/foo/bar", 5.3), s("foo", "bar"));
        assert_eq!(nv("/@a/b@1.0.0(c@2.0.0)", 6.0), s("@a/b", "1.0.0"));
        assert_eq!(nv("@a/b@1.0.0", 9.0), s("@a/b", "1.0.0"));
        assert_eq!(nv("file:../x", 9.0), None);
        assert_eq!(nv("", 5.3), None);
    }

    #[test]
    fn every_document_of_a_pnpm_10_lockfile_is_read() {
        let text = "---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    configDependencies:\n      my-configs:\n        specifier: 1.0.0\n        version: 1.0.0\n\npackages:\n\n  my-configs@1.0.0:\n    resolution: {integrity: sha512-AAAA}\n\n---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      lodash:\n        specifier: ^4.17.20\n        version: 4.17.20\n\npackages:\n\n  lodash@4.17.20:\n    resolution: {integrity: sha512-BBBB}\n\nsnapshots:\n\n  lodash@4.17.20: {}\n";
        let found = pkgs(text);
        let got: Vec<(&str, &str, usize)> = found
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.line))
            .collect();
        assert_eq!(
            got,
            [("my-configs", "1.0.0", 14), ("lodash", "4.17.20", 30)]
        );
        assert_eq!(documents("a: 1\n").len(), 1);
        assert_eq!(documents("---\na: 1\n").len(), 1);
        assert_eq!(documents("").len(), 1);
    }
}
