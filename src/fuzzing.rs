//! Entry points for the fuzz targets in `fuzz/` (one function a target), kept in the library
//! so that the targets and `tests/fuzz_corpus.rs` (which replays the committed corpora on the
//! stable toolchain in `cargo test`) run exactly the same code. Each function feeds its input
//! to the library's real parsers and readers; any panic, hang or unbounded allocation is a
//! bug. Not part of the public API.
//!
//! Inputs that the real code reads from files (an `all.zip`, a gitleaks configuration, a
//! baseline, a pack) are written to a scratch directory under the system's temporary
//! directory, one per process and target, and read back through the same functions a scan
//! uses.

use crate::config::{compile_allow, Allowlist, Loaded};
use crate::deps::osv::matcher;
use crate::deps::osv::model::Vulnerability;
use crate::deps::osv::EcosystemDb;
use crate::outcome::Outcome;
use crate::package::{Ecosystem, Package};
use crate::secrets::Engine;
use gix::ObjectId;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// A scratch directory for `target`, created once per process (and emptied of what an earlier
/// process with the same id left).
fn scratch(target: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hygiene-fuzz-{}-{target}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// The input as text; `None` for invalid UTF-8, which every reader of these files rejects
/// before parsing (they read a `String`).
fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// The scan's engine as `hygiene scan` builds it without a configuration: every built-in
/// rule and format.
fn builtin_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let loaded = Loaded::default();
        let rules = crate::scan::checks::load_rules(&[], true).expect("built-in rules load");
        crate::scan::checks::configured_engine(rules, &loaded, &Allowlist::default())
            .expect("built-in engine builds")
    })
}

/// Versions to try a record against: every version it names, and a few around them.
fn versions_of(vuln: &Vulnerability) -> Vec<String> {
    let mut out = vec![
        "0".to_string(),
        "1.0.0".to_string(),
        "v2.3.4-rc.1".to_string(),
    ];
    for a in &vuln.affected {
        out.extend(a.versions.iter().take(8).cloned());
        for r in &a.ranges {
            for e in r.events.iter().take(8) {
                if let Some(k) = e.kind() {
                    let v = k.version();
                    out.push(v.to_string());
                    out.push(format!("{v}.1"));
                }
            }
        }
    }
    out.truncate(64);
    out
}

/// `osv_record`: one OSV JSON record, parsed into the advisory model, matched against the
/// versions it names (and a few others) in each ecosystem it names, its severity computed as
/// a report would, and written back as the index stores it.
pub fn osv_record(data: &[u8]) {
    let Ok(vuln) = serde_json::from_slice::<Vulnerability>(data) else {
        return;
    };
    let _ = serde_json::to_vec(&vuln);
    let _ = vuln.ids().count();
    let _ = vuln.database_severity();
    let vuln = Arc::new(vuln);
    let versions = versions_of(&vuln);
    for affected in vuln.affected.iter().take(8) {
        let ecosystem = Ecosystem::from_osv(&affected.package.ecosystem).unwrap_or(Ecosystem::Npm);
        for version in &versions {
            if let Some(m) = matcher::affects(&vuln, ecosystem, &affected.package.name, version) {
                let hit = (vuln.clone(), m);
                let informational = hit.1.informational.clone();
                let _ = crate::deps::osv::group_severity(&[&hit], informational.as_deref());
            }
        }
        let mut sorted = versions.clone();
        matcher::sort_versions(ecosystem, &mut sorted);
    }
}

/// `osv_zip`: the input as an ecosystem's `all.zip`, opened the way an offline scan opens it
/// (the index built, written and loaded again), and every package it names looked up and
/// checked at the versions its records name.
pub fn osv_zip(data: &[u8]) {
    let dir = scratch("osv_zip");
    let zip = dir.join("all.zip");
    let index = dir.join("index");
    let _ = std::fs::remove_dir_all(&index);
    if std::fs::write(&zip, data).is_err() {
        return;
    }
    // The ecosystem the records name first (npm when none), as the index is per ecosystem.
    let records = crate::deps::osv::db::read_zip(&zip)
        .map(|(r, _)| r)
        .unwrap_or_default();
    let ecosystem = records
        .iter()
        .flat_map(|r| &r.affected)
        .find_map(|a| Ecosystem::from_osv(&a.package.ecosystem))
        .unwrap_or(Ecosystem::Npm);
    let Ok(db) = EcosystemDb::open_zip(&zip, ecosystem, Some(&index)) else {
        return;
    };
    let _ = (db.package_count(), db.record_count(), db.skipped_count());
    let mut packages = Vec::new();
    for r in records.iter().take(16) {
        for a in r.affected.iter().take(4) {
            let _ = db.records_for(&a.package.name);
            for version in versions_of(r).into_iter().take(4) {
                packages.push(Package {
                    ecosystem,
                    name: a.package.name.clone(),
                    version,
                    path: "lockfile".into(),
                    line: 1,
                    direct: None,
                    dev: None,
                });
            }
        }
    }
    let _ = crate::deps::osv::check_with(&packages, &[&db]);
}

