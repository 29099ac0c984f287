//! What a secret fingerprint costs (see src/fingerprint.rs and docs/fingerprints.md): one
//! Argon2id derivation with the built-in parameters and, for comparison, a few others; the
//! version 1 fingerprint (one SHA-256), i.e. an attacker's guesses per second per core before
//! and after; and the wall time to derive N distinct secrets with the scan's `Deriver`
//! (parallel, rayon), as a scan with N findings pays it.
//!
//! Run by `bench/fingerprint.sh`; directly: `cargo bench --bench fingerprint -- [N]`
//! (default N = 25000, GitHub's result limit per SARIF run).

use argon2::{Algorithm, Argon2, Params, Version};
use hygiene::fingerprint::{self, Deriver};
use std::time::Instant;

fn per_second(runs: u32, f: impl Fn(u32)) -> f64 {
    let started = Instant::now();
    for i in 0..runs {
        f(i);
    }
    f64::from(runs) / started.elapsed().as_secs_f64()
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .and_then(|a| a.parse().ok())
        .unwrap_or(25_000);
    let threads = rayon::current_num_threads();

    // Before: one SHA-256 over rule, path and guess.
    let v1 = per_second(2_000_000, |i| {
        let guess = format!("password{i}");
        std::hint::black_box(fingerprint::legacy_secret_fingerprint(
            "generic-password",
            "config/db.yml",
            &guess,
        ));
    });
    // After: one derivation (the fingerprint's SHA-256 on top is noise).
    let v2 = per_second(300, |i| {
        let guess = format!("password{i}");
        std::hint::black_box(fingerprint::derive("generic-password", &guess));
    });
    println!("guesses/s on one core, v1 (SHA-256):            {v1:>12.0}");
    println!(
        "guesses/s on one core, v2 (Argon2id m={} KiB t={} p={}): {v2:>8.1}  ({:.2} ms each, {:.0}x slower)",
        fingerprint::MEMORY_KIB,
        fingerprint::PASSES,
        fingerprint::LANES,
        1000.0 / v2,
        v1 / v2
    );
    for (m, t) in [
        (1024u32, 1u32),
        (2048, 1),
        (4096, 1),
        (8192, 1),
        (16384, 1),
        (4096, 2),
    ] {
        let Ok(params) = Params::new(m, t, 1, Some(32)) else {
            continue;
        };
        let a = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let rate = per_second(200, |i| {
            let mut out = [0u8; 32];
            let guess = format!("password{i}");
            let _ = a.hash_password_into(
                guess.as_bytes(),
                b"hygiene.secret-fingerprint.v2\0r",
                &mut out,
            );
            std::hint::black_box(out);
        });
        println!(
            "  for comparison: m={m:>5} KiB t={t}: {:.2} ms",
            1000.0 / rate
        );
    }

    // A scan with n distinct secrets (the memo makes repeats free).
    let secrets: Vec<String> = (0..n).map(|i| format!("AKIAFAKEKEY{i:09}")).collect();
    let items: Vec<(&str, &str)> = secrets
        .iter()
        .map(|s| ("aws-access-key-id", s.as_str()))
        .collect();
    let d = Deriver::new();
    let started = Instant::now();
    let keys = d.keys(&items);
    let wall = started.elapsed().as_secs_f64();
    std::hint::black_box(keys);
    println!("{n} distinct secrets on {threads} threads: {wall:.2} s wall");
    let started = Instant::now();
    std::hint::black_box(d.keys(&items));
    println!(
        "the same {n} again (memoised): {:.3} s",
        started.elapsed().as_secs_f64()
    );
}
