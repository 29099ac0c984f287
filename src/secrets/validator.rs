//! A rule's `[rules.validate]` table: how to ask the provider whether a found credential is
//! live, as data.
//!
//! Most providers answer "who am I" for a token on one documented, read-only endpoint, so a
//! validator is an HTTP request (method, URL, headers, body, with the secret templated in) and
//! matchers on the answer (status codes, JSON fields, body text) that say *active* or
//! *inactive*. The few checks that need code (AWS SigV4) name a `kind` instead, and live in
//! `crate::validate`.
//!
//! This module only reads and checks the table; nothing here opens a socket. The checks are
//! what make a validator safe whoever wrote it: HTTPS only, the host written in the rule (or
//! listed in `hosts`), and the secret in a URL only where the rule says no header will do.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[rules.validate]` as written in a rule file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ValidateSpec {
    /// `"http"` (default): the request below. `"aws-sts"`: AWS SigV4 `sts:GetCallerIdentity`
    /// with the access key ID found in the same file (code, in `crate::validate::aws`).
    /// `"gcp-jwt"`: a Google service account key signs a JWT exchanged at Google's token
    /// endpoint (code, in `crate::validate::gcp`).
    #[serde(default)]
    pub kind: Option<String>,
    /// The provider, as `rules list --validators` shows it.
    pub provider: String,
    /// The provider's documentation of the endpoint (an https:// URL).
    pub docs: String,
    /// `GET` (default), `HEAD` or `POST`. A `POST` must be to an endpoint that only reads
    /// (Slack's `auth.test`, a GraphQL query): the rule's comment says why.
    #[serde(default)]
    pub method: Option<String>,
    /// `https://host/path`, with `{{secret}}` and the captures of `captures` templated in.
    /// The host must be written out, unless the URL is the secret itself (a webhook) and
    /// `hosts` lists the hosts it may have.
    #[serde(default)]
    pub url: String,
    /// Hosts the rendered URL may have when the template does not write its host out. A
    /// leading `*.` matches one DNS label (`*.api.mailchimp.com`).
    #[serde(default)]
    pub hosts: Vec<String>,
    /// The secret goes in the URL (path or query) because the provider takes it nowhere else
    /// (a Telegram bot token, a webhook): a proxy or the provider's access log may keep it.
    #[serde(default)]
    pub secret_in_url: bool,
    /// Request headers, values templated.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// HTTP basic authentication, `[user, password]`, templated.
    #[serde(default)]
    pub basic: Option<[String; 2]>,
    /// Request body, templated (with `content_type`).
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub content_type: Option<String>,
    /// A regex over the secret whose named groups are template variables
    /// (`(?P<dc>us[0-9]+)$` makes `{{dc}}`).
    #[serde(default)]
    pub captures: Option<String>,
    /// What the answer's body is: `"json"` (default: an answer whose body is not JSON is
    /// unexpected, whatever its status) or `"any"`.
    #[serde(default)]
    pub answer: Option<String>,
    /// Answers that mean the credential works (any one matching). Checked first.
    #[serde(default)]
    pub active: Vec<Matcher>,
    /// Answers that mean the provider does not know the credential (revoked, expired, never
    /// valid).
    #[serde(default)]
    pub inactive: Vec<Matcher>,
}

/// One shape of answer: every condition given must hold.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Matcher {
    /// Status codes, any of which matches.
    #[serde(default)]
    pub status: Vec<u16>,
    /// JSON pointers (`/ok`) and the value each must have.
    #[serde(default)]
    pub json: BTreeMap<String, toml::Value>,
    /// JSON pointers that must be present, whatever their value.
    #[serde(default)]
    pub present: Vec<String>,
    /// Text the body must contain.
    #[serde(default)]
    pub body: Option<String>,
}

/// What kind of check a validator is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidatorKind {
    Http,
    AwsSts,
    GcpJwt,
}

impl ValidateSpec {
    pub fn kind(&self) -> ValidatorKind {
        match self.kind.as_deref() {
            Some("aws-sts") => ValidatorKind::AwsSts,
            Some("gcp-jwt") => ValidatorKind::GcpJwt,
            _ => ValidatorKind::Http,
        }
    }

    pub fn method(&self) -> &str {
        self.method.as_deref().unwrap_or("GET")
    }

    /// Whether the answer's body must be JSON.
    pub fn wants_json(&self) -> bool {
        self.answer.as_deref() != Some("any")
    }

    /// The host the URL template writes out (`None` when the host is templated).
    pub fn literal_host(&self) -> Option<&str> {
        let rest = self.url.strip_prefix("https://")?;
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let host = &rest[..end];
        (!host.is_empty() && !host.contains("{{") && !host.contains(['@', ':'])).then_some(host)
    }

