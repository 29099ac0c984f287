//! Lockfile parser tests.
//!
//! * Golden tests over every fixture of osv-scalibr's test data in `../shared/lockfiles`
//!   (each fixture file must be listed, so new fixtures cannot go unnoticed). The expected
//!   packages were written after reading each fixture; every package's name, version, line,
//!   and direct/dev flags are checked. Skipped loudly when `../shared` is absent.
//! * Tests over this project's own invented fixtures in `fixtures/lockfiles/`, which cover
//!   every format's features (direct, dev, lines, skipped entries) without `../shared`.
//! * Malformed, empty and truncated input, and a short run of the mutation fuzzer.

mod common;

use hygiene::deps::lockfile::{detect, parse, parse_file, requirements, Format, LockfileError};
use hygiene::deps::Package;
use std::path::{Path, PathBuf};

/// (path if not the fixture itself, name, version, line, flags): flags are two characters,
/// direct then dev: `y` = Some(true), `n` = Some(false), `-` = None.
type Expected = (
    &'static str,
    &'static str,
    &'static str,
    usize,
    &'static str,
);
/// A fixture and what parsing it gives: the packages, or an error at that line.
type Case = (&'static str, Result<&'static [Expected], Option<usize>>);

/// A parsed package, as compared in these tests.
type Row = (String, String, String, usize, Option<bool>, Option<bool>);

fn rows(packages: Vec<Package>) -> Vec<Row> {
    packages
        .into_iter()
        .map(|p| (p.path, p.name, p.version, p.line, p.direct, p.dev))
        .collect()
}

fn expected_rows(want: &[Expected], default_path: &str) -> Vec<Row> {
    want.iter()
        .map(|&(path, name, version, line, flags)| {
            let mut f = flags.chars();
            let path = if path.is_empty() { default_path } else { path };
            let direct = flag(f.next().unwrap());
            let dev = flag(f.next().unwrap());
            (path.into(), name.into(), version.into(), line, direct, dev)
        })
        .collect()
}

struct Fixtures {
    dir: &'static str,
    format: Format,
    cases: &'static [Case],
}

fn shared_lockfiles() -> Option<PathBuf> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/lockfiles"));
    if dir.is_dir() {
        Some(dir.to_path_buf())
    } else {
        common::missing_shared("../shared/lockfiles not found");
        None
    }
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

fn flag(c: char) -> Option<bool> {
    match c {
        'y' => Some(true),
        'n' => Some(false),
        _ => None,
    }
}

/// Parses one file of a fixture directory; requirements follow `-r` includes inside it.
fn parse_in(dir: &Path, format: Format, rel: &str) -> Result<Vec<Package>, LockfileError> {
    let bytes = std::fs::read(dir.join(rel)).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if format == Format::Requirements {
        let mut read = |p: &str| std::fs::read_to_string(dir.join(p)).ok();
        requirements::parse_with_includes(rel, &text, &mut read)
    } else {
        parse(format, rel, &text)
    }
}

fn run(fixtures: &Fixtures) {
    let Some(base) = shared_lockfiles() else {
        return;
    };
    let dir = base.join(fixtures.dir);
    let on_disk = files_under(&dir);
    let listed: Vec<String> = fixtures.cases.iter().map(|c| c.0.to_string()).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(
        on_disk, sorted,
        "{}: every fixture must have a case",
        fixtures.dir
    );

    for (file, expected) in fixtures.cases {
        let got = parse_in(&dir, fixtures.format, file);
        match (expected, got) {
            (Ok(want), Ok(got)) => {
                let (got, want) = (rows(got), expected_rows(want, file));
                assert_eq!(got, want, "{}/{}", fixtures.dir, file);
            }
            (Err(line), Err(e)) => {
                assert_eq!(e.line, *line, "{}/{}: {e}", fixtures.dir, file);
                assert_eq!(e.path, *file);
                let shown = e.to_string();
                assert!(shown.starts_with(file), "{shown}");
                assert!(
                    shown.contains("regenerate") || shown.contains("fix"),
                    "{shown}"
                );
            }
            (want, got) => panic!("{}/{}: expected {want:?}, got {got:?}", fixtures.dir, file),
        }
    }
}

#[test]
fn shared_rust_cargolock() {
    run(&RUST_CARGOLOCK);
}

#[test]
fn shared_javascript_packagelockjson() {
    run(&JAVASCRIPT_PACKAGELOCKJSON);
}

#[test]
fn shared_javascript_yarnlock() {
    run(&JAVASCRIPT_YARNLOCK);
}

#[test]
fn shared_javascript_pnpmlock() {
    run(&JAVASCRIPT_PNPMLOCK);
}

#[test]
fn shared_javascript_bunlock() {
    run(&JAVASCRIPT_BUNLOCK);
}

#[test]
fn shared_python_requirements() {
    run(&PYTHON_REQUIREMENTS);
}

#[test]
fn shared_python_poetrylock() {
    run(&PYTHON_POETRYLOCK);
}

#[test]
fn shared_python_pipfilelock() {
    run(&PYTHON_PIPFILELOCK);
}

#[test]
fn shared_python_uvlock() {
    run(&PYTHON_UVLOCK);
}

#[test]
fn shared_python_pdmlock() {
    run(&PYTHON_PDMLOCK);
}

#[test]
fn shared_python_pylock() {
    run(&PYTHON_PYLOCK);
}

#[test]
fn shared_golang_gomod() {
    run(&GOLANG_GOMOD);
}

#[test]
fn shared_ruby_gemfilelock() {
    run(&RUBY_GEMFILELOCK);
}

#[test]
fn shared_php_composerlock() {
    run(&PHP_COMPOSERLOCK);
}

#[test]
fn shared_java_pomxml() {
    run(&JAVA_POMXML);
}

#[test]
fn shared_java_gradlelockfile() {
    run(&JAVA_GRADLELOCKFILE);
}

#[test]
fn shared_dotnet_packageslockjson() {
    run(&DOTNET_PACKAGESLOCKJSON);
}

#[test]
fn shared_dart_pubspec() {
    run(&DART_PUBSPEC);
}

#[test]
fn shared_elixir_mixlock() {
    run(&ELIXIR_MIXLOCK);
}

#[test]
fn shared_erlang_mixlock() {
    run(&ERLANG_MIXLOCK);
}

#[test]
fn shared_r_renvlock() {
    run(&R_RENVLOCK);
}

#[test]
fn shared_cpp_conanlock() {
    run(&CPP_CONANLOCK);
}

#[test]
fn shared_swift_packageresolved() {
    run(&SWIFT_PACKAGERESOLVED);
}

// ---------------------------------------------------------------------------------------
// The project's own fixtures (fixtures/lockfiles): every format, without ../shared.
// ---------------------------------------------------------------------------------------

fn own_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/lockfiles")
}

