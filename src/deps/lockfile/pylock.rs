//! `pylock.toml` / `pylock.<name>.toml` (PEP 751, PyPI). Every `[[packages]]` entry with a
//! `version` is a package (VCS entries too); entries without one (local directories, the
//! project itself) are skipped. The format does not say which packages are direct or dev.
//! Line: the package's `name =` key.

use super::lines::{toml_decode, LineIndex};
use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{normalise_pypi_name, Ecosystem, Package};
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "pylock.toml",
    file_names: &["pylock.toml"],
    matches: Some(is_named_pylock),
    ecosystem: Ecosystem::PyPI,
    family: Family::Toml,
    remedy: "regenerate it with your installer's lock command (e.g. `pip lock` or `uv export -o pylock.toml`)",
    parser: Parser::Text(parse),
};

/// `pylock.<name>.toml`, PEP 751's named lockfiles (`<name>` not empty, without dots).
fn is_named_pylock(name: &str, _path: &Path) -> bool {
    name.strip_prefix("pylock.")
        .and_then(|rest| rest.strip_suffix(".toml"))
        .is_some_and(|middle| !middle.is_empty() && !middle.contains('.'))
}

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    packages: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: Spanned<String>,
    version: Option<String>,
    directory: Option<toml::Value>,
}

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let index = LineIndex::new(content);
    let lock: Lock = toml_decode(ctx, content, &index)?;
    Ok(lock
        .packages
        .into_iter()
        .filter(|e| e.directory.is_none())
        .filter_map(|e| {
            let version = e.version.filter(|v| !v.is_empty())?;
            Some(ctx.package(
                normalise_pypi_name(e.name.get_ref()),
                version,
                index.line_of(e.name.span().start),
            ))
        })
        .collect())
}
