//! hygiene: find committed secrets and vulnerable dependencies in a repository.
//!
//! The library does the work; the binary (`src/main.rs`, with its argument definitions in
//! `src/cli.rs`) parses flags, calls one library function per command and maps the outcome's
//! verdict to an exit code.
//!
//! # Layers
//!
//! Modules are stacked in layers; a module imports only from its own layer or those below it,
//! never from above (`tests/layers.rs` checks this on every build of the tests):
//!
//! 1. **Data**: [`finding`] (the one `Finding` type both halves produce), [`package`],
//!    [`outcome`] (findings, packages, the problems met, counts and the verdict),
//!    [`practice`] (the practice rules' catalogue and their `hygiene` findings),
//!    [`fingerprint`] (the slow, salted fingerprints of secrets), [`error`] (the library's
//!    error) and [`memory`] (the allocator's settings). They know nothing of how they are
//!    produced or shown.
//! 2. **Engines**, which do not know of each other: [`secrets`] (rules, credential-file
//!    formats, sensitive files, the matching engine), [`deps`] (lockfile parsers, version
//!    orderings, OSV matching), [`source`] (the working-tree walker and git: history, ranges,
//!    staged changes, pushes), which hands bytes to a [`source::Visitor`] without knowing what
//!    it checks.
//! 3. **Pipeline**: [`config`] (`.hygiene.toml`), [`baseline`], [`scan`] (the one entry point:
//!    a [`scan::ScanRequest`] in, an [`outcome::Outcome`] with its verdict out, the same steps
//!    for every source), [`hook`] (installing git hooks and the scans they run) and [`rules`]
//!    (the rule catalogue and `rules check`), [`explain`] (what a rule finds and how to fix it),
//!    [`validate`] (`scan --validate`: asking providers whether found secrets are live).
//! 4. **Presentation**: [`report`], every renderer (text, JSON, SARIF, the package list, the
//!    rules table, the hooks' messages) and the one place output is written.

pub mod atomic;
pub mod baseline;
pub mod config;
pub mod deps;
pub mod error;
pub mod explain;
pub mod finding;
pub mod fingerprint;
#[doc(hidden)]
pub mod fuzzing;
pub mod hook;
pub mod memory;
pub mod outcome;
pub mod package;
pub mod practice;
pub mod report;
pub mod rules;
pub mod scan;
pub mod secrets;
pub mod source;
pub mod validate;
