//! Client for the OSV API (<https://google.github.io/osv.dev/api/>), over blocking reqwest.
//!
//! * `POST /v1/querybatch` with up to [`MAX_BATCH`] queries per request; a result carrying a
//!   `next_page_token` is queried again with that `page_token` until it has none.
//! * `GET /v1/vulns/{id}` fetches each record, with at most [`ApiConfig::concurrency`]
//!   requests in flight and a per-client cache, so every id is fetched once per run.
//! * Every request has a connect timeout and a total timeout, and is retried with exponential
//!   backoff on 429, 5xx, timeouts and connections lost mid-answer (a small `Retry-After` is
//!   honoured). A name that does not resolve or a refused connection fails at once: without a
//!   network, retrying only delays the advice to scan with `--offline`.
//! * Proxies from the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`) are used, as
//!   reqwest does by default.
//!
//! Failures are returned beside whatever succeeded, so a scan can report what it found and
//! still say it is incomplete.

use super::model::Vulnerability;
use crate::deps::Ecosystem;
use reqwest::blocking::{Client, RequestBuilder};
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The public OSV API.
pub const DEFAULT_API_URL: &str = "https://api.osv.dev";

/// The API's limit on queries per `querybatch` request.
pub const MAX_BATCH: usize = 1000;

const NEXT_STEP: &str = "check the network or proxy (HTTPS_PROXY), or run `hygiene db update` \
                         while online and scan with --offline";

/// Settings of an [`ApiClient`].
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Base URL, without the `/v1/...` path (default [`DEFAULT_API_URL`]).
    pub base_url: String,
    /// Limit on establishing a connection.
    pub connect_timeout: Duration,
    /// Limit on one attempt at a request, from sending it to the last byte of the answer
    /// (a server trickling its answer is cut off too). A request that times out is retried
    /// like other transient failures, so it ends within about `(max_retries + 1) * timeout`
    /// plus the backoffs.
    pub timeout: Duration,
    /// Retries after the first attempt, for 429, 5xx, timeouts and connections lost
    /// mid-answer (never for an unresolvable host or a refused connection).
    pub max_retries: u32,
    /// First backoff delay; doubles with each retry.
    pub initial_backoff: Duration,
    /// Longest `Retry-After` that is waited for; a longer one fails at once.
    pub max_retry_after: Duration,
    /// Most `GET /v1/vulns/{id}` requests in flight (capped at 8).
    pub concurrency: usize,
    /// Most pages followed for one query.
    pub max_pages: usize,
    /// Queries per `querybatch` request (capped at [`MAX_BATCH`]).
    pub batch_size: usize,
    /// The largest answer read, in bytes: a server that sends more (a runaway or hostile
    /// one) is cut off with an error instead of filling memory.
    pub max_body: u64,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            base_url: DEFAULT_API_URL.to_string(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            max_retries: 3,
            initial_backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(30),
            concurrency: 8,
            max_pages: 100,
            batch_size: MAX_BATCH,
            // A full querybatch answer of 1,000 queries is a few hundred KB; the largest OSV
            // records are well under 1 MB.
            max_body: 64 << 20,
        }
    }
}

/// An API failure. Each message names the URL and says what to do next.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    #[error("cannot reach {url}: {message}; {NEXT_STEP}")]
    Connect { url: String, message: String },
    #[error("{url} did not answer within {}s; {NEXT_STEP}", *millis as f64 / 1000.0)]
    Timeout { url: String, millis: u64 },
    #[error("the response from {url} was cut off: {message}; {NEXT_STEP}")]
    Truncated { url: String, message: String },
    #[error("{url} answered HTTP {status}: {body}; retry later, or {NEXT_STEP}")]
    Status {
        url: String,
        status: u16,
        body: String,
    },
    #[error(
        "{url} is rate limiting requests (HTTP 429{}); wait and retry, or {NEXT_STEP}",
        retry_after.map(|s| format!(", retry after {s}s")).unwrap_or_default()
    )]
    RateLimited {
        url: String,
        retry_after: Option<u64>,
    },
    #[error("{url} sent a response that is not the expected JSON ({message}); retry later, or {NEXT_STEP}")]
    Decode { url: String, message: String },
    #[error("advisory {id} was not found at {url}")]
    NotFound { url: String, id: String },
}

