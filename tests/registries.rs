//! The registry clients of `--outdated` against fake registries on 127.0.0.1, over real HTTP:
//! `common::registries::registry_handler` speaks each registry's JSON shape, and
//! `registry::fetch` must read it back (latest, dates), and report an unknown package as
//! not found.

mod common;

use common::http::Server;
use common::registries::registry_handler;
use hygiene::deps::outdated::registry::{self, FetchError, Get, Releases};
use hygiene::deps::Ecosystem;

/// The scan's HTTP client in miniature: 404/410 → NotFound, other non-2xx → Answer.
struct Http(reqwest::blocking::Client);

impl Get for Http {
    fn get(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let network = |e: reqwest::Error| FetchError::Network {
            url: url.to_string(),
            message: e.to_string(),
        };
        let resp = self.0.get(url).send().map_err(network)?;
        let status = resp.status().as_u16();
        if status == 404 || status == 410 {
            return Err(FetchError::NotFound {
                url: url.to_string(),
            });
        }
        if !resp.status().is_success() {
            return Err(FetchError::Answer {
                url: url.to_string(),
                message: format!("HTTP {status}"),
            });
        }
        Ok(resp.bytes().map_err(network)?.to_vec())
    }
}

fn http() -> Http {
    Http(
        reqwest::blocking::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .expect("HTTP client"),
    )
}

fn catalogue(name: &str, versions: &[(&str, &str)]) -> Vec<(String, Vec<(String, String)>)> {
    vec![(
        name.to_string(),
        versions
            .iter()
            .map(|(v, d)| (v.to_string(), d.to_string()))
            .collect(),
    )]
}

fn fetch(
    eco: Ecosystem,
    server: &Server,
    name: &str,
    in_use: &str,
) -> Result<Releases, FetchError> {
    registry::fetch(eco, &http(), &server.url(), name, in_use).expect("a registry module")
}

fn date(r: &Releases, version: &str) -> Option<jiff::Timestamp> {
    r.releases
        .iter()
        .find(|r| r.version == version)
        .unwrap_or_else(|| panic!("{version} not in {r:?}"))
        .published
}

fn ts(s: &str) -> Option<jiff::Timestamp> {
    Some(s.parse().expect("timestamp"))
}

/// Starts the fake `eco` registry with `name`'s `versions` (oldest first) and checks what the
/// client reads back: `latest`, the dates of `dated` (each dated by a fetch with it in use, for
/// registries that date only the version in use), and NotFound for an unknown package.
fn check(
    eco: Ecosystem,
    name: &str,
    versions: &[(&str, &str)],
    latest: Option<&str>,
    dated: [&str; 2],
    unknown: &str,
) {
    let server = Server::start(registry_handler(
        &eco.to_string(),
        catalogue(name, versions),
    ));
    for in_use in dated {
        let r = fetch(eco, &server, name, in_use).unwrap_or_else(|e| panic!("{eco}: {e}"));
        assert_eq!(r.latest.as_deref(), latest, "{eco}: latest");
        let want = versions.iter().find(|(v, _)| *v == in_use).map(|(_, d)| *d);
        assert_eq!(
            date(&r, in_use),
            want.and_then(ts),
            "{eco}: date of {in_use}"
        );
        for (v, _) in versions {
            assert!(
                r.releases.iter().any(|r| r.version == *v),
                "{eco}: {v} listed"
            );
        }
        assert!(r.releases.iter().all(|r| !r.withdrawn), "{eco}");
    }
    let err = fetch(eco, &server, unknown, "1.0.0").unwrap_err();
    assert!(matches!(err, FetchError::NotFound { .. }), "{eco}: {err:?}");
}

