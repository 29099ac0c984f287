//! Hostile inputs, end to end (issue 17): an offline database that is a zip bomb or names its
//! entries like paths, an OSV server that trickles or never stops, a lockfile of a million
//! entries, repositories whose packs or trees are broken or loop, and scaled-down long
//! histories and wide trees (the full sizes are in `bench/hostile.sh`). Each run must end
//! with a clear message and the exit code the docs promise; the time limits here only turn a
//! hang into a failure, they never measure.

mod common;
use common::http::{Endless, Resp, Server};
use common::{git, git_command, hygiene_bounded, write, Run};
use serde_json::{json, Value};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Far above what any of these runs needs on a loaded machine; only a hang reaches it.
const GUARD: Duration = Duration::from_secs(300);

/// An AWS key the secret rules find, so a test can see the rest of the scan went on.
const SECRET: &str = "AWS_ACCESS_KEY_ID = 'AKIAQ3EGRX7M2TW5KJ4N'\n";

fn run(dir: &Path, args: &[&str]) -> Run {
    hygiene_bounded(dir, args, &[], GUARD)
}

/// An OSV record that affects every `evilpkg` on crates.io before 9.0.0.
fn record(id: &str) -> Value {
    json!({
        "id": id,
        "modified": "2024-01-01T00:00:00Z",
        "affected": [{
            "package": {"ecosystem": "crates.io", "name": "evilpkg"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "9.0.0"}]}]
        }]
    })
}

/// A project with a secret and a Cargo.lock naming `evilpkg 1.0.0`.
fn project(root: &Path) -> PathBuf {
    let proj = root.join("proj");
    write(&proj, "config.py", SECRET);
    write(
        &proj,
        "Cargo.lock",
        "version = 3\n\n[[package]]\nname = \"evilpkg\"\nversion = \"1.0.0\"\n\
         source = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    );
    proj
}

fn rule_ids(report: &Value) -> Vec<String> {
    let mut ids: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap_or_default().to_string())
        .collect();
    ids.sort();
    ids
}

