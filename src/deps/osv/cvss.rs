//! CVSS base scores from vector strings, and the severity an advisory is reported with.
//!
//! * CVSS v3.0 and v3.1: the specification's base-score formula, with v3.1's integer-based
//!   `Roundup` (v3.0 rounds up with a plain ceiling, as its specification says). Only base
//!   metrics count; temporal and environmental metrics in the vector are accepted and ignored.
//! * CVSS v4.0: the specification's MacroVector method, as FIRST's reference calculator
//!   implements it: the vector's equivalence classes (EQ1–EQ6) select a MacroVector whose
//!   score comes from the published lookup table, and the score is lowered by the mean
//!   proportional distance of the vector from the highest-severity vectors of that
//!   MacroVector. Threat and environmental metrics present in the vector are honoured, as the
//!   calculator does (so a `CVSS-BT` vector gets its `CVSS-BT` score).
//! * CVSS v2: the v2 base equation (for old records that still carry one).
//!
//! Qualitative ratings use the v3/v4 bands: none 0.0, low 0.1–3.9, medium 4.0–6.9, high
//! 7.0–8.9, critical 9.0–10.0 (v2 has no critical band: 7.0–10.0 is high, as NVD rates it).

use super::model::SeverityEntry;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// Qualitative severity rating, ordered from `None` to `Critical` so `--fail-on` can compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Qualitative {
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Qualitative {
    /// The v3/v4 rating of a score.
    pub fn from_score(score: f64) -> Qualitative {
        if score >= 9.0 {
            Qualitative::Critical
        } else if score >= 7.0 {
            Qualitative::High
        } else if score >= 4.0 {
            Qualitative::Medium
        } else if score > 0.0 {
            Qualitative::Low
        } else {
            Qualitative::None
        }
    }

    /// Parses a database label: `CRITICAL`, `HIGH`, `MODERATE`/`MEDIUM`, `LOW`, `NONE`
    /// (any case). Other labels (Ubuntu's `negligible` reads as low) give `None`.
    pub fn from_label(label: &str) -> Option<Qualitative> {
        match label.trim().to_ascii_lowercase().as_str() {
            "critical" => Some(Qualitative::Critical),
            "high" | "important" => Some(Qualitative::High),
            "moderate" | "medium" => Some(Qualitative::Medium),
            "low" | "negligible" => Some(Qualitative::Low),
            "none" => Some(Qualitative::None),
            _ => None,
        }
    }

    /// The number used for SARIF `security-severity` when there is no CVSS score: a score
    /// inside the rating's band (none 0.0, low 2.0, medium 5.5, high 8.0, critical 9.5).
    pub fn representative_score(self) -> f64 {
        match self {
            Qualitative::None => 0.0,
            Qualitative::Low => 2.0,
            Qualitative::Medium => 5.5,
            Qualitative::High => 8.0,
            Qualitative::Critical => 9.5,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Qualitative::None => "none",
            Qualitative::Low => "low",
            Qualitative::Medium => "medium",
            Qualitative::High => "high",
            Qualitative::Critical => "critical",
        }
    }
}

impl fmt::Display for Qualitative {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a [`Severity`] came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "detail")]
pub enum SeveritySource {
    /// A CVSS vector whose base score was computed: `"2.0"`, `"3.0"`, `"3.1"` or `"4.0"`.
    Cvss(String),
    /// A label from the record (`database_specific.severity`, GHSA style, or a non-CVSS
    /// `severity[]` entry such as Ubuntu's).
    Label(String),
    /// A RustSec informational advisory (`unmaintained`, `unsound`, `notice`) without a score.
    Informational(String),
    /// Nothing known; see [`Severity::unknown`].
    Unknown,
}

/// How severe an advisory is: a qualitative rating, the CVSS score and vector when there was
/// one, and where the rating came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Severity {
    pub qualitative: Qualitative,
    /// The computed CVSS base score, when a vector was parsed.
    pub score: Option<f64>,
    /// The CVSS vector the score was computed from.
    pub vector: Option<String>,
    pub source: SeveritySource,
}

impl Severity {
    /// The severity of an advisory about which nothing is known: **medium** (SARIF
    /// `security-severity` 5.5). A record without any score is still a published
    /// vulnerability; rating it medium keeps it visible under a default `--fail-on` without
    /// claiming it is high.
    pub fn unknown() -> Severity {
        Severity {
            qualitative: Qualitative::Medium,
            score: None,
            vector: None,
            source: SeveritySource::Unknown,
        }
    }

    /// Informational RustSec advisories (`unmaintained`, `unsound`, `notice`) with no score
    /// are rated **low** (2.0): worth a look, not a vulnerability.
    pub fn informational(kind: &str) -> Severity {
        Severity {
            qualitative: Qualitative::Low,
            score: None,
            vector: None,
            source: SeveritySource::Informational(kind.to_string()),
        }
    }

    /// From a label such as GHSA's `MODERATE`.
    pub fn from_label(label: &str) -> Option<Severity> {
        Qualitative::from_label(label).map(|q| Severity {
            qualitative: q,
            score: None,
            vector: None,
            source: SeveritySource::Label(label.to_string()),
        })
    }

