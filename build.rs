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

/// Writes `const NAME: &[Embedded]` holding every `*.toml` file of `dir`, in name order: its
/// TOML as written and the same data as JSON, which a scan reads in a tenth of the time (the
/// rule files are a megabyte of TOML, a sixth of the start of a one-file scan). A file the
/// build cannot read as TOML gets no JSON: the program then reads the TOML and reports the
/// error, with its line, as it does for a user's rule file.
fn embed(dir: &Path, out: &Path, name: &str, doc: &str) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{} is missing: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let json_dir = out.with_extension("json.d");
    fs::create_dir_all(&json_dir).expect("create the JSON directory");
    let mut f = fs::File::create(out).expect("create the embedded file list");
    writeln!(f, "/// {doc}").unwrap();
    writeln!(
        f,
        "pub const {name}: &[crate::secrets::embedded::Embedded] = &["
    )
    .unwrap();
    for p in files {
        println!("cargo:rerun-if-changed={}", p.display());
        let file = p.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let json = toml::from_str::<toml::Value>(&text)
            .ok()
            .and_then(|v| serde_json::to_string(&v).ok())
            .map(|json| {
                let path = json_dir.join(format!("{file}.json"));
                fs::write(&path, json).expect("write the JSON");
                format!("Some(include_str!({:?}))", path.display().to_string())
            })
            .unwrap_or_else(|| "None".to_string());
        writeln!(
            f,
            "    crate::secrets::embedded::Embedded {{ name: {file:?}, toml: include_str!({:?}), json: {json} }},",
            p.display().to_string()
        )
        .unwrap();
    }
    writeln!(f, "];").unwrap();
}
