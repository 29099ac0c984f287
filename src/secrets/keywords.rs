//! Where many keywords occur in a file: ASCII case-insensitive, overlapping occurrences.
//!
//! This is the rule gate's hot loop, so it is a purpose-built dense DFA rather than a general
//! Aho-Corasick automaton:
//!
//! * the automaton is built over each keyword's first [`PREFIX`] bytes only; when a prefix is
//!   seen, the rest of the keyword is compared in place. Prefixes keep the automaton small
//!   (1,774 states for the 461 keywords of the built-in rules, a 524 KiB table of 32-bit
//!   entries; 2,324 states with 16-byte prefixes), so it stays in the L2 cache, which is what
//!   a walk over every byte needs;
//! * an Aho-Corasick trie with failure links, compiled into a full transition table (no
//!   failure-link walking at scan time);
//! * the alphabet is reduced to byte classes with ASCII case folded in when the table is built
//!   (`A` and `a` share a class), so there is no per-byte lowercasing, and every byte that
//!   occurs in no keyword shares one class;
//! * state ids are offsets into the table, so a step is one add and one load; the table's
//!   length is a power of two and the offset is masked with it, which proves every load in
//!   bounds without a compare and branch per byte;
//! * match states have odd ids (their rows are stored one slot further on) and all others
//!   even ones, so "is this a match state" is one bit test, with no lookup;
//! * the haystack is cut into several segments (each overlapping the next by the longest
//!   prefix minus one byte, so a prefix across a cut is still seen whole by one segment) and
//!   the segments are walked in the same loop, one byte of each per step. One walk is a chain
//!   of dependent loads; several independent chains let the CPU overlap them, which is where
//!   the speed comes from.
//!
//! # Why not the `aho-corasick` crate
//!
//! Measured with `bench/keywords.sh` (`benches/keywords.rs`): the 461 distinct keywords of the
//! 273 built-in rules over the 61,804 text files of the bench corpus (1,153 MiB in memory),
//! one search per file as a scan makes them, every overlapping occurrence reported, one
//! thread; `aho-corasick` 1.1 built with `ascii_case_insensitive`, `MatchKind::Standard` and
//! searched with `find_overlapping_iter` (the semantics the gate needs: every occurrence of
//! every keyword places its rules' regions). All find the same 1,356,269 distinct occurrences
//! in the whole corpus. On the 2-vCPU development machine (Xeon, 2 MiB L2 per core) while
//! other builds shared it (load 1.0 to 3.3), four runs of the script (one of them over the
//! first 400 MiB), GB/s:
//!
//! | searcher | GB/s |
//! |---|---|
//! | this automaton, 6 lanes, 8-byte prefixes (`find_unordered`, the engine's call) | 0.72-0.88 |
//! | this automaton, 1 lane | 0.33-0.37 |
//! | `aho-corasick`, DFA (`AhoCorasickKind::DFA`; 1,317 KiB) | 0.34-0.39 |
//! | `aho-corasick`, the kind it chooses itself (a contiguous NFA) | 0.11-0.15 |
//!
//! One lane walks about as fast as `aho-corasick`'s DFA: byte classes and a full transition
//! table are what that DFA does too. The interleaved lanes are the gain: 2.0-2.3x its DFA and
//! 5.5-7.1x its default, with a table 40% the size. By lane count (with
//! [`KeywordSet::find_streams`], which also sorts its hits): 1 lane 0.33-0.37, 2 lanes
//! 0.59-0.68, 4 lanes 0.75-1.10, 6 lanes 0.67-0.99, 8 lanes 0.70-0.98 GB/s.

use std::fmt;

/// How many bytes of each keyword the automaton holds; the rest is compared in place.
/// Measured with `bench/keywords.sh` (module docs, same four runs): 4-byte prefixes would fit
/// the built-in rules' table in 16-bit entries (857 states, 136 KiB), but more prefixes occur
/// without the rest of their keyword and each costs a check: 0.57-0.78 GB/s against 0.72-0.88
/// for 8 bytes (11-21% slower in three runs, equal in one). 16-byte prefixes (2,324 states,
/// a table of the same size) measured 0.77-1.09, faster than 8 in all four runs (by 1-24%):
/// a candidate, not yet adopted, for a measurement on a machine nobody else is using.
const PREFIX: usize = 8;

