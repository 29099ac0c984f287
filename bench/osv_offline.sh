#!/usr/bin/env bash
# Offline OSV check of a 1,000-package Cargo.lock-like list against the crates.io export,
# cold and warm, in a release build. Prints milliseconds. Target: warm < 200 ms.
#
#   bench/osv_offline.sh                      # uses ../shared/osv
#   HYGIENE_BENCH_DB_DIR=/path/to/osv bench/osv_offline.sh
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo test --release --test osv_bench -- --ignored --nocapture --test-threads=1
