//! The library's error: what stops a command before or instead of a result.
//!
//! Problems met *during* a scan (an unreadable file, a malformed lockfile, an advisory server
//! that times out) are not errors: they are [`crate::outcome::ScanError`]s, listed in the
//! report while the scan goes on. An [`Error`] is what leaves nothing to report: bad flags or
//! configuration, a rule that does not compile, a path that is not a repository, a file that
//! cannot be written.
//!
//! Like `ignore::Error` or rustsec's errors, an error has a [`ErrorKind`] a caller can match on
//! (the binary maps every kind to exit code 2), a message that says what was being done and
//! what to do next, and the underlying error as its [`std::error::Error::source`]. The engines
//! keep their own precise error types (`RuleError`, `LockfileError`, `DbError`, ...) and
//! convert into this one where a command gives up.

use std::fmt;

/// What kind of thing went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Arguments that do not fit together or name nothing usable (an unknown ecosystem, a path
    /// that does not exist).
    Usage,
    /// The configuration file (`.hygiene.toml`, `--config`): unreadable, invalid TOML, an
    /// unknown field or rule id, a bad allowlist pattern.
    Config,
    /// A rule or format file: invalid TOML, a regex that does not compile, a duplicate id.
    Rules,
    /// A baseline file that cannot be read or is not a baseline.
    Baseline,
    /// Git: not a repository, a revision that names no commit, an unreadable index or `HEAD`.
    Git,
    /// Reading or writing a file outside the scan itself (a report, a hook script, the
    /// advisory database's directory).
    Io,
    /// The network: the advisory database cannot be downloaded.
    Network,
}

impl ErrorKind {
    /// A short lowercase name (`config`, `git`, ...), for messages and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Usage => "usage",
            ErrorKind::Config => "config",
            ErrorKind::Rules => "rules",
            ErrorKind::Baseline => "baseline",
            ErrorKind::Git => "git",
            ErrorKind::Io => "io",
            ErrorKind::Network => "network",
        }
    }
}

/// An error that stops a command. See the module documentation.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    /// What was being done and, where there is one, what to do about it.
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// An error with no underlying cause: `message` says it all.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// An error caused by `source`; `context` says what was being done ("cannot read
    /// config.toml"), and the source's own message follows it after a colon.
    pub fn with_source(
        kind: ErrorKind,
        context: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Error {
        Error {
            kind,
            message: context.into(),
            source: Some(source.into()),
        }
    }

    /// [`ErrorKind::Usage`] with `message`.
    pub fn usage(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Usage, message)
    }

    /// [`ErrorKind::Config`] with `message`.
    pub fn config(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Config, message)
    }

    /// [`ErrorKind::Git`] with `message`.
    pub fn git(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Git, message)
    }

    /// [`ErrorKind::Io`]: `what` (`"write"`, `"read"`, ...) failed on `path`.
    pub fn io(what: &str, path: &std::path::Path, source: std::io::Error) -> Error {
        Error::with_source(
            ErrorKind::Io,
            format!("cannot {what} {}", path.display()),
            source,
        )
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message without the source's.
    pub fn context(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(source) => write!(f, "{}: {source}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn context_then_source() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let e = Error::io("write", std::path::Path::new("out.sarif"), io);
        assert_eq!(e.kind(), ErrorKind::Io);
        assert_eq!(e.to_string(), "cannot write out.sarif: denied");
        assert_eq!(e.context(), "cannot write out.sarif");
        assert!(e.source().is_some());
        let plain = Error::config("bad");
        assert_eq!(plain.to_string(), "bad");
        assert!(plain.source().is_none());
    }
}

/// A TOML parse error of `text` as one line that says where (line and column) and what, but
/// never echoes the text: a configuration or rule file can hold a secret (an allowlisted
/// token, a password in an example), and the toml crate's own message quotes the offending
/// line, and serde's quotes a mistyped value (`invalid type: string "…"`). Quoted strings in
/// the message are replaced by their length.
pub fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let place = e.span().map(|span| {
        let before = text.get(..span.start).unwrap_or(text);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("line {line}, column {column}: ")
    });
    format!(
        "{}{}",
        place.unwrap_or_default(),
        without_quoted(e.message().trim())
    )
}

/// `message` with every `"…"` string replaced by `"…(N chars)"`.
fn without_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find('"') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('"') {
            Some(close) => {
                out.push_str(&format!("\"…({} chars)\"", after[..close].chars().count()));
                rest = &after[close + 1..];
            }
            None => {
                out.push_str("\"…\"");
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod toml_error_tests {
    use super::toml_error;

    #[test]
    fn toml_errors_point_at_the_place_without_echoing_it() {
        let text = "[allow]\nstopwords = [\"ok\"]\npassword = \"hunter2-very-secret\n";
        let e = toml::from_str::<toml::Table>(text).expect_err("unterminated string");
        let m = toml_error(text, &e);
        assert!(m.starts_with("line 3, column "), "{m}");
        assert!(!m.contains("hunter2"), "{m}");
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct C {
            disable: Vec<String>,
        }
        let text = "disable = \"ghp_secretvalue123\"\n";
        let e = toml::from_str::<C>(text).expect_err("wrong type");
        let m = toml_error(text, &e);
        assert!(!m.contains("ghp_secretvalue123"), "{m}");
        assert!(m.contains("chars"), "{m}");
    }
}
