//! The working-tree walker: parallel, `.gitignore`-aware, hidden files included, `.git/`
//! never entered, symlinks never followed.
//!
//! Hidden files are where secrets live (`.env`, `.npmrc`, `.git-credentials`), so unlike most
//! walkers we do not skip them. Each file is read once into a per-thread buffer (or mapped, if
//! large) and handed to a [`Visitor`], which runs every check on the same bytes.

use super::cache::{Cached, Key, ScanCache};
use super::Visitor;
use crate::outcome::{Outcome, ProblemKind, ScanError};
use ignore::{DirEntry, WalkBuilder, WalkState};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// Files at least this big are memory-mapped instead of read: mapping saves a copy but costs a
/// syscall dance that only pays off on large files.
const MMAP_THRESHOLD: u64 = 4 << 20;

/// How far into a file we look for a NUL byte to call it binary (git looks at 8000 bytes).
const BINARY_PROBE: usize = 8192;

/// The first read of a file asks for this much (a multiple of [`BINARY_PROBE`]): enough for
/// most files in one go, small enough that a binary file's bulk is never read.
const HEAD_READ: u64 = 64 << 10;

/// Whether `content` is binary: a NUL byte in its first [`BINARY_PROBE`] bytes (as git and
/// ripgrep decide).
fn is_binary(content: &[u8]) -> bool {
    memchr::memchr(0, &content[..content.len().min(BINARY_PROBE)]).is_some()
}

/// Walk settings.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Files larger than this are skipped and counted.
    pub max_file_size: u64,
    /// Worker threads; 0 means one per CPU.
    pub threads: usize,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            max_file_size: 10 << 20,
            threads: 0,
        }
    }
}

/// Walks `root` in parallel, calling `visitor` on every file, and returns what it collected.
pub fn walk(root: &Path, options: &WalkOptions, visitor: &dyn Visitor) -> Outcome {
    let mut outcome = Outcome::default();
    let canonical_root = match root.canonicalize() {
        Ok(p) => p,
        Err(e) => {
            outcome.errors.push(ScanError::error(
                None,
                ProblemKind::Unreadable,
                format!("cannot open scan root {}: {e}", root.display()),
            ));
            return outcome;
        }
    };
    let (tx, rx) = mpsc::channel::<Outcome>();
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .ignore(true)
        .parents(true)
        .follow_links(false)
        .threads(options.threads)
        .filter_entry(|e| !(e.file_name() == ".git" && e.file_type().is_some_and(|t| t.is_dir())))
        .build_parallel();
    walker.run(|| {
        let tx = tx.clone();
        let mut worker = Worker {
            root,
            canonical_root: &canonical_root,
            options,
            visitor,
            buf: Vec::new(),
            out: Outcome::default(),
            tx,
            pending: None,
        };
        Box::new(move |entry| {
            worker.entry(entry);
            WalkState::Continue
        })
    });
    drop(tx);
    for part in rx {
        outcome.merge(part);
    }
    outcome
}

struct Worker<'a> {
    root: &'a Path,
    canonical_root: &'a Path,
    options: &'a WalkOptions,
    visitor: &'a dyn Visitor,
    buf: Vec<u8>,
    out: Outcome,
    tx: mpsc::Sender<Outcome>,
    /// The file being read missed the cache: where to store what it holds.
    pending: Option<(&'a ScanCache, Key)>,
}

impl Drop for Worker<'_> {
    fn drop(&mut self) {
        // The receiver lives until every worker is gone, so this cannot fail in practice; if
        // it did, the only loss is this thread's partial results.
        let _ = self.tx.send(std::mem::take(&mut self.out));
    }
}

