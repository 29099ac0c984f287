//! The keyword gate (`hygiene::secrets::keywords::KeywordSet`) against the `aho-corasick` crate,
//! on what a scan feeds the gate: the built-in rules' keywords (lowercased and deduplicated, as
//! the engine builds them) over every text file of a corpus, one search per file. Both report
//! every occurrence of every keyword, overlapping ones included, ASCII case-insensitively: the
//! semantics the engine needs (a keyword's occurrences place its rules' regions).
//!
//! Run by `bench/keywords.sh`; directly:
//! `cargo bench --bench keywords -- CORPUS_DIR [MAX_MIB] [RUNS]`.
//! Prints GB/s (10^9 bytes per second, one thread) per contender, the median of RUNS passes
//! taken in turns.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use hygiene::secrets::keywords::{Hit, KeywordSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What the working-tree scan skips: files over its default size limit, and binary files (a
/// NUL in the first 8 KiB).
const MAX_FILE: u64 = 10 << 20;
const BINARY_PROBE: usize = 8192;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let Ok(kind) = e.file_type() else { continue };
        if kind.is_dir() {
            files(&e.path(), out);
        } else if kind.is_file() {
            out.push(e.path());
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

type Search<'a> = Box<dyn Fn(&[u8], &mut Vec<Hit>) + 'a>;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let corpus = PathBuf::from(args.first().map_or("bench/.work/corpus", String::as_str));
    let max_bytes = args
        .get(1)
        .and_then(|a| a.parse::<u64>().ok())
        .map_or(u64::MAX, |mib| mib << 20);
    let runs = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(5usize);

    // The gate's keywords, as `Engine::new` builds them.
    let keywords = hygiene::fuzzing::builtin_keywords();
    let rules = hygiene::secrets::builtin_rules().expect("built-in rules load");

    let mut paths = Vec::new();
    files(&corpus, &mut paths);
    let mut texts: Vec<Vec<u8>> = Vec::new();
    let mut total = 0u64;
    for p in paths {
        if total >= max_bytes {
            break;
        }
        let Ok(meta) = std::fs::metadata(&p) else {
            continue;
        };
        if meta.len() > MAX_FILE {
            continue;
        }
        let Ok(text) = std::fs::read(&p) else {
            continue;
        };
        if text[..text.len().min(BINARY_PROBE)].contains(&0) {
            continue;
        }
        total += text.len() as u64;
        texts.push(text);
    }
    if texts.is_empty() {
        eprintln!(
            "no text files under {} (build the corpus with bench/corpus.sh)",
            corpus.display()
        );
        std::process::exit(2);
    }

    let ours = KeywordSet::new(&keywords).expect("keyword filter");
    let ac = |kind: Option<AhoCorasickKind>| -> AhoCorasick {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(kind)
            .build(&keywords)
            .expect("aho-corasick builds")
    };
    let (ac_auto, ac_dfa) = (ac(None), ac(Some(AhoCorasickKind::DFA)));
    let ac_search = |ac: &AhoCorasick, text: &[u8], hits: &mut Vec<Hit>| {
        hits.extend(ac.find_overlapping_iter(text).map(|m| Hit {
            end: m.end(),
            keyword: m.pattern().as_u32(),
        }));
    };
    let contenders: Vec<(&str, Search)> = vec![
        (
            "hygiene KeywordSet (find_unordered, the engine's call)",
            Box::new(|t, h| ours.find_unordered(t, h)),
        ),
        (
            "aho-corasick 1.1, kind chosen by the crate",
            Box::new(|t, h| ac_search(&ac_auto, t, h)),
        ),
        (
            "aho-corasick 1.1, DFA",
            Box::new(|t, h| ac_search(&ac_dfa, t, h)),
        ),
    ];

    println!(
        "corpus: {} ({} text files, {:.1} MiB in memory); {} keywords of {} rules; \
         {} threads available, one used; median of {runs} runs taken in turns",
        corpus.display(),
        texts.len(),
        total as f64 / 1048576.0,
        keywords.len(),
        rules.len(),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    );
    println!(
        "ours: {ours:?}, {} KiB of tables",
        ours.memory_usage() / 1024
    );
    println!(
        "aho-corasick chose {:?} ({} KiB); DFA {} KiB",
        ac_auto.kind(),
        ac_auto.memory_usage() / 1024,
        ac_dfa.memory_usage() / 1024
    );

    let mut times: Vec<Vec<f64>> = vec![Vec::new(); contenders.len()];
    let mut counts = vec![0usize; contenders.len()];
    let mut hits = Vec::new();
    for _ in 0..runs {
        for (i, (_, search)) in contenders.iter().enumerate() {
            let mut found = 0;
            let start = Instant::now();
            for t in &texts {
                hits.clear();
                search(t, &mut hits);
                found += hits.len();
            }
            times[i].push(start.elapsed().as_secs_f64());
            counts[i] = found;
        }
    }
    // The same occurrences, counted once each: a check that every contender did the same work.
    let mut want = 0;
    for t in &texts {
        hits.clear();
        ours.find_all(t, &mut hits);
        want += hits.len();
    }
    println!();
    println!(
        "{:<66} {:>8} {:>8} {:>12}",
        "searcher", "GB/s", "s", "occurrences"
    );
    for (i, (name, _)) in contenders.iter().enumerate() {
        let t = median(times[i].clone());
        println!(
            "{name:<66} {:>8.2} {:>8.3} {:>12}",
            total as f64 / t / 1e9,
            t,
            counts[i]
        );
    }
    println!("(distinct occurrences: {want})");
}
