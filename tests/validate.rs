//! `scan --validate` end to end: the real binary, rule examples written to files, and a
//! server on 127.0.0.1 that plays every provider (reached through
//! `HYGIENE_TEST_VALIDATE_SERVER`, which the binary honours from its environment only).
//!
//! Every validator of the built-in rules is exercised with an active and an inactive
//! answer; the failure modes (429, 5xx, a timeout, garbage) are played to all of them at
//! once. Then: the verdict cache, the opt-out, `--only-active`, the reports, and that neither
//! a scanned repository's configuration nor a user's rule file can send a secret anywhere
//! else.

mod common;

use common::http::{Req, Resp, Server};
use common::{hygiene_bounded, write};
use hygiene::secrets::validator::{Matcher, ValidateSpec, ValidatorKind};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(120);

/// A built-in rule with a validator, and the example the test writes for it.
struct Validated {
    id: String,
    spec: ValidateSpec,
    /// Relative path of the file holding the example.
    file: String,
    example: String,
}

fn validated() -> Vec<Validated> {
    let rules = hygiene::secrets::builtin_rules().expect("built-in rules load");
    rules
        .iter()
        .filter_map(|r| {
            let spec = r.spec.validate.clone()?;
            let examples = &r.spec.examples;
            // An AWS secret key is checked with the key ID beside it; a webhook URL must be
            // https to be sent at all.
            let pick = |want: &str| examples.iter().find(|e| e.contains(want));
            // A validator that asks only about some of a rule's secrets (an API token, not an
            // SDK key) gets an example of those.
            let fits = spec.captures.as_deref().map(|c| {
                let unanchored = c.trim_start_matches('^').trim_end_matches('$');
                regex::Regex::new(unanchored).expect("captures compile")
            });
            let example = match spec.kind() {
                ValidatorKind::AwsSts => pick("AKIA"),
                ValidatorKind::GcpJwt => None,
                ValidatorKind::Http if spec.url.starts_with("{{") => pick("https://"),
                ValidatorKind::Http => fits
                    .as_ref()
                    .and_then(|re| examples.iter().find(|e| re.is_match(e))),
            }
            .or(examples.first())?
            .clone();
            let file = match &r.spec.example_path {
                Some(p) => format!("{}/{p}", r.spec.id),
                None => format!("{}.txt", r.spec.id),
            };
            Some(Validated {
                id: r.spec.id.clone(),
                spec,
                file,
                example,
            })
        })
        .collect()
}

/// What the server plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scenario {
    Active,
    Inactive,
    RateLimited,
    ServerError,
    Timeout,
    Garbage,
}

/// Sets `pointer` (`/a/b`) in `doc` to `value`, making objects on the way.
fn set(doc: &mut Value, pointer: &str, value: Value) {
    let mut at = doc;
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        if !at.is_object() {
            *at = json!({});
        }
        let map = at.as_object_mut().expect("an object");
        if i + 1 == parts.len() {
            map.insert(part.to_string(), value);
            return;
        }
        at = map.entry(part.to_string()).or_insert(json!({}));
    }
}

/// The answer a matcher describes, as the provider would send it.
fn answer_for(spec: &ValidateSpec, m: &Matcher) -> Resp {
    let status = m.status[0];
    if !spec.wants_json() && m.json.is_empty() && m.present.is_empty() {
        return Resp::text(status, m.body.as_deref().unwrap_or("ok"));
    }
    let mut doc = json!({});
    for (pointer, want) in &m.json {
        set(
            &mut doc,
            pointer,
            serde_json::to_value(want).expect("a JSON value"),
        );
    }
    for pointer in &m.present {
        set(&mut doc, pointer, json!("present"));
    }
    if let Some(text) = &m.body {
        set(&mut doc, "/message", json!(text));
    }
    Resp::json(status, &doc)
}

fn aws_answer(active: bool) -> Resp {
    match active {
        true => Resp::text(
            200,
            "<GetCallerIdentityResponse><GetCallerIdentityResult>\
             <Arn>arn:aws:iam::123456789012:user/ci</Arn></GetCallerIdentityResult>\
             </GetCallerIdentityResponse>",
        ),
        false => Resp::text(
            403,
            "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>\
             </Error></ErrorResponse>",
        ),
    }
}