impl<'a> Worker<'a> {
    fn entry(&mut self, entry: Result<DirEntry, ignore::Error>) {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = io_error_path(&err).map(|p| relative(self.root, &p));
                self.out.stats.skipped_unreadable += 1;
                self.out.errors.push(ScanError::error(
                    path,
                    ProblemKind::Unreadable,
                    format!("cannot read directory entry: {err}; check permissions"),
                ));
                return;
            }
        };
        let Some(file_type) = entry.file_type() else {
            return; // stdin; never produced by a directory walk
        };
        if file_type.is_dir() {
            return;
        }
        let rel = relative(self.root, entry.path());
        if file_type.is_symlink() {
            self.symlink(entry.path(), rel);
            return;
        }
        if !file_type.is_file() {
            return; // sockets, FIFOs, devices: never read (a FIFO would block)
        }
        self.visitor.path(&rel, &mut self.out);
        if self.visitor.wants_content(&rel) {
            let visitor: &'a dyn Visitor = self.visitor;
            if let Some(cache) = visitor.cache_for(&rel) {
                // One more system call per file (the metadata is the key), paid only with
                // `--cache`, and saving the read of every file unchanged since the last scan.
                let key = entry
                    .metadata()
                    .ok()
                    .and_then(|m| Key::file(&rel, &m, cache.started()));
                if let Some(hit) = key.as_ref().and_then(|k| cache.get(k, &rel)) {
                    self.out.stats.cache_hits += 1;
                    return self.replay(rel, hit);
                }
                self.out.stats.cache_misses += 1;
                self.pending = key.map(|k| (cache, k));
            }
            self.file(entry.path(), rel);
            self.pending = None;
        }
    }

    /// What the cache says reading the file would find, as reading it would report it.
    fn replay(&mut self, rel: String, hit: Cached) {
        match hit {
            Cached::Binary => self.binary(rel),
            Cached::Text {
                size,
                utf8_error,
                findings,
            } => {
                if let Some(offset) = utf8_error {
                    self.out.errors.push(invalid_utf8(rel, offset as usize));
                }
                self.out.stats.files_scanned += 1;
                self.out.stats.bytes_scanned += size;
                self.out.findings.extend(findings);
            }
        }
    }

    fn symlink(&mut self, path: &Path, rel: String) {
        self.out.stats.skipped_symlinks += 1;
        match path.canonicalize() {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.out.errors.push(ScanError::warning(
                    Some(rel),
                    ProblemKind::BrokenSymlink,
                    "broken symbolic link (its target does not exist); not scanned".to_string(),
                ));
            }
            Err(e) => {
                self.out.errors.push(ScanError::warning(
                    Some(rel),
                    ProblemKind::BrokenSymlink,
                    format!("cannot resolve symbolic link: {e}; not scanned"),
                ));
            }
            Ok(target) if !target.starts_with(self.canonical_root) => {
                self.out.errors.push(ScanError::warning(
                    Some(rel),
                    ProblemKind::SymlinkOutsideRoot,
                    format!(
                        "symbolic link points outside the scanned directory ({}); not followed",
                        target.display()
                    ),
                ));
            }
            // Inside the root: the target itself is scanned where it lives.
            Ok(_) => {}
        }
    }

    fn file(&mut self, path: &Path, rel: String) {
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => return self.unreadable(rel, &e),
        };
        // Read without asking the size first (one system call fewer per file, which is most
        // of the cost of a small file): a file that fills the first read is large, and only
        // then is it measured, mapped or refused.
        let max = self.options.max_file_size;
        let first = MMAP_THRESHOLD.min(max.saturating_add(1));
        // The first read stops at HEAD_READ bytes: if they show a binary file, the rest is
        // never read (a scan of a tree with build outputs or vendored archives reads a good
        // deal less: 159 MB of the bench corpus's 216 MB of binary files).
        let head = HEAD_READ.min(first);
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        let read = (&file).take(head).read_to_end(&mut buf).and_then(|_| {
            if (buf.len() as u64) < head || is_binary(&buf) {
                return Ok(());
            }
            (&file).take(first - head).read_to_end(&mut buf).map(|_| ())
        });
        match read {
            Ok(()) if is_binary(&buf) => self.binary(rel),
            Ok(()) if (buf.len() as u64) < first => self.content(rel, &buf),
            Ok(()) => self.large(&file, rel),
            Err(e) => self.unreadable(rel, &e),
        }
        self.buf = buf;
    }

    /// A file with at least `min(MMAP_THRESHOLD, max_file_size + 1)` bytes: refused if over
    /// the size limit, else memory-mapped.
    fn large(&mut self, file: &File, rel: String) {
        let size = match file.metadata() {
            Ok(m) => m.len(),
            Err(e) => return self.unreadable(rel, &e),
        };
        let max = self.options.max_file_size;
        if size > max || MMAP_THRESHOLD > max {
            self.out.stats.skipped_large += 1;
            self.visitor.unread(&rel, &mut self.out);
            let size = size.max(max.saturating_add(1));
            self.out.errors.push(ScanError::warning(
                Some(rel),
                ProblemKind::TooLarge,
                format!(
                    "{size} bytes, over the {max} byte limit; not scanned (raise --max-file-size to scan it)"
                ),
            ));
            return;
        }
        // SAFETY: the map is read-only and dropped before this function returns. If another
        // process truncates the file meanwhile we may read zeros or fault, the same trade-off
        // ripgrep makes for large files.
        match unsafe { memmap2::Mmap::map(file) } {
            Ok(map) if is_binary(&map) => self.binary(rel),
            Ok(map) => self.content(rel, &map),
            Err(e) => self.unreadable(rel, &e),
        }
    }

    fn binary(&mut self, rel: String) {
        if let Some((cache, key)) = self.pending.take() {
            cache.put_binary(key);
        }
        self.out.stats.skipped_binary += 1;
        self.visitor.unread(&rel, &mut self.out);
    }

    /// A text file's content (binary files are counted and dropped before this).
    fn content(&mut self, rel: String, content: &[u8]) {
        let utf8_error = simdutf8::compat::from_utf8(content)
            .err()
            .map(|e| e.valid_up_to());
        if let Some(offset) = utf8_error {
            self.out.errors.push(invalid_utf8(rel.clone(), offset));
        }
        self.out.stats.files_scanned += 1;
        self.out.stats.bytes_scanned += content.len() as u64;
        let before = self.out.findings.len();
        self.visitor.content(&rel, content, &mut self.out);
        if let Some((cache, key)) = self.pending.take() {
            cache.put_text(
                key,
                content.len() as u64,
                utf8_error.map(|o| o as u64),
                &self.out.findings[before..],
            );
        }
    }

    fn unreadable(&mut self, rel: String, e: &io::Error) {
        self.out.stats.skipped_unreadable += 1;
        let (kind, message) = if e.kind() == io::ErrorKind::NotFound {
            (
                ProblemKind::Vanished,
                "file disappeared during the scan; run the scan again once the tree is stable"
                    .to_string(),
            )
        } else {
            (
                ProblemKind::Unreadable,
                format!("cannot read: {e}; check its permissions"),
            )
        };
        self.out
            .errors
            .push(ScanError::error(Some(rel), kind, message));
    }
}

