//! Maven Central: the search API, `GET {base}/solrsearch/select?q=g:"{group}" AND
//! a:"{artifact}"&core=gav&rows=200&wt=json`, one document per version (`core=gav`). `name` is
//! `group:artifact`.
//!
//! Read: `response.docs[]`, each with `v` (the version) and `timestamp` (when it reached
//! Central, in epoch milliseconds). The newest 200 versions are asked for, enough to place the
//! version in use among recent ones. Central never removes or hides a release, so nothing is
//! withdrawn; and there is no "latest" here (the `latestVersion` of the other core is not
//! asked for: the caller orders versions itself). The search answers an unknown artifact with
//! no documents rather than a 404: that is reported as [`FetchError::NotFound`] too.

use super::{encode_segment, get_json, two_parts, FetchError, Get, Release, Releases};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Answer {
    response: Response,
}

#[derive(Deserialize)]
struct Response {
    #[serde(default)]
    docs: Vec<Doc>,
}

#[derive(Deserialize)]
struct Doc {
    v: String,
    #[serde(default)]
    timestamp: Value,
}

pub(super) fn fetch(get: &dyn Get, base: &str, name: &str) -> Result<Releases, FetchError> {
    let search = format!("{base}/solrsearch/select");
    let (group, artifact) = two_parts(name, ':', search, "Maven group:artifact")?;
    let url = format!(
        "{base}/solrsearch/select?q=g:%22{}%22+AND+a:%22{}%22&core=gav&rows=200&wt=json",
        encode_segment(group),
        encode_segment(artifact)
    );
    let answer: Answer = get_json(get, &url, "a Maven Central search answer (`response.docs`)")?;
    if answer.response.docs.is_empty() {
        return Err(FetchError::NotFound { url });
    }
    let releases = answer
        .response
        .docs
        .into_iter()
        .map(|doc| Release {
            published: doc
                .timestamp
                .as_i64()
                .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok()),
            version: doc.v,
            withdrawn: false,
        })
        .collect();
    Ok(Releases {
        releases,
        latest: None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::fake::{ts, FakeGet};
    use super::*;

    const BASE: &str = "https://search.maven.org";
    const URL: &str = "https://search.maven.org/solrsearch/select?q=g:%22com.google.guava%22+AND+a:%22guava%22&core=gav&rows=200&wt=json";
    const GUAVA: &str = r#"{
      "responseHeader": {"status": 0, "QTime": 2, "params": {"q": "g:\"com.google.guava\" AND a:\"guava\"",
        "core": "gav", "indent": "off", "fl": "id,g,a,v,p,ec,timestamp,tags", "start": "", "sort": "score desc,timestamp desc,g asc,a asc,v desc",
        "rows": "200", "wt": "json", "version": "2.2"}},
      "response": {"numFound": 3, "start": 0, "docs": [
        {"id": "com.google.guava:guava:33.1.0-jre", "g": "com.google.guava", "a": "guava", "v": "33.1.0-jre",
         "p": "bundle", "timestamp": 1710535535000, "ec": ["-sources.jar", ".module", ".pom", "-javadoc.jar", ".jar"],
         "tags": ["libraries", "guava", "google", "core"]},
        {"id": "com.google.guava:guava:33.1.0-android", "g": "com.google.guava", "a": "guava", "v": "33.1.0-android",
         "p": "bundle", "timestamp": 1710535464000, "ec": [".jar", ".pom"]},
        {"id": "com.google.guava:guava:32.1.3-jre", "g": "com.google.guava", "a": "guava", "v": "32.1.3-jre",
         "p": "bundle", "timestamp": "not a number", "ec": [".jar", ".pom"]}
      ]}
    }"#;

    #[test]
    fn reads_versions_and_epoch_millisecond_dates() {
        let get = FakeGet::new().with(URL, GUAVA);
        let r = fetch(&get, BASE, "com.google.guava:guava").unwrap();
        assert_eq!(get.asked(), [URL]);
        assert_eq!(r.latest, None);
        let got: Vec<_> = r
            .releases
            .iter()
            .map(|r| (r.version.as_str(), r.published, r.withdrawn))
            .collect();
        assert_eq!(
            got,
            [
                ("33.1.0-jre", ts("2024-03-15T20:45:35Z"), false),
                ("33.1.0-android", ts("2024-03-15T20:44:24Z"), false),
                ("32.1.3-jre", None, false),
            ]
        );
    }

    #[test]
    fn a_name_without_colon_is_an_answer_error() {
        let get = FakeGet::new();
        let err = fetch(&get, BASE, "guava").unwrap_err();
        assert!(
            matches!(&err, FetchError::Answer { message, .. } if message.contains("group:artifact")),
            "{err:?}"
        );
        assert!(get.asked().is_empty());
    }

    #[test]
    fn no_documents_is_not_found_and_garbage_is_an_answer_error() {
        let none = r#"{"responseHeader": {"status": 0}, "response": {"numFound": 0, "start": 0, "docs": []}}"#;
        let get = FakeGet::new().with(URL, none);
        let err = fetch(&get, BASE, "com.google.guava:guava").unwrap_err();
        assert!(matches!(err, FetchError::NotFound { .. }), "{err:?}");

        let get = FakeGet::new().with(URL, "<html><body>502 Bad Gateway</body></html>");
        let err = fetch(&get, BASE, "com.google.guava:guava").unwrap_err();
        assert!(matches!(err, FetchError::Answer { .. }), "{err:?}");

        let err = fetch(&FakeGet::new(), BASE, "org.example:nope").unwrap_err();
        assert!(matches!(err, FetchError::NotFound { .. }), "{err:?}");
    }
}
