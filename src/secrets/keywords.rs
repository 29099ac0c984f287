//! Which of many keywords occur in a file: ASCII case-insensitive, overlapping, presence only.
//!
//! This is the rule gate's hot loop, so it is a purpose-built dense DFA rather than a general
//! Aho-Corasick automaton:
//!
//! * an Aho-Corasick trie with failure links, compiled into a full transition table (no
//!   failure-link walking at scan time);
//! * the alphabet is reduced to byte classes with ASCII case folded in when the table is built
//!   (`A` and `a` share a class), so there is no per-byte lowercasing, and every byte that
//!   occurs in no keyword shares one class;
//! * state ids are premultiplied by the class count, so a step is one add and one load;
//! * states with outputs are numbered last, so "did a keyword just end here" is one compare
//!   against `first_match`;
//! * the haystack is cut into a few segments (each overlapping the next by the longest keyword
//!   minus one byte, so an occurrence across a cut is still seen whole by one segment) and the
//!   segments are walked in the same loop. One walk is a chain of dependent loads; several
//!   independent chains let the CPU overlap them, which is where the speed comes from.
//!
//! Only presence matters, so positions are never computed, and a scan stops as soon as every
//! keyword has been seen.

use std::fmt;

/// How many segments a haystack is cut into and walked together. Measured on the bench corpus
/// (see the commit message): more chains overlap more load latency until the loop becomes
/// throughput bound.
const STREAMS: usize = 4;

/// Below this many bytes per segment the haystack is walked as one stream: the overlaps and
/// the set-up would cost more than the interleaving saves.
const MIN_SEGMENT: usize = 64;

/// A set of keywords compiled for presence scanning.
#[derive(Clone)]
pub struct KeywordSet {
    /// Byte to class; bytes that differ only in ASCII case share a class.
    classes: [u8; 256],
    /// `trans[state + class]` is the next state. State ids are premultiplied by `stride`; the
    /// start state is 0.
    trans: Vec<u32>,
    /// Number of classes (the width of one state's row).
    stride: u32,
    /// States `>= first_match` have outputs; all others have none.
    first_match: u32,
    /// Outputs of match state `first_match + m * stride` are
    /// `out_ids[out_start[m]..out_start[m + 1]]`, including keywords that end there as a proper
    /// suffix of a longer one.
    out_start: Vec<u32>,
    out_ids: Vec<u32>,
    /// Empty keywords, present in every haystack.
    always: Vec<u32>,
    /// Number of keywords (ids are `0..len`).
    len: usize,
    /// Length of the longest keyword, in bytes.
    max_len: usize,
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
        let folded: Vec<Vec<u8>> = keywords
            .iter()
            .map(|k| k.as_ref().to_ascii_lowercase())
            .collect();

