//! Credential-file formats (`patterns/formats/`): every format's examples yield exactly their
//! secrets and its negative examples nothing; the families are covered; every format names its
//! documentation.

use hygiene::secrets::formats::{builtin_formats, check_examples, FAMILIES};
use std::collections::BTreeMap;

#[test]
fn every_format_honours_its_examples() {
    let set = builtin_formats().unwrap_or_else(|e| panic!("built-in formats do not load: {e}"));
    let failures = check_examples(&set);
    let report: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
    assert!(
        failures.is_empty(),
        "{} example failures over {} formats:\n{}",
        failures.len(),
        set.formats().len(),
        report.join("\n")
    );
}

#[test]
fn formats_cover_every_family() {
    let set = builtin_formats().expect("formats load");
    let mut by_family: BTreeMap<&str, usize> = BTreeMap::new();
    for f in set.formats() {
        *by_family.entry(f.spec.family.as_str()).or_default() += 1;
        assert!(
            f.spec.docs.starts_with("http"),
            "{}: docs must be a URL",
            f.spec.id
        );
    }
    for family in FAMILIES {
        assert!(
            by_family.get(family).copied().unwrap_or(0) >= 3,
            "family {family} has fewer than 3 formats: {by_family:?}"
        );
    }
    assert!(
        set.formats().len() >= 60,
        "{} formats: {by_family:?}",
        set.formats().len()
    );
}

#[test]
fn format_ids_do_not_clash_with_rules() {
    let set = builtin_formats().expect("formats load");
    let rules = hygiene::secrets::builtin_rules().expect("rules load");
    let mut seen = std::collections::HashSet::new();
    for id in rules
        .iter()
        .map(|r| r.spec.id.as_str())
        .chain(set.formats().iter().map(|f| f.spec.id.as_str()))
    {
        assert!(seen.insert(id), "duplicate id {id}");
    }
}