    /// From an OSV `severity[]` entry: CVSS vectors are scored, other types read as labels.
    pub fn from_entry(entry: &SeverityEntry) -> Option<Severity> {
        match parse_vector(&entry.score) {
            Some(score) => Some(score.into_severity()),
            None if entry.kind.eq_ignore_ascii_case("CVSS_V2") => cvss2_base_score(&entry.score)
                .map(|s| CvssScore {
                    version: CvssVersion::V2,
                    score: s,
                    vector: entry.score.trim().to_string(),
                })
                .map(CvssScore::into_severity),
            None if !entry.kind.starts_with("CVSS") => Severity::from_label(&entry.score),
            None => None,
        }
    }

    /// The number for SARIF's `security-severity`: the CVSS score, else a score inside the
    /// qualitative rating's band ([`Qualitative::representative_score`]).
    pub fn security_severity(&self) -> f64 {
        self.score
            .unwrap_or_else(|| self.qualitative.representative_score())
    }

    /// [`Self::security_severity`] formatted as SARIF wants it: a string with one decimal.
    pub fn security_severity_string(&self) -> String {
        format!("{:.1}", self.security_severity())
    }

    /// Orders severities for picking the worst: by score (or representative score), then by
    /// preferring a computed CVSS score over a label.
    pub fn rank(&self) -> (Qualitative, u64, bool) {
        (
            self.qualitative,
            (self.security_severity() * 10.0).round() as u64,
            self.score.is_some(),
        )
    }
}

/// The CVSS version a vector is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CvssVersion {
    V2,
    V3_0,
    V3_1,
    V4_0,
}

impl CvssVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            CvssVersion::V2 => "2.0",
            CvssVersion::V3_0 => "3.0",
            CvssVersion::V3_1 => "3.1",
            CvssVersion::V4_0 => "4.0",
        }
    }
}

/// A scored CVSS vector.
#[derive(Debug, Clone, PartialEq)]
pub struct CvssScore {
    pub version: CvssVersion,
    pub score: f64,
    pub vector: String,
}

impl CvssScore {
    pub fn qualitative(&self) -> Qualitative {
        match self.version {
            CvssVersion::V2 if self.score >= 7.0 => Qualitative::High,
            _ => Qualitative::from_score(self.score),
        }
    }

    pub fn into_severity(self) -> Severity {
        Severity {
            qualitative: self.qualitative(),
            score: Some(self.score),
            source: SeveritySource::Cvss(self.version.as_str().to_string()),
            vector: Some(self.vector),
        }
    }
}

/// Scores a `CVSS:3.x/…` or `CVSS:4.0/…` vector. `None` when it is not one or is invalid.
/// (A bare v2 vector has no prefix; use [`cvss2_base_score`].)
pub fn parse_vector(vector: &str) -> Option<CvssScore> {
    let vector = vector.trim();
    let (version, score) = if vector.starts_with("CVSS:3.1/") {
        (CvssVersion::V3_1, cvss3_base_score(vector)?)
    } else if vector.starts_with("CVSS:3.0/") {
        (CvssVersion::V3_0, cvss3_base_score(vector)?)
    } else if vector.starts_with("CVSS:4.0/") {
        (CvssVersion::V4_0, cvss4_score(vector)?)
    } else {
        return None;
    };
    Some(CvssScore {
        version,
        score,
        vector: vector.to_string(),
    })
}

/// Splits `A:B/C:D` into a map, rejecting repeated metrics and malformed parts.
fn metrics(parts: &str) -> Option<HashMap<&str, &str>> {
    let mut map = HashMap::new();
    for part in parts.split('/').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once(':')?;
        if map.insert(k, v).is_some() {
            return None;
        }
    }
    Some(map)
}

/// CVSS v3.1 `Roundup`: the smallest number with one decimal that is ≥ the input, computed on
/// integers to avoid floating-point surprises.
pub fn roundup_v31(x: f64) -> f64 {
    let int_input = (x * 100_000.0).round() as i64;
    if int_input % 10_000 == 0 {
        int_input as f64 / 100_000.0
    } else {
        ((int_input / 10_000) + 1) as f64 / 10.0
    }
}

/// CVSS v3.0 `Roundup`: ceiling to one decimal.
pub fn roundup_v30(x: f64) -> f64 {
    (x * 10.0).ceil() / 10.0
}