        // Byte classes: class 0 for bytes in no keyword, one class per other (folded) byte.
        let mut class_of_folded = [0u8; 256];
        let mut stride: u32 = 1;
        for k in &folded {
            for &b in k {
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
        let width = stride as usize;

        // Trie, as dense rows of `width` entries (`NONE` for no edge).
        let mut goto: Vec<u32> = vec![NONE; width];
        let mut own: Vec<Vec<u32>> = vec![Vec::new()];
        let mut always = Vec::new();
        let mut max_len = 0;
        for (id, k) in folded.iter().enumerate() {
            let id = u32::try_from(id).map_err(|_| too_big())?;
            if k.is_empty() {
                always.push(id);
                continue;
            }
            max_len = max_len.max(k.len());
            let mut s = 0usize;
            for &b in k {
                let slot = s * width + class_of_folded[b as usize] as usize;
                s = match goto[slot] {
                    NONE => {
                        let next = own.len();
                        goto[slot] = u32::try_from(next).map_err(|_| too_big())?;
                        goto.extend(std::iter::repeat_n(NONE, width));
                        own.push(Vec::new());
                        next
                    }
                    t => t as usize,
                };
            }
            own[s].push(id);
        }
        let nstates = own.len();
        if (nstates as u64) * (width as u64) > u64::from(u32::MAX) {
            return Err(too_big());
        }

        // Breadth-first: failure links, the full transition function (a missing edge goes
        // where the failure state goes) and outputs (own plus the failure state's).
        let mut fail = vec![0u32; nstates];
        let mut outputs: Vec<Vec<u32>> = vec![Vec::new(); nstates];
        let mut queue = std::collections::VecDeque::new();
        for t in &mut goto[..width] {
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
            for c in 0..width {
                let via_fail = goto[f * width + c];
                match goto[u * width + c] {
                    NONE => goto[u * width + c] = via_fail,
                    v => {
                        fail[v as usize] = via_fail;
                        queue.push_back(v as usize);
                    }
                }
            }
        }

        // Renumber: states without outputs first (the start state stays 0), then match states.
        let mut order: Vec<usize> = (0..nstates).filter(|&s| outputs[s].is_empty()).collect();
        let non_match = order.len();
        order.extend((0..nstates).filter(|&s| !outputs[s].is_empty()));
        let mut new_id = vec![0u32; nstates];
        for (i, &s) in order.iter().enumerate() {
            // Fits: nstates * stride <= u32::MAX was checked above.
            new_id[s] = i as u32 * stride;
        }
        let mut trans = Vec::with_capacity(nstates * width);
        let mut out_start = vec![0u32];
        let mut out_ids = Vec::new();
        for (i, &s) in order.iter().enumerate() {
            trans.extend(
                goto[s * width..(s + 1) * width]
                    .iter()
                    .map(|&t| new_id[t as usize]),
            );
            if i >= non_match {
                out_ids.extend_from_slice(&outputs[s]);
                out_start.push(u32::try_from(out_ids.len()).map_err(|_| too_big())?);
            }
        }
        Ok(KeywordSet {
            classes,
            trans,
            stride,
            first_match: non_match as u32 * stride,
            out_start,
            out_ids,
            always,
            len: keywords.len(),
            max_len,
        })
    }

    /// Number of keywords (ids are `0..len()`).
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Heap bytes used by the tables.
    pub fn memory_usage(&self) -> usize {
        self.trans.len() * 4 + self.out_start.len() * 4 + self.out_ids.len() * 4
    }

    /// Sets `seen[id]` for every keyword that occurs anywhere in `haystack` (overlapping
    /// occurrences included) and returns how many were not already set. Stops early once every
    /// keyword is marked. Ids at or past `seen.len()` are not reported.
    pub fn scan(&self, haystack: &[u8], seen: &mut [bool]) -> usize {
        self.scan_streams::<STREAMS>(haystack, seen)
    }

    /// [`scan`](Self::scan) with `N` interleaved segments (`N >= 1`).
    pub(crate) fn scan_streams<const N: usize>(&self, haystack: &[u8], seen: &mut [bool]) -> usize {
        let tracked = self.len.min(seen.len());
        let mut st = Marks {
            seen: &mut seen[..tracked],
            remaining: 0,
            newly: 0,
        };
        st.remaining = st.seen.iter().filter(|&&s| !s).count();
        for &id in &self.always {
            st.mark(id);
        }
        if st.remaining == 0 {
            return st.newly;
        }

        let overlap = self.max_len.saturating_sub(1);
        let n = haystack.len();
        if N <= 1 || n < MIN_SEGMENT.saturating_add(overlap).saturating_mul(N) {
            self.walk(0, haystack, &mut st);
            return st.newly;
        }
        // Segment k starts at k * seg and is walked to (k + 1) * seg + overlap (the last one to
        // the end), so any occurrence starting in segment k lies wholly inside its walk.
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
        let lanes: [&[u8]; N] = std::array::from_fn(|k| &haystack[start(k)..start(k) + common]);
        let Some(states) = self.walk_lanes(&lanes, &mut st) else {
            return st.newly;
        };
        for (k, &s) in states.iter().enumerate() {
            if self
                .walk(s, &haystack[start(k) + common..end(k)], &mut st)
                .is_none()
            {
                break;
            }
        }
        st.newly
    }

    /// Walks `bytes` from `state` and returns the state reached, or `None` as soon as every
    /// keyword is seen.
    #[inline]
    fn walk(&self, mut state: u32, bytes: &[u8], st: &mut Marks<'_>) -> Option<u32> {
        let trans = &self.trans[..];
        for &b in bytes {
            state = trans[state as usize + self.classes[b as usize] as usize];
            if state >= self.first_match && !self.report(state, st) {
                return None;
            }
        }
        Some(state)
    }

    /// Walks `N` equally long lanes together, each from the start state, and returns the
    /// states reached, or `None` as soon as every keyword is seen.
    #[inline]
    fn walk_lanes<const N: usize>(
        &self,
        lanes: &[&[u8]; N],
        st: &mut Marks<'_>,
    ) -> Option<[u32; N]> {
        let mut s = [0u32; N];
        let len = lanes.first().map_or(0, |l| l.len());
        if lanes.iter().any(|l| l.len() != len) {
            // Not reached (the caller cuts equal lanes); this check lets the compiler drop
            // the bounds checks on `lanes[k][i]` below.
            for (k, lane) in lanes.iter().enumerate() {
                s[k] = self.walk(0, lane, st)?;
            }
            return Some(s);
        }
        let trans = &self.trans[..];
        for i in 0..len {
            for k in 0..N {
                s[k] = trans[s[k] as usize + self.classes[lanes[k][i] as usize] as usize];
            }
            for &sk in &s {
                if sk >= self.first_match && !self.report(sk, st) {
                    return None;
                }
            }
        }
        Some(s)
    }

    /// Marks the outputs of match state `state`. Returns false once every keyword is seen.
    #[cold]
    #[inline(never)]
    fn report(&self, state: u32, st: &mut Marks<'_>) -> bool {
        let m = ((state - self.first_match) / self.stride) as usize;
        let (Some(&from), Some(&to)) = (self.out_start.get(m), self.out_start.get(m + 1)) else {
            return true;
        };
        for &id in self.out_ids.get(from as usize..to as usize).unwrap_or(&[]) {
            st.mark(id);
        }
        st.remaining > 0
    }
}

fn too_big() -> KeywordSetError {
    KeywordSetError("too many keyword bytes for the keyword automaton".into())
}

impl fmt::Debug for KeywordSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeywordSet")
            .field("keywords", &self.len)
            .field("classes", &self.stride)
            .field("states", &(self.trans.len() / self.stride as usize))
            .field("max_len", &self.max_len)
            .finish()
    }
}

