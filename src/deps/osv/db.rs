//! The offline advisory database: OSV's per-ecosystem `all.zip` exports, kept in a cache
//! directory and indexed by package name.
//!
//! Layout: `<dir>/<Ecosystem>/all.zip`, exactly as OSV publishes them
//! (`https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip`), so a copy of
//! that bucket (or `../shared/osv`) works as `--db-dir`. Beside each zip:
//!
//! * `all.zip.meta.json` — the `ETag` / `Last-Modified` of the download, for conditional GETs;
//! * `all.zip.index` — the package index (see below).
//!
//! **The index.** Parsing a whole `all.zip` costs hundreds of milliseconds (thousands of JSON
//! records); a scan needs only the records of the packages it has. So the first load of a zip
//! writes an index: a small table of contents mapping each normalised package name to a blob
//! holding the records that name that package (re-serialised compactly, as a JSON array).
//! Loading reads the table of contents only; each package then costs one positional read and
//! the parse of its own records. The index records the zip's size and modification time and is
//! rebuilt when they change. When the database directory is read-only (no write permission
//! bits, e.g. a shared copy), the index goes to `<cache>/hygiene/osv-index/` instead, named
//! after the zip's path; when that is not writable either, the index is kept in memory.
//!
//! Offline use never opens a socket: only [`update`] talks to the network.

use super::matcher::{entry_names_package, normalize_name};
use super::model::Vulnerability;
use crate::deps::Ecosystem;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

/// Where OSV publishes the per-ecosystem exports.
pub const DEFAULT_BASE_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// Environment variable that overrides the database directory.
pub const DB_DIR_ENV: &str = "HYGIENE_DB_DIR";

const INDEX_MAGIC: &[u8; 8] = b"HYGOSVX1";
const ZIP_NAME: &str = "all.zip";
const INDEX_SUFFIX: &str = ".index";
const META_SUFFIX: &str = ".meta.json";

/// Errors of the offline database. Each message says what to do next.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(
        "no offline advisory database for {ecosystem} at {path}: run `hygiene db update` \
         while online, or point --db-dir / {DB_DIR_ENV} at a directory holding \
         <Ecosystem>/all.zip"
    )]
    Missing { ecosystem: Ecosystem, path: PathBuf },
    #[error(
        "the advisory database {path} is unreadable ({message}); delete it and run \
         `hygiene db update`"
    )]
    Corrupt { path: PathBuf, message: String },
    #[error(
        "the advisory database {path} is refused: {message}; an OSV export is far smaller, so \
         this file is damaged or hostile: delete it and run `hygiene db update`"
    )]
    TooLarge { path: PathBuf, message: String },
    #[error("cannot access {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "downloading {url} failed: {message}; check the network or proxy (HTTPS_PROXY) and \
         retry `hygiene db update` (the previous database, if any, was kept)"
    )]
    Download { url: String, message: String },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> DbError + '_ {
    move |source| DbError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The database directory to use when none is given: `$HYGIENE_DB_DIR`, else
/// `<user cache dir>/hygiene/osv` (`~/.cache/hygiene/osv` on Linux), else
/// `<temp dir>/hygiene/osv`.
pub fn default_db_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(DB_DIR_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("hygiene")
        .join("osv")
}

/// `<dir>/<Ecosystem>/all.zip`.
pub fn zip_path(dir: &Path, ecosystem: Ecosystem) -> PathBuf {
    dir.join(ecosystem.as_str()).join(ZIP_NAME)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// The identity of a zip file that an index was built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ZipKey {
    len: u64,
    mtime_ns: u64,
}

fn zip_key(path: &Path) -> Result<ZipKey, DbError> {
    let meta = fs::metadata(path).map_err(io_err(path))?;
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    Ok(ZipKey {
        len: meta.len(),
        mtime_ns,
    })
}

