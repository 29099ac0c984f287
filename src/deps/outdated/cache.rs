//! The registry answers `--outdated` keeps between runs, so a CI job that runs on every push
//! asks each registry about each package at most once a day.
//!
//! One small JSON file per question (registry, package, and for Go and NuGet the version
//! whose date was asked), named by a hash of it, under the cache directory's
//! `registries/`. An entry older than the time to live is asked again; a file that does not
//! parse is ignored and overwritten. Files are written to a temporary name and renamed, so a
//! killed run leaves either the old answer or the new one. Nothing secret is stored: package
//! names, versions and dates.

use super::registry::{Release, Releases};
use crate::deps::Ecosystem;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long a registry answer is reused.
pub const DEFAULT_TTL: Duration = Duration::from_secs(24 * 3600);

/// A cache of registry answers in a directory (or none).
#[derive(Debug, Clone)]
pub struct Cache {
    dir: Option<PathBuf>,
    ttl: Duration,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    /// Seconds since the epoch when the registry answered.
    fetched: u64,
    /// The question, kept to tell hash collisions and for people reading the file.
    key: String,
    latest: Option<String>,
    releases: Vec<CachedRelease>,
}

#[derive(Serialize, Deserialize)]
struct CachedRelease {
    v: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    t: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    w: bool,
}

impl Cache {
    /// A cache under `dir` (`None`: remember nothing).
    pub fn new(dir: Option<&Path>, ttl: Duration) -> Cache {
        Cache {
            dir: dir.map(|d| d.join("registries")),
            ttl,
        }
    }

    fn key(ecosystem: Ecosystem, base: &str, name: &str, version: Option<&str>) -> String {
        format!("{ecosystem}\0{base}\0{name}\0{}", version.unwrap_or(""))
    }

    fn file(&self, key: &str) -> Option<PathBuf> {
        let digest = Sha256::digest(key.as_bytes());
        let name: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        Some(self.dir.as_ref()?.join(format!("{name}.json")))
    }

    /// A fresh answer to the question, if one is stored.
    pub fn get(
        &self,
        ecosystem: Ecosystem,
        base: &str,
        name: &str,
        version: Option<&str>,
    ) -> Option<Releases> {
        let key = Self::key(ecosystem, base, name, version);
        let bytes = std::fs::read(self.file(&key)?).ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        let age = now().checked_sub(entry.fetched)?;
        if entry.key != key || age > self.ttl.as_secs() {
            return None;
        }
        Some(Releases {
            latest: entry.latest,
            releases: entry
                .releases
                .into_iter()
                .map(|r| Release {
                    version: r.v,
                    published: r.t.and_then(|t| t.parse().ok()),
                    withdrawn: r.w,
                })
                .collect(),
        })
    }

    /// Stores an answer; a cache that cannot be written is only slower, so failures are
    /// ignored.
    pub fn put(
        &self,
        ecosystem: Ecosystem,
        base: &str,
        name: &str,
        version: Option<&str>,
        releases: &Releases,
    ) {
        let key = Self::key(ecosystem, base, name, version);
        let Some(file) = self.file(&key) else {
            return;
        };
        let entry = Entry {
            fetched: now(),
            key,
            latest: releases.latest.clone(),
            releases: releases
                .releases
                .iter()
                .map(|r| CachedRelease {
                    v: r.version.clone(),
                    t: r.published.map(|t| t.to_string()),
                    w: r.withdrawn,
                })
                .collect(),
        };
        let Ok(bytes) = serde_json::to_vec(&entry) else {
            return;
        };
        crate::atomic::write_cache_entry(&file, &bytes);
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip_and_expire() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(Some(dir.path()), DEFAULT_TTL);
        let releases = Releases {
            latest: Some("1.0.210".into()),
            releases: vec![Release {
                version: "1.0.210".into(),
                published: "2024-09-06T12:00:00Z".parse().ok(),
                withdrawn: false,
            }],
        };
        assert_eq!(cache.get(Ecosystem::CratesIo, "b", "serde", None), None);
        cache.put(Ecosystem::CratesIo, "b", "serde", None, &releases);
        assert_eq!(
            cache.get(Ecosystem::CratesIo, "b", "serde", None),
            Some(releases.clone())
        );
        // Another registry or version is another question.
        assert_eq!(cache.get(Ecosystem::CratesIo, "other", "serde", None), None);
        assert_eq!(
            cache.get(Ecosystem::CratesIo, "b", "serde", Some("1")),
            None
        );
        let expired = Cache::new(Some(dir.path()), Duration::ZERO);
        std::thread::sleep(Duration::from_millis(1100));
        assert_eq!(expired.get(Ecosystem::CratesIo, "b", "serde", None), None);
        assert_eq!(
            Cache::new(None, DEFAULT_TTL).get(Ecosystem::CratesIo, "b", "serde", None),
            None
        );
    }

    #[test]
    fn a_corrupt_file_is_a_miss() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(Some(dir.path()), DEFAULT_TTL);
        cache.put(Ecosystem::Npm, "b", "react", None, &Releases::default());
        for f in std::fs::read_dir(dir.path().join("registries"))
            .expect("dir")
            .flatten()
        {
            std::fs::write(f.path(), b"{not json").expect("write");
        }
        assert_eq!(cache.get(Ecosystem::Npm, "b", "react", None), None);
    }
}
