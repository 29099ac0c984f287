//! The scan cache (`--cache DIR`): what reading each file or blob found, so a scan run again
//! reads only what changed.
//!
//! **Keys.** A git blob by its object id (content-addressed: the same id is the same bytes)
//! and its path, since rules depend on the path (`path` filters, test-path confidence,
//! allowlisted paths). A working-tree file by its relative path, size, modification and change
//! times, inode and device: a file whose metadata changed is read again, and one modified
//! less than [`RACY_SECONDS`] before the scan started is not remembered, since a second write
//! within the same timestamp tick would go unseen (git's "racily clean" problem). Keys are
//! kept as 16-byte hashes.
//!
//! **Identity.** The whole cache belongs to one "scan identity": a hash of the program (its
//! version, and the executable's size and modification time, which cover the built-in rules
//! compiled into it), the loaded rules (`--rules DIR`, gitleaks), the configuration as loaded
//! (`.hygiene.toml`, allowlists, disabled rules) and `--max-file-size`. A file written under
//! another identity is ignored and replaced: nothing it says can be trusted.
//!
//! **What is stored** is what the secret engine and the credential-file checks found in the
//! content, after the engine's own filters (inline `hygiene:allow`, allowlisted secrets and
//! lines), which the identity covers. Each finding keeps its position, rule, fingerprint,
//! message and the secret's *redacted* form and digest, never the whole value
//! ([`SecretValue::from_redacted`]). Lockfiles and the files the pinning checks read are never
//! answered from the cache: those checks gather the whole tree before they report.
//!
//! **Storage.** A main file, `DIR/scan-v4.bin` (earlier versions' files are deleted when it
//! is written): the entries in key order behind a sorted index, read as they are and
//! searched in place ([`Main`]); and a journal beside it, `DIR/scan-v4.journal`, holding what
//! later runs added while it stays small beside the main file ([`JOURNAL_NAME`]). Both are
//! loaded at the start and written at the end to a temporary file renamed over the old one,
//! so a killed run leaves the previous files whole. A checksum closes each; a file that fails
//! it, or cannot be parsed, is ignored with a warning and the scan reads what it would have
//! answered. At most
//! [`MAX_ENTRIES`] entries are kept, those seen in the run that rewrites the main file first.

use crate::finding::{Confidence, Encoding, Finding, FindingKind, RuleInfo, SecretValue, Severity};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The cache file's name in the cache directory; the version changes with the format.
pub const FILE_NAME: &str = "scan-v4.bin";

/// Earlier versions' files, deleted when this version is written beside them. Version 1's
/// digests were a fast SHA-256 of each secret (a guessing oracle, see
/// [`crate::fingerprint`]); version 2 closed the file with a SHA-256, which cost a warm
/// history scan more time than anything it guards against needs (see [`CHECKSUM_LEN`]);
/// version 3 was read into a hash table entry by entry at every start (see [`Main`]).
const LEGACY_FILE_NAMES: [&str; 4] = [
    "scan-v1.bin",
    "scan-v2.bin",
    "scan-v3.bin",
    "scan-v3.journal",
];

const MAGIC: &[u8] = b"hygiene scan cache 4\n";

/// What a run adds goes to a second file, [`JOURNAL_NAME`], while it stays small beside the
/// main file (at most a [`JOURNAL_SHARE`]th of it): rewriting the 12 MB a 40,000-commit
/// history keeps to add one commit's entries cost a warm run about 20 ms, more than the
/// commit's scan. The journal names the main file it extends by that file's checksum and
/// carries the whole rule table (the main file's first, so stored indices agree); a journal
/// whose main file was replaced is ignored. Once it outgrows its share, the next run writes
/// everything into a new main file and deletes the journal.
const JOURNAL_NAME: &str = "scan-v4.journal";
const JOURNAL_MAGIC: &[u8] = b"hygiene scan cache 4 journal\n";
const JOURNAL_SHARE: usize = 4;

/// The file ends with a CRC-32 of the rest. It detects what happens to cache files (a
/// truncated write, a damaged restore); it is no defence against a forged file, and nothing
/// would be: whoever can write the cache can compute any checksum. A SHA-256 over the
/// 12 MB a 40,000-commit history leaves took a tenth of a warm `--history` scan.
const CHECKSUM_LEN: usize = 4;

/// Entries kept at most (about 40 bytes each in memory, more with findings).
pub const MAX_ENTRIES: usize = 1_000_000;

/// A working-tree file modified this recently before the scan started is not remembered.
const RACY_SECONDS: u64 = 2;

/// Where the cache lives and whether it may be read.
#[derive(Debug, Clone)]
pub struct CacheSettings {
    pub dir: PathBuf,
    /// `false` with `--show-secrets`: every file is read again, since the cache holds no whole
    /// secret to show; what the run found is still written.
    pub read: bool,
}

/// A cache key: a hash of what identifies the bytes read (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key([u8; 16]);

/// A key is already the output of a cryptographic hash: its first 8 bytes are as good a table
/// hash as any, with none of SipHash's cost per lookup (a warm history scan makes hundreds of
/// thousands).
impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let mut first = [0u8; 8];
        first.copy_from_slice(&self.0[..8]);
        state.write_u64(u64::from_le_bytes(first));
    }
}

