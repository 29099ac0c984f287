//! Judging a candidate secret: is this value a credential, or a placeholder, a variable
//! reference, a word?
//!
//! Generic rules (`password = "..."`, `secret: ...`) match wherever code assigns to a name that
//! sounds secret, and most such assignments in real code hold nothing secret: `"changeme"`,
//! `"${DB_PASSWORD}"`, `"<your-key>"`, `"%(password)s"`, `"DB_PASSWORD"`, `"config.password"`.
//! A rule opts into these checks with data in its rule file (`min_length`, `max_length`,
//! `min_char_classes`, `placeholder = true`, `allow`, `stopwords`, `decode`); the engine calls
//! [`Filter::accepts`] on each candidate after the regex and entropy checks.

use super::rule::RuleSpec;
use regex::Regex;

/// How a rule wants its secret decoded before it is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decode {
    /// Base64 of `user:password` (HTTP basic auth, docker `auth`, npm `_auth`): the value is
    /// kept only if it decodes to printable text with a `:` and a non-empty password.
    Base64UserPass,
}

/// A rule's filters, compiled.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_char_classes: Option<u8>,
    pub placeholder: bool,
    pub allow: Vec<Regex>,
    /// Lowercase.
    pub stopwords: Vec<String>,
    pub decode: Option<Decode>,
}

