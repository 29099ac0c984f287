//! Credential files read as what they are.
//!
//! Where a file's format is known to store credentials (an FTP client's saved sites, a
//! database client's connections, a package tool's credentials file, a framework's secret
//! settings), the credential fields are the findings whatever the value's strength: `admin123`
//! in FileZilla's `sitemanager.xml` is a leaked password, though no entropy filter would let a
//! generic rule report it. Formats are data (`patterns/formats/*.toml`, see its README): a path
//! (and optionally a content marker) says which files a format reads, a [`syntax`] reads the
//! file into fields, and `fields`/`section` say which fields hold credentials. Values are
//! judged only by [`is_placeholder_value`]: empty, references, templates and placeholder words
//! stay quiet.

pub mod syntax;

use super::filter::decode_base64;
use super::keys::{is_password_key, is_secret_key};
use super::lazy_regex::LazyRegex;
use super::paths::PathSets;
use super::placeholder::is_placeholder_value;
use super::rule::RuleError;
use crate::finding::{Confidence, RuleInfo, Severity};
use serde::Deserialize;
use std::sync::Arc;
use syntax::Field;

include!(concat!(env!("OUT_DIR"), "/builtin_formats.rs"));

/// The families formats belong to (one file each in `patterns/formats/`).
pub const FAMILIES: &[&str] = &[
    "ftp",
    "database",
    "messaging",
    "os",
    "packages",
    "cloud",
    "ci",
    "framework",
];

/// One `[[formats]]` table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormatSpec {
    pub id: String,
    /// The file kind, named in every finding (`FileZilla saved sites`).
    pub name: String,
    pub family: String,
    pub description: String,
    /// Where the format is documented.
    pub docs: String,
    /// Regex over the relative path.
    pub path: String,
    /// Regex that must match somewhere in the file.
    #[serde(default)]
    pub content: Option<String>,
    pub syntax: String,
    /// Regexes over a field's key (whole, case-insensitive), or `@password` / `@secret`.
    #[serde(default)]
    pub fields: Vec<String>,
    /// Regex searched in the field's parent path.
    #[serde(default)]
    pub section: Option<String>,
    /// For `syntax = "lines"`: a regex with a `secret` group (and optionally `key`).
    #[serde(default)]
    pub regex: Option<String>,
    /// `"base64"`: values are judged decoded.
    #[serde(default)]
    pub decode: Option<String>,
    pub severity: Severity,
    pub confidence: Confidence,
    #[serde(default)]
    pub examples: Vec<FormatExample>,
    #[serde(default)]
    pub negative_examples: Vec<FormatExample>,
}

/// A whole file a format must read as its `secrets` say.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormatExample {
    pub path: String,
    pub text: String,
    #[serde(default)]
    pub secrets: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SyntaxKind {
    Ini,
    Directive,
    Json,
    Yaml,
    Xml,
    Code,
    Csv,
    Lines,
}

#[derive(Debug, Clone)]
enum KeyMatcher {
    Password,
    Secret,
    Regex(LazyRegex),
}

impl Format {
    /// The format's regexes but its path's, each with the field it comes from.
    fn regexes(&self) -> impl Iterator<Item = (&'static str, &LazyRegex)> {
        let keys = self.keys.iter().filter_map(|k| match k {
            KeyMatcher::Regex(r) => Some(("field", r)),
            _ => None,
        });
        let rest = [
            ("section", &self.section),
            ("content", &self.content),
            ("lines", &self.lines),
        ];
        keys.chain(
            rest.into_iter()
                .filter_map(|(what, r)| r.as_ref().map(|r| (what, r))),
        )
    }
}

impl KeyMatcher {
    fn matches(&self, key: &str) -> bool {
        match self {
            KeyMatcher::Password => is_password_key(key),
            KeyMatcher::Secret => is_secret_key(key),
            KeyMatcher::Regex(r) => r.get().is_match(key),
        }
    }
}

