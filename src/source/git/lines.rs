//! "Is this line new?": the filter that keeps a pre-commit or pre-push check from blocking on a
//! secret that was already there before the change.
//!
//! A line counts as added when the older version of the file does not contain it (as many
//! times). That is what a line diff reports as added, except that a line merely moved within
//! the file is not new — which is what we want: moving an old secret does not leak it again.

use crate::finding::Finding;
use std::collections::HashMap;

/// The lines of `old`, counted.
fn line_counts(old: &[u8]) -> HashMap<&[u8], usize> {
    let mut counts = HashMap::new();
    for line in split_lines(old) {
        *counts.entry(line).or_insert(0) += 1;
    }
    counts
}

fn split_lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = text.strip_suffix(b"\n").unwrap_or(text);
    body.split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

/// For each 1-based line of `new` (index 0 unused), whether `old` lacks it.
pub fn added_lines(old: &[u8], new: &[u8]) -> Vec<bool> {
    let mut counts = line_counts(old);
    let mut added = vec![false]; // index 0 unused: lines are 1-based
    if new.is_empty() {
        return added;
    }
    for line in split_lines(new) {
        let is_new = match counts.get_mut(line) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        };
        added.push(is_new);
    }
    added
}

/// Keeps only the findings that start on a line of `new` absent from `old`.
pub fn retain_added(findings: &mut Vec<Finding>, old: &[u8], new: &[u8]) {
    if findings.is_empty() {
        return;
    }
    let added = added_lines(old, new);
    findings.retain(|f| added.get(f.line).copied().unwrap_or(true));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moved_lines_are_not_added() {
        let old = b"a\nsecret\nb\n";
        let new = b"secret\na\nb\nnew\n";
        assert_eq!(
            added_lines(old, new),
            vec![false, false, false, false, true]
        );
    }

    #[test]
    fn duplicates_count() {
        let old = b"x\n";
        let new = b"x\nx\r\n";
        assert_eq!(added_lines(old, new), vec![false, false, true]);
    }

    #[test]
    fn everything_is_added_to_an_empty_file() {
        assert_eq!(added_lines(b"", b"a\nb"), vec![false, true, true]);
    }
}
