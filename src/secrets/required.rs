//! A necessary condition for a rule's regex, cheap enough to test before every regex call:
//! bytes of which every match contains at least one, and the longest run of one byte class
//! that every match contains.
//!
//! The keyword gate already puts a rule's keyword in every region its regex sees, so the
//! regex's own literal prefilter (which looks for those same words) rejects nothing there.
//! Most regions are nevertheless hopeless for a reason the keyword cannot see: `token` in
//! `fn next_token()` has no quote after it, `https://` without `@` carries no credentials, a
//! line that mentions `github` holds no run of 40 hex digits. Each such region still costs a
//! regex call (0.3 to 3 microseconds per call on the bench corpus: cache and start state of
//! the lazy DFA, the search itself); `memchr` over the region (for each of up to three such
//! sets: a quote *and* one of `:=<`) and a skipping scan for the run cost a few nanoseconds.
//! On the bench corpus the calls of `generic-secret` went from 111,000 to 23,000, of
//! `url-credentials-http` from 118,000 to 1,600. It never changes what is found: a region
//! without the bytes, or without the run, cannot hold a match.
//!
//! Both come from the parsed pattern ([`Hir`]). Bytes: a literal needs each of its bytes, a
//! class of at most three bytes needs one of them, a sequence needs what each of its parts
//! needs, an alternation needs the union of one requirement of each branch; of all the sets so
//! found the rarest few are kept, by a rough frequency of bytes in source code (`@` or a quote
//! beats a letter). Run: a repetition `C{n,}` of a class needs `n` bytes of `C` in a row, a literal
//! its own length of its own bytes, an alternation the shortest of its branches' runs over the
//! union of their classes; the run least likely in ordinary text is kept.
//!
//! Words: a rule gated by a print call's name (`println!`) or an assignment keyword still
//! needs a credential-like name in the line (`password`, `api_key`, `token`), which no single
//! byte tells. A literal (ASCII case folded) is a word, a sequence needs the best words of one
//! of its parts (adjacent literals joined), an alternation one word of each branch. They are
//! kept only if there are few and none is shorter than [`MIN_WORD`], and not when each of the
//! rule's keywords holds one of them (the gate already put a keyword in every region). One
//! `aho-corasick` pass over the region checks them, after the bytes and the run.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use regex_syntax::hir::{Class, Hir, HirKind};

/// At most this many bytes: what `memchr3` tests in one pass.
const MAX_BYTES: usize = 3;

/// At most this many sets of bytes are checked, each a pass over the region.
const MAX_SETS: usize = 3;

/// Sets costlier than this ([`weight`]: a lowercase letter, or three digits and a comma) are
/// in nearly every line and not worth a pass.
const MAX_SET_COST: u32 = 30;

/// Runs that ordinary text holds anyway (a dozen identifier characters) are not worth
/// checking: only runs at least this unlikely are kept (natural log of their probability in
/// text with [`weight`]'s byte frequencies, negated).
const MIN_RUN_SURPRISE: f64 = 8.0;

/// Words shorter than this are in too many lines to be worth a pass.
const MIN_WORD: usize = 3;

/// At most this many words.
const MAX_WORDS: usize = 64;

/// What every match of a regex contains.
#[derive(Debug, Clone)]
pub struct Required {
    /// Sets of bytes (each sorted, distinct, `1..=MAX_BYTES`): a match holds one byte of
    /// each set. Rarest first; at most [`MAX_SETS`].
    sets: Vec<Vec<u8>>,
    /// `run.1` consecutive bytes of the class `run.0`, if a telling run was found.
    run: Option<(ByteSet, usize)>,
    /// Words (ASCII case-insensitive) of which a match holds one.
    words: Option<Words>,
}

/// Words of which every match holds one, and their searcher.
#[derive(Debug, Clone)]
struct Words {
    /// Lowercase, sorted.
    list: Vec<Vec<u8>>,
    searcher: AhoCorasick,
}

