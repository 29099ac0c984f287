//! Secret-detection rules: TOML data in `patterns/`, compiled once per run.
//!
//! Rules are data so that adding a provider is a reviewable text change with its own examples,
//! and so users can add rule files of their own with `--rules DIR`.

use super::filter::{Filter, FilterSpec};
use super::required::Required;
use super::validator::ValidateSpec;
use crate::finding::{Confidence, FindingKind, RuleInfo, Severity};
use regex::bytes::{Regex, RegexBuilder};
use serde::Deserialize;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

include!(concat!(env!("OUT_DIR"), "/builtin_patterns.rs"));

/// One `[[rules]]` table as written in a rule file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Stable identifier, lowercase words joined by `-` (`aws-access-key-id`). Generic rules
    /// (no vendor prefix in the secret) start with `generic-`.
    pub id: String,
    pub name: String,
    pub description: String,
    /// Regex over the file's bytes. The secret is the capture group named `secret`, else group 1.
    pub regex: String,
    /// Literals (case-insensitive), one of which must occur in a file for the regex to run.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Minimum Shannon entropy (bits per character) of the secret.
    #[serde(default)]
    pub entropy: Option<f64>,
    /// Regex over the relative path; the rule runs only on files it matches.
    #[serde(default)]
    pub path: Option<String>,
    pub severity: Severity,
    pub confidence: Confidence,
    /// Extra remediation advice (markdown) shown after the standard advice.
    #[serde(default)]
    pub remediation: Option<String>,
    /// Texts the rule must find a secret in.
    #[serde(default)]
    pub examples: Vec<String>,
    /// The path the examples are checked under, for rules limited by `path`.
    #[serde(default)]
    pub example_path: Option<String>,
    /// Look-alike texts the rule must stay quiet on.
    #[serde(default)]
    pub negative_examples: Vec<String>,
    /// Minimum length of the secret, in characters (see `filter.rs`).
    #[serde(default)]
    pub min_length: Option<usize>,
    /// Maximum length of the secret, in characters.
    #[serde(default)]
    pub max_length: Option<usize>,
    /// Minimum number of character classes (lowercase, uppercase, digit, other) in the secret.
    #[serde(default)]
    pub min_char_classes: Option<u8>,
    /// Drop placeholders, variable references, file paths and sample values (`changeme`,
    /// `${VAR}`, `<your-key>`, `os.getenv(...)`, `xxxx`, ...).
    #[serde(default)]
    pub placeholder: bool,
    /// Regexes over the secret: a secret any of them matches is not reported.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Words (case-insensitive): a secret containing any of them is not reported.
    #[serde(default)]
    pub stopwords: Vec<String>,
    /// Decode the secret before judging it: `"base64-userpass"` keeps only base64 of
    /// `user:password`.
    #[serde(default)]
    pub decode: Option<String>,
    /// Where the regex runs, around each occurrence of a keyword: `"line"` the keyword's line
    /// (the match must fit on it), `"window"` that line and the two on either side, `"file"`
    /// the whole file. Default: `"file"` for a regex whose `.` matches newlines (`(?s)`, for
    /// multi-line blocks such as PEM keys), else `"window"`. Narrow scopes keep rules with
    /// common keywords (`password`, `token`, a vendor name) cheap on large files.
    #[serde(default)]
    pub scope: Option<String>,
    /// The capture group (by number) that holds the secret, as gitleaks' `secretGroup`:
    /// for a regex whose groups are not the secret alone. Default: the group named `secret`,
    /// else the first group that took part in the match.
    #[serde(default)]
    pub secret_group: Option<usize>,
    /// What a match is: `"secret"` (default), a credential to revoke; or `"hygiene"`, a
    /// practice problem in plain sight (a package source over `http://`, a credential variable
    /// written to a log), reported as a `hygiene` finding with its matched text shown.
    #[serde(default)]
    pub kind: Option<String>,
    /// How `scan --validate` asks the provider whether a found secret is live (see
    /// [`super::validator`]). Read from rule files only: a configuration's inline rules may
    /// not carry one (see `configure_rules`).
    #[serde(default)]
    pub validate: Option<ValidateSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rules: Vec<RuleSpec>,
}