/// How many segments a haystack is cut into and walked together. More chains overlap more load
/// latency until the loop runs out of registers. 6 is the count the gate was tuned with; in
/// the figures of the module docs, taken on a shared machine, 4 lanes were faster than 6 in
/// all four runs (by 11-13%) and 8 on a par with 6: a candidate for a measurement on a machine
/// nobody else is using.
const STREAMS: usize = 6;

/// Below this many bytes per segment the haystack is walked as one stream: the overlaps and
/// the set-up would cost more than the interleaving saves.
const MIN_SEGMENT: usize = 64;

/// One keyword occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hit {
    /// Byte offset just past the occurrence's last byte.
    pub end: usize,
    /// Id of the keyword (its index in the list given to [`KeywordSet::new`]).
    pub keyword: u32,
}

/// The transition table, in the narrowest entries that hold every state id.
#[derive(Clone)]
enum Table {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

/// An entry of the transition table.
trait Entry: Copy {
    fn index(self) -> usize;
}

impl Entry for u16 {
    #[inline(always)]
    fn index(self) -> usize {
        usize::from(self)
    }
}

impl Entry for u32 {
    #[inline(always)]
    fn index(self) -> usize {
        self as usize
    }
}

/// A set of keywords compiled for scanning.
#[derive(Clone)]
pub struct KeywordSet {
    /// Byte to class; bytes that differ only in ASCII case share a class.
    classes: [u8; 256],
    /// `table[(state + class) & (len - 1)]` is the next state. A state id is the offset of its row;
    /// rows are `width` slots apart; a match state's row starts one slot into its slots, which
    /// makes its id odd. The start state is 0. The length is a power of two.
    table: Table,
    /// Number of classes (the useful part of a row).
    stride: u32,
    /// Slots per row: `stride + 1` rounded up to even.
    width: u32,
    /// The keywords whose prefix ends in the state of row `r` are
    /// `out_ids[out_start[r]..out_start[r + 1]]`, including those whose prefix ends there as
    /// a proper suffix of a longer path.
    out_start: Vec<u32>,
    out_ids: Vec<u32>,
    /// Each keyword, ASCII-lowercased, to check the part past the prefix.
    folded: Vec<Vec<u8>>,
    /// Empty keywords: they occur at every offset, and are reported once, at offset 0.
    always: Vec<u32>,
    /// Length of the longest prefix in the automaton, in bytes.
    max_prefix: usize,
    /// How many bytes of each keyword the automaton holds ([`PREFIX`] unless set otherwise).
    prefix: usize,
}

/// The keywords cannot be compiled (the table would not fit 32-bit state ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeywordSetError(String);

impl fmt::Display for KeywordSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KeywordSetError {}

const NONE: u32 = u32::MAX;

impl KeywordSet {
    /// Compiles `keywords`; keyword `i` gets id `i`. Matching is ASCII case-insensitive (other
    /// bytes match exactly). Duplicates are allowed and each gets its own id.
    pub fn new<S: AsRef<[u8]>>(keywords: &[S]) -> Result<KeywordSet, KeywordSetError> {
        Self::with_prefix(keywords, PREFIX)
    }

