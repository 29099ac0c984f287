//! The package registries that `--outdated` asks for a package's releases, one module per
//! registry. Each module knows its registry's public JSON API: which URL(s) to fetch for one
//! package and how to read the answer into [`Releases`]. Fetching itself (timeouts, retries,
//! proxies, caching) is not theirs: they call a [`Get`], so they are tested with canned
//! answers and the scan plugs in the real HTTP client.
//!
//! | ecosystem | module | API |
//! |---|---|---|
//! | crates.io | [`crates_io`] | `GET /api/v1/crates/{name}` |
//! | npm | [`npm`] | `GET /{name}` (the packument: `versions`, `time`, `dist-tags`) |
//! | PyPI | [`pypi`] | `GET /pypi/{name}/json` |
//! | RubyGems | [`rubygems`] | `GET /api/v1/versions/{name}.json` |
//! | Go | [`go_proxy`] | `GET /{module}/@v/list`, `/@latest`, `/@v/{version}.info` (GOPROXY protocol) |
//! | Packagist | [`packagist`] | `GET /p2/{vendor}/{name}.json` (Composer v2 metadata) |
//! | NuGet | [`nuget`] | flat container `index.json` and registration leaves |
//! | Maven | [`maven`] | Maven Central search (`solrsearch/select`, core `gav`) |

pub mod crates_io;
pub mod go_proxy;
pub mod maven;
pub mod npm;
pub mod nuget;
pub mod packagist;
pub mod pypi;
pub mod rubygems;

use crate::deps::Ecosystem;

/// One published version of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// The version as the registry spells it (Go keeps its `v`).
    pub version: String,
    /// When it was published, where the registry says.
    pub published: Option<jiff::Timestamp>,
    /// Yanked, unlisted or otherwise withdrawn by its publisher: never the "newest" one.
    pub withdrawn: bool,
}

/// What a registry knows about one package's releases.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Releases {
    /// Every release the answer lists, in no particular order. Prereleases are included; the
    /// caller decides what counts as newest with the ecosystem's version ordering.
    pub releases: Vec<Release>,
    /// The registry's own idea of the current release, where it has one (npm's
    /// `dist-tags.latest`, crates.io's `max_stable_version`, Go's `@latest`, PyPI's
    /// `info.version`). Preferred over the caller's own pick when present.
    pub latest: Option<String>,
}

/// Why a registry could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The registry has no such package (HTTP 404/410): a private or renamed package.
    #[error("{url}: no such package in the registry")]
    NotFound { url: String },
    /// The network failed (connection, DNS, TLS, timeout): worth saying once and stopping.
    #[error("cannot reach {url}: {message}")]
    Network { url: String, message: String },
    /// The registry answered, but not with what was asked (an HTTP error, a body that is not
    /// the documented JSON).
    #[error("{url}: {message}")]
    Answer { url: String, message: String },
}

/// Fetches one URL and returns the body of a 2xx answer. The scan's implementation retries,
/// caps the body size and maps 404/410 to [`FetchError::NotFound`].
pub trait Get: Sync {
    fn get(&self, url: &str) -> Result<Vec<u8>, FetchError>;
}

/// The public registry of an ecosystem, or `None` where `--outdated` does not check it.
pub fn default_base(ecosystem: Ecosystem) -> Option<&'static str> {
    Some(match ecosystem {
        Ecosystem::CratesIo => "https://crates.io",
        Ecosystem::Npm => "https://registry.npmjs.org",
        Ecosystem::PyPI => "https://pypi.org",
        Ecosystem::RubyGems => "https://rubygems.org",
        Ecosystem::Go => "https://proxy.golang.org",
        Ecosystem::Packagist => "https://repo.packagist.org",
        Ecosystem::NuGet => "https://api.nuget.org",
        Ecosystem::Maven => "https://search.maven.org",
        _ => return None,
    })
}

