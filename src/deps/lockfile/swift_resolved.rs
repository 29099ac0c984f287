//! `Package.resolved` (SwiftURL), v1 (`object.pins[].repositoryURL`) and v2/v3
//! (`pins[].location`). The name is the repository URL as OSV's SwiftURL ecosystem spells it:
//! no scheme, no user, no `.git`, e.g. `github.com/apple/swift-nio`. Pins without a version
//! (a branch or bare revision) are skipped. Direct/dev are unknown. Line: the pin's
//! `identity` (v2+) or `package` (v1) key, else the pin's opening brace.

use super::json::{self, Node};
use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{Ecosystem, Package};

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "Package.resolved",
    file_names: &["Package.resolved"],
    matches: None,
    ecosystem: Ecosystem::SwiftUrl,
    family: Family::Json,
    remedy: "regenerate it with `swift package resolve`",
    parser: Parser::Text(parse),
};

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let Some(root) = json::parse_object(ctx, content, false)? else {
        return Ok(Vec::new());
    };
    let pins = root
        .get("pins")
        .or_else(|| root.get("object").and_then(|o| o.get("pins")));
    let Some(pins) = pins else {
        return Ok(Vec::new());
    };
    let pins = pins
        .elements()
        .ok_or_else(|| ctx.error(Some(pins.line), "\"pins\" is not an array"))?;
    Ok(pins.iter().filter_map(|pin| package(ctx, pin)).collect())
}

fn package(ctx: &Ctx<'_>, pin: &Node) -> Option<Package> {
    let members = pin.members()?;
    let url = pin
        .str_at("location")
        .or_else(|| pin.str_at("repositoryURL"))?;
    let version = pin.get("state")?.str_at("version")?;
    if version.is_empty() {
        return None;
    }
    let name = swift_url_name(url)?;
    let line = members
        .iter()
        .find(|m| m.key == "identity" || m.key == "package")
        .map_or(pin.line, |m| m.line);
    Some(ctx.package(name, version, line))
}

/// `https://github.com/apple/swift-nio.git` → `github.com/apple/swift-nio`;
/// `git@github.com:apple/swift-nio.git` → `github.com/apple/swift-nio`.
pub(super) fn swift_url_name(url: &str) -> Option<String> {
    let mut s = url.trim();
    if let Some(idx) = s.find("://") {
        s = s.get(idx + 3..)?;
    }
    if let Some(idx) = s.find('@') {
        // user@host (ssh or credentials): keep the host part.
        if s.find('/').is_none_or(|slash| idx < slash) {
            s = s.get(idx + 1..)?;
        }
    }
    let s = s.trim_end_matches('/');
    let s = s.strip_suffix(".git").unwrap_or(s);
    let mut name = s.to_string();
    // scp-like `host:owner/repo`
    if let Some(colon) = name.find(':') {
        if name.find('/').is_none_or(|slash| colon < slash) {
            name.replace_range(colon..=colon, "/");
        }
    }
    if name.is_empty() {
        None
    } else {
        Some(name)
    }
}

#[cfg(test)]
mod tests {
    use super::swift_url_name;

    #[test]
    fn urls_become_names() {
        assert_eq!(
            swift_url_name("https://github.com/apple/swift-nio.git").as_deref(),
            Some("github.com/apple/swift-nio")
        );
        assert_eq!(
            swift_url_name("git@github.com:apple/swift-nio.git").as_deref(),
            Some("github.com/apple/swift-nio")
        );
        assert_eq!(
            swift_url_name("https://user@gitlab.com/a/b/").as_deref(),
            Some("gitlab.com/a/b")
        );
        assert_eq!(swift_url_name(""), None);
    }
}