/// The [`std::hash::Hasher`] of the key maps: passes [`Key`]'s `write_u64` through.
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used by `Key`; fold anything else in all the same.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type KeyMap<V> = HashMap<Key, V, std::hash::BuildHasherDefault<KeyHasher>>;

impl Key {
    fn hash(parts: &[&[u8]]) -> Key {
        let mut hasher = Sha256::new();
        for p in parts {
            hasher.update((p.len() as u64).to_le_bytes());
            hasher.update(p);
        }
        let mut out = [0u8; 16];
        out.copy_from_slice(&hasher.finalize()[..16]);
        Key(out)
    }

    /// A git blob at a path.
    pub fn blob(id: &[u8], path: &str) -> Key {
        Key::hash(&[b"blob", id, path.as_bytes()])
    }

    /// What a git commit introduced (the blobs its diff against its parents added). A commit
    /// id fixes its parents and trees, so the answer never changes, except where a shallow
    /// boundary cuts the parents off: that is part of the key.
    ///
    /// The id is already a cryptographic hash of the commit, so it is the key as it is: its
    /// first 15 bytes, then a tag byte for the shallow flag. No other key can be made to
    /// meet it (they are SHA-256 outputs), and a warm history scan looks one up per commit:
    /// hashing 40,000 of them again cost 8 ms of its 100.
    pub fn commit(id: &[u8], shallow: bool) -> Key {
        let mut out = [0u8; 16];
        let n = id.len().min(15);
        out[..n].copy_from_slice(&id[..n]);
        out[15] = 0xC0 | u8::from(shallow);
        Key(out)
    }

    /// A working-tree file, by its metadata; `None` when it was modified too recently to be
    /// remembered safely (see the module documentation) or its times are unknown.
    pub fn file(rel: &str, meta: &std::fs::Metadata, started: SystemTime) -> Option<Key> {
        let modified = meta.modified().ok()?;
        let racy = started
            .checked_sub(Duration::from_secs(RACY_SECONDS))
            .unwrap_or(UNIX_EPOCH);
        if modified >= racy {
            return None;
        }
        let nanos = |t: SystemTime| {
            t.duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
                .to_le_bytes()
        };
        let mtime = nanos(modified);
        #[cfg(unix)]
        let extra = {
            use std::os::unix::fs::MetadataExt;
            let mut extra = Vec::with_capacity(32);
            extra.extend_from_slice(&meta.ino().to_le_bytes());
            extra.extend_from_slice(&meta.dev().to_le_bytes());
            extra.extend_from_slice(&meta.ctime().to_le_bytes());
            extra.extend_from_slice(&meta.ctime_nsec().to_le_bytes());
            extra
        };
        #[cfg(not(unix))]
        let extra = Vec::<u8>::new();
        Some(Key::hash(&[
            b"file",
            rel.as_bytes(),
            &meta.len().to_le_bytes(),
            &mtime,
            &extra,
        ]))
    }
}

/// What reading a file found, as the cache answers it.
#[derive(Debug, Clone)]
pub enum Cached {
    /// A text file of `size` bytes; `utf8_error` is the offset of its first byte that is not
    /// UTF-8, if any (the walker warns about it).
    Text {
        size: u64,
        utf8_error: Option<u64>,
        findings: Vec<Finding>,
    },
    /// A binary file: not read as text.
    Binary,
}

/// A finding as stored: no path (the key's), no commit (attributed after the read), and the
/// secret redacted.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredFinding {
    kind: u8,
    /// Index into the cache's rule table.
    rule: u32,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    severity: Severity,
    confidence: Confidence,
    fingerprint: String,
    message: String,
    #[serde(default)]
    redacted: Option<String>,
    #[serde(default)]
    digest: Option<[u8; 16]>,
    #[serde(default)]
    encoding: Option<u8>,
    whole_file: bool,
}

/// [`RuleInfo`] as stored, once per rule in the file's rule table.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredRule {
    id: String,
    name: String,
    short_description: String,
    full_description: String,
    help_markdown: String,
    tags: Vec<String>,
    severity: Severity,
    confidence: Confidence,
    security_severity: f64,
}

const TEXT: u8 = 0;
const BINARY: u8 = 1;
/// An opaque record a source keeps for itself (a commit's changes), not a file read.
const RECORD: u8 = 2;

struct Entry {
    state: u8,
    size: u64,
    utf8_error: Option<u64>,
    findings: Option<Box<[StoredFinding]>>,
    /// A [`RECORD`] entry's bytes.
    record: Option<Box<[u8]>>,
    /// Answered in this run: kept first when the file is rewritten.
    touched: AtomicBool,
}

/// What this run added, and the rule table (the loaded file's rules first, so stored indices
/// stay valid).
#[derive(Default)]
struct Added {
    entries: KeyMap<Entry>,
    rules: Vec<Arc<RuleInfo>>,
}

/// Bytes of one index record of the main file: the key, then the entry's offset in the data.
const INDEX_RECORD: usize = 16 + 8;

/// Bytes of an entry's head: state, size, first non-UTF-8 offset, payload length.
const ENTRY_HEAD: usize = 1 + 8 + 8 + 4;

