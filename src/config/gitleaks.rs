//! `.gitleaks.toml`: a gitleaks configuration, read as gitleaks reads it, so a team's custom
//! rules and allowlists keep working the day it switches to hygiene.
//!
//! What carries over (gitleaks v8 schema, `config/config.go` there):
//!
//! - `[[rules]]`: `id`, `description`, `regex`, `secretGroup`, `entropy`, `keywords`, `path`,
//!   `tags`. A rule runs its regex over the whole file when one of its keywords occurs (or on
//!   every file without keywords), as in gitleaks. Ids are lowercased, other characters
//!   turned into `-`.
//! - Allowlists: the global `[allowlist]` / `[[allowlists]]` (with `targetRules`) and each
//!   rule's `[rules.allowlist]` / `[[rules.allowlists]]`: `commits`, `paths` (regexes),
//!   `regexes` with `regexTarget` (`secret`, `match`, `line`), `stopwords`, and `condition`
//!   (`OR`, `AND`).
//! - `[extend]`: `useDefault = true` keeps hygiene's built-in rules on, as gitleaks keeps its
//!   defaults (without it, as in gitleaks, only the file's rules run); `disabledRules` turns
//!   built-in rules off, by hygiene id or by the gitleaks id of the same detection (table
//!   below); `path` extends another gitleaks file. A `[[rules]]` entry without a `regex` in
//!   an extending file adds its allowlists to the rule of that id.
//! - `title`, `description` and rule `tags` are accepted and change nothing (they do not in
//!   gitleaks either).
//!
//! Anything else is an error that names the key, so a file is never half-applied: `extend.url`
//! (unimplemented in gitleaks too), composite rules (`[[rules.required]]`, `skipReport`), and
//! any key gitleaks does not document.

use crate::error::Error;
use crate::finding::{Confidence, Severity};
use crate::secrets::allow::{AllowEntry, Condition, Target};
use crate::secrets::{Rule, RuleSpec};
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The file looked for at the scan root when there is no `.hygiene.toml`.
pub const GITLEAKS_FILE: &str = ".gitleaks.toml";

/// How deep `extend.path` may chain (gitleaks stops at 2 too).
const MAX_EXTEND_DEPTH: usize = 2;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    /// Accepted, and changes nothing (as in gitleaks).
    #[serde(default, rename = "title")]
    _title: Option<IgnoredAny>,
    /// Accepted, and changes nothing (as in gitleaks).
    #[serde(default, rename = "description")]
    _description: Option<IgnoredAny>,
    #[serde(default)]
    extend: Option<Extend>,
    #[serde(default)]
    rules: Vec<FileRule>,
    /// The deprecated single global allowlist.
    #[serde(default)]
    allowlist: Option<FileAllowlist>,
    #[serde(default)]
    allowlists: Vec<FileAllowlist>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Extend {
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default, rename = "useDefault", alias = "usedefault")]
    use_default: bool,
    #[serde(default, rename = "disabledRules", alias = "disabledrules")]
    disabled_rules: Vec<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRule {
    id: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    regex: Option<String>,
    #[serde(default, rename = "secretGroup", alias = "secretgroup")]
    secret_group: Option<usize>,
    #[serde(default)]
    entropy: Option<f64>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    path: Option<String>,
    /// Accepted, and changes nothing (as in gitleaks).
    #[serde(default, rename = "tags")]
    _tags: Option<IgnoredAny>,
    #[serde(default)]
    allowlist: Option<FileAllowlist>,
    #[serde(default)]
    allowlists: Vec<FileAllowlist>,
    /// Composite rules: known to gitleaks, not supported here (an error naming the key).
    #[serde(default)]
    required: Option<toml::Value>,
    #[serde(default, rename = "skipReport", alias = "skipreport")]
    skip_report: Option<bool>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAllowlist {
    /// Accepted, and changes nothing (as in gitleaks).
    #[serde(default, rename = "description")]
    _description: Option<IgnoredAny>,
    #[serde(default)]
    condition: Option<String>,
    #[serde(default)]
    commits: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default, rename = "regexTarget", alias = "regextarget")]
    regex_target: Option<String>,
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default, alias = "stopWords")]
    stopwords: Vec<String>,
    /// Only in the global `[[allowlists]]`.
    #[serde(default, rename = "targetRules", alias = "targetrules")]
    target_rules: Vec<String>,
}

