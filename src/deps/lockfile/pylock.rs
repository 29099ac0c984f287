//! `pylock.toml` / `pylock.<name>.toml` (PEP 751, PyPI). Every `[[packages]]` entry with a
//! `version` is a package (VCS entries too); entries without one (local directories, the
//! project itself) are skipped. The format does not say which packages are direct or dev.
//! Line: the package's `name =` key.

use super::lines::{toml_decode, LineIndex};
use super::{Ctx, LockfileError};
use crate::package::{normalise_pypi_name, Package};
use serde::Deserialize;
use toml::Spanned;

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
