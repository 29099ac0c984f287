//! `key value` lines: `.msmtprc`, `.mbsyncrc`, `redis.conf`, `.muttrc` (`set key = value`),
//! `ldap.conf`. The first word is the key; the rest of the line, after an optional `=` or `:`,
//! is the value.

use super::{lines, scalar, Field};

pub fn fields(text: &str) -> Vec<Field> {
    let mut out = Vec::new();
    for (offset, line) in lines(text) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let mut at = offset + (line.len() - trimmed.len());
        let mut body = trimmed;
        for prefix in ["set ", "export "] {
            if let Some(rest) = body.strip_prefix(prefix) {
                at += prefix.len();
                body = rest.trim_start();
                at += rest.len() - body.len();
                break;
            }
        }
        let key_end = body
            .find(|c: char| c.is_whitespace() || c == '=' || c == ':')
            .unwrap_or(body.len());
        let key = &body[..key_end];
        if key.is_empty() {
            continue;
        }
        let mut rest = &body[key_end..];
        let mut rest_at = at + key_end;
        let skipped = rest.len() - rest.trim_start().len();
        rest = &rest[skipped..];
        rest_at += skipped;
        if let Some(r) = rest.strip_prefix(['=', ':']) {
            rest = r;
            rest_at += 1;
        }
        if let Some((start, end, unescaped)) = scalar(rest, rest_at, true) {
            out.push(Field {
                key: key.to_string(),
                parent: String::new(),
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

    #[test]
    fn directives() {
        let text = "# c\npassword s3cret\nset smtp_pass = \"a b\"\nrequirepass \"foo\"\nPass  x1 # c\nlonely\n";
        let got: Vec<(String, String)> = fields(text)
            .into_iter()
            .map(|f| (f.key, text[f.start..f.end].to_string()))
            .collect();
        assert_eq!(
            got,
            [
                ("password".into(), "s3cret".into()),
                ("smtp_pass".into(), "a b".into()),
                ("requirepass".into(), "foo".into()),
                ("Pass".into(), "x1".into()),
            ]
        );
    }
}
