//! Is this value a credential, or a placeholder, a reference to one, a template marker?
//!
//! Two judgements, from narrow to wide:
//!
//! - [`is_placeholder_value`] looks at the *whole* value and drops only what cannot be a
//!   credential in any file: nothing, a reference to a variable or secret store (`${DB_PASS}`,
//!   `%env(APP_SECRET)%`, `os.environ["X"]`), a template marker (`{{ pass }}`, `<%= x %>`), a
//!   mask (`xxxxxxxx`, `********`) or a value made only of placeholder words (`password`,
//!   `changeme`, `<your-password>`, `your-api-key-here`). Credential-file formats use it alone:
//!   in an FTP client's saved sites `admin123`, `Pr0dDbPass` and `MySecret2020` are leaked
//!   passwords, however weak.
//! - [`is_placeholder`] adds what marks a value in *source code* as something other than a
//!   credential: identifiers (`DB_PASSWORD`, `config.password`), calls, file paths, words,
//!   version numbers, format strings. Generic rules use it: `password = "passwordInput"` in code
//!   is a widget name, not a leak.
//!
//! Words are judged as whole tokens, never as substrings: `MySecret2020` holds the letters of
//! `secret` but is not the word, while `my-secret-key` is three placeholder words.

/// Words a placeholder is made of besides the [`CORE`] ones (lowercase). A value is a
/// placeholder when every word in it is vocabulary (these or core words, digits aside) and the
/// combination is not plausibly chosen by a person (see [`made_of_placeholder_words`]).
const FILLER: &[&str] = &[
    "api",
    "access",
    "auth",
    "client",
    "private",
    "my",
    "super",
    "very",
    "top",
    "the",
    "a",
    "an",
    "some",
    "yours",
    "change",
    "me",
    "it",
    "this",
    "that",
    "to",
    "be",
    "replaced",
    "put",
    "set",
    "fill",
    "in",
    "goes",
    "nil",
    "undefined",
    "abc",
    "db",
    "database",
    "user",
    "username",
    "name",
    "new",
    "old",
    "dev",
    "local",
    "insecure",
    "unsafe",
    "not",
    "real",
    "is",
    "so",
    "hunter",
    "secure",
    "strong",
    "random",
    "long",
    "generated",
    "generate",
    "unique",
    "phrase",
    "of",
    "for",
    "and",
    "or",
    "with",
    "here's",
    "any",
    "whatever",
    "something",
    "stuff",
    "app",
    "application",
    "service",
    "server",
    "prod",
    "production",
    "staging",
    "env",
    "environment",
    "ci",
    "mail",
    "smtp",
    "email",
    "redis",
    "mysql",
    "postgres",
    "postgresql",
    "mongo",
    "jwt",
    "session",
    "encryption",
    "signing",
    "shared",
];

/// Vocabulary words that make a value a placeholder when every other word is vocabulary too
/// (`my-secret-key`, `password123`, `prod_password`); the rest (`server`, `redis`, `admin`)
/// only fill out a phrase: `Server_8406` is somebody's password.
const CORE: &[&str] = &[
    "password",
    "passwords",
    "passwd",
    "pass",
    "pwd",
    "passphrase",
    "passwort",
    "secret",
    "secrets",
    "key",
    "keys",
    "token",
    "tokens",
    "apikey",
    "changeme",
    "changeit",
    "test",
    "testing",
    "tests",
    "example",
    "examples",
    "sample",
    "dummy",
    "placeholder",
    "fake",
    "mock",
    "demo",
    "default",
    "value",
    "string",
    "xxx",
    "todo",
    "fixme",
    "tbd",
    "redacted",
    "hidden",
    "masked",
    "foo",
    "bar",
    "baz",
    "qux",
    "s3cr3t",
    "p4ssw0rd",
    "passw0rd",
    "here",
    "your",
    "replace",
    "insert",
    "enter",
    "none",
    "null",
    "empty",
];

/// Words that alone mark a value as a placeholder: nobody's real password says "your" or
/// "example".
const MARKERS: &[&str] = &[
    "your",
    "yours",
    "here",
    "example",
    "examples",
    "sample",
    "placeholder",
    "dummy",
    "changeme",
    "changeit",
    "replace",
    "replaced",
    "insert",
    "enter",
    "fill",
    "todo",
    "fixme",
    "tbd",
    "redacted",
    "xxx",
    "fake",
    "mock",
    "goes",
    "test",
    "testing",
];

