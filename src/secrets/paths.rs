//! Which of many path patterns a file's path matches, cheaply enough to ask for every file.
//!
//! Credential-file formats and path-only rules (a `.pgpass`, a Responder capture log) each
//! carry a path regex, and every path of a scan is asked about all of them. Running them one by
//! one, or even as one `RegexSet`, cost a large share of a scan's CPU for almost no matches:
//! each pattern is read for literals a matching path must show (a suffix, a file name, a
//! word), and its regex runs only on the paths that show them, or not at all where they
//! decide the match. The `paths` fuzz target checks the answers against the regexes.

use super::lazy_regex::LazyRegex;
use aho_corasick::AhoCorasick;
use regex_syntax::hir::{Hir, HirKind};
use std::sync::{Arc, OnceLock};

/// Path patterns (the formats', the path-only rules'), with literal prefilters: every file's
/// path is checked, and running two hundred patterns over each path (as one set, or in small
/// sets) cost an eighth of a scan's CPU in lazy-DFA construction and reverse searches.
///
/// * Almost every pattern ends in `$` after a literal (`\.npmrc$`, `sitemanager\.xml$`,
///   `\.json$`): the path must end with one of the pattern's literal suffixes (read off the
///   parsed pattern, one per branch of a final alternation or optional part: `\.ya?ml$` has
///   `.yaml` and `.yml`), so a path is matched only against the few patterns whose suffix it
///   ends with, found by its last byte.
/// * Where the suffix decides the match, no regex runs: the suffix is the whole branch
///   (`\.rs$`), or a file name after `(?:^|/)` (`(?:^|/)Cargo\.toml$`). Otherwise the path
///   must also hold a literal every match holds (`flyway` for `(?:^|/)flyway[\w.-]*\.conf$`)
///   before the regex is asked. On the bench corpus's 65,000 paths the regexes ran 132,000
///   times before these filters (and a set of 21 of them on every path) and 1,400 times
///   after, for the same 62,000 matches: the logging rules' `\.rs$` and `\.go$` had matched
///   on every source file, and the regex engine's fixed cost per search (and its lazy DFA's
///   warm-up per pattern and thread) was most of this module's share of a scan, 6 % of its
///   CPU.
/// * Patterns without a suffix (`(?:^|/)Sessions/[^/]+$`, `[^/]*kubeconfig[^/]*$`) hold a
///   literal every match contains (`sessions/`; `kubeconfig`, `kube-config` or
///   `kube_config`): one Aho-Corasick pass over the path says which of them may match, and
///   only those run. A pattern whose branches end differently is split into its branches,
///   each filtered by its suffix or its literal.
/// * Patterns with neither run on every path, as one set.
///
/// The literals are compared ignoring ASCII case, where the pattern does (`(?i)`, `[Nn]`).
/// A regex's case-insensitive `k` and `s` also match two non-ASCII letters (the Kelvin sign
/// and the long s, [`FOLDS_TO_ASCII`]): a path holding one of them is asked of every pattern,
/// one by one (rare, and exact). Any other path, non-ASCII names included, goes through the
/// filters.
#[derive(Debug, Clone)]
pub(crate) struct PathSets {
    regexes: Vec<LazyRegex>,
    /// For each lowercase last byte: the suffixes ending in it.
    by_tail: Vec<Vec<Tail>>,
    /// Literals one of which each of `inner_of`'s patterns' matches contains (ASCII case
    /// ignored); `None` if there are none.
    inner: Option<AhoCorasick>,
    /// Literal `k` of `inner` belongs to pattern `inner_of[k]`.
    inner_of: Vec<usize>,
    /// Patterns with neither a suffix nor an inner literal: run on every path, as one set
    /// (built on first use).
    always: Vec<usize>,
    always_set: Arc<OnceLock<Option<regex::RegexSet>>>,
}

/// The characters outside ASCII that Unicode's simple case folding, which a case-insensitive
/// regex uses, puts with an ASCII letter: the Kelvin sign (`k`) and the long s (`s`). The
/// filters compare ASCII case only, so a path holding one is asked of the regexes directly
/// (a test checks this list against regex-syntax's folding of every letter).
const FOLDS_TO_ASCII: [char; 2] = ['\u{212A}', '\u{17F}'];

