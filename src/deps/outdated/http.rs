//! The HTTP side of `--outdated`: a [`Get`] over blocking reqwest for the registries.
//!
//! Registry lookups are advice, not a security verdict, so the policy is short: a connect
//! timeout of a few seconds (a machine without network learns it at the first request), one
//! retry of a 429 or 5xx answer after a pause, a cap on the body (a packument of a big npm
//! package is megabytes; a runaway one is not read to the end), proxies from the environment
//! (`HTTPS_PROXY`, `NO_PROXY`) as reqwest reads them.

use super::registry::{FetchError, Get};
use reqwest::blocking::Client;
use std::io::Read;
use std::time::Duration;

/// The largest registry answer read (the biggest real packuments are around 40 MB).
pub const MAX_BODY: u64 = 64 << 20;

/// A registry client.
pub struct RegistryClient {
    http: Client,
    retry_pause: Duration,
}

impl RegistryClient {
    pub fn new(timeout: Duration) -> Result<RegistryClient, String> {
        let http = Client::builder()
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .timeout(timeout)
            .user_agent(concat!(
                "hygiene/",
                env!("CARGO_PKG_VERSION"),
                " (dependency update check)"
            ))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(RegistryClient {
            http,
            retry_pause: Duration::from_millis(500),
        })
    }

    fn attempt(&self, url: &str) -> Result<Vec<u8>, (FetchError, bool)> {
        let network = |e: reqwest::Error| {
            let message = crate::deps::osv::db::describe(&e);
            (
                FetchError::Network {
                    url: url.to_string(),
                    message,
                },
                false,
            )
        };
        let response = self
            .http
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .map_err(network)?;
        let status = response.status();
        if status.as_u16() == 404 || status.as_u16() == 410 {
            return Err((
                FetchError::NotFound {
                    url: url.to_string(),
                },
                false,
            ));
        }
        if !status.is_success() {
            let retry = status.as_u16() == 429 || status.is_server_error();
            return Err((
                FetchError::Answer {
                    url: url.to_string(),
                    message: format!("HTTP {}", status.as_u16()),
                },
                retry,
            ));
        }
        let mut body = Vec::new();
        response
            .take(MAX_BODY + 1)
            .read_to_end(&mut body)
            .map_err(|e| {
                (
                    FetchError::Network {
                        url: url.to_string(),
                        message: format!("the answer was cut off: {e}"),
                    },
                    false,
                )
            })?;
        if body.len() as u64 > MAX_BODY {
            return Err((
                FetchError::Answer {
                    url: url.to_string(),
                    message: format!("the answer is larger than {} MB", MAX_BODY >> 20),
                },
                false,
            ));
        }
        Ok(body)
    }
}

impl Get for RegistryClient {
    fn get(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        match self.attempt(url) {
            Err((_, true)) => {
                std::thread::sleep(self.retry_pause);
                self.attempt(url).map_err(|(e, _)| e)
            }
            other => other.map_err(|(e, _)| e),
        }
    }
}
