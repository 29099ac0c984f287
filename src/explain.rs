//! `hygiene explain RULE_ID`: what a rule finds, why it matters and how to fix it, for every
//! kind of rule the catalogue ([`crate::rules::catalogue`]) lists, and for advisory ids. The
//! text is rendered by [`crate::report::explain`].

use crate::error::{Error, ErrorKind};
use crate::finding::{Confidence, FindingKind, RuleInfo, Severity};
use crate::scan::load_rules;
use crate::secrets::formats::builtin_formats;
use crate::secrets::Rule;
use std::path::PathBuf;

/// What kind of rule an explanation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExplainKind {
    /// A content rule that finds a secret in a file's text.
    SecretContent,
    /// A content rule of kind `hygiene`: a practice problem visible in a file's text.
    HygieneContent,
    /// A credential-file format, read field by field.
    CredentialFile,
    /// A sensitive file, found by its path.
    SensitiveFile,
    /// A practice check done by code.
    Practice,
    /// A vulnerability advisory (GHSA, CVE, RUSTSEC, ...): its findings name it as their rule.
    Advisory,
}

impl ExplainKind {
    /// How the kind is named in the text.
    pub fn label(self) -> &'static str {
        match self {
            ExplainKind::SecretContent => "content rule (secret)",
            ExplainKind::HygieneContent => "content rule (practice)",
            ExplainKind::CredentialFile => "credential-file format",
            ExplainKind::SensitiveFile => "sensitive-file rule",
            ExplainKind::Practice => "practice check",
            ExplainKind::Advisory => "dependency advisory",
        }
    }
}

/// Everything `explain` says about one rule.
#[derive(Debug, Clone)]
pub struct Explanation {
    pub kind: ExplainKind,
    pub id: String,
    pub name: String,
    /// `None` for an advisory, whose severity comes from its record.
    pub severity: Option<Severity>,
    pub confidence: Option<Confidence>,
    /// The file the rule is defined in.
    pub file: Option<String>,
    /// What it finds.
    pub description: String,
    /// Content rules: the literals that must occur in a file for the rule to run.
    pub keywords: Vec<String>,
    /// Extra facts, `(label, value)`: the paths a rule is limited to, a format's documentation.
    pub details: Vec<(String, String)>,
    /// An example it reports, its secret redacted.
    pub example: Option<String>,
    /// Why it matters.
    pub why: String,
    /// How to fix it (plain text, possibly a numbered list).
    pub fix: String,
}

const WHY_SECRET: &str = "Everyone who can read the repository (every clone, fork, CI log, \
    package and backup) can use the credential, and deleting it in a later commit does not \
    remove it from the history. Leaked credentials are found by automated scanners within \
    minutes of a push to a public repository.";

const WHY_CREDENTIAL_FILE: &str = "A tool's configuration file with a password or token in it \
    gives whoever reads the repository the same access the tool has; such files are often \
    committed by accident with the rest of a project, and stay in the history once pushed.";

const WHY_SENSITIVE_FILE: &str = "Files of this kind hold private keys, credentials or \
    personal data. Committed, they are readable by everyone with access to the repository and \
    stay in its history even after they are deleted.";

const WHY_PRACTICE: &str = "Not a leaked secret or a known vulnerability, but a practice that \
    makes one likely or hard to notice; it is reported as a `hygiene` finding, which \
    `--fail-on` and `[secrets] disable` control like any other rule.";

const WHY_ADVISORY: &str = "The dependency version in use is affected by a published \
    vulnerability (or is marked malicious): code that reaches the affected part can be \
    attacked as the advisory describes.";

const FIX_ADVISORY: &str = "Upgrade the dependency to a version the advisory lists as fixed \
    (the finding names the nearest one) and regenerate the lockfile. If the vulnerable code is \
    not reachable, accept the advisory for a while with a reviewable reason in `.hygiene.toml`:\n\
    [[deps.ignore]]\nid = \"ID\"\nreason = \"why it does not apply\"\nuntil = \"YYYY-MM-DD\"";

