//! `[[deps.ignore]]`: accepting an advisory for a while, with a reason.
//!
//! An ignore names one id but covers the whole advisory group (its aliases), because the same
//! problem reaches users as a GHSA, a CVE and a RUSTSEC id. An ignore with `until` stops
//! working after that date, and the finding comes back saying so; an ignore that matched
//! nothing is listed, so stale entries get cleaned up.

use crate::error::Error;
use crate::finding::Finding;
use crate::outcome::{ProblemKind, ScanError};
use serde::Deserialize;
use std::time::{SystemTime, UNIX_EPOCH};

/// One `[[deps.ignore]]` entry of `.hygiene.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    /// Any id of the advisory group (GHSA, CVE, RUSTSEC, PYSEC, GO, ...).
    pub id: String,
    /// Why it is acceptable; required so the decision is reviewable.
    pub reason: String,
    /// Last day (`YYYY-MM-DD`, inclusive) the ignore holds. `ignore_until` is accepted too
    /// (the name osv-scanner's config uses).
    #[serde(default, alias = "ignore_until")]
    pub until: Option<String>,
}

/// Checks the entries: a reason is required and `until` must be a real date. The message
/// names the entry and the fix.
fn validate(entries: &[IgnoreEntry]) -> Result<(), String> {
    for e in entries {
        if e.id.trim().is_empty() {
            return Err("[[deps.ignore]] entry has an empty `id`".into());
        }
        if e.reason.trim().is_empty() {
            return Err(format!(
                "[[deps.ignore]] `{}`: give a `reason` so the decision can be reviewed",
                e.id
            ));
        }
        if let Some(until) = &e.until {
            if parse_date(until).is_none() {
                return Err(format!(
                    "[[deps.ignore]] `{}`: `until = \"{until}\"` is not a date; write YYYY-MM-DD",
                    e.id
                ));
            }
        }
    }
    Ok(())
}

/// `YYYY-MM-DD` as a comparable number (`20261121`), if it is a real calendar date.
pub fn parse_date(s: &str) -> Option<u32> {
    let mut parts = s.trim().splitn(3, '-');
    let y: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1000..=9999).contains(&y) || d == 0 || d > days {
        return None;
    }
    Some(y * 10000 + m * 100 + d)
}

/// Today (UTC) as `YYYYMMDD`.
pub fn today() -> u32 {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0) as i64;
    // Civil-from-days (Howard Hinnant's algorithm), valid for the whole u32 date range.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y * 10000 + m * 100 + d) as u32
}

fn covers(entry: &IgnoreEntry, f: &Finding) -> bool {
    match &f.advisory {
        Some(a) => {
            a.id.eq_ignore_ascii_case(&entry.id)
                || a.aliases.iter().any(|x| x.eq_ignore_ascii_case(&entry.id))
        }
        None => false,
    }
}

/// Drops ignored vulnerability findings; marks those whose ignore expired; returns warnings
/// for expired and unused entries.
pub fn apply(findings: &mut Vec<Finding>, entries: &[IgnoreEntry], today: u32) -> Vec<ScanError> {
    let mut used = vec![false; entries.len()];
    let mut expired_seen = vec![false; entries.len()];
    findings.retain_mut(|f| {
        let Some(i) = entries.iter().position(|e| covers(e, f)) else {
            return true;
        };
        used[i] = true;
        let entry = &entries[i];
        let until = entry.until.as_deref().and_then(parse_date);
        match until {
            Some(u) if u < today => {
                expired_seen[i] = true;
                f.message.push_str(&format!(
                    " (the ignore for {} expired on {}: reason was \"{}\")",
                    entry.id,
                    entry.until.as_deref().unwrap_or_default(),
                    entry.reason
                ));
                true
            }
            _ => false,
        }
    });
    let mut warnings = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if expired_seen[i] {
            warnings.push(ScanError::warning(
                None,
                ProblemKind::IgnoreExpired,
                format!(
                    "[[deps.ignore]] `{}` expired on {}; its findings are reported again. Upgrade, or extend `until` with a fresh reason",
                    e.id,
                    e.until.as_deref().unwrap_or_default()
                ),
            ));
        } else if !used[i] {
            warnings.push(ScanError::warning(
                None,
                ProblemKind::IgnoreUnused,
                format!(
                    "[[deps.ignore]] `{}` matched nothing in this scan; remove it if the dependency was upgraded",
                    e.id
                ),
            ));
        }
    }
    warnings
}