impl Required {
    /// What every match of `hir` must contain, or `None` if nothing cheap to test is known
    /// (`.*`, `\w+`). `keywords`: the rule's; words each of them holds are no test.
    pub fn of(hir: &Hir, keywords: &[String]) -> Option<Required> {
        let mut all = candidates(hir);
        all.sort_by(|a, b| cost(a).cmp(&cost(b)).then_with(|| a.cmp(b)));
        all.dedup();
        let mut sets: Vec<Vec<u8>> = Vec::new();
        for set in all {
            // A set that holds a kept one adds nothing; common bytes reject nothing.
            if sets.len() == MAX_SETS || cost(&set) > MAX_SET_COST {
                break;
            }
            if !sets.iter().any(|kept| kept.iter().all(|b| set.contains(b))) {
                sets.push(set);
            }
        }
        let run = run(hir).filter(|(class, len)| surprise(class, *len) >= MIN_RUN_SURPRISE);
        let lower: Vec<String> = keywords.iter().map(|k| k.to_ascii_lowercase()).collect();
        // Words each keyword holds: every region the gate gives passes them.
        let useless = |list: &[Vec<u8>]| {
            !lower.is_empty()
                && lower.iter().all(|k| {
                    list.iter()
                        .any(|w| memchr::memmem::find(k.as_bytes(), w).is_some())
                })
        };
        let words = words(hir, &useless)
            .map(|mut list| {
                list.sort();
                list.dedup();
                list
            })
            .filter(|list| list.len() <= MAX_WORDS && list.iter().all(|w| w.len() >= MIN_WORD))
            .filter(|list| !useless(list))
            .and_then(|list| {
                let searcher = AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .build(&list)
                    .ok()?;
                Some(Words { list, searcher })
            });
        (!sets.is_empty() || run.is_some() || words.is_some()).then_some(Required {
            sets,
            run,
            words,
        })
    }

    /// Whether `haystack` may hold a match: false only if the regex cannot match in it.
    pub fn may_match(&self, haystack: &[u8]) -> bool {
        let holds = |set: &Vec<u8>| match *set.as_slice() {
            [a] => memchr::memchr(a, haystack).is_some(),
            [a, b] => memchr::memchr2(a, b, haystack).is_some(),
            [a, b, c] => memchr::memchr3(a, b, c, haystack).is_some(),
            // Never built (1..=MAX_BYTES are kept); "may match" is the safe answer.
            _ => true,
        };
        self.sets.iter().all(holds)
            && self
                .run
                .as_ref()
                .is_none_or(|(class, len)| has_run(haystack, class, *len))
            && self
                .words
                .as_ref()
                .is_none_or(|w| w.searcher.is_match(haystack))
    }

    /// The words of which every match holds one (lowercase, sorted), if they are checked.
    pub fn words(&self) -> &[Vec<u8>] {
        self.words.as_ref().map_or(&[], |w| &w.list)
    }
}

/// A set of bytes, as a 256-bit map.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct ByteSet([u64; 4]);

impl ByteSet {
    fn insert(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }

    #[inline]
    fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    fn union(&self, other: &ByteSet) -> ByteSet {
        ByteSet(std::array::from_fn(|i| self.0[i] | other.0[i]))
    }

    fn iter(&self) -> impl Iterator<Item = u8> + '_ {
        self.0.iter().enumerate().flat_map(|(word, &bits)| {
            (0..64u8)
                .filter(move |bit| bits & (1 << bit) != 0)
                .map(move |bit| (word as u8) << 6 | bit)
        })
    }
}

/// Whether `haystack` holds `len` consecutive bytes of `class`. Looks at the last byte of each
/// window first, so a window that cannot be a run is left after one or two reads (the scan
/// skips up to `len` bytes at a time, as in Boyer-Moore).
fn has_run(haystack: &[u8], class: &ByteSet, len: usize) -> bool {
    if len == 0 {
        return true;
    }
    let mut start = 0;
    while start + len <= haystack.len() {
        match haystack[start..start + len]
            .iter()
            .rposition(|&b| !class.contains(b))
        {
            None => return true,
            Some(bad) => start += bad + 1,
        }
    }
    false
}

/// How common a byte is in source code and configuration, roughly: the set whose bytes sum
/// lowest is the one that rejects most regions.
fn weight(b: u8) -> u32 {
    match b {
        b' ' | b'\n' | b'\t' | b'\r' => 100,
        b'a'..=b'z' => 40,
        b'A'..=b'Z' | b'0'..=b'9' => 10,
        b'_' | b'.' | b',' | b'(' | b')' | b';' | b'=' | b'-' | b'/' | b'"' | b'\'' | b':'
        | b'*' => 8,
        0x80.. => 2,
        _ => 4,
    }
}

fn cost(bytes: &[u8]) -> u32 {
    bytes.iter().map(|&b| weight(b)).sum()
}