    /// The hosts a request may go to, for `rules list --validators` and the documentation.
    pub fn allowed_hosts(&self) -> Vec<String> {
        match self.kind() {
            ValidatorKind::AwsSts => vec!["sts.amazonaws.com".to_string()],
            ValidatorKind::GcpJwt => vec!["oauth2.googleapis.com".to_string()],
            ValidatorKind::Http => match self.literal_host() {
                Some(h) => vec![h.to_string()],
                None => self.hosts.clone(),
            },
        }
    }

    /// Whether `host` (of a rendered URL) is one this validator may send to.
    pub fn host_allowed(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        self.allowed_hosts().iter().any(|allowed| {
            let allowed = allowed.to_ascii_lowercase();
            match allowed.strip_prefix("*.") {
                Some(suffix) => host
                    .strip_suffix(suffix)
                    .and_then(|label| label.strip_suffix('.'))
                    .is_some_and(|label| {
                        !label.is_empty()
                            && label
                                .bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    }),
                None => host == allowed,
            }
        })
    }

    /// Checks the table: what makes a validator safe to run whoever wrote it.
    pub fn check(&self) -> Result<(), String> {
        if !self.docs.starts_with("https://") {
            return Err("validate.docs must be the provider's documentation (https://)".into());
        }
        if self.provider.trim().is_empty() {
            return Err("validate.provider must name the provider".into());
        }
        match self.kind.as_deref() {
            None | Some("http") => {}
            Some("aws-sts" | "gcp-jwt") => return Ok(()),
            Some(other) => {
                return Err(format!(
                    "unknown validate.kind {other:?}: use \"http\", \"aws-sts\" or \"gcp-jwt\""
                ))
            }
        }
        if !matches!(self.method(), "GET" | "HEAD" | "POST") {
            return Err(format!(
                "validate.method {:?}: use GET, HEAD or POST (validation only reads)",
                self.method()
            ));
        }
        // A URL that is the secret itself (a webhook) is checked once rendered: HTTPS, and
        // one of `hosts`.
        let whole = self.url.starts_with("{{") && !self.hosts.is_empty();
        if !self.url.starts_with("https://") && !whole {
            return Err(format!(
                "validate.url {:?} must start with https:// (validation never sends a secret in \
                 the clear)",
                self.url
            ));
        }
        match self.literal_host() {
            Some(_) if !self.hosts.is_empty() => {
                return Err("validate.hosts is only for a URL whose host is templated".into())
            }
            Some(_) => {}
            None if self.hosts.is_empty() => {
                return Err(
                    "validate.url must write its host out (https://api.example.com/...), \
                            or validate.hosts must list the hosts a templated URL may have"
                        .into(),
                )
            }
            None => {}
        }
        for h in &self.hosts {
            let bare = h.strip_prefix("*.").unwrap_or(h);
            if bare.is_empty()
                || !bare.contains('.')
                || !bare
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            {
                return Err(format!("validate.hosts: {h:?} is not a host name"));
            }
        }
        if self.url.contains("{{secret") && !self.secret_in_url {
            return Err(
                "validate.url holds a template: set secret_in_url = true only where the provider \
                 takes the credential nowhere else (a proxy may log URLs; use a header)"
                    .into(),
            );
        }
        if self.method() == "HEAD" && self.wants_json() {
            return Err("a HEAD answer has no body: set answer = \"any\"".into());
        }
        for name in self.headers.keys() {
            let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
            if name.is_empty() || !name.bytes().all(token) {
                return Err(format!("validate.headers: {name:?} is not a header name"));
            }
            if name.eq_ignore_ascii_case("host") {
                return Err("validate.headers may not set Host (the URL names the host)".into());
            }
        }
        if let Some(c) = &self.captures {
            regex::Regex::new(c).map_err(|e| format!("validate.captures: {e}"))?;
        }
        if !matches!(self.answer.as_deref(), None | Some("json") | Some("any")) {
            return Err("validate.answer must be \"json\" or \"any\"".into());
        }
        if self.active.is_empty() || self.inactive.is_empty() {
            return Err(
                "validate needs `active` and `inactive` matchers (what each answer looks like)"
                    .into(),
            );
        }
        // Without JSON to look into, a status alone would call any page that answers 200 (a
        // captive portal, an error page) a working credential.
        if !self.wants_json() && self.active.iter().any(|m| m.body.is_none()) {
            return Err(
                "with answer = \"any\", every `active` matcher needs `body` text to look for"
                    .into(),
            );
        }
        for m in self.active.iter().chain(&self.inactive) {
            if m.status.is_empty() {
                return Err("every validate matcher needs `status` codes".into());
            }
            if m.json.keys().chain(&m.present).any(|p| !p.starts_with('/')) {
                return Err("validate matcher JSON keys are JSON pointers (`/ok`)".into());
            }
        }
        let templates = self
            .headers
            .values()
            .chain(self.basic.iter().flatten())
            .chain(self.body.iter())
            .chain(std::iter::once(&self.url));
        let known = self.variables();
        for t in templates {
            for var in template_variables(t) {
                if !known.contains(&var) {
                    return Err(format!(
                        "validate: unknown template variable {{{{{var}}}}} (known: {})",
                        known.join(", ")
                    ));
                }
            }
        }
        if !self
            .headers
            .values()
            .chain(self.basic.iter().flatten())
            .chain(self.body.iter())
            .chain(std::iter::once(&self.url))
            .any(|t| t.contains("{{"))
        {
            return Err("validate sends no credential: use {{secret}} somewhere".into());
        }
        Ok(())
    }