/// The main file as loaded: its bytes, kept as they are, with the entries found by key in
/// its sorted index and decoded only when asked for.
///
/// Version 3 decoded every entry into a hash table at the start (a copy of each commit's
/// record, 110,000 insertions for a 40,000-commit history), and each lookup then missed the
/// processor's caches in a table of 10 MB: together about half of a warm history scan's CPU.
/// Now loading is reading the file and checking its checksum, and a lookup is a slot in a
/// table of key prefixes built at load and a compare or two in the index.
struct Main {
    bytes: Vec<u8>,
    index_at: usize,
    count: usize,
    data_at: usize,
    /// For each key's first two bytes, where its keys start in the index (65,537 slots).
    fanout: Vec<u32>,
    touched: Vec<AtomicBool>,
    checksum: [u8; CHECKSUM_LEN],
}

/// An entry of the main file, as stored.
struct View<'a> {
    state: u8,
    size: u64,
    utf8_error: Option<u64>,
    /// The findings' JSON, or a record's bytes.
    payload: &'a [u8],
    /// A journal entry's findings, parsed when the journal was loaded.
    findings: Option<&'a [StoredFinding]>,
}

impl Main {
    /// Parses a main file: `Ok(None)` when it belongs to another scan identity.
    fn parse(bytes: Vec<u8>, identity: &[u8; 32]) -> Result<Option<(Rules, Main)>, String> {
        let body = check(&bytes, MAGIC)?;
        let mut r = Reader {
            bytes: body,
            at: MAGIC.len(),
        };
        if r.take(32)? != identity {
            return Ok(None);
        }
        let rules = read_rules(&mut r)?;
        let count = usize::try_from(r.u64()?).map_err(|_| "too many entries")?;
        let index_at = r.at;
        r.take(count.checked_mul(INDEX_RECORD).ok_or("too many entries")?)?;
        let data_at = r.at;
        let key = |pos: usize| &body[index_at + pos * INDEX_RECORD..][..16];
        let mut fanout = vec![0u32; (1 << 16) + 1];
        for pos in 0..count {
            let k = key(pos);
            if pos > 0 && k <= key(pos - 1) {
                return Err("the index is not in order".to_string());
            }
            fanout[usize::from(u16::from_be_bytes([k[0], k[1]])) + 1] += 1;
        }
        for i in 1..fanout.len() {
            fanout[i] += fanout[i - 1];
        }
        let touched = std::iter::repeat_with(|| AtomicBool::new(false))
            .take(count)
            .collect();
        let checksum = self::checksum(&bytes);
        let main = Main {
            bytes,
            index_at,
            count,
            data_at,
            fanout,
            touched,
            checksum,
        };
        Ok(Some((rules, main)))
    }

    fn key(&self, pos: usize) -> &[u8] {
        &self.bytes[self.index_at + pos * INDEX_RECORD..][..16]
    }

    /// The index position of `key`.
    fn find(&self, key: &Key) -> Option<usize> {
        let slot = usize::from(u16::from_be_bytes([key.0[0], key.0[1]]));
        let (lo, hi) = (self.fanout[slot] as usize, self.fanout[slot + 1] as usize);
        (lo..hi).find(|&pos| self.key(pos) == key.0)
    }

    /// The stored bytes of the entry at `pos` (head and payload); `None` if the file's offsets
    /// point outside it (it passed its checksum, so it was written so: a miss all the same).
    fn raw(&self, pos: usize) -> Option<&[u8]> {
        let record = &self.bytes[self.index_at + pos * INDEX_RECORD + 16..][..8];
        let offset = u64::from_le_bytes(record.try_into().ok()?);
        let at = self.data_at.checked_add(usize::try_from(offset).ok()?)?;
        let body = self.bytes.len() - CHECKSUM_LEN;
        let head = self.bytes.get(at..body)?.get(..ENTRY_HEAD)?;
        let len = u32::from_le_bytes(head[17..21].try_into().ok()?) as usize;
        self.bytes
            .get(at..body)?
            .get(..ENTRY_HEAD.checked_add(len)?)
    }

    fn view(&self, pos: usize) -> Option<View<'_>> {
        let raw = self.raw(pos)?;
        let u64_at = |i: usize| raw[i..i + 8].try_into().ok().map(u64::from_le_bytes);
        Some(View {
            state: raw[0],
            size: u64_at(1)?,
            utf8_error: u64_at(9).filter(|&o| o != u64::MAX),
            payload: &raw[ENTRY_HEAD..],
            findings: None,
        })
    }
}

/// The cache of one scan: see the module documentation.
pub struct ScanCache {
    path: PathBuf,
    identity: [u8; 32],
    read: bool,
    started: SystemTime,
    main: Option<Main>,
    /// The journal's entries (see [`JOURNAL_NAME`]).
    journal: KeyMap<Entry>,
    added: Mutex<Added>,
    /// Problems met loading the file, for the scan's warnings.
    warnings: Vec<String>,
    /// Set when this run's answers cannot be trusted (see [`discard`](Self::discard)).
    discarded: AtomicBool,
}