/// A literal suffix of pattern `pattern`.
#[derive(Debug, Clone)]
struct Tail {
    /// Lowercase: a path must end with it, ignoring ASCII case.
    lower: Vec<u8>,
    /// When the suffix decides the match (see [`Ends`]): its bytes, each with whether its
    /// ASCII case is ignored, and how.
    decides: Option<(Literal, Ends)>,
    /// Otherwise, literals one of which the path must hold before the regex is asked
    /// (`flyway` for `(?:^|/)flyway[\w.-]*\.conf$`); empty if none is known.
    holds: Vec<Vec<u8>>,
    pattern: usize,
}

/// What comes before a literal suffix in its branch of the pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ends {
    /// Something the suffix does not decide: the regex is asked.
    Partly,
    /// Nothing (`\.rs$`): a path ending with the suffix matches.
    Whole,
    /// The start of the path or a `/` (`(?:^|/)Cargo\.toml$`): a path that is the suffix, or
    /// ends with `/` and the suffix, matches.
    Name,
}

/// Literal bytes, each with whether its ASCII case is ignored (`[Nn]`, `(?i)n`).
type Literal = Vec<(u8, bool)>;

impl Ends {
    /// Whether `path`, which ends with `lit` (ignoring ASCII case), matches by it alone.
    fn decide(self, path: &[u8], lit: &[(u8, bool)]) -> bool {
        let before = path.len().wrapping_sub(lit.len()).wrapping_sub(1);
        ends_with(path, lit)
            && match self {
                Ends::Partly => false,
                Ends::Whole => true,
                Ends::Name => path.len() == lit.len() || path.get(before) == Some(&b'/'),
            }
    }
}

/// Whether `path` holds one of `lits` (lowercase), ignoring ASCII case.
fn holds_any(path: &[u8], lits: &[Vec<u8>]) -> bool {
    lits.iter()
        .any(|l| !l.is_empty() && path.windows(l.len()).any(|w| w.eq_ignore_ascii_case(l)))
}

fn lowercase(lit: &[(u8, bool)]) -> Vec<u8> {
    lit.iter().map(|&(b, _)| b.to_ascii_lowercase()).collect()
}

/// Whether `path` ends with `lit`, each byte compared as `lit` says.
fn ends_with(path: &[u8], lit: &[(u8, bool)]) -> bool {
    lit.len() <= path.len()
        && path[path.len() - lit.len()..]
            .iter()
            .zip(lit)
            .all(|(&p, &(b, fold))| p == b || (fold && p.eq_ignore_ascii_case(&b)))
}

impl PathSets {
    /// The patterns, as built-in (case-sensitive) regexes compiled on first use.
    pub(crate) fn new(patterns: &[&str]) -> PathSets {
        PathSets::from_regexes(
            patterns
                .iter()
                .map(|p| LazyRegex::builtin(p, false))
                .collect(),
        )
    }