impl Filter {
    /// Builds the filter a rule spec asks for; errors name the offending field.
    pub fn compile(spec: &RuleSpec) -> Result<Filter, String> {
        let allow = spec
            .allow
            .iter()
            .map(|a| Regex::new(a).map_err(|e| format!("invalid `allow` regex {a:?}: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(c) = spec.min_char_classes {
            if !(1..=4).contains(&c) {
                return Err(format!(
                    "min_char_classes must be 1 to 4 (lower, upper, digit, symbol), not {c}"
                ));
            }
        }
        if let (Some(min), Some(max)) = (spec.min_length, spec.max_length) {
            if min > max {
                return Err(format!("min_length {min} is above max_length {max}"));
            }
        }
        let decode = match spec.decode.as_deref() {
            None => None,
            Some("base64-userpass") => Some(Decode::Base64UserPass),
            Some(other) => {
                return Err(format!(
                    "unknown decode {other:?}: the only one is \"base64-userpass\""
                ))
            }
        };
        Ok(Filter {
            min_length: spec.min_length,
            max_length: spec.max_length,
            min_char_classes: spec.min_char_classes,
            placeholder: spec.placeholder,
            allow,
            stopwords: spec.stopwords.iter().map(|s| s.to_lowercase()).collect(),
            decode,
        })
    }

    /// Whether `secret` passes every check this rule asked for.
    pub fn accepts(&self, secret: &str) -> bool {
        let len = secret.chars().count();
        if self.min_length.is_some_and(|m| len < m) || self.max_length.is_some_and(|m| len > m) {
            return false;
        }
        if let Some(c) = self.min_char_classes {
            if char_classes(secret) < c {
                return false;
            }
        }
        if self.allow.iter().any(|r| r.is_match(secret)) {
            return false;
        }
        if !self.stopwords.is_empty() {
            let lower = secret.to_lowercase();
            if self.stopwords.iter().any(|w| lower.contains(w.as_str())) {
                return false;
            }
        }
        match self.decode {
            Some(Decode::Base64UserPass) => match decode_base64(secret) {
                Some(bytes) => {
                    let Ok(text) = String::from_utf8(bytes) else {
                        return false;
                    };
                    let Some((user, pass)) = text.split_once(':') else {
                        return false;
                    };
                    if user.is_empty()
                        || pass.is_empty()
                        || text.chars().any(|c| c.is_control())
                        || (self.placeholder && is_placeholder(pass))
                    {
                        return false;
                    }
                }
                None => return false,
            },
            None => {
                if self.placeholder && is_placeholder(secret) {
                    return false;
                }
            }
        }
        true
    }
}

/// Allowlist entries from `.hygiene.toml` that apply to every rule: regexes matched against
/// the secret and stopwords (case-insensitive substrings of it).
#[derive(Debug, Clone, Default)]
pub struct SecretAllow {
    pub regexes: Vec<Regex>,
    /// Lowercase.
    pub stopwords: Vec<String>,
}

impl SecretAllow {
    /// Whether the allowlist silences `secret`.
    pub fn rejects(&self, secret: &str) -> bool {
        if self.regexes.iter().any(|r| r.is_match(secret)) {
            return true;
        }
        if self.stopwords.is_empty() {
            return false;
        }
        let lower = secret.to_lowercase();
        self.stopwords.iter().any(|w| lower.contains(w.as_str()))
    }
}

/// How many of the four classes (lowercase, uppercase, digit, other) occur in `s`.
pub fn char_classes(s: &str) -> u8 {
    let (mut lower, mut upper, mut digit, mut other) = (false, false, false, false);
    for c in s.chars() {
        if c.is_lowercase() {
            lower = true;
        } else if c.is_uppercase() {
            upper = true;
        } else if c.is_ascii_digit() {
            digit = true;
        } else {
            other = true;
        }
    }
    lower as u8 + upper as u8 + digit as u8 + other as u8
}

/// Words that, anywhere in a value, mark it as a placeholder, a sample or a test value rather
/// than a live credential. Lowercase.
const PLACEHOLDER_WORDS: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "change_this",
    "changethis",
    "password",
    "passwd",
    "passw0rd",
    "p@ss",
    "p4ss",
    "example",
    "sample",
    "dummy",
    "placeholder",
    "your",
    "redacted",
    "replace",
    "insert",
    "fixme",
    "todo",
    "secret",
    "test",
    "fake",
    "mock",
    "demo",
    "default",
    "foobar",
    "foo",
    "token",
    "encrypted",
    "enc[",
    "secure:",
    "hunter2",
    "letmein",
    "qwerty",
    "123456",
    "abcdef",
    "abc123",
    "xxx",
    "***",
    "...",
    "___",
    "---",
    "${",
    "{{",
    "}}",
    "#{",
    "<%",
    "process.env",
    "os.environ",
    "getenv",
    "env(",
    "env[",
    "env.",
    "secrets.",
    "vault:",
    "vault(",
    "secretsmanager",
    "keyvault",
    "ssm:",
    "op://",
    "sm://",
    "lookup(",
    "var.",
];

/// Values that are placeholders when they are the whole value (lowercase).
const PLACEHOLDER_VALUES: &[&str] = &[
    "admin",
    "root",
    "user",
    "guest",
    "none",
    "null",
    "nil",
    "undefined",
    "true",
    "false",
    "empty",
    "string",
    "value",
    "required",
    "optional",
    "unknown",
    "invalid",
    "token",
    "key",
    "pass",
    "pwd",
    "foo",
    "bar",
    "baz",
    "qux",
    "abc",
    "1234",
    "12345",
    "postgres",
    "mysql",
    "sa",
    "welcome",
    "letmein1",
    "hidden",
    "private",
    "public",
    "masked",
    "notset",
    "unset",
];

/// Whether `s` looks like a placeholder, a reference to a variable or secret store, a file
/// path, or a sample value rather than a credential. Deliberately generous: a generic rule
/// that stays quiet on real code is worth more than one more catch of `"hunter22"`.
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    if t.is_empty() {
        return true;
    }
    let lower = t.to_lowercase();
    if PLACEHOLDER_VALUES.contains(&lower.as_str()) {
        return true;
    }
    if PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    let first = t.chars().next().unwrap_or(' ');
    let last = t.chars().last().unwrap_or(' ');
    // Template and variable syntax: $VAR, $(cmd), %VAR%, @VAR@, {name}, [name], !Ref, &ref.
    let second = t.chars().nth(1).unwrap_or(' ');
    let name_start = |c: char| c.is_alphabetic() || matches!(c, '{' | '(' | '_' | '\'');
    if (matches!(first, '$' | '!' | '&') && name_start(second))
        || (first == '@' && last == '@')
        || has_angle_placeholder(t)
        || (first == '%' && (last == '%' || t[1..].starts_with(|c: char| c.is_alphabetic())))
        || (first == '{' && last == '}')
        || (first == '[' && last == ']')
        || (first == '(' && last == ')')
        || (t.starts_with("__") && t.ends_with("__"))
    {
        return true;
    }
    // A file path or URL, not a value: `/run/secrets/db`, `./key.pem`, `~/.ssh/id_rsa`.
    if t.starts_with('/')
        || t.starts_with("./")
        || t.starts_with("../")
        || t.starts_with("~/")
        || t.contains("://")
        || t.starts_with("file:")
        || t.starts_with("classpath:")
    {
        return true;
    }
    if looks_like_file_name(&lower) {
        return true;
    }
    // An identifier or environment variable name: `DB_PASSWORD`, `config.password`,
    // `self.secret`, `getPassword()`.
    if looks_like_reference(t) {
        return true;
    }
    // Words and identifiers: letters joined by `-`, `_`, `.` (`X-Api-Key`, `passwordInput`,
    // `not-a-secret`), no digit, no other symbol. Long random tokens almost always hold a digit,
    // so only shorter values are judged this way.
    if t.chars()
        .all(|c| c.is_alphabetic() || matches!(c, '-' | '_' | '.' | ' '))
        && (t.chars().count() < 24 || t.contains(['-', '_', '.', ' ']) || is_camel_case(t))
    {
        return true;
    }
    // Numbers and dots only: versions, OIDs, addresses (`1.2.840.113549.1.9.7`).
    if t.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return true;
    }
    // A `{name}` or `{GUID}` group: format strings (`{0}`, `{password}`), Windows GUIDs.
    if has_brace_group(t) {
        return true;
    }
    // Percent-encoded test data (`%3A%40c`): real credentials are rarely stored escaped.
    if percent_escapes(t) >= 2 || has_printf_name(t) {
        return true;
    }
    // One character repeated, or a run of four of the same: `xxxx`, `0000`, `****`.
    if has_run(t, 4) {
        return true;
    }
    // Too few distinct characters to be random: `abab1212`.
    let mut distinct: Vec<char> = t.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 4 {
        return true;
    }
    false
}