/// A server playing every provider of `rules` in `scenario`, told apart by the rule header.
fn provider_server(rules: &[Validated], scenario: Scenario) -> Server {
    let specs: Arc<BTreeMap<String, ValidateSpec>> = Arc::new(
        rules
            .iter()
            .map(|r| (r.id.clone(), r.spec.clone()))
            .collect(),
    );
    Server::start(move |req: &Req| {
        let rule = req
            .headers
            .get("x-hygiene-test-rule")
            .cloned()
            .unwrap_or_default();
        match scenario {
            Scenario::RateLimited => return Resp::text(429, "{\"error\":\"slow down\"}"),
            Scenario::ServerError => return Resp::text(503, "{\"error\":\"unavailable\"}"),
            Scenario::Garbage => return Resp::text(200, "<html>\u{1}\u{2} not what was asked"),
            Scenario::Timeout => {
                return Resp {
                    delay: Duration::from_secs(3),
                    ..Resp::text(200, "{}")
                }
            }
            Scenario::Active | Scenario::Inactive => {}
        }
        let active = scenario == Scenario::Active;
        if rule == "aws-sts" {
            return aws_answer(active);
        }
        let Some(spec) = specs.get(&rule) else {
            return Resp::text(500, "no such rule");
        };
        match active {
            true => answer_for(spec, &spec.active[0]),
            false => answer_for(spec, &spec.inactive[0]),
        }
    })
}

/// Writes every example into `root`.
fn write_examples(root: &Path, rules: &[Validated]) {
    for r in rules {
        write(root, &r.file, format!("{}\n", r.example));
    }
}

/// The flags of a scenario: a short timeout where the server is slow on purpose (it answers
/// after 3 s).
fn timeout_of(scenario: Scenario) -> Vec<&'static str> {
    match scenario {
        Scenario::Timeout => vec!["--validate-timeout", "0.5"],
        _ => Vec::new(),
    }
}

/// Runs `scan --validate` of `root` against `server` with `cache` as the cache directory.
fn scan(root: &Path, server: &Server, cache: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec!["scan", ".", "--no-deps", "--validate"];
    args.extend_from_slice(extra);
    // Generous, so a loaded test machine does not turn answers into timeouts; the timeout
    // scenarios ask for a short one.
    if !extra.contains(&"--validate-timeout") {
        args.extend_from_slice(&["--validate-timeout", "5"]);
    }
    if !extra.contains(&"--format") {
        args.extend_from_slice(&["--format", "json"]);
    }
    let url = server.url();
    hygiene_bounded(
        root,
        &args,
        &[
            ("HYGIENE_TEST_VALIDATE_SERVER", url.as_str()),
            ("HYGIENE_CACHE_DIR", &cache.display().to_string()),
        ],
        LIMIT,
    )
}

/// The validation (state, reason) of each finding of each rule.
fn verdicts(report: &Value) -> BTreeMap<String, Vec<(String, Option<String>)>> {
    let mut out: BTreeMap<String, Vec<(String, Option<String>)>> = BTreeMap::new();
    for f in report["findings"].as_array().expect("findings") {
        let Some(v) = f.get("validation") else {
            continue;
        };
        out.entry(f["rule_id"].as_str().unwrap_or("").to_string())
            .or_default()
            .push((
                v["state"].as_str().unwrap_or("").to_string(),
                v["reason"].as_str().map(str::to_string),
            ));
    }
    out
}

