//! hygiene: find committed secrets and vulnerable dependencies in a repository.

pub mod deps;
pub mod finding;
pub mod secrets;
