//! Where a file sits says how likely its secrets are real. Tests, fixtures, examples and
//! documentation hold sample credentials on purpose far more often than live ones, so a
//! vendorless finding there (a generic assignment, a credential-file field) is reported at low
//! confidence and does not fail a scan by default. A provider's token with a fixed prefix or a
//! checksum keeps its confidence wherever it is: nobody writes a real-looking `ghp_` token into
//! documentation by accident, and a live one is live in a test too.

/// Directory names that hold tests, fixtures and examples.
const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "testdata",
    "test-data",
    "test_data",
    "testing",
    "fixtures",
    "fixture",
    "spec",
    "specs",
    "__tests__",
    "__mocks__",
    "examples",
    "example",
    "samples",
    "sample",
    "mocks",
    "mock",
    "testutil",
    "testutils",
    "test-fixtures",
    "test_fixtures",
    "e2e",
    "integration-tests",
    "unittests",
    "demo",
    "demos",
];

/// Directory names that hold documentation.
const DOC_DIRS: &[&str] = &[
    "doc",
    "docs",
    "documentation",
    "guide",
    "guides",
    "manual",
    "site",
    "website",
    "tutorial",
    "tutorials",
    "book",
];

/// Whether a directory in `lower` (a lowercased relative path) is a test or example directory.
pub fn in_test_directory(lower: &str) -> bool {
    let dirs = match lower.rfind('/') {
        Some(i) => &lower[..i],
        None => return false,
    };
    dirs.split('/').any(|d| TEST_DIRS.contains(&d))
}

/// Whether the file at `path` is a test, fixture, example or documentation file: under such a
/// directory, named like a test (`test_db.py`, `db_test.go`, `db.test.ts`, `DbTest.java`,
/// `db_spec.rb`), or a documentation file (`.md`, `.rst`, `.adoc`, `.txt`...).
pub fn demotes(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    if in_test_directory(&lower) {
        return true;
    }
    let (dirs, name) = match lower.rfind('/') {
        Some(i) => (&lower[..i], &lower[i + 1..]),
        None => ("", lower.as_str()),
    };
    if dirs.split('/').any(|d| DOC_DIRS.contains(&d)) {
        return true;
    }
    const DOC_EXTS: &[&str] = &[
        ".md",
        ".markdown",
        ".rst",
        ".adoc",
        ".asciidoc",
        ".txt",
        ".textile",
        ".ipynb",
    ];
    if DOC_EXTS.iter().any(|e| name.ends_with(e)) {
        return true;
    }
    let stem = name.split('.').next().unwrap_or(name);
    // `test_x.py`, `x_test.go`, `x.test.ts`, `x.spec.js`, `x_spec.rb`, `XTest.java`,
    // `XTests.cs`, `conftest.py`.
    stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem.ends_with("_spec")
        || stem == "conftest"
        || name.contains(".test.")
        || name.contains(".spec.")
        || name.contains(".example")
        || name.contains(".sample")
        || name.contains(".template")
        || is_camel_test(path)
}

/// `UserServiceTest.java`, `LoginTests.cs`, `ParserSpec.scala`: a capitalised `Test`, `Tests`
/// or `Spec` ending the file's stem.
fn is_camel_test(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    ["Test", "Tests", "Spec", "IT"].iter().any(|s| {
        stem.len() > s.len()
            && stem.ends_with(s)
            && stem[..stem.len() - s.len()]
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_and_doc_paths() {
        for p in [
            "tests/settings.py",
            "src/test/resources/application.properties",
            "app/spec/fixtures/users.yml",
            "docs/config.md",
            "README.md",
            "guides/source/configuring.md",
            "pkg/db/db_test.go",
            "web/login.test.ts",
            "src/main/java/FooTest.java",
            "test_settings.py",
            "config/database.yml.example",
            "examples/wp-config.php",
        ] {
            assert!(demotes(p), "{p}");
        }
        for p in [
            "config/database.yml",
            "settings.py",
            "src/main/resources/application.properties",
            ".env",
            "deploy/k8s/secret.yaml",
            "src/latest.rs",
            "contest/main.py",
            "src/Manifest.java",
        ] {
            assert!(!demotes(p), "{p}");
        }
    }
}
