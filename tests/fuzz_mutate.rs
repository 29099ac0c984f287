//! A short fuzzing run of every fuzz target in `cargo test`, on the stable toolchain, so CI
//! fuzzes every parser on every run without the nightly compiler `cargo fuzz` needs (the CI
//! machine has one toolchain, stable). Each target gets a fixed number of inputs made by
//! seeded random mutations of its seeds: the committed corpus (`fuzz/corpus/<target>/`,
//! what coverage-guided runs kept) or, for the lockfile parsers, `fixtures/lockfiles/`.
//!
//! Mutations stack one to four edits: bit flips, random and "interesting" bytes (quotes,
//! brackets, newlines, NUL, 0xFF), numbers at the edges of integer types, insertions,
//! deletions, duplicated runs and splices of two seeds. Not coverage-guided: libFuzzer's long
//! runs (`fuzz/README.md`) find what needs many steps; this keeps every target exercised
//! beyond its fixed corpus on every change. The seed is fixed, so a failure reproduces: the
//! panic message names the target, the seed file and the mutant's number, and the mutant is
//! written to `target/fuzz-mutants/` to be added to the corpus with its fix.

use std::path::{Path, PathBuf};

/// xorshift64*: small, fast and deterministic; quality is beside the point here.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INTERESTING_BYTES: &[u8] = b"\0\xff\x7f\x80\"'\\\n\r\t{}[]<>=:,.-_/#@ 09azAZ";

const INTERESTING_TEXT: &[&str] = &[
    "-1",
    "0",
    "255",
    "256",
    "65536",
    "2147483648",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "1e309",
    "NaN",
    "null",
    "true",
    "\"\"",
    "[]",
    "{}",
    "\u{feff}",
    "\u{10ffff}",
    "..",
    "../../",
    "%00",
];

fn mutate(rng: &mut Rng, seed: &[u8], seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = data.len();
        match rng.below(9) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = rng.next() as u8;
            }
            2 if len > 0 => {
                let i = rng.below(len);
                data[i] = INTERESTING_BYTES[rng.below(INTERESTING_BYTES.len())];
            }
            3 => {
                let text = INTERESTING_TEXT[rng.below(INTERESTING_TEXT.len())].as_bytes();
                let at = rng.below(len + 1);
                data.splice(at..at, text.iter().copied());
            }
            4 => {
                let at = rng.below(len + 1);
                let n = 1 + rng.below(16);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                data.splice(at..at, bytes);
            }
            5 if len > 0 => {
                let at = rng.below(len);
                let n = 1 + rng.below((len - at).min(64));
                data.drain(at..at + n);
            }
            6 if len > 0 => {
                let at = rng.below(len);
                let n = 1 + rng.below((len - at).min(256));
                let run = data[at..at + n].to_vec();
                let to = rng.below(len + 1);
                data.splice(to..to, run);
            }
            7 if !seeds.is_empty() => {
                let other = &seeds[rng.below(seeds.len())];
                let cut = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
            _ if len > 1 => {
                let at = rng.below(len);
                data.truncate(at.max(1));
            }
            _ => data.push(rng.next() as u8),
        }
    }
    data
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `target` on `runs` mutants of `seeds` (and on each seed first); a panic names the
/// mutant and leaves it in `target/fuzz-mutants/<name>/`.
fn fuzz(name: &str, seeds: Vec<PathBuf>, runs: usize, target: fn(&[u8])) {
    assert!(!seeds.is_empty(), "{name}: no seeds");
    let bytes: Vec<Vec<u8>> = seeds
        .iter()
        .map(|p| std::fs::read(p).expect("a readable seed"))
        .collect();
    // Seeded by the target's name: each target its own sequence, the same on every run.
    let mut rng = Rng(name.bytes().fold(0x9E37_79B9_7F4A_7C15, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
    }) | 1);
    for i in 0..runs {
        let from = rng.below(bytes.len());
        let mutant = mutate(&mut rng, &bytes[from], &bytes);
        let outcome = std::panic::catch_unwind(|| target(&mutant));
        if outcome.is_err() {
            let dir = root().join("target/fuzz-mutants").join(name);
            let _ = std::fs::create_dir_all(&dir);
            let path = dir.join(format!("mutant-{i}"));
            let _ = std::fs::write(&path, &mutant);
            panic!(
                "{name}: mutant {i} of {} panicked; the input is in {}",
                seeds[from].display(),
                path.display()
            );
        }
    }
}

fn corpus(target: &str) -> Vec<PathBuf> {
    files_under(&root().join("fuzz/corpus").join(target))
}

/// The lockfile fixtures a family's parsers read, and the family's committed corpus (if any).
fn lockfiles(family: hygiene::deps::lockfile::Family) -> Vec<PathBuf> {
    use hygiene::deps::lockfile::Family;
    let target = match family {
        Family::Json => "lockfile_json",
        Family::Yaml => "lockfile_yaml",
        Family::Toml => "lockfile_toml",
        Family::Lines => "lockfile_lines",
    };
    let mut seeds = corpus(target);
    seeds.extend(lockfiles_of(family));
    seeds
}