impl ScanCache {
    /// Opens the cache in `settings.dir` for a scan of identity `identity`. Never fails: a
    /// missing file is an empty cache; an unreadable or corrupt one too, with a warning.
    pub fn open(settings: &CacheSettings, identity: [u8; 32]) -> ScanCache {
        let path = settings.dir.join(FILE_NAME);
        let mut cache = ScanCache {
            path,
            identity,
            read: settings.read,
            started: SystemTime::now(),
            main: None,
            journal: KeyMap::default(),
            added: Mutex::new(Added::default()),
            warnings: Vec::new(),
            discarded: AtomicBool::new(false),
        };
        match std::fs::read(&cache.path) {
            Ok(bytes) => match Main::parse(bytes, &identity) {
                Ok(Some((rules, main))) => {
                    cache.lock().rules = rules;
                    let sum = main.checksum;
                    cache.main = Some(main);
                    cache.load_journal(sum);
                }
                Ok(None) => {} // another identity: start empty
                Err(e) => cache.warnings.push(format!(
                    "scan cache {} is unreadable ({e}); scanning without it, it will be rewritten",
                    cache.path.display()
                )),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => cache.warnings.push(format!(
                "cannot read the scan cache {}: {e}; scanning without it",
                cache.path.display()
            )),
        }
        cache
    }

    /// Adds the journal's entries, if it extends the main file whose checksum is `main`.
    fn load_journal(&mut self, main: [u8; CHECKSUM_LEN]) {
        let path = self.journal_path();
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
            Err(e) => {
                self.warnings.push(format!(
                    "cannot read the scan cache journal {}: {e}; scanning without it",
                    path.display()
                ));
                return;
            }
        };
        match parse_journal(&bytes, &self.identity, main) {
            Ok(Some((rules, entries))) => {
                // The journal's rule table begins with the main file's (checked by
                // `parse_journal` through the main file's checksum), so stored indices agree.
                self.lock().rules = rules;
                self.journal = entries;
            }
            Ok(None) => {} // it extends another main file, or another identity: ignored
            Err(e) => self.warnings.push(format!(
                "scan cache journal {} is unreadable ({e}); it will be rewritten",
                path.display()
            )),
        }
    }

    fn journal_path(&self) -> PathBuf {
        self.path.with_file_name(JOURNAL_NAME)
    }

    /// Whether anything was loaded (from either file).
    fn loaded(&self) -> bool {
        self.main.as_ref().is_some_and(|m| m.count > 0) || !self.journal.is_empty()
    }

    /// Whether the file held entries written under this scan's identity and may be read: then
    /// an earlier run compiled the same rules and configuration without error.
    pub fn answers(&self) -> bool {
        self.read && self.loaded()
    }

    /// This run read something without checking it as the identity promises (its rules
    /// could not be built): [`save`](Self::save) writes nothing, so no "nothing found" is
    /// remembered for bytes no rule looked at.
    pub fn discard(&self) {
        self.discarded.store(true, Ordering::Relaxed);
    }

    /// When the scan started (for [`Key::file`]).
    pub fn started(&self) -> SystemTime {
        self.started
    }