/// The `[deps]` table of `.hygiene.toml` (the configuration loader keeps that table opaque:
/// it belongs to this half).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DepsTable {
    #[serde(default)]
    ignore: Vec<IgnoreEntry>,
    /// How old the offline advisory database may be before a scan warns (`"7d"`, `"36h"`).
    #[serde(default)]
    max_db_age: Option<String>,
    /// With `--outdated`, how old a direct dependency's release may be while a newer one
    /// exists (`"2y"`, `"180d"`).
    #[serde(default)]
    outdated_max_age: Option<String>,
}

fn deps_table(file: &str, deps: Option<&toml::Value>) -> Result<DepsTable, Error> {
    let Some(value) = deps else {
        return Ok(DepsTable::default());
    };
    value
        .clone()
        .try_into()
        .map_err(|e| Error::config(format!("{file}: [deps]: {e}")))
}

/// Reads the `[[deps.ignore]]` entries from the `[deps]` table of `.hygiene.toml`.
pub fn from_config_value(
    file: &str,
    deps: Option<&toml::Value>,
) -> Result<Vec<IgnoreEntry>, Error> {
    let deps = deps_table(file, deps)?;
    validate(&deps.ignore).map_err(|e| Error::config(format!("{file}: {e}")))?;
    Ok(deps.ignore)
}

/// Reads `[deps] max_db_age` (see [`freshness`](crate::deps::osv::freshness)); `None` when
/// it is not set.
pub fn max_db_age_from_config(
    file: &str,
    deps: Option<&toml::Value>,
) -> Result<Option<std::time::Duration>, Error> {
    age_setting(file, "max_db_age", deps_table(file, deps)?.max_db_age)
}

/// Reads `[deps] outdated_max_age` (see [`outdated`](crate::deps::outdated)); `None` when it
/// is not set.
pub fn outdated_max_age_from_config(
    file: &str,
    deps: Option<&toml::Value>,
) -> Result<Option<std::time::Duration>, Error> {
    age_setting(
        file,
        "outdated_max_age",
        deps_table(file, deps)?.outdated_max_age,
    )
}

fn age_setting(
    file: &str,
    key: &str,
    value: Option<String>,
) -> Result<Option<std::time::Duration>, Error> {
    value
        .map(|s| {
            crate::deps::osv::freshness::parse_age(&s)
                .map_err(|e| Error::config(format!("{file}: [deps] {key}: {e}")))
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_compare() {
        assert_eq!(parse_date("2026-11-21"), Some(20261121));
        assert_eq!(parse_date("2024-02-29"), Some(20240229));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("soon"), None);
        assert!(today() > 20250101 && today() < 30000101);
    }

    #[test]
    fn validation_requires_reason_and_real_date() {
        let ok = IgnoreEntry {
            id: "X".into(),
            reason: "r".into(),
            until: Some("2030-01-01".into()),
        };
        assert!(validate(std::slice::from_ref(&ok)).is_ok());
        let no_reason = IgnoreEntry {
            reason: " ".into(),
            ..ok.clone()
        };
        assert!(validate(&[no_reason]).unwrap_err().contains("reason"));
        let bad_date = IgnoreEntry {
            until: Some("2030-02-30".into()),
            ..ok
        };
        assert!(validate(&[bad_date]).unwrap_err().contains("YYYY-MM-DD"));
    }

    #[test]
    fn max_db_age_is_read_from_the_deps_table() {
        let value: toml::Value = toml::from_str("max_db_age = \"30d\"").expect("toml");
        let age = max_db_age_from_config("f", Some(&value)).expect("valid");
        assert_eq!(age, Some(std::time::Duration::from_secs(30 * 86_400)));
        assert_eq!(max_db_age_from_config("f", None).expect("none"), None);
        let bad: toml::Value = toml::from_str("max_db_age = \"soon\"").expect("toml");
        let e = max_db_age_from_config("f", Some(&bad)).expect_err("invalid");
        assert!(e.to_string().contains("max_db_age"), "{e}");
        assert!(from_config_value("f", Some(&value))
            .expect("ignores")
            .is_empty());
    }
}