    /// [`new`](Self::new) with the automaton over the first `prefix` bytes of each keyword
    /// (at least 1) instead of `PREFIX` (8): for `benches/keywords.rs`, which measures the choice.
    pub fn with_prefix<S: AsRef<[u8]>>(
        keywords: &[S],
        prefix: usize,
    ) -> Result<KeywordSet, KeywordSetError> {
        let prefix_len = prefix.max(1);
        let folded: Vec<Vec<u8>> = keywords
            .iter()
            .map(|k| k.as_ref().to_ascii_lowercase())
            .collect();
        let prefix = |k: &[u8]| k.len().min(prefix_len);

        // Byte classes: class 0 for bytes in no prefix, one class per other (folded) byte.
        let mut class_of_folded = [0u8; 256];
        let mut stride: u32 = 1;
        for k in &folded {
            for &b in &k[..prefix(k)] {
                if class_of_folded[b as usize] == 0 {
                    // At most 230 distinct folded bytes, so this never passes 255.
                    class_of_folded[b as usize] = stride as u8;
                    stride += 1;
                }
            }
        }
        let mut classes = [0u8; 256];
        for (b, c) in classes.iter_mut().enumerate() {
            *c = class_of_folded[(b as u8).to_ascii_lowercase() as usize];
        }
        let classes_n = stride as usize;

        // Trie of the prefixes, as dense rows of `classes_n` entries (`NONE` for no edge).
        let mut goto: Vec<u32> = vec![NONE; classes_n];
        let mut own: Vec<Vec<u32>> = vec![Vec::new()];
        let mut always = Vec::new();
        let mut max_prefix = 0;
        for (id, k) in folded.iter().enumerate() {
            let id = u32::try_from(id).map_err(|_| too_big())?;
            if k.is_empty() {
                always.push(id);
                continue;
            }
            let k = &k[..prefix(k)];
            max_prefix = max_prefix.max(k.len());
            let mut s = 0usize;
            for &b in k {
                let slot = s * classes_n + class_of_folded[b as usize] as usize;
                s = match goto[slot] {
                    NONE => {
                        let next = own.len();
                        goto[slot] = u32::try_from(next).map_err(|_| too_big())?;
                        goto.extend(std::iter::repeat_n(NONE, classes_n));
                        own.push(Vec::new());
                        next
                    }
                    t => t as usize,
                };
            }
            own[s].push(id);
        }
        let nstates = own.len();

        // Breadth-first: failure links, the full transition function (a missing edge goes
        // where the failure state goes) and outputs (own plus the failure state's).
        let mut fail = vec![0u32; nstates];
        let mut outputs: Vec<Vec<u32>> = vec![Vec::new(); nstates];
        let mut queue = std::collections::VecDeque::new();
        for t in &mut goto[..classes_n] {
            match *t {
                NONE => *t = 0,
                child => queue.push_back(child as usize),
            }
        }
        while let Some(u) = queue.pop_front() {
            let f = fail[u] as usize;
            let mut out = std::mem::take(&mut own[u]);
            out.extend_from_slice(&outputs[f]);
            outputs[u] = out;
            for c in 0..classes_n {
                let via_fail = goto[f * classes_n + c];
                match goto[u * classes_n + c] {
                    NONE => goto[u * classes_n + c] = via_fail,
                    v => {
                        fail[v as usize] = via_fail;
                        queue.push_back(v as usize);
                    }
                }
            }
        }

        // Lay out the rows: state `s` gets row `s`; its id is the row's first slot, plus one
        // for a match state.
        let width = (stride + 2) & !1;
        let slots = (nstates as u64) * u64::from(width);
        if slots >= u64::from(u32::MAX) {
            return Err(too_big());
        }
        let id = |s: usize| s as u32 * width + u32::from(!outputs[s].is_empty());
        let len = (slots as usize).next_power_of_two();
        let mut wide = vec![0u32; len];
        let mut out_start = vec![0u32];
        let mut out_ids = Vec::new();
        for s in 0..nstates {
            let base = id(s) as usize;
            for c in 0..classes_n {
                wide[base + c] = id(goto[s * classes_n + c] as usize);
            }
            out_ids.extend_from_slice(&outputs[s]);
            out_start.push(u32::try_from(out_ids.len()).map_err(|_| too_big())?);
        }
        let table = if slots <= 1 << 16 {
            // Every id is below `slots`, so it fits.
            Table::Narrow(wide.iter().map(|&t| t as u16).collect())
        } else {
            Table::Wide(wide)
        };
        Ok(KeywordSet {
            classes,
            table,
            stride,
            width,
            out_start,
            out_ids,
            folded,
            always,
            max_prefix,
            prefix: prefix_len,
        })
    }

    /// Number of keywords (ids are `0..len()`).
    pub fn len(&self) -> usize {
        self.folded.len()
    }

    pub fn is_empty(&self) -> bool {
        self.folded.is_empty()
    }

    /// Heap bytes used by the tables.
    pub fn memory_usage(&self) -> usize {
        let table = match &self.table {
            Table::Narrow(t) => t.len() * 2,
            Table::Wide(t) => t.len() * 4,
        };
        table
            + self.out_start.len() * 4
            + self.out_ids.len() * 4
            + self.folded.iter().map(Vec::len).sum::<usize>()
    }