/// The `errors[]` of a JSON report as (kind, message).
fn problems(report: &Value) -> Vec<(String, String)> {
    report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap_or_default().to_string(),
                e["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The messages of a SARIF log's tool execution notifications.
fn notifications(sarif: &Value) -> Vec<String> {
    sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .map(|n| {
            n.iter()
                .map(|n| {
                    n["message"]["text"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("under dir");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

// ---------------------------------------------------------------------------------------
// The offline database
// ---------------------------------------------------------------------------------------

/// A zip bomb: 40 entries of 64 MiB of zeros (each within the one-record limit, 2.5 GiB in
/// all) in a file of about 2.5 MB. Before the total budget this run held 2.5 GB of memory and
/// silently skipped the entries; now the database is refused before a byte is inflated, the
/// error names the file and the limit, the secret is still found, and the scan says it is
/// incomplete (exit 3).
#[test]
fn a_zip_bomb_database_is_refused_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let proj = project(dir.path());
    let zip_path = dir.path().join("db/crates.io/all.zip");
    std::fs::create_dir_all(zip_path.parent().expect("parent")).expect("mkdir");
    // Deflate 64 MiB of zeros once, then copy the compressed entry under 40 names.
    let one = dir.path().join("one.zip");
    {
        let mut w = zip::ZipWriter::new(std::fs::File::create(&one).expect("create"));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("zeros.json", options).expect("entry");
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..64 {
            w.write_all(&zeros).expect("write");
        }
        w.finish().expect("finish");
    }
    {
        let mut source =
            zip::ZipArchive::new(std::fs::File::open(&one).expect("open")).expect("zip");
        let mut w = zip::ZipWriter::new(std::fs::File::create(&zip_path).expect("create"));
        w.start_file(
            "RUSTSEC-2099-0001.json",
            zip::write::SimpleFileOptions::default(),
        )
        .expect("entry");
        w.write_all(record("RUSTSEC-2099-0001").to_string().as_bytes())
            .expect("write");
        for i in 0..40 {
            let entry = source.by_index_raw(0).expect("entry");
            w.raw_copy_file_rename(entry, format!("bomb-{i}.json"))
                .expect("copy");
        }
        w.finish().expect("finish");
    }
    let db = dir.path().join("db");
    let db = db.to_str().expect("utf-8 path");
    let text = run(&proj, &["scan", ".", "--offline", "--db-dir", db]);
    assert_eq!(text.code, 3, "{}\n{}", text.stdout, text.stderr);
    let limit = format!(
        "the advisory database {} is refused: its entries decompress to {} bytes, more than \
         the limit of 2147483648 in all",
        zip_path.display(),
        40 * (64u64 << 20) + record("RUSTSEC-2099-0001").to_string().len() as u64
    );
    // The text report carries its problems beside the findings.
    assert!(text.stdout.contains(&limit), "{}", text.stdout);
    assert!(
        text.stdout
            .contains("delete it and run `hygiene db update`"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("aws-access-key-id"), "{}", text.stdout);

    let json = run(
        &proj,
        &["scan", ".", "--offline", "--db-dir", db, "--format", "json"],
    );
    assert_eq!(json.code, 3, "{}", json.stderr);
    let report = json.json();
    assert_eq!(rule_ids(&report), ["aws-access-key-id"]);
    let found = problems(&report);
    assert!(
        found
            .iter()
            .any(|(kind, message)| kind == "advisories" && message.contains(&limit)),
        "{found:?}"
    );
    // Nothing was built from the bomb: no index beside it.
    assert_eq!(files_under(&dir.path().join("db")), ["crates.io/all.zip"]);
}

/// Entry names that are paths elsewhere (`../`, absolute, backslashes, a drive letter). The
/// database is read in memory and never extracted, so the names are never paths: the records
/// behind them still match, and the only files written are the zip's index beside it.
#[test]
fn path_like_entry_names_in_the_database_are_never_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    let proj = project(dir.path());
    let db = dir.path().join("cache/db");
    let zip_path = db.join("crates.io/all.zip");
    std::fs::create_dir_all(zip_path.parent().expect("parent")).expect("mkdir");
    let names = [
        "../../../escape-1.json",
        "/tmp/hygiene-escape-2.json",
        "..\\..\\escape-3.json",
        "C:\\escape-4.json",
        "sub/../../escape-5.json",
    ];
    {
        let mut w = zip::ZipWriter::new(std::fs::File::create(&zip_path).expect("create"));
        for (i, name) in names.iter().enumerate() {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .expect("entry");
            w.write_all(
                record(&format!("RUSTSEC-2099-000{}", i + 1))
                    .to_string()
                    .as_bytes(),
            )
            .expect("write");
        }
        w.finish().expect("finish");
    }
    let before = files_under(dir.path());
    let home = dir.path().join("home");
    let home = home.to_str().expect("utf-8 path");
    let out = hygiene_bounded(
        &proj,
        &[
            "scan",
            ".",
            "--offline",
            "--db-dir",
            db.to_str().expect("utf-8 path"),
            "--format",
            "json",
        ],
        &[("HOME", home), ("XDG_CACHE_HOME", home)],
        GUARD,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report = out.json();
    let mut advisories: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["kind"] == "vulnerability")
        .map(|f| f["rule_id"].as_str().unwrap_or_default().to_string())
        .collect();
    advisories.sort();
    assert_eq!(
        advisories,
        (1..=5)
            .map(|i| format!("RUSTSEC-2099-000{i}"))
            .collect::<Vec<_>>()
    );
    let mut after = files_under(dir.path());
    after.retain(|f| !before.contains(f));
    assert_eq!(after, ["cache/db/crates.io/all.zip.index"]);
    assert!(!Path::new("/tmp/hygiene-escape-2.json").exists());
    for parent in dir.path().ancestors().take(4) {
        for i in 1..=5 {
            assert!(!parent.join(format!("escape-{i}.json")).exists());
        }
    }
}

// ---------------------------------------------------------------------------------------
// The OSV API
// ---------------------------------------------------------------------------------------

/// A server that sends its headers, then one byte a second for ever (declaring a 10 GB
/// body). Before, the scan waited as long as the server kept sending: no read ever timed out.
/// Now each attempt ends at `--osv-timeout` with an error naming the server, and the scan
/// completes (exit 3: the dependencies were not checked) with the secret reported.
#[test]
fn a_trickling_osv_server_is_given_up_on() {
    let server = Server::start(|_| Resp {
        status: 200,
        body: b"{".to_vec(),
        endless: Some(Endless {
            chunk: b" ".to_vec(),
            pause: Duration::from_secs(1),
            chunked: false,
        }),
        ..Default::default()
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let proj = project(dir.path());
    let url = server.url();
    let out = run(
        &proj,
        &[
            "scan",
            ".",
            "--osv-url",
            &url,
            "--osv-timeout",
            "1",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    let report = out.json();
    assert_eq!(rule_ids(&report), ["aws-access-key-id"]);
    let expected = format!("{url}/v1/querybatch did not answer within 1s");
    assert!(
        problems(&report)
            .iter()
            .any(|(kind, message)| kind == "advisories" && message.contains(&expected)),
        "{:?}",
        problems(&report)
    );
    let text = run(
        &proj,
        &["scan", ".", "--osv-url", &url, "--osv-timeout", "1"],
    );
    assert_eq!(text.code, 3, "{}", text.stderr);
    assert!(text.stdout.contains(&expected), "{}", text.stdout);
}

/// A server whose answer never ends (chunked, no length at all): read up to the 64 MiB cap,
/// then cut off with an error naming the server and the limit, asked once.
#[test]
fn an_endless_osv_answer_is_cut_at_the_cap() {
    let server = Server::start(|_| Resp {
        status: 200,
        body: b"{\"results\": [".to_vec(),
        endless: Some(Endless {
            chunk: vec![b' '; 64 << 10],
            pause: Duration::ZERO,
            chunked: true,
        }),
        ..Default::default()
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let proj = project(dir.path());
    let url = server.url();
    let out = run(&proj, &["scan", ".", "--osv-url", &url]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    let expected = format!("{url}/v1/querybatch sent a response that is not the expected JSON (the answer is larger than 67108864 bytes)");
    assert!(out.stdout.contains(&expected), "{}", out.stdout);
    assert!(out.stdout.contains("aws-access-key-id"), "{}", out.stdout);
    assert_eq!(
        server.requests().len(),
        1,
        "an endless answer is not asked again"
    );
}

// ---------------------------------------------------------------------------------------
// Lockfiles
// ---------------------------------------------------------------------------------------

/// Writes a `package-lock.json` (v3) of `n` packages.
fn package_lock(path: &Path, n: usize) {
    let file = std::fs::File::create(path).expect("create");
    let mut w = std::io::BufWriter::new(file);
    write!(
        w,
        "{{\n  \"name\": \"big\",\n  \"version\": \"1.0.0\",\n  \"lockfileVersion\": 3,\n  \
         \"packages\": {{\n    \"\": {{\"name\": \"big\", \"version\": \"1.0.0\"}}"
    )
    .expect("write");
    for i in 0..n {
        write!(
            w,
            ",\n    \"node_modules/p{i}\": {{\n      \"version\": \"1.0.{}\",\n      \
             \"resolved\": \"https://registry.npmjs.org/p{i}/-/p{i}-1.0.{}.tgz\"\n    }}",
            i % 7,
            i % 7
        )
        .expect("write");
    }
    writeln!(w, "\n  }}\n}}").expect("write");
    w.flush().expect("flush");
}

/// A lockfile of a million entries (about 130 MB) is over the file size limit: refused with
/// a "too large" problem that says how to scan it anyway, and the rest of the scan goes on.
/// Raised past the limit, a lockfile is parsed whole (bench figures in docs/scanning.md); a
/// scaled-down one shows the count comes out right.
#[test]
fn a_million_entry_lockfile_is_refused_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "config.py", SECRET);
    package_lock(&root.join("package-lock.json"), 1_000_000);
    let size = std::fs::metadata(root.join("package-lock.json"))
        .expect("stat")
        .len();
    let out = run(
        root,
        &[
            "scan",
            ".",
            "--offline",
            "--db-dir",
            "db",
            "--format",
            "json",
        ],
    );
    // Its packages went unchecked: the scan is incomplete (exit 3), not passed.
    assert_eq!(out.code, 3, "{}", out.stderr);
    let report = out.json();
    assert_eq!(rule_ids(&report), ["aws-access-key-id"]);
    assert_eq!(
        problems(&report),
        [
            (
                "lockfile".to_string(),
                "not read (over --max-file-size, or not text): its packages are not \
                 checked; raise --max-file-size to check them"
                    .to_string()
            ),
            (
                "too-large".to_string(),
                format!(
                    "{size} bytes, over the 10485760 byte limit; not scanned (raise \
                     --max-file-size to scan it)"
                )
            )
        ]
    );
    assert_eq!(report["stats"]["skipped_large"], 1);

    let small = tempfile::tempdir().expect("tempdir");
    package_lock(&small.path().join("package-lock.json"), 50_000);
    let out = run(
        small.path(),
        &[
            "scan",
            ".",
            "--offline",
            "--db-dir",
            "db",
            "--max-file-size",
            "100000000",
            "--format",
            "json",
        ],
    );
    let report = out.json();
    assert_eq!(report["stats"]["packages"], 50_000, "{}", out.stderr);
    assert_eq!(report["stats"]["lockfiles"], 1);
}

// ---------------------------------------------------------------------------------------
// Broken repositories
// ---------------------------------------------------------------------------------------

/// A repository of 30 commits, each a longer version of one file (so the pack holds deltas)
/// beside a secret, repacked into one pack: with ref-deltas (bases named by id) when
/// `ref_deltas`, else with offset deltas.
fn packed_repo(root: &Path, ref_deltas: bool) -> PathBuf {
    git(root, &["init", "-q"]);
    write(root, "key.txt", SECRET);
    for i in 1..=30 {
        let lines: String = (1..=200 + i).map(|n| format!("{n}\n")).collect();
        write(root, "f.txt", lines);
        git(root, &["add", "-A"]);
        git(root, &["commit", "-qm", &format!("c{i}")]);
    }
    let setting = format!("repack.useDeltaBaseOffset={}", !ref_deltas);
    git(root, &["-c", &setting, "repack", "-adfq"]);
    let pack_dir = root.join(".git/objects/pack");
    let pack = std::fs::read_dir(&pack_dir)
        .expect("pack dir")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .expect("a pack");
    pack
}

/// (id, offset of the entry, offset of its delta base field) of the first blob stored as a
/// delta, from `git verify-pack -v`.
fn first_delta(root: &Path, pack: &Path) -> (String, usize, usize) {
    let idx = pack.with_extension("idx");
    let listing = git(root, &["verify-pack", "-v", idx.to_str().expect("utf-8")]);
    let line = listing
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|f| f.len() == 7 && f[1] == "blob")
        .expect("a delta in the pack");
    let offset: usize = line[4].parse().expect("offset");
    let bytes = std::fs::read(pack).expect("read pack");
    // The entry header: type and size, 7 bits a byte while the top bit is set.
    let mut at = offset;
    while bytes[at] & 0x80 != 0 {
        at += 1;
    }
    (line[0].to_string(), offset, at + 1)
}

fn patch(path: &Path, at: usize, with: &[u8]) {
    let mut bytes = std::fs::read(path).expect("read");
    bytes[at..at + with.len()].copy_from_slice(with);
    std::fs::write(path, bytes).expect("write");
}

/// Runs `scan --history` in text, JSON and SARIF; asserts each ends with exit 3 and says
/// `expected` (in the text report, in `errors[]`, in the SARIF notifications).
fn assert_history_error(root: &Path, expected: &str) {
    let text = run(root, &["scan", ".", "--history", "--no-deps"]);
    assert_eq!(text.code, 3, "{}\n{}", text.stdout, text.stderr);
    assert!(text.stdout.contains(expected), "{}", text.stdout);
    let json = run(
        root,
        &["scan", ".", "--history", "--no-deps", "--format", "json"],
    );
    assert_eq!(json.code, 3, "{}", json.stderr);
    let found = problems(&json.json());
    assert!(found.iter().any(|(_, m)| m.contains(expected)), "{found:?}");
    let sarif = run(
        root,
        &["scan", ".", "--history", "--no-deps", "--format", "sarif"],
    );
    assert_eq!(sarif.code, 3, "{}", sarif.stderr);
    let log: Value = serde_json::from_str(&sarif.stdout).expect("SARIF is JSON");
    let notes = notifications(&log);
    assert!(notes.iter().any(|m| m.contains(expected)), "{notes:?}");
}

/// A pack cut in half: every object past the cut is an error naming it, the rest is scanned.
#[test]
fn a_truncated_pack_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pack = packed_repo(dir.path(), false);
    let len = std::fs::metadata(&pack).expect("stat").len();
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&pack)
        .expect("open pack");
    file.set_len(len / 2).expect("truncate");
    drop(file);
    assert_history_error(dir.path(), "Pack entry is truncated");
}

/// A ref-delta whose base is itself. Before, resolving it recursed until the stack
/// overflowed and the process aborted (exit 134, no report); now the chain is followed in a
/// loop, bounded, and the object is an error.
#[test]
fn a_delta_that_is_its_own_base_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pack = packed_repo(dir.path(), true);
    let (id, _, base_field) = first_delta(dir.path(), &pack);
    let own_id: Vec<u8> = (0..20)
        .map(|i| u8::from_str_radix(&id[2 * i..2 * i + 2], 16).expect("hex"))
        .collect();
    patch(&pack, base_field, &own_id);
    assert_history_error(dir.path(), "loops or is longer than 10000 links");
}

/// An offset delta whose base lies before the start of the pack.
#[test]
fn a_delta_pointing_out_of_the_pack_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pack = packed_repo(dir.path(), false);
    let (_, offset, base_field) = first_delta(dir.path(), &pack);
    let bytes = std::fs::read(&pack).expect("read");
    // Keep the distance's length, make it as large as that length allows.
    let mut end = base_field;
    while bytes[end] & 0x80 != 0 {
        end += 1;
    }
    let mut distance = vec![0xffu8; end - base_field];
    distance.push(0x7f);
    patch(&pack, base_field, &distance);
    assert_history_error(
        dir.path(),
        &format!("delta at {offset} points before the pack start"),
    );
}

/// A tree that lists itself as a subdirectory: impossible with honest ids, made here by
/// storing a tree under an id that is not its hash. Before, the tree walk recursed until the
/// stack overflowed (exit 134); now it is a "corrupt tree" error and the secret in the
/// commit before is still found.
#[test]
fn a_tree_that_contains_itself_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "key.txt", SECRET);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "first"]);
    let forged = "1111111111111111111111111111111111111111";
    let blob = git(root, &["rev-parse", "HEAD:key.txt"]);
    let hex = |s: &str| -> Vec<u8> {
        (0..20)
            .map(|i| u8::from_str_radix(&s.trim()[2 * i..2 * i + 2], 16).expect("hex"))
            .collect()
    };
    let mut tree = b"100644 key.txt\0".to_vec();
    tree.extend(hex(&blob));
    tree.extend(b"40000 sub\0");
    tree.extend(hex(forged));
    let real = git_with_input(
        root,
        &["hash-object", "-t", "tree", "--literally", "-w", "--stdin"],
        &tree,
    );
    store_under(root, &real, forged);
    let commit = git(root, &["commit-tree", forged, "-p", "HEAD", "-m", "loop"]);
    git(root, &["update-ref", "HEAD", commit.trim()]);
    assert_history_error(root, "contains itself as a subdirectory");
    let json = run(
        root,
        &["scan", ".", "--history", "--no-deps", "--format", "json"],
    );
    assert_eq!(rule_ids(&json.json()), ["aws-access-key-id"]);
}

/// Moves the loose object `real` to the id `forged`: an object stored under an id that is not
/// its hash, as a damaged or hostile object store has them.
fn store_under(root: &Path, real: &str, forged: &str) {
    let objects = root.join(".git/objects");
    std::fs::create_dir_all(objects.join(&forged[..2])).expect("mkdir");
    std::fs::rename(
        objects.join(&real[..2]).join(&real[2..]),
        objects.join(&forged[..2]).join(&forged[2..]),
    )
    .expect("store the object under the forged id");
}

/// Runs `git` with `input` on its standard input; returns its trimmed standard output.
fn git_with_input(root: &Path, args: &[&str], input: &[u8]) -> String {
    let mut child = git_command(root, args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("git");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write");
    let out = child.wait_with_output().expect("git");
    assert!(out.status.success(), "git {args:?} failed");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Forty real (not forged) trees, each naming the one below it twice: 2^40 paths to one
/// blob. A walk of every path would never end; the scan walks each subtree once, finds the
/// secret once, and completes (history and the staged check, which lists HEAD's tree).
#[test]
fn a_tree_naming_one_subtree_twice_at_every_level_is_walked_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "key.txt", SECRET);
    let blob = git(root, &["hash-object", "-w", "key.txt"]);
    std::fs::remove_file(root.join("key.txt")).expect("rm");
    let mut tree = git_with_input(
        root,
        &["mktree"],
        format!("100644 blob {}\tkey.txt\n", blob.trim()).as_bytes(),
    );
    for _ in 0..40 {
        let listing = format!("040000 tree {tree}\ta\n040000 tree {tree}\tb\n");
        tree = git_with_input(root, &["mktree"], listing.as_bytes());
    }
    let commit = git(root, &["commit-tree", &tree, "-m", "tower"]);
    git(root, &["update-ref", "HEAD", commit.trim()]);
    let out = run(
        root,
        &["scan", ".", "--history", "--no-deps", "--format", "json"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report = out.json();
    assert_eq!(rule_ids(&report), ["aws-access-key-id"]);
    assert_eq!(report["errors"], json!([]), "{report}");
    let staged = run(
        root,
        &["scan", ".", "--staged", "--no-deps", "--format", "json"],
    );
    assert_eq!(staged.code, 0, "{}", staged.stderr);
}

/// A commit that names itself as its parent (an object stored under an id that is not its
/// hash): the walk visits it once and ends.
#[test]
fn a_commit_that_is_its_own_parent_is_walked_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "key.txt", SECRET);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "first"]);
    let tree = git(root, &["rev-parse", "HEAD^{tree}"]);
    let forged = "2222222222222222222222222222222222222222";
    let body = format!(
        "tree {}\nparent {forged}\nauthor A <a@example.com> 1600000000 +0000\n\
         committer A <a@example.com> 1600000000 +0000\n\nloop\n",
        tree.trim()
    );
    let real = git_with_input(
        root,
        &[
            "hash-object",
            "-t",
            "commit",
            "--literally",
            "-w",
            "--stdin",
        ],
        body.as_bytes(),
    );
    store_under(root, &real, forged);
    // `git update-ref` checks the object's hash: write the branch file directly.
    let branch = git(root, &["symbolic-ref", "HEAD"]);
    std::fs::write(root.join(".git").join(branch.trim()), format!("{forged}\n"))
        .expect("write the branch");
    let out = run(
        root,
        &["scan", ".", "--history", "--no-deps", "--format", "json"],
    );
    // Its tree is scanned (it cannot hide behind itself) and the cycle is an error.
    assert_eq!(out.code, 3, "{}", out.stderr);
    let report = out.json();
    assert_eq!(rule_ids(&report), ["aws-access-key-id"], "{report}");
    assert!(
        problems(&report)
            .iter()
            .any(|(_, m)| m.contains(&format!("commit {forged} is its own ancestor"))),
        "{report}"
    );
}

// ---------------------------------------------------------------------------------------
// Long and wide (scaled down; full size in bench/hostile.sh)
// ---------------------------------------------------------------------------------------

/// Feeds a `git fast-import` stream to a new repository at `root`.
fn fast_import(root: &Path, stream: &[u8]) {
    git(root, &["init", "-q", "-b", "main"]);
    let mut child = git_command(root, &["fast-import", "--quiet", "--done"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("fast-import");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stream)
        .expect("stream");
    assert!(child.wait().expect("fast-import").success());
}

/// 5,000 commits in a line, each rewriting one file, the last one adding a secret: the walk
/// sees every commit and the secret is attributed to the last one.
#[test]
fn a_long_linear_history_is_scanned_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let n = 5_000;
    let mut s = Vec::new();
    for i in 1..=n {
        let body = if i == n {
            SECRET.to_string()
        } else {
            format!("counter = {i}\n")
        };
        let msg = format!("commit {i}\n");
        write!(
            s,
            "commit refs/heads/main\nmark :{i}\ncommitter T <t@example.com> {} +0000\n\
             data {}\n{msg}",
            1_600_000_000 + i,
            msg.len()
        )
        .expect("write");
        if i > 1 {
            writeln!(s, "from :{}", i - 1).expect("write");
        }
        write!(
            s,
            "M 100644 inline counter.txt\ndata {}\n{body}\n",
            body.len()
        )
        .expect("write");
    }
    s.extend_from_slice(b"done\n");
    fast_import(dir.path(), &s);
    let out = run(dir.path(), &["scan", ".", "--history", "--no-deps"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.contains(&format!("scanned {n} files")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&format!("from {n} commits")),
        "{}",
        out.stdout
    );
    let head = git(dir.path(), &["rev-parse", "--short=12", "HEAD"]);
    assert!(
        out.stdout
            .contains(&format!("introduced in {}", head.trim())),
        "{}",
        out.stdout
    );
}

/// One tree of 50,000 empty files, in history and checked out: both scans end and count
/// every file (history scans the one empty blob once).
#[test]
fn a_tree_of_many_empty_files_is_scanned_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let n = 50_000;
    let mut s = b"blob\nmark :1\ndata 0\n\ncommit refs/heads/main\nmark :2\n\
                  committer T <t@example.com> 1600000000 +0000\ndata 5\nwide\n"
        .to_vec();
    for i in 0..n {
        writeln!(s, "M 100644 :1 empty-{i:06}").expect("write");
    }
    s.extend_from_slice(b"done\n");
    fast_import(dir.path(), &s);
    let history = run(
        dir.path(),
        &["scan", ".", "--history", "--no-deps", "--format", "json"],
    );
    assert_eq!(history.code, 0, "{}", history.stderr);
    let report = history.json();
    assert_eq!(report["stats"]["files_scanned"], 1, "{report}");
    git(dir.path(), &["checkout", "-q", "-f", "main"]);
    let tree = run(dir.path(), &["scan", ".", "--no-deps", "--format", "json"]);
    assert_eq!(tree.code, 0, "{}", tree.stderr);
    assert_eq!(tree.json()["stats"]["files_scanned"], n);
}
