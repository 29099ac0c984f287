//! The dependency half: lockfiles parsed into packages, checked against OSV advisories.

pub mod findings;
pub mod ignore;
pub mod lockfile;
pub mod osv;
pub mod outdated;
pub mod pinning;
pub mod version;

pub use crate::package::{Ecosystem, Package};
