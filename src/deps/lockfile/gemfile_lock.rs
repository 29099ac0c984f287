//! `Gemfile.lock` / `gems.locked` (RubyGems). Gems come from the `specs:` of `GEM` and `GIT`
//! sources (4-space indented `name (version)` lines); `PATH` sources are local gems and are
//! skipped. A platform suffix is dropped (`nokogiri (1.13.3-x86_64-linux)` → `1.13.3`).
//! `direct`: the gem is listed under `DEPENDENCIES` (when the file has that section). Dev
//! is unknown (groups live in the Gemfile). Line: the gem's spec line.

use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{Ecosystem, Package};
use std::collections::HashSet;

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "Gemfile.lock",
    file_names: &["Gemfile.lock", "gems.locked"],
    matches: None,
    ecosystem: Ecosystem::RubyGems,
    family: Family::Lines,
    remedy: "regenerate it with `bundle lock`",
    parser: Parser::Text(parse),
};

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let mut section = "";
    let mut in_specs = false;
    let mut specs: Vec<(String, String, usize)> = Vec::new();
    let mut direct: Option<HashSet<String>> = None;

    for (i, raw) in content.lines().enumerate() {
        let line = raw.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if indent == 0 {
            section = line.trim();
            in_specs = false;
            if section == "DEPENDENCIES" {
                direct.get_or_insert_with(HashSet::new);
            }
            continue;
        }
        match section {
            "GEM" | "GIT" | "PATH" | "PLUGIN SOURCE" => {
                if indent == 2 {
                    in_specs = line.trim() == "specs:";
                } else if indent == 4 && in_specs && section != "PATH" {
                    if let Some((name, version)) = spec(line.trim()) {
                        specs.push((name.to_string(), version.to_string(), i + 1));
                    }
                }
            }
            "DEPENDENCIES" if indent == 2 => {
                let name = line.split_whitespace().next().unwrap_or_default();
                let name = name.trim_end_matches('!');
                if let Some(set) = direct.as_mut() {
                    set.insert(name.to_string());
                }
            }
            _ => {}
        }
    }

    Ok(specs
        .into_iter()
        .map(|(name, version, line)| {
            let mut p = ctx.package(name.clone(), version, line);
            p.direct = direct.as_ref().map(|d| d.contains(&name));
            p
        })
        .collect())
}

/// `name (1.2.3-platform)` → (`name`, `1.2.3`).
fn spec(text: &str) -> Option<(&str, &str)> {
    let (name, rest) = text.split_once(" (")?;
    let version = rest.strip_suffix(')')?;
    let version = version.split('-').next().unwrap_or(version).trim();
    (!name.is_empty() && !version.is_empty()).then_some((name, version))
}

#[cfg(test)]
mod tests {
    use super::spec;

    #[test]
    fn specs() {
        assert_eq!(spec("rack (2.2.3)"), Some(("rack", "2.2.3")));
        assert_eq!(
            spec("nokogiri (1.13.3-x86_64-linux)"),
            Some(("nokogiri", "1.13.3"))
        );
        assert_eq!(spec("invalid-name"), None);
        assert_eq!(spec("x ()"), None);
    }
}