/// Where an index can live. With an explicit `index_dir`, only there. Otherwise beside the
/// zip, unless that directory is marked read-only (no write permission bits: a shared copy,
/// which is left alone even when running as root), then `<user cache dir>/hygiene/osv-index/`
/// under a name derived from the zip's path.
fn index_candidates(zip: &Path, index_dir: Option<&Path>) -> Vec<PathBuf> {
    let named = |dir: &Path| {
        let canonical = fs::canonicalize(zip).unwrap_or_else(|_| zip.to_path_buf());
        let digest = Sha256::digest(canonical.to_string_lossy().as_bytes());
        let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
        dir.join(format!("{hex}{INDEX_SUFFIX}"))
    };
    if let Some(dir) = index_dir {
        return vec![named(dir)];
    }
    let mut out = Vec::new();
    let beside_writable = zip
        .parent()
        .and_then(|d| fs::metadata(d).ok())
        .is_some_and(|m| !m.permissions().readonly());
    if beside_writable {
        out.push(sibling(zip, INDEX_SUFFIX));
    }
    if let Some(cache) = dirs::cache_dir() {
        out.push(named(&cache.join("hygiene").join("osv-index")));
    }
    out
}

/// Where an index's bytes are.
enum Store {
    File(Mutex<File>),
    Memory(Vec<u8>),
}

/// One ecosystem's advisories, indexed by normalised package name.
pub struct EcosystemDb {
    ecosystem: Ecosystem,
    zip: PathBuf,
    /// name → (offset from `data_start`, length).
    toc: HashMap<String, (u64, u32)>,
    data_start: u64,
    store: Store,
    records: u32,
    skipped: u32,
    index_path: Option<PathBuf>,
}

impl std::fmt::Debug for EcosystemDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EcosystemDb")
            .field("ecosystem", &self.ecosystem)
            .field("zip", &self.zip)
            .field("packages", &self.toc.len())
            .field("records", &self.records)
            .field("index_path", &self.index_path)
            .finish()
    }
}

impl EcosystemDb {
    /// Opens `<dir>/<Ecosystem>/all.zip`, using its index or building one.
    pub fn open(dir: &Path, ecosystem: Ecosystem) -> Result<EcosystemDb, DbError> {
        EcosystemDb::open_zip(&zip_path(dir, ecosystem), ecosystem, None)
    }

    /// Opens a zip. The index is kept in `index_dir` when given; otherwise beside the zip or,
    /// when that directory is read-only, in `<user cache dir>/hygiene/osv-index`; when no
    /// location is writable it is built in memory for this run.
    pub fn open_zip(
        zip: &Path,
        ecosystem: Ecosystem,
        index_dir: Option<&Path>,
    ) -> Result<EcosystemDb, DbError> {
        if !zip.is_file() {
            return Err(DbError::Missing {
                ecosystem,
                path: zip.to_path_buf(),
            });
        }
        let key = zip_key(zip)?;
        let candidates = index_candidates(zip, index_dir);
        for path in &candidates {
            if let Ok(Some(db)) = EcosystemDb::load_index(path, zip, ecosystem, key) {
                return Ok(db);
            }
        }
        let bytes = build_index(zip, ecosystem, key)?;
        for path in &candidates {
            if write_atomically(path, &bytes).is_ok() {
                if let Ok(Some(db)) = EcosystemDb::load_index(path, zip, ecosystem, key) {
                    return Ok(db);
                }
            }
        }
        EcosystemDb::from_bytes(bytes, zip, ecosystem, key)?.ok_or_else(|| DbError::Corrupt {
            path: zip.to_path_buf(),
            message: "freshly built index does not load".into(),
        })
    }

    fn load_index(
        path: &Path,
        zip: &Path,
        ecosystem: Ecosystem,
        key: ZipKey,
    ) -> io::Result<Option<EcosystemDb>> {
        let mut file = File::open(path)?;
        let total_len = file.metadata()?.len();
        let header = match read_header(&mut io::BufReader::new(&mut file), key, total_len)? {
            Some(h) => h,
            None => return Ok(None),
        };
        Ok(Some(EcosystemDb {
            ecosystem,
            zip: zip.to_path_buf(),
            toc: header.toc,
            data_start: header.data_start,
            store: Store::File(Mutex::new(file)),
            records: header.records,
            skipped: header.skipped,
            index_path: Some(path.to_path_buf()),
        }))
    }

