//! XML, read as tags and text: element text (`<Pass>v</Pass>`, CDATA too), attributes
//! (`password="v"`), and the name/value idioms configuration files use: `<add key="Password"
//! value="v"/>` (.NET, NuGet), `<property name="password" value="v"/>` (Spring, Ant),
//! `<Option Name="Pass">v</Option>` (FileZilla Server), `<entry key="password">v</entry>`
//! (Java properties XML), and KeePass' `<Key>Password</Key><Value>v</Value>` pairs. Names lose
//! their namespace prefix. A scanner, not a validating parser: broken markup is read as far as
//! it goes.

use super::Field;

struct Element {
    name: String,
    /// Where its text starts (after the start tag), and whether a child element was seen.
    text_start: usize,
    has_child: bool,
    /// The `key`/`name` attribute's value, for `<entry key="password">v</entry>`.
    name_attr: Option<String>,
    /// The text of the last `<Key>` child, for KeePass' `<Value>` after it.
    last_key_text: Option<String>,
}

pub fn fields(text: &str) -> Vec<Field> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut stack: Vec<Element> = Vec::new();
    let mut i = 0;
    let path = |stack: &[Element]| -> String {
        stack
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>()
            .join(".")
    };
    while let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|n| i + n) {
        let rest = &text[lt..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(b.len(), |n| lt + n + 3);
            continue;
        }
        if rest.starts_with("<![CDATA[") {
            i = rest.find("]]>").map_or(b.len(), |n| lt + n + 3);
            continue;
        }
        if rest.starts_with("<?") || rest.starts_with("<!") {
            i = rest.find('>').map_or(b.len(), |n| lt + n + 1);
            continue;
        }
        let Some(gt) = tag_end(b, lt) else {
            break;
        };
        if rest.starts_with("</") {
            let name = local(text[lt + 2..gt].trim());
            if let Some(pos) = stack.iter().rposition(|e| e.name == name) {
                while stack.len() > pos + 1 {
                    stack.pop();
                }
                if let Some(el) = stack.pop() {
                    close(&el, text, lt, &stack, &mut out);
                    let key_text = (el.name.eq_ignore_ascii_case("key") && !el.has_child)
                        .then(|| {
                            element_text(text, el.text_start, lt)
                                .map(|(s, e, _)| text[s..e].to_string())
                        })
                        .flatten();
                    if let Some(parent) = stack.last_mut() {
                        parent.last_key_text = key_text;
                    }
                }
            }
            i = gt + 1;
            continue;
        }
        // A start tag: `<name attr="v" ...>` or `<name .../>`.
        let inner = &text[lt + 1..gt];
        let self_closing = inner.ends_with('/');
        let inner = inner.trim_end_matches('/');
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        let name = local(&inner[..name_end]).to_string();
        if name.is_empty() {
            i = gt + 1;
            continue;
        }
        if let Some(parent) = stack.last_mut() {
            parent.has_child = true;
        }
        let attrs = attributes(text, lt + 1 + name_end, gt);
        let mut own_path = path(&stack);
        if !own_path.is_empty() {
            own_path.push('.');
        }
        own_path.push_str(&name);
        let mut name_attr = None;
        let mut value_attr = None;
        for (key, start, end) in &attrs {
            out.push(field(key, &own_path, text, *start, *end));
            match key.to_ascii_lowercase().as_str() {
                "key" | "name" => name_attr = Some(decode_entities(&text[*start..*end])),
                "value" => value_attr = Some((*start, *end)),
                _ => {}
            }
        }
        if let (Some(k), Some((start, end))) = (&name_attr, value_attr) {
            out.push(field(k, &own_path, text, start, end));
        }
        if self_closing {
            i = gt + 1;
            continue;
        }
        stack.push(Element {
            name,
            text_start: gt + 1,
            has_child: false,
            name_attr: if value_attr.is_none() {
                name_attr
            } else {
                None
            },
            last_key_text: None,
        });
        i = gt + 1;
    }
    out
}

/// Emits the text of an element that is closing at `close_at` (the `<` of its end tag).
fn close(el: &Element, text: &str, close_at: usize, stack: &[Element], out: &mut Vec<Field>) {
    if el.has_child {
        return;
    }
    let Some((start, end, unescaped)) = element_text(text, el.text_start, close_at) else {
        return;
    };
    let parent: Vec<&str> = stack.iter().map(|e| e.name.as_str()).collect();
    let parent = parent.join(".");
    let mut push = |key: &str, parent: String| {
        out.push(Field {
            key: key.to_string(),
            parent,
            start,
            end,
            unescaped: unescaped.clone(),
        });
    };
    push(&el.name, parent.clone());
    let own = if parent.is_empty() {
        el.name.clone()
    } else {
        format!("{parent}.{}", el.name)
    };
    if let Some(k) = &el.name_attr {
        push(k, own);
    }
    if el.name.eq_ignore_ascii_case("value") {
        if let Some(k) = stack.last().and_then(|p| p.last_key_text.clone()) {
            push(&k, parent);
        }
    }
}

