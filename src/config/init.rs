//! `hygiene init`: a commented `.hygiene.toml` with every section and key the loader accepts,
//! each commented out with its default or an example and a line on what it does.

use super::CONFIG_FILE;
use crate::error::{Error, ErrorKind};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The file `hygiene init` writes. Prose comments start with `# `; settings are commented out
/// with a bare `#` (`#paths = [...]`), so removing that `#` enables them (the tests do, and
/// load the result).
pub const TEMPLATE: &str = include_str!("template.toml");

/// Writes [`TEMPLATE`] to `dir/.hygiene.toml` and returns its path. An existing file is an
/// error unless `force`; `dir` must be an existing directory.
pub fn init(dir: &Path, force: bool) -> Result<PathBuf, Error> {
    if !dir.is_dir() {
        return Err(Error::new(
            ErrorKind::Usage,
            format!("{} is not a directory", dir.display()),
        ));
    }
    let path = dir.join(CONFIG_FILE);
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    match force {
        true => options.create(true).truncate(true),
        false => options.create_new(true),
    };
    let mut file = options.open(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::new(
                ErrorKind::Usage,
                format!(
                    "{} already exists; pass --force to overwrite it",
                    path.display()
                ),
            )
        } else {
            Error::with_source(ErrorKind::Io, format!("cannot write {}", path.display()), e)
        }
    })?;
    file.write_all(TEMPLATE.as_bytes()).map_err(|e| {
        Error::with_source(ErrorKind::Io, format!("cannot write {}", path.display()), e)
    })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The template with every commented-out setting enabled.
    fn uncommented() -> String {
        TEMPLATE
            .lines()
            .map(|l| match l.strip_prefix('#') {
                Some(rest) if !rest.is_empty() && !rest.starts_with([' ', '#']) => rest,
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_template_and_its_examples_parse() {
        let file = Path::new(CONFIG_FILE);
        let plain = super::super::parse(file, TEMPLATE).expect("template parses");
        assert!(plain.secrets.disable.is_empty());
        let all = super::super::parse(file, &uncommented()).expect("examples parse");
        assert_eq!(all.secrets.disable, ["generic-password"]);
        assert_eq!(all.secrets.rules.len(), 1);
        assert_eq!(all.allow.paths.len(), 2);
        let deps = all.deps.as_ref();
        assert_eq!(
            crate::deps::ignore::from_config_value("f", deps)
                .expect("ignores")
                .len(),
            1
        );
        assert!(crate::deps::ignore::max_db_age_from_config("f", deps)
            .expect("age")
            .is_some());
        assert!(crate::deps::ignore::outdated_max_age_from_config("f", deps)
            .expect("age")
            .is_some());
    }
}