    /// The regexes (shared with their owners: each is compiled once, by whoever runs it
    /// first). Pattern `i` is `regexes[i]`.
    pub(crate) fn from_regexes(regexes: Vec<LazyRegex>) -> PathSets {
        let mut by_tail: Vec<Vec<Tail>> = vec![Vec::new(); 256];
        let (mut literals, mut inner_of, mut always) = (Vec::new(), Vec::new(), Vec::new());
        for (i, regex) in regexes.iter().enumerate() {
            let hir = regex_syntax::ParserBuilder::new()
                .utf8(false)
                .case_insensitive(regex.is_case_insensitive())
                .build()
                .parse(regex.as_str())
                .ok();
            let hir = hir.as_ref();
            // Literals every match holds: a second filter for suffixes that do not decide.
            let holds = hir.and_then(inner_literals).unwrap_or_default();
            match hir.and_then(|h| filters(h, BRANCH_DEPTH)) {
                Some(list) => {
                    for filter in list {
                        match filter {
                            Filter::Suffix(lit, ends) => {
                                let lower = lowercase(&lit);
                                let decides = (ends != Ends::Partly).then_some((lit, ends));
                                by_tail[usize::from(lower[lower.len() - 1])].push(Tail {
                                    holds: match decides {
                                        Some(_) => Vec::new(),
                                        None => holds.clone(),
                                    },
                                    lower,
                                    decides,
                                    pattern: i,
                                });
                            }
                            Filter::Inner(lit) => {
                                literals.push(lit);
                                inner_of.push(i);
                            }
                        }
                    }
                }
                None => always.push(i),
            }
        }
        let inner = match literals.is_empty() {
            true => None,
            // Only fails past the crate's size limits, far beyond a few hundred literals;
            // the patterns then run on every path.
            false => AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&literals)
                .ok(),
        };
        if inner.is_none() {
            always.append(&mut inner_of);
            always.sort_unstable();
            always.dedup();
        }
        PathSets {
            regexes,
            by_tail,
            inner,
            inner_of,
            always,
            always_set: Arc::new(OnceLock::new()),
        }
    }

    /// Pattern `i`'s regex.
    pub(crate) fn regex(&self, i: usize) -> &LazyRegex {
        &self.regexes[i]
    }

    /// Indexes of the patterns that match `path`, in order.
    pub(crate) fn matches(&self, path: &str) -> Vec<usize> {
        if !path.is_ascii() && path.contains(FOLDS_TO_ASCII) {
            return (0..self.regexes.len())
                .filter(|&i| self.regexes[i].is_match(path))
                .collect();
        }
        let mut out = Vec::new();
        if !self.always.is_empty() {
            let set = self.always_set.get_or_init(|| {
                let patterns = self.always.iter().map(|&i| {
                    let r = &self.regexes[i];
                    match r.is_case_insensitive() {
                        true => format!("(?i:{})", r.as_str()),
                        false => r.as_str().to_string(),
                    }
                });
                regex::RegexSet::new(patterns).ok()
            });
            match set {
                Some(set) => out.extend(set.matches(path).iter().map(|k| self.always[k])),
                None => out.extend(
                    self.always
                        .iter()
                        .copied()
                        .filter(|&i| self.regexes[i].is_match(path)),
                ),
            }
        }
        // Patterns whose regex already said no (a pattern may have several filters).
        let mut refused: Vec<usize> = Vec::new();
        let mut ask = |i: usize, out: &mut Vec<usize>| {
            if out.contains(&i) || refused.contains(&i) {
                return;
            }
            match self.regexes[i].is_match(path) {
                true => out.push(i),
                false => refused.push(i),
            }
        };
        if let Some(inner) = &self.inner {
            for m in inner.find_overlapping_iter(path) {
                ask(self.inner_of[m.pattern().as_usize()], &mut out);
            }
        }
        let b = path.as_bytes();
        if let Some(&last) = b.last() {
            let n = b.len();
            for tail in &self.by_tail[usize::from(last.to_ascii_lowercase())] {
                if tail.lower.len() > n
                    || !b[n - tail.lower.len()..].eq_ignore_ascii_case(&tail.lower)
                {
                    continue;
                }
                let decided = tail
                    .decides
                    .as_ref()
                    .is_some_and(|(lit, ends)| ends.decide(b, lit));
                if decided && !out.contains(&tail.pattern) {
                    out.push(tail.pattern);
                } else if !decided && (tail.holds.is_empty() || holds_any(b, &tail.holds)) {
                    ask(tail.pattern, &mut out);
                }
            }
        }
        out.sort_unstable();
        out
    }

    pub(crate) fn is_match(&self, path: &str) -> bool {
        !self.matches(path).is_empty()
    }

    /// The patterns run on every path (neither a literal suffix nor an inner literal to
    /// filter them by).
    #[cfg(test)]
    pub(crate) fn unfiltered(&self) -> &[usize] {
        &self.always
    }

    pub(crate) fn matched(&self, path: &str, i: usize) -> bool {
        self.matches(path).contains(&i)
    }
}

/// What a path must show for a pattern (or one of its branches) to match it.
enum Filter {
    /// A literal suffix, and what comes before it (see [`suffixes`]).
    Suffix(Literal, Ends),
    /// A lowercase literal it holds (see [`needs`]).
    Inner(Vec<u8>),
}

/// How deep [`branches`] splits a pattern.
const BRANCH_DEPTH: usize = 4;

/// Inner literals shorter than this pass too many paths to be worth filtering by (`rc` is in
/// every `src/`).
const MIN_INNER: usize = 3;

/// Filters one of which every path `hir` matches passes, or `None` (the pattern then runs on
/// every path): its suffixes; else, split into its branches, each branch's; else literals
/// every match holds.
fn filters(hir: &Hir, depth: usize) -> Option<Vec<Filter>> {
    if let Some(list) = suffixes(hir) {
        return Some(
            list.into_iter()
                .map(|(lit, ends)| Filter::Suffix(lit, ends))
                .collect(),
        );
    }
    let parts = branches(hir);
    if parts.len() > 1 && depth > 0 {
        let mut out = Vec::new();
        for part in &parts {
            out.extend(filters(part, depth - 1)?);
        }
        return Some(out);
    }
    Some(
        inner_literals(hir)?
            .into_iter()
            .map(Filter::Inner)
            .collect(),
    )
}