/// `rules_toml`: a `patterns/*.toml` rule file, parsed and compiled, built into an engine and
/// run over its own examples and a line of text.
pub fn rules_toml(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let Ok(rules) = crate::secrets::rule::parse_rule_file("fuzz.toml", text) else {
        return;
    };
    if crate::secrets::rule::check_unique_ids(&rules).is_err() {
        return;
    }
    let Ok(engine) = Engine::new(rules) else {
        return;
    };
    let _ = crate::secrets::check::check_examples(&engine);
    let _ = engine.scan("src/config.py", text.as_bytes());
}

/// `config_toml`: a `.hygiene.toml`, parsed, its allowlist compiled and applied to the
/// built-in rules as a scan does, the resulting engine run over a few lines.
pub fn config_toml(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let Ok(config) = crate::config::parse(Path::new(".hygiene.toml"), text) else {
        return;
    };
    let loaded = Loaded {
        config,
        source: Some(PathBuf::from(".hygiene.toml")),
        gitleaks: None,
    };
    let Ok(allow) = compile_allow(&loaded) else {
        return;
    };
    let _ = allow.path_allowed("src/main.rs");
    let Ok(rules) = crate::scan::checks::load_rules(&[], loaded.builtin_rules()) else {
        return;
    };
    let Ok(engine) = crate::scan::checks::configured_engine(rules, &loaded, &allow) else {
        return;
    };
    let _ = engine.scan("config/settings.py", SAMPLE);
}

/// A few lines with secrets of the shapes the built-in rules find.
const SAMPLE: &[u8] = b"aws_access_key_id = AKIAQYLPMN5HHHFPZAM2\n\
password = \"hunter2-but-longer-Xy9\"\n\
token: ghp_R2k1d3ZqT0xVc0lBbkRXcmFzQ0xQZ2ZTc0V3\n";

/// `gitleaks_toml`: a `.gitleaks.toml`, read and translated as `--gitleaks-config` reads it,
/// its rules and allowlists built into the scan's engine and run over a few lines.
pub fn gitleaks_toml(data: &[u8]) {
    let dir = scratch("gitleaks_toml");
    let file = dir.join(".gitleaks.toml");
    if std::fs::write(&file, data).is_err() {
        return;
    }
    let builtin = crate::secrets::rule::builtin_rule_ids();
    let Ok(import) = crate::config::gitleaks::load(&file, &builtin) else {
        return;
    };
    let loaded = Loaded {
        config: Default::default(),
        source: None,
        gitleaks: Some(import),
    };
    let Ok(rules) = crate::scan::checks::load_rules(&[], loaded.builtin_rules()) else {
        return;
    };
    let Ok(engine) = crate::scan::checks::configured_engine(rules, &loaded, &Allowlist::default())
    else {
        return;
    };
    let _ = engine.scan("config/settings.py", SAMPLE);
}

/// `baseline`: a baseline file, loaded as `--baseline` loads it and applied to the findings
/// of a small scan (judging stale entries and not), then written back out.
pub fn baseline(data: &[u8]) {
    let dir = scratch("baseline");
    let file = dir.join("baseline.json");
    if std::fs::write(&file, data).is_err() {
        return;
    }
    let Ok(b) = crate::baseline::Baseline::load(&file) else {
        return;
    };
    for judge_stale in [false, true] {
        let mut outcome = Outcome {
            findings: builtin_engine().scan("config/settings.py", SAMPLE),
            ..Outcome::default()
        };
        b.apply("baseline.json", &mut outcome, judge_stale);
    }
    let _ = b.to_json();
}

/// `scan_bytes`: arbitrary bytes scanned by every built-in rule and format. The input is a
/// path (up to the first NUL, at most 200 bytes; `config.env` when there is no NUL) and the
/// file's content after it.
pub fn scan_bytes(data: &[u8]) {
    let (path, content) = match memchr::memchr(0, &data[..data.len().min(201)]) {
        Some(i) => (
            String::from_utf8_lossy(&data[..i]).into_owned(),
            &data[i + 1..],
        ),
        None => ("config.env".to_string(), data),
    };
    let engine = builtin_engine();
    let _ = engine.reads_as_format(&path);
    for f in engine.scan(&path, content) {
        assert!(
            f.line >= 1 && f.line <= f.end_line,
            "finding lines out of order: {f:?}"
        );
    }
    // One process scans millions of inputs with this engine: keep its memory per input.
    engine.forget_derived();
}

