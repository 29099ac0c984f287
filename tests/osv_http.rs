//! The OSV API client and `db update`, against real HTTP servers on 127.0.0.1 started by the
//! tests: replays of recorded API exchanges (`../shared/osv/api-recordings`, go-vcr
//! cassettes), synthetic exchanges (pagination, hydration) and injected faults. No test here
//! reaches beyond the loopback interface.

use hygiene::deps::osv::api::{ApiClient, ApiConfig, ApiError, PackageQuery};
use hygiene::deps::osv::db::{self, EcosystemDb, UpdateStatus};
use hygiene::deps::osv::{self, AdvisorySource, CheckError};
use hygiene::deps::{Ecosystem, Package};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const RECORDINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/osv/api-recordings");
mod common;
use common::http::{Resp, Server};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/osv");

fn config(server: &Server) -> ApiConfig {
    ApiConfig {
        base_url: server.url(),
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(5),
        max_retries: 2,
        initial_backoff: Duration::from_millis(10),
        ..Default::default()
    }
}

fn query(eco: Ecosystem, name: &str, version: &str) -> PackageQuery {
    PackageQuery {
        ecosystem: eco,
        name: name.into(),
        version: version.into(),
    }
}

fn pkg(eco: Ecosystem, name: &str, version: &str, path: &str) -> Package {
    Package {
        ecosystem: eco,
        name: name.into(),
        version: version.into(),
        path: path.into(),
        line: 1,
        direct: None,
        dev: None,
    }
}

// ------------------------------------------------------------------------------------
// go-vcr cassettes
// ------------------------------------------------------------------------------------

#[derive(Deserialize)]
struct Cassette {
    #[serde(default)]
    interactions: Vec<Interaction>,
}

#[derive(Deserialize, Clone)]
struct Interaction {
    request: RecordedRequest,
    response: RecordedResponse,
}

#[derive(Deserialize, Clone)]
struct RecordedRequest {
    #[serde(default)]
    body: String,
    url: String,
    method: String,
}

#[derive(Deserialize, Clone)]
struct RecordedResponse {
    #[serde(default)]
    body: String,
    code: u16,
}

/// Every recorded `querybatch` exchange, or `None` (with a loud note) without ../shared.
fn recorded_querybatches() -> Option<Vec<(String, Interaction)>> {
    let dir = Path::new(RECORDINGS);
    let Ok(entries) = std::fs::read_dir(dir) else {
        common::missing_shared(&format!(
            "{} not found; recorded API exchanges were not replayed",
            dir.display()
        ));
        return None;
    };
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let cassette: Cassette = serde_yaml_ng::from_str(&text).unwrap();
        for i in cassette.interactions {
            if i.request.method == "POST" && i.request.url.ends_with("/v1/querybatch") {
                out.push((file.file_name().unwrap().to_string_lossy().into_owned(), i));
            }
        }
    }
    Some(out)
}

/// The recorded queries as our types, when every one is a package+version query in an
/// ecosystem we know (spelled exactly as we spell it).
fn as_queries(request_body: &Value) -> Option<Vec<PackageQuery>> {
    request_body["queries"]
        .as_array()?
        .iter()
        .map(|q| {
            let eco_name = q["package"]["ecosystem"].as_str()?;
            let eco = Ecosystem::from_osv(eco_name).filter(|e| e.as_str() == eco_name)?;
            Some(query(
                eco,
                q["package"]["name"].as_str()?,
                q["version"].as_str()?,
            ))
        })
        .collect()
}

