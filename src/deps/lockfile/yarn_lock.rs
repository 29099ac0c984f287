//! `yarn.lock` (npm), v1 and berry (v2+). The file is a list of entries: a header line of
//! comma-separated specifiers (`name@range, name@other-range:`) followed by indented fields.
//! The name comes from the berry `resolution` field when present (so aliases resolve to the
//! real package), else from the first specifier (`alias@npm:real@range` → `real`). Workspace,
//! `file:`, `link:`, `portal:` and `exec:` entries are local and skipped, as are entries
//! without a version and the `__metadata` block. yarn.lock does not say which packages are
//! direct or dev. Line: the entry's header.

use super::lines::is_registry_version;
use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{Ecosystem, Package};

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "yarn.lock",
    file_names: &["yarn.lock"],
    matches: None,
    ecosystem: Ecosystem::Npm,
    family: Family::Lines,
    remedy: "regenerate it with `yarn install`",
    parser: Parser::Text(parse),
};

const LOCAL_PROTOCOLS: [&str; 5] = ["workspace:", "file:", "link:", "portal:", "exec:"];

struct Entry<'a> {
    line: usize,
    header: &'a str,
    version: Option<String>,
    resolution: Option<String>,
}

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let mut entries: Vec<Entry<'_>> = Vec::new();
    let mut field_indent: Option<usize> = None;
    for (i, raw) in content.lines().enumerate() {
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = raw.len() - trimmed.len();
        if indent == 0 {
            let Some(header) = trimmed.trim_end().strip_suffix(':') else {
                return Err(ctx.error(
                    Some(i + 1),
                    "expected an entry header ending in ':' (specifiers of a package)",
                ));
            };
            entries.push(Entry {
                line: i + 1,
                header,
                version: None,
                resolution: None,
            });
            field_indent = None;
            continue;
        }
        let Some(entry) = entries.last_mut() else {
            return Err(ctx.error(Some(i + 1), "indented line before the first entry"));
        };
        if *field_indent.get_or_insert(indent) != indent {
            continue; // nested maps (dependencies, peerDependencies, ...)
        }
        let (key, value) = split_field(trimmed);
        match key.as_str() {
            "version" => entry.version = Some(value),
            "resolution" => entry.resolution = Some(value),
            _ => {}
        }
    }

    let mut out = Vec::new();
    for e in entries {
        if e.header == "__metadata" {
            continue;
        }
        let first_spec = e
            .header
            .split(',')
            .map(|s| unquote(s.trim()))
            .next()
            .unwrap_or_default();
        let locator = e.resolution.as_deref().unwrap_or(&first_spec);
        if LOCAL_PROTOCOLS
            .iter()
            .any(|p| locator.contains(&format!("@{p}")) || first_spec.contains(&format!("@{p}")))
        {
            continue;
        }
        let Some(name) = package_name(locator) else {
            continue;
        };
        let Some(version) = e.version.filter(|v| is_registry_version(v)) else {
            continue;
        };
        out.push(ctx.package(name, version, e.line));
    }
    Ok(out)
}

/// `version "1.0.0"`, `"version" "1.0.0"` or `version: 1.0.0` → (`version`, `1.0.0`).
fn split_field(line: &str) -> (String, String) {
    let line = line.trim_end();
    let (key, rest) = if let Some(stripped) = line.strip_prefix('"') {
        match stripped.find('"') {
            Some(end) => (
                stripped.get(..end).unwrap_or_default(),
                stripped.get(end + 1..).unwrap_or_default(),
            ),
            None => (stripped, ""),
        }
    } else {
        let end = line.find([':', ' ']).unwrap_or(line.len());
        (
            line.get(..end).unwrap_or_default(),
            line.get(end..).unwrap_or_default(),
        )
    };
    let value = rest.trim_start_matches(':').trim();
    (key.to_string(), unquote(value))
}

fn unquote(s: &str) -> String {
    s.strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(s)
        .to_string()
}

/// The package name of a specifier or resolution: `name@range`, `@scope/name@npm:1.0.0`,
/// `alias@npm:real@range` (→ `real`).
fn package_name(spec: &str) -> Option<String> {
    let at = spec.get(1..)?.find('@')? + 1;
    let name = spec.get(..at)?;
    let rest = spec.get(at + 1..)?;
    if let Some(aliased) = rest.strip_prefix("npm:") {
        if let Some(at2) = aliased.get(1..).and_then(|a| a.find('@')) {
            return aliased.get(..at2 + 1).map(str::to_string);
        }
    }
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::{package_name, split_field};

    #[test]
    fn names() {
        assert_eq!(package_name("foo@^1.0").as_deref(), Some("foo"));
        assert_eq!(package_name("@a/b@npm:1.0.0").as_deref(), Some("@a/b"));
        assert_eq!(package_name("x@npm:@a/b@^1").as_deref(), Some("@a/b"));
        assert_eq!(package_name("x@npm:y@^1").as_deref(), Some("y"));
        assert_eq!(package_name("balanced-match"), None);
        assert_eq!(package_name(""), None);
    }

    #[test]
    fn fields() {
        assert_eq!(
            split_field("version \"1.0\""),
            ("version".into(), "1.0".into())
        );
        assert_eq!(
            split_field("\"version\" \"1.0\""),
            ("version".into(), "1.0".into())
        );
        assert_eq!(
            split_field("version: 1.0"),
            ("version".into(), "1.0".into())
        );
        assert_eq!(
            split_field("\"unterminated"),
            ("unterminated".into(), "".into())
        );
    }
}
