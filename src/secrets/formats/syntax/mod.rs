//! Syntaxes: each reads a file's text into [`Field`]s (a key, its parent path, and the exact
//! byte span of its value), without judging them. One file per syntax; the formats in
//! `patterns/formats/` say which syntax reads them and which fields are credentials.
//!
//! These are tolerant readers, not validating parsers: a credential file copied into a
//! repository is often hand-edited, truncated or commented, and a reader that gives up on the
//! first oddity would miss the password two lines below it. Each yields what it can and never
//! fails.

pub mod code;
pub mod csv;
pub mod directive;
pub mod ini;
pub mod json;
pub mod xml;
pub mod yaml;

/// One value in a file, as a syntax read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The key that names the value (`Pass`, `DB_PASSWORD`, `password`).
    pub key: String,
    /// The enclosing keys joined by `.` (an INI section, JSON/YAML/XML ancestors).
    pub parent: String,
    /// Byte span of the value's text in the file (inside its quotes).
    pub start: usize,
    pub end: usize,
    /// The value with the syntax's escapes undone (`\"`, `&amp;`), when that differs from the
    /// file's text.
    pub unescaped: Option<String>,
}

impl Field {
    pub fn new(
        key: impl Into<String>,
        parent: impl Into<String>,
        start: usize,
        end: usize,
    ) -> Self {
        Field {
            key: key.into(),
            parent: parent.into(),
            start,
            end,
            unescaped: None,
        }
    }
}

/// Lines of `text` with the byte offset each starts at, without their `\n` (or `\r\n`).
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split('\n').map(move |line| {
        let start = offset;
        offset += line.len() + 1;
        (start, line.strip_suffix('\r').unwrap_or(line))
    })
}

/// A quoted or bare value starting at `rest` (which begins at byte `at` of the file): the span
/// of its text and its unescaped form. A bare value ends at a ` #` or ` ;` comment when
/// `comments` is set, and has surrounding blanks trimmed.
pub fn scalar(rest: &str, at: usize, comments: bool) -> Option<(usize, usize, Option<String>)> {
    let lead = rest.len() - rest.trim_start().len();
    let r = &rest[lead..];
    let at = at + lead;
    let first = r.chars().next()?;
    if first == '"' || first == '\'' {
        let body = &r[1..];
        let mut escaped = false;
        for (i, c) in body.char_indices() {
            if escaped {
                escaped = false;
            } else if c == '\\' && first == '"' {
                escaped = true;
            } else if c == first {
                let raw = &body[..i];
                let unescaped = (first == '"' && raw.contains('\\')).then(|| unescape(raw));
                return Some((at + 1, at + 1 + i, unescaped));
            }
        }
        // No closing quote: take the rest of the line as written.
        let end = r.trim_end().len();
        return (end > 1).then_some((at + 1, at + end, None));
    }
    let mut end = r.len();
    if comments {
        let b = r.as_bytes();
        for i in 1..b.len() {
            if (b[i] == b'#' || b[i] == b';') && (b[i - 1] == b' ' || b[i - 1] == b'\t') {
                end = i;
                break;
            }
        }
    }
    let value = r[..end].trim_end();
    (!value.is_empty()).then_some((at, at + value.len(), None))
}

/// Undoes backslash escapes: `\"`, `\\`, `\/`, `\n`, `\t`, `\uXXXX`.
pub fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Strips one layer of matching quotes.
pub fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

/// Test helper: each field as (parent, key, the file's text at its span).
#[cfg(test)]
pub fn read_with(fields: fn(&str) -> Vec<Field>, text: &str) -> Vec<(String, String, String)> {
    fields(text)
        .into_iter()
        .map(|f| (f.parent, f.key, text[f.start..f.end].to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars() {
        assert_eq!(scalar(" \"a b\" # x", 10, true), Some((12, 15, None)));
        assert_eq!(scalar("abc # x", 0, true), Some((0, 3, None)));
        assert_eq!(scalar("abc#x", 0, true), Some((0, 5, None)));
        assert_eq!(scalar("  ", 0, true), None);
        assert_eq!(
            scalar(r#""a\"b""#, 0, true),
            Some((1, 5, Some("a\"b".to_string())))
        );
    }

    #[test]
    fn unescapes() {
        assert_eq!(unescape(r"a\/b\n\u0041"), "a/b\nA");
    }
}
