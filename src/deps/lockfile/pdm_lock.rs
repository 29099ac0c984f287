//! `pdm.lock` (PyPI). `dev`: the package's `groups` do not include `default`. The lockfile
//! does not say which packages are direct. Local (`path`) packages are skipped; git ones are
//! kept. Line: the package's `name =` key.

use super::lines::{toml_decode, LineIndex};
use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{normalise_pypi_name, Ecosystem, Package};
use serde::Deserialize;
use toml::Spanned;

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "pdm.lock",
    file_names: &["pdm.lock"],
    matches: None,
    ecosystem: Ecosystem::PyPI,
    family: Family::Toml,
    remedy: "regenerate it with `pdm lock`",
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
    groups: Option<Vec<String>>,
    path: Option<String>,
}

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let index = LineIndex::new(content);
    let lock: Lock = toml_decode(ctx, content, &index)?;
    let mut out = Vec::new();
    for e in lock.package {
        let Some(version) = e.version.filter(|v| !v.is_empty()) else {
            continue;
        };
        if e.path.is_some() {
            continue;
        }
        let mut p = ctx.package(
            normalise_pypi_name(e.name.get_ref()),
            version,
            index.line_of(e.name.span().start),
        );
        p.dev = e.groups.map(|g| !g.iter().any(|x| x == "default"));
        out.push(p);
    }
    Ok(out)
}