/// `keywords`: the keyword filter (`secrets::keywords`) against `aho-corasick`, the reference,
/// which must report the same occurrences (every one, overlapping, ASCII case-insensitive),
/// through the SSE2 scan and the portable one. The input is keywords separated by 0x01, a
/// NUL, then the haystack (at most 64 keywords of at most 48 bytes); without a NUL, the whole
/// input is a haystack for the built-in rules' keywords.
pub fn keywords(data: &[u8]) {
    use crate::secrets::keywords::KeywordSet;
    use aho_corasick::AhoCorasick;
    fn compare(set: &KeywordSet, ac: &AhoCorasick, hay: &[u8]) {
        let want = keyword_reference_hits(ac, hay);
        let (mut fast, mut portable) = (Vec::new(), Vec::new());
        set.find_all(hay, &mut fast);
        set.find_all_portable(hay, &mut portable);
        assert_eq!(fast, want, "the keyword filter differs from aho-corasick");
        assert_eq!(
            portable, want,
            "the portable scan differs from aho-corasick"
        );
    }
    static BUILTIN: OnceLock<(KeywordSet, AhoCorasick)> = OnceLock::new();
    match memchr::memchr(0, data) {
        None => {
            let (set, ac) = BUILTIN.get_or_init(|| {
                let words = builtin_keywords();
                let set = KeywordSet::new(&words).expect("the keyword filter builds");
                (set, keyword_reference(&words))
            });
            compare(set, ac, data);
        }
        Some(i) => {
            let words: Vec<Vec<u8>> = data[..i]
                .split(|&b| b == 1)
                .take(64)
                .map(|w| w[..w.len().min(48)].to_vec())
                .collect();
            let set = KeywordSet::new(&words).expect("the keyword filter builds");
            compare(&set, &keyword_reference(&words), &data[i + 1..]);
        }
    }
}

/// `paths`: the path filters (`secrets::paths`) against the regexes they stand for. The input,
/// as a path (lossily UTF-8, as the walker makes a relative path), must be matched by
/// exactly the built-in path patterns (the rules' and the credential-file formats') whose
/// regex matches it.
pub fn paths(data: &[u8]) {
    use crate::secrets::lazy_regex::LazyRegex;
    use crate::secrets::paths::PathSets;
    static BUILTIN: OnceLock<(PathSets, Vec<LazyRegex>)> = OnceLock::new();
    let (sets, regexes) = BUILTIN.get_or_init(|| {
        let mut regexes: Vec<LazyRegex> = crate::secrets::builtin_rules()
            .expect("built-in rules load")
            .into_iter()
            .filter_map(|r| r.path)
            .collect();
        let formats = crate::secrets::formats::builtin_formats().expect("built-in formats load");
        regexes.extend(
            formats
                .formats()
                .iter()
                .map(|f| LazyRegex::builtin(&f.spec.path, false)),
        );
        (PathSets::from_regexes(regexes.clone()), regexes)
    });
    let path = String::from_utf8_lossy(data);
    let want: Vec<usize> = (0..regexes.len())
        .filter(|&i| regexes[i].is_match(&path))
        .collect();
    assert_eq!(
        sets.matches(&path),
        want,
        "the path filters differ from the regexes on {path:?}"
    );
}

/// The built-in rules' keywords as the engine's gate holds them: lowercased, each once, in
/// rule order. For the keyword filter's tests, fuzz target and benchmark.
pub fn builtin_keywords() -> Vec<Vec<u8>> {
    let mut words: Vec<Vec<u8>> = Vec::new();
    for rule in crate::secrets::builtin_rules().expect("built-in rules load") {
        for k in &rule.spec.keywords {
            let k = k.to_ascii_lowercase().into_bytes();
            if !words.contains(&k) {
                words.push(k);
            }
        }
    }
    words
}

/// The reference the keyword filter is checked against: `aho-corasick`, ASCII
/// case-insensitive, reporting every overlapping occurrence.
pub fn keyword_reference(words: &[Vec<u8>]) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(aho_corasick::MatchKind::Standard)
        .build(words)
        .expect("aho-corasick builds")
}

