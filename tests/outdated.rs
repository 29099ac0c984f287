//! `--outdated` end to end: the real binary, a project with a lockfile of each of the eight
//! ecosystems, and one server on 127.0.0.1 per registry speaking that registry's API.

mod common;
use common::http::{Req, Resp, Server};
use common::registries::registry_handler;
use common::{bin, write, Run};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

const RULE: &str = "dependency-outdated";

/// One package of a fake registry: (ecosystem, name, [(version, date)], newest last).
type Entry = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str)>,
);

fn catalogue() -> Vec<Entry> {
    vec![
        (
            "crates.io",
            "serde",
            vec![
                ("0.9.15", "2017-04-20T00:00:00Z"),
                ("1.0.0", "2017-04-20T12:00:00Z"),
                ("1.0.215", "2026-09-06T12:00:00Z"),
            ],
        ),
        (
            "crates.io",
            "anyhow",
            vec![
                ("1.0.98", "2026-06-01T00:00:00Z"),
                ("1.0.99", "2026-10-01T00:00:00Z"),
            ],
        ),
        (
            "crates.io",
            "itoa",
            vec![
                ("0.4.8", "2021-08-01T00:00:00Z"),
                ("1.0.11", "2026-04-01T00:00:00Z"),
            ],
        ),
        (
            "npm",
            "react",
            vec![
                ("16.14.0", "2020-10-14T00:00:00Z"),
                ("17.0.2", "2021-03-22T00:00:00Z"),
                ("18.3.1", "2026-04-26T00:00:00Z"),
            ],
        ),
        (
            "npm",
            "@types/node",
            vec![
                ("22.5.0", "2026-08-01T00:00:00Z"),
                ("22.10.0", "2026-10-01T00:00:00Z"),
            ],
        ),
        (
            "npm",
            "loose-envify",
            vec![
                ("1.4.0", "2018-07-01T00:00:00Z"),
                ("2.0.0", "2026-01-01T00:00:00Z"),
            ],
        ),
        (
            "PyPI",
            "requests",
            vec![
                ("2.20.0", "2018-10-18T00:00:00Z"),
                ("2.32.3", "2026-05-29T00:00:00Z"),
            ],
        ),
        ("PyPI", "flask", vec![("3.0.3", "2026-04-07T00:00:00Z")]),
        (
            "RubyGems",
            "rails",
            vec![
                ("6.1.7", "2022-09-09T00:00:00Z"),
                ("7.2.0", "2025-08-10T00:00:00Z"),
                ("8.0.1", "2026-10-13T00:00:00Z"),
            ],
        ),
        ("RubyGems", "rake", vec![("13.2.1", "2026-03-01T00:00:00Z")]),
        (
            "Go",
            "golang.org/x/net",
            vec![
                ("v0.1.0", "2022-10-19T00:00:00Z"),
                ("v0.31.0", "2026-11-07T00:00:00Z"),
            ],
        ),
        (
            "Go",
            "github.com/BurntSushi/toml",
            vec![
                ("v1.4.0", "2026-06-01T00:00:00Z"),
                ("v1.4.1", "2026-07-01T00:00:00Z"),
            ],
        ),
        // A new Go major is a new module path: v50 is in use, v52 is the newest.
        (
            "Go",
            "github.com/google/go-github/v50",
            vec![("v50.2.0", "2026-03-01T00:00:00Z")],
        ),
        (
            "Go",
            "github.com/google/go-github/v51",
            vec![("v51.0.0", "2026-04-01T00:00:00Z")],
        ),
        (
            "Go",
            "github.com/google/go-github/v52",
            vec![("v52.1.0", "2026-06-01T00:00:00Z")],
        ),
        (
            "Packagist",
            "symfony/console",
            vec![
                ("v5.4.0", "2021-11-29T00:00:00Z"),
                ("v6.4.0", "2023-11-29T00:00:00Z"),
                ("v7.2.0", "2026-11-29T00:00:00Z"),
            ],
        ),
        (
            "Packagist",
            "monolog/monolog",
            vec![
                ("2.9.0", "2023-02-06T00:00:00Z"),
                ("3.8.0", "2026-11-12T00:00:00Z"),
            ],
        ),
        (
            "NuGet",
            "Newtonsoft.Json",
            vec![
                ("12.0.3", "2019-11-09T00:00:00Z"),
                ("13.0.3", "2026-03-08T00:00:00Z"),
            ],
        ),
        (
            "NuGet",
            "System.Memory",
            vec![
                ("4.5.4", "2020-02-19T00:00:00Z"),
                ("4.6.0", "2026-11-12T00:00:00Z"),
            ],
        ),
        (
            "Maven",
            "com.google.guava:guava",
            vec![
                ("31.1-jre", "2022-02-28T00:00:00Z"),
                ("32.0.0-jre", "2023-05-24T00:00:00Z"),
                ("33.3.1-jre", "2026-09-25T00:00:00Z"),
            ],
        ),
    ]
}

