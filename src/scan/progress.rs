//! Live counters of a running scan, for a front end to poll (the binary's progress line) and
//! for the timing breakdown of `--verbose`.
//!
//! The library prints nothing itself: it only bumps relaxed atomics that whoever holds the
//! [`Arc`] may read at any time. A relaxed `fetch_add` per file costs a few nanoseconds, far
//! below the cost of reading the file, so the counters are always on and a scan without a
//! progress display pays nothing worth measuring.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Counters shared between a scan's worker threads and an observer. Shared through
/// [`ScanRequest::progress`](super::ScanRequest::progress).
#[derive(Debug, Default)]
pub struct Progress {
    files: AtomicU64,
    bytes: AtomicU64,
    rules_nanos: AtomicU64,
    lockfile_nanos: AtomicU64,
}

/// A copy of the counters at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Files (or blobs) whose content was read and checked.
    pub files: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Time spent in the secret rules, summed over worker threads.
    pub rules: Duration,
    /// Time spent parsing lockfiles, summed over worker threads.
    pub lockfiles: Duration,
}

impl Progress {
    /// A fresh set of counters, ready to share.
    pub fn new() -> Arc<Progress> {
        Arc::new(Progress::default())
    }

    /// The counters now. Each is read on its own, so they may be a file apart: fine for a
    /// display, and exact once the scan has returned.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            rules: Duration::from_nanos(self.rules_nanos.load(Ordering::Relaxed)),
            lockfiles: Duration::from_nanos(self.lockfile_nanos.load(Ordering::Relaxed)),
        }
    }

    pub(crate) fn file(&self, bytes: usize) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    pub(crate) fn rules(&self, spent: Duration) {
        self.rules_nanos.fetch_add(nanos(spent), Ordering::Relaxed);
    }

    pub(crate) fn lockfile(&self, spent: Duration) {
        self.lockfile_nanos
            .fetch_add(nanos(spent), Ordering::Relaxed);
    }
}

/// Nanoseconds, saturating (a u64 of nanoseconds is 584 years).
fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_add_up() {
        let p = Progress::new();
        p.file(10);
        p.file(5);
        p.rules(Duration::from_millis(3));
        p.lockfile(Duration::from_micros(7));
        let s = p.snapshot();
        assert_eq!((s.files, s.bytes), (2, 15));
        assert_eq!(s.rules, Duration::from_millis(3));
        assert_eq!(s.lockfiles, Duration::from_micros(7));
    }
}
