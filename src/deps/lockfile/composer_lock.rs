//! `composer.lock` (Packagist). Packages come from `packages` (dev: no) and `packages-dev`
//! (dev: yes); the lockfile does not say which are direct. Line: the package's `"name"` key.

use super::json::{self, Node};
use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{Ecosystem, Package};

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "composer.lock",
    file_names: &["composer.lock"],
    matches: None,
    ecosystem: Ecosystem::Packagist,
    family: Family::Json,
    remedy: "regenerate it with `composer update --lock`",
    parser: Parser::Text(parse),
};

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let Some(root) = json::parse_object(ctx, content, false)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (section, dev) in [("packages", false), ("packages-dev", true)] {
        let Some(list) = root.get(section) else {
            continue;
        };
        if matches!(list.value, json::Value::Null) {
            continue;
        }
        let items = list
            .elements()
            .ok_or_else(|| ctx.error(Some(list.line), format!("\"{section}\" is not an array")))?;
        for item in items {
            if let Some(p) = package(ctx, item, dev) {
                out.push(p);
            }
        }
    }
    Ok(out)
}

fn package(ctx: &Ctx<'_>, item: &Node, dev: bool) -> Option<Package> {
    let members = item.members()?;
    let name_member = members.iter().find(|m| m.key == "name")?;
    let name = name_member.value.as_str()?;
    let version = item.str_at("version")?;
    if name.is_empty() || version.is_empty() {
        return None;
    }
    let mut p = ctx.package(name.to_ascii_lowercase(), version, name_member.line);
    p.dev = Some(dev);
    Some(p)
}