/// What the reference finds in `hay`, as the filter's `find_all` reports it: sorted, each
/// occurrence once, an empty keyword once at offset 0.
pub fn keyword_reference_hits(
    ac: &aho_corasick::AhoCorasick,
    hay: &[u8],
) -> Vec<crate::secrets::keywords::Hit> {
    let mut want: Vec<_> = ac
        .find_overlapping_iter(hay)
        .map(|m| crate::secrets::keywords::Hit {
            end: if m.is_empty() { 0 } else { m.end() },
            keyword: m.pattern().as_u32(),
        })
        .collect();
    want.sort_unstable();
    want.dedup();
    want
}

/// The scan identity the `scan_cache` target's files are written under.
const CACHE_IDENTITY: [u8; 32] = [7; 32];

/// `scan_cache`: the main file of a scan cache directory, opened, asked, added to and saved as
/// a scan does, then opened again. The input is the file without its closing checksum, which
/// is added here: mutations then reach the parser instead of stopping at the checksum (as a
/// forged file would). Seeds: [`scan_cache_seed`].
pub fn scan_cache(data: &[u8]) {
    use crate::source::cache::{CacheSettings, Key, ScanCache, FILE_NAME};
    let dir = scratch("scan_cache");
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let _ = std::fs::remove_file(e.path());
        }
    }
    let mut file = data.to_vec();
    file.extend_from_slice(&crc32fast::hash(data).to_le_bytes());
    if std::fs::write(dir.join(FILE_NAME), &file).is_err() {
        return;
    }
    let settings = CacheSettings {
        dir: dir.clone(),
        read: true,
    };
    let cache = ScanCache::open(&settings, CACHE_IDENTITY);
    for n in 0..3u8 {
        let _ = cache.get(&Key::blob(&[n; 20], "a.py"), "a.py");
        let _ = cache.record(&Key::commit(&[n; 20], false));
    }
    cache.put_binary(Key::blob(&[9; 20], "b.bin"));
    let _ = cache.save();
    // Saved to the journal or a new main file, which must read back.
    let again = ScanCache::open(&settings, CACHE_IDENTITY);
    if cache.answers() || again.answers() {
        assert!(
            matches!(
                again.get(&Key::blob(&[9; 20], "b.bin"), "b.bin"),
                Some(crate::source::cache::Cached::Binary)
            ),
            "an entry saved was not read back"
        );
    }
}

/// A valid `scan_cache` input: a main file (without its checksum) holding a text entry with
/// findings, a binary one and a commit's record under the keys the target asks for.
pub fn scan_cache_seed() -> Vec<u8> {
    use crate::source::cache::{CacheSettings, Key, ScanCache, FILE_NAME};
    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = scratch(&format!("scan_cache_seed-{n}"));
    let _ = std::fs::remove_dir_all(&dir);
    let settings = CacheSettings {
        dir: dir.clone(),
        read: true,
    };
    let cache = ScanCache::open(&settings, CACHE_IDENTITY);
    let findings = builtin_engine().scan("a.py", SAMPLE);
    cache.put_text(
        Key::blob(&[0; 20], "a.py"),
        SAMPLE.len() as u64,
        None,
        &findings,
    );
    cache.put_binary(Key::blob(&[1; 20], "a.py"));
    cache.put_record(Key::commit(&[2; 20], false), b"a.py\0record".to_vec());
    let _ = cache.save();
    let mut bytes = std::fs::read(dir.join(FILE_NAME)).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    bytes.truncate(bytes.len().saturating_sub(4));
    bytes
}

/// A small repository for `prepush_input`: two commits on `main`, the first also
/// `refs/remotes/origin/main`, an annotated tag on the second. Built once per process with
/// the `git` command line, with fixed dates so the ids are the same every time (the corpus
/// names them; `fuzz/seed_corpus.sh` builds the same repository).
fn prepush_repo() -> Option<&'static Path> {
    static REPO: OnceLock<Option<PathBuf>> = OnceLock::new();
    REPO.get_or_init(|| {
        let dir = scratch("prepush_input");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).ok()?;
        let git = |args: &[&str]| {
            std::process::Command::new("git")
                .args(args)
                .current_dir(&dir)
                .env("GIT_AUTHOR_NAME", "fuzz")
                .env("GIT_AUTHOR_EMAIL", "fuzz@example.com")
                .env("GIT_COMMITTER_NAME", "fuzz")
                .env("GIT_COMMITTER_EMAIL", "fuzz@example.com")
                .env("GIT_AUTHOR_DATE", "2020-01-01T00:00:00Z")
                .env("GIT_COMMITTER_DATE", "2020-01-01T00:00:00Z")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("HOME", &dir)
                .output()
                .ok()
                .filter(|o| o.status.success())
        };
        git(&["init", "-q", "-b", "main"])?;
        std::fs::write(dir.join("a.txt"), "one\n").ok()?;
        git(&["add", "a.txt"])?;
        git(&["commit", "-q", "-m", "one"])?;
        git(&["update-ref", "refs/remotes/origin/main", "HEAD"])?;
        std::fs::write(dir.join("a.txt"), "two\n").ok()?;
        git(&["commit", "-q", "-am", "two"])?;
        git(&["tag", "-a", "-m", "tag", "v1"])?;
        Some(dir)
    })
    .as_deref()
}

