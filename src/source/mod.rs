//! Where the bytes come from: the working tree ([`walk`]); git history, staged changes and
//! pushed ranges ([`git`]).

pub mod git;
pub mod walk;