/// The caller's marks plus counts, during one scan.
struct Marks<'a> {
    seen: &'a mut [bool],
    remaining: usize,
    newly: usize,
}

impl Marks<'_> {
    #[inline]
    fn mark(&mut self, id: u32) {
        if let Some(s) = self.seen.get_mut(id as usize) {
            if !*s {
                *s = true;
                self.remaining -= 1;
                self.newly += 1;
            }
        }
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

    type ScanFn = fn(&KeywordSet, &[u8], &mut [bool]) -> usize;

    fn check_built(set: &KeywordSet, ac: &AhoCorasick, keywords: &[Vec<u8>], haystack: &[u8]) {
        let mut want = vec![false; keywords.len()];
        for m in ac.find_overlapping_iter(haystack) {
            want[m.pattern().as_usize()] = true;
        }
        let count = want.iter().filter(|&&s| s).count();
        let scans: [(&str, ScanFn); 6] = [
            ("scan", |s, h, m| s.scan(h, m)),
            ("1", |s, h, m| s.scan_streams::<1>(h, m)),
            ("2", |s, h, m| s.scan_streams::<2>(h, m)),
            ("3", |s, h, m| s.scan_streams::<3>(h, m)),
            ("4", |s, h, m| s.scan_streams::<4>(h, m)),
            ("7", |s, h, m| s.scan_streams::<7>(h, m)),
        ];
        for (name, scan) in scans {
            let mut seen = vec![false; keywords.len()];
            let newly = scan(set, haystack, &mut seen);
            assert_eq!(
                seen,
                want,
                "lanes {name}, keywords {:?}, haystack {:?}",
                keywords
                    .iter()
                    .map(|k| String::from_utf8_lossy(k))
                    .collect::<Vec<_>>(),
                String::from_utf8_lossy(haystack)
            );
            assert_eq!(newly, count, "lanes {name}");
        }
    }

    fn kws(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    fn found(set: &KeywordSet, haystack: &[u8]) -> Vec<usize> {
        let mut seen = vec![false; set.len()];
        set.scan(haystack, &mut seen);
        (0..seen.len()).filter(|&i| seen[i]).collect()
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
        assert_eq!(none.scan(b"anything", &mut []), 0);
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
    fn counts_only_new_ids_and_stops_when_all_seen() {
        let set = KeywordSet::new(&["ab", "cd"]).unwrap();
        let mut seen = vec![true, false];
        assert_eq!(set.scan(b"ab cd ab cd", &mut seen), 1);
        assert_eq!(seen, vec![true, true]);
        assert_eq!(set.scan(b"ab cd", &mut seen), 0);
        // Every keyword early in a long haystack: found, then the scan stops.
        let mut long = b"cd ab ".to_vec();
        long.resize(100_000, b'x');
        let mut seen = vec![false; 2];
        assert_eq!(set.scan(&long, &mut seen), 2);
    }

    #[test]
    fn short_seen_slice_does_not_panic() {
        let set = KeywordSet::new(&["ab", "cd", "ef"]).unwrap();
        let mut seen = vec![false; 1];
        assert_eq!(set.scan(b"ab cd ef", &mut seen), 1);
        assert_eq!(set.scan(b"cd ef", &mut []), 0);
        let mut seen = vec![false; 5];
        assert_eq!(set.scan(b"ab cd ef", &mut seen), 3);
        assert_eq!(seen, vec![true, true, true, false, false]);
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
