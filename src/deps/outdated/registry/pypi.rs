//! PyPI: `GET {base}/pypi/{name}/json`, the JSON API's project document.
//!
//! Read: `info.version` as the latest (PyPI's own pick: the highest non-prerelease, non-yanked
//! release); `releases`, an object from version to the files uploaded for it, each with
//! `upload_time_iso_8601` and `yanked`. A release has no date of its own on PyPI, only its
//! files do, and files can be added long after (a wheel for a new Python version): the
//! earliest upload is when the release came out. A release is withdrawn when every one of its
//! files is yanked (PEP 592 yanks files; the UI yanks them all at once). A release with no
//! files left has no date and is not called withdrawn.

use super::{encode_segment, get_json, timestamp, FetchError, Get, Release, Releases};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Project {
    info: Info,
    #[serde(default)]
    releases: BTreeMap<String, Vec<File>>,
}

#[derive(Deserialize)]
struct Info {
    #[serde(default)]
    version: Option<String>,
}

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    upload_time_iso_8601: Option<String>,
    #[serde(default)]
    yanked: bool,
}

pub(super) fn fetch(get: &dyn Get, base: &str, name: &str) -> Result<Releases, FetchError> {
    let url = format!("{base}/pypi/{}/json", encode_segment(name));
    let project: Project = get_json(get, &url, "a PyPI project object (`info`, `releases`)")?;
    let releases = project
        .releases
        .into_iter()
        .map(|(version, files)| Release {
            published: files
                .iter()
                .filter_map(|f| f.upload_time_iso_8601.as_deref().and_then(timestamp))
                .min(),
            withdrawn: !files.is_empty() && files.iter().all(|f| f.yanked),
            version,
        })
        .collect();
    let latest = project.info.version.filter(|v| !v.is_empty());
    Ok(Releases { releases, latest })
}

#[cfg(test)]
mod tests {
    use super::super::fake::{ts, FakeGet};
    use super::*;

    const REQUESTS: &str = r#"{
      "info": {"author": "Kenneth Reitz", "name": "requests", "package_url": "https://pypi.org/project/requests/",
               "requires_python": ">=3.8", "summary": "Python HTTP for Humans.", "version": "2.31.0",
               "yanked": false, "yanked_reason": null},
      "last_serial": 21601588,
      "releases": {
        "2.30.0": [
          {"filename": "requests-2.30.0-py3-none-any.whl", "packagetype": "bdist_wheel",
           "upload_time": "2023-05-03T15:46:56", "upload_time_iso_8601": "2023-05-03T15:46:56.424414Z",
           "yanked": false, "yanked_reason": null},
          {"filename": "requests-2.30.0.tar.gz", "packagetype": "sdist",
           "upload_time": "2023-05-03T15:46:54", "upload_time_iso_8601": "2023-05-03T15:46:54.120371Z",
           "yanked": false, "yanked_reason": null}
        ],
        "2.31.0": [
          {"filename": "requests-2.31.0-py3-none-any.whl", "packagetype": "bdist_wheel",
           "upload_time_iso_8601": "2023-05-22T15:12:42.313790Z", "yanked": false, "yanked_reason": null},
          {"filename": "requests-2.31.0.tar.gz", "packagetype": "sdist",
           "upload_time_iso_8601": "2023-05-22T15:12:44.175924Z", "yanked": false, "yanked_reason": null}
        ],
        "2.32.0": [
          {"filename": "requests-2.32.0-py3-none-any.whl", "upload_time_iso_8601": "2024-05-20T15:16:28.014155Z",
           "yanked": true, "yanked_reason": "Yanked due to conflicts with CVE-2024-35195 mitigation"},
          {"filename": "requests-2.32.0.tar.gz", "upload_time_iso_8601": "2024-05-20T15:16:30.151931Z",
           "yanked": true, "yanked_reason": "Yanked due to conflicts with CVE-2024-35195 mitigation"}
        ],
        "0.0.1": []
      },
      "urls": [],
      "vulnerabilities": []
    }"#;

    #[test]
    fn reads_latest_earliest_upload_and_yanks() {
        let get = FakeGet::new().with("https://pypi.org/pypi/requests/json", REQUESTS);
        let r = fetch(&get, "https://pypi.org", "requests").unwrap();
        assert_eq!(get.asked(), ["https://pypi.org/pypi/requests/json"]);
        assert_eq!(r.latest.as_deref(), Some("2.31.0"));
        let find = |v: &str| r.releases.iter().find(|r| r.version == v).unwrap();
        assert_eq!(
            find("2.30.0").published,
            ts("2023-05-03T15:46:54.120371Z"),
            "the sdist came first"
        );
        assert!(!find("2.31.0").withdrawn);
        assert_eq!(find("2.31.0").published, ts("2023-05-22T15:12:42.31379Z"));
        assert!(find("2.32.0").withdrawn);
        let empty = find("0.0.1");
        assert_eq!((empty.published, empty.withdrawn), (None, false));
    }

    #[test]
    fn one_yanked_file_does_not_withdraw_the_release() {
        let body = r#"{"info": {"version": "1.0"}, "releases": {"1.0": [
            {"upload_time_iso_8601": "2020-01-01T00:00:00Z", "yanked": true},
            {"upload_time_iso_8601": "garbage", "yanked": false}]}}"#;
        let get = FakeGet::new().with("https://pypi.org/pypi/demo/json", body);
        let r = fetch(&get, "https://pypi.org", "demo").unwrap();
        assert!(!r.releases[0].withdrawn);
        assert_eq!(r.releases[0].published, ts("2020-01-01T00:00:00Z"));
    }

    #[test]
    fn garbage_is_an_answer_error_and_404_is_not_found() {
        let get = FakeGet::new().with(
            "https://pypi.org/pypi/requests/json",
            r#"{"message": "Not Found"}"#,
        );
        let err = fetch(&get, "https://pypi.org", "requests").unwrap_err();
        assert!(
            matches!(&err, FetchError::Answer { message, .. } if message.contains("PyPI project")),
            "{err:?}"
        );
        let err = fetch(&FakeGet::new(), "https://pypi.org", "nope").unwrap_err();
        assert!(matches!(err, FetchError::NotFound { .. }), "{err:?}");
    }
}