/// The CVSS v3.0/v3.1 base score of a vector with its `CVSS:3.x/` prefix.
pub fn cvss3_base_score(vector: &str) -> Option<f64> {
    let vector = vector.trim();
    let (prefix, rest) = vector.split_once('/')?;
    let v31 = match prefix {
        "CVSS:3.1" => true,
        "CVSS:3.0" => false,
        _ => return None,
    };
    let m = metrics(rest)?;
    let scope_changed = match *m.get("S")? {
        "U" => false,
        "C" => true,
        _ => return None,
    };
    let av = match *m.get("AV")? {
        "N" => 0.85,
        "A" => 0.62,
        "L" => 0.55,
        "P" => 0.2,
        _ => return None,
    };
    let ac = match *m.get("AC")? {
        "L" => 0.77,
        "H" => 0.44,
        _ => return None,
    };
    let pr = match (*m.get("PR")?, scope_changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        ("H", true) => 0.5,
        _ => return None,
    };
    let ui = match *m.get("UI")? {
        "N" => 0.85,
        "R" => 0.62,
        _ => return None,
    };
    let cia = |k: &str| -> Option<f64> {
        match *m.get(k)? {
            "H" => Some(0.56),
            "L" => Some(0.22),
            "N" => Some(0.0),
            _ => None,
        }
    };
    let (c, i, a) = (cia("C")?, cia("I")?, cia("A")?);
    let iss = 1.0 - ((1.0 - c) * (1.0 - i) * (1.0 - a));
    let impact = if scope_changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15)
    } else {
        6.42 * iss
    };
    let exploitability = 8.22 * av * ac * pr * ui;
    if impact <= 0.0 {
        return Some(0.0);
    }
    let raw = if scope_changed {
        (1.08 * (impact + exploitability)).min(10.0)
    } else {
        (impact + exploitability).min(10.0)
    };
    Some(if v31 {
        roundup_v31(raw)
    } else {
        roundup_v30(raw)
    })
}

/// The CVSS v2 base score of a vector such as `AV:N/AC:L/Au:N/C:P/I:P/A:P` (parentheses and a
/// `CVSS:2.0/` prefix are tolerated).
pub fn cvss2_base_score(vector: &str) -> Option<f64> {
    let v = vector.trim().trim_start_matches('(').trim_end_matches(')');
    let v = v.strip_prefix("CVSS:2.0/").unwrap_or(v);
    let m = metrics(v)?;
    let av = match *m.get("AV")? {
        "L" => 0.395,
        "A" => 0.646,
        "N" => 1.0,
        _ => return None,
    };
    let ac = match *m.get("AC")? {
        "H" => 0.35,
        "M" => 0.61,
        "L" => 0.71,
        _ => return None,
    };
    let au = match *m.get("Au")? {
        "M" => 0.45,
        "S" => 0.56,
        "N" => 0.704,
        _ => return None,
    };
    let cia = |k: &str| -> Option<f64> {
        match *m.get(k)? {
            "N" => Some(0.0),
            "P" => Some(0.275),
            "C" => Some(0.660),
            _ => None,
        }
    };
    let (c, i, a) = (cia("C")?, cia("I")?, cia("A")?);
    let impact = 10.41 * (1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a));
    let exploitability = 20.0 * av * ac * au;
    let f = if impact == 0.0 { 0.0 } else { 1.176 };
    let raw = ((0.6 * impact) + (0.4 * exploitability) - 1.5) * f;
    Some(((raw * 10.0).round() / 10.0).max(0.0))
}

// ---------------------------------------------------------------------------------------
// CVSS v4.0
// ---------------------------------------------------------------------------------------

/// Allowed values of every v4.0 metric; the first eleven are the mandatory base metrics.
const V4_METRICS: &[(&str, &[&str])] = &[
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("AT", &["N", "P"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "P", "A"]),
    ("VC", &["H", "L", "N"]),
    ("VI", &["H", "L", "N"]),
    ("VA", &["H", "L", "N"]),
    ("SC", &["H", "L", "N"]),
    ("SI", &["H", "L", "N"]),
    ("SA", &["H", "L", "N"]),
    ("E", &["X", "A", "P", "U"]),
    ("CR", &["X", "H", "M", "L"]),
    ("IR", &["X", "H", "M", "L"]),
    ("AR", &["X", "H", "M", "L"]),
    ("MAV", &["X", "N", "A", "L", "P"]),
    ("MAC", &["X", "L", "H"]),
    ("MAT", &["X", "N", "P"]),
    ("MPR", &["X", "N", "L", "H"]),
    ("MUI", &["X", "N", "P", "A"]),
    ("MVC", &["X", "H", "L", "N"]),
    ("MVI", &["X", "H", "L", "N"]),
    ("MVA", &["X", "H", "L", "N"]),
    ("MSC", &["X", "H", "L", "N"]),
    ("MSI", &["X", "S", "H", "L", "N"]),
    ("MSA", &["X", "S", "H", "L", "N"]),
    ("S", &["X", "N", "P"]),
    ("AU", &["X", "N", "Y"]),
    ("R", &["X", "A", "U", "I"]),
    ("V", &["X", "D", "C"]),
    ("RE", &["X", "L", "M", "H"]),
    ("U", &["X", "Clear", "Green", "Amber", "Red"]),
];