/// Parses an own fixture through `parse_file` (so detection and includes are exercised).
fn own(rel: &str, want: &[Expected]) {
    let root = own_root();
    let got = parse_file(&root, &root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let (got, want) = (rows(got), expected_rows(want, rel));
    assert_eq!(got, want, "{rel}");
}

#[test]
fn own_cargo_lock() {
    // The root crate (no source) is skipped; its dependencies are direct.
    own(
        "Cargo.lock",
        &[
            ("", "serde", "1.0.200", 14, "y-"),
            ("", "tinyvec", "1.8.0", 19, "y-"),
            ("", "tinyvec_macros", "0.1.1", 27, "n-"),
        ],
    );
}

#[test]
fn own_package_lock_v3() {
    // Workspace folder and link entries are skipped; optional counts as dev/optional-only.
    own(
        "package-lock.json",
        &[
            ("", "left-pad", "1.3.0", 11, "yn"),
            ("", "@types/node", "20.11.5", 14, "yy"),
            ("", "fsevents", "2.3.3", 18, "yy"),
            ("", "ms", "2.1.3", 22, "nn"),
        ],
    );
}

#[test]
fn own_npm_shrinkwrap_v1() {
    // v1: nested dependencies, npm: aliases, file: versions skipped, direct unknown.
    own(
        "npm-shrinkwrap.json",
        &[
            ("", "debug", "2.6.9", 4, "-n"),
            ("", "ms", "2.0.0", 7, "-n"),
            ("", "mocha", "10.2.0", 12, "-y"),
            ("", "chalk", "4.1.2", 16, "-n"),
        ],
    );
}

#[test]
fn own_yarn_lock() {
    // Multiple specifiers, nested maps not mistaken for fields, aliases, file: skipped.
    own(
        "yarn.lock",
        &[
            ("", "@babel/core", "7.23.0", 4, "--"),
            ("", "left-pad", "1.3.0", 10, "--"),
            ("", "string-width", "4.2.3", 13, "--"),
        ],
    );
}

#[test]
fn own_pnpm_lock_v9() {
    // Dev-only computed through the snapshots graph.
    own(
        "pnpm-lock.yaml",
        &[
            ("", "express", "4.18.2", 17, "yn"),
            ("", "vitest", "1.2.0", 20, "yy"),
            ("", "@types/node", "20.11.5", 23, "ny"),
            ("", "tinyspy", "2.2.0", 26, "ny"),
            ("", "qs", "6.11.0", 29, "nn"),
        ],
    );
}

#[test]
fn own_bun_lock() {
    own(
        "bun.lock",
        &[
            ("", "js-tokens", "4.0.0", 16, "nn"),
            ("", "loose-envify", "1.4.0", 18, "nn"),
            ("", "react", "18.2.0", 20, "yn"),
            ("", "typescript", "5.3.3", 22, "yy"),
        ],
    );
}

#[test]
fn own_requirements_with_includes() {
    // `-r` resolved relative to the including file; cycles cut; missing and escaping
    // includes skipped; included packages carry their own file and line.
    own(
        "reqs/requirements.txt",
        &[
            ("", "django", "4.2.7", 2, "y-"),
            ("", "requests", "2.31.0", 3, "y-"),
            ("reqs/sub/requirements-dev.txt", "pytest", "7.4.3", 1, "y-"),
        ],
    );
}

#[test]
fn own_poetry_lock() {
    own(
        "poetry.lock",
        &[
            ("", "requests", "2.31.0", 2, "-n"),
            ("", "pytest", "7.4.3", 8, "-y"),
            ("", "zope-interface", "6.1", 13, "-y"),
        ],
    );
}

#[test]
fn own_pipfile_lock() {
    // jinja2 is in both sections: not dev-only, reported once at its first line.
    own(
        "Pipfile.lock",
        &[
            ("", "jinja2", "3.1.2", 4, "-n"),
            ("", "black", "23.11.0", 12, "-y"),
        ],
    );
}

#[test]
fn own_uv_lock() {
    own(
        "uv.lock",
        &[
            ("", "httpx", "0.27.0", 18, "yn"),
            ("", "idna", "3.6", 26, "nn"),
            ("", "ruff", "0.3.0", 31, "yy"),
        ],
    );
}

#[test]
fn own_pdm_lock() {
    own(
        "pdm.lock",
        &[
            ("", "attrs", "23.2.0", 5, "-n"),
            ("", "pytest-mock", "3.12.0", 10, "-y"),
        ],
    );
}

#[test]
fn own_pylock_named() {
    own(
        "pylock/pylock.dev.toml",
        &[("", "markup-safe", "2.1.5", 5, "--")],
    );
}

#[test]
fn own_go_mod() {
    // toolchain wins over go; `// indirect`; unversioned replace; local replace drops.
    own(
        "go.mod",
        &[
            ("", "stdlib", "1.22.1", 5, "--"),
            ("", "github.com/pkg/errors", "v0.9.1", 7, "y-"),
            ("", "golang.org/x/text", "v0.14.0", 10, "n-"),
            ("", "example.com/fork", "v1.0.1", 11, "y-"),
        ],
    );
}

#[test]
fn own_gemfile_lock() {
    own(
        "Gemfile.lock",
        &[
            ("", "gitgem", "0.3.0", 5, "y-"),
            ("", "nokogiri", "1.15.4", 15, "y-"),
            ("", "racc", "1.7.3", 17, "n-"),
            ("", "rack", "3.0.8", 18, "y-"),
        ],
    );
}

#[test]
fn own_composer_lock() {
    own(
        "composer.lock",
        &[
            ("", "monolog/monolog", "3.5.0", 4, "-n"),
            ("", "phpunit/phpunit", "10.5.2", 10, "-y"),
        ],
    );
}

#[test]
fn own_pom_xml() {
    // Properties (nested), managed versions, ranges, project.version, unresolved skipped,
    // plugin dependencies ignored, test scope is dev.
    own(
        "pom.xml",
        &[
            ("", "org.slf4j:slf4j-api", "2.0.9", 12, "yn"),
            (
                "",
                "com.fasterxml.jackson.core:jackson-databind",
                "2.16.0",
                20,
                "yn",
            ),
            ("", "junit:junit", "4.13.2", 29, "yy"),
            ("", "com.example:sibling", "1.2.3", 35, "yn"),
        ],
    );
}

#[test]
fn own_gradle_lockfile() {
    own(
        "gradle.lockfile",
        &[
            ("", "com.google.guava:guava", "32.1.3-jre", 2, "-n"),
            ("", "org.junit.jupiter:junit-jupiter", "5.10.1", 3, "-y"),
        ],
    );
}

#[test]
fn own_nuget_lock() {
    own(
        "packages.lock.json",
        &[
            ("", "Newtonsoft.Json", "13.0.3", 5, "y-"),
            ("", "System.Memory", "4.5.5", 10, "n-"),
        ],
    );
}

#[test]
fn own_pubspec_lock() {
    own(
        "pubspec.lock",
        &[
            ("", "http", "1.1.0", 3, "yn"),
            ("", "test", "1.24.9", 10, "yy"),
            ("", "meta", "1.11.0", 14, "n-"),
        ],
    );
}

#[test]
fn own_mix_lock() {
    own(
        "mix.lock",
        &[
            ("", "jason", "1.4.1", 2, "--"),
            ("", "real_name", "0.2.0", 4, "--"),
        ],
    );
}

#[test]
fn own_renv_lock() {
    own("renv.lock", &[("", "jsonlite", "1.8.8", 4, "--")]);
}

#[test]
fn own_conan_lock() {
    own(
        "conan.lock",
        &[
            ("", "zlib", "1.3", 4, "-n"),
            ("", "openssl", "3.2.0", 5, "-n"),
            ("", "cmake", "3.28.1", 8, "-y"),
        ],
    );
}

#[test]
fn own_swift_resolved() {
    own(
        "Package.resolved",
        &[("", "github.com/apple/swift-log", "1.5.4", 5, "--")],
    );
}

// ---------------------------------------------------------------------------------------
// Detection, errors, empty and truncated input.
// ---------------------------------------------------------------------------------------

#[test]
fn detects_formats_by_name() {
    let cases = [
        ("a/Cargo.lock", Some(Format::CargoLock)),
        ("package-lock.json", Some(Format::PackageLock)),
        ("npm-shrinkwrap.json", Some(Format::PackageLock)),
        ("yarn.lock", Some(Format::YarnLock)),
        ("pnpm-lock.yaml", Some(Format::PnpmLock)),
        ("bun.lock", Some(Format::BunLock)),
        ("requirements.txt", Some(Format::Requirements)),
        ("requirements-dev.txt", Some(Format::Requirements)),
        ("dev-requirements.txt", Some(Format::Requirements)),
        ("requirements/base.txt", Some(Format::Requirements)),
        ("notes.txt", None),
        ("poetry.lock", Some(Format::PoetryLock)),
        ("Pipfile.lock", Some(Format::PipfileLock)),
        ("uv.lock", Some(Format::UvLock)),
        ("pdm.lock", Some(Format::PdmLock)),
        ("pylock.toml", Some(Format::Pylock)),
        ("pylock.dev.toml", Some(Format::Pylock)),
        ("pylock.a.b.toml", None),
        ("go.mod", Some(Format::GoMod)),
        ("go.sum", None),
        ("Gemfile.lock", Some(Format::GemfileLock)),
        ("gems.locked", Some(Format::GemfileLock)),
        ("composer.lock", Some(Format::ComposerLock)),
        ("pom.xml", Some(Format::PomXml)),
        ("gradle.lockfile", Some(Format::GradleLockfile)),
        ("packages.lock.json", Some(Format::NugetLock)),
        ("pubspec.lock", Some(Format::PubspecLock)),
        ("mix.lock", Some(Format::MixLock)),
        ("renv.lock", Some(Format::RenvLock)),
        ("conan.lock", Some(Format::ConanLock)),
        ("Package.resolved", Some(Format::SwiftResolved)),
        ("package.json", None),
    ];
    for (path, want) in cases {
        assert_eq!(detect(Path::new(path)), want, "{path}");
    }
}

#[test]
fn every_format_has_an_own_fixture_that_is_detected() {
    let root = own_root();
    let mut seen = std::collections::HashSet::new();
    for rel in files_under(&root) {
        if let Some(f) = detect(&root.join(&rel)) {
            seen.insert(f);
        }
    }
    for f in Format::ALL {
        assert!(seen.contains(&f), "no own fixture for {f}");
    }
}

#[test]
fn errors_name_file_line_and_remedy() {
    let e = parse(
        Format::PackageLock,
        "web/package-lock.json",
        "{\n  \"packages\": {\n    \"x\": [1,\n",
    )
    .unwrap_err();
    assert_eq!(e.path, "web/package-lock.json");
    assert_eq!(e.line, Some(4));
    let shown = e.to_string();
    assert!(shown.starts_with("web/package-lock.json:4: "), "{shown}");
    assert!(shown.contains("truncated"), "{shown}");
    assert!(shown.contains("npm install --package-lock-only"), "{shown}");

    let e = parse(
        Format::CargoLock,
        "Cargo.lock",
        "[[package]]\nname = \"a\"\nversion = 1\n",
    )
    .unwrap_err();
    assert_eq!(e.line, Some(3), "{e}");
    let e = parse(Format::PnpmLock, "pnpm-lock.yaml", "packages:\n  a: [\n").unwrap_err();
    assert!(e.line.is_some(), "{e}");
    let e = parse(Format::GoMod, "go.mod", "module m\nrequire (\n  a v1\n").unwrap_err();
    assert_eq!(e.line, Some(2), "{e}");
    let e = parse(
        Format::PomXml,
        "pom.xml",
        "<project>\n<dependencies>\n</project>\n",
    )
    .unwrap_err();
    assert_eq!(e.line, Some(3), "{e}");
}

#[test]
fn empty_files_have_no_packages() {
    for f in Format::ALL {
        for text in ["", "\n", "   \n\n"] {
            let got = parse(f, "x", text).unwrap_or_else(|e| panic!("{f}: {e}"));
            assert!(got.is_empty(), "{f}");
        }
    }
}

#[test]
fn truncations_of_own_fixtures_never_panic() {
    let root = own_root();
    for rel in files_under(&root) {
        let Some(format) = detect(&root.join(&rel)) else {
            continue;
        };
        let text = std::fs::read_to_string(root.join(&rel)).unwrap();
        let mut cut = 0;
        while cut < text.len() {
            if text.is_char_boundary(cut) {
                if let Err(e) = parse(format, &rel, &text[..cut]) {
                    assert_eq!(e.path, rel);
                }
            }
            cut += 1;
        }
    }
}

#[test]
fn parse_file_reports_relative_slash_paths() {
    let root = own_root();
    let pkgs = parse_file(&root, &root.join("pylock").join("pylock.dev.toml")).unwrap();
    assert_eq!(pkgs[0].path, "pylock/pylock.dev.toml");
    let e = parse_file(&root, &root.join("nope").join("Cargo.lock")).unwrap_err();
    assert_eq!(e.path, "nope/Cargo.lock");
    assert!(e.to_string().contains("cannot read"), "{e}");
}

#[test]
fn requirements_include_cycle_terminates() {
    let mut read = |p: &str| match p {
        "a.txt" => Some("-r b.txt\nx==1\n".to_string()),
        "b.txt" => Some("-r a.txt\ny==2\n".to_string()),
        _ => None,
    };
    let pkgs = requirements::parse_with_includes("a.txt", "-r b.txt\nx==1\n", &mut read).unwrap();
    let got: Vec<(&str, &str, usize)> = pkgs
        .iter()
        .map(|p| (p.path.as_str(), p.name.as_str(), p.line))
        .collect();
    assert_eq!(got, vec![("b.txt", "y", 2), ("a.txt", "x", 2)]);
}

/// `rust-cargolock`: every fixture, as read by hand and checked against this parser's output.
const RUST_CARGOLOCK: Fixtures = Fixtures {
    dir: "rust-cargolock",
    format: Format::CargoLock,
    cases: &[
        (
            "duplicate.lock",
            Ok(&[
                ("", "syn", "1.0.73", 6, "--"),
                ("", "syn", "2.0.0", 12, "--"),
            ]),
        ),
        ("empty.lock", Ok(&[])),
        (
            "many-packages.lock",
            Ok(&[
                ("", "zstd", "0.11.2", 6, "--"),
                ("", "aho-corasick", "0.7.18", 12, "--"),
                ("", "memchr", "2.4.1", 21, "--"),
                ("", "syn", "1.0.109", 27, "--"),
                ("", "libc", "0.2.140", 33, "--"),
                ("", "syn", "2.0.15", 39, "--"),
            ]),
        ),
        ("not-toml.txt", Err(Some(1))),
        (
            "one-package.lock",
            Ok(&[("", "addr2line", "0.15.2", 6, "--")]),
        ),
        (
            "package-with-build-string.lock",
            Ok(&[("", "wasi", "0.10.2+wasi-snapshot-preview1", 6, "--")]),
        ),
        (
            "package-with-comments.lock",
            Ok(&[
                ("", "addr2line", "0.15.2", 6, "--"),
                ("", "syn", "1.0.73", 13, "--"),
            ]),
        ),
        (
            "two-packages-with-local.lock",
            Ok(&[("", "addr2line", "0.15.2", 6, "n-")]),
        ),
        (
            "two-packages.lock",
            Ok(&[
                ("", "addr2line", "0.15.2", 6, "--"),
                ("", "syn", "1.0.73", 15, "--"),
            ]),
        ),
    ],
};

/// `javascript-packagelockjson`: every fixture, as read by hand and checked against this parser's output.
const JAVASCRIPT_PACKAGELOCKJSON: Fixtures = Fixtures {
    dir: "javascript-packagelockjson",
    format: Format::PackageLock,
    cases: &[
        (
            "alias.v1.json",
            Ok(&[
                ("", "@babel/code-frame", "7.0.0", 5, "-n"),
                ("", "string-width", "5.1.2", 13, "-n"),
                ("", "string-width", "4.2.0", 23, "-n"),
            ]),
        ),
        (
            "alias.v2.json",
            Ok(&[
                ("", "@babel/code-frame", "7.0.0", 13, "yn"),
                ("", "string-width", "5.1.2", 22, "yn"),
                ("", "string-width", "4.2.0", 32, "yn"),
            ]),
        ),
        (
            "both/npm-shrinkwrap.json",
            Ok(&[
                ("", "wrappy", "1.0.2", 13, "yn"),
                ("", "supports-color", "5.5.0", 18, "yn"),
            ]),
        ),
        (
            "both/package-lock.json",
            Ok(&[
                ("", "wrappy", "1.0.2", 13, "yn"),
                ("", "supports-color", "5.5.0", 18, "yn"),
            ]),
        ),
        (
            "bundled-dependencies.v3.json",
            Ok(&[
                ("", "ansi-regex", "6.2.2", 22, "nn"),
                ("", "semver", "7.7.2", 35, "yy"),
                ("", "strip-ansi", "7.1.2", 49, "yn"),
            ]),
        ),
        (
            "commits.v1.json",
            Ok(&[
                ("", "ansi-styles", "1.0.0", 19, "-n"),
                ("", "postcss-calc", "7.0.1", 70, "-n"),
            ]),
        ),
        (
            "commits.v2.json",
            Ok(&[
                (
                    "",
                    "@segment/analytics.js-integration-facebook-pixel",
                    "2.4.1",
                    26,
                    "yn",
                ),
                ("", "ansi-styles", "1.0.0", 42, "nn"),
                ("", "babel-preset-php", "1.1.1", 50, "yy"),
                ("", "is-number-1", "3.0.0", 60, "yy"),
                ("", "is-number-2", "2.0.0", 73, "yy"),
                ("", "is-number-3", "2.0.0", 83, "yy"),
                ("", "is-number-4", "3.0.0", 93, "yy"),
                ("", "is-number-5", "3.0.0", 106, "yy"),
                ("", "postcss-calc", "7.0.1", 119, "nn"),
                ("", "is-number-3", "3.0.0", 153, "ny"),
                ("", "slick-carousel", "1.7.1", 166, "yy"),
            ]),
        ),
        ("empty.v1.json", Ok(&[])),
        ("empty.v2.json", Ok(&[])),
        ("files.v1.json", Ok(&[("", "lodash", "1.3.1", 5, "-n")])),
        (
            "files.v2.json",
            Ok(&[
                ("", "abbrev", "1.0.9", 36, "ny"),
                ("", "abbrev", "2.3.4", 42, "ny"),
            ]),
        ),
        (
            "nested-dependencies-dup.v1.json",
            Ok(&[
                ("", "@vue/component-compiler-utils", "2.6.0", 5, "-n"),
                ("", "supports-color", "6.1.0", 21, "-n"),
                ("", "autoprefixer", "9.5.1", 31, "-n"),
                ("", "babel-code-frame", "6.26.0", 54, "-n"),
                ("", "supports-color", "2.0.0", 64, "-n"),
                ("", "css-declaration-sorter", "4.0.1", 71, "-n"),
                ("", "cssnano", "4.1.10", 90, "-n"),
                ("", "cssnano-preset-default", "4.0.7", 111, "-n"),
                ("", "cssnano-util-raw-cache", "4.0.1", 158, "-n"),
                ("", "friendly-errors-webpack-plugin", "1.7.0", 176, "-n"),
                ("", "postcss-calc", "7.0.1", 193, "-n"),
                ("", "postcss-colormin", "4.0.3", 214, "-n"),
                ("", "postcss-convert-values", "4.0.1", 236, "-n"),
                ("", "postcss-discard-comments", "4.0.2", 255, "-n"),
                ("", "postcss-discard-duplicates", "4.0.2", 273, "-n"),
                ("", "postcss-discard-empty", "4.0.1", 291, "-n"),
                ("", "postcss-discard-overridden", "4.0.1", 309, "-n"),
                ("", "postcss-loader", "3.0.0", 327, "-n"),
                ("", "postcss-merge-longhand", "4.0.11", 348, "-n"),
                ("", "postcss-merge-rules", "4.0.3", 369, "-n"),
                ("", "postcss-minify-font-values", "4.0.2", 392, "-n"),
                ("", "postcss-minify-gradients", "4.0.2", 411, "-n"),
                ("", "postcss-minify-params", "4.0.2", 432, "-n"),
                ("", "postcss-minify-selectors", "4.0.2", 455, "-n"),
                ("", "postcss-normalize-charset", "4.0.1", 476, "-n"),
                ("", "postcss-normalize-display-values", "4.0.2", 494, "-n"),
                ("", "postcss-normalize-positions", "4.0.2", 514, "-n"),
                ("", "postcss-normalize-repeat-style", "4.0.2", 535, "-n"),
                ("", "postcss-normalize-string", "4.0.2", 556, "-n"),
                ("", "postcss-normalize-timing-functions", "4.0.2", 576, "-n"),
                ("", "postcss-normalize-unicode", "4.0.1", 596, "-n"),
                ("", "postcss-normalize-url", "4.0.1", 616, "-n"),
                ("", "postcss-normalize-whitespace", "4.0.2", 637, "-n"),
                ("", "postcss-ordered-values", "4.1.2", 656, "-n"),
                ("", "postcss-reduce-initial", "4.0.3", 676, "-n"),
                ("", "postcss-reduce-transforms", "4.0.2", 697, "-n"),
                ("", "postcss-svgo", "4.0.2", 718, "-n"),
                ("", "postcss-unique-selectors", "4.0.1", 739, "-n"),
                ("", "supports-color", "5.5.0", 759, "-n"),
            ]),
        ),
        (
            "nested-dependencies-dup.v2.json",
            Ok(&[
                ("", "supports-color", "6.1.0", 10, "nn"),
                ("", "supports-color", "2.0.0", 32, "nn"),
            ]),
        ),
        (
            "nested-dependencies.v1.json",
            Ok(&[
                ("", "postcss", "6.0.23", 5, "-n"),
                ("", "postcss-calc", "7.0.1", 15, "-n"),
                ("", "postcss", "7.0.16", 26, "-n"),
                ("", "supports-color", "6.1.0", 36, "-n"),
                ("", "supports-color", "5.5.0", 46, "-n"),
            ]),
        ),
        (
            "nested-dependencies.v2.json",
            Ok(&[
                ("", "postcss", "6.0.23", 10, "nn"),
                ("", "postcss-calc", "7.0.1", 23, "nn"),
                ("", "postcss", "7.0.16", 34, "nn"),
                ("", "supports-color", "6.1.0", 47, "nn"),
                ("", "supports-color", "5.5.0", 58, "nn"),
            ]),
        ),
        ("not-json.txt", Err(Some(1))),
        (
            "npm-shrinkwrap-only/npm-shrinkwrap.json",
            Ok(&[
                ("", "wrappy", "1.0.2", 13, "yn"),
                ("", "supports-color", "5.5.0", 18, "yn"),
            ]),
        ),
        ("null.v2.jsontest", Err(Some(1))),
        (
            "one-package-dev.v1.json",
            Ok(&[("", "wrappy", "1.0.2", 5, "-y")]),
        ),
        (
            "one-package-dev.v2.json",
            Ok(&[("", "wrappy", "1.0.2", 10, "yy")]),
        ),
        (
            "one-package.v1.json",
            Ok(&[("", "wrappy", "1.0.2", 5, "-n")]),
        ),
        (
            "one-package.v2.json",
            Ok(&[("", "wrappy", "1.0.2", 10, "yn")]),
        ),
        (
            "optional-package.v1.json",
            Ok(&[
                ("", "wrappy", "1.0.2", 5, "-y"),
                ("", "supports-color", "5.5.0", 12, "-y"),
            ]),
        ),
        (
            "optional-package.v2.json",
            Ok(&[
                ("", "wrappy", "1.0.2", 10, "yy"),
                ("", "supports-color", "5.5.0", 16, "ny"),
            ]),
        ),
        (
            "package-lock-only/package-lock.json",
            Ok(&[
                ("", "wrappy", "1.0.2", 13, "yn"),
                ("", "supports-color", "5.5.0", 18, "yn"),
            ]),
        ),
        (
            "same-package-different-groups.v1.json",
            Ok(&[
                ("", "ajv", "5.5.2", 5, "-n"),
                ("", "eslint", "1.2.3", 17, "-y"),
                ("", "table", "1.0.0", 49, "-n"),
            ]),
        ),
        (
            "same-package-different-groups.v2.json",
            Ok(&[
                ("", "ajv", "5.5.2", 10, "nn"),
                ("", "eslint", "1.2.3", 22, "ny"),
                ("", "table", "1.0.0", 50, "nn"),
            ]),
        ),
        (
            "scoped-packages.v1.json",
            Ok(&[
                ("", "@babel/code-frame", "7.0.0", 5, "-n"),
                ("", "wrappy", "1.0.2", 13, "-n"),
            ]),
        ),
        (
            "scoped-packages.v2.json",
            Ok(&[
                ("", "@babel/code-frame", "7.0.0", 10, "nn"),
                ("", "wrappy", "1.0.2", 18, "nn"),
            ]),
        ),
        (
            "two-packages.v1.json",
            Ok(&[
                ("", "wrappy", "1.0.2", 5, "-n"),
                ("", "supports-color", "5.5.0", 10, "-n"),
            ]),
        ),
        (
            "two-packages.v2.json",
            Ok(&[
                ("", "wrappy", "1.0.2", 13, "yn"),
                ("", "supports-color", "5.5.0", 18, "yn"),
            ]),
        ),
    ],
};

/// `javascript-yarnlock`: every fixture, as read by hand and checked against this parser's output.
const JAVASCRIPT_YARNLOCK: Fixtures = Fixtures {
    dir: "javascript-yarnlock",
    format: Format::YarnLock,
    cases: &[
        (
            "commits.v1.lock",
            Ok(&[
                ("", "mine1", "1.0.0-alpha.37", 5, "--"),
                ("", "mine2", "0.0.1", 11, "--"),
                ("", "mine3", "1.2.3", 17, "--"),
                ("", "mine4", "0.0.2", 21, "--"),
                ("", "mine4", "0.0.4", 25, "--"),
                ("", "my-package", "1.8.3", 29, "--"),
                ("", "@bower_components/angular-animate", "1.4.14", 33, "--"),
                ("", "@bower_components/alertify", "0.0.0", 37, "--"),
                ("", "minimist", "0.0.8", 41, "--"),
                ("", "bats-assert", "2.0.0", 45, "--"),
                ("", "bats-support", "0.3.0", 49, "--"),
                ("", "bats", "1.5.0", 53, "--"),
                ("", "vue", "2.6.12", 57, "--"),
                ("", "kit", "1.0.0", 61, "--"),
                ("", "casadistance", "1.0.0", 68, "--"),
                ("", "babel-preset-php", "1.1.1", 72, "--"),
                ("", "is-number", "2.0.0", 78, "--"),
                ("", "is-number", "5.0.0", 82, "--"),
            ]),
        ),
        (
            "commits.v2.lock",
            Ok(&[
                ("", "@my-scope/my-first-package", "0.0.6", 8, "--"),
                ("", "my-second-package", "0.2.2", 12, "--"),
                ("", "@typegoose/typegoose", "7.2.0", 21, "--"),
                ("", "vuejs", "2.5.0", 37, "--"),
                ("", "my-third-package", "0.16.1-dev", 45, "--"),
                ("", "my-node-sdk", "1.1.0", 50, "--"),
                ("", "is-really-great", "1.0.0", 58, "--"),
            ]),
        ),
        ("empty.v1.lock", Ok(&[])),
        ("empty.v2.lock", Ok(&[])),
        (
            "exclude-root.v2.lock",
            Ok(&[("", "ansi-regex", "6.1.0", 16, "--")]),
        ),
        (
            "files.v1.lock",
            Ok(&[
                ("", "etag", "1.8.1", 5, "--"),
                ("", "lodash", "1.3.1", 12, "--"),
            ]),
        ),
        ("files.v2.lock", Ok(&[])),
        ("metadata-only.v2.lock", Ok(&[])),
        (
            "multiple-constraints.v1.lock",
            Ok(&[
                ("", "domelementtype", "1.3.1", 5, "--"),
                ("", "@babel/code-frame", "7.12.13", 10, "--"),
            ]),
        ),
        (
            "multiple-versions.v1.lock",
            Ok(&[
                ("", "define-properties", "1.1.3", 5, "--"),
                ("", "define-property", "0.2.5", 12, "--"),
                ("", "define-property", "1.0.0", 19, "--"),
                ("", "define-property", "2.0.2", 26, "--"),
            ]),
        ),
        (
            "multiple-versions.v2.lock",
            Ok(&[
                ("", "debug", "4.3.3", 8, "--"),
                ("", "debug", "2.6.9", 20, "--"),
                ("", "debug", "3.2.7", 29, "--"),
            ]),
        ),
        ("no-version.v1.lock", Ok(&[])),
        (
            "one-package.v1.lock",
            Ok(&[("", "balanced-match", "1.0.2", 5, "--")]),
        ),
        (
            "one-package.v2.lock",
            Ok(&[("", "balanced-match", "1.0.2", 8, "--")]),
        ),
        (
            "scoped-packages.v1.lock",
            Ok(&[
                ("", "@babel/code-frame", "7.12.11", 5, "--"),
                ("", "@babel/compat-data", "7.14.0", 12, "--"),
            ]),
        ),
        (
            "scoped-packages.v2.lock",
            Ok(&[
                ("", "@babel/cli", "7.16.8", 8, "--"),
                ("", "@babel/code-frame", "7.16.7", 35, "--"),
                ("", "@babel/compat-data", "7.16.8", 44, "--"),
            ]),
        ),
        (
            "two-packages.v1.lock",
            Ok(&[
                ("", "concat-map", "0.0.1", 5, "--"),
                ("", "concat-stream", "1.6.2", 10, "--"),
            ]),
        ),
        (
            "two-packages.v2.lock",
            Ok(&[
                ("", "compare-func", "2.0.0", 8, "--"),
                ("", "concat-map", "0.0.1", 18, "--"),
            ]),
        ),
        (
            "with-aliases.v1.lock",
            Ok(&[
                ("", "ansi-regex", "5.0.1", 5, "--"),
                ("", "ansi-regex", "6.0.1", 10, "--"),
                (
                    "",
                    "@babel/helper-validator-identifier",
                    "7.22.20",
                    15,
                    "--",
                ),
            ]),
        ),
        (
            "with-aliases.v2.lock",
            Ok(&[
                ("", "ansi-regex", "5.0.1", 8, "--"),
                ("", "ansi-regex", "6.0.1", 15, "--"),
                (
                    "",
                    "@babel/helper-validator-identifier",
                    "7.22.20",
                    22,
                    "--",
                ),
            ]),
        ),
        (
            "with-build-string.v1.lock",
            Ok(&[
                ("", "domino", "2.1.6+git", 5, "--"),
                ("", "tslib", "2.6.2", 10, "--"),
            ]),
        ),
        (
            "with-build-string.v2.lock",
            Ok(&[
                ("", "domino", "2.1.6+git", 8, "--"),
                ("", "tslib", "2.6.2", 15, "--"),
            ]),
        ),
        (
            "with-prerelease.v1.lock",
            Ok(&[
                ("", "css-tree", "1.0.0-alpha.37", 5, "--"),
                ("", "gensync", "1.0.0-beta.2", 13, "--"),
                ("", "node-fetch", "3.0.0-beta.9", 18, "--"),
                ("", "resolve", "1.20.0", 26, "--"),
                ("", "resolve", "2.0.0-next.3", 34, "--"),
            ]),
        ),
        (
            "with-prerelease.v2.lock",
            Ok(&[
                (
                    "",
                    "@nicolo-ribaudo/chokidar-2",
                    "2.1.8-no-fsevents.3",
                    8,
                    "--",
                ),
                ("", "gensync", "1.0.0-beta.2", 15, "--"),
            ]),
        ),
        (
            "with-quotes.v1.lock",
            Ok(&[
                ("", "concat-map", "0.0.1", 5, "--"),
                ("", "concat-stream", "1.6.2", 10, "--"),
            ]),
        ),
        (
            "with-quotes.v2.lock",
            Ok(&[
                ("", "compare-func", "2.0.0", 8, "--"),
                ("", "concat-map", "0.0.1", 18, "--"),
            ]),
        ),
    ],
};

/// `javascript-pnpmlock`: every fixture, as read by hand and checked against this parser's output.
const JAVASCRIPT_PNPMLOCK: Fixtures = Fixtures {
    dir: "javascript-pnpmlock",
    format: Format::PnpmLock,
    cases: &[
        (
            "commits.v9.yaml",
            Ok(&[
                ("", "ansi-regex", "6.0.1", 20, "yn"),
                ("", "is-number", "7.0.0", 25, "yn"),
            ]),
        ),
        (
            "commits.yaml",
            Ok(&[
                ("", "my-bitbucket-package", "1.0.0", 14, "nn"),
                ("", "@my-scope/my-package", "1.0.0", 20, "nn"),
                ("", "@my-scope/my-other-package", "1.0.0", 28, "nn"),
                ("", "faker-parser", "0.0.1", 34, "nn"),
                ("", "mocks", "20.0.1", 42, "nn"),
            ]),
        ),
        ("empty.yaml", Ok(&[])),
        (
            "exotic.yaml",
            Ok(&[
                ("", "foo", "1.0.0", 10, "n-"),
                ("", "@foo/bar", "1.0.0", 11, "n-"),
                ("", "foo", "1.1.0", 12, "n-"),
                ("", "@foo/bar", "1.1.0", 13, "n-"),
                ("", "foo", "1.2.0", 15, "n-"),
                ("", "foo", "1.3.0", 16, "n-"),
                ("", "foo", "1.4.0", 17, "n-"),
            ]),
        ),
        ("files.yaml", Ok(&[])),
        ("invalid-path.yaml", Ok(&[("", "acorn", "8.7.0", 11, "nn")])),
        (
            "invalid-paths.yaml",
            Ok(&[("", "acorn", "8.7.0", 17, "nn")]),
        ),
        ("missing-packages.yaml", Ok(&[])),
        (
            "mixed-groups.v53.yaml",
            Ok(&[
                ("", "ansi-regex", "5.0.1", 19, "yn"),
                ("", "is-number", "7.0.0", 24, "yy"),
                ("", "uuid", "8.3.2", 29, "yy"),
            ]),
        ),
        (
            "mixed-groups.v54.yaml",
            Ok(&[
                ("", "ansi-regex", "5.0.1", 19, "yn"),
                ("", "is-number", "7.0.0", 24, "yy"),
                ("", "uuid", "8.3.2", 29, "yy"),
            ]),
        ),
        (
            "mixed-groups.v6.yaml",
            Ok(&[
                ("", "ansi-regex", "5.0.0", 24, "yn"),
                ("", "is-number", "7.0.0", 29, "yy"),
                ("", "uuid", "8.0.0", 34, "yy"),
            ]),
        ),
        (
            "mixed-groups.v9.yaml",
            Ok(&[
                ("", "ansi-regex", "5.0.1", 25, "yn"),
                ("", "is-number", "7.0.0", 29, "yy"),
                ("", "uuid", "8.3.2", 33, "yy"),
            ]),
        ),
        (
            "multiple-packages.yaml",
            Ok(&[
                ("", "aws-sdk", "2.1087.0", 11, "yn"),
                ("", "base64-js", "1.5.1", 26, "nn"),
                ("", "buffer", "4.9.2", 30, "nn"),
                ("", "events", "1.1.1", 38, "nn"),
                ("", "ieee754", "1.1.13", 43, "nn"),
                ("", "isarray", "1.0.0", 47, "nn"),
                ("", "jmespath", "0.16.0", 51, "nn"),
                ("", "punycode", "1.3.2", 56, "nn"),
                ("", "querystring", "0.2.0", 60, "nn"),
                ("", "sax", "1.2.1", 66, "nn"),
                ("", "url", "0.10.3", 70, "nn"),
                ("", "uuid", "3.3.2", 77, "nn"),
                ("", "xml2js", "0.4.19", 83, "nn"),
                ("", "xmlbuilder", "9.0.7", 90, "nn"),
            ]),
        ),
        (
            "multiple-versions.v9.yaml",
            Ok(&[
                ("", "uuid", "8.0.0", 20, "n-"),
                ("", "uuid", "8.3.2", 24, "yn"),
                ("", "xmlbuilder", "11.0.1", 28, "n-"),
            ]),
        ),
        (
            "multiple-versions.yaml",
            Ok(&[
                ("", "uuid", "3.3.2", 13, "nn"),
                ("", "uuid", "8.3.2", 19, "yn"),
                ("", "xmlbuilder", "9.0.7", 24, "nn"),
            ]),
        ),
        ("no-packages.v9.yaml", Ok(&[])),
        ("no-packages.yaml", Ok(&[])),
        ("not-yaml.txt", Err(Some(1))),
        (
            "one-package-dev.v9.yaml",
            Ok(&[("", "acorn", "8.11.3", 17, "yy")]),
        ),
        (
            "one-package-dev.yaml",
            Ok(&[("", "acorn", "8.7.0", 11, "yn")]),
        ),
        (
            "one-package-v6-lockfile.yaml",
            Ok(&[("", "acorn", "8.7.0", 10, "yn")]),
        ),
        (
            "one-package.v9.yaml",
            Ok(&[("", "acorn", "8.11.3", 17, "yn")]),
        ),
        ("one-package.yaml", Ok(&[("", "acorn", "8.7.0", 11, "yn")])),
        (
            "peer-dependencies-advanced-rc-v6.yaml",
            Ok(&[
                ("", "js-tokens", "4.0.0", 14, "nn"),
                ("", "loose-envify", "1.4.0", 18, "nn"),
                ("", "react-dom", "18.0.0-rc.3", 25, "yn"),
                ("", "react", "18.2.0", 35, "nn"),
                ("", "scheduler", "0.21.0", 42, "nn"),
            ]),
        ),
        (
            "peer-dependencies-advanced-v6.yaml",
            Ok(&[
                ("", "js-tokens", "4.0.0", 14, "nn"),
                ("", "loose-envify", "1.4.0", 18, "nn"),
                (
                    "",
                    "react-dom",
                    "18.3.0-canary-ab31a9ed2-20230824",
                    25,
                    "yn",
                ),
                ("", "react", "18.3.0-canary-ab31a9ed2-20230824", 35, "nn"),
                (
                    "",
                    "scheduler",
                    "0.24.0-canary-ab31a9ed2-20230824",
                    42,
                    "nn",
                ),
            ]),
        ),
        (
            "peer-dependencies-advanced.v9.yaml",
            Ok(&[
                ("", "@eslint-community/eslint-utils", "4.4.0", 26, "nn"),
                ("", "@eslint/eslintrc", "2.1.4", 32, "nn"),
                ("", "@typescript-eslint/eslint-plugin", "5.62.0", 36, "yn"),
                ("", "@typescript-eslint/parser", "5.62.0", 47, "yn"),
                ("", "@typescript-eslint/type-utils", "5.62.0", 57, "nn"),
                (
                    "",
                    "@typescript-eslint/typescript-estree",
                    "5.62.0",
                    67,
                    "nn",
                ),
                ("", "@typescript-eslint/utils", "5.62.0", 76, "nn"),
                ("", "debug", "4.3.4", 82, "nn"),
                ("", "eslint", "8.57.0", 91, "yn"),
                ("", "has-flag", "4.0.0", 96, "n-"),
                ("", "supports-color", "7.2.0", 100, "n-"),
                ("", "tsutils", "3.21.0", 104, "nn"),
                ("", "typescript", "4.9.5", 110, "yn"),
            ]),
        ),
        (
            "peer-dependencies-advanced.yaml",
            Ok(&[
                ("", "@typescript-eslint/eslint-plugin", "5.13.0", 17, "yn"),
                ("", "@typescript-eslint/parser", "5.13.0", 44, "yn"),
                ("", "@typescript-eslint/type-utils", "5.13.0", 64, "nn"),
                ("", "@typescript-eslint/types", "5.13.0", 83, "nn"),
                (
                    "",
                    "@typescript-eslint/typescript-estree",
                    "5.13.0",
                    88,
                    "nn",
                ),
                ("", "@typescript-eslint/utils", "5.13.0", 109, "nn"),
                ("", "eslint-utils", "3.0.0", 127, "nn"),
                ("", "eslint", "8.10.0", 137, "yn"),
                ("", "tsutils", "3.21.0", 181, "nn"),
            ]),
        ),
        (
            "peer-dependencies-v6.yaml",
            Ok(&[
                ("", "js-tokens", "4.0.0", 14, "nn"),
                ("", "loose-envify", "1.4.0", 18, "nn"),
                ("", "react-dom", "18.2.0", 25, "yn"),
                ("", "react", "18.2.0", 35, "nn"),
                ("", "scheduler", "0.23.0", 42, "nn"),
            ]),
        ),
        (
            "peer-dependencies.v9.yaml",
            Ok(&[
                ("", "acorn-jsx", "5.3.2", 17, "yn"),
                ("", "acorn", "8.11.3", 22, "nn"),
            ]),
        ),
        (
            "peer-dependencies.yaml",
            Ok(&[
                ("", "acorn-jsx", "5.3.2", 13, "yn"),
                ("", "acorn", "8.7.0", 21, "yn"),
            ]),
        ),
        (
            "scoped-packages-v6-lockfile.yaml",
            Ok(&[("", "@typescript-eslint/types", "5.57.1", 10, "yn")]),
        ),
        (
            "scoped-packages.v9.yaml",
            Ok(&[("", "@typescript-eslint/types", "5.62.0", 17, "yn")]),
        ),
        (
            "scoped-packages.yaml",
            Ok(&[("", "@typescript-eslint/types", "5.13.0", 11, "yn")]),
        ),
        (
            "tarball.yaml",
            Ok(&[("", "@my-org/my-package", "3.2.3", 10, "ny")]),
        ),
    ],
};

/// `javascript-bunlock`: every fixture, as read by hand and checked against this parser's output.
const JAVASCRIPT_BUNLOCK: Fixtures = Fixtures {
    dir: "javascript-bunlock",
    format: Format::BunLock,
    cases: &[
        (
            "alias.json5",
            Ok(&[
                ("", "has-flag", "4.0.0", 13, "nn"),
                ("", "supports-color", "7.2.0", 15, "yn"),
                ("", "supports-color", "6.1.0", 17, "yn"),
                ("", "has-flag", "3.0.0", 19, "nn"),
            ]),
        ),
        ("bad-tuple.json5", Ok(&[("", "wrappy", "1.0.2", 13, "yn")])),
        ("blog-sample.json5", Ok(&[])),
        (
            "commits.json5",
            Ok(&[
                ("", "@babel/helper-plugin-utils", "7.26.5", 22, "ny"),
                ("", "@babel/helper-string-parser", "7.25.9", 24, "ny"),
                ("", "@babel/helper-validator-identifier", "7.25.9", 26, "ny"),
                ("", "@babel/parser", "7.26.5", 28, "ny"),
                ("", "@babel/types", "7.26.5", 30, "ny"),
                ("", "jquery", "3.7.1", 42, "ny"),
                ("", "lodash", "1.3.1", 44, "yn"),
                ("", "make-synchronized", "0.2.9", 46, "ny"),
                ("", "php-parser", "2.2.0", 48, "ny"),
                ("", "prettier", "3.4.2", 50, "ny"),
                ("", "stopwords", "0.0.1", 56, "yn"),
            ]),
        ),
        ("empty.json5", Ok(&[])),
        ("files.json5", Ok(&[("", "lodash", "1.3.1", 17, "yn")])),
        (
            "nested-dependencies-dup.json5",
            Ok(&[
                ("", "ansi-styles", "4.3.0", 16, "ny"),
                ("", "chalk", "4.1.2", 18, "yy"),
                ("", "color-convert", "2.0.1", 20, "ny"),
                ("", "color-name", "1.1.4", 22, "ny"),
                ("", "has-flag", "2.0.0", 24, "yn"),
                ("", "supports-color", "7.2.0", 26, "yn"),
                ("", "has-flag", "4.0.0", 28, "nn"),
            ]),
        ),
        (
            "nested-dependencies.json5",
            Ok(&[
                ("", "ansi-styles", "4.3.0", 16, "ny"),
                ("", "chalk", "4.1.2", 18, "yy"),
                ("", "color-convert", "2.0.1", 20, "ny"),
                ("", "color-name", "1.1.4", 22, "ny"),
                ("", "has-flag", "2.0.0", 24, "yn"),
                ("", "supports-color", "5.5.0", 26, "yn"),
                ("", "supports-color", "7.2.0", 28, "ny"),
                ("", "has-flag", "3.0.0", 30, "nn"),
                ("", "has-flag", "4.0.0", 32, "ny"),
            ]),
        ),
        ("no-packages.json5", Ok(&[])),
        ("not-json.txt", Err(Some(1))),
        (
            "one-package-dev.json5",
            Ok(&[("", "wrappy", "1.0.2", 12, "yn")]),
        ),
        (
            "one-package.json5",
            Ok(&[("", "wrappy", "1.0.2", 12, "yn")]),
        ),
        (
            "optional-package.json5",
            Ok(&[
                ("", "acorn", "8.14.0", 15, "yn"),
                ("", "fsevents", "0.3.8", 17, "yy"),
                ("", "nan", "2.22.0", 19, "ny"),
            ]),
        ),
        (
            "peer-dependencies-explicit.json5",
            Ok(&[
                ("", "acorn", "8.14.0", 13, "yn"),
                ("", "acorn-jsx", "5.3.2", 15, "yn"),
            ]),
        ),
        (
            "peer-dependencies-implicit.json5",
            Ok(&[
                ("", "acorn", "8.14.0", 12, "nn"),
                ("", "acorn-jsx", "5.3.2", 14, "yn"),
            ]),
        ),
        (
            "same-package-different-groups.json5",
            Ok(&[
                ("", "has-flag", "3.0.0", 15, "yn"),
                ("", "supports-color", "5.5.0", 17, "yn"),
            ]),
        ),
        (
            "scoped-packages-mixed.json5",
            Ok(&[
                ("", "@babel/code-frame", "7.26.2", 15, "yn"),
                ("", "@babel/helper-validator-identifier", "7.25.9", 17, "nn"),
                ("", "js-tokens", "4.0.0", 19, "nn"),
                ("", "picocolors", "1.1.1", 21, "nn"),
                ("", "wrappy", "1.0.2", 23, "yy"),
            ]),
        ),
        (
            "scoped-packages.json5",
            Ok(&[("", "@typescript-eslint/types", "5.62.0", 12, "yn")]),
        ),
        (
            "two-packages.json5",
            Ok(&[
                ("", "has-flag", "4.0.0", 13, "yn"),
                ("", "wrappy", "1.0.2", 15, "yn"),
            ]),
        ),
    ],
};

/// `python-requirements`: every fixture, as read by hand and checked against this parser's output.
const PYTHON_REQUIREMENTS: Fixtures = Fixtures {
    dir: "python-requirements",
    format: Format::Requirements,
    cases: &[
        (
            "comments.txt",
            Ok(&[
                ("", "pycrypto", "1.2-alpha", 2, "y-"),
                ("", "gmpy2", "1", 3, "y-"),
                ("", "sympy", "1.2", 6, "y-"),
                ("", "requests", "1.0", 7, "y-"),
                ("", "six", "1.2", 8, "y-"),
            ]),
        ),
        (
            "env_var.txt",
            Ok(&[
                ("", "asdf", "1.2", 1, "y-"),
                ("", "another", "1.0", 3, "y-"),
            ]),
        ),
        (
            "example.txt",
            Ok(&[
                ("", "docopt", "0.6.1", 8, "y-"),
                ("other-requirements.txt", "pandas", "2.2.3", 1, "y-"),
            ]),
        ),
        (
            "extras.txt",
            Ok(&[
                ("", "pyjwt", "2.1.0", 1, "y-"),
                ("", "celery", "4.4.7", 2, "y-"),
            ]),
        ),
        ("invalid.txt", Ok(&[])),
        ("loop.txt", Ok(&[])),
        (
            "multiline_and_comments.txt",
            Ok(&[("", "pkga", "1.0", 3, "y-"), ("", "pkgb", "2.0", 7, "y-")]),
        ),
        ("no_version.txt", Ok(&[])),
        ("other-loop.txt", Ok(&[])),
        (
            "other-requirements.txt",
            Ok(&[("", "pandas", "2.2.3", 1, "y-")]),
        ),
        (
            "per_req_options.txt",
            Ok(&[
                ("", "foo1", "1.0", 1, "y-"),
                ("", "foo2", "1.0", 3, "y-"),
                ("", "foo3", "1.0", 5, "y-"),
                ("", "foo4", "1.0", 7, "y-"),
                ("", "foo5", "1.0", 9, "y-"),
                ("", "foo6", "1.0", 11, "y-"),
                ("", "foo7", "1.0", 13, "y-"),
                ("", "foo8", "1.0", 15, "y-"),
                ("", "foo9", "1.0", 17, "y-"),
                ("", "foo11", "1.0", 22, "y-"),
                ("", "foo12", "1.0", 24, "y-"),
                ("", "foo13", "1.0", 26, "y-"),
                ("", "foo14", "1.0", 28, "y-"),
                ("", "foo16-client", "1.0", 32, "y-"),
                ("", "foo17-hash", "1.0", 34, "y-"),
                ("", "foo18-client", "1.0", 36, "y-"),
            ]),
        ),
        (
            "trailing_backslash.txt",
            Ok(&[("", "pkg1", "1.0", 1, "y-")]),
        ),
        (
            "with_versions.txt",
            Ok(&[
                ("", "nltk", "3.2.2", 1, "y-"),
                ("", "tabulate", "0.7.7", 2, "y-"),
                ("", "qwerty", "0.1", 5, "y-"),
                ("", "hy-phen", "1.2", 7, "y-"),
                ("", "under-score", "1.3", 8, "y-"),
                ("", "pkg-dot-name", "5.0.0", 9, "y-"),
                ("", "yolo", "1.0", 11, "y-"),
            ]),
        ),
    ],
};

/// `python-poetrylock`: every fixture, as read by hand and checked against this parser's output.
const PYTHON_POETRYLOCK: Fixtures = Fixtures {
    dir: "python-poetrylock",
    format: Format::PoetryLock,
    cases: &[
        ("empty-file.lock", Ok(&[])),
        ("empty.lock", Ok(&[])),
        (
            "multiple-packages.v2.lock",
            Ok(&[
                ("", "async-timeout", "5.0.1", 4, "-y"),
                ("", "factory-boy", "3.3.1", 17, "-y"),
                ("", "faker", "33.3.0", 36, "-y"),
                ("", "proto-plus", "1.22.0", 52, "-n"),
                ("", "proto-plus", "1.23.0", 71, "-n"),
                ("", "protobuf", "4.25.5", 90, "-n"),
                ("", "python-dateutil", "2.9.0.post0", 111, "-y"),
                ("", "redis", "5.2.1", 126, "-y"),
                ("", "six", "1.17.0", 146, "-n"),
                ("", "typing-extensions", "4.12.2", 158, "-y"),
                ("", "urllib3", "2.3.0", 170, "-y"),
            ]),
        ),
        (
            "names-outside-package-block.lock",
            Ok(&[
                ("", "first-pkg", "1.0.0", 5, "-n"),
                ("", "second-pkg", "2.0.0", 18, "-n"),
            ]),
        ),
        ("not-toml.txt", Err(Some(1))),
        (
            "one-package-with-metadata.lock",
            Ok(&[("", "emoji", "2.0.0", 2, "-n")]),
        ),
        ("one-package.lock", Ok(&[("", "numpy", "1.23.3", 2, "-n")])),
        (
            "optional-package.lock",
            Ok(&[("", "numpy", "1.23.3", 2, "-y")]),
        ),
        ("source-git.lock", Ok(&[("", "ike", "0.2.0", 2, "-n")])),
        (
            "source-legacy.lock",
            Ok(&[("", "appdirs", "1.4.4", 2, "-n")]),
        ),
        (
            "two-packages.lock",
            Ok(&[
                ("", "proto-plus", "1.22.0", 2, "-n"),
                ("", "protobuf", "4.21.5", 16, "-n"),
            ]),
        ),
    ],
};

/// `python-pipfilelock`: every fixture, as read by hand and checked against this parser's output.
const PYTHON_PIPFILELOCK: Fixtures = Fixtures {
    dir: "python-pipfilelock",
    format: Format::PipfileLock,
    cases: &[
        ("empty-file", Ok(&[])),
        ("empty.json", Ok(&[])),
        ("minified.json", Ok(&[("", "markupsafe", "2.1.1", 1, "-n")])),
        (
            "multiple-packages.json",
            Ok(&[
                ("", "itsdangerous", "2.1.2", 19, "-n"),
                ("", "pluggy", "1.0.1", 27, "-n"),
                ("", "markupsafe", "2.1.1", 32, "-n"),
                ("", "pluggy", "1.0.0", 88, "-y"),
            ]),
        ),
        ("no-version.json", Ok(&[])),
        ("not-json.txt", Err(Some(1))),
        (
            "one-package-dev.json",
            Ok(&[("", "markupsafe", "2.1.1", 20, "-y")]),
        ),
        (
            "one-package.json",
            Ok(&[("", "markupsafe", "2.1.1", 19, "-n")]),
        ),
        (
            "two-packages-alt.json",
            Ok(&[
                ("", "itsdangerous", "2.1.2", 19, "-n"),
                ("", "markupsafe", "2.1.1", 27, "-n"),
            ]),
        ),
        (
            "two-packages.json",
            Ok(&[
                ("", "itsdangerous", "2.1.2", 19, "-n"),
                ("", "markupsafe", "2.1.1", 29, "-y"),
            ]),
        ),
    ],
};

/// `python-uvlock`: every fixture, as read by hand and checked against this parser's output.
const PYTHON_UVLOCK: Fixtures = Fixtures {
    dir: "python-uvlock",
    format: Format::UvLock,
    cases: &[
        ("empty.lock", Ok(&[])),
        (
            "grouped-packages.lock",
            Ok(&[
                ("", "black", "24.10.0", 5, "yn"),
                ("", "click", "8.1.7", 39, "yn"),
                ("", "colorama", "0.4.6", 51, "nn"),
                ("", "emoji", "2.14.0", 60, "yn"),
                ("", "flake8", "7.1.1", 69, "yn"),
                ("", "mccabe", "0.7.0", 83, "nn"),
                ("", "mypy-extensions", "1.0.0", 92, "nn"),
                ("", "packaging", "24.2", 101, "nn"),
                ("", "pathspec", "0.12.1", 110, "nn"),
                ("", "platformdirs", "4.3.6", 119, "nn"),
                ("", "pycodestyle", "2.12.1", 128, "nn"),
                ("", "pyflakes", "3.2.0", 137, "nn"),
                ("", "tomli", "2.2.1", 146, "nn"),
                ("", "typing-extensions", "4.12.2", 185, "nn"),
            ]),
        ),
        (
            "names-outside-package-block.lock",
            Ok(&[
                ("", "first-pkg", "1.0.0", 5, "--"),
                ("", "second-pkg", "2.0.0", 18, "--"),
            ]),
        ),
        ("no-dependencies.lock", Ok(&[])),
        ("no-packages.lock", Ok(&[])),
        ("not-toml.txt", Err(Some(1))),
        ("one-package.lock", Ok(&[("", "emoji", "2.14.0", 5, "yn")])),
        ("source-git.lock", Ok(&[("", "ruff", "0.8.1", 5, "yn")])),
        (
            "two-packages.lock",
            Ok(&[
                ("", "emoji", "2.14.0", 5, "yn"),
                ("", "protobuf", "4.25.5", 14, "yn"),
            ]),
        ),
    ],
};

/// `python-pdmlock`: every fixture, as read by hand and checked against this parser's output.
const PYTHON_PDMLOCK: Fixtures = Fixtures {
    dir: "python-pdmlock",
    format: Format::PdmLock,
    cases: &[
        (
            "dev-dependency.toml",
            Ok(&[
                ("", "pyroute2", "0.7.11", 11, "-y"),
                ("", "toml", "0.10.2", 23, "-n"),
                ("", "win-inet-pton", "1.1.0", 34, "-y"),
            ]),
        ),
        ("empty-file.toml", Ok(&[])),
        ("empty.toml", Ok(&[])),
        (
            "git-dependency.toml",
            Ok(&[("", "toml", "0.10.2", 11, "-n")]),
        ),
        (
            "names-outside-package-block.toml",
            Ok(&[
                ("", "first-pkg", "1.0.0", 12, "-n"),
                ("", "second-pkg", "2.0.0", 26, "-n"),
            ]),
        ),
        ("not-toml.txt", Err(Some(1))),
        (
            "optional-dependency.toml",
            Ok(&[
                ("", "pyroute2", "0.7.11", 11, "-y"),
                ("", "toml", "0.10.2", 23, "-n"),
                ("", "win-inet-pton", "1.1.0", 34, "-y"),
            ]),
        ),
        (
            "single-package.toml",
            Ok(&[("", "toml", "0.10.2", 11, "-n")]),
        ),
        (
            "two-packages.toml",
            Ok(&[
                ("", "six", "1.16.0", 11, "-n"),
                ("", "toml", "0.10.2", 22, "-n"),
            ]),
        ),
    ],
};

/// `python-pylock`: every fixture, as read by hand and checked against this parser's output.
const PYTHON_PYLOCK: Fixtures = Fixtures {
    dir: "python-pylock",
    format: Format::Pylock,
    cases: &[
        (
            "commits.toml",
            Ok(&[
                ("", "click", "8.2.1", 8, "--"),
                ("", "mleroc", "0.1.0", 15, "--"),
                ("", "packaging", "24.2", 24, "--"),
                ("", "pathspec", "0.12.1", 31, "--"),
                ("", "python-dateutil", "2.9.0.post0", 38, "--"),
                ("", "scikit-learn", "1.6.1", 45, "--"),
                ("", "tqdm", "4.67.1", 72, "--"),
            ]),
        ),
        ("empty.toml", Ok(&[])),
        (
            "example.toml",
            Ok(&[
                ("", "attrs", "25.1.0", 7, "--"),
                ("", "cattrs", "24.1.2", 20, "--"),
                ("", "numpy", "2.2.3", 31, "--"),
            ]),
        ),
        (
            "names-outside-package-block.toml",
            Ok(&[
                ("", "first-pkg", "1.0.0", 7, "--"),
                ("", "second-pkg", "2.0.0", 20, "--"),
            ]),
        ),
        ("not-toml.txt", Err(Some(1))),
        (
            "pdm-full.toml",
            Ok(&[
                ("", "certifi", "2025.1.31", 11, "--"),
                ("", "chardet", "3.0.4", 24, "--"),
                ("", "charset-normalizer", "2.0.12", 37, "--"),
                ("", "colorama", "0.3.9", 50, "--"),
                ("", "idna", "2.7", 63, "--"),
                ("", "py", "1.4.34", 76, "--"),
                ("", "pytest", "3.2.5", 89, "--"),
                ("", "requests", "2.27.1", 102, "--"),
                ("", "setuptools", "39.2.0", 115, "--"),
                ("", "urllib3", "1.26.20", 128, "--"),
            ]),
        ),
        (
            "pip-full.toml",
            Ok(&[
                ("", "annotated-types", "0.7.0", 5, "--"),
                ("", "packaging", "25.0", 16, "--"),
                ("", "pyproject-toml", "0.1.0", 27, "--"),
                ("", "setuptools", "80.9.0", 38, "--"),
                ("", "wheel", "0.45.1", 49, "--"),
            ]),
        ),
        ("pip-just-self.toml", Ok(&[])),
    ],
};

/// `golang-gomod`: every fixture, as read by hand and checked against this parser's output.
const GOLANG_GOMOD: Fixtures = Fixtures {
    dir: "golang-gomod",
    format: Format::GoMod,
    cases: &[
        ("empty.mod", Ok(&[])),
        (
            "indirect-1.16.mod",
            Ok(&[
                ("", "stdlib", "1.16", 3, "--"),
                ("", "github.com/sirupsen/logrus", "v1.9.3", 5, "y-"),
            ]),
        ),
        ("indirect-1.16.sum", Err(Some(1))),
        (
            "indirect-1.23.mod",
            Ok(&[
                ("", "stdlib", "1.23", 3, "--"),
                ("", "github.com/sirupsen/logrus", "v1.9.3", 5, "y-"),
                (
                    "",
                    "golang.org/x/sys",
                    "v0.0.0-20220715151400-c0bba94af5f8",
                    7,
                    "n-",
                ),
            ]),
        ),
        ("indirect-1.23.sum", Err(Some(1))),
        (
            "indirect-packages.mod",
            Ok(&[
                ("", "stdlib", "1.17", 3, "--"),
                ("", "github.com/BurntSushi/toml", "v1.0.0", 6, "y-"),
                ("", "gopkg.in/yaml.v2", "v2.4.0", 7, "y-"),
                ("", "github.com/mattn/go-colorable", "v0.1.9", 11, "n-"),
                ("", "github.com/mattn/go-isatty", "v0.0.14", 12, "n-"),
                (
                    "",
                    "golang.org/x/sys",
                    "v0.0.0-20210630005230-0f9fa26af87c",
                    13,
                    "n-",
                ),
            ]),
        ),
        ("not-go-mod.mod", Err(Some(1))),
        (
            "one-package.mod",
            Ok(&[("", "github.com/BurntSushi/toml", "v1.0.0", 4, "y-")]),
        ),
        (
            "replace-different.mod",
            Ok(&[
                ("", "example.com/fork/foe", "v1.4.5", 2, "y-"),
                ("", "example.com/fork/foe", "v1.4.2", 3, "y-"),
            ]),
        ),
        (
            "replace-local.mod",
            Ok(&[("", "github.com/BurntSushi/toml", "v1.0.0", 3, "y-")]),
        ),
        (
            "replace-mixed.mod",
            Ok(&[
                ("", "example.com/fork/net", "v1.4.5", 2, "y-"),
                ("", "golang.org/x/net", "v0.5.6", 3, "y-"),
            ]),
        ),
        (
            "replace-no-version.mod",
            Ok(&[("", "example.com/fork/net", "v1.4.5", 2, "y-")]),
        ),
        (
            "replace-not-required.mod",
            Ok(&[
                ("", "golang.org/x/net", "v0.5.6", 2, "y-"),
                ("", "github.com/BurntSushi/toml", "v1.0.0", 3, "y-"),
            ]),
        ),
        (
            "replace-one.mod",
            Ok(&[("", "example.com/fork/net", "v1.4.5", 2, "y-")]),
        ),
        (
            "toolchain-with-suffix.mod",
            Ok(&[
                ("", "stdlib", "1.23.6", 5, "--"),
                ("", "github.com/BurntSushi/toml", "v1.0.0", 8, "y-"),
            ]),
        ),
        (
            "toolchain.mod",
            Ok(&[
                ("", "stdlib", "1.23.6", 5, "--"),
                ("", "github.com/BurntSushi/toml", "v1.0.0", 8, "y-"),
            ]),
        ),
        (
            "two-packages.mod",
            Ok(&[
                ("", "stdlib", "1.17", 3, "--"),
                ("", "github.com/BurntSushi/toml", "v1.0.0", 6, "y-"),
                ("", "gopkg.in/yaml.v2", "v2.4.0", 7, "y-"),
            ]),
        ),
    ],
};

/// `ruby-gemfilelock`: every fixture, as read by hand and checked against this parser's output.
const RUBY_GEMFILELOCK: Fixtures = Fixtures {
    dir: "ruby-gemfilelock",
    format: Format::GemfileLock,
    cases: &[
        (
            "has-git-gem.lock",
            Ok(&[
                ("", "hanami-controller", "2.0.0.alpha1", 6, "n-"),
                ("", "hanami-utils", "2.0.0.alpha1", 15, "y-"),
                ("", "concurrent-ruby", "1.1.7", 22, "n-"),
                ("", "rack", "2.2.3", 23, "n-"),
                ("", "transproc", "1.1.1", 24, "n-"),
            ]),
        ),
        (
            "has-local-gem.lock",
            Ok(&[
                ("", "actionpack", "7.0.2.2", 14, "n-"),
                ("", "actionview", "7.0.2.2", 21, "n-"),
                ("", "activesupport", "7.0.2.2", 27, "n-"),
                ("", "builder", "3.2.4", 32, "n-"),
                ("", "coffee-script", "2.4.1", 33, "n-"),
                ("", "coffee-script-source", "1.12.2", 36, "n-"),
                ("", "concurrent-ruby", "1.1.9", 37, "n-"),
                ("", "crass", "1.0.6", 38, "n-"),
                ("", "eco", "1.0.0", 39, "n-"),
                ("", "eco-source", "1.1.0.rc.1", 43, "n-"),
                ("", "ejs", "1.1.1", 44, "n-"),
                ("", "erubi", "1.10.0", 45, "n-"),
                ("", "execjs", "2.8.1", 46, "n-"),
                ("", "i18n", "1.10.0", 47, "n-"),
                ("", "jquery-rails", "4.4.0", 49, "n-"),
                ("", "loofah", "2.14.0", 53, "n-"),
                ("", "method_source", "1.0.0", 56, "n-"),
                ("", "minitest", "5.15.0", 57, "n-"),
                ("", "nokogiri", "1.13.3", 58, "n-"),
                ("", "racc", "1.6.0", 60, "n-"),
                ("", "rack", "2.2.3", 61, "n-"),
                ("", "rack-test", "1.1.0", 62, "n-"),
                ("", "rails-dom-testing", "2.0.3", 64, "n-"),
                ("", "rails-html-sanitizer", "1.4.2", 67, "n-"),
                ("", "railties", "7.0.2.2", 69, "n-"),
                ("", "rake", "13.0.6", 76, "n-"),
                ("", "thor", "1.2.1", 77, "n-"),
                ("", "tzinfo", "2.0.4", 78, "n-"),
                ("", "zeitwerk", "2.5.4", 80, "n-"),
            ]),
        ),
        ("invalid.lock", Ok(&[])),
        (
            "multiple-gems.lock",
            Ok(&[
                ("", "bundler-audit", "0.9.0.1", 4, "y-"),
                ("", "coderay", "1.1.3", 7, "n-"),
                ("", "dotenv", "2.7.6", 8, "y-"),
                ("", "method_source", "1.0.0", 9, "n-"),
                ("", "pry", "0.14.1", 10, "y-"),
                ("", "thor", "1.2.1", 13, "n-"),
            ]),
        ),
        ("no-gem-section.lock", Ok(&[])),
        ("no-gems.lock", Ok(&[])),
        ("no-spec-section.lock", Ok(&[])),
        ("one-gem.lock", Ok(&[("", "ast", "2.4.2", 4, "y-")])),
        (
            "rails.lock",
            Ok(&[
                ("", "actioncable", "7.0.2.2", 4, "n-"),
                ("", "actionmailbox", "7.0.2.2", 9, "n-"),
                ("", "actionmailer", "7.0.2.2", 19, "n-"),
                ("", "actionpack", "7.0.2.2", 29, "n-"),
                ("", "actiontext", "7.0.2.2", 36, "n-"),
                ("", "actionview", "7.0.2.2", 43, "n-"),
                ("", "activejob", "7.0.2.2", 49, "n-"),
                ("", "activemodel", "7.0.2.2", 52, "n-"),
                ("", "activerecord", "7.0.2.2", 54, "n-"),
                ("", "activestorage", "7.0.2.2", 57, "n-"),
                ("", "activesupport", "7.0.2.2", 64, "n-"),
                ("", "builder", "3.2.4", 69, "n-"),
                ("", "concurrent-ruby", "1.1.9", 70, "n-"),
                ("", "crass", "1.0.6", 71, "n-"),
                ("", "digest", "3.1.0", 72, "n-"),
                ("", "erubi", "1.10.0", 73, "n-"),
                ("", "globalid", "1.0.0", 74, "n-"),
                ("", "i18n", "1.10.0", 76, "n-"),
                ("", "io-wait", "0.2.1", 78, "n-"),
                ("", "loofah", "2.14.0", 79, "n-"),
                ("", "mail", "2.7.1", 82, "n-"),
                ("", "marcel", "1.0.2", 84, "n-"),
                ("", "method_source", "1.0.0", 85, "n-"),
                ("", "mini_mime", "1.1.2", 86, "n-"),
                ("", "minitest", "5.15.0", 87, "n-"),
                ("", "net-imap", "0.2.3", 88, "n-"),
                ("", "net-pop", "0.1.1", 92, "n-"),
                ("", "net-protocol", "0.1.2", 96, "n-"),
                ("", "net-smtp", "0.3.1", 99, "n-"),
                ("", "nio4r", "2.5.8", 103, "n-"),
                ("", "nokogiri", "1.13.3", 104, "n-"),
                ("", "racc", "1.6.0", 106, "n-"),
                ("", "rack", "2.2.3", 107, "n-"),
                ("", "rack-test", "1.1.0", 108, "n-"),
                ("", "rails", "7.0.2.2", 110, "y-"),
                ("", "rails-dom-testing", "2.0.3", 124, "n-"),
                ("", "rails-html-sanitizer", "1.4.2", 127, "n-"),
                ("", "railties", "7.0.2.2", 129, "n-"),
                ("", "rake", "13.0.6", 136, "n-"),
                ("", "strscan", "3.0.1", 137, "n-"),
                ("", "thor", "1.2.1", 138, "n-"),
                ("", "timeout", "0.2.0", 139, "n-"),
                ("", "tzinfo", "2.0.4", 140, "n-"),
                ("", "websocket-driver", "0.7.5", 142, "n-"),
                ("", "websocket-extensions", "0.1.5", 144, "n-"),
                ("", "zeitwerk", "2.5.4", 145, "n-"),
            ]),
        ),
        (
            "rubocop.lock",
            Ok(&[
                ("", "ast", "2.4.2", 4, "n-"),
                ("", "parallel", "1.21.0", 5, "n-"),
                ("", "parser", "3.1.1.0", 6, "n-"),
                ("", "rainbow", "3.1.1", 8, "n-"),
                ("", "regexp_parser", "2.2.1", 9, "n-"),
                ("", "rexml", "3.2.5", 10, "n-"),
                ("", "rubocop", "1.25.1", 11, "y-"),
                ("", "rubocop-ast", "1.16.0", 20, "n-"),
                ("", "ruby-progressbar", "1.11.0", 22, "n-"),
                ("", "unicode-display_width", "2.1.0", 23, "n-"),
            ]),
        ),
        (
            "some-gems.lock",
            Ok(&[
                ("", "coderay", "1.1.3", 4, "n-"),
                ("", "method_source", "1.0.0", 5, "n-"),
                ("", "pry", "0.14.1", 6, "y-"),
            ]),
        ),
        (
            "source-section-at-end.lock",
            Ok(&[("", "ast", "2.4.2", 16, "y-")]),
        ),
    ],
};

/// `php-composerlock`: every fixture, as read by hand and checked against this parser's output.
const PHP_COMPOSERLOCK: Fixtures = Fixtures {
    dir: "php-composerlock",
    format: Format::ComposerLock,
    cases: &[
        (
            "drupal-packages.json",
            Ok(&[
                ("", "drupal/core", "10.4.5", 10, "-n"),
                ("", "drupal/tfa", "2.0.0-alpha4", 174, "-n"),
                ("", "theseer/tokenizer", "1.1.3", 261, "-n"),
                ("", "drupal/field_time", "1.0.0-beta5", 299, "-y"),
            ]),
        ),
        (
            "duplicate-packages.json",
            Ok(&[
                ("", "sentry/sdk", "2.0.4", 10, "-n"),
                ("", "sentry/sdk", "2.0.5", 17, "-n"),
                ("", "sentry/sdk", "3.0.0-dev", 26, "-y"),
            ]),
        ),
        ("empty.json", Ok(&[])),
        ("not-json.txt", Err(Some(1))),
        ("null.jsontest", Err(Some(1))),
        (
            "one-package-dev.json",
            Ok(&[("", "sentry/sdk", "2.0.4", 11, "-y")]),
        ),
        (
            "one-package.json",
            Ok(&[("", "sentry/sdk", "2.0.4", 10, "-n")]),
        ),
        (
            "two-packages-alt.json",
            Ok(&[
                ("", "sentry/sdk", "2.0.4", 10, "-n"),
                ("", "theseer/tokenizer", "1.1.3", 41, "-n"),
            ]),
        ),
        (
            "two-packages.json",
            Ok(&[
                ("", "sentry/sdk", "2.0.4", 10, "-n"),
                ("", "theseer/tokenizer", "1.1.3", 43, "-y"),
            ]),
        ),
    ],
};

/// `java-pomxml`: every fixture, as read by hand and checked against this parser's output.
const JAVA_POMXML: Fixtures = Fixtures {
    dir: "java-pomxml",
    format: Format::PomXml,
    cases: &[
        (
            "ambiguous-interpolation.xml",
            Ok(&[("", "com.example:common-lib", "1.0.0", 8, "yn")]),
        ),
        ("empty.xml", Ok(&[])),
        ("encoding.xml", Ok(&[("", "junit:junit", "4.12", 16, "yn")])),
        (
            "explicit-jar.xml",
            Ok(&[
                ("", "org.different:my-lib", "1.0.0", 12, "yn"),
                ("", "com.example:my-lib", "1.0.0", 17, "yn"),
            ]),
        ),
        (
            "interpolate-drop.xml",
            Ok(&[("", "com.example:actual-artifact", "1.0.0", 11, "yn")]),
        ),
        (
            "interpolation.xml",
            Ok(&[
                ("", "org.mine:mypackage", "1.0.0", 18, "yn"),
                ("", "org.mine:my.package", "2.3.4", 24, "yn"),
                ("", "org.mine:ranged-package", "9.4.35.v20201120", 30, "yn"),
            ]),
        ),
        (
            "invalid-syntax.xml",
            Ok(&[("", "io.netty:netty-all", "4.1.42.Final", 7, "yn")]),
        ),
        (
            "multi-version.xml",
            Ok(&[
                ("", "abc:example.com", "1.0.0", 8, "yn"),
                ("", "abc:example.com", "1.1.1", 13, "yn"),
            ]),
        ),
        ("not-pom.txt", Err(Some(1))),
        (
            "one-package.xml",
            Ok(&[("", "org.apache.maven:maven-artifact", "1.0.0", 7, "yn")]),
        ),
        (
            "parent/pom.xml",
            Ok(&[("", "org.dave:dave", "4.0.0", 15, "yn")]),
        ),
        (
            "plugin-dependency.xml",
            Ok(&[("", "com.example:hijack-lib", "1.0.0", 27, "yn")]),
        ),
        (
            "profiles.xml",
            Ok(&[("", "org.profile:profile-dep", "1.2.3", 15, "yn")]),
        ),
        (
            "transitive.xml",
            Ok(&[
                ("", "org.transitive:frank", "4.4.4", 8, "yn"),
                ("", "org.direct:alice", "1.0.0", 17, "yn"),
                ("", "org.direct:bob", "2.0.0", 22, "yn"),
                ("", "org.direct:chris", "3.0.0", 27, "yn"),
            ]),
        ),
        (
            "two-packages.xml",
            Ok(&[
                ("", "io.netty:netty-all", "4.1.42.Final", 7, "yn"),
                ("", "org.slf4j:slf4j-log4j12", "1.7.25", 12, "yn"),
            ]),
        ),
        (
            "with-dependency-management.xml",
            Ok(&[
                ("", "io.netty:netty-all", "4.1.9", 7, "yn"),
                ("", "org.slf4j:slf4j-log4j12", "1.7.25", 12, "yn"),
                ("", "io.netty:netty-all", "4.1.42.Final", 21, "yn"),
                ("", "com.google.code.findbugs:jsr305", "3.0.2", 26, "yn"),
            ]),
        ),
        (
            "with-multiple-classifiers.xml",
            Ok(&[("", "com.example:my-lib", "1.0.0", 8, "yn")]),
        ),
        (
            "with-parent.xml",
            Ok(&[
                ("", "org.alice:alice", "1.0.0", 18, "yn"),
                ("", "org.bob:bob", "2.0.0", 23, "yn"),
                ("", "org.chuck:chuck", "3.0.0", 28, "yn"),
                ("", "org.import:import", "1.2.3", 45, "yn"),
            ]),
        ),
        (
            "with-scope.xml",
            Ok(&[
                ("", "abc:xyz", "1.2.3", 3, "yn"),
                ("", "junit:junit", "4.12", 9, "yy"),
            ]),
        ),
        (
            "with-type-classifier.xml",
            Ok(&[("", "abc:xyz", "1.0.0", 3, "yn")]),
        ),
    ],
};

/// `java-gradlelockfile`: every fixture, as read by hand and checked against this parser's output.
const JAVA_GRADLELOCKFILE: Fixtures = Fixtures {
    dir: "java-gradlelockfile",
    format: Format::GradleLockfile,
    cases: &[
        (
            "5-pkg",
            Ok(&[
                (
                    "",
                    "org.springframework.boot:spring-boot-autoconfigure",
                    "2.7.4",
                    5,
                    "-n",
                ),
                (
                    "",
                    "org.springframework.boot:spring-boot-configuration-processor",
                    "2.7.5",
                    6,
                    "-n",
                ),
                (
                    "",
                    "org.springframework.boot:spring-boot-devtools",
                    "2.7.6",
                    7,
                    "-n",
                ),
                (
                    "",
                    "org.springframework.boot:spring-boot-starter-aop",
                    "2.7.7",
                    8,
                    "-n",
                ),
                (
                    "",
                    "org.springframework.boot:spring-boot-starter-data-jpa",
                    "2.7.8",
                    9,
                    "-n",
                ),
            ]),
        ),
        (
            "one-pkg",
            Ok(&[(
                "",
                "org.springframework.security:spring-security-crypto",
                "5.7.3",
                4,
                "-n",
            )]),
        ),
        ("only-comments", Ok(&[])),
        ("only-empty", Ok(&[])),
        (
            "with-bad-pkg",
            Ok(&[
                (
                    "",
                    "org.springframework.boot:spring-boot-autoconfigure",
                    "2.7.4",
                    7,
                    "-n",
                ),
                (
                    "",
                    "org.springframework.boot:spring-boot-configuration-processor",
                    "2.7.5",
                    14,
                    "-n",
                ),
            ]),
        ),
    ],
};

/// `dotnet-packageslockjson`: every fixture, as read by hand and checked against this parser's output.
const DOTNET_PACKAGESLOCKJSON: Fixtures = Fixtures {
    dir: "dotnet-packageslockjson",
    format: Format::NugetLock,
    cases: &[
        ("invalid/invalid", Err(Some(1))),
        (
            "valid/packages.lock.json",
            Ok(&[
                ("", "Core.Dep", "1.24.0", 5, "y-"),
                ("", "Some.Dep.One", "1.1.1", 20, "n-"),
                ("", "Some.Dep.Two", "4.6.0", 25, "n-"),
                ("", "Some.Dep.Three", "1.0.2", 30, "n-"),
                ("", "Some.Dep.Four", "4.5.0", 39, "n-"),
                ("", "Some.Longer.Name.Dep", "4.7.2", 44, "n-"),
                ("", "Some.Dep.Five", "4.7.2", 49, "n-"),
                ("", "Another.Longer.Name.Dep", "4.5.4", 54, "n-"),
            ]),
        ),
    ],
};

/// `dart-pubspec`: every fixture, as read by hand and checked against this parser's output.
const DART_PUBSPEC: Fixtures = Fixtures {
    dir: "dart-pubspec",
    format: Format::PubspecLock,
    cases: &[
        ("empty.lock", Ok(&[])),
        (
            "mixed-packages.lock",
            Ok(&[
                ("", "back_button_interceptor", "6.0.1", 4, "yn"),
                ("", "build_runner", "2.2.1", 11, "yy"),
                ("", "shelf", "1.3.2", 18, "n-"),
                ("", "shelf_web_socket", "1.0.2", 25, "n-"),
            ]),
        ),
        ("no-packages.lock", Ok(&[])),
        ("not-yaml.txt", Err(Some(1))),
        (
            "one-package-dev.lock",
            Ok(&[("", "build_runner", "2.2.1", 4, "yy")]),
        ),
        (
            "one-package.lock",
            Ok(&[("", "back_button_interceptor", "6.0.1", 4, "yn")]),
        ),
        (
            "source-git.lock",
            Ok(&[
                ("", "flutter_rust_bridge", "1.32.0", 4, "yn"),
                ("", "screen_retriever", "0.1.2", 13, "n-"),
                ("", "toggle_switch", "1.4.0", 22, "yn"),
                ("", "tray_manager", "0.1.8", 29, "yn"),
                ("", "window_manager", "0.2.7", 38, "yn"),
            ]),
        ),
        ("source-path.lock", Ok(&[])),
        ("source-sdk.lock", Ok(&[])),
        (
            "two-packages.lock",
            Ok(&[
                ("", "shelf", "1.3.2", 4, "n-"),
                ("", "shelf_web_socket", "1.0.2", 11, "n-"),
            ]),
        ),
    ],
};

/// `elixir-mixlock`: every fixture, as read by hand and checked against this parser's output.
const ELIXIR_MIXLOCK: Fixtures = Fixtures {
    dir: "elixir-mixlock",
    format: Format::MixLock,
    cases: &[
        ("empty", Ok(&[])),
        ("invalid", Ok(&[("", "bunt", "1.0.0", 2, "--")])),
        (
            "valid",
            Ok(&[
                ("", "bunt", "1.0.0", 2, "--"),
                ("", "certifi", "2.12.0", 3, "--"),
            ]),
        ),
    ],
};

/// `erlang-mixlock`: every fixture, as read by hand and checked against this parser's output.
const ERLANG_MIXLOCK: Fixtures = Fixtures {
    dir: "erlang-mixlock",
    format: Format::MixLock,
    cases: &[
        ("empty.lock", Ok(&[])),
        ("git.lock", Ok(&[])),
        (
            "many.lock",
            Ok(&[
                ("", "backoff", "1.1.6", 2, "--"),
                ("", "decimal", "2.0.0", 3, "--"),
                ("", "dialyxir", "1.1.0", 4, "--"),
                ("", "earmark", "1.4.3", 5, "--"),
                ("", "earmark_parser", "1.4.10", 6, "--"),
                ("", "ecto", "3.5.5", 7, "--"),
                ("", "erlex", "0.2.6", 8, "--"),
                ("", "ex_doc", "0.23.0", 9, "--"),
                ("", "makeup", "1.0.5", 10, "--"),
                ("", "makeup_elixir", "0.15.0", 11, "--"),
                ("", "meck", "0.9.2", 12, "--"),
                ("", "mime", "1.5.0", 13, "--"),
                ("", "nimble_parsec", "1.1.0", 14, "--"),
                ("", "phoenix", "1.4.17", 15, "--"),
                ("", "phoenix_html", "2.14.3", 16, "--"),
                ("", "phoenix_pubsub", "1.1.2", 17, "--"),
                ("", "plug", "1.11.1", 18, "--"),
                ("", "plug_crypto", "1.2.2", 19, "--"),
                ("", "poolboy", "1.5.2", 20, "--"),
                ("", "pow", "1.0.15", 21, "--"),
                ("", "telemetry", "0.4.2", 22, "--"),
            ]),
        ),
        ("one-package.lock", Ok(&[("", "plug", "1.11.1", 2, "--")])),
        (
            "two-packages.lock",
            Ok(&[
                ("", "plug", "1.11.1", 2, "--"),
                ("", "plug_crypto", "1.2.2", 3, "--"),
            ]),
        ),
    ],
};

/// `r-renvlock`: every fixture, as read by hand and checked against this parser's output.
const R_RENVLOCK: Fixtures = Fixtures {
    dir: "r-renvlock",
    format: Format::RenvLock,
    cases: &[
        ("empty.lock", Ok(&[])),
        ("not-json.txt", Err(Some(1))),
        ("one-package.lock", Ok(&[("", "morning", "0.1.0", 7, "--")])),
        (
            "two-packages.lock",
            Ok(&[
                ("", "markdown", "1.0", 12, "--"),
                ("", "mime", "0.7", 19, "--"),
            ]),
        ),
        (
            "with-bioconductor.lock",
            Ok(&[("", "BH", "1.75.0-0", 15, "--")]),
        ),
        (
            "with-mixed-sources.lock",
            Ok(&[("", "markdown", "1.0", 12, "--")]),
        ),
        ("without-repository.lock", Ok(&[])),
    ],
};

/// `cpp-conanlock`: every fixture, as read by hand and checked against this parser's output.
const CPP_CONANLOCK: Fixtures = Fixtures {
    dir: "cpp-conanlock",
    format: Format::ConanLock,
    cases: &[
        ("empty.v1.json", Ok(&[])),
        ("empty.v1.revisions.json", Ok(&[])),
        ("empty.v2.json", Ok(&[])),
        (
            "nested-dependencies.v1.json",
            Ok(&[
                ("", "freetype", "2.12.1", 14, "yn"),
                ("", "libpng", "1.6.39", 27, "nn"),
                ("", "zlib", "1.2.13", 37, "nn"),
                ("", "bzip2", "1.0.8", 44, "nn"),
                ("", "brotli", "1.0.9", 51, "nn"),
            ]),
        ),
        (
            "nested-dependencies.v1.revisions.json",
            Ok(&[
                ("", "freetype", "2.12.1", 14, "yn"),
                ("", "libpng", "1.6.39", 27, "nn"),
                ("", "zlib", "1.2.13", 37, "nn"),
                ("", "bzip2", "1.0.8", 44, "nn"),
                ("", "brotli", "1.0.9", 51, "nn"),
            ]),
        ),
        (
            "nested-dependencies.v2.json",
            Ok(&[
                ("", "zlib", "1.2.13", 4, "-n"),
                ("", "libpng", "1.6.39", 5, "-n"),
                ("", "freetype", "2.12.1", 6, "-n"),
                ("", "bzip2", "1.0.8", 7, "-n"),
                ("", "brotli", "1.0.9", 8, "-n"),
            ]),
        ),
        ("no-name.v1.json", Ok(&[("", "zlib", "1.2.11", 14, "yn")])),
        (
            "no-name.v1.revisions.json",
            Ok(&[("", "zlib", "1.2.11", 14, "yn")]),
        ),
        ("no-name.v2.json", Ok(&[("", "zlib", "1.2.11", 4, "-n")])),
        ("not-json.txt", Err(Some(1))),
        ("null.v2.jsontest", Err(Some(1))),
        (
            "old-format-0.0.json",
            Ok(&[("", "zlib", "1.2.11", 13, "yn")]),
        ),
        (
            "old-format-0.1.json",
            Ok(&[("", "zlib", "1.2.11", 14, "yn")]),
        ),
        (
            "old-format-0.2.json",
            Ok(&[("", "zlib", "1.2.11", 14, "yn")]),
        ),
        (
            "old-format-0.3.json",
            Ok(&[("", "zlib", "1.2.11", 14, "yn")]),
        ),
        (
            "one-package-dev.v1.json",
            Ok(&[("", "ninja", "1.11.1", 14, "yy")]),
        ),
        (
            "one-package-dev.v1.revisions.json",
            Ok(&[("", "ninja", "1.11.1", 14, "yy")]),
        ),
        (
            "one-package-dev.v2.json",
            Ok(&[("", "ninja", "1.11.1", 5, "-y")]),
        ),
        (
            "one-package.v1.json",
            Ok(&[("", "zlib", "1.2.11", 14, "yn")]),
        ),
        (
            "one-package.v1.revisions.json",
            Ok(&[("", "zlib", "1.2.11", 14, "yn")]),
        ),
        (
            "one-package.v2.json",
            Ok(&[("", "zlib", "1.2.11", 4, "-n")]),
        ),
        (
            "two-packages.v1.json",
            Ok(&[
                ("", "zlib", "1.2.11", 15, "yn"),
                ("", "bzip2", "1.0.8", 22, "yn"),
            ]),
        ),
        (
            "two-packages.v1.revisions.json",
            Ok(&[
                ("", "zlib", "1.2.11", 15, "yn"),
                ("", "bzip2", "1.0.8", 22, "yn"),
            ]),
        ),
        (
            "two-packages.v2.json",
            Ok(&[
                ("", "zlib", "1.2.11", 4, "-n"),
                ("", "bzip2", "1.0.8", 5, "-n"),
            ]),
        ),
    ],
};

/// `swift-packageresolved`: every fixture, as read by hand and checked against this parser's output.
const SWIFT_PACKAGERESOLVED: Fixtures = Fixtures {
    dir: "swift-packageresolved",
    format: Format::SwiftResolved,
    cases: &[
        ("Dockerfile.swift-testbed", Err(Some(1))),
        (
            "cve-packages",
            Ok(&[
                ("", "github.com/apple/swift-crypto", "3.0.0", 4, "--"),
                ("", "github.com/apple/swift-nio", "2.65.0", 13, "--"),
                ("", "github.com/apple/swift-nio-http2", "1.29.0", 22, "--"),
            ]),
        ),
        ("empty", Ok(&[])),
        ("invalid", Err(Some(1))),
        (
            "valid",
            Ok(&[
                ("", "github.com/apple/swift-algorithms", "1.0.0", 4, "--"),
                (
                    "",
                    "github.com/apple/swift-async-algorithms",
                    "0.1.0",
                    13,
                    "--",
                ),
                ("", "github.com/apple/swift-atomics", "1.1.0", 22, "--"),
            ]),
        ),
    ],
};

// ---------------------------------------------------------------------------------------
// Mutation fuzzing: a deterministic, dependency-free fuzzer over the fixtures. A short run
// is part of `cargo test`; `HYGIENE_FUZZ_ITERS=1000000 cargo test --release --test
// lockfiles mutation_fuzz -- --nocapture` runs it for longer. (cargo-fuzz targets for the
// same four families live in fuzz/.)
// ---------------------------------------------------------------------------------------

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b":",
    b",",
    b"\n",
    b"  ",
    b"-",
    b"=",
    b"==",
    b"(",
    b")",
    b"<",
    b">",
    b"</",
    b"@",
    b"/",
    b"\\",
    b"#",
    b"'",
    b"${",
    b"\xff",
    b"\xe2\x82",
    b"[[package]]\n",
    b"name = \"",
    b"packages:\n  ",
    b"-r ",
    b"=>",
    b"require (",
    b"null",
    b"1e999",
    b"\\u",
    b"<dependency>",
    b"node_modules/",
    b"  specs:\n    ",
    b"%{",
];

