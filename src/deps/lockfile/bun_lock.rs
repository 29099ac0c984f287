//! `bun.lock` (npm): JSON with trailing commas. Each `packages` entry is a tuple whose first
//! element is `name@version`; entries whose version is not a registry version (`file:`,
//! `link:`, `workspace:`, `github:`, git URLs) are skipped, as are malformed tuples.
//!
//! `direct`: the entry's key is named in a workspace's `dependencies`, `devDependencies`,
//! `optionalDependencies` or `peerDependencies`. `dev`: reachable only from workspaces'
//! `devDependencies` or `optionalDependencies` (this crate's `dev` covers optional-only),
//! following each package's dependencies the way bun resolves them:
//! `parent/child` before `child`. Line: the entry's key.

use super::graph::DevClassifier;
use super::json::{self, Node};
use super::lines::{is_registry_version, split_name_version};
use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{Ecosystem, Package};
use std::collections::{HashMap, HashSet};

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "bun.lock",
    file_names: &["bun.lock"],
    matches: None,
    ecosystem: Ecosystem::Npm,
    family: Family::Json,
    remedy: "regenerate it with `bun install --save-text-lockfile`",
    parser: Parser::Text(parse),
};

/// Lists followed from each package to what it depends on.
const EDGE_LISTS: [&str; 3] = ["dependencies", "optionalDependencies", "peerDependencies"];
/// Workspace lists that make a package a production dependency ...
const PROD_ROOTS: [&str; 2] = ["dependencies", "peerDependencies"];
/// ... and those that make it dev/optional-only (this crate's `dev` covers optional-only).
const DEV_ROOTS: [&str; 2] = ["devDependencies", "optionalDependencies"];

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let Some(root) = json::parse_object(ctx, content, true)? else {
        return Ok(Vec::new());
    };
    let Some(packages) = root.get("packages") else {
        return Ok(Vec::new());
    };
    let members = packages
        .members()
        .ok_or_else(|| ctx.error(Some(packages.line), "\"packages\" is not an object"))?;
    let keys: HashSet<&str> = members.iter().map(|m| m.key.as_str()).collect();

    // Roots: what the workspaces ask for.
    let mut prod_roots: Vec<&str> = Vec::new();
    let mut dev_roots: Vec<&str> = Vec::new();
    let workspaces = root
        .get("workspaces")
        .and_then(Node::members)
        .unwrap_or_default();
    let has_root = !workspaces.is_empty();
    for ws in workspaces {
        for list in PROD_ROOTS {
            prod_roots.extend(dep_names(&ws.value, list));
        }
        for list in DEV_ROOTS {
            dev_roots.extend(dep_names(&ws.value, list));
        }
    }
    let direct: HashSet<&str> = prod_roots.iter().chain(dev_roots.iter()).copied().collect();

    // Edges: package key → keys of what it depends on.
    let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
    for m in members {
        let Some(meta) = m
            .value
            .elements()
            .and_then(|t| t.iter().find_map(|e| e.members().map(|_| e)))
        else {
            continue;
        };
        let mut targets = Vec::new();
        for list in EDGE_LISTS {
            for dep in dep_names(meta, list) {
                let nested = format!("{}/{}", m.key, dep);
                if let Some(k) = keys.get(nested.as_str()) {
                    targets.push(*k);
                } else if let Some(k) = keys.get(dep) {
                    targets.push(*k);
                }
            }
        }
        edges.insert(m.key.as_str(), targets);
    }
    let classes = DevClassifier::new(prod_roots, dev_roots, &edges);

    let mut out = Vec::new();
    for m in members {
        let Some(spec) = m
            .value
            .elements()
            .and_then(|t| t.first())
            .and_then(Node::as_str)
        else {
            continue;
        };
        let Some((name, version)) = split_name_version(spec) else {
            continue;
        };
        if !is_registry_version(version) {
            continue;
        }
        let mut p = ctx.package(name, version, m.line);
        p.direct = has_root.then(|| direct.contains(m.key.as_str()));
        p.dev = classes.dev(&m.key.as_str());
        out.push(p);
    }
    Ok(out)
}

/// The dependency names listed in `node[list]`.
fn dep_names<'a>(node: &'a Node, list: &str) -> impl Iterator<Item = &'a str> {
    node.get(list)
        .and_then(Node::members)
        .unwrap_or_default()
        .iter()
        .map(|m| m.key.as_str())
}
