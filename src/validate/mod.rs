//! `scan --validate`: ask each provider whether the secrets found are live.
//!
//! Opt-in only: a scan never validates unless asked, and the git hooks never ask. Each
//! distinct secret (rule and value) is checked once per run, and its verdict kept for a day
//! ([`cache`]); the verdict goes on every finding of that secret as `active`, `inactive` or
//! `unknown` with the reason.
//!
//! Safe by construction:
//!
//! * validators come from rule files only: the built-in `patterns/` and the user's
//!   `--rules DIR`, never a scanned repository's `.hygiene.toml` (see
//!   `crate::scan::configure_rules`), so a repository cannot send its reader's findings
//!   anywhere;
//! * HTTPS only, to the host the rule names ([`http::prepare`] checks the rendered URL again),
//!   redirects never followed, read-only endpoints;
//! * at most [`Options::per_host`] requests in flight per host, started
//!   [`Options::interval`] apart ([`limits`]), each bounded by [`Options::timeout`];
//! * proxies from the environment (`HTTPS_PROXY`, `NO_PROXY`) are used, as reqwest does;
//! * nothing is printed or logged with the secret in it: failures are told by kind
//!   (`timeout`, `network`) and status code, never by the transport's message (which holds
//!   the URL).
//!
//! Tests play the providers on 127.0.0.1 through [`TEST_SERVER_ENV`], read from the process
//! environment only.

pub mod aws;
pub mod cache;
pub mod gcp;
pub mod http;
pub mod limits;

use crate::finding::{Finding, FindingKind, UnknownReason, Validation, ValidationState};
use crate::secrets::validator::{ValidateSpec, ValidatorKind};
use crate::secrets::Rule;
use cache::Cache;
use limits::HostLimits;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// The environment variable that sends every validation request to a local server instead
/// of the provider: `http://127.0.0.1:PORT`, for tests. Only a loopback address is accepted,
/// and only from the environment of the process: no file read by a scan can set it.
pub const TEST_SERVER_ENV: &str = "HYGIENE_TEST_VALIDATE_SERVER";

/// The header that tells a test server which provider's host a request was for.
pub const TEST_HOST_HEADER: &str = "x-hygiene-test-host";
/// The header that tells a test server which rule's validator sent a request.
pub const TEST_RULE_HEADER: &str = "x-hygiene-test-rule";

/// How validation runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Limit on one request, connection to last byte.
    pub timeout: Duration,
    /// Where verdicts are kept between runs (`None`: not kept).
    pub cache_dir: Option<PathBuf>,
    /// How long a verdict is reused.
    pub ttl: Duration,
    /// Requests in flight to one host.
    pub per_host: usize,
    /// Least time between two requests to one host starting.
    pub interval: Duration,
    /// Requests in flight in all.
    pub workers: usize,
    /// Requests one run may send to one host (`--validate-max`); the secrets past it are
    /// `unknown: rate-limited`.
    pub max_per_host: usize,
    /// The scanned working tree (or file), where a check that needs more of the file than the
    /// secret (a Google key's `client_email`) reads it again. `None` for git sources.
    pub root: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(10),
            cache_dir: crate::deps::outdated::default_cache_dir().map(|d| d.join("validate")),
            ttl: cache::TTL,
            per_host: 2,
            interval: Duration::from_millis(250),
            workers: 8,
            max_per_host: MAX_PER_HOST,
            root: None,
        }
    }
}

/// Requests one run sends to one host by default: a few minutes at the spacing above, far
/// more distinct live-looking secrets of one provider than a real repository leaks.
pub const MAX_PER_HOST: usize = 500;

/// What a run of validation did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Distinct secrets checked (asked, or answered from the cache).
    pub checked: usize,
    /// Of those, answered from the cache.
    pub cached: usize,
    pub active: usize,
    pub inactive: usize,
    pub unknown: usize,
}

/// The HTTP client validation uses.
pub struct Client {
    pub http: reqwest::blocking::Client,
}

/// Where requests go: the providers, or the test server of [`TEST_SERVER_ENV`].
#[derive(Debug, Clone)]
pub struct Target {
    server: Option<reqwest::Url>,
}

