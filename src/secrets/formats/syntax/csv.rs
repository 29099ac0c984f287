//! CSV exports with a header row (browser and password-manager exports: Chrome's `name,url,
//! username,password`, Bitwarden's `login_password`, KeePass' `"Password"`): each row's cell
//! under a column whose header matches. The delimiter (`,`, `;` or tab) is the header's most
//! frequent; quoted cells (`"a,b"`, `""` for a quote) are read; a cell may not span lines.

use super::{lines, Field};

pub fn fields(text: &str) -> Vec<Field> {
    let mut out = Vec::new();
    let mut header: Option<Vec<String>> = None;
    let mut delimiter = b',';
    for (offset, line) in lines(text) {
        if line.trim().is_empty() {
            continue;
        }
        let Some(columns) = &header else {
            delimiter = [b',', b';', b'\t']
                .into_iter()
                .max_by_key(|d| line.bytes().filter(|b| b == d).count())
                .unwrap_or(b',');
            header = Some(
                cells(line, delimiter)
                    .into_iter()
                    .map(|(s, e)| line[s..e].trim().to_string())
                    .collect(),
            );
            continue;
        };
        for (i, (s, e)) in cells(line, delimiter).into_iter().enumerate() {
            if let Some(name) = columns.get(i) {
                if e > s {
                    let raw = &line[s..e];
                    out.push(Field {
                        key: name.clone(),
                        parent: String::new(),
                        start: offset + s,
                        end: offset + e,
                        unescaped: raw.contains("\"\"").then(|| raw.replace("\"\"", "\"")),
                    });
                }
            }
        }
    }
    out
}

/// The spans of a line's cells (inside their quotes).
fn cells(line: &str, delimiter: u8) -> Vec<(usize, usize)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        if b.get(i) == Some(&b'"') {
            let start = i + 1;
            let mut j = start;
            while j < b.len() {
                if b[j] == b'"' {
                    if b.get(j + 1) == Some(&b'"') {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j += 1;
            }
            out.push((start, j.min(b.len())));
            i = memchr::memchr(delimiter, &b[j.min(b.len())..]).map_or(b.len(), |n| j + n);
        } else {
            let end = memchr::memchr(delimiter, &b[i..]).map_or(b.len(), |n| i + n);
            out.push((i, end));
            i = end;
        }
        if i >= b.len() {
            break;
        }
        i += 1; // the delimiter
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_columns() {
        let text = "name,url,username,password\nsite,\"https://a,b\",bob,\"p\"\"w\"\nx,y,z,plain\n";
        let got: Vec<(String, String)> = fields(text)
            .into_iter()
            .filter(|f| f.key == "password")
            .map(|f| (f.key, text[f.start..f.end].to_string()))
            .collect();
        assert_eq!(
            got,
            [
                ("password".to_string(), "p\"\"w".to_string()),
                ("password".to_string(), "plain".to_string())
            ]
        );
    }
}
