//! Runs every rule's examples and negative examples: the contract each rule file states.

use super::engine::Engine;

/// One example that did not behave as its rule file says.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleFailure {
    pub rule: String,
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: rule `{}`: {}", self.file, self.rule, self.message)
    }
}

/// Checks that each rule finds a secret in each of its examples (through the whole engine:
/// keywords, regex, entropy and filters) and none in its negative examples.
///
/// Examples are run alone through an engine holding every rule, so a negative example only
/// fails for its own rule: another rule claiming the text is not this rule's fault.
pub fn check_examples(engine: &Engine) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for (i, rule) in engine.rules().iter().enumerate() {
        let path = rule
            .spec
            .example_path
            .clone()
            .unwrap_or_else(|| "example.txt".to_string());
        let fail = |message: String| ExampleFailure {
            rule: rule.spec.id.clone(),
            file: rule.file.clone(),
            message,
        };
        for ex in &rule.spec.examples {
            let found = engine
                .find_for_rule(i, &path, ex.as_bytes())
                .into_iter()
                .any(|m| m.rule == i);
            if !found {
                failures.push(fail(format!("example not matched: {ex:?}")));
            }
        }
        for ex in &rule.spec.negative_examples {
            if engine
                .find_for_rule(i, &path, ex.as_bytes())
                .into_iter()
                .any(|m| m.rule == i)
            {
                failures.push(fail(format!("negative example matched: {ex:?}")));
            }
        }
    }
    failures
}
