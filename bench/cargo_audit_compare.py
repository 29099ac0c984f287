#!/usr/bin/env python3
"""Compares `hygiene scan --offline` with `cargo audit` on real Cargo.lock files.

Driven by bench/cargo_audit_compare.sh, which provides the tools and the databases. For each
lockfile both tools are run against the same RustSec snapshot (cargo-audit reads the TOML
advisory database, hygiene the OSV export of it) and the sets of
(crate, version, RUSTSEC id) are compared kind by kind: hygiene's `kind: "vulnerability"`
findings against cargo-audit's `vulnerabilities.list`, and its `kind: "hygiene"` advisory
findings (informational advisories: unmaintained, unsound, notice) against cargo-audit's
`warnings` (yanked aside: it needs the crates.io index). A finding of the right advisory but
the other kind is a difference.

A hygiene finding is one advisory *group* (records sharing an id or alias); it is mapped to
every RUSTSEC id among its rule_id, advisory.id and aliases, so a group that merges two
RustSec advisories matches both of cargo-audit's entries.

Exit status: 0 when every compared lockfile agrees (after the documented, explained
differences), 1 otherwise.
"""

import argparse
import concurrent.futures as cf
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile

RUSTSEC = re.compile(r"^RUSTSEC-\d{4}-\d{4}$")
CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index"
CRATES_IO_SPARSE = "sparse+https://index.crates.io/"


def lock_info(path):
    """(lockfile format version, registry packages, all packages) or None if unreadable."""
    try:
        with open(path, "rb") as f:
            doc = tomllib.load(f)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        return None
    pkgs = doc.get("package", [])
    if "version" in doc:
        fmt = f"v{doc['version']}"
    elif "metadata" in doc:
        fmt = "v1"
    elif pkgs:
        # v2 puts checksums on packages, v1 in [metadata]; with neither (no registry
        # package) the file reads the same in both.
        fmt = "v2" if any("checksum" in p for p in pkgs) else "v1|v2"
    else:
        fmt = "?"
    registry = sum(1 for p in pkgs if p.get("source") in (CRATES_IO, CRATES_IO_SPARSE))
    return fmt, registry, len(pkgs)


def run_cargo_audit(cargo_audit, db, lockfile):
    """cargo-audit's (vulns, warnings) as sets of (name, version, id, kind), or an error."""
    cmd = [
        cargo_audit, "audit",
        "--db", db, "--no-fetch", "--no-yanked", "--stale",
        "--json", "-f", lockfile,
    ]
    # Run from an empty directory so that no project's .cargo/audit.toml applies.
    with tempfile.TemporaryDirectory(prefix="cargo-audit-") as d:
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=d)
    try:
        report = json.loads(p.stdout)
    except json.JSONDecodeError:
        err = " ".join(p.stderr.split()) or "no output"
        return None, f"cargo-audit exit {p.returncode}: {err}"
    vulns = set()
    for v in report["vulnerabilities"]["list"]:
        pkg, adv = v["package"], v["advisory"]
        vulns.add((pkg["name"], pkg["version"], adv["id"], "vulnerability"))
    warns = set()
    for kind, items in (report.get("warnings") or {}).items():
        for w in items:
            adv = w.get("advisory")
            if adv is None:  # yanked: needs the network, off with --no-fetch
                continue
            pkg = w["package"]
            warns.add((pkg["name"], pkg["version"], adv["id"], adv.get("informational") or kind))
    return (vulns, warns), None