/// A gitleaks file translated: what the scan needs from it.
#[derive(Debug, Default, Clone)]
pub struct Import {
    pub file: PathBuf,
    /// The file's rules, compiled.
    pub rules: Vec<Rule>,
    /// `extend.useDefault`: hygiene's built-in rules stay on.
    pub use_default: bool,
    /// Built-in rule ids to turn off (`disabledRules`, and built-in rules a file rule of the
    /// same id replaces).
    pub disabled: Vec<String>,
    /// Every allowlist, global and per rule.
    pub entries: Vec<AllowEntry>,
    /// What was read but has no effect here (reported as `config` warnings).
    pub warnings: Vec<String>,
}

/// gitleaks' default rule ids whose detections hygiene's built-in rules cover under other
/// ids: `disabledRules`, `targetRules` and rule overrides naming them reach these.
const GITLEAKS_IDS: &[(&str, &[&str])] = &[
    (
        "generic-api-key",
        &[
            "generic-secret",
            "generic-config-assignment",
            "generic-password",
        ],
    ),
    ("aws-access-token", &["aws-access-key-id"]),
    ("github-pat", &["github-pat-classic"]),
    ("github-fine-grained-pat", &["github-pat-fine-grained"]),
    ("github-oauth", &["github-oauth-token"]),
    (
        "github-app-token",
        &[
            "github-user-to-server-token",
            "github-server-to-server-token",
        ],
    ),
    ("gitlab-ptt", &["gitlab-pipeline-trigger-token"]),
    ("gitlab-rrt", &["gitlab-runner-registration-token"]),
    (
        "private-key",
        &[
            "private-key-rsa",
            "private-key-ec",
            "private-key-dsa",
            "private-key-openssh",
            "private-key-pkcs8",
            "private-key-pkcs8-encrypted",
            "pgp-private-key-block",
            "putty-private-key",
        ],
    ),
    (
        "stripe-access-token",
        &[
            "stripe-live-secret-key",
            "stripe-live-restricted-key",
            "stripe-test-secret-key",
        ],
    ),
    ("gcp-api-key", &["google-api-key"]),
    (
        "openai-api-key",
        &[
            "openai-project-key",
            "openai-service-account-key",
            "openai-admin-key",
            "openai-legacy-key",
        ],
    ),
    ("sendgrid-api-token", &["sendgrid-api-key"]),
    ("slack-webhook-url", &["slack-webhook-url"]),
    ("slack-bot-token", &["slack-bot-token"]),
    ("slack-user-token", &["slack-user-token"]),
    ("slack-app-token", &["slack-app-token"]),
    ("slack-legacy-token", &["slack-legacy-token"]),
    ("twilio-api-key", &["twilio-api-key"]),
    ("heroku-api-key", &["heroku-api-key"]),
    ("npm-access-token", &["npm-access-token"]),
    ("pypi-upload-token", &["pypi-upload-token"]),
    ("jwt", &["jwt"]),
    ("discord-api-token", &["discord-bot-token"]),
    ("mailgun-private-api-token", &["mailgun-api-key"]),
    ("anthropic-api-key", &["anthropic-api-key"]),
    ("hashicorp-tf-api-token", &["terraform-cloud-token"]),
    ("vault-service-token", &["vault-service-token"]),
    ("vault-batch-token", &["vault-batch-token"]),
    ("azure-ad-client-secret", &["azure-ad-client-secret"]),
    ("digitalocean-pat", &["digitalocean-pat"]),
    ("shopify-access-token", &["shopify-access-token"]),
    ("shopify-custom-access-token", &["shopify-custom-app-token"]),
    (
        "shopify-private-app-access-token",
        &["shopify-private-app-token"],
    ),
    ("shopify-shared-secret", &["shopify-shared-secret"]),
];

/// A gitleaks id as a hygiene rule id: lowercase letters, digits and `-`.
pub fn normalize_id(id: &str) -> String {
    id.trim()
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '-') => c,
            _ => '-',
        })
        .collect()
}

