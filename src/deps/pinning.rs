//! Pinning: whether a project fixes the exact versions it installs. Pure functions over paths
//! and text; the scan pipeline feeds them what the working-tree walk saw and turns their
//! answers into `hygiene` findings (`unpinned-requirement`, `manifest-without-lockfile`,
//! `lockfile-gitignored`).
//!
//! # Requirements files
//!
//! [`unpinned_requirements`] reads a `requirements*.txt` line by line (`\`-continuations
//! joined, `#` comments dropped, as pip reads it). A requirement is pinned when one of its
//! version clauses is `==` with an exact version (no `.*` wildcard) or `===` (arbitrary
//! equality); `>=`, `~=`, `<`, `!=`, `==1.*` or no specifier at all are unpinned. `--hash=`
//! does not pin by itself: pip's hash-checking mode refuses a requirement without `==`
//! anyway, so a hashed but ranged line is reported. Options (`-r`, `-c`, `-e`, `-i`,
//! `--index-url`, ...) are not requirements. A direct URL to an archive or wheel names one
//! file and counts as pinned; a VCS URL (`git+https://…@ref`) is pinned only by a full commit
//! id (40 or 64 hex digits), because a branch, a tag or a short id can move or become
//! ambiguous — pip itself treats only a full commit id as immutable (it caches wheels built
//! from VCS URLs only then). Local paths (`.`, `./pkg`, `-e .`) are the project's own code
//! and are not reported.
//!
//! # Manifests and lockfiles
//!
//! A manifest without a lockfile resolves its version ranges afresh on every install. But a
//! library is installed into someone else's project, whose lockfile decides, and by its
//! ecosystem's convention ships without one; flagging libraries would flag most of the
//! registry. So only applications (and workspace roots) need a lockfile. [`assess`] decides
//! from the manifest's text, with these rules:
//!
//! | manifest | needs a lockfile when | lockfiles accepted |
//! |---|---|---|
//! | `package.json` | `"private": true`, or `"workspaces"`, or no `main`/`exports`/`module` entry (nothing to import: an application); and it declares dependencies | `package-lock.json`, `npm-shrinkwrap.json`, `yarn.lock`, `pnpm-lock.yaml`, `bun.lock`, `bun.lockb` |
//! | `Cargo.toml` | `[workspace]`, or a `[package]` with a binary target (`[[bin]]`, `src/main.rs`, `src/bin/*.rs`) and dependencies | `Cargo.lock` |
//! | `pyproject.toml` | `[tool.poetry]` / `[tool.pdm]` (more than its `build` settings) / `[tool.uv]`; a plain PEP 621 project (a library, or an application pinned some other way) is not flagged | `poetry.lock` / `pdm.lock` / `uv.lock`, or a PEP 751 `pylock*.toml` |
//! | `Pipfile` | always (Pipenv is an application tool) | `Pipfile.lock` |
//! | `Gemfile` / `gems.rb` | it has `gem` lines and no `*.gemspec` beside it (a gem is a library) | `Gemfile.lock` / `gems.locked` |
//! | `composer.json` | `"type"` is absent or `"project"` (any other type — `library`, a plugin, a bundle — is a published package), and it requires more than PHP and its extensions | `composer.lock` |
//! | `go.mod` | it has `require` lines | `go.sum` |
//!
//! A manifest with nothing to lock (no dependencies) is not flagged. npm, Cargo and uv
//! workspaces keep one lockfile at the workspace root: a lockfile in an ancestor directory
//! covers a member, and a member under a workspace root is left to the root's verdict (one
//! finding, not one per member). Manifests under `node_modules/` are installed packages, not
//! the project's, and are skipped.

use super::lockfile::requirements::{logical_lines, strip_comment};
use std::collections::BTreeSet;

/// One unpinned requirement of a requirements file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpinned {
    /// 1-based line where the requirement starts.
    pub line: usize,
    /// The requirement's name as written (or the URL, for a VCS requirement without a name).
    pub name: String,
    /// The requirement as written, without comments, options or markers.
    pub requirement: String,
    /// Why it does not pin one version, for the message.
    pub reason: &'static str,
}

