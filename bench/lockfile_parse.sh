#!/bin/sh
# Times parsing a synthetic 5,000-package package-lock.json (v3) and a 1,000-package
# Cargo.lock (target: < 50 ms each, release build). Prints median and best of 15 runs.
set -eu
cd "$(dirname "$0")/.."
cargo test --release --test lockfiles bench_lockfile_parse -- --ignored --nocapture 2>&1 \
  | grep -E '^(package-lock.json|Cargo.lock):|test result|panicked'
