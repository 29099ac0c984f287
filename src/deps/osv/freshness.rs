//! How old the offline advisory database may be before a scan says so.
//!
//! An offline scan is only as good as its last `hygiene db update`: advisories published
//! since are missing, and a scan that says "no known vulnerabilities" against a month-old
//! database is quietly wrong. So a scan that uses a database older than the limit warns, in
//! every format, with its age and the command that refreshes it.
//!
//! The limit is 7 days ([`DEFAULT_MAX_AGE`]), `[deps] max_db_age = "30d"` in `.hygiene.toml`
//! to change it, or `--max-db-age AGE` on the command line. Given on the command line it is
//! a requirement rather than a preference: an older database makes the scan incomplete
//! (exit 3), so a CI job can refuse to pass on stale data.
//!
//! A database's age is the time since it was last fetched or confirmed current (see
//! [`db::last_updated`](super::db::last_updated)), not the publication date of its newest
//! record: a quiet ecosystem's export changes rarely, and a checked copy of it is fresh.

use super::db;
use crate::deps::Ecosystem;
use crate::outcome::{ProblemKind, ScanError};
use std::path::Path;
use std::time::{Duration, SystemTime};

const HOUR: u64 = 3600;
const DAY: u64 = 24 * HOUR;

/// The limit when neither the configuration nor the command line gives one.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(7 * DAY);

/// The age limit of one scan and what crossing it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaxDbAge {
    pub limit: Duration,
    /// Given with `--max-db-age`: an older database is an error (the scan is incomplete).
    /// From the configuration or the default, it is a warning.
    pub enforced: bool,
}

impl Default for MaxDbAge {
    fn default() -> Self {
        MaxDbAge {
            limit: DEFAULT_MAX_AGE,
            enforced: false,
        }
    }
}

impl MaxDbAge {
    /// The command line's limit (`--max-db-age`), else the configuration's, else the default.
    pub fn resolve(flag: Option<Duration>, config: Option<Duration>) -> MaxDbAge {
        match (flag, config) {
            (Some(limit), _) => MaxDbAge {
                limit,
                enforced: true,
            },
            (None, Some(limit)) => MaxDbAge {
                limit,
                enforced: false,
            },
            (None, None) => MaxDbAge::default(),
        }
    }
}

/// Parses an age: a whole number and a unit, `h` (hours), `d` (days) or `w` (weeks), as in
/// `36h`, `7d`, `2w`. The error says how to write one.
pub fn parse_age(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let bad =
        || format!("`{s}` is not an age: write a number and a unit h, d, w or y (36h, 7d, 2w, 1y)");
    let n: u64 = num.parse().map_err(|_| bad())?;
    let unit_secs = match unit.trim().to_ascii_lowercase().as_str() {
        "h" | "hour" | "hours" => HOUR,
        "d" | "day" | "days" => DAY,
        "w" | "week" | "weeks" => 7 * DAY,
        "y" | "year" | "years" => 365 * DAY,
        _ => return Err(bad()),
    };
    n.checked_mul(unit_secs)
        .map(Duration::from_secs)
        .ok_or_else(|| format!("`{s}` is too long an age"))
}

/// An age for people: whole days from two days (or a whole number of days), else whole
/// hours, else minutes.
pub fn describe(age: Duration) -> String {
    let secs = age.as_secs();
    let plural = |n: u64, unit: &str| match n {
        1 => format!("1 {unit}"),
        _ => format!("{n} {unit}s"),
    };
    if secs >= 2 * DAY || (secs >= DAY && secs.is_multiple_of(DAY)) {
        plural(secs / DAY, "day")
    } else if secs >= HOUR {
        plural(secs / HOUR, "hour")
    } else {
        plural(secs / 60, "minute")
    }
}

/// One problem per ecosystem whose database in `db_dir` is older than `max` at `now`: a
/// warning, or an error when the limit is enforced. Ecosystems without a database are left
/// to the check itself, which reports them missing.
pub fn check(
    db_dir: &Path,
    ecosystems: impl IntoIterator<Item = Ecosystem>,
    max: MaxDbAge,
    now: SystemTime,
) -> Vec<ScanError> {
    let mut problems = Vec::new();
    for ecosystem in ecosystems {
        let Some(updated) = db::last_updated(db_dir, ecosystem) else {
            continue;
        };
        // A clock behind the file's time reads as age zero.
        let age = now.duration_since(updated).unwrap_or_default();
        if age <= max.limit {
            continue;
        }
        let zip = db::zip_path(db_dir, ecosystem);
        let head = format!(
            "the offline advisory database for {ecosystem} ({}) was last updated {} ago",
            zip.display(),
            describe(age)
        );
        let limit = describe(max.limit);
        problems.push(match max.enforced {
            true => ScanError::error(
                None,
                ProblemKind::StaleDatabase,
                format!(
                    "{head}, more than --max-db-age allows ({limit}): the dependency check is \
                     incomplete. Run `hygiene db update` to refresh it"
                ),
            ),
            false => ScanError::warning(
                None,
                ProblemKind::StaleDatabase,
                format!(
                    "{head}, more than {limit}: advisories published since are not checked. \
                     Run `hygiene db update` to refresh it (the limit is `[deps] max_db_age` \
                     in .hygiene.toml, or --max-db-age to make it an error)"
                ),
            ),
        });
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_parse_with_a_unit() {
        assert_eq!(parse_age("7d"), Ok(Duration::from_secs(7 * DAY)));
        assert_eq!(parse_age("36h"), Ok(Duration::from_secs(36 * HOUR)));
        assert_eq!(parse_age(" 2w "), Ok(Duration::from_secs(14 * DAY)));
        assert_eq!(parse_age("3 days"), Ok(Duration::from_secs(3 * DAY)));
        assert_eq!(parse_age("2y"), Ok(Duration::from_secs(2 * 365 * DAY)));
        for bad in ["7", "d", "7m", "-1d", "", "1.5d"] {
            let e = parse_age(bad).expect_err(bad);
            assert!(e.contains("36h, 7d, 2w"), "{e}");
        }
        assert!(parse_age("99999999999999999w").is_err());
    }

    #[test]
    fn ages_read_as_days_hours_or_minutes() {
        assert_eq!(
            describe(Duration::from_secs(10 * DAY + 5 * HOUR)),
            "10 days"
        );
        assert_eq!(describe(Duration::from_secs(DAY)), "1 day");
        assert_eq!(describe(Duration::from_secs(36 * HOUR)), "36 hours");
        assert_eq!(describe(Duration::from_secs(HOUR)), "1 hour");
        assert_eq!(describe(Duration::from_secs(120)), "2 minutes");
    }

    #[test]
    fn the_flag_wins_and_enforces() {
        let d = Duration::from_secs(DAY);
        assert_eq!(MaxDbAge::resolve(None, None), MaxDbAge::default());
        assert!(!MaxDbAge::resolve(None, Some(d)).enforced);
        let flag = MaxDbAge::resolve(Some(d), Some(Duration::from_secs(9 * DAY)));
        assert_eq!((flag.limit, flag.enforced), (d, true));
    }
}
