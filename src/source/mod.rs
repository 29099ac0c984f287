//! Where the bytes come from: the working tree ([`walk`]); git history, staged changes and
//! pushed ranges ([`git`]). Every source hands each file to the same [`Visitor`], so a check
//! written once runs on every source.

pub mod cache;
pub mod git;
pub mod walk;

use crate::outcome::Outcome;
use cache::ScanCache;

/// What to do with each file a source yields: the checks, run on the same bytes whichever
/// source they came from. The pipeline implements it once; the working-tree walk and every git
/// scan call it.
pub trait Visitor: Sync {
    /// Called for each regular file before it is read (binary or not, large or not): checks
    /// that only need the path (a committed `id_rsa`, say) go here.
    fn path(&self, _rel: &str, _out: &mut Outcome) {}

    /// Whether the file's content is wanted at all; if not, the file is never opened (a
    /// dependency-only scan reads lockfiles, not the whole tree).
    fn wants_content(&self, _rel: &str) -> bool {
        true
    }

    /// Called with the content of each text file within the size limit that
    /// [`wants_content`](Self::wants_content) accepted.
    fn content(&self, rel: &str, content: &[u8], out: &mut Outcome);

    /// The scan cache that may answer for the file at `rel` instead of reading it: only when
    /// [`content`](Self::content) on it would do nothing but produce findings (not for a
    /// lockfile, whose packages a cache does not hold). A source that gets one looks the file
    /// up before reading it and, on a miss, stores the findings `content` added.
    fn cache_for(&self, _rel: &str) -> Option<&ScanCache> {
        None
    }

    /// The scan cache, for what a source keeps about its own structure (a git history's
    /// per-commit changes), whatever the files: `None` without `--cache`.
    fn scan_cache(&self) -> Option<&ScanCache> {
        None
    }

    /// Called instead of [`content`](Self::content) for a wanted file that was not read as
    /// text: binary, or over the size limit. Checks that fall back to the path go here.
    fn unread(&self, _rel: &str, _out: &mut Outcome) {}

    /// A hint that files will be read soon that the scan cache cannot answer for (a git
    /// history met a commit it has no record of): whatever [`content`](Self::content) needs
    /// and has not built yet may start being built, beside the source's own work. Called any
    /// number of times, from any thread.
    fn expect_reads(&self) {}
}