/// MacroVector (EQ1..EQ6) → score, from the CVSS v4.0 specification's lookup table.
#[rustfmt::skip]
const V4_LOOKUP: &[(&str, f64)] = &[
    ("000000", 10.0), ("000001", 9.9), ("000010", 9.8), ("000011", 9.5), ("000020", 9.5), ("000021", 9.2),
    ("000100", 10.0), ("000101", 9.6), ("000110", 9.3), ("000111", 8.7), ("000120", 9.1), ("000121", 8.1),
    ("000200", 9.3), ("000201", 9.0), ("000210", 8.9), ("000211", 8.0), ("000220", 8.1), ("000221", 6.8),
    ("001000", 9.8), ("001001", 9.5), ("001010", 9.5), ("001011", 9.2), ("001020", 9.0), ("001021", 8.4),
    ("001100", 9.3), ("001101", 9.2), ("001110", 8.9), ("001111", 8.1), ("001120", 8.1), ("001121", 6.5),
    ("001200", 8.8), ("001201", 8.0), ("001210", 7.8), ("001211", 7.0), ("001220", 6.9), ("001221", 4.8),
    ("002001", 9.2), ("002011", 8.2), ("002021", 7.2), ("002101", 7.9), ("002111", 6.9), ("002121", 5.0),
    ("002201", 6.9), ("002211", 5.5), ("002221", 2.7),
    ("010000", 9.9), ("010001", 9.7), ("010010", 9.5), ("010011", 9.2), ("010020", 9.2), ("010021", 8.5),
    ("010100", 9.5), ("010101", 9.1), ("010110", 9.0), ("010111", 8.3), ("010120", 8.4), ("010121", 7.1),
    ("010200", 9.2), ("010201", 8.1), ("010210", 8.2), ("010211", 7.1), ("010220", 7.2), ("010221", 5.3),
    ("011000", 9.5), ("011001", 9.3), ("011010", 9.2), ("011011", 8.5), ("011020", 8.5), ("011021", 7.3),
    ("011100", 9.2), ("011101", 8.2), ("011110", 8.0), ("011111", 7.2), ("011120", 7.0), ("011121", 5.9),
    ("011200", 8.4), ("011201", 7.0), ("011210", 7.1), ("011211", 5.2), ("011220", 5.0), ("011221", 3.0),
    ("012001", 8.6), ("012011", 7.5), ("012021", 5.2), ("012101", 7.1), ("012111", 5.2), ("012121", 2.9),
    ("012201", 6.3), ("012211", 2.9), ("012221", 1.7),
    ("100000", 9.8), ("100001", 9.5), ("100010", 9.4), ("100011", 8.7), ("100020", 9.1), ("100021", 8.1),
    ("100100", 9.4), ("100101", 8.9), ("100110", 8.6), ("100111", 7.4), ("100120", 7.7), ("100121", 6.4),
    ("100200", 8.7), ("100201", 7.5), ("100210", 7.4), ("100211", 6.3), ("100220", 6.3), ("100221", 4.9),
    ("101000", 9.4), ("101001", 8.9), ("101010", 8.8), ("101011", 7.7), ("101020", 7.6), ("101021", 6.7),
    ("101100", 8.6), ("101101", 7.6), ("101110", 7.4), ("101111", 5.8), ("101120", 5.9), ("101121", 5.0),
    ("101200", 7.2), ("101201", 5.7), ("101210", 5.7), ("101211", 5.2), ("101220", 5.2), ("101221", 2.5),
    ("102001", 8.3), ("102011", 7.0), ("102021", 5.4), ("102101", 6.5), ("102111", 5.8), ("102121", 2.6),
    ("102201", 5.3), ("102211", 2.1), ("102221", 1.3),
    ("110000", 9.5), ("110001", 9.0), ("110010", 8.8), ("110011", 7.6), ("110020", 7.6), ("110021", 7.0),
    ("110100", 9.0), ("110101", 7.7), ("110110", 7.5), ("110111", 6.2), ("110120", 6.1), ("110121", 5.3),
    ("110200", 7.7), ("110201", 6.6), ("110210", 6.8), ("110211", 5.9), ("110220", 5.2), ("110221", 3.0),
    ("111000", 8.9), ("111001", 7.8), ("111010", 7.6), ("111011", 6.7), ("111020", 6.2), ("111021", 5.8),
    ("111100", 7.4), ("111101", 5.9), ("111110", 5.7), ("111111", 5.7), ("111120", 4.7), ("111121", 2.3),
    ("111200", 6.1), ("111201", 5.2), ("111210", 5.7), ("111211", 2.9), ("111220", 2.4), ("111221", 1.6),
    ("112001", 7.1), ("112011", 5.9), ("112021", 3.0), ("112101", 5.8), ("112111", 2.6), ("112121", 1.5),
    ("112201", 2.3), ("112211", 1.3), ("112221", 0.6),
    ("200000", 9.3), ("200001", 8.7), ("200010", 8.6), ("200011", 7.2), ("200020", 7.5), ("200021", 5.8),
    ("200100", 8.6), ("200101", 7.4), ("200110", 7.4), ("200111", 6.1), ("200120", 5.6), ("200121", 3.4),
    ("200200", 7.0), ("200201", 5.4), ("200210", 5.2), ("200211", 4.0), ("200220", 4.0), ("200221", 2.2),
    ("201000", 8.5), ("201001", 7.5), ("201010", 7.4), ("201011", 5.5), ("201020", 6.2), ("201021", 5.1),
    ("201100", 7.2), ("201101", 5.7), ("201110", 5.5), ("201111", 4.1), ("201120", 4.6), ("201121", 1.9),
    ("201200", 5.3), ("201201", 3.6), ("201210", 3.4), ("201211", 1.9), ("201220", 1.9), ("201221", 0.8),
    ("202001", 6.4), ("202011", 5.1), ("202021", 2.0), ("202101", 4.7), ("202111", 2.1), ("202121", 1.1),
    ("202201", 2.4), ("202211", 0.9), ("202221", 0.4),
    ("210000", 8.8), ("210001", 7.5), ("210010", 7.3), ("210011", 5.3), ("210020", 6.0), ("210021", 5.0),
    ("210100", 7.3), ("210101", 5.5), ("210110", 5.9), ("210111", 4.0), ("210120", 4.1), ("210121", 2.0),
    ("210200", 5.4), ("210201", 4.3), ("210210", 4.5), ("210211", 2.2), ("210220", 2.0), ("210221", 1.1),
    ("211000", 7.5), ("211001", 5.5), ("211010", 5.8), ("211011", 4.5), ("211020", 4.0), ("211021", 2.1),
    ("211100", 6.1), ("211101", 5.1), ("211110", 4.8), ("211111", 1.8), ("211120", 2.0), ("211121", 0.9),
    ("211200", 4.6), ("211201", 1.8), ("211210", 1.7), ("211211", 0.7), ("211220", 0.8), ("211221", 0.2),
    ("212001", 5.3), ("212011", 2.4), ("212021", 1.4), ("212101", 2.4), ("212111", 1.2), ("212121", 0.5),
    ("212201", 1.0), ("212211", 0.3), ("212221", 0.1),
];