/// A rule that failed to load, with the file and rule it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleError {
    pub file: String,
    pub rule: Option<String>,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rule {
            Some(rule) => write!(f, "{}: rule `{}`: {}", self.file, rule, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for RuleError {}

/// A rule ready to run.
#[derive(Debug, Clone)]
pub struct Rule {
    pub spec: RuleSpec,
    pub regex: LazyRegex,
    /// Which group holds the secret, and what every match contains: see [`Rule::analysis`].
    analysis: Arc<OnceLock<Analysis>>,
    pub path: Option<super::lazy_regex::LazyRegex>,
    pub info: Arc<RuleInfo>,
    /// Length, character-class, placeholder and allow checks on each candidate secret.
    pub filter: Filter,
    /// Where the regex runs around each keyword occurrence.
    pub scope: Scope,
    /// The file the rule came from (for `rules list` and error messages).
    pub file: String,
    /// `Secret` or `Hygiene` (see [`RuleSpec::kind`]).
    pub kind: FindingKind,
}

/// How much of a file around each keyword occurrence a rule's regex runs over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The line holding the keyword.
    Line,
    /// That line and [`WINDOW_LINES`] lines on either side.
    Window,
    /// The whole file (multi-line blocks, or matches far from their keyword).
    File,
}

/// Lines on either side of a keyword's line that a `window` rule's regex sees. Two covers a
/// value on the line after its key and keys a line or two from their vendor's name, while a
/// keyword that is an everyday word (a vendor called `segment` or `machine`) costs a few lines
/// per occurrence instead of the whole file.
pub const WINDOW_LINES: usize = 2;

/// Whether the regex turns on `s` (`.` matches `\n`) anywhere, as in `(?s)` or `(?s-u:...)`:
/// such a rule matches across lines, so by default it sees the whole file.
fn dot_matches_newline(regex: &str) -> bool {
    regex.match_indices("(?").any(|(i, _)| {
        regex[i + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic() || *c == '-')
            .take_while(|&c| c != '-')
            .any(|c| c == 's')
    })
}

/// Regexes are linear time, but a huge compiled program still costs memory per thread.
const REGEX_SIZE_LIMIT: usize = 16 << 20;

/// A rule's regex, compiled the first time a file needs it. Most rules never meet their keyword
/// in a given tree, and compiling all ~300 up front costs about 0.1 s, as much as scanning
/// 200 MB. Built-in rules are compiled lazily (the test suite compiles and runs every one);
/// a user's rules are compiled when loaded, so a bad one is reported before the scan.
#[derive(Debug, Clone)]
pub struct LazyRegex {
    pattern: String,
    compiled: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    fn new(pattern: &str) -> LazyRegex {
        LazyRegex {
            pattern: pattern.to_string(),
            compiled: OnceLock::new(),
        }
    }

    /// Rule regexes are ASCII: `\w`, `\d`, `\s` and `\b` mean what they mean in Go's RE2
    /// (gitleaks' rules carry over unchanged) and every secret format is ASCII. Unicode classes
    /// would only make programs bigger: compiling the built-in rules takes 26 ms instead of
    /// 66 ms, and the lazy DFAs have fewer states to build during the scan.
    fn build(pattern: &str) -> Result<Regex, regex::Error> {
        RegexBuilder::new(pattern)
            .unicode(false)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
    }

    /// Compiles now, reporting why the regex cannot be compiled.
    fn compile_now(&self) -> Result<(), regex::Error> {
        if self.compiled.get().is_none() {
            let regex = LazyRegex::build(&self.pattern)?;
            let _ = self.compiled.set(Some(regex));
        }
        Ok(())
    }

    /// The compiled regex; `None` only for a built-in pattern that parses but is over the size
    /// limit, which the test suite rules out.
    pub fn get(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| LazyRegex::build(&self.pattern).ok())
            .as_ref()
    }
}

