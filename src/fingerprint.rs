//! Fingerprints of secret findings that do not make a committed file a password-cracking
//! oracle.
//!
//! A finding's fingerprint is its stable identity: baselines are keyed by it and GitHub code
//! scanning tracks alerts by it (SARIF `partialFingerprints`). It must be the same on every
//! machine and in every run, so it cannot take a random salt. Version 1 was a plain SHA-256
//! over rule id, path and secret: anyone holding a committed `.hygiene-baseline.json` or an
//! uploaded SARIF file knows the rule and the path, so each guess of a weak password cost one
//! SHA-256 (tens of millions a second on one core, billions on a GPU).
//!
//! Version 2 runs the secret through Argon2id first, salted with a fixed domain salt and the
//! rule id, and fingerprints the derived key instead of the secret:
//!
//! ```text
//! key         = Argon2id(password = secret, salt = DOMAIN_SALT ‖ rule id, 2 MiB, t=1, p=1)  (32 bytes)
//! fingerprint = hex(SHA-256("hygiene fingerprint v2" 0 rule id 0 path 0 key)[..16])
//! digest      = SHA-256("hygiene secret digest v2" 0 key)[..16]     (scan cache, history)
//! ```
//!
//! * **Why Argon2id**: memory-hard, so a GPU or an ASIC gains far less over a CPU core than
//!   against SHA-256 or PBKDF2; the RustCrypto `argon2` crate is pure Rust and well kept.
//! * **Why this salt**: a fixed salt keeps fingerprints stable across machines (the whole
//!   point of a fingerprint); the domain part makes tables computed for any other product
//!   useless, and the rule id makes one table per rule necessary. The path is *not* in the
//!   salt: the same secret in many files is derived once.
//! * **Cost**: [`MEMORY_KIB`], [`PASSES`], [`LANES`] (2 MiB, one pass, one lane): a couple of
//!   milliseconds per secret on one core, a few hundred guesses a second per core instead of
//!   millions; `bench/fingerprint.sh` measures it and `docs/fingerprints.md` records the
//!   numbers and why not more (a scan pays it once per distinct secret).
//!   A scan derives each distinct (rule, secret) once ([`Deriver`] memoises) and derives many
//!   in parallel (rayon), so a scan's added time is the number of *distinct* secrets times the
//!   cost, divided by the cores.
//! * **What it does not do**: a strong secret (a 40-character random token) was never
//!   guessable; a weak password is now a few hundred guesses a second per core instead of
//!   tens of millions. That makes a dictionary of common passwords expensive, not impossible:
//!   a committed secret must still be rotated.
//!
//! Findings that hold no secret (vulnerable packages, sensitive file names, practice
//! findings, the evidence of a hygiene rule such as an `http://` URL) keep the plain SHA-256
//! fingerprint of version 1 (`finding::fingerprint`): there is nothing to guess.

use argon2::{Algorithm, Argon2, Block, Params, Version};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The fixed part of every derivation's salt. Changing it changes every fingerprint.
pub const DOMAIN_SALT: &[u8] = b"hygiene.secret-fingerprint.v2\0";

/// Argon2id memory cost in KiB (2 MiB).
pub const MEMORY_KIB: u32 = 2 * 1024;
/// Argon2id passes over the memory.
pub const PASSES: u32 = 1;
/// Argon2id lanes: one, so a scan's parallelism is across secrets, not inside one.
pub const LANES: u32 = 1;

/// The length of a derived key in bytes.
pub const KEY_LEN: usize = 32;

/// A secret's derived key: what fingerprints and digests are computed from.
pub type SecretKey = [u8; KEY_LEN];

fn argon2() -> &'static Argon2<'static> {
    static ARGON2: OnceLock<Argon2<'static>> = OnceLock::new();
    ARGON2.get_or_init(|| {
        // The constants are valid Argon2 parameters (checked by a test); `new` only rejects
        // values out of Argon2's ranges.
        let params = Params::new(MEMORY_KIB, PASSES, LANES, Some(KEY_LEN))
            .unwrap_or_else(|e| panic!("invalid built-in Argon2 parameters: {e}"));
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    })
}

