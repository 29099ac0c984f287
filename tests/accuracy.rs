//! Recall and precision by line on the labelled corpus in `fixtures/accuracy` (see
//! `bench/accuracy.py`, which prints the same figures with the misses and false alarms).
//! The bar: recall >= 0.90 and precision >= 0.95.

mod common;
use common::hygiene;
use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn accuracy_corpus_meets_the_bar() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/accuracy");
    let truth: BTreeSet<(String, u64)> = std::fs::read_to_string(corpus.join("truth.tsv"))
        .expect("truth.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (p, n) = l.split_once('\t').expect("path<TAB>line");
            (p.to_string(), n.parse().expect("line number"))
        })
        .collect();
    assert!(truth.len() >= 90, "truth.tsv has {} lines", truth.len());
    let run = hygiene(&corpus, &["scan", ".", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    let found = common::found_lines(&report);
    let tp = found.intersection(&truth).count() as f64;
    let recall = tp / truth.len() as f64;
    let precision = tp / found.len() as f64;
    let misses: Vec<_> = truth.difference(&found).collect();
    let false_alarms: Vec<_> = found.difference(&truth).collect();
    assert!(
        recall >= 0.90 && precision >= 0.95,
        "recall {recall:.3}, precision {precision:.3}\nmissed: {misses:?}\nfalse alarms: {false_alarms:?}"
    );
    // Every clean look-alike file stays quiet, sensitive-file findings included.
    for f in report["findings"].as_array().unwrap() {
        let path = f["path"].as_str().unwrap();
        assert!(
            !path.starts_with("clean/"),
            "finding in a clean file: {f:#}"
        );
    }
}

#[test]
fn corpus_has_enough_files() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/accuracy");
    fn count(dir: &Path) -> usize {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| if p.is_dir() { count(&p) } else { 1 })
            .sum()
    }
    assert!(count(&corpus) >= 60);
}
