//! The matching engine: one keyword pass picks the rules, then only their regexes run.
//!
//! Most files contain none of the keywords, so most bytes are touched once by the keyword
//! filter ([`KeywordSet`], a shift-or filter over byte pairs) and never by a regex. That is
//! what keeps a full-rule scan close to ripgrep.

use super::allow::{line_is_allowed, AllowContext, AllowEntry};
use super::context::demotes;
use super::decode::{decode_all, looks_for_base64, percent_decoded, Triggers, TRIGGERS};
use super::entropy::shannon;
use super::filter::SecretAllow;
use super::formats::FormatSet;
use super::keys::names_non_credential;
use super::keywords::{Hit, KeywordSet, KeywordSetError};
use super::paths::PathSets;
use super::rule::{Rule, Scope, WINDOW_LINES};
use crate::finding::{
    fingerprint, Confidence, Encoding, Finding, FindingKind, RuleInfo, SecretValue, Severity,
};
use crate::fingerprint::{secret_digest, secret_fingerprint, Deriver};
use std::sync::Arc;

/// Compiled rules plus the keyword filter that selects them.
pub struct Engine {
    rules: Vec<Rule>,
    keywords: KeywordSet,
    /// For each keyword pattern, the rules it enables.
    keyword_rules: Vec<Vec<usize>>,
    /// For each keyword pattern, the escape decoders' trigger it is, if any (an index into
    /// [`TRIGGERS`]): they ride on the gate's pass instead of making their own.
    trigger_of: Vec<Option<usize>>,
    /// Rules without keywords (path-only rules): they run on every file their path matches.
    unconditional: Vec<usize>,
    /// The path patterns of the rules that have one, asked once per file: a path-only rule
    /// is asked about every file, and its regex run on each path one at a time was 5 % of a
    /// working-tree scan's CPU (see `paths.rs`).
    rule_paths: PathSets,
    /// For each rule, the index of its path pattern in `rule_paths`.
    path_of: Vec<Option<usize>>,
    /// Allowlist from the configuration, applied to every rule's secrets.
    allow: SecretAllow,
    /// Conditional allowlist entries (gitleaks' `[[allowlists]]`) that need no commit.
    entries: Vec<AllowEntry>,
    /// Credential-file formats (see `formats/`): their matches are numbered after the rules.
    formats: FormatSet,
    /// The slow, salted key of each distinct secret found, derived once per engine (one engine
    /// serves one scan): see [`crate::fingerprint`].
    deriver: Deriver,
}

/// Buffers `Engine::find` reuses from file to file on each thread: most files have a few
/// keyword hits, and allocating these per file showed up in profiles (malloc and free were
/// ~3% of a scan).
#[derive(Default)]
struct Scratch {
    hits: Vec<Hit>,
    by_rule: Vec<(usize, usize)>,
    positions: Vec<usize>,
}

impl Scratch {
    /// After a file with very many hits, gives the memory back rather than keep it for the
    /// rest of the scan.
    fn trim(&mut self) {
        const KEEP: usize = 1 << 16;
        if self.hits.capacity() > KEEP || self.by_rule.capacity() > KEEP {
            *self = Scratch::default();
        }
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Which rules' path patterns one file's path matches, worked out on first need (most files
/// need it only for the path-only rules).
struct PathMatch<'a> {
    engine: &'a Engine,
    path: &'a str,
    /// Indexes into `engine.rule_paths` that match, sorted.
    matched: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> PathMatch<'a> {
    fn new(engine: &'a Engine, path: &'a str) -> PathMatch<'a> {
        PathMatch {
            engine,
            path,
            matched: std::cell::OnceCell::new(),
        }
    }

    /// Whether rule `rule` may run on this file: it has no path pattern, or its pattern matches.
    fn allows(&self, rule: usize) -> bool {
        let Some(k) = self.engine.path_of[rule] else {
            return true;
        };
        self.matched
            .get_or_init(|| self.engine.rule_paths.matches(self.path))
            .binary_search(&k)
            .is_ok()
    }
}

/// Files bigger than this go through the keyword gate a chunk at a time (see `Engine::gate`).
const GATE_CHUNK: usize = 1 << 20;

/// Layers of encoding looked into: base64 holding JSON escapes is two.
const DECODE_DEPTH: usize = 2;

/// Where a secret sits in a file, before it becomes a `Finding`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub rule: usize,
    /// Byte range of the secret.
    pub start: usize,
    pub end: usize,
    /// Byte range of everything the rule's regex matched (the secret's, for formats and
    /// encoded text), for allowlists that look at the whole match.
    pub whole: (usize, usize),
    /// A confidence the finding has at least: that of a generic rule whose match of the same
    /// bytes this provider's match won over (see `dedupe_overlaps`).
    pub floor: Option<Confidence>,
    pub secret: String,
    /// For a credential-file format's match: the key of the field that holds it.
    pub key: Option<String>,
    /// How the secret was encoded where it was found.
    pub encoding: Option<Encoding>,
}