/// The requirements of a requirements file's `text` that do not pin one version.
pub fn unpinned_requirements(text: &str) -> Vec<Unpinned> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for (line, logical) in logical_lines(text) {
        let body = strip_comment(&logical).trim();
        if body.is_empty() {
            continue;
        }
        if let Some(u) = check_line(body) {
            out.push(Unpinned {
                line,
                name: u.0,
                requirement: u.1,
                reason: u.2,
            });
        }
    }
    out
}

/// (name, requirement, reason) when the line is an unpinned requirement.
fn check_line(line: &str) -> Option<(String, String, &'static str)> {
    // `-e URL` / `--editable URL` installs that URL: judged like a URL requirement. Every
    // other option installs nothing by itself.
    let line = if let Some(rest) = line
        .strip_prefix("--editable")
        .or_else(|| line.strip_prefix("-e"))
    {
        let target = rest.trim_start_matches('=').trim();
        if !is_vcs(target) {
            return None; // a local path: the project's own code
        }
        target
    } else if line.starts_with('-') {
        return None;
    } else {
        line
    };
    // Per-requirement options (` --hash=...`) follow the requirement after whitespace.
    let requirement = line
        .split(" -")
        .next()
        .unwrap_or(line)
        .trim()
        .trim_end_matches('\\')
        .trim();
    if requirement.is_empty() {
        return None;
    }
    if is_url(requirement) {
        return url_unpinned(requirement)
            .map(|reason| (egg_name(requirement), requirement.to_string(), reason));
    }
    if is_local_path(requirement) {
        return None;
    }
    // PEP 508: `name [extras] (specifiers | @ url) [; markers]`.
    let without_markers = requirement.split(';').next().unwrap_or(requirement).trim();
    let name_end = without_markers
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(without_markers.len());
    let name = without_markers.get(..name_end).unwrap_or_default();
    if name.is_empty() {
        return None; // not a requirement pip would read; the lockfile parser ignores it too
    }
    let mut rest = without_markers.get(name_end..).unwrap_or_default().trim();
    if let Some(after) = rest.strip_prefix('[') {
        rest = after
            .find(']')
            .and_then(|i| after.get(i + 1..))
            .unwrap_or_default()
            .trim();
    }
    if let Some(url) = rest.strip_prefix('@') {
        let url = url.trim();
        return url_unpinned(url).map(|reason| (name.to_string(), requirement.to_string(), reason));
    }
    let rest = rest.trim_start_matches('(').trim_end_matches(')');
    if rest.trim().is_empty() {
        return Some((
            name.to_string(),
            requirement.to_string(),
            "no version specifier: any version may be installed",
        ));
    }
    let pinned = rest.split(',').any(|clause| {
        let clause = clause.trim();
        if clause.starts_with("===") {
            return true;
        }
        clause
            .strip_prefix("==")
            .map(str::trim)
            .is_some_and(|v| !v.is_empty() && !v.contains('*'))
    });
    match pinned {
        true => None,
        false => Some((
            name.to_string(),
            requirement.to_string(),
            "a version range, not one exact version (`==`)",
        )),
    }
}

const VCS_SCHEMES: [&str; 4] = ["git+", "hg+", "svn+", "bzr+"];

fn is_vcs(s: &str) -> bool {
    VCS_SCHEMES.iter().any(|p| s.starts_with(p))
}

fn is_url(s: &str) -> bool {
    is_vcs(s) || s.starts_with("https://") || s.starts_with("http://") || s.starts_with("file:")
}

fn is_local_path(s: &str) -> bool {
    s == "." || s.starts_with("./") || s.starts_with("../") || s.starts_with('/')
}