/// The built-in hygiene rule ids a gitleaks (or hygiene) rule id stands for: itself if
/// hygiene has it, else the table's mapping, else none.
fn builtin_ids(id: &str, builtin: &[String]) -> Vec<String> {
    let id = normalize_id(id);
    if builtin.contains(&id) {
        return vec![id];
    }
    GITLEAKS_IDS
        .iter()
        .find(|(g, _)| *g == id)
        .map(|(_, ours)| {
            ours.iter()
                .filter(|o| builtin.iter().any(|b| b == *o))
                .map(|o| o.to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn read(path: &Path) -> Result<File, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::config(format!(
            "cannot read the gitleaks configuration {}: {e}",
            path.display()
        ))
    })?;
    toml::from_str(&text).map_err(|e| {
        Error::config(format!(
            "{}: invalid gitleaks configuration: {}",
            path.display(),
            crate::error::toml_error(&text, &e)
        ))
    })
}

/// Reads the gitleaks file at `path`, following `extend.path`, and translates it. `builtin`
/// lists hygiene's built-in rule ids (for `disabledRules` and overrides).
pub fn load(path: &Path, builtin: &[String]) -> Result<Import, Error> {
    let name = path.display().to_string();
    let err = |msg: String| Error::config(format!("{name}: {msg}"));
    let mut file = read(path)?;
    // `extend.path`: the extended file's rules first, this file's merged over them.
    let mut depth = 0;
    let mut dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut extend = file.extend.take().unwrap_or_default();
    let (mut use_default, mut disabled_rules) = (extend.use_default, extend.disabled_rules.clone());
    while let Some(next) = extend.path.take() {
        if extend.url.is_some() {
            return Err(err(
                "extend.url is not supported: download the file and name it in extend.path".into(),
            ));
        }
        if use_default {
            return Err(err(
                "extend.path and extend.useDefault cannot both be set (as in gitleaks)".into(),
            ));
        }
        depth += 1;
        if depth > MAX_EXTEND_DEPTH {
            return Err(err(format!(
                "extend.path nests deeper than {MAX_EXTEND_DEPTH} files"
            )));
        }
        let next = dir.join(next);
        let mut base = read(&next)?;
        dir = next.parent().map(Path::to_path_buf).unwrap_or_default();
        extend = base.extend.take().unwrap_or_default();
        use_default = extend.use_default;
        disabled_rules.extend(extend.disabled_rules.iter().cloned());
        base.rules.retain(|r| {
            !disabled_rules
                .iter()
                .any(|d| normalize_id(d) == normalize_id(&r.id))
        });
        file = merge(base, file);
    }
    if extend.url.is_some() {
        return Err(err(
            "extend.url is not supported: download the file and name it in extend.path".into(),
        ));
    }

    let mut import = Import {
        file: path.to_path_buf(),
        use_default,
        ..Import::default()
    };
    for id in &disabled_rules {
        let ours = builtin_ids(id, builtin);
        if ours.is_empty() && use_default {
            import.warnings.push(format!(
                "{name}: extend.disabledRules: `{id}` names no hygiene rule (see `hygiene rules list`); nothing disabled"
            ));
        }
        import.disabled.extend(ours);
    }

    let mut own_ids: Vec<String> = Vec::new();
    for (i, rule) in file.rules.iter().enumerate() {
        let id = normalize_id(&rule.id);
        let at = format!("rules[{i}] (`{}`)", rule.id);
        if id.trim_matches('-').is_empty() {
            return Err(err(format!("{at}: id is empty")));
        }
        if rule.required.is_some() {
            return Err(err(format!("{at}: rules.required (composite rules) is not supported by hygiene; write one regex that matches both parts, or drop the rule")));
        }
        if rule.skip_report.is_some() {
            return Err(err(format!(
                "{at}: rules.skipReport (for composite rules) is not supported by hygiene"
            )));
        }
        if rule.allowlist.is_some() && !rule.allowlists.is_empty() {
            return Err(err(format!("{at}: [rules.allowlist] cannot be used alongside [[rules.allowlists]] (as in gitleaks)")));
        }
        let targets = match &rule.regex {
            Some(regex) => {
                let spec = rule_spec(rule, &id, regex);
                let compiled = Rule::compile_imported(spec, &name).map_err(|e| err(format!("{at}: {}", e.message)))?;
                // A file rule with a built-in id replaces that rule, as in gitleaks.
                if use_default && builtin.contains(&id) {
                    import.disabled.push(id.clone());
                }
                import.rules.push(compiled);
                own_ids.push(id.clone());
                vec![id]
            }
            None if rule.path.is_some() => {
                return Err(err(format!("{at}: a rule with `path` and no `regex` (reporting a file by its name) is not supported; hygiene's sensitive-file rules report key and credential files by name")));
            }
            None if use_default => {
                // An override of a default rule: its allowlists join that rule.
                let ours = builtin_ids(&rule.id, builtin);
                if ours.is_empty() {
                    import.warnings.push(format!("{name}: {at}: no hygiene rule has this id, so its allowlists apply to nothing"));
                }
                ours
            }
            None => return Err(err(format!("{at}: rules.regex is missing (a rule without a regex only adds allowlists to a default rule of that id, which needs `[extend] useDefault = true`)"))),
        };
        let lists = rule.allowlist.iter().chain(&rule.allowlists);
        for (j, list) in lists.enumerate() {
            let at = format!("{at}: allowlists[{j}]");
            if !list.target_rules.is_empty() {
                return Err(err(format!(
                    "{at}: targetRules belongs in the global [[allowlists]]"
                )));
            }
            if targets.is_empty() {
                continue;
            }
            import
                .entries
                .push(entry(list, targets.clone()).map_err(|m| err(format!("{at}: {m}")))?);
        }
    }

    if file.allowlist.is_some() && !file.allowlists.is_empty() {
        return Err(err(
            "[allowlist] cannot be used alongside [[allowlists]] (as in gitleaks)".into(),
        ));
    }
    for (j, list) in file.allowlist.iter().chain(&file.allowlists).enumerate() {
        let at = format!("allowlists[{j}]");
        let mut rules = Vec::new();
        for target in &list.target_rules {
            let id = normalize_id(target);
            if own_ids.contains(&id) {
                rules.push(id);
                continue;
            }
            let ours = if use_default {
                builtin_ids(target, builtin)
            } else {
                Vec::new()
            };
            if ours.is_empty() {
                return Err(err(format!(
                    "{at}: targetRules: no rule has the id `{target}`"
                )));
            }
            rules.extend(ours);
        }
        import
            .entries
            .push(entry(list, rules).map_err(|m| err(format!("{at}: {m}")))?);
    }
    Ok(import)
}

/// `base` with `over` merged in, as gitleaks extends a file: `over`'s rules replace the
/// fields they set of the base rule of the same id, keywords, tags and allowlists add up;
/// allowlists add up.
fn merge(mut base: File, over: File) -> File {
    for rule in over.rules {
        let id = normalize_id(&rule.id);
        match base.rules.iter_mut().find(|r| normalize_id(&r.id) == id) {
            Some(b) => {
                if rule.description.is_some() {
                    b.description = rule.description;
                }
                if rule.regex.is_some() {
                    b.regex = rule.regex;
                }
                if rule.secret_group.is_some() {
                    b.secret_group = rule.secret_group;
                }
                if rule.entropy.is_some() {
                    b.entropy = rule.entropy;
                }
                if rule.path.is_some() {
                    b.path = rule.path;
                }
                b.keywords.extend(rule.keywords);
                b.allowlists.extend(b.allowlist.take());
                b.allowlists.extend(rule.allowlist);
                b.allowlists.extend(rule.allowlists);
                b.required = b.required.take().or(rule.required);
                b.skip_report = b.skip_report.or(rule.skip_report);
            }
            None => base.rules.push(rule),
        }
    }
    base.allowlists.extend(base.allowlist.take());
    base.allowlists.extend(over.allowlist);
    base.allowlists.extend(over.allowlists);
    base
}

/// A gitleaks rule as a hygiene rule spec.
fn rule_spec(rule: &FileRule, id: &str, regex: &str) -> RuleSpec {
    // gitleaks reports the whole match when the regex has no group; so does this.
    let has_group = regex_syntax::Parser::new()
        .parse(regex)
        .map(|hir| hir.properties().explicit_captures_len() > 0)
        .unwrap_or(true);
    let regex = if has_group || rule.secret_group.is_some() {
        regex.to_string()
    } else {
        format!("(?P<secret>{regex})")
    };
    let description = rule.description.clone().unwrap_or_else(|| id.to_string());
    RuleSpec {
        id: id.to_string(),
        name: description.clone(),
        description: format!("{description} (a custom rule of the gitleaks configuration)"),
        regex,
        keywords: rule
            .keywords
            .iter()
            .filter(|k| !k.is_empty())
            .cloned()
            .collect(),
        entropy: rule.entropy.filter(|e| *e > 0.0),
        path: rule.path.clone(),
        severity: Severity::High,
        confidence: Confidence::Medium,
        remediation: None,
        examples: Vec::new(),
        example_path: None,
        negative_examples: Vec::new(),
        min_length: None,
        max_length: None,
        min_char_classes: None,
        placeholder: false,
        allow: Vec::new(),
        stopwords: Vec::new(),
        decode: None,
        // gitleaks runs a rule's regex over the whole file once a keyword is in it.
        scope: Some("file".into()),
        secret_group: rule.secret_group.filter(|&g| g > 0),
        kind: None,
        validate: None,
    }
}

/// One gitleaks allowlist as an entry applying to `rules` (empty: every rule).
fn entry(list: &FileAllowlist, rules: Vec<String>) -> Result<AllowEntry, String> {
    let condition = match list
        .condition
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("") | Some("OR") | Some("||") => Condition::Any,
        Some("AND") | Some("&&") => Condition::All,
        Some(other) => {
            return Err(format!(
                "condition: unknown value `{other}` (expected OR or AND)"
            ))
        }
    };
    let target = match list.regex_target.as_deref() {
        None | Some("") | Some("secret") => Target::Secret,
        Some("match") => Target::Match,
        Some("line") => Target::Line,
        Some(other) => {
            return Err(format!(
                "regexTarget: unknown value `{other}` (expected secret, match or line)"
            ))
        }
    };
    let compile = |key: &str, patterns: &[String]| {
        patterns
            .iter()
            .map(|p| {
                regex::bytes::Regex::new(p).map_err(|e| format!("{key}: invalid regex {p:?}: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()
    };
    // An empty pattern or stopword allows everything: in gitleaks too, but there it is one
    // mistake away from turning the scan off silently, so it is refused here.
    let matches_everything =
        |p: &String| regex::Regex::new(p).is_ok_and(|re| crate::config::matches_everything(&re));
    if let Some(p) = list.paths.iter().find(|p| matches_everything(p)) {
        return Err(format!(
            "paths: {p:?} matches the empty string, so it would skip every file; anchor it to \
             the paths to skip"
        ));
    }
    if let Some(p) = list.regexes.iter().find(|p| matches_everything(p)) {
        return Err(format!(
            "regexes: {p:?} matches the empty string, so it would allow every secret; anchor it \
             to what the allowed secrets look like"
        ));
    }
    if list.stopwords.iter().any(|w| w.trim().is_empty()) {
        return Err("stopwords: an empty stopword would allow every secret; remove it".into());
    }
    let e = AllowEntry {
        rules,
        condition,
        commits: list
            .commits
            .iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect(),
        paths: compile("paths", &list.paths)?,
        regexes: compile("regexes", &list.regexes)?,
        target,
        stopwords: list.stopwords.iter().map(|s| s.to_lowercase()).collect(),
    };
    if e.commits.is_empty() && e.paths.is_empty() && e.regexes.is_empty() && e.stopwords.is_empty()
    {
        return Err("an allowlist needs at least one of commits, paths, regexes or stopwords (as in gitleaks)".into());
    }
    if e.needs_commit() && e.target != Target::Secret && !e.regexes.is_empty() {
        return Err("commits together with regexTarget = \"match\" or \"line\" is not supported; use regexTarget = \"secret\" or two allowlists".into());
    }
    Ok(e)
}