/// Asks the registry at `base` (no trailing `/`) about `name`; `version` is the one in use, for
/// registries that date a version with a request of its own (Go, NuGet). `None` for an
/// ecosystem without a registry module.
pub fn fetch(
    ecosystem: Ecosystem,
    get: &dyn Get,
    base: &str,
    name: &str,
    version: &str,
) -> Option<Result<Releases, FetchError>> {
    let base = base.trim_end_matches('/');
    Some(match ecosystem {
        Ecosystem::CratesIo => crates_io::fetch(get, base, name),
        Ecosystem::Npm => npm::fetch(get, base, name),
        Ecosystem::PyPI => pypi::fetch(get, base, name),
        Ecosystem::RubyGems => rubygems::fetch(get, base, name),
        Ecosystem::Go => go_proxy::fetch(get, base, name, version),
        Ecosystem::Packagist => packagist::fetch(get, base, name),
        Ecosystem::NuGet => nuget::fetch(get, base, name, version),
        Ecosystem::Maven => maven::fetch(get, base, name),
        _ => return None,
    })
}

/// Percent-encodes `s` for use as one URL path segment (or one query value): every byte but
/// RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`) becomes `%XX`, so a `/`, `?`, `#`
/// or space in a package name cannot change which URL is asked.
pub(crate) fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// GETs `url` and reads the body as JSON into `T`; a body that is not that JSON is an
/// [`FetchError::Answer`] saying what was `expected` (e.g. "a crates.io crate object").
fn get_json<T: serde::de::DeserializeOwned>(
    get: &dyn Get,
    url: &str,
    expected: &str,
) -> Result<T, FetchError> {
    let body = get.get(url)?;
    serde_json::from_slice(&body).map_err(|e| FetchError::Answer {
        url: url.to_string(),
        message: format!("expected {expected}: {e}"),
    })
}

/// A registry's date, or `None` where it is not RFC 3339 (never an error: a release without a
/// date is still a release).
fn timestamp(s: &str) -> Option<jiff::Timestamp> {
    s.trim().parse().ok()
}

/// A canned [`Get`] for the modules' tests: answers the URLs it was given, `NotFound` for any
/// other, and remembers what was asked.
#[cfg(test)]
pub(crate) mod fake {
    use super::{FetchError, Get};
    use std::collections::HashMap;
    use std::sync::Mutex;

    #[derive(Default)]
    pub(crate) struct FakeGet {
        answers: HashMap<String, Vec<u8>>,
        asked: Mutex<Vec<String>>,
    }

    impl FakeGet {
        pub(crate) fn new() -> FakeGet {
            FakeGet::default()
        }

        /// Answers `url` with `body`.
        pub(crate) fn with(mut self, url: &str, body: &str) -> FakeGet {
            self.answers
                .insert(url.to_string(), body.as_bytes().to_vec());
            self
        }

        /// Every URL asked, in order.
        pub(crate) fn asked(&self) -> Vec<String> {
            self.asked.lock().map(|a| a.clone()).unwrap_or_default()
        }
    }

    impl Get for FakeGet {
        fn get(&self, url: &str) -> Result<Vec<u8>, FetchError> {
            if let Ok(mut asked) = self.asked.lock() {
                asked.push(url.to_string());
            }
            self.answers
                .get(url)
                .cloned()
                .ok_or_else(|| FetchError::NotFound {
                    url: url.to_string(),
                })
        }
    }

    /// `s` as a timestamp, for expected values.
    pub(crate) fn ts(s: &str) -> Option<jiff::Timestamp> {
        Some(s.parse().expect("test timestamp"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_segment_keeps_unreserved_and_escapes_the_rest() {
        assert_eq!(encode_segment("serde_json-1.0~x"), "serde_json-1.0~x");
        assert_eq!(encode_segment("a/b c?d#é"), "a%2Fb%20c%3Fd%23%C3%A9");
    }

    #[test]
    fn timestamp_accepts_z_offsets_and_fractions_and_rejects_garbage() {
        assert!(timestamp("2024-04-27T17:54:48.357473+00:00").is_some());
        assert!(timestamp("2021-02-20T15:42:16.891Z").is_some());
        assert_eq!(timestamp("yesterday"), None);
    }
}

/// Splits a two-part package name (`group:artifact`, `vendor/package`) at `sep`; an
/// [`FetchError::Answer`] about `url` naming the expected `shape` when either part is empty.
pub(super) fn two_parts<'a>(
    name: &'a str,
    sep: char,
    url: String,
    shape: &str,
) -> Result<(&'a str, &'a str), FetchError> {
    name.split_once(sep)
        .filter(|(a, b)| !a.is_empty() && !b.is_empty())
        .ok_or_else(|| FetchError::Answer {
            url,
            message: format!("`{name}` is not a {shape} name"),
        })
}
