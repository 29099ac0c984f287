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
//! what gix takes with a cache of the same budget.

use gix::odb::pack;
use gix::ObjectId;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::Arc;

/// Bytes of decoded objects each reader keeps.
const CACHE_BYTES: usize = 64 << 20;

/// Objects larger than this are not cached (they would evict everything else).
const CACHE_MAX_OBJECT: usize = 8 << 20;

/// [`Packs::index_all`] builds its table only for packs with at most this many objects in
/// all (about 40 bytes each): beyond that, lookups are memoised per reader instead.
const INDEX_ALL_MAX_OBJECTS: u64 = 8 << 20;

/// The packs of a repository, opened once and shared by every thread.
#[derive(Clone, Default)]
pub struct Packs {
    bundles: Arc<Vec<pack::Bundle>>,
    /// Every packed object's (pack, offset), when [`Packs::index_all`] built it.
    all: Option<Arc<gix::hashtable::HashMap<ObjectId, (usize, u64)>>>,
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
                if let Ok(b) = pack::Bundle::at(Path::new(&p), hash) {
                    bundles.push(b);
                }
            }
        }
        Packs {
            bundles: Arc::new(bundles),
            all: None,
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
        let mut all = gix::hashtable::HashMap::default();
        all.reserve(total as usize);
        // Earlier packs win, as in `locate`.
        for (i, b) in self.bundles.iter().enumerate().rev() {
            for e in b.index.iter() {
                all.insert(e.oid, (i, e.pack_offset));
            }
        }
        self.all = Some(Arc::new(all));
    }

    fn locate(&self, id: &gix::oid) -> Option<(usize, u64)> {
        if let Some(all) = &self.all {
            return all.get(id).copied();
        }
        self.bundles.iter().enumerate().find_map(|(i, b)| {
            b.index
                .lookup(id)
                .map(|e| (i, b.index.pack_offset_at_index(e)))
        })
    }
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
        while depth < 10_000 {
            let Ok(entry) = pack.entry(offset) else { break };
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

/// Decoded objects by (pack, offset), evicted oldest first once over [`CACHE_BYTES`].
#[derive(Default)]
struct Cache {
    map: OffsetMap<Cached>,
    order: VecDeque<(usize, u64)>,
    bytes: usize,
}

impl Cache {
    fn get(&self, key: (usize, u64)) -> Option<(gix::objs::Kind, Arc<Vec<u8>>)> {
        self.map.get(&key).map(|c| (c.kind, c.data.clone()))
    }

    fn put(&mut self, key: (usize, u64), kind: gix::objs::Kind, data: Arc<Vec<u8>>) {
        if data.len() > CACHE_MAX_OBJECT || self.map.contains_key(&key) {
            return;
        }
        self.bytes += data.len();
        self.map.insert(key, Cached { kind, data });
        self.order.push_back(key);
        while self.bytes > CACHE_BYTES {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some(c) = self.map.remove(&old) {
                self.bytes -= c.data.len();
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
}

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
        Reader {
            packs,
            fallback,
            state: RefCell::new(State {
                cache: Cache::default(),
                located: Default::default(),
                inflate: gix::zlib::Inflate::default(),
                delta: Vec::new(),
            }),
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
        self.state.borrow_mut().located.insert(id.to_owned(), found);
        found
    }

    /// Inflates the entry's own data (an object, or a delta's instructions) into `out`.
    fn inflate(
        bundle: &pack::Bundle,
        entry: &pack::data::Entry,
        inflate: &mut gix::zlib::Inflate,
        out: &mut Vec<u8>,
    ) -> gix::error::Result<()> {
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
                    if chain.len() > 10_000 {
                        return Err(corrupt("delta chain too long (a cycle?)".into()));
                    }
                    cursor = base;
                }
                Header::RefDelta { base_id } => {
                    chain.push(entry);
                    let mut buf = Vec::new();
                    let base = self
                        .find_any(&base_id, &mut buf)?
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
        use gix::objs::Find;
        let mut buf = Vec::new();
        Ok(self
            .fallback
            .try_find(id, &mut buf)?
            .map(|d| d.kind)
            .map(|kind| (kind, Arc::new(buf))))
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
        use gix::objs::Find;
        Ok(self.fallback.try_find(id, buf)?.map(|d| (d.kind, ())))
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
    /// The size of `id` if it can be told without decoding it (an undeltified pack entry, or
    /// any object gix can give a header for); `None` for a delta, whose size is known only
    /// once resolved.
    pub fn cheap_size(&self, id: &ObjectId) -> gix::error::Result<Option<u64>> {
        if let Some((p, offset)) = self.locate(id) {
            let entry = self.packs.bundles[p].pack.entry(offset)?;
            return Ok((!entry.header.is_delta()).then_some(entry.decompressed_size));
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
    out.reserve(result_size);
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
            out.extend_from_slice(chunk);
        } else if cmd != 0 {
            let n = cmd as usize;
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