impl Target {
    /// The providers themselves.
    pub fn providers() -> Target {
        Target { server: None }
    }

    /// From the process environment: [`TEST_SERVER_ENV`] if set (it must be a loopback
    /// `http://` or `https://` URL with a port), else the providers.
    pub fn from_env() -> Result<Target, String> {
        match std::env::var(TEST_SERVER_ENV) {
            Ok(v) if !v.is_empty() => Target::test_server(&v).map(|t| Target { server: Some(t) }),
            _ => Ok(Target::providers()),
        }
    }

    fn test_server(v: &str) -> Result<reqwest::Url, String> {
        let bad = || {
            format!(
                "{TEST_SERVER_ENV}={v:?}: only for tests, and only a loopback server \
                 (http://127.0.0.1:PORT); unset it to validate against the providers"
            )
        };
        let url = reqwest::Url::parse(v).map_err(|_| bad())?;
        // Addresses, not `localhost`: a name can be made to resolve anywhere.
        let loopback = matches!(url.host_str(), Some("127.0.0.1" | "[::1]"));
        if !loopback || url.port().is_none() || !matches!(url.scheme(), "http" | "https") {
            return Err(bad());
        }
        Ok(url)
    }

    /// Whether requests go to a test server.
    pub fn is_test(&self) -> bool {
        self.server.is_some()
    }

    /// `url` as sent: unchanged, or with the test server's scheme, host and port.
    pub fn url(&self, mut url: reqwest::Url) -> Option<reqwest::Url> {
        if let Some(server) = &self.server {
            url.set_scheme(server.scheme()).ok()?;
            url.set_host(server.host_str()).ok()?;
            url.set_port(server.port()).ok()?;
        }
        Some(url)
    }

    /// Adds the test headers (only when sending to a test server).
    pub fn mark(
        &self,
        request: reqwest::blocking::RequestBuilder,
        host: &str,
        rule: &str,
    ) -> reqwest::blocking::RequestBuilder {
        match self.server {
            Some(_) => request
                .header(TEST_HOST_HEADER, host)
                .header(TEST_RULE_HEADER, rule),
            None => request,
        }
    }

    /// What the cache key holds of the target, so a test server's answers never answer for
    /// a provider.
    fn identity(&self) -> &'static str {
        match self.server {
            Some(_) => "test server",
            None => "",
        }
    }
}

impl Client {
    /// A client with the timeout, no redirects and (unless talking to a test server) HTTPS
    /// only.
    pub fn new(options: &Options, target: &Target) -> Result<Client, String> {
        let http = reqwest::blocking::Client::builder()
            .connect_timeout(options.timeout.min(Duration::from_secs(5)))
            .timeout(options.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .https_only(!target.is_test())
            .user_agent(concat!(
                "hygiene/",
                env!("CARGO_PKG_VERSION"),
                " (credential validation)"
            ))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Client { http })
    }
}

/// The rule id whose findings are AWS access key IDs (the partner of an `aws-sts` secret).
const AWS_KEY_ID_RULE: &str = "aws-access-key-id";

/// The AWS access key IDs (value and digest) found in each file, by path and commit.
type KeyIds = HashMap<(String, Option<String>), Vec<(String, [u8; 16])>>;

/// One question: a rule's validator and a secret (with the key IDs found beside an AWS
/// secret key).
struct Job<'a> {
    rule: &'a str,
    spec: &'a ValidateSpec,
    secret: String,
    partners: Vec<String>,
    /// For a Google key: the account, or why there is none.
    gcp: Option<Result<gcp::Account, Validation>>,
    key: String,
}