/// Capture groups of a regex that parses: (index, name) of each, in any order.
fn capture_groups(hir: &regex_syntax::hir::Hir, out: &mut Vec<(u32, Option<String>)>) {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) => {
            out.push((c.index, c.name.as_deref().map(str::to_string)));
            capture_groups(&c.sub, out);
        }
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            for sub in subs {
                capture_groups(sub, out);
            }
        }
        HirKind::Repetition(r) => capture_groups(&r.sub, out),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {}
    }
}

/// What the rule's pattern says beyond matching: where the secret is and what every match
/// must contain. Parsing every built-in pattern for it was a third of a scan's start (25 ms),
/// most of it for rules that never meet their keyword, so built-in rules work it out on first
/// use (the test suite does it for every one); a user's rules at load, to report errors then.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Index of the capture group holding the secret.
    pub secret_group: usize,
    /// Whether that group is named (`secret`) or set (`secret_group`); if not, the first
    /// capture group that took part in a match holds the secret.
    pub secret_group_named: bool,
    /// What every match contains (some bytes, a run of a class): a region without it is not
    /// searched.
    pub required: Option<Required>,
}

/// The [`Analysis`] of `pattern` with the spec's `secret_group`, or why there is none.
fn analyse(
    pattern: &str,
    secret_group: Option<usize>,
    keywords: &[String],
) -> Result<Analysis, String> {
    // As `LazyRegex::build` parses: patterns may match bytes that are not UTF-8.
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .unicode(false)
        .build()
        .parse(pattern)
        .map_err(|e| format!("invalid regex: {e}"))?;
    let mut groups = Vec::new();
    capture_groups(&hir, &mut groups);
    let named = groups
        .iter()
        .find(|(_, name)| name.as_deref() == Some("secret"))
        .map(|&(i, _)| i as usize);
    // An explicit group holds the secret even when it did not take part in a match.
    let explicit_group = named.is_some() || secret_group.is_some();
    let group = match (secret_group, named) {
        (Some(n), _) if n >= 1 && groups.iter().any(|&(i, _)| i as usize == n) => n,
        (Some(n), _) => {
            return Err(format!(
                "secret_group = {n}, but the regex has {} capture group(s)",
                groups.len()
            ))
        }
        (None, Some(i)) => i,
        (None, None) if !groups.is_empty() => 1,
        (None, None) => {
            return Err(
                "regex has no capture group: wrap the secret in `(...)` or `(?P<secret>...)`"
                    .into(),
            )
        }
    };
    Ok(Analysis {
        secret_group: group,
        secret_group_named: explicit_group,
        required: Required::of(&hir, keywords),
    })
}

impl Rule {
    /// Where the secret is and what every match contains, worked out now if not yet. A
    /// built-in pattern that cannot be analysed (which the test suite rules out) runs with the
    /// first group holding the secret and no required content, rather than stop a scan.
    pub fn analysis(&self) -> &Analysis {
        self.analysis.get_or_init(|| {
            analyse(
                &self.spec.regex,
                self.spec.secret_group,
                &self.spec.keywords,
            )
            .unwrap_or(Analysis {
                secret_group: 1,
                secret_group_named: false,
                required: None,
            })
        })
    }

    /// [`analysis`](Self::analysis), or why the pattern has none (`rules check` and the tests
    /// run it on every built-in rule).
    pub fn check_analysis(&self) -> Result<&Analysis, RuleError> {
        if let Some(a) = self.analysis.get() {
            return Ok(a);
        }
        let a = analyse(
            &self.spec.regex,
            self.spec.secret_group,
            &self.spec.keywords,
        )
        .map_err(|message| RuleError {
            file: self.file.clone(),
            rule: Some(self.spec.id.clone()),
            message,
        })?;
        Ok(self.analysis.get_or_init(|| a))
    }
}

impl Rule {
    /// Compiles and validates one rule spec (a user's rule: its regex is compiled now).
    pub fn compile(spec: RuleSpec, file: &str) -> Result<Rule, RuleError> {
        let rule = Rule::validate(spec, file, true)?;
        rule.check_analysis()?;
        rule.compile_regex()
    }

