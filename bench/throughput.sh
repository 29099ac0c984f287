#!/usr/bin/env bash
# Times a full-rule `hygiene scan` of the benchmark corpus beside ripgrep reading the same
# files with one regex (`rg -uuu -c 'AKIA[0-9A-Z]{16}'`), and prints throughput, wall time,
# peak memory and the ratio to ripgrep. Target: hygiene within 2x ripgrep's wall time.
#
# Usage: bench/throughput.sh [CORPUS_DIR] [RUNS]
# Needs: cargo, GNU time (/usr/bin/time). Installs ripgrep into bench/.work/tools if absent.
set -euo pipefail
set -f  # the commands below are split on spaces; never glob-expand them (the rg regex)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work="$here/.work"
corpus=${1:-$("$here/corpus.sh")}
runs=${2:-3}

# HYGIENE_BIN: the binary to measure (default: a fresh release build). HYGIENE_BASE: another
# binary (an earlier commit's) measured in the same alternating runs, for an A/B comparison.
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

bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
files=$(find "$corpus" -type f | wc -l)
mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1048576}')
echo "corpus: $corpus"
echo "        $files files, $mb MiB; $(nproc) CPUs; $runs timed runs each after one warm-up (page cache warm)"

# Each tool once as a warm-up, then $runs rounds taking turns (so a machine that speeds up or
# slows down during the benchmark, as shared cloud machines do, affects every tool alike).
# Prints "NAME median_wall max_peak_KiB" per tool.
report="$work/bench-report.json"
names=(hygiene)
cmds=("$hygiene scan $corpus --no-deps --format json --output $report")
# With ../shared/osv: also every secret rule plus the lockfiles met on the way checked offline
# (never the network: a benchmark must not time somebody's API).
osv_db="$root/../shared/osv"
if [ -d "$osv_db" ]; then
  names+=(hyg+deps)
  cmds+=("$hygiene scan $corpus --offline --db-dir $osv_db --format json --output $work/bench-deps.json")
fi
if [ -n "${HYGIENE_BASE:-}" ]; then
  names+=(base)
  cmds+=("$HYGIENE_BASE scan $corpus --no-deps --format json --output $work/bench-base.json")
fi
names+=(ripgrep)
cmds+=("$rg -uuu -c AKIA[0-9A-Z]{16} $corpus")
for c in "${cmds[@]}"; do $c >/dev/null 2>&1 || true; done
declare -A walls peaks
for _ in $(seq "$runs"); do
  for k in "${!names[@]}"; do
    /usr/bin/time -o "$work/time.out" -f '%e %M' ${cmds[$k]} >/dev/null 2>&1 || true
    t=$(tail -1 "$work/time.out")
    walls[$k]+="${t% *} "
    rss=${t#* }
    [ "${peaks[$k]:-0}" -lt "$rss" ] && peaks[$k]=$rss
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
rg_k=$((${#names[@]} - 1))
rg_wall=$(echo "${walls[$rg_k]}" | median)

printf '\n%-10s %10s %10s %12s %10s\n' tool wall_s MB/s peak_MiB vs_rg
for k in "${!names[@]}"; do
  w=$(echo "${walls[$k]}" | median)
  awk -v n="${names[$k]}" -v w="$w" -v p="${peaks[$k]}" -v b="$bytes" -v rw="$rg_wall" 'BEGIN {
    printf "%-10s %10.2f %10.1f %12.1f %9.2fx\n", n, w, (w > 0 ? b/1048576/w : 0), p/1024, (rw > 0 ? w/rw : 0) }'
done
echo "(hygiene: every secret rule; hyg+deps: the same plus the offline dependency check;"
echo " MB/s is corpus MiB over wall time; medians of $runs alternating runs)"
if command -v python3 >/dev/null 2>&1 && [ -f "$report" ]; then
  python3 - "$report" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = r["stats"]
print(f"\nhygiene scanned {s['files_scanned']} files, {s['bytes_scanned']/1048576:.1f} MiB "
      f"(skipped {s['skipped']}: {s['skipped_binary']} binary, {s['skipped_large']} over the size limit); "
      f"{len(r['findings'])} findings, rules {len({f['rule_id'] for f in r['findings']})} distinct")
PY
fi
