//! What a key's name says about its value: `DB_PASSWORD` holds a password, `csrf_token` does
//! not hold a credential, `password_file` holds a path.
//!
//! Two users: credential-file formats (`@password` and `@secret` in a format's `fields`) and
//! the generic rules, whose regexes capture the assigned name as `key` so that names such as
//! `nonce`, `integrity` or `cache_key` can veto a value that merely looks random. Names are
//! judged by their *last word* in any style (`dbPassword`, `DB_PASSWORD`, `db-password`,
//! `spring.datasource.password`), because suffixes decide what a name holds: `password_file`,
//! `token_url` and `api_key_id` hold no secret even though they start like one.

/// Splits a key into lowercase words at `_`, `-`, `.`, spaces, other punctuation and camelCase
/// boundaries: `dbPassword` -> `db password`, `AWS_SECRET_ACCESS_KEY` -> `aws secret access
/// key`, `XMLHttpToken` -> `xml http token`.
pub fn words(key: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = key.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = if i > 0 { chars[i - 1] } else { ' ' };
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        // A new word at `aB` and at the `B` of `ABc` (`XMLHttp` -> `XML`, `Http`).
        let boundary = c.is_uppercase()
            && !cur.is_empty()
            && (prev.is_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_uppercase() && next.is_lowercase()));
        if boundary {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Last words that name a password.
const PASSWORD_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "passphrase",
    "passwort",
    "pw",
    "passcode",
    "cpassword",
];

/// Words before `key` that make it a secret key (`api key`, `private key`, `app key`).
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "secret",
    "private",
    "access",
    "auth",
    "signing",
    "sign",
    "encryption",
    "encrypt",
    "decryption",
    "crypt",
    "crypto",
    "cipher",
    "master",
    "app",
    "application",
    "client",
    "license",
    "licence",
    "account",
    "storage",
    "shared",
    "preshared",
    "consumer",
    "webhook",
    "service",
    "session",
    "admin",
    "root",
    "subscription",
    "primary",
    "secondary",
    "sas",
    "hmac",
    "jwt",
    "validation",
    "ssh",
    "tls",
    "ssl",
    "gpg",
    "pgp",
    "deploy",
    "write",
    "read",
    "management",
    "mgmt",
    "server",
];

/// Words before `token` that make it something other than a credential.
const NOT_CREDENTIAL_TOKENS: &[&str] = &[
    "csrf",
    "xsrf",
    "authenticity",
    "antiforgery",
    "forgery",
    "page",
    "next",
    "prev",
    "previous",
    "continuation",
    "sync",
    "cache",
    "pagination",
    "cursor",
    "form",
    "lexer",
    "parse",
    "parser",
    "cancellation",
    "cancel",
    "idempotency",
    "max",
    "min",
    "num",
    "count",
    "bos",
    "eos",
    "pad",
    "unk",
    "sep",
    "mask",
    "special",
];

/// Words anywhere in a name that mark its value as a non-credential: CSRF tokens, nonces,
/// hashes, checksums, cache keys, public keys, identifiers.
const NOT_CREDENTIAL_WORDS: &[&str] = &[
    "csrf",
    "xsrf",
    "authenticity",
    "antiforgery",
    "nonce",
    "hash",
    "hashed",
    "checksum",
    "digest",
    "sha",
    "sha1",
    "sha256",
    "sha384",
    "sha512",
    "md5",
    "crc",
    "crc32",
    "integrity",
    "etag",
    "fingerprint",
    "cache",
    "public",
    "publishable",
    "pub",
    "idempotency",
    "pagination",
    "continuation",
    "cursor",
    "salt",
    "iv",
];

/// Last words that say the value is about a secret, not the secret: `password_file`,
/// `token_url`, `api_key_id`, `secret_name`, `password_min_length`.
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "file",
    "files",
    "path",
    "dir",
    "url",
    "uri",
    "endpoint",
    "host",
    "name",
    "names",
    "id",
    "ids",
    "type",
    "types",
    "length",
    "len",
    "size",
    "min",
    "max",
    "ttl",
    "expiry",
    "expires",
    "expiration",
    "timeout",
    "lifetime",
    "header",
    "field",
    "param",
    "policy",
    "policies",
    "pattern",
    "regex",
    "format",
    "prefix",
    "suffix",
    "label",
    "ref",
    "env",
    "var",
    "variable",
    "mode",
    "enabled",
    "enable",
    "required",
    "count",
    "version",
    "location",
    "arn",
    "kind",
    "command",
    "cmd",
    "helper",
    "store",
    "provider",
    "hint",
    "prompt",
    "reset",
    "change",
    "changed",
    "confirm",
    "confirmation",
    "strength",
    "rules",
    "rule",
    "method",
    "scheme",
    "source",
    "template",
    "title",
    "text",
    "message",
    "error",
    "placeholder",
    "input",
    "index",
    "region",
    "user",
    "username",
    "login",
    "email",
    "generator",
    "validator",
    "algorithm",
    "alg",
    "encoding",
    "encrypted",
    "bits",
];

/// Whether `key` names a password (`@password`): its last word is a password word.
pub fn is_password_key(key: &str) -> bool {
    let w = words(key);
    w.last().is_some_and(|last| is_password_word(last))
}

/// A password word, also run together with what it belongs to: `rootpw`, `bindpw`,
/// `adminpassword`, `dbpasswd` (LDAP and many daemons spell them so).
fn is_password_word(w: &str) -> bool {
    PASSWORD_WORDS.contains(&w)
        || (w.len() > 4 && (w.ends_with("password") || w.ends_with("passwd") || w.ends_with("pw")))
}

