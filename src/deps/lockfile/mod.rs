//! Lockfile parsers, one module per format.
