#!/usr/bin/env bash
# How the working-tree scan's cost grows with the tree and with threads: `hygiene scan` with
# every secret rule and the offline dependency check (when ../shared/osv exists) beside
# `rg -uuu -c 'AKIA[0-9A-Z]{16}'`, on 1x, 2x and 4x the benchmark corpus, at 1 and 2 threads.
# Prints wall time (median), CPU time (user+sys, median), peak RSS (max), MB/s and the cost per
# GiB relative to 1x: linear cost means the per-GiB figures stay flat as the tree grows.
#
# Usage: bench/scaling.sh [CORPUS_DIR] [RUNS]
# The 2x and 4x trees are copies of the corpus made of hard links (bench/.work/scale-Nx/copy-K):
# no extra disk, and with a warm page cache every copy is read from memory as the 1x tree is,
# so the figures compare the scan's own work, not the disk. Needs: cargo, GNU time.
set -euo pipefail
set -f
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work="$here/.work"
corpus=${1:-$("$here/corpus.sh")}
corpus=$(cd "$corpus" && pwd)
runs=${2:-3}

if [ -n "${HYGIENE_BIN:-}" ]; then
  hygiene=$HYGIENE_BIN
else
  (cd "$root" && cargo build --release --quiet)
  hygiene="$root/target/release/hygiene"
fi
if command -v rg >/dev/null 2>&1; then
  rg=$(command -v rg)
else
  rg="$work/tools/bin/rg"
  [ -x "$rg" ] || cargo install --quiet --locked ripgrep --root "$work/tools"
fi
osv_db="$root/../shared/osv"
deps="--no-deps"
[ -d "$osv_db" ] && deps="--offline --db-dir $osv_db"

tree() { # tree SIZE -> a directory holding SIZE hard-linked copies of the corpus
  local n=$1 dir="$work/scale-${1}x"
  [ "$n" = 1 ] && { echo "$corpus"; return; }
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    for k in $(seq "$n"); do cp -al "$corpus" "$dir/copy-$k"; done
    touch "$dir/.complete"
  fi
  echo "$dir"
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "corpus: $corpus; $(nproc) CPUs; $runs timed runs each after one warm-up, in turns"
echo "hygiene: every secret rule, $deps"
printf '\n%-5s %-8s %3s %9s %9s %9s %10s %12s %11s\n' size tool thr wall_s cpu_s MB/s peak_MiB wall_s/GiB vs_rg
for size in 1 2 4; do
  dir=$(tree "$size")
  bytes=$(find -L "$dir" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
  for threads in 1 2; do
    names=(hygiene ripgrep)
    cmds=("$hygiene scan $dir $deps --threads $threads --format json --output $work/scaling.json"
      "$rg -uuu -c -j $threads AKIA[0-9A-Z]{16} $dir")
    for c in "${cmds[@]}"; do $c >/dev/null 2>&1 || true; done
    declare -A walls=() cpus=() peaks=()
    for _ in $(seq "$runs"); do
      for k in "${!names[@]}"; do
        /usr/bin/time -o "$work/time.out" -f '%e %U %S %M' ${cmds[$k]} >/dev/null 2>&1 || true
        read -r w u s m < <(tail -1 "$work/time.out")
        walls[$k]+="$w "
        cpus[$k]+="$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}') "
        [ "${peaks[$k]:-0}" -lt "$m" ] && peaks[$k]=$m
      done
    done
    rg_wall=$(echo "${walls[1]}" | median)
    for k in "${!names[@]}"; do
      w=$(echo "${walls[$k]}" | median)
      c=$(echo "${cpus[$k]}" | median)
      awk -v sz="${size}x" -v n="${names[$k]}" -v t="$threads" -v w="$w" -v c="$c" \
        -v p="${peaks[$k]}" -v b="$bytes" -v rw="$rg_wall" 'BEGIN {
        printf "%-5s %-8s %3d %9.2f %9.2f %9.1f %10.1f %12.3f %10.2fx\n",
          sz, n, t, w, c, b/1048576/w, p/1024, w/(b/1073741824), w/rw }'
    done
    unset walls cpus peaks
  done
done
echo "(wall_s/GiB flat across sizes = linear cost; vs_rg = wall time over ripgrep's at the same size and threads)"
