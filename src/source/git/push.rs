//! What a push sends: the commit ranges of git's pre-push lines (or of the pre-commit
//! framework's variables), for the pre-push check.
//!
//! For an update, the commits not reachable from the remote's old tip; for a new branch, those
//! not reachable from any remote-tracking ref (`refs/remotes/*`); for a deletion, nothing.

use super::Range;
use crate::error::Error;
use crate::outcome::{ProblemKind, ScanError};
use gix::ObjectId;
use std::io::{IsTerminal, Read};

/// One line of the pre-push hook's stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushLine {
    pub local_ref: String,
    pub local_sha: String,
    pub remote_ref: String,
    pub remote_sha: String,
}

/// Parses `<local ref> SP <local sha> SP <remote ref> SP <remote sha>` lines; blank lines are
/// skipped.
pub fn parse_push_lines(input: &str) -> Result<Vec<PushLine>, Error> {
    let mut lines = Vec::new();
    for (n, line) in input.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [local_ref, local_sha, remote_ref, remote_sha] = parts[..] else {
            return Err(Error::usage(format!(
                "pre-push input line {}: expected `<local ref> <local sha> <remote ref> <remote sha>`, got `{line}`",
                n + 1
            )));
        };
        lines.push(PushLine {
            local_ref: local_ref.to_string(),
            local_sha: local_sha.to_string(),
            remote_ref: remote_ref.to_string(),
            remote_sha: remote_sha.to_string(),
        });
    }
    Ok(lines)
}

fn is_zero(sha: &str) -> bool {
    !sha.is_empty() && sha.bytes().all(|b| b == b'0')
}

/// `sha` peeled to a commit (a pushed annotated tag names a tag object), if we have it.
fn peel_commit(repo: &gix::Repository, sha: &str) -> Option<ObjectId> {
    let id = ObjectId::from_hex(sha.as_bytes()).ok()?;
    let object = repo.find_object(id).ok()?;
    object.peel_to_commit().ok().map(|c| c.id)
}

/// The ranges a push sends: see the module documentation.
pub fn push_ranges(
    repo: &gix::Repository,
    lines: &[PushLine],
    errors: &mut Vec<ScanError>,
) -> Vec<Range> {
    let mut remote_tips: Option<Vec<ObjectId>> = None;
    let mut ranges = Vec::new();
    for line in lines {
        if is_zero(&line.local_sha) {
            continue; // a deletion sends no commits
        }
        let Some(tip) = peel_commit(repo, &line.local_sha) else {
            // What is pushed could not be read, so it could not be checked: fail closed (the
            // scan is incomplete and the hook blocks the push) rather than let it through.
            errors.push(ScanError::error(
                Some(line.local_ref.clone()),
                ProblemKind::Git,
                format!(
                    "{} is being pushed but is not a commit this repository can read, so it \
                     was not checked and the push is blocked; run `git fsck`, or push with \
                     --no-verify if you are sure",
                    line.local_sha
                ),
            ));
            continue;
        };
        let known_remote = (!is_zero(&line.remote_sha))
            .then(|| peel_commit(repo, &line.remote_sha))
            .flatten();
        let hidden = match known_remote {
            Some(id) => vec![id],
            // A new branch, or a remote tip we never fetched: hide what every remote has.
            None => remote_tips
                .get_or_insert_with(|| super::remote_tips(repo, errors))
                .clone(),
        };
        ranges.push(Range { tip, hidden });
    }
    ranges
}

/// The ranges the pre-commit framework describes in its environment when it runs a pre-push
/// hook (it reads git's stdin itself): `PRE_COMMIT_TO_REF` (formerly `PRE_COMMIT_ORIGIN`) is
/// being pushed, `PRE_COMMIT_FROM_REF` (formerly `PRE_COMMIT_SOURCE`) is what the remote has.
pub fn pre_commit_framework_ranges(
    repo: &gix::Repository,
    errors: &mut Vec<ScanError>,
) -> Option<Vec<Range>> {
    let var = |a: &str, b: &str| {
        std::env::var(a)
            .ok()
            .or_else(|| std::env::var(b).ok())
            .filter(|v| !v.is_empty())
    };
    let to = var("PRE_COMMIT_TO_REF", "PRE_COMMIT_ORIGIN")?;
    let from = var("PRE_COMMIT_FROM_REF", "PRE_COMMIT_SOURCE");
    let resolve = |rev: &str| super::resolve_commit(repo, rev).ok();
    let Some(tip) = resolve(&to) else {
        // The framework says something is pushed that we cannot find: checking nothing and
        // passing would let it through unchecked.
        errors.push(ScanError::error(
            None,
            ProblemKind::Git,
            format!(
                "PRE_COMMIT_TO_REF names `{to}`, which is not a commit in this repository, so \
                 nothing could be checked and the push is blocked; fetch it, or check the \
                 pre-commit configuration"
            ),
        ));
        return Some(Vec::new());
    };
    let hidden = match from.as_deref().and_then(resolve) {
        Some(id) => vec![id],
        None => super::remote_tips(repo, errors),
    };
    Some(vec![Range { tip, hidden }])
}

/// What `hygiene hook pre-push` scans, from whichever description of the push is at hand.
#[derive(Debug, Clone)]
pub enum PushInput {
    /// git's stdin lines.
    Lines(Vec<PushLine>),
    /// Nothing on stdin: use the pre-commit framework's variables if set, else (when run by
    /// hand) `HEAD` against every remote-tracking ref.
    Nothing { interactive: bool },
}

impl PushInput {
    /// What git wrote on our standard input (`<local ref> <local sha> <remote ref> <remote
    /// sha>` lines); a terminal on stdin means the hook was run by hand.
    pub fn from_stdin() -> Result<PushInput, Error> {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            return Ok(PushInput::Nothing { interactive: true });
        }
        let mut text = String::new();
        stdin.lock().read_to_string(&mut text).map_err(|e| {
            Error::with_source(
                crate::error::ErrorKind::Io,
                "cannot read the pre-push lines on stdin",
                e,
            )
        })?;
        let lines = parse_push_lines(&text)?;
        Ok(if lines.is_empty() {
            PushInput::Nothing { interactive: false }
        } else {
            PushInput::Lines(lines)
        })
    }

    /// The ranges to scan, in the repository the hook runs in.
    pub fn ranges(
        &self,
        repo: &gix::Repository,
        errors: &mut Vec<ScanError>,
    ) -> Result<Vec<Range>, Error> {
        Ok(match self {
            PushInput::Lines(lines) => push_ranges(repo, lines, errors),
            PushInput::Nothing { interactive } => match pre_commit_framework_ranges(repo, errors) {
                Some(r) => r,
                None if *interactive => match super::head_commit(repo)? {
                    Some(tip) => vec![Range {
                        tip,
                        hidden: super::remote_tips(repo, errors),
                    }],
                    None => Vec::new(),
                },
                None => Vec::new(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_push_lines() {
        let z = "0".repeat(40);
        let a = "a".repeat(40);
        let input =
            format!("refs/heads/main {a} refs/heads/main {z}\n\n(delete) {z} refs/heads/old {a}\n");
        let lines = parse_push_lines(&input).unwrap();
        assert_eq!(lines.len(), 2);
        assert!(is_zero(&lines[0].remote_sha));
        assert_eq!(lines[1].local_ref, "(delete)");
        assert!(parse_push_lines("just three words").is_err());
    }
}