fn mutate(rng: &mut XorShift, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = data.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                data.truncate(rng.below(len));
            }
            2 => {
                let tok = TOKENS[rng.below(TOKENS.len())];
                let at = rng.below(len + 1);
                data.splice(at..at, tok.iter().copied());
            }
            3 if len > 0 => {
                let a = rng.below(len);
                let b = (a + rng.below(64)).min(len);
                data.drain(a..b);
            }
            4 if !other.is_empty() => {
                let cut = rng.below(len + 1);
                let from = rng.below(other.len());
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
            5 if len > 0 => {
                let a = rng.below(len);
                let b = (a + rng.below(256)).min(len);
                let chunk = data[a..b].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, chunk);
            }
            _ => {
                let depth = 1 + rng.below(300);
                let at = rng.below(len + 1);
                let open: &[u8] = [b"[".as_slice(), b"{\"a\":", b"- ", b"<a>"][rng.below(4)];
                let nest: Vec<u8> = open
                    .iter()
                    .copied()
                    .cycle()
                    .take(open.len() * depth)
                    .collect();
                data.splice(at..at, nest);
            }
        }
    }
    data
}

/// Seeds per family: own fixtures, plus ../shared fixtures when present.
fn fuzz_seeds() -> Vec<(hygiene::deps::lockfile::Family, Vec<u8>)> {
    let mut seeds = Vec::new();
    let root = own_root();
    for rel in files_under(&root) {
        if let Some(f) = detect(&root.join(&rel)) {
            seeds.push((f.family(), std::fs::read(root.join(&rel)).unwrap()));
        }
    }
    let dirs: &[(&str, Format)] = &[
        ("rust-cargolock", Format::CargoLock),
        ("javascript-packagelockjson", Format::PackageLock),
        ("javascript-yarnlock", Format::YarnLock),
        ("javascript-pnpmlock", Format::PnpmLock),
        ("javascript-bunlock", Format::BunLock),
        ("python-requirements", Format::Requirements),
        ("python-poetrylock", Format::PoetryLock),
        ("python-uvlock", Format::UvLock),
        ("golang-gomod", Format::GoMod),
        ("ruby-gemfilelock", Format::GemfileLock),
        ("java-pomxml", Format::PomXml),
        ("dart-pubspec", Format::PubspecLock),
        ("cpp-conanlock", Format::ConanLock),
    ];
    if let Some(base) = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/lockfiles"))
        .is_dir()
        .then(|| Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/lockfiles")))
    {
        for (dir, f) in dirs {
            for rel in files_under(&base.join(dir)) {
                seeds.push((f.family(), std::fs::read(base.join(dir).join(rel)).unwrap()));
            }
        }
    }
    seeds
}

#[test]
fn mutation_fuzz() {
    use hygiene::deps::lockfile::fuzz_family;
    let iters: usize = std::env::var("HYGIENE_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) { 1500 } else { 20_000 });
    let seed: u64 = std::env::var("HYGIENE_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_1234_abcd_ef01);
    let seeds = fuzz_seeds();
    let mut rng = XorShift(seed);
    let start = std::time::Instant::now();
    for i in 0..iters {
        let (family, input) = &seeds[rng.below(seeds.len())];
        let (_, other) = &seeds[rng.below(seeds.len())];
        let data = mutate(&mut rng, input, other);
        let outcome = std::panic::catch_unwind(|| fuzz_family(*family, &data));
        if outcome.is_err() {
            let path = std::env::temp_dir().join(format!("hygiene-fuzz-crash-{i}.bin"));
            std::fs::write(&path, &data).unwrap();
            panic!(
                "iteration {i} ({family:?}) panicked; input saved to {}",
                path.display()
            );
        }
    }
    eprintln!(
        "mutation_fuzz: {iters} iterations over {} seeds in {:.1?}",
        seeds.len(),
        start.elapsed()
    );
}

// ---------------------------------------------------------------------------------------
// Benchmark (ignored by default): `bench/lockfile_parse.sh`, or
// `cargo test --release --test lockfiles bench_lockfile_parse -- --ignored --nocapture`.
// ---------------------------------------------------------------------------------------

fn synthetic_package_lock(n: usize) -> String {
    let mut s =
        String::from("{\n  \"name\": \"big\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n");
    s.push_str("    \"\": {\n      \"name\": \"big\",\n      \"dependencies\": {\n");
    for i in 0..n / 10 {
        s.push_str(&format!("        \"pkg-{i}\": \"^1.0.0\",\n"));
    }
    s.push_str("        \"last\": \"1.0.0\"\n      }\n    },\n");
    for i in 0..n {
        let path = if i % 3 == 0 {
            format!("node_modules/pkg-{}/node_modules/pkg-{i}", i / 2)
        } else {
            format!("node_modules/pkg-{i}")
        };
        s.push_str(&format!(
            "    \"{path}\": {{\n      \"version\": \"{}.{}.{}\",\n      \"resolved\": \"https://registry.npmjs.org/pkg-{i}/-/pkg-{i}-1.0.0.tgz\",\n      \"integrity\": \"sha512-{}\",\n      \"dev\": {},\n      \"dependencies\": {{\n        \"pkg-{}\": \"^1.0.0\"\n      }}\n    }},\n",
            i % 7,
            i % 13,
            i % 17,
            "A".repeat(86),
            i % 4 == 0,
            (i + 1) % n
        ));
    }
    s.push_str("    \"node_modules/last\": {\n      \"version\": \"1.0.0\"\n    }\n  }\n}\n");
    s
}

fn synthetic_cargo_lock(n: usize) -> String {
    let mut s = String::from(
        "version = 4\n\n[[package]]\nname = \"root\"\nversion = \"0.1.0\"\ndependencies = [\n",
    );
    for i in 0..n / 10 {
        s.push_str(&format!(" \"crate-{i}\",\n"));
    }
    s.push_str("]\n");
    for i in 0..n {
        s.push_str(&format!(
            "\n[[package]]\nname = \"crate-{i}\"\nversion = \"{}.{}.{}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"{}\"\ndependencies = [\n \"crate-{}\",\n \"crate-{}\",\n]\n",
            i % 5,
            i % 11,
            i % 3,
            "0123456789abcdef".repeat(4),
            (i + 1) % n,
            (i + 7) % n
        ));
    }
    s
}

fn time_parse(format: Format, text: &str, expect: usize) -> std::time::Duration {
    let mut best = std::time::Duration::MAX;
    let mut times = Vec::new();
    for _ in 0..15 {
        let t = std::time::Instant::now();
        let pkgs = parse(format, "bench", text).unwrap();
        let d = t.elapsed();
        assert_eq!(pkgs.len(), expect);
        times.push(d);
        best = best.min(d);
    }
    times.sort();
    eprintln!(
        "{format}: {} bytes, {expect} packages: median {:.2?}, best {best:.2?}",
        text.len(),
        times[times.len() / 2]
    );
    times[times.len() / 2]
}

#[test]
#[ignore = "benchmark: run with --release --ignored"]
fn bench_lockfile_parse() {
    let npm = synthetic_package_lock(5000);
    let cargo = synthetic_cargo_lock(1000);
    let npm_t = time_parse(Format::PackageLock, &npm, 5001);
    let cargo_t = time_parse(Format::CargoLock, &cargo, 1000);
    if !cfg!(debug_assertions) {
        assert!(
            npm_t.as_millis() < 50,
            "package-lock.json too slow: {npm_t:?}"
        );
        assert!(cargo_t.as_millis() < 50, "Cargo.lock too slow: {cargo_t:?}");
    }
}

#[test]
fn requirements_include_fan_out_is_bounded() {
    // Found by fuzzing: every file includes two new, ever-longer paths. Cycle detection
    // alone does not stop this (2^depth files); the total-files limit does.
    let text = "-r a/r.txt\n-r b/r.txt\nx==1\n";
    let mut reads = 0;
    let mut read = |_: &str| {
        reads += 1;
        Some(text.to_string())
    };
    let pkgs = requirements::parse_with_includes("r.txt", text, &mut read).unwrap();
    assert!(reads <= 256, "{reads} files read");
    assert!(pkgs.len() <= 257);
}

#[test]
fn go_mod_empty_quoted_version_is_an_error() {
    // Found by fuzzing (cargo-fuzz lockfile_lines): `"` at the end of a require line.
    let e = parse(
        Format::GoMod,
        "go.mod",
        "require (\n    golang.org/.git\"\n)\n",
    )
    .unwrap_err();
    assert_eq!(e.line, Some(2), "{e}");
}

#[test]
fn yaml_error_lines_count_like_the_rest() {
    // Found by fuzzing (lockfile_yaml): libyaml also breaks lines at a lone `\r`, which
    // gave error lines past the end of the file.
    let text = "packages:\r  a: 1\r  b: [\r\r\r\r";
    let e = parse(Format::PnpmLock, "pnpm-lock.yaml", text).unwrap_err();
    assert_eq!(e.line, Some(1), "{e}");
    let data = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/lockfiles/pnpm-lock.yaml"
    ))
    .unwrap();
    hygiene::deps::lockfile::fuzz_family(hygiene::deps::lockfile::Family::Yaml, &data);
}

/// Cargo.lock's line reader (the fast path for files as cargo writes them) reads every
/// Cargo.lock fixture exactly as the full TOML reading does, or gives the file up; and it
/// does take the files cargo wrote. `HYGIENE_CARGO_LOCKS=DIR` adds every `Cargo.lock` under
/// DIR (the bench corpus: `bench/.work/corpus`, 800 real lockfiles).
#[test]
fn cargo_lock_line_reader_reads_as_the_toml_reading_does() {
    use hygiene::deps::lockfile::cargo_lock_line_reader_agrees as agrees;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = vec![
        root.join("fixtures/lockfiles/Cargo.lock"),
        root.join("fixtures/credfiles/projects/cli/Cargo.lock"),
    ];
    for file in &files {
        let text = std::fs::read_to_string(file).expect("fixture");
        assert_eq!(agrees(&text), Ok(true), "{}", file.display());
    }
    if let Some(shared) = shared_lockfiles() {
        let dir = shared.join("rust-cargolock");
        files.extend(files_under(&dir).into_iter().map(|f| dir.join(f)));
        assert!(files.len() > 5, "the shared Cargo.lock fixtures: {files:?}");
    }
    if let Some(dir) = std::env::var_os("HYGIENE_CARGO_LOCKS") {
        let dir = PathBuf::from(dir);
        files.extend(
            files_under(&dir)
                .into_iter()
                .filter(|f| f.ends_with("Cargo.lock"))
                .map(|f| dir.join(f)),
        );
    }
    let (mut read, mut given_up) = (0, Vec::new());
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a Cargo.lock fixture");
        match agrees(&text) {
            Ok(true) => read += 1,
            Ok(false) => given_up.push(file.display().to_string()),
            Err(diff) => panic!("{}: {diff}", file.display()),
        }
    }
    eprintln!(
        "line reader: {read} of {} Cargo.lock files read, given up on: {given_up:#?}",
        files.len()
    );
    assert!(read >= 2);
}
