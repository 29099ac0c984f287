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
        // Built-in rules are analysed on first use, where a failure would only be a fallback:
        // here it is a failure.
        if let Err(e) = rule.check_analysis().and_then(|_| rule.compile_regexes()) {
            failures.push(fail(e.message));
            continue;
        }
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

/// Checks that every example of a rule is reported under that rule when every rule runs, as
/// in a scan: where two rules claim the same bytes only one finding is kept (see
/// `dedupe_overlaps`), and a provider's rule whose examples another rule takes over would
/// never report under its own name.
pub fn check_attribution(engine: &Engine) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for (i, rule) in engine.rules().iter().enumerate() {
        let path = rule.spec.example_path.as_deref().unwrap_or("example.txt");
        for ex in &rule.spec.examples {
            let found = engine.find(path, ex.as_bytes());
            if found.iter().any(|m| m.rule == i) {
                continue;
            }
            let others: Vec<&str> = found
                .iter()
                .filter_map(|m| engine.rules().get(m.rule).map(|r| r.spec.id.as_str()))
                .collect();
            // Not matched at all is `check_examples`' failure; here only a takeover counts.
            if !others.is_empty() {
                failures.push(ExampleFailure {
                    rule: rule.spec.id.clone(),
                    file: rule.file.clone(),
                    message: format!("example reported as {others:?} instead: {ex:?}"),
                });
            }
        }
    }
    failures
}

/// The quality bar of a built-in rule (docs/RULES.md): the provider's documentation of the
/// format named in the description, two examples of which one shows the secret in a
/// surrounding (a config line, an env file, code), and a negative example.
pub fn check_quality(engine: &Engine) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for (i, rule) in engine.rules().iter().enumerate() {
        let spec = &rule.spec;
        let mut problems = Vec::new();
        if !spec.description.contains("https://") {
            problems.push("the description names no documentation (an https:// URL)".to_string());
        }
        if spec.examples.len() < 2 {
            problems.push(format!("{} example(s), two needed", spec.examples.len()));
        }
        if spec.negative_examples.is_empty() {
            problems.push("no negative example".to_string());
        }
        let path = spec.example_path.as_deref().unwrap_or("example.txt");
        // A rule for one kind of file (`config/master.key`) has whole files as examples: the
        // file is the surrounding.
        let in_context = spec.example_path.is_some()
            || spec.examples.iter().any(|ex| {
                engine
                    .find_for_rule(i, path, ex.as_bytes())
                    .iter()
                    .any(|m| m.end - m.start < ex.trim().len())
            });
        if !in_context {
            problems.push(
                "no example shows the secret in a surrounding (a config line, an env file, code)"
                    .to_string(),
            );
        }
        for message in problems {
            failures.push(ExampleFailure {
                rule: spec.id.clone(),
                file: rule.file.clone(),
                message,
            });
        }
    }
    failures
}