    fn from_bytes(
        bytes: Vec<u8>,
        zip: &Path,
        ecosystem: Ecosystem,
        key: ZipKey,
    ) -> Result<Option<EcosystemDb>, DbError> {
        let header = read_header(&mut io::Cursor::new(&bytes), key, bytes.len() as u64)
            .map_err(io_err(zip))?;
        Ok(header.map(|header| EcosystemDb {
            ecosystem,
            zip: zip.to_path_buf(),
            toc: header.toc,
            data_start: header.data_start,
            store: Store::Memory(bytes),
            records: header.records,
            skipped: header.skipped,
            index_path: None,
        }))
    }

    pub fn ecosystem(&self) -> Ecosystem {
        self.ecosystem
    }

    /// Number of distinct package names with advisories.
    pub fn package_count(&self) -> usize {
        self.toc.len()
    }

    /// Number of records loaded from the zip.
    pub fn record_count(&self) -> usize {
        self.records as usize
    }

    /// Number of zip entries that were not valid OSV JSON and were skipped.
    pub fn skipped_count(&self) -> usize {
        self.skipped as usize
    }

    /// The index file in use (`None` when kept in memory).
    pub fn index_path(&self) -> Option<&Path> {
        self.index_path.as_deref()
    }

    /// Every record with an `affected[]` entry for `name` (normalised here) in this ecosystem,
    /// withdrawn ones included (the matcher skips them).
    pub fn records_for(&self, name: &str) -> Result<Vec<Vulnerability>, DbError> {
        let key = normalize_name(self.ecosystem, name);
        let Some(&(offset, len)) = self.toc.get(key.as_ref()) else {
            return Ok(Vec::new());
        };
        let corrupt = |message: String| DbError::Corrupt {
            path: self.index_path.clone().unwrap_or_else(|| self.zip.clone()),
            message,
        };
        let start = self.data_start + offset;
        let mut buf = vec![0u8; len as usize];
        match &self.store {
            Store::File(file) => {
                let mut f = file
                    .lock()
                    .map_err(|_| corrupt("index lock poisoned".into()))?;
                f.seek(SeekFrom::Start(start))
                    .and_then(|_| f.read_exact(&mut buf))
                    .map_err(|e| corrupt(e.to_string()))?;
            }
            Store::Memory(bytes) => {
                let slice = usize::try_from(start)
                    .ok()
                    .and_then(|s| bytes.get(s..s + len as usize))
                    .ok_or_else(|| corrupt("index entry out of bounds".into()))?;
                buf.copy_from_slice(slice);
            }
        }
        serde_json::from_slice(&buf).map_err(|e| corrupt(e.to_string()))
    }
}

struct Header {
    toc: HashMap<String, (u64, u32)>,
    data_start: u64,
    records: u32,
    skipped: u32,
}

fn read_u32(r: &mut impl Read) -> io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

fn read_u64(r: &mut impl Read) -> io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

