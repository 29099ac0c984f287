//! npm: `GET {base}/{name}`, the package document ("packument"). A scoped name `@scope/pkg` is
//! asked as `@scope%2fpkg`, the way the npm client escapes it.
//!
//! Read: `dist-tags.latest` as the latest (what `npm install pkg` picks); the keys of
//! `versions` as the releases (a version with a `deprecated` message is still published and
//! installable, so it is listed and not withdrawn: npm has no yank); `time[version]` as each
//! one's publication date (`time` also holds `created` and `modified`, which are not versions).
//! An unpublished package keeps a packument with `time.unpublished` and no `versions`: that is
//! an answer error, not an empty package.

use super::{encode_segment, get_json, timestamp, FetchError, Get, Release, Releases};
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize)]
struct Packument {
    #[serde(default, rename = "dist-tags")]
    dist_tags: Map<String, Value>,
    #[serde(default)]
    versions: Map<String, Value>,
    #[serde(default)]
    time: Map<String, Value>,
}

/// The packument's URL path for `name`: `@scope/pkg` → `@scope%2fpkg`.
fn escaped(name: &str) -> String {
    match name.strip_prefix('@').and_then(|n| n.split_once('/')) {
        Some((scope, pkg)) => format!("@{}%2f{}", encode_segment(scope), encode_segment(pkg)),
        None => encode_segment(name),
    }
}

pub(super) fn fetch(get: &dyn Get, base: &str, name: &str) -> Result<Releases, FetchError> {
    let url = format!("{base}/{}", escaped(name));
    let doc: Packument = get_json(get, &url, "an npm packument object")?;
    if doc.versions.is_empty() && doc.time.contains_key("unpublished") {
        return Err(FetchError::Answer {
            url,
            message: "the package was unpublished from npm".into(),
        });
    }
    let latest = doc
        .dist_tags
        .get("latest")
        .and_then(Value::as_str)
        .map(str::to_string);
    let releases = doc
        .versions
        .keys()
        .map(|version| Release {
            version: version.clone(),
            published: doc
                .time
                .get(version)
                .and_then(Value::as_str)
                .and_then(timestamp),
            withdrawn: false,
        })
        .collect();
    Ok(Releases { releases, latest })
}

#[cfg(test)]
mod tests {
    use super::super::fake::{ts, FakeGet};
    use super::*;

    const LODASH: &str = r#"{
      "_id": "lodash", "_rev": "1234-abcdef", "name": "lodash",
      "description": "Lodash modular utilities.",
      "dist-tags": {"latest": "4.17.21"},
      "versions": {
        "4.17.20": {"name": "lodash", "version": "4.17.20", "main": "lodash.js",
                    "dist": {"shasum": "b44a9b6297bcb698f1c51a3545a2b3b368d59c52",
                             "tarball": "https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz"}},
        "4.17.21": {"name": "lodash", "version": "4.17.21", "main": "lodash.js",
                    "dist": {"shasum": "679591c564c3bffaae8454cf0b3df370c3d6911c",
                             "tarball": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz"}},
        "3.10.1": {"name": "lodash", "version": "3.10.1", "deprecated": "lodash@<4.17.21 is no longer maintained"}
      },
      "time": {
        "modified": "2023-06-22T16:31:59.071Z",
        "created": "2012-04-23T16:37:11.912Z",
        "3.10.1": "2015-08-04T06:05:06.887Z",
        "4.17.20": "2020-08-13T16:53:54.152Z",
        "4.17.21": "2021-02-20T15:42:16.891Z"
      },
      "maintainers": [{"name": "jdalton", "email": "john.david.dalton@gmail.com"}],
      "license": "MIT"
    }"#;

    #[test]
    fn reads_latest_versions_and_times() {
        let get = FakeGet::new().with("https://registry.npmjs.org/lodash", LODASH);
        let r = fetch(&get, "https://registry.npmjs.org", "lodash").unwrap();
        assert_eq!(get.asked(), ["https://registry.npmjs.org/lodash"]);
        assert_eq!(r.latest.as_deref(), Some("4.17.21"));
        assert_eq!(r.releases.len(), 3, "created/modified are not versions");
        let find = |v: &str| r.releases.iter().find(|r| r.version == v).unwrap();
        assert_eq!(find("4.17.21").published, ts("2021-02-20T15:42:16.891Z"));
        assert_eq!(find("4.17.20").published, ts("2020-08-13T16:53:54.152Z"));
        let deprecated = find("3.10.1");
        assert!(!deprecated.withdrawn, "deprecated is still published");
        assert_eq!(deprecated.published, ts("2015-08-04T06:05:06.887Z"));
    }

    #[test]
    fn scoped_names_are_escaped() {
        let body = r#"{"_id": "@types/node", "name": "@types/node",
            "dist-tags": {"latest": "20.12.7", "ts5.4": "20.12.7"},
            "versions": {"20.12.7": {"name": "@types/node", "version": "20.12.7"}},
            "time": {"created": "2016-05-17T18:26:38.668Z", "20.12.7": "2024-04-11T21:07:35.127Z"}}"#;
        let get = FakeGet::new().with("https://registry.npmjs.org/@types%2fnode", body);
        let r = fetch(&get, "https://registry.npmjs.org", "@types/node").unwrap();
        assert_eq!(get.asked(), ["https://registry.npmjs.org/@types%2fnode"]);
        assert_eq!(r.latest.as_deref(), Some("20.12.7"));
        assert_eq!(r.releases[0].published, ts("2024-04-11T21:07:35.127Z"));
    }

    #[test]
    fn unpublished_is_an_answer_error() {
        let body = r#"{"_id": "left-pad-ng", "name": "left-pad-ng",
            "time": {"created": "2016-03-23T10:00:00.000Z", "modified": "2016-03-24T10:00:00.000Z",
                     "unpublished": {"time": "2016-03-24T10:00:00.000Z", "versions": ["1.0.0"]}}}"#;
        let get = FakeGet::new().with("https://registry.npmjs.org/left-pad-ng", body);
        let err = fetch(&get, "https://registry.npmjs.org", "left-pad-ng").unwrap_err();
        assert!(
            matches!(&err, FetchError::Answer { message, .. } if message.contains("unpublished")),
            "{err:?}"
        );
    }

    #[test]
    fn garbage_is_an_answer_error_and_404_is_not_found() {
        let get = FakeGet::new().with("https://registry.npmjs.org/lodash", r#"["lodash"]"#);
        let err = fetch(&get, "https://registry.npmjs.org", "lodash").unwrap_err();
        assert!(matches!(err, FetchError::Answer { .. }), "{err:?}");
        let err = fetch(&FakeGet::new(), "https://registry.npmjs.org", "nope").unwrap_err();
        assert!(matches!(err, FetchError::NotFound { .. }), "{err:?}");
    }
}
