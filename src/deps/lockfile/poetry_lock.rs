//! `poetry.lock` (PyPI). `dev`: `category = "dev"` (Poetry 1), or `groups` without `main`
//! (Poetry 2), or `optional = true` (only installed with an extra). The lockfile does not
//! say which packages are direct. Local `directory`/`file` sources are skipped; git and
//! private-index (`legacy`) sources are kept. Line: the package's `name =` key.

use super::lines::{toml_decode, LineIndex};
use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{normalise_pypi_name, Ecosystem, Package};
use serde::Deserialize;
use toml::Spanned;

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "poetry.lock",
    file_names: &["poetry.lock"],
    matches: None,
    ecosystem: Ecosystem::PyPI,
    family: Family::Toml,
    remedy: "regenerate it with `poetry lock`",
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
    category: Option<String>,
    #[serde(default)]
    optional: bool,
    groups: Option<Vec<String>>,
    source: Option<Source>,
}

#[derive(Deserialize)]
struct Source {
    #[serde(rename = "type")]
    kind: Option<String>,
}

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let index = LineIndex::new(content);
    let lock: Lock = toml_decode(ctx, content, &index)?;
    let mut out = Vec::new();
    for e in lock.package {
        let Some(version) = e.version.filter(|v| !v.is_empty()) else {
            continue;
        };
        let kind = e.source.and_then(|s| s.kind).unwrap_or_default();
        if kind == "directory" || kind == "file" {
            continue;
        }
        let dev = e.category.as_deref() == Some("dev")
            || e.optional
            || e.groups.is_some_and(|g| !g.iter().any(|x| x == "main"));
        let mut p = ctx.package(
            normalise_pypi_name(e.name.get_ref()),
            version,
            index.line_of(e.name.span().start),
        );
        p.dev = Some(dev);
        out.push(p);
    }
    Ok(out)
}