/// Why a URL does not pin one thing, if it does not: a VCS URL without a full commit id. An
/// archive or wheel URL names one file; a `file:` URL is local code.
fn url_unpinned(url: &str) -> Option<&'static str> {
    if !is_vcs(url) {
        return None;
    }
    let before_fragment = url.split('#').next().unwrap_or(url);
    // The ref follows the last `@` of the path (an `@` before the host is a user name).
    let path_start = before_fragment
        .find("://")
        .map_or(0, |i| i + 3)
        .min(before_fragment.len());
    let path = before_fragment.get(path_start..).unwrap_or_default();
    let path = path
        .get(path.find('/').unwrap_or(path.len())..)
        .unwrap_or_default();
    let reference = path.rsplit_once('@').map(|(_, r)| r);
    match reference {
        Some(r) if is_full_commit(r) => None,
        Some(_) => Some("a VCS branch or tag, which can move; pin a full commit id"),
        None => Some("a VCS URL without a commit id: it installs whatever the branch holds"),
    }
}

fn is_full_commit(r: &str) -> bool {
    (r.len() == 40 || r.len() == 64) && r.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The `#egg=name` of a URL, else the URL itself.
fn egg_name(url: &str) -> String {
    url.split_once("#egg=")
        .map(|(_, n)| n.split('&').next().unwrap_or(n).to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| url.to_string())
}

/// A manifest file this module judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestKind {
    PackageJson,
    CargoToml,
    Pyproject,
    Pipfile,
    Gemfile,
    GemsRb,
    ComposerJson,
    GoMod,
}

/// The manifest kind of a file name, if it is one.
pub fn manifest_kind(file_name: &str) -> Option<ManifestKind> {
    Some(match file_name {
        "package.json" => ManifestKind::PackageJson,
        "Cargo.toml" => ManifestKind::CargoToml,
        "pyproject.toml" => ManifestKind::Pyproject,
        "Pipfile" => ManifestKind::Pipfile,
        "Gemfile" => ManifestKind::Gemfile,
        "gems.rb" => ManifestKind::GemsRb,
        "composer.json" => ManifestKind::ComposerJson,
        "go.mod" => ManifestKind::GoMod,
        _ => return None,
    })
}

const NPM_LOCKS: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "bun.lockb",
];

/// Every lockfile name some manifest accepts (`pylock.*.toml` aside: see [`is_lockfile`]).
const ALL_LOCKS: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "bun.lockb",
    "Cargo.lock",
    "poetry.lock",
    "pdm.lock",
    "uv.lock",
    "pylock.toml",
    "Pipfile.lock",
    "Gemfile.lock",
    "gems.locked",
    "composer.lock",
    "go.sum",
];

/// Whether a file name is a lockfile some manifest accepts.
pub fn is_lockfile(file_name: &str) -> bool {
    ALL_LOCKS.contains(&file_name) || is_pylock(file_name)
}

fn is_pylock(file_name: &str) -> bool {
    file_name == "pylock.toml" || (file_name.starts_with("pylock.") && file_name.ends_with(".toml"))
}

/// Whether the walk should remember a path for [`missing_lockfiles`]: a lockfile, a gemspec,
/// or a Rust binary's source (`src/main.rs`, `src/bin/*.rs`).
pub fn is_evidence(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    is_lockfile(name)
        || name.ends_with(".gemspec")
        || rel == "src/main.rs"
        || rel.ends_with("/src/main.rs")
        || (name.ends_with(".rs") && (rel.starts_with("src/bin/") || rel.contains("/src/bin/")))
}

/// What a manifest needs, from its text alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub kind: ManifestKind,
    /// The tool whose lockfile is missing, for the message (`npm`, `Cargo`, `Poetry`).
    pub tool: &'static str,
    /// The lockfiles that satisfy it, beside it.
    pub locks: &'static [&'static str],
    /// A PEP 751 `pylock*.toml` beside it satisfies it too.
    pub pylock: bool,
    /// A lockfile of the same tool in an ancestor directory covers it (a workspace member).
    pub shared: bool,
    /// It is a workspace root: members below it are judged by it.
    pub workspace_root: bool,
    /// Condition left to the files beside it.
    pub unless: Condition,
}

/// What the files beside a manifest may still change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// Needs a lockfile whatever is beside it.
    None,
    /// A Cargo package: needs one only if it builds a binary (`src/main.rs`, `src/bin/`).
    NotBinary,
    /// A Gemfile: a `*.gemspec` beside it makes it a gem, a library.
    Gemspec,
}