/// What a finding needs to know about the rule or format behind a match.
struct Meta<'a> {
    id: &'a str,
    info: &'a Arc<RuleInfo>,
    severity: Severity,
    confidence: Confidence,
    /// No vendor prefix, checksum or fixed shape: a generic rule or a credential-file format,
    /// which context (a test or documentation path) can demote.
    vendorless: bool,
    /// A credential-file format's file kind (`FileZilla saved sites`).
    file_kind: Option<&'a str>,
    /// What a match is: a secret, or a practice problem in plain sight.
    kind: FindingKind,
}

impl Engine {
    /// Builds the automaton over every rule's keywords.
    pub fn new(rules: Vec<Rule>) -> Result<Engine, KeywordSetError> {
        let mut patterns: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        let mut unconditional = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            if rule.spec.keywords.is_empty() {
                unconditional.push(i);
            }
            for kw in &rule.spec.keywords {
                let kw = kw.to_ascii_lowercase();
                match patterns.iter().position(|p| *p == kw) {
                    Some(k) => keyword_rules[k].push(i),
                    None => {
                        patterns.push(kw);
                        keyword_rules.push(vec![i]);
                    }
                }
            }
        }
        let mut trigger_of = vec![None; patterns.len()];
        for (t, (_, text)) in TRIGGERS.iter().enumerate() {
            let kw = text.to_ascii_lowercase();
            let k = match patterns.iter().position(|p| *p == kw) {
                Some(k) => k,
                None => {
                    patterns.push(kw);
                    keyword_rules.push(Vec::new());
                    trigger_of.push(None);
                    patterns.len() - 1
                }
            };
            trigger_of[k] = Some(t);
        }
        // A shift-or filter over byte pairs with an exact check of its candidates: on the bench
        // corpus 3-4x as fast per byte as `aho_corasick`'s DFA and 1.1-1.3x the automaton
        // hygiene used before (figures and `bench/keywords.sh` in keywords.rs).
        let keywords = KeywordSet::new(&patterns)?;
        let mut path_regexes = Vec::new();
        let path_of = rules
            .iter()
            .map(|r| {
                let p = r.path.as_ref()?;
                path_regexes.push(p.clone());
                Some(path_regexes.len() - 1)
            })
            .collect();
        Ok(Engine {
            rules,
            keywords,
            keyword_rules,
            trigger_of,
            unconditional,
            rule_paths: PathSets::from_regexes(path_regexes),
            path_of,
            allow: SecretAllow::default(),
            entries: Vec::new(),
            formats: FormatSet::default(),
            deriver: Deriver::new(),
        })
    }

    /// Forgets the secret keys derived so far (see [`Deriver::clear`]), for an engine that
    /// outlives one scan.
    pub fn forget_derived(&self) {
        self.deriver.clear();
    }

    /// Also reads credential files with these formats.
    pub fn set_formats(&mut self, formats: FormatSet) {
        self.formats = formats;
    }

    /// Whether `path` may hold anything for the engine regardless of keywords (a credential
    /// file a format reads).
    pub fn reads_as_format(&self, path: &str) -> bool {
        self.formats.wants(path)
    }

    fn meta(&self, i: usize) -> Meta<'_> {
        match self.rules.get(i) {
            Some(rule) => Meta {
                id: &rule.spec.id,
                info: &rule.info,
                severity: rule.spec.severity,
                confidence: rule.spec.confidence,
                vendorless: rule.is_generic(),
                file_kind: None,
                kind: rule.kind,
            },
            None => {
                let f = &self.formats.formats()[i - self.rules.len()];
                Meta {
                    id: &f.spec.id,
                    info: &f.info,
                    severity: f.spec.severity,
                    confidence: f.spec.confidence,
                    vendorless: true,
                    file_kind: Some(&f.spec.name),
                    kind: FindingKind::Secret,
                }
            }
        }
    }

    /// The kind of rule `i`'s matches, with their [rank](Self::rank_within_kind): matches of different
    /// kinds never compete (`http://user:pass@host` is a leaked password and a plain-HTTP
    /// source at once).
    fn ranked(&self, i: usize) -> (FindingKind, (bool, Confidence)) {
        (self.meta(i).kind, self.rank_within_kind(i))
    }

    /// How a match of rule (or format) `i` ranks against an overlapping one: a specific
    /// rule (a provider's, or one limited to a file kind such as `.git-credentials`) before a
    /// generic one or a credential-file format, then the more confident.
    fn rank_within_kind(&self, i: usize) -> (bool, Confidence) {
        match self.rules.get(i) {
            Some(rule) => (
                !rule.is_generic() || rule.path.is_some(),
                rule.spec.confidence,
            ),
            None => (false, self.meta(i).confidence),
        }
    }

    /// Silences secrets that the configuration's allowlist (regexes, stopwords) matches.
    pub fn set_allow(&mut self, allow: SecretAllow) {
        self.allow = allow;
    }

    /// Silences findings that a conditional allowlist entry allows. Entries that need a
    /// commit are left to the caller, who knows it.
    pub fn set_allow_entries(&mut self, entries: Vec<AllowEntry>) {
        self.entries = entries.into_iter().filter(|e| !e.needs_commit()).collect();
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Finds every secret in `content`, in byte order: in its text, in the credential fields
    /// of its format, and inside its encoded regions (base64, JSON escapes, percent-encoding;
    /// see `decode.rs`), each of those located at its encoded text. `path` is the relative
    /// path (rules may be limited to some paths).
    pub fn find(&self, path: &str, content: &[u8]) -> Vec<Match> {
        let (mut matches, triggers) = self.find_plain(path, content, true);
        self.find_decoded(path, content, &triggers, DECODE_DEPTH, &mut matches);
        matches
    }

    /// Rules (and, with `formats`, credential-file formats) over the bytes as they are, and
    /// where the escape decoders should look.
    fn find_plain(&self, path: &str, content: &[u8], formats: bool) -> (Vec<Match>, Triggers) {
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => self.find_with(path, content, formats, GATE_CHUNK, &mut scratch),
            // Only if a rule's regex ran `find` again on this thread, which none does.
            Err(_) => self.find_with(path, content, formats, GATE_CHUNK, &mut Scratch::default()),
        })
    }

    /// Adds what the rules find inside `content`'s encoded regions, `depth` layers deep (a
    /// base64-wrapped JSON key file holds JSON escapes), unless the bytes are already claimed
    /// by a match on the plain text.
    fn find_decoded(
        &self,
        path: &str,
        content: &[u8],
        triggers: &Triggers,
        depth: usize,
        matches: &mut Vec<Match>,
    ) {
        if depth == 0 {
            return;
        }
        let mut added = false;
        for d in decode_all(content, looks_for_base64(path), triggers) {
            let (mut inner, inner_triggers) = self.find_plain(path, &d.text, false);
            self.find_decoded(path, &d.text, &inner_triggers, depth - 1, &mut inner);
            for m in inner {
                let (start, end) = d.source(m.start, m.end);
                // The plain text's own match of these bytes wins unless the decoded one is
                // surer (a `ghp_` token under a generic `token:` holding its base64).
                let confidence = self.meta(m.rule).confidence;
                if matches.iter().any(|k| {
                    k.start < end && start < k.end && self.meta(k.rule).confidence >= confidence
                }) {
                    continue;
                }
                matches.push(Match {
                    start,
                    end,
                    whole: (start, end),
                    encoding: Some(d.encoding),
                    ..m
                });
                added = true;
            }
        }
        if added {
            dedupe_overlaps(|i| self.ranked(i), matches);
        }
    }

    fn find_with(
        &self,
        path: &str,
        content: &[u8],
        formats: bool,
        chunk: usize,
        scratch: &mut Scratch,
    ) -> (Vec<Match>, Triggers) {
        let Scratch {
            hits,
            by_rule,
            positions,
        } = &mut *scratch;
        // (rule, a byte inside one of its keywords' occurrences), grouped by rule below.
        by_rule.clear();
        let mut triggers = Triggers::default();
        let any_hit = self.gate(content, chunk, hits, by_rule, &mut triggers);
        triggers.finish();
        let mut matches = Vec::new();
        if formats && !self.formats.is_empty() {
            for m in self.formats.find(path, content) {
                if self.allow.rejects(&m.secret) {
                    continue;
                }
                matches.push(Match {
                    rule: self.rules.len() + m.format,
                    start: m.start,
                    end: m.end,
                    whole: (m.start, m.end),
                    floor: None,
                    secret: m.secret,
                    key: Some(m.key),
                    encoding: m.base64.then_some(Encoding::Base64),
                });
            }
        }
        if !any_hit && self.unconditional.is_empty() && matches.is_empty() {
            return (matches, triggers);
        }
        by_rule.sort_unstable();
        by_rule.dedup();
        let paths = PathMatch::new(self, path);
        for &r in &self.unconditional {
            if paths.allows(r) {
                self.run_scoped(r, &[], content, &mut matches);
            }
        }
        for group in by_rule.chunk_by(|a, b| a.0 == b.0) {
            if !paths.allows(group[0].0) {
                continue;
            }
            positions.clear();
            positions.extend(group.iter().map(|&(_, p)| p));
            self.run_scoped(group[0].0, positions, content, &mut matches);
        }
        dedupe_overlaps(|i| self.ranked(i), &mut matches);
        scratch.trim();
        (matches, triggers)
    }

    /// The keyword pass: each occurrence of a keyword puts `(rule, its last byte)` into
    /// `by_rule` for each of the keyword's rules, and each escape decoders' trigger into
    /// `triggers`. Returns whether any keyword occurs.
    ///
    /// A file up to `chunk` bytes is searched whole, every occurrence kept. A bigger one is
    /// searched `chunk` bytes at a time, and a rule keeps one occurrence per line: what a
    /// rule runs on is the lines around its occurrences, so the others add nothing. That
    /// bounds the memory a file full of keywords takes. Before, a 9 MiB line of one keyword
    /// held 9 million occurrences and their rules: 400 MiB.
    fn gate(
        &self,
        content: &[u8],
        chunk: usize,
        hits: &mut Vec<Hit>,
        by_rule: &mut Vec<(usize, usize)>,
        triggers: &mut Triggers,
    ) -> bool {
        let mut add_trigger = |h: &Hit| {
            if let Some(&(trigger, text)) =
                self.trigger_of[h.keyword as usize].and_then(|t| TRIGGERS.get(t))
            {
                triggers.add(trigger, text, h.end, content);
            }
        };
        // Each chunk is searched from `longest - 1` bytes before it, and keeps the occurrences
        // that end inside it: every occurrence is seen once, by the chunk it ends in. A file
        // of one chunk keeps every occurrence; past that, a rule keeps one per line.
        let overlap = self.keywords.max_len().saturating_sub(1);
        let chunk = chunk.max(1);
        let mut line_of_rule = (content.len() > chunk).then(|| vec![usize::MAX; self.rules.len()]);
        // The line start of the last position seen, and how far the text was looked at.
        let (mut line, mut seen) = (0usize, 0usize);
        let mut any = false;
        let mut start = 0usize;
        loop {
            let end = start.saturating_add(chunk).min(content.len());
            let from = start.saturating_sub(overlap);
            hits.clear();
            // The filter reports in ascending order of ends (`find_unordered`).
            self.keywords.find_unordered(&content[from..end], hits);
            for h in hits.iter() {
                let h = Hit {
                    end: from + h.end,
                    keyword: h.keyword,
                };
                // The first chunk keeps an empty keyword's occurrence at offset 0.
                if h.end <= start && start > 0 {
                    continue;
                }
                any = true;
                add_trigger(&h);
                let at = h.end.saturating_sub(1);
                let rules = &self.keyword_rules[h.keyword as usize];
                let Some(line_of_rule) = line_of_rule.as_mut() else {
                    by_rule.extend(rules.iter().map(|&r| (r, at)));
                    continue;
                };
                if at > seen {
                    if let Some(i) = memchr::memrchr(b'\n', &content[seen..at]) {
                        line = seen + i + 1;
                    }
                    seen = at;
                }
                for &r in rules {
                    if line_of_rule[r] != line {
                        line_of_rule[r] = line;
                        by_rule.push((r, at));
                    }
                }
            }
            if end >= content.len() {
                break;
            }
            start = end;
        }
        any
    }

    /// Runs rule `i` (regex, filters; its path was checked by the caller) over the parts of
    /// `content` its scope gives around `positions`, the sorted offsets of its keywords'
    /// occurrences (none: the whole file).
    fn run_scoped(&self, i: usize, positions: &[usize], content: &[u8], matches: &mut Vec<Match>) {
        let rule = &self.rules[i];
        let context = match rule.scope {
            _ if positions.is_empty() => None,
            Scope::File => None,
            Scope::Line => Some(0),
            Scope::Window => Some(WINDOW_LINES),
        };
        match context {
            None => self.run_rule(i, content, 0, matches),
            Some(context) => {
                for (start, end) in regions(content, positions, context) {
                    self.run_rule(i, &content[start..end], start, matches);
                }
            }
        }
    }

    /// Runs rule `i` over `hay`, which starts at byte `offset` of the file.
    fn run_rule(&self, i: usize, hay: &[u8], offset: usize, matches: &mut Vec<Match>) {
        let rule = &self.rules[i];
        let analysis = rule.analysis();
        if analysis
            .required
            .as_ref()
            .is_some_and(|r| !r.may_match(hay))
        {
            return; // no match can be here (see required.rs)
        }
        let Some(regex) = rule.regex.get() else {
            return;
        };
        for caps in regex.captures_iter(hay) {
            // The named `secret` group, else the first group that took part in the match
            // (so a rule may offer alternatives, each with its own group).
            let group = if analysis.secret_group_named {
                caps.get(analysis.secret_group)
            } else {
                (1..caps.len()).find_map(|g| caps.get(g))
            };
            let Some(m) = group else {
                continue;
            };
            if m.is_empty() {
                continue;
            }
            // A generic rule's assigned name can say the value is no credential (`nonce`,
            // `csrf_token`, `integrity`, `password_file`).
            if let Some(key) = caps.name("key") {
                // The regex starts the name at its secret-sounding word; the whole name
                // (`csrf_token`, `next_page_token`) starts at the identifier's first byte.
                let start = hay[..key.start()]
                    .iter()
                    .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')))
                    .map_or(0, |i| i + 1);
                if names_non_credential(&String::from_utf8_lossy(&hay[start..key.end()])) {
                    continue;
                }
            }
            let secret = String::from_utf8_lossy(m.as_bytes()).into_owned();
            // A percent-encoded secret (`p%40ss%23w0rd` in a connection URL) is judged, and
            // reported, as what it decodes to.
            let (secret, encoding) = match percent_decoded(&secret) {
                Some(decoded) => (decoded, Some(Encoding::Percent)),
                None => (secret, None),
            };
            if let Some(min) = rule.spec.entropy {
                if shannon(&secret) < min {
                    continue;
                }
            }
            if !rule.filter.accepts(&secret) || self.allow.rejects(&secret) {
                continue;
            }
            let whole = caps
                .get(0)
                .map_or((m.start(), m.end()), |w| (w.start(), w.end()));
            matches.push(Match {
                rule: i,
                start: offset + m.start(),
                end: offset + m.end(),
                whole: (offset + whole.0, offset + whole.1),
                floor: None,
                secret,
                key: None,
                encoding,
            });
        }
    }

    /// Runs rule `rule` alone (keywords, scope, path, regex and filters, but no overlap
    /// resolution with other rules) over `content`. Used to check a rule's own examples.
    pub fn find_for_rule(&self, rule: usize, path: &str, content: &[u8]) -> Vec<Match> {
        // The same keyword pass as a scan, so an example is found the way a file would be.
        let mut found = Vec::new();
        self.keywords.find_all(content, &mut found);
        let positions: Vec<usize> = found
            .iter()
            .filter(|h| self.keyword_rules[h.keyword as usize].contains(&rule))
            .map(|h| h.end.saturating_sub(1))
            .collect();
        let mut matches = Vec::new();
        let keyword_met = self.rules[rule].spec.keywords.is_empty() || !positions.is_empty();
        if keyword_met && PathMatch::new(self, path).allows(rule) {
            self.run_scoped(rule, &positions, content, &mut matches);
        }
        matches
    }

    /// Finds secrets and turns them into findings with exact positions, dropping those on a
    /// line with an inline allow marker.
    pub fn scan(&self, path: &str, content: &[u8]) -> Vec<Finding> {
        let matches = self.find(path, content);
        if matches.is_empty() {
            return Vec::new();
        }
        let lines = LineIndex::new(content);
        let mut kept = Vec::with_capacity(matches.len());
        for m in matches {
            let (line, column) = lines.position(content, m.start);
            let (end_line, end_column) = lines.position(content, m.end);
            if line_is_allowed(lines.line_text(content, line))
                || (end_line != line && line_is_allowed(lines.line_text(content, end_line)))
            {
                continue;
            }
            let meta = self.meta(m.rule);
            if !self.entries.is_empty() {
                let cx = AllowContext {
                    rule: meta.id,
                    path,
                    commit: None,
                    secret: &m.secret,
                    matched: content.get(m.whole.0..m.whole.1).unwrap_or_default(),
                    line: lines.line_text(content, line),
                };
                if self.entries.iter().any(|e| e.allows(&cx)) {
                    continue;
                }
            }
            kept.push((m, line, column, end_line, end_column));
        }
        // The slow part of a secret's fingerprint, for every secret of the file at once: in
        // parallel, each distinct one once per scan.
        let to_derive: Vec<(&str, &str)> = kept
            .iter()
            .filter(|(m, ..)| self.meta(m.rule).kind != FindingKind::Hygiene)
            .map(|(m, ..)| (self.meta(m.rule).id, m.secret.as_str()))
            .collect();
        let mut keys = self.deriver.keys(&to_derive).into_iter();
        let mut out = Vec::with_capacity(kept.len());
        for (m, line, column, end_line, end_column) in kept {
            let meta = self.meta(m.rule);
            // A hygiene rule's match is no secret but the evidence (a URL, a variable name),
            // shown as it is and fingerprinted plainly; a secret is redacted, kept apart and
            // fingerprinted through its derived key.
            let (fingerprint, confidence, message, secret) = if meta.kind == FindingKind::Hygiene {
                // Evidence can carry credentials of its own (a plain-HTTP registry URL with a
                // user and password in it): those are redacted in the message and left out of
                // the (fast) fingerprint, which would otherwise let anyone test guesses.
                let evidence = redact_url_credentials(&m.secret);
                let message = format!("{}: `{evidence}`", meta.info.name);
                let fingerprint = fingerprint(&[meta.id, path, &evidence]);
                (fingerprint, meta.confidence, message, None)
            } else {
                // One key per non-hygiene match, in order (see `to_derive`).
                let Some(key) = keys.next() else {
                    continue;
                };
                let fingerprint = secret_fingerprint(meta.id, path, &key);
                let secret = SecretValue::new(m.secret, secret_digest(&key));
                // A vendorless finding in a test, fixture, example or documentation path is
                // most likely a sample: reported, but at low confidence, which does not fail a
                // scan unless asked (`--min-confidence low`). A provider's token keeps its
                // confidence wherever it is. The floor a generic rule's match lent (see
                // `dedupe_overlaps`) is the generic rule's confidence, which such a path
                // would have demoted: there it is ignored.
                let confidence = match (meta.vendorless, demotes(path)) {
                    (true, true) => Confidence::Low,
                    (false, true) => meta.confidence,
                    _ => meta.confidence.max(m.floor.unwrap_or(Confidence::Low)),
                };
                let what = match (&m.key, meta.file_kind) {
                    (Some(key), Some(kind)) => format!("`{key}` in {kind}"),
                    _ => meta.info.name.clone(),
                };
                let encoded = m
                    .encoding
                    .map(|e| format!(" ({} encoded)", e.as_str()))
                    .unwrap_or_default();
                let message = format!("{what} committed{encoded}: {}", secret.redacted());
                (fingerprint, confidence, message, Some(secret))
            };
            out.push(Finding {
                kind: meta.kind,
                rule: meta.info.clone(),
                path: path.to_string(),
                line,
                column,
                end_line,
                end_column,
                severity: meta.severity,
                confidence,
                fingerprint,
                message,
                secret,
                commit: None,
                package: None,
                advisory: None,
                encoding: m.encoding,
                whole_file: false,
                validation: None,
            });
        }
        out
    }
}