fn v4_lookup(eq: [u8; 6]) -> Option<f64> {
    let key: String = eq.iter().map(|d| char::from(b'0' + d)).collect();
    V4_LOOKUP.iter().find(|(k, _)| *k == key).map(|(_, s)| *s)
}

/// Highest-severity vectors of each EQ level (from the specification's calculator data).
fn v4_max_vectors(eq: usize, level: u8, eq6: u8) -> &'static [&'static str] {
    match (eq, level, eq6) {
        (1, 0, _) => &["AV:N/PR:N/UI:N"],
        (1, 1, _) => &["AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"],
        (1, 2, _) => &["AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"],
        (2, 0, _) => &["AC:L/AT:N"],
        (2, 1, _) => &["AC:H/AT:N", "AC:L/AT:P"],
        (3, 0, 0) => &["VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"],
        (3, 0, 1) => &[
            "VC:H/VI:H/VA:L/CR:M/IR:M/AR:H",
            "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M",
        ],
        (3, 1, 0) => &[
            "VC:L/VI:H/VA:H/CR:H/IR:H/AR:H",
            "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H",
        ],
        (3, 1, 1) => &[
            "VC:L/VI:H/VA:L/CR:H/IR:M/AR:H",
            "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M",
            "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M",
            "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H",
            "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M",
        ],
        (3, 2, 1) => &["VC:L/VI:L/VA:L/CR:H/IR:H/AR:H"],
        (4, 0, _) => &["SC:H/SI:S/SA:S"],
        (4, 1, _) => &["SC:H/SI:H/SA:H"],
        (4, 2, _) => &["SC:L/SI:L/SA:L"],
        (5, 0, _) => &["E:A"],
        (5, 1, _) => &["E:P"],
        (5, 2, _) => &["E:U"],
        _ => &[],
    }
}

/// Max severity distance (+1) within each EQ level, in steps of 0.1.
fn v4_max_severity(eq: usize, level: u8, eq6: u8) -> f64 {
    match (eq, level, eq6) {
        (1, 0, _) => 1.0,
        (1, 1, _) => 4.0,
        (1, 2, _) => 5.0,
        (2, 0, _) => 1.0,
        (2, 1, _) => 2.0,
        (3, 0, 0) => 7.0,
        (3, 0, 1) => 6.0,
        (3, 1, _) => 8.0,
        (3, 2, _) => 10.0,
        (4, 0, _) => 6.0,
        (4, 1, _) => 5.0,
        (4, 2, _) => 4.0,
        _ => 1.0,
    }
}

/// Severity level of a metric value within its EQ (0.0 is the most severe).
fn v4_level(metric: &str, value: &str) -> f64 {
    match (metric, value) {
        ("AV", "N") | ("PR", "N") | ("UI", "N") | ("AC", "L") | ("AT", "N") => 0.0,
        ("AV", "A") | ("PR", "L") | ("UI", "P") | ("AC", "H") | ("AT", "P") => 0.1,
        ("AV", "L") | ("PR", "H") | ("UI", "A") => 0.2,
        ("AV", "P") => 0.3,
        ("VC" | "VI" | "VA", "H") => 0.0,
        ("VC" | "VI" | "VA", "L") => 0.1,
        ("VC" | "VI" | "VA", "N") => 0.2,
        ("SC", "H") => 0.1,
        ("SC", "L") => 0.2,
        ("SC", "N") => 0.3,
        ("SI" | "SA", "S") => 0.0,
        ("SI" | "SA", "H") => 0.1,
        ("SI" | "SA", "L") => 0.2,
        ("SI" | "SA", "N") => 0.3,
        ("CR" | "IR" | "AR", "H") => 0.0,
        ("CR" | "IR" | "AR", "M") => 0.1,
        ("CR" | "IR" | "AR", "L") => 0.2,
        ("E", "A") => 0.0,
        ("E", "P") => 0.1,
        ("E", "U") => 0.2,
        _ => 0.0,
    }
}