    /// The template variables this validator has: `secret` and the named groups of
    /// `captures`.
    pub fn variables(&self) -> Vec<String> {
        let mut vars = vec!["secret".to_string()];
        if let Some(re) = self
            .captures
            .as_deref()
            .and_then(|c| regex::Regex::new(c).ok())
        {
            vars.extend(re.capture_names().flatten().map(str::to_string));
        }
        vars
    }
}

/// The `{{name}}`s of a template.
pub fn template_variables(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                out.push(after[..end].trim().to_string());
                rest = &after[end + 2..];
            }
            None => break,
        }
    }
    out
}

/// Fills `{{name}}`s in a template; an unknown name is left empty (the rule check rejects
/// templates with unknown names).
pub fn render(template: &str, vars: &[(String, String)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = after[..end].trim();
                if let Some((_, v)) = vars.iter().find(|(k, _)| k == name) {
                    out.push_str(v);
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(url: &str) -> ValidateSpec {
        ValidateSpec {
            kind: None,
            provider: "P".into(),
            docs: "https://docs.example.com".into(),
            method: None,
            url: url.into(),
            hosts: Vec::new(),
            secret_in_url: false,
            headers: [("Authorization".to_string(), "Bearer {{secret}}".to_string())].into(),
            basic: None,
            body: None,
            content_type: None,
            captures: None,
            answer: None,
            active: vec![Matcher {
                status: vec![200],
                ..Matcher::default()
            }],
            inactive: vec![Matcher {
                status: vec![401],
                ..Matcher::default()
            }],
        }
    }

    #[test]
    fn only_https_to_a_written_host() {
        assert!(spec("https://api.example.com/me").check().is_ok());
        assert!(spec("http://api.example.com/me").check().is_err());
        assert!(spec("https://{{secret}}.example.com/").check().is_err());
        assert!(spec("https://user@evil.example.com/").check().is_err());
        let mut s = spec("https://api.example.com/me?k={{secret}}");
        assert!(s.check().is_err(), "secret in a URL needs saying so");
        s.secret_in_url = true;
        assert!(s.check().is_ok());
    }

    #[test]
    fn headers_are_header_names_and_never_host() {
        let mut s = spec("https://api.example.com/me");
        s.headers.insert("Host".into(), "evil.example.net".into());
        assert!(s.check().is_err());
        let mut s = spec("https://api.example.com/me");
        s.headers.insert("Bad Name".into(), "x".into());
        assert!(s.check().is_err());
    }

    #[test]
    fn wildcard_hosts_match_one_label() {
        let mut s = spec("https://{{dc}}.api.mailchimp.com/3.0/ping");
        s.hosts = vec!["*.api.mailchimp.com".into()];
        assert!(s.host_allowed("us6.api.mailchimp.com"));
        assert!(!s.host_allowed("api.mailchimp.com"));
        assert!(!s.host_allowed("a.b.api.mailchimp.com"));
        assert!(!s.host_allowed("evil.com"));
        assert!(!s.host_allowed("us6.api.mailchimp.com.evil.com"));
    }

    #[test]
    fn templates_render() {
        let vars = vec![("secret".to_string(), "abc".to_string())];
        assert_eq!(render("Bearer {{secret}}", &vars), "Bearer abc");
        assert_eq!(render("{{ secret }}:{{x}}", &vars), "abc:");
        assert_eq!(template_variables("a{{secret}}b{{dc}}"), ["secret", "dc"]);
    }
}
