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
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Bytes of decoded objects all the readers of one [`Packs`] keep together, split evenly
/// between them (see [`Packs::share_cache`]).
///
/// A bound on the whole process, not per thread: with 64 MiB a reader (what each reader had
/// when it was measured against gix's reads, module documentation), a 16-CPU machine would
/// hold a gigabyte of cache. Decoding in delta-chain order needs only the bases of the
/// chains a thread is working through, and with 16 MiB a thread on a 2-CPU machine a
/// 20,000-commit history scans as fast as with 64 MiB; on 80,000 commits the scan takes
/// longer, part of it from this smaller cache (bench/README.md, "History memory"): the
/// price of a peak memory that does not grow with the number of threads.
const CACHE_BYTES: usize = 32 << 20;

/// What a cached object costs beside its bytes: its `Arc` and `Vec` headers, its hash table
/// slot (with the table's empty ones), its place in the eviction queue and the allocator's
/// own headers. Most objects a tree diff caches are trees of a few hundred bytes, so counting
/// only their bytes let the cache hold half as much again as its budget.
const ENTRY_OVERHEAD: usize = 160;

/// No reader's share of [`CACHE_BYTES`] goes below this, however many threads: a tree diff
/// needs both trees of a commit and a blob its delta base at once.
const CACHE_BYTES_MIN: usize = 4 << 20;

/// Pack and index bytes that may stay mapped into the process (resident) before the mappings
/// are released (see [`Packs::note_reads`]).
///
/// A history scan reads the whole pack, and every page of a memory-mapped file it touched
/// counts in its resident memory until unmapped: without this, the peak memory of a scan grew
/// with the pack (the pages stay in the kernel's page cache when released, so touching them
/// again costs a minor page fault, not a disk read).
const MAPPED_BYTES: usize = 16 << 20;

/// How many entry reads go by between two looks at how much of the mappings is resident
/// (a look costs a few microseconds). Each read can map up to 64 KiB (the kernel maps the
/// pages around a faulting one too), so the mappings can grow by up to 4 MiB past
/// [`MAPPED_BYTES`] before they are released.
const MAPPED_CHECK_EVERY: usize = 64;

/// Objects larger than this are not cached (they would evict everything else).
const CACHE_MAX_OBJECT: usize = 8 << 20;

/// [`Packs::index_all`] builds its table only for packs with at most this many objects in
/// all: [`AllTable`] takes 9 bytes a bucket, and up to twice as many buckets as objects, so
/// at most 36 MiB. Beyond that, lookups go to the pack indexes and are memoised per reader.
const INDEX_ALL_MAX_OBJECTS: u64 = 2 << 20;

/// The most lookups each reader memoises (see [`State::located`]; up to 90 bytes each with
/// the hash table's empty buckets) before it forgets them all and starts again: a bound on a
/// scan of a huge repository, whose packs are too big for [`Packs::index_all`].
const LOCATED_MAX: usize = 1 << 16;

/// A read-only memory map shared by the gix pack or index file that reads it and by
/// [`Packs::release`], which tells the kernel to drop its pages.
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
    pack: pack::data::File<Map>,
    maps: [Map; 2],
}

impl Bundle {
    fn at(idx: &Path, hash: gix::hash::Kind) -> Option<Bundle> {
        let data = idx.with_extension("pack");
        let (imap, dmap) = (Map::open(idx).ok()?, Map::open(&data).ok()?);
        let index = pack::index::File::from_data(imap.clone(), PathBuf::from(idx), hash).ok()?;
        let pack = pack::data::File::from_data(dmap.clone(), data, hash).ok()?;
        if index.num_objects() != pack.num_objects() {
            return None;
        }
        Some(Bundle {
            index,
            pack,
            maps: [imap, dmap],
        })
    }
}

/// The packs of a repository, opened once and shared by every thread.
#[derive(Clone)]
pub struct Packs {
    bundles: Arc<Vec<Bundle>>,
    /// Every packed object, when [`Packs::index_all`] built the table, and where each pack's
    /// entries start in it.
    all: Option<Arc<(AllTable, Vec<u32>)>>,
    /// Entry reads so far, to check the resident size of the mappings every
    /// [`MAPPED_CHECK_EVERY`].
    reads: Arc<AtomicUsize>,
    /// Resident file-backed bytes right after the mappings were last released.
    floor: Arc<AtomicUsize>,
    /// Each reader's share of [`CACHE_BYTES`].
    cache_bytes: usize,
}