/// One package version to ask about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PackageQuery {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: String,
}

#[derive(Serialize)]
struct BatchRequest<'a> {
    queries: Vec<QueryBody<'a>>,
}

#[derive(Serialize)]
struct QueryBody<'a> {
    package: PackageBody<'a>,
    version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    page_token: Option<&'a str>,
}

#[derive(Serialize)]
struct PackageBody<'a> {
    ecosystem: &'a str,
    name: &'a str,
}

#[derive(Deserialize)]
struct BatchResponse {
    #[serde(default)]
    results: Vec<BatchResult>,
}

#[derive(Deserialize, Default)]
struct BatchResult {
    #[serde(default)]
    vulns: Option<Vec<VulnRef>>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Deserialize)]
struct VulnRef {
    id: String,
}

/// A client for the OSV API with a per-run record cache.
pub struct ApiClient {
    http: Client,
    config: ApiConfig,
    cache: Mutex<HashMap<String, Arc<Vulnerability>>>,
    requests: AtomicUsize,
}

impl ApiClient {
    pub fn new(config: ApiConfig) -> Result<ApiClient, ApiError> {
        // The builder reads proxy settings from the environment by default; do not call
        // `no_proxy()` here.
        let http = Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .user_agent(concat!("hygiene/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::Client(super::db::describe(&e)))?;
        Ok(ApiClient {
            http,
            config,
            cache: Mutex::new(HashMap::new()),
            requests: AtomicUsize::new(0),
        })
    }

    pub fn config(&self) -> &ApiConfig {
        &self.config
    }

    /// HTTP requests sent so far (retries included).
    pub fn request_count(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url.trim_end_matches('/'))
    }

    /// Asks which advisories affect each query. The result has one entry per query, in
    /// order: `Some(ids)` (possibly empty) or `None` where the query could not be answered;
    /// the errors say why.
    pub fn query_batch(
        &self,
        queries: &[PackageQuery],
    ) -> (Vec<Option<Vec<String>>>, Vec<ApiError>) {
        let mut results: Vec<Option<Vec<String>>> = vec![Some(Vec::new()); queries.len()];
        let mut errors = Vec::new();
        let batch = self.config.batch_size.clamp(1, MAX_BATCH);
        // (query index, page token) still to ask.
        let mut pending: Vec<(usize, Option<String>)> =
            (0..queries.len()).map(|i| (i, None)).collect();
        let mut pages = 0usize;
        while !pending.is_empty() {
            if pages > self.config.max_pages {
                errors.push(ApiError::Decode {
                    url: self.url("/v1/querybatch"),
                    message: format!(
                        "more than {} pages of results; stopped following next_page_token",
                        self.config.max_pages
                    ),
                });
                for (i, _) in pending.drain(..) {
                    results[i] = None;
                }
                break;
            }
            pages += 1;
            let mut next = Vec::new();
            for chunk in pending.chunks(batch) {
                match self.query_chunk(queries, chunk) {
                    Ok(answers) => {
                        for ((i, _), answer) in chunk.iter().zip(answers) {
                            if let Some(ids) = results[*i].as_mut() {
                                ids.extend(
                                    answer.vulns.unwrap_or_default().into_iter().map(|v| v.id),
                                );
                            }
                            if let Some(token) = answer.next_page_token.filter(|t| !t.is_empty()) {
                                next.push((*i, Some(token)));
                            }
                        }
                    }
                    Err(e) => {
                        errors.push(e);
                        for (i, _) in chunk {
                            results[*i] = None;
                        }
                    }
                }
            }
            pending = next;
        }
        for ids in results.iter_mut().flatten() {
            ids.sort();
            ids.dedup();
        }
        (results, errors)
    }

    fn query_chunk(
        &self,
        queries: &[PackageQuery],
        chunk: &[(usize, Option<String>)],
    ) -> Result<Vec<BatchResult>, ApiError> {
        let body = BatchRequest {
            queries: chunk
                .iter()
                .map(|(i, token)| {
                    let q = &queries[*i];
                    QueryBody {
                        package: PackageBody {
                            ecosystem: q.ecosystem.as_str(),
                            name: &q.name,
                        },
                        version: &q.version,
                        page_token: token.as_deref(),
                    }
                })
                .collect(),
        };
        let url = self.url("/v1/querybatch");
        let payload = serde_json::to_vec(&body).map_err(|e| ApiError::Client(e.to_string()))?;
        let bytes = self.send(&url, || {
            self.http
                .post(&url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(payload.clone())
        })?;
        let response: BatchResponse =
            serde_json::from_slice(&bytes).map_err(|e| ApiError::Decode {
                url: url.clone(),
                message: e.to_string(),
            })?;
        if response.results.len() != chunk.len() {
            return Err(ApiError::Decode {
                url,
                message: format!(
                    "{} results for {} queries",
                    response.results.len(),
                    chunk.len()
                ),
            });
        }
        Ok(response.results)
    }

    /// Fetches one record (from the cache when it was fetched before).
    pub fn get_vuln(&self, id: &str) -> Result<Arc<Vulnerability>, ApiError> {
        if let Some(v) = self.cache_get(id) {
            return Ok(v);
        }
        let url = self.url(&format!("/v1/vulns/{}", encode_path_segment(id)));
        let bytes = match self.send(&url, || self.http.get(&url)) {
            Err(ApiError::Status {
                status: 404, url, ..
            }) => {
                return Err(ApiError::NotFound {
                    url,
                    id: id.to_string(),
                })
            }
            other => other?,
        };
        let vuln: Vulnerability = serde_json::from_slice(&bytes).map_err(|e| ApiError::Decode {
            url: url.clone(),
            message: e.to_string(),
        })?;
        let vuln = Arc::new(vuln);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(id.to_string(), vuln.clone());
        }
        Ok(vuln)
    }

    fn cache_get(&self, id: &str) -> Option<Arc<Vulnerability>> {
        self.cache.lock().ok().and_then(|c| c.get(id).cloned())
    }

    /// Fetches many records, each once, with bounded concurrency. Returns those fetched and
    /// the errors of the others.
    pub fn get_vulns(
        &self,
        ids: &[String],
    ) -> (HashMap<String, Arc<Vulnerability>>, Vec<ApiError>) {
        let mut unique: Vec<&str> = ids.iter().map(String::as_str).collect();
        unique.sort_unstable();
        unique.dedup();
        type Fetched = (String, Result<Arc<Vulnerability>, ApiError>);
        let results: Mutex<Vec<Fetched>> = Mutex::new(Vec::with_capacity(unique.len()));
        let next = AtomicUsize::new(0);
        let workers = self.config.concurrency.clamp(1, 8).min(unique.len().max(1));
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(id) = unique.get(i) else { break };
                    let r = self.get_vuln(id);
                    if let Ok(mut out) = results.lock() {
                        out.push((id.to_string(), r));
                    }
                });
            }
        });
        let mut found = HashMap::new();
        let mut errors = Vec::new();
        let mut results = results.into_inner().unwrap_or_default();
        results.sort_by(|a, b| a.0.cmp(&b.0));
        for (id, r) in results {
            match r {
                Ok(v) => {
                    found.insert(id, v);
                }
                Err(e) => errors.push(e),
            }
        }
        (found, errors)
    }

    /// Sends a request (built anew for each attempt), retrying transient failures, and
    /// returns the body of a 2xx answer.
    fn send(&self, url: &str, build: impl Fn() -> RequestBuilder) -> Result<Vec<u8>, ApiError> {
        let mut attempt = 0u32;
        loop {
            self.requests.fetch_add(1, Ordering::Relaxed);
            let (error, wait) = match self.attempt(url, build()) {
                Ok(bytes) => return Ok(bytes),
                Err(Attempt::Fatal(e)) => return Err(e),
                Err(Attempt::Retry(e, retry_after)) => (e, retry_after),
            };
            if attempt >= self.config.max_retries {
                return Err(error);
            }
            let backoff = self
                .config
                .initial_backoff
                .saturating_mul(2u32.saturating_pow(attempt))
                .min(Duration::from_secs(30));
            let delay = match wait {
                Some(d) if d > self.config.max_retry_after => return Err(error),
                Some(d) => d,
                None => backoff,
            };
            std::thread::sleep(delay);
            attempt += 1;
        }
    }

    fn attempt(&self, url: &str, request: RequestBuilder) -> Result<Vec<u8>, Attempt> {
        let deadline = Instant::now() + self.config.timeout;
        let response = request.send().map_err(|e| {
            let error = self.transport_error(url, &e);
            match refused(&e) {
                true => Attempt::Fatal(error),
                false => Attempt::Retry(error, None),
            }
        })?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let body = self.read_body(url, response, deadline);
        if status.is_success() {
            return body;
        }
        let snippet = body
            .ok()
            .map(|b| {
                let text = String::from_utf8_lossy(&b);
                let text = text.trim();
                let mut s: String = text.chars().take(200).collect();
                if text.chars().count() > 200 {
                    s.push('…');
                }
                s
            })
            .unwrap_or_default();
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(Attempt::Retry(
                ApiError::RateLimited {
                    url: url.to_string(),
                    retry_after,
                },
                retry_after.map(Duration::from_secs),
            ));
        }
        let error = ApiError::Status {
            url: url.to_string(),
            status: status.as_u16(),
            body: snippet,
        };
        if status.is_server_error() {
            Err(Attempt::Retry(error, retry_after.map(Duration::from_secs)))
        } else {
            Err(Attempt::Fatal(error))
        }
    }

    /// Reads an answer's body, at most `max_body` bytes; a longer one is an error (not
    /// retried: the server would send it again).
    ///
    /// The attempt's `deadline` is checked after every read. reqwest's blocking client
    /// bounds the wait for the headers and for each read, but not the body as a whole: a
    /// server that trickles a byte a second never lets a read time out, and held a scan for
    /// as long as it kept sending. So an attempt ends by its deadline (plus at most one
    /// read's wait) however the server paces its answer.
    fn read_body(
        &self,
        url: &str,
        mut response: reqwest::blocking::Response,
        deadline: Instant,
    ) -> Result<Vec<u8>, Attempt> {
        use std::io::Read;
        let limit = self.config.max_body;
        let mut body = Vec::new();
        let mut chunk = vec![0u8; 64 << 10];
        loop {
            let n = response.read(&mut chunk).map_err(|e| {
                let error = match timed_out(&e) {
                    true => ApiError::Timeout {
                        url: url.to_string(),
                        millis: self.config.timeout.as_millis() as u64,
                    },
                    false => ApiError::Truncated {
                        url: url.to_string(),
                        message: e.to_string(),
                    },
                };
                Attempt::Retry(error, None)
            })?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
            if body.len() as u64 > limit {
                return Err(Attempt::Fatal(ApiError::Decode {
                    url: url.to_string(),
                    message: format!("the answer is larger than {limit} bytes"),
                }));
            }
            if Instant::now() >= deadline {
                return Err(Attempt::Retry(
                    ApiError::Timeout {
                        url: url.to_string(),
                        millis: self.config.timeout.as_millis() as u64,
                    },
                    None,
                ));
            }
        }
        Ok(body)
    }

    fn transport_error(&self, url: &str, e: &reqwest::Error) -> ApiError {
        let message = super::db::describe(e);
        if e.is_timeout() {
            ApiError::Timeout {
                url: url.to_string(),
                millis: self.config.timeout.as_millis() as u64,
            }
        } else if e.is_body() || e.is_decode() {
            ApiError::Truncated {
                url: url.to_string(),
                message,
            }
        } else if e.is_builder() {
            ApiError::Client(message)
        } else {
            ApiError::Connect {
                url: url.to_string(),
                message,
            }
        }
    }
}