const ECOSYSTEMS: [&str; 8] = [
    "crates.io",
    "npm",
    "PyPI",
    "RubyGems",
    "Go",
    "Packagist",
    "NuGet",
    "Maven",
];

/// The direct dependencies the project uses that are outdated, by name.
const EXPECTED: [&str; 9] = [
    "serde",                           // 0.9 → 1.0: a major step for crates.io
    "react",                           // 16 → 18
    "requests",                        // same major, but released 2018
    "rails",                           // 6 → 8
    "golang.org/x/net",                // v0 all along, but released 2022
    "github.com/google/go-github/v50", // /v52 exists
    "symfony/console",                 // 5 → 7
    "Newtonsoft.Json",                 // 12 → 13
    "com.google.guava:guava",          // 31 → 33
];

struct Registries {
    servers: Vec<(&'static str, Server)>,
    osv: Server,
}

impl Registries {
    fn start() -> Registries {
        let servers = ECOSYSTEMS
            .iter()
            .map(|eco| {
                let packages = catalogue()
                    .into_iter()
                    .filter(|(e, _, _)| e == eco)
                    .map(|(_, name, versions)| {
                        (
                            name.to_string(),
                            versions
                                .iter()
                                .map(|(v, d)| (v.to_string(), d.to_string()))
                                .collect(),
                        )
                    })
                    .collect();
                (*eco, Server::start(registry_handler(eco, packages)))
            })
            .collect();
        // An OSV API that knows no advisories, so the scan's advisory check passes.
        let osv = Server::start(|req: &Req| {
            let n = req.json()["queries"].as_array().map_or(0, |q| q.len());
            Resp::json(200, &json!({ "results": vec![json!({}); n] }))
        });
        Registries { servers, osv }
    }

    fn args(&self) -> Vec<String> {
        let mut args = vec!["--osv-url".to_string(), self.osv.url()];
        for (eco, server) in &self.servers {
            args.push("--registry".into());
            args.push(format!("{eco}={}", server.url()));
        }
        args
    }

    /// Every registry request so far: (ecosystem, path).
    fn requests(&self) -> Vec<(&'static str, String)> {
        self.servers
            .iter()
            .flat_map(|(eco, s)| s.requests().into_iter().map(move |r| (*eco, r.path)))
            .collect()
    }
}

/// A project with one lockfile (or manifest) per ecosystem, each with a direct dependency
/// that is outdated, one that is current, and a transitive one that is outdated but must not
/// be asked about.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "rust/Cargo.lock",
        r#"version = 3

[[package]]
name = "anyhow"
version = "1.0.99"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "anyhow",
 "serde",
]

