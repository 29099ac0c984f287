//! Validation answers kept between runs, so a CI job that scans on every push asks a provider
//! about a given secret at most once a day.
//!
//! One small JSON file per question under the cache directory's `validate/`, named by a hash
//! of the question's key. The key is made from the rule, the validator's own text and the
//! secret's *digest* (the 128 bits [`crate::finding::SecretValue::digest`] derives from the
//! secret through the same slow, salted Argon2id step as its fingerprint: no faster a way to
//! test guesses than a fingerprint), never from the secret. It is the fingerprint without the
//! path, so the same key committed in two files is asked about once. Only `active` and
//! `inactive` are kept (for [`TTL`]); an `unknown` (rate-limited, timed out) is asked again
//! next run. Files are written to a temporary name and renamed, so a killed run leaves the
//! old answer or the new one, never half of one.

use crate::finding::{Validation, ValidationState};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long an `active` or `inactive` answer is reused.
pub const TTL: Duration = Duration::from_secs(24 * 3600);

/// A cache of answers in a directory (or none).
#[derive(Debug, Clone)]
pub struct Cache {
    dir: Option<PathBuf>,
    ttl: Duration,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    /// Seconds since the epoch when the provider answered.
    checked: u64,
    /// The question's key (a hash), kept to tell collisions apart.
    key: String,
    validation: Validation,
}

impl Cache {
    /// A cache in `dir` itself (`None`: remember nothing).
    pub fn new(dir: Option<&Path>, ttl: Duration) -> Cache {
        Cache {
            dir: dir.map(Path::to_path_buf),
            ttl,
        }
    }

    /// The key of a question: hex SHA-256 of its parts (none of them a secret).
    pub fn key(parts: &[&[u8]]) -> String {
        let mut h = Sha256::new();
        for p in parts {
            h.update((p.len() as u64).to_le_bytes());
            h.update(p);
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    fn file(&self, key: &str) -> Option<PathBuf> {
        Some(
            self.dir
                .as_ref()?
                .join(format!("{}.json", &key[..32.min(key.len())])),
        )
    }

    /// A fresh answer, if one is stored.
    pub fn get(&self, key: &str) -> Option<Validation> {
        let bytes = std::fs::read(self.file(key)?).ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        let age = now().checked_sub(entry.checked)?;
        (entry.key == key && age <= self.ttl.as_secs()).then_some(entry.validation)
    }

    /// Stores a verdict (an `unknown` is not stored). A cache that cannot be written only
    /// means asking again, so failures are ignored.
    pub fn put(&self, key: &str, validation: &Validation) {
        if validation.state == ValidationState::Unknown {
            return;
        }
        let Some(file) = self.file(key) else {
            return;
        };
        let entry = Entry {
            checked: now(),
            key: key.to_string(),
            validation: validation.clone(),
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
    use crate::finding::UnknownReason;

    #[test]
    fn verdicts_round_trip_unknowns_are_not_kept_and_entries_expire() {
        let dir = std::env::temp_dir().join(format!("hygiene-vcache-{}", std::process::id()));
        let cache = Cache::new(Some(&dir), TTL);
        let key = Cache::key(&[b"rule", b"digest"]);
        assert_eq!(cache.get(&key), None);
        cache.put(&key, &Validation::active());
        assert_eq!(cache.get(&key), Some(Validation::active()));
        let other = Cache::key(&[b"rule", b"other"]);
        cache.put(&other, &Validation::unknown(UnknownReason::Timeout, ""));
        assert_eq!(cache.get(&other), None);
        let expired = Cache::new(Some(&dir), Duration::ZERO);
        // Zero TTL: an answer of this second is still fresh, one of a second ago is not.
        std::thread::sleep(Duration::from_millis(1100));
        assert_eq!(expired.get(&key), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