/// Whether a failed body read was a timeout: reqwest reports it as a body error whose
/// causes hold the timeout.
fn timed_out(e: &std::io::Error) -> bool {
    if e.kind() == std::io::ErrorKind::TimedOut {
        return true;
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = e.get_ref().map(|r| r as _);
    while let Some(c) = cause {
        if c.downcast_ref::<reqwest::Error>()
            .is_some_and(|r| r.is_timeout())
            || c.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
            || c.to_string().contains("timed out")
        {
            return true;
        }
        cause = c.source();
    }
    false
}

/// Whether a transport failure is the network saying no at once: the name did not resolve or
/// the connection was refused. Offline, or behind a firewall, that answer does not change in
/// the seconds a backoff waits, so it is not retried and the scan reports the advice (scan
/// with `--offline`) straight away. A connect *timeout* is retried (a slow network may answer
/// the next time), as are a reset after connecting and a body cut off mid-way.
fn refused(e: &reqwest::Error) -> bool {
    e.is_connect() && !e.is_timeout()
}

enum Attempt {
    /// Worth retrying; with the server's requested wait, if any.
    Retry(ApiError, Option<Duration>),
    Fatal(ApiError),
}

/// Percent-encodes what may not appear raw in a URL path segment.
fn encode_path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b':') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(encode_path_segment("GHSA-abcd-1234"), "GHSA-abcd-1234");
        assert_eq!(encode_path_segment("a/b c"), "a%2Fb%20c");
    }

    /// A client that would wait seconds between attempts if it retried: the request count,
    /// not the clock, shows it did not.
    fn client(base_url: String) -> ApiClient {
        ApiClient::new(ApiConfig {
            base_url,
            initial_backoff: Duration::from_secs(2),
            ..ApiConfig::default()
        })
        .expect("client")
    }

    fn one_query() -> Vec<PackageQuery> {
        vec![PackageQuery {
            ecosystem: Ecosystem::CratesIo,
            name: "serde".into(),
            version: "1.0.0".into(),
        }]
    }

    #[test]
    fn an_unresolvable_host_is_not_retried() {
        // RFC 6761: `.invalid` never resolves.
        let api = client("http://nonexistent.invalid".into());
        let (results, errors) = api.query_batch(&one_query());
        assert_eq!(results, vec![None]);
        assert_eq!(api.request_count(), 1, "{errors:?}");
        assert!(
            matches!(errors.as_slice(), [ApiError::Connect { .. }]),
            "{errors:?}"
        );
        assert!(errors[0].to_string().contains("--offline"), "{errors:?}");
    }

    #[test]
    fn a_refused_connection_is_not_retried() {
        // A port that was just free: nothing listens there any more.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("port")
            .port();
        let api = client(format!("http://127.0.0.1:{port}"));
        let (_, errors) = api.query_batch(&one_query());
        assert_eq!(api.request_count(), 1, "{errors:?}");
        assert!(
            matches!(errors.as_slice(), [ApiError::Connect { .. }]),
            "{errors:?}"
        );
        let _ = api.get_vuln("GHSA-xxxx");
        assert_eq!(api.request_count(), 2);
    }

    #[test]
    fn errors_say_what_to_do() {
        let e = ApiError::Connect {
            url: "https://api.osv.dev/v1/querybatch".into(),
            message: "dns".into(),
        };
        let s = e.to_string();
        assert!(s.contains("--offline"), "{s}");
        assert!(s.contains("hygiene db update"), "{s}");
        let e = ApiError::RateLimited {
            url: "u".into(),
            retry_after: Some(120),
        };
        assert!(e.to_string().contains("retry after 120s"));
    }
}
