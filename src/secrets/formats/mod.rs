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
use super::placeholder::is_placeholder_value;
use super::rule::RuleError;
use crate::finding::{Confidence, RuleInfo, Severity};
use serde::Deserialize;
use std::sync::{Arc, OnceLock};
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

/// The formats' path patterns, with a literal prefilter: every file's path is checked, and
/// running two hundred patterns over each path (as one set, or in small sets) cost an eighth
/// of a scan's CPU in lazy-DFA construction and reverse searches. Almost every pattern ends
/// in `$` after a literal (`\.npmrc$`, `sitemanager\.xml$`, `\.json$`): the path must end
/// with one of the pattern's literal suffixes (extracted from the parsed pattern), so a path
/// is matched only against the few patterns whose suffix it ends with, found by its last
/// three bytes.
#[derive(Debug, Clone)]
struct PathSets {
    regexes: Vec<LazyRegex>,
    /// For each lowercase last byte: (lowercase suffix, pattern index).
    by_tail: Vec<Vec<(Vec<u8>, usize)>>,
    /// Patterns without a usable suffix: run on every path, as one set (built on first use).
    always: Vec<usize>,
    always_set: Arc<OnceLock<Option<regex::RegexSet>>>,
}

impl PathSets {
    fn new(patterns: &[&str]) -> Result<PathSets, String> {
        let mut regexes = Vec::new();
        let mut by_tail: Vec<Vec<(Vec<u8>, usize)>> = vec![Vec::new(); 256];
        let mut always = Vec::new();
        for (i, pattern) in patterns.iter().enumerate() {
            regexes.push(LazyRegex::builtin(pattern, false));
            match suffixes(pattern) {
                Some(list) => {
                    for suffix in list {
                        let bucket = &mut by_tail[suffix[suffix.len() - 1] as usize];
                        if !bucket.iter().any(|(s, k)| *k == i && *s == suffix) {
                            bucket.push((suffix, i));
                        }
                    }
                }
                None => always.push(i),
            }
        }
        Ok(PathSets {
            regexes,
            by_tail,
            always,
            always_set: Arc::new(OnceLock::new()),
        })
    }

    /// Indexes of the patterns that match `path`, in order.
    fn matches(&self, path: &str) -> Vec<usize> {
        let set = self.always_set.get_or_init(|| {
            regex::RegexSet::new(self.always.iter().map(|&i| self.regexes[i].as_str())).ok()
        });
        let mut out: Vec<usize> = match set {
            Some(set) => set.matches(path).iter().map(|k| self.always[k]).collect(),
            None => self
                .always
                .iter()
                .copied()
                .filter(|&i| self.regexes[i].get().is_match(path))
                .collect(),
        };
        let b = path.as_bytes();
        if let Some(&last) = b.last() {
            let n = b.len();
            for (suffix, i) in &self.by_tail[last.to_ascii_lowercase() as usize] {
                if suffix.len() <= n
                    && !out.contains(i)
                    && b[n - suffix.len()..].eq_ignore_ascii_case(suffix)
                    && self.regexes[*i].get().is_match(path)
                {
                    out.push(*i);
                }
            }
        }
        out.sort_unstable();
        out
    }

    fn is_match(&self, path: &str) -> bool {
        !self.matches(path).is_empty()
    }

    /// How many patterns are run on every path (no literal suffix to filter them by).
    #[cfg(test)]
    fn unfiltered(&self) -> usize {
        self.always.len()
    }

    fn matched(&self, path: &str, i: usize) -> bool {
        self.matches(path).contains(&i)
    }
}

/// The lowercase literal suffixes (not empty) one of which every path `pattern` matches ends
/// with, or `None` when the pattern is not anchored at the end or no such finite set is read
/// off it. Read from the parsed pattern's end: literals, and case-insensitive letters (`[Nn]`)
/// as their lowercase, back to the first construct that is neither; alternations and
/// optional groups at the end give one suffix per branch.
fn suffixes(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    let mut out = tail(&hir)?;
    out.sort();
    out.dedup();
    // A path ending in `.npmrc` ends in `npmrc`: keep only the shortest of nested suffixes.
    let all = out.clone();
    out.retain(|s| !all.iter().any(|t| t.len() < s.len() && s.ends_with(t)));
    Some(out)
}

/// Suffixes every match of `hir` ends with (each at least one byte), if anchored at the end.
fn tail(hir: &regex_syntax::hir::Hir) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::{HirKind, Look};
    match hir.kind() {
        HirKind::Alternation(alts) => {
            let mut out = Vec::new();
            for alt in alts {
                out.extend(tail(alt)?);
            }
            Some(out)
        }
        HirKind::Capture(c) => tail(&c.sub),
        HirKind::Concat(subs) => {
            let (last, rest) = subs.split_last()?;
            if !matches!(last.kind(), HirKind::Look(Look::End)) {
                // `(?:a$|b$)` as the last element: anchored inside.
                return if rest.is_empty() { None } else { tail(last) };
            }
            concat_tail(rest)
        }
        _ => None,
    }
}

