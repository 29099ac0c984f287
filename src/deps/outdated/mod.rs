//! `--outdated`: direct dependencies far behind their registry's newest release.
//!
//! Opt-in and online. For every direct dependency of a lockfile (transitive packages are
//! updated by updating what pulls them in; [`direct`] tells which are direct where a format
//! does not), one question per distinct package goes to its ecosystem's public registry
//! ([`registry`]: crates.io, npm, PyPI, RubyGems, the Go module proxy, Packagist, NuGet,
//! Maven Central), answered from the [`cache`] when a day-old answer is there. A package is
//! reported (`dependency-outdated`, kind `hygiene`, low) when, by [`compare`]'s rules:
//!
//! * the newest release is a major version or more ahead of the one in use; or
//! * the one in use was published longer ago than the age limit (`[deps] outdated_max_age`,
//!   default two years) and a newer release exists.
//!
//! The message names the newest version and its date. A registry that cannot be reached is
//! said once, in one warning naming the registries and how many packages went unchecked, and
//! the rest of the scan is unaffected; a package the registry does not know (a private one)
//! is skipped quietly.

pub mod cache;
pub mod compare;
pub mod direct;
pub mod http;
pub mod registry;

use crate::deps::{Ecosystem, Package};
use crate::finding::Finding;
use crate::outcome::{ProblemKind, ScanError};
use cache::Cache;
use registry::{FetchError, Get, Releases};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// The practice rule of an outdated dependency (`patterns/practices/rules.toml`).
pub const RULE_ID: &str = "dependency-outdated";

/// The age limit when the configuration sets none: two years.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(2 * 365 * 24 * 3600);

/// Registry requests in flight at once.
const CONCURRENCY: usize = 8;

/// How one `--outdated` check runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Registry base URLs that replace the public ones (`--registry npm=URL`): a mirror, or
    /// a test server.
    pub registries: Vec<(Ecosystem, String)>,
    /// A release older than this, with a newer one out, is reported (`None`: the
    /// configuration's `[deps] outdated_max_age`, else [`DEFAULT_MAX_AGE`]).
    pub max_age: Option<Duration>,
    /// Where answers are kept between runs (`None`: not kept).
    pub cache_dir: Option<PathBuf>,
    /// Limit on one registry request.
    pub timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            registries: Vec::new(),
            max_age: None,
            cache_dir: default_cache_dir(),
            timeout: Duration::from_secs(20),
        }
    }
}

/// `$HYGIENE_CACHE_DIR`, else the platform's cache directory (`~/.cache/hygiene` on Linux).
pub fn default_cache_dir() -> Option<PathBuf> {
    match std::env::var_os("HYGIENE_CACHE_DIR") {
        Some(d) if !d.is_empty() => Some(PathBuf::from(d)),
        _ => dirs::cache_dir().map(|d| d.join("hygiene")),
    }
}

/// What the check found.
#[derive(Debug, Default)]
pub struct Checked {
    pub findings: Vec<Finding>,
    pub problems: Vec<ScanError>,
    /// Registry requests made (answers from the cache are not counted).
    pub requests: usize,
}

/// Checks the direct dependencies among `packages` (found under `root`) against their
/// registries over HTTP.
pub fn check(packages: &[Package], root: &Path, options: &Options) -> Checked {
    match http::RegistryClient::new(options.timeout) {
        Ok(client) => check_with(&client, packages, root, options, jiff::Timestamp::now()),
        Err(e) => Checked {
            problems: vec![ScanError::warning(None, ProblemKind::Outdated, e)],
            ..Checked::default()
        },
    }
}

/// One question to a registry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Query {
    ecosystem: Ecosystem,
    name: String,
    /// The version whose date needs a request of its own (Go, NuGet); empty otherwise.
    version: String,
}

impl Query {
    fn of(p: &Package) -> Query {
        let dated = matches!(p.ecosystem, Ecosystem::Go | Ecosystem::NuGet);
        Query {
            ecosystem: p.ecosystem,
            name: p.name.clone(),
            version: if dated {
                p.version.clone()
            } else {
                String::new()
            },
        }
    }
}