    /// The warnings of loading the file.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Added> {
        // A panic elsewhere while holding the lock leaves a usable map: take it anyway.
        self.added.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The entry stored under `key`: the journal's (newer) before the main file's.
    fn lookup(&self, key: &Key) -> Option<View<'_>> {
        if let Some(e) = self.journal.get(key) {
            e.touched.store(true, Ordering::Relaxed);
            return Some(View {
                state: e.state,
                size: e.size,
                utf8_error: e.utf8_error,
                payload: e.record.as_deref().unwrap_or_default(),
                findings: e.findings.as_deref(),
            });
        }
        let main = self.main.as_ref()?;
        let pos = main.find(key)?;
        main.touched[pos].store(true, Ordering::Relaxed);
        main.view(pos)
    }

    /// What reading the file or blob `key` at `path` found, if known (and reads are allowed).
    pub fn get(&self, key: &Key, path: &str) -> Option<Cached> {
        if !self.read {
            return None;
        }
        let view = self.lookup(key)?;
        Some(match view.state {
            BINARY => Cached::Binary,
            RECORD => return None,
            _ => {
                let parsed: Box<[StoredFinding]>;
                let stored: &[StoredFinding] = match view.findings {
                    Some(stored) => stored,
                    None if view.payload.is_empty() => &[],
                    None => {
                        parsed = serde_json::from_slice(view.payload).ok()?;
                        &parsed
                    }
                };
                let mut findings = Vec::with_capacity(stored.len());
                if !stored.is_empty() {
                    let added = self.lock();
                    for s in stored {
                        // A rule index out of range cannot come from a file that passed
                        // its checksum; treat it as a miss all the same.
                        findings.push(rebuild(s, path, added.rules.get(s.rule as usize)?)?);
                    }
                }
                Cached::Text {
                    size: view.size,
                    utf8_error: view.utf8_error,
                    findings,
                }
            }
        })
    }

    /// Remembers that the text read under `key` (`size` bytes) produced `findings`. Findings
    /// the cache cannot replay faithfully (a package, an advisory or a commit attached, or a
    /// secret already redacted) leave the file unremembered.
    pub fn put_text(&self, key: Key, size: u64, utf8_error: Option<u64>, findings: &[Finding]) {
        if findings.iter().any(|f| {
            f.package.is_some()
                || f.advisory.is_some()
                || f.commit.is_some()
                || f.secret.as_ref().is_some_and(|s| !s.is_whole())
        }) {
            return;
        }
        let mut added = self.lock();
        let stored: Option<Box<[StoredFinding]>> = match findings.is_empty() {
            true => None,
            false => Some(
                findings
                    .iter()
                    .map(|f| store(f, &mut added.rules))
                    .collect(),
            ),
        };
        added.entries.insert(
            key,
            Entry {
                state: TEXT,
                size,
                utf8_error,
                findings: stored,
                record: None,
                touched: AtomicBool::new(true),
            },
        );
    }

    /// Remembers that `key` is a binary file.
    pub fn put_binary(&self, key: Key) {
        self.lock().entries.insert(
            key,
            Entry {
                state: BINARY,
                size: 0,
                utf8_error: None,
                findings: None,
                record: None,
                touched: AtomicBool::new(true),
            },
        );
    }

    /// The record kept under `key` by [`put_record`](Self::put_record) in an earlier run.
    /// Records hold no secret (a commit's changes are ids and paths), so they are answered
    /// with `--show-secrets` too.
    pub fn record(&self, key: &Key) -> Option<&[u8]> {
        let view = self.lookup(key)?;
        (view.state == RECORD).then_some(view.payload)
    }

    /// Keeps `bytes` under `key` for the next run.
    pub fn put_record(&self, key: Key, bytes: Vec<u8>) {
        self.lock().entries.insert(
            key,
            Entry {
                state: RECORD,
                size: 0,
                utf8_error: None,
                findings: None,
                record: Some(bytes.into_boxed_slice()),
                touched: AtomicBool::new(true),
            },
        );
    }

    /// Whether this run found anything the files do not hold yet.
    fn changed(&self) -> bool {
        !self.lock().entries.is_empty()
    }

    /// Writes the cache: to the journal while it stays small (see [`JOURNAL_NAME`]),
    /// otherwise a new main file with this run's entries and those it answered from first,
    /// then the others up to [`MAX_ENTRIES`]. Each to a temporary file first, renamed over the
    /// old one.
    pub fn save(&self) -> Result<(), String> {
        if self.discarded.load(Ordering::Relaxed) {
            return Err("this run could not check what it read".to_string());
        }
        // A run that only answered from the files leaves them as they are: rewriting
        // megabytes to reorder entries would cost a warm run more than its scan.
        if !self.changed() && self.loaded() {
            return Ok(());
        }
        let added = std::mem::take(&mut *self.lock());
        if let Some(main) = &self.main {
            if self.save_journal(&added, main.checksum, main.bytes.len())? {
                return Ok(());
            }
        }
        self.rewrite(&added)?;
        // Best effort: a journal left behind names the old main file and is ignored.
        let _ = std::fs::remove_file(self.journal_path());
        if let Some(dir) = self.path.parent() {
            // Best effort: a leftover file is only an old, ignored cache.
            for legacy in LEGACY_FILE_NAMES {
                let _ = std::fs::remove_file(dir.join(legacy));
            }
        }
        Ok(())
    }

    /// Writes this run's entries and the journal's earlier ones as the new journal, unless
    /// that would outgrow its share of the main file of `main_len` bytes (then `false`:
    /// the caller rewrites the main file).
    fn save_journal(
        &self,
        added: &Added,
        main_sum: [u8; CHECKSUM_LEN],
        main_len: usize,
    ) -> Result<bool, String> {
        let main_count = self.main.as_ref().map_or(0, |m| m.count);
        if added.entries.len() + self.journal.len() + main_count > MAX_ENTRIES {
            return Ok(false); // entries must be dropped: only a rewrite chooses which
        }
        let (mut out, count_at) =
            header(JOURNAL_MAGIC, &self.identity, Some(main_sum), &added.rules)?;
        let mut count: usize = 0;
        let earlier = self
            .journal
            .iter()
            .filter(|(key, _)| !added.entries.contains_key(key));
        for (key, e) in added.entries.iter().chain(earlier) {
            out.extend_from_slice(&key.0);
            write_entry(&mut out, e)?;
            count += 1;
            if out.len() > main_len / JOURNAL_SHARE {
                return Ok(false);
            }
        }
        close(&mut out, count_at, count);
        write_atomically(&self.journal_path(), &out)?;
        Ok(true)
    }

    /// Writes a new main file: `added`, then the loaded entries this run answered from, then
    /// the others, up to [`MAX_ENTRIES`], in key order.
    fn rewrite(&self, added: &Added) -> Result<(), String> {
        enum From<'a> {
            Entry(&'a Entry),
            Main(usize),
        }
        let mut chosen: Vec<(Key, From<'_>)> = added
            .entries
            .iter()
            .take(MAX_ENTRIES)
            .map(|(k, e)| (*k, From::Entry(e)))
            .collect();
        for touched in [true, false] {
            for (key, e) in &self.journal {
                if chosen.len() < MAX_ENTRIES
                    && e.touched.load(Ordering::Relaxed) == touched
                    && !added.entries.contains_key(key)
                {
                    chosen.push((*key, From::Entry(e)));
                }
            }
            let Some(main) = &self.main else { continue };
            for pos in 0..main.count {
                if chosen.len() >= MAX_ENTRIES {
                    break;
                }
                if main.touched[pos].load(Ordering::Relaxed) != touched {
                    continue;
                }
                let mut key = Key([0; 16]);
                key.0.copy_from_slice(main.key(pos));
                if !added.entries.contains_key(&key) && !self.journal.contains_key(&key) {
                    chosen.push((key, From::Main(pos)));
                }
            }
        }
        chosen.sort_unstable_by_key(|(key, _)| key.0);
        let mut index = Vec::with_capacity(chosen.len() * INDEX_RECORD);
        let mut data = Vec::with_capacity(1 << 16);
        let mut count: usize = 0;
        for (key, from) in &chosen {
            let offset = data.len() as u64;
            match from {
                From::Entry(e) => write_entry(&mut data, e)?,
                From::Main(pos) => match self.main.as_ref().and_then(|m| m.raw(*pos)) {
                    Some(raw) => data.extend_from_slice(raw),
                    None => continue,
                },
            }
            index.extend_from_slice(&key.0);
            index.extend_from_slice(&offset.to_le_bytes());
            count += 1;
        }
        let (mut out, count_at) = header(MAGIC, &self.identity, None, &added.rules)?;
        out.reserve(index.len() + data.len() + CHECKSUM_LEN);
        out.extend_from_slice(&index);
        out.extend_from_slice(&data);
        close(&mut out, count_at, count);
        write_atomically(&self.path, &out)
    }
}

