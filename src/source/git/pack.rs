//! Reading objects from the repository's packs with a cache that also keeps delta *bases*.
//!
//! A history scan reads every version of every file and directory. Git packs store one version
//! whole and the others as deltas against it (often all against the same base: a "star"), and
//! gix's pack cache keeps only the results of resolving deltas, not the undeltified bases, so
//! each version costs a full inflation of its base. This reader resolves delta chains itself,
//! caching every object it decodes by pack offset, bases included, so each base is inflated
//! once while it stays in the cache, and a delta costs the inflation of the delta alone.
//!
//! Objects not in a pack (loose objects, alternates, packs that appeared after opening) are
//! read through gix's object database as usual.
//!
//! # Why not gix's own object reads
//!
//! Measured with `READERS="ours gix gix-lru" bench/history.sh` (the bench repository of
//! 20,000 commits, 35,156 file versions, 339 MiB of blobs in a 32 MiB pack), which times
//! `scan --history` per reader in turns and checks they report the same findings. The switch is
//! the environment variable `HYGIENE_OBJECT_READER`, read in [`Reader::new`]: `gix` sends
//! every object through gix's object database with the delta cache gix's default features
//! install (64 entries, 96 MiB; this crate's gix features install none), `gix-lru` with a
//! 64 MiB LRU delta cache (this reader's budget); anything else, or unset, is this reader.
//! Everything else (decoding in delta-chain order, the tree diffs) is the same in all three.
//! On the 2-vCPU development machine while other builds shared it (load 1.9 to 2.2), four
//! runs of the script, medians of three scans each:
//!
//! | reader | wall | CPU | peak RSS |
//! |---|---|---|---|
//! | this reader | 0.89-2.19 s | 1.59-2.09 s | 233 MiB |
//! | gix, default delta cache | 1.46-1.70x this reader's | 1.54-1.78x | 118 MiB |
//! | gix, 64 MiB LRU delta cache | 1.35-1.53x | 1.41-1.53x | 249 MiB |
//!
//! Keeping bases buys a history scan 29-44% less CPU than either gix configuration, for
//! 115 MiB more memory than gix's default cache (two threads, a 64 MiB cache each) and about
//! what gix takes with a cache of the same budget. (Since then the readers share one budget
//! of [`CACHE_BYTES`], and `gix-lru` gets that budget per reader: see bench/README.md,
//! "History memory".)

use gix::odb::pack;
use gix::ObjectId;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Bytes of decoded objects all the readers of one [`Packs`] keep together, split evenly
/// between them (see [`Packs::share_cache`]).
///
/// A bound on the whole process, not per thread: with 64 MiB a reader (what each reader had
/// when it was measured against gix's reads, module documentation), a 16-CPU machine would
/// hold a gigabyte of cache. Decoding in delta-chain order needs only the bases of the
/// chains a thread is working through, and a tree diff the trees of the last few commits.
/// This budget is the largest single item of a history scan's peak memory: 32 MiB put an
/// 80,000-commit history at 150 MiB instead of 141, for a CPU time within the noise of this
/// one's (7.1-7.2 s against 6.5-8.0 s, two runs each on a loaded 2-CPU machine;
/// bench/README.md, "History memory"). `HYGIENE_CACHE_MIB` overrides it, for benchmarks.
const CACHE_BYTES: usize = 24 << 20;

/// [`CACHE_BYTES`], or `HYGIENE_CACHE_MIB` mebibytes (the benchmarks' switch).
fn cache_bytes() -> usize {
    std::env::var("HYGIENE_CACHE_MIB")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(CACHE_BYTES, |m| m.saturating_mul(1 << 20))
}

/// What a cached object costs beside its bytes: its `Arc` and `Vec` headers, its hash table
/// slot (with the table's empty ones), its place in the eviction queue and the allocator's
/// own headers. Most objects a tree diff caches are trees of a few hundred bytes, so counting
/// only their bytes let the cache hold half as much again as its budget.
const ENTRY_OVERHEAD: usize = 160;

/// No reader's share of [`CACHE_BYTES`] goes below this, however many threads: a tree diff
/// needs both trees of a commit and a blob its delta base at once.
const CACHE_BYTES_MIN: usize = 4 << 20;

/// Bytes a reader reads from a pack at a time (see [`Window`]).
///
/// Pack entries are read with `pread`, not through a memory map: every page of a mapped pack
/// that a scan touched counted in its resident memory until released, and a history scan
/// touches the whole pack (156 MiB for 80,000 commits). Releasing the pages now and then
/// (`madvise`) bounded that, at the price of a page fault for every page touched again. A
/// read copies the bytes into a buffer the reader keeps, and serves the next reads that fall
/// in it (an entry's header and then its data; a delta and its neighbours). Most entries of a
/// history scan are tree deltas of a few dozen bytes: reading 16 KiB at a time copied mostly
/// bytes nobody used (twice the system time of 1 KiB reads on the 20,000-commit bench; 4 KiB
/// and 256 bytes were in between). Bigger entries are read whole, in one read.
const WINDOW: usize = 1 << 10;