/// The suffixes of a concatenation (whose `$` has been taken off).
fn concat_tail(subs: &[regex_syntax::hir::Hir]) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::HirKind;
    let mut acc: Vec<u8> = Vec::new();
    for (k, sub) in subs.iter().enumerate().rev() {
        if let Some(b) = literal_bytes(sub) {
            let mut next = b;
            next.extend_from_slice(&acc);
            acc = next;
            continue;
        }
        if !acc.is_empty() {
            return Some(vec![acc]);
        }
        return match sub.kind() {
            HirKind::Alternation(alts) => {
                let mut out = Vec::new();
                for alt in alts {
                    let mut whole: Vec<_> = subs[..k].to_vec();
                    whole.push(alt.clone());
                    out.extend(concat_tail(&whole)?);
                }
                Some(out)
            }
            HirKind::Capture(c) => {
                let mut whole: Vec<_> = subs[..k].to_vec();
                whole.push((*c.sub).clone());
                concat_tail(&whole)
            }
            HirKind::Concat(inner) => {
                let mut whole: Vec<_> = subs[..k].to_vec();
                whole.extend(inner.iter().cloned());
                concat_tail(&whole)
            }
            // An optional group at the end: with it, or without it.
            HirKind::Repetition(r) if r.min == 0 && r.max == Some(1) => {
                let mut with: Vec<_> = subs[..k].to_vec();
                with.push((*r.sub).clone());
                let mut out = concat_tail(&with)?;
                out.extend(concat_tail(&subs[..k])?);
                Some(out)
            }
            _ => None,
        };
    }
    (!acc.is_empty()).then_some(vec![acc])
}

/// The lowercase bytes a literal or a one-letter case class (`[Nn]`) matches.
fn literal_bytes(hir: &regex_syntax::hir::Hir) -> Option<Vec<u8>> {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Literal(l) => Some(l.0.to_ascii_lowercase()),
        HirKind::Class(Class::Unicode(c)) => {
            let chars: Vec<char> = c
                .ranges()
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .take(4)
                .collect();
            case_pair(&chars)
        }
        HirKind::Class(Class::Bytes(c)) => {
            let chars: Vec<char> = c
                .ranges()
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .take(4)
                .map(char::from)
                .collect();
            case_pair(&chars)
        }
        _ => None,
    }
}

/// `[Nn]` (and the Kelvin-sign `[Kk\u{212A}]` forms Unicode case folding adds) as `n`.
fn case_pair(chars: &[char]) -> Option<Vec<u8>> {
    let ascii: Vec<char> = chars.iter().copied().filter(char::is_ascii).collect();
    match ascii.as_slice() {
        [a, b] if a.eq_ignore_ascii_case(b) && a != b => Some(vec![a.to_ascii_lowercase() as u8]),
        _ => None,
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
        let paths = PathSets::new(&patterns).map_err(|e| RuleError {
            file: "patterns/formats".to_string(),
            rule: None,
            message: format!("a format path does not compile: {e}"),
        })?;
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
        for (what, regex) in format.regexes().chain([("path", &set.paths.regexes[i])]) {
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
    fn path_suffixes_filter_the_patterns() {
        assert_eq!(
            suffixes(r"(?i)(?:^|/)\.?npmrc$").unwrap(),
            [b"npmrc".to_vec()]
        );
        assert_eq!(suffixes(r"(?i)\.ya?ml$").unwrap(), [b"ml".to_vec()]);
        assert_eq!(
            suffixes(r"(?i)(?:^|/)(?:a\.conf|b\.ini)(?:\.bak)?$").unwrap(),
            [b".bak".to_vec(), b"a.conf".to_vec(), b"b.ini".to_vec()]
        );
        assert_eq!(suffixes(r"(?:^|/)Sessions/[^/]+$"), None);
        assert_eq!(suffixes(r"(?:^|/)config"), None);
        let sets =
            PathSets::new(&[r"(?i)(?:^|/)\.?npmrc$", r"\.json$", r"(?:^|/)x/[^/]+$"]).unwrap();
        assert_eq!(sets.unfiltered(), 1);
        assert_eq!(sets.matches("home/a/.NPMRC"), [0]);
        assert_eq!(sets.matches("a/b.json"), [1]);
        assert_eq!(sets.matches("x/y"), [2]);
        assert!(sets.matches("src/main.rs").is_empty());
    }

    #[test]
    fn builtin_formats_mostly_filter_by_suffix() {
        let set = builtin_formats().expect("formats load");
        let unfiltered: Vec<&str> = set
            .paths
            .always
            .iter()
            .map(|&i| set.formats[i].spec.path.as_str())
            .collect();
        assert!(unfiltered.len() <= 20, "{unfiltered:#?}");
    }
}