/// Whether `key` names a credential (`@secret`): a password, secret, token, API or private key,
/// client secret or credentials, and not a CSRF token, nonce, hash, public key or identifier.
pub fn is_secret_key(key: &str) -> bool {
    let w = words(key);
    let Some(last) = w.last() else {
        return false;
    };
    if is_password_word(last) {
        return true;
    }
    if w.iter().any(|x| NOT_CREDENTIAL_WORDS.contains(&x.as_str())) {
        return false;
    }
    let prev = w.len().checked_sub(2).map(|i| w[i].as_str());
    // Public by design: Pusher's app key, reCAPTCHA's site key.
    if last == "key" && (w.iter().any(|x| x == "pusher") || prev == Some("site")) {
        return false;
    }
    match last.as_str() {
        "secret" | "apikey" | "credentials" | "credential" | "creds" | "psk" | "auth"
        | "pepper" | "authtoken" | "accesstoken" | "secretkey" | "privatekey" | "appsecret" => true,
        "token" => !prev.is_some_and(|p| NOT_CREDENTIAL_TOKENS.contains(&p)),
        "key" => prev.is_some_and(|p| KEY_QUALIFIERS.contains(&p)),
        // Rails' `secret_key_base`, `secret_token`-style names whose last word is generic.
        "base" => w.len() >= 3 && w[w.len() - 3] == "secret" && w[w.len() - 2] == "key",
        _ => false,
    }
}

/// Whether a generic rule should drop a value assigned to `key` because the name says it is
/// not a credential: `csrf_token`, `nonce`, `integrity`, `sha256`, `cache_key`, `public_key`,
/// `password_file`, `token_url`, `api_key_id`.
pub fn names_non_credential(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    // `csrfmiddlewaretoken` (Django), `_token` (Laravel's CSRF field), `authenticity_token`.
    if lower.contains("csrf") || lower.contains("xsrf") || lower == "_token" {
        return true;
    }
    let w = words(key);
    let Some(last) = w.last() else {
        return false;
    };
    if PASSWORD_WORDS.contains(&last.as_str()) {
        return false;
    }
    if w.iter().any(|x| NOT_CREDENTIAL_WORDS.contains(&x.as_str())) {
        return true;
    }
    if last == "token" {
        let prev = w.len().checked_sub(2).map(|i| w[i].as_str());
        if prev.is_some_and(|p| NOT_CREDENTIAL_TOKENS.contains(&p)) {
            return true;
        }
    }
    NOT_SECRET_SUFFIXES.contains(&last.as_str()) && w.len() > 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_every_style() {
        assert_eq!(words("dbPassword"), ["db", "password"]);
        assert_eq!(
            words("AWS_SECRET_ACCESS_KEY"),
            ["aws", "secret", "access", "key"]
        );
        assert_eq!(
            words("spring.datasource.password"),
            ["spring", "datasource", "password"]
        );
        assert_eq!(words("XMLHttpToken"), ["xml", "http", "token"]);
        assert_eq!(
            words("//registry.npmjs.org/:_authToken"),
            ["registry", "npmjs", "org", "auth", "token"]
        );
        assert_eq!(words("smtp-pass"), ["smtp", "pass"]);
    }

    #[test]
    fn password_keys() {
        for k in [
            "password",
            "DB_PASSWORD",
            "dbPassword",
            "smtp_pass",
            "spring.datasource.password",
            "ansible_become_pass",
            "Pwd",
            "passphrase",
        ] {
            assert!(is_password_key(k), "{k}");
        }
        for k in [
            "bypass",
            "compass",
            "passport",
            "password_file",
            "password_min_length",
            "user",
        ] {
            assert!(!is_password_key(k), "{k}");
        }
    }

    #[test]
    fn secret_keys() {
        for k in [
            "SECRET_KEY_BASE",
            "secret_key_base",
            "AWS_SECRET_ACCESS_KEY",
            "github_token",
            "_authToken",
            "apiKey",
            "API_KEY",
            "client_secret",
            "clientSecret",
            "PrivateKey",
            "PresharedKey",
            "APP_KEY",
            "refresh_token",
            "DB_PASSWORD",
            "credentials",
            "psk",
            "devise_pepper",
            "openldap::server::rootpw",
        ] {
            assert!(is_secret_key(k), "{k}");
        }
        for k in [
            "csrf_token",
            "authenticity_token",
            "next_page_token",
            "public_key",
            "STRIPE_PUBLISHABLE_KEY",
            "token_url",
            "api_key_id",
            "AWS_ACCESS_KEY_ID",
            "secret_name",
            "cache_key",
            "key",
            "nonce",
            "integrity",
            "token_type",
            "password_file",
            "PUSHER_APP_KEY",
            "RECAPTCHA_SITE_KEY",
        ] {
            assert!(!is_secret_key(k), "{k}");
        }
    }

    #[test]
    fn non_credential_names() {
        for k in [
            "csrf_token",
            "authenticity_token",
            "nonce",
            "integrity",
            "sha256",
            "cache_key",
            "publicKey",
            "password_file",
            "token_url",
            "fileChecksum",
            "csrfmiddlewaretoken",
            "_token",
        ] {
            assert!(names_non_credential(k), "{k}");
        }
        for k in ["password", "api_key", "SECRET_KEY", "access_token", "token"] {
            assert!(!names_non_credential(k), "{k}");
        }
    }
}