/// [`needs`], if each literal is long enough to filter by ([`MIN_INNER`]).
fn inner_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    needs(hir).filter(|l| l.iter().all(|s| s.len() >= MIN_INNER))
}

/// `hir` as alternatives when it is one: an alternation's branches, and `x(?:a|b)$` as `xa$`
/// and `xb$` (a pattern whose branches end differently, `(?:\.sh|Dockerfile[\w.-]*)$`, has no
/// suffix as a whole, but most of its branches have one); else `hir` alone.
fn branches(hir: &Hir) -> Vec<Hir> {
    use regex_syntax::hir::Look;
    match hir.kind() {
        HirKind::Alternation(alts) => alts.clone(),
        HirKind::Capture(c) => branches(&c.sub),
        HirKind::Concat(subs) => {
            let (end, body) = match subs.split_last() {
                Some((last, rest)) if matches!(last.kind(), HirKind::Look(Look::End)) => {
                    (Some(last), rest)
                }
                _ => (None, subs.as_slice()),
            };
            let Some((last, rest)) = body.split_last() else {
                return vec![hir.clone()];
            };
            let alts = match last.kind() {
                HirKind::Alternation(alts) => alts,
                HirKind::Capture(c) => match c.sub.kind() {
                    HirKind::Alternation(alts) => alts,
                    _ => return vec![hir.clone()],
                },
                _ => return vec![hir.clone()],
            };
            alts.iter()
                .map(|alt| {
                    let mut whole = rest.to_vec();
                    whole.push(alt.clone());
                    whole.extend(end.cloned());
                    Hir::concat(whole)
                })
                .collect()
        }
        _ => vec![hir.clone()],
    }
}

/// The literal suffixes (not empty) one of which every path the pattern matches ends with,
/// each with what comes before it in its branch ([`Ends`]), or `None` when the pattern is not anchored at the end or no such finite set is read
/// off it. Read from the parsed pattern's end: literals, and case-insensitive letters (`[Nn]`),
/// back to the first construct that is neither; alternations and optional groups at the end
/// give one suffix per branch.
fn suffixes(hir: &Hir) -> Option<Vec<(Literal, Ends)>> {
    let mut out = tail(hir)?;
    out.sort();
    out.dedup();
    // A path ending in `.npmrc` ends in `npmrc`: the filter keeps only the shortest of nested
    // suffixes. A whole-branch suffix is kept even so: it decides a match without the regex.
    let all: Vec<Vec<u8>> = out.iter().map(|(l, _)| lowercase(l)).collect();
    let mut k = 0;
    out.retain(|(_, ends)| {
        let s = &all[k];
        k += 1;
        *ends != Ends::Partly || !all.iter().any(|t| t.len() < s.len() && s.ends_with(t))
    });
    Some(out)
}

/// Suffixes every match of `hir` ends with (each at least one byte), if anchored at the end.
fn tail(hir: &Hir) -> Option<Vec<(Literal, Ends)>> {
    use regex_syntax::hir::Look;
    match hir.kind() {
        HirKind::Alternation(alts) => {
            let mut out = Vec::new();
            for alt in alts {
                out.extend(tail(alt)?);
            }
            Some(out)
        }
        HirKind::Capture(c) => tail(&c.sub),
        HirKind::Concat(subs) => {
            let (last, rest) = subs.split_last()?;
            if !matches!(last.kind(), HirKind::Look(Look::End)) {
                // `(?:a$|b$)` as the last element: anchored inside, after what comes
                // before it (so no suffix is its whole branch).
                if rest.is_empty() {
                    return None;
                }
                let mut out = tail(last)?;
                for (_, ends) in &mut out {
                    *ends = Ends::Partly;
                }
                return Some(out);
            }
            concat_tail(rest)
        }
        _ => None,
    }
}

