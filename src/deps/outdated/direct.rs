//! Which packages are direct dependencies, for lockfile formats that do not say.
//!
//! `--outdated` is about the dependencies a project chose (a transitive package is updated
//! by updating what pulls it in), and most lockfiles mark them (`Package::direct`). Where a
//! format does not, the manifest beside it does: `yarn.lock` and a version 1
//! `package-lock.json` ← `package.json`, a `Cargo.lock` without the project's own crates ←
//! `Cargo.toml`, `composer.lock` ← `composer.json`, `poetry.lock`, `pdm.lock` and
//! `pylock.toml` ← `pyproject.toml`, `Pipfile.lock` ← `Pipfile`. Names come back spelled as
//! the lockfile parsers spell them (PEP 503 for PyPI, as written for npm and Packagist).

use crate::package::{normalise_pypi_name, Ecosystem};
use std::collections::HashSet;

/// The manifest that names a lockfile's direct dependencies, by the lockfile's file name.
pub fn manifest_for(lockfile_name: &str) -> Option<&'static str> {
    let name = lockfile_name.to_ascii_lowercase();
    Some(match name.as_str() {
        "yarn.lock" | "package-lock.json" | "npm-shrinkwrap.json" => "package.json",
        "cargo.lock" => "Cargo.toml",
        "composer.lock" => "composer.json",
        "poetry.lock" | "pdm.lock" => "pyproject.toml",
        "pipfile.lock" => "Pipfile",
        n if n.starts_with("pylock.") && n.ends_with(".toml") => "pyproject.toml",
        _ => return None,
    })
}

/// The direct dependency names `manifest` (its file name and text) declares, for packages of
/// `ecosystem`; `None` when the text does not parse.
pub fn names(manifest: &str, text: &str, ecosystem: Ecosystem) -> Option<HashSet<String>> {
    match manifest {
        "package.json" => json_keys(
            text,
            &["dependencies", "devDependencies", "optionalDependencies"],
        ),
        "composer.json" => json_keys(text, &["require", "require-dev"]).map(|names| {
            names
                .into_iter()
                .filter(|n| n.contains('/'))
                .map(|n| n.to_ascii_lowercase())
                .collect()
        }),
        "pyproject.toml" => pyproject(text),
        "Pipfile" => pipfile(text),
        "Cargo.toml" => cargo_toml(text),
        _ => None,
    }
    .map(|names| match ecosystem {
        Ecosystem::PyPI => names.iter().map(|n| normalise_pypi_name(n)).collect(),
        _ => names,
    })
}

/// The keys of the named top-level objects of a JSON document.
fn json_keys(text: &str, sections: &[&str]) -> Option<HashSet<String>> {
    let doc: serde_json::Value = serde_json::from_str(text).ok()?;
    Some(
        sections
            .iter()
            .filter_map(|s| doc.get(s).and_then(|v| v.as_object()))
            .flat_map(|o| o.keys().cloned())
            .collect(),
    )
}

/// PEP 621 `[project]` dependencies and optional dependencies, PEP 735 `[dependency-groups]`,
/// Poetry's dependency tables (main, groups, the old `dev-dependencies`) and PDM's
/// `dev-dependencies`.
fn pyproject(text: &str) -> Option<HashSet<String>> {
    let doc: toml::Table = toml::from_str(text).ok()?;
    let mut out = HashSet::new();
    let project = doc.get("project");
    let strings = |v: Option<&toml::Value>| -> Vec<String> {
        v.and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str())
                    .filter_map(pep508_name)
                    .collect()
            })
            .unwrap_or_default()
    };
    out.extend(strings(project.and_then(|p| p.get("dependencies"))));
    for table in [
        project.and_then(|p| p.get("optional-dependencies")),
        doc.get("dependency-groups"),
        dig(&doc, &["tool", "pdm", "dev-dependencies"]),
    ]
    .into_iter()
    .flatten()
    .filter_map(|t| t.as_table())
    {
        for group in table.values() {
            out.extend(strings(Some(group)));
        }
    }
    let poetry = dig(&doc, &["tool", "poetry"]);
    let mut tables = vec![
        poetry.and_then(|p| p.get("dependencies")),
        poetry.and_then(|p| p.get("dev-dependencies")),
    ];
    if let Some(groups) = poetry
        .and_then(|p| p.get("group"))
        .and_then(|g| g.as_table())
    {
        tables.extend(groups.values().map(|g| g.get("dependencies")));
    }
    for t in tables.into_iter().flatten().filter_map(|t| t.as_table()) {
        out.extend(t.keys().filter(|k| k.as_str() != "python").cloned());
    }
    Some(out)
}

