//! `mix.lock` (Hex), written by Elixir's and Erlang's mix. Each Hex entry looks like
//! `"key": {:hex, :name, "version", ...}`; the package name is the `:name` atom. Git and path
//! entries, and malformed lines, are skipped. The file does not say which packages are
//! direct or dev. Line: the entry's line.

use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{Ecosystem, Package};
use regex::Regex;
use std::sync::OnceLock;

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "mix.lock",
    file_names: &["mix.lock"],
    matches: None,
    ecosystem: Ecosystem::Hex,
    family: Family::Lines,
    remedy: "regenerate it with `mix deps.get`",
    parser: Parser::Text(parse),
};

fn entry_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"^\s*"[^"]+":\s*\{\s*:hex\s*,\s*:"?([A-Za-z0-9_.-]+)"?\s*,\s*"([^"]+)""#)
            .unwrap_or_else(|e| unreachable!("constant regex: {e}"))
    })
}

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let body = content.trim();
    if !body.is_empty() && !body.starts_with("%{") {
        let line = content
            .lines()
            .position(|l| !l.trim().is_empty())
            .map_or(1, |i| i + 1);
        return Err(ctx.error(Some(line), "expected an Elixir map starting with `%{`"));
    }
    let re = entry_regex();
    Ok(content
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let caps = re.captures(line)?;
            let name = caps.get(1)?.as_str();
            let version = caps.get(2)?.as_str();
            Some(ctx.package(name, version, i + 1))
        })
        .collect())
}
