//! Sensitive files, found by path: a committed `id_rsa`, keystore, `.env`, `.ppk`, password
//! database or credential store is a finding whatever its content, even when it is binary or
//! no content rule matches (a DER key, a PKCS#12 bundle, a KeePass database).
//!
//! The rules are data: `patterns/files/*.toml` (schema: `docs/RULES.md`), compiled into the
//! binary and parsed once per process ([`builtin`]). Each rule is a regex over the lowercased
//! relative path; the first rule that matches names the finding, and the file's
//! `not_sensitive` regexes (templates, public halves, documents) veto any match. Every rule
//! lists paths it must report (`examples`) and look-alikes it must not (`negative_examples`);
//! [`check_examples`] runs them, for `hygiene rules check` and the test suite.
//!
//! The working-tree scan asks [`SensitiveFiles::check`] about every regular file's path before
//! the file is read (the walk's per-path hook, which sees binary and oversized files too), and
//! [`SensitiveFiles::check_unread`] about a readable credential file whose content could not be
//! read as text or that no credential-file format reads. Findings are of kind `secret` (they
//! are credentials, and baselines, allowlists and `--min-confidence` treat them like any other
//! secret), rule ids `sensitive-file-<what>`, at line 1, with a fingerprint over rule id and
//! path (the content is not read here, so a changed file keeps its fingerprint).
//!
//! Files under a test-looking directory (`test/`, `tests/`, `testdata/`, `fixtures/`,
//! `examples/`, ...) are still reported, one confidence level lower: test keys are committed
//! on purpose more often than not, but a real key in a test directory is still a real key.

use super::check::ExampleFailure;
use super::context::in_test_directory;
use super::rule::RuleError;
use crate::finding::{fingerprint, Confidence, Finding, FindingKind, RuleInfo, Severity};
use regex::{Regex, RegexSet, RegexSetBuilder};
use serde::Deserialize;
use std::sync::{Arc, OnceLock};

include!(concat!(env!("OUT_DIR"), "/builtin_files.rs"));

/// Every sensitive-file rule id starts with this.
pub const ID_PREFIX: &str = "sensitive-file-";

/// One `[[files]]` table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensitiveSpec {
    /// `sensitive-file-<what>`: lowercase letters, digits and `-`.
    pub id: String,
    pub name: String,
    pub description: String,
    /// Regex searched in the lowercased relative path (`/`-separated).
    pub path: String,
    pub severity: Severity,
    pub confidence: Confidence,
    /// A text format that credential-file formats (`patterns/formats/`) read: its located
    /// credentials are the findings, and the path alone is reported only when the content
    /// cannot be read as text (binary, encrypted, over the size limit) or no format knows it.
    pub readable: bool,
    /// Paths the rule must report.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Look-alike paths no sensitive-file rule may report.
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

/// One sensitive-file rule file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    /// Regexes over the lowercased path: a path any of them matches is reported by no rule.
    #[serde(default)]
    not_sensitive: Vec<String>,
    #[serde(default)]
    files: Vec<SensitiveSpec>,
}

/// A sensitive-file rule ready to run.
#[derive(Debug)]
pub struct SensitiveRule {
    pub spec: SensitiveSpec,
    pub info: Arc<RuleInfo>,
    /// The file the rule came from (for error messages).
    pub file: String,
}

/// Sensitive-file rules, validated; their regexes are compiled on first use.
#[derive(Debug)]
pub struct SensitiveRules {
    rules: Vec<SensitiveRule>,
    /// Every file's `not_sensitive` regexes, with the file each came from.
    not_sensitive: Vec<(String, String)>,
    compiled: OnceLock<Result<Compiled, RuleError>>,
}

/// The regexes of a [`SensitiveRules`], compiled.
#[derive(Debug)]
struct Compiled {
    /// Every rule's `path`, in rule order.
    set: RegexSet,
    /// The `not_sensitive` regexes as one alternation (`None`: there are none).
    not: Option<Regex>,
}