    /// Appends every occurrence of every keyword in `haystack` (overlapping ones included) to
    /// `hits`, sorted by end offset then keyword id, each once. An empty keyword is reported
    /// once, at offset 0.
    pub fn find_all(&self, haystack: &[u8], hits: &mut Vec<Hit>) {
        self.find_streams::<STREAMS>(haystack, hits);
    }

    /// Like [`find_all`](Self::find_all) but in no particular order, and an occurrence near
    /// the boundary of two of the walk's segments may be reported twice. For a caller that
    /// sorts the hits its own way anyway (the engine groups them by rule).
    pub fn find_unordered(&self, haystack: &[u8], hits: &mut Vec<Hit>) {
        self.walk_streams::<STREAMS>(haystack, hits);
    }

    /// [`find_all`](Self::find_all) with `N` interleaved segments (`N >= 1`), for tests and
    /// `benches/keywords.rs`, which measure each lane count.
    pub fn find_streams<const N: usize>(&self, haystack: &[u8], hits: &mut Vec<Hit>) {
        let first = hits.len();
        self.walk_streams::<N>(haystack, hits);
        // Occurrences in the overlap of two segments are seen twice.
        hits[first..].sort_unstable();
        let mut kept = first;
        for i in first..hits.len() {
            if kept == first || hits[kept - 1] != hits[i] {
                hits[kept] = hits[i];
                kept += 1;
            }
        }
        hits.truncate(kept);
    }

    /// Appends the hits of a walk with `N` interleaved segments, unordered, with duplicates.
    fn walk_streams<const N: usize>(&self, haystack: &[u8], hits: &mut Vec<Hit>) {
        hits.extend(self.always.iter().map(|&keyword| Hit { end: 0, keyword }));
        match &self.table {
            Table::Narrow(t) => Walker {
                set: self,
                table: t,
                haystack,
            }
            .run::<N>(hits),
            Table::Wide(t) => Walker {
                set: self,
                table: t,
                haystack,
            }
            .run::<N>(hits),
        }
    }

    /// Records the keywords whose prefix ends at `end` (the walk is in match state `state`)
    /// and whose remaining bytes follow in `haystack`.
    #[cold]
    #[inline(never)]
    fn report(&self, state: usize, end: usize, haystack: &[u8], hits: &mut Vec<Hit>) {
        let row = state / self.width as usize;
        let (Some(&from), Some(&to)) = (self.out_start.get(row), self.out_start.get(row + 1))
        else {
            return;
        };
        for &keyword in self.out_ids.get(from as usize..to as usize).unwrap_or(&[]) {
            let Some(k) = self.folded.get(keyword as usize) else {
                continue;
            };
            let plen = k.len().min(self.prefix);
            let start = end - plen;
            let Some(text) = haystack.get(start..start + k.len()) else {
                continue;
            };
            if text[plen..].eq_ignore_ascii_case(&k[plen..]) {
                hits.push(Hit {
                    end: start + k.len(),
                    keyword,
                });
            }
        }
    }
}

/// One scan of one haystack with one table width.
struct Walker<'a, T> {
    set: &'a KeywordSet,
    table: &'a [T],
    haystack: &'a [u8],
}

