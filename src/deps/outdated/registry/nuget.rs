//! NuGet: two resources of the V3 API, with the id (and version) lowercased as they require.
//!
//! - `GET {base}/v3-flatcontainer/{id}/index.json` (package base address) → `{"versions": [...]}`:
//!   every version, listed or not, normalized and without dates. A 404 means no such package.
//! - `GET {base}/v3/registration5-gz-semver2/{id}/{version}.json`, the registration leaf of the
//!   version in use → `published` (its date) and `listed` (absent means listed). nuget.org
//!   marks an unlisted version by setting `published` to the year 1900: no date then, and the
//!   version is withdrawn. This request failing is not fatal: the version just has no date.
//!   The `gz-semver2` hive is the one that holds every package (the older `semver1` hive
//!   leaves out packages with SemVer 2.0.0 versions); its answers are gzip-encoded, which the
//!   HTTP client decodes.
//!
//! The flat container gives no date and no listed flag for the other versions (the full
//! registration index would, at the cost of pages of catalog entries), and no "latest".

use super::{encode_segment, get_json, timestamp, FetchError, Get, Release, Releases};
use serde::Deserialize;

#[derive(Deserialize)]
struct Index {
    versions: Vec<String>,
}

#[derive(Deserialize)]
struct Leaf {
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    listed: Option<bool>,
}

/// NuGet's normalized form of a version, as the flat container and registration URLs spell
/// it: lowercase, no build metadata, no leading zeros, at least three numbers and a fourth
/// only when it is not zero (`1.0` → `1.0.0`, `1.0.0.0` → `1.0.0`, `01.2.3` → `1.2.3`).
fn normalize(version: &str) -> String {
    let version = version.trim().to_lowercase();
    let version = version.split('+').next().unwrap_or_default();
    let (numbers, pre) = match version.split_once('-') {
        Some((n, p)) => (n, Some(p)),
        None => (version, None),
    };
    let mut parts: Vec<String> = numbers
        .split('.')
        .map(|p| {
            p.parse::<u64>()
                .map_or_else(|_| p.to_string(), |n| n.to_string())
        })
        .collect();
    while parts.len() < 3 {
        parts.push("0".into());
    }
    if parts.len() == 4 && parts.get(3).map(String::as_str) == Some("0") {
        parts.truncate(3);
    }
    let mut out = parts.join(".");
    if let Some(pre) = pre {
        out.push('-');
        out.push_str(pre);
    }
    out
}

