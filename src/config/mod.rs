//! `.hygiene.toml`: per-repository settings, read from the scan root (or `--config FILE`).
//!
//! ```toml
//! [secrets]
//! disable = ["generic-password"]       # rule ids (content rules or sensitive-file-*)
//!
//! [[secrets.rules]]                     # extra rules, same schema as patterns/*.toml
//! id = "acme-internal-token"
//! # ...
//!
//! [allow]
//! paths = ["fixtures/**", "*.snap"]     # globs over the path relative to the scan root
//! regexes = ['''^AKIA[0-9A-Z]{12}TEST$''']  # matched against the secret value
//! stopwords = ["dummy", "sandbox"]      # case-insensitive substrings of the secret value
//!
//! [deps]                                # owned by the dependency checks (see there)
//! ```
//!
//! Unknown keys are errors that name the file and the key, so a typo never silently turns an
//! allowlist off. The `[deps]` table is the exception: it belongs to the dependency half, which
//! validates it itself, so here it is kept as an opaque TOML value.
//!
//! A gitleaks configuration is read too (see [`gitleaks`]): the one `--gitleaks-config` names,
//! or `.gitleaks.toml` at the scan root when neither `--config` nor a `.hygiene.toml` is there.

pub mod gitleaks;
pub mod init;

use crate::error::{Error, ErrorKind};
use crate::secrets::filter::SecretAllow;
use crate::secrets::RuleSpec;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The file looked for at the scan root.
pub const CONFIG_FILE: &str = ".hygiene.toml";

/// The whole configuration file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub secrets: SecretsConfig,
    #[serde(default)]
    pub allow: AllowConfig,
    /// The dependency checks' section, validated by them; opaque here.
    #[serde(default)]
    pub deps: Option<toml::Value>,
    #[serde(default)]
    pub validate: ValidateConfig,
}

/// `[validate]`: whether `scan --validate` may ask providers about found secrets.
///
/// Only a switch, on purpose: where requests go is fixed by the rule files, so a repository's
/// configuration can turn validation off (an organisation that forbids contacting providers
/// from CI) but never point it anywhere.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidateConfig {
    /// `false`: `scan --validate` is refused with a usage error (exit 2).
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// `[secrets]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretsConfig {
    /// Rule ids to turn off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Extra rules, in the rule-file schema.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
}

/// `[allow]`: what is never reported.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowConfig {
    /// Globs over the relative path; a plain directory name covers everything under it.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Regexes over the secret value.
    #[serde(default)]
    pub regexes: Vec<String>,
    /// Case-insensitive substrings of the secret value.
    #[serde(default)]
    pub stopwords: Vec<String>,
}

/// A configuration with the file it came from (for error messages and rule provenance).
#[derive(Debug, Default, Clone)]
pub struct Loaded {
    pub config: Config,
    pub source: Option<PathBuf>,
    /// A gitleaks configuration's rules and allowlists, translated.
    pub gitleaks: Option<gitleaks::Import>,
}

impl Loaded {
    /// Where the config came from, for messages (`.hygiene.toml` when there was none).
    pub fn name(&self) -> String {
        self.source
            .as_ref()
            .map_or_else(|| CONFIG_FILE.to_string(), |p| p.display().to_string())
    }
}

/// Parses the configuration text of `file`.
pub fn parse(file: &Path, text: &str) -> Result<Config, Error> {
    toml::from_str(text).map_err(|e| {
        Error::config(format!(
            "{}: invalid configuration: {}",
            file.display(),
            crate::error::toml_error(text, &e)
        ))
    })
}

impl Loaded {
    /// Whether hygiene's built-in content rules run: always, unless a gitleaks configuration
    /// without `extend.useDefault` replaces them (as it replaces gitleaks' own defaults).
    pub fn builtin_rules(&self) -> bool {
        self.gitleaks.as_ref().is_none_or(|g| g.use_default)
    }

    /// The conditional allowlist entries (from a gitleaks configuration).
    pub fn allow_entries(&self) -> &[crate::secrets::allow::AllowEntry] {
        self.gitleaks.as_ref().map_or(&[], |g| &g.entries)
    }
}

/// Reads `explicit` if given (it must exist), else `root/.hygiene.toml` if present, else an
/// empty configuration; then the gitleaks configuration `gitleaks_file` if given, else
/// `root/.gitleaks.toml` when there was no hygiene configuration.
pub fn load(
    root: &Path,
    explicit: Option<&Path>,
    gitleaks_file: Option<&Path>,
) -> Result<Loaded, Error> {
    let mut loaded = load_hygiene(root, explicit)?;
    let gitleaks_file = match gitleaks_file {
        Some(p) => Some(p.to_path_buf()),
        None if loaded.source.is_none() => {
            let p = root.join(gitleaks::GITLEAKS_FILE);
            (root.is_dir() && p.is_file()).then_some(p)
        }
        None => None,
    };
    if let Some(file) = gitleaks_file {
        let builtin = crate::secrets::rule::builtin_rule_ids();
        loaded.gitleaks = Some(gitleaks::load(&file, &builtin)?);
    }
    Ok(loaded)
}