/// The trimmed text between `from` and `to` (CDATA unwrapped), with entities decoded for
/// judging when they occur.
fn element_text(text: &str, from: usize, to: usize) -> Option<(usize, usize, Option<String>)> {
    let raw = text.get(from..to)?;
    let lead = raw.len() - raw.trim_start().len();
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    let start = from + lead;
    if let Some(body) = t
        .strip_prefix("<![CDATA[")
        .and_then(|s| s.strip_suffix("]]>"))
    {
        let s = start + 9;
        return (!body.is_empty()).then_some((s, s + body.len(), None));
    }
    if t.contains('<') {
        return None;
    }
    let unescaped = t.contains('&').then(|| decode_entities(t));
    Some((start, start + t.len(), unescaped))
}

fn field(key: &str, parent: &str, text: &str, start: usize, end: usize) -> Field {
    let raw = &text[start..end];
    Field {
        key: key.to_string(),
        parent: parent.to_string(),
        start,
        end,
        unescaped: raw.contains('&').then(|| decode_entities(raw)),
    }
}

/// The `>` ending the tag that starts at `lt`, skipping `>` inside quoted attribute values.
fn tag_end(b: &[u8], lt: usize) -> Option<usize> {
    let mut quote = None;
    for (j, &c) in b.iter().enumerate().skip(lt + 1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'>') => return Some(j),
            (None, b'<') => return None,
            _ => {}
        }
    }
    None
}

/// `name="value"` pairs between `from` and `to`: (local name, value start, value end).
fn attributes(text: &str, from: usize, to: usize) -> Vec<(String, usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        while i < to && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < to && !b[i].is_ascii_whitespace() && b[i] != b'=' {
            i += 1;
        }
        let name = &text[name_start..i];
        while i < to && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= to || b[i] != b'=' {
            continue;
        }
        i += 1;
        while i < to && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= to {
            break;
        }
        let q = b[i];
        if q != b'"' && q != b'\'' {
            continue;
        }
        let start = i + 1;
        let end = memchr::memchr(q, &b[start..to]).map_or(to, |n| start + n);
        if !name.is_empty() {
            out.push((local(name).to_string(), start, end));
        }
        i = end + 1;
    }
    out
}

/// The name without its namespace prefix (`ns:Password` -> `Password`).
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Decodes the five predefined entities and numeric character references.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after.find(';').filter(|&n| n <= 10) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let entity = &after[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(String, String, String)> {
        super::super::read_with(fields, text)
    }

    fn has(got: &[(String, String, String)], parent: &str, key: &str, value: &str) -> bool {
        got.iter()
            .any(|(p, k, v)| p == parent && k == key && v == value)
    }

    #[test]
    fn text_attributes_and_idioms() {
        let text = r#"<?xml version="1.0"?>
<FileZilla3><Servers><Server><Host>h</Host><Pass encoding="base64">cGFzcw==</Pass></Server></Servers></FileZilla3>
<configuration><packageSourceCredentials><feed><add key="ClearTextPassword" value="a&amp;b" /></feed></packageSourceCredentials></configuration>
<Option Name="Pass">opt</Option>
<webServer><fileTransfer host="h" password="attr" /></webServer>
<String><Key>Password</Key><Value ProtectInMemory="True">kp</Value></String>
<pw><![CDATA[cd]]></pw>
<!-- <password>commented</password> -->
"#;
        let got = read(text);
        assert!(
            has(&got, "FileZilla3.Servers.Server", "Pass", "cGFzcw=="),
            "{got:?}"
        );
        assert!(has(
            &got,
            "FileZilla3.Servers.Server.Pass",
            "encoding",
            "base64"
        ));
        assert!(has(
            &got,
            "configuration.packageSourceCredentials.feed.add",
            "ClearTextPassword",
            "a&amp;b"
        ));
        assert!(has(&got, "Option", "Pass", "opt"), "{got:?}");
        assert!(has(&got, "webServer.fileTransfer", "password", "attr"));
        assert!(has(&got, "String", "Password", "kp"), "{got:?}");
        assert!(has(&got, "", "pw", "cd"));
        assert!(!got.iter().any(|(_, _, v)| v == "commented"));
        let nuget = fields(text)
            .into_iter()
            .find(|f| f.key == "ClearTextPassword")
            .unwrap();
        assert_eq!(nuget.unescaped.as_deref(), Some("a&b"));
    }

    #[test]
    fn entities() {
        assert_eq!(decode_entities("a&lt;b&#65;&#x42;&bogus"), "a<bAB&bogus");
    }
}