/// The start of a cache file or journal, up to the entry count (written as 0 at the returned
/// offset: [`close`] sets it).
fn header(
    magic: &[u8],
    identity: &[u8; 32],
    main: Option<[u8; CHECKSUM_LEN]>,
    rules: &[Arc<RuleInfo>],
) -> Result<(Vec<u8>, usize), String> {
    let mut out = Vec::with_capacity(1 << 16);
    out.extend_from_slice(magic);
    out.extend_from_slice(identity);
    if let Some(sum) = main {
        out.extend_from_slice(&sum);
    }
    let rules: Vec<StoredRule> = rules.iter().map(|r| stored_rule(r)).collect();
    let rules = serde_json::to_vec(&rules).map_err(|e| e.to_string())?;
    out.extend_from_slice(&(rules.len() as u64).to_le_bytes());
    out.extend_from_slice(&rules);
    let count_at = out.len();
    out.extend_from_slice(&0u64.to_le_bytes());
    Ok((out, count_at))
}

/// Sets the entry count and appends the checksum.
fn close(out: &mut Vec<u8>, count_at: usize, count: usize) {
    out[count_at..count_at + 8].copy_from_slice(&(count as u64).to_le_bytes());
    let sum = crc32fast::hash(out);
    out.extend_from_slice(&sum.to_le_bytes());
}

/// The checksum a whole file (as [`close`] wrote it) ends with.
fn checksum(bytes: &[u8]) -> [u8; CHECKSUM_LEN] {
    let mut sum = [0u8; CHECKSUM_LEN];
    if let Some(tail) = bytes
        .len()
        .checked_sub(CHECKSUM_LEN)
        .and_then(|at| bytes.get(at..))
    {
        sum.copy_from_slice(tail);
    }
    sum
}

/// The body of a file that starts with `magic` and passes its checksum.
fn check<'a>(bytes: &'a [u8], magic: &[u8]) -> Result<&'a [u8], String> {
    let body_len = bytes
        .len()
        .checked_sub(CHECKSUM_LEN)
        .ok_or("truncated (no checksum)")?;
    let (body, sum) = bytes.split_at(body_len);
    if !body.starts_with(magic) {
        return Err("not a hygiene scan cache".to_string());
    }
    if crc32fast::hash(body).to_le_bytes() != sum {
        return Err("checksum mismatch: truncated or corrupt".to_string());
    }
    Ok(body)
}

fn read_rules(r: &mut Reader<'_>) -> Result<Vec<Arc<RuleInfo>>, String> {
    let rules_len = usize::try_from(r.u64()?).map_err(|_| "truncated")?;
    let rules: Vec<StoredRule> =
        serde_json::from_slice(r.take(rules_len)?).map_err(|e| e.to_string())?;
    Ok(rules.into_iter().map(rule_info).collect())
}

/// An entry's head and payload (see [`ENTRY_HEAD`]).
fn write_entry(out: &mut Vec<u8>, e: &Entry) -> Result<(), String> {
    out.push(e.state);
    out.extend_from_slice(&e.size.to_le_bytes());
    out.extend_from_slice(&e.utf8_error.unwrap_or(u64::MAX).to_le_bytes());
    let json;
    let payload: &[u8] = match (&e.record, &e.findings) {
        (Some(bytes), _) => bytes,
        (None, Some(f)) => {
            json = serde_json::to_vec(f).map_err(|e| e.to_string())?;
            &json
        }
        (None, None) => &[],
    };
    let len = u32::try_from(payload.len()).map_err(|_| "an entry over 4 GiB".to_string())?;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(payload);
    Ok(())
}

/// Replaces `path` with `bytes` whole. Not synced: a run killed at any point leaves the old
/// file or the new one whole, which is what a cache needs; a power cut can leave a renamed
/// file short, which the checksum catches (the next scan reads everything). Syncing the 12 MB
/// a 40,000-commit history keeps cost a warm run with one new commit more than its scan.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let how = crate::atomic::Replace {
        create_dir: true,
        sync: false,
    };
    crate::atomic::write(path, bytes, how)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// A file's rule table.
type Rules = Vec<Arc<RuleInfo>>;

type Journal = (Rules, KeyMap<Entry>);

