#!/usr/bin/env bash
# Correctness check against cargo-audit: for real Cargo.lock files, `hygiene scan --offline`
# over ../shared/osv (RustSec's OSV export) must report exactly the (crate, version, RUSTSEC id)
# set that `cargo audit` reports from ../shared/rustsec-advisory-db (the same snapshot in
# RustSec's own TOML format), kind by kind: hygiene's `kind: "vulnerability"` findings must
# equal cargo-audit's vulnerability list, and its `kind: "hygiene"` advisory findings
# (informational advisories: unmaintained, unsound, notice) cargo-audit's warnings, yanked
# aside. Prints a per-lockfile table, per-kind totals and every difference with its cause;
# exits 1 if a difference is unexplained. Then the same comparison on a synthetic "boundary
# sweep" lockfile: every crate named by an advisory, at and around every version bound of its
# advisories' ranges (pre-releases, build metadata, neighbours; withdrawn advisories included).
#
#   bench/cargo_audit_compare.sh                 # every corpus lockfile + the shared fixtures
#   bench/cargo_audit_compare.sh A.lock B.lock   # just these
#
# Environment: CORPUS (default bench/.work/corpus, built by bench/corpus.sh if missing),
# SHARED (default ../shared), JOBS (parallel lockfiles, default 2), TOP (table rows for the
# lockfiles with the most findings, default 15), ALL_ROWS=1 (a row per lockfile).
#
# cargo-audit is installed into bench/.work/tools if it is not on PATH (several minutes).
# It runs with --no-fetch (no network: the database is a local git copy), --stale, and
# --no-yanked (the yanked-crate check needs the crates.io index; hygiene has none), from an
# empty directory so no project's .cargo/audit.toml applies.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work="$here/.work"
shared=${SHARED:-$root/../shared}
mkdir -p "$work/tools"

for need in "$shared/rustsec-advisory-db/crates" "$shared/osv/crates.io/all.zip"; do
  if [ ! -e "$need" ]; then
    echo "missing $need (set SHARED=...)" >&2
    exit 2
  fi
done

# cargo-audit
if [ -x "$work/tools/bin/cargo-audit" ]; then
  cargo_audit="$work/tools/bin/cargo-audit"
elif command -v cargo-audit >/dev/null; then
  cargo_audit=$(command -v cargo-audit)
else
  echo "installing cargo-audit into $work/tools (takes several minutes)..." >&2
  cargo install --locked cargo-audit --root "$work/tools" >&2
  cargo_audit="$work/tools/bin/cargo-audit"
fi
echo "cargo-audit: $("$cargo_audit" audit --version 2>/dev/null || "$cargo_audit" --version)" >&2

# hygiene
(cd "$root" && cargo build --release --quiet)
hygiene="$root/target/release/hygiene"

# A git repository copy of the advisory database: cargo-audit only opens a git repository.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$shared/rustsec-advisory-db" "$tmp/advisory-db"
(
  cd "$tmp/advisory-db"
  git init -q
  git add -A
  git -c user.name=bench -c user.email=bench@localhost -c commit.gpgsign=false \
    commit -q -m "rustsec/advisory-db snapshot from ../shared"
)

# Lockfiles
if [ $# -gt 0 ]; then
  lockfiles=("$@")
else
  corpus=${CORPUS:-$work/corpus}
  if [ ! -f "$corpus/.complete" ] && ! ls "$corpus"/*/Cargo.lock >/dev/null 2>&1; then
    corpus=$("$here/corpus.sh" "$corpus")
  fi
  lockfiles=("$corpus"/*/Cargo.lock)
  for f in "$shared"/lockfiles/rust-cargolock/*.lock; do
    [ -e "$f" ] && lockfiles+=("$f")
  done
fi

extra=()
[ "${ALL_ROWS:-}" = 1 ] && extra+=(--all-rows)
status=0
python3 "$here/cargo_audit_compare.py" \
  --cargo-audit "$cargo_audit" --hygiene "$hygiene" \
  --db-git "$tmp/advisory-db" --osv-dir "$shared/osv" \
  --sweep "$tmp/sweep/Cargo.lock" \
  --jobs "${JOBS:-2}" --top "${TOP:-15}" --json-out "$work/cargo_audit_compare.json" \
  "${extra[@]}" "${lockfiles[@]}" || status=$?
exit $status