/// The suffixes of a concatenation (whose `$` has been taken off), each with what comes
/// before it ([`Ends`]).
fn concat_tail(subs: &[Hir]) -> Option<Vec<(Literal, Ends)>> {
    let mut acc: Literal = Vec::new();
    for (k, sub) in subs.iter().enumerate().rev() {
        if let Some(b) = literal(sub) {
            let mut next = b;
            next.extend_from_slice(&acc);
            acc = next;
            continue;
        }
        if !acc.is_empty() {
            if k == 0 && is_start_or_slash(sub) {
                return Some(vec![(acc, Ends::Name)]);
            }
            // `ya?ml$`, `(?:sql|csv)\.gz$`: one suffix per choice, while they stay few.
            if let Some(out) = choice_tails(&subs[..k], sub, &acc) {
                return Some(out);
            }
            return Some(vec![(acc, Ends::Partly)]);
        }
        return match sub.kind() {
            HirKind::Alternation(alts) => {
                let mut out = Vec::new();
                for alt in alts {
                    let mut whole: Vec<_> = subs[..k].to_vec();
                    whole.push(alt.clone());
                    out.extend(concat_tail(&whole)?);
                }
                Some(out)
            }
            HirKind::Capture(c) => {
                let mut whole: Vec<_> = subs[..k].to_vec();
                whole.push((*c.sub).clone());
                concat_tail(&whole)
            }
            HirKind::Concat(inner) => {
                let mut whole: Vec<_> = subs[..k].to_vec();
                whole.extend(inner.iter().cloned());
                concat_tail(&whole)
            }
            // An optional group at the end: with it, or without it.
            HirKind::Repetition(r) if r.min == 0 && r.max == Some(1) => {
                let mut with: Vec<_> = subs[..k].to_vec();
                with.push((*r.sub).clone());
                let mut out = concat_tail(&with)?;
                out.extend(concat_tail(&subs[..k])?);
                Some(out)
            }
            _ => None,
        };
    }
    // Every element was a literal: the suffix is the whole branch.
    (!acc.is_empty()).then_some(vec![(acc, Ends::Whole)])
}

/// `(?:^|/)`: the start of the path or a directory separator.
fn is_start_or_slash(hir: &Hir) -> bool {
    use regex_syntax::hir::Look;
    let HirKind::Alternation(alts) = hir.kind() else {
        return false;
    };
    let (mut start, mut slash) = (false, false);
    for alt in alts {
        match alt.kind() {
            HirKind::Look(Look::Start) => start = true,
            HirKind::Literal(l) if l.0.as_ref() == b"/" => slash = true,
            _ => return false,
        }
    }
    start && slash
}

/// Most suffixes a choice before a suffix is expanded into.
const MAX_CHOICES: usize = 32;

/// The suffixes of `before`, then `choice` (an optional part or an alternation), then `acc`:
/// one per choice, or `None` if `choice` is neither or they would be too many.
fn choice_tails(before: &[Hir], choice: &Hir, acc: &Literal) -> Option<Vec<(Literal, Ends)>> {
    let options: Vec<Option<&Hir>> = match choice.kind() {
        HirKind::Repetition(r) if r.min == 0 && r.max == Some(1) => vec![Some(&*r.sub), None],
        HirKind::Alternation(alts) if alts.len() <= MAX_CHOICES => alts.iter().map(Some).collect(),
        _ => return None,
    };
    let mut out = Vec::new();
    for option in options {
        let mut whole = before.to_vec();
        whole.extend(option.cloned());
        let list = match whole.as_slice() {
            // Nothing before: the suffix is all of it.
            [] => vec![(Vec::new(), Ends::Whole)],
            [only] if is_start_or_slash(only) => vec![(Vec::new(), Ends::Name)],
            _ => concat_tail(&whole)?,
        };
        for (mut lit, ends) in list {
            lit.extend_from_slice(acc);
            out.push((lit, ends));
        }
        if out.len() > MAX_CHOICES {
            return None;
        }
    }
    Some(out)
}

/// Every string `hir` matches (lowercase), when they are few: literals, small classes
/// (`[-_]`), optional parts and alternations of those, and their concatenations.
fn exact(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    if let Some(lit) = literal(hir) {
        return Some(vec![lowercase(&lit)]);
    }
    let out = match hir.kind() {
        HirKind::Empty => vec![Vec::new()],
        HirKind::Capture(c) => exact(&c.sub)?,
        HirKind::Repetition(r) if r.min == 0 && r.max == Some(1) => {
            let mut out = exact(&r.sub)?;
            out.push(Vec::new());
            out
        }
        HirKind::Alternation(alts) => {
            let mut out = Vec::new();
            for alt in alts {
                out.extend(exact(alt)?);
            }
            out
        }
        HirKind::Concat(subs) => {
            let mut out = vec![Vec::new()];
            for sub in subs {
                out = cross(&out, &exact(sub)?)?;
            }
            out
        }
        HirKind::Class(c) => {
            let chars = class_chars(c, 5);
            (chars.len() <= 4 && chars.iter().all(char::is_ascii)).then_some(())?;
            chars
                .iter()
                .map(|&ch| vec![ch.to_ascii_lowercase() as u8])
                .collect()
        }
        _ => return None,
    };
    let mut out = out;
    out.sort();
    out.dedup();
    (out.len() <= MAX_CHOICES).then_some(out)
}