/// Parses a journal extending the main file whose checksum is `main`: `Ok(None)` when it
/// belongs to another scan identity or main file.
fn parse_journal(
    bytes: &[u8],
    identity: &[u8; 32],
    main: [u8; CHECKSUM_LEN],
) -> Result<Option<Journal>, String> {
    let body = check(bytes, JOURNAL_MAGIC)?;
    let mut r = Reader {
        bytes: body,
        at: JOURNAL_MAGIC.len(),
    };
    if r.take(32)? != identity || r.take(CHECKSUM_LEN)? != main {
        return Ok(None);
    }
    let rules = read_rules(&mut r)?;
    let count = r.u64()? as usize;
    let mut entries = KeyMap::with_capacity_and_hasher(count.min(MAX_ENTRIES), Default::default());
    for _ in 0..count {
        let key = Key(r.array()?);
        let state = r.take(1)?[0];
        let size = r.u64()?;
        let utf8_error = Some(r.u64()?).filter(|&o| o != u64::MAX);
        let len = u32::from_le_bytes(r.array()?) as usize;
        let (findings, record): (Option<Box<[StoredFinding]>>, _) = match (state, len) {
            (RECORD, _) => (None, Some(Box::from(r.take(len)?))),
            (_, 0) => (None, None),
            _ => (
                Some(serde_json::from_slice(r.take(len)?).map_err(|e| e.to_string())?),
                None,
            ),
        };
        entries.insert(
            key,
            Entry {
                state,
                size,
                utf8_error,
                findings,
                record,
                touched: AtomicBool::new(false),
            },
        );
    }
    Ok(Some((rules, entries)))
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or("truncated")?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.array()?))
    }
}

fn store(f: &Finding, rules: &mut Vec<Arc<RuleInfo>>) -> StoredFinding {
    let rule = match rules
        .iter()
        .position(|r| Arc::ptr_eq(r, &f.rule) || **r == *f.rule)
    {
        Some(i) => i,
        None => {
            rules.push(f.rule.clone());
            rules.len() - 1
        }
    };
    StoredFinding {
        kind: match f.kind {
            FindingKind::Secret => 0,
            FindingKind::Vulnerability => 1,
            FindingKind::Hygiene => 2,
        },
        rule: rule as u32,
        line: f.line,
        column: f.column,
        end_line: f.end_line,
        end_column: f.end_column,
        severity: f.severity,
        confidence: f.confidence,
        fingerprint: f.fingerprint.clone(),
        message: f.message.clone(),
        redacted: f.secret.as_ref().map(|s| s.redacted()),
        digest: f.secret.as_ref().map(|s| s.digest()),
        encoding: f.encoding.map(|e| match e {
            Encoding::Base64 => 0,
            Encoding::Percent => 1,
            Encoding::JsonEscape => 2,
        }),
        whole_file: f.whole_file,
    }
}

fn rebuild(s: &StoredFinding, path: &str, rule: &Arc<RuleInfo>) -> Option<Finding> {
    Some(Finding {
        kind: match s.kind {
            0 => FindingKind::Secret,
            1 => FindingKind::Vulnerability,
            2 => FindingKind::Hygiene,
            _ => return None,
        },
        rule: rule.clone(),
        path: path.to_string(),
        line: s.line,
        column: s.column,
        end_line: s.end_line,
        end_column: s.end_column,
        severity: s.severity,
        confidence: s.confidence,
        fingerprint: s.fingerprint.clone(),
        message: s.message.clone(),
        secret: match (&s.redacted, s.digest) {
            (Some(r), Some(d)) => Some(SecretValue::from_redacted(r.clone(), d)),
            (None, None) => None,
            _ => return None,
        },
        commit: None,
        package: None,
        advisory: None,
        encoding: match s.encoding {
            None => None,
            Some(0) => Some(Encoding::Base64),
            Some(1) => Some(Encoding::Percent),
            Some(2) => Some(Encoding::JsonEscape),
            Some(_) => return None,
        },
        whole_file: s.whole_file,
        validation: None,
    })
}

fn stored_rule(r: &RuleInfo) -> StoredRule {
    StoredRule {
        id: r.id.clone(),
        name: r.name.clone(),
        short_description: r.short_description.clone(),
        full_description: r.full_description.clone(),
        help_markdown: r.help_markdown.clone(),
        tags: r.tags.clone(),
        severity: r.severity,
        confidence: r.confidence,
        security_severity: r.security_severity,
    }
}

fn rule_info(r: StoredRule) -> Arc<RuleInfo> {
    Arc::new(RuleInfo {
        id: r.id,
        name: r.name,
        short_description: r.short_description,
        full_description: r.full_description,
        help_markdown: r.help_markdown,
        tags: r.tags,
        severity: r.severity,
        confidence: r.confidence,
        security_severity: r.security_severity,
    })
}