/// Reads an index header; `None` when it is not an index, was built from another zip, or
/// points outside its `total_len` bytes.
fn read_header(r: &mut impl Read, key: ZipKey, total_len: u64) -> io::Result<Option<Header>> {
    let mut magic = [0u8; 8];
    if r.read_exact(&mut magic).is_err() || &magic != INDEX_MAGIC {
        return Ok(None);
    }
    let len = read_u64(r)?;
    let mtime_ns = read_u64(r)?;
    if (ZipKey { len, mtime_ns }) != key {
        return Ok(None);
    }
    let records = read_u32(r)?;
    let skipped = read_u32(r)?;
    let n = read_u32(r)? as usize;
    let mut pos: u64 = 8 + 8 + 8 + 4 + 4 + 4;
    let mut toc = HashMap::with_capacity(n.min(1 << 20));
    for _ in 0..n {
        let name_len = read_u32(r)? as usize;
        if name_len > 64 * 1024 {
            return Ok(None);
        }
        let mut name = vec![0u8; name_len];
        r.read_exact(&mut name)?;
        let offset = read_u64(r)?;
        let blob_len = read_u32(r)?;
        pos += 4 + name_len as u64 + 8 + 4;
        let Ok(name) = String::from_utf8(name) else {
            return Ok(None);
        };
        toc.insert(name, (offset, blob_len));
    }
    // Every blob must lie inside the file: a damaged index is rebuilt, never trusted.
    let data_len = total_len.saturating_sub(pos);
    if toc
        .values()
        .any(|(offset, len)| offset.saturating_add(u64::from(*len)) > data_len)
    {
        return Ok(None);
    }
    Ok(Some(Header {
        toc,
        data_start: pos,
        records,
        skipped,
    }))
}

/// The most entries an `all.zip` may have. OSV's largest export (npm, with its malicious
/// package reports) has a few hundred thousand; the zip reader keeps the whole central
/// directory in memory, so this also bounds what a hostile archive can make it hold.
pub const MAX_ZIP_ENTRIES: usize = 1_000_000;

/// The most bytes the records of one `all.zip` may decompress to, in all. OSV's largest
/// export is well under a gigabyte of JSON. Without a total, a zip bomb (entries of zeros
/// compressed a thousandfold, or entries sharing their compressed bytes) would be inflated
/// whole: 2.5 GB of memory from a 2.6 MB file before this limit existed.
pub const MAX_ZIP_TOTAL: u64 = 2 << 30;

/// The largest download `db update` accepts: the total decompressed budget plus room for the
/// headers of [`MAX_ZIP_ENTRIES`] entries (a zip of stored entries is no smaller than them).
pub const MAX_DOWNLOAD: u64 = MAX_ZIP_TOTAL + (256 << 20);

/// The most bytes one record may decompress to; the largest OSV records are well under 1 MB.
pub const MAX_ZIP_ENTRY: u64 = 64 << 20;

/// Raw record bytes parsed at a time: the raw JSON of a batch is dropped once parsed, so
/// memory holds the parsed records and one batch, not the whole export twice.
const PARSE_BATCH: usize = 64 << 20;

/// Reads every record of an `all.zip`. Entries that are not valid OSV JSON are counted and
/// skipped; a zip that cannot be read at all is an error, and so is one over the limits
/// ([`MAX_ZIP_ENTRIES`], [`MAX_ZIP_TOTAL`], [`MAX_ZIP_ENTRY`]): the sizes the archive
/// declares are checked before anything is inflated, and an entry is never read past its
/// declared size, so a lying header costs no more than an honest one.
///
/// Entry names are only looked at for their `.json` suffix: nothing is extracted, so a name
/// like `../../x.json` or `C:\x.json` is never used as a path.
pub fn read_zip(zip: &Path) -> Result<(Vec<Vulnerability>, usize), DbError> {
    read_zip_within(zip, &ZipLimits::DEFAULT)
}

/// The limits [`read_zip`] holds an archive to (its constants, or smaller ones in tests).
#[derive(Debug, Clone, Copy)]
pub struct ZipLimits {
    pub entries: usize,
    pub entry: u64,
    pub total: u64,
}

impl ZipLimits {
    pub const DEFAULT: ZipLimits = ZipLimits {
        entries: MAX_ZIP_ENTRIES,
        entry: MAX_ZIP_ENTRY,
        total: MAX_ZIP_TOTAL,
    };
}