fn lockfiles_of(family: hygiene::deps::lockfile::Family) -> Vec<PathBuf> {
    use hygiene::deps::lockfile::Family;
    files_under(&root().join("fixtures/lockfiles"))
        .into_iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or_default();
            match family {
                Family::Json => {
                    ext == "json"
                        || ext == "resolved"
                        || name == "Pipfile.lock"
                        || name == "composer.lock"
                        || name == "renv.lock"
                        || name == "bun.lock"
                        || name == "conan.lock"
                }
                Family::Yaml => ext == "yaml" || name == "pubspec.lock",
                Family::Toml => {
                    ext == "toml"
                        || matches!(name, "Cargo.lock" | "poetry.lock" | "uv.lock" | "pdm.lock")
                }
                Family::Lines => {
                    matches!(ext, "txt" | "mod" | "lockfile" | "xml")
                        || matches!(name, "Gemfile.lock" | "yarn.lock" | "mix.lock")
                }
            }
        })
        .collect()
}

#[test]
fn osv_record() {
    fuzz(
        "osv_record",
        corpus("osv_record"),
        15000,
        hygiene::fuzzing::osv_record,
    );
}

#[test]
fn osv_zip() {
    fuzz(
        "osv_zip",
        corpus("osv_zip"),
        2000,
        hygiene::fuzzing::osv_zip,
    );
}

#[test]
fn rules_toml() {
    fuzz(
        "rules_toml",
        corpus("rules_toml"),
        3000,
        hygiene::fuzzing::rules_toml,
    );
}

#[test]
fn config_toml() {
    fuzz(
        "config_toml",
        corpus("config_toml"),
        300,
        hygiene::fuzzing::config_toml,
    );
}

#[test]
fn gitleaks_toml() {
    fuzz(
        "gitleaks_toml",
        corpus("gitleaks_toml"),
        300,
        hygiene::fuzzing::gitleaks_toml,
    );
}

#[test]
fn baseline() {
    fuzz(
        "baseline",
        corpus("baseline"),
        8000,
        hygiene::fuzzing::baseline,
    );
}

#[test]
fn prepush_input() {
    fuzz(
        "prepush_input",
        corpus("prepush_input"),
        8000,
        hygiene::fuzzing::prepush_input,
    );
}

#[test]
fn pack_reader() {
    fuzz(
        "pack_reader",
        corpus("pack_reader"),
        2000,
        hygiene::fuzzing::pack_reader,
    );
}

#[test]
fn scan_bytes() {
    fuzz(
        "scan_bytes",
        corpus("scan_bytes"),
        8000,
        hygiene::fuzzing::scan_bytes,
    );
}

#[test]
fn keywords() {
    fuzz(
        "keywords",
        corpus("keywords"),
        4000,
        hygiene::fuzzing::keywords,
    );
}

#[test]
fn paths() {
    fuzz("paths", corpus("paths"), 4000, hygiene::fuzzing::paths);
}

#[test]
fn lockfiles_every_family() {
    use hygiene::deps::lockfile::{fuzz_family, Family};
    for (name, family, run) in [
        (
            "lockfile_json",
            Family::Json,
            (|d: &[u8]| fuzz_family(Family::Json, d)) as fn(&[u8]),
        ),
        ("lockfile_yaml", Family::Yaml, |d: &[u8]| {
            fuzz_family(Family::Yaml, d)
        }),
        ("lockfile_toml", Family::Toml, |d: &[u8]| {
            fuzz_family(Family::Toml, d)
        }),
        ("lockfile_lines", Family::Lines, |d: &[u8]| {
            fuzz_family(Family::Lines, d)
        }),
    ] {
        fuzz(name, lockfiles(family), 4000, run);
    }
}

#[test]
fn scan_cache() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = dir.path().join("seed");
    let bytes = hygiene::fuzzing::scan_cache_seed();
    assert!(bytes.len() > 100, "no seed made");
    std::fs::write(&seed, bytes).expect("write the seed");
    let mut seeds = corpus("scan_cache");
    seeds.push(seed);
    fuzz("scan_cache", seeds, 1500, hygiene::fuzzing::scan_cache);
}

/// `fuzz/corpus/scan_cache/seed` is what `scan_cache_seed` makes (a cache file of this
/// version): regenerate it with `HYGIENE_WRITE_SEEDS=1` when the format changes.
#[test]
fn scan_cache_committed_seed_is_current() {
    let path = root().join("fuzz/corpus/scan_cache/seed");
    let made = hygiene::fuzzing::scan_cache_seed();
    if std::env::var_os("HYGIENE_WRITE_SEEDS").is_some() {
        std::fs::write(&path, &made).expect("write the seed");
    }
    let committed = std::fs::read(&path).expect("the committed seed");
    assert_eq!(committed.len(), made.len(), "regenerate {}", path.display());
}
