//! The human report: findings grouped by file, problems after them, one summary line.
//!
//! Each finding starts with `path:line:col` (as compilers print it), which terminals and
//! editors turn into a link to the place: a developer clicks from the report to the secret.

use super::{printable, shown_secret, RenderOptions};
use crate::finding::{Finding, Severity, ValidationState};
use crate::outcome::{ErrorLevel, Outcome};
use std::io::{self, Write};

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(&self, s: Severity) -> String {
        let code = match s {
            Severity::Critical => "1;35",
            Severity::High => "1;31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.wrap(code, &format!("{:<8}", s.as_str()))
    }
}

/// Writes the text report.
pub fn render(outcome: &Outcome, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint { on: options.color };
    let mut current: Option<&str> = None;
    for f in &outcome.findings {
        if current != Some(f.path.as_str()) {
            if current.is_some() {
                writeln!(out)?;
            }
            current = Some(&f.path);
        }
        finding(f, options, &paint, out)?;
    }
    if !outcome.findings.is_empty() {
        writeln!(out)?;
    }
    for e in &outcome.errors {
        let tag = match e.level {
            ErrorLevel::Error => paint.wrap("1;31", "error"),
            ErrorLevel::Warning => paint.wrap("33", "warning"),
        };
        let message = printable(&e.message);
        match &e.path {
            Some(p) => writeln!(out, "{tag}: {}: {message}", printable(p))?,
            None => writeln!(out, "{tag}: {message}")?,
        }
    }
    if let Some(b) = &outcome.baseline {
        writeln!(
            out,
            "baseline {}: {} known findings not shown, {} stale entries",
            printable(&b.file),
            b.suppressed,
            b.stale.len()
        )?;
    }
    validation_summary(outcome, &paint, out)?;
    summary(outcome, &paint, out)
}

/// With `--validate`: how many of the secrets asked about are live, one line.
fn validation_summary(outcome: &Outcome, paint: &Paint, out: &mut dyn Write) -> io::Result<()> {
    let mut counts = [0usize; 3];
    for v in outcome
        .findings
        .iter()
        .filter_map(|f| f.validation.as_ref())
    {
        counts[match v.state {
            ValidationState::Active => 0,
            ValidationState::Inactive => 1,
            ValidationState::Unknown => 2,
        }] += 1;
    }
    if counts.iter().sum::<usize>() == 0 {
        return Ok(());
    }
    let active = format!("{} active", counts[0]);
    let active = match counts[0] {
        0 => active,
        _ => paint.wrap("1;31", &active),
    };
    writeln!(
        out,
        "validated: {active}, {} inactive, {} unknown",
        counts[1], counts[2]
    )
}

fn finding(
    f: &Finding,
    options: &RenderOptions,
    paint: &Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    write!(
        out,
        "{}  {} {}  {}",
        paint.wrap("1", &location(f)),
        paint.severity(f.severity),
        paint.wrap("2", &printable(&f.rule.id)),
        printable(&f.message)
    )?;
    if let Some(v) = &f.validation {
        let code = match v.state {
            ValidationState::Active => "1;31",
            ValidationState::Inactive => "2",
            ValidationState::Unknown => "33",
        };
        write!(
            out,
            "  {}",
            paint.wrap(code, &format!("[{}]", v.describe()))
        )?;
    }
    if options.show_secrets {
        if let Some(s) = &f.secret {
            write!(out, "  secret: {}", printable(&shown_secret(s, options)))?;
        }
    }
    writeln!(out)?;
    if let Some(c) = &f.commit {
        let short: String = c.id.chars().take(12).collect();
        writeln!(
            out,
            "    introduced in {short} by {} on {}",
            printable(&c.author),
            printable(&c.date)
        )?;
    }
    Ok(())
}

/// `path:line:col`, or less where the finding is about the whole file (a file found by its
/// name, a readable secrets file, a manifest without a lockfile), has no line, or has no
/// column: a bare `path` or `path:line` still opens the file in an editor.
fn location(f: &Finding) -> String {
    let path = printable(&f.path);
    if f.whole_file {
        return path.into_owned();
    }
    match (f.line, f.column) {
        (0, _) => path.into_owned(),
        (line, 0) => format!("{path}:{line}"),
        (line, column) => format!("{path}:{line}:{column}"),
    }
}

fn summary(outcome: &Outcome, paint: &Paint, out: &mut dyn Write) -> io::Result<()> {
    let s = &outcome.stats;
    let counts: Vec<String> = outcome
        .counts_by_severity()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(sev, n)| format!("{n} {sev}"))
        .collect();
    let findings = if counts.is_empty() {
        paint.wrap("32", "no findings")
    } else {
        let total = outcome.findings.len();
        let word = if total == 1 { "finding" } else { "findings" };
        paint.wrap("1", &format!("{total} {word} ({})", counts.join(", ")))
    };
    let mut skipped = Vec::new();
    for (n, what) in [
        (s.skipped_binary, "binary"),
        (s.skipped_large, "too large"),
        (s.skipped_symlinks, "symlinks"),
        (s.skipped_unreadable, "unreadable"),
    ] {
        if n > 0 {
            skipped.push(format!("{n} {what}"));
        }
    }
    let skipped = if skipped.is_empty() {
        "0 skipped".to_string()
    } else {
        format!("{} skipped ({})", s.skipped(), skipped.join(", "))
    };
    let errors = outcome
        .errors
        .iter()
        .filter(|e| e.level == ErrorLevel::Error)
        .count();
    let incomplete = if errors > 0 {
        paint.wrap("1;31", &format!("; scan incomplete: {errors} errors"))
    } else {
        String::new()
    };
    let deps = if s.lockfiles > 0 {
        format!(", {} packages in {} lockfiles", s.packages, s.lockfiles)
    } else {
        String::new()
    };
    let history = if s.commits_scanned > 0 {
        format!(" from {} commits", s.commits_scanned)
    } else {
        String::new()
    };
    writeln!(
        out,
        "{findings}; scanned {} files ({}){history}{deps}, {skipped} in {:.2}s{incomplete}",
        s.files_scanned,
        human_bytes(s.bytes_scanned),
        s.duration_seconds
    )
}

/// `1536` -> `1.5 KiB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::human_bytes;

    #[test]
    fn bytes_are_human() {
        assert_eq!(human_bytes(12), "12 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(10 << 20), "10.0 MiB");
    }
}