/// A reader's [`Window`] buffer, grown for a big entry, is given back above this.
const WINDOW_KEEP: usize = 256 << 10;

/// The most bytes an entry header takes: type and size (up to 10 bytes), then a base
/// distance (up to 10) or a base id (up to 32).
const HEADER_MAX: usize = 1 + 10 + 32;

/// Objects larger than this are not cached (they would evict everything else).
const CACHE_MAX_OBJECT: usize = 8 << 20;

/// The most delta links followed to resolve one object. Git writes chains of at most 50 by
/// default and 4095 at most (`--depth`); a longer one is a cycle or a hostile pack.
const MAX_CHAIN: usize = 10_000;

/// A read-only memory map of a pack index, shared by the gix index file that reads it and by
/// [`fan_range`], which reads its fan-out table.
#[derive(Clone)]
struct Map(Arc<memmap2::Mmap>);

impl std::ops::Deref for Map {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl Map {
    fn open(path: &Path) -> std::io::Result<Map> {
        let file = std::fs::File::open(path)?;
        // SAFETY: git never rewrites a pack or its index in place (it writes a new file and
        // renames it, then deletes the old one, which stays readable through the map), so
        // the mapped bytes do not change under us; gix maps them the same way.
        let map = unsafe { memmap2::Mmap::map(&file) }?;
        Ok(Map(Arc::new(map)))
    }
}

/// A pack and its index.
struct Bundle {
    index: pack::index::File<Map>,
    /// The index's bytes (for [`fan_range`]).
    index_map: Map,
    /// The pack, read with [`read_at`].
    pack: std::fs::File,
    /// The pack's length in bytes.
    pack_len: u64,
}

impl Bundle {
    fn at(idx: &Path, hash: gix::hash::Kind) -> Option<Bundle> {
        let imap = Map::open(idx).ok()?;
        let index = pack::index::File::from_data(imap.clone(), PathBuf::from(idx), hash).ok()?;
        let file = std::fs::File::open(idx.with_extension("pack")).ok()?;
        let pack_len = file.metadata().ok()?.len();
        let mut head = [0u8; pack::data::header::SIZE];
        read_at(&file, &mut head, 0).ok()?;
        let (_, objects) = pack::data::header::decode(&head).ok()?;
        if objects != index.num_objects() {
            return None;
        }
        Some(Bundle {
            index,
            index_map: imap,
            pack: file,
            pack_len,
        })
    }
}

/// Fills `buf` with the bytes of `file` at `offset`.
fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        let (mut buf, mut offset) = (buf, offset);
        while !buf.is_empty() {
            match std::os::windows::fs::FileExt::seek_read(file, buf, offset) {
                Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => {
                    let rest = buf;
                    buf = &mut rest[n..];
                    offset += n as u64;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (file, buf, offset);
        Err(std::io::ErrorKind::Unsupported.into())
    }
}

/// The bytes of a pack a reader read last (see [`WINDOW`]).
#[derive(Default)]
pub struct Window {
    pack: usize,
    start: u64,
    /// The buffer; only its first `filled` bytes hold pack bytes. It is not cleared between
    /// reads: zeroing it for every read cost more than the reads.
    bytes: Vec<u8>,
    filled: usize,
}

impl Window {
    /// Up to `len` bytes of pack `p` from `offset` (fewer only at the end of the pack), read
    /// unless the window holds them already. A read takes at least `read` bytes.
    fn get(
        &mut self,
        bundles: &[Bundle],
        p: usize,
        offset: u64,
        len: usize,
        read: usize,
    ) -> gix::error::Result<&[u8]> {
        let bundle = bundles
            .get(p)
            .ok_or_else(|| corrupt(format!("no pack {p}")))?;
        let left = bundle.pack_len.saturating_sub(offset);
        if left == 0 {
            return Err(corrupt(format!("pack offset {offset} is past the end")));
        }
        let len = len.min(usize::try_from(left).unwrap_or(usize::MAX));
        let end = self.start + self.filled as u64;
        if self.pack != p || offset < self.start || offset + len as u64 > end {
            let n = len
                .max(read)
                .min(usize::try_from(left).unwrap_or(usize::MAX));
            if self.bytes.len() > WINDOW_KEEP && n <= WINDOW_KEEP {
                self.bytes = Vec::new();
            }
            if self.bytes.len() < n {
                self.bytes.resize(n, 0);
            }
            // Empty until the read succeeds.
            self.filled = 0;
            self.pack = p;
            self.start = offset;
            let buf = self.bytes.get_mut(..n).unwrap_or_default();
            read_at(&bundle.pack, buf, offset)
                .map_err(|e| corrupt(format!("cannot read pack at offset {offset}: {e}")))?;
            self.filled = buf.len();
        }
        let at = usize::try_from(offset - self.start).unwrap_or(usize::MAX);
        self.bytes[..self.filled]
            .get(at..at.saturating_add(len))
            .ok_or_else(|| corrupt(format!("pack offset {offset} is out of bounds")))
    }

    /// The header of the entry at `offset` of pack `p`; reads at least `read` bytes.
    fn entry(
        &mut self,
        bundles: &[Bundle],
        p: usize,
        offset: u64,
        hash: gix::hash::Kind,
        read: usize,
    ) -> gix::error::Result<pack::data::Entry> {
        let bytes = self.get(bundles, p, offset, HEADER_MAX, read)?;
        pack::data::Entry::from_bytes(bytes, offset, hash)
    }

    /// Inflates the entry's own data (an object, or a delta's instructions) into `out`,
    /// which must end exactly at `entry.decompressed_size` bytes.
    fn inflate(
        &mut self,
        bundles: &[Bundle],
        p: usize,
        entry: &pack::data::Entry,
        inflate: &mut gix::zlib::Inflate,
        out: &mut Vec<u8>,
    ) -> gix::error::Result<()> {
        // The header's size is the pack's word: bounded by what the compressed bytes left in
        // the pack can inflate to before it sizes a buffer (a header claiming a terabyte
        // made it allocate and zero a terabyte: `blob-huge-size` in fuzz/make_packs.py).
        let compressed = bundles
            .get(p)
            .map_or(0, |b| b.pack_len)
            .saturating_sub(entry.data_offset);
        if entry.decompressed_size > compressed.saturating_mul(MAX_INFLATE_RATIO) {
            return Err(corrupt(format!(
                "pack entry at {} claims {} bytes, more than its {compressed} compressed bytes hold",
                entry.data_offset, entry.decompressed_size
            )));
        }
        let size = usize::try_from(entry.decompressed_size)
            .map_err(|_| corrupt("pack entry too large for this machine".into()))?;
        out.clear();
        out.resize(size, 0);
        // zlib never makes data larger than stored blocks do: 5 bytes a block of up to 16 KiB
        // or so, and 6 of header and checksum. A stream that still needs more (another
        // deflater) is read again with twice the room.
        let mut room = size + size / 1024 + 64;
        loop {
            let input = self.get(bundles, p, entry.data_offset, room, WINDOW)?;
            inflate.reset();
            let (status, used, written) = inflate.once(input, out)?;
            if status == gix::zlib::Status::StreamEnd && written == size {
                return Ok(());
            }
            if used < input.len() || input.len() < room {
                return Err(corrupt(format!(
                    "pack entry at {} does not inflate to its {size} bytes",
                    entry.pack_offset()
                )));
            }
            room = room.saturating_mul(2);
        }
    }
}

/// The packs of a repository, opened once and shared by every thread.
#[derive(Clone)]
pub struct Packs {
    bundles: Arc<Vec<Bundle>>,
    hash: gix::hash::Kind,
    /// Each reader's share of [`CACHE_BYTES`].
    cache_bytes: usize,
}

impl Default for Packs {
    fn default() -> Self {
        Packs {
            bundles: Arc::default(),
            hash: gix::hash::Kind::Sha1,
            cache_bytes: CACHE_BYTES,
        }
    }
}

impl Packs {
    /// Opens every `*.idx` (with its `*.pack`) in `objects/pack` of the repository. Packs that
    /// cannot be opened are left to gix's object database.
    pub fn open(repo: &gix::Repository) -> Packs {
        let dir = repo.common_dir().join("objects").join("pack");
        let hash = repo.object_hash();
        let mut bundles = Vec::new();
        if let Ok(entries) = std::fs::read_dir(&dir) {
            let mut idx: Vec<_> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "idx"))
                .collect();
            idx.sort();
            for p in idx {
                if let Some(b) = Bundle::at(&p, hash) {
                    bundles.push(b);
                }
            }
        }
        Packs {
            bundles: Arc::new(bundles),
            hash,
            ..Packs::default()
        }
    }

