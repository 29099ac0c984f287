//! The OSV record, as serde types.
//!
//! Follows the OSV schema (<https://ossf.github.io/osv-schema/>). Every field but `id` is
//! optional, unknown fields are ignored, and a `null` where a list is expected reads as an
//! empty list, so records from any OSV producer load. Fields whose meaning is producer-defined
//! (`ecosystem_specific`, `database_specific`) are kept as raw JSON.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// One OSV vulnerability record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Vulnerability {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// When set, the record was withdrawn and must not be reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub aliases: Vec<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub related: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<SeverityEntry>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub affected: Vec<Affected>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub references: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

impl Vulnerability {
    /// The record's id followed by its aliases: every name this record is known by.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// `database_specific.severity` (GHSA style: `CRITICAL`, `HIGH`, `MODERATE`, `LOW`).
    pub fn database_severity(&self) -> Option<&str> {
        self.database_specific
            .as_ref()
            .and_then(|d| d.get("severity"))
            .and_then(Value::as_str)
    }
}

/// A `severity[]` entry: `{"type": "CVSS_V3", "score": "CVSS:3.1/..."}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityEntry {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub score: String,
}

/// A `references[]` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub url: String,
}

/// One `affected[]` entry: a package and the versions of it that the record covers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    #[serde(default)]
    pub package: AffectedPackage,
    /// Per-package severity (the schema allows it instead of the top-level one).
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<SeverityEntry>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub ranges: Vec<Range>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub versions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

impl Affected {
    /// RustSec's `database_specific.informational` (`unmaintained`, `unsound`, `notice`).
    pub fn informational(&self) -> Option<&str> {
        self.database_specific
            .as_ref()
            .and_then(|d| d.get("informational"))
            .and_then(Value::as_str)
    }
}

/// `affected[].package`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedPackage {
    #[serde(default)]
    pub ecosystem: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

/// The `type` of a range. Unknown types are kept by name and never match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum RangeType {
    Semver,
    Ecosystem,
    Git,
    Other(String),
}

impl Default for RangeType {
    fn default() -> Self {
        RangeType::Other(String::new())
    }
}

impl From<String> for RangeType {
    fn from(s: String) -> Self {
        match s.as_str() {
            "SEMVER" => RangeType::Semver,
            "ECOSYSTEM" => RangeType::Ecosystem,
            "GIT" => RangeType::Git,
            _ => RangeType::Other(s),
        }
    }
}

impl From<RangeType> for String {
    fn from(t: RangeType) -> Self {
        match t {
            RangeType::Semver => "SEMVER".to_string(),
            RangeType::Ecosystem => "ECOSYSTEM".to_string(),
            RangeType::Git => "GIT".to_string(),
            RangeType::Other(s) => s,
        }
    }
}

/// `affected[].ranges[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Range {
    #[serde(rename = "type", default)]
    pub kind: RangeType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub events: Vec<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

/// One event of a range timeline. The schema allows exactly one of the four keys; an event
/// with none of them is ignored, one with several is read as the first of `introduced`,
/// `fixed`, `last_affected`, `limit`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

/// What an [`Event`] says, with its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind<'a> {
    Introduced(&'a str),
    Fixed(&'a str),
    LastAffected(&'a str),
    Limit(&'a str),
}

impl<'a> EventKind<'a> {
    /// The version the event names.
    pub fn version(self) -> &'a str {
        match self {
            EventKind::Introduced(v)
            | EventKind::Fixed(v)
            | EventKind::LastAffected(v)
            | EventKind::Limit(v) => v,
        }
    }
}

impl Event {
    /// The event's meaning, or `None` for an empty event object.
    pub fn kind(&self) -> Option<EventKind<'_>> {
        if let Some(v) = &self.introduced {
            Some(EventKind::Introduced(v))
        } else if let Some(v) = &self.fixed {
            Some(EventKind::Fixed(v))
        } else if let Some(v) = &self.last_affected {
            Some(EventKind::LastAffected(v))
        } else {
            self.limit.as_deref().map(EventKind::Limit)
        }
    }

    pub fn introduced(v: &str) -> Event {
        Event {
            introduced: Some(v.to_string()),
            ..Event::default()
        }
    }

    pub fn fixed(v: &str) -> Event {
        Event {
            fixed: Some(v.to_string()),
            ..Event::default()
        }
    }

    pub fn last_affected(v: &str) -> Event {
        Event {
            last_affected: Some(v.to_string()),
            ..Event::default()
        }
    }

    pub fn limit(v: &str) -> Event {
        Event {
            limit: Some(v.to_string()),
            ..Event::default()
        }
    }
}

/// Reads `null` as the type's default (an empty list), so `"aliases": null` loads.
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_record_and_ignores_unknown_fields() {
        let json = r#"{
          "schema_version": "1.6.0",
          "id": "RUSTSEC-2099-0001",
          "modified": "2024-01-01T00:00:00Z",
          "published": "2023-01-01T00:00:00Z",
          "aliases": ["CVE-2099-1", "GHSA-aaaa-bbbb-cccc"],
          "related": null,
          "summary": "s",
          "details": "d",
          "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
          "affected": [{
            "package": {"ecosystem": "crates.io", "name": "foo", "purl": "pkg:cargo/foo"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.3"}],
                        "database_specific": {"x": 1}},
                       {"type": "GIT", "repo": "https://example.invalid/r",
                        "events": [{"introduced": "abc"}, {"limit": "def"}]},
                       {"type": "FUTURE_TYPE", "events": []}],
            "versions": ["1.0.0"],
            "ecosystem_specific": {"affects": {"functions": ["foo::bar"]}},
            "database_specific": {"informational": "unsound"},
            "some_new_field": true
          }],
          "credits": [{"name": "someone"}],
          "references": [{"type": "ADVISORY", "url": "https://example.invalid"}],
          "database_specific": {"severity": "HIGH"},
          "another_new_field": {"nested": [1, 2]}
        }"#;
        let v: Vulnerability = serde_json::from_str(json).unwrap();
        assert_eq!(v.id, "RUSTSEC-2099-0001");
        assert_eq!(v.aliases.len(), 2);
        assert!(v.related.is_empty());
        assert_eq!(v.severity[0].kind, "CVSS_V3");
        assert_eq!(v.database_severity(), Some("HIGH"));
        let a = &v.affected[0];
        assert_eq!(a.package.name, "foo");
        assert_eq!(a.informational(), Some("unsound"));
        assert_eq!(a.ranges[0].kind, RangeType::Semver);
        assert_eq!(a.ranges[1].kind, RangeType::Git);
        assert_eq!(
            a.ranges[2].kind,
            RangeType::Other("FUTURE_TYPE".to_string())
        );
        assert_eq!(
            a.ranges[0].events[1].kind(),
            Some(EventKind::Fixed("1.2.3"))
        );
        assert_eq!(a.ranges[1].events[1].kind(), Some(EventKind::Limit("def")));
        let ids: Vec<&str> = v.ids().collect();
        assert_eq!(
            ids,
            ["RUSTSEC-2099-0001", "CVE-2099-1", "GHSA-aaaa-bbbb-cccc"]
        );

        // Round trip keeps what we model.
        let back: Vulnerability =
            serde_json::from_str(&serde_json::to_string(&v).unwrap()).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn minimal_record_loads() {
        let v: Vulnerability = serde_json::from_str(r#"{"id": "X-1"}"#).unwrap();
        assert_eq!(v.id, "X-1");
        assert!(v.affected.is_empty());
        assert!(v.withdrawn.is_none());
        let e: Event = serde_json::from_str("{}").unwrap();
        assert_eq!(e.kind(), None);
    }
}
