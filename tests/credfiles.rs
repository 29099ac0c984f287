//! Recall and precision by line on the second labelled corpus, `fixtures/credfiles/`: credential
//! files of eight families written from each format's public layout by someone who had not
//! seen the detector (`bench/credfiles-corpus.py`; `bench/credfiles.py` prints the same
//! figures with every miss and false alarm). The bar: recall >= 0.95 at precision >= 0.98,
//! and no clean look-alike fails a default scan.

mod common;
use common::hygiene;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[test]
fn credential_file_corpus_meets_the_bar() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/credfiles");
    let mut truth: BTreeMap<(String, u64), String> = BTreeMap::new();
    for l in std::fs::read_to_string(corpus.join("truth.tsv"))
        .expect("truth.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = l.split('\t').collect();
        truth.insert(
            (cols[0].to_string(), cols[1].parse().expect("line number")),
            cols[2].to_string(),
        );
    }
    let family_of: BTreeMap<String, (String, bool)> =
        std::fs::read_to_string(corpus.join("files.tsv"))
            .expect("files.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let cols: Vec<&str> = l.split('\t').collect();
                (
                    cols[0].to_string(),
                    (cols[1].to_string(), cols[2] == "clean"),
                )
            })
            .collect();
    assert!(truth.len() >= 300, "truth.tsv has {} lines", truth.len());
    assert!(family_of.values().filter(|(_, clean)| *clean).count() >= 100);

    let run = hygiene(&corpus, &["scan", ".", "--no-deps", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    let found = common::found_lines(&report);
    let keys: BTreeSet<(String, u64)> = truth.keys().cloned().collect();
    let tp = found.intersection(&keys).count() as f64;
    let recall = tp / keys.len() as f64;
    let precision = tp / found.len() as f64;
    // Per family, for the failure message.
    let mut by_family: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for (key, family) in &truth {
        let e = by_family.entry(family).or_default();
        e.0 += 1;
        if found.contains(key) {
            e.1 += 1;
        }
    }
    for key in found.difference(&keys) {
        if let Some((family, _)) = family_of.get(&key.0) {
            by_family.entry(family).or_default().2 += 1;
        }
    }
    let misses: Vec<_> = keys.difference(&found).collect();
    let alarms: Vec<_> = found.difference(&keys).collect();
    assert!(
        recall >= 0.95 && precision >= 0.98,
        "recall {recall:.3}, precision {precision:.3}\n(family: secrets, found, false alarms) \
         {by_family:?}\nmissed: {misses:?}\nfalse alarms: {alarms:?}"
    );
    // No clean look-alike fails a default scan (medium or high confidence).
    for f in report["findings"].as_array().expect("findings") {
        let path = f["path"].as_str().unwrap();
        if family_of.get(path).is_some_and(|(_, clean)| *clean) {
            assert_eq!(
                f["confidence"], "low",
                "clean file fails a default scan: {f:#}"
            );
        }
    }
}