    /// Splits [`CACHE_BYTES`] between the `readers` that will read these packs at once.
    pub fn share_cache(&mut self, readers: usize) {
        self.cache_bytes = (cache_bytes() / readers.max(1)).max(CACHE_BYTES_MIN);
    }

    /// The pack and offset of `id`: the first pack whose index has it.
    ///
    /// A history scan looks up every tree and blob of the history, many of them again and
    /// again (each tree is the newer side of one diff and the older side of the next). gix's
    /// index lookup is a binary search over the 20-byte ids of a fan-out bucket, a dozen
    /// probes on as many pages. Ids are hashes, so uniformly spread: interpolation search
    /// ([`search_sorted`]) lands next to the id in two or three probes on one or two pages.
    /// This replaced a hash table of every packed object (4-byte id prefix to index position,
    /// 19 MiB for the 970,000 objects of an 80,000-commit history, and each hit still read
    /// the index to verify the id) and the per-reader memo of lookups used beyond its size:
    /// nothing is held per object beside the index pages a scan touches.
    fn locate(&self, id: &gix::oid) -> Option<(usize, u64)> {
        self.bundles.iter().enumerate().find_map(|(i, b)| {
            let pos = match fan_range(b, id.as_bytes().first().copied().unwrap_or(0)) {
                Some((lo, hi)) => search_sorted(id.as_bytes(), lo, hi, |i| {
                    b.index.oid_at_index(i).as_bytes()
                }),
                // An index whose fan-out table does not hold together: gix's own search.
                None => b.index.lookup(id),
            }?;
            Some((i, b.index.pack_offset_at_index(pos)))
        })
    }
}

