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
//! # Conventions shared by every parser
//!
//! * **Lines.** For JSON formats the line is that of the object key that declares the package
//!   (`"node_modules/foo": {`), or of the array element / object when there is no key. For TOML
//!   formats (`[[package]]` tables) it is the line of the package's `name =` key, which is
//!   exact even when a `[[package]]` header is followed by comments or other keys. For YAML
//!   formats it is the line of the key in the packages map. For line formats it is the line
//!   where the entry starts.
//! * **Names** are what OSV expects: PEP 503-normalised for PyPI, `group:artifact` for Maven,
//!   the module path for Go, `@scope/name` for npm.
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

use crate::package::{Ecosystem, Package};
use std::fmt;
use std::path::{Component, Path};

/// A lockfile (or manifest) format that [`parse`] understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// `Cargo.lock` (crates.io).
    CargoLock,
    /// `package-lock.json` and `npm-shrinkwrap.json`, lockfile versions 1, 2 and 3 (npm).
    PackageLock,
    /// `yarn.lock`, v1 and berry (npm).
    YarnLock,
    /// `pnpm-lock.yaml`, lockfile versions 5.x, 6 and 9 (npm).
    PnpmLock,
    /// `bun.lock`, bun's text lockfile (JSON with trailing commas) (npm).
    BunLock,
    /// `requirements*.txt`, pinned `==` lines (PyPI).
    Requirements,
    /// `poetry.lock` (PyPI).
    PoetryLock,
    /// `Pipfile.lock` (PyPI).
    PipfileLock,
    /// `uv.lock` (PyPI).
    UvLock,
    /// `pdm.lock` (PyPI).
    PdmLock,
    /// `pylock.toml` and `pylock.<name>.toml`, PEP 751 (PyPI).
    Pylock,
    /// `go.mod` (Go).
    GoMod,
    /// `Gemfile.lock` and `gems.locked` (RubyGems).
    GemfileLock,
    /// `composer.lock` (Packagist).
    ComposerLock,
    /// `pom.xml`, declared versions only (Maven).
    PomXml,
    /// `gradle.lockfile` (Maven).
    GradleLockfile,
    /// `packages.lock.json` (NuGet).
    NugetLock,
    /// `pubspec.lock` (Pub).
    PubspecLock,
    /// `mix.lock` (Hex).
    MixLock,
    /// `renv.lock` (CRAN).
    RenvLock,
    /// `conan.lock`, v1 graph locks and v2 (ConanCenter).
    ConanLock,
    /// `Package.resolved`, v1, v2 and v3 (SwiftURL).
    SwiftResolved,
}

impl Format {
    /// Every format, in a stable order.
    pub const ALL: [Format; 22] = [
        Format::CargoLock,
        Format::PackageLock,
        Format::YarnLock,
        Format::PnpmLock,
        Format::BunLock,
        Format::Requirements,
        Format::PoetryLock,
        Format::PipfileLock,
        Format::UvLock,
        Format::PdmLock,
        Format::Pylock,
        Format::GoMod,
        Format::GemfileLock,
        Format::ComposerLock,
        Format::PomXml,
        Format::GradleLockfile,
        Format::NugetLock,
        Format::PubspecLock,
        Format::MixLock,
        Format::RenvLock,
        Format::ConanLock,
        Format::SwiftResolved,
    ];

    /// The ecosystem of every package this format declares.
    pub fn ecosystem(self) -> Ecosystem {
        match self {
            Format::CargoLock => Ecosystem::CratesIo,
            Format::PackageLock | Format::YarnLock | Format::PnpmLock | Format::BunLock => {
                Ecosystem::Npm
            }
            Format::Requirements
            | Format::PoetryLock
            | Format::PipfileLock
            | Format::UvLock
            | Format::PdmLock
            | Format::Pylock => Ecosystem::PyPI,
            Format::GoMod => Ecosystem::Go,
            Format::GemfileLock => Ecosystem::RubyGems,
            Format::ComposerLock => Ecosystem::Packagist,
            Format::PomXml | Format::GradleLockfile => Ecosystem::Maven,
            Format::NugetLock => Ecosystem::NuGet,
            Format::PubspecLock => Ecosystem::Pub,
            Format::MixLock => Ecosystem::Hex,
            Format::RenvLock => Ecosystem::Cran,
            Format::ConanLock => Ecosystem::ConanCenter,
            Format::SwiftResolved => Ecosystem::SwiftUrl,
        }
    }

