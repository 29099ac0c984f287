//! Walker behaviour that the binary cannot stage on demand: files that vanish or change type
//! between being listed and being read.

use hygiene::outcome::{ErrorLevel, Outcome};
use hygiene::source::walk::{walk, WalkOptions};
use hygiene::source::Visitor;
use std::path::PathBuf;
use std::sync::Mutex;

/// Deletes (or replaces with a directory) chosen files just before the walker reads them.
struct Saboteur {
    root: PathBuf,
    seen: Mutex<Vec<String>>,
}

impl Visitor for Saboteur {
    fn path(&self, rel: &str, _out: &mut Outcome) {
        let p = self.root.join(rel);
        if rel == "vanishing.txt" {
            std::fs::remove_file(&p).unwrap();
        } else if rel == "becomes-dir.txt" {
            std::fs::remove_file(&p).unwrap();
            std::fs::create_dir(&p).unwrap();
        }
    }

    fn content(&self, rel: &str, _content: &[u8], _out: &mut Outcome) {
        self.seen.lock().unwrap().push(rel.to_string());
    }
}

#[test]
fn a_file_that_vanishes_mid_scan_is_reported_and_the_rest_completes() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.txt", "vanishing.txt", "becomes-dir.txt", "z.txt"] {
        std::fs::write(dir.path().join(name), "hello\n").unwrap();
    }
    let saboteur = Saboteur {
        root: dir.path().to_path_buf(),
        seen: Mutex::new(Vec::new()),
    };
    let outcome = walk(dir.path(), &WalkOptions::default(), &saboteur);
    let mut seen = saboteur.seen.into_inner().unwrap();
    seen.sort();
    assert_eq!(seen, vec!["a.txt", "z.txt"]);
    let mut errors: Vec<(String, &str, ErrorLevel)> = outcome
        .errors
        .iter()
        .map(|e| (e.path.clone().unwrap_or_default(), e.kind.as_str(), e.level))
        .collect();
    errors.sort();
    assert_eq!(
        errors,
        vec![
            (
                "becomes-dir.txt".to_string(),
                "unreadable",
                ErrorLevel::Error
            ),
            ("vanishing.txt".to_string(), "vanished", ErrorLevel::Error),
        ]
    );
    assert!(outcome.incomplete());
    assert_eq!(outcome.stats.files_scanned, 2);
    assert_eq!(outcome.stats.skipped_unreadable, 2);
}