fn load_hygiene(root: &Path, explicit: Option<&Path>) -> Result<Loaded, Error> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = root.join(CONFIG_FILE);
            if !root.is_dir() || !p.is_file() {
                return Ok(Loaded::default());
            }
            p
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::with_source(
            ErrorKind::Config,
            format!("cannot read {}", path.display()),
            e,
        )
    })?;
    Ok(Loaded {
        config: parse(&path, &text)?,
        source: Some(path),
        gitleaks: None,
    })
}

/// `[allow]` compiled.
#[derive(Debug, Clone, Default)]
pub struct Allowlist {
    pub paths: Option<GlobSet>,
    pub secrets: SecretAllow,
}

impl Allowlist {
    /// Whether findings in `rel` are never reported.
    pub fn path_allowed(&self, rel: &str) -> bool {
        self.paths.as_ref().is_some_and(|g| g.is_match(rel))
    }
}

/// Compiles `[allow]`, naming the key and entry of any bad glob or regex.
/// Whether an allowlist regex would match every secret: it matches the empty string and
/// unrelated strings alike (`""`, `a*`, `.*`, `(x|)`). Such an entry is a mistake that would
/// turn the scan off without a word; the configuration is refused instead.
pub fn matches_everything(re: &regex::Regex) -> bool {
    ["", "x", "any-secret-value", "Z9/+=\n0"]
        .iter()
        .all(|s| re.is_match(s))
}

pub fn compile_allow(loaded: &Loaded) -> Result<Allowlist, Error> {
    let allow = &loaded.config.allow;
    let err = |key: &str, i: usize, msg: String| {
        Error::config(format!("{}: allow.{key}[{i}]: {msg}", loaded.name()))
    };
    let paths = if allow.paths.is_empty() {
        None
    } else {
        let mut b = GlobSetBuilder::new();
        for (i, p) in allow.paths.iter().enumerate() {
            let p = p.trim_start_matches("./");
            let trimmed = p.trim_end_matches('/');
            if trimmed.is_empty() || trimmed.chars().all(|c| c == '*') {
                return Err(err(
                    "paths",
                    i,
                    "would skip every file; name the directories or files to skip".into(),
                ));
            }
            let glob = Glob::new(trimmed).map_err(|e| err("paths", i, format!("bad glob: {e}")))?;
            b.add(glob);
            // A directory name covers everything under it.
            b.add(
                Glob::new(&format!("{trimmed}/**"))
                    .map_err(|e| err("paths", i, format!("bad glob: {e}")))?,
            );
        }
        Some(
            b.build()
                .map_err(|e| Error::config(format!("{}: allow.paths: {e}", loaded.name())))?,
        )
    };
    let regexes = allow
        .regexes
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let re = regex::Regex::new(r)
                .map_err(|e| err("regexes", i, format!("invalid regex: {e}")))?;
            match matches_everything(&re) {
                true => Err(err(
                    "regexes",
                    i,
                    "matches the empty string, so it would allow every secret; anchor it to \
                     what the allowed secrets look like"
                        .into(),
                )),
                false => Ok(re),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(i) = allow.stopwords.iter().position(|w| w.trim().is_empty()) {
        return Err(err(
            "stopwords",
            i,
            "is empty, so it would allow every secret; remove it".into(),
        ));
    }
    Ok(Allowlist {
        paths,
        secrets: SecretAllow {
            regexes,
            stopwords: allow.stopwords.iter().map(|s| s.to_lowercase()).collect(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_named() {
        let e = parse(Path::new("x/.hygiene.toml"), "[allow]\npath = []\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("x/.hygiene.toml"), "{e}");
        assert!(e.contains("path"), "{e}");
    }

    #[test]
    fn deps_section_is_left_to_its_owner() {
        let c = parse(
            Path::new(".hygiene.toml"),
            "[[deps.ignore]]\nid = \"GHSA-xxxx\"\nreason = \"not reachable\"\n",
        )
        .unwrap();
        assert!(c.deps.is_some());
    }

    #[test]
    fn directory_globs_cover_their_contents() {
        let loaded = Loaded {
            config: parse(
                Path::new("c"),
                "[allow]\npaths = [\"fixtures\", \"*.snap\", \"docs/**/*.md\"]\n",
            )
            .unwrap(),
            source: None,
            gitleaks: None,
        };
        let a = compile_allow(&loaded).unwrap();
        assert!(a.path_allowed("fixtures/a/b.txt"));
        assert!(a.path_allowed("src/x.snap"));
        assert!(a.path_allowed("docs/a/b.md"));
        assert!(!a.path_allowed("src/main.rs"));
    }
}