/// Argon2's working memory (2 MiB), kept between derivations: allocating it afresh for each
/// one faulted in 512 new pages every time, about 40 % of a derivation's cost. Argon2
/// overwrites every block before reading it, so a reused buffer gives the same keys.
/// At most [`SPARE_MEMORY`] buffers are kept; more threads deriving at once allocate their
/// own, as before.
static MEMORY: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());
const SPARE_MEMORY: usize = 4;

/// Derives the key of `secret` as found by rule `rule_id` (the slow part: see the module
/// documentation). Deterministic: the same on every machine and in every run.
pub fn derive(rule_id: &str, secret: &str) -> SecretKey {
    let mut salt = Vec::with_capacity(DOMAIN_SALT.len() + rule_id.len());
    salt.extend_from_slice(DOMAIN_SALT);
    salt.extend_from_slice(rule_id.as_bytes());
    let mut key = [0u8; KEY_LEN];
    // Fails only for a salt shorter than 8 bytes (ours is longer), a password or salt over
    // 4 GiB (a secret is a regex capture of a file under the size limit) or an output length
    // out of range (ours is fixed).
    let spare = MEMORY.lock().ok().and_then(|mut m| m.pop());
    let mut memory = spare.unwrap_or_else(|| vec![Block::default(); MEMORY_KIB as usize]);
    argon2()
        .hash_password_into_with_memory(secret.as_bytes(), &salt, &mut key, &mut memory)
        .unwrap_or_else(|e| panic!("Argon2 derivation failed: {e}"));
    if let Ok(mut m) = MEMORY.lock() {
        if m.len() < SPARE_MEMORY {
            m.push(memory);
        }
    }
    key
}

/// The fingerprint of a secret finding: rule id, path and the secret's derived key.
pub fn secret_fingerprint(rule_id: &str, path: &str, key: &SecretKey) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"hygiene fingerprint v2\0");
    hasher.update(rule_id.as_bytes());
    hasher.update([0u8]);
    hasher.update(path.as_bytes());
    hasher.update([0u8]);
    hasher.update(key);
    hex16(&hasher.finalize())
}

/// What tells two values of one rule apart without holding them (the scan cache stores it,
/// the history scan dedupes by it): derived from the slow key, so the cache file is no faster
/// an oracle than a fingerprint.
pub fn secret_digest(key: &SecretKey) -> [u8; 16] {
    let mut hasher = Sha256::new();
    hasher.update(b"hygiene secret digest v2\0");
    hasher.update(key);
    let mut out = [0u8; 16];
    out.copy_from_slice(&hasher.finalize()[..16]);
    out
}

/// The version 1 fingerprint of a secret finding (plain SHA-256 of rule id, path and secret).
/// Computed only to match the entries of a version 1 baseline, never written.
pub fn legacy_secret_fingerprint(rule_id: &str, path: &str, secret: &str) -> String {
    // As `finding::fingerprint(&[rule_id, path, secret])`: each part followed by a NUL.
    let mut hasher = Sha256::new();
    for part in [rule_id, path, secret] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hex16(&hasher.finalize())
}

fn hex16(digest: &[u8]) -> String {
    use std::fmt::Write;
    digest[..16]
        .iter()
        .fold(String::with_capacity(32), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// Derives each distinct (rule, secret) once per scan and many at a time.
///
/// The memo is keyed by a SHA-256 of rule and secret, not by the secret itself, so it keeps no
/// extra copy of a secret in memory. Each entry is a cell filled once: two threads meeting the
/// same secret at the same time wait for one derivation rather than both paying for it.
#[derive(Default)]
pub struct Deriver {
    memo: Mutex<HashMap<[u8; 32], Arc<OnceLock<SecretKey>>>>,
}

impl std::fmt::Debug for Deriver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.memo.lock().map_or(0, |m| m.len());
        write!(f, "Deriver({n} keys)")
    }
}

impl Deriver {
    pub fn new() -> Deriver {
        Deriver::default()
    }