/// Explains rule `id`: a built-in content rule or one in `rule_dirs`, a credential-file
/// format, a sensitive-file rule, a practice check, or an advisory id. An unknown id is a
/// usage error naming the closest ids.
pub fn explain(id: &str, rule_dirs: &[PathBuf]) -> Result<Explanation, Error> {
    explain_among(id, &load_rules(rule_dirs, true)?)
}

/// [`explain`] with the content rules already loaded.
fn explain_among(id: &str, rules: &[Rule]) -> Result<Explanation, Error> {
    let id = id.trim();
    if let Some(rule) = rules.iter().find(|r| r.spec.id == id) {
        return Ok(content(rule));
    }
    let formats = builtin_formats()?;
    if let Some((i, f)) = formats
        .formats()
        .iter()
        .enumerate()
        .find(|(_, f)| f.spec.id == id)
    {
        let example = f.spec.examples.first().map(|ex| {
            let mut text = ex.text.clone();
            let mut secrets: Vec<String> = formats
                .find_with(i, &ex.path, &ex.text)
                .into_iter()
                .map(|m| m.secret)
                .chain(ex.secrets.iter().cloned())
                .filter(|s| !s.is_empty())
                .collect();
            secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
            for s in secrets {
                text = text.replace(&s, &crate::finding::redact(&s));
            }
            format!("{}:\n{}", ex.path, text.trim_end())
        });
        return Ok(Explanation {
            kind: ExplainKind::CredentialFile,
            id: f.spec.id.clone(),
            name: f.info.name.clone(),
            severity: Some(f.spec.severity),
            confidence: Some(f.spec.confidence),
            file: Some(f.file.clone()),
            description: f.spec.description.clone(),
            keywords: Vec::new(),
            details: vec![
                (
                    "Files".to_string(),
                    format!("paths matching {}", f.spec.path),
                ),
                ("Format".to_string(), f.spec.docs.clone()),
            ],
            example,
            why: WHY_CREDENTIAL_FILE.to_string(),
            fix: fix_of(&f.info),
        });
    }
    let sensitive = crate::secrets::sensitive::builtin()?;
    if let Some(r) = sensitive.rules().iter().find(|r| r.spec.id == id) {
        return Ok(Explanation {
            kind: ExplainKind::SensitiveFile,
            id: r.spec.id.clone(),
            name: r.spec.name.clone(),
            severity: Some(r.spec.severity),
            confidence: Some(r.spec.confidence),
            file: Some(r.file.clone()),
            description: r.spec.description.clone(),
            keywords: Vec::new(),
            details: vec![(
                "Files".to_string(),
                format!("paths matching {} (lowercased)", r.spec.path),
            )],
            example: (!r.spec.examples.is_empty()).then(|| r.spec.examples.join("\n")),
            why: WHY_SENSITIVE_FILE.to_string(),
            fix: fix_of(&r.info),
        });
    }
    if let Some(p) = crate::practice::rules().iter().find(|r| r.id == id) {
        return Ok(Explanation {
            kind: ExplainKind::Practice,
            id: p.id.clone(),
            name: p.name.clone(),
            severity: Some(p.severity),
            confidence: Some(Confidence::High),
            file: Some("patterns/practices/rules.toml".to_string()),
            description: p.description.clone(),
            keywords: Vec::new(),
            details: Vec::new(),
            example: None,
            why: WHY_PRACTICE.to_string(),
            fix: format!(
                "{}\n\nTo turn the check off, add `{}` to `[secrets] disable` in `.hygiene.toml`.",
                p.fix, p.id
            ),
        });
    }
    if is_advisory_id(id) {
        let upper = id.to_ascii_uppercase();
        let canonical = match upper.starts_with("GHSA-") {
            true => format!("GHSA-{}", id[5..].to_ascii_lowercase()),
            false => upper,
        };
        return Ok(Explanation {
            kind: ExplainKind::Advisory,
            id: canonical.clone(),
            name: format!("Advisory {canonical}"),
            severity: None,
            confidence: None,
            file: None,
            description: format!(
                "A dependency in a lockfile is affected by advisory {canonical}: its summary, \
                 affected versions and severity are at https://osv.dev/vulnerability/{canonical} \
                 (and in the finding). Informational advisories (unmaintained, unsound, \
                 notices) are reported under the practice checks dependency-unmaintained, \
                 dependency-unsound and dependency-notice."
            ),
            keywords: Vec::new(),
            details: Vec::new(),
            example: None,
            why: WHY_ADVISORY.to_string(),
            fix: FIX_ADVISORY.replace("\"ID\"", &format!("\"{canonical}\"")),
        });
    }
    let ids = known_ids(rules);
    let close = suggestions(id, ids.iter().map(String::as_str));
    let hint = match close.as_slice() {
        [] => String::new(),
        [one] => format!("; did you mean `{one}`?"),
        many => format!(
            "; did you mean one of {}?",
            many.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Err(Error::new(
        ErrorKind::Usage,
        format!("unknown rule id `{id}`{hint} (`hygiene rules list` lists every rule)"),
    ))
}

fn known_ids(rules: &[Rule]) -> Vec<String> {
    let mut ids: Vec<String> = rules.iter().map(|r| r.spec.id.clone()).collect();
    if let Ok(set) = builtin_formats() {
        ids.extend(set.formats().iter().map(|f| f.spec.id.clone()));
    }
    if let Ok(s) = crate::secrets::sensitive::builtin() {
        ids.extend(s.rules().iter().map(|r| r.spec.id.clone()));
    }
    ids.extend(crate::practice::rules().iter().map(|r| r.id.clone()));
    ids
}

fn content(rule: &Rule) -> Explanation {
    let spec = &rule.spec;
    let hygiene = rule.kind == FindingKind::Hygiene;
    let example = spec.examples.first().map(|ex| match hygiene {
        // A practice rule's match is no secret: findings show it whole.
        true => ex.clone(),
        false => redact_example(rule, ex),
    });
    let mut details = Vec::new();
    if let Some(path) = &spec.path {
        details.push(("Files".to_string(), format!("paths matching {path}")));
    }
    if let Some(v) = &spec.validate {
        details.push((
            "Validation".to_string(),
            format!(
                "`scan --validate` asks {} at {} ({})",
                v.provider,
                v.allowed_hosts().join(", "),
                v.docs
            ),
        ));
    }
    Explanation {
        kind: match hygiene {
            true => ExplainKind::HygieneContent,
            false => ExplainKind::SecretContent,
        },
        id: spec.id.clone(),
        name: spec.name.clone(),
        severity: Some(spec.severity),
        confidence: Some(spec.confidence),
        file: Some(rule.file.clone()),
        description: spec.description.clone(),
        keywords: spec.keywords.clone(),
        details,
        example,
        why: match hygiene {
            true => WHY_PRACTICE.to_string(),
            false => WHY_SECRET.to_string(),
        },
        fix: fix_of(&rule.info),
    }
}

/// `example` with the secret the rule finds in it redacted.
fn redact_example(rule: &Rule, example: &str) -> String {
    let Some(regex) = rule.regex.get() else {
        return example.to_string();
    };
    let mut ranges = Vec::new();
    for caps in regex.captures_iter(example.as_bytes()) {
        let analysis = rule.analysis();
        let group = match analysis.secret_group_named {
            true => caps.get(analysis.secret_group),
            false => (1..caps.len()).find_map(|g| caps.get(g)),
        };
        if let Some(m) = group.filter(|m| !m.is_empty()) {
            ranges.push(m.range());
        }
    }
    let mut out = example.to_string();
    for r in ranges.into_iter().rev() {
        let Some(secret) = example.get(r.clone()) else {
            continue;
        };
        out.replace_range(r, &crate::finding::redact(secret));
    }
    out
}

/// The "What to do" part of a rule's help, as plain text.
fn fix_of(info: &RuleInfo) -> String {
    let help = info.help_markdown.as_str();
    let fix = help
        .split_once("**What to do**")
        .map_or(help, |(_, after)| after);
    fix.replace("**", "").trim().to_string()
}

/// Whether `id` looks like an advisory id (`GHSA-…`, `CVE-2024-1234`, `RUSTSEC-2024-0001`).
pub fn is_advisory_id(id: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "GHSA-", "CVE-", "RUSTSEC-", "PYSEC-", "GO-", "MAL-", "OSV-", "GSD-",
    ];
    let upper = id.to_ascii_uppercase();
    PREFIXES.iter().any(|p| {
        upper.strip_prefix(p).is_some_and(|rest| {
            rest.len() >= 4
                && rest.bytes().any(|b| b.is_ascii_digit())
                && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
    })
}

/// Up to five of `ids` closest to `query`: those containing it (or contained in it), then
/// those within a small edit distance, closest first.
pub fn suggestions<'a>(query: &str, ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let q = query.to_ascii_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let limit = (q.chars().count() / 3).clamp(2, 6);
    let mut scored: Vec<(usize, &str)> = ids
        .filter_map(|id| {
            let d = edit_distance(&q, id);
            let substring = q.len() >= 3 && (id.contains(&q) || q.contains(id));
            // A misspelt word of the id (`genric` for the `generic-*` rules).
            let word = q.len() >= 4
                && !q.contains('-')
                && id.split('-').any(|w| edit_distance(&q, w) <= 1);
            match (substring, d <= limit, word) {
                (true, _, _) => Some((d.min(limit), id)),
                (false, true, _) => Some((d, id)),
                (false, false, true) => Some((limit + 1, id)),
                _ => None,
            }
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(5)
        .map(|(_, id)| id.to_string())
        .collect()
}

/// Edit distance over characters: insertions, deletions, substitutions and transpositions of
/// neighbours (`gihtub` is one edit from `github`) each count one.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // d[i][j]: distance between a[..i] and b[..j].
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
        assert_eq!(edit_distance("gihtub", "github"), 1);
    }

    #[test]
    fn suggestions_prefer_close_and_containing_ids() {
        let ids = ["aws-access-key-id", "aws-secret-access-key", "github-pat"];
        let s = suggestions("aws-acess-key-id", ids.iter().copied());
        assert_eq!(s.first().map(String::as_str), Some("aws-access-key-id"));
        let s = suggestions("github", ids.iter().copied());
        assert_eq!(s, ["github-pat"]);
        assert!(suggestions("zzzzzzzz", ids.iter().copied()).is_empty());
        let s = suggestions("gihtub", ids.iter().copied());
        assert_eq!(s, ["github-pat"]);
    }

    #[test]
    fn advisory_ids() {
        assert!(is_advisory_id("GHSA-jfh8-c2jp-5v3q"));
        assert!(is_advisory_id("CVE-2021-44228"));
        assert!(is_advisory_id("RUSTSEC-2020-0071"));
        assert!(!is_advisory_id("generic-password"));
        assert!(!is_advisory_id("CVE-"));
    }

    #[test]
    fn every_catalogued_rule_is_explained() {
        let entries = crate::rules::catalogue(&[]).expect("catalogue");
        let rules = load_rules(&[], true).expect("rules");
        for e in entries {
            let x = explain_among(&e.id, &rules).expect("explained");
            assert_eq!(x.id, e.id);
            assert!(!x.description.is_empty(), "{}", e.id);
            assert!(!x.fix.is_empty(), "{}", e.id);
        }
    }

    #[test]
    fn examples_are_redacted() {
        let rules = load_rules(&[], true).expect("rules");
        let rule = rules
            .iter()
            .find(|r| r.spec.id == "aws-access-key-id")
            .expect("known");
        let original = rule.spec.examples.first().expect("an example");
        let x = explain_among("aws-access-key-id", &rules).expect("known");
        let ex = x.example.expect("has an example");
        // The key ends the example: its tail must be gone.
        assert!(!ex.contains(&original[original.len() - 8..]), "{ex}");
        assert!(ex.contains("…(20 chars)"), "{ex}");
    }
}