/// What the manifest at `kind` with `text` needs; `None` when it needs no lockfile (a
/// library, nothing to lock, or a manifest that does not parse: the lockfile parsers report
/// broken files, this check only judges readable ones). See the module documentation.
pub fn assess(kind: ManifestKind, text: &str) -> Option<Manifest> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let m = |tool, locks, shared, workspace_root, unless| Manifest {
        kind,
        tool,
        locks,
        pylock: false,
        shared,
        workspace_root,
        unless,
    };
    match kind {
        ManifestKind::PackageJson => {
            let v: serde_json::Value = serde_json::from_str(text).ok()?;
            let o = v.as_object()?;
            let workspaces = o.contains_key("workspaces");
            let private = o.get("private").and_then(|p| p.as_bool()) == Some(true);
            let library = ["main", "exports", "module"]
                .iter()
                .any(|k| o.contains_key(*k));
            let deps = ["dependencies", "devDependencies", "optionalDependencies"]
                .iter()
                .any(|k| {
                    o.get(*k)
                        .and_then(|d| d.as_object())
                        .is_some_and(|d| !d.is_empty())
                });
            let application = private || workspaces || !library;
            (application && (deps || workspaces))
                .then(|| m("npm", NPM_LOCKS, true, workspaces, Condition::None))
        }
        ManifestKind::CargoToml => {
            let t: toml::Table = toml::from_str(text).ok()?;
            if t.contains_key("workspace") {
                return Some(m("Cargo", &["Cargo.lock"], true, true, Condition::None));
            }
            t.get("package")?;
            if !cargo_has_dependencies(&t) {
                return None;
            }
            let bins = t
                .get("bin")
                .and_then(|b| b.as_array())
                .is_some_and(|b| !b.is_empty());
            let unless = match bins {
                true => Condition::None,
                false => Condition::NotBinary,
            };
            Some(m("Cargo", &["Cargo.lock"], true, false, unless))
        }
        ManifestKind::Pyproject => {
            let t: toml::Table = toml::from_str(text).ok()?;
            let tool = t.get("tool").and_then(|t| t.as_table())?;
            let (name, locks, shared): (_, &'static [&'static str], _) =
                if tool.contains_key("poetry") {
                    ("Poetry", &["poetry.lock"], false)
                } else if tool.contains_key("uv") {
                    ("uv", &["uv.lock"], true)
                } else if tool
                    .get("pdm")
                    .and_then(|p| p.as_table())
                    .is_some_and(|p| p.keys().any(|k| k != "build" && k != "version"))
                {
                    ("PDM", &["pdm.lock"], false)
                } else {
                    return None;
                };
            let mut manifest = m(name, locks, shared, shared, Condition::None);
            manifest.pylock = true;
            Some(manifest)
        }
        ManifestKind::Pipfile => Some(m(
            "Pipenv",
            &["Pipfile.lock"],
            false,
            false,
            Condition::None,
        )),
        ManifestKind::Gemfile | ManifestKind::GemsRb => {
            let has_gems = text.lines().any(|l| {
                let l = l.trim_start();
                l.starts_with("gem ") || l.starts_with("gem(")
            });
            let lock: &'static [&'static str] = match kind {
                ManifestKind::GemsRb => &["gems.locked"],
                _ => &["Gemfile.lock"],
            };
            has_gems.then(|| m("Bundler", lock, false, false, Condition::Gemspec))
        }
        ManifestKind::ComposerJson => {
            let v: serde_json::Value = serde_json::from_str(text).ok()?;
            let o = v.as_object()?;
            let project = match o.get("type").and_then(|t| t.as_str()) {
                None => true,
                Some(t) => t == "project",
            };
            let requires = ["require", "require-dev"].iter().any(|k| {
                o.get(*k).and_then(|r| r.as_object()).is_some_and(|r| {
                    r.keys()
                        .any(|name| name != "php" && !name.starts_with("ext-"))
                })
            });
            (project && requires).then(|| {
                m(
                    "Composer",
                    &["composer.lock"],
                    false,
                    false,
                    Condition::None,
                )
            })
        }
        ManifestKind::GoMod => {
            let requires = text.lines().any(|l| {
                let l = l.trim_start();
                l.starts_with("require ") || l.starts_with("require(")
            });
            requires.then(|| m("Go", &["go.sum"], false, false, Condition::None))
        }
    }
}

