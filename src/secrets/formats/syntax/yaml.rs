//! Block YAML, read line by line: `key: value` with the enclosing keys (by indentation) as the
//! parent path, `- key: value` list items, `- NAME=value` items (docker-compose
//! `environment`), quoted, plain and block (`|`, `>`) scalars, `---` between documents. Flow
//! collections (`{a: b}`) are not read. Kubeconfigs, compose files, Kubernetes manifests,
//! Ansible variables and Rails' `database.yml` are all written in this block style.

use super::{lines, scalar, unquote, Field};

/// A block scalar being read: its key, and the span of its lines so far.
struct Block {
    key: String,
    parent: String,
    indent: usize,
    start: Option<usize>,
    end: usize,
}

pub fn fields(text: &str) -> Vec<Field> {
    let mut out = Vec::new();
    // (indent of the key, key)
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut block: Option<Block> = None;
    let path = |stack: &[(usize, String)]| -> String {
        stack
            .iter()
            .map(|(_, k)| k.as_str())
            .collect::<Vec<_>>()
            .join(".")
    };
    for (offset, line) in lines(text) {
        let trimmed = line.trim_start();
        let mut indent = line.len() - trimmed.len();
        if let Some(b) = &mut block {
            if trimmed.is_empty() {
                continue;
            }
            if indent > b.indent {
                b.start.get_or_insert(offset + indent);
                b.end = offset + line.len();
                continue;
            }
            finish(block.take(), &mut out);
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if indent == 0 && (trimmed.starts_with("---") || trimmed.starts_with("...")) {
            stack.clear();
            continue;
        }
        let mut body = trimmed;
        let mut item = false;
        while let Some(rest) = body
            .strip_prefix("- ")
            .or(if body == "-" { Some("") } else { None })
        {
            let skipped = body.len() - rest.len();
            let rest_trimmed = rest.trim_start();
            indent += skipped + (rest.len() - rest_trimmed.len());
            body = rest_trimmed;
            item = true;
        }
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let at = offset + indent;
        let Some((key, key_len)) = key_of(body) else {
            if item {
                env_item(body, at, &path(&stack), &mut out);
            }
            continue;
        };
        let mut rest = &body[key_len..];
        let mut rest_at = at + key_len;
        let lead = rest.len() - rest.trim_start().len();
        rest = &rest[lead..];
        rest_at += lead;
        // Anchors and tags before the value: `&defaults`, `!!str`, `!vault |`.
        let mut tag = String::new();
        while rest.starts_with('&') || rest.starts_with('!') {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            if rest.starts_with('!') {
                tag = rest[..end].to_string();
            }
            let next = rest[end..].trim_start();
            rest_at += rest.len() - next.len();
            rest = next;
        }
        if rest.is_empty() || rest.starts_with('#') {
            if tag.is_empty() {
                stack.push((indent, key));
            } else {
                out.push(Field::new(key, path(&stack), rest_at, rest_at));
            }
            continue;
        }
        if rest.starts_with('|') || rest.starts_with('>') {
            block = Some(Block {
                key,
                parent: path(&stack),
                indent,
                start: None,
                end: 0,
            });
            continue;
        }
        if rest.starts_with('{') || rest.starts_with('[') {
            continue;
        }
        if let Some((start, end, unescaped)) = scalar(rest, rest_at, false) {
            // A plain scalar ends at ` #`.
            let end = if text[start..end].starts_with(['"', '\'']) {
                end
            } else {
                text[start..end]
                    .find(" #")
                    .map_or(end, |i| start + text[start..start + i].trim_end().len())
            };
            let mut field = Field::new(key, path(&stack), start, end);
            field.unescaped = unescaped;
            if !tag.is_empty() {
                field.unescaped = Some(format!("{tag} {}", &text[start..end]));
            }
            out.push(field);
        }
    }
    finish(block, &mut out);
    out
}

fn finish(block: Option<Block>, out: &mut Vec<Field>) {
    if let Some(b) = block {
        if let Some(start) = b.start {
            out.push(Field::new(b.key, b.parent, start, b.end));
        }
    }
}

/// The key at the start of `body` and the length up to and including its `:`, if `body` is a
/// `key: ...` line. Plain keys end at `: ` or a final `:`; quoted keys at their quote.
fn key_of(body: &str) -> Option<(String, usize)> {
    if body.starts_with('"') || body.starts_with('\'') {
        let q = body.chars().next()?;
        let close = body[1..].find(q)? + 1;
        let after = &body[close + 1..];
        let after_trim = after.trim_start();
        if after_trim.starts_with(':') {
            let colon = close + 1 + (after.len() - after_trim.len());
            return Some((body[1..close].to_string(), colon + 1));
        }
        return None;
    }
    let b = body.as_bytes();
    let colon = (0..b.len())
        .find(|&i| b[i] == b':' && b.get(i + 1).is_none_or(|n| *n == b' ' || *n == b'\t'))?;
    let key = body[..colon].trim();
    if key.is_empty() || key.starts_with('#') || key.contains(" #") {
        return None;
    }
    Some((key.to_string(), colon + 1))
}

/// A list item `NAME=value` (docker-compose `environment`, Kubernetes `args`), quoted or not.
fn env_item(body: &str, at: usize, parent: &str, out: &mut Vec<Field>) {
    let inner = unquote(body);
    let inner_at = at + body.find(inner).unwrap_or(0);
    let Some(eq) = inner.find('=') else {
        return;
    };
    let name = &inner[..eq];
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        return;
    }
    let value = inner[eq + 1..].trim_end();
    if !value.is_empty() {
        let start = inner_at + eq + 1;
        out.push(Field::new(name, parent, start, start + value.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(String, String, String)> {
        super::super::read_with(fields, text)
    }

    #[test]
    fn nested_keys_lists_and_env_items() {
        let text = "users:\n- name: dev\n  user:\n    token: abc # c\n    password: \"p q\"\nservices:\n  db:\n    environment:\n      - POSTGRES_PASSWORD=s3cret\n      - \"A=b\"\n---\nkind: Secret\n";
        assert_eq!(
            read(text),
            [
                ("users".into(), "name".into(), "dev".into()),
                ("users.user".into(), "token".into(), "abc".into()),
                ("users.user".into(), "password".into(), "p q".into()),
                (
                    "services.db.environment".into(),
                    "POSTGRES_PASSWORD".into(),
                    "s3cret".into()
                ),
                ("services.db.environment".into(), "A".into(), "b".into()),
                ("".into(), "kind".into(), "Secret".into()),
            ]
        );
    }

    #[test]
    fn block_scalars_and_tags() {
        let text = "a:\n  key: |\n    line1\n    line2\n  pw: !vault |\n    $ANSIBLE_VAULT;1.1;AES256\n    6162\nb: c\n";
        let got = read(text);
        assert_eq!(
            got[0],
            ("a".into(), "key".into(), "line1\n    line2".into())
        );
        assert_eq!(got[1].1, "pw");
        assert!(got[1].2.starts_with("$ANSIBLE_VAULT"));
        assert_eq!(got[2], ("".into(), "b".into(), "c".into()));
    }
}
