//! `pubspec.lock` (Pub). `dependency: "direct main"` / `"direct overridden"` are direct
//! production dependencies, `"direct dev"` direct dev dependencies, `transitive` transitive
//! ones (dev unknown). SDK and path packages are skipped; hosted and git ones are kept.
//! Line: the package's key under `packages:`.

use super::lines::{yaml_block_keys, yaml_decode};
use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{Ecosystem, Package};
use serde_yaml_ng::Value;

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "pubspec.lock",
    file_names: &["pubspec.lock"],
    matches: None,
    ecosystem: Ecosystem::Pub,
    family: Family::Yaml,
    remedy: "regenerate it with `dart pub get` (or `flutter pub get`)",
    parser: Parser::Text(parse),
};

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let Some(doc) = yaml_decode::<Value>(ctx, content)? else {
        return Ok(Vec::new());
    };
    if !doc.is_mapping() {
        return Err(ctx.error(Some(1), "expected a YAML mapping at the top"));
    }
    let Some(packages) = doc.get("packages").and_then(Value::as_mapping) else {
        return Ok(Vec::new());
    };
    let lines = yaml_block_keys(content, "packages");
    let mut out = Vec::new();
    for (key, entry) in packages {
        let Some(name) = key.as_str() else { continue };
        let field = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or_default();
        let source = field("source");
        if source == "sdk" || source == "path" {
            continue;
        }
        let version = field("version");
        if version.is_empty() {
            continue;
        }
        let dependency = field("dependency");
        let mut p = ctx.package(name, version, lines.get(name).copied().unwrap_or(1));
        if !dependency.is_empty() {
            p.direct = Some(dependency.starts_with("direct"));
        }
        p.dev = match dependency {
            "direct dev" => Some(true),
            "direct main" | "direct overridden" => Some(false),
            _ => None,
        };
        out.push(p);
    }
    Ok(out)
}
