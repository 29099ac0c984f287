//! Fake package registries for `--outdated` tests: [`registry_handler`] answers one
//! registry's URLs, in that registry's documented JSON shape, for a catalogue of packages, so
//! a test can point the registry clients at a [`super::http::Server`].
#![allow(dead_code)]

use super::http::{Req, Resp};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// A package name and its versions, oldest first, each with its RFC 3339 publication date.
pub type Catalogue = Vec<(String, Vec<(String, String)>)>;

/// A handler for `Server::start` that answers the registry of the OSV `ecosystem` (`crates.io`,
/// `npm`, `PyPI`, `RubyGems`, `Go`, `Packagist`, `NuGet`, `Maven`) for the packages of
/// `catalogue`. The last version of each list is the newest; the registry's "latest" (where it
/// has one) is the last one that is not a prerelease. Unknown packages and paths get a 404,
/// except on Maven Central's search, which (like the real one) finds no documents.
pub fn registry_handler(
    ecosystem: &str,
    catalogue: Vec<(String, Vec<(String, String)>)>,
) -> impl Fn(&Req) -> Resp + Send + Sync + 'static {
    let mut routes: HashMap<String, Resp> = HashMap::new();
    for (name, versions) in &catalogue {
        match ecosystem {
            "crates.io" => crates_io(&mut routes, name, versions),
            "npm" => npm(&mut routes, name, versions),
            "PyPI" => pypi(&mut routes, name, versions),
            "RubyGems" => rubygems(&mut routes, name, versions),
            "Go" => go(&mut routes, name, versions),
            "Packagist" => packagist(&mut routes, name, versions),
            "NuGet" => nuget(&mut routes, name, versions),
            "Maven" => maven(&mut routes, name, versions),
            other => panic!("registry_handler: no fake registry for {other}"),
        }
    }
    let maven = ecosystem == "Maven";
    move |req: &Req| match routes.get(&req.path) {
        Some(resp) => resp.clone(),
        None if maven && req.path.starts_with("/solrsearch/select?") => Resp::json(
            200,
            &json!({"responseHeader": {"status": 0, "QTime": 0},
                    "response": {"numFound": 0, "start": 0, "docs": []}}),
        ),
        None => Resp::text(404, "Not Found"),
    }
}

/// A version with letters after its leading `v` is taken for a prerelease (`1.0.0-rc.1`,
/// `2.0b1`, `7.1.0.rc1`): good enough for the catalogues tests write.
fn prerelease(version: &str) -> bool {
    let v = version.strip_prefix('v').unwrap_or(version);
    v.chars().any(|c| c.is_ascii_alphabetic())
}

fn latest(versions: &[(String, String)]) -> Option<&str> {
    versions
        .iter()
        .rev()
        .map(|(v, _)| v.as_str())
        .find(|v| !prerelease(v))
}

fn millis(date: &str) -> i64 {
    date.parse::<jiff::Timestamp>()
        .unwrap_or_else(|e| panic!("catalogue date {date:?}: {e}"))
        .as_millisecond()
}

/// Percent-encodes all but RFC 3986's unreserved characters.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The Go proxy's case escaping: an uppercase letter becomes `!` and its lowercase.
fn go_escape(s: &str) -> String {
    s.chars()
        .map(|c| match c.is_ascii_uppercase() {
            true => format!("!{}", c.to_ascii_lowercase()),
            false => c.to_string(),
        })
        .collect()
}

fn crates_io(routes: &mut HashMap<String, Resp>, name: &str, versions: &[(String, String)]) {
    let newest = versions.last().map(|(v, _)| v.clone());
    let docs: Vec<Value> = versions
        .iter()
        .rev()
        .enumerate()
        .map(|(i, (v, date))| {
            json!({"id": 100000 + i, "crate": name, "num": v,
                   "dl_path": format!("/api/v1/crates/{name}/{v}/download"),
                   "created_at": date, "updated_at": date, "downloads": 1000,
                   "features": {}, "yanked": false, "license": "MIT OR Apache-2.0"})
        })
        .collect();
    let body = json!({
        "categories": [],
        "crate": {"id": name, "name": name, "description": "A crate", "downloads": 12345,
                  "max_version": newest, "newest_version": newest, "default_version": latest(versions),
                  "max_stable_version": latest(versions), "yanked": false,
                  "versions": (0..versions.len()).collect::<Vec<_>>()},
        "keywords": [],
        "versions": docs,
    });
    routes.insert(
        format!("/api/v1/crates/{}", encode(name)),
        Resp::json(200, &body),
    );
}

fn npm(routes: &mut HashMap<String, Resp>, name: &str, versions: &[(String, String)]) {
    let mut docs = Map::new();
    let mut time = Map::new();
    if let (Some((_, first)), Some((_, last))) = (versions.first(), versions.last()) {
        time.insert("created".into(), json!(first));
        time.insert("modified".into(), json!(last));
    }
    for (v, date) in versions {
        docs.insert(
            v.clone(),
            json!({"name": name, "version": v, "main": "index.js",
                   "dist": {"shasum": "0000000000000000000000000000000000000000",
                            "tarball": format!("https://registry.npmjs.org/{name}/-/{name}-{v}.tgz")}}),
        );
        time.insert(v.clone(), json!(date));
    }
    let body = json!({"_id": name, "name": name, "dist-tags": {"latest": latest(versions)},
                      "versions": docs, "time": time, "license": "MIT"});
    let path = match name.strip_prefix('@').and_then(|n| n.split_once('/')) {
        Some((scope, pkg)) => format!("/@{scope}%2f{pkg}"),
        None => format!("/{name}"),
    };
    routes.insert(path, Resp::json(200, &body));
}

