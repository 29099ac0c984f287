//! Go: the module proxy protocol (GOPROXY, <https://go.dev/ref/mod#goproxy-protocol>). Module
//! paths and versions are case-escaped in URLs (each uppercase letter becomes `!` and its
//! lowercase: `github.com/BurntSushi/toml` is asked as `github.com/!burnt!sushi/toml`), so a
//! case-insensitive file system can serve them.
//!
//! Three requests at most, each answering something the others do not:
//! - `GET {base}/{module}/@latest` → `{"Version", "Time"}`: the proxy's own latest (a release
//!   if there is one, else a pseudo-version) and its date. A 404/410 means no such module.
//! - `GET {base}/{module}/@v/list`: plain text, one tagged version per line (the go command
//!   reads each line's first field), without dates. Worth its request: it is the only list of
//!   the releases between the one in use and the latest within this module path (a new major
//!   version `/v2` is another module path, so majors are not compared here), and it tells
//!   prereleases from releases to the caller's own ordering. A 404/410 leaves it empty.
//! - `GET {base}/{module}/@v/{version}.info` for the version in use, to date it; skipped when it
//!   is the latest (already dated). A 404/410 is not fatal: that version just has no date.
//!
//! - A new major version of a Go module is another module path (`…/v2`, `…/v3`; semantic
//!   import versioning), which the answers above never mention. So the next major paths are
//!   asked in turn (`{module}/v{N+1}/@latest`, then `v{N+2}`, …, at most [`MAX_MAJOR_PROBES`])
//!   until one does not exist; the newest that does becomes the latest. `gopkg.in` paths
//!   (`.v2` in the name) are left alone.
//!
//! Nothing is withdrawn: retractions live in the module's `go.mod`, not in these answers.

use super::{encode_segment, get_json, timestamp, FetchError, Get, Release, Releases};
use serde::Deserialize;

/// The `.info` / `@latest` answer.
#[derive(Deserialize)]
struct Info {
    #[serde(rename = "Version")]
    version: String,
    #[serde(default, rename = "Time")]
    time: Option<String>,
}

/// `s` case-escaped for a proxy URL: uppercase letters → `!` + lowercase; `/` (between path
/// elements, when `slashes`) and the `+` of `+incompatible` kept; anything else outside the
/// unreserved set percent-encoded (never in a valid module path, but never a different URL).
fn escape(s: &str, slashes: bool) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            out.push('!');
            out.push(c.to_ascii_lowercase());
        } else if (c == '/' && slashes) || c == '+' {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            out.push_str(&encode_segment(c.encode_utf8(&mut buf)));
        }
    }
    out
}

/// Sets the date of `version` in `releases`, adding it if the list did not have it (a
/// pseudo-version is never in `@v/list`).
fn date(releases: &mut Vec<Release>, version: &str, published: Option<jiff::Timestamp>) {
    match releases.iter_mut().find(|r| r.version == version) {
        Some(r) => r.published = published,
        None => releases.push(Release {
            version: version.to_string(),
            published,
            withdrawn: false,
        }),
    }
}

/// How many newer major module paths are asked about, one request each.
pub const MAX_MAJOR_PROBES: u64 = 10;

/// A module path without its major-version suffix, and that major (`…/v3` → 3; no suffix → 1).
/// `None` for `gopkg.in` paths, whose majors follow another convention.
fn major_path(name: &str) -> Option<(&str, u64)> {
    if name.starts_with("gopkg.in/") {
        return None;
    }
    match name.rsplit_once('/') {
        Some((stem, last)) => match last.strip_prefix('v').and_then(|n| n.parse::<u64>().ok()) {
            Some(n) if n >= 2 && !last[1..].starts_with('0') => Some((stem, n)),
            _ => Some((name, 1)),
        },
        None => Some((name, 1)),
    }
}

/// The latest release of the newest major module path after `name`'s, if any exists.
fn newer_major(get: &dyn Get, base: &str, name: &str) -> Result<Option<Info>, FetchError> {
    let Some((stem, major)) = major_path(name) else {
        return Ok(None);
    };
    let mut newest = None;
    for next in major + 1..=major + MAX_MAJOR_PROBES {
        let url = format!("{base}/{}/v{next}/@latest", escape(stem, true));
        match get_json::<Info>(get, &url, "a Go module info object (`Version`, `Time`)") {
            Ok(info) => newest = Some(info),
            Err(FetchError::NotFound { .. }) => break,
            Err(e) => return Err(e),
        }
    }
    Ok(newest)
}

