//! `--outdated`: direct dependencies far behind their registry's newest release.

pub mod registry;
