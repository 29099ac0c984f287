//! `conan.lock` (ConanCenter).
//!
//! * v2 (`version: "0.5"`): `requires` (dev: no), `build_requires` and `python_requires`
//!   (dev: yes). The list holds the whole resolved graph, so `direct` is unknown. Line: the
//!   reference's array element.
//! * v1 graph locks (`graph_lock.nodes`, versions 0.0–0.4): the root node (the one with a
//!   `path`, or without a reference) is skipped; `direct` means required by a root node;
//!   `dev` means reachable only through `build_requires`. Line: the node's `ref`/`pref` key.
//!
//! References look like `name/version[@user/channel][#revision][:package_id]`; ones without
//! a name and version are skipped.

use super::graph::DevClassifier;
use super::json::{self, Node, Value};
use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{Ecosystem, Package};
use std::collections::{HashMap, HashSet};

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "conan.lock",
    file_names: &["conan.lock"],
    matches: None,
    ecosystem: Ecosystem::ConanCenter,
    family: Family::Json,
    remedy: "regenerate it with `conan lock create`",
    parser: Parser::Text(parse),
};

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let Some(root) = json::parse_object(ctx, content, false)? else {
        return Ok(Vec::new());
    };
    if let Some(nodes) = root.get("graph_lock").and_then(|g| g.get("nodes")) {
        return parse_graph(ctx, nodes);
    }
    let mut out = Vec::new();
    for (list, dev) in [
        ("requires", false),
        ("build_requires", true),
        ("python_requires", true),
    ] {
        let Some(items) = root.get(list).and_then(Node::elements) else {
            continue;
        };
        for item in items {
            let Some((name, version)) = item.as_str().and_then(split_reference) else {
                continue;
            };
            let mut p = ctx.package(name, version, item.line);
            p.dev = Some(dev);
            out.push(p);
        }
    }
    Ok(out)
}

/// `zlib/1.2.11@user/channel#rev:pkgid#prev` → (`zlib`, `1.2.11`).
fn split_reference(reference: &str) -> Option<(&str, &str)> {
    let end = reference
        .find(['#', ':', '@', '%'])
        .unwrap_or(reference.len());
    let (name, version) = reference.get(..end)?.split_once('/')?;
    let (name, version) = (name.trim(), version.trim());
    if name.is_empty() || version.is_empty() {
        return None;
    }
    Some((name, version))
}

/// The node ids a node requires: an array of ids (v0.3+) or an object `reference: id`
/// (older).
fn required_ids<'a>(node: &'a Node, key: &str) -> Vec<&'a str> {
    match node.get(key).map(|n| &n.value) {
        Some(Value::Array(items)) => items.iter().filter_map(Node::as_str).collect(),
        Some(Value::Object(members)) => members.iter().filter_map(|m| m.value.as_str()).collect(),
        _ => Vec::new(),
    }
}

fn reference(n: &Node) -> Option<&str> {
    n.str_at("ref").or_else(|| n.str_at("pref"))
}

fn parse_graph(ctx: &Ctx<'_>, nodes: &Node) -> Result<Vec<Package>, LockfileError> {
    let members = nodes
        .members()
        .ok_or_else(|| ctx.error(Some(nodes.line), "\"graph_lock.nodes\" is not an object"))?;
    let is_root = |n: &Node| n.get("path").is_some() || reference(n).is_none();

    let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut prod_roots = Vec::new();
    let mut dev_roots = Vec::new();
    let mut direct: HashSet<&str> = HashSet::new();
    for m in members {
        let requires = required_ids(&m.value, "requires");
        let build = required_ids(&m.value, "build_requires");
        if is_root(&m.value) {
            direct.extend(requires.iter().chain(build.iter()).copied());
            prod_roots.extend(requires.iter().copied());
            dev_roots.extend(build.iter().copied());
        }
        edges.insert(m.key.as_str(), requires.into_iter().chain(build).collect());
    }
    let classes = DevClassifier::new(prod_roots, dev_roots, &edges);

    let mut out = Vec::new();
    for m in members {
        if is_root(&m.value) {
            continue;
        }
        let Some((name, version)) = reference(&m.value).and_then(split_reference) else {
            continue;
        };
        let line = m
            .value
            .members()
            .and_then(|ms| ms.iter().find(|x| x.key == "ref" || x.key == "pref"))
            .map_or(m.line, |x| x.line);
        let mut p = ctx.package(name, version, line);
        p.direct = Some(direct.contains(m.key.as_str()));
        p.dev = classes.dev(&m.key.as_str());
        out.push(p);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::split_reference;

    #[test]
    fn references() {
        assert_eq!(split_reference("zlib/1.2.11"), Some(("zlib", "1.2.11")));
        assert_eq!(
            split_reference("zlib/1.2.11@bincrafters/testing#5f49:1972#5884"),
            Some(("zlib", "1.2.11"))
        );
        assert_eq!(
            split_reference("ninja/1.11.1#a2f0%1667050636.338"),
            Some(("ninja", "1.11.1"))
        );
        assert_eq!(split_reference("1.2.3"), None);
        assert_eq!(split_reference("/1.2.3"), None);
    }
}