/// The positions `lo..hi` of the index entries whose id starts with `first`, from the
/// index's fan-out table; `None` if the table is out of bounds or not monotonic.
fn fan_range(b: &Bundle, first: u8) -> Option<(u32, u32)> {
    // Version 2 indexes start with a magic number and the version; version 1 with the table.
    let table = match b.index.version() {
        pack::index::Version::V1 => 0,
        pack::index::Version::V2 => 8,
    };
    let fan = |i: usize| -> Option<u32> {
        let at = table + 4 * i;
        let bytes = b.index_map.get(at..at + 4)?;
        Some(u32::from_be_bytes(<[u8; 4]>::try_from(bytes).ok()?))
    };
    let hi = fan(usize::from(first))?;
    let lo = match first {
        0 => 0,
        f => fan(usize::from(f) - 1)?,
    };
    (lo <= hi && hi <= b.index.num_objects()).then_some((lo, hi))
}

/// Interpolation steps [`search_sorted`] takes before it falls back to halving: enough to
/// land next to the id when the ids are uniform, few enough that ids that are not (a test,
/// a crafted index) cost no more than a binary search's worth of extra probes.
const INTERPOLATION_STEPS: u32 = 4;

/// The position of `id` among the sorted ids `at(lo)..at(hi - 1)`, or `None`.
///
/// Interpolates on the 8 bytes after the first (which the caller's fan-out bucket fixes):
/// each step guesses where `id` falls between the ids at both ends of the range, as if the
/// ids were evenly spread, and narrows the range by comparing whole ids, so the answer is
/// exact whatever the spread; after [`INTERPOLATION_STEPS`] it halves the range instead.
/// Ids sharing the interpolated bytes only make the guesses worse, never wrong.
pub(crate) fn search_sorted<'a>(
    id: &[u8],
    mut lo: u32,
    mut hi: u32,
    at: impl Fn(u32) -> &'a [u8],
) -> Option<u32> {
    fn key(id: &[u8]) -> u64 {
        let mut k = [0u8; 8];
        let tail = id.get(1..).unwrap_or(&[]);
        let n = tail.len().min(8);
        k[..n].copy_from_slice(&tail[..n]);
        u64::from_be_bytes(k)
    }
    let target = key(id);
    let mut steps = 0;
    while lo < hi {
        let mut mid = lo + (hi - lo) / 2;
        if steps < INTERPOLATION_STEPS && hi - lo > 2 {
            steps += 1;
            let (low, high) = (at(lo), at(hi - 1));
            // The interpolated bytes order the ids only after an equal first byte (the
            // fan-out bucket's, for an index).
            let same_first = low.first() == id.first() && high.first() == id.first();
            let (first, last) = (key(low), key(high));
            if same_first && (target < first || target > last) {
                // Outside the range on those bytes already: not there.
                return None;
            }
            if last > first && same_first {
                let span = u128::from(hi - 1 - lo);
                let guess = u128::from(target - first) * span / u128::from(last - first);
                // `guess <= span`, which fits: `lo + guess <= hi - 1`.
                mid = lo + u32::try_from(guess).unwrap_or(0);
            }
        }
        match at(mid).cmp(id) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some(mid),
        }
    }
    None
}