pub(super) fn fetch(
    get: &dyn Get,
    base: &str,
    name: &str,
    version: &str,
) -> Result<Releases, FetchError> {
    let id = encode_segment(&name.to_lowercase());
    let url = format!("{base}/v3-flatcontainer/{id}/index.json");
    let index: Index = get_json(get, &url, "a NuGet flat container index (`versions`)")?;
    let mut releases: Vec<Release> = index
        .versions
        .into_iter()
        .map(|version| Release {
            version,
            published: None,
            withdrawn: false,
        })
        .collect();

    if !version.trim().is_empty() {
        let in_use = normalize(version);
        let url = format!(
            "{base}/v3/registration5-gz-semver2/{id}/{}.json",
            encode_segment(&in_use)
        );
        if let Ok(leaf) = get_json::<Leaf>(get, &url, "a NuGet registration leaf") {
            let unlisted = leaf.listed == Some(false)
                || leaf
                    .published
                    .as_deref()
                    .is_some_and(|p| p.trim_start().starts_with("1900-"));
            let published = if unlisted {
                None
            } else {
                leaf.published.as_deref().and_then(timestamp)
            };
            match releases
                .iter_mut()
                .find(|r| r.version.eq_ignore_ascii_case(&in_use))
            {
                Some(r) => {
                    r.published = published;
                    r.withdrawn = unlisted;
                }
                None => releases.push(Release {
                    version: in_use,
                    published,
                    withdrawn: unlisted,
                }),
            }
        }
    }
    Ok(Releases {
        releases,
        latest: None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::fake::{ts, FakeGet};
    use super::*;

    const BASE: &str = "https://api.nuget.org";
    const INDEX: &str = r#"{"versions": ["12.0.3", "13.0.1", "13.0.2", "13.0.3", "13.0.4-beta1"]}"#;
    const LEAF: &str = r#"{
      "@id": "https://api.nuget.org/v3/registration5-gz-semver2/newtonsoft.json/13.0.1.json",
      "@type": ["Package", "http://schema.nuget.org/catalog#Permalink"],
      "catalogEntry": "https://api.nuget.org/v3/catalog0/data/2021.03.22.20.11.12/newtonsoft.json.13.0.1.json",
      "listed": true,
      "packageContent": "https://api.nuget.org/v3-flatcontainer/newtonsoft.json/13.0.1/newtonsoft.json.13.0.1.nupkg",
      "published": "2021-03-22T20:10:49.497+00:00",
      "registration": "https://api.nuget.org/v3/registration5-gz-semver2/newtonsoft.json/index.json",
      "@context": {"@vocab": "http://schema.nuget.org/schema#"}
    }"#;

    #[test]
    fn reads_versions_and_dates_the_one_in_use() {
        let get = FakeGet::new()
            .with(
                "https://api.nuget.org/v3-flatcontainer/newtonsoft.json/index.json",
                INDEX,
            )
            .with(
                "https://api.nuget.org/v3/registration5-gz-semver2/newtonsoft.json/13.0.1.json",
                LEAF,
            );
        let r = fetch(&get, BASE, "Newtonsoft.Json", "13.0.1").unwrap();
        assert_eq!(
            get.asked(),
            [
                "https://api.nuget.org/v3-flatcontainer/newtonsoft.json/index.json",
                "https://api.nuget.org/v3/registration5-gz-semver2/newtonsoft.json/13.0.1.json",
            ]
        );
        assert_eq!(r.latest, None);
        assert_eq!(r.releases.len(), 5);
        let find = |v: &str| r.releases.iter().find(|r| r.version == v).unwrap();
        assert_eq!(find("13.0.1").published, ts("2021-03-22T20:10:49.497Z"));
        assert!(!find("13.0.1").withdrawn);
        assert_eq!(find("13.0.3").published, None);
    }

    #[test]
    fn year_1900_means_unlisted_and_a_failed_leaf_is_not_fatal() {
        let unlisted = r#"{"@id": "x", "listed": false, "published": "1900-01-01T00:00:00+00:00"}"#;
        let get = FakeGet::new()
            .with(
                "https://api.nuget.org/v3-flatcontainer/newtonsoft.json/index.json",
                INDEX,
            )
            .with(
                "https://api.nuget.org/v3/registration5-gz-semver2/newtonsoft.json/13.0.2.json",
                unlisted,
            );
        let r = fetch(&get, BASE, "Newtonsoft.Json", "13.0.2").unwrap();
        let v = r.releases.iter().find(|r| r.version == "13.0.2").unwrap();
        assert_eq!((v.published, v.withdrawn), (None, true));

        // 404 on the leaf: the versions are still there.
        let r = fetch(&get, BASE, "Newtonsoft.Json", "12.0.3").unwrap();
        assert_eq!(r.releases.len(), 5);
        assert!(r.releases.iter().all(|r| r.published.is_none()));
    }

    #[test]
    fn the_version_in_use_is_normalized_for_its_leaf() {
        assert_eq!(normalize("13.0"), "13.0.0");
        assert_eq!(normalize("1.0.0.0"), "1.0.0");
        assert_eq!(normalize("1.02.3.4"), "1.2.3.4");
        assert_eq!(normalize("4.0.0-Beta.1+sha.abc"), "4.0.0-beta.1");
        let get = FakeGet::new()
            .with(
                "https://api.nuget.org/v3-flatcontainer/newtonsoft.json/index.json",
                INDEX,
            )
            .with(
                "https://api.nuget.org/v3/registration5-gz-semver2/newtonsoft.json/13.0.1.json",
                LEAF,
            );
        fetch(&get, BASE, "Newtonsoft.Json", "13.0.1.0").unwrap();
        assert_eq!(
            get.asked()[1],
            "https://api.nuget.org/v3/registration5-gz-semver2/newtonsoft.json/13.0.1.json"
        );
    }

    #[test]
    fn garbage_is_an_answer_error_and_404_is_not_found() {
        let get = FakeGet::new().with(
            "https://api.nuget.org/v3-flatcontainer/newtonsoft.json/index.json",
            r#"{"data": []}"#,
        );
        let err = fetch(&get, BASE, "Newtonsoft.Json", "13.0.1").unwrap_err();
        assert!(
            matches!(&err, FetchError::Answer { message, .. } if message.contains("flat container")),
            "{err:?}"
        );
        let err = fetch(&FakeGet::new(), BASE, "No.Such.Package", "1.0.0").unwrap_err();
        assert!(matches!(err, FetchError::NotFound { .. }), "{err:?}");
    }
}
