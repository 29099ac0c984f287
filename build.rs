//! Embeds every `patterns/*.toml` rule file, `patterns/formats/*.toml` format file and
//! `patterns/files/*.toml` sensitive-file rule file in the binary, so adding one needs no code
//! change and the binary needs no files beside it.

use std::fs;
use std::io::Write;
use std::path::Path;

fn main() {
    // Read at run time, not `env!`: a build script compiled in one checkout (a copied
    // `target/`, a git worktree) must still read the patterns of the checkout it builds.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let patterns = Path::new(&manifest).join("patterns");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).to_path_buf();
    embed(
        &patterns,
        &out.join("builtin_patterns.rs"),
        "BUILTIN_PATTERNS",
        "Rule files compiled into the binary: (file name, contents).",
    );
    embed(
        &patterns.join("formats"),
        &out.join("builtin_formats.rs"),
        "BUILTIN_FORMATS",
        "Credential-file format files compiled into the binary: (file name, contents).",
    );
    embed(
        &patterns.join("files"),
        &out.join("builtin_files.rs"),
        "BUILTIN_FILES",
        "Sensitive-file rule files compiled into the binary: (file name, contents).",
    );
}

/// Writes `const NAME: &[(&str, &str)]` holding every `*.toml` file of `dir`, in name order.
fn embed(dir: &Path, out: &Path, name: &str, doc: &str) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{} is missing: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut f = fs::File::create(out).expect("create the embedded file list");
    writeln!(f, "/// {doc}").unwrap();
    writeln!(f, "pub const {name}: &[(&str, &str)] = &[").unwrap();
    for p in files {
        println!("cargo:rerun-if-changed={}", p.display());
        let file = p.file_name().unwrap().to_string_lossy().into_owned();
        writeln!(
            f,
            "    ({file:?}, include_str!({:?})),",
            p.display().to_string()
        )
        .unwrap();
    }
    writeln!(f, "];").unwrap();
}
