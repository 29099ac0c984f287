//! AWS: an access key pair is checked with `sts:GetCallerIdentity`, which every IAM identity
//! may call, needs no permission and changes nothing
//! (<https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html>).
//!
//! The request is signed with Signature Version 4
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>), which
//! needs code rather than a template: the secret key never leaves the machine, only an HMAC
//! chain derived from it. The secret access key is found by one rule and its access key ID by
//! another; the pairs tried are the secret with each long-term (`AKIA`) key ID found in the
//! same file (as TruffleHog and Kingfisher pair them). A temporary (`ASIA`) ID also needs its
//! session token, which is not paired: such a pair is `unknown`.

use super::http::fetch;
use super::{Client, Target};
use crate::finding::{UnknownReason, Validation, ValidationState};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The global STS endpoint (region us-east-1).
pub const HOST: &str = "sts.amazonaws.com";
const REGION: &str = "us-east-1";
const SERVICE: &str = "sts";
const BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";
const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";
/// Most key IDs tried with one secret (a file listing many keys pairs each with each).
pub const MAX_PAIRS: usize = 4;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    // HMAC takes keys of any length: `new_from_slice` cannot fail for it.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// What SigV4 signs: the request in canonical form, minus the payload hash.
pub struct Canonical<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    /// Lowercase names, sorted, values trimmed.
    pub headers: &'a [(&'a str, &'a str)],
    pub payload: &'a [u8],
}

/// The `Signature=` and `SignedHeaders=` of a request signed at `amz_date`
/// (`20150830T123600Z`).
pub fn sign(
    c: &Canonical<'_>,
    secret: &str,
    amz_date: &str,
    region: &str,
    service: &str,
) -> (String, String) {
    let signed_headers: Vec<&str> = c.headers.iter().map(|(k, _)| *k).collect();
    let signed_headers = signed_headers.join(";");
    let canonical_headers: String = c
        .headers
        .iter()
        .map(|(k, v)| format!("{k}:{}\n", v.trim()))
        .collect();
    let canonical = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{}",
        c.method,
        c.path,
        c.query,
        hex(&Sha256::digest(c.payload))
    );
    let date = &amz_date[..8.min(amz_date.len())];
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date);
    let k_region = hmac(&k_date, region);
    let k_service = hmac(&k_region, service);
    let k_signing = hmac(&k_service, "aws4_request");
    (hex(&hmac(&k_signing, &to_sign)), signed_headers)
}

/// Checks a secret access key against each key ID (at most [`MAX_PAIRS`]): `active` as soon
/// as STS accepts a pair, `inactive` when it refuses every pair, else the first `unknown`.
pub fn check(client: &Client, target: &Target, secret: &str, key_ids: &[String]) -> Validation {
    let long_term: Vec<&String> = key_ids
        .iter()
        .filter(|id| !id.starts_with("ASIA"))
        .take(MAX_PAIRS)
        .collect();
    if long_term.is_empty() {
        let detail = match key_ids.is_empty() {
            true => "no access key ID in the same file",
            false => "a temporary (ASIA) key needs its session token",
        };
        return Validation::unknown(UnknownReason::Incomplete, detail);
    }
    let mut first_unknown = None;
    for id in long_term {
        let v = check_pair(client, target, id, secret);
        match v.state {
            ValidationState::Active => return v,
            ValidationState::Inactive => {}
            ValidationState::Unknown => {
                first_unknown.get_or_insert(v);
            }
        }
    }
    first_unknown.unwrap_or_else(Validation::inactive)
}

fn check_pair(client: &Client, target: &Target, key_id: &str, secret: &str) -> Validation {
    let amz_date = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let headers = [
        ("content-type", CONTENT_TYPE),
        ("host", HOST),
        ("x-amz-date", amz_date.as_str()),
    ];
    let canonical = Canonical {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        payload: BODY.as_bytes(),
    };
    let (signature, signed) = sign(&canonical, secret, &amz_date, REGION, SERVICE);
    let date = &amz_date[..8];
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={key_id}/{date}/{REGION}/{SERVICE}/aws4_request, \
         SignedHeaders={signed}, Signature={signature}"
    );
    let Ok(url) = reqwest::Url::parse(&format!("https://{HOST}/")) else {
        return Validation::unknown(UnknownReason::Incomplete, "bad STS URL");
    };
    let Some(url) = target.url(url) else {
        return Validation::unknown(UnknownReason::Incomplete, "bad STS URL");
    };
    let request = client
        .http
        .post(url)
        .header("content-type", CONTENT_TYPE)
        .header("x-amz-date", amz_date.as_str())
        .header("authorization", authorization)
        .body(BODY);
    let request = target.mark(request, HOST, "aws-sts");
    let (status, body) = match fetch(request) {
        Ok(answer) => answer,
        Err(v) => return v,
    };
    judge(status, &String::from_utf8_lossy(&body))
}

/// STS answers XML: 200 with the caller's ARN; 403 with `InvalidClientTokenId` (no such key
/// ID) or `SignatureDoesNotMatch` (the ID exists, the secret is not its); 400 `Throttling`.
pub fn judge(status: u16, body: &str) -> Validation {
    match status {
        200 if body.contains("<Arn>") => Validation::active(),
        403 if body.contains("InvalidClientTokenId") || body.contains("SignatureDoesNotMatch") => {
            Validation::inactive()
        }
        429 => Validation::unknown(UnknownReason::RateLimited, "HTTP 429"),
        400 if body.contains("Throttling") => {
            Validation::unknown(UnknownReason::RateLimited, "HTTP 400 Throttling")
        }
        _ => Validation::unknown(UnknownReason::UnexpectedAnswer, format!("HTTP {status}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `get-vanilla` of AWS's SigV4 test suite: a GET of `/` on `example.amazonaws.com`,
    /// service `service`, with the suite's example credentials.
    #[test]
    fn signs_like_the_aws_test_suite() {
        let headers = [
            ("host", "example.amazonaws.com"),
            ("x-amz-date", "20150830T123600Z"),
        ];
        let c = Canonical {
            method: "GET",
            path: "/",
            query: "",
            headers: &headers,
            payload: b"",
        };
        let (signature, signed) = sign(
            &c,
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20150830T123600Z",
            "us-east-1",
            "service",
        );
        assert_eq!(signed, "host;x-amz-date");
        assert_eq!(
            signature,
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    #[test]
    fn sts_answers() {
        let ok =
            "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::1:user/x</Arn>";
        assert_eq!(judge(200, ok).state, ValidationState::Active);
        let bad = "<Error><Code>InvalidClientTokenId</Code></Error>";
        assert_eq!(judge(403, bad).state, ValidationState::Inactive);
        assert_eq!(
            judge(200, "garbage").reason,
            Some(UnknownReason::UnexpectedAnswer)
        );
        assert_eq!(judge(500, "").reason, Some(UnknownReason::UnexpectedAnswer));
        assert_eq!(judge(429, "").reason, Some(UnknownReason::RateLimited));
    }
}
