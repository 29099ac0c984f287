#!/usr/bin/env bash
# Times scanning a repository's history again with `--cache-dir` (issue 16.3): with nothing
# new since the cached run, and after one new commit (one changed file holding a secret),
# each run starting from the same cache as the one before the commit. Target: the run after
# one new commit within 100 ms plus what scanning the new blobs costs (printed beside it: a
# scan of the new file alone, without a cache).
#
# Usage: bench/rescan.sh [REPO] [RUNS]
#   REPO  a git repository with a long history (default: bench/.work/history4c-40000, the
#         40,000-commit repository of the history-memory benchmark; bench/history.sh builds
#         one of its kind)
#   RUNS  timed runs of each case, after one warm-up (default 9); prints median and minimum
# HYGIENE_BIN: the binary (default: a fresh release build). HYGIENE_BASE: a second binary,
# measured in the same runs, in turns, from a cache it wrote itself (the cache belongs to one
# binary). The repository is not modified: a hard-linked copy under bench/.work gets the commit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work="$here/.work"
repo=${1:-$work/history4c-40000}
runs=${2:-9}
[ -d "$repo/.git" ] || { echo "no repository at $repo (give REPO)" >&2; exit 2; }
if [ -n "${HYGIENE_BIN:-}" ]; then
  hygiene=$HYGIENE_BIN
else
  (cd "$root" && cargo build --release --quiet)
  hygiene="$root/target/release/hygiene"
fi
bins=("$hygiene")
names=(hygiene)
if [ -n "${HYGIENE_BASE:-}" ]; then
  bins+=("$HYGIENE_BASE")
  names+=(base)
fi

copy="$work/rescan-repo"
rm -rf "$copy"
cp -al "$repo" "$copy" # pack files are never written in place: hard links are safe
git -C "$copy" checkout -q -f -B rescan-bench HEAD
before=$(git -C "$copy" rev-parse HEAD)
scan() { "$1" scan --history --no-deps --quiet --cache-dir "$2" --format json -o "$3" "$copy" || true; }
for k in "${!bins[@]}"; do
  rm -rf "$work/rescan-cache-$k.snap"
  scan "${bins[$k]}" "$work/rescan-cache-$k.snap" "$work/rescan-$k-before.json"
done
printf 'aws_access_key_id = "AKIAQ3EGRZ7LMNPKX2WT"\n' >"$copy/rescan_new_secret.py" # an invented key: hygiene:allow
git -C "$copy" add rescan_new_secret.py
git -C "$copy" -c user.name=bench -c user.email=bench@example.com commit -qm "one new commit"

ms() { awk -v s="$1" -v e="$2" 'BEGIN {printf "%.1f", (e - s) / 1e6}'; }
stats() { sort -n | awk '{a[NR]=$1} END {printf "median %6.1f ms  min %6.1f ms", a[int((NR+1)/2)], a[1]}'; }
declare -A new nothing alone
for r in $(seq 0 "$runs"); do
  for k in "${!bins[@]}"; do
    cache="$work/rescan-cache-$k"
    rm -rf "$cache"
    cp -r "$work/rescan-cache-$k.snap" "$cache"
    s=$(date +%s%N); scan "${bins[$k]}" "$cache" "$work/rescan-$k-new.json"; e=$(date +%s%N)
    [ "$r" -gt 0 ] && new[$k]+="$(ms "$s" "$e")"$'\n'
    s=$(date +%s%N); scan "${bins[$k]}" "$cache" "$work/rescan-$k-again.json"; e=$(date +%s%N)
    [ "$r" -gt 0 ] && nothing[$k]+="$(ms "$s" "$e")"$'\n'
    s=$(date +%s%N)
    "${bins[$k]}" scan --no-deps --quiet --format json -o "$work/rescan-$k-alone.json" \
      "$copy/rescan_new_secret.py" || true
    e=$(date +%s%N)
    [ "$r" -gt 0 ] && alone[$k]+="$(ms "$s" "$e")"$'\n'
  done
done
echo "repository: $repo ($(git -C "$copy" rev-list --count HEAD) commits); $(nproc) CPUs; $runs runs each"
for k in "${!bins[@]}"; do
  echo "${names[$k]}:"
  echo "  one new commit:         $(printf '%s' "${new[$k]}" | stats)"
  echo "  nothing new:            $(printf '%s' "${nothing[$k]}" | stats)"
  echo "  the new file alone:     $(printf '%s' "${alone[$k]}" | stats)  (no cache)"
  # The run after the commit must find the new secret, as a run without the cache does.
  if ! grep -q rescan_new_secret.py "$work/rescan-$k-new.json"; then
    echo "  ERROR: the run after the new commit did not report the new secret" >&2
    exit 1
  fi
done
git -C "$copy" checkout -q -f "$before" 2>/dev/null || true