    /// Compiles a rule imported from another tool's configuration (a `.gitleaks.toml`), which
    /// has no examples and may have no keywords (it then runs on every file, as there).
    pub fn compile_imported(spec: RuleSpec, file: &str) -> Result<Rule, RuleError> {
        let rule = Rule::validate(spec, file, false)?;
        rule.check_analysis()?;
        rule.compile_regex()
    }

    fn compile_regex(self) -> Result<Rule, RuleError> {
        self.compile_regexes()?;
        Ok(self)
    }

    /// Compiles every regex of the rule now (its pattern, path and `allow` regexes), which a
    /// scan otherwise compiles on first use: for loaded rules and `rules check`, so a pattern
    /// that parses but cannot be compiled (over the size limit) is an error, not a rule that
    /// never matches.
    pub fn compile_regexes(&self) -> Result<(), RuleError> {
        let err = |message: String| RuleError {
            file: self.file.clone(),
            rule: Some(self.spec.id.clone()),
            message,
        };
        self.regex
            .compile_now()
            .map_err(|e| err(format!("invalid regex: {e}")))?;
        if let Some(p) = &self.path {
            p.compile_now()
                .map_err(|e| err(format!("invalid path regex: {e}")))?;
        }
        self.filter.compile_now().map_err(err)
    }

    /// Validates one rule spec, leaving its regex to be compiled on first use.
    pub fn compile_lazy(spec: RuleSpec, file: &str) -> Result<Rule, RuleError> {
        Rule::validate(spec, file, true)
    }

    /// Checks a spec and builds the rule, its regex left uncompiled. `ours`: a rule written
    /// for hygiene, which must carry examples and keywords (or a path).
    fn validate(spec: RuleSpec, file: &str, ours: bool) -> Result<Rule, RuleError> {
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
            return Err(err(
                "id must be lowercase letters, digits and `-` (e.g. `aws-access-key-id`)".into(),
            ));
        }
        let regex = LazyRegex::new(&spec.regex);
        if spec.keywords.iter().any(|k| k.is_empty()) {
            return Err(err("keywords must not be empty strings".into()));
        }
        if ours && spec.keywords.is_empty() && spec.path.is_none() {
            return Err(err(
                "a rule needs at least one keyword (a literal that must occur for the regex to run)"
                    .into(),
            ));
        }
        let path = match &spec.path {
            Some(p) => Some(
                super::lazy_regex::LazyRegex::new(p, false)
                    .map_err(|e| err(format!("invalid path regex: {e}")))?,
            ),
            None => None,
        };
        if ours && spec.examples.is_empty() {
            return Err(err(
                "a rule needs at least one example that it must match".into()
            ));
        }
        let scope = match spec.scope.as_deref() {
            None if dot_matches_newline(&spec.regex) => Scope::File,
            None | Some("window") => Scope::Window,
            Some("line") => Scope::Line,
            Some("file") => Scope::File,
            Some(other) => {
                return Err(err(format!(
                    "unknown scope {other:?}: use \"line\", \"window\" or \"file\""
                )))
            }
        };
        let filter = Filter::compile(&FilterSpec {
            min_length: spec.min_length,
            max_length: spec.max_length,
            min_char_classes: spec.min_char_classes,
            placeholder: spec.placeholder,
            allow: &spec.allow,
            stopwords: &spec.stopwords,
            decode: spec.decode.as_deref(),
        })
        .map_err(err)?;
        let kind = match spec.kind.as_deref() {
            None | Some("secret") => FindingKind::Secret,
            Some("hygiene") => FindingKind::Hygiene,
            Some(other) => {
                return Err(err(format!(
                    "unknown kind {other:?}: use \"secret\" or \"hygiene\""
                )))
            }
        };
        if let Some(v) = &spec.validate {
            v.check().map_err(&err)?;
            if kind == FindingKind::Hygiene {
                return Err(err("a hygiene rule finds no credential to validate".into()));
            }
        }
        let info = Arc::new(rule_info(&spec, kind));
        Ok(Rule {
            spec,
            regex,
            analysis: Arc::default(),
            path,
            info,
            filter,
            scope,
            file: file.to_string(),
            kind,
        })
    }

    /// Whether the rule's id marks it as a generic (no vendor prefix) rule.
    pub fn is_generic(&self) -> bool {
        self.spec.id.starts_with("generic-")
    }
}