/// Whole values that are placeholders although not made of placeholder words.
const PLACEHOLDER_VALUES: &[&str] = &[
    "none",
    "null",
    "nil",
    "undefined",
    "true",
    "false",
    "empty",
    "notset",
    "unset",
    "n/a",
    "na",
    "tbd",
    "hunter2",
    "foobar",
    "s3cr3t",
    "p@ssw0rd",
    "p@ssword",
    "passw0rd",
    "pa55word",
    "pa$$word",
    "p4ssw0rd",
    "secret!",
    "abc123",
    "123",
    "1234",
    "12345",
    "123456",
    "1234567",
    "12345678",
    "123456789",
    "mysecretpassword",
    "~",
    "*sensitive*data*deleted*",
    "thistokenisnotsosecretchangeit",
    "anonymous",
    "hunter22",
    "anonymous@",
    "guest@",
];

/// Whether the whole `value` is nothing a credential could be: empty, a reference to a
/// variable or secret store, a template marker, a mask, or placeholder words.
pub fn is_placeholder_value(value: &str) -> bool {
    let t = value.trim();
    if t.is_empty() {
        return true;
    }
    let lower = t.to_lowercase();
    // `AKIAIOSFODNN7EXAMPLE`, `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`: documentation marks
    // its sample keys in capitals; no random token spells it.
    if PLACEHOLDER_VALUES.contains(&lower.as_str()) || t.contains("EXAMPLE") {
        return true;
    }
    if is_reference(t, &lower) {
        return true;
    }
    // A mask: one character repeated, or only mask characters (`xxxxxxxx`, `********`, `...`).
    // Separators aside (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, `XXXX XXXX`).
    let bare: String = t
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | '.' | ' ' | ':'))
        .collect();
    if t.chars()
        .all(|c| matches!(c, '*' | '•' | '.' | '#' | '?' | '-' | '_'))
        || (!bare.is_empty() && bare.chars().all(|c| c == 'x' || c == 'X' || c == '*'))
        || (t.chars().count() >= 3 && all_same(t))
        || (bare.chars().count() >= 6 && all_same(&bare))
    {
        return true;
    }
    // `<your-password>`, `[PASSWORD]`, `(secret)`: a name in brackets.
    if has_angle_placeholder(t) && t.starts_with('<') && t.ends_with('>') {
        return true;
    }
    if let Some(inner) = bracketed(t) {
        // `[PASSWORD]`, `{db_password}`; not `{AQAAABAAAA...}`, a Jenkins or Maven encrypted
        // value, which is long and mixes digits in.
        let name_like = inner.len() <= 32 || !inner.chars().any(|c| c.is_ascii_digit());
        if name_like
            && inner
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '))
        {
            return true;
        }
    }
    made_of_placeholder_words(&lower)
}

/// `[name]`, `(name)`, `{name}` around the whole value: what is inside.
fn bracketed(t: &str) -> Option<&str> {
    let pairs = [('[', ']'), ('(', ')'), ('{', '}')];
    let first = t.chars().next()?;
    let last = t.chars().last()?;
    pairs
        .iter()
        .any(|&(o, c)| first == o && last == c)
        .then(|| &t[1..t.len() - 1])
        .filter(|inner| !inner.is_empty())
}

fn all_same(t: &str) -> bool {
    let mut chars = t.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    chars.all(|c| c == first)
}

/// A reference to a variable, secret store or template, anywhere in the value: nobody's
/// password contains `${`, `{{` or `os.environ`.
fn is_reference(t: &str, lower: &str) -> bool {
    const MARKS: &[&str] = &[
        "${",
        "{{",
        "{%",
        "%}",
        "<%",
        "%>",
        "#{",
        "process.env",
        "os.environ",
        "getenv",
        "env(",
        "env[",
        "env.fetch",
        "%env(",
        "system.getenv",
        "environment.getenvironment",
        "secrets.",
        "vault:",
        "vault(",
        "op://",
        "sm://",
        "lookup(",
        "$ansible_vault",
        "%{",
        "begin pgp message",
        "enc[",
        "secretsmanager",
        "keyvault",
        "ssm:",
        "{cipher}",
        "valuefrom",
        "secretkeyref",
        "from_secret",
        "encrypted[",
    ];
    if MARKS.iter().any(|m| lower.contains(m)) {
        return true;
    }
    let first = t.chars().next().unwrap_or(' ');
    let last = t.chars().last().unwrap_or(' ');
    // `$VAR`, `${VAR}`, `$(cmd)`, `$config['db']`, `$this->pass` (but not a crypt hash such
    // as `$apr1$...` or `$y$...`); `%VAR%` and Symfony's `%kernel.project_dir%/...`; `@VAR@`;
    // `__VAR__`; `ENV['X']`; a backtick command; a YAML tag (`!vault |`, `!Ref DbPass`).
    let dollar_name = t.strip_prefix('$').is_some_and(|rest| {
        rest.starts_with(['{', '('])
            || (rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') && {
                let name_end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                let after = &rest[name_end..];
                after.is_empty() || after.starts_with(['[', '(', '.']) || after.starts_with("->")
            })
    });
    dollar_name
        || has_percent_parameter(t)
        || (first == '@' && last == '@' && t.len() > 2 && is_name(&t[1..t.len() - 1]))
        || (t.starts_with("__") && t.ends_with("__") && t.len() > 4)
        || t.starts_with("ENV[")
        || t.starts_with("ENV.")
        || (first == '`' && last == '`' && t.len() > 2)
        || ["!vault", "!ref ", "!sub ", "!getatt ", "!secret ", "!env"]
            .iter()
            .any(|tag| lower.starts_with(tag))
}

