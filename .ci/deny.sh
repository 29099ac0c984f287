#!/usr/bin/env bash
# `cargo deny check` (advisories, licences, sources, duplicate versions: see deny.toml) with
# what CI has: no route to GitHub, so no advisory fetch.
#
# * cargo-deny is installed from crates.io (`cargo install --locked`, the version below) only
#   when missing, into HYGIENE_CI_TOOLS (default ~/.cache/hygiene/ci-tools), outside the
#   checkout: CI runs in a fresh clone each time, and the install takes 6-13 minutes on 2
#   cores (docs/contributing.md), which must not be paid on every run.
# * The advisory database is the RustSec snapshot in ../shared/rustsec-advisory-db, copied into
#   a temporary git repository (cargo-deny opens the database with git) at the path deny.toml's
#   `db-path` and `db-urls` name.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_DENY_VERSION=0.20.2
tools="${HYGIENE_CI_TOOLS:-$HOME/.cache/hygiene/ci-tools}"
deny="$tools/bin/cargo-deny"
if ! [ -x "$deny" ] || [ "$("$deny" --version 2>/dev/null)" != "cargo-deny $CARGO_DENY_VERSION" ]; then
    echo "installing cargo-deny $CARGO_DENY_VERSION into $tools (once per machine)" >&2
    started=$(date +%s)
    cargo install --locked --quiet --root "$tools" "cargo-deny@$CARGO_DENY_VERSION"
    echo "installed cargo-deny in $(( $(date +%s) - started )) s" >&2
fi

shared="${HYGIENE_SHARED:-../shared}/rustsec-advisory-db"
if ! [ -d "$shared/crates" ]; then
    echo "no RustSec database at $shared: cannot check advisories" >&2
    exit 1
fi
dbs=$(mktemp -d)
trap 'rm -rf "$dbs"' EXIT
# The directory cargo-deny derives from `db-urls` in deny.toml.
db="$dbs/advisory-db-3157b0e258782691"
cp -R "$shared" "$db"
chmod -R u+w "$db"
git -C "$db" init -q
git -C "$db" add -A
git -C "$db" -c user.name=ci -c user.email=ci@localhost -c commit.gpgsign=false \
    commit -qm "RustSec snapshot from ../shared"

# cargo-deny reads `cargo metadata` offline, which needs every locked crate in the local
# registry, those of other platforms too (windows-sys, ...), which a build never downloads: on a
# fresh machine, fetch them first (crates.io only; a no-op when they are there).
cargo fetch --locked --quiet
HYGIENE_ADVISORY_DBS="$dbs" "$deny" --offline --locked --color never check
