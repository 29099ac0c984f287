//! JSON and JSONC (comments and trailing commas, as in Sublime SFTP's `sftp-config.json` and
//! VS Code settings): every object member whose value is a string or a number, with the names
//! of the members that enclose it as its parent path. A token scanner rather than a parser,
//! so a truncated or hand-broken file still yields the members before and after the damage.

use super::{unescape, Field};

struct Frame {
    /// The member name this object or array is the value of.
    key: Option<String>,
    object: bool,
}

pub fn fields(text: &str) -> Vec<Field> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut pending: Option<String> = None;
    let mut i = 0;
    let parent = |stack: &[Frame]| -> String {
        let names: Vec<&str> = stack.iter().filter_map(|f| f.key.as_deref()).collect();
        names.join(".")
    };
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = memchr::memmem::find(&b[i + 2..], b"*/").map_or(b.len(), |n| i + 2 + n + 2);
            }
            b'{' | b'[' => {
                stack.push(Frame {
                    key: pending.take(),
                    object: b[i] == b'{',
                });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                pending = None;
                i += 1;
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                let mut escaped = false;
                while j < b.len() {
                    match b[j] {
                        _ if escaped => escaped = false,
                        b'\\' => escaped = true,
                        b'"' | b'\n' => break,
                        _ => {}
                    }
                    j += 1;
                }
                let end = j;
                i = (j + 1).min(b.len());
                let raw = &text[start..end];
                if is_key(b, i) && stack.last().is_none_or(|f| f.object) {
                    pending = Some(if raw.contains('\\') {
                        unescape(raw)
                    } else {
                        raw.to_string()
                    });
                    continue;
                }
                if let Some(key) = pending.take() {
                    out.push(Field {
                        key,
                        parent: parent(&stack),
                        start,
                        end,
                        unescaped: raw.contains('\\').then(|| unescape(raw)),
                    });
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < b.len() && matches!(b[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                if let Some(key) = pending.take() {
                    out.push(Field::new(key, parent(&stack), start, i));
                }
            }
            b',' => {
                pending = None;
                i += 1;
            }
            c if c.is_ascii_alphabetic() => {
                // true, false, null: a value that is no credential.
                pending = None;
                while i < b.len() && b[i].is_ascii_alphanumeric() {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// Whether the string that ended before `i` is a member name: the next token is `:`.
fn is_key(b: &[u8], mut i: usize) -> bool {
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) == Some(&b'/') && b.get(i + 1) == Some(&b'*') {
            match memchr::memmem::find(&b[i + 2..], b"*/") {
                Some(n) => i += 2 + n + 2,
                None => return false,
            }
            continue;
        }
        return b.get(i) == Some(&b':');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(String, String, String)> {
        super::super::read_with(fields, text)
    }

    #[test]
    fn members_with_paths() {
        let text = r#"{
  // comment "x": "y"
  "host": "h", "port": 22,
  "users": [{"name": "u", "user": {"token": "t\/1", "ok": true}}],
  /* block */ "password": "p w",
  "list": ["a", "b"],
}"#;
        assert_eq!(
            read(text),
            [
                ("".into(), "host".into(), "h".into()),
                ("".into(), "port".into(), "22".into()),
                ("users".into(), "name".into(), "u".into()),
                ("users.user".into(), "token".into(), r"t\/1".into()),
                ("".into(), "password".into(), "p w".into()),
            ]
        );
        assert_eq!(
            fields(text)[3].unescaped.as_deref(),
            Some("t/1"),
            "escapes undone for judging"
        );
    }

    #[test]
    fn broken_json_still_yields() {
        let text = "{\"a\": \"1\", \"password\": \"x\"\n \"unterminated: \"y";
        let got = read(text);
        assert!(
            got.iter().any(|(_, k, v)| k == "password" && v == "x"),
            "{got:?}"
        );
    }
}