/// The warning for a text file that is not UTF-8 (`offset`: its first bad byte).
fn invalid_utf8(rel: String, offset: usize) -> ScanError {
    ScanError::warning(
        Some(rel),
        ProblemKind::InvalidUtf8,
        format!("not valid UTF-8 (first bad byte at offset {offset}); scanned as raw bytes"),
    )
}

/// `path` relative to `root`, `/`-separated (the form reports and fingerprints use on every
/// platform). A root that is itself a file yields the file's name.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = match path.strip_prefix(root) {
        Ok(r) if r.as_os_str().is_empty() => {
            path.file_name().map(PathBuf::from).unwrap_or_default()
        }
        Ok(r) => r.to_path_buf(),
        Err(_) => path.to_path_buf(),
    };
    // The common case, once per file: already `/`-separated UTF-8.
    if std::path::MAIN_SEPARATOR == '/' {
        if let Some(s) = rel.to_str() {
            if !s.starts_with('/')
                && !s.ends_with('/')
                && !s.contains("//")
                && !s.split('/').any(|c| c == ".")
            {
                return s.to_string();
            }
        }
    }
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

fn io_error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            io_error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(io_error_path),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::relative;
    use std::path::Path;

    #[test]
    fn relative_paths_are_slash_separated_and_clean() {
        let root = Path::new("/repo");
        assert_eq!(
            relative(root, Path::new("/repo/src/main.rs")),
            "src/main.rs"
        );
        assert_eq!(relative(root, Path::new("/repo/a/./b.txt")), "a/b.txt");
        assert_eq!(relative(root, Path::new("/repo/a//b.txt")), "a/b.txt");
        assert_eq!(relative(root, Path::new("/repo/dir/")), "dir");
        assert_eq!(
            relative(Path::new("/repo/f.env"), Path::new("/repo/f.env")),
            "f.env"
        );
        assert_eq!(relative(Path::new("."), Path::new("./x/y")), "x/y");
    }
}