/// Each of `a` followed by each of `b`, unless they are too many.
fn cross(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len() * b.len() > MAX_CHOICES {
        return None;
    }
    Some(
        a.iter()
            .flat_map(|x| b.iter().map(move |y| [x.as_slice(), y].concat()))
            .collect(),
    )
}

/// Lowercase literals one of which every match of `hir` contains (ASCII case aside), the
/// longest found; `None` when none is read off it. A literal run of a concatenation, or the
/// best of its parts; each branch's for an alternation.
fn needs(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    // The set whose shortest literal is longest, then the smaller set.
    fn better(a: Option<Vec<Vec<u8>>>, b: Option<Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
        let key = |s: &Vec<Vec<u8>>| {
            let shortest = s.iter().map(Vec::len).min().unwrap_or(0);
            (shortest, std::cmp::Reverse(s.len()))
        };
        // A set holding the empty string says nothing.
        let some = |s: Option<Vec<Vec<u8>>>| s.filter(|s| s.iter().all(|l| !l.is_empty()));
        match (some(a), some(b)) {
            (Some(a), Some(b)) => Some(if key(&b) > key(&a) { b } else { a }),
            (a, b) => a.or(b),
        }
    }
    if let Some(lit) = literal(hir) {
        return Some(vec![lowercase(&lit)]);
    }
    match hir.kind() {
        HirKind::Capture(c) => needs(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => needs(&r.sub),
        HirKind::Alternation(alts) => {
            let mut out = Vec::new();
            for alt in alts {
                out.extend(needs(alt)?);
            }
            out.sort();
            out.dedup();
            Some(out)
        }
        HirKind::Concat(subs) => {
            // `run`: every string the parts since the last inexact one match together
            // (`kube[-_]?config`: three).
            let (mut best, mut run) = (None, vec![Vec::new()]);
            for sub in subs {
                let strings = exact(sub);
                if let Some(next) = strings.as_ref().and_then(|e| cross(&run, e)) {
                    run = next;
                    continue;
                }
                best = better(best, Some(std::mem::replace(&mut run, vec![Vec::new()])));
                match strings {
                    Some(e) => run = e,
                    None => best = better(best, needs(sub)),
                }
            }
            best = better(best, Some(run));
            // `x?abc` holds `abc` whenever it holds `xabc`.
            best.map(|mut set: Vec<Vec<u8>>| {
                let all = set.clone();
                set.retain(|s| {
                    !all.iter()
                        .any(|t| t.len() < s.len() && s.windows(t.len()).any(|w| w == t.as_slice()))
                });
                set
            })
        }
        _ => None,
    }
}

/// The bytes a literal or a one-letter case class (`[Nn]`: ASCII case ignored) matches.
fn literal(hir: &Hir) -> Option<Literal> {
    match hir.kind() {
        HirKind::Literal(l) => Some(l.0.iter().map(|&b| (b, false)).collect()),
        HirKind::Class(c) => case_pair(&class_chars(c, 4)),
        _ => None,
    }
}

/// The first `n` characters `class` matches (a byte class's bytes as Latin-1 characters).
fn class_chars(class: &regex_syntax::hir::Class, n: usize) -> Vec<char> {
    use regex_syntax::hir::Class;
    match class {
        Class::Unicode(c) => c.iter().flat_map(|r| r.start()..=r.end()).take(n).collect(),
        Class::Bytes(c) => c
            .iter()
            .flat_map(|r| r.start()..=r.end())
            .take(n)
            .map(char::from)
            .collect(),
    }
}

/// `[Nn]` (and the `[Kk\u{212A}]` forms Unicode case folding adds: a path holding one of
/// [`FOLDS_TO_ASCII`] is asked of every regex by `matches`) as `n`, case ignored.
fn case_pair(chars: &[char]) -> Option<Literal> {
    let ascii: Vec<char> = chars.iter().copied().filter(char::is_ascii).collect();
    match ascii.as_slice() {
        [a, b] if a.eq_ignore_ascii_case(b) && a != b => {
            Some(vec![(a.to_ascii_lowercase() as u8, true)])
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pattern: &str) -> Hir {
        regex_syntax::ParserBuilder::new()
            .utf8(false)
            .build()
            .parse(pattern)
            .unwrap()
    }

    /// The lowercase suffixes of `pattern`, each with what comes before it.
    fn suffixes_of(pattern: &str) -> Option<Vec<(String, Ends)>> {
        suffixes(&parse(pattern)).map(|list| {
            list.iter()
                .map(|(lit, ends)| (String::from_utf8(lowercase(lit)).unwrap(), *ends))
                .collect()
        })
    }

    fn needs_of(pattern: &str) -> Option<Vec<String>> {
        needs(&parse(pattern)).map(|list| {
            list.into_iter()
                .map(|l| String::from_utf8(l).unwrap())
                .collect()
        })
    }

    #[test]
    fn path_suffixes_filter_the_patterns() {
        use Ends::{Name, Partly, Whole};
        let s = |v: &[(&str, Ends)]| Some(v.iter().map(|&(a, b)| (a.to_string(), b)).collect());
        // A file name: the whole path, or what follows its last `/`.
        assert_eq!(
            suffixes_of(r"(?i)(?:^|/)\.?npmrc$"),
            s(&[(".npmrc", Name), ("npmrc", Name)])
        );
        assert_eq!(
            suffixes_of(r"(?:^|/)Cargo\.toml$"),
            s(&[("cargo.toml", Name)])
        );
        // An optional part: a suffix with it and one without.
        assert_eq!(
            suffixes_of(r"(?i)\.ya?ml$"),
            s(&[(".yaml", Whole), (".yml", Whole)])
        );
        assert_eq!(
            suffixes_of(r"(?:^|/)config/db\.ya?ml$"),
            s(&[("config/db.yaml", Name), ("config/db.yml", Name)])
        );
        assert_eq!(
            suffixes_of(r"(?i)(?:^|/)(?:a\.conf|b\.ini)(?:\.bak)?$"),
            s(&[
                ("a.conf", Name),
                ("a.conf.bak", Name),
                ("b.ini", Name),
                ("b.ini.bak", Name)
            ])
        );
        assert_eq!(suffixes_of(r"(?:^|/)[\w.-]*\.env$"), s(&[(".env", Partly)]));
        assert_eq!(suffixes_of(r"(?:^|/)Sessions/[^/]+$"), None);
        assert_eq!(suffixes_of(r"(?:^|/)config"), None);
        // The common prefix of the branches is lifted out of the alternation: `x(?:a/b$|c$)`.
        assert_eq!(
            suffixes_of(r"(?:^|/)x/a/[^/]+\.conf$|(?:^|/)x\.conf$"),
            s(&[(".conf", Partly)])
        );
        // Whole branches: ending with the suffix is the match.
        assert_eq!(suffixes_of(r"\.rs$"), s(&[(".rs", Whole)]));
        assert_eq!(
            suffixes_of(r"(?i)\.(?:sql|ya?ml)$"),
            s(&[(".sql", Whole), (".yaml", Whole), (".yml", Whole)])
        );
        assert_eq!(
            suffixes_of(r"\.(?:[cm]?js|ts)$"),
            s(&[(".ts", Whole), ("js", Partly)])
        );
        let sets = PathSets::new(&[
            r"(?i)(?:^|/)\.?npmrc$",
            r"\.json$",
            r"(?:^|/)xy/[^/]+$",
            r"^[a-z]+/\d+$",
        ]);
        assert_eq!(sets.unfiltered(), [3]);
        assert_eq!(sets.matches("home/a/.NPMRC"), [0]);
        assert_eq!(sets.matches("npmrc"), [0]);
        assert!(sets.matches("home/a.npmrc").is_empty());
        assert!(sets.matches("home/xnpmrc").is_empty());
        assert_eq!(sets.matches("a/b.json"), [1]);
        // Case-sensitive, whole: `.JSON` is asked of the regex, which says no.
        assert!(sets.matches("a/b.JSON").is_empty());
        assert_eq!(sets.matches("xy/z"), [2]);
        assert!(sets.matches("x/z").is_empty());
        assert_eq!(sets.matches("ab/12"), [3]);
        assert!(sets.matches("src/main.rs").is_empty());
    }

    #[test]
    fn only_two_letters_fold_outside_ascii() {
        use regex_syntax::hir::Class;
        for letter in ('a'..='z').chain('A'..='Z') {
            let hir = regex_syntax::ParserBuilder::new()
                .case_insensitive(true)
                .build()
                .parse(&letter.to_string())
                .unwrap();
            let HirKind::Class(Class::Unicode(c)) = hir.kind() else {
                panic!("{letter}: {hir:?}");
            };
            for ch in c.iter().flat_map(|r| r.start()..=r.end()) {
                assert!(
                    ch.eq_ignore_ascii_case(&letter) || FOLDS_TO_ASCII.contains(&ch),
                    "{ch:?}"
                );
            }
        }
        // Non-ASCII paths without those go through the filters, and agree with the regexes.
        let sets = PathSets::new(&[r"(?i)(?:^|/)\.?npmrc$", r"(?i)\.kdbx$"]);
        assert_eq!(sets.matches("dossier/été/.npmrc"), [0]);
        assert_eq!(sets.matches("clés/a.KDBX"), [1]);
        assert_eq!(sets.matches("clés/a.\u{212A}DBX"), [1]);
        assert!(sets.matches("dossier/été.npmrc").is_empty());
    }

    #[test]
    fn inner_literals_every_match_holds() {
        let v = |l: &[&str]| Some(l.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(needs_of(r"(?i)(?:^|/)Sessions/[^/]+$"), v(&["sessions/"]));
        assert_eq!(
            needs_of(r"(?:^|/)(?:[^/]*kubeconfig[^/]*|kube[-_]?config[^/]*)$"),
            v(&["kube-config", "kube_config", "kubeconfig"])
        );
        assert_eq!(needs_of(r"(?:^|/)(?:a|[^/]+)$"), None);
        assert_eq!(needs_of(r"x?abc"), v(&["abc"]));
    }

    /// The filters decide as the regexes do, on the built-in patterns (the formats' and the
    /// path-only rules') and on paths made of their examples and look-alikes.
    #[test]
    fn filtered_matches_equal_the_regexes() {
        let formats = crate::secrets::formats::builtin_formats().unwrap();
        let rules = crate::secrets::builtin_rules().unwrap();
        let mut patterns: Vec<LazyRegex> = rules.iter().filter_map(|r| r.path.clone()).collect();
        patterns.extend(
            formats
                .formats()
                .iter()
                .map(|f| LazyRegex::builtin(&f.spec.path, false)),
        );
        let sets = PathSets::from_regexes(patterns.clone());
        let mut paths: Vec<String> = formats
            .formats()
            .iter()
            .flat_map(|f| f.spec.examples.iter().map(|e| e.path.clone()))
            .collect();
        paths.extend(rules.iter().filter_map(|r| r.spec.example_path.clone()));
        let mut variants = Vec::new();
        for p in &paths {
            variants.push(p.to_uppercase());
            variants.push(format!("a/b/{p}"));
            variants.push(format!("{p}x"));
            variants.push(format!("x{p}"));
            variants.push(format!("{p}.bak"));
            variants.push(p.replacen('/', "\u{212A}/", 1));
            variants.push(p.replace('k', "\u{212A}"));
            variants.push(p.replace('s', "\u{17F}"));
            variants.push(format!("été/{p}"));
            variants.push(format!("{p}é"));
            if let Some((dir, _)) = p.rsplit_once('/') {
                variants.push(format!("{dir}/other.txt"));
            }
        }
        paths.extend(variants);
        paths.extend(
            [
                "src/main.rs",
                "a.JSON",
                "x.Rs",
                "",
                "/",
                "config",
                ".env",
                ".ENV.local",
            ]
            .map(String::from),
        );
        let mut matched = 0;
        for p in &paths {
            let want: Vec<usize> = (0..patterns.len())
                .filter(|&i| patterns[i].is_match(p))
                .collect();
            let got = sets.matches(p);
            let names = |l: &[usize]| l.iter().map(|&i| patterns[i].as_str()).collect::<Vec<_>>();
            assert_eq!(
                got,
                want,
                "{p:?}: {:#?} against {:#?}",
                names(&got),
                names(&want)
            );
            matched += usize::from(!want.is_empty());
        }
        assert!(matched > 200, "{matched} of {} paths matched", paths.len());
    }
}
