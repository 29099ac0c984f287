#!/usr/bin/env bash
# Noise on real code: scans the benchmark corpus (real open-source code, see corpus.sh) and
# prints findings per 100 MB grouped by rule, generic rules (no vendor prefix) apart from
# prefixed tokens, private keys and sensitive files. Each generic finding is listed with its
# line so it can be looked at. Bar: at most 10 generic findings per 100 MB.
#
# Usage: bench/noise.sh [CORPUS_DIR] [HYGIENE_BINARY]
#   CORPUS_DIR defaults to bench/.work/corpus (built by bench/corpus.sh if missing);
#   HYGIENE_BINARY defaults to a fresh `cargo build --release`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
corpus=${1:-}
if [ -z "$corpus" ]; then
  if [ -f "$here/.work/corpus/.complete" ]; then corpus="$here/.work/corpus"; else corpus=$("$here/corpus.sh"); fi
fi
hygiene=${2:-}
if [ -z "$hygiene" ]; then
  (cd "$root" && cargo build --release --quiet)
  hygiene="$root/target/release/hygiene"
fi
mkdir -p "$here/.work"
report="$here/.work/noise-report.json"
set +e
"$hygiene" scan "$corpus" --no-deps --format json --output "$report"
code=$?
set -e
if [ "$code" -gt 1 ]; then echo "hygiene exited with $code" >&2; exit "$code"; fi
python3 - "$report" "$corpus" "$root/patterns" <<'PY'
import glob, json, os, sys, tomllib
report, corpus, patterns = sys.argv[1], sys.argv[2], sys.argv[3]
r = json.load(open(report))
# A readable file is reported once more by `secret-file-permissions` for the findings in it (the
# corpus is not a git checkout, so every file counts as untracked): not a detection of its own.
r["findings"] = [f for f in r["findings"] if f["rule_id"] != "secret-file-permissions"]
mb = r["stats"]["bytes_scanned"] / 1e6
per100 = lambda n: n * 100.0 / mb if mb else 0.0
def group(f):
    rule = f["rule_id"]
    if rule.startswith("sensitive-file-"): return "sensitive files (by path)"
    if rule.startswith("generic-"): return "generic (no vendor prefix)"
    if f["rule_name"].startswith("Credential in "): return "credential files (formats)"
    if any(k in rule for k in ("private-key", "putty", "pgp-private", "age-secret")): return "private keys"
    return "prefixed tokens"
groups = {}
for f in r["findings"]:
    groups.setdefault(group(f), {}).setdefault(f["rule_id"], []).append(f)
print(f"corpus: {corpus}")
print(f"scanned {r['stats']['files_scanned']} files, {mb:.1f} MB; {len(r['findings'])} findings, {per100(len(r['findings'])):.2f} per 100 MB\n")
order = ["generic (no vendor prefix)", "credential files (formats)", "prefixed tokens", "private keys", "sensitive files (by path)"]
for g in order:
    rules = groups.get(g, {})
    total = sum(len(v) for v in rules.values())
    print(f"{g}: {total} findings, {per100(total):.2f} per 100 MB")
    for rule, fs in sorted(rules.items(), key=lambda x: (-len(x[1]), x[0])):
        print(f"  {len(fs):5}  {per100(len(fs)):7.2f}/100MB  {rule}")
    print()
generic = [f for rules in groups.get(order[0], {}).values() for f in rules]
print("generic findings, each to be looked at:")
for f in sorted(generic, key=lambda f: (f["path"], f["line"])):
    try:
        with open(os.path.join(corpus, f["path"]), encoding="utf-8", errors="replace") as fh:
            line = fh.read().split("\n")[f["line"] - 1].strip()
    except (OSError, IndexError):
        line = ""
    print(f"  {f['path']}:{f['line']} [{f['rule_id']}, {f['confidence']}]: {line[:140]}")
for g in order[1:]:
    fs = [f for rules in groups.get(g, {}).values() for f in rules]
    if fs:
        print(f"\n{g}, listed apart:")
        for f in sorted(fs, key=lambda f: (f["path"], f["line"])):
            print(f"  {f['path']}:{f['line']} [{f['rule_id']}, {f['confidence']}]")
# Per rule family: the rule file a rule comes from (patterns/<family>.toml), formats by their
# family file, sensitive-file rules apart. Every family is listed, quiet ones with 0.
family = {}
for path in sorted(glob.glob(os.path.join(patterns, "*.toml"))):
    name = os.path.basename(path)[:-5]
    for rule in tomllib.load(open(path, "rb")).get("rules", []):
        family[rule["id"]] = name
for path in sorted(glob.glob(os.path.join(patterns, "formats", "*.toml"))):
    name = "formats/" + os.path.basename(path)[:-5]
    for rule in tomllib.load(open(path, "rb")).get("formats", []):
        family[rule["id"]] = name
counts = {f: 0 for f in sorted(set(family.values()))}
for f in r["findings"]:
    fam = family.get(f["rule_id"], "sensitive files" if f["rule_id"].startswith("sensitive-file-") else "other")
    counts[fam] = counts.get(fam, 0) + 1
print("\nper rule family (patterns/<family>.toml):")
for fam, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])):
    print(f"  {n:5}  {per100(n):7.2f}/100MB  {fam}")
n = sum(len(v) for v in groups.get(order[0], {}).values())
print(f"\ngeneric findings per 100 MB: {per100(n):.2f} (bar: at most 10)")
PY