impl Default for Packs {
    fn default() -> Self {
        Packs {
            bundles: Arc::default(),
            all: None,
            reads: Arc::default(),
            floor: Arc::default(),
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
            floor: Arc::new(AtomicUsize::new(resident_file_bytes().unwrap_or(0))),
            ..Packs::default()
        }
    }

    /// Splits [`CACHE_BYTES`] between the `readers` that will read these packs at once.
    pub fn share_cache(&mut self, readers: usize) {
        self.cache_bytes = (CACHE_BYTES / readers.max(1)).max(CACHE_BYTES_MIN);
    }

    /// Counts `n` entry reads; now and then, releases the mappings if more than
    /// [`MAPPED_BYTES`] of them are resident.
    fn note_reads(&self, n: usize) {
        let before = self.reads.fetch_add(n, Ordering::Relaxed);
        if before / MAPPED_CHECK_EVERY == (before + n) / MAPPED_CHECK_EVERY {
            return;
        }
        let floor = self.floor.load(Ordering::Relaxed);
        if resident_file_bytes().is_none_or(|b| b > floor + MAPPED_BYTES) {
            self.release_maps(false);
            // What stays resident is the executable's own pages and the like.
            if let Some(b) = resident_file_bytes() {
                self.floor.store(b, Ordering::Relaxed);
            }
        }
    }

    /// Tells the kernel we no longer need the pages of every pack and index mapping: they
    /// leave the process's resident memory (the page cache keeps them) and are mapped again,
    /// from the same file, when next touched.
    pub fn release(&self) {
        self.release_maps(true);
    }

    /// [`Packs::release`] of the pack data maps, and of the index maps with `indexes`. The
    /// periodic release leaves the indexes alone: [`AllTable`] lookups read an index entry
    /// at random for every object, and dropping those pages made every lookup a page fault
    /// (a third more time for the scan, all of it in the kernel). What they keep resident
    /// is at most 24 bytes an object, and only for packs small enough for the table.
    fn release_maps(&self, indexes: bool) {
        for b in self.bundles.iter() {
            let maps = if indexes { &b.maps[..] } else { &b.maps[1..] };
            for m in maps {
                // SAFETY: the maps are read-only shared file mappings, for which `DontNeed`
                // only drops the page table entries: a later read (by any thread, even one
                // holding a slice into the map right now) faults the page in again with the
                // file's bytes, which do not change (see `Map::open`). The advice is only an
                // optimisation, so an error changes nothing.
                let _ = unsafe { m.0.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
            }
        }
    }

    /// Builds one hash table of every packed object, for scans that will read most of them
    /// (the whole history). A pack index lookup is a binary search over a large memory map,
    /// about a microsecond of cache misses each, and a history scan looks up every tree and
    /// blob: reading the indexes once front to back is far cheaper. A range scan (pre-push)
    /// reads a handful of objects and does not call this.
    pub fn index_all(&mut self) {
        let total: u64 = self
            .bundles
            .iter()
            .map(|b| u64::from(b.index.num_objects()))
            .sum();
        if total > INDEX_ALL_MAX_OBJECTS {
            return;
        }
        let mut all = AllTable::default();
        all.reserve(total as usize);
        let mut starts = Vec::with_capacity(self.bundles.len());
        let mut start = 0u32;
        for b in self.bundles.iter() {
            starts.push(start);
            start = start.saturating_add(b.index.num_objects());
        }
        // Earlier packs win, as in `locate`.
        for (i, b) in self.bundles.iter().enumerate().rev() {
            for (pos, e) in (starts[i]..).zip(b.index.iter()) {
                match all.entry(id_prefix(&e.oid)) {
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(pos);
                    }
                    std::collections::hash_map::Entry::Occupied(mut o) => {
                        let same = at_position(&self.bundles, &starts, *o.get())
                            .is_some_and(|(_, id, _)| id == e.oid);
                        o.insert(if same { pos } else { AMBIGUOUS });
                    }
                }
            }
        }
        self.all = Some(Arc::new((all, starts)));
        // The indexes were read front to back; the table answers from now on.
        self.release();
    }

    fn locate(&self, id: &gix::oid) -> Option<(usize, u64)> {
        if let Some((all, starts)) = self.all.as_deref() {
            match all.get(&id_prefix(id)) {
                None => return None,
                Some(&AMBIGUOUS) => {}
                // The only packed object with this prefix: `id`, or `id` is not packed.
                Some(&pos) => {
                    return at_position(&self.bundles, starts, pos)
                        .and_then(|(i, found, offset)| (found == id).then_some((i, offset)));
                }
            }
        }
        self.bundles.iter().enumerate().find_map(|(i, b)| {
            b.index
                .lookup(id)
                .map(|e| (i, b.index.pack_offset_at_index(e)))
        })
    }
}