/// [`check`] with the HTTP side and the clock given (tests give fakes).
pub fn check_with(
    get: &dyn Get,
    packages: &[Package],
    root: &Path,
    options: &Options,
    now: jiff::Timestamp,
) -> Checked {
    let mut checked = Checked::default();
    let direct = direct_packages(packages, root, &mut checked.problems);
    let (supported, unsupported): (Vec<&Package>, Vec<&Package>) = direct
        .into_iter()
        .partition(|p| registry::default_base(p.ecosystem).is_some());
    let skipped: BTreeSet<Ecosystem> = unsupported.iter().map(|p| p.ecosystem).collect();
    if !skipped.is_empty() {
        let names: Vec<&str> = skipped.iter().map(|e| e.as_str()).collect();
        checked.problems.push(ScanError::warning(
            None,
            ProblemKind::Outdated,
            format!(
                "--outdated asks the registries of crates.io, npm, PyPI, RubyGems, Go, \
                 Packagist, NuGet and Maven; the direct dependencies of {} were not checked \
                 for newer releases",
                names.join(", ")
            ),
        ));
    }
    let queries: Vec<Query> = supported
        .iter()
        .map(|p| Query::of(p))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let answers = ask(get, &queries, options, &mut checked);
    for p in supported {
        let Some(Ok(releases)) = answers.get(&Query::of(p)) else {
            continue;
        };
        let max_age = options.max_age.unwrap_or(DEFAULT_MAX_AGE);
        if let Some(f) = judge(p, releases, max_age, now) {
            checked.findings.push(f);
        }
    }
    checked
}

fn base_of(ecosystem: Ecosystem, options: &Options) -> String {
    options
        .registries
        .iter()
        .rev()
        .find(|(e, _)| *e == ecosystem)
        .map(|(_, url)| url.trim_end_matches('/').to_string())
        .or_else(|| registry::default_base(ecosystem).map(str::to_string))
        .unwrap_or_default()
}

/// Answers every query, from the cache or the registry, `CONCURRENCY` at a time. After a
/// network failure, the rest of that registry's queries are not sent: one unreachable host
/// costs one timeout, not one per package. Adds the problems to `checked`.
fn ask(
    get: &dyn Get,
    queries: &[Query],
    options: &Options,
    checked: &mut Checked,
) -> HashMap<Query, Result<Releases, FetchError>> {
    let cache = Cache::new(options.cache_dir.as_deref(), cache::DEFAULT_TTL);
    let next = AtomicUsize::new(0);
    let requests = AtomicUsize::new(0);
    let down: Mutex<BTreeMap<Ecosystem, (String, usize)>> = Mutex::new(BTreeMap::new());
    let answers: Mutex<HashMap<Query, Result<Releases, FetchError>>> = Mutex::new(HashMap::new());
    let worker = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(q) = queries.get(i) else {
            break;
        };
        let base = base_of(q.ecosystem, options);
        let version = (!q.version.is_empty()).then_some(q.version.as_str());
        if let Some(hit) = cache.get(q.ecosystem, &base, &q.name, version) {
            lock(&answers).insert(q.clone(), Ok(hit));
            continue;
        }
        if let Some(d) = lock(&down).get_mut(&q.ecosystem) {
            d.1 += 1;
            continue;
        }
        requests.fetch_add(1, Ordering::Relaxed);
        let Some(answer) = registry::fetch(q.ecosystem, get, &base, &q.name, &q.version) else {
            continue;
        };
        match &answer {
            Ok(r) => cache.put(q.ecosystem, &base, &q.name, version, r),
            Err(FetchError::Network { .. }) => {
                let mut down = lock(&down);
                let entry = down
                    .entry(q.ecosystem)
                    .or_insert_with(|| (answer_text(&answer), 0));
                entry.1 += 1;
                continue;
            }
            Err(_) => {}
        }
        lock(&answers).insert(q.clone(), answer);
    };
    std::thread::scope(|s| {
        for _ in 0..CONCURRENCY.min(queries.len()) {
            s.spawn(worker);
        }
    });
    checked.requests = requests.into_inner();
    let answers = answers.into_inner().unwrap_or_else(|e| e.into_inner());
    let down = down.into_inner().unwrap_or_else(|e| e.into_inner());
    if !down.is_empty() {
        let unchecked: usize = down.values().map(|d| d.1).sum();
        let first = down
            .values()
            .next()
            .map(|d| d.0.clone())
            .unwrap_or_default();
        let names: Vec<&str> = down.keys().map(|e| e.as_str()).collect();
        checked.problems.push(ScanError::warning(
            None,
            ProblemKind::Outdated,
            format!(
                "--outdated: cannot reach the {} registr{} ({first}); {unchecked} direct \
                 dependenc{} not checked for newer releases. Check the network or proxy \
                 (HTTPS_PROXY), or scan without --outdated",
                names.join(", "),
                if names.len() == 1 { "y" } else { "ies" },
                if unchecked == 1 { "y was" } else { "ies were" },
            ),
        ));
    }
    let mut failed: BTreeMap<Ecosystem, (String, usize)> = BTreeMap::new();
    for (q, a) in &answers {
        if let Err(e @ FetchError::Answer { .. }) = a {
            let entry = failed
                .entry(q.ecosystem)
                .or_insert_with(|| (e.to_string(), 0));
            entry.1 += 1;
        }
    }
    for (ecosystem, (first, n)) in failed {
        checked.problems.push(ScanError::warning(
            None,
            ProblemKind::Outdated,
            format!(
                "--outdated: the {ecosystem} registry gave an unexpected answer for {n} \
                 package{} (first: {first}); {} not checked for newer releases",
                if n == 1 { "" } else { "s" },
                if n == 1 { "it was" } else { "they were" },
            ),
        ));
    }
    answers
}