/// The scan identity (see the module documentation): the program, then every part given, each
/// length-prefixed.
pub fn identity(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    let mut part = |p: &[u8]| {
        hasher.update((p.len() as u64).to_le_bytes());
        hasher.update(p);
    };
    part(env!("CARGO_PKG_VERSION").as_bytes());
    // The executable's size and modification time: a rebuilt binary (new built-in rules, a
    // fixed engine) is another identity, even under the same version number.
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{} {mtime}", m.len())
        })
        .unwrap_or_default();
    part(exe.as_bytes());
    for p in parts {
        part(p);
    }
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(dir: &Path) -> CacheSettings {
        CacheSettings {
            dir: dir.to_path_buf(),
            read: true,
        }
    }

    #[test]
    fn round_trips_and_rejects_another_identity_or_corruption() {
        let dir = std::env::temp_dir().join(format!("hygiene-cache-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let id = identity(&[b"a"]);
        let cache = ScanCache::open(&settings(&dir), id);
        let key = Key::blob(&[1; 20], "x.txt");
        cache.put_text(key, 12, None, &[]);
        cache.put_binary(Key::blob(&[2; 20], "y.bin"));
        cache.save().expect("saved");

        let cache = ScanCache::open(&settings(&dir), id);
        assert!(matches!(
            cache.get(&key, "x.txt"),
            Some(Cached::Text { size: 12, .. })
        ));
        assert!(matches!(
            cache.get(&Key::blob(&[2; 20], "y.bin"), "y.bin"),
            Some(Cached::Binary)
        ));
        assert!(cache.get(&Key::blob(&[1; 20], "z.txt"), "z.txt").is_none());

        let other = ScanCache::open(&settings(&dir), identity(&[b"b"]));
        assert!(other.get(&key, "x.txt").is_none());
        assert!(other.warnings.is_empty());

        let file = dir.join(FILE_NAME);
        let bytes = std::fs::read(&file).expect("read");
        std::fs::write(&file, &bytes[..bytes.len() - 5]).expect("write");
        let mut broken = ScanCache::open(&settings(&dir), id);
        assert!(broken.get(&key, "x.txt").is_none());
        assert_eq!(broken.take_warnings().len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn blob(n: u32) -> Key {
        Key::blob(&n.to_le_bytes(), "f.txt")
    }

    #[test]
    fn small_additions_go_to_the_journal_until_it_outgrows_its_share() {
        let dir =
            std::env::temp_dir().join(format!("hygiene-cache-journal-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let id = identity(&[b"a"]);
        let main = dir.join(FILE_NAME);
        let journal = dir.join(JOURNAL_NAME);
        let cache = ScanCache::open(&settings(&dir), id);
        for n in 0..1000 {
            cache.put_text(blob(n), n as u64, None, &[]);
        }
        cache.save().expect("saved");
        let main_bytes = std::fs::read(&main).expect("main file");
        assert!(!journal.exists());

        // One more entry: the main file stays as it was, the entry is in the journal.
        let cache = ScanCache::open(&settings(&dir), id);
        cache.put_binary(blob(5000));
        cache.save().expect("saved");
        assert_eq!(std::fs::read(&main).expect("main"), main_bytes);
        assert!(journal.exists());
        // Another run adds another: the journal keeps both.
        let cache = ScanCache::open(&settings(&dir), id);
        assert!(matches!(
            cache.get(&blob(5000), "f.txt"),
            Some(Cached::Binary)
        ));
        assert!(matches!(
            cache.get(&blob(7), "f.txt"),
            Some(Cached::Text { size: 7, .. })
        ));
        cache.put_binary(blob(5001));
        cache.save().expect("saved");
        let cache = ScanCache::open(&settings(&dir), id);
        assert!(matches!(
            cache.get(&blob(5000), "f.txt"),
            Some(Cached::Binary)
        ));
        assert!(matches!(
            cache.get(&blob(5001), "f.txt"),
            Some(Cached::Binary)
        ));
        assert!(cache.warnings.is_empty());

        // Past its share of the main file: everything goes into a new main file.
        for n in 10_000..11_000 {
            cache.put_text(blob(n), 1, None, &[]);
        }
        cache.save().expect("saved");
        assert!(!journal.exists());
        assert_ne!(std::fs::read(&main).expect("main"), main_bytes);
        let cache = ScanCache::open(&settings(&dir), id);
        for n in [0, 999, 5000, 5001, 10_000, 10_999] {
            assert!(cache.get(&blob(n), "f.txt").is_some(), "entry {n} kept");
        }

        // A journal that extends another main file is ignored, without a warning.
        cache.put_binary(blob(6000));
        cache.save().expect("saved");
        assert!(journal.exists());
        let kept = std::fs::read(&journal).expect("journal");
        let cache = ScanCache::open(&settings(&dir), id);
        for n in 20_000..22_000 {
            cache.put_text(blob(n), 1, None, &[]);
        }
        cache.save().expect("saved"); // a new main file
        std::fs::write(&journal, &kept).expect("stale journal back");
        let cache = ScanCache::open(&settings(&dir), id);
        assert!(
            cache.get(&blob(6000), "f.txt").is_some(),
            "in the new main file"
        );
        assert!(cache.warnings.is_empty());
        assert!(cache.journal.is_empty(), "the stale journal was not loaded");

        // A damaged journal: a warning, and the main file still answers.
        let cache = ScanCache::open(&settings(&dir), id);
        cache.put_binary(blob(7000));
        cache.save().expect("saved");
        let bytes = std::fs::read(&journal).expect("journal");
        std::fs::write(&journal, &bytes[..bytes.len() - 3]).expect("truncate");
        let mut cache = ScanCache::open(&settings(&dir), id);
        assert!(cache.get(&blob(7000), "f.txt").is_none());
        assert!(cache.get(&blob(20_000), "f.txt").is_some());
        assert_eq!(cache.take_warnings().len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