/// The byte ranges of the lines holding `positions` (sorted), each widened by `context`
/// lines on either side, overlapping or touching ranges merged. Ranges start at a line start
/// and end before a newline (or at the end of the file), so `^`, `$` and `\b` at their edges
/// mean what they mean in the whole file.
fn regions(content: &[u8], positions: &[usize], context: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    // End of the line of the last position handled: later positions on it add nothing.
    let mut line_end = None;
    for &p in positions {
        if line_end.is_some_and(|e| p <= e) {
            continue;
        }
        let own_end = memchr::memchr(b'\n', &content[p..]).map_or(content.len(), |i| p + i);
        line_end = Some(own_end);
        let mut start = memchr::memrchr(b'\n', &content[..p]).map_or(0, |i| i + 1);
        for _ in 0..context {
            if start == 0 {
                break;
            }
            start = memchr::memrchr(b'\n', &content[..start - 1]).map_or(0, |i| i + 1);
        }
        let mut end = own_end;
        for _ in 0..context {
            if end >= content.len() {
                break;
            }
            end = memchr::memchr(b'\n', &content[end + 1..]).map_or(content.len(), |i| end + 1 + i);
        }
        match out.last_mut() {
            Some(last) if start <= last.1 + 1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// When two rules claim overlapping bytes (a specific token rule and a generic assignment rule,
/// say), keep the more confident one: one secret, one finding.
fn dedupe_overlaps(
    ranked: impl Fn(usize) -> (FindingKind, (bool, Confidence)),
    matches: &mut Vec<Match>,
) {
    let rank = |i: usize| ranked(i).1;
    let kind = |i: usize| ranked(i).0;
    matches.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(rank(b.rule).cmp(&rank(a.rule)))
            .then(b.end.cmp(&a.end))
            .then(a.rule.cmp(&b.rule))
    });
    let effective = |m: &Match| rank(m.rule).1.max(m.floor.unwrap_or(Confidence::Low));
    let mut kept: Vec<Match> = Vec::with_capacity(matches.len());
    for m in matches.drain(..) {
        if let Some(prev) = kept
            .iter_mut()
            .rev()
            .find(|k| k.end > m.start && kind(k.rule) == kind(m.rule))
        {
            // Overlap: keep the specific rule over a generic one, then the more confident,
            // then the longer secret, then the longer match (the rule that needed more
            // context: a GCS HMAC secret beside its `GOOG1` id over an AWS-style key name).
            // The kept match is at least as confident as the
            // other: `MIXPANEL_SECRET=<32 hex>` is a Mixpanel secret (named by the provider's
            // rule) as surely as it is a secret assignment (the generic rule's confidence).
            let floor = effective(prev).max(effective(&m));
            let (pr, mr) = (rank(prev.rule), rank(m.rule));
            let len = |k: &Match| (k.end - k.start, k.whole.1 - k.whole.0);
            if mr > pr || (mr == pr && len(&m) > len(prev)) {
                *prev = m;
            }
            if floor > rank(prev.rule).1 {
                prev.floor = Some(floor);
            }
            continue;
        }
        kept.push(m);
    }
    *matches = kept;
}

/// Byte offset to 1-based line and column, built once per file that has matches.
pub struct LineIndex {
    /// Byte offset at which each line starts.
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(content: &[u8]) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', content).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and 1-based column in characters (UTF-8 continuation bytes not counted).
    pub fn position(&self, content: &[u8], offset: usize) -> (usize, usize) {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let end = offset.min(content.len());
        let column = content[start..end]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count()
            + 1;
        (line + 1, column)
    }

    /// The text of 1-based `line`, without its newline.
    pub fn line_text<'a>(&self, content: &'a [u8], line: usize) -> &'a [u8] {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return &[];
        };
        let end = self
            .starts
            .get(line)
            .map_or(content.len(), |&next| next.saturating_sub(1));
        &content[start.min(end)..end]
    }
}