def run_hygiene(hygiene, osv_dir, lockfile):
    """hygiene's advisory findings as a list of (name, version, frozenset of RUSTSEC ids,
    preferred id, class), class being "vulnerability" or "warning" (a `hygiene` finding), or
    an error. The lockfile is scanned alone in a temporary
    directory, under the name Cargo.lock."""
    with tempfile.TemporaryDirectory(prefix="hygiene-audit-") as d:
        shutil.copyfile(lockfile, os.path.join(d, "Cargo.lock"))
        cmd = [
            hygiene, "scan", d, "--offline", "--db-dir", osv_dir,
            "--no-secrets", "--format", "json",
        ]
        p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        err = (p.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"hygiene exit {p.returncode}: {err}"
    report = json.loads(p.stdout)
    findings = report["findings"] if isinstance(report, dict) else report
    out = []
    for f in findings:
        pkg, adv = f.get("package"), f.get("advisory")
        if not pkg or not adv:
            continue
        ids = {f.get("rule_id"), adv.get("id"), *adv.get("aliases", [])}
        rs = frozenset(i for i in ids if i and RUSTSEC.match(i))
        cls = "warning" if f.get("kind") == "hygiene" else "vulnerability"
        out.append((pkg["name"], pkg["version"], rs, adv["id"], cls))
    return out, None


class Db:
    """What the RustSec OSV export says about each advisory, for explanations."""

    def __init__(self, osv_dir, toml_db):
        self.toml_ids = {
            f[:-3] for _, _, files in os.walk(toml_db) for f in files
            if f.endswith(".md") and RUSTSEC.match(f[:-3])
        }
        self.records = {}
        with zipfile.ZipFile(os.path.join(osv_dir, "crates.io", "all.zip")) as z:
            for n in z.namelist():
                if n.endswith(".json"):
                    r = json.loads(z.read(n))
                    self.records[r["id"]] = r

    def informational(self, rid):
        r = self.records.get(rid)
        if not r:
            return None
        for a in r.get("affected", []):
            info = (a.get("database_specific") or {}).get("informational")
            if info:
                return info
        return None

    def withdrawn(self, rid):
        r = self.records.get(rid)
        return bool(r and r.get("withdrawn"))


def explain(side, name, version, rid, db, lock_sources):
    """A best-effort explanation of one difference."""
    src = lock_sources.get((name, version))
    if side == "hygiene" and src not in (CRATES_IO, CRATES_IO_SPARSE):
        return ("package source is %r, not crates.io: cargo-audit only checks crates from the "
                "default registry (by design)" % src)
    if side == "hygiene" and rid not in db.records:
        return "no such OSV record"
    if side == "hygiene" and db.informational(rid) not in (None, "unmaintained", "unsound", "notice"):
        return ("informational kind %r: cargo-audit warns only for unmaintained/unsound/notice "
                "(by design)" % db.informational(rid))
    if "+" in version:
        return ("version has build metadata: cargo-audit orders it with the semver crate, which "
                "puts 1.2.3 < 1.2.3+meta; OSV ordering ignores build metadata")
    if rid not in db.records:
        return "advisory %s is absent from the OSV export" % rid
    if db.withdrawn(rid):
        return "advisory withdrawn in the OSV export"
    return "UNEXPLAINED"


def sweep_versions(v):
    """Versions at and around one range event: v, its lowest pre-release, its neighbours, a
    pre-release and a build-metadata variant."""
    core, _, pre = v.partition("-")
    a, b, c = (int(x) for x in core.split("."))
    out = {v, f"{core}-0", f"{core}-alpha.1", f"{core}+build.1", f"{a}.{b}.{c + 1}",
           f"{a}.{b + 1}.0", f"{a + 1}.0.0"}
    if pre:
        out.add(core)
    if c > 0:
        out.add(f"{a}.{b}.{c - 1}")
        out.add(f"{a}.{b}.{c - 1}-rc.1")
    elif b > 0:
        out.add(f"{a}.{b - 1}.99")
    elif a > 0:
        out.add(f"{a - 1}.99.99")
    return out


def write_sweep_lockfile(db, path):
    """A synthetic Cargo.lock (v3) naming every crate of the OSV export, withdrawn advisories
    included, at and around every version its advisories' ranges mention. Not a resolvable
    lockfile (no dependency edges), but both tools read it as a list of crates.io packages."""
    pkgs = set()
    for r in db.records.values():
        for a in r.get("affected", []):
            name = a["package"]["name"]
            pkgs.add((name, "0.0.0"))
            pkgs.add((name, "9999.0.0"))
            for rng in a.get("ranges", []):
                for e in rng["events"]:
                    for v in e.values():
                        for sv in sweep_versions(v):
                            pkgs.add((name, sv))
            for v in a.get("versions", []):
                pkgs.add((name, v))
    with open(path, "w") as f:
        f.write("# Synthetic: every RustSec crate at and around its advisories' range bounds.\n")
        f.write("version = 3\n")
        for name, v in sorted(pkgs):
            f.write(f'\n[[package]]\nname = "{name}"\nversion = "{v}"\nsource = "{CRATES_IO}"\n')
    return len(pkgs)


def compare(args, lockfile, db):
    info = lock_info(lockfile)
    ca, ca_err = run_cargo_audit(args.cargo_audit, args.db_git, lockfile)
    hy, hy_err = run_hygiene(args.hygiene, args.osv_dir, lockfile)
    row = {
        "lockfile": lockfile,
        "format": info[0] if info else "?",
        "registry_packages": info[1] if info else 0,
        "packages": info[2] if info else 0,
        "errors": [e for e in (ca_err, hy_err) if e],
        "diffs": [],
        "matched": 0,
        "matched_ids": [],
        "merged": [],
        "renamed": [],
        "matched_by_class": {"vulnerability": 0, "warning": 0},
        "diffs_by_class": {"vulnerability": 0, "warning": 0},
    }
    if ca is None or hy is None:
        # Both must refuse the same unreadable file; a one-sided failure is a difference.
        row["agree"] = ca is None and hy is not None and not hy
        row["ca_vulns"] = row["ca_warns"] = row["hy_vulns"] = row["hy_warns"] = 0
        if ca is None and hy is not None and not hy:
            row["note"] = "cargo-audit rejects the file; hygiene reports nothing"
        if not row["agree"]:
            row["diffs_by_class"] = {"vulnerability": 1, "warning": 1}
        return row
    vulns, warns = ca
    sources = {}
    try:
        with open(lockfile, "rb") as f:
            for p in tomllib.load(f).get("package", []):
                sources[(p["name"], p["version"])] = p.get("source")
    except Exception:
        pass

    # Each cargo-audit entry: its class (vulnerability or warning) and informational kind.
    ca_class = {(n, v, i): "vulnerability" for (n, v, i, _) in vulns}
    ca_class.update({(n, v, i): "warning" for (n, v, i, _) in warns})
    ca_kind = {(n, v, i): k for (n, v, i, k) in vulns | warns}
    # Match every hygiene finding to cargo-audit entries through any of its RUSTSEC ids, within
    # its class; a match in the other class is a kind difference.
    matched_ca = set()
    for (n, v, ids, pref, cls) in hy:
        hits = [(n, v, i) for i in ids if (n, v, i) in ca_class]
        same = [h for h in hits if ca_class[h] == cls]
        other = [h for h in hits if ca_class[h] != cls]
        if same:
            if len(same) > 1:
                row["merged"].append(f"{n} {v}: " + " + ".join(sorted(i for (_, _, i) in same)))
            if (n, v, pref) not in ca_class:
                why = ("an OSV-only record (absent from the TOML database) that shares aliases "
                       "with %s" % ", ".join(sorted(i for (_, _, i) in same))
                       if pref not in db.toml_ids else "?")
                row["renamed"].append(f"{n} {v}: hygiene names it {pref}, cargo-audit "
                                      f"{', '.join(sorted(i for (_, _, i) in same))}; {pref} is {why}")
            matched_ca.update(same)
            row["matched"] += len(same)
            row["matched_by_class"][cls] += len(same)
            row["matched_ids"].extend(i for (_, _, i) in same)
        for h in other:
            # The right advisory, the wrong kind: reported once, on the hygiene side.
            matched_ca.add(h)
            row["diffs"].append({
                "side": "hygiene", "class": cls, "package": f"{n} {v}", "id": h[2],
                "rustsec": sorted(ids), "kind": ca_kind[h] or "vulnerability",
                "why": f"UNEXPLAINED: hygiene reports it as a {cls}, cargo-audit as a "
                       f"{ca_class[h]}",
            })
        if not hits:
            rid = min(ids) if ids else pref
            row["diffs"].append({
                "side": "hygiene", "class": cls, "package": f"{n} {v}", "id": pref,
                "rustsec": sorted(ids),
                "kind": db.informational(rid) or "vulnerability",
                "why": explain("hygiene", n, v, rid, db, sources),
            })
    for key, cls in sorted(ca_class.items()):
        if key in matched_ca:
            continue
        n, v, i = key
        row["diffs"].append({
            "side": "cargo-audit", "class": cls, "package": f"{n} {v}", "id": i,
            "rustsec": [i], "kind": ca_kind[key],
            "why": explain("cargo-audit", n, v, i, db, sources),
        })
    row["ca_vulns"] = len(vulns)
    row["ca_warns"] = len(warns)
    row["hy_vulns"] = sum(1 for f in hy if f[4] == "vulnerability")
    row["hy_warns"] = sum(1 for f in hy if f[4] == "warning")
    for cls in ("vulnerability", "warning"):
        row["diffs_by_class"][cls] = sum(1 for d in row["diffs"] if d["class"] == cls)
    row["agree"] = not row["diffs"]
    return row


def notes(rows, indent=""):
    """Agreements worth knowing about: hygiene reports one finding per advisory group, so two
    RustSec advisories that alias each other are one hygiene finding (matching both), and the
    group's name can be an id cargo-audit does not know."""
    merged = [m for r in rows for m in r["merged"]]
    renamed = sorted({m for r in rows for m in r["renamed"]})
    if merged:
        kinds = sorted({m.split(": ", 1)[0].split(" ")[0] + ": " + m.split(": ", 1)[1]
                        for m in merged})
        print(f"{indent}one hygiene finding for several RustSec advisories that alias each "
              f"other ({len(merged)} findings; by design, both ids listed): " + "; ".join(kinds))
    if renamed:
        print(f"{indent}named differently ({len(renamed)}):")
        for m in renamed:
            print(f"{indent}  {m}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cargo-audit", required=True)
    ap.add_argument("--hygiene", required=True)
    ap.add_argument("--db-git", required=True, help="git copy of rustsec/advisory-db")
    ap.add_argument("--osv-dir", required=True, help="hygiene --db-dir (holds crates.io/all.zip)")
    ap.add_argument("--json-out", help="write all rows here")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--top", type=int, default=15,
                    help="table rows for the lockfiles with the most cargo-audit findings")
    ap.add_argument("--all-rows", action="store_true", help="a table row for every lockfile")
    ap.add_argument("--sweep", help="also write a synthetic boundary-sweep lockfile here and "
                    "compare it (reported apart from the real lockfiles)")
    ap.add_argument("lockfiles", nargs="+")
    args = ap.parse_args()

    db = Db(args.osv_dir, args.db_git)
    with cf.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        rows = list(ex.map(lambda lf: compare(args, lf, db), args.lockfiles))
    sweep = None
    if args.sweep:
        os.makedirs(os.path.dirname(os.path.abspath(args.sweep)), exist_ok=True)
        write_sweep_lockfile(db, args.sweep)
        sweep = compare(args, args.sweep, db)
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(rows, f, indent=1)

    # The table: the most-findings lockfiles, every lockfile format, a few with nothing,
    # the shared fixtures, and every lockfile with a difference or an error.
    def score(r):
        return r["ca_vulns"] + r["ca_warns"]
    by_score = sorted(rows, key=lambda r: (-score(r), r["lockfile"]))
    shown = {r["lockfile"] for r in by_score[: args.top]}
    for fmt in ("v1", "v2", "v3", "v4"):
        of_fmt = [r for r in by_score if r["format"] == fmt]
        shown.update(r["lockfile"] for r in of_fmt[:2])
    zero = [r for r in by_score if score(r) == 0 and not r["errors"] and r["packages"] > 50]
    shown.update(r["lockfile"] for r in zero[:3])
    shown.update(r["lockfile"] for r in rows
                 if r["diffs"] or r["errors"] or "/lockfiles/" in r["lockfile"])
    if args.all_rows:
        shown = {r["lockfile"] for r in rows}

    def short(p):
        parts = p.split(os.sep)
        return os.sep.join(parts[-2:])

    hdr = ("lockfile", "fmt", "pkgs", "ca vulns", "ca warns", "hy vulns", "hy warns", "agree")
    table = [hdr]
    for r in by_score:
        if r["lockfile"] in shown:
            table.append((short(r["lockfile"]), r["format"], str(r["registry_packages"]),
                          str(r["ca_vulns"]), str(r["ca_warns"]), str(r["hy_vulns"]),
                          str(r["hy_warns"]),
                          ("yes*" if r["errors"] else "yes") if r["agree"]
                          else ("NO" if not r["errors"] else "error")))
    widths = [max(len(row[i]) for row in table) for i in range(len(hdr))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(hdr, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in table[1:]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
    print(f"({len(table) - 1} of {len(rows)} lockfiles shown; pkgs = crates.io packages; "
          "ca = cargo-audit, hy = hygiene; warns = informational advisories; "
          "yes* = cargo-audit rejects the file and hygiene finds nothing in it)")

    n_ok = sum(1 for r in rows if r["agree"])
    ca_total = sum(r["ca_vulns"] + r["ca_warns"] for r in rows)
    ca_v = sum(r["ca_vulns"] for r in rows)
    ca_w = sum(r["ca_warns"] for r in rows)
    matched = sum(r["matched"] for r in rows)
    diffs = [(r, d) for r in rows for d in r["diffs"]]
    distinct = {(d["package"], d["id"]) for _, d in diffs}
    print()
    print(f"lockfiles compared: {len(rows)}; agreeing exactly: {n_ok}")
    fmts = {}
    for r in rows:
        fmts[r["format"]] = fmts.get(r["format"], 0) + 1
    print("lockfile formats: " + ", ".join(f"{k}: {v}" for k, v in sorted(fmts.items())))
    print(f"cargo-audit findings: {ca_total} ({ca_v} vulnerabilities, {ca_w} warnings); "
          f"matched by hygiene: {matched}")
    ids = {i for r in rows for i in r.get("matched_ids", [])}
    print(f"distinct RUSTSEC advisories among the matches: {len(ids)}")
    print(f"differences: {len(diffs)} ({len(distinct)} distinct package/advisory pairs)")
    for cls, ca_n, hy_key, label in (("vulnerability", ca_v, "hy_vulns", "vulnerabilities.list"),
                                     ("warning", ca_w, "hy_warns", "warnings (yanked aside)")):
        equal = sum(1 for r in rows if r["diffs_by_class"][cls] == 0)
        n_d = sum(1 for _, d in diffs if d["class"] == cls)
        hy_n = sum(r[hy_key] for r in rows)
        m = sum(r["matched_by_class"][cls] for r in rows)
        hy_kind = "vulnerability" if cls == "vulnerability" else "hygiene"
        print(f"  kind {hy_kind!r} vs cargo-audit {label}: lockfiles equal {equal}/{len(rows)}; "
              f"cargo-audit {ca_n}, hygiene {hy_n}, matched {m}; differences {n_d}")
    notes(rows)
    errors = [(r, e) for r in rows for e in r["errors"]]
    if errors:
        print("errors:")
        for r, e in errors:
            print(f"  {short(r['lockfile'])}: {e}" + (f" -> {r['note']}" if r.get("note") else ""))
    if diffs:
        print("differences:")
        for r, d in diffs:
            print(f"  {short(r['lockfile'])}: only {d['side']} ({d['class']}): {d['package']} "
                  f"{d['id']} ({d['kind']}): {d['why']}")
    if sweep:
        print()
        print(f"boundary sweep (synthetic, {sweep['registry_packages']} crate versions at and "
              f"around every range bound of every RustSec advisory, withdrawn ones included):")
        print(f"  cargo-audit: {sweep['ca_vulns']} vulnerabilities, {sweep['ca_warns']} warnings; "
              f"hygiene: {sweep['hy_vulns']} + {sweep['hy_warns']}; matched "
              f"{sweep['matched_by_class']['vulnerability']} + "
              f"{sweep['matched_by_class']['warning']}; "
              f"differences {len(sweep['diffs'])}" + "".join(f"; {e}" for e in sweep["errors"]))
        notes([sweep], "  ")
        for d in sweep["diffs"]:
            print(f"  only {d['side']} ({d['class']}): {d['package']} {d['id']} ({d['kind']}): "
                  f"{d['why']}")
        diffs = diffs + [(sweep, d) for d in sweep["diffs"]]
        if sweep["errors"]:
            rows.append(sweep)
    unexplained = [d for _, d in diffs if d["why"].startswith("UNEXPLAINED")]
    bad_errors = [r for r in rows if r["errors"] and not r["agree"]]
    return 1 if unexplained or bad_errors else 0


if __name__ == "__main__":
    sys.exit(main())