impl Packs {
    /// Where the delta chain of `id` starts (pack and offset of its undeltified base, or of
    /// a base referred to by id) and how deep `id` sits in it; `None` for objects outside the
    /// packs. Reads entry headers only, nothing is inflated.
    ///
    /// Decoding objects grouped by chain start, shallowest first, inflates each base once
    /// and finds every delta's base in the cache: in commit order, the versions of one file
    /// are far apart and the base had often been evicted (the blobs of a history scan were
    /// inflated twice over).
    ///
    /// `window` is the caller's: the headers are read a few dozen bytes at a time, the
    /// objects being all over the pack.
    pub fn chain_start(&self, id: &gix::oid, window: &mut Window) -> Option<(usize, u64, usize)> {
        let (p, mut offset) = self.locate(id)?;
        let mut depth = 0;
        while depth < MAX_CHAIN {
            let Ok(entry) = window.entry(&self.bundles, p, offset, self.hash, 256) else {
                break;
            };
            let pack::data::entry::Header::OfsDelta { base_distance } = entry.header else {
                break;
            };
            let Some(base) = entry.checked_base_pack_offset(base_distance) else {
                break;
            };
            offset = base;
            depth += 1;
        }
        Some((p, offset, depth))
    }
}

struct Cached {
    kind: gix::objs::Kind,
    data: Arc<Vec<u8>>,
}

/// Hashes a (pack, offset) key with one multiply: offsets are unique and well spread, and
/// SipHash on every cache probe and insertion was a measurable share of a history scan.
#[derive(Default, Clone, Copy)]
struct OffsetHasher(u64);

impl std::hash::Hasher for OffsetHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
}

type OffsetMap<V> = HashMap<(usize, u64), V, std::hash::BuildHasherDefault<OffsetHasher>>;

/// Decoded objects by (pack, offset), evicted oldest first once over `limit` bytes (the
/// reader's share of [`CACHE_BYTES`]).
struct Cache {
    map: OffsetMap<Cached>,
    order: VecDeque<(usize, u64)>,
    /// Heap bytes held by the cached objects (their buffers' capacities, and
    /// [`ENTRY_OVERHEAD`] each).
    bytes: usize,
    limit: usize,
}

impl Cache {
    fn get(&self, key: (usize, u64)) -> Option<(gix::objs::Kind, Arc<Vec<u8>>)> {
        self.map.get(&key).map(|c| (c.kind, c.data.clone()))
    }

    fn put(&mut self, key: (usize, u64), kind: gix::objs::Kind, data: Arc<Vec<u8>>) {
        if data.len() > CACHE_MAX_OBJECT.min(self.limit / 4) || self.map.contains_key(&key) {
            return;
        }
        self.bytes += data.capacity() + ENTRY_OVERHEAD;
        self.map.insert(key, Cached { kind, data });
        self.order.push_back(key);
        while self.bytes > self.limit {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some(c) = self.map.remove(&old) {
                self.bytes -= c.data.capacity() + ENTRY_OVERHEAD;
            }
        }
    }
}

struct State {
    cache: Cache,
    inflate: gix::zlib::Inflate,
    delta: Vec<u8>,
    window: Window,
}

/// One thread's object reader: packs first (with the base-keeping cache), then gix.
pub struct Reader {
    packs: Packs,
    fallback: gix::OdbHandle,
    state: RefCell<State>,
}

/// The most a zlib stream can inflate to per compressed byte (deflate's limit is 1032:1);
/// a pack entry whose header claims more than this times its compressed bytes is corrupt,
/// and is rejected before its buffer is allocated.
const MAX_INFLATE_RATIO: u64 = 1032;

/// The largest object read through gix's object database (see [`Reader::fallback_find`]),
/// whose header size gix trusts: far above any blob a scan reads (`--max-file-size` is
/// 10 MiB by default, and larger blobs are skipped by their header size).
const FALLBACK_MAX_OBJECT: u64 = 1 << 30;

fn corrupt(message: String) -> gix::error::Error {
    gix::error::Message::new(message).corrupted_error()
}

impl Reader {
    /// A reader over `packs`, falling back to `repo`'s object database.
    pub fn new(packs: Packs, repo: &gix::Repository) -> Self {
        let mut fallback = repo.objects.clone();
        fallback.unset_object_cache();
        // The A/B switch of the module docs (`bench/history.sh`): every object through gix's
        // object database, with gix's default delta cache or one of this reader's budget.
        let packs = match std::env::var("HYGIENE_OBJECT_READER").as_deref() {
            Ok("gix") => {
                fallback
                    .set_pack_cache(|| Box::<pack::cache::lru::StaticLinkedList<64>>::default());
                Packs::default()
            }
            Ok("gix-lru") => {
                fallback.set_pack_cache(|| {
                    Box::new(pack::cache::lru::MemoryCappedHashmap::new(CACHE_BYTES))
                });
                Packs::default()
            }
            _ => packs,
        };
        let limit = packs.cache_bytes;
        Reader {
            packs,
            fallback,
            state: RefCell::new(State {
                cache: Cache {
                    map: OffsetMap::default(),
                    order: VecDeque::new(),
                    bytes: 0,
                    limit,
                },
                inflate: gix::zlib::Inflate::default(),
                delta: Vec::new(),
                window: Window::default(),
            }),
        }
    }