/// Whether a Cargo manifest declares any dependency (its own or a target-specific table).
fn cargo_has_dependencies(t: &toml::Table) -> bool {
    let nonempty =
        |v: Option<&toml::Value>| v.and_then(|d| d.as_table()).is_some_and(|d| !d.is_empty());
    let tables = ["dependencies", "dev-dependencies", "build-dependencies"];
    tables.iter().any(|k| nonempty(t.get(*k)))
        || t.get("target")
            .and_then(|t| t.as_table())
            .is_some_and(|targets| {
                targets.values().any(|cfg| {
                    tables
                        .iter()
                        .any(|k| nonempty(cfg.as_table().and_then(|c| c.get(*k))))
                })
            })
}

/// A manifest that needs a lockfile and has none the walk saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The manifest's root-relative path.
    pub manifest: String,
    pub tool: &'static str,
    /// The root-relative paths where an accepted lockfile would be (beside the manifest).
    pub candidates: Vec<String>,
}

/// The manifests among `manifests` (root-relative path, what [`assess`] said) that lack a
/// lockfile, given the root-relative paths the walk saw that [`is_evidence`] accepted.
pub fn missing_lockfiles(
    manifests: &[(String, Manifest)],
    seen: &BTreeSet<String>,
) -> Vec<Missing> {
    let mut out = Vec::new();
    for (rel, m) in manifests {
        if rel.split('/').any(|c| c == "node_modules") {
            continue;
        }
        let dir = parent(rel);
        let at = |dir: &str, name: &str| join(dir, name);
        let has_lock_in = |d: &str| {
            m.locks.iter().any(|l| seen.contains(&at(d, l)))
                || (m.pylock
                    && seen
                        .range(at(d, "pylock.")..)
                        .take_while(|p| p.starts_with(&at(d, "pylock.")))
                        .any(|p| parent(p) == d && is_pylock(name_of(p))))
        };
        if has_lock_in(dir) {
            continue;
        }
        let excused = match m.unless {
            Condition::None => false,
            Condition::NotBinary => {
                !(seen.contains(&at(dir, "src/main.rs"))
                    || seen
                        .range(at(dir, "src/bin/")..)
                        .take_while(|p| p.starts_with(&at(dir, "src/bin/")))
                        .next()
                        .is_some())
            }
            Condition::Gemspec => seen
                .iter()
                .any(|p| parent(p) == dir && p.ends_with(".gemspec")),
        };
        if excused {
            continue;
        }
        if m.shared {
            let ancestors = ancestors(dir);
            let covered = ancestors.iter().any(|a| {
                has_lock_in(a)
                    || manifests.iter().any(|(other, o)| {
                        o.kind == m.kind && o.workspace_root && parent(other) == *a
                    })
            });
            if covered {
                continue;
            }
        }
        out.push(Missing {
            manifest: rel.clone(),
            tool: m.tool,
            candidates: m.locks.iter().map(|l| at(dir, l)).collect(),
        });
    }
    out
}

