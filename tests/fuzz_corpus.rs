//! The fuzz targets' committed corpora (`fuzz/corpus/<target>/`, minimised with `cargo fuzz
//! cmin`, the crashes fuzzing found included) replayed through the same entry points the
//! targets call (`hygiene::fuzzing`), on the stable toolchain: every input that once found a
//! bug keeps being run, and the entry points keep compiling, without building the fuzzers.
//! `tests/fuzz_mutate.rs` fuzzes every target with seeded mutations of these inputs; `fuzz/ci.sh`
//! runs the libFuzzer targets themselves where nightly is installed.

use std::path::Path;

fn replay(target: &str, run: impl Fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: empty corpus", dir.display());
    for f in files {
        let data = std::fs::read(&f).expect("a readable corpus file");
        let started = std::time::Instant::now();
        run(&data);
        assert!(
            started.elapsed().as_secs() < 10,
            "{} took {:?}",
            f.display(),
            started.elapsed()
        );
    }
}

#[test]
fn osv_record() {
    replay("osv_record", hygiene::fuzzing::osv_record);
}

#[test]
fn osv_zip() {
    replay("osv_zip", hygiene::fuzzing::osv_zip);
}

#[test]
fn rules_toml() {
    replay("rules_toml", hygiene::fuzzing::rules_toml);
}

#[test]
fn config_toml() {
    replay("config_toml", hygiene::fuzzing::config_toml);
}

#[test]
fn gitleaks_toml() {
    replay("gitleaks_toml", hygiene::fuzzing::gitleaks_toml);
}

#[test]
fn baseline() {
    replay("baseline", hygiene::fuzzing::baseline);
}

#[test]
fn prepush_input() {
    replay("prepush_input", hygiene::fuzzing::prepush_input);
}

#[test]
fn pack_reader() {
    replay("pack_reader", hygiene::fuzzing::pack_reader);
}

#[test]
fn scan_bytes() {
    replay("scan_bytes", hygiene::fuzzing::scan_bytes);
}

#[test]
fn keywords() {
    replay("keywords", hygiene::fuzzing::keywords);
}

#[test]
fn paths() {
    replay("paths", hygiene::fuzzing::paths);
}

/// The lockfile families' corpora, each through every parser of its family.
#[test]
fn lockfile_families() {
    use hygiene::deps::lockfile::{fuzz_family, Family};
    for (target, family) in [
        ("lockfile_json", Family::Json),
        ("lockfile_toml", Family::Toml),
        ("lockfile_yaml", Family::Yaml),
        ("lockfile_lines", Family::Lines),
    ] {
        replay(target, |d| fuzz_family(family, d));
    }
}