fn rule_info(spec: &RuleSpec, kind: FindingKind) -> RuleInfo {
    if kind == FindingKind::Hygiene {
        let fix = spec.remediation.as_deref().unwrap_or("");
        return RuleInfo {
            id: spec.id.clone(),
            name: spec.name.clone(),
            short_description: spec.name.clone(),
            full_description: spec.description.clone(),
            help_markdown: format!(
                "**{}**\n\n{}\n\n**What to do**\n\n{fix}\n\nTo turn the rule off, add its id to \
                 `[secrets] disable` in `.hygiene.toml`; to accept one line, add a `hygiene:allow` \
                 comment on it.",
                spec.name, spec.description
            ),
            tags: vec!["security".to_string(), "hygiene".to_string()],
            severity: spec.severity,
            confidence: spec.confidence,
            security_severity: spec.severity.security_severity(),
        };
    }
    let mut help = format!(
        "**{}**\n\n{}\n\n\
         **What to do**\n\n\
         1. Treat the secret as compromised: revoke or rotate it at the provider now. Removing it \
         from the file does not un-leak it.\n\
         2. Remove it from the code and load it at run time from the environment or a secret \
         manager.\n\
         3. If it reached a shared branch, purge it from git history (`git filter-repo` or BFG) \
         and force-push, after rotating.\n\n\
         If this is a false positive, add `hygiene:allow` in a comment on the line, or an \
         allowlist entry in `.hygiene.toml`.",
        spec.name, spec.description
    );
    if let Some(extra) = &spec.remediation {
        help.push_str("\n\n");
        help.push_str(extra);
    }
    let mut tags = vec!["security".to_string(), "secret".to_string()];
    if spec.id.starts_with("generic-") {
        tags.push("generic".to_string());
    }
    RuleInfo {
        id: spec.id.clone(),
        name: spec.name.clone(),
        short_description: spec.name.clone(),
        full_description: spec.description.clone(),
        help_markdown: help,
        tags,
        severity: spec.severity,
        confidence: spec.confidence,
        security_severity: spec.severity.security_severity(),
    }
}

/// A rule file's TOML, read (the rules not yet checked); the error quotes no line of it.
fn read_rule_file(file: &str, text: &str) -> Result<RuleFile, RuleError> {
    toml::from_str(text).map_err(|e| RuleError {
        file: file.to_string(),
        rule: None,
        message: format!(
            "not a valid rule file: {}",
            crate::error::toml_error(text, &e)
        ),
    })
}

/// Parses one rule file's text into compiled rules.
pub fn parse_rule_file(file: &str, text: &str) -> Result<Vec<Rule>, RuleError> {
    read_rule_file(file, text)?
        .rules
        .into_iter()
        .map(|spec| Rule::compile(spec, file))
        .collect()
}

/// The ids of the built-in rules, without validating or building the rules (what a
/// configuration that names rules needs before the rules themselves are loaded).
pub fn builtin_rule_ids() -> Vec<String> {
    #[derive(Deserialize)]
    struct Ids {
        #[serde(default)]
        rules: Vec<Id>,
    }
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    BUILTIN_PATTERNS
        .iter()
        .filter_map(|e| e.read::<Ids>().ok())
        .flat_map(|f| f.rules.into_iter().map(|r| r.id))
        .collect()
}