    fn cell(&self, rule_id: &str, secret: &str) -> Arc<OnceLock<SecretKey>> {
        let mut hasher = Sha256::new();
        hasher.update((rule_id.len() as u64).to_le_bytes());
        hasher.update(rule_id.as_bytes());
        hasher.update(secret.as_bytes());
        let id: [u8; 32] = hasher.finalize().into();
        // A poisoned lock means a derivation panicked on another thread; the map itself is
        // still consistent (only whole inserts happen under the lock).
        let mut memo = self.memo.lock().unwrap_or_else(|p| p.into_inner());
        memo.entry(id).or_default().clone()
    }

    /// The key of one secret, derived at most once per [`Deriver`].
    pub fn key(&self, rule_id: &str, secret: &str) -> SecretKey {
        *self
            .cell(rule_id, secret)
            .get_or_init(|| derive(rule_id, secret))
    }

    /// The keys of many secrets, in order: distinct ones derived in parallel.
    pub fn keys(&self, items: &[(&str, &str)]) -> Vec<SecretKey> {
        if items.len() <= 1 {
            return items.iter().map(|(r, s)| self.key(r, s)).collect();
        }
        let cells: Vec<(Arc<OnceLock<SecretKey>>, &str, &str)> = items
            .iter()
            .map(|(r, s)| (self.cell(r, s), *r, *s))
            .collect();
        cells
            .par_iter()
            .with_max_len(1)
            .map(|(cell, r, s)| *cell.get_or_init(|| derive(r, s)))
            .collect()
    }

    /// Forgets every derived key. A scan's engine lives for one scan, and its memo grows with
    /// the scan's distinct secrets; an engine kept for a whole process (the fuzzing harness,
    /// millions of inputs) would grow without end: `scan_bytes` reached libFuzzer's 2 GB limit
    /// after 3.78 million runs.
    pub fn clear(&self) {
        self.memo.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// How many distinct secrets were derived (or are being derived).
    pub fn len(&self) -> usize {
        self.memo.lock().map_or(0, |m| m.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_valid_and_keys_are_stable() {
        // A fixed vector: a change of parameters, salt or algorithm changes every fingerprint
        // users have in baselines and GitHub alerts, so it must be deliberate.
        let key = derive("generic-password", "hunter2");
        assert_eq!(
            secret_fingerprint("generic-password", "config/db.yml", &key),
            secret_fingerprint("generic-password", "config/db.yml", &key)
        );
        assert_eq!(
            secret_fingerprint("generic-password", "config/db.yml", &key),
            "77d9e54999a69ff0c8cd0a1e34687792"
        );
        // Again after other derivations, on reused working memory: the same key.
        for other in ["a", "correct horse battery staple", ""] {
            derive("generic-password", other);
        }
        assert_eq!(derive("generic-password", "hunter2"), key);
    }

    #[test]
    fn the_rule_salts_and_the_path_separates() {
        let a = derive("rule-a", "s3cr3t-value");
        let b = derive("rule-b", "s3cr3t-value");
        assert_ne!(a, b);
        assert_ne!(
            secret_fingerprint("rule-a", "x", &a),
            secret_fingerprint("rule-a", "y", &a)
        );
        assert_ne!(secret_digest(&a), secret_digest(&b));
        // Not the version 1 fingerprint.
        assert_ne!(
            secret_fingerprint("rule-a", "x", &a),
            legacy_secret_fingerprint("rule-a", "x", "s3cr3t-value")
        );
    }

    #[test]
    fn the_deriver_memoises_and_keeps_order() {
        let d = Deriver::new();
        let keys = d.keys(&[("r", "one"), ("r", "two"), ("r", "one"), ("q", "one")]);
        assert_eq!(d.len(), 3);
        assert_eq!(keys[0], keys[2]);
        assert_eq!(keys[0], derive("r", "one"));
        assert_eq!(keys[1], derive("r", "two"));
        assert_eq!(keys[3], derive("q", "one"));
        assert_eq!(d.key("r", "two"), keys[1]);
        assert_eq!(d.len(), 3);
        // Forgotten, then derived again to the same keys.
        d.clear();
        assert!(d.is_empty());
        assert_eq!(d.key("r", "one"), keys[0]);
        assert_eq!(d.len(), 1);
    }
}
