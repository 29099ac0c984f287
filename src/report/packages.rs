//! The package list `hygiene deps list` prints: every package the lockfiles declare, as a
//! table or as JSON, with the problems met reading them.

use crate::outcome::Outcome;
use std::io::{self, Write};

/// Formats of the package list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

/// Renders the packages of `outcome`.
pub fn render(format: ListFormat, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    match format {
        ListFormat::Json => json(outcome, out),
        ListFormat::Text => text(outcome, out),
    }
}

fn json(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let doc = serde_json::json!({
        "packages": outcome.packages.iter().map(|p| serde_json::json!({
            "ecosystem": p.ecosystem,
            "name": p.name,
            "version": p.version,
            "path": p.path,
            "line": p.line,
            "direct": p.direct,
            "dev": p.dev,
        })).collect::<Vec<_>>(),
        "errors": outcome.errors,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn text(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let flag = |v: Option<bool>, yes: &'static str, no: &'static str| match v {
        Some(true) => yes,
        Some(false) => no,
        None => "-",
    };
    writeln!(
        out,
        "{:<12} {:<40} {:<20} {:<10} {:<4} LOCATION",
        "ECOSYSTEM", "NAME", "VERSION", "DIRECT", "DEV"
    )?;
    for p in &outcome.packages {
        writeln!(
            out,
            "{:<12} {:<40} {:<20} {:<10} {:<4} {}:{}",
            p.ecosystem.as_str(),
            p.name,
            p.version,
            flag(p.direct, "direct", "transitive"),
            flag(p.dev, "dev", "no"),
            p.path,
            p.line
        )?;
    }
    for e in &outcome.errors {
        writeln!(out, "{e}")?;
    }
    writeln!(
        out,
        "{} packages in {} lockfiles",
        outcome.packages.len(),
        outcome.stats.lockfiles
    )
}