/// [`read_zip`] under `limits`.
pub fn read_zip_within(
    zip: &Path,
    limits: &ZipLimits,
) -> Result<(Vec<Vulnerability>, usize), DbError> {
    let corrupt = |message: String| DbError::Corrupt {
        path: zip.to_path_buf(),
        message,
    };
    let too_large = |message: String| DbError::TooLarge {
        path: zip.to_path_buf(),
        message,
    };
    let file = File::open(zip).map_err(io_err(zip))?;
    let mut archive =
        zip::ZipArchive::new(io::BufReader::new(file)).map_err(|e| corrupt(e.to_string()))?;
    if archive.len() > limits.entries {
        return Err(too_large(format!(
            "it has {} entries, more than the limit of {}",
            archive.len(),
            limits.entries
        )));
    }
    // What the central directory declares, before inflating a byte.
    let mut declared: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| corrupt(e.to_string()))?;
        if entry.size() > limits.entry {
            return Err(too_large(format!(
                "entry {:?} decompresses to {} bytes, more than the limit of {} for one record",
                entry.name(),
                entry.size(),
                limits.entry
            )));
        }
        declared = declared.saturating_add(entry.size());
    }
    if declared > limits.total {
        return Err(too_large(format!(
            "its entries decompress to {declared} bytes, more than the limit of {} in all",
            limits.total
        )));
    }
    let mut records = Vec::new();
    let mut skipped = 0;
    let mut batch: Vec<Vec<u8>> = Vec::new();
    let mut batch_bytes = 0;
    let mut flush = |batch: &mut Vec<Vec<u8>>| {
        let parsed: Vec<Option<Vulnerability>> = batch
            .par_iter()
            .map(|b| serde_json::from_slice::<Vulnerability>(b).ok())
            .collect();
        batch.clear();
        skipped += parsed.iter().filter(|p| p.is_none()).count();
        records.extend(parsed.into_iter().flatten());
    };
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| corrupt(e.to_string()))?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if !entry.is_file() || !name.ends_with(".json") {
            continue;
        }
        let size = entry.size();
        let mut buf = Vec::with_capacity(size.min(16 << 20) as usize);
        (&mut entry)
            .take(size.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|e| corrupt(format!("{name}: {e}")))?;
        if buf.len() as u64 > size {
            return Err(too_large(format!(
                "entry {name:?} decompresses to more than the {size} bytes its header declares"
            )));
        }
        batch_bytes += buf.len();
        batch.push(buf);
        if batch_bytes >= PARSE_BATCH {
            flush(&mut batch);
            batch_bytes = 0;
        }
    }
    flush(&mut batch);
    Ok((records, skipped))
}