impl<T: Entry> Walker<'_, T> {
    #[inline(always)]
    fn step(&self, state: usize, byte: u8) -> usize {
        let class = self.set.classes[byte as usize] as usize;
        self.table[(state + class) & (self.table.len() - 1)].index()
    }

    fn run<const N: usize>(&self, hits: &mut Vec<Hit>) {
        let overlap = self.set.max_prefix.saturating_sub(1);
        let n = self.haystack.len();
        if N <= 1 || n < MIN_SEGMENT.saturating_add(overlap).saturating_mul(N) {
            self.walk(0, 0, n, hits);
            return;
        }
        // Segment k starts at k * seg and is walked to (k + 1) * seg + overlap (the last one to
        // the end), so any prefix starting in segment k lies wholly inside its walk.
        let seg = n.div_ceil(N);
        let start = |k: usize| k * seg;
        let end = |k: usize| {
            if k + 1 == N {
                n
            } else {
                (start(k + 1) + overlap).min(n)
            }
        };
        // The last segment is the shortest: walk that many bytes of every segment together,
        // then the rest of each one alone.
        let common = end(N - 1) - start(N - 1);
        let states = self.walk_lanes::<N>(seg, common, hits);
        for (k, &s) in states.iter().enumerate() {
            self.walk(s, start(k) + common, end(k), hits);
        }
    }

    /// Walks `haystack[from..to]` from `state`, recording hits, and returns the state reached.
    #[inline]
    fn walk(&self, mut state: usize, from: usize, to: usize, hits: &mut Vec<Hit>) -> usize {
        for (i, &b) in self.haystack[from..to].iter().enumerate() {
            state = self.step(state, b);
            if state & 1 != 0 {
                self.set.report(state, from + i + 1, self.haystack, hits);
            }
        }
        state
    }

    /// Walks `N` lanes of `len` bytes together, each from the start state; lane `k` starts at
    /// offset `k * seg`. Returns the states reached.
    #[inline]
    fn walk_lanes<const N: usize>(
        &self,
        seg: usize,
        len: usize,
        hits: &mut Vec<Hit>,
    ) -> [usize; N] {
        let mut s = [0usize; N];
        let lanes: [&[u8]; N] = std::array::from_fn(|k| &self.haystack[k * seg..k * seg + len]);
        // Re-sliced to the loop's bound: lets the compiler drop the bounds check on each
        // `lanes[k][i]` (measured: without it the walk is ~40% slower).
        let lanes: [&[u8]; N] = lanes.map(|l| &l[..len]);
        // One index across all lanes is the point of the loop (lockstep steps).
        #[allow(clippy::needless_range_loop)]
        for i in 0..len {
            for k in 0..N {
                s[k] = self.step(s[k], lanes[k][i]);
            }
            for (k, &sk) in s.iter().enumerate() {
                if sk & 1 != 0 {
                    self.set.report(sk, k * seg + i + 1, self.haystack, hits);
                }
            }
        }
        s
    }
}

fn too_big() -> KeywordSetError {
    KeywordSetError("too many keyword bytes for the keyword automaton".into())
}