    /// A short human name for the format, as used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::CargoLock => "Cargo.lock",
            Format::PackageLock => "package-lock.json",
            Format::YarnLock => "yarn.lock",
            Format::PnpmLock => "pnpm-lock.yaml",
            Format::BunLock => "bun.lock",
            Format::Requirements => "requirements.txt",
            Format::PoetryLock => "poetry.lock",
            Format::PipfileLock => "Pipfile.lock",
            Format::UvLock => "uv.lock",
            Format::PdmLock => "pdm.lock",
            Format::Pylock => "pylock.toml",
            Format::GoMod => "go.mod",
            Format::GemfileLock => "Gemfile.lock",
            Format::ComposerLock => "composer.lock",
            Format::PomXml => "pom.xml",
            Format::GradleLockfile => "gradle.lockfile",
            Format::NugetLock => "packages.lock.json",
            Format::PubspecLock => "pubspec.lock",
            Format::MixLock => "mix.lock",
            Format::RenvLock => "renv.lock",
            Format::ConanLock => "conan.lock",
            Format::SwiftResolved => "Package.resolved",
        }
    }

    /// What a user should do when a file of this format cannot be parsed.
    pub fn remedy(self) -> &'static str {
        match self {
            Format::CargoLock => "regenerate it with `cargo generate-lockfile`",
            Format::PackageLock => "regenerate it with `npm install --package-lock-only`",
            Format::YarnLock => "regenerate it with `yarn install`",
            Format::PnpmLock => "regenerate it with `pnpm install --lockfile-only`",
            Format::BunLock => "regenerate it with `bun install --save-text-lockfile`",
            Format::Requirements => {
                "fix the line (one requirement per line, e.g. `name==1.2.3`), or regenerate it with `pip freeze` / `pip-compile`"
            }
            Format::PoetryLock => "regenerate it with `poetry lock`",
            Format::PipfileLock => "regenerate it with `pipenv lock`",
            Format::UvLock => "regenerate it with `uv lock`",
            Format::PdmLock => "regenerate it with `pdm lock`",
            Format::Pylock => "regenerate it with your installer's lock command (e.g. `pip lock` or `uv export -o pylock.toml`)",
            Format::GoMod => "fix it, then check it with `go mod tidy`",
            Format::GemfileLock => "regenerate it with `bundle lock`",
            Format::ComposerLock => "regenerate it with `composer update --lock`",
            Format::PomXml => "fix the XML (check it with `mvn validate`)",
            Format::GradleLockfile => "regenerate it with `gradle dependencies --write-locks`",
            Format::NugetLock => "regenerate it with `dotnet restore --force-evaluate`",
            Format::PubspecLock => "regenerate it with `dart pub get` (or `flutter pub get`)",
            Format::MixLock => "regenerate it with `mix deps.get`",
            Format::RenvLock => "regenerate it with `renv::snapshot()`",
            Format::ConanLock => "regenerate it with `conan lock create`",
            Format::SwiftResolved => "regenerate it with `swift package resolve`",
        }
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

impl Format {
    /// The syntax family of this format.
    pub fn family(self) -> Family {
        match self {
            Format::PackageLock
            | Format::BunLock
            | Format::PipfileLock
            | Format::ComposerLock
            | Format::NugetLock
            | Format::RenvLock
            | Format::ConanLock
            | Format::SwiftResolved => Family::Json,
            Format::PnpmLock | Format::PubspecLock => Family::Yaml,
            Format::CargoLock
            | Format::PoetryLock
            | Format::UvLock
            | Format::PdmLock
            | Format::Pylock => Family::Toml,
            Format::YarnLock
            | Format::Requirements
            | Format::GoMod
            | Format::GemfileLock
            | Format::GradleLockfile
            | Format::MixLock
            | Format::PomXml => Family::Lines,
        }
    }
}

