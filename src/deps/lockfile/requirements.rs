//! `requirements*.txt` (PyPI): pinned requirements (`name==1.2.3`, `name===1.2.3`, with
//! optional extras, environment markers and per-requirement options). Unpinned, ranged and
//! wildcard requirements, URLs and local paths name no single version and are skipped.
//! Every pinned requirement is reported as direct (it is listed explicitly); dev is unknown.
//! Line: the first line of the (possibly `\`-continued) requirement.
//!
//! `-r other.txt` / `--requirement other.txt` includes are followed, resolved relative to the
//! including file, through a caller-supplied reader; packages from an included file carry
//! that file's path and line. Include cycles are cut, includes that would leave the scan root
//! (absolute paths, too many `..`) or that the reader cannot supply are skipped (the walk
//! finds and parses most included files on its own anyway); at most 16 levels and 256
//! files are followed from one top-level file. `-c` constraint files are not
//! followed: they restrict versions but install nothing.

use super::{dedupe, Ctx, Descriptor, Family, Format, LockfileError, Parser};
use crate::package::{normalise_pypi_name, Ecosystem, Package};
use std::collections::HashSet;
use std::path::Path;

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "requirements.txt",
    file_names: &[],
    matches: Some(is_requirements_file),
    ecosystem: Ecosystem::PyPI,
    family: Family::Lines,
    remedy: "fix the line (one requirement per line, e.g. `name==1.2.3`), or regenerate it with `pip freeze` / `pip-compile`",
    parser: Parser::Includes(parse_with_includes),
};

/// Whether a file is a requirements file by its name: a `.txt` whose name contains
/// `requirements` in any case (`requirements.txt`, `requirements-dev.txt`,
/// `dev-requirements.txt`, `test_requirements.txt`), or any `.txt` inside a `requirements/`
/// folder.
fn is_requirements_file(name: &str, path: &Path) -> bool {
    let lower = name.to_ascii_lowercase();
    if !lower.ends_with(".txt") {
        return false;
    }
    lower.contains("requirements")
        || path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|p| p.to_str())
            == Some("requirements")
}

/// How deep `-r` includes are followed.
const MAX_INCLUDE_DEPTH: usize = 16;
/// How many files one top-level requirements file may pull in, in all. Without a total
/// limit, files that each include several new paths (`-r a/r.txt`, `-r b/r.txt`, ...)
/// expand exponentially even with cycle detection (found by fuzzing).
const MAX_INCLUDED_FILES: usize = 256;

/// Parses a requirements file at `rel_path` (relative to the scan root, `/`-separated),
/// following `-r` includes: `read` gets the included file's root-relative path (already
/// normalised, never outside the root) and returns its text, or `None` if it cannot.
pub fn parse_with_includes(
    rel_path: &str,
    content: &str,
    read: &mut dyn FnMut(&str) -> Option<String>,
) -> Result<Vec<Package>, LockfileError> {
    let mut visited = HashSet::new();
    visited.insert(normalise(rel_path).unwrap_or_else(|| rel_path.to_string()));
    let mut out = Vec::new();
    parse_one(rel_path, content, read, &mut visited, 0, &mut out);
    Ok(dedupe(out))
}

fn parse_one(
    rel_path: &str,
    content: &str,
    read: &mut dyn FnMut(&str) -> Option<String>,
    visited: &mut HashSet<String>,
    depth: usize,
    out: &mut Vec<Package>,
) {
    let ctx = Ctx {
        format: Format::Requirements,
        path: rel_path,
    };
    for (line_no, logical) in logical_lines(content) {
        let line = strip_comment(&logical);
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(target) = include_target(line) {
            if depth >= MAX_INCLUDE_DEPTH {
                continue;
            }
            let Some(included) = resolve(rel_path, target) else {
                continue;
            };
            if visited.len() > MAX_INCLUDED_FILES || !visited.insert(included.clone()) {
                continue; // too many files, a cycle, or already included
            }
            if let Some(text) = read(&included) {
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
                parse_one(&included, &text, read, visited, depth + 1, out);
            }
            continue;
        }
        if line.starts_with('-') {
            continue; // other options: -c, -e, -i, --hash on its own, ...
        }
        if let Some((name, version)) = pinned(line) {
            let mut p = ctx.package(normalise_pypi_name(name), version, line_no);
            p.direct = Some(true);
            out.push(p);
        }
    }
}

