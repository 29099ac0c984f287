//! The data-driven validator: one HTTP request built from a rule's `[rules.validate]` table,
//! and the table's matchers on the answer.
//!
//! Before anything is sent, the rendered URL is checked again (HTTPS, the host the rule
//! names, no user or port), so a secret whose text would steer the request elsewhere (a
//! webhook URL is the secret) is never sent there. Redirects are not followed (the client is
//! built so): a provider that redirects gets an `unexpected-answer`.

use super::{Client, Target};
use crate::finding::{UnknownReason, Validation};
use crate::secrets::validator::{render, Matcher, ValidateSpec};
use reqwest::Method;
use serde_json::Value;
use std::io::Read;

/// The most of an answer read: whoami answers are small; a larger one is not what was asked.
pub const MAX_ANSWER: u64 = 256 << 10;

/// A request ready to send, and the host it is for (the per-host limit's key).
pub struct Prepared {
    pub host: String,
    request: reqwest::blocking::RequestBuilder,
}

/// Builds the request `spec` describes for `secret`; an `Err` is the validation's verdict
/// (the secret does not fit the validator, or would send the request somewhere it may not go).
pub fn prepare(
    client: &Client,
    target: &Target,
    rule_id: &str,
    spec: &ValidateSpec,
    secret: &str,
) -> Result<Prepared, Validation> {
    let mut vars = vec![("secret".to_string(), secret.to_string())];
    if let Some(re) = spec
        .captures
        .as_deref()
        .and_then(|c| regex::Regex::new(c).ok())
    {
        let Some(caps) = re.captures(secret) else {
            return Err(Validation::unknown(
                UnknownReason::Incomplete,
                "the secret lacks a part the validator needs",
            ));
        };
        for name in re.capture_names().flatten() {
            let value = caps.name(name).map_or("", |m| m.as_str());
            vars.push((name.to_string(), value.to_string()));
        }
    }
    let refused = || {
        Validation::unknown(
            UnknownReason::Incomplete,
            "the URL is not one the validator may call",
        )
    };
    let url = reqwest::Url::parse(&render(&spec.url, &vars)).map_err(|_| refused())?;
    let host = url.host_str().unwrap_or_default().to_string();
    if url.scheme() != "https"
        || !spec.host_allowed(&host)
        || !url.username().is_empty()
        || url.password().is_some()
        || url.port().is_some_and(|p| p != 443)
    {
        return Err(refused());
    }
    let url = target.url(url).ok_or_else(refused)?;
    let method = Method::from_bytes(spec.method().as_bytes()).map_err(|_| refused())?;
    let mut request = client.http.request(method, url);
    for (name, value) in &spec.headers {
        request = request.header(name.as_str(), render(value, &vars));
    }
    if let Some([user, password]) = &spec.basic {
        request = request.basic_auth(render(user, &vars), Some(render(password, &vars)));
    }
    if let Some(body) = &spec.body {
        request = request.body(render(body, &vars));
        if let Some(ct) = &spec.content_type {
            request = request.header(reqwest::header::CONTENT_TYPE, ct.as_str());
        }
    }
    request = target.mark(request, &host, rule_id);
    Ok(Prepared { host, request })
}

/// Sends a prepared request and judges the answer.
pub fn send(spec: &ValidateSpec, prepared: Prepared) -> Validation {
    match fetch(prepared.request) {
        Ok((status, body)) => judge(spec, status, &body),
        Err(v) => v,
    }
}

/// Sends a request and reads (at most [`MAX_ANSWER`] bytes of) its answer. Errors are told by
/// kind only: a transport error's text holds the URL, which may hold the secret.
pub fn fetch(request: reqwest::blocking::RequestBuilder) -> Result<(u16, Vec<u8>), Validation> {
    let response = request.send().map_err(|e| transport(&e))?;
    let status = response.status().as_u16();
    let mut body = Vec::new();
    response
        .take(MAX_ANSWER)
        .read_to_end(&mut body)
        .map_err(|e| {
            let timed_out = e.kind() == std::io::ErrorKind::TimedOut
                || std::error::Error::source(&e)
                    .and_then(|s| s.downcast_ref::<reqwest::Error>())
                    .is_some_and(|r| r.is_timeout())
                || e.to_string().contains("timed out");
            match timed_out {
                true => Validation::unknown(UnknownReason::Timeout, "the answer was not finished"),
                false => Validation::unknown(UnknownReason::Network, "the answer was cut off"),
            }
        })?;
    Ok((status, body))
}