/// The rules compiled into the binary (validated; regexes compiled on first use).
///
/// One rule file per task, in parallel: parsing the TOML and every pattern's syntax is most
/// of a scan's start (about 35 ms of 85 on one core), which a pre-commit hook or a scan the
/// cache answers pays in full. The rules keep the files' order.
pub fn builtin_rules() -> Result<Vec<Rule>, RuleError> {
    use rayon::prelude::*;
    let files: Vec<Vec<Rule>> = BUILTIN_PATTERNS
        .par_iter()
        .map(|embedded| {
            let file = format!("patterns/{}", embedded.name);
            let parsed: RuleFile = embedded.read().map_err(|e| RuleError {
                file: file.clone(),
                rule: None,
                message: format!("not a valid rule file: {e}"),
            })?;
            parsed
                .rules
                .into_iter()
                .map(|spec| Rule::compile_lazy(spec, &file))
                .collect()
        })
        .collect::<Result<_, RuleError>>()?;
    Ok(files.into_iter().flatten().collect())
}

/// The rule files compiled into the binary (for the tests of `embedded`).
pub fn embedded_files() -> &'static [super::embedded::Embedded] {
    BUILTIN_PATTERNS
}

/// Loads every `*.toml` file in `dir` (not recursive), in name order.
pub fn load_rule_dir(dir: &Path) -> Result<Vec<Rule>, RuleError> {
    let dir_err = |message: String| RuleError {
        file: dir.display().to_string(),
        rule: None,
        message,
    };
    let entries =
        std::fs::read_dir(dir).map_err(|e| dir_err(format!("cannot read rule directory: {e}")))?;
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    if files.is_empty() {
        return Err(dir_err("no *.toml rule files in this directory".into()));
    }
    files.sort();
    let mut rules = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).map_err(|e| RuleError {
            file: path.display().to_string(),
            rule: None,
            message: format!("cannot read: {e}"),
        })?;
        rules.extend(parse_rule_file(&path.display().to_string(), &text)?);
    }
    Ok(rules)
}

/// Rejects two rules with one id: findings, baselines and SARIF rules are keyed by it.
pub fn check_unique_ids(rules: &[Rule]) -> Result<(), RuleError> {
    let mut seen = std::collections::HashMap::new();
    for rule in rules {
        if let Some(first) = seen.insert(rule.spec.id.as_str(), rule.file.as_str()) {
            return Err(RuleError {
                file: rule.file.clone(),
                rule: Some(rule.spec.id.clone()),
                message: format!("duplicate rule id (also defined in {first})"),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(regex: &str) -> String {
        format!(
            "[[rules]]\nid = \"t\"\nname = \"T\"\ndescription = \"d\"\nregex = '''{regex}'''\n\
             keywords = [\"k\"]\nseverity = \"high\"\nconfidence = \"high\"\nexamples = [\"k1\"]\n"
        )
    }

    #[test]
    fn missing_capture_group_is_a_clear_error() {
        let e = parse_rule_file("x.toml", &spec("k[0-9]")).unwrap_err();
        assert!(e.message.contains("no capture group"), "{e}");
    }

    #[test]
    fn bad_regex_is_a_clear_error() {
        let e = parse_rule_file("x.toml", &spec("k([0-9]")).unwrap_err();
        assert!(e.message.contains("invalid regex"), "{e}");
        assert_eq!(e.rule.as_deref(), Some("t"));
    }

    #[test]
    fn named_group_wins() {
        let rules = parse_rule_file("x.toml", &spec("(k)(?P<secret>[0-9])")).unwrap();
        assert_eq!(rules[0].analysis().secret_group, 2);
    }

    #[test]
    fn unknown_field_is_rejected() {
        let text = spec("k([0-9])") + "colour = \"red\"\n";
        assert!(parse_rule_file("x.toml", &text).is_err());
    }

    #[test]
    fn perl_classes_are_ascii_as_in_gitleaks() {
        let rules = parse_rule_file("x.toml", &spec(r"k=(\w+)")).unwrap();
        let regex = rules[0].regex.get().unwrap();
        let caps = regex.captures("k=abc\u{e9}1".as_bytes()).unwrap();
        assert_eq!(&caps[1], b"abc");
    }
}