/// `%VAR%` or a `%name.part%` parameter anywhere (`%kernel.project_dir%/config/jwt.pem`).
fn has_percent_parameter(t: &str) -> bool {
    let b = t.as_bytes();
    let mut i = 0;
    while let Some(open) = b[i..].iter().position(|&c| c == b'%').map(|k| i + k) {
        let rest = &t[open + 1..];
        match rest.find('%') {
            Some(close)
                if close > 1
                    && rest.starts_with(|c: char| c.is_ascii_alphabetic())
                    && is_name(&rest[..close]) =>
            {
                return true
            }
            Some(close) => i = open + 1 + close,
            None => return false,
        }
        if i >= b.len() {
            return false;
        }
    }
    false
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// Whether `lower` is made only of placeholder words (digits aside). With separators
/// (`your-api-key-here`, `my_secret_key`, `test-password-1`) every word must be placeholder
/// vocabulary; run together (`yourpasswordhere`, `password123`) the letters must split into
/// such words and either be one word, hold a marker (`your`, `here`, `example`), or be three
/// words or more (`mysecretpassword`). Two words run together stay a password:
/// `MySecret2020`, `SuperSecret1`.
fn made_of_placeholder_words(lower: &str) -> bool {
    // Placeholder phrases are joined by `-`, `_`, `.` or spaces; other symbols inside a value
    // (`Smtp!Pass2019`) are a person's choice. Trailing punctuation (`changeme!`) is not.
    let tokens: Vec<&str> = lower
        .split(['-', '_', '.', ' ', '<', '>', '[', ']', '/', ':', '@'])
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.is_empty() {
        return false;
    }
    let words: Vec<&str> = tokens
        .iter()
        .map(|t| t.trim_end_matches(|c: char| c.is_ascii_digit()))
        .filter(|t| !t.is_empty())
        .collect();
    if words.is_empty() {
        return false; // digits only: a PIN is a password
    }
    if tokens.len() > 1 {
        if words
            .iter()
            .all(|w| is_vocabulary(w) || MARKERS.contains(w))
            && words
                .iter()
                .any(|w| CORE.contains(w) || MARKERS.contains(w))
        {
            return true;
        }
        // A marker among a few words (`test-api-key-123`, `your_token_here`) is a
        // placeholder, unless another token is random (`sk_test_51Hq8xLm2Vt...`: a Stripe
        // test key is still a key).
        let random = tokens.iter().any(|t| {
            t.len() >= 12
                && t.chars().any(|c| c.is_ascii_digit())
                && t.chars().any(|c| c.is_ascii_alphabetic())
        });
        return !random && words.iter().any(|w| MARKERS.contains(w)) && words.len() <= 6;
    }
    let word = words[0];
    // A digit inside the letters (`p4ssw0rd` aside, which the vocabulary lists) means chosen.
    if word.chars().any(|c| c.is_ascii_digit()) && !is_vocabulary(word) {
        return false;
    }
    match segment(word) {
        Some(parts) => {
            parts.iter().any(|p| MARKERS.contains(p))
                || (parts.len() == 1 && CORE.contains(&parts[0]))
                || (parts.len() >= 3 && parts.iter().any(|p| CORE.contains(p)))
        }
        None => false,
    }
}

/// Whether `word` is a placeholder word: a [`CORE`] or a [`FILLER`] word.
fn is_vocabulary(word: &str) -> bool {
    CORE.contains(&word) || FILLER.contains(&word)
}

/// Splits `word` into vocabulary words (the fewest), if it can be.
fn segment(word: &str) -> Option<Vec<&'static str>> {
    let n = word.len();
    if n > 64 || !word.is_ascii() {
        return None;
    }
    // best[i]: the fewest words covering word[..i], with the last word's index.
    let mut best: Vec<Option<(usize, usize, &'static str)>> = vec![None; n + 1];
    best[0] = Some((0, 0, ""));
    for end in 1..=n {
        for start in 0..end {
            let Some((count, _, _)) = best[start] else {
                continue;
            };
            let piece = &word[start..end];
            if let Some(w) = CORE
                .iter()
                .chain(FILLER)
                .chain(MARKERS)
                .find(|w| **w == piece)
            {
                if best[end].is_none_or(|(c, _, _)| count + 1 < c) {
                    best[end] = Some((count + 1, start, w));
                }
            }
        }
    }
    let mut parts = Vec::new();
    let mut at = n;
    while at > 0 {
        let (_, start, w) = best[at]?;
        parts.push(w);
        at = start;
    }
    parts.reverse();
    Some(parts)
}

/// Whether `s`, found in *code or configuration* by a generic rule, is a placeholder,
/// reference, identifier, path, word or sample rather than a credential. Everything
/// [`is_placeholder_value`] drops, and what code puts in string literals that is not a secret.
/// Deliberately generous: a generic rule that stays quiet on real code is worth more than one
/// more catch of a dictionary word.
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    if is_placeholder_value(t) {
        return true;
    }
    let lower = t.to_lowercase();
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
    // A run of four of the same character: `xxxx`, `0000`, `****` inside a value.
    if has_run(t, 4) {
        return true;
    }
    // Too few distinct characters to be random: `abab1212`.
    let mut distinct: Vec<char> = t.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len() < 4
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_value_placeholders() {
        for p in [
            "",
            "password",
            "changeme",
            "<your-password>",
            "xxxxxxxx",
            "********",
            "your-api-key-here",
            "your_password_here",
            "yourpasswordhere",
            "password123",
            "secret",
            "my-secret-key",
            "mysecretpassword",
            "${DB_PASSWORD}",
            "$DB_PASS",
            "%env(APP_SECRET)%",
            "%DB_PASS%",
            "os.environ['DB_PASS']",
            "{{ db_password }}",
            "<%= ENV['X'] %>",
            "#{password}",
            "@DB_PASS@",
            "ENC[AES256_GCM,data:abc]",
            "!vault |",
            "[PASSWORD]",
            "django-insecure-changeme",
            "hunter2",
            "null",
            "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
            "%kernel.project_dir%/config/jwt/private.pem",
            "%{lookup('db::password')}",
            "`pass show mail`",
            "*SENSITIVE*DATA*DELETED*",
            "ThisTokenIsNotSoSecretChangeIt",
            "$config['db']",
            "!Ref DbPassword",
            "ENCRYPTED[cfd48b16731c254067ef7b39a7083384]",
            "changeme!",
            "!ChangeMe!",
            "anonymous@",
        ] {
            assert!(is_placeholder_value(p), "{p:?} should be a placeholder");
        }
    }

    #[test]
    fn weak_passwords_are_still_passwords() {
        for s in [
            "Pr0dDbPass",
            "MySecret2020",
            "admin123",
            "summer2019!",
            "Welcome1",
            "jenkins",
            "qwerty77",
            "Vt7qXm2Lz9",
            "SuperSecret1",
            "87654321",
            "$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/",
            "$y$j9T$Fq2Lx8mW4vR7tZ1k$Hn3pQ6sY9bC2eG5iK8mO1rU4wX7zA0dF3hJ6lN9q",
            "Smtp!Pass2019",
            "Server_8406",
            "sk_test_51Hq8xLm2VtR4nKp3Wz7Hc4Jd1FgSa0Yb6Tq9Xr2Lm5Vn8Qx7Vm2",
            "Hunter99",
            "django-insecure-^*5=r7@(+5f^vkcmo3mpcon3675zldd6db2",
            "q6xya1ty&quz_lolkmmv%_x%p7&2h4)%nqo+dtmj#ag*r9!byb",
            "Vt7qXm2Lz9!vault",
            "{\"auths\":{\"registry.gitlab.com\":{\"auth\":\"ZGVwbG95OlZ0N3FYbTJMejk=\"}}}",
            "{AQAAABAAAAAQ1x2y3z4A5B6C7D8E9F0G1H2I3J4K5L6M7N8O9P0}",
        ] {
            assert!(
                !is_placeholder_value(s),
                "{s:?} should not be a placeholder"
            );
        }
    }

    #[test]
    fn code_placeholders_are_recognised() {
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
    fn real_looking_values_are_not_code_placeholders() {
        for s in [
            "Zq8rT2mLx9vW",
            "hJ3$kL9!pQ2w",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8f3kLm2N",
            "s3cUr3-Pr0d-2019!",
            "Tr0ub4dor&3",
            "MySecret2020",
            "Pr0dDbPass",
        ] {
            assert!(!is_placeholder(s), "{s:?} should not be a placeholder");
        }
    }
}