impl SensitiveRules {
    /// Parses and validates rule files, given as (name for messages, text), in order: rules
    /// keep the order of the files and of the tables in each file. Regexes are compiled by
    /// [`Self::compile`] or on first use: listing the rules (`rule_ids`, which every scan's
    /// configuration check calls) then costs no regex compilation.
    pub fn parse(files: &[(&str, &str)]) -> Result<SensitiveRules, RuleError> {
        let mut rules: Vec<SensitiveRule> = Vec::new();
        let mut not_sensitive = Vec::new();
        for &(file, text) in files {
            let parsed: RuleFile = toml::from_str(text).map_err(|e| RuleError {
                file: file.to_string(),
                rule: None,
                message: format!(
                    "not a valid sensitive-file rule file: {}",
                    crate::error::toml_error(text, &e)
                ),
            })?;
            not_sensitive.extend(
                parsed
                    .not_sensitive
                    .into_iter()
                    .map(|p| (file.to_string(), p)),
            );
            for spec in parsed.files {
                let err = |message: String| RuleError {
                    file: file.to_string(),
                    rule: Some(spec.id.clone()),
                    message,
                };
                let well_formed = spec.id.len() > ID_PREFIX.len()
                    && spec.id.starts_with(ID_PREFIX)
                    && spec
                        .id
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
                if !well_formed {
                    return Err(err(format!(
                        "id must be `{ID_PREFIX}<what>` in lowercase letters, digits and `-` \
                         (e.g. `sensitive-file-env`)"
                    )));
                }
                if let Some(first) = rules.iter().find(|r| r.spec.id == spec.id) {
                    return Err(err(format!(
                        "duplicate rule id (also defined in {})",
                        first.file
                    )));
                }
                let info = Arc::new(info(&spec));
                rules.push(SensitiveRule {
                    spec,
                    info,
                    file: file.to_string(),
                });
            }
        }
        Ok(SensitiveRules {
            rules,
            not_sensitive,
            compiled: OnceLock::new(),
        })
    }

    /// The rules, in the order they are tried.
    pub fn rules(&self) -> &[SensitiveRule] {
        &self.rules
    }

    /// Compiles the regexes now (once), naming the rule or exclusion whose regex is invalid.
    pub fn compile(&self) -> Result<(), RuleError> {
        self.compiled().map(|_| ())
    }

    fn compiled(&self) -> Result<&Compiled, RuleError> {
        self.compiled
            .get_or_init(|| self.build())
            .as_ref()
            .map_err(Clone::clone)
    }

    fn build(&self) -> Result<Compiled, RuleError> {
        // Compiling one regex at a time would cost as much again: only when a whole fails is
        // each part compiled alone, to name the culprit.
        let set = RegexSetBuilder::new(self.rules.iter().map(|r| r.spec.path.as_str()))
            .build()
            .map_err(|e| {
                let culprit = self.rules.iter().find_map(|r| {
                    let e = Regex::new(&r.spec.path).err()?;
                    Some(RuleError {
                        file: r.file.clone(),
                        rule: Some(r.spec.id.clone()),
                        message: format!("invalid path regex: {e}"),
                    })
                });
                culprit.unwrap_or_else(|| self.whole_error("path", e))
            })?;
        let not = if self.not_sensitive.is_empty() {
            None
        } else {
            let alternation: Vec<String> = self
                .not_sensitive
                .iter()
                .map(|(_, p)| format!("(?:{p})"))
                .collect();
            let not = Regex::new(&alternation.join("|")).map_err(|e| {
                let culprit = self.not_sensitive.iter().find_map(|(file, p)| {
                    let e = Regex::new(p).err()?;
                    Some(RuleError {
                        file: file.clone(),
                        rule: None,
                        message: format!("invalid `not_sensitive` regex {p:?}: {e}"),
                    })
                });
                culprit.unwrap_or_else(|| self.whole_error("`not_sensitive`", e))
            })?;
            Some(not)
        };
        Ok(Compiled { set, not })
    }

