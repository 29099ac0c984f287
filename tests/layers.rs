//! The library's layers (described in `src/lib.rs`) hold: no module imports from a layer above
//! its own, engines do not import each other, and no two source files import each other,
//! directly or round a longer loop.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level module → layer (higher may import lower).
const LAYERS: &[(&str, u8)] = &[
    ("atomic", 0),
    ("error", 0),
    ("finding", 0),
    // The process's allocator settings, used by the git source and `main`.
    ("memory", 0),
    ("fingerprint", 0),
    ("outcome", 0),
    ("package", 0),
    ("practice", 0),
    ("secrets", 1),
    ("deps", 1),
    ("source", 1),
    ("config", 2),
    ("baseline", 2),
    ("scan", 2),
    ("hook", 2),
    ("rules", 2),
    ("explain", 2),
    ("validate", 2),
    ("report", 3),
    // The fuzz targets' entry points (`fuzz/`), which reach every parser.
    ("fuzzing", 4),
];

/// The engines: each may use the data layer, never another engine.
const ENGINES: &[&str] = &["secrets", "deps", "source"];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every library source file as its module path (`secrets/filter`, `scan` for
/// `scan/mod.rs`), with its text. The binary (`main.rs`, `cli.rs`, `terminal.rs`) is not the
/// library.
fn library_files() -> BTreeMap<String, String> {
    fn visit(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                visit(&path, root, out);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .expect("under src/")
                .with_extension("")
                .to_string_lossy()
                .replace('\\', "/");
            if rel == "main" || rel == "cli" || rel == "terminal" || rel == "lib" {
                continue;
            }
            let module = rel.strip_suffix("/mod").unwrap_or(&rel).to_string();
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            out.insert(module, text);
        }
    }
    let mut out = BTreeMap::new();
    visit(&src(), &src(), &mut out);
    out
}

/// The code of `text` without comments and without its `#[cfg(test)]` module (tests may
/// reach anywhere).
fn code(text: &str) -> String {
    let body = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    body.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module paths a file's code names: `crate::a::b::c` and `super::x` (relative to the
/// file's module), each resolved to the longest prefix that is a library file.
fn imports(module: &str, text: &str, files: &BTreeMap<String, String>) -> BTreeSet<String> {
    let code = code(text);
    let mut out = BTreeSet::new();
    let bytes = code.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        if !code.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let rest = &code[i..];
        let starts_word = i == 0 || !is_ident(bytes[i - 1]);
        let (base, skip): (Vec<&str>, usize) = if starts_word && rest.starts_with("crate::") {
            (Vec::new(), "crate::".len())
        } else if starts_word && rest.starts_with("super::") {
            // `super` of `a/b/c` (file c in module a/b) is `a/b`; of `a/b` (a/b/mod.rs or
            // a/b.rs) it is `a`.
            let mut parts: Vec<&str> = module.split('/').collect();
            parts.pop();
            let mut skip = 0;
            let mut r = rest;
            while let Some(after) = r.strip_prefix("super::") {
                skip += "super::".len();
                r = after;
                if skip > "super::".len() {
                    parts.pop();
                }
            }
            (parts, skip)
        } else {
            i += 1;
            continue;
        };
        let path: Vec<&str> = code[i + skip..]
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .next()
            .unwrap_or("")
            .split("::")
            .filter(|s| !s.is_empty())
            .collect();
        let mut full: Vec<&str> = base.clone();
        full.extend(path);
        while !full.is_empty() {
            let candidate = full.join("/");
            if files.contains_key(&candidate) {
                if candidate != module {
                    out.insert(candidate);
                }
                break;
            }
            full.pop();
        }
        i += skip;
    }
    out
}

fn top(module: &str) -> &str {
    module.split('/').next().unwrap_or(module)
}

#[test]
fn no_module_imports_from_a_layer_above_or_another_engine() {
    let files = library_files();
    assert!(files.len() > 50, "found only {} source files", files.len());
    let mut violations = Vec::new();
    for (module, text) in &files {
        let own = top(module);
        let Some(own_layer) = layer(own) else {
            violations.push(format!("{module}: top-level module `{own}` has no layer"));
            continue;
        };
        for import in imports(module, text, &files) {
            let other = top(&import);
            if other == own {
                continue;
            }
            let Some(other_layer) = layer(other) else {
                violations.push(format!("{import}: top-level module `{other}` has no layer"));
                continue;
            };
            if other_layer > own_layer {
                violations.push(format!(
                    "{module} (layer {own_layer}) imports {import} (layer {other_layer})"
                ));
            }
            if ENGINES.contains(&own) && ENGINES.contains(&other) {
                violations.push(format!("engine {module} imports engine {import}"));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn no_import_cycles_between_files() {
    let files = library_files();
    let graph: BTreeMap<String, BTreeSet<String>> = files
        .iter()
        .map(|(m, t)| (m.clone(), imports(m, t, &files)))
        .collect();
    // Depth-first search for a back edge; report each cycle found as a path.
    let mut state: BTreeMap<&str, u8> = BTreeMap::new(); // 1: on the stack, 2: done
    let mut cycles = Vec::new();
    fn dfs<'a>(
        node: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<&'a str, u8>,
        stack: &mut Vec<&'a str>,
        cycles: &mut Vec<String>,
    ) {
        state.insert(node, 1);
        stack.push(node);
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let start = stack.iter().position(|n| *n == next).unwrap_or(0);
                    let mut cycle: Vec<&str> = stack[start..].to_vec();
                    cycle.push(next);
                    cycles.push(cycle.join(" -> "));
                }
                Some(_) => {}
                None => dfs(next, graph, state, stack, cycles),
            }
        }
        stack.pop();
        state.insert(node, 2);
    }
    for node in graph.keys() {
        if !state.contains_key(node.as_str()) {
            dfs(node, &graph, &mut state, &mut Vec::new(), &mut cycles);
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_resolver_sees_imports() {
    // The checks above are only as good as the import reader: make sure it finds the kinds of
    // reference the code uses.
    let mut files = BTreeMap::new();
    for m in ["a", "a/b", "a/c", "d"] {
        files.insert(m.to_string(), String::new());
    }
    let text = "use super::c::Thing;\nuse crate::d::{X, Y};\n// crate::nothing\nlet x = crate::a::b::f();\n";
    let found = imports("a/b", text, &files);
    assert_eq!(
        found,
        ["a/c", "d"].iter().map(|s| s.to_string()).collect(),
        "{found:?}"
    );
}
