//! The text `hygiene explain RULE_ID` prints.

use crate::explain::{ExplainKind, Explanation};
use std::io::{self, Write};

/// The rule's id and name, its kind and ratings, then what it finds, an example, why it
/// matters and how to fix it, each section indented under its heading.
pub fn render(x: &Explanation, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}: {}", x.id, x.name)?;
    let mut facts = vec![format!("kind: {}", x.kind.label())];
    if let Some(s) = x.severity {
        facts.push(format!("severity: {s}"));
    }
    if let Some(c) = x.confidence {
        facts.push(format!("confidence: {c}"));
    }
    if let Some(f) = &x.file {
        facts.push(format!("defined in: {f}"));
    }
    writeln!(out, "{}", facts.join("   "))?;
    if !x.keywords.is_empty() {
        writeln!(out, "keywords: {}", x.keywords.join(", "))?;
    }
    for (label, value) in &x.details {
        writeln!(out, "{}: {value}", label.to_lowercase())?;
    }
    section(out, "What it finds", &x.description)?;
    if let Some(example) = &x.example {
        let heading = match x.kind {
            ExplainKind::SensitiveFile => "Paths it reports",
            ExplainKind::HygieneContent => "Example",
            _ => "Example (secrets redacted)",
        };
        section(out, heading, example)?;
    }
    section(out, "Why it matters", &x.why)?;
    section(out, "How to fix it", &x.fix)
}

fn section(out: &mut dyn Write, heading: &str, body: &str) -> io::Result<()> {
    writeln!(out, "\n{heading}:")?;
    for line in body.lines() {
        match line.is_empty() {
            true => writeln!(out)?,
            false => writeln!(out, "  {line}")?,
        }
    }
    Ok(())
}
