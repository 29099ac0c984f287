//! Files replaced whole or not at all: written under a temporary name in the same directory,
//! then renamed over the old one. A reader (a CI step uploading the SARIF, the next scan
//! reading its cache) sees the old file or the new one, never half of one, and a run killed
//! midway leaves the old file as it was. One implementation for the report, the scan cache,
//! the offline database's index and the registry and validation caches.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// How [`write`] replaces a file.
#[derive(Debug, Clone, Copy, Default)]
pub struct Replace {
    /// Create the directory first if it is missing (caches: yes; a report path the user
    /// gave: no, a typo in it should be an error).
    pub create_dir: bool,
    /// Flush the new file to the disk before the rename, so a power cut cannot leave it short
    /// (for files nothing would notice were damaged; a checksummed cache does not need it).
    pub sync: bool,
}

/// Replaces `path` with `bytes` (see the module documentation).
pub fn write(path: &Path, bytes: &[u8], how: Replace) -> io::Result<()> {
    if how.create_dir {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
    }
    let tmp = temp_name(path);
    let result = File::create(&tmp)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            if how.sync {
                f.sync_all()?;
            }
            Ok(())
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes a cache entry, best effort: its directory created, not synced, failures ignored (an
/// entry not written is only asked for again). For the registry and validation caches.
pub fn write_cache_entry(path: &Path, bytes: &[u8]) {
    let how = Replace {
        create_dir: true,
        sync: false,
    };
    let _ = write(path, bytes, how);
}

/// A hidden name beside `path`, unique to this process and call: two threads (or two scans)
/// writing the same file never share a temporary.
pub fn temp_name(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_creates_the_directory_when_asked_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("sub/out.json");
        assert!(write(&file, b"one", Replace::default()).is_err());
        write(
            &file,
            b"one",
            Replace {
                create_dir: true,
                sync: false,
            },
        )
        .expect("written");
        write(
            &file,
            b"two",
            Replace {
                create_dir: false,
                sync: true,
            },
        )
        .expect("replaced");
        assert_eq!(std::fs::read(&file).expect("read"), b"two");
        let left: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, [std::ffi::OsString::from("out.json")]);
    }
}
