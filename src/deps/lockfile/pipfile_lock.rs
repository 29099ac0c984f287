//! `Pipfile.lock` (PyPI). Packages come from `default` (dev: no) and `develop` (dev: yes); a
//! package in both is not dev-only. Versions are the pinned `==X` of each entry; entries
//! without one (VCS or path installs) are skipped. `direct` is unknown (the lockfile lists
//! transitive packages too). Line: the package's key.

use super::json;
use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{normalise_pypi_name, Ecosystem, Package};

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "Pipfile.lock",
    file_names: &["Pipfile.lock"],
    matches: None,
    ecosystem: Ecosystem::PyPI,
    family: Family::Json,
    remedy: "regenerate it with `pipenv lock`",
    parser: Parser::Text(parse),
};

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let Some(root) = json::parse_object(ctx, content, false)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (section, dev) in [("default", false), ("develop", true)] {
        let Some(members) = root.get(section).and_then(|s| s.members()) else {
            continue;
        };
        for m in members {
            let Some(version) = m.value.str_at("version") else {
                continue;
            };
            let Some(version) = version.trim().strip_prefix("==") else {
                continue;
            };
            let version = version.trim_start_matches('=').trim();
            if version.is_empty() {
                continue;
            }
            let mut p = ctx.package(normalise_pypi_name(&m.key), version, m.line);
            p.dev = Some(dev);
            out.push(p);
        }
    }
    Ok(out)
}