/// Builds the index bytes for a zip (format: magic, zip size and mtime, counts, table of
/// contents of `name → (offset, length)`, then the JSON blobs).
fn build_index(zip: &Path, ecosystem: Ecosystem, key: ZipKey) -> Result<Vec<u8>, DbError> {
    let (records, skipped) = read_zip(zip)?;
    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, record) in records.iter().enumerate() {
        for affected in &record.affected {
            if Ecosystem::from_osv(&affected.package.ecosystem) != Some(ecosystem) {
                continue;
            }
            let name = normalize_name(ecosystem, &affected.package.name).into_owned();
            debug_assert!(entry_names_package(affected, ecosystem, &name));
            let list = by_name.entry(name).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    let serialized: Vec<Vec<u8>> = records
        .par_iter()
        .map(|r| serde_json::to_vec(r).unwrap_or_default())
        .collect();

    let mut data = Vec::new();
    let mut toc = Vec::with_capacity(by_name.len());
    for (name, ids) in &by_name {
        let start = data.len() as u64;
        data.push(b'[');
        for (n, i) in ids.iter().enumerate() {
            if n > 0 {
                data.push(b',');
            }
            data.extend_from_slice(&serialized[*i]);
        }
        data.push(b']');
        toc.push((name.as_str(), start, (data.len() as u64 - start) as u32));
    }

    let mut out = Vec::with_capacity(data.len() + toc.len() * 48 + 64);
    out.extend_from_slice(INDEX_MAGIC);
    out.extend_from_slice(&key.len.to_le_bytes());
    out.extend_from_slice(&key.mtime_ns.to_le_bytes());
    out.extend_from_slice(&(records.len() as u32).to_le_bytes());
    out.extend_from_slice(&(skipped as u32).to_le_bytes());
    out.extend_from_slice(&(toc.len() as u32).to_le_bytes());
    for (name, offset, len) in toc {
        out.extend_from_slice(&(name.len() as u32).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
    }
    out.extend_from_slice(&data);
    Ok(out)
}

/// Builds (or refreshes) the index of `<dir>/<Ecosystem>/all.zip` now, so the next offline
/// scan starts warm. Returns the opened database.
pub fn ensure_index(dir: &Path, ecosystem: Ecosystem) -> Result<EcosystemDb, DbError> {
    EcosystemDb::open(dir, ecosystem)
}

/// Replaces `path` with `bytes` whole, synced (the index and its metadata carry no checksum).
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    crate::atomic::write(
        path,
        bytes,
        crate::atomic::Replace {
            create_dir: true,
            sync: true,
        },
    )
}

// ---------------------------------------------------------------------------------------
// Update
// ---------------------------------------------------------------------------------------

/// What [`update`] did for one ecosystem.
#[derive(Debug)]
pub enum UpdateStatus {
    /// A new `all.zip` was downloaded (its size in bytes) and indexed.
    Downloaded { bytes: u64 },
    /// The server said the cached copy is current (HTTP 304).
    Unchanged,
    /// The download failed; the previous database, if any, is untouched.
    Failed(DbError),
}

/// The result of [`update`] for one ecosystem.
#[derive(Debug)]
pub struct UpdateOutcome {
    pub ecosystem: Ecosystem,
    pub status: UpdateStatus,
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct DownloadMeta {
    url: String,
    #[serde(default)]
    etag: Option<String>,
    #[serde(default)]
    last_modified: Option<String>,
    /// When `hygiene db update` last downloaded the export or heard it is unchanged (seconds
    /// since the epoch): an unchanged export keeps its old file time but is current.
    #[serde(default)]
    checked: Option<u64>,
}

fn now_secs() -> Option<u64> {
    std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs())
}

/// When the database of `ecosystem` in `dir` was last known current: the later of the zip's
/// modification time (a download, or a copy put there by hand) and the last update check
/// that found it unchanged (recorded in `all.zip.meta.json`). The server's `Last-Modified`
/// is not used: it dates OSV's export, not what this copy has been checked against. `None`
/// when there is no database.
pub fn last_updated(dir: &Path, ecosystem: Ecosystem) -> Option<std::time::SystemTime> {
    let zip = zip_path(dir, ecosystem);
    let modified = fs::metadata(&zip).ok()?.modified().ok();
    let checked = fs::read(sibling(&zip, META_SUFFIX))
        .ok()
        .and_then(|b| serde_json::from_slice::<DownloadMeta>(&b).ok())
        .and_then(|m| m.checked)
        .map(|s| UNIX_EPOCH + std::time::Duration::from_secs(s));
    modified.max(checked)
}

/// A blocking HTTP client for [`update`]: proxies from the environment (`HTTPS_PROXY`, ...)
/// are honoured, gzip is accepted, and the timeouts bound the connection and each whole
/// download.
pub fn http_client(
    connect_timeout: std::time::Duration,
    timeout: std::time::Duration,
) -> Result<reqwest::blocking::Client, DbError> {
    reqwest::blocking::Client::builder()
        .connect_timeout(connect_timeout)
        .timeout(timeout)
        .user_agent(concat!("hygiene/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| DbError::Download {
            url: String::new(),
            message: e.to_string(),
        })
}

/// `hygiene db update`: downloads each ecosystem's export into `dir` with the default
/// timeouts (15 s to connect, 10 minutes per download). An `Err` only when no HTTP client can
/// be made; each ecosystem's own failure is in its [`UpdateOutcome`].
pub fn update_all(
    base_url: &str,
    dir: &Path,
    ecosystems: &[Ecosystem],
) -> Result<Vec<UpdateOutcome>, crate::error::Error> {
    let client = http_client(
        std::time::Duration::from_secs(15),
        std::time::Duration::from_secs(600),
    )
    .map_err(|e| {
        crate::error::Error::with_source(
            crate::error::ErrorKind::Network,
            "cannot make an HTTP client",
            e,
        )
    })?;
    Ok(update(base_url, dir, ecosystems, &client))
}

/// Downloads `<base_url>/<Ecosystem>/all.zip` for each ecosystem into
/// `<dir>/<Ecosystem>/all.zip`, skipping the ones the server says are unchanged
/// (conditional GET with the stored `ETag` / `Last-Modified`).
///
/// A download goes to a temporary file in the same directory, is checked (complete, a zip
/// whose records parse) and only then renamed over the old file; a failed, truncated or
/// corrupt download leaves the previous database as it was. Each new zip is indexed at once.
pub fn update(
    base_url: &str,
    dir: &Path,
    ecosystems: &[Ecosystem],
    client: &reqwest::blocking::Client,
) -> Vec<UpdateOutcome> {
    ecosystems
        .iter()
        .map(|&ecosystem| UpdateOutcome {
            ecosystem,
            status: match update_one(base_url, dir, ecosystem, client) {
                Ok(status) => status,
                Err(e) => UpdateStatus::Failed(e),
            },
        })
        .collect()
}

fn update_one(
    base_url: &str,
    dir: &Path,
    ecosystem: Ecosystem,
    client: &reqwest::blocking::Client,
) -> Result<UpdateStatus, DbError> {
    let url = format!(
        "{}/{}/{ZIP_NAME}",
        base_url.trim_end_matches('/'),
        ecosystem.as_str()
    );
    let zip = zip_path(dir, ecosystem);
    let meta_path = sibling(&zip, META_SUFFIX);
    let eco_dir = zip.parent().unwrap_or(dir).to_path_buf();
    fs::create_dir_all(&eco_dir).map_err(io_err(&eco_dir))?;
    let download_err = |message: String| DbError::Download {
        url: url.clone(),
        message,
    };

    let previous: Option<DownloadMeta> = if zip.is_file() {
        fs::read(&meta_path)
            .ok()
            .and_then(|b| serde_json::from_slice::<DownloadMeta>(&b).ok())
            .filter(|m| m.url == url)
    } else {
        None
    };

    let mut request = client.get(&url);
    if let Some(meta) = &previous {
        if let Some(etag) = &meta.etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &meta.last_modified {
            request = request.header(reqwest::header::IF_MODIFIED_SINCE, lm);
        }
    }
    let mut response = request.send().map_err(|e| download_err(describe(&e)))?;
    let status = response.status();
    if let (reqwest::StatusCode::NOT_MODIFIED, Some(meta)) = (status, previous) {
        // Make sure the index exists (a previous run may have stopped before building it).
        ensure_index(dir, ecosystem)?;
        // The copy is current as of now: what the stale-database warning goes by.
        let meta = DownloadMeta {
            checked: now_secs(),
            ..meta
        };
        if let Ok(bytes) = serde_json::to_vec_pretty(&meta) {
            let _ = write_atomically(&meta_path, &bytes);
        }
        return Ok(UpdateStatus::Unchanged);
    }
    if !status.is_success() {
        return Err(download_err(format!("server answered HTTP {status}")));
    }
    let header = |name: reqwest::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let meta = DownloadMeta {
        url: url.clone(),
        etag: header(reqwest::header::ETAG),
        last_modified: header(reqwest::header::LAST_MODIFIED),
        checked: now_secs(),
    };
    let expected_len = response.content_length();

    let tmp = crate::atomic::temp_name(&zip);
    let cleanup = |e: DbError| {
        let _ = fs::remove_file(&tmp);
        e
    };
    let written = (|| -> Result<u64, DbError> {
        let mut file = File::create(&tmp).map_err(io_err(&tmp))?;
        // A server that never stops sending would otherwise fill the disk until the
        // download's timeout; no export this size would pass `read_zip` anyway.
        let n = io::copy(&mut (&mut response).take(MAX_DOWNLOAD + 1), &mut file)
            .map_err(|e| download_err(format!("transfer interrupted: {e}")))?;
        if n > MAX_DOWNLOAD {
            return Err(download_err(format!(
                "the server sent more than {MAX_DOWNLOAD} bytes, more than any OSV export; \
                 the download was stopped there"
            )));
        }
        file.sync_all().map_err(io_err(&tmp))?;
        Ok(n)
    })()
    .map_err(cleanup)?;
    if let Some(expected) = expected_len {
        if written != expected {
            return Err(cleanup(download_err(format!(
                "truncated download: got {written} of {expected} bytes"
            ))));
        }
    }
    // Validate: the zip opens and its records parse (this also builds the index's content).
    let (records, _) = read_zip(&tmp).map_err(|e| {
        cleanup(download_err(format!(
            "the downloaded file is not a valid zip: {e}"
        )))
    })?;
    drop(records);

    fs::rename(&tmp, &zip).map_err(|e| {
        cleanup(DbError::Io {
            path: zip.clone(),
            source: e,
        })
    })?;
    if let Ok(bytes) = serde_json::to_vec_pretty(&meta) {
        let _ = write_atomically(&meta_path, &bytes);
    }
    ensure_index(dir, ecosystem)?;
    Ok(UpdateStatus::Downloaded { bytes: written })
}

/// A short description of a reqwest error, with its causes.
pub(crate) fn describe(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    /// A zip of `n` small records named `R-{i}.json`.
    fn zip_of(path: &Path, n: usize) {
        let mut w = zip::ZipWriter::new(File::create(path).expect("create"));
        for i in 0..n {
            w.start_file(
                format!("R-{i}.json"),
                zip::write::SimpleFileOptions::default(),
            )
            .expect("entry");
            let record = format!(r#"{{"id":"R-{i}","modified":"2024-01-01T00:00:00Z"}}"#);
            w.write_all(record.as_bytes()).expect("write");
        }
        w.finish().expect("finish");
    }

    /// Each limit refuses the archive that passes it by one, with the limit in the message,
    /// and admits the archive that meets it exactly.
    #[test]
    fn every_zip_limit_refuses_one_over_and_admits_one_at() {
        let dir = tempfile::tempdir().expect("tempdir");
        let zip = dir.path().join("all.zip");
        zip_of(&zip, 4);
        let record_len = r#"{"id":"R-0","modified":"2024-01-01T00:00:00Z"}"#.len() as u64;
        let at = ZipLimits {
            entries: 4,
            entry: record_len,
            total: 4 * record_len,
        };
        let (records, skipped) = read_zip_within(&zip, &at).expect("within the limits");
        assert_eq!((records.len(), skipped), (4, 0));

        let refused = |limits: ZipLimits| match read_zip_within(&zip, &limits) {
            Err(DbError::TooLarge { message, .. }) => message,
            other => panic!("expected a refusal, got {other:?}"),
        };
        let m = refused(ZipLimits { entries: 3, ..at });
        assert_eq!(m, "it has 4 entries, more than the limit of 3");
        let m = refused(ZipLimits {
            entry: record_len - 1,
            ..at
        });
        assert!(
            m.contains("more than the limit of") && m.contains("for one record"),
            "{m}"
        );
        let m = refused(ZipLimits {
            total: 4 * record_len - 1,
            ..at
        });
        assert_eq!(
            m,
            format!(
                "its entries decompress to {} bytes, more than the limit of {} in all",
                4 * record_len,
                4 * record_len - 1
            )
        );
    }
}
