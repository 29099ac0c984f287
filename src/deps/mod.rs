//! The dependency half: lockfiles parsed into packages, checked against OSV advisories.

pub mod findings;
pub mod ignore;
pub mod lockfile;
pub mod osv;
pub mod package;
pub mod version;

pub use package::{Ecosystem, Package};