    fn whole_error(&self, what: &str, e: regex::Error) -> RuleError {
        RuleError {
            file: self
                .rules
                .first()
                .map_or_else(String::new, |r| r.file.clone()),
            rule: None,
            message: format!("the {what} regexes do not compile together: {e}"),
        }
    }
}

impl Compiled {
    /// Index of the rule that reports `lower` (a lowercased relative path): the first enabled
    /// rule whose path matches, unless a `not_sensitive` regex matches. `enabled[i]` says
    /// whether rule `i` is on (all rules are when `enabled` is empty).
    fn rule_for(&self, lower: &str, enabled: &[bool]) -> Option<usize> {
        // Nearly every path matches nothing, and `is_match` stops at the first match state
        // instead of tracking every pattern to the end of the path.
        if !self.set.is_match(lower) {
            return None;
        }
        let first = self
            .set
            .matches(lower)
            .into_iter()
            .find(|&i| enabled.get(i).copied().unwrap_or(enabled.is_empty()))?;
        if self.not.as_ref().is_some_and(|n| n.is_match(lower)) {
            return None;
        }
        Some(first)
    }
}

/// Whether the regex has a literal uppercase ASCII letter (outside `(?i)`).
fn has_uppercase_literal(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Literal(l) => l.0.iter().any(u8::is_ascii_uppercase),
        HirKind::Capture(c) => has_uppercase_literal(&c.sub),
        HirKind::Repetition(r) => has_uppercase_literal(&r.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().any(has_uppercase_literal)
        }
        HirKind::Empty | HirKind::Class(_) | HirKind::Look(_) => false,
    }
}

/// The sensitive-file rule files compiled into the binary (for the tests of `embedded`).
pub fn embedded_files() -> &'static [super::embedded::Embedded] {
    BUILTIN_FILES
}

/// The built-in rules (`patterns/files/*.toml`), parsed once per process.
fn parsed() -> &'static Result<SensitiveRules, RuleError> {
    static BUILTIN: OnceLock<Result<SensitiveRules, RuleError>> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        let names: Vec<String> = BUILTIN_FILES
            .iter()
            .map(|e| format!("patterns/files/{}", e.name))
            .collect();
        let files: Vec<(&str, &str)> = names
            .iter()
            .zip(BUILTIN_FILES)
            .map(|(name, e)| (name.as_str(), e.toml))
            .collect();
        SensitiveRules::parse(&files)
    })
}

/// The built-in rules (`patterns/files/*.toml`), parsed and compiled once per process: any
/// error in them.
pub fn builtin() -> Result<&'static SensitiveRules, RuleError> {
    let rules = parsed().as_ref().map_err(Clone::clone)?;
    rules.compile()?;
    Ok(rules)
}

/// The built-in rules for the infallible API below. They are compiled into the binary and
/// the test suite loads them, so a failure here is a build defect, not bad input.
fn loaded() -> &'static SensitiveRules {
    match parsed() {
        Ok(rules) => rules,
        Err(e) => panic!("the built-in sensitive-file rules do not load: {e}"),
    }
}

/// Ids of every sensitive-file rule (for `rules list` and config validation).
pub fn rule_ids() -> Vec<&'static str> {
    loaded().rules.iter().map(|r| r.spec.id.as_str()).collect()
}

/// Rule info of every sensitive-file rule, as `rules list` and SARIF show them.
pub fn rule_infos() -> Vec<Arc<RuleInfo>> {
    loaded().rules.iter().map(|r| r.info.clone()).collect()
}

fn info(k: &SensitiveSpec) -> RuleInfo {
    RuleInfo {
        id: k.id.to_string(),
        name: k.name.to_string(),
        short_description: k.name.to_string(),
        full_description: k.description.to_string(),
        help_markdown: format!(
            "**{}**\n\n{}\n\n**What to do**\n\n\
             1. Treat every credential in the file as compromised: rotate or revoke it.\n\
             2. Remove the file from the repository (`git rm --cached`), add it to \
             `.gitignore`, and purge it from history (`git filter-repo`) after rotating.\n\n\
             If the file is meant to be public (a test fixture, a throwaway key), allow its path \
             in `.hygiene.toml` (`[allow] paths = [...]`) or add it to the baseline.",
            k.name, k.description
        ),
        tags: vec![
            "security".to_string(),
            "secret".to_string(),
            "sensitive-file".to_string(),
        ],
        severity: k.severity,
        confidence: k.confidence,
        security_severity: k.severity.security_severity(),
    }
}

