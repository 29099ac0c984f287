//! Helpers shared by the parsers: byte offset → line, the line where a key is declared,
//! and decoding TOML/YAML with errors that carry a line. (PyPI name normalisation is
//! [`crate::package::normalise_pypi_name`]: the OSV matcher needs it too.)

use super::Ctx;
use super::LockfileError;
use std::collections::HashMap;

/// Maps byte offsets in a text to 1-based line numbers.
pub struct LineIndex {
    /// Byte offset where each line starts; `starts[0] == 0`.
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset` (offsets past the end map to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i.max(1),
        }
    }
}

/// The keys directly inside the top-level YAML block `section:` (for example the package keys
/// of `packages:` in `pnpm-lock.yaml` or `pubspec.lock`), each with its 1-based line. Quoted
/// keys are unquoted. The first occurrence of a key wins.
///
/// This is a line scan, not a YAML parser: the document has already been parsed (and
/// validated) by `serde_yaml_ng`; this only recovers positions that the value tree lacks.
pub fn yaml_block_keys(content: &str, section: &str) -> HashMap<String, usize> {
    let mut keys = HashMap::new();
    let mut inside = false;
    let mut child_indent: Option<usize> = None;
    for (i, raw) in content.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = raw.len() - trimmed.len();
        if indent == 0 {
            inside = yaml_key(trimmed).as_deref() == Some(section);
            child_indent = None;
            continue;
        }
        if !inside {
            continue;
        }
        let want = *child_indent.get_or_insert(indent);
        if indent != want {
            continue;
        }
        if let Some(key) = yaml_key(trimmed) {
            keys.entry(key).or_insert(line_no);
        }
    }
    keys
}

/// The key of a `key: value` / `key:` YAML line (without indentation), unquoted.
pub fn yaml_key(line: &str) -> Option<String> {
    let line = line.trim_end();
    let first = line.chars().next()?;
    if first == '"' || first == '\'' {
        let mut out = String::new();
        let mut chars = line.char_indices().skip(1).peekable();
        while let Some((_, c)) = chars.next() {
            if c == first {
                if first == '\'' && chars.peek().map(|&(_, n)| n) == Some('\'') {
                    chars.next();
                    out.push('\'');
                    continue;
                }
                return Some(out);
            }
            if c == '\\' && first == '"' {
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                }
                continue;
            }
            out.push(c);
        }
        return None;
    }
    if let Some(idx) = line.find(": ") {
        return Some(line.get(..idx)?.to_string());
    }
    line.strip_suffix(':').map(str::to_string)
}

/// Decodes TOML into `T`, turning a syntax or shape error into a [`LockfileError`] at the
/// line the TOML parser points to.
pub(crate) fn toml_decode<T: serde::de::DeserializeOwned>(
    ctx: &Ctx<'_>,
    content: &str,
    index: &LineIndex,
) -> Result<T, LockfileError> {
    toml::from_str(content).map_err(|e| {
        let line = e.span().map(|s| index.line_of(s.start));
        ctx.error(line, e.message().trim_end())
    })
}

/// Decodes YAML into `T` (`None` for a document with no content: empty, or only comments),
/// turning errors into a [`LockfileError`] at the line the YAML parser points to.
pub(crate) fn yaml_decode<T: serde::de::DeserializeOwned>(
    ctx: &Ctx<'_>,
    content: &str,
) -> Result<Option<T>, LockfileError> {
    let has_content = content.lines().any(|l| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#') && t != "---"
    });
    if !has_content {
        return Ok(None);
    }
    serde_yaml_ng::from_str::<T>(content)
        .map(Some)
        .map_err(|e| {
            // libyaml counts lines its own way (a lone `\r` ends a line too), so the line
            // is recomputed from the error's character index, the way every other parser
            // here counts (found by fuzzing: an error "line" past the end of the file).
            let line = e.location().map(|l| {
                let byte = content
                    .char_indices()
                    .nth(l.index())
                    .map_or(content.len(), |(b, _)| b);
                LineIndex::new(content).line_of(byte)
            });
            let mut msg = e.to_string();
            // serde_yaml_ng appends " at line L column C"; the line is reported separately.
            if let Some(idx) = msg.find(" at line ") {
                msg.truncate(idx);
            }
            ctx.error(line, msg)
        })
}

/// Splits `name@version` at the last `@` that is not the first character (so `@scope/name@1.0`
/// works). `None` when there is no such `@`.
pub fn split_name_version(spec: &str) -> Option<(&str, &str)> {
    let idx = spec.rfind('@').filter(|&i| i > 0)?;
    Some((spec.get(..idx)?, spec.get(idx + 1..)?))
}

/// Whether `version` looks like a registry version (starts with a digit), as opposed to a
/// URL, a path, a git reference or a protocol such as `file:`, `github:` or `workspace:`.
pub fn is_registry_version(version: &str) -> bool {
    version.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_maps_offsets() {
        let idx = LineIndex::new("ab\ncd\n\nef");
        assert_eq!(idx.line_of(0), 1);
        assert_eq!(idx.line_of(2), 1);
        assert_eq!(idx.line_of(3), 2);
        assert_eq!(idx.line_of(6), 3);
        assert_eq!(idx.line_of(7), 4);
        assert_eq!(idx.line_of(100), 4);
    }

    #[test]
    fn name_version_split() {
        assert_eq!(split_name_version("@a/b@1.0"), Some(("@a/b", "1.0")));
        assert_eq!(split_name_version("a@npm:b@1"), Some(("a@npm:b", "1")));
        assert_eq!(split_name_version("@a/b"), None);
        assert!(is_registry_version("1.0"));
        assert!(!is_registry_version("file:../x"));
        assert!(!is_registry_version(""));
    }

    #[test]
    fn yaml_keys_are_found_with_lines() {
        let text = "lockfileVersion: 5\npackages:\n\n  /a/1.0.0:\n    dev: false\n  '/@b/c/2.0.0':\n    x: 1\n  \"d@1\": {}\nother:\n  e: 1\n";
        let keys = yaml_block_keys(text, "packages");
        assert_eq!(keys.get("/a/1.0.0"), Some(&4));
        assert_eq!(keys.get("/@b/c/2.0.0"), Some(&6));
        assert_eq!(keys.get("d@1"), Some(&8));
        assert_eq!(keys.get("e"), None);
        assert_eq!(keys.len(), 3);
    }

    #[test]
    fn yaml_key_forms() {
        assert_eq!(yaml_key("file:../a:").as_deref(), Some("file:../a"));
        assert_eq!(yaml_key("a@1: {}").as_deref(), Some("a@1"));
        assert_eq!(yaml_key("'it''s': 1").as_deref(), Some("it's"));
        assert_eq!(yaml_key("no colon"), None);
        assert_eq!(yaml_key("'unterminated"), None);
    }
}
