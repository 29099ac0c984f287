//! Lockfile parsers, one module per format.
//!
//! Each format's module turns the text of one lockfile (or manifest, for `pom.xml` and
//! `go.mod`) into the [`Package`]s it declares, with the 1-based line where each package is
//! declared, and — where the format tells — whether it is a direct dependency and whether it
//! is only needed for development.
//!
//! The entry points are [`detect`] (which format, from the file name), [`parse`] (text in,
//! packages out) and [`parse_file`] (reads the file, follows `-r` includes of requirements
//! files).
//!
//! # Adding a format
//!
//! Everything about a format is in its own module, in one `DESCRIPTOR` (a `Descriptor`):
//! its name, the file names (and name patterns) that detect it, its ecosystem, its syntax
//! family, the advice for a file that does not parse, and its parse function. To add one:
//!
//! 1. write `src/deps/lockfile/<format>.rs` with a parser and its `DESCRIPTOR` (copy one of
//!    the same family, e.g. `composer_lock.rs` for JSON), and declare the module below;
//! 2. add one line to the `formats!` list, which is where [`Format`], [`Format::ALL`] and
//!    the lookup from a format to its descriptor come from.
//!
//! Detection, parsing, the ecosystem of its packages, error messages and the fuzz targets of
//! its family then all follow from the descriptor; nothing else matches on formats.
//!
//! # Conventions shared by every parser
//!
//! * **Lines.** For JSON formats the line is that of the object key that declares the package
//!   (`"node_modules/foo": {`), or of the array element / object when there is no key. For TOML
//!   formats (`[[package]]` tables) it is the line of the package's `name =` key, which is
//!   exact even when a `[[package]]` header is followed by comments or other keys. For YAML
//!   formats it is the line of the key in the packages map. For line formats it is the line
//!   where the entry starts.
//! * **Names** are what OSV expects: PEP 503-normalised for PyPI
//!   ([`crate::package::normalise_pypi_name`]), `group:artifact` for Maven, the module path for
//!   Go, `@scope/name` for npm.
//! * **Skipped entries.** Entries OSV could never match are dropped: the root project and
//!   workspace members, `file:`/`link:`/path dependencies, entries with no version. Git-sourced
//!   entries are kept where they carry a registry-style version and the reference extractor
//!   (osv-scalibr) keeps them; where a git entry has only a commit (bun, yarn berry without a
//!   version, npm v1 `git+` versions) there is no version to report and it is dropped.
//! * **Errors.** Parsers never panic. A file that cannot be parsed gives a [`LockfileError`]
//!   naming the file and, when known, the line, with advice. An empty file yields zero
//!   packages where an empty lockfile is meaningful.

mod graph;
mod json;
mod lines;

mod bun_lock;
mod cargo_lock;
mod composer_lock;
mod conan_lock;
mod gemfile_lock;
mod go_mod;
mod gradle_lockfile;
mod mix_lock;
mod nuget_lock;
mod package_lock;
mod pdm_lock;
mod pipfile_lock;
mod pnpm_lock;
mod poetry_lock;
mod pom_xml;
mod pubspec_lock;
mod pylock;
mod renv_lock;
pub mod requirements;
mod swift_resolved;
mod uv_lock;
mod yarn_lock;

#[doc(hidden)]
pub use cargo_lock::canonical_agrees as cargo_lock_line_reader_agrees;

use crate::package::{Ecosystem, Package};
use std::fmt;
use std::path::{Component, Path};

/// Everything about one lockfile format. Each format's module holds its own, as `DESCRIPTOR`;
/// `formats!` lists them.
pub(crate) struct Descriptor {
    /// A short human name for the format, as used in messages.
    pub name: &'static str,
    /// The file names this format is detected by.
    pub file_names: &'static [&'static str],
    /// Further file names this format is detected by, as a test of the file name and the
    /// whole path (`pylock.<name>.toml`, `*requirements*.txt`). Asked only when no format
    /// lists the name in its `file_names`.
    pub matches: Option<fn(&str, &Path) -> bool>,
    /// The ecosystem of every package this format declares.
    pub ecosystem: Ecosystem,
    /// The syntax family, which decides the fuzz target that exercises the parser.
    pub family: Family,
    /// What a user should do when a file of this format cannot be parsed.
    pub remedy: &'static str,
    /// How a file of this format is parsed.
    pub parser: Parser,
}

