//! RubyGems: `GET {base}/api/v1/versions/{name}.json`, every version of a gem.
//!
//! Read: each entry's `number` and `created_at` (when that version was pushed). A version
//! built for several platforms (`ruby`, `java`, `x86_64-linux`...) has one entry per platform,
//! pushed one by one: they make one release, dated by the earliest push. `prerelease` is not
//! needed (the caller orders versions itself) and there is no "latest" in this answer. Yanked
//! versions are not in the list at all, so nothing here is withdrawn.

use super::{encode_segment, get_json, timestamp, FetchError, Get, Release, Releases};
use serde::Deserialize;

#[derive(Deserialize)]
struct Version {
    number: String,
    #[serde(default)]
    created_at: Option<String>,
}

pub(super) fn fetch(get: &dyn Get, base: &str, name: &str) -> Result<Releases, FetchError> {
    let url = format!("{base}/api/v1/versions/{}.json", encode_segment(name));
    let versions: Vec<Version> = get_json(get, &url, "a RubyGems array of versions")?;
    let mut releases: Vec<Release> = Vec::new();
    for v in versions {
        let published = v.created_at.as_deref().and_then(timestamp);
        match releases.iter_mut().find(|r| r.version == v.number) {
            Some(r) => {
                r.published = match (r.published, published) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                }
            }
            None => releases.push(Release {
                version: v.number,
                published,
                withdrawn: false,
            }),
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

    const RAILS: &str = r#"[
      {"authors": "David Heinemeier Hansson", "built_at": "2024-02-21T00:00:00.000Z",
       "created_at": "2024-02-21T21:45:24.514Z", "description": "Ruby on Rails is a full-stack web framework.",
       "downloads_count": 1893040, "metadata": {"changelog_uri": "https://github.com/rails/rails/releases/tag/v7.1.3.2"},
       "number": "7.1.3.2", "summary": "Full-stack web application framework.", "platform": "ruby",
       "rubygems_version": ">= 1.8.11", "ruby_version": ">= 2.7.0", "prerelease": false,
       "licenses": ["MIT"], "requirements": [], "sha": "0d5b9a1e9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e"},
      {"authors": "David Heinemeier Hansson", "created_at": "2024-01-16T22:51:47.118Z",
       "number": "7.1.3", "platform": "ruby", "prerelease": false},
      {"authors": "David Heinemeier Hansson", "created_at": "2023-09-13T00:07:17.921Z",
       "number": "7.1.0.rc1", "platform": "ruby", "prerelease": true}
    ]"#;

    #[test]
    fn reads_numbers_and_dates() {
        let get = FakeGet::new().with("https://rubygems.org/api/v1/versions/rails.json", RAILS);
        let r = fetch(&get, "https://rubygems.org", "rails").unwrap();
        assert_eq!(
            get.asked(),
            ["https://rubygems.org/api/v1/versions/rails.json"]
        );
        assert_eq!(r.latest, None);
        let versions: Vec<_> = r.releases.iter().map(|r| r.version.as_str()).collect();
        assert_eq!(versions, ["7.1.3.2", "7.1.3", "7.1.0.rc1"]);
        assert_eq!(r.releases[0].published, ts("2024-02-21T21:45:24.514Z"));
        assert_eq!(r.releases[1].published, ts("2024-01-16T22:51:47.118Z"));
        assert!(r.releases.iter().all(|r| !r.withdrawn));
    }

    #[test]
    fn platforms_of_one_number_make_one_release_dated_by_the_first_push() {
        let body = r#"[
          {"number": "1.16.4", "platform": "x86_64-linux", "created_at": "2024-04-10T15:10:02.000Z", "prerelease": false},
          {"number": "1.16.4", "platform": "ruby", "created_at": "2024-04-10T15:08:59.000Z", "prerelease": false},
          {"number": "1.16.4", "platform": "java", "created_at": "bogus", "prerelease": false},
          {"number": "1.16.3", "platform": "ruby", "created_at": "2024-03-15T00:00:00.000Z", "prerelease": false}
        ]"#;
        let get = FakeGet::new().with("https://rubygems.org/api/v1/versions/nokogiri.json", body);
        let r = fetch(&get, "https://rubygems.org", "nokogiri").unwrap();
        assert_eq!(r.releases.len(), 2);
        assert_eq!(r.releases[0].version, "1.16.4");
        assert_eq!(r.releases[0].published, ts("2024-04-10T15:08:59Z"));
    }

    #[test]
    fn garbage_is_an_answer_error_and_404_is_not_found() {
        let get = FakeGet::new().with(
            "https://rubygems.org/api/v1/versions/rails.json",
            "This rubygem could not be found.",
        );
        let err = fetch(&get, "https://rubygems.org", "rails").unwrap_err();
        assert!(matches!(err, FetchError::Answer { .. }), "{err:?}");
        let err = fetch(&FakeGet::new(), "https://rubygems.org", "nope").unwrap_err();
        assert!(matches!(err, FetchError::NotFound { .. }), "{err:?}");
    }
}
