//! Embeds every `patterns/*.toml` rule file in the binary, so adding a rule file needs no
//! code change and the binary needs no files beside it.

use std::fs;
use std::io::Write;
use std::path::Path;

fn main() {
    // Read at run time, not `env!`: a build script compiled in one checkout (a copied
    // `target/`, a git worktree) must still read the patterns of the checkout it builds.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("patterns");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("patterns/ directory is missing")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("builtin_patterns.rs");
    let mut f = fs::File::create(out).expect("create builtin_patterns.rs");
    writeln!(
        f,
        "/// Rule files compiled into the binary: (file name, contents)."
    )
    .unwrap();
    writeln!(f, "pub const BUILTIN_PATTERNS: &[(&str, &str)] = &[").unwrap();
    for p in files {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        writeln!(
            f,
            "    ({name:?}, include_str!({:?})),",
            p.display().to_string()
        )
        .unwrap();
    }
    writeln!(f, "];").unwrap();
}
