//! `pom.xml` (Maven): the versions the file itself declares.
//!
//! Dependencies come from `project/dependencies`, `project/dependencyManagement/dependencies`
//! and the same two inside `project/profiles/profile`; build plugin dependencies are not the
//! project's and are ignored. `${property}` references in group, artifact and version are
//! resolved from the file's `<properties>` and from `project.version`, `project.groupId`,
//! `project.artifactId` and `project.parent.version` (recursively, with a limit). A
//! dependency without a version takes it from the file's `dependencyManagement`. A version
//! range takes its lower bound (`[1.2,2.0)` → `1.2`). Dependencies whose group, artifact or
//! version cannot be resolved within the file (parent POMs, BOM imports and `-D` properties
//! are not read) are skipped. Every package is direct (declared by the project); `dev`
//! means `<scope>test</scope>`. Line: the `<dependency>` start tag.

use super::lines::LineIndex;
use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{Ecosystem, Package};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashMap;

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "pom.xml",
    file_names: &["pom.xml"],
    matches: None,
    ecosystem: Ecosystem::Maven,
    family: Family::Lines,
    remedy: "fix the XML (check it with `mvn validate`)",
    parser: Parser::Text(parse),
};

#[derive(Default)]
struct Dep {
    line: usize,
    group: String,
    artifact: String,
    version: String,
    scope: String,
    managed: bool,
}

const DEP_PATHS: [&[&str]; 4] = [
    &["project", "dependencies", "dependency"],
    &[
        "project",
        "dependencyManagement",
        "dependencies",
        "dependency",
    ],
    &[
        "project",
        "profiles",
        "profile",
        "dependencies",
        "dependency",
    ],
    &[
        "project",
        "profiles",
        "profile",
        "dependencyManagement",
        "dependencies",
        "dependency",
    ],
];

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let index = LineIndex::new(content);
    let mut reader = Reader::from_str(content);
    reader.config_mut().check_end_names = true;

    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut props: HashMap<String, String> = HashMap::new();
    let mut deps: Vec<Dep> = Vec::new();
    let mut current: Option<Dep> = None;
    let mut saw_root = false;

    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
            ctx.error(Some(index.line_of(at)), format!("malformed XML: {e}"))
        })?;
        match event {
            Event::Start(start) => {
                let name = start.local_name().as_ref().to_string();
                if stack.is_empty() {
                    if name != "project" {
                        return Err(ctx.error(
                            Some(index.line_of(before)),
                            format!("the root element is <{name}>, not <project>"),
                        ));
                    }
                    saw_root = true;
                }
                stack.push(name);
                text.clear();
                if DEP_PATHS.iter().any(|p| path_is(&stack, p)) {
                    let managed = stack.iter().any(|s| s == "dependencyManagement");
                    current = Some(Dep {
                        line: index.line_of(before),
                        managed,
                        ..Dep::default()
                    });
                }
            }
            Event::Empty(_) if stack.is_empty() => saw_root = true,
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                if let Some(c) = entity(&r) {
                    text.push(c);
                }
            }
            Event::End(_) => {
                let value = text.trim().to_string();
                text.clear();
                let depth = stack.len();
                let tag = stack.last().map(String::as_str).unwrap_or_default();
                let parent = depth
                    .checked_sub(2)
                    .and_then(|i| stack.get(i))
                    .map(String::as_str);
                if let Some(dep) = current.as_mut() {
                    if parent == Some("dependency") {
                        match tag {
                            "groupId" => dep.group = value.clone(),
                            "artifactId" => dep.artifact = value.clone(),
                            "version" => dep.version = value.clone(),
                            "scope" => dep.scope = value.clone(),
                            _ => {}
                        }
                    }
                }
                if tag == "dependency" && DEP_PATHS.iter().any(|p| path_is(&stack, p)) {
                    if let Some(dep) = current.take() {
                        deps.push(dep);
                    }
                }
                match stack.get(..depth.saturating_sub(1)) {
                    Some([p, q]) if p == "project" && q == "properties" => {
                        props.insert(tag.to_string(), value);
                    }
                    Some([p]) if p == "project" => {
                        if matches!(tag, "version" | "groupId" | "artifactId") {
                            props.insert(format!("project.{tag}"), value.clone());
                            props.insert(format!("pom.{tag}"), value);
                        }
                    }
                    Some([p, q]) if p == "project" && q == "parent" => {
                        if matches!(tag, "version" | "groupId") {
                            props.insert(format!("project.parent.{tag}"), value);
                        }
                    }
                    _ => {}
                }
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        if content.trim().is_empty() {
            return Ok(Vec::new());
        }
        return Err(ctx.error(Some(1), "no <project> element: this is not a pom.xml"));
    }
    // A child without its own groupId/version inherits the parent's.
    for key in ["groupId", "version"] {
        if !props.contains_key(&format!("project.{key}")) {
            if let Some(v) = props.get(&format!("project.parent.{key}")).cloned() {
                props.insert(format!("project.{key}"), v);
            }
        }
    }

    // Resolve every declared field.
    let resolved: Vec<Dep> = deps
        .into_iter()
        .filter_map(|d| {
            Some(Dep {
                group: interpolate(&d.group, &props)?,
                artifact: interpolate(&d.artifact, &props)?,
                version: if d.version.is_empty() {
                    String::new()
                } else {
                    interpolate(&d.version, &props)?
                },
                scope: interpolate(&d.scope, &props).unwrap_or_default(),
                ..d
            })
        })
        .filter(|d| !d.group.is_empty() && !d.artifact.is_empty())
        .collect();
    let managed: HashMap<(String, String), String> = resolved
        .iter()
        .filter(|d| d.managed && !d.version.is_empty())
        .map(|d| ((d.group.clone(), d.artifact.clone()), d.version.clone()))
        .collect();

    let mut out = Vec::new();
    for d in resolved {
        let version = if d.version.is_empty() {
            match managed.get(&(d.group.clone(), d.artifact.clone())) {
                Some(v) => v.clone(),
                None => continue,
            }
        } else {
            d.version.clone()
        };
        let Some(version) = concrete_version(&version) else {
            continue;
        };
        let mut p = ctx.package(format!("{}:{}", d.group, d.artifact), version, d.line);
        p.direct = Some(true);
        p.dev = Some(d.scope == "test");
        out.push(p);
    }
    Ok(out)
}

