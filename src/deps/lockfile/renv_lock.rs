//! `renv.lock` (CRAN). Only packages from the CRAN repository are kept (Bioconductor, GitHub
//! and packages with no repository are not in OSV's CRAN ecosystem), as osv-scalibr does.
//! The lockfile says nothing about direct or dev. Line: the package's key.

use super::json;
use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{Ecosystem, Package};

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "renv.lock",
    file_names: &["renv.lock"],
    matches: None,
    ecosystem: Ecosystem::Cran,
    family: Family::Json,
    remedy: "regenerate it with `renv::snapshot()`",
    parser: Parser::Text(parse),
};

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let Some(root) = json::parse_object(ctx, content, false)? else {
        return Ok(Vec::new());
    };
    let Some(packages) = root.get("Packages") else {
        return Ok(Vec::new());
    };
    let members = packages
        .members()
        .ok_or_else(|| ctx.error(Some(packages.line), "\"Packages\" is not an object"))?;
    let mut out = Vec::new();
    for m in members {
        if m.value.str_at("Repository") != Some("CRAN") {
            continue;
        }
        let name = m.value.str_at("Package").unwrap_or(&m.key);
        let Some(version) = m.value.str_at("Version").filter(|v| !v.is_empty()) else {
            continue;
        };
        out.push(ctx.package(name, version, m.line));
    }
    Ok(out)
}
