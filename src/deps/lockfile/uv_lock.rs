//! `uv.lock` (PyPI). Packages whose source is `virtual`, `editable`, `directory` or `path` are
//! the project itself and local packages: skipped, but their dependency lists say what is
//! direct. `direct`: named in a local package's `dependencies`, `optional-dependencies` or
//! `dev-dependencies`. `dev`: reachable only through `dev-dependencies`. Git and registry
//! packages are kept. Line: the package's `name =` key.

use super::graph::DevClassifier;
use super::lines::{toml_decode, LineIndex};
use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{normalise_pypi_name, Ecosystem, Package};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use toml::Spanned;

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "uv.lock",
    file_names: &["uv.lock"],
    matches: None,
    ecosystem: Ecosystem::PyPI,
    family: Family::Toml,
    remedy: "regenerate it with `uv lock`",
    parser: Parser::Text(parse),
};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: Spanned<String>,
    version: Option<String>,
    #[serde(default)]
    source: BTreeMap<String, toml::Value>,
    #[serde(default)]
    dependencies: Vec<Dep>,
    #[serde(default, rename = "optional-dependencies")]
    optional: BTreeMap<String, Vec<Dep>>,
    #[serde(default, rename = "dev-dependencies")]
    dev: BTreeMap<String, Vec<Dep>>,
}

#[derive(Deserialize)]
struct Dep {
    name: String,
}

const LOCAL_SOURCES: [&str; 4] = ["virtual", "editable", "directory", "path"];

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let index = LineIndex::new(content);
    let lock: Lock = toml_decode(ctx, content, &index)?;
    let is_local = |e: &Entry| LOCAL_SOURCES.iter().any(|s| e.source.contains_key(*s));

    let mut edges: HashMap<String, Vec<String>> = HashMap::new();
    let mut prod_roots = Vec::new();
    let mut dev_roots = Vec::new();
    for e in &lock.package {
        let name = normalise_pypi_name(e.name.get_ref());
        let prod: Vec<String> = e
            .dependencies
            .iter()
            .chain(e.optional.values().flatten())
            .map(|d| normalise_pypi_name(&d.name))
            .collect();
        let dev: Vec<String> = e
            .dev
            .values()
            .flatten()
            .map(|d| normalise_pypi_name(&d.name))
            .collect();
        if is_local(e) {
            prod_roots.extend(prod.iter().cloned());
            dev_roots.extend(dev.iter().cloned());
        }
        edges
            .entry(name)
            .or_default()
            .extend(prod.into_iter().chain(dev));
    }
    let has_root = lock.package.iter().any(is_local);
    let direct: HashSet<String> = prod_roots.iter().chain(dev_roots.iter()).cloned().collect();
    let classes = DevClassifier::new(prod_roots, dev_roots, &edges);

    let mut out = Vec::new();
    for e in &lock.package {
        if is_local(e) {
            continue;
        }
        let Some(version) = e.version.as_deref().filter(|v| !v.is_empty()) else {
            continue;
        };
        let name = normalise_pypi_name(e.name.get_ref());
        let mut p = ctx.package(name.clone(), version, index.line_of(e.name.span().start));
        p.direct = has_root.then(|| direct.contains(&name));
        p.dev = classes.dev(&name);
        out.push(p);
    }
    Ok(out)
}