/// A parsed v4.0 vector with the specification's "effective value" rules.
struct V4<'a> {
    m: HashMap<&'a str, &'a str>,
}

impl<'a> V4<'a> {
    fn parse(vector: &'a str) -> Option<V4<'a>> {
        let rest = vector.trim().strip_prefix("CVSS:4.0/")?;
        let m = metrics(rest)?;
        for (k, v) in &m {
            let (_, allowed) = V4_METRICS.iter().find(|(name, _)| name == k)?;
            if !allowed.contains(v) {
                return None;
            }
        }
        if V4_METRICS[..11].iter().any(|(k, _)| !m.contains_key(k)) {
            return None;
        }
        Some(V4 { m })
    }

    fn raw(&self, metric: &str) -> &'a str {
        self.m.get(metric).copied().unwrap_or("X")
    }

    /// The value scoring uses: modified metrics override base ones; unset E, CR, IR, AR
    /// take their worst case (A, H, H, H).
    fn get(&self, metric: &str) -> &'a str {
        let selected = self.raw(metric);
        match (metric, selected) {
            ("E", "X") => return "A",
            ("CR" | "IR" | "AR", "X") => return "H",
            _ => {}
        }
        let modified = match metric {
            "AV" => "MAV",
            "AC" => "MAC",
            "AT" => "MAT",
            "PR" => "MPR",
            "UI" => "MUI",
            "VC" => "MVC",
            "VI" => "MVI",
            "VA" => "MVA",
            "SC" => "MSC",
            "SI" => "MSI",
            "SA" => "MSA",
            _ => return selected,
        };
        match self.raw(modified) {
            "X" => selected,
            v => v,
        }
    }

    fn macro_vector(&self) -> [u8; 6] {
        let g = |k| self.get(k);
        let (av, pr, ui) = (g("AV"), g("PR"), g("UI"));
        let eq1 = if av == "N" && pr == "N" && ui == "N" {
            0
        } else if (av == "N" || pr == "N" || ui == "N") && av != "P" {
            1
        } else {
            2
        };
        let eq2 = if g("AC") == "L" && g("AT") == "N" {
            0
        } else {
            1
        };
        let (vc, vi, va) = (g("VC"), g("VI"), g("VA"));
        let eq3 = if vc == "H" && vi == "H" {
            0
        } else if vc == "H" || vi == "H" || va == "H" {
            1
        } else {
            2
        };
        let eq4 = if g("MSI") == "S" || g("MSA") == "S" {
            0
        } else if g("SC") == "H" || g("SI") == "H" || g("SA") == "H" {
            1
        } else {
            2
        };
        let eq5 = match g("E") {
            "P" => 1,
            "U" => 2,
            _ => 0,
        };
        let eq6 = if (g("CR") == "H" && vc == "H")
            || (g("IR") == "H" && vi == "H")
            || (g("AR") == "H" && va == "H")
        {
            0
        } else {
            1
        };
        [eq1, eq2, eq3, eq4, eq5, eq6]
    }
}

const V4_DISTANCE_METRICS: [&str; 14] = [
    "AV", "PR", "UI", "AC", "AT", "VC", "VI", "VA", "SC", "SI", "SA", "CR", "IR", "AR",
];

