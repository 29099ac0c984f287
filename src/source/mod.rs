//! Where the bytes come from: the working tree now; git history, staged changes and pushed
//! ranges later.

pub mod walk;