/// Checks that the regexes compile, that no `path` has an uppercase letter (it could never
/// match the lowercased path), that each rule reports each of its examples (the rule itself,
/// not an earlier one) and that no rule reports any negative example; each rule needs at
/// least one of both.
pub fn check_examples(rules: &SensitiveRules) -> Vec<ExampleFailure> {
    let compiled = match rules.compiled() {
        Ok(c) => c,
        Err(e) => {
            return vec![ExampleFailure {
                rule: e.rule.unwrap_or_else(|| "not_sensitive".to_string()),
                file: e.file,
                message: e.message,
            }]
        }
    };
    let mut failures = Vec::new();
    for (i, rule) in rules.rules.iter().enumerate() {
        let fail = |message: String| ExampleFailure {
            rule: rule.spec.id.clone(),
            file: rule.file.clone(),
            message,
        };
        if regex_syntax::parse(&rule.spec.path).is_ok_and(|hir| has_uppercase_literal(&hir)) {
            failures.push(fail(
                "path regex has an uppercase letter, which never matches: it is searched in \
                 the lowercased path"
                    .into(),
            ));
        }
        if rule.spec.examples.is_empty() || rule.spec.negative_examples.is_empty() {
            failures.push(fail(
                "a sensitive-file rule needs at least one example and one negative example".into(),
            ));
        }
        for ex in &rule.spec.examples {
            let lower = ex.to_lowercase();
            match compiled.rule_for(&lower, &[]) {
                Some(j) if j == i => {}
                Some(j) => failures.push(fail(format!(
                    "example {ex:?} is reported by rule `{}` instead",
                    rules.rules[j].spec.id
                ))),
                None if compiled.set.matches(&lower).matched(i) => failures.push(fail(format!(
                    "example {ex:?} is excluded by `not_sensitive`"
                ))),
                None => failures.push(fail(format!("example {ex:?} does not match `path`"))),
            }
        }
        for ex in &rule.spec.negative_examples {
            match compiled.rule_for(&ex.to_lowercase(), &[]) {
                None => {}
                Some(j) if j == i => {
                    failures.push(fail(format!("negative example {ex:?} matched")))
                }
                Some(j) => failures.push(fail(format!(
                    "negative example {ex:?} is reported by rule `{}`",
                    rules.rules[j].spec.id
                ))),
            }
        }
    }
    failures
}

/// The sensitive-file checker of a scan: the built-in rules less the disabled ones.
pub struct SensitiveFiles {
    rules: &'static SensitiveRules,
    compiled: &'static Compiled,
    /// Parallel to the rules.
    enabled: Vec<bool>,
}

impl SensitiveFiles {
    /// Every rule except those whose id is in `disabled`.
    pub fn new(disabled: &[String]) -> SensitiveFiles {
        let rules = loaded();
        let compiled = match rules.compiled() {
            Ok(compiled) => compiled,
            Err(e) => panic!("the built-in sensitive-file rules do not compile: {e}"),
        };
        let enabled = rules
            .rules
            .iter()
            .map(|r| !disabled.contains(&r.spec.id))
            .collect();
        SensitiveFiles {
            rules,
            compiled,
            enabled,
        }
    }

    /// The finding for `rel` (relative, `/`-separated) if it names a sensitive file whose
    /// content is no help (a key, a keystore, a password database): reported whatever the
    /// file holds. Readable credential files are left to [`Self::check_unread`].
    pub fn check(&self, rel: &str) -> Option<Finding> {
        self.check_kind(rel, false)
    }