#[test]
fn crates_io_over_http() {
    check(
        Ecosystem::CratesIo,
        "serde",
        &[
            ("1.0.196", "2024-01-26T22:00:35.123456+00:00"),
            ("1.0.197", "2024-02-20T02:36:10.517573+00:00"),
            ("1.0.198", "2024-04-16T20:43:24.934154+00:00"),
            ("2.0.0-alpha.1", "2024-05-01T00:00:00+00:00"),
        ],
        Some("1.0.198"),
        ["1.0.196", "1.0.198"],
        "no-such-crate",
    );
}

#[test]
fn npm_over_http() {
    let versions = [
        ("20.11.30", "2024-03-20T10:00:00.000Z"),
        ("20.12.6", "2024-04-09T18:00:01.500Z"),
        ("20.12.7", "2024-04-11T21:07:35.127Z"),
    ];
    check(
        Ecosystem::Npm,
        "@types/node",
        &versions,
        Some("20.12.7"),
        ["20.11.30", "20.12.7"],
        "@types/nope",
    );
    check(
        Ecosystem::Npm,
        "lodash",
        &[
            ("4.17.20", "2020-08-13T16:53:54.152Z"),
            ("4.17.21", "2021-02-20T15:42:16.891Z"),
        ],
        Some("4.17.21"),
        ["4.17.20", "4.17.21"],
        "no-such-package",
    );
}

#[test]
fn pypi_over_http() {
    check(
        Ecosystem::PyPI,
        "requests",
        &[
            ("2.30.0", "2023-05-03T15:46:54.120371Z"),
            ("2.31.0", "2023-05-22T15:12:42.313790Z"),
            ("2.32.0rc1", "2024-05-01T00:00:00Z"),
        ],
        Some("2.31.0"),
        ["2.30.0", "2.31.0"],
        "no-such-project",
    );
}

#[test]
fn rubygems_over_http() {
    check(
        Ecosystem::RubyGems,
        "rails",
        &[
            ("7.1.3", "2024-01-16T22:51:47.118Z"),
            ("7.1.3.2", "2024-02-21T21:45:24.514Z"),
        ],
        None,
        ["7.1.3", "7.1.3.2"],
        "no-such-gem",
    );
}

#[test]
fn go_over_http() {
    check(
        Ecosystem::Go,
        "github.com/BurntSushi/toml",
        &[
            ("v1.2.1", "2022-10-19T12:27:08Z"),
            ("v1.3.0", "2023-05-24T10:55:22Z"),
            ("v1.3.2", "2023-06-08T06:09:37Z"),
        ],
        Some("v1.3.2"),
        ["v1.2.1", "v1.3.2"],
        "github.com/BurntSushi/nope",
    );
}

#[test]
fn packagist_over_http() {
    check(
        Ecosystem::Packagist,
        "symfony/console",
        &[
            ("v6.4.3", "2024-01-23T14:51:35+00:00"),
            ("v7.0.3", "2024-01-23T15:02:46+00:00"),
            ("v7.0.4", "2024-02-22T20:27:20+00:00"),
        ],
        None,
        ["v6.4.3", "v7.0.4"],
        "acme/nope",
    );
}

#[test]
fn nuget_over_http() {
    check(
        Ecosystem::NuGet,
        "Newtonsoft.Json",
        &[
            ("12.0.3", "2019-11-09T01:27:30.723+00:00"),
            ("13.0.1", "2021-03-22T20:10:49.497+00:00"),
            ("13.0.3", "2023-03-08T07:42:54.647+00:00"),
        ],
        None,
        ["12.0.3", "13.0.3"],
        "No.Such.Package",
    );
}

#[test]
fn maven_over_http() {
    check(
        Ecosystem::Maven,
        "com.google.guava:guava",
        &[
            ("32.1.3-jre", "2023-10-11T16:09:03Z"),
            ("33.0.0-jre", "2023-12-18T19:02:11Z"),
            ("33.1.0-jre", "2024-03-15T20:45:35Z"),
        ],
        None,
        ["32.1.3-jre", "33.1.0-jre"],
        "org.example:nope",
    );
}
