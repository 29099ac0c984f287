//! `secret-file-permissions`: after a working-tree scan, a file that holds a secret finding
//! (a matched credential, or a secrets file by its name: `.env`, a private key, a credential
//! store, which the sensitive-file rules report as secret findings), that git does not track,
//! and that its group or other users can read is reported once, with the `chmod` that fixes
//! it.
//!
//! Only files on disk that git does not carry have modes worth fixing. A history, a range, the
//! staged changes or a push are blobs, and git keeps no read bits: every clone and every CI
//! checkout writes a tracked file 0644 (or 0755) whatever its committer had, so a `chmod` of
//! a tracked file protects nothing beyond this one copy, and the secret in it is already
//! reported as committed. The files this is for are the ones that never reach git: a local
//! `.env` not yet ignored, a key dropped into the tree, a deployment directory or a server's
//! config directory scanned outside any repository (where every file is untracked).
//!
//! The check runs after the scan, on the findings it made, so it costs one `lstat` per file
//! with a secret (and one read of the git index when any of them is exposed) and nothing for
//! the others. On a platform without POSIX modes it finds nothing.
//!
//! The finding takes the highest confidence of the secret findings it is about: a generic
//! match in a test fixture (low confidence) does not fail the gate through its file mode
//! either, while a `.env` holding a real password does.

use crate::finding::{Confidence, FindingKind};
use crate::outcome::Outcome;
use crate::practice;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The practice rule's id (`patterns/practices/rules.toml`).
pub const RULE_ID: &str = "secret-file-permissions";

/// Adds one `secret-file-permissions` finding per file with a secret finding whose mode lets
/// its group or others read it. `root` is the scan root the findings' paths are relative to.
pub(super) fn check(root: &Path, outcome: &mut Outcome) {
    let mut files: BTreeMap<&str, Confidence> = BTreeMap::new();
    for f in outcome
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Secret)
    {
        let best = files.entry(f.path.as_str()).or_insert(f.confidence);
        *best = (*best).max(f.confidence);
    }
    if files.is_empty() {
        return;
    }
    let root_is_file = std::fs::metadata(root).is_ok_and(|m| m.is_file());
    let exposed: Vec<(&str, Confidence, u32)> = files
        .into_iter()
        .filter_map(|(path, confidence)| {
            exposed_mode(&file_path(root, root_is_file, path)).map(|mode| (path, confidence, mode))
        })
        .collect();
    if exposed.is_empty() {
        return;
    }
    let paths: Vec<&str> = exposed.iter().map(|e| e.0).collect();
    let tracked = crate::source::git::tracked::tracked(root, &paths);
    let mut found = Vec::new();
    for (path, confidence, mode) in exposed {
        if tracked.contains(path) {
            continue;
        }
        if let Some(mut finding) = practice::finding(RULE_ID, path, 1, message(path, mode), &[])
            .map(crate::finding::Finding::for_whole_file)
        {
            finding.confidence = confidence;
            found.push(finding);
        }
    }
    outcome.findings.extend(found);
}

/// Where the file of a finding is: the walk reports a scanned file by its name when the root
/// is that file.
fn file_path(root: &Path, root_is_file: bool, rel: &str) -> PathBuf {
    match root_is_file {
        true => root.to_path_buf(),
        false => root.join(rel),
    }
}

/// The permission bits of `path` when its group or others may read it; `None` for a private
/// file, a symbolic link (never followed: the walk reports its target, if inside the root,
/// under its own path), a file gone since the walk, or a platform without POSIX modes.
#[cfg(unix)]
fn exposed_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_file() {
        return None;
    }
    let mode = meta.permissions().mode() & 0o7777;
    (mode & 0o044 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn exposed_mode(_path: &Path) -> Option<u32> {
    None
}

/// What the finding says: who can read the file, its mode, and the command that fixes it.
fn message(path: &str, mode: u32) -> String {
    let who = match (mode & 0o040 != 0, mode & 0o004 != 0) {
        (true, true) => "its group and every other user",
        (true, false) => "its group",
        _ => "every other user",
    };
    format!(
        "{path} holds a secret and its mode {mode:04o} lets {who} read it; run `chmod 600 {}` \
         (or `chmod go-rwx`) so only its owner can",
        shell_quote(path)
    )
}

/// `path` as one shell word, so the suggested command can be pasted as it is.
fn shell_quote(path: &str) -> String {
    let plain = !path.is_empty()
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-/+,=@%".contains(&b));
    match plain {
        true => path.to_string(),
        false => format!("'{}'", path.replace('\'', r"'\''")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_mode_readers_and_fix() {
        let m = message(".env", 0o644);
        assert!(m.contains("0644"), "{m}");
        assert!(m.contains("its group and every other user"), "{m}");
        assert!(m.contains("`chmod 600 .env`"), "{m}");
        assert!(message("k", 0o640).contains("lets its group read"));
        assert!(message("k", 0o604).contains("lets every other user read"));
    }

    #[test]
    fn odd_paths_are_quoted_for_the_shell() {
        assert_eq!(shell_quote("config/.env"), "config/.env");
        assert_eq!(shell_quote("my keys/id_rsa"), "'my keys/id_rsa'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn the_rule_is_in_the_catalogue() {
        assert!(practice::is_rule(RULE_ID));
    }

    #[cfg(unix)]
    #[test]
    fn modes_are_read_without_following_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("key");
        std::fs::write(&file, "x").expect("write");
        let set = |mode| {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).expect("chmod")
        };
        set(0o600);
        assert_eq!(exposed_mode(&file), None);
        set(0o640);
        assert_eq!(exposed_mode(&file), Some(0o640));
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).expect("symlink");
        assert_eq!(exposed_mode(&link), None);
        assert_eq!(exposed_mode(&dir.path().join("gone")), None);
    }
}