    /// The finding for `rel` if it names a readable credential file (`.env`, `.netrc`,
    /// `sitemanager.xml`, ...) whose content was not read as text: binary (an encrypted
    /// DBeaver `credentials-config.json`), too large, or of a layout no format reads.
    pub fn check_unread(&self, rel: &str) -> Option<Finding> {
        self.check_kind(rel, true)
    }

    fn check_kind(&self, rel: &str, readable: bool) -> Option<Finding> {
        let lower = rel.to_lowercase();
        let rule = &self.rules.rules[self.compiled.rule_for(&lower, &self.enabled)?];
        let spec = &rule.spec;
        if spec.readable != readable {
            return None;
        }
        let mut confidence = spec.confidence;
        if in_test_directory(&lower) {
            confidence = match confidence {
                Confidence::High => Confidence::Medium,
                _ => Confidence::Low,
            };
        }
        Some(Finding {
            kind: FindingKind::Secret,
            rule: rule.info.clone(),
            path: rel.to_string(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            severity: spec.severity,
            confidence,
            fingerprint: fingerprint(&[spec.id.as_str(), rel]),
            message: format!("{} committed: {rel}", spec.name),
            secret: None,
            commit: None,
            package: None,
            advisory: None,
            encoding: None,
            // A name rule: the file itself is the problem, no line in it.
            whole_file: true,
            validation: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_credential_files_are_left_to_their_content() {
        let s = SensitiveFiles::new(&[]);
        for path in [".env", ".netrc", "sitemanager.xml", "terraform.tfstate"] {
            assert!(s.check(path).is_none(), "{path}");
            assert!(s.check_unread(path).is_some(), "{path}");
        }
        for path in ["id_rsa", "vault.kdbx", "release.keystore"] {
            assert!(s.check(path).is_some(), "{path}");
            assert!(s.check_unread(path).is_none(), "{path}");
        }
    }

    #[test]
    fn findings_name_the_rule_and_the_path() {
        let f = SensitiveFiles::new(&[])
            .check("deploy/Server.PPK")
            .expect("a .ppk is reported");
        assert_eq!(f.rule.id, "sensitive-file-putty-key");
        assert_eq!(f.path, "deploy/Server.PPK");
        assert_eq!((f.line, f.column), (1, 1));
        assert_eq!(f.severity, Severity::Critical);
        assert_eq!(
            f.fingerprint,
            fingerprint(&["sensitive-file-putty-key", "deploy/Server.PPK"])
        );
        assert_eq!(
            f.message,
            "PuTTY private key file (.ppk) committed: deploy/Server.PPK"
        );
    }

    #[test]
    fn test_directories_lower_confidence() {
        let s = SensitiveFiles::new(&[]);
        assert_eq!(s.check("id_rsa").unwrap().confidence, Confidence::High);
        assert_eq!(
            s.check("tests/keys/id_rsa").unwrap().confidence,
            Confidence::Medium
        );
    }

    #[test]
    fn disabled_rules_are_skipped() {
        let s = SensitiveFiles::new(&["sensitive-file-env".to_string()]);
        assert!(s.check_unread(".env").is_none());
        assert!(s.check("id_rsa").is_some());
        // A path two rules match falls to the next enabled one.
        let s = SensitiveFiles::new(&["sensitive-file-rails-master-key".to_string()]);
        let f = s.check("config/master.key").expect("still a private key");
        assert_eq!(f.rule.id, "sensitive-file-private-key");
    }

    /// A one-rule file; `examples` and `negative_examples` are filled in by the caller.
    fn rule(id: &str, path: &str, examples: &str, negative: &str) -> String {
        format!(
            "[[files]]\nid = \"{id}\"\nname = \"N\"\ndescription = \"d\"\npath = '''{path}'''\n\
             severity = \"high\"\nconfidence = \"high\"\nreadable = false\n\
             examples = [{examples}]\nnegative_examples = [{negative}]\n"
        )
    }

    /// The error of parsing, else of compiling, `text`.
    fn load_err(text: &str) -> RuleError {
        match SensitiveRules::parse(&[("x.toml", text)]) {
            Ok(rules) => rules.compile().unwrap_err(),
            Err(e) => e,
        }
    }

    #[test]
    fn load_errors_are_clear() {
        let ok = |id: &str, path: &str| rule(id, path, "\"a.key\"", "\"a.txt\"");
        let e = load_err(&(ok("sensitive-file-a", "a") + &ok("sensitive-file-b", r"\.key(")));
        assert_eq!(e.rule.as_deref(), Some("sensitive-file-b"));
        assert!(e.message.contains("invalid path regex"), "{e}");
        let e = load_err(&ok("ssh-key", r"\.key$"));
        assert!(e.message.contains("sensitive-file-"), "{e}");
        let e = load_err(&(ok("sensitive-file-a", "a") + &ok("sensitive-file-a", "b")));
        assert!(e.message.contains("duplicate rule id"), "{e}");
        let e = load_err(&(ok("sensitive-file-a", "a") + "colour = \"red\"\n"));
        assert!(
            e.message.contains("not a valid sensitive-file rule file"),
            "{e}"
        );
        let e = load_err(&format!(
            "not_sensitive = ['a', '(']\n{}",
            ok("sensitive-file-a", "a")
        ));
        assert!(
            e.message.contains("invalid `not_sensitive` regex \"(\""),
            "{e}"
        );
        assert!(e.to_string().starts_with("x.toml: "), "{e}");
        // Both halves compile: the rules are fine.
        let rules = SensitiveRules::parse(&[("x.toml", &ok("sensitive-file-a", "a"))]).unwrap();
        assert!(rules.compile().is_ok());
    }

    #[test]
    fn example_failures_say_what_went_wrong() {
        let text = format!(
            "not_sensitive = ['''\\.txt$''']\n{}{}{}{}",
            rule(
                "sensitive-file-a",
                r"\.(?:key|txt)$",
                "\"a.key\", \"a.pem\", \"b.txt\", \"c.cer\"",
                "\"x.log\""
            ),
            rule(
                "sensitive-file-b",
                r"\.(?:cer|pem)$",
                "\"b.cer\"",
                "\"x.key\", \"y.cer\""
            ),
            rule("sensitive-file-c", r"\.crt$", "", "\"a.crt.txt\""),
            rule("sensitive-file-d", r"\.PEM$", "\"b.PEM\"", "\"b.pem.md\""),
        );
        let rules = SensitiveRules::parse(&[("x.toml", &text)]).unwrap();
        let got: Vec<String> = check_examples(&rules)
            .iter()
            .map(|f| f.to_string())
            .collect();
        assert_eq!(
            got,
            [
                "x.toml: rule `sensitive-file-a`: example \"a.pem\" is reported by rule \
                 `sensitive-file-b` instead",
                "x.toml: rule `sensitive-file-a`: example \"b.txt\" is excluded by \
                 `not_sensitive`",
                "x.toml: rule `sensitive-file-a`: example \"c.cer\" is reported by rule \
                 `sensitive-file-b` instead",
                "x.toml: rule `sensitive-file-b`: negative example \"x.key\" is reported by \
                 rule `sensitive-file-a`",
                "x.toml: rule `sensitive-file-b`: negative example \"y.cer\" matched",
                "x.toml: rule `sensitive-file-c`: a sensitive-file rule needs at least one \
                 example and one negative example",
                "x.toml: rule `sensitive-file-d`: path regex has an uppercase letter, which \
                 never matches: it is searched in the lowercased path",
                "x.toml: rule `sensitive-file-d`: example \"b.PEM\" is reported by rule \
                 `sensitive-file-b` instead",
            ]
        );
        let bad = rule("sensitive-file-a", "(", "\"a\"", "\"b\"");
        let rules = SensitiveRules::parse(&[("x.toml", &bad)]).unwrap();
        let got: Vec<String> = check_examples(&rules)
            .iter()
            .map(|f| f.to_string())
            .collect();
        assert_eq!(got.len(), 1);
        assert!(
            got[0].starts_with("x.toml: rule `sensitive-file-a`: invalid path regex"),
            "{got:?}"
        );
    }
}
