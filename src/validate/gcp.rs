//! Google Cloud: a service account key is checked by what every client library does with it
//! first: sign a JWT with the key and exchange it for an access token at Google's token
//! endpoint (<https://developers.google.com/identity/protocols/oauth2/service-account#httprest>).
//! The exchange grants nothing by itself and changes nothing; the token is not used. The
//! private key never leaves the machine, only a signature made with it.
//!
//! The JWT names the service account (`client_email`), which the rule's finding does not
//! hold: it comes from the key itself when the finding is a whole key file (the base64 rule),
//! else from the file the key was found in (a working-tree scan reads it again). The file's
//! `token_uri` is never used: the endpoint is Google's, fixed here.

use super::http::fetch;
use super::{Client, Target};
use crate::finding::{UnknownReason, Validation};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};

/// Google's OAuth 2.0 token endpoint.
pub const HOST: &str = "oauth2.googleapis.com";
const TOKEN_URL: &str = "https://oauth2.googleapis.com/token";
/// A read-only scope: the token asked for could read, never change, had it been used.
const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform.read-only";
/// The largest key file read again to find its `client_email`.
const MAX_FILE: u64 = 1 << 20;

/// A service account's identity and key, ready to sign.
pub struct Account {
    pub email: String,
    key_der: Vec<u8>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Account({})", self.email)
    }
}

/// The PKCS#8 DER of a PEM private key as found in a JSON file (`\n` escapes or newlines).
fn pem_der(pem: &str) -> Option<Vec<u8>> {
    let text = pem.replace("\\n", "\n");
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    STANDARD.decode(body).ok()
}

/// The `client_email` values in a text (a key file, or JSON inside a string), when there is
/// exactly one.
fn one_email(text: &str) -> Option<String> {
    let re =
        regex::Regex::new(r#"\\?"client_email\\?"\s*:\s*\\?"([^"\\\s]+@[^"\\\s]+)\\?""#).ok()?;
    let mut emails: Vec<&str> = re
        .captures_iter(text)
        .filter_map(|c| c.get(1).map(|m| m.as_str()))
        .collect();
    emails.sort_unstable();
    emails.dedup();
    match emails.as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    }
}

/// The account a finding's secret belongs to: the secret itself when it is a whole key file
/// (JSON, or base64 of it), else the private key with the `client_email` of `file_text`.
pub fn account(secret: &str, file_text: Option<&str>) -> Result<Account, Validation> {
    let incomplete = |d: &str| Validation::unknown(UnknownReason::Incomplete, d);
    let decoded = STANDARD
        .decode(secret.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    let whole = decoded.as_deref().unwrap_or(secret);
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(whole) {
        let email = json["client_email"].as_str();
        let key = json["private_key"].as_str();
        return match (email, key.and_then(pem_der)) {
            (Some(email), Some(key_der)) => Ok(Account {
                email: email.to_string(),
                key_der,
            }),
            _ => Err(incomplete("the key file lacks client_email or private_key")),
        };
    }
    let key_der = pem_der(secret).ok_or_else(|| incomplete("not a PEM private key"))?;
    let email = file_text
        .and_then(one_email)
        .ok_or_else(|| incomplete("no client_email beside the key"))?;
    Ok(Account { email, key_der })
}

/// Reads the file a key was found in again (a working-tree scan), for its `client_email`.
pub fn read_key_file(path: &std::path::Path) -> Option<String> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(MAX_FILE)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

/// The signed JWT assertion for `account`, issued at `now` (seconds since the epoch).
pub fn assertion(account: &Account, now: i64) -> Result<String, Validation> {
    let bad_key = || {
        Validation::unknown(
            UnknownReason::Incomplete,
            "the private key is not a usable RSA key",
        )
    };
    let pair = RsaKeyPair::from_pkcs8(&account.key_der).map_err(|_| bad_key())?;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let claims = serde_json::json!({
        "iss": account.email,
        "scope": SCOPE,
        "aud": TOKEN_URL,
        "iat": now,
        "exp": now + 600,
    });
    let claims = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signing_input = format!("{header}.{claims}");
    let mut signature = vec![0u8; pair.public().modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        signing_input.as_bytes(),
        &mut signature,
    )
    .map_err(|_| bad_key())?;
    Ok(format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature)
    ))
}

/// Exchanges a signed assertion for a token: `active` when Google issues one.
pub fn check(client: &Client, target: &Target, account: &Account) -> Validation {
    let now = jiff::Timestamp::now().as_second();
    let jwt = match assertion(account, now) {
        Ok(jwt) => jwt,
        Err(v) => return v,
    };
    let Some(url) = reqwest::Url::parse(TOKEN_URL)
        .ok()
        .and_then(|u| target.url(u))
    else {
        return Validation::unknown(UnknownReason::Incomplete, "bad token URL");
    };
    let body =
        format!("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={jwt}");
    let request = client
        .http
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    let request = target.mark(request, HOST, "gcp-jwt");
    match fetch(request) {
        Ok((status, body)) => judge(status, &body),
        Err(v) => v,
    }
}

/// 200 with an `access_token`: active. 400 `invalid_grant` (a deleted key: "Invalid JWT
/// Signature"; a deleted account) or 401 `invalid_client` (a disabled one): inactive.
pub fn judge(status: u16, body: &[u8]) -> Validation {
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let field = |k: &str| {
        json.as_ref()
            .and_then(|j| j.get(k))
            .and_then(|v| v.as_str())
    };
    match status {
        200 if field("access_token").is_some() => Validation::active(),
        400 if field("error") == Some("invalid_grant") => Validation::inactive(),
        401 if field("error") == Some("invalid_client") => Validation::inactive(),
        429 => Validation::unknown(UnknownReason::RateLimited, "HTTP 429"),
        _ => Validation::unknown(UnknownReason::UnexpectedAnswer, format!("HTTP {status}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::ValidationState;

    #[test]
    fn the_email_comes_from_the_key_file_or_its_surroundings() {
        let file = r#"{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "client_email": "ci@demo.iam.gserviceaccount.com"}"#;
        assert_eq!(
            one_email(file).as_deref(),
            Some("ci@demo.iam.gserviceaccount.com")
        );
        let escaped = r#"KEY='{\"client_email\": \"a@b.iam.gserviceaccount.com\"}'"#;
        assert_eq!(
            one_email(escaped).as_deref(),
            Some("a@b.iam.gserviceaccount.com")
        );
        let two = r#""client_email": "a@x.com", "client_email": "b@x.com""#;
        assert_eq!(one_email(two), None);
        let whole = STANDARD.encode(file);
        let account = account(&whole, None).expect("a whole key file");
        assert_eq!(account.email, "ci@demo.iam.gserviceaccount.com");
        // An invented key is not an RSA key: no request is made.
        let v = assertion(&account, 0).expect_err("not RSA");
        assert_eq!(v.reason, Some(UnknownReason::Incomplete));
    }

    #[test]
    fn token_answers() {
        let v = |s, b: &str| judge(s, b.as_bytes()).state;
        assert_eq!(v(200, r#"{"access_token":"x"}"#), ValidationState::Active);
        assert_eq!(
            v(
                400,
                r#"{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"#
            ),
            ValidationState::Inactive
        );
        assert_eq!(v(500, ""), ValidationState::Unknown);
    }
}