/// How unlikely `len` bytes of `class` in a row are in text with [`weight`]'s frequencies:
/// `-ln(p(class)^len)`.
fn surprise(class: &ByteSet, len: usize) -> f64 {
    // The sum of `weight` over all bytes.
    const TOTAL: u32 = 4 * 100 + 26 * 40 + 36 * 10 + 13 * 8 + 128 * 2 + 49 * 4;
    let inside: u32 = class.iter().map(weight).sum();
    if inside == 0 {
        return f64::INFINITY;
    }
    let p = f64::from(inside) / f64::from(TOTAL);
    -(p.ln()) * len as f64
}

/// Sets of bytes (each sorted, distinct, at most [`MAX_BYTES`]) such that every match of
/// `hir` contains one byte of each set; any one of them is a valid requirement.
fn candidates(hir: &Hir) -> Vec<Vec<u8>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Vec::new(),
        HirKind::Literal(lit) => {
            let mut bytes = lit.0.to_vec();
            bytes.sort_unstable();
            bytes.dedup();
            bytes.into_iter().map(|b| vec![b]).collect()
        }
        HirKind::Class(class) => class_set(class)
            .map(|set| set.iter().collect::<Vec<u8>>())
            .filter(|bytes| bytes.len() <= MAX_BYTES)
            .into_iter()
            .collect(),
        HirKind::Repetition(rep) if rep.min >= 1 => candidates(&rep.sub),
        HirKind::Repetition(_) => Vec::new(),
        HirKind::Capture(cap) => candidates(&cap.sub),
        HirKind::Concat(parts) => parts.iter().flat_map(candidates).collect(),
        HirKind::Alternation(branches) => {
            let options: Vec<Vec<Vec<u8>>> = branches.iter().map(candidates).collect();
            let Some((first, rest)) = options.split_first() else {
                return Vec::new();
            };
            // Every branch must contribute one of its sets; greedily keep the union small and
            // rare, trying each set of the first branch as the seed.
            first
                .iter()
                .filter_map(|seed| {
                    rest.iter().try_fold(seed.clone(), |union, branch| {
                        branch
                            .iter()
                            .map(|set| merge(&union, set))
                            .filter(|u| u.len() <= MAX_BYTES)
                            .min_by_key(|u| cost(u))
                    })
                })
                .collect()
        }
    }
}

fn merge(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut union = [a, b].concat();
    union.sort_unstable();
    union.dedup();
    union
}

/// The least likely run (class, length) that every match of `hir` contains, if any.
fn run(hir: &Hir) -> Option<(ByteSet, usize)> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(lit) => {
            let mut set = ByteSet::default();
            lit.0.iter().for_each(|&b| set.insert(b));
            (!lit.0.is_empty()).then_some((set, lit.0.len()))
        }
        HirKind::Class(class) => class_set(class).map(|set| (set, 1)),
        HirKind::Repetition(rep) if rep.min >= 1 => match rep.sub.kind() {
            // `C{n,}`: n bytes of C in a row.
            HirKind::Class(class) => class_set(class).map(|set| (set, rep.min as usize)),
            _ => run(&rep.sub),
        },
        HirKind::Repetition(_) => None,
        HirKind::Capture(cap) => run(&cap.sub),
        HirKind::Concat(parts) => parts
            .iter()
            .filter_map(run)
            .map(|r| (surprise(&r.0, r.1), r))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, r)| r),
        HirKind::Alternation(branches) => branches
            .iter()
            .map(run)
            .try_fold(None::<(ByteSet, usize)>, |acc, branch| {
                let (set, len) = branch?;
                Some(Some(match acc {
                    None => (set, len),
                    Some((a, n)) => (a.union(&set), n.min(len)),
                }))
            })
            .flatten(),
    }
}

/// Words (lowercase) of which every match of `hir` holds one, ASCII case folded; `None` if no
/// such finite list is known. Not yet filtered by length or number: a short part here may
/// join its neighbours in a sequence.
///
/// Of a sequence's parts, one whose words are `useless` (each keyword holds one) is passed
/// over for another if there is one.
fn words(hir: &Hir, useless: &dyn Fn(&[Vec<u8>]) -> bool) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Literal(lit) => Some(vec![lit.0.to_ascii_lowercase()]),
        HirKind::Class(class) => exact_byte(class).map(|b| vec![vec![b]]),
        HirKind::Capture(cap) => words(&cap.sub, useless),
        HirKind::Repetition(rep) if rep.min >= 1 => words(&rep.sub, useless),
        HirKind::Concat(parts) => {
            // Runs of literal parts joined into one word; each other part offers its own.
            let mut options: Vec<Vec<Vec<u8>>> = Vec::new();
            let mut joined: Vec<u8> = Vec::new();
            for part in parts {
                match literal_of(part) {
                    Some(bytes) => joined.extend(bytes),
                    None => {
                        if !joined.is_empty() {
                            options.push(vec![std::mem::take(&mut joined)]);
                        }
                        options.extend(words(part, useless));
                    }
                }
            }
            if !joined.is_empty() {
                options.push(vec![joined]);
            }
            // The best: a useful one, with the longest shortest word, then the fewest words.
            options.into_iter().max_by_key(|list| {
                let shortest = list.iter().map(Vec::len).min().unwrap_or(0);
                (
                    !useless(list),
                    shortest.min(8),
                    std::cmp::Reverse(list.len()),
                )
            })
        }
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            for branch in branches {
                all.extend(words(branch, useless)?);
                if all.len() > MAX_WORDS {
                    return None;
                }
            }
            Some(all)
        }
        HirKind::Empty | HirKind::Look(_) | HirKind::Repetition(_) => None,
    }
}

