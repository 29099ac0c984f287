//! Packagist: `GET {base}/p2/{vendor}/{package}.json`, Composer v2 metadata (the tagged
//! releases; branches are in a separate `~dev` file that is not asked).
//!
//! `packages["vendor/package"]` is a list of versions in Composer's minified form
//! (`"minified": "composer/2.0"`): the first entry is complete, each later one holds only the
//! keys that changed from the entry before it, and the value `"__unset"` removes a key. So a
//! version's `time` is the last `time` at or before its entry that was not unset since; the
//! expansion below is Composer's `MetadataMinifier::expand` kept to the two keys read:
//! `version` (as Packagist spells it, often with a `v`: `v7.0.4`) and `time` (when the tag was
//! made; RFC 3339). A `dev-*` or `*-dev` version is a branch, not a release: skipped. Packagist
//! has no yank and no "latest" in this answer, so nothing is withdrawn and `latest` is `None`.

use super::{encode_segment, get_json, timestamp, two_parts, FetchError, Get, Release, Releases};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::HashMap;

#[derive(Deserialize)]
struct Metadata {
    packages: HashMap<String, Vec<Map<String, Value>>>,
}

/// One key's value through a minified list: set by a later entry, removed by `"__unset"`,
/// otherwise inherited from the entry before.
fn carry(current: &mut Option<Value>, entry: &mut Map<String, Value>, key: &str) {
    if let Some(value) = entry.remove(key) {
        *current = (value.as_str() != Some("__unset")).then_some(value);
    }
}

/// `(version, time)` of every entry of a minified list, expanded.
fn expand(entries: Vec<Map<String, Value>>) -> Vec<(Option<Value>, Option<Value>)> {
    let (mut version, mut time) = (None, None);
    entries
        .into_iter()
        .map(|mut entry| {
            carry(&mut version, &mut entry, "version");
            carry(&mut time, &mut entry, "time");
            (version.clone(), time.clone())
        })
        .collect()
}

pub(super) fn fetch(get: &dyn Get, base: &str, name: &str) -> Result<Releases, FetchError> {
    let name = name.to_lowercase();
    let (vendor, package) = two_parts(&name, '/', format!("{base}/p2/"), "vendor/package")?;
    let url = format!(
        "{base}/p2/{}/{}.json",
        encode_segment(vendor),
        encode_segment(package)
    );
    let mut metadata: Metadata = get_json(
        get,
        &url,
        "Composer v2 metadata (`packages` of version lists)",
    )?;
    let Some(entries) = metadata.packages.remove(&name) else {
        return Err(FetchError::Answer {
            url,
            message: format!("expected Composer v2 metadata listing `{name}`"),
        });
    };
    let releases = expand(entries)
        .into_iter()
        .filter_map(|(version, time)| {
            let version = version?.as_str()?.to_string();
            if version.starts_with("dev-") || version.ends_with("-dev") {
                return None;
            }
            Some(Release {
                published: time.as_ref().and_then(Value::as_str).and_then(timestamp),
                version,
                withdrawn: false,
            })
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

    const CONSOLE: &str = r#"{
      "packages": {"symfony/console": [
        {"name": "symfony/console", "description": "Eases the creation of beautiful and testable command line interfaces",
         "keywords": ["cli", "command-line", "console", "terminal"], "homepage": "https://symfony.com",
         "version": "v7.0.4", "version_normalized": "7.0.4.0", "license": ["MIT"],
         "authors": [{"name": "Fabien Potencier", "email": "fabien@symfony.com"}],
         "source": {"url": "https://github.com/symfony/console.git", "type": "git", "reference": "6b099f3306f7c9c2d2786ed736d0026b2903205f"},
         "dist": {"url": "https://api.github.com/repos/symfony/console/zipball/6b099f3306f7c9c2d2786ed736d0026b2903205f",
                  "type": "zip", "shasum": "", "reference": "6b099f3306f7c9c2d2786ed736d0026b2903205f"},
         "type": "library", "time": "2024-02-22T20:27:20+00:00",
         "autoload": {"psr-4": {"Symfony\\Component\\Console\\": ""}},
         "require": {"php": ">=8.2", "symfony/polyfill-mbstring": "~1.0"},
         "funding": [{"url": "https://symfony.com/sponsor", "type": "custom"}]},
        {"version": "v7.0.3", "version_normalized": "7.0.3.0",
         "source": {"url": "https://github.com/symfony/console.git", "type": "git", "reference": "c5010d50f1ee4b25cfa0201d9915cf1b14071456"},
         "time": "2024-01-23T15:02:46+00:00"},
        {"version": "v7.0.0-RC1", "version_normalized": "7.0.0.0-RC1"},
        {"version": "v6.4.4", "version_normalized": "6.4.4.0", "time": "__unset",
         "require": {"php": ">=8.1"}},
        {"version": "dev-main", "version_normalized": "dev-main", "time": "2024-03-01T00:00:00+00:00"},
        {"version": "v6.4.3", "version_normalized": "6.4.3.0", "time": "2024-01-23T14:51:35+00:00"}
      ]},
      "minified": "composer/2.0"
    }"#;

    #[test]
    fn expands_minified_entries_including_unset() {
        let get = FakeGet::new().with(
            "https://repo.packagist.org/p2/symfony/console.json",
            CONSOLE,
        );
        let r = fetch(&get, "https://repo.packagist.org", "Symfony/Console").unwrap();
        assert_eq!(
            get.asked(),
            ["https://repo.packagist.org/p2/symfony/console.json"]
        );
        assert_eq!(r.latest, None);
        let got: Vec<_> = r
            .releases
            .iter()
            .map(|r| (r.version.as_str(), r.published))
            .collect();
        assert_eq!(
            got,
            [
                ("v7.0.4", ts("2024-02-22T20:27:20Z")),
                ("v7.0.3", ts("2024-01-23T15:02:46Z")),
                // No `time` of its own: inherits the previous entry's.
                ("v7.0.0-RC1", ts("2024-01-23T15:02:46Z")),
                // `time` unset: no date.
                ("v6.4.4", None),
                // dev-main skipped.
                ("v6.4.3", ts("2024-01-23T14:51:35Z")),
            ]
        );
        assert!(r.releases.iter().all(|r| !r.withdrawn));
    }

    #[test]
    fn a_name_without_vendor_or_a_missing_entry_is_an_answer_error() {
        let err = fetch(&FakeGet::new(), "https://repo.packagist.org", "monolog").unwrap_err();
        assert!(
            matches!(&err, FetchError::Answer { message, .. } if message.contains("vendor/package")),
            "{err:?}"
        );
        let get = FakeGet::new().with(
            "https://repo.packagist.org/p2/monolog/monolog.json",
            r#"{"packages": {"other/name": []}, "minified": "composer/2.0"}"#,
        );
        let err = fetch(&get, "https://repo.packagist.org", "monolog/monolog").unwrap_err();
        assert!(matches!(err, FetchError::Answer { .. }), "{err:?}");
    }

    #[test]
    fn garbage_is_an_answer_error_and_404_is_not_found() {
        let get = FakeGet::new().with(
            "https://repo.packagist.org/p2/symfony/console.json",
            "{\"packages\": 3}",
        );
        let err = fetch(&get, "https://repo.packagist.org", "symfony/console").unwrap_err();
        assert!(matches!(err, FetchError::Answer { .. }), "{err:?}");
        let err = fetch(&FakeGet::new(), "https://repo.packagist.org", "acme/nope").unwrap_err();
        assert!(matches!(err, FetchError::NotFound { .. }), "{err:?}");
    }
}