/// A transport failure as an `unknown`, in words that never include the URL.
pub fn transport(e: &reqwest::Error) -> Validation {
    if e.is_timeout() {
        Validation::unknown(UnknownReason::Timeout, "no answer in time")
    } else if e.is_connect() {
        Validation::unknown(UnknownReason::Network, "cannot connect")
    } else if e.is_redirect() {
        Validation::unknown(UnknownReason::UnexpectedAnswer, "redirect not followed")
    } else {
        Validation::unknown(UnknownReason::Network, "the request failed")
    }
}

/// The verdict the matchers give an answer: `active` first (an answer that matches both is a
/// working credential), then `inactive`, else `unknown`.
pub fn judge(spec: &ValidateSpec, status: u16, body: &[u8]) -> Validation {
    let json: Option<Value> = serde_json::from_slice(body).ok();
    if spec.wants_json() && json.is_none() {
        return match status {
            429 => Validation::unknown(UnknownReason::RateLimited, "HTTP 429"),
            _ => Validation::unknown(
                UnknownReason::UnexpectedAnswer,
                format!("HTTP {status}, not JSON"),
            ),
        };
    }
    let text = String::from_utf8_lossy(body);
    let matches = |m: &Matcher| {
        m.status.contains(&status)
            && m.json.iter().all(|(pointer, want)| {
                let got = json.as_ref().and_then(|j| j.pointer(pointer));
                got.is_some_and(|g| serde_json::to_value(want).is_ok_and(|w| *g == w))
            })
            && m.present
                .iter()
                .all(|p| json.as_ref().and_then(|j| j.pointer(p)).is_some())
            && m.body.as_ref().is_none_or(|b| text.contains(b.as_str()))
    };
    if spec.active.iter().any(matches) {
        Validation::active()
    } else if spec.inactive.iter().any(matches) {
        Validation::inactive()
    } else if status == 429 {
        Validation::unknown(UnknownReason::RateLimited, "HTTP 429")
    } else if (300..400).contains(&status) {
        Validation::unknown(
            UnknownReason::UnexpectedAnswer,
            format!("HTTP {status}, a redirect (not followed)"),
        )
    } else {
        Validation::unknown(UnknownReason::UnexpectedAnswer, format!("HTTP {status}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::ValidationState;

    fn slack() -> ValidateSpec {
        toml::from_str(
            r#"
            provider = "Slack"
            docs = "https://api.slack.com/methods/auth.test"
            method = "POST"
            url = "https://slack.com/api/auth.test"
            headers = { Authorization = "Bearer {{secret}}" }
            active = [{ status = [200], json = { "/ok" = true } }]
            inactive = [{ status = [200], json = { "/ok" = false, "/error" = "invalid_auth" } },
                        { status = [401] }]
            "#,
        )
        .unwrap()
    }

    #[test]
    fn matchers_decide() {
        let s = slack();
        assert!(s.check().is_ok());
        let v = |status, body: &str| judge(&s, status, body.as_bytes());
        assert_eq!(
            v(200, r#"{"ok":true,"user":"x"}"#).state,
            ValidationState::Active
        );
        assert_eq!(
            v(200, r#"{"ok":false,"error":"invalid_auth"}"#).state,
            ValidationState::Inactive
        );
        let odd = v(200, r#"{"ok":false,"error":"ratelimited"}"#);
        assert_eq!(odd.reason, Some(UnknownReason::UnexpectedAnswer));
        assert_eq!(v(429, "").reason, Some(UnknownReason::RateLimited));
        assert_eq!(v(503, "{}").reason, Some(UnknownReason::UnexpectedAnswer));
        assert_eq!(
            v(200, "<html>not json</html>").reason,
            Some(UnknownReason::UnexpectedAnswer)
        );
    }
}