/// `ENV_NAME`, `config.password`, `settings.DB_PASS`, `getPassword()`, `params[:password]`.
fn looks_like_reference(t: &str) -> bool {
    // SCREAMING_SNAKE with at least one underscore: an environment variable name.
    if t.len() >= 3
        && t.contains('_')
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && t.starts_with(|c: char| c.is_ascii_uppercase())
    {
        return true;
    }
    // Dotted identifiers: `config.password`, `settings.DB_PASS`, `self.apiKey`.
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() >= 2 && parts.iter().all(|p| is_identifier(p)) {
        return true;
    }
    // A call: `name(...)`.
    if let Some(open) = t.find('(') {
        let head = &t[..open];
        if t.ends_with(')')
            && !head.is_empty()
            && head
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == ':')
        {
            return true;
        }
    }
    false
}

/// `snake_case`, `SCREAMING_SNAKE`, `camelCase` or `PascalCase`, with at most two digits: a name
/// a programmer wrote, not random characters.
fn is_identifier(p: &str) -> bool {
    !p.is_empty()
        && p.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && p.chars().filter(|c| c.is_ascii_digit()).count() <= 2
        && (p.chars().all(|c| !c.is_ascii_uppercase())
            || p.chars().all(|c| !c.is_ascii_lowercase())
            || is_camel_case(&p.replace(|c: char| c.is_ascii_digit() || c == '_', "")))
}

/// `{0}`, `{password}`, `_SA_{262E99C9-6160-4871-ACEC-4E61736B6F21}`.
fn has_brace_group(t: &str) -> bool {
    let Some(open) = t.find('{') else {
        return false;
    };
    let rest = &t[open + 1..];
    match rest.find('}') {
        Some(close) => {
            close > 0
                && rest[..close]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        }
        None => false,
    }
}