/// How a format's files are parsed.
pub(crate) enum Parser {
    /// Text in, packages out.
    Text(fn(&Ctx<'_>, &str) -> Result<Vec<Package>, LockfileError>),
    /// A format whose files include others (requirements `-r`): the file's root-relative path
    /// and text in, with a reader that returns an included file's text by its root-relative
    /// path (or `None`).
    Includes(IncludesParser),
}

/// The parse function of [`Parser::Includes`].
pub(crate) type IncludesParser =
    fn(&str, &str, &mut dyn FnMut(&str) -> Option<String>) -> Result<Vec<Package>, LockfileError>;

/// Declares [`Format`] from one list of `Variant => module` lines, each module holding the
/// format's `DESCRIPTOR`: the variants, [`Format::ALL`] in list order, and
/// [`Format::descriptor`].
macro_rules! formats {
    ($($(#[$doc:meta])* $variant:ident => $module:ident,)+) => {
        /// A lockfile (or manifest) format that [`parse`] understands.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Format {
            $($(#[$doc])* $variant,)+
        }

        impl Format {
            /// Every format, in a stable order.
            pub const ALL: [Format; [$(stringify!($variant)),+].len()] =
                [$(Format::$variant),+];

            /// Everything about this format.
            pub(crate) fn descriptor(self) -> &'static Descriptor {
                match self {
                    $(Format::$variant => &$module::DESCRIPTOR,)+
                }
            }
        }
    };
}

formats! {
    /// `Cargo.lock` (crates.io).
    CargoLock => cargo_lock,
    /// `package-lock.json` and `npm-shrinkwrap.json`, lockfile versions 1, 2 and 3 (npm).
    PackageLock => package_lock,
    /// `yarn.lock`, v1 and berry (npm).
    YarnLock => yarn_lock,
    /// `pnpm-lock.yaml`, lockfile versions 5.x, 6 and 9 (npm).
    PnpmLock => pnpm_lock,
    /// `bun.lock`, bun's text lockfile (JSON with trailing commas) (npm).
    BunLock => bun_lock,
    /// `requirements*.txt`, pinned `==` lines (PyPI).
    Requirements => requirements,
    /// `poetry.lock` (PyPI).
    PoetryLock => poetry_lock,
    /// `Pipfile.lock` (PyPI).
    PipfileLock => pipfile_lock,
    /// `uv.lock` (PyPI).
    UvLock => uv_lock,
    /// `pdm.lock` (PyPI).
    PdmLock => pdm_lock,
    /// `pylock.toml` and `pylock.<name>.toml`, PEP 751 (PyPI).
    Pylock => pylock,
    /// `go.mod` (Go).
    GoMod => go_mod,
    /// `Gemfile.lock` and `gems.locked` (RubyGems).
    GemfileLock => gemfile_lock,
    /// `composer.lock` (Packagist).
    ComposerLock => composer_lock,
    /// `pom.xml`, declared versions only (Maven).
    PomXml => pom_xml,
    /// `gradle.lockfile` (Maven).
    GradleLockfile => gradle_lockfile,
    /// `packages.lock.json` (NuGet).
    NugetLock => nuget_lock,
    /// `pubspec.lock` (Pub).
    PubspecLock => pubspec_lock,
    /// `mix.lock` (Hex).
    MixLock => mix_lock,
    /// `renv.lock` (CRAN).
    RenvLock => renv_lock,
    /// `conan.lock`, v1 graph locks and v2 (ConanCenter).
    ConanLock => conan_lock,
    /// `Package.resolved`, v1, v2 and v3 (SwiftURL).
    SwiftResolved => swift_resolved,
}

impl Format {
    /// The ecosystem of every package this format declares.
    pub fn ecosystem(self) -> Ecosystem {
        self.descriptor().ecosystem
    }

    /// A short human name for the format, as used in messages.
    pub fn name(self) -> &'static str {
        self.descriptor().name
    }

    /// What a user should do when a file of this format cannot be parsed.
    pub fn remedy(self) -> &'static str {
        self.descriptor().remedy
    }

    /// The syntax family of this format.
    pub fn family(self) -> Family {
        self.descriptor().family
    }
}

/// The syntax family a format is written in; the fuzz targets feed one input to every
/// parser of a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// JSON (and bun's JSON with trailing commas).
    Json,
    /// YAML.
    Yaml,
    /// TOML.
    Toml,
    /// Line-oriented text formats, and XML (`pom.xml`).
    Lines,
}

/// Fuzzing entry point: parses `data` (lossily decoded) with every parser of `family` and
/// checks the invariants every result must hold (it panics if one does not, which is what
/// a fuzzer looks for). Includes (requirements `-r`) resolve to the same input, so include
/// cycles are exercised too.
#[doc(hidden)]
pub fn fuzz_family(family: Family, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let line_count = text.lines().count().max(1);
    for format in Format::ALL.into_iter().filter(|f| f.family() == family) {
        let result = match format.descriptor().parser {
            Parser::Includes(parse_with_includes) => {
                let mut read = |_: &str| Some(text.to_string());
                parse_with_includes("dir/requirements.txt", &text, &mut read)
            }
            Parser::Text(_) => parse(format, "dir/lockfile", &text),
        };
        match result {
            Ok(packages) => {
                for p in packages {
                    assert!(!p.name.is_empty(), "{format}: empty name");
                    assert!(!p.version.is_empty(), "{format}: empty version");
                    assert!(
                        p.line >= 1 && p.line <= line_count,
                        "{format}: line {} of {line_count}",
                        p.line
                    );
                    assert_eq!(p.ecosystem, format.ecosystem());
                }
            }
            Err(e) => {
                assert!(
                    e.line.is_none_or(|l| l >= 1 && l <= line_count + 1),
                    "{format}: {e}"
                );
                assert!(!e.message.is_empty());
            }
        }
    }
    // Cargo.lock's line reader must read a file as the full TOML reading does, or give it up.
    if family == Family::Toml {
        if let Err(diff) = cargo_lock_line_reader_agrees(&text) {
            panic!("Cargo.lock line reader disagrees:\n{diff}");
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A lockfile that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockfileError {
    /// Path of the lockfile, relative to the scan root, with `/` separators.
    pub path: String,
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl fmt::Display for LockfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for LockfileError {}

/// Which format a file is, from its name alone. `None` for files that are not lockfiles.
/// A name listed by a format wins over a pattern of another.
pub fn detect(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_str()?;
    Format::ALL
        .into_iter()
        .find(|f| f.descriptor().file_names.contains(&name))
        .or_else(|| {
            Format::ALL
                .into_iter()
                .find(|f| f.descriptor().matches.is_some_and(|m| m(name, path)))
        })
}

/// Parses the text of a lockfile of the given format.
///
/// `rel_path` is the lockfile's path relative to the scan root, `/`-separated; it is copied
/// into every [`Package`] and error. Requirements `-r` includes are not followed here (there
/// is no file system); use [`parse_file`] or [`requirements::parse_with_includes`] for that.
pub fn parse(format: Format, rel_path: &str, content: &str) -> Result<Vec<Package>, LockfileError> {
    let ctx = Ctx {
        format,
        path: rel_path,
    };
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let packages = match format.descriptor().parser {
        Parser::Text(parse) => parse(&ctx, content),
        Parser::Includes(parse_with_includes) => {
            parse_with_includes(rel_path, content, &mut |_| None)
        }
    }?;
    Ok(finish(packages))
}

/// What every parser's packages go through: a package OSV cannot be asked about (belt and
/// braces: no name or version) is dropped, the rest ordered by line and merged ([`dedupe`]).
fn finish(mut packages: Vec<Package>) -> Vec<Package> {
    packages.retain(|p| !p.name.is_empty() && !p.version.is_empty());
    packages.sort_by_key(|p| p.line);
    dedupe(packages)
}

/// Merges packages declared more than once in the same file (same name and version, e.g. npm
/// packages installed at several paths, or a Pipfile.lock package in both sections): the
/// first declaration's line is kept; it is direct if any declaration is direct, and dev-only
/// only if every declaration that says so is dev-only. Order of first appearance is kept.
pub(crate) fn dedupe(packages: Vec<Package>) -> Vec<Package> {
    use std::collections::HashMap;
    let mut out: Vec<Package> = Vec::with_capacity(packages.len());
    let mut seen: HashMap<(String, String, String), usize> = HashMap::with_capacity(packages.len());
    for p in packages {
        let key = (p.path.clone(), p.name.clone(), p.version.clone());
        match seen.get(&key).and_then(|&i| out.get_mut(i)) {
            Some(first) => {
                first.direct = merge_flag(first.direct, p.direct, true);
                first.dev = merge_flag(first.dev, p.dev, false);
            }
            None => {
                seen.insert(key, out.len());
                out.push(p);
            }
        }
    }
    out
}

/// Combines two tri-state flags: `dominant` wins if either side has it, then the other known
/// value, then unknown.
fn merge_flag(a: Option<bool>, b: Option<bool>, dominant: bool) -> Option<bool> {
    match (a, b) {
        (Some(x), _) | (_, Some(x)) if x == dominant => Some(dominant),
        (Some(x), _) | (_, Some(x)) => Some(x),
        _ => None,
    }
}

/// Reads and parses the lockfile at `path` (absolute, or relative to the current directory),
/// reporting paths relative to `root`. The format comes from [`detect`]. Requirements `-r`
/// includes are read from the file system, relative to the including file, but never from
/// outside `root`.
pub fn parse_file(root: &Path, path: &Path) -> Result<Vec<Package>, LockfileError> {
    let rel = relative_slash_path(root, path);
    let format = detect(path).ok_or_else(|| LockfileError {
        path: rel.clone(),
        line: None,
        message: "not a lockfile this tool understands (unrecognised file name)".to_string(),
    })?;
    let content = read_text(path).map_err(|message| LockfileError {
        path: rel.clone(),
        line: None,
        message,
    })?;
    parse_in_tree(root, &rel, format, &content)
}

/// Parses lockfile text already read by the walker. `root` is the scan root, so that
/// includes (requirements `-r`) can be read (never from outside the root).
pub fn parse_in_tree(
    root: &Path,
    rel: &str,
    format: Format,
    content: &str,
) -> Result<Vec<Package>, LockfileError> {
    if let Parser::Includes(parse_with_includes) = format.descriptor().parser {
        let mut read = |included: &str| -> Option<String> {
            // `included` is already normalised (no `..` above the root).
            read_text(&root.join(included)).ok()
        };
        return parse_with_includes(rel, content, &mut read);
    }
    parse(format, rel, content)
}

/// Reads a file as UTF-8 text (lossily: a stray invalid byte should not hide a whole file).
fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// `path` relative to `root`, `/`-separated. Falls back to the path as given when it is not
/// under `root`.
fn relative_slash_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_string()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

/// What every parser needs: the file it is parsing (for packages and errors) and its format.
pub(crate) struct Ctx<'a> {
    pub format: Format,
    pub path: &'a str,
}

impl Ctx<'_> {
    /// A package of this format's ecosystem, declared at `line` of this file.
    pub fn package(
        &self,
        name: impl Into<String>,
        version: impl Into<String>,
        line: usize,
    ) -> Package {
        Package {
            ecosystem: self.format.ecosystem(),
            name: name.into(),
            version: version.into(),
            path: self.path.to_string(),
            line,
            direct: None,
            dev: None,
        }
    }

    /// An error at `line` (if known), with this format's remedy appended.
    pub fn error(&self, line: Option<usize>, what: impl fmt::Display) -> LockfileError {
        LockfileError {
            path: self.path.to_string(),
            line,
            message: format!(
                "invalid {}: {}; {}",
                self.format.name(),
                what,
                self.format.remedy()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The descriptors agree with each other: a file name is listed by one format only, no
    /// format's pattern claims a name another format lists (so detection does not depend on
    /// the order of the list), and every format detects its own name.
    #[test]
    fn descriptors_are_consistent() {
        let mut listed = std::collections::HashMap::new();
        for format in Format::ALL {
            for name in format.descriptor().file_names {
                assert_eq!(listed.insert(*name, format), None, "{name} listed twice");
            }
        }
        for format in Format::ALL {
            let d = format.descriptor();
            if let Some(matches) = d.matches {
                for name in listed.keys() {
                    assert!(!matches(name, Path::new(name)), "{format} matches {name}");
                }
            }
            assert_eq!(detect(Path::new(d.name)), Some(format), "{format}");
            assert!(!d.remedy.is_empty(), "{format}");
        }
    }
}