    /// The pack and offset of `id`.
    fn locate(&self, id: &gix::oid) -> Option<(usize, u64)> {
        self.packs.locate(id)
    }

    /// The object at `offset` of pack `p`, resolving deltas through the cache.
    ///
    /// The chain is followed in a loop, never by recursion, whatever kind of delta each link
    /// is: a hostile or damaged pack whose delta names itself as its base (by id or by an
    /// offset of zero), or two deltas each other's, would otherwise recurse until the stack
    /// overflows and abort the process. At most [`MAX_CHAIN`] links are followed, so a cycle
    /// ends as a "corrupt object" error for that one object.
    fn decode(&self, p: usize, offset: u64) -> gix::error::Result<(gix::objs::Kind, Arc<Vec<u8>>)> {
        let bundles = &self.packs.bundles[..];
        let hash = self.packs.hash;
        // Walk down the chain to a cached object or an undeltified base; a link may lead into
        // another pack (a ref-delta whose base is stored elsewhere).
        let mut chain: Vec<(usize, pack::data::Entry)> = Vec::new();
        let mut at = (p, offset);
        let too_long = || {
            corrupt(format!(
                "the delta chain of the object at pack offset {offset} loops or is longer than \
                 {MAX_CHAIN} links (a damaged or hostile pack)"
            ))
        };
        let (kind, mut data) = loop {
            if let Some(hit) = self.state.borrow().cache.get(at) {
                break hit;
            }
            let entry = self
                .state
                .borrow_mut()
                .window
                .entry(bundles, at.0, at.1, hash, WINDOW)?;
            use pack::data::entry::Header;
            match entry.header {
                Header::OfsDelta { base_distance } => {
                    let cursor = at.1;
                    let base = entry
                        .checked_base_pack_offset(base_distance)
                        .ok_or_else(|| {
                            corrupt(format!("delta at {cursor} points before the pack start"))
                        })?;
                    chain.push((at.0, entry));
                    if chain.len() > MAX_CHAIN {
                        return Err(too_long());
                    }
                    at = (at.0, base);
                }
                Header::RefDelta { base_id } => {
                    chain.push((at.0, entry));
                    if chain.len() > MAX_CHAIN {
                        return Err(too_long());
                    }
                    if let Some(next) = self.locate(&base_id) {
                        at = next;
                        continue;
                    }
                    // Outside the packs this reader maps (a loose object): gix reads it with
                    // its own object database, which never comes back into this reader.
                    let mut buf = Vec::new();
                    let base_kind = self
                        .fallback_find(&base_id, &mut buf)?
                        .map(|(kind, ())| kind)
                        .ok_or_else(|| corrupt(format!("delta base {base_id} is missing")))?;
                    break (base_kind, Arc::new(buf));
                }
                _ => {
                    let kind = entry
                        .header
                        .as_kind()
                        .ok_or_else(|| corrupt("unknown pack entry kind".into()))?;
                    let mut state = self.state.borrow_mut();
                    let state = &mut *state;
                    let mut out = Vec::new();
                    state
                        .window
                        .inflate(bundles, at.0, &entry, &mut state.inflate, &mut out)?;
                    let data: Arc<Vec<u8>> = Arc::new(out);
                    state.cache.put(at, kind, data.clone());
                    break (kind, data);
                }
            }
        };
        // Apply the deltas, innermost first, caching each result.
        let mut state = self.state.borrow_mut();
        let state = &mut *state;
        for (p, entry) in chain.iter().rev() {
            state
                .window
                .inflate(bundles, *p, entry, &mut state.inflate, &mut state.delta)?;
            let mut out = Vec::new();
            apply_delta(&data, &state.delta, &mut out).map_err(|e| {
                corrupt(format!(
                    "bad delta at pack offset {}: {e}",
                    entry.data_offset
                ))
            })?;
            data = Arc::new(out);
            state
                .cache
                .put((*p, entry.pack_offset()), kind, data.clone());
        }
        Ok((kind, data))
    }

    /// The kind and bytes of `id`, shared with the cache (no copy for packed objects).
    pub fn object(
        &self,
        id: &gix::oid,
    ) -> gix::error::Result<Option<(gix::objs::Kind, Arc<Vec<u8>>)>> {
        if let Some((p, offset)) = self.locate(id) {
            return self.decode(p, offset).map(Some);
        }
        let mut buf = Vec::new();
        Ok(self
            .fallback_find(id, &mut buf)?
            .map(|(kind, ())| (kind, Arc::new(buf))))
    }