/// How many `%XX` escapes (two hex digits) `t` holds.
fn percent_escapes(t: &str) -> usize {
    let b = t.as_bytes();
    (0..b.len().saturating_sub(2))
        .filter(|&i| b[i] == b'%' && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit())
        .count()
}

/// A Python `%(name)s` format placeholder.
fn has_printf_name(t: &str) -> bool {
    t.match_indices("%(").any(|(i, _)| {
        let rest = &t[i + 2..];
        match rest.find(')') {
            Some(close) => {
                close > 0
                    && rest[..close]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_')
            }
            None => false,
        }
    })
}

/// `GlobalEndpointTokenVersion`: capitalised words run together (every capital followed by a
/// lowercase letter). Random letters almost never look like this.
fn is_camel_case(t: &str) -> bool {
    let chars: Vec<char> = t.chars().collect();
    chars
        .iter()
        .enumerate()
        .all(|(i, c)| !c.is_uppercase() || chars.get(i + 1).is_some_and(|n| n.is_lowercase()))
}

/// `<your-key>`, `pre-<name>-post`: a name in angle brackets.
fn has_angle_placeholder(t: &str) -> bool {
    let Some(open) = t.find('<') else {
        return false;
    };
    let rest = &t[open + 1..];
    match rest.find('>') {
        Some(close) => {
            let inner = &rest[..close];
            !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '))
        }
        None => false,
    }
}

fn looks_like_file_name(lower: &str) -> bool {
    const EXTS: &[&str] = &[
        ".txt",
        ".pem",
        ".key",
        ".json",
        ".yml",
        ".yaml",
        ".xml",
        ".crt",
        ".cer",
        ".p12",
        ".pfx",
        ".jks",
        ".env",
        ".conf",
        ".cfg",
        ".ini",
        ".toml",
        ".html",
        ".php",
        ".js",
        ".py",
        ".rb",
        ".sh",
        ".properties",
        ".gpg",
        ".asc",
        ".der",
    ];
    EXTS.iter().any(|e| lower.ends_with(e))
}

fn has_run(s: &str, n: usize) -> bool {
    let mut prev = None;
    let mut count = 0;
    for c in s.chars() {
        if Some(c) == prev {
            count += 1;
            if count >= n {
                return true;
            }
        } else {
            prev = Some(c);
            count = 1;
        }
    }
    false
}

/// Standard or URL-safe base64, padding optional. `None` if `s` is not base64.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    }
    let body = s.trim_end_matches('=');
    if body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in body.as_bytes() {
        acc = (acc << 6) | value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            "changeme",
            "password123",
            "<your-key>",
            "${DB_PASSWORD}",
            "%(password)s",
            "xxxxxxxx",
            "example-key",
            "dummy",
            "DB_PASSWORD",
            "config.password",
            "os.getenv('X')",
            "{{ secrets.TOKEN }}",
            "$SECRET",
            "%DB_PASS%",
            "/run/secrets/db_password",
            "key.pem",
            "********",
            "process.env.TOKEN",
            "vault:secret/data/db#password",
            "getPassword()",
            "abababab",
            "null",
        ] {
            assert!(is_placeholder(p), "{p:?} should be a placeholder");
        }
    }

    #[test]
    fn real_looking_values_are_not_placeholders() {
        for s in [
            "Zq8rT2mLx9vW",
            "hJ3$kL9!pQ2w",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8f3kLm2N",
            "s3cUr3-Pr0d-2019!",
            "Tr0ub4dor&3",
        ] {
            assert!(!is_placeholder(s), "{s:?} should not be a placeholder");
        }
    }

    #[test]
    fn char_classes_count() {
        assert_eq!(char_classes("abc"), 1);
        assert_eq!(char_classes("aB1!"), 4);
        assert_eq!(char_classes("ABC123"), 2);
    }

    #[test]
    fn base64_decodes() {
        assert_eq!(decode_base64("dXNlcjpwYXNz").unwrap(), b"user:pass");
        assert_eq!(decode_base64("dXNlcjpwYXNzMQ==").unwrap(), b"user:pass1");
        assert!(decode_base64("not base64!").is_none());
    }
}
