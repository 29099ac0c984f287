//! What a git hook prints on standard error (git shows it to the user): one line when the
//! commit or push goes through; the text report, what to do and how to skip the check when it
//! is blocked.

use super::{render, Format, RenderOptions};
use crate::hook::HookKind;
use crate::outcome::{Outcome, Verdict};

/// The hook's message for `outcome` (whose verdict decides between the two).
pub fn message(kind: HookKind, outcome: &Outcome, color: bool) -> String {
    if outcome.verdict == Verdict::Clean {
        let mut s = String::new();
        for e in &outcome.errors {
            s.push_str(&format!("hygiene: {}\n", super::printable(&e.to_string())));
        }
        s.push_str(&format!("hygiene: {}\n", clean_summary(kind, outcome)));
        return s;
    }
    let options = RenderOptions {
        show_secrets: false,
        color,
        sarif_category: String::new(),
    };
    let mut buf = Vec::new();
    // Rendering into memory cannot fail.
    let _ = render(Format::Text, outcome, &options, &mut buf);
    let mut s = String::from_utf8_lossy(&buf).into_owned();
    s.push('\n');
    s.push_str(&blocked_advice(kind, outcome));
    s
}

/// The one line a hook prints when it lets a commit or push through.
fn clean_summary(kind: HookKind, outcome: &Outcome) -> String {
    let s = &outcome.stats;
    let files = if s.files_scanned == 1 {
        "file"
    } else {
        "files"
    };
    match kind {
        HookKind::PreCommit => format!(
            "staged changes checked ({} {files}): no secrets found",
            s.files_scanned
        ),
        HookKind::PrePush => {
            let commits = if s.commits_scanned == 1 {
                "commit"
            } else {
                "commits"
            };
            format!(
                "{} new {commits} checked ({} {files}): no secrets found",
                s.commits_scanned, s.files_scanned
            )
        }
    }
}

/// The advice printed under a report when a hook blocks: how to allow a false positive.
fn blocked_advice(kind: HookKind, outcome: &Outcome) -> String {
    let mut s = String::new();
    let n = outcome.findings.len();
    let (what, fix) = match kind {
        HookKind::PreCommit => (
            "commit blocked",
            "remove the secret from the staged files (and rotate it if it was ever shared), \
             then `git add` them again",
        ),
        HookKind::PrePush => (
            "push blocked",
            "remove the secret from the commits above (`git rebase -i`, or amend the last \
             commit) and rotate it: anyone who fetched it has it",
        ),
    };
    if n > 0 {
        let word = if n == 1 { "secret" } else { "secrets" };
        s.push_str(&format!("hygiene: {what}: {n} {word} found.\n"));
        s.push_str(&format!("  To fix: {fix}.\n"));
        s.push_str(
            "  A false positive? Add a `hygiene:allow` comment on that line (in the commit that \
             adds it), or raise --fail-on / --min-confidence in the hook.\n",
        );
    } else {
        s.push_str(&format!(
            "hygiene: {what}: the scan did not complete (see the errors above).\n"
        ));
    }
    s.push_str(&format!(
        "  As a last resort, `{}` skips the check.\n",
        kind.skip()
    ));
    s
}