/// Checks that every rule's findings got `state` (and `reason`), listing every one that did
/// not.
fn expect_all(rules: &[Validated], report: &Value, state: &str, reason: Option<&str>) {
    let got = verdicts(report);
    let mut wrong = Vec::new();
    for r in rules {
        if r.spec.kind() == ValidatorKind::GcpJwt {
            // The examples' keys are invented, not RSA keys: see the Google test below.
            continue;
        }
        if state == "unknown" && reason == Some("unexpected-answer") && !r.spec.wants_json() {
            // A provider answering plain text: garbage may be an answer it gives.
            continue;
        }
        match got.get(&r.id) {
            None => wrong.push(format!("{}: no validated finding", r.id)),
            Some(vs) => {
                for (s, why) in vs {
                    if s != state || why.as_deref() != reason {
                        wrong.push(format!("{}: {s} {why:?}", r.id));
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "expected {state} {reason:?} for every validator:\n{}",
        wrong.join("\n")
    );
}

/// Standard base64 (for the basic-auth header a validator sends).
fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The whole secret of each finding of each validated rule (a `--show-secrets` report).
fn secrets(report: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in report["findings"].as_array().expect("findings") {
        if f.get("validation").is_some() {
            if let Some(s) = f["secret"].as_str() {
                out.entry(f["rule_id"].as_str().unwrap_or("").to_string())
                    .or_default()
                    .insert(s.to_string());
            }
        }
    }
    out
}

#[test]
fn every_validator_tells_active_from_inactive_against_its_provider() {
    let rules = validated();
    assert!(rules.len() >= 30, "only {} validated rules", rules.len());
    let tree = tempfile::tempdir().expect("tempdir");
    write_examples(tree.path(), &rules);

    // Active, with the secrets shown: each request is checked against its rule.
    let server = provider_server(&rules, Scenario::Active);
    let cache = tempfile::tempdir().expect("tempdir");
    let run = scan(tree.path(), &server, cache.path(), &["--show-secrets"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    expect_all(&rules, &report, "active", None);
    let shown = secrets(&report);
    let requests = server.requests();
    let mut wrong = Vec::new();
    for r in &rules {
        if r.spec.kind() != ValidatorKind::Http {
            continue;
        }
        let sent: Vec<&Req> = requests
            .iter()
            .filter(|q| q.headers.get("x-hygiene-test-rule") == Some(&r.id))
            .collect();
        if sent.is_empty() {
            wrong.push(format!("{}: no request", r.id));
            continue;
        }
        for q in sent {
            if q.method != r.spec.method() {
                wrong.push(format!("{}: method {}", r.id, q.method));
            }
            let host = q
                .headers
                .get("x-hygiene-test-host")
                .cloned()
                .unwrap_or_default();
            if !r.spec.host_allowed(&host) {
                wrong.push(format!("{}: sent for host {host}", r.id));
            }
            // The secret went where the rule says, whole.
            let carried = shown.get(&r.id).into_iter().flatten().any(|s| {
                let basic =
                    r.spec.basic.as_ref().map(|[user, _]| {
                        format!("Basic {}", base64(format!("{user}:{s}").as_bytes()))
                    });
                q.headers.values().any(|v| v.contains(s.as_str()))
                    || basic.is_some_and(|b| q.headers.values().any(|v| *v == b))
                    || (r.spec.secret_in_url
                        && q.path.contains(
                            s.trim_start_matches("https://")
                                .split_once('/')
                                .map_or("", |(_, p)| p),
                        ))
                    || (r.spec.secret_in_url && q.path.contains(s.as_str()))
                    || String::from_utf8_lossy(&q.body).contains(s.as_str())
            });
            if !carried {
                wrong.push(format!("{}: the secret is not in the request {q:?}", r.id));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // AWS: signed with the key ID from the same file, never carrying the secret key.
    let aws: Vec<&Req> = requests
        .iter()
        .filter(|q| q.headers.get("x-hygiene-test-rule").map(String::as_str) == Some("aws-sts"))
        .collect();
    assert!(!aws.is_empty());
    for q in &aws {
        let auth = q.headers.get("authorization").cloned().unwrap_or_default();
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIA"),
            "{auth}"
        );
        assert!(auth.contains("/us-east-1/sts/aws4_request"), "{auth}");
        assert_eq!(
            String::from_utf8_lossy(&q.body),
            "Action=GetCallerIdentity&Version=2011-06-15"
        );
        for s in shown.values().flatten() {
            assert!(!auth.contains(s.as_str()) || s.starts_with("AKIA"));
        }
    }

    // Inactive.
    let server = provider_server(&rules, Scenario::Inactive);
    let cache = tempfile::tempdir().expect("tempdir");
    let run = scan(tree.path(), &server, cache.path(), &[]);
    expect_all(&rules, &run.json(), "inactive", None);
}

#[test]
fn failures_are_unknown_with_their_reason_and_never_show_the_secret() {
    let rules = validated();
    let tree = tempfile::tempdir().expect("tempdir");
    write_examples(tree.path(), &rules);
    let all_secrets: Vec<String> = {
        let server = provider_server(&rules, Scenario::Active);
        let cache = tempfile::tempdir().expect("tempdir");
        let run = scan(tree.path(), &server, cache.path(), &["--show-secrets"]);
        secrets(&run.json()).into_values().flatten().collect()
    };
    assert!(!all_secrets.is_empty());
    let cases = [
        (Scenario::RateLimited, "rate-limited"),
        (Scenario::ServerError, "unexpected-answer"),
        (Scenario::Garbage, "unexpected-answer"),
        (Scenario::Timeout, "timeout"),
    ];
    for (scenario, reason) in cases {
        let server = provider_server(&rules, scenario);
        let cache = tempfile::tempdir().expect("tempdir");
        let run = scan(tree.path(), &server, cache.path(), &timeout_of(scenario));
        let report = run.json();
        expect_all(&rules, &report, "unknown", Some(reason));
        assert!(
            run.stderr.contains("could not be validated")
                || report["errors"]
                    .to_string()
                    .contains("could not be validated"),
            "{scenario:?}: {}",
            run.stderr
        );
        // Nothing printed holds a whole secret, and no unknown verdict was kept.
        for s in &all_secrets {
            assert!(
                !run.stdout.contains(s.as_str()),
                "{scenario:?} printed a secret"
            );
            assert!(
                !run.stderr.contains(s.as_str()),
                "{scenario:?} logged a secret"
            );
        }
        let kept = std::fs::read_dir(cache.path().join("validate")).map_or(0, |d| d.count());
        assert_eq!(kept, 0, "{scenario:?}: an unknown verdict was cached");
    }
    // The network down: nothing listens on the port.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let cache = tempfile::tempdir().expect("tempdir");
    let url = format!("http://127.0.0.1:{port}");
    let run = hygiene_bounded(
        tree.path(),
        &["scan", ".", "--no-deps", "--format", "json", "--validate"],
        &[
            ("HYGIENE_TEST_VALIDATE_SERVER", url.as_str()),
            ("HYGIENE_CACHE_DIR", &cache.path().display().to_string()),
        ],
        LIMIT,
    );
    expect_all(&rules, &run.json(), "unknown", Some("network"));
}

#[test]
fn verdicts_are_cached_by_digest_for_the_next_run_and_hold_no_secret() {
    let rules = validated();
    let tree = tempfile::tempdir().expect("tempdir");
    write_examples(tree.path(), &rules);
    let cache = tempfile::tempdir().expect("tempdir");
    let first = provider_server(&rules, Scenario::Active);
    let run = scan(tree.path(), &first, cache.path(), &["--show-secrets"]);
    let shown: Vec<String> = secrets(&run.json()).into_values().flatten().collect();
    let asked = first.requests().len();
    assert!(asked > 0);
    // Each distinct secret once: no more requests than distinct (rule, secret) pairs.
    let distinct = secrets(&run.json())
        .values()
        .map(BTreeSet::len)
        .sum::<usize>();
    assert!(asked <= distinct, "{asked} requests for {distinct} secrets");
    // Again, with a provider that would answer nothing useful: every verdict from the cache.
    let second = provider_server(&rules, Scenario::ServerError);
    let run = scan(tree.path(), &second, cache.path(), &[]);
    expect_all(&rules, &run.json(), "active", None);
    assert_eq!(second.requests().len(), 0, "the cache was not used");
    for entry in std::fs::read_dir(cache.path().join("validate")).expect("validate/") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
        for s in &shown {
            assert!(!text.contains(s.as_str()), "the cache holds a secret");
        }
    }
}

/// A small tree with one GitHub token and one Slack token.
fn two_tokens(root: &Path) {
    write(
        root,
        "a.env",
        "GITHUB_TOKEN=ghp_kT3v9QZrB1xYw7LmN2pD4sH8jF6aC0eU5gRi\n",
    );
    write(
        root,
        "b.env",
        "SLACK_BOT_TOKEN=xoxb-2843981234-2844029478213-Jd8Kq2LmPz7RtWx4YvBn6HcE\n",
    );
}

/// GitHub's token works, Slack's does not.
fn github_only() -> Server {
    Server::start(
        |req: &Req| match req.headers.get("x-hygiene-test-host").map(String::as_str) {
            Some("api.github.com") => Resp::json(200, &json!({"login": "octocat"})),
            Some("slack.com") => Resp::json(200, &json!({"ok": false, "error": "invalid_auth"})),
            _ => Resp::text(500, "?"),
        },
    )
}

#[test]
fn only_active_reports_the_live_secrets_and_sarif_and_text_show_the_verdict() {
    let tree = tempfile::tempdir().expect("tempdir");
    two_tokens(tree.path());
    let server = github_only();
    let cache = tempfile::tempdir().expect("tempdir");
    let run = scan(tree.path(), &server, cache.path(), &[]);
    let v = verdicts(&run.json());
    assert_eq!(v["github-pat-classic"], [("active".to_string(), None)]);
    assert_eq!(v["slack-bot-token"], [("inactive".to_string(), None)]);

    let run = scan(tree.path(), &server, cache.path(), &["--only-active"]);
    let report = run.json();
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    assert_eq!(ids, ["github-pat-classic"], "{report:#}");

    let run = scan(tree.path(), &server, cache.path(), &["--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let by_rule = |id: &str| {
        results
            .iter()
            .find(|r| r["ruleId"] == id)
            .unwrap_or_else(|| panic!("no {id} result"))
    };
    assert_eq!(
        by_rule("github-pat-classic")["properties"]["validation"],
        "active"
    );
    assert_eq!(by_rule("github-pat-classic")["level"], "error");
    assert_eq!(
        by_rule("slack-bot-token")["properties"]["validation"],
        "inactive"
    );

    let run = scan(tree.path(), &server, cache.path(), &["--format", "text"]);
    assert!(run.stdout.contains("[active]"), "{}", run.stdout);
    assert!(run.stdout.contains("[inactive]"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("validated: 1 active, 1 inactive, 0 unknown"),
        "{}",
        run.stdout
    );
}

#[test]
fn without_validate_nothing_is_asked() {
    let tree = tempfile::tempdir().expect("tempdir");
    two_tokens(tree.path());
    let server = github_only();
    let url = server.url();
    let run = hygiene_bounded(
        tree.path(),
        &["scan", ".", "--no-deps", "--format", "json"],
        &[("HYGIENE_TEST_VALIDATE_SERVER", url.as_str())],
        LIMIT,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stdout.contains("\"validation\""));
    assert_eq!(server.requests().len(), 0);
}

/// `--validate-max 1`: one request to GitHub's host, the other token of the same host is
/// `unknown: rate-limited` with the budget named, and nothing over the budget is cached.
#[test]
fn a_run_sends_no_more_than_its_budget_to_one_host() {
    let tree = tempfile::tempdir().expect("tempdir");
    write(
        tree.path(),
        "a.env",
        "GITHUB_TOKEN=ghp_kT3v9QZrB1xYw7LmN2pD4sH8jF6aC0eU5gRi\n\
         OTHER_TOKEN=ghp_Zq8wE4rT6yU2iO9pA3sD5fG7hJ1kL0zX6cVb\n",
    );
    let server = github_only();
    let cache = tempfile::tempdir().expect("tempdir");
    let run = scan(tree.path(), &server, cache.path(), &["--validate-max", "1"]);
    assert_eq!(server.requests().len(), 1, "{}", run.stderr);
    let v = verdicts(&run.json());
    let mut github = v["github-pat-classic"].clone();
    github.sort();
    assert_eq!(
        github,
        [
            ("active".to_string(), None),
            ("unknown".to_string(), Some("rate-limited".to_string()))
        ]
    );
    assert!(
        run.stdout.contains("budget of 1 requests"),
        "{}",
        run.stdout
    );
    // The second run asks again only about the one not answered.
    let again = scan(tree.path(), &server, cache.path(), &["--validate-max", "1"]);
    assert_eq!(server.requests().len(), 2, "{}", again.stderr);
}

/// A hook asks nothing unless its command line says `--validate`; then its message shows the
/// providers' answers.
#[test]
fn a_hook_validates_only_when_asked() {
    let tree = tempfile::tempdir().expect("tempdir");
    let root = tree.path();
    common::git(root, &["init", "-q"]);
    two_tokens(root);
    common::git(root, &["add", "-A"]);
    let server = github_only();
    let url = server.url();
    let cache = tempfile::tempdir().expect("tempdir");
    let cache_dir = cache.path().display().to_string();
    let env = [
        ("HYGIENE_TEST_VALIDATE_SERVER", url.as_str()),
        ("HYGIENE_CACHE_DIR", cache_dir.as_str()),
    ];
    let run = hygiene_bounded(root, &["hook", "pre-commit"], &env, LIMIT);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(server.requests().len(), 0);
    assert!(!run.stderr.contains("[active]"), "{}", run.stderr);

    let run = hygiene_bounded(root, &["hook", "pre-commit", "--validate"], &env, LIMIT);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(server.requests().len(), 2, "{}", run.stderr);
    assert!(run.stderr.contains("[active]"), "{}", run.stderr);
    assert!(run.stderr.contains("[inactive]"), "{}", run.stderr);
}

#[test]
fn an_organisation_turns_validation_off_in_its_configuration() {
    let tree = tempfile::tempdir().expect("tempdir");
    two_tokens(tree.path());
    write(
        tree.path(),
        ".hygiene.toml",
        "[validate]\nenabled = false\n",
    );
    let server = github_only();
    let cache = tempfile::tempdir().expect("tempdir");
    let run = scan(tree.path(), &server, cache.path(), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("enabled = false"), "{}", run.stderr);
    assert_eq!(server.requests().len(), 0);
}

#[test]
fn a_scanned_repository_cannot_redirect_validation() {
    let server = github_only();
    let cache = tempfile::tempdir().expect("tempdir");
    // 1. No configuration key names a server.
    let tree = tempfile::tempdir().expect("tempdir");
    two_tokens(tree.path());
    let url = server.url();
    write(
        tree.path(),
        ".hygiene.toml",
        format!("[validate]\nserver = \"{url}\"\n"),
    );
    let run = scan(tree.path(), &server, cache.path(), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // 2. A configuration's own rules may not carry a validator, wherever it points.
    let tree = tempfile::tempdir().expect("tempdir");
    two_tokens(tree.path());
    write(
        tree.path(),
        ".hygiene.toml",
        r#"
[[secrets.rules]]
id = "acme-token"
name = "Acme token"
description = "d"
regex = '''(acme_[a-z0-9]{20})'''
keywords = ["acme_"]
severity = "high"
confidence = "high"
examples = ["acme_abcdefghij0123456789"]

[secrets.rules.validate]
provider = "Acme"
docs = "https://docs.example.com"
url = "https://collector.example.net/v1/me"
headers = { Authorization = "Bearer {{secret}}" }
active = [{ status = [200] }]
inactive = [{ status = [401] }]
"#,
    );
    write(tree.path(), "c.env", "ACME=acme_abcdefghij0123456789\n");
    let run = scan(tree.path(), &server, cache.path(), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("not allowed in a configuration"),
        "{}",
        run.stderr
    );
    assert_eq!(server.requests().len(), 0);
    // 3. The test server itself must be a loopback address in the process environment.
    let tree = tempfile::tempdir().expect("tempdir");
    two_tokens(tree.path());
    let run = hygiene_bounded(
        tree.path(),
        &["scan", ".", "--no-deps", "--validate"],
        &[(
            "HYGIENE_TEST_VALIDATE_SERVER",
            "http://collector.example.net:80",
        )],
        LIMIT,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn a_users_rule_file_is_held_to_https_and_its_own_host() {
    let server = github_only();
    let url = server.url();
    let cache = tempfile::tempdir().expect("tempdir");
    let rule = |validate: &str| {
        format!(
            r#"
[[rules]]
id = "acme-token"
name = "Acme token"
description = "d"
regex = '''(https://[a-z.]+/hook/[a-z0-9]{{20}})'''
keywords = ["/hook/"]
severity = "high"
confidence = "high"
examples = ["https://hooks.acme.example/hook/abcdefghij0123456789"]

[rules.validate]
provider = "Acme"
docs = "https://docs.example.com"
{validate}
active = [{{ status = [200] }}]
inactive = [{{ status = [401] }}]
"#
        )
    };
    // Plain HTTP, even to 127.0.0.1: refused when the rules load.
    let tree = tempfile::tempdir().expect("tempdir");
    two_tokens(tree.path());
    let rules = tempfile::tempdir().expect("tempdir");
    let dir = rules.path().display().to_string();
    write(
        rules.path(),
        "acme.toml",
        rule(&format!(
            "url = \"{url}/me\"\nheaders = {{ X = \"{{{{secret}}}}\" }}"
        )),
    );
    let run = scan(tree.path(), &server, cache.path(), &["--rules", &dir]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("https://"), "{}", run.stderr);
    // A URL that is the secret: sent only when it is on the rule's host.
    let tree = tempfile::tempdir().expect("tempdir");
    write(
        rules.path(),
        "acme.toml",
        rule("url = \"{{secret}}\"\nhosts = [\"hooks.acme.example\"]\nsecret_in_url = true"),
    );
    write(
        tree.path(),
        "hooks.txt",
        "ok = https://hooks.acme.example/hook/abcdefghij0123456789\n\
         evil = https://collector.example.net/hook/abcdefghij0123456789\n",
    );
    let run = scan(tree.path(), &server, cache.path(), &["--rules", &dir]);
    let report = run.json();
    let states: BTreeSet<(String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule_id"] == "acme-token")
        .map(|f| {
            (
                f["line"].to_string(),
                f["validation"]["state"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    // Line 1 asked (the test server answers 500 for an unknown host: unknown); line 2 never.
    assert_eq!(
        states,
        BTreeSet::from([
            ("1".to_string(), "unknown".to_string()),
            ("2".to_string(), "unknown".to_string())
        ])
    );
    let hosts: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|q| q.headers.get("x-hygiene-test-host").cloned())
        .collect();
    assert_eq!(hosts, ["hooks.acme.example"]);
}

#[test]
fn requests_go_through_the_proxy_of_the_environment_which_sees_only_the_host() {
    let tree = tempfile::tempdir().expect("tempdir");
    two_tokens(tree.path());
    let proxy = Server::start(|_req: &Req| Resp::text(403, "not through this proxy"));
    let cache = tempfile::tempdir().expect("tempdir");
    let url = proxy.url();
    let run = hygiene_bounded(
        tree.path(),
        &["scan", ".", "--no-deps", "--format", "json", "--validate"],
        &[
            ("HTTPS_PROXY", url.as_str()),
            ("https_proxy", url.as_str()),
            ("NO_PROXY", ""),
            ("no_proxy", ""),
            ("HYGIENE_CACHE_DIR", &cache.path().display().to_string()),
        ],
        LIMIT,
    );
    let v = verdicts(&run.json());
    assert_eq!(v["github-pat-classic"][0].0, "unknown", "{v:?}");
    let seen: BTreeSet<(String, String)> = proxy
        .requests()
        .iter()
        .map(|q| (q.method.clone(), q.path.clone()))
        .collect();
    assert!(
        seen.contains(&("CONNECT".to_string(), "api.github.com:443".to_string())),
        "{seen:?}"
    );
    assert!(
        seen.contains(&("CONNECT".to_string(), "slack.com:443".to_string())),
        "{seen:?}"
    );
    // A tunnel: the proxy saw hosts, never a token.
    for q in proxy.requests() {
        let all = format!("{} {} {:?}", q.method, q.path, q.headers);
        assert!(!all.contains("ghp_") && !all.contains("xoxb-"), "{all}");
    }
}

#[test]
fn rules_list_validators_names_each_provider_and_what_is_sent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = hygiene_bounded(dir.path(), &["rules", "list", "--validators"], &[], LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<&str> = run.stdout.lines().collect();
    let row = |id: &str| {
        rows.iter()
            .find(|l| l.split_whitespace().next() == Some(id))
            .unwrap_or_else(|| panic!("no {id} row:\n{}", run.stdout))
            .to_string()
    };
    assert!(row("github-pat-classic").contains("GET https://api.github.com/user"));
    assert!(row("github-pat-classic").contains("Authorization header"));
    assert!(row("aws-secret-access-key").contains("sts.amazonaws.com"));
    assert!(row("telegram-bot-token").contains("URL"));
    let last = rows.last().copied().unwrap_or("");
    let providers: usize = last
        .split(" against ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(providers >= 40, "{last}");
    assert_eq!(rows.len() - 2, validated().len());
}

/// A Google service account key file around a fresh RSA key (made with `openssl`), or `None`
/// where there is no openssl.
fn google_key_file() -> Option<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().expect("tempdir");
    let pem = dir.path().join("key.pem");
    let made = std::process::Command::new("openssl")
        .args([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
        ])
        .arg(&pem)
        .output()
        .ok()?;
    if !made.status.success() {
        return None;
    }
    let pem = std::fs::read_to_string(&pem).expect("key.pem");
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    use base64::Engine as _;
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("PEM body");
    let file = json!({
        "type": "service_account",
        "project_id": "hygiene-test",
        "private_key_id": "0123456789abcdef0123456789abcdef01234567",
        "private_key": pem,
        "client_email": "ci@hygiene-test.iam.gserviceaccount.com",
        "token_uri": "https://collector.example.net/token",
    });
    Some((serde_json::to_string_pretty(&file).expect("JSON"), der))
}

#[test]
fn a_google_service_account_key_is_checked_by_a_signed_token_exchange() {
    let Some((file, der)) = google_key_file() else {
        eprintln!("no openssl: the Google key test needs it to make an RSA key");
        return;
    };
    let tree = tempfile::tempdir().expect("tempdir");
    write(tree.path(), "sa.json", &file);
    let public = ring::signature::RsaKeyPair::from_pkcs8(&der)
        .expect("an RSA key")
        .public()
        .as_ref()
        .to_vec();
    let server_for = |scenario: Scenario| {
        let public = public.clone();
        Server::start(move |req: &Req| {
            use base64::Engine as _;
            let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            let body = String::from_utf8_lossy(&req.body).to_string();
            let jwt = body
                .split('&')
                .find_map(|kv| kv.strip_prefix("assertion="))
                .unwrap_or("");
            let parts: Vec<&str> = jwt.split('.').collect();
            let claims: Value = parts
                .get(1)
                .and_then(|c| b64.decode(c).ok())
                .and_then(|c| serde_json::from_slice(&c).ok())
                .unwrap_or(Value::Null);
            let signed = parts.len() == 3
                && ring::signature::UnparsedPublicKey::new(
                    &ring::signature::RSA_PKCS1_2048_8192_SHA256,
                    &public,
                )
                .verify(
                    format!("{}.{}", parts[0], parts[1]).as_bytes(),
                    &b64.decode(parts[2]).unwrap_or_default(),
                )
                .is_ok();
            let right = signed
                && claims["iss"] == "ci@hygiene-test.iam.gserviceaccount.com"
                && claims["aud"] == "https://oauth2.googleapis.com/token"
                && req.path == "/token"
                && body.starts_with(
                    "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&",
                );
            match (scenario, right) {
                (_, false) => Resp::json(400, &json!({"error": "invalid_request"})),
                (Scenario::Active, true) => Resp::json(
                    200,
                    &json!({"access_token": "ya29.x", "expires_in": 3599, "token_type": "Bearer"}),
                ),
                (Scenario::Inactive, true) => Resp::json(
                    400,
                    &json!({"error": "invalid_grant", "error_description": "Invalid JWT Signature."}),
                ),
                (Scenario::RateLimited, true) => Resp::text(429, "{}"),
                (Scenario::Garbage, true) => Resp::text(200, "<html>not a token"),
                (Scenario::Timeout, true) => Resp {
                    delay: Duration::from_secs(3),
                    ..Resp::text(200, "{}")
                },
                (_, true) => Resp::text(503, "{}"),
            }
        })
    };
    let cases = [
        (Scenario::Active, "active", None),
        (Scenario::Inactive, "inactive", None),
        (
            Scenario::RateLimited,
            "unknown",
            Some("rate-limited".to_string()),
        ),
        (
            Scenario::ServerError,
            "unknown",
            Some("unexpected-answer".to_string()),
        ),
        (
            Scenario::Garbage,
            "unknown",
            Some("unexpected-answer".to_string()),
        ),
        (Scenario::Timeout, "unknown", Some("timeout".to_string())),
    ];
    for (scenario, state, reason) in cases {
        let server = server_for(scenario);
        let cache = tempfile::tempdir().expect("tempdir");
        let run = scan(tree.path(), &server, cache.path(), &timeout_of(scenario));
        let v = verdicts(&run.json());
        assert_eq!(
            v.get("gcp-service-account-key"),
            Some(&vec![(state.to_string(), reason.clone())]),
            "{scenario:?}: {v:?}\n{}",
            run.stderr
        );
        // To Google's token endpoint, whatever the file's token_uri says; the key never sent.
        for q in server.requests() {
            assert_eq!(
                q.headers.get("x-hygiene-test-host").map(String::as_str),
                Some("oauth2.googleapis.com")
            );
            assert!(!String::from_utf8_lossy(&q.body).contains("PRIVATE KEY"));
        }
    }
}

#[test]
fn a_live_aws_key_pair_marks_both_halves_and_redirects_are_not_followed() {
    let tree = tempfile::tempdir().expect("tempdir");
    write(
        tree.path(),
        "credentials",
        "[default]\naws_access_key_id = AKIAIWG3ROIM5L3WWCJ4\n\
         aws_secret_access_key = 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\n",
    );
    write(
        tree.path(),
        "a.env",
        "GITHUB_TOKEN=ghp_kT3v9QZrB1xYw7LmN2pD4sH8jF6aC0eU5gRi\n",
    );
    // Elsewhere: the host a redirect points to, which must never be asked.
    let elsewhere = Server::start(|_req: &Req| Resp::json(200, &json!({"login": "x"})));
    let target = format!("{}/user", elsewhere.url());
    let server = Server::start(move |req: &Req| {
        match req.headers.get("x-hygiene-test-rule").map(String::as_str) {
            Some("aws-sts") => aws_answer(true),
            _ => Resp::text(302, "").header("Location", &target),
        }
    });
    let cache = tempfile::tempdir().expect("tempdir");
    let run = scan(tree.path(), &server, cache.path(), &["--only-active"]);
    let report = run.json();
    let ids: BTreeSet<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    assert_eq!(
        ids,
        BTreeSet::from(["aws-access-key-id", "aws-secret-access-key"]),
        "{report:#}"
    );
    let run = scan(tree.path(), &server, cache.path(), &[]);
    let v = verdicts(&run.json());
    assert_eq!(
        v["github-pat-classic"],
        [("unknown".to_string(), Some("unexpected-answer".to_string()))]
    );
    assert_eq!(elsewhere.requests().len(), 0, "a redirect was followed");
}

#[test]
fn requests_to_one_host_are_few_at_a_time_and_spaced() {
    // Six distinct GitHub tokens, one provider.
    let tree = tempfile::tempdir().expect("tempdir");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for i in 0..6 {
        let token: String = (0..36)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ALNUM[(seed >> 33) as usize % ALNUM.len()] as char
            })
            .collect();
        write(
            tree.path(),
            &format!("t{i}.env"),
            format!("GITHUB_TOKEN=ghp_{token}\n"),
        );
    }
    let times: Arc<std::sync::Mutex<Vec<(std::time::Instant, std::time::Instant)>>> =
        Arc::default();
    let log = times.clone();
    let server = Server::start(move |_req: &Req| {
        let start = std::time::Instant::now();
        std::thread::sleep(Duration::from_millis(400));
        log.lock()
            .expect("lock")
            .push((start, std::time::Instant::now()));
        Resp::json(401, &json!({"message": "Bad credentials"}))
    });
    let cache = tempfile::tempdir().expect("tempdir");
    let run = scan(tree.path(), &server, cache.path(), &[]);
    let v = verdicts(&run.json());
    assert_eq!(v["github-pat-classic"].len(), 6, "{v:?}");
    let mut spans = times.lock().expect("lock").clone();
    assert_eq!(spans.len(), 6);
    spans.sort();
    let most_at_once = spans
        .iter()
        .map(|(s, _)| spans.iter().filter(|(a, b)| a <= s && s < b).count())
        .max()
        .unwrap_or(0);
    assert!(
        most_at_once <= 2,
        "{most_at_once} requests to one host at once"
    );
    // Six starts 250 ms apart span 1.25 s; the server's clock sees them with some jitter.
    let span = spans[5].0 - spans[0].0;
    assert!(
        span >= Duration::from_millis(900),
        "six requests within {span:?}"
    );
}