/// The lowercase bytes `hir` matches exactly (ASCII case folded), if it is a literal or a
/// one-letter case class (`[Pp]`, as `(?i)` writes letters).
fn literal_of(hir: &Hir) -> Option<Vec<u8>> {
    match hir.kind() {
        HirKind::Literal(lit) => Some(lit.0.to_ascii_lowercase()),
        HirKind::Class(class) => exact_byte(class).map(|b| vec![b]),
        _ => None,
    }
}

/// The one byte (lowercase) a class matches, either case of a letter counting as one.
fn exact_byte(class: &Class) -> Option<u8> {
    let set = class_set(class)?;
    let mut bytes = set.iter();
    let first = bytes.next()?;
    match (bytes.next(), bytes.next()) {
        (None, _) => Some(first.to_ascii_lowercase()),
        (Some(second), None) if first.eq_ignore_ascii_case(&second) => {
            Some(first.to_ascii_lowercase())
        }
        _ => None,
    }
}

/// The bytes a class matches, if it matches single bytes only (a Unicode class counts when
/// all of it is ASCII).
fn class_set(class: &Class) -> Option<ByteSet> {
    let ranges: Vec<(u32, u32)> = match class {
        Class::Bytes(c) => c
            .ranges()
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect(),
        Class::Unicode(c) => c
            .ranges()
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect(),
    };
    if matches!(class, Class::Unicode(_)) && ranges.iter().any(|&(_, e)| e > 0x7f) {
        return None;
    }
    let mut set = ByteSet::default();
    for (s, e) in ranges {
        for c in s..=e {
            set.insert(u8::try_from(c).ok()?);
        }
    }
    Some(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pattern: &str) -> Hir {
        regex_syntax::ParserBuilder::new()
            .utf8(false)
            .unicode(false)
            .build()
            .parse(pattern)
            .unwrap()
    }

    /// The rarest set of bytes kept (empty: none).
    fn bytes(pattern: &str) -> Vec<u8> {
        Required::of(&parse(pattern), &[])
            .map_or(Vec::new(), |r| r.sets.first().cloned().unwrap_or_default())
    }

    /// The length of the run kept (0: none).
    fn run_len(pattern: &str) -> usize {
        Required::of(&parse(pattern), &[]).map_or(0, |r| r.run.map_or(0, |run| run.1))
    }

    #[test]
    fn picks_the_rarest_part_of_a_sequence() {
        assert_eq!(bytes(r"https?://[^\s:@]+:[^\s@]+@host"), b"@");
        assert_eq!(bytes(r#"(?i)token\s*=?\s*["']([a-z0-9]{32})["']"#), b"\"'");
        assert_eq!(bytes(r"([A-Za-z0-9+/]{86}==)"), b"=");
    }

    #[test]
    fn alternations_union_their_branches() {
        assert_eq!(bytes(r"x(?:=|:|=>|,)y"), b",:=");
        // A branch with several bytes contributes the one the others already need.
        assert_eq!(bytes(r"x(?:=|:|=>|:=|,)y"), b",:=");
        // Too many bytes in the union: the rarest other part is used instead.
        assert_eq!(bytes(r"(?:=|:|<|,)@"), b"@");
        assert_eq!(bytes(r"(?:=|:|<|,)"), b"");
    }

    #[test]
    fn optional_and_wide_parts_require_nothing() {
        assert!(Required::of(&parse(r"@?[a-z]+"), &[]).is_none());
        assert!(Required::of(&parse(r"(?s).*"), &[]).is_none());
        assert!(Required::of(&parse(r"\b\w+\b"), &[]).is_none());
        assert!(Required::of(&parse(r"(?:x|)"), &[]).is_none());
    }

    #[test]
    fn several_rare_sets_are_all_checked() {
        let r = Required::of(
            &parse(r#"(?i)token["']?\s*[:=]\s*["']([^"']{8,})["']"#),
            &[],
        )
        .unwrap();
        assert_eq!(r.sets, [b"\"'".to_vec(), b":=".to_vec()]);
        assert!(!r.may_match(br#"["token", "secret"]"#));
        assert!(r.may_match(br#"token: "abcdefgh""#));
    }

    #[test]
    fn case_insensitive_letters_need_either_case() {
        assert_eq!(candidates(&parse(r"(?i)k")), [b"Kk".to_vec()]);
        // ... which is in most lines: not worth checking.
        assert!(Required::of(&parse(r"(?i)k"), &[]).is_none());
    }

    #[test]
    fn long_runs_of_narrow_classes_are_required() {
        assert_eq!(run_len(r"(?i)github.{0,20}secret\W*([a-f0-9]{40})\b"), 40);
        // The shorter branch bounds an alternation.
        assert_eq!(run_len(r"(sgp_[A-Za-z0-9]{64}|[A-Za-z0-9]{32})"), 32);
        // Identifier-like runs of a dozen characters are everywhere: not worth a check.
        assert_eq!(run_len(r#"=\s*"([^"\s]{12,})""#), 0);
    }

    #[test]
    fn may_match_checks_bytes_and_run() {
        let r = Required::of(&parse(r#"key\s*=\s*"([a-f0-9]{40})""#), &[]).unwrap();
        assert_eq!(r.run.as_ref().map(|run| run.1), Some(40));
        let hex = "0123456789abcdef0123456789abcdef01234567";
        assert!(r.may_match(format!("key = \"{hex}\"").as_bytes()));
        assert!(!r.may_match(b"key = \"short\""));
        assert!(!r.may_match(format!("no quote {hex}").as_bytes()));
        assert!(!r.may_match(b""));
    }

    #[test]
    fn words_a_match_must_hold() {
        let keywords = ["println!".to_string(), "eprintln!".to_string()];
        // The print names are what the keywords already hold: the credential words are kept,
        // letters joined into words, either case, one word for each branch.
        let re = r"(?:println|eprintln)!\(.*(?i:pass(?:word|wd)|api_?key|secret)";
        let r = Required::of(&parse(re), &keywords).unwrap();
        // (`pass(?:word|wd)` parses as `passw(?:ord|d)`.)
        assert_eq!(
            r.words(),
            [b"key".to_vec(), b"passw".to_vec(), b"secret".to_vec()]
        );
        assert!(r.may_match(br#"println!("{}", db_PASSWORD)"#));
        assert!(!r.may_match(br#"println!("{} items", count)"#));
        // Words every keyword holds reject nothing: none kept.
        let r = Required::of(&parse(r"token\s*=\s*(\w{8,})"), &["token".into()]);
        assert!(r.is_none_or(|r| r.words().is_empty()));
        // Too short, or a branch without a word: none.
        assert!(Required::of(&parse(r"(?:ab|cd)=(\w+)"), &[]).is_none_or(|r| r.words().is_empty()));
        assert!(
            Required::of(&parse(r"(?:abc|\d+)=(\w+)"), &[]).is_none_or(|r| r.words().is_empty())
        );
    }

    #[test]
    fn surprise_uses_the_total_weight_of_all_bytes() {
        let mut all = ByteSet::default();
        (0..=255u8).for_each(|b| all.insert(b));
        assert_eq!(all.iter().count(), 256);
        assert!(surprise(&all, 100).abs() < 1e-9);
    }

    #[test]
    fn run_scan_finds_runs_anywhere() {
        let mut hex = ByteSet::default();
        b"0123456789abcdef".iter().for_each(|&b| hex.insert(b));
        assert!(has_run(b"abcd", &hex, 4));
        assert!(has_run(b"xx abcd", &hex, 4));
        assert!(has_run(b"abcd xx", &hex, 4));
        assert!(has_run(b"ab-xabcdx", &hex, 4));
        assert!(!has_run(b"abc-abc-abc", &hex, 4));
        assert!(!has_run(b"abc", &hex, 4));
        assert!(has_run(b"", &hex, 0));
        // Every placement of a run of 5 in a line of non-members.
        for at in 0..20 {
            let mut line = vec![b'z'; 24];
            line[at..at + 5].copy_from_slice(b"12345");
            assert!(has_run(&line, &hex, 5), "run at {at}");
            assert!(!has_run(&line, &hex, 6), "run at {at}");
        }
    }
}