/// `prepush_input`: the lines git writes to a pre-push hook's stdin, parsed and turned into
/// the ranges the hook scans, in a small repository whose ids the corpus uses.
pub fn prepush_input(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    let Ok(lines) = crate::source::git::parse_push_lines(&input) else {
        return;
    };
    let Some(dir) = prepush_repo() else { return };
    let Ok(repo) = crate::source::git::open(dir) else {
        return;
    };
    let repo = repo.to_thread_local();
    let mut errors = Vec::new();
    let ranges = crate::source::git::push_ranges(&repo, &lines, &mut errors);
    assert!(ranges.len() <= lines.len(), "more ranges than pushed lines");
}

/// A bare repository skeleton for `pack_reader`, created once per process.
fn pack_repo() -> Option<&'static Path> {
    static REPO: OnceLock<Option<PathBuf>> = OnceLock::new();
    REPO.get_or_init(|| {
        let dir = scratch("pack_reader").join("repo.git");
        let _ = std::fs::remove_dir_all(&dir);
        gix::init_bare(&dir).ok()?;
        Some(dir)
    })
    .as_deref()
}

/// `pack_reader`: the input as a pack and its index (a little-endian `u32` length of the
/// index, the index, then the pack), read through [`crate::source::git::pack::Reader`] as a
/// history scan reads it: every object the index lists sized, located in its delta chain,
/// decoded; every tree diffed against nothing, every commit's tree against its first
/// parent's. Corrupt entries, out-of-range deltas and delta cycles must be errors.
pub fn pack_reader(data: &[u8]) {
    use crate::source::git::pack::{Packs, Reader};
    use crate::source::git::tree::TreeDiff;
    let Some((len, rest)) = data.split_first_chunk::<4>() else {
        return;
    };
    let len = u32::from_le_bytes(*len) as usize;
    let Some((idx, pack)) = rest.split_at_checked(len.min(rest.len())) else {
        return;
    };
    let Some(repo_dir) = pack_repo() else { return };
    let pack_dir = repo_dir.join("objects").join("pack");
    let idx_path = pack_dir.join("pack-fuzz.idx");
    if std::fs::write(&idx_path, idx).is_err()
        || std::fs::write(pack_dir.join("pack-fuzz.pack"), pack).is_err()
    {
        return;
    }
    let ids: Vec<ObjectId> = match gix::odb::pack::index::File::at(&idx_path, gix::hash::Kind::Sha1)
    {
        Ok(index) => index.iter().take(256).map(|e| e.oid).collect(),
        Err(_) => Vec::new(),
    };
    let Ok(repo) = gix::open(repo_dir) else {
        return;
    };
    {
        let packs = Packs::open(&repo);
        let mut window = crate::source::git::pack::Window::default();
        for id in &ids {
            let _ = packs.chain_start(id, &mut window);
        }
        let reader = Reader::new(packs, &repo);
        for id in &ids {
            let _ = reader.cheap_size(id);
            let Ok(Some((kind, bytes))) = reader.object(id) else {
                continue;
            };
            match kind {
                gix::objs::Kind::Tree => {
                    let _ = TreeDiff::new(&reader).diff(None, *id);
                }
                gix::objs::Kind::Commit => {
                    let Ok(commit) =
                        gix::objs::CommitRef::from_bytes(&bytes, gix::hash::Kind::Sha1)
                    else {
                        continue;
                    };
                    let tree = commit.tree();
                    let parent_tree = commit.parents().next().and_then(|p| {
                        let (_, b) = reader.object(&p).ok()??;
                        gix::objs::CommitRef::from_bytes(&b, gix::hash::Kind::Sha1)
                            .ok()
                            .map(|c| c.tree())
                    });
                    let _ = TreeDiff::new(&reader).diff(parent_tree, tree);
                }
                _ => {}
            }
        }
    }
}
