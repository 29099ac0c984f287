#!/bin/sh
# A short fuzzing run of every target, for CI: builds the fuzzers (nightly, cargo-fuzz) and
# runs each for FUZZ_SECONDS (default 20) from a copy of its committed corpus, so the run
# adds nothing to fuzz/corpus. Any crash, timeout or out-of-memory fails the script and
# leaves the input in fuzz/artifacts/<target>/.
#
# The corpora are also replayed on the stable toolchain by `cargo test` (tests/fuzz_corpus.rs),
# which needs no nightly build.
set -eu
cd "$(dirname "$0")"
seconds=${FUZZ_SECONDS:-20}
targets=${FUZZ_TARGETS:-$(cargo +nightly fuzz list)}
cargo +nightly fuzz build -O -a
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in $targets; do
  mkdir -p "$work/$t"
  if [ -d "corpus/$t" ]; then cp -R "corpus/$t/." "$work/$t/"; fi
  echo "== $t (${seconds}s)"
  status=0
  cargo +nightly fuzz run -O -a "$t" "$work/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    >"$work/$t.log" 2>&1 || status=$?
  grep -E '^#[0-9]+[[:space:]]+DONE' "$work/$t.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$work/$t.log"
    echo "fuzz/ci.sh: $t failed (status $status); the input is in fuzz/artifacts/$t/" >&2
    exit 1
  fi
done
