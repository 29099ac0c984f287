//! The package a lockfile declares: what the dependency half of the scan works on.
//!
//! A bottom-layer data type: findings, the scan outcome, the lockfile parsers and the OSV
//! matcher all use it, and it uses none of them. What a package's name means in its
//! ecosystem (such as [`normalise_pypi_name`]) lives here too, so that a parser writing a
//! name and the matcher comparing one share a single definition.

use serde::Serialize;
use std::fmt;

/// A package ecosystem, spelled as OSV spells it (`crates.io`, `PyPI`, ...), because these
/// names go straight into OSV queries and the offline database layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Ecosystem {
    #[serde(rename = "crates.io")]
    CratesIo,
    #[serde(rename = "npm")]
    Npm,
    #[serde(rename = "PyPI")]
    PyPI,
    #[serde(rename = "Go")]
    Go,
    #[serde(rename = "RubyGems")]
    RubyGems,
    #[serde(rename = "Packagist")]
    Packagist,
    #[serde(rename = "Maven")]
    Maven,
    #[serde(rename = "NuGet")]
    NuGet,
    #[serde(rename = "Pub")]
    Pub,
    #[serde(rename = "Hex")]
    Hex,
    #[serde(rename = "CRAN")]
    Cran,
    #[serde(rename = "ConanCenter")]
    ConanCenter,
    #[serde(rename = "SwiftURL")]
    SwiftUrl,
}

impl Ecosystem {
    /// Every ecosystem, in a stable order.
    pub const ALL: [Ecosystem; 13] = [
        Ecosystem::CratesIo,
        Ecosystem::Npm,
        Ecosystem::PyPI,
        Ecosystem::Go,
        Ecosystem::RubyGems,
        Ecosystem::Packagist,
        Ecosystem::Maven,
        Ecosystem::NuGet,
        Ecosystem::Pub,
        Ecosystem::Hex,
        Ecosystem::Cran,
        Ecosystem::ConanCenter,
        Ecosystem::SwiftUrl,
    ];

    /// The name OSV uses for this ecosystem.
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Go => "Go",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::Maven => "Maven",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::Pub => "Pub",
            Ecosystem::Hex => "Hex",
            Ecosystem::Cran => "CRAN",
            Ecosystem::ConanCenter => "ConanCenter",
            Ecosystem::SwiftUrl => "SwiftURL",
        }
    }

    /// Parses an OSV ecosystem name. OSV ecosystems may carry a suffix (`Debian:12`); only the
    /// part before `:` is looked at. Case-insensitive so users can type `pypi`.
    pub fn from_osv(name: &str) -> Option<Ecosystem> {
        let base = name.split(':').next().unwrap_or(name);
        Ecosystem::ALL
            .into_iter()
            .find(|e| e.as_str().eq_ignore_ascii_case(base))
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One package version that a lockfile declares.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Package {
    pub ecosystem: Ecosystem,
    /// Name as OSV expects it (PEP 503-normalised for PyPI, `group:artifact` for Maven, ...).
    pub name: String,
    /// The exact version, as written in the lockfile (a Go `v` prefix is kept).
    pub version: String,
    /// Path of the lockfile, relative to the scan root, with `/` separators.
    pub path: String,
    /// 1-based line in the lockfile where the package is declared.
    pub line: usize,
    /// `Some(true)` for a direct dependency, `Some(false)` for a transitive one, `None` where
    /// the format does not tell.
    pub direct: Option<bool>,
    /// `Some(true)` for a dev/test/optional-only dependency, `None` where the format does not
    /// tell.
    pub dev: Option<bool>,
}

/// The PyPI name normalisation (PEP 503): lowercase, and every run of `-`, `_` and `.` becomes
/// one `-` (surrounding whitespace is dropped). This is how OSV's PyPI ecosystem spells
/// names, so PyPI parsers store names this way and the matcher compares them this way.
pub fn normalise_pypi_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_sep {
                out.push('-');
            }
            in_sep = true;
        } else {
            out.extend(c.to_lowercase());
            in_sep = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypi_names_are_normalised() {
        assert_eq!(normalise_pypi_name("Foo.Bar__baz"), "foo-bar-baz");
        assert_eq!(
            normalise_pypi_name("combination-._-.also_-._valid"),
            "combination-also-valid"
        );
        assert_eq!(normalise_pypi_name("  PyYAML "), "pyyaml");
    }
}