/// A format ready to run.
#[derive(Debug, Clone)]
pub struct Format {
    pub spec: FormatSpec,
    syntax: SyntaxKind,
    keys: Vec<KeyMatcher>,
    section: Option<LazyRegex>,
    content: Option<LazyRegex>,
    lines: Option<LazyRegex>,
    base64: bool,
    pub info: Arc<RuleInfo>,
    pub file: String,
}

/// A credential a format found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatMatch {
    /// Index of the format in its [`FormatSet`].
    pub format: usize,
    pub start: usize,
    pub end: usize,
    /// The value as written in the file.
    pub secret: String,
    /// The field's key (`Pass`, `DB_PASSWORD`).
    pub key: String,
    /// Whether the value was judged after base64 decoding.
    pub base64: bool,
}

impl Format {
    pub fn compile(spec: FormatSpec, file: &str) -> Result<Format, RuleError> {
        let err = |message: String| RuleError {
            file: file.to_string(),
            rule: Some(spec.id.clone()),
            message,
        };
        if spec.id.is_empty()
            || !spec
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(err("id must be lowercase letters, digits and `-`".into()));
        }
        if !FAMILIES.contains(&spec.family.as_str()) {
            return Err(err(format!(
                "unknown family {:?}: use one of {}",
                spec.family,
                FAMILIES.join(", ")
            )));
        }
        let syntax = match spec.syntax.as_str() {
            "ini" => SyntaxKind::Ini,
            "directive" => SyntaxKind::Directive,
            "json" => SyntaxKind::Json,
            "yaml" => SyntaxKind::Yaml,
            "xml" => SyntaxKind::Xml,
            "code" => SyntaxKind::Code,
            "csv" => SyntaxKind::Csv,
            "lines" => SyntaxKind::Lines,
            other => {
                return Err(err(format!(
                "unknown syntax {other:?}: use ini, directive, json, yaml, xml, code, csv or lines"
            )))
            }
        };
        let lines = match (&spec.regex, syntax) {
            (Some(r), SyntaxKind::Lines) => {
                let re = LazyRegex::builtin(r, false);
                if !r.contains("(?P<secret>") && !r.contains("(?<secret>") {
                    return Err(err("regex needs a named group `secret`".into()));
                }
                Some(re)
            }
            (None, SyntaxKind::Lines) => {
                return Err(err("syntax \"lines\" needs a `regex`".into()));
            }
            (Some(_), _) => {
                return Err(err("`regex` is only for syntax \"lines\"".into()));
            }
            (None, _) => None,
        };
        if syntax != SyntaxKind::Lines && spec.fields.is_empty() {
            return Err(err(
                "a format needs `fields` (which keys hold credentials)".into()
            ));
        }
        let keys = spec
            .fields
            .iter()
            .map(|f| match f.as_str() {
                "@password" => Ok(KeyMatcher::Password),
                "@secret" => Ok(KeyMatcher::Secret),
                other if other.starts_with('@') => Err(err(format!(
                    "unknown preset {other:?}: use @password or @secret"
                ))),
                other => Ok(KeyMatcher::Regex(LazyRegex::builtin(
                    &format!("^(?:{other})$"),
                    true,
                ))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let section = spec.section.as_deref().map(|s| LazyRegex::builtin(s, true));
        let content = spec
            .content
            .as_deref()
            .map(|s| LazyRegex::builtin(s, false));
        let base64 = match spec.decode.as_deref() {
            None => false,
            Some("base64") => true,
            Some(other) => {
                return Err(err(format!(
                    "unknown decode {other:?}: the only one is \"base64\""
                )))
            }
        };
        if spec.docs.trim().is_empty() {
            return Err(err("`docs` must name where the format is documented".into()));
        }
        if spec.examples.is_empty() {
            return Err(err("a format needs at least one example".into()));
        }
        let info = Arc::new(info(&spec));
        Ok(Format {
            syntax,
            keys,
            section,
            content,
            lines,
            base64,
            info,
            file: file.to_string(),
            spec,
        })
    }

    /// Whether this format reads `path` holding `content`.
    fn applies(&self, text: &str) -> bool {
        self.content.as_ref().is_none_or(|c| c.get().is_match(text))
    }

    /// The credentials in `text` (a file this format applies to).
    fn find(&self, index: usize, text: &str, parsed: &mut Parsed, out: &mut Vec<FormatMatch>) {
        if let Some(re) = &self.lines {
            for caps in re.get().captures_iter(text) {
                let Some(m) = caps.name("secret") else {
                    continue;
                };
                let key = caps
                    .name("key")
                    .map_or_else(|| self.spec.name.clone(), |k| k.as_str().to_string());
                self.judge(index, text, m.start(), m.end(), None, key, out);
            }
            return;
        }
        for f in parsed.get(self.syntax, text) {
            if !self.keys.iter().any(|k| k.matches(&f.key)) {
                continue;
            }
            if let Some(s) = &self.section {
                if !s.get().is_match(&f.parent) {
                    continue;
                }
            }
            self.judge(
                index,
                text,
                f.start,
                f.end,
                f.unescaped.as_deref(),
                f.key.clone(),
                out,
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn judge(
        &self,
        index: usize,
        text: &str,
        start: usize,
        end: usize,
        unescaped: Option<&str>,
        key: String,
        out: &mut Vec<FormatMatch>,
    ) {
        let raw = &text[start..end];
        let mut value = unescaped.unwrap_or(raw).to_string();
        let mut base64 = false;
        if self.base64 {
            if let Some(decoded) = decode_base64(value.trim())
                .and_then(|b| String::from_utf8(b).ok())
                .filter(|s| !s.chars().any(|c| c.is_control() && c != '\n' && c != '\r'))
            {
                value = decoded;
                base64 = true;
            }
        }
        if !is_credential_value(&value) {
            return;
        }
        // Report the value trimmed, where it sits.
        let lead = raw.len() - raw.trim_start().len();
        let trimmed = raw.trim();
        out.push(FormatMatch {
            format: index,
            start: start + lead,
            end: start + lead + trimmed.len(),
            secret: trimmed.to_string(),
            key,
            base64,
        });
    }
}

/// Whether a credential field's value is a credential: not a placeholder, reference or
/// template, at least three characters, and not a file path.
pub fn is_credential_value(value: &str) -> bool {
    let v = value.trim();
    v.chars().count() >= 3 && !is_placeholder_value(v) && !is_path(v)
}

/// `/run/secrets/db`, `~/.ssh/id_rsa`, `./certs/key.pem`, `C:\keys\app.pfx`: where a secret
/// is, not the secret.
fn is_path(v: &str) -> bool {
    if v.contains(char::is_whitespace) {
        return false;
    }
    let b = v.as_bytes();
    let drive = b.len() > 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'\\';
    let rooted = v.starts_with("~/") || v.starts_with("./") || v.starts_with("../") || drive;
    rooted || (v.starts_with('/') && v[1..].contains('/') && v.len() > 3)
}

fn info(spec: &FormatSpec) -> RuleInfo {
    let help = format!(
        "**{name}**\n\n{desc}\n\nFormat: {docs}\n\n\
         **What to do**\n\n\
         1. Treat the credential as compromised: change the password or revoke the token where \
         it is used. Removing it from the file does not un-leak it.\n\
         2. Remove the file from the repository (`git rm --cached`), add it to `.gitignore`, \
         and keep the credential in the tool's own keychain, the environment or a secret \
         manager.\n\
         3. If it reached a shared branch, purge it from git history (`git filter-repo`) after \
         rotating.\n\n\
         If this is a false positive, add `hygiene:allow` in a comment on the line, allow the \
         path in `.hygiene.toml`, or add the finding to the baseline.",
        name = spec.name,
        desc = spec.description,
        docs = spec.docs,
    );
    RuleInfo {
        id: spec.id.clone(),
        name: format!("Credential in {}", spec.name),
        short_description: format!("Credential in {}", spec.name),
        full_description: spec.description.clone(),
        help_markdown: help,
        tags: vec![
            "security".to_string(),
            "secret".to_string(),
            "credential-file".to_string(),
            spec.family.clone(),
        ],
        severity: spec.severity,
        confidence: spec.confidence,
        security_severity: spec.severity.security_severity(),
    }
}

/// Each syntax's fields of one file, read at most once however many formats use them.
#[derive(Default)]
struct Parsed {
    done: Vec<(SyntaxKind, Vec<Field>)>,
}

impl Parsed {
    fn get(&mut self, syntax: SyntaxKind, text: &str) -> &[Field] {
        let i = match self.done.iter().position(|(s, _)| *s == syntax) {
            Some(i) => i,
            None => {
                let fields = match syntax {
                    SyntaxKind::Ini => syntax::ini::fields(text),
                    SyntaxKind::Directive => syntax::directive::fields(text),
                    SyntaxKind::Json => syntax::json::fields(text),
                    SyntaxKind::Yaml => syntax::yaml::fields(text),
                    SyntaxKind::Xml => syntax::xml::fields(text),
                    SyntaxKind::Code => syntax::code::fields(text),
                    SyntaxKind::Csv => syntax::csv::fields(text),
                    SyntaxKind::Lines => Vec::new(),
                };
                self.done.push((syntax, fields));
                self.done.len() - 1
            }
        };
        &self.done[i].1
    }
}

/// Every format, with the automata over their paths.
#[derive(Debug, Clone)]
pub struct FormatSet {
    /// Shared: the built-in set is compiled once per process and handed out by clone.
    formats: Arc<[Format]>,
    paths: Arc<PathSets>,
}

impl Default for FormatSet {
    fn default() -> Self {
        FormatSet::new(Vec::new()).expect("an empty set compiles")
    }
}

impl FormatSet {
    pub fn new(formats: Vec<Format>) -> Result<FormatSet, RuleError> {
        let patterns: Vec<&str> = formats.iter().map(|f| f.spec.path.as_str()).collect();
        let paths = PathSets::new(&patterns);
        Ok(FormatSet {
            formats: formats.into(),
            paths: Arc::new(paths),
        })
    }

    pub fn formats(&self) -> &[Format] {
        &self.formats
    }

    pub fn is_empty(&self) -> bool {
        self.formats.is_empty()
    }

    /// Keeps only the formats `keep` accepts (configuration can disable some).
    pub fn retain(self, keep: impl Fn(&Format) -> bool) -> Result<FormatSet, RuleError> {
        if self.formats.iter().all(&keep) {
            return Ok(self); // the common case: no path automata to rebuild
        }
        FormatSet::new(self.formats.iter().filter(|f| keep(f)).cloned().collect())
    }

    /// Whether any format reads files at `path` (before the content is known).
    pub fn wants(&self, path: &str) -> bool {
        self.paths.is_match(path)
    }

    /// The credentials every applicable format finds in `content`, the file at `path`.
    pub fn find(&self, path: &str, content: &[u8]) -> Vec<FormatMatch> {
        let mut out = Vec::new();
        let formats = self.paths.matches(path);
        if formats.is_empty() {
            return out;
        }
        // Formats read text: a file that is not UTF-8 is read up to its first bad byte.
        let text = match std::str::from_utf8(content) {
            Ok(t) => t,
            Err(e) => std::str::from_utf8(&content[..e.valid_up_to()]).unwrap_or_default(),
        };
        let mut parsed = Parsed::default();
        for i in formats {
            self.find_one(i, text, &mut parsed, &mut out);
        }
        out
    }

    /// The credentials format `i` alone finds (for checking its examples).
    pub fn find_with(&self, i: usize, path: &str, content: &str) -> Vec<FormatMatch> {
        let mut out = Vec::new();
        if self.paths.matched(path, i) {
            self.find_one(i, content, &mut Parsed::default(), &mut out);
        }
        out
    }

    fn find_one(&self, i: usize, text: &str, parsed: &mut Parsed, out: &mut Vec<FormatMatch>) {
        let format = &self.formats[i];
        if format.applies(text) {
            format.find(i, text, parsed, out);
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FormatFile {
    #[serde(default)]
    formats: Vec<FormatSpec>,
}

/// The format files compiled into the binary (for the tests of `embedded`).
pub fn embedded_files() -> &'static [super::embedded::Embedded] {
    BUILTIN_FORMATS
}

/// The formats compiled into the binary, each file's `family` checked against its name.
/// Compiled once per process (a scan's configuration and its engine both ask).
pub fn builtin_formats() -> Result<FormatSet, RuleError> {
    static BUILTIN: std::sync::OnceLock<Result<FormatSet, RuleError>> = std::sync::OnceLock::new();
    BUILTIN.get_or_init(compile_builtin).clone()
}

fn compile_builtin() -> Result<FormatSet, RuleError> {
    let mut formats = Vec::new();
    for embedded in BUILTIN_FORMATS {
        let name = &embedded.name;
        let file = format!("patterns/formats/{name}");
        let parsed: FormatFile = embedded.read().map_err(|e| RuleError {
            file: file.clone(),
            rule: None,
            message: format!("not a valid format file: {e}"),
        })?;
        for spec in parsed.formats {
            let family_file = format!("{}.toml", spec.family);
            if *name != family_file {
                return Err(RuleError {
                    file,
                    rule: Some(spec.id),
                    message: format!("family {:?} belongs in {family_file}", spec.family),
                });
            }
            formats.push(Format::compile(spec, &file)?);
        }
    }
    FormatSet::new(formats)
}

/// One example that did not behave as its format says.
#[derive(Debug, Clone, PartialEq)]
pub struct FormatExampleFailure {
    pub format: String,
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for FormatExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: format `{}`: {}",
            self.file, self.format, self.message
        )
    }
}

/// Checks every format's examples (exactly the listed secrets) and negative examples
/// (nothing).
pub fn check_examples(set: &FormatSet) -> Vec<FormatExampleFailure> {
    let mut failures = Vec::new();
    for (i, format) in set.formats().iter().enumerate() {
        let fail = |message: String| FormatExampleFailure {
            format: format.spec.id.clone(),
            file: format.file.clone(),
            message,
        };
        // Built-in regexes are compiled on first use, where a bad one would never match.
        for (what, regex) in format.regexes().chain([("path", set.paths.regex(i))]) {
            if let Err(e) = regex.compile_now() {
                failures.push(fail(format!(
                    "invalid {what} regex {:?}: {e}",
                    regex.as_str()
                )));
            }
        }
        for ex in &format.spec.examples {
            if !set.paths.matched(&ex.path, i) {
                failures.push(fail(format!(
                    "example path {:?} does not match `path`",
                    ex.path
                )));
                continue;
            }
            if !format.applies(&ex.text) {
                failures.push(fail(format!(
                    "example at {:?} does not match `content`",
                    ex.path
                )));
                continue;
            }
            let mut found: Vec<String> = set
                .find_with(i, &ex.path, &ex.text)
                .into_iter()
                .map(|m| m.secret)
                .collect();
            let mut want = ex.secrets.clone();
            found.sort();
            want.sort();
            if found != want {
                failures.push(fail(format!(
                    "example at {:?}: expected {want:?}, found {found:?}",
                    ex.path
                )));
            }
        }
        for ex in &format.spec.negative_examples {
            let found: Vec<String> = set
                .find_with(i, &ex.path, &ex.text)
                .into_iter()
                .map(|m| m.secret)
                .collect();
            if !found.is_empty() {
                failures.push(fail(format!(
                    "negative example at {:?} yielded {found:?}",
                    ex.path
                )));
            }
        }
        if format.spec.examples.len() < 2 || format.spec.negative_examples.is_empty() {
            failures.push(fail(
                "a format needs at least two examples and one negative example".into(),
            ));
        }
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_formats_mostly_filter_by_suffix() {
        let set = builtin_formats().expect("formats load");
        let unfiltered: Vec<&str> = set
            .paths
            .unfiltered()
            .iter()
            .map(|&i| set.formats[i].spec.path.as_str())
            .collect();
        assert!(unfiltered.len() <= 20, "{unfiltered:#?}");
    }
}