    /// `id` read through gix's object database (loose objects, packs this reader could not
    /// open), refusing objects whose header claims more than [`FALLBACK_MAX_OBJECT`]: gix
    /// sizes its buffer from the header before inflating (found by fuzzing `pack_reader`: a
    /// corrupt pack gix read itself claimed 2.5 GB and gix allocated it).
    fn fallback_find(
        &self,
        id: &gix::oid,
        buf: &mut Vec<u8>,
    ) -> gix::error::Result<Option<(gix::objs::Kind, ())>> {
        use gix::objs::Find;
        use gix::prelude::Header;
        if let Some(h) = self.fallback.try_header(id)? {
            if h.size() > FALLBACK_MAX_OBJECT {
                return Err(corrupt(format!(
                    "object {id} claims {} bytes, more than the {FALLBACK_MAX_OBJECT} hygiene reads",
                    h.size()
                )));
            }
        }
        Ok(self.fallback.try_find(id, buf)?.map(|d| (d.kind, ())))
    }

    /// The kind of `id`, its bytes copied into `buf`.
    fn find_any(
        &self,
        id: &gix::oid,
        buf: &mut Vec<u8>,
    ) -> gix::error::Result<Option<(gix::objs::Kind, ())>> {
        if let Some((p, offset)) = self.locate(id) {
            let (kind, data) = self.decode(p, offset)?;
            buf.clear();
            buf.extend_from_slice(&data);
            return Ok(Some((kind, ())));
        }
        self.fallback_find(id, buf)
    }
}

impl gix::objs::Find for Reader {
    fn try_find<'b>(
        &self,
        id: &gix::oid,
        buffer: &'b mut Vec<u8>,
    ) -> gix::error::Result<Option<gix::objs::Data<'b>>> {
        let hash = id.kind();
        Ok(self
            .find_any(id, buffer)?
            .map(|(kind, ())| gix::objs::Data {
                kind,
                object_hash: hash,
                data: buffer.as_slice(),
            }))
    }
}

impl Reader {
    /// The size of `id` if it can be told without resolving it: from the entry header of an
    /// undeltified pack entry, from the first bytes of a delta's instructions (which start
    /// with the sizes of its base and of its result), or from any header gix can give.
    /// `None` when that fails (the object is then decoded and measured).
    ///
    /// This is what keeps a blob over `--max-file-size` from being inflated, and its delta
    /// chain resolved, only to be skipped: the one allocation as large as the biggest blob
    /// that a history scan would otherwise make.
    pub fn cheap_size(&self, id: &ObjectId) -> gix::error::Result<Option<u64>> {
        if let Some((p, offset)) = self.locate(id) {
            let bundles = &self.packs.bundles[..];
            let mut state = self.state.borrow_mut();
            let state = &mut *state;
            let entry = state
                .window
                .entry(bundles, p, offset, self.packs.hash, WINDOW)?;
            if !entry.header.is_delta() {
                return Ok(Some(entry.decompressed_size));
            }
            // Two varints of at most 10 bytes each, from the first compressed bytes.
            let Ok(input) = state.window.get(bundles, p, entry.data_offset, 256, WINDOW) else {
                return Ok(None);
            };
            let mut head = [0u8; 20];
            let inflate = &mut state.inflate;
            inflate.reset();
            let Ok((_, _, n)) = inflate.once(input, &mut head) else {
                return Ok(None);
            };
            let head = &head[..n];
            let mut pos = 0;
            let size = varint(head, &mut pos).and_then(|_| varint(head, &mut pos));
            return Ok(size.ok().map(|s| s as u64));
        }
        use gix::prelude::Header;
        Ok(self.fallback.try_header(id)?.map(|h| h.size()))
    }
}

/// Reads git's delta varint (7 bits a byte, least significant first).
fn varint(data: &[u8], pos: &mut usize) -> Result<usize, String> {
    let mut value = 0usize;
    let mut shift = 0;
    loop {
        let b = *data.get(*pos).ok_or("truncated size")?;
        *pos += 1;
        value |= ((b & 0x7f) as usize)
            .checked_shl(shift)
            .ok_or("size too large")?;
        if b & 0x80 == 0 {
            return Ok(value);
        }
        shift += 7;
        if shift > 63 {
            return Err("size too large".into());
        }
    }
}