[[package]]
name = "itoa"
version = "0.4.8"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "serde"
version = "0.9.15"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "itoa",
]
"#,
    );
    write(
        root,
        "web/package-lock.json",
        r#"{
  "name": "web",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "web",
      "dependencies": { "react": "^16.14.0" },
      "devDependencies": { "@types/node": "^22.5.0" }
    },
    "node_modules/@types/node": { "version": "22.5.0", "dev": true },
    "node_modules/loose-envify": { "version": "1.4.0" },
    "node_modules/react": { "version": "16.14.0", "dependencies": { "loose-envify": "^1.1.0" } }
  }
}
"#,
    );
    write(
        root,
        "py/requirements.txt",
        "requests==2.20.0\nFlask==3.0.3\n",
    );
    write(
        root,
        "ruby/Gemfile.lock",
        "GEM
  remote: https://rubygems.org/
  specs:
    rails (6.1.7)
      rake (>= 12.2)
    rake (13.2.1)

PLATFORMS
  ruby

DEPENDENCIES
  rails (~> 6.1)
  rake

BUNDLED WITH
   2.5.22
",
    );
    write(
        root,
        "go/go.mod",
        "module example.com/app

go 1.22

require (
\tgithub.com/google/go-github/v50 v50.2.0
\tgolang.org/x/net v0.1.0
\tgithub.com/BurntSushi/toml v1.4.0 // indirect
)
",
    );
    write(
        root,
        "php/composer.json",
        r#"{"require": {"php": ">=8.1", "symfony/console": "^5.4"}}"#,
    );
    write(
        root,
        "php/composer.lock",
        r#"{
    "packages": [
        { "name": "monolog/monolog", "version": "2.9.0" },
        { "name": "symfony/console", "version": "v5.4.0" }
    ],
    "packages-dev": []
}
"#,
    );
    write(
        root,
        "dotnet/packages.lock.json",
        r#"{
  "version": 1,
  "dependencies": {
    "net8.0": {
      "Newtonsoft.Json": { "type": "Direct", "requested": "[12.0.3, )", "resolved": "12.0.3" },
      "System.Memory": { "type": "Transitive", "resolved": "4.5.4" }
    }
  }
}
"#,
    );
    write(
        root,
        "java/pom.xml",
        r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>app</artifactId>
  <version>1.0.0</version>
  <dependencies>
    <dependency>
      <groupId>com.google.guava</groupId>
      <artifactId>guava</artifactId>
      <version>31.1-jre</version>
    </dependency>
  </dependencies>
</project>
"#,
    );
    dir
}

