//! crates.io: `GET {base}/api/v1/crates/{name}`, the crate's page data.
//!
//! Read: `crate.max_stable_version` as the latest (the highest non-prerelease, non-yanked
//! version: what the crate's page shows), falling back to `crate.max_version` when there is no
//! stable one (`max_version` is `"0.0.0"` when every version is yanked: then no latest); and
//! every `versions[]` entry's `num`, `created_at` (RFC 3339 with offset: when it was published,
//! crates.io versions are immutable) and `yanked` (a yanked version is withdrawn). The rest
//! (downloads, features, publishers) is ignored.

use super::{encode_segment, get_json, timestamp, FetchError, Get, Release, Releases};
use serde::Deserialize;

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "crate")]
    krate: Crate,
    #[serde(default)]
    versions: Option<Vec<Version>>,
}

#[derive(Deserialize)]
struct Crate {
    #[serde(default)]
    max_stable_version: Option<String>,
    #[serde(default)]
    max_version: Option<String>,
}

#[derive(Deserialize)]
struct Version {
    num: String,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    yanked: bool,
}

pub(super) fn fetch(get: &dyn Get, base: &str, name: &str) -> Result<Releases, FetchError> {
    let url = format!("{base}/api/v1/crates/{}", encode_segment(name));
    let answer: Answer = get_json(get, &url, "a crates.io crate object (`crate`, `versions`)")?;
    let latest = answer
        .krate
        .max_stable_version
        .filter(|v| !v.is_empty())
        .or(answer
            .krate
            .max_version
            .filter(|v| !v.is_empty() && v != "0.0.0"));
    let releases = answer
        .versions
        .unwrap_or_default()
        .into_iter()
        .map(|v| Release {
            published: v.created_at.as_deref().and_then(timestamp),
            withdrawn: v.yanked,
            version: v.num,
        })
        .collect();
    Ok(Releases { releases, latest })
}

#[cfg(test)]
mod tests {
    use super::super::fake::{ts, FakeGet};
    use super::*;

    const SERDE: &str = r#"{
      "categories": [{"category": "Encoding", "id": "encoding", "slug": "encoding"}],
      "crate": {
        "id": "serde", "name": "serde", "description": "A generic serialization/deserialization framework",
        "downloads": 512345678, "recent_downloads": 81234567,
        "created_at": "2014-12-05T20:20:39.487502+00:00", "updated_at": "2024-04-16T20:43:25.212836+00:00",
        "default_version": "1.0.198", "max_version": "1.0.198", "max_stable_version": "1.0.198",
        "newest_version": "1.0.198", "yanked": false, "versions": [1, 2, 3]
      },
      "keywords": [{"id": "serde", "keyword": "serde", "crates_cnt": 1800}],
      "versions": [
        {"id": 1123456, "crate": "serde", "num": "1.0.198", "dl_path": "/api/v1/crates/serde/1.0.198/download",
         "created_at": "2024-04-16T20:43:24.934154+00:00", "updated_at": "2024-04-16T20:43:24.934154+00:00",
         "downloads": 1234567, "features": {"default": ["std"]}, "yanked": false, "license": "MIT OR Apache-2.0",
         "crate_size": 77935, "rust_version": "1.31"},
        {"id": 1123000, "crate": "serde", "num": "1.0.197", "created_at": "2024-02-20T02:36:10.517573+00:00",
         "yanked": false, "features": {}},
        {"id": 200000, "crate": "serde", "num": "1.0.94", "created_at": "2019-06-27T16:47:05.123456+00:00",
         "yanked": true, "features": {}}
      ]
    }"#;

    #[test]
    fn reads_latest_dates_and_yanks() {
        let get = FakeGet::new().with("https://crates.io/api/v1/crates/serde", SERDE);
        let r = fetch(&get, "https://crates.io", "serde").unwrap();
        assert_eq!(get.asked(), ["https://crates.io/api/v1/crates/serde"]);
        assert_eq!(r.latest.as_deref(), Some("1.0.198"));
        assert_eq!(r.releases.len(), 3);
        assert_eq!(
            r.releases[0],
            Release {
                version: "1.0.198".into(),
                published: ts("2024-04-16T20:43:24.934154Z"),
                withdrawn: false,
            }
        );
        assert_eq!(r.releases[2].version, "1.0.94");
        assert!(r.releases[2].withdrawn);
    }

    #[test]
    fn latest_falls_back_to_max_version_and_never_to_zero() {
        let body = r#"{"crate": {"name": "tokio-pre", "max_stable_version": null, "max_version": "0.3.0-alpha.2"},
                       "versions": [{"num": "0.3.0-alpha.2", "created_at": "not a date", "yanked": false}]}"#;
        let get = FakeGet::new().with("https://crates.io/api/v1/crates/tokio-pre", body);
        let r = fetch(&get, "https://crates.io", "tokio-pre").unwrap();
        assert_eq!(r.latest.as_deref(), Some("0.3.0-alpha.2"));
        assert_eq!(r.releases[0].published, None);

        let all_yanked = r#"{"crate": {"name": "gone", "max_stable_version": null, "max_version": "0.0.0"},
                             "versions": null}"#;
        let get = FakeGet::new().with("https://crates.io/api/v1/crates/gone", all_yanked);
        let r = fetch(&get, "https://crates.io", "gone").unwrap();
        assert_eq!(r, Releases::default());
    }

    #[test]
    fn garbage_is_an_answer_error_and_404_is_not_found() {
        let get = FakeGet::new().with("https://crates.io/api/v1/crates/tokio", "<html>oops</html>");
        let err = fetch(&get, "https://crates.io", "tokio").unwrap_err();
        assert!(
            matches!(&err, FetchError::Answer { url, message }
                if url == "https://crates.io/api/v1/crates/tokio" && message.contains("crates.io crate object")),
            "{err:?}"
        );
        let err = fetch(&FakeGet::new(), "https://crates.io", "no-such-crate").unwrap_err();
        assert!(matches!(err, FetchError::NotFound { .. }), "{err:?}");
    }
}
