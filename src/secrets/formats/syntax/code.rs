//! String literals assigned in source code and code-like configuration: Python and Ruby
//! settings (`SECRET_KEY = '...'`, `'PASSWORD': '...'`, `:password => '...'`), PHP
//! (`define('DB_PASSWORD', '...')`, `$dbpasswd = '...';`, `public $password = '...';`,
//! `$cfg['Servers'][$i]['password'] = '...';`, `'password' => '...'`), JavaScript object
//! literals (`password: '...'`). Only literals count: a value computed from the environment
//! is no leak.

use super::{unescape, Field};
use regex::Regex;
use std::sync::OnceLock;

/// Left-hand sides: `define('NAME',`, a quoted name before `=>` or `:`, or a (possibly dotted
/// or subscripted) name before `=`, `=>`, `:=` or `:`. Then a single- or double-quoted
/// literal on the same line.
const ASSIGNMENT: &str = r#"(?x)
    (?:
        define\(\s*['"](?P<k1>[^'"\n]{1,100})['"]\s*,
      | ['"](?P<k2>[^'"\n]{1,100})['"]\s*(?:=>|:)
      | (?P<k3>[$@:]?[A-Za-z_][A-Za-z0-9_]*
            (?:(?:\.|->|::)[A-Za-z_][A-Za-z0-9_]*|\[\s*(?:'[^'\n]{1,100}'|"[^"\n]{1,100}"|\$?[A-Za-z0-9_]+)\s*\])*)
        \s*(?:=>|:=|=|:)
    )
    [\ \t]*(?:[rRbBuU]|[fF])?
    (?:'(?P<v1>[^'\\\n]*(?:\\.[^'\\\n]*)*)'|"(?P<v2>[^"\\\n]*(?:\\.[^"\\\n]*)*)")
"#;

fn assignment() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(ASSIGNMENT).expect("assignment regex compiles"))
}

pub fn fields(text: &str) -> Vec<Field> {
    let mut out = Vec::new();
    for caps in assignment().captures_iter(text) {
        let key = match (caps.name("k1"), caps.name("k2"), caps.name("k3")) {
            (Some(k), _, _) | (None, Some(k), _) => k.as_str().to_string(),
            (None, None, Some(k)) => last_name(k.as_str()),
            _ => continue,
        };
        let Some(v) = caps.name("v1").or_else(|| caps.name("v2")) else {
            continue;
        };
        if commented(text, caps.get(0).map_or(v.start(), |m| m.start())) {
            continue;
        }
        let raw = v.as_str();
        out.push(Field {
            key,
            parent: String::new(),
            start: v.start(),
            end: v.end(),
            unescaped: raw.contains('\\').then(|| unescape(raw)),
        });
    }
    out
}

/// Whether the line holding byte `at` is a comment before `at` (`#`, `//`, `/*`, the `*` of
/// a doc block, `--`): sample settings live in comments, as in phpMyAdmin's
/// `// $cfg['Servers'][$i]['controlpass'] = 'pmapass';` or Devise's `# config.secret_key = ...`.
fn commented(text: &str, at: usize) -> bool {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = text[start..at].trim_start();
    ["#", "//", "/*", "*", "--"]
        .iter()
        .any(|c| before.starts_with(c))
}

/// The last component of `$cfg['Servers'][$i]['password']`, `config.secret_key`, `:password`.
fn last_name(lhs: &str) -> String {
    let t = lhs.trim_end();
    if t.ends_with(']') {
        if let Some(open) = t.rfind('[') {
            let inner = t[open + 1..t.len() - 1].trim();
            return inner.trim_matches(|c| c == '\'' || c == '"').to_string();
        }
    }
    let last = t.rsplit(['.', ':', '>']).next().unwrap_or(t);
    last.trim_start_matches(['$', '@', ':']).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(String, String)> {
        fields(text)
            .into_iter()
            .map(|f| (f.key, text[f.start..f.end].to_string()))
            .collect()
    }

    #[test]
    fn assignments() {
        let text = r#"
define( 'DB_PASSWORD', 'wp1' );
SECRET_KEY = 'dj'
DATABASES = {'default': {'PASSWORD': "pg", 'HOST': 'h'}}
$cfg['Servers'][$i]['password'] = 'pma';
public $password = 'joomla';
config.secret_key_base = "rails"
  :password => 'rb',
password: 'js',
EMAIL_HOST_PASSWORD = os.environ["X"]
if password == "cmp":
// $cfg['Servers'][$i]['controlpass'] = 'commented';
  # config.secret_key = 'commented'
 * 'password' => 'commented',
"#;
        let got = read(text);
        for (k, v) in [
            ("DB_PASSWORD", "wp1"),
            ("SECRET_KEY", "dj"),
            ("PASSWORD", "pg"),
            ("password", "pma"),
            ("password", "joomla"),
            ("secret_key_base", "rails"),
            ("password", "rb"),
            ("password", "js"),
        ] {
            assert!(
                got.contains(&(k.to_string(), v.to_string())),
                "{k} {v}: {got:?}"
            );
        }
        assert!(
            !got.iter()
                .any(|(_, v)| v == "cmp" || v == "X" || v == "commented"),
            "{got:?}"
        );
    }
}