/// `text` with the credentials of every URL in it redacted: the password of `user:password@`,
/// or the whole of a userinfo without a colon (`https://TOKEN@host`, a token used as the user).
/// What a hygiene finding shows as evidence must not be a way around redaction.
fn redact_url_credentials(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let authority_start = at + 3;
        out.push_str(&rest[..authority_start]);
        let after = &rest[authority_start..];
        let end = after
            .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace())
            .unwrap_or(after.len());
        let authority = &after[..end];
        match authority.rfind('@') {
            Some(userinfo_end) => {
                let userinfo = &authority[..userinfo_end];
                match userinfo.split_once(':') {
                    Some((user, password)) => {
                        out.push_str(user);
                        out.push(':');
                        out.push_str(&crate::finding::redact(password));
                    }
                    None => out.push_str(&crate::finding::redact(userinfo)),
                }
                out.push_str(&authority[userinfo_end..]);
            }
            None => out.push_str(authority),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn evidence_urls_lose_their_credentials() {
        use super::redact_url_credentials as r;
        // An invented password, marked so scanning this repository does not report it.
        let url = "http://deploy:Npm-Pa55-8841@nexus.example.org/npm/"; // hygiene:allow
        assert_eq!(
            r(url),
            "http://deploy:Npm…(13 chars)@nexus.example.org/npm/"
        );
        assert_eq!(
            r("http://ghp_abcdefghijkl@host/x http://plain.example/y"),
            "http://ghp_…(16 chars)@host/x http://plain.example/y"
        );
        assert_eq!(
            r("http://registry.npmjs.org/a"),
            "http://registry.npmjs.org/a"
        );
        assert_eq!(r("no url here"), "no url here");
    }

    use super::*;

    /// A file searched a chunk at a time (as files over `GATE_CHUNK` are) gives the same
    /// matches and triggers as one searched whole, whatever the chunk size: keywords and
    /// secrets across every chunk boundary, on long lines and short ones.
    #[test]
    fn chunked_gate_finds_what_the_whole_file_gives() {
        let engine = Engine::new(crate::secrets::builtin_rules().unwrap()).unwrap();
        let pieces: &[&str] = &[
            "password = \"Xk9mQ2vL7pwTz4Rb\"\n", // hygiene:allow (invented)
            "token: ghp_Zq8Lm3Np7Rt2Vx6Bc9Df4Gh1Jk5Mn0Pq2Rs4T\n", // hygiene:allow (invented)
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8f3kLm2N ", // hygiene:allow
            "%3D",
            ":\\/\\/",
            "key ",
            "secret",
            "\n",
            "let x = config.get(\"token\"); ",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ];
        let mut seed = 11u64;
        for round in 0..40 {
            let mut text = String::new();
            let target = if round % 4 == 0 { 20_000 } else { 1500 };
            while text.len() < target {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let content = text.as_bytes();
            let whole =
                engine.find_with("a.env", content, true, usize::MAX, &mut Scratch::default());
            assert!(!whole.0.is_empty(), "the test text holds secrets");
            for chunk in [1, 7, 64, 333, 4096] {
                let cut = engine.find_with("a.env", content, true, chunk, &mut Scratch::default());
                assert_eq!(cut, whole, "chunk {chunk}, round {round}");
            }
        }
    }

    /// The escape decoders' triggers, as the gate finds them, are where a search of their own
    /// finds them: in every case, at the edges, across the gate's segment boundaries, inside
    /// words the rules' keywords share bytes with, and never the PEM marker in lower case.
    #[test]
    fn triggers_from_the_gate_equal_their_own_search() {
        let engine = Engine::new(crate::secrets::builtin_rules().unwrap()).unwrap();
        let pieces: &[&str] = &[
            "%3D",
            "%3d",
            "%3A",
            "%22",
            "%40",
            "%4",
            "%",
            ":\\/\\/",
            ":\\/",
            "-----BEGIN",
            "-----begin",
            "-----BEGIN RSA PRIVATE KEY-----\\nMIIE",
            "password%3Dhunter2",
            "https:\\/\\/u:p@h",
            "x",
            " ",
            "\n",
            "token",
            "aws_secret",
            "é",
        ];
        let mut seed = 7u64;
        for len in [0usize, 1, 2, 5, 9, 40, 300, 2000, 9000] {
            for _ in 0..20 {
                let mut text = String::new();
                while text.len() < len {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
                }
                let (_, got) = engine.find_plain("a.txt", text.as_bytes(), true);
                assert_eq!(got, Triggers::find(text.as_bytes()), "{text:?}");
            }
        }
        let (_, t) = engine.find_plain("a.txt", b"-----BEGIN x -----begin %3d%22", true);
        assert_eq!((t.pem, t.percent), (vec![0], vec![24, 27]));
    }

    #[test]
    fn line_index_counts_characters() {
        let text = "ab\nçd X\n".as_bytes();
        let idx = LineIndex::new(text);
        let x = text.iter().position(|&b| b == b'X').unwrap();
        assert_eq!(idx.position(text, x), (2, 4));
        assert_eq!(idx.position(text, 0), (1, 1));
        assert_eq!(idx.line_text(text, 2), "çd X".as_bytes());
        assert_eq!(idx.line_text(text, 3), b"");
        assert_eq!(idx.line_text(text, 9), b"");
    }

    #[test]
    fn regions_are_whole_lines_with_context_merged() {
        let text = b"l0\nl1\nl2 key\nl3\nl4\nl5\nl6\nl7 key key\nl8";
        let keys: Vec<usize> = text
            .windows(3)
            .enumerate()
            .filter(|(_, w)| *w == b"key")
            .map(|(i, _)| i)
            .collect();
        let slices = |context: usize, at: &[usize]| -> Vec<String> {
            regions(text, at, context)
                .into_iter()
                .map(|(s, e)| String::from_utf8_lossy(&text[s..e]).into_owned())
                .collect()
        };
        assert_eq!(slices(0, &keys), vec!["l2 key", "l7 key key"]);
        assert_eq!(
            slices(2, &keys[..2]),
            vec!["l0\nl1\nl2 key\nl3\nl4\nl5\nl6\nl7 key key\nl8"]
        );
        assert_eq!(slices(1, &keys[..1]), vec!["l1\nl2 key\nl3"]);
        // At the edges of the file, and a file without newlines.
        assert_eq!(regions(b"key", &[0], 2), vec![(0, 3)]);
        assert_eq!(regions(b"\n\nkey\n", &[2], 5), vec![(0, 6)]);
        assert_eq!(regions(b"", &[], 2), Vec::<(usize, usize)>::new());
    }

    fn rule(scope: Option<&str>, regex: &str) -> Rule {
        let mut toml = format!(
            "id = \"t\"\nname = \"t\"\ndescription = \"t\"\nregex = '''{regex}'''\n\
             keywords = [\"acme\"]\nseverity = \"high\"\nconfidence = \"high\"\n\
             examples = [\"acme x1234567890\"]\n"
        );
        if let Some(s) = scope {
            toml.push_str(&format!("scope = \"{s}\"\n"));
        }
        let spec: crate::secrets::RuleSpec = toml::from_str(&toml).unwrap();
        Rule::compile(spec, "test.toml").unwrap()
    }

    /// The rules' path patterns are asked once per file through `PathSets`: a path-only rule
    /// (suffix-filtered, or run on every path), and a rule with both keywords and a path.
    #[test]
    fn rules_run_only_where_their_path_matches() {
        let engine = Engine::new(crate::secrets::builtin_rules().unwrap()).unwrap();
        let ids = |path: &str, text: &str| -> Vec<String> {
            engine
                .find(path, text.as_bytes())
                .iter()
                .map(|m| engine.rules[m.rule].spec.id.clone())
                .collect()
        };
        let pgpass = "db.internal:5432:app:app_rw:Rt8#qLx2Vm\n";
        assert_eq!(ids("home/u/.pgpass", pgpass), ["generic-pgpass"]);
        assert_eq!(ids("etc/PGPASS.CONF", pgpass), Vec::<String>::new());
        assert_eq!(ids("src/pgpass.rs", pgpass), Vec::<String>::new());
        // No literal suffix in the pattern (a Responder capture directory): the set run on
        // every path decides.
        let ntlm = "admin::CORP:05912c87fcfcf015:b3b37dd213b2efb0224974ac09196694:\
                    01010000000000007b57512ebb1adaaa317327cde5ea07ec35bd1a65fde73ccaebe5eba0\n";
        assert_eq!(ids("logs/smb.txt", ntlm), ["netntlmv2-response"]);
        assert_eq!(
            ids("tools/Responder/logs/smb.db", ntlm),
            ["netntlmv2-response"]
        );
        assert_eq!(ids("src/smb.rs", ntlm), Vec::<String>::new());
        let logged = "    println!(\"login with {}\", password);\n"; // hygiene:allow
        assert_eq!(ids("src/main.rs", logged), ["log-credential-rust"]);
        assert_eq!(ids("src/main.go", logged), Vec::<String>::new());
        // The same answers from the one-rule path used to check a rule's examples.
        let pg = engine
            .rules
            .iter()
            .position(|r| r.spec.id == "generic-pgpass")
            .unwrap();
        assert_eq!(
            engine.find_for_rule(pg, ".pgpass", pgpass.as_bytes()).len(),
            1
        );
        assert!(engine
            .find_for_rule(pg, "pgpass.txt", pgpass.as_bytes())
            .is_empty());
    }

    #[test]
    fn scope_decides_how_far_from_its_keyword_a_secret_is_found() {
        let regex = r"\b(x[0-9]{10})\b";
        let near = "acme\n\nkey = x1234567890\n";
        let far = format!("acme\n{}key = x1234567890\n", "\n".repeat(5));
        let found = |scope: Option<&str>, text: &str| {
            Engine::new(vec![rule(scope, regex)])
                .unwrap()
                .find("a.txt", text.as_bytes())
                .len()
        };
        assert_eq!(rule(None, regex).scope, Scope::Window);
        assert_eq!(found(None, near), 1);
        assert_eq!(found(None, &far), 0);
        assert_eq!(found(Some("line"), near), 0);
        assert_eq!(found(Some("file"), &far), 1);
        // Without its keyword a rule does not run at all.
        assert_eq!(found(Some("file"), "key = x1234567890"), 0);
        // A regex whose `.` spans lines sees the whole file unless told otherwise.
        assert_eq!(rule(None, r"(?s)acme.*?(x[0-9]{10})").scope, Scope::File);
        assert_eq!(
            rule(None, r"(?-u:acme)(?is:.)*?(x[0-9]{10})").scope,
            Scope::File
        );
        assert_eq!(
            rule(None, r"(?i-s)acme.*?(x[0-9]{10})").scope,
            Scope::Window
        );
        assert_eq!(
            rule(Some("line"), r"(?s)acme.*?(x[0-9]{10})").scope,
            Scope::Line
        );
    }
}