fn path_is(stack: &[String], path: &[&str]) -> bool {
    stack.len() == path.len() && stack.iter().zip(path).all(|(a, b)| a == b)
}

fn entity(r: &quick_xml::events::BytesRef<'_>) -> Option<char> {
    if r.is_char_ref() {
        return r.resolve_char_ref().ok().flatten();
    }
    match &**r {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

/// Replaces `${name}` from `props`, repeatedly (properties may refer to properties), up to a
/// limit. `None` if a reference cannot be resolved.
fn interpolate(value: &str, props: &HashMap<String, String>) -> Option<String> {
    let mut s = value.to_string();
    for _ in 0..16 {
        let Some(start) = s.find("${") else {
            return Some(s);
        };
        let end = start + s.get(start..)?.find('}')?;
        let name = s.get(start + 2..end)?;
        let replacement = props.get(name)?.clone();
        s.replace_range(start..=end, &replacement);
        if s.len() > 4096 {
            return None;
        }
    }
    (!s.contains("${")).then_some(s)
}

/// A single version from a Maven version spec: `1.0` as is, a range's lower bound
/// (`[1.0,2.0)` → `1.0`, `[1.0]` → `1.0`); `None` for ranges without one (`(,1.0]`).
fn concrete_version(spec: &str) -> Option<String> {
    let spec = spec.trim();
    if spec.starts_with('[') || spec.starts_with('(') {
        let inner = spec.get(1..)?;
        let lower = inner.split([',', ']', ')']).next()?.trim();
        return (!lower.is_empty()).then(|| lower.to_string());
    }
    (!spec.is_empty()).then(|| spec.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation() {
        let mut props = HashMap::new();
        props.insert("a".to_string(), "${b}".to_string());
        props.insert("b".to_string(), "1.0".to_string());
        props.insert("loop".to_string(), "${loop}".to_string());
        assert_eq!(interpolate("${a}", &props).as_deref(), Some("1.0"));
        assert_eq!(interpolate("x-${b}-y", &props).as_deref(), Some("x-1.0-y"));
        assert_eq!(interpolate("${missing}", &props), None);
        assert_eq!(interpolate("${loop}", &props), None);
        assert_eq!(interpolate("${unterminated", &props), None);
    }

    #[test]
    fn versions() {
        assert_eq!(
            concrete_version("[9.4.35.v20201120,9.5)").as_deref(),
            Some("9.4.35.v20201120")
        );
        assert_eq!(concrete_version("[1.0]").as_deref(), Some("1.0"));
        assert_eq!(concrete_version("(,1.0]"), None);
        assert_eq!(concrete_version("2.0").as_deref(), Some("2.0"));
    }
}
