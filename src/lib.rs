//! hygiene: find committed secrets and vulnerable dependencies in a repository.
//!
//! The library does the work; `src/main.rs` only parses flags and maps the outcome to an exit
//! code. A scan walks the tree once ([`source::walk`]), runs the secret rules ([`secrets`]) and
//! lockfile parsers ([`deps`]) on each file, gathers one [`finding::Finding`] type from both,
//! and hands an [`outcome::Outcome`] to one of the [`report`] renderers.

pub mod cli;
pub mod config;
pub mod deps;
pub mod error;
pub mod finding;
pub mod hook;
pub mod outcome;
pub mod package;
pub mod report;
pub mod scan;
pub mod secrets;
pub mod source;