fn pypi(routes: &mut HashMap<String, Resp>, name: &str, versions: &[(String, String)]) {
    let mut releases = Map::new();
    for (v, date) in versions {
        let upload = |file: &str| {
            json!({"filename": file, "packagetype": "sdist", "upload_time": date,
                   "upload_time_iso_8601": date, "yanked": false, "yanked_reason": null})
        };
        releases.insert(v.clone(), json!([upload(&format!("{name}-{v}.tar.gz"))]));
    }
    let body = json!({
        "info": {"name": name, "version": latest(versions), "summary": "A project",
                 "yanked": false, "yanked_reason": null},
        "last_serial": 1, "releases": releases, "urls": [], "vulnerabilities": [],
    });
    routes.insert(
        format!("/pypi/{}/json", encode(name)),
        Resp::json(200, &body),
    );
}

fn rubygems(routes: &mut HashMap<String, Resp>, name: &str, versions: &[(String, String)]) {
    let body: Vec<Value> = versions
        .iter()
        .rev()
        .map(|(v, date)| {
            json!({"authors": "A. Uthor", "built_at": date, "created_at": date,
                   "description": "A gem", "downloads_count": 10, "number": v,
                   "summary": "A gem", "platform": "ruby", "prerelease": prerelease(v),
                   "licenses": ["MIT"], "requirements": [], "sha": "00"})
        })
        .collect();
    routes.insert(
        format!("/api/v1/versions/{}.json", encode(name)),
        Resp::json(200, &Value::Array(body)),
    );
}

fn go(routes: &mut HashMap<String, Resp>, name: &str, versions: &[(String, String)]) {
    let module = go_escape(name);
    let info = |v: &str, date: &str| Resp::json(200, &json!({"Version": v, "Time": date}));
    let newest = versions
        .iter()
        .rev()
        .find(|(v, _)| !prerelease(v))
        .or(versions.last());
    if let Some((v, date)) = newest {
        routes.insert(format!("/{module}/@latest"), info(v, date));
    }
    let list: String = versions.iter().map(|(v, _)| format!("{v}\n")).collect();
    routes.insert(format!("/{module}/@v/list"), Resp::text(200, &list));
    for (v, date) in versions {
        routes.insert(format!("/{module}/@v/{}.info", go_escape(v)), info(v, date));
    }
}

fn packagist(routes: &mut HashMap<String, Resp>, name: &str, versions: &[(String, String)]) {
    // Newest first, minified: the first entry complete, the others only what changed.
    let entries: Vec<Value> = versions
        .iter()
        .rev()
        .enumerate()
        .map(|(i, (v, date))| {
            let normalized = format!("{}.0", v.trim_start_matches('v'));
            match i {
                0 => json!({"name": name, "description": "A package", "version": v,
                            "version_normalized": normalized, "license": ["MIT"],
                            "type": "library", "time": date, "require": {"php": ">=8.1"}}),
                _ => json!({"version": v, "version_normalized": normalized, "time": date}),
            }
        })
        .collect();
    let body = json!({"packages": {name: entries}, "minified": "composer/2.0"});
    routes.insert(format!("/p2/{name}.json"), Resp::json(200, &body));
}

fn nuget(routes: &mut HashMap<String, Resp>, name: &str, versions: &[(String, String)]) {
    let id = name.to_lowercase();
    let lowered: Vec<String> = versions.iter().map(|(v, _)| v.to_lowercase()).collect();
    routes.insert(
        format!("/v3-flatcontainer/{id}/index.json"),
        Resp::json(200, &json!({"versions": lowered})),
    );
    for (v, date) in versions {
        let v = v.to_lowercase();
        let leaf = json!({
            "@id": format!("https://api.nuget.org/v3/registration5-gz-semver2/{id}/{v}.json"),
            "@type": ["Package", "http://schema.nuget.org/catalog#Permalink"],
            "catalogEntry": format!("https://api.nuget.org/v3/catalog0/data/2024.01.01.00.00.00/{id}.{v}.json"),
            "listed": true,
            "packageContent": format!("https://api.nuget.org/v3-flatcontainer/{id}/{v}/{id}.{v}.nupkg"),
            "published": date,
            "registration": format!("https://api.nuget.org/v3/registration5-gz-semver2/{id}/index.json"),
        });
        routes.insert(
            format!("/v3/registration5-gz-semver2/{id}/{v}.json"),
            Resp::json(200, &leaf),
        );
    }
}

fn maven(routes: &mut HashMap<String, Resp>, name: &str, versions: &[(String, String)]) {
    let Some((group, artifact)) = name.split_once(':') else {
        panic!("a Maven catalogue name is group:artifact, not {name}");
    };
    let docs: Vec<Value> = versions
        .iter()
        .rev()
        .map(|(v, date)| {
            json!({"id": format!("{group}:{artifact}:{v}"), "g": group, "a": artifact, "v": v,
                   "p": "jar", "timestamp": millis(date), "ec": [".jar", ".pom", "-sources.jar"],
                   "tags": []})
        })
        .collect();
    let body = json!({
        "responseHeader": {"status": 0, "QTime": 1,
                           "params": {"q": format!("g:\"{group}\" AND a:\"{artifact}\""), "core": "gav",
                                      "rows": "200", "wt": "json"}},
        "response": {"numFound": docs.len(), "start": 0, "docs": docs},
    });
    routes.insert(
        format!(
            "/solrsearch/select?q=g:%22{}%22+AND+a:%22{}%22&core=gav&rows=200&wt=json",
            encode(group),
            encode(artifact)
        ),
        Resp::json(200, &body),
    );
}