/// The directory of a root-relative path (`""` for the root).
fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The file name of a root-relative path.
pub fn name_of(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

fn join(dir: &str, name: &str) -> String {
    match dir {
        "" => name.to_string(),
        d => format!("{d}/{name}"),
    }
}

/// The proper ancestors of a directory, nearest first, ending with the root (`""`).
fn ancestors(dir: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut d = dir;
    while !d.is_empty() {
        d = parent(d);
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(usize, String)> {
        unpinned_requirements(text)
            .into_iter()
            .map(|u| (u.line, u.name))
            .collect()
    }

    #[test]
    fn pinned_requirements_are_not_reported() {
        let text = "# comment\n\
            requests==2.31.0\n\
            celery[redis] == 5.3.0 ; python_version >= \"3.8\"\n\
            yolo===1.0\n\
            flask>=2,==2.3.3\n\
            hashed==1.0 \\\n    --hash=sha256:abcd\n\
            -r other.txt\n-c constraints.txt\n--index-url https://pypi.org/simple\n\
            -e .\n./local/pkg\n\
            https://example.com/pkg-1.0.tar.gz\n\
            name @ https://example.com/pkg-1.0-py3-none-any.whl\n\
            git+https://github.com/o/r.git@0123456789abcdef0123456789abcdef01234567#egg=r\n";
        assert_eq!(names(text), vec![]);
    }

    #[test]
    fn unpinned_requirements_are_reported_at_their_line() {
        let text = "requests\n\
            flask>=2.0\n\
            django~=4.2\n\
            numpy<2\n\
            six!=1.0\n\
            pandas==2.*\n\
            ranged>=1.0 \\\n    --hash=sha256:abcd\n\
            dep ; sys_platform == \"linux\"\n\
            git+https://github.com/o/r.git@main#egg=r\n\
            -e git+https://github.com/o/e.git#egg=e\n\
            v @ git+https://github.com/o/v.git@v1.0\n";
        assert_eq!(
            names(text),
            vec![
                (1, "requests".into()),
                (2, "flask".into()),
                (3, "django".into()),
                (4, "numpy".into()),
                (5, "six".into()),
                (6, "pandas".into()),
                (7, "ranged".into()),
                (9, "dep".into()),
                (10, "r".into()),
                (11, "e".into()),
                (12, "v".into()),
            ]
        );
        let u = unpinned_requirements("flask >= 2.0  # web\n");
        assert_eq!(u[0].requirement, "flask >= 2.0");
    }

    #[test]
    fn vcs_refs_pin_only_with_a_full_commit() {
        assert!(
            url_unpinned("git+https://h/o/r.git@0123456789abcdef0123456789abcdef01234567")
                .is_none()
        );
        assert!(url_unpinned("git+https://h/o/r.git@0123456").is_some());
        assert!(url_unpinned("git+ssh://git@h/o/r.git").is_some());
        assert!(url_unpinned("https://h/p-1.0.tar.gz").is_none());
    }

    #[test]
    fn package_json_applications_and_libraries() {
        let app = r#"{"name":"a","private":true,"dependencies":{"x":"^1"}}"#;
        assert!(assess(ManifestKind::PackageJson, app).is_some());
        let no_entry = r#"{"name":"a","dependencies":{"x":"^1"}}"#;
        assert!(assess(ManifestKind::PackageJson, no_entry).is_some());
        let lib = r#"{"name":"a","main":"index.js","dependencies":{"x":"^1"}}"#;
        assert!(assess(ManifestKind::PackageJson, lib).is_none());
        let nothing = r#"{"name":"a","private":true}"#;
        assert!(assess(ManifestKind::PackageJson, nothing).is_none());
        assert!(assess(ManifestKind::PackageJson, "{not json").is_none());
    }

    #[test]
    fn cargo_workspaces_binaries_and_libraries() {
        let ws = "[workspace]\nmembers = [\"a\"]\n";
        assert!(assess(ManifestKind::CargoToml, ws).is_some_and(|m| m.workspace_root));
        let lib = "[package]\nname = \"l\"\n[dependencies]\nserde = \"1\"\n";
        let m = assess(ManifestKind::CargoToml, lib).expect("a package with dependencies");
        assert_eq!(m.unless, Condition::NotBinary);
        let bin = "[package]\nname = \"b\"\n[[bin]]\nname = \"b\"\n[dependencies]\nx = \"1\"\n";
        assert_eq!(
            assess(ManifestKind::CargoToml, bin).map(|m| m.unless),
            Some(Condition::None)
        );
        assert!(assess(ManifestKind::CargoToml, "[package]\nname = \"n\"\n").is_none());
    }

    #[test]
    fn python_go_ruby_php() {
        assert!(assess(ManifestKind::Pyproject, "[project]\nname = \"x\"\n").is_none());
        assert_eq!(
            assess(ManifestKind::Pyproject, "[tool.poetry]\nname = \"x\"\n").map(|m| m.locks),
            Some(&["poetry.lock"][..])
        );
        assert!(assess(ManifestKind::Pyproject, "[tool.pdm.build]\nx = 1\n").is_none());
        assert!(assess(
            ManifestKind::Pyproject,
            "[tool.pdm.dev-dependencies]\nt = []\n"
        )
        .is_some());
        assert!(assess(ManifestKind::GoMod, "module m\n\ngo 1.22\n").is_none());
        assert!(assess(ManifestKind::GoMod, "module m\nrequire x.y/z v1.0.0\n").is_some());
        assert!(assess(
            ManifestKind::Gemfile,
            "source 'https://rubygems.org'\ngem 'rails'\n"
        )
        .is_some());
        let lib = r#"{"name":"v/p","type":"library","require":{"a/b":"^1"}}"#;
        assert!(assess(ManifestKind::ComposerJson, lib).is_none());
        let app = r#"{"name":"v/p","require":{"php":">=8","a/b":"^1"}}"#;
        assert!(assess(ManifestKind::ComposerJson, app).is_some());
    }

    fn set(paths: &[&str]) -> BTreeSet<String> {
        paths.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn lockfiles_beside_and_above() {
        let npm = assess(
            ManifestKind::PackageJson,
            r#"{"private":true,"workspaces":["pkgs/*"],"dependencies":{"x":"1"}}"#,
        )
        .expect("an application");
        let member = assess(
            ManifestKind::PackageJson,
            r#"{"private":true,"dependencies":{"x":"1"}}"#,
        )
        .expect("an application");
        let manifests = vec![
            ("package.json".to_string(), npm),
            ("pkgs/a/package.json".to_string(), member.clone()),
        ];
        // No lock anywhere: the root only (the member is the root's).
        let missing = missing_lockfiles(&manifests, &set(&[]));
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].manifest, "package.json");
        assert!(missing[0]
            .candidates
            .contains(&"package-lock.json".to_string()));
        assert!(missing_lockfiles(&manifests, &set(&["yarn.lock"])).is_empty());
        // A lone member-like project under a lock further up is covered.
        let lone = vec![("web/app/package.json".to_string(), member)];
        assert!(missing_lockfiles(&lone, &set(&["web/pnpm-lock.yaml"])).is_empty());
        assert_eq!(
            missing_lockfiles(&lone, &set(&["other/yarn.lock"])).len(),
            1
        );

        let lib = assess(
            ManifestKind::CargoToml,
            "[package]\nname=\"l\"\n[dependencies]\nx=\"1\"\n",
        )
        .expect("a package");
        let crates = vec![("c/Cargo.toml".to_string(), lib)];
        assert!(missing_lockfiles(&crates, &set(&["c/src/lib.rs"])).is_empty());
        assert_eq!(
            missing_lockfiles(&crates, &set(&["c/src/main.rs"])).len(),
            1
        );
        assert_eq!(
            missing_lockfiles(&crates, &set(&["c/src/bin/tool.rs"])).len(),
            1
        );

        let gem = assess(ManifestKind::Gemfile, "gem 'rake'\n").expect("gems");
        let gems = vec![("Gemfile".to_string(), gem)];
        assert!(missing_lockfiles(&gems, &set(&["x.gemspec"])).is_empty());
        assert_eq!(missing_lockfiles(&gems, &set(&["sub/x.gemspec"])).len(), 1);

        let uv = assess(
            ManifestKind::Pyproject,
            "[tool.uv]\ndev-dependencies = []\n",
        )
        .expect("uv");
        let py = vec![("pyproject.toml".to_string(), uv)];
        assert!(missing_lockfiles(&py, &set(&["pylock.dev.toml"])).is_empty());
        assert_eq!(missing_lockfiles(&py, &set(&["poetry.lock"])).len(), 1);
    }

    #[test]
    fn evidence() {
        assert!(is_evidence("Cargo.lock"));
        assert!(is_evidence("a/src/main.rs"));
        assert!(is_evidence("src/bin/x.rs"));
        assert!(is_evidence("x.gemspec"));
        assert!(!is_evidence("src/lib.rs"));
        assert!(!is_evidence("README.md"));
    }
}