pub(super) fn fetch(
    get: &dyn Get,
    base: &str,
    name: &str,
    version: &str,
) -> Result<Releases, FetchError> {
    let module = format!("{base}/{}", escape(name, true));

    let url = format!("{module}/@latest");
    let latest: Info = get_json(get, &url, "a Go module info object (`Version`, `Time`)")?;

    let url = format!("{module}/@v/list");
    let mut releases: Vec<Release> = match get.get(&url) {
        Ok(body) => String::from_utf8_lossy(&body)
            .lines()
            .filter_map(|line| line.split_whitespace().next())
            .map(|v| Release {
                version: v.to_string(),
                published: None,
                withdrawn: false,
            })
            .collect(),
        Err(FetchError::NotFound { .. }) => Vec::new(),
        Err(e) => return Err(e),
    };
    date(
        &mut releases,
        &latest.version,
        latest.time.as_deref().and_then(timestamp),
    );

    // go.mod and go.sum spell versions with their `v`; tolerate a caller that dropped it.
    let in_use = match version.strip_prefix('v') {
        Some(_) => version.to_string(),
        None => format!("v{version}"),
    };
    if !version.is_empty() && in_use != latest.version {
        let url = format!("{module}/@v/{}.info", escape(&in_use, false));
        match get_json::<Info>(get, &url, "a Go module info object (`Version`, `Time`)") {
            Ok(info) => date(
                &mut releases,
                &info.version,
                info.time.as_deref().and_then(timestamp),
            ),
            Err(FetchError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }

    let mut latest = Some(latest.version).filter(|v| !v.is_empty());
    if let Some(info) = newer_major(get, base, name)? {
        date(
            &mut releases,
            &info.version,
            info.time.as_deref().and_then(timestamp),
        );
        latest = Some(info.version);
    }
    Ok(Releases { releases, latest })
}

#[cfg(test)]
mod tests {
    use super::super::fake::{ts, FakeGet};
    use super::*;

    #[test]
    fn a_newer_major_module_path_is_the_latest() {
        assert_eq!(
            major_path("github.com/google/go-github/v50"),
            Some(("github.com/google/go-github", 50))
        );
        assert_eq!(
            major_path("golang.org/x/net"),
            Some(("golang.org/x/net", 1))
        );
        assert_eq!(major_path("example.com/v1"), Some(("example.com/v1", 1)));
        assert_eq!(major_path("gopkg.in/yaml.v3"), None);
        let get = FakeGet::new()
            .with(
                "https://proxy.golang.org/github.com/google/go-github/v50/@latest",
                r#"{"Version":"v50.2.0","Time":"2023-03-01T00:00:00Z"}"#,
            )
            .with(
                "https://proxy.golang.org/github.com/google/go-github/v51/@latest",
                r#"{"Version":"v51.0.0","Time":"2023-04-01T00:00:00Z"}"#,
            )
            .with(
                "https://proxy.golang.org/github.com/google/go-github/v52/@latest",
                r#"{"Version":"v52.1.0","Time":"2023-06-01T00:00:00Z"}"#,
            );
        let r = fetch(&get, BASE, "github.com/google/go-github/v50", "v50.2.0").expect("answer");
        assert_eq!(r.latest.as_deref(), Some("v52.1.0"));
        let v52 = r
            .releases
            .iter()
            .find(|r| r.version == "v52.1.0")
            .expect("listed");
        assert_eq!(v52.published, ts("2023-06-01T00:00:00Z"));
        // v53 was asked about, and its absence ended the probing.
        assert!(get
            .asked()
            .iter()
            .any(|u| u.ends_with("/go-github/v53/@latest")));
        assert!(!get
            .asked()
            .iter()
            .any(|u| u.ends_with("/go-github/v54/@latest")));
    }

    const BASE: &str = "https://proxy.golang.org";

    fn net() -> FakeGet {
        FakeGet::new()
            .with(
                "https://proxy.golang.org/golang.org/x/net/@latest",
                r#"{"Version":"v0.24.0","Time":"2024-04-04T16:34:43Z","Origin":{"VCS":"git","URL":"https://go.googlesource.com/net","Ref":"refs/tags/v0.24.0","Hash":"ba872109ef2dc8f1da778651bd1fd3792d0e4587"}}"#,
            )
            .with(
                "https://proxy.golang.org/golang.org/x/net/@v/list",
                "v0.22.0\nv0.23.0\nv0.24.0\nv0.1.0\n\nv0.19.0\n",
            )
            .with(
                "https://proxy.golang.org/golang.org/x/net/@v/v0.19.0.info",
                r#"{"Version":"v0.19.0","Time":"2023-11-28T19:05:39Z"}"#,
            )
    }

    #[test]
    fn reads_latest_list_and_the_date_of_the_version_in_use() {
        let get = net();
        let r = fetch(&get, BASE, "golang.org/x/net", "v0.19.0").unwrap();
        assert_eq!(
            get.asked(),
            [
                "https://proxy.golang.org/golang.org/x/net/@latest",
                "https://proxy.golang.org/golang.org/x/net/@v/list",
                "https://proxy.golang.org/golang.org/x/net/@v/v0.19.0.info",
                // No `/v2` module path: probing ends there.
                "https://proxy.golang.org/golang.org/x/net/v2/@latest",
            ]
        );
        assert_eq!(r.latest.as_deref(), Some("v0.24.0"));
        assert_eq!(r.releases.len(), 5);
        let find = |v: &str| r.releases.iter().find(|r| r.version == v).unwrap();
        assert_eq!(find("v0.24.0").published, ts("2024-04-04T16:34:43Z"));
        assert_eq!(find("v0.19.0").published, ts("2023-11-28T19:05:39Z"));
        assert_eq!(find("v0.22.0").published, None);
    }

    #[test]
    fn the_latest_in_use_needs_no_info_request_and_a_missing_v_is_tolerated() {
        let get = net();
        let r = fetch(&get, BASE, "golang.org/x/net", "0.24.0").unwrap();
        // @latest, @v/list and the `/v2` probe.
        assert_eq!(get.asked().len(), 3);
        assert_eq!(r.latest.as_deref(), Some("v0.24.0"));
    }

    #[test]
    fn module_paths_and_versions_are_case_escaped() {
        let get = FakeGet::new()
            .with(
                "https://proxy.golang.org/github.com/!burnt!sushi/toml/@latest",
                r#"{"Version":"v1.3.2","Time":"2023-06-08T06:09:37Z"}"#,
            )
            .with(
                "https://proxy.golang.org/github.com/!burnt!sushi/toml/@v/list",
                "v1.2.1\nv1.3.0\nv1.3.2\nv1.3.1\nv1.4.0-RC1\n",
            )
            .with(
                "https://proxy.golang.org/github.com/!burnt!sushi/toml/@v/v1.4.0-!r!c1.info",
                r#"{"Version":"v1.4.0-RC1","Time":"2024-01-01T00:00:00Z"}"#,
            );
        let r = fetch(&get, BASE, "github.com/BurntSushi/toml", "v1.4.0-RC1").unwrap();
        assert_eq!(
            get.asked()[2],
            "https://proxy.golang.org/github.com/!burnt!sushi/toml/@v/v1.4.0-!r!c1.info"
        );
        assert_eq!(r.latest.as_deref(), Some("v1.3.2"));
        let rc = r
            .releases
            .iter()
            .find(|r| r.version == "v1.4.0-RC1")
            .unwrap();
        assert_eq!(rc.published, ts("2024-01-01T00:00:00Z"));
    }

    #[test]
    fn a_missing_info_or_list_is_not_fatal_and_a_pseudo_version_latest_is_added() {
        let get = FakeGet::new().with(
            "https://proxy.golang.org/example.com/untagged/@latest",
            r#"{"Version":"v0.0.0-20240101120000-abcdef123456","Time":"2024-01-01T12:00:00Z"}"#,
        );
        let r = fetch(
            &get,
            BASE,
            "example.com/untagged",
            "v0.0.0-20230101120000-0123456789ab",
        )
        .unwrap();
        assert_eq!(get.asked().len(), 4);
        assert_eq!(r.releases.len(), 1);
        assert_eq!(r.releases[0].published, ts("2024-01-01T12:00:00Z"));
    }

    #[test]
    fn garbage_is_an_answer_error_and_404_is_not_found() {
        let get = FakeGet::new().with(
            "https://proxy.golang.org/golang.org/x/net/@latest",
            "not found: module golang.org/x/net: no matching versions",
        );
        let err = fetch(&get, BASE, "golang.org/x/net", "v0.19.0").unwrap_err();
        assert!(matches!(err, FetchError::Answer { .. }), "{err:?}");
        let err = fetch(&FakeGet::new(), BASE, "example.com/nope", "v1.0.0").unwrap_err();
        assert!(
            matches!(&err, FetchError::NotFound { url } if url.ends_with("/@latest")),
            "{err:?}"
        );
    }
}
