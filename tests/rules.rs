//! Every built-in rule's examples must match and its negative examples must not.

use hygiene::secrets::check::{check_attribution, check_examples, check_quality};
use hygiene::secrets::rule::check_unique_ids;
use hygiene::secrets::sensitive;
use hygiene::secrets::{builtin_rules, Engine};

#[test]
fn every_builtin_rule_honours_its_examples() {
    let rules = builtin_rules().unwrap_or_else(|e| panic!("built-in rules do not load: {e}"));
    check_unique_ids(&rules).unwrap_or_else(|e| panic!("{e}"));
    let count = rules.len();
    let engine = Engine::new(rules).expect("engine");
    let failures = check_examples(&engine);
    let report: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
    assert!(
        failures.is_empty(),
        "{} example failures over {count} rules:\n{}",
        failures.len(),
        report.join("\n")
    );
}

#[test]
fn every_sensitive_file_rule_honours_its_examples() {
    let rules = sensitive::builtin()
        .unwrap_or_else(|e| panic!("built-in sensitive-file rules do not load: {e}"));
    let count = rules.rules().len();
    assert!(count >= 14, "{count} sensitive-file rules");
    let report: Vec<String> = sensitive::check_examples(rules)
        .iter()
        .map(|f| f.to_string())
        .collect();
    assert!(
        report.is_empty(),
        "{} example failures over {count} sensitive-file rules:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn every_rule_has_a_negative_example() {
    let rules = builtin_rules().expect("rules load");
    let missing: Vec<&str> = rules
        .iter()
        .filter(|r| r.spec.negative_examples.is_empty())
        .map(|r| r.spec.id.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "rules without negative examples: {missing:?}"
    );
}

#[test]
fn every_builtin_rule_meets_the_quality_bar() {
    let rules = builtin_rules().expect("rules load");
    let count = rules.len();
    assert!(
        count >= 600,
        "{count} built-in rules, at least 600 expected"
    );
    let engine = Engine::new(rules).expect("engine");
    let report: Vec<String> = check_quality(&engine)
        .iter()
        .map(|f| f.to_string())
        .collect();
    assert!(
        report.is_empty(),
        "{} quality failures over {count} rules:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn every_builtin_rule_reports_its_examples_under_its_own_id() {
    let engine = Engine::new(builtin_rules().expect("rules load")).expect("engine");
    let report: Vec<String> = check_attribution(&engine)
        .iter()
        .map(|f| f.to_string())
        .collect();
    assert!(
        report.is_empty(),
        "{} examples reported under another rule:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn the_cheap_id_list_names_every_builtin_rule() {
    let ids: Vec<String> = builtin_rules()
        .expect("rules load")
        .into_iter()
        .map(|r| r.spec.id)
        .collect();
    assert_eq!(hygiene::secrets::rule::builtin_rule_ids(), ids);
}