/// Fuzzing entry point: parses `data` (lossily decoded) with every parser of `family` and
/// checks the invariants every result must hold (it panics if one does not, which is what
/// a fuzzer looks for). Requirements includes resolve to the same input, so include cycles
/// are exercised too.
#[doc(hidden)]
pub fn fuzz_family(family: Family, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let line_count = text.lines().count().max(1);
    for format in Format::ALL.into_iter().filter(|f| f.family() == family) {
        let result = if format == Format::Requirements {
            let mut read = |_: &str| Some(text.to_string());
            requirements::parse_with_includes("dir/requirements.txt", &text, &mut read)
        } else {
            parse(format, "dir/lockfile", &text)
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
pub fn detect(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_str()?;
    let format = match name {
        "Cargo.lock" => Format::CargoLock,
        "package-lock.json" | "npm-shrinkwrap.json" => Format::PackageLock,
        "yarn.lock" => Format::YarnLock,
        "pnpm-lock.yaml" => Format::PnpmLock,
        "bun.lock" => Format::BunLock,
        "poetry.lock" => Format::PoetryLock,
        "Pipfile.lock" => Format::PipfileLock,
        "uv.lock" => Format::UvLock,
        "pdm.lock" => Format::PdmLock,
        "pylock.toml" => Format::Pylock,
        "go.mod" => Format::GoMod,
        "Gemfile.lock" | "gems.locked" => Format::GemfileLock,
        "composer.lock" => Format::ComposerLock,
        "pom.xml" => Format::PomXml,
        "gradle.lockfile" => Format::GradleLockfile,
        "packages.lock.json" => Format::NugetLock,
        "pubspec.lock" => Format::PubspecLock,
        "mix.lock" => Format::MixLock,
        "renv.lock" => Format::RenvLock,
        "conan.lock" => Format::ConanLock,
        "Package.resolved" => Format::SwiftResolved,
        _ => {
            // `pylock.<name>.toml` (PEP 751 named lockfiles).
            if let Some(middle) = name
                .strip_prefix("pylock.")
                .and_then(|rest| rest.strip_suffix(".toml"))
            {
                if !middle.is_empty() && !middle.contains('.') {
                    return Some(Format::Pylock);
                }
                return None;
            }
            // `requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`,
            // `test_requirements.txt`, and any `.txt` inside a `requirements/` folder.
            let lower = name.to_ascii_lowercase();
            if lower.ends_with(".txt") {
                if lower.contains("requirements") {
                    return Some(Format::Requirements);
                }
                let parent = path
                    .parent()
                    .and_then(|p| p.file_name())
                    .and_then(|p| p.to_str());
                if parent == Some("requirements") {
                    return Some(Format::Requirements);
                }
            }
            return None;
        }
    };
    Some(format)
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
    let packages = match format {
        Format::CargoLock => cargo_lock::parse(&ctx, content),
        Format::PackageLock => package_lock::parse(&ctx, content),
        Format::YarnLock => yarn_lock::parse(&ctx, content),
        Format::PnpmLock => pnpm_lock::parse(&ctx, content),
        Format::BunLock => bun_lock::parse(&ctx, content),
        Format::Requirements => requirements::parse_with_includes(rel_path, content, &mut |_| None),
        Format::PoetryLock => poetry_lock::parse(&ctx, content),
        Format::PipfileLock => pipfile_lock::parse(&ctx, content),
        Format::UvLock => uv_lock::parse(&ctx, content),
        Format::PdmLock => pdm_lock::parse(&ctx, content),
        Format::Pylock => pylock::parse(&ctx, content),
        Format::GoMod => go_mod::parse(&ctx, content),
        Format::GemfileLock => gemfile_lock::parse(&ctx, content),
        Format::ComposerLock => composer_lock::parse(&ctx, content),
        Format::PomXml => pom_xml::parse(&ctx, content),
        Format::GradleLockfile => gradle_lockfile::parse(&ctx, content),
        Format::NugetLock => nuget_lock::parse(&ctx, content),
        Format::PubspecLock => pubspec_lock::parse(&ctx, content),
        Format::MixLock => mix_lock::parse(&ctx, content),
        Format::RenvLock => renv_lock::parse(&ctx, content),
        Format::ConanLock => conan_lock::parse(&ctx, content),
        Format::SwiftResolved => swift_resolved::parse(&ctx, content),
    }?;
    let mut packages = packages;
    // Belt and braces: a package OSV cannot be asked about is no package.
    packages.retain(|p| !p.name.is_empty() && !p.version.is_empty());
    packages.sort_by_key(|p| p.line);
    Ok(dedupe(packages))
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
/// requirements `-r` includes can be read (never from outside the root).
pub fn parse_in_tree(
    root: &Path,
    rel: &str,
    format: Format,
    content: &str,
) -> Result<Vec<Package>, LockfileError> {
    if format == Format::Requirements {
        let mut read = |included: &str| -> Option<String> {
            // `included` is already normalised (no `..` above the root).
            read_text(&root.join(included)).ok()
        };
        return requirements::parse_with_includes(rel, content, &mut read);
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