/// Applies a git delta (copy and insert instructions) to `base`.
pub fn apply_delta(base: &[u8], delta: &[u8], out: &mut Vec<u8>) -> Result<(), String> {
    let mut i = 0;
    let base_size = varint(delta, &mut i)?;
    if base_size != base.len() {
        return Err(format!(
            "base is {} bytes, delta expects {base_size}",
            base.len()
        ));
    }
    let result_size = varint(delta, &mut i)?;
    out.clear();
    // The promised size is only a hint for the allocation: it is the delta's word (2^60 made
    // `reserve` abort: `delta-huge-result` in fuzz/make_packs.py). The result cannot outgrow
    // it (checked as it grows).
    out.reserve(result_size.min(base.len().saturating_add(delta.len())));
    while i < delta.len() {
        let cmd = delta[i];
        i += 1;
        if cmd & 0x80 != 0 {
            let mut offset = 0usize;
            let mut size = 0usize;
            for bit in 0..4 {
                if cmd & (1 << bit) != 0 {
                    offset |= (*delta.get(i).ok_or("truncated copy")? as usize) << (8 * bit);
                    i += 1;
                }
            }
            for bit in 0..3 {
                if cmd & (0x10 << bit) != 0 {
                    size |= (*delta.get(i).ok_or("truncated copy")? as usize) << (8 * bit);
                    i += 1;
                }
            }
            if size == 0 {
                size = 0x10000;
            }
            let chunk = offset
                .checked_add(size)
                .and_then(|end| base.get(offset..end))
                .ok_or("copy out of the base's bounds")?;
            if chunk.len() > result_size - out.len() {
                return Err(format!(
                    "result is more than the {result_size} bytes promised"
                ));
            }
            out.extend_from_slice(chunk);
        } else if cmd != 0 {
            let n = cmd as usize;
            if n > result_size - out.len() {
                return Err(format!(
                    "result is more than the {result_size} bytes promised"
                ));
            }
            out.extend_from_slice(delta.get(i..i + n).ok_or("truncated insert")?);
            i += n;
        } else {
            return Err("reserved instruction 0".into());
        }
    }
    if out.len() != result_size {
        return Err(format!(
            "result is {} bytes, delta promised {result_size}",
            out.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{apply_delta, search_sorted};

    /// Finds every id of `ids` (sorted) and none of `absent`, over the whole slice.
    fn check_search(ids: &[[u8; 20]], absent: &[[u8; 20]]) {
        let at = |i: u32| &ids[i as usize][..];
        let n = u32::try_from(ids.len()).unwrap();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(search_sorted(id, 0, n, at), Some(i as u32), "{id:?}");
        }
        for id in absent {
            assert_eq!(search_sorted(id, 0, n, at), None, "{id:?}");
        }
    }

    fn id(first: u8, rest: u64, last: u8) -> [u8; 20] {
        let mut id = [0u8; 20];
        id[0] = first;
        id[1..9].copy_from_slice(&rest.to_be_bytes());
        id[19] = last;
        id
    }

    #[test]
    fn search_sorted_finds_spread_ids() {
        // Evenly spread, as hashes are: what interpolation is for.
        let ids: Vec<[u8; 20]> = (0..1000u64)
            .map(|i| id(7, i.wrapping_mul(0x0041_8937_4bc6_a7ef), 1))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let absent = [
            id(7, 0, 0),
            id(7, u64::MAX, 2),
            id(7, 0x0041_8937_4bc6_a7ef, 0),
            id(7, 0x0041_8937_4bc6_a7ef, 2),
            id(6, 5, 1),
            id(8, 5, 1),
        ];
        check_search(&ids, &absent);
        assert_eq!(search_sorted(&ids[0], 0, 0, |i| &ids[i as usize][..]), None);
    }

    #[test]
    fn search_sorted_finds_ids_sharing_their_prefix() {
        // Runs of ids equal on all the interpolated bytes (and more), a skewed spread, and
        // first bytes that differ within the range: the guesses are poor, the answers exact.
        let mut ids = Vec::new();
        for last in [1u8, 3, 5, 7, 9] {
            ids.push(id(7, 42, last));
        }
        for i in 0..50u64 {
            ids.push(id(7, 1 << (i + 8), 0));
        }
        for last in [2u8, 4] {
            ids.push(id(7, u64::MAX, last));
        }
        ids.push(id(9, 0, 0));
        ids.sort();
        let absent = [
            id(7, 42, 0),
            id(7, 42, 4),
            id(7, 42, 10),
            id(7, u64::MAX, 3),
            id(7, 43, 0),
            id(8, 0, 0),
            id(9, 0, 1),
        ];
        check_search(&ids, &absent);
        // One id, and a range that leaves an id out.
        check_search(&ids[..1], &[id(7, 42, 3)]);
        let at = |i: u32| &ids[i as usize][..];
        assert_eq!(search_sorted(&ids[0], 1, 5, at), None);
        assert_eq!(search_sorted(&ids[3], 1, 5, at), Some(3));
    }

    #[test]
    fn applies_copy_and_insert() {
        let base = b"hello world";
        // base size 11, result size 12: copy 0..6 ("hello "), insert "there!"
        let delta = [
            11,
            12,
            0x80 | 0x10,
            6,
            6,
            b't',
            b'h',
            b'e',
            b'r',
            b'e',
            b'!',
        ];
        let mut out = Vec::new();
        apply_delta(base, &delta, &mut out).unwrap();
        assert_eq!(out, b"hello there!");
        assert!(apply_delta(b"short", &delta, &mut out).is_err());
        assert!(apply_delta(base, &[11, 1, 0x91, 200, 1], &mut out).is_err());
    }
}
