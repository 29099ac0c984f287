//! INI and its relatives: `[section]` headers and `key = value` / `key: value` lines. Also
//! reads `.env` files (`export KEY=value`), Java `.properties`, `.npmrc`, `.s3cfg` and the
//! string tables of TOML files, which share the shape.

use super::{lines, scalar, unquote, Field};

/// The separator of a `key = value` or `key: value` line: the first `=`, or a `:` followed by
/// a blank or the end of the line, whichever comes first. (`//registry.npmjs.org/:_authToken=x`
/// splits at the `=`; `DATABASE_URL: postgres://h/db?ssl=on` at the `: `.)
fn separator(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    (0..b.len()).find(|&i| {
        b[i] == b'=' || (b[i] == b':' && b.get(i + 1).is_none_or(|n| *n == b' ' || *n == b'\t'))
    })
}

pub fn fields(text: &str) -> Vec<Field> {
    let mut out = Vec::new();
    let mut section = String::new();
    for (offset, line) in lines(text) {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if trimmed.starts_with('[') {
            if let Some(close) = trimmed.rfind(']') {
                section = trimmed[1..close]
                    .trim_matches(|c| c == '[' || c == ']')
                    .trim()
                    .to_string();
                continue;
            }
        }
        let mut body = trimmed;
        let mut at = offset + indent;
        for prefix in ["export ", "set ", "setenv "] {
            if let Some(rest) = body.strip_prefix(prefix) {
                at += prefix.len();
                body = rest;
                break;
            }
        }
        let Some(sep) = separator(body) else {
            continue;
        };
        let key = unquote(body[..sep].trim());
        if key.is_empty() {
            continue;
        }
        let value_at = at + sep + 1;
        if let Some((start, end, unescaped)) = scalar(&body[sep + 1..], value_at, true) {
            out.push(Field {
                key: key.to_string(),
                parent: section.clone(),
                start,
                end,
                unescaped,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(String, String, String)> {
        super::super::read_with(fields, text)
    }

    #[test]
    fn sections_keys_values() {
        let text = "; c\n[default]\naws_secret_access_key = abc/def # note\n[profile dev]\nkey: \"q v\"\nexport TOKEN='t1'\n//r.org/:_authToken=xyz\nURL: http://h/a?b=c\n";
        assert_eq!(
            read(text),
            [
                (
                    "default".into(),
                    "aws_secret_access_key".into(),
                    "abc/def".into()
                ),
                ("profile dev".into(), "key".into(), "q v".into()),
                ("profile dev".into(), "TOKEN".into(), "t1".into()),
                (
                    "profile dev".into(),
                    "//r.org/:_authToken".into(),
                    "xyz".into()
                ),
                ("profile dev".into(), "URL".into(), "http://h/a?b=c".into()),
            ]
        );
    }

    #[test]
    fn empty_values_and_odd_lines_yield_nothing() {
        assert!(read("password=\n[x\njunk line\n= v\n")
            .iter()
            .all(|(_, k, _)| k != "password"));
    }
}