fn result_ids(result: &Value) -> Vec<String> {
    let mut ids: Vec<String> = result["vulns"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(|x| x["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn replays_recorded_querybatch_exchanges() {
    let Some(recorded) = recorded_querybatches() else {
        return;
    };
    // The server answers a request with the recorded response whose request body is the
    // same JSON (key order aside).
    let table: Vec<(Value, RecordedResponse)> = recorded
        .iter()
        .map(|(_, i)| {
            (
                serde_json::from_str(&i.request.body).unwrap(),
                i.response.clone(),
            )
        })
        .collect();
    let server = Server::start(move |req| {
        let body = req.json();
        match table.iter().find(|(b, _)| *b == body) {
            Some((_, r)) => Resp {
                status: r.code,
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: r.body.clone().into_bytes(),
                ..Default::default()
            },
            None => Resp::text(404, "no recording for this request"),
        }
    });
    let client = ApiClient::new(config(&server)).unwrap();
    let mut replayed = 0;
    let mut with_vulns = 0;
    for (file, interaction) in &recorded {
        let body: Value = serde_json::from_str(&interaction.request.body).unwrap();
        let Some(queries) = as_queries(&body) else {
            continue;
        };
        let response: Value = serde_json::from_str(&interaction.response.body).unwrap();
        let (answers, errors) = client.query_batch(&queries);
        assert!(errors.is_empty(), "{file}: {errors:?}");
        for (i, answer) in answers.iter().enumerate() {
            let want = result_ids(&response["results"][i]);
            with_vulns += usize::from(!want.is_empty());
            assert_eq!(answer.as_ref(), Some(&want), "{file} query {i}");
        }
        replayed += 1;
    }
    assert!(replayed >= 20, "only {replayed} exchanges replayed");
    assert!(with_vulns >= 10, "only {with_vulns} queries had advisories");
}

#[test]
fn check_online_over_recorded_answers_hydrates_each_id_once() {
    let Some(recorded) = recorded_querybatches() else {
        return;
    };
    // Answers per (ecosystem, name, version), from every recording.
    let mut answers: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
    for (_, i) in &recorded {
        let req: Value = serde_json::from_str(&i.request.body).unwrap();
        let resp: Value = serde_json::from_str(&i.response.body).unwrap();
        for (n, q) in req["queries"].as_array().unwrap().iter().enumerate() {
            if let (Some(e), Some(name), Some(v)) = (
                q["package"]["ecosystem"].as_str(),
                q["package"]["name"].as_str(),
                q["version"].as_str(),
            ) {
                answers.insert(
                    (e.into(), name.into(), v.into()),
                    result_ids(&resp["results"][n]),
                );
            }
        }
    }
    let packages: Vec<Package> = answers
        .iter()
        .filter_map(|((e, n, v), _)| {
            let eco = Ecosystem::from_osv(e).filter(|x| x.as_str() == e)?;
            Some(pkg(eco, n, v, "lock"))
        })
        .collect();
    let table = answers.clone();
    let server = Server::start(move |req| {
        if req.path == "/v1/querybatch" {
            let results: Vec<Value> = req.json()["queries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| {
                    let key = (
                        q["package"]["ecosystem"].as_str().unwrap().to_string(),
                        q["package"]["name"].as_str().unwrap().to_string(),
                        q["version"].as_str().unwrap().to_string(),
                    );
                    let ids = table.get(&key).cloned().unwrap_or_default();
                    if ids.is_empty() {
                        json!({})
                    } else {
                        json!({"vulns": ids.iter().map(|id| json!({"id": id, "modified": "2024-01-01T00:00:00Z"})).collect::<Vec<_>>()})
                    }
                })
                .collect();
            Resp::json(200, &json!({ "results": results }))
        } else if let Some(id) = req.path.strip_prefix("/v1/vulns/") {
            Resp::json(
                200,
                &json!({"id": id, "summary": format!("recorded advisory {id}")}),
            )
        } else {
            Resp::text(404, "")
        }
    });
    let outcome = osv::check(&packages, &AdvisorySource::Online(config(&server)));
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);

    let expected: usize = packages
        .iter()
        .map(|p| {
            answers[&(
                p.ecosystem.as_str().to_string(),
                p.name.clone(),
                p.version.clone(),
            )]
                .len()
        })
        .sum();
    assert!(expected > 20);
    assert_eq!(outcome.matches.len(), expected);
    assert!(outcome
        .matches
        .iter()
        .all(|m| m.summary.as_deref() == Some(&*format!("recorded advisory {}", m.advisory_id))));

    // Each id was fetched exactly once, even ids shared by several packages.
    let mut gets: HashMap<String, usize> = HashMap::new();
    for r in server.requests() {
        if r.method == "GET" {
            *gets.entry(r.path.clone()).or_default() += 1;
        }
    }
    assert!(gets.values().all(|n| *n == 1), "{gets:?}");
    let distinct: std::collections::BTreeSet<&String> = answers.values().flatten().collect();
    assert!(gets.len() <= distinct.len());
}

// ------------------------------------------------------------------------------------
// Synthetic exchanges
// ------------------------------------------------------------------------------------

#[test]
fn follows_next_page_token() {
    let server = Server::start(|req| {
        let body = req.json();
        let queries = body["queries"].as_array().unwrap();
        let results: Vec<Value> = queries
            .iter()
            .map(
                |q| match (q["package"]["name"].as_str(), q["page_token"].as_str()) {
                    (Some("paged"), None) => {
                        json!({"vulns": [{"id": "A-1"}, {"id": "A-2"}], "next_page_token": "p2"})
                    }
                    (Some("paged"), Some("p2")) => {
                        json!({"vulns": [{"id": "A-3"}], "next_page_token": "p3"})
                    }
                    (Some("paged"), Some("p3")) => json!({"vulns": [{"id": "A-4"}]}),
                    (Some("single"), None) => json!({"vulns": [{"id": "B-1"}]}),
                    _ => json!({"vulns": [{"id": "UNEXPECTED"}]}),
                },
            )
            .collect();
        Resp::json(200, &json!({ "results": results }))
    });
    let client = ApiClient::new(config(&server)).unwrap();
    let (answers, errors) = client.query_batch(&[
        query(Ecosystem::CratesIo, "paged", "1.0.0"),
        query(Ecosystem::CratesIo, "single", "1.0.0"),
        query(Ecosystem::CratesIo, "clean", "1.0.0"),
    ]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        answers,
        vec![
            Some(vec!["A-1".into(), "A-2".into(), "A-3".into(), "A-4".into()]),
            Some(vec!["B-1".into()]),
            Some(vec!["UNEXPECTED".into()]),
        ]
    );
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    // Only the paged query is asked again, with its token.
    let second = reqs[1].json();
    assert_eq!(second["queries"].as_array().unwrap().len(), 1);
    assert_eq!(second["queries"][0]["page_token"], "p2");
    assert_eq!(second["queries"][0]["package"]["ecosystem"], "crates.io");
    assert_eq!(second["queries"][0]["version"], "1.0.0");
}

#[test]
fn batches_hold_at_most_1000_queries() {
    let server = Server::start(|req| {
        let n = req.json()["queries"].as_array().unwrap().len();
        Resp::json(200, &json!({ "results": vec![json!({}); n] }))
    });
    let client = ApiClient::new(config(&server)).unwrap();
    let queries: Vec<PackageQuery> = (0..2345)
        .map(|i| query(Ecosystem::Npm, &format!("pkg-{i}"), "1.0.0"))
        .collect();
    let (answers, errors) = client.query_batch(&queries);
    assert!(errors.is_empty());
    assert_eq!(answers.len(), 2345);
    assert!(answers.iter().all(|a| a.as_deref() == Some(&[][..])));
    let sizes: Vec<usize> = server
        .requests()
        .iter()
        .map(|r| r.json()["queries"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [1000, 1000, 345]);
}

#[test]
fn hydration_is_concurrent_bounded_and_cached() {
    let in_flight = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let (f, p) = (in_flight.clone(), peak.clone());
    let server = Server::start(move |req| {
        let now = f.fetch_add(1, Ordering::SeqCst) + 1;
        p.fetch_max(now, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(60));
        f.fetch_sub(1, Ordering::SeqCst);
        let id = req.path.trim_start_matches("/v1/vulns/");
        Resp::json(200, &json!({"id": id}))
    });
    let client = ApiClient::new(config(&server)).unwrap();
    let mut ids: Vec<String> = (0..24).map(|i| format!("GHSA-{i:04}")).collect();
    ids.extend(ids.clone()); // duplicates are fetched once
    let started = Instant::now();
    let (found, errors) = client.get_vulns(&ids);
    let elapsed = started.elapsed();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(found.len(), 24);
    assert_eq!(server.requests().len(), 24);
    let peak = peak.load(Ordering::SeqCst);
    assert!(peak <= 8, "{peak} requests in flight");
    assert!(peak >= 2, "requests were not concurrent");
    // 24 × 60 ms sequentially would be 1.44 s.
    assert!(elapsed < Duration::from_millis(1200), "{elapsed:?}");

    // Cached for the rest of the run.
    let (again, _) = client.get_vulns(&ids[..5]);
    assert_eq!(again.len(), 5);
    assert_eq!(server.requests().len(), 24);
}

// ------------------------------------------------------------------------------------
// Faults
// ------------------------------------------------------------------------------------

#[test]
fn timeout_is_a_clear_error() {
    let server = Server::start(|_| Resp {
        delay: Duration::from_millis(1500),
        ..Resp::json(200, &json!({"id": "X"}))
    });
    let client = ApiClient::new(ApiConfig {
        timeout: Duration::from_millis(250),
        max_retries: 1,
        ..config(&server)
    })
    .unwrap();
    let err = client.get_vuln("X").unwrap_err();
    assert!(matches!(err, ApiError::Timeout { .. }), "{err:?}");
    assert!(err.to_string().contains("--offline"), "{err}");
    assert_eq!(client.request_count(), 2, "one retry");
}

#[test]
fn server_errors_are_retried_then_reported() {
    let server = Server::start(|_| Resp::text(500, "internal error"));
    let client = ApiClient::new(config(&server)).unwrap();
    let err = client.get_vuln("X").unwrap_err();
    match &err {
        ApiError::Status { status, body, .. } => {
            assert_eq!(*status, 500);
            assert_eq!(body, "internal error");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 3, "first try + 2 retries");
}

#[test]
fn rate_limit_then_success() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let server = Server::start(move |_| {
        if c.fetch_add(1, Ordering::SeqCst) == 0 {
            Resp::text(429, "slow down").header("Retry-After", "1")
        } else {
            Resp::json(200, &json!({"results": [{"vulns": [{"id": "OK-1"}]}]}))
        }
    });
    let client = ApiClient::new(config(&server)).unwrap();
    let started = Instant::now();
    let (answers, errors) = client.query_batch(&[query(Ecosystem::PyPI, "x", "1.0")]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(answers, vec![Some(vec!["OK-1".to_string()])]);
    assert_eq!(server.requests().len(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After honoured"
    );
}

#[test]
fn long_retry_after_fails_at_once() {
    let server = Server::start(|_| Resp::text(429, "").header("Retry-After", "3600"));
    let client = ApiClient::new(config(&server)).unwrap();
    let err = client.get_vuln("X").unwrap_err();
    assert_eq!(
        err,
        ApiError::RateLimited {
            url: format!("{}/v1/vulns/X", server.url()),
            retry_after: Some(3600)
        }
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn truncated_body_is_a_clear_error() {
    let server = Server::start(|_| Resp {
        truncate_to: Some(10),
        ..Resp::json(200, &json!({"results": [{"vulns": [{"id": "A-1"}]}]}))
    });
    let client = ApiClient::new(config(&server)).unwrap();
    let (answers, errors) = client.query_batch(&[query(Ecosystem::Go, "m", "v1.0.0")]);
    assert_eq!(answers, vec![None]);
    assert_eq!(errors.len(), 1);
    assert!(
        matches!(
            errors[0],
            ApiError::Truncated { .. } | ApiError::Decode { .. }
        ),
        "{:?}",
        errors[0]
    );
    assert_eq!(server.requests().len(), 3, "retried");
}

#[test]
fn non_json_body_is_a_clear_error() {
    let server = Server::start(|_| Resp::text(200, "<html>captive portal</html>"));
    let client = ApiClient::new(config(&server)).unwrap();
    let err = client.get_vuln("X").unwrap_err();
    assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("not the expected JSON"), "{err}");

    // Valid JSON of the wrong shape too.
    let server = Server::start(|_| Resp::json(200, &json!({"results": [{}, {}]})));
    let client = ApiClient::new(config(&server)).unwrap();
    let (answers, errors) = client.query_batch(&[query(Ecosystem::Go, "m", "v1.0.0")]);
    assert_eq!(answers, vec![None]);
    assert!(
        matches!(errors[0], ApiError::Decode { .. }),
        "{:?}",
        errors[0]
    );
}

#[test]
fn unknown_id_is_not_found() {
    let server =
        Server::start(|_| Resp::json(404, &json!({"code": 5, "message": "Bug not found."})));
    let client = ApiClient::new(config(&server)).unwrap();
    let err = client.get_vuln("NOPE-1").unwrap_err();
    assert!(
        matches!(err, ApiError::NotFound { ref id, .. } if id == "NOPE-1"),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 1, "404 is not retried");
}

#[test]
fn unreachable_server_is_a_connect_error() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let outcome = osv::check(
        &[pkg(Ecosystem::CratesIo, "x", "1.0.0", "Cargo.lock")],
        &AdvisorySource::Online(ApiConfig {
            base_url: format!("http://127.0.0.1:{port}"),
            max_retries: 0,
            ..Default::default()
        }),
    );
    assert!(outcome.matches.is_empty());
    assert_eq!(outcome.errors.len(), 1);
    let msg = outcome.errors[0].to_string();
    assert!(
        matches!(
            outcome.errors[0],
            CheckError::Online(ApiError::Connect { .. })
        ),
        "{msg}"
    );
    assert!(msg.contains("hygiene db update"), "{msg}");
}

#[test]
fn partial_failure_keeps_what_succeeded() {
    let fixture = |id: &str| {
        std::fs::read(
            Path::new(FIXTURES)
                .join("crates.io")
                .join(format!("{id}.json")),
        )
        .ok()
    };
    let server = Server::start(move |req| {
        if req.path == "/v1/querybatch" {
            Resp::json(
                200,
                &json!({"results": [
                    {"vulns": [{"id": "RUSTSEC-2099-0001"}, {"id": "GHSA-2099-aaaa-bbbb"}, {"id": "RUSTSEC-2099-0002"}]},
                    {"vulns": [{"id": "GHSA-2099-cccc-dddd"}]}
                ]}),
            )
        } else if req.path == "/v1/vulns/GHSA-2099-cccc-dddd" {
            Resp::text(503, "unavailable")
        } else {
            let id = req.path.trim_start_matches("/v1/vulns/");
            match fixture(id) {
                Some(body) => Resp {
                    status: 200,
                    body,
                    ..Default::default()
                },
                None => Resp::text(404, ""),
            }
        }
    });
    let outcome = osv::check(
        &[
            pkg(Ecosystem::CratesIo, "fixture-alpha", "1.2.3", "Cargo.lock"),
            pkg(Ecosystem::CratesIo, "fixture-gamma", "1.4.0", "Cargo.lock"),
        ],
        &AdvisorySource::Online(ApiConfig {
            max_retries: 1,
            ..config(&server)
        }),
    );
    // One hydration failed: reported as an error, the scan is incomplete...
    assert_eq!(outcome.errors.len(), 1, "{:?}", outcome.errors);
    assert!(matches!(
        outcome.errors[0],
        CheckError::Online(ApiError::Status { status: 503, .. })
    ));
    // ...but everything else is there: the alias group merged, fixes computed locally, and
    // the advisory that could not be fetched is still reported by id.
    let got: Vec<(&str, &str, Vec<String>)> = outcome
        .matches
        .iter()
        .map(|m| {
            (
                m.package.name.as_str(),
                m.advisory_id.as_str(),
                m.fixed.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "fixture-alpha",
                "RUSTSEC-2099-0001",
                vec!["1.2.4".to_string()]
            ),
            ("fixture-alpha", "RUSTSEC-2099-0002", vec![]),
            ("fixture-gamma", "GHSA-2099-cccc-dddd", vec![]),
        ]
    );
    assert_eq!(outcome.matches[0].severity.score, Some(9.3));
    assert_eq!(
        outcome.matches[0].record_ids,
        ["GHSA-2099-aaaa-bbbb", "RUSTSEC-2099-0001"]
    );
}

// ------------------------------------------------------------------------------------
// db update
// ------------------------------------------------------------------------------------

fn zip_of(records: &[Value]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for r in records {
        w.start_file(
            format!("{}.json", r["id"].as_str().unwrap()),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(&serde_json::to_vec(r).unwrap()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn record(id: &str, name: &str) -> Value {
    json!({"id": id, "affected": [{"package": {"ecosystem": "crates.io", "name": name},
        "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "9.0.0"}]}]}]})
}

/// What the fake bucket serves at `/crates.io/all.zip`.
#[derive(Clone)]
enum Bucket {
    Zip {
        body: Vec<u8>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
    Truncated(Vec<u8>),
    Garbage,
    Error,
}

fn bucket_server(state: Arc<Mutex<Bucket>>) -> Server {
    Server::start(move |req| {
        if req.path != "/crates.io/all.zip" {
            return Resp::text(404, "no such object");
        }
        match state.lock().unwrap().clone() {
            Bucket::Zip {
                body,
                etag,
                last_modified,
            } => {
                let inm = req.headers.get("if-none-match");
                let ims = req.headers.get("if-modified-since");
                if (etag.is_some() && inm == etag.as_ref())
                    || (etag.is_none() && last_modified.is_some() && ims == last_modified.as_ref())
                {
                    return Resp::text(304, "");
                }
                let mut r = Resp {
                    status: 200,
                    body,
                    ..Default::default()
                };
                if let Some(e) = etag {
                    r = r.header("ETag", &e);
                }
                if let Some(lm) = last_modified {
                    r = r.header("Last-Modified", &lm);
                }
                r
            }
            Bucket::Truncated(body) => Resp {
                status: 200,
                truncate_to: Some(body.len() / 2),
                body,
                ..Default::default()
            },
            Bucket::Garbage => Resp::text(200, "this is not a zip file at all"),
            Bucket::Error => Resp::text(500, "backend error"),
        }
    })
}

fn download_client() -> reqwest::blocking::Client {
    db::http_client(Duration::from_secs(2), Duration::from_secs(10)).unwrap()
}

fn no_temp_files(dir: &Path) {
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("crates.io"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn update_downloads_skips_unchanged_and_replaces_changed() {
    let dir = tempfile::tempdir().unwrap();
    let v1 = zip_of(&[record("RUSTSEC-2099-0101", "alpha")]);
    let state = Arc::new(Mutex::new(Bucket::Zip {
        body: v1.clone(),
        etag: Some("\"v1\"".into()),
        last_modified: None,
    }));
    let server = bucket_server(state.clone());
    let client = download_client();
    let zip = db::zip_path(dir.path(), Ecosystem::CratesIo);

    // First download.
    let out = db::update(&server.url(), dir.path(), &[Ecosystem::CratesIo], &client);
    assert!(
        matches!(out[0].status, UpdateStatus::Downloaded { bytes } if bytes == v1.len() as u64),
        "{out:?}"
    );
    assert_eq!(std::fs::read(&zip).unwrap(), v1);
    assert!(
        Path::new(&format!("{}.index", zip.display())).is_file(),
        "indexed at once"
    );
    let db = EcosystemDb::open(dir.path(), Ecosystem::CratesIo).unwrap();
    assert_eq!(db.records_for("alpha").unwrap().len(), 1);
    let mtime = std::fs::metadata(&zip).unwrap().modified().unwrap();

    // Unchanged: a conditional GET answered 304; the file is not rewritten.
    let out = db::update(&server.url(), dir.path(), &[Ecosystem::CratesIo], &client);
    assert!(matches!(out[0].status, UpdateStatus::Unchanged), "{out:?}");
    let last = server.requests().pop().unwrap();
    assert_eq!(
        last.headers.get("if-none-match").map(String::as_str),
        Some("\"v1\"")
    );
    assert_eq!(std::fs::metadata(&zip).unwrap().modified().unwrap(), mtime);

    // Changed: replaced, and the index follows.
    let v2 = zip_of(&[
        record("RUSTSEC-2099-0101", "alpha"),
        record("RUSTSEC-2099-0102", "beta"),
    ]);
    *state.lock().unwrap() = Bucket::Zip {
        body: v2.clone(),
        etag: Some("\"v2\"".into()),
        last_modified: None,
    };
    let out = db::update(&server.url(), dir.path(), &[Ecosystem::CratesIo], &client);
    assert!(
        matches!(out[0].status, UpdateStatus::Downloaded { .. }),
        "{out:?}"
    );
    assert_eq!(std::fs::read(&zip).unwrap(), v2);
    let db = EcosystemDb::open(dir.path(), Ecosystem::CratesIo).unwrap();
    assert_eq!(db.record_count(), 2);
    no_temp_files(dir.path());
}

#[test]
fn update_uses_last_modified_when_there_is_no_etag() {
    let dir = tempfile::tempdir().unwrap();
    let state = Arc::new(Mutex::new(Bucket::Zip {
        body: zip_of(&[record("RUSTSEC-2099-0103", "gamma")]),
        etag: None,
        last_modified: Some("Wed, 21 Oct 2099 07:28:00 GMT".into()),
    }));
    let server = bucket_server(state);
    let client = download_client();
    let out = db::update(&server.url(), dir.path(), &[Ecosystem::CratesIo], &client);
    assert!(
        matches!(out[0].status, UpdateStatus::Downloaded { .. }),
        "{out:?}"
    );
    let out = db::update(&server.url(), dir.path(), &[Ecosystem::CratesIo], &client);
    assert!(matches!(out[0].status, UpdateStatus::Unchanged), "{out:?}");
}

#[test]
fn failed_downloads_leave_the_previous_database_intact() {
    let dir = tempfile::tempdir().unwrap();
    let good = zip_of(&[record("RUSTSEC-2099-0104", "delta")]);
    let state = Arc::new(Mutex::new(Bucket::Zip {
        body: good.clone(),
        etag: Some("\"good\"".into()),
        last_modified: None,
    }));
    let server = bucket_server(state.clone());
    let client = download_client();
    let zip = db::zip_path(dir.path(), Ecosystem::CratesIo);
    let out = db::update(&server.url(), dir.path(), &[Ecosystem::CratesIo], &client);
    assert!(matches!(out[0].status, UpdateStatus::Downloaded { .. }));

    let bigger = zip_of(&[
        record("RUSTSEC-2099-0104", "delta"),
        record("RUSTSEC-2099-0105", "eps"),
    ]);
    for (what, bucket) in [
        ("truncated", Bucket::Truncated(bigger)),
        ("garbage", Bucket::Garbage),
        ("server error", Bucket::Error),
    ] {
        *state.lock().unwrap() = bucket;
        let out = db::update(&server.url(), dir.path(), &[Ecosystem::CratesIo], &client);
        let UpdateStatus::Failed(err) = &out[0].status else {
            panic!("{what}: {out:?}");
        };
        let msg = err.to_string();
        assert!(msg.contains("previous database"), "{what}: {msg}");
        assert_eq!(
            std::fs::read(&zip).unwrap(),
            good,
            "{what}: cache corrupted"
        );
        no_temp_files(dir.path());
        // Still usable offline.
        let outcome = osv::check(
            &[pkg(Ecosystem::CratesIo, "delta", "1.0.0", "Cargo.lock")],
            &AdvisorySource::Offline {
                db_dir: dir.path().to_path_buf(),
            },
        );
        assert!(outcome.errors.is_empty(), "{what}");
        assert_eq!(outcome.matches.len(), 1, "{what}");
    }
}

#[test]
fn update_of_an_unknown_object_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let state = Arc::new(Mutex::new(Bucket::Error));
    let server = bucket_server(state);
    let out = db::update(
        &server.url(),
        dir.path(),
        &[Ecosystem::PyPI],
        &download_client(),
    );
    let UpdateStatus::Failed(err) = &out[0].status else {
        panic!("{out:?}");
    };
    assert!(err.to_string().contains("404"), "{err}");
    assert!(!db::zip_path(dir.path(), Ecosystem::PyPI).exists());
}

/// A server that sends more than `max_body` is cut off with an error naming the limit, once
/// (not retried), instead of having its answer read into memory whatever its size.
#[test]
fn an_oversized_answer_is_refused_not_read() {
    let server = Server::start(|_| Resp {
        status: 200,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: vec![b' '; 3 << 20],
        ..Default::default()
    });
    let client = ApiClient::new(ApiConfig {
        max_body: 1 << 20,
        ..config(&server)
    })
    .unwrap();
    let (_, errors) = client.query_batch(&[query(Ecosystem::CratesIo, "a", "1.0.0")]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].to_string().contains("larger than 1048576 bytes"),
        "{}",
        errors[0]
    );
    assert_eq!(
        server.requests().len(),
        1,
        "an oversized answer must not be asked again"
    );
}