fn answer_text(a: &Result<Releases, FetchError>) -> String {
    a.as_ref().err().map(|e| e.to_string()).unwrap_or_default()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The finding for `p`, if its registry's `releases` make it outdated at `now`.
fn judge(
    p: &Package,
    releases: &Releases,
    max_age: Duration,
    now: jiff::Timestamp,
) -> Option<Finding> {
    let newest = compare::newest(p.ecosystem, releases)?;
    if !compare::is_newer(p.ecosystem, &newest.version, &p.version) {
        return None;
    }
    let behind = compare::majors_behind(p.ecosystem, &p.version, &newest.version);
    let used_date = compare::find(p.ecosystem, releases, &p.version).and_then(|r| r.published);
    let age = used_date.and_then(|d| {
        let secs = now.as_second().checked_sub(d.as_second())?;
        u64::try_from(secs).ok().map(Duration::from_secs)
    });
    let too_old = age.is_some_and(|a| a > max_age);
    if behind == 0 && !too_old {
        return None;
    }
    let date = |t: Option<jiff::Timestamp>| {
        t.map(|t| format!(" ({})", t.strftime("%Y-%m-%d")))
            .unwrap_or_default()
    };
    let mut reasons = Vec::new();
    if behind > 0 {
        reasons.push(format!(
            "is {behind} major version{} behind",
            if behind == 1 { "" } else { "s" }
        ));
    }
    if let (true, Some(age), Some(d)) = (too_old, age, used_date) {
        reasons.push(format!(
            "released {} ({} ago)",
            d.strftime("%Y-%m-%d"),
            ago(age)
        ));
    }
    let message = format!(
        "{} {} ({}) {}; the newest release is {}{}",
        p.name,
        p.version,
        p.ecosystem,
        reasons.join(" and "),
        newest.version,
        date(newest.published)
    );
    let identity = [p.ecosystem.as_str(), p.name.as_str(), p.version.as_str()];
    let mut finding = crate::practice::finding(RULE_ID, &p.path, p.line, message, &identity)?;
    finding.package = Some(p.clone());
    Some(finding)
}

/// An age in whole years past one year, else as [`describe`](crate::deps::osv::freshness::describe)
/// says it (days, hours).
fn ago(age: Duration) -> String {
    const YEAR: u64 = 365 * 24 * 3600;
    match age.as_secs() / YEAR {
        0 => crate::deps::osv::freshness::describe(age),
        1 => "over a year".to_string(),
        n => format!("over {n} years"),
    }
}

/// The direct dependencies among `packages`: those their lockfile marks direct, and for a
/// format that does not say, those the manifest beside it names. Lockfiles whose direct
/// dependencies cannot be told are named in one warning.
fn direct_packages<'a>(
    packages: &'a [Package],
    root: &Path,
    problems: &mut Vec<ScanError>,
) -> Vec<&'a Package> {
    let root_is_file = root.is_file();
    let mut manifests: HashMap<&str, Option<HashSet<String>>> = HashMap::new();
    let mut unknown: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::new();
    for p in packages {
        // The Go toolchain version `go.mod` asks for is not a module of the proxy.
        if p.ecosystem == Ecosystem::Go && p.name == "stdlib" {
            continue;
        }
        match p.direct {
            Some(true) => out.push(p),
            Some(false) => {}
            None => {
                let names = manifests
                    .entry(p.path.as_str())
                    .or_insert_with(|| manifest_names(root, root_is_file, &p.path, p.ecosystem));
                match names {
                    Some(names) if names.contains(&p.name) => out.push(p),
                    Some(_) => {}
                    None => {
                        unknown.insert(p.path.as_str());
                    }
                }
            }
        }
    }
    if !unknown.is_empty() {
        let list: Vec<&str> = unknown.into_iter().collect();
        problems.push(ScanError::warning(
            None,
            ProblemKind::Outdated,
            format!(
                "--outdated checks direct dependencies, and which ones are direct is not \
                 written in {} (the format does not say, and no manifest beside it does); \
                 {} not checked for newer releases",
                list.join(", "),
                if list.len() == 1 {
                    "its packages were"
                } else {
                    "their packages were"
                }
            ),
        ));
    }
    out
}

/// The direct dependency names of the manifest beside the lockfile at `rel`.
fn manifest_names(
    root: &Path,
    root_is_file: bool,
    rel: &str,
    ecosystem: Ecosystem,
) -> Option<HashSet<String>> {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let manifest = direct::manifest_for(file)?;
    let dir = match root_is_file {
        true => root.parent().unwrap_or(Path::new(".")).to_path_buf(),
        false => root.join(dir),
    };
    let text = std::fs::read_to_string(dir.join(manifest)).ok()?;
    direct::names(manifest, &text, ecosystem)
}
