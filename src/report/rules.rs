//! The table `hygiene rules list` prints.

use crate::rules::{RuleEntry, RuleKind, ValidatorEntry};
use std::io::{self, Write};

/// One row per rule (id, severity, confidence, name, and what it looks at), then the counts.
pub fn render(entries: &[RuleEntry], out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{:<40} {:<9} {:<11} {:<48} KEYWORDS",
        "ID", "SEVERITY", "CONFIDENCE", "NAME"
    )?;
    for r in entries {
        let detail = match r.kind {
            RuleKind::Content => r.detail.join(", "),
            RuleKind::SensitiveFile => "(file path)".to_string(),
            RuleKind::CredentialFile => format!("(credential file: {})", r.detail.join(", ")),
            RuleKind::Practice => "(practice check)".to_string(),
        };
        writeln!(
            out,
            "{:<40} {:<9} {:<11} {:<48} {}",
            r.id, r.severity, r.confidence, r.name, detail
        )?;
    }
    let count = |kind: RuleKind| entries.iter().filter(|r| r.kind == kind).count();
    writeln!(
        out,
        "{} rules ({} content rules, {} credential-file formats, {} sensitive-file rules, {} practice rules)",
        entries.len(),
        count(RuleKind::Content),
        count(RuleKind::CredentialFile),
        count(RuleKind::SensitiveFile),
        count(RuleKind::Practice)
    )
}

/// `rules list --validators`: one row per rule `scan --validate` can check (id, provider, the
/// request, where the secret goes in it), then the counts of rules and providers.
pub fn render_validators(entries: &[ValidatorEntry], out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{:<34} {:<22} {:<28} REQUEST",
        "ID", "PROVIDER", "SECRET SENT IN"
    )?;
    for v in entries {
        writeln!(
            out,
            "{:<34} {:<22} {:<28} {}",
            v.id, v.provider, v.carries, v.request
        )?;
    }
    let mut providers: Vec<&str> = entries.iter().map(|v| v.provider.as_str()).collect();
    providers.sort_unstable();
    providers.dedup();
    writeln!(
        out,
        "{} rules validated against {} providers (scan --validate; HTTPS to these hosts only)",
        entries.len(),
        providers.len()
    )
}
