//! The table `hygiene rules list` prints.

use crate::rules::{RuleEntry, RuleKind};
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