/// Validates every secret finding whose rule has a validator, setting
/// [`Finding::validation`]. `rules`: the rules whose validators may run (rule files only).
/// An `Err` is a setting that makes validation impossible (a bad [`TEST_SERVER_ENV`]).
pub fn run(findings: &mut [Finding], rules: &[Rule], options: &Options) -> Result<Summary, String> {
    let target = Target::from_env()?;
    let validators: HashMap<&str, &ValidateSpec> = rules
        .iter()
        .filter_map(|r| Some((r.spec.id.as_str(), r.spec.validate.as_ref()?)))
        .collect();
    // The key IDs of each file (and commit), for AWS secret keys.
    let mut key_ids: KeyIds = HashMap::new();
    for f in findings.iter() {
        if let (AWS_KEY_ID_RULE, Some(s)) = (f.rule.id.as_str(), &f.secret) {
            if s.is_whole() {
                let ids = key_ids
                    .entry((f.path.clone(), f.commit.as_ref().map(|c| c.id.clone())))
                    .or_default();
                if !ids.iter().any(|(v, _)| v == s.expose()) {
                    ids.push((s.expose().to_string(), s.digest()));
                }
            }
        }
    }
    let mut jobs: Vec<Job> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut assigned: Vec<(usize, Result<usize, Validation>)> = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        if f.kind != FindingKind::Secret {
            continue;
        }
        let Some((rule, spec)) = validators.get_key_value(f.rule.id.as_str()) else {
            continue;
        };
        let Some(secret) = f.secret.as_ref() else {
            continue;
        };
        if !secret.is_whole() {
            assigned.push((
                i,
                Err(Validation::unknown(
                    UnknownReason::Incomplete,
                    "the value is not known whole (read from the scan cache)",
                )),
            ));
            continue;
        }
        let spec_text = serde_json::to_string(spec).unwrap_or_default();
        let mut parts: Vec<Vec<u8>> = vec![
            b"hygiene-validate-v1".to_vec(),
            rule.as_bytes().to_vec(),
            spec_text.into_bytes(),
            secret.digest().to_vec(),
            target.identity().as_bytes().to_vec(),
        ];
        let mut partners = Vec::new();
        if spec.kind() == ValidatorKind::AwsSts {
            let file = (f.path.clone(), f.commit.as_ref().map(|c| c.id.clone()));
            for (id, digest) in key_ids.get(&file).into_iter().flatten() {
                partners.push(id.clone());
                parts.push(digest.to_vec());
            }
        }
        let mut account = None;
        if spec.kind() == ValidatorKind::GcpJwt {
            let text = options.root.as_ref().and_then(|root| {
                let file = match root.is_file() {
                    true => root.clone(),
                    false => root.join(&f.path),
                };
                gcp::read_key_file(&file)
            });
            let a = gcp::account(secret.expose(), text.as_deref());
            if let Ok(a) = &a {
                parts.push(a.email.as_bytes().to_vec());
            }
            account = Some(a);
        }
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        let key = Cache::key(&refs);
        let job = match by_key.get(&key) {
            Some(&j) => j,
            None => {
                jobs.push(Job {
                    rule,
                    spec,
                    secret: secret.expose().to_string(),
                    partners,
                    gcp: account,
                    key: key.clone(),
                });
                by_key.insert(key, jobs.len() - 1);
                jobs.len() - 1
            }
        };
        assigned.push((i, Ok(job)));
    }
    let mut summary = Summary::default();
    if jobs.is_empty() {
        for (i, v) in assigned {
            if let Err(v) = v {
                findings[i].validation = Some(v);
            }
        }
        return Ok(summary);
    }
    let cache = Cache::new(options.cache_dir.as_deref(), options.ttl);
    let client = Client::new(options, &target)?;
    let limits = HostLimits::with_budget(options.per_host, options.interval, options.max_per_host);
    let answers: Vec<Mutex<Option<(Validation, bool)>>> =
        jobs.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let workers = options.workers.clamp(1, jobs.len());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let j = next.fetch_add(1, Ordering::SeqCst);
                let Some(job) = jobs.get(j) else { break };
                let answer = match cache.get(&job.key) {
                    Some(v) => (v, true),
                    None => {
                        let v = ask(&client, &target, &limits, job);
                        cache.put(&job.key, &v);
                        (v, false)
                    }
                };
                if let Some(slot) = answers.get(j) {
                    *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(answer);
                }
            });
        }
    });
    let answers: Vec<Option<(Validation, bool)>> = answers
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect();
    for (validation, cached) in answers.iter().flatten() {
        summary.checked += 1;
        summary.cached += usize::from(*cached);
        match validation.state {
            ValidationState::Active => summary.active += 1,
            ValidationState::Inactive => summary.inactive += 1,
            ValidationState::Unknown => summary.unknown += 1,
        }
    }
    for (i, a) in assigned {
        findings[i].validation = match a {
            Ok(j) => answers
                .get(j)
                .and_then(|a| a.as_ref())
                .map(|(v, _)| v.clone()),
            Err(v) => Some(v),
        };
    }
    mark_paired_key_ids(findings, &validators, &key_ids);
    Ok(summary)
}