/// The dependency tables of a `Cargo.toml`: normal, dev and build, per target, and the
/// workspace's shared ones. A renamed dependency (`alias = { package = "real" }`) is named by
/// its `package`.
fn cargo_toml(text: &str) -> Option<HashSet<String>> {
    let doc: toml::Table = toml::from_str(text).ok()?;
    let kinds = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut tables: Vec<&toml::Value> = kinds.iter().filter_map(|k| doc.get(*k)).collect();
    if let Some(targets) = doc.get("target").and_then(|t| t.as_table()) {
        for target in targets.values() {
            tables.extend(kinds.iter().filter_map(|k| target.get(*k)));
        }
    }
    tables.extend(dig(&doc, &["workspace", "dependencies"]));
    let mut out = HashSet::new();
    for table in tables.into_iter().filter_map(|t| t.as_table()) {
        for (key, spec) in table {
            let real = spec.get("package").and_then(|p| p.as_str()).unwrap_or(key);
            out.insert(real.to_string());
        }
    }
    Some(out)
}

/// `[packages]` and `[dev-packages]` of a Pipfile.
fn pipfile(text: &str) -> Option<HashSet<String>> {
    let doc: toml::Table = toml::from_str(text).ok()?;
    Some(
        ["packages", "dev-packages"]
            .iter()
            .filter_map(|s| doc.get(*s).and_then(|t| t.as_table()))
            .flat_map(|t| t.keys().cloned())
            .collect(),
    )
}

fn dig<'a>(doc: &'a toml::Table, keys: &[&str]) -> Option<&'a toml::Value> {
    let (first, rest) = keys.split_first()?;
    let mut v = doc.get(*first)?;
    for k in rest {
        v = v.get(*k)?;
    }
    Some(v)
}

/// The name of a PEP 508 requirement (`requests[socks]>=2.31 ; python_version>"3.8"`).
fn pep508_name(req: &str) -> Option<String> {
    let name: String = req
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> Option<HashSet<String>> {
        Some(names.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn manifests_by_lockfile() {
        assert_eq!(manifest_for("yarn.lock"), Some("package.json"));
        assert_eq!(manifest_for("pylock.dev.toml"), Some("pyproject.toml"));
        assert_eq!(manifest_for("Pipfile.lock"), Some("Pipfile"));
        assert_eq!(manifest_for("package-lock.json"), Some("package.json"));
        assert_eq!(manifest_for("Cargo.lock"), Some("Cargo.toml"));
        assert_eq!(manifest_for("go.mod"), None);
    }

    #[test]
    fn package_json_and_composer_json() {
        let pj = r#"{"dependencies":{"react":"^18"},"devDependencies":{"@types/node":"*"},"peerDependencies":{"x":"1"}}"#;
        assert_eq!(
            names("package.json", pj, Ecosystem::Npm),
            set(&["react", "@types/node"])
        );
        let cj = r#"{"require":{"php":">=8.1","ext-json":"*","Symfony/Console":"^6"},"require-dev":{"phpunit/phpunit":"^10"}}"#;
        assert_eq!(
            names("composer.json", cj, Ecosystem::Packagist),
            set(&["symfony/console", "phpunit/phpunit"])
        );
        assert_eq!(names("package.json", "{", Ecosystem::Npm), None);
    }

    #[test]
    fn pyproject_of_every_tool_and_pipfile() {
        let text = r#"
[project]
dependencies = ["Requests[socks]>=2.31; python_version>'3.8'", "attrs"]
[project.optional-dependencies]
docs = ["Sphinx>=7"]
[dependency-groups]
test = ["pytest"]
[tool.poetry.dependencies]
python = "^3.11"
Django = "^5"
[tool.poetry.group.dev.dependencies]
black = "*"
"#;
        assert_eq!(
            names("pyproject.toml", text, Ecosystem::PyPI),
            set(&["requests", "attrs", "sphinx", "pytest", "django", "black"])
        );
        let cargo = "[dependencies]\nserde = \"1\"\nrand_old = { package = \"rand\", version = \"0.7\" }\n[target.'cfg(unix)'.dev-dependencies]\nlibc = \"0.2\"\n";
        assert_eq!(
            names("Cargo.toml", cargo, Ecosystem::CratesIo),
            set(&["serde", "rand", "libc"])
        );
        let pipfile = "[packages]\nFlask = \"*\"\n[dev-packages]\npytest = \"*\"\n";
        assert_eq!(
            names("Pipfile", pipfile, Ecosystem::PyPI),
            set(&["flask", "pytest"])
        );
    }
}
