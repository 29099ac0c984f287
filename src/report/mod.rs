//! One renderer per output format, all reading the same [`Outcome`].

pub mod json;
pub mod sarif;
pub mod text;

use crate::outcome::Outcome;
use std::io::{self, Write};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

/// Settings shared by every renderer.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Print secret values whole (`--show-secrets`). Off by default everywhere.
    pub show_secrets: bool,
    /// ANSI colours in text output.
    pub color: bool,
    /// SARIF `runAutomationDetails.id`, the category GitHub keeps results apart by.
    pub sarif_category: String,
}

/// Renders `outcome` in `format` to `out`.
pub fn render(
    format: Format,
    outcome: &Outcome,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::render(outcome, options, out),
        Format::Json => json::render(outcome, options, out),
        Format::Sarif => sarif::render(outcome, options, out),
    }
}

/// The secret as a report may show it: whole only when the user asked.
pub(crate) fn shown_secret(
    secret: &crate::finding::SecretValue,
    options: &RenderOptions,
) -> String {
    if options.show_secrets {
        secret.expose().to_string()
    } else {
        secret.redacted()
    }
}