/// Every packed object by the first 4 bytes of its id, to its position among all the packs'
/// index entries (the packs one after the other), where its full id and offset are read; or
/// [`AMBIGUOUS`] when several packed objects share the prefix (a hundred or so of a million:
/// they are looked up in the indexes). 8 bytes an object (and its share of empty buckets),
/// where a table of full ids to (pack, offset) took 40: this table is the one structure of a
/// history scan that holds something for every tree and blob of the history.
type AllTable = HashMap<u32, u32, std::hash::BuildHasherDefault<OffsetHasher>>;

/// An [`AllTable`] prefix shared by several objects.
const AMBIGUOUS: u32 = u32::MAX;

/// The first 4 bytes of an id (uniformly distributed: they are a hash).
fn id_prefix(id: &gix::oid) -> u32 {
    id.as_bytes()
        .get(..4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map_or(0, u32::from_le_bytes)
}

/// Pack number, id and offset of the object at position `pos` of [`AllTable`], given where
/// each pack's entries start.
fn at_position<'a>(
    bundles: &'a [Bundle],
    starts: &[u32],
    pos: u32,
) -> Option<(usize, &'a gix::oid, u64)> {
    let i = starts.partition_point(|&s| s <= pos).checked_sub(1)?;
    let index = &bundles.get(i)?.index;
    let pos = pos - starts[i];
    (pos < index.num_objects())
        .then(|| (i, index.oid_at_index(pos), index.pack_offset_at_index(pos)))
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
    pub fn chain_start(&self, id: &gix::oid) -> Option<(usize, u64, usize)> {
        let (p, mut offset) = self.locate(id)?;
        let pack = &self.bundles[p].pack;
        let mut depth = 0;
        self.note_reads(1);
        while depth < MAX_CHAIN {
            let Ok(entry) = pack.entry(offset) else { break };
            let pack::data::entry::Header::OfsDelta { base_distance } = entry.header else {
                break;
            };
            let Some(base) = entry.checked_base_pack_offset(base_distance) else {
                break;
            };
            offset = base;
            depth += 1;
            self.note_reads(1);
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
    /// Where each object looked up so far is: a pack index lookup is a binary search over
    /// 20-byte ids in a large memory map (a third of tree-diffing time when it was done for
    /// every read), and a history scan asks for the same trees again and again (each tree is
    /// the newer side of one diff and the older side of the next).
    located: gix::hashtable::HashMap<ObjectId, Option<(usize, u64)>>,
    inflate: gix::zlib::Inflate,
    delta: Vec<u8>,
}

/// One thread's object reader: packs first (with the base-keeping cache), then gix.
pub struct Reader {
    packs: Packs,
    fallback: gix::OdbHandle,
    state: RefCell<State>,
    /// How many reads of a delta base in another pack (or outside the packs) are under way
    /// (see [`MAX_NESTING`]).
    nesting: Cell<usize>,
}

/// The longest delta chain [`Reader`] follows within one pack; longer is taken for a cycle
/// (git's own `--depth` limit is 4095, its default 50).
const MAX_CHAIN: usize = 10_000;

/// How many delta bases in other packs (or outside the packs) one read may go through, each
/// a nested read; more is taken for a cycle. Within one pack the chain is followed without
/// nesting (see [`MAX_CHAIN`]).
const MAX_NESTING: usize = 64;

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
                located: Default::default(),
                inflate: gix::zlib::Inflate::default(),
                delta: Vec::new(),
            }),
            nesting: Cell::new(0),
        }
    }

    /// The pack and offset of `id`, remembered per reader (see [`State::located`]).
    fn locate(&self, id: &gix::oid) -> Option<(usize, u64)> {
        if self.packs.bundles.is_empty() {
            return None;
        }
        if self.packs.all.is_some() {
            return self.packs.locate(id);
        }
        if let Some(&hit) = self.state.borrow().located.get(id) {
            return hit;
        }
        let found = self.packs.locate(id);
        let located = &mut self.state.borrow_mut().located;
        if located.len() >= LOCATED_MAX {
            located.clear();
        }
        located.insert(id.to_owned(), found);
        found
    }

    /// Inflates the entry's own data (an object, or a delta's instructions) into `out`.
    fn inflate(
        bundle: &Bundle,
        entry: &pack::data::Entry,
        inflate: &mut gix::zlib::Inflate,
        out: &mut Vec<u8>,
    ) -> gix::error::Result<()> {
        // The header's size is the pack's word: bounded by what the compressed bytes left in
        // the pack can inflate to before it sizes a buffer (a header claiming a terabyte
        // made it allocate and zero a terabyte: `blob-huge-size` in fuzz/make_packs.py).
        let compressed = (bundle.pack.pack_end() as u64).saturating_sub(entry.data_offset);
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
        bundle.pack.decompress_entry(entry, inflate, out)?;
        Ok(())
    }

    /// The object at `offset` of pack `p`, resolving deltas through the cache.
    fn decode(&self, p: usize, offset: u64) -> gix::error::Result<(gix::objs::Kind, Arc<Vec<u8>>)> {
        let bundle = &self.packs.bundles[p];
        // Walk down the chain to a cached object or an undeltified base.
        let mut chain: Vec<pack::data::Entry> = Vec::new();
        let mut cursor = offset;
        let (kind, mut data) = loop {
            if let Some(hit) = self.state.borrow().cache.get((p, cursor)) {
                break hit;
            }
            let entry = bundle.pack.entry(cursor)?;
            use pack::data::entry::Header;
            match entry.header {
                Header::OfsDelta { base_distance } => {
                    let base = entry
                        .checked_base_pack_offset(base_distance)
                        .ok_or_else(|| {
                            corrupt(format!("delta at {cursor} points before the pack start"))
                        })?;
                    chain.push(entry);
                    if chain.len() > MAX_CHAIN {
                        return Err(corrupt("delta chain too long (a cycle?)".into()));
                    }
                    cursor = base;
                }
                Header::RefDelta { base_id } => {
                    chain.push(entry);
                    if chain.len() > MAX_CHAIN {
                        return Err(corrupt("delta chain too long (a cycle?)".into()));
                    }
                    // A base in the same pack continues this chain, so a cycle of REF_DELTA
                    // entries ends at the chain limit (an entry its own base recursed until
                    // the stack overflowed: `refdelta-self` in fuzz/make_packs.py).
                    if let Some((base_pack, base_offset)) = self.locate(&base_id) {
                        if base_pack == p {
                            cursor = base_offset;
                            continue;
                        }
                    }
                    // Another pack, or the object database: a nested read, limited so that
                    // bases referring to each other across packs end too.
                    let depth = self.nesting.get();
                    if depth >= MAX_NESTING {
                        return Err(corrupt(format!(
                            "delta base {base_id} nests more than {MAX_NESTING} packs deep (a cycle?)"
                        )));
                    }
                    self.nesting.set(depth + 1);
                    let mut buf = Vec::new();
                    let found = self.find_any(&base_id, &mut buf);
                    self.nesting.set(depth);
                    let base = found?
                        .ok_or_else(|| corrupt(format!("delta base {base_id} is missing")))?;
                    break (base.0, Arc::new(buf));
                }
                _ => {
                    let kind = entry
                        .header
                        .as_kind()
                        .ok_or_else(|| corrupt("unknown pack entry kind".into()))?;
                    let mut state = self.state.borrow_mut();
                    let state = &mut *state;
                    let mut out = Vec::new();
                    Self::inflate(bundle, &entry, &mut state.inflate, &mut out)?;
                    let data: Arc<Vec<u8>> = Arc::new(out);
                    state.cache.put((p, cursor), kind, data.clone());
                    break (kind, data);
                }
            }
        };
        self.packs.note_reads(chain.len() + 1);
        // Apply the deltas, innermost first, caching each result.
        let mut state = self.state.borrow_mut();
        let state = &mut *state;
        for entry in chain.iter().rev() {
            Self::inflate(bundle, entry, &mut state.inflate, &mut state.delta)?;
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
                .put((p, entry.pack_offset()), kind, data.clone());
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
            let pack = &self.packs.bundles[p].pack;
            let entry = pack.entry(offset)?;
            self.packs.note_reads(1);
            if !entry.header.is_delta() {
                return Ok(Some(entry.decompressed_size));
            }
            let Some(input) = pack.entry_slice(entry.data_offset..pack.pack_end() as u64) else {
                return Ok(None);
            };
            // Two varints of at most 10 bytes each.
            let mut head = [0u8; 20];
            let inflate = &mut self.state.borrow_mut().inflate;
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

/// Bytes of files mapped into this process that are resident (the `shared` field of
/// `/proc/self/statm`: mostly the packs and indexes, plus the executable's own pages); `None`
/// where that cannot be told, and the mappings are then released at every check.
fn resident_file_bytes() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(2)?.parse().ok()?;
    Some(pages * 4096)
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
    use super::apply_delta;

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