/// An AWS key ID is half a credential and has no check of its own; when the secret key beside
/// it proved live and the file holds no other long-term ID it could have been paired with,
/// the ID is live too (so `--only-active` keeps both halves).
fn mark_paired_key_ids(
    findings: &mut [Finding],
    validators: &HashMap<&str, &ValidateSpec>,
    key_ids: &KeyIds,
) {
    let file = |f: &Finding| (f.path.clone(), f.commit.as_ref().map(|c| c.id.clone()));
    let live: Vec<(String, Option<String>)> = findings
        .iter()
        .filter(|f| {
            validators
                .get(f.rule.id.as_str())
                .is_some_and(|s| s.kind() == ValidatorKind::AwsSts)
                && f.validation
                    .as_ref()
                    .is_some_and(|v| v.state == ValidationState::Active)
        })
        .map(file)
        .collect();
    for f in findings.iter_mut() {
        if f.rule.id != AWS_KEY_ID_RULE || f.validation.is_some() {
            continue;
        }
        let key = file(f);
        let long_term: Vec<&String> = key_ids
            .get(&key)
            .into_iter()
            .flatten()
            .map(|(id, _)| id)
            .filter(|id| !id.starts_with("ASIA"))
            .collect();
        if live.contains(&key) && long_term.len() == 1 {
            f.validation = Some(Validation::active());
        }
    }
}

/// Asks the provider about one secret, within the host's limits.
fn ask(client: &Client, target: &Target, limits: &HostLimits, job: &Job<'_>) -> Validation {
    let spent = |host: &str| {
        Validation::unknown(
            UnknownReason::RateLimited,
            format!(
                "not asked: this run's budget of {} requests to {host} is spent \
                 (--validate-max)",
                limits.budget()
            ),
        )
    };
    match job.spec.kind() {
        ValidatorKind::AwsSts => match limits.acquire(aws::HOST) {
            Some(_permit) => aws::check(client, target, &job.secret, &job.partners),
            None => spent(aws::HOST),
        },
        ValidatorKind::GcpJwt => match &job.gcp {
            Some(Ok(account)) => match limits.acquire(gcp::HOST) {
                Some(_permit) => gcp::check(client, target, account),
                None => spent(gcp::HOST),
            },
            Some(Err(v)) => v.clone(),
            None => Validation::unknown(UnknownReason::Incomplete, "no key"),
        },
        ValidatorKind::Http => {
            match http::prepare(client, target, job.rule, job.spec, &job.secret) {
                Ok(prepared) => match limits.acquire(&prepared.host) {
                    Some(_permit) => http::send(job.spec, prepared),
                    None => spent(&prepared.host),
                },
                Err(v) => v,
            }
        }
    }
}

/// Keeps only the secret findings the provider said are live (`--only-active`); findings of
/// other kinds (dependencies, practices) are kept.
pub fn only_active(findings: &mut Vec<Finding>) {
    findings.retain(|f| {
        f.kind != FindingKind::Secret
            || f.validation
                .as_ref()
                .is_some_and(|v| v.state == ValidationState::Active)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_server_must_be_loopback() {
        assert!(Target::test_server("http://127.0.0.1:8080").is_ok());
        assert!(Target::test_server("http://[::1]:8080").is_ok());
        assert!(Target::test_server("http://localhost:8080").is_err());
        assert!(Target::test_server("http://127.0.0.1").is_err());
        assert!(Target::test_server("http://10.0.0.1:80").is_err());
        assert!(Target::test_server("http://evil.example.com:80").is_err());
        assert!(Target::test_server("ftp://127.0.0.1:21").is_err());
        assert!(Target::test_server("http://127.0.0.1.evil.com:80").is_err());
    }
}
