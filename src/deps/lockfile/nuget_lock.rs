//! `packages.lock.json` (NuGet). Packages are listed per target framework; `type: Direct`
//! marks direct dependencies (`Transitive` and `CentralTransitive` are transitive), and
//! `Project` entries (project references, not packages) are skipped. The lockfile says
//! nothing about dev. Line: the package's key (its first occurrence).

use super::json;
use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{Ecosystem, Package};

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "packages.lock.json",
    file_names: &["packages.lock.json"],
    matches: None,
    ecosystem: Ecosystem::NuGet,
    family: Family::Json,
    remedy: "regenerate it with `dotnet restore --force-evaluate`",
    parser: Parser::Text(parse),
};

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let Some(root) = json::parse_object(ctx, content, false)? else {
        return Ok(Vec::new());
    };
    let Some(frameworks) = root.get("dependencies") else {
        return Ok(Vec::new());
    };
    let frameworks = frameworks
        .members()
        .ok_or_else(|| ctx.error(Some(frameworks.line), "\"dependencies\" is not an object"))?;
    let mut out = Vec::new();
    for fw in frameworks {
        let Some(members) = fw.value.members() else {
            return Err(ctx.error(
                Some(fw.line),
                format!("target framework \"{}\" is not an object", fw.key),
            ));
        };
        for m in members {
            let kind = m.value.str_at("type").unwrap_or_default();
            if kind.eq_ignore_ascii_case("project") {
                continue;
            }
            let Some(version) = m.value.str_at("resolved").filter(|v| !v.is_empty()) else {
                continue;
            };
            let mut p = ctx.package(m.key.as_str(), version, m.line);
            p.direct = Some(kind.eq_ignore_ascii_case("direct"));
            out.push(p);
        }
    }
    Ok(out)
}