/// Joins `\`-continued lines; yields (first physical line number, text).
pub(crate) fn logical_lines(content: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, raw) in content.lines().enumerate() {
        let (start, mut text) = current.take().unwrap_or((i + 1, String::new()));
        // A comment line ends a continuation (pip drops it).
        let piece = raw.trim_end();
        if let Some(body) = piece.strip_suffix('\\') {
            if !piece.trim_start().starts_with('#') {
                text.push_str(body);
                text.push(' ');
                current = Some((start, text));
                continue;
            }
        }
        text.push_str(piece);
        out.push((start, text));
    }
    if let Some(last) = current {
        out.push(last);
    }
    out
}

/// Drops a `#` comment: at the start of the line, or after whitespace (pip's rule, so
/// `--hash=sha256:abc#` is not a comment).
pub(crate) fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes.get(i - 1).is_some_and(u8::is_ascii_whitespace)) {
            return line.get(..i).unwrap_or(line);
        }
    }
    line
}

/// The file named by `-r FILE`, `-rFILE`, `--requirement FILE` or `--requirement=FILE`.
fn include_target(line: &str) -> Option<&str> {
    let rest = if let Some(r) = line.strip_prefix("--requirement") {
        r.strip_prefix('=').unwrap_or(r)
    } else {
        line.strip_prefix("-r")?
    };
    let target = rest.trim();
    (!target.is_empty() && !target.starts_with('-')).then_some(target)
}

/// `dir/of/including.txt` + `../other.txt` → `dir/other.txt`; `None` for absolute paths,
/// URLs, and paths that climb out of the root.
fn resolve(including: &str, target: &str) -> Option<String> {
    if target.starts_with('/') || target.contains("://") || target.contains('\\') {
        return None;
    }
    let dir = including.rsplit_once('/').map_or("", |(d, _)| d);
    if dir.is_empty() {
        normalise(target)
    } else {
        normalise(&format!("{dir}/{target}"))
    }
}

fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// `name[extras] == version [; markers] [--options]` → (name, version) when pinned to one
/// exact version.
fn pinned(line: &str) -> Option<(&str, &str)> {
    let line = line.split(';').next().unwrap_or(line);
    let name_end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(line.len());
    let name = line.get(..name_end)?;
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    let mut rest = line.get(name_end..)?.trim_start();
    if let Some(after) = rest.strip_prefix('[') {
        rest = after.get(after.find(']')? + 1..)?.trim_start();
    }
    let rest = rest
        .strip_prefix("===")
        .or_else(|| rest.strip_prefix("=="))?
        .trim_start();
    let version = rest.split_whitespace().next()?;
    let valid = version.starts_with(|c: char| c.is_ascii_alphanumeric())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '!' | '+' | '-' | '_'));
    valid.then_some((name, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins() {
        assert_eq!(pinned("docopt == 0.6.1"), Some(("docopt", "0.6.1")));
        assert_eq!(
            pinned("celery [redis, pytest] == 4.4.7"),
            Some(("celery", "4.4.7"))
        );
        assert_eq!(pinned("yolo===1.0"), Some(("yolo", "1.0")));
        assert_eq!(
            pinned("foo5==1.0; python_version < \"2.7\" --hash=x"),
            Some(("foo5", "1.0"))
        );
        assert_eq!(pinned("asdf==0.7.*"), None);
        assert_eq!(pinned("qwert==${MY_VARIABLE_1}"), None);
        assert_eq!(pinned("keyring >= 4.1.1"), None);
        assert_eq!(pinned("==1.0"), None);
        assert_eq!(pinned("asdf=="), None);
        assert_eq!(pinned("requests [security] >= 2.8.1, == 2.8.*"), None);
        assert_eq!(pinned("pkg [unterminated == 1.0"), None);
    }

    #[test]
    fn includes_resolve() {
        assert_eq!(
            resolve("a/b/req.txt", "../c.txt").as_deref(),
            Some("a/c.txt")
        );
        assert_eq!(resolve("req.txt", "dev.txt").as_deref(), Some("dev.txt"));
        assert_eq!(resolve("req.txt", "../x.txt"), None);
        assert_eq!(resolve("req.txt", "/etc/passwd"), None);
        assert_eq!(include_target("-r other.txt"), Some("other.txt"));
        assert_eq!(include_target("--requirement=o.txt"), Some("o.txt"));
        assert_eq!(include_target("-rfoo.txt"), Some("foo.txt"));
        assert_eq!(include_target("-r"), None);
    }

    #[test]
    fn comments_and_continuations() {
        assert_eq!(strip_comment("a==1 # x"), "a==1 ");
        assert_eq!(
            strip_comment("a==1 --hash=sha256:x#y"),
            "a==1 --hash=sha256:x#y"
        );
        let lines = logical_lines("a==1 \\\n  --hash=x\nb==2\nc==3 \\");
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].0, 1);
        assert_eq!(lines[1], (3, "b==2".to_string()));
    }
}