fn run(root: &Path, cache: &Path, args: &[String]) -> Run {
    let out = Command::new(bin())
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env("HYGIENE_CACHE_DIR", cache)
        .output()
        .expect("run hygiene");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn scan_args(registries: &Registries, format: &str, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["scan", ".", "--outdated", "--format", format]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.extend(registries.args());
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn outdated(report: &Value) -> Vec<&Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule_id"] == RULE)
        .collect()
}

fn names(report: &Value) -> BTreeSet<String> {
    outdated(report)
        .iter()
        .filter_map(|f| f["package"]["name"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn outdated_direct_dependencies_of_every_registry_are_reported_once_asked() {
    let registries = Registries::start();
    let dir = project();
    let cache = tempfile::tempdir().expect("cache");
    let run1 = run(
        dir.path(),
        cache.path(),
        &scan_args(&registries, "json", &[]),
    );
    assert_eq!(run1.code, 1, "{}\n{}", run1.stdout, run1.stderr);
    let report = run1.json();
    let expected: BTreeSet<String> = EXPECTED.iter().map(|s| s.to_string()).collect();
    assert_eq!(names(&report), expected, "{report:#}");
    assert!(
        report["errors"].as_array().expect("errors").is_empty(),
        "{report:#}"
    );
    for f in outdated(&report) {
        assert_eq!(f["kind"], "hygiene", "{f}");
        assert_eq!(f["severity"], "low", "{f}");
    }
    let message = |name: &str| -> String {
        outdated(&report)
            .iter()
            .find(|f| f["package"]["name"] == name)
            .and_then(|f| f["message"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    let react = message("react");
    assert!(react.contains("2 major versions behind"), "{react}");
    assert!(
        react.contains("newest release is 18.3.1 (2026-04-26)"),
        "{react}"
    );
    let requests = message("requests");
    assert!(
        requests.contains("released 2018-10-18 (over 8 years ago)"),
        "{requests}"
    );
    assert!(requests.contains("2.32.3"), "{requests}");
    assert!(message("serde").contains("1 major version behind"));
    let github = message("github.com/google/go-github/v50");
    assert!(github.contains("2 major versions behind"), "{github}");
    assert!(
        github.contains("newest release is v52.1.0 (2026-06-01)"),
        "{github}"
    );
    assert_eq!(
        outdated(&report)
            .iter()
            .find(|f| f["package"]["name"] == "react")
            .map(|f| (f["path"].clone(), f["line"].clone())),
        Some((json!("web/package-lock.json"), json!(13)))
    );

    // Transitive packages are never asked about; each direct one is asked once.
    let asked = registries.requests();
    for transitive in [
        "itoa",
        "loose-envify",
        "monolog",
        "toml",
        "System.Memory",
        "system.memory",
    ] {
        assert!(
            asked.iter().all(|(_, path)| !path.contains(transitive)),
            "{transitive} was asked about: {asked:?}"
        );
    }
    for (eco, _) in &registries.servers {
        assert!(
            asked.iter().any(|(e, _)| e == eco),
            "{eco} was never asked: {asked:?}"
        );
    }

    // Again: every answer comes from the cache.
    let run2 = run(
        dir.path(),
        cache.path(),
        &scan_args(&registries, "json", &[]),
    );
    assert_eq!(names(&run2.json()), expected);
    assert_eq!(
        registries.requests().len(),
        asked.len(),
        "the second run asked again"
    );
}

#[test]
fn text_and_sarif_show_outdated_dependencies() {
    let registries = Registries::start();
    let dir = project();
    let cache = tempfile::tempdir().expect("cache");
    let text = run(
        dir.path(),
        cache.path(),
        &scan_args(&registries, "text", &[]),
    );
    assert_eq!(text.code, 1, "{}", text.stderr);
    assert!(text.stdout.contains(RULE), "{}", text.stdout);
    assert!(text.stdout.contains("rails 6.1.7"), "{}", text.stdout);
    assert!(text.stdout.contains("8.0.1"), "{}", text.stdout);
    let sarif = run(
        dir.path(),
        cache.path(),
        &scan_args(&registries, "sarif", &[]),
    )
    .json();
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let ours: Vec<&Value> = results.iter().filter(|r| r["ruleId"] == RULE).collect();
    assert_eq!(ours.len(), EXPECTED.len(), "{sarif:#}");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let rule = rules
        .iter()
        .find(|r| r["id"] == RULE)
        .expect("the rule is described");
    assert!(
        rule["help"]["markdown"]
            .as_str()
            .unwrap_or_default()
            .contains("Upgrade"),
        "{rule}"
    );
}

#[test]
fn the_age_limit_and_the_switch_come_from_the_configuration() {
    let registries = Registries::start();
    let dir = project();
    let cache = tempfile::tempdir().expect("cache");
    // Ten years: only the major-version gaps remain.
    write(
        dir.path(),
        ".hygiene.toml",
        "[deps]\noutdated_max_age = \"10y\"\n",
    );
    let report = run(
        dir.path(),
        cache.path(),
        &scan_args(&registries, "json", &[]),
    )
    .json();
    let names_found = names(&report);
    assert!(!names_found.contains("requests"), "{names_found:?}");
    assert!(!names_found.contains("golang.org/x/net"), "{names_found:?}");
    assert!(names_found.contains("react"), "{names_found:?}");
    // The command line wins over the configuration.
    let report = run(
        dir.path(),
        cache.path(),
        &scan_args(&registries, "json", &["--outdated-max-age", "1y"]),
    )
    .json();
    assert!(names(&report).contains("requests"));
    // And the rule can be turned off.
    write(
        dir.path(),
        ".hygiene.toml",
        "[secrets]\ndisable = [\"dependency-outdated\"]\n",
    );
    let report = run(
        dir.path(),
        cache.path(),
        &scan_args(&registries, "json", &[]),
    )
    .json();
    assert!(outdated(&report).is_empty(), "{report:#}");
}

#[test]
fn without_network_it_says_so_once_and_the_scan_goes_on() {
    let registries = Registries::start();
    let dir = project();
    write(
        dir.path(),
        "config/settings.py",
        "AWS_ACCESS_KEY_ID = 'AKIAQ3EGRX7M2TW5KJ4N'\n",
    );
    let cache = tempfile::tempdir().expect("cache");
    // Every registry on a port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let dead = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let mut args: Vec<String> = ["scan", ".", "--outdated", "--format", "json", "--osv-url"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push(registries.osv.url());
    for eco in ECOSYSTEMS {
        args.push("--registry".into());
        args.push(format!("{eco}={dead}"));
    }
    let started = std::time::Instant::now();
    let out = run(dir.path(), cache.path(), &args);
    let report = out.json();
    assert!(outdated(&report).is_empty(), "{report:#}");
    let problems: Vec<&Value> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter(|e| e["kind"] == "outdated")
        .collect();
    assert_eq!(problems.len(), 1, "{report:#}");
    assert_eq!(problems[0]["level"], "warning");
    let message = problems[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("cannot reach"), "{message}");
    assert!(
        message.contains("13 direct dependencies were not checked"),
        "{message}"
    );
    // The secret is still found, and the scan is not called incomplete for it.
    assert!(
        report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["rule_id"].as_str().is_some_and(|r| r.starts_with("aws"))),
        "{report:#}"
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    eprintln!("offline --outdated took {:?}", started.elapsed());
}
