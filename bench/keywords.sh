#!/usr/bin/env bash
# The keyword gate (src/secrets/keywords.rs, a shift-or filter over byte pairs) against the
# aho-corasick crate, on what a scan feeds the gate: the built-in rules' keywords over every
# text file of the corpus, one search per file, every overlapping occurrence, ASCII
# case-insensitive. Prints GB/s (one thread) per searcher.
#
# Usage: bench/keywords.sh [CORPUS_DIR] [MAX_MIB] [RUNS]
#   CORPUS_DIR  default bench/.work/corpus (what bench/corpus.sh builds)
#   MAX_MIB     load at most this much of the corpus into memory (default: all of it)
#   RUNS        passes per searcher, taken in turns; the median is printed (default 5)
# Needs: cargo. Builds benches/keywords.rs with the release profile.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
corpus=${1:-$root/bench/.work/corpus}
[ -d "$corpus" ] || { echo "no corpus at $corpus (run bench/corpus.sh, or give CORPUS_DIR)" >&2; exit 2; }
corpus=$(cd "$corpus" && pwd)
cd "$root"
cargo bench --quiet --bench keywords -- "$corpus" "${2:-all}" "${3:-5}"
