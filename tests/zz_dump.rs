use hygiene::deps::lockfile::{parse, Format};
#[test]
fn dump() {
    let dir = std::env::var("DUMP_DIR").unwrap();
    let fmt: Format = Format::ALL.into_iter().find(|f| format!("{f:?}") == std::env::var("DUMP_FMT").unwrap()).unwrap();
    let mut files: Vec<_> = walk(std::path::Path::new(&dir));
    files.sort();
    for f in files {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        println!("=== {}", f.display());
        match parse(fmt, "x", &text) {
            Ok(pkgs) => for p in pkgs { println!("  {} {} L{} direct={:?} dev={:?}", p.name, p.version, p.line, p.direct, p.dev); },
            Err(e) => println!("  ERR {e}"),
        }
    }
}
fn walk(p: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut v = vec![];
    for e in std::fs::read_dir(p).unwrap() { let e = e.unwrap().path(); if e.is_dir() { v.extend(walk(&e)); } else { v.push(e); } }
    v
}