impl fmt::Debug for KeywordSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeywordSet")
            .field("keywords", &self.folded.len())
            .field("classes", &self.stride)
            .field("states", &(self.out_start.len() - 1))
            .field("prefix", &self.prefix)
            .field("max_prefix", &self.max_prefix)
            .field(
                "entry_bytes",
                &match self.table {
                    Table::Narrow(_) => 2,
                    Table::Wide(_) => 4,
                },
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

    /// The reference: `aho_corasick`, ASCII case-insensitive, every overlapping match.
    fn reference(keywords: &[Vec<u8>]) -> AhoCorasick {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(keywords)
            .unwrap()
    }

    /// Scans with every lane count and checks each against the reference.
    fn check(keywords: &[Vec<u8>], haystack: &[u8]) {
        let set = KeywordSet::new(keywords).unwrap();
        check_built(&set, &reference(keywords), keywords, haystack);
    }

    type FindFn = fn(&KeywordSet, &[u8], &mut Vec<Hit>);

    fn check_built(set: &KeywordSet, ac: &AhoCorasick, keywords: &[Vec<u8>], haystack: &[u8]) {
        let mut want: Vec<Hit> = ac
            .find_overlapping_iter(haystack)
            .map(|m| Hit {
                // An empty keyword is reported once, at offset 0.
                end: if m.is_empty() { 0 } else { m.end() },
                keyword: m.pattern().as_u32(),
            })
            .collect();
        want.sort_unstable();
        want.dedup();
        let finds: [(&str, FindFn); 8] = [
            ("find_all", |s, h, o| s.find_all(h, o)),
            ("unordered", |s, h, o| {
                s.find_unordered(h, o);
                o.sort_unstable();
                o.dedup();
            }),
            ("1", |s, h, o| s.find_streams::<1>(h, o)),
            ("2", |s, h, o| s.find_streams::<2>(h, o)),
            ("3", |s, h, o| s.find_streams::<3>(h, o)),
            ("4", |s, h, o| s.find_streams::<4>(h, o)),
            ("6", |s, h, o| s.find_streams::<6>(h, o)),
            ("7", |s, h, o| s.find_streams::<7>(h, o)),
        ];
        for (name, find) in finds {
            let mut got = Vec::new();
            find(set, haystack, &mut got);
            assert_eq!(
                got,
                want,
                "lanes {name}, keywords {:?}, haystack {:?}",
                keywords
                    .iter()
                    .map(|k| String::from_utf8_lossy(k))
                    .collect::<Vec<_>>(),
                String::from_utf8_lossy(haystack)
            );
        }
    }

    fn kws(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    /// The distinct keyword ids found, in order.
    fn found(set: &KeywordSet, haystack: &[u8]) -> Vec<usize> {
        let mut hits = Vec::new();
        set.find_all(haystack, &mut hits);
        let mut ids: Vec<usize> = hits.iter().map(|h| h.keyword as usize).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    #[test]
    fn overlapping_prefixes_suffixes_and_substrings() {
        let set = KeywordSet::new(&["sk_", "sk_live_", "live", "e_1", "zz"]).unwrap();
        assert_eq!(found(&set, b"xsk_live_1"), vec![0, 1, 2, 3]);
        assert_eq!(found(&set, b"XSK_LIVE_1"), vec![0, 1, 2, 3]);
        assert_eq!(found(&set, b"sk_liv"), vec![0]);
        check(
            &kws(&["sk_", "sk_live_", "live", "e_1", "zz"]),
            b"xsk_live_1",
        );
        check(&kws(&["abcd", "bc", "c", "bcd", "abcde"]), b"xxabcdx");
        check(&kws(&["aaa", "aa", "aaaa"]), b"aaa");
    }

    #[test]
    fn empty_inputs() {
        let set = KeywordSet::new(&["akia"]).unwrap();
        assert_eq!(found(&set, b""), Vec::<usize>::new());
        let none = KeywordSet::new::<&str>(&[]).unwrap();
        assert!(none.is_empty());
        assert_eq!(found(&none, b"anything"), Vec::<usize>::new());
        check(&kws(&["akia", "ghp_"]), b"");
        check(&kws(&["akia", "ghp_"]), b"gh");
    }

    #[test]
    fn empty_keyword_is_everywhere() {
        let set = KeywordSet::new(&["", "ab"]).unwrap();
        assert_eq!(found(&set, b""), vec![0]);
        assert_eq!(found(&set, b"xab"), vec![0, 1]);
        check(&kws(&["", "ab"]), b"xab");
        check(&kws(&["", "ab"]), b"");
    }

    #[test]
    fn case_folding_is_ascii_only() {
        let set = KeywordSet::new(&["AKIA", "é_Key", "\u{c9}"]).unwrap();
        assert_eq!(found(&set, b"xxakiaxx"), vec![0]);
        assert_eq!(found(&set, "é_kEY".as_bytes()), vec![1]);
        // `É` and `é` differ outside ASCII: `É_KEY` holds `É` but not `é_Key`.
        assert_eq!(found(&set, "É_KEY".as_bytes()), vec![2]);
        assert_eq!(found(&set, "\u{c9}".as_bytes()), vec![2]);
        check(
            &kws(&["AKIA", "é_Key", "\u{c9}"]),
            "é_kEY É akIa".as_bytes(),
        );
        check(
            &[vec![0xff, 0x00, b'A'], vec![0x80]],
            &[1, 0xff, 0, b'a', 0x80],
        );
    }

    #[test]
    fn duplicates_get_their_own_ids() {
        let set = KeywordSet::new(&["key", "KEY", "ke"]).unwrap();
        assert_eq!(found(&set, b"a Key"), vec![0, 1, 2]);
    }

    #[test]
    fn reports_every_occurrence_with_its_end() {
        let set = KeywordSet::new(&["ab", "abcdefghijk", "b"]).unwrap();
        let mut hits = Vec::new();
        set.find_all(b"xAbcdefghijk ab", &mut hits);
        let got: Vec<(usize, u32)> = hits.iter().map(|h| (h.end, h.keyword)).collect();
        assert_eq!(got, vec![(3, 0), (3, 2), (12, 1), (15, 0), (15, 2)]);
        // A prefix without the rest of the keyword (here at the very end) is not a hit.
        assert_eq!(found(&set, b"abcdefgh"), vec![0, 2]);
        assert_eq!(found(&set, b"..ABCDEFGHIJK"), vec![0, 1, 2]);
        assert_eq!(found(&set, b"..ABCDEFGHIJ"), vec![0, 2]);
    }

    #[test]
    fn keyword_across_every_segment_boundary() {
        // A long keyword at every offset of a haystack long enough for all lane counts: some
        // placements straddle the cut between two segments.
        let long = "sk_live_0123456789abcdefghijklmnopqrstuv"; // hygiene:allow (test keyword)
        let words = kws(&[long, "sk_", "uv"]);
        let (set, ac) = (KeywordSet::new(&words).unwrap(), reference(&words));
        for len in [700, 1001, 1500] {
            for at in 0..=len - long.len() {
                let mut hay = vec![b'.'; len];
                hay[at..at + long.len()].copy_from_slice(long.as_bytes());
                check_built(&set, &ac, &words, &hay);
            }
        }
    }

    /// xorshift64*: deterministic, good enough to generate test cases.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn matches_aho_corasick_on_random_inputs() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        // A small alphabet (so keywords share prefixes and suffixes) plus a few wild bytes.
        let alphabet = b"abAB_-k1\xc3\xa9\x00\xff";
        for case in 0..3000 {
            let nkw = 1 + rng.below(if case % 10 == 0 { 60 } else { 8 });
            let keywords: Vec<Vec<u8>> = (0..nkw)
                .map(|_| {
                    let max = if rng.below(4) == 0 { 40 } else { 6 };
                    let len = 1 + rng.below(max);
                    (0..len)
                        .map(|_| alphabet[rng.below(alphabet.len())])
                        .collect()
                })
                .collect();
            let target = match rng.below(4) {
                0 => rng.below(50),
                1 => rng.below(600),
                _ => rng.below(4000),
            };
            let mut hay = Vec::with_capacity(target + 64);
            while hay.len() < target {
                match rng.below(3) {
                    0 => {
                        // A keyword fragment with random case flips.
                        let k = &keywords[rng.below(keywords.len())];
                        let from = rng.below(k.len());
                        let to = from + 1 + rng.below(k.len() - from);
                        hay.extend(k[from..to].iter().map(|&b| {
                            if rng.below(2) == 0 {
                                b.to_ascii_uppercase()
                            } else {
                                b
                            }
                        }));
                    }
                    1 => hay.push(alphabet[rng.below(alphabet.len())]),
                    _ => {
                        let n = rng.below(20);
                        hay.extend((0..n).map(|_| rng.next() as u8));
                    }
                }
            }
            check(&keywords, &hay);
        }
    }

    #[test]
    fn every_prefix_length_finds_the_same() {
        let words = kws(&["sk_live_", "sk_", "github_pat_", "pass", "a", "password"]);
        let ac = reference(&words);
        let hay = b"x PASSWORD=sk_live_1 github_pat_11AB sk_ passw a";
        for prefix in [0, 1, 2, 3, 4, 8, 16] {
            let set = KeywordSet::with_prefix(&words, prefix).unwrap();
            check_built(&set, &ac, &words, hay);
        }
    }

    #[test]
    fn builtin_keywords_match_aho_corasick() {
        let mut words: Vec<Vec<u8>> = Vec::new();
        for rule in crate::secrets::builtin_rules().unwrap() {
            for k in &rule.spec.keywords {
                let k = k.to_ascii_lowercase().into_bytes();
                if !words.contains(&k) {
                    words.push(k);
                }
            }
        }
        assert!(words.len() > 100);
        let (set, ac) = (KeywordSet::new(&words).unwrap(), reference(&words));
        let mut rng = Rng(42);
        for _ in 0..200 {
            let mut hay = Vec::new();
            for _ in 0..rng.below(400) {
                if rng.below(8) == 0 {
                    let k = &words[rng.below(words.len())];
                    hay.extend(k.iter().map(|b| b.to_ascii_uppercase()));
                } else {
                    hay.extend_from_slice(b" let value = config.get(\"x\"); ");
                }
            }
            check_built(&set, &ac, &words, &hay);
        }
    }
}
