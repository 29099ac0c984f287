//! Errors that stop a run before it starts: bad flags, bad rules, bad configuration.
//! (Problems met *during* a scan are `outcome::ScanError`s: reported, never fatal.)

use crate::secrets::RuleError;

/// A usage or configuration error: exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Rules(#[from] RuleError),
    #[error("{0}")]
    Config(String),
    #[error("{0}")]
    Io(String),
}
