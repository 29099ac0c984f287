//! `package-lock.json` / `npm-shrinkwrap.json` (npm), lockfile versions 1, 2 and 3.
//!
//! * v2/v3 (`packages` map): every `node_modules/...` entry is a package; entries without
//!   `node_modules/` in their key are the root project and workspace/linked folders, and
//!   `link: true` entries are symlinks to them — both skipped. Line: the entry's key.
//!   `direct`: the entry sits directly in the root's (or a workspace's) `node_modules` and is
//!   named in that project's `dependencies`/`devDependencies`/`optionalDependencies`/
//!   `peerDependencies` (unknown when there is no root entry). `dev`: `dev`, `devOptional` or `optional` is set.
//! * v1 (nested `dependencies` maps): versions that are not registry versions (`file:`, git
//!   URLs) are skipped, `npm:` aliases resolve to the real package. `direct` is unknown (v1
//!   hoists transitive packages to the top level). `dev`: `dev` or `optional` is set.

use super::json::{self, Node};
use super::lines::{is_registry_version, split_name_version};
use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{Ecosystem, Package};
use std::collections::{HashMap, HashSet};

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "package-lock.json",
    file_names: &["package-lock.json", "npm-shrinkwrap.json"],
    matches: None,
    ecosystem: Ecosystem::Npm,
    family: Family::Json,
    remedy: "regenerate it with `npm install --package-lock-only`",
    parser: Parser::Text(parse),
};

const DEP_LISTS: [&str; 4] = [
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
];

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let Some(root) = json::parse_object(ctx, content, false)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    if let Some(packages) = root.get("packages") {
        parse_v2(ctx, &root, packages, &mut out)?;
    } else if let Some(deps) = root.get("dependencies") {
        parse_v1(ctx, deps, &mut out)?;
    }
    Ok(out)
}

fn parse_v2(
    ctx: &Ctx<'_>,
    _root: &Node,
    packages: &Node,
    out: &mut Vec<Package>,
) -> Result<(), LockfileError> {
    let members = packages
        .members()
        .ok_or_else(|| ctx.error(Some(packages.line), "\"packages\" is not an object"))?;
    // The root project and workspaces (the only entries whose direct dependencies matter),
    // each with the set of names it depends on directly.
    let owners: HashMap<&str, HashSet<&str>> = members
        .iter()
        .filter(|m| !m.key.contains("node_modules"))
        .map(|m| {
            let names = DEP_LISTS
                .iter()
                .filter_map(|list| m.value.get(list).and_then(Node::members))
                .flatten()
                .map(|d| d.key.as_str())
                .collect();
            (m.key.as_str(), names)
        })
        .collect();
    for m in members {
        let Some(idx) = m.key.rfind("node_modules/") else {
            continue; // the root project, or a workspace / local folder
        };
        if m.value.flag("link") {
            continue;
        }
        let alias = m.key.get(idx + "node_modules/".len()..).unwrap_or_default();
        let name = m.value.str_at("name").unwrap_or(alias);
        let Some(version) = m.value.str_at("version") else {
            continue;
        };
        if name.is_empty() || version.is_empty() || version.starts_with("file:") {
            continue;
        }
        let owner_key = m.key.get(..idx).unwrap_or_default().trim_end_matches('/');
        let direct = if !owners.contains_key("") {
            None // no root entry: cannot tell
        } else if owner_key.contains("node_modules") {
            Some(false)
        } else {
            Some(
                owners
                    .get(owner_key)
                    .is_some_and(|names| names.contains(alias)),
            )
        };
        let dev = m.value.flag("dev") || m.value.flag("devOptional") || m.value.flag("optional");
        let mut p = ctx.package(name, version, m.line);
        p.direct = direct;
        p.dev = Some(dev);
        out.push(p);
    }
    Ok(())
}

fn parse_v1(ctx: &Ctx<'_>, deps: &Node, out: &mut Vec<Package>) -> Result<(), LockfileError> {
    let members = deps
        .members()
        .ok_or_else(|| ctx.error(Some(deps.line), "\"dependencies\" is not an object"))?;
    for m in members {
        let version = m.value.str_at("version").unwrap_or_default();
        let (name, version) = match version.strip_prefix("npm:") {
            Some(aliased) => split_name_version(aliased).unwrap_or((m.key.as_str(), "")),
            None => (m.key.as_str(), version),
        };
        if is_registry_version(version) {
            let mut p = ctx.package(name, version, m.line);
            p.dev = Some(m.value.flag("dev") || m.value.flag("optional"));
            out.push(p);
        }
        if let Some(nested) = m.value.get("dependencies") {
            // Nesting depth is already bounded by the JSON parser.
            parse_v1(ctx, nested, out)?;
        }
    }
    Ok(())
}
