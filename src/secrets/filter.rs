//! Judging a candidate secret: is this value a credential, or a placeholder, a variable
//! reference, a word?
//!
//! Generic rules (`password = "..."`, `secret: ...`) match wherever code assigns to a name that
//! sounds secret, and most such assignments in real code hold nothing secret: `"changeme"`,
//! `"${DB_PASSWORD}"`, `"<your-key>"`, `"%(password)s"`, `"DB_PASSWORD"`, `"config.password"`.
//! A rule opts into these checks with data in its rule file (`min_length`, `max_length`,
//! `min_char_classes`, `placeholder = true`, `allow`, `stopwords`, `decode`); the engine calls
//! [`Filter::accepts`] on each candidate after the regex and entropy checks.
//!
//! This module knows nothing of rules: a rule hands it those fields as a [`FilterSpec`].

use super::lazy_regex::LazyRegex;
use super::placeholder::is_placeholder;

/// How a rule wants its secret decoded before it is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decode {
    /// Base64 of `user:password` (HTTP basic auth, docker `auth`, npm `_auth`): the value is
    /// kept only if it decodes to printable text with a `:` and a non-empty password.
    Base64UserPass,
}

/// A rule's filter fields as written in its rule file (see `docs/RULES.md`).
#[derive(Debug, Clone, Copy, Default)]
pub struct FilterSpec<'a> {
    /// Minimum length of the secret, in characters.
    pub min_length: Option<usize>,
    /// Maximum length of the secret, in characters.
    pub max_length: Option<usize>,
    /// Minimum number of character classes (lowercase, uppercase, digit, other), 1 to 4.
    pub min_char_classes: Option<u8>,
    /// Drop placeholders, references and sample values.
    pub placeholder: bool,
    /// Regexes over the secret: a secret any of them matches is dropped.
    pub allow: &'a [String],
    /// Case-insensitive substrings: a secret containing any of them is dropped.
    pub stopwords: &'a [String],
    /// How to decode the secret before judging it: `"base64-userpass"`.
    pub decode: Option<&'a str>,
}

/// A rule's filters, compiled.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_char_classes: Option<u8>,
    pub placeholder: bool,
    /// Parsed when the rule loads, compiled on first use (`lazy_regex`).
    pub allow: Vec<LazyRegex>,
    /// Lowercase.
    pub stopwords: Vec<String>,
    pub decode: Option<Decode>,
}

impl Filter {
    /// Builds the filter `spec` asks for; errors name the offending field.
    pub fn compile(spec: &FilterSpec<'_>) -> Result<Filter, String> {
        let allow = spec
            .allow
            .iter()
            .map(|a| {
                LazyRegex::new(a, false).map_err(|e| format!("invalid `allow` regex {a:?}: {e}"))
            })
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
        let decode = match spec.decode {
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

    /// Compiles the `allow` regexes now (see [`LazyRegex::compile_now`]).
    pub fn compile_now(&self) -> Result<(), String> {
        for a in &self.allow {
            a.compile_now()
                .map_err(|e| format!("invalid `allow` regex {:?}: {e}", a.as_str()))?;
        }
        Ok(())
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
    pub regexes: Vec<regex::Regex>,
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

/// Standard or URL-safe base64, padding optional. `None` if `s` is not base64.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let body = s.trim_end_matches('=');
    if body.len() % 4 == 1 {
        return None;
    }
    decode_base64_bytes(body.as_bytes())
}

/// Base64 characters (standard or URL-safe, no padding) to bytes; `None` at any other byte.
/// Trailing bits of an incomplete group are dropped.
pub fn decode_base64_bytes(body: &[u8]) -> Option<Vec<u8>> {
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
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in body {
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
