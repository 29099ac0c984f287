//! `gradle.lockfile` (Maven): one `group:artifact:version=configuration,...` line per
//! package. Comments, the `empty=` line and malformed lines are skipped. `dev`: every
//! configuration that pulls the package in is a test one (`test...`). Direct is unknown.
//! Line: the package's line.

use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{Ecosystem, Package};

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "gradle.lockfile",
    file_names: &["gradle.lockfile"],
    matches: None,
    ecosystem: Ecosystem::Maven,
    family: Family::Lines,
    remedy: "regenerate it with `gradle dependencies --write-locks`",
    parser: Parser::Text(parse),
};

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let mut out = Vec::new();
    for (i, raw) in content.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("empty=") {
            continue;
        }
        let (coords, configs) = line.split_once('=').unwrap_or((line, ""));
        let parts: Vec<&str> = coords.split(':').map(str::trim).collect();
        let [group, artifact, version] = parts.as_slice() else {
            continue;
        };
        if group.is_empty() || artifact.is_empty() || version.is_empty() {
            continue;
        }
        let mut p = ctx.package(format!("{group}:{artifact}"), *version, i + 1);
        let configs: Vec<&str> = configs
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        if !configs.is_empty() {
            p.dev = Some(configs.iter().all(|c| c.starts_with("test")));
        }
        out.push(p);
    }
    Ok(out)
}