/// The CVSS v4.0 score of a `CVSS:4.0/…` vector. Follows the reference calculator's
/// arithmetic step by step (same floating-point operations in the same order), so scores
/// agree with it to the last decimal.
pub fn cvss4_score(vector: &str) -> Option<f64> {
    let v = V4::parse(vector)?;
    if ["VC", "VI", "VA", "SC", "SI", "SA"]
        .iter()
        .all(|k| v.get(k) == "N")
    {
        return Some(0.0);
    }
    let eq = v.macro_vector();
    let value = v4_lookup(eq)?;
    let [eq1, eq2, eq3, eq4, eq5, eq6] = eq;

    let with = |i: usize, d: u8| {
        let mut e = eq;
        e[i] += d;
        e
    };
    let lower_eq1 = v4_lookup(with(0, 1));
    let lower_eq2 = v4_lookup(with(1, 1));
    let lower_eq3eq6 = match (eq3, eq6) {
        (1, 1) | (0, 1) => v4_lookup(with(2, 1)),
        (1, 0) => v4_lookup(with(5, 1)),
        (0, 0) => {
            let left = v4_lookup(with(5, 1));
            let right = v4_lookup(with(2, 1));
            match (left, right) {
                (Some(l), Some(r)) => Some(l.max(r)),
                _ => None,
            }
        }
        _ => None,
    };
    let lower_eq4 = v4_lookup(with(3, 1));
    let lower_eq5 = v4_lookup(with(4, 1));

    // The highest-severity vectors of this MacroVector; use the first one that the vector
    // does not exceed in any metric (the calculator keeps the last one tried otherwise).
    let mut distances: HashMap<&str, f64> = HashMap::new();
    'outer: for a in v4_max_vectors(1, eq1, eq6) {
        for b in v4_max_vectors(2, eq2, eq6) {
            for c in v4_max_vectors(3, eq3, eq6) {
                for d in v4_max_vectors(4, eq4, eq6) {
                    for e in v4_max_vectors(5, eq5, eq6) {
                        let joined = format!("{a}/{b}/{c}/{d}/{e}");
                        let max = metrics(&joined)?;
                        distances.clear();
                        for k in V4_DISTANCE_METRICS {
                            let mv = max.get(k).copied().unwrap_or("X");
                            distances.insert(k, v4_level(k, v.get(k)) - v4_level(k, mv));
                        }
                        if distances.values().all(|d| *d >= 0.0) {
                            break 'outer;
                        }
                    }
                }
            }
        }
    }
    let d = |k: &str| distances.get(k).copied().unwrap_or(0.0);
    let current_eq1 = d("AV") + d("PR") + d("UI");
    let current_eq2 = d("AC") + d("AT");
    let current_eq3eq6 = d("VC") + d("VI") + d("VA") + d("CR") + d("IR") + d("AR");
    let current_eq4 = d("SC") + d("SI") + d("SA");

    let step = 0.1;
    let max_eq1 = v4_max_severity(1, eq1, eq6) * step;
    let max_eq2 = v4_max_severity(2, eq2, eq6) * step;
    let max_eq3eq6 = v4_max_severity(3, eq3, eq6) * step;
    let max_eq4 = v4_max_severity(4, eq4, eq6) * step;

    let mut n_existing_lower = 0u32;
    let mut normalized = [0.0f64; 5];
    if let Some(lower) = lower_eq1 {
        n_existing_lower += 1;
        normalized[0] = (value - lower) * (current_eq1 / max_eq1);
    }
    if let Some(lower) = lower_eq2 {
        n_existing_lower += 1;
        normalized[1] = (value - lower) * (current_eq2 / max_eq2);
    }
    if let Some(lower) = lower_eq3eq6 {
        n_existing_lower += 1;
        normalized[2] = (value - lower) * (current_eq3eq6 / max_eq3eq6);
    }
    if let Some(lower) = lower_eq4 {
        n_existing_lower += 1;
        normalized[3] = (value - lower) * (current_eq4 / max_eq4);
    }
    if let Some(lower) = lower_eq5 {
        // EQ5's proportion is always 0.
        n_existing_lower += 1;
        normalized[4] = (value - lower) * 0.0;
    }
    let mean = if n_existing_lower == 0 {
        0.0
    } else {
        (normalized[0] + normalized[1] + normalized[2] + normalized[3] + normalized[4])
            / f64::from(n_existing_lower)
    };
    let score = (value - mean).clamp(0.0, 10.0);
    // JavaScript's Math.round: half rounds up.
    Some((score * 10.0 + 0.5).floor() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn cvss31_known_vectors() {
        // Scores as published by NVD / FIRST's calculator.
        let cases = [
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
            ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:N/A:N", 6.8),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
            ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),
            ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 6.5),
            ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
            ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1),
            ("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", 9.1),
            ("CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 6.5),
            ("CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:N/I:N/A:H", 4.7),
            ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4),
            // Temporal metrics are ignored for the base score.
            (
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C",
                9.8,
            ),
        ];
        for (v, want) in cases {
            let got = cvss3_base_score(v).unwrap();
            assert!(close(got, want), "{v}: got {got}, want {want}");
        }
    }

    #[test]
    fn cvss30_uses_plain_ceiling() {
        assert!(close(
            cvss3_base_score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap(),
            9.8
        ));
        assert!(close(
            cvss3_base_score("CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N").unwrap(),
            6.1
        ));
        assert!(close(
            cvss3_base_score("CVSS:3.0/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H").unwrap(),
            7.8
        ));
    }

    #[test]
    fn roundup_matches_the_specification_examples() {
        assert!(close(roundup_v31(4.02), 4.1));
        assert!(close(roundup_v31(4.00), 4.0));
        assert!(close(roundup_v31(4.000_000_1), 4.0));
        assert!(close(roundup_v30(4.02), 4.1));
    }

    #[test]
    fn invalid_vectors_are_rejected() {
        for v in [
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
            "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "garbage",
            "",
        ] {
            assert!(cvss3_base_score(v).is_none(), "{v}");
            assert!(parse_vector(v).is_none(), "{v}");
        }
        assert!(
            cvss4_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N").is_none()
        );
        assert!(
            cvss4_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:Q")
                .is_none()
        );
        assert!(cvss4_score(
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/ZZ:1"
        )
        .is_none());
    }

    #[test]
    fn cvss2_known_vectors() {
        assert!(close(
            cvss2_base_score("AV:N/AC:L/Au:N/C:P/I:P/A:P").unwrap(),
            7.5
        ));
        assert!(close(
            cvss2_base_score("AV:N/AC:L/Au:N/C:C/I:C/A:C").unwrap(),
            10.0
        ));
        assert!(close(
            cvss2_base_score("(AV:N/AC:M/Au:N/C:N/I:P/A:N)").unwrap(),
            4.3
        ));
        assert!(close(
            cvss2_base_score("AV:L/AC:L/Au:N/C:N/I:N/A:N").unwrap(),
            0.0
        ));
    }

    #[test]
    fn cvss4_known_vectors() {
        // Scores from FIRST's CVSS v4.0 calculator.
        let cases = [
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                9.3,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H",
                10.0,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
                0.0,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:H/SA:L",
                9.2,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:H/SI:N/SA:L",
                7.8,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:L/SA:N",
                6.9,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:L/VI:N/VA:N/SC:L/SI:N/SA:L",
                5.3,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:L/VI:L/VA:N/SC:N/SI:L/SA:L",
                5.1,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:L/SC:N/SI:L/SA:N",
                7.1,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:P/VC:L/VI:L/VA:N/SC:L/SI:N/SA:N",
                4.8,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:N/SA:N",
                2.1,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:L/VA:L/SC:L/SI:N/SA:N",
                1.8,
            ),
            (
                "CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:L/SI:H/SA:L",
                9.4,
            ),
            (
                "CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:H/SA:N",
                4.0,
            ),
            (
                "CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:L/SA:N",
                9.5,
            ),
            (
                "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                8.5,
            ),
            (
                "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:L/VA:L/SC:L/SI:L/SA:L",
                1.0,
            ),
            // Threat metric: unreported exploit maturity lowers the score.
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U",
                8.1,
            ),
            // Environmental security requirements.
            (
                "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:H/AR:H",
                7.3,
            ),
            (
                "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:H/AR:M",
                7.2,
            ),
            (
                "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:M/AR:L",
                7.1,
            ),
            (
                "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:M/IR:M/AR:M",
                5.5,
            ),
            (
                "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:L/IR:L/AR:L",
                5.4,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/CR:H/IR:H/AR:H",
                0.0,
            ),
            // Supplemental metrics do not change the score.
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:P/AU:Y",
                9.3,
            ),
        ];
        for (v, want) in cases {
            let got = cvss4_score(v).unwrap();
            assert!(close(got, want), "{v}: got {got}, want {want}");
        }
    }

    #[test]
    fn qualitative_bands() {
        assert_eq!(Qualitative::from_score(0.0), Qualitative::None);
        assert_eq!(Qualitative::from_score(0.1), Qualitative::Low);
        assert_eq!(Qualitative::from_score(3.9), Qualitative::Low);
        assert_eq!(Qualitative::from_score(4.0), Qualitative::Medium);
        assert_eq!(Qualitative::from_score(6.9), Qualitative::Medium);
        assert_eq!(Qualitative::from_score(7.0), Qualitative::High);
        assert_eq!(Qualitative::from_score(8.9), Qualitative::High);
        assert_eq!(Qualitative::from_score(9.0), Qualitative::Critical);
        assert_eq!(Qualitative::from_score(10.0), Qualitative::Critical);
        assert!(Qualitative::Critical > Qualitative::High);
    }

    #[test]
    fn severity_from_entries_and_labels() {
        let s = Severity::from_entry(&SeverityEntry {
            kind: "CVSS_V3".into(),
            score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into(),
        })
        .unwrap();
        assert_eq!(s.qualitative, Qualitative::Critical);
        assert_eq!(s.security_severity_string(), "9.8");
        assert_eq!(s.source, SeveritySource::Cvss("3.1".into()));

        let s = Severity::from_entry(&SeverityEntry {
            kind: "CVSS_V2".into(),
            score: "AV:N/AC:L/Au:N/C:C/I:C/A:C".into(),
        })
        .unwrap();
        assert_eq!(s.qualitative, Qualitative::High);
        assert_eq!(s.security_severity_string(), "10.0");

        let s = Severity::from_entry(&SeverityEntry {
            kind: "Ubuntu".into(),
            score: "medium".into(),
        })
        .unwrap();
        assert_eq!(s.qualitative, Qualitative::Medium);
        assert_eq!(s.security_severity_string(), "5.5");

        assert!(Severity::from_entry(&SeverityEntry {
            kind: "CVSS_V3".into(),
            score: "CVSS:3.1/nonsense".into(),
        })
        .is_none());

        let s = Severity::from_label("MODERATE").unwrap();
        assert_eq!(s.qualitative, Qualitative::Medium);
        assert_eq!(
            Severity::from_label("HIGH").unwrap().security_severity(),
            8.0
        );
        assert_eq!(
            Severity::from_label("CRITICAL")
                .unwrap()
                .security_severity(),
            9.5
        );
        assert_eq!(
            Severity::from_label("LOW").unwrap().security_severity(),
            2.0
        );
        assert!(Severity::from_label("weird").is_none());

        assert_eq!(Severity::unknown().qualitative, Qualitative::Medium);
        assert_eq!(Severity::unknown().security_severity_string(), "5.5");
        assert_eq!(
            Severity::informational("unmaintained").qualitative,
            Qualitative::Low
        );
    }
}
