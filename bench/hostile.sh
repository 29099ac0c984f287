#!/usr/bin/env bash
# Hostile repositories too big for the test suite (tests/hostile_inputs.rs runs scaled-down
# versions of the same shapes and checks counts, not time): a long linear history and one
# tree with a million empty files. Prints wall time and peak RSS of each scan.
#
# Usage: bench/hostile.sh [COMMITS] [FILES]
#   COMMITS  length of the linear history (default 100000)
#   FILES    empty files in the one flat tree (default 1000000)
# Repositories are built with `git fast-import` under bench/.work/hostile-* (once) and kept.
# Needs: cargo, git, python3, GNU time (/usr/bin/time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work="$here/.work"
commits=${1:-100000}
files=${2:-1000000}

# HYGIENE_BIN=path/to/hygiene times that binary instead of building this checkout.
if [ -n "${HYGIENE_BIN:-}" ]; then
  hygiene=$HYGIENE_BIN
else
  (cd "$root" && cargo build --release --quiet)
  hygiene="$root/target/release/hygiene"
fi

# One commit per line of history, each rewriting the same small file: the cost is the walk
# and the per-commit tree diff, not the scanning of bytes.
linear="$work/hostile-linear-$commits"
if [ ! -f "$linear/.git/bench-complete" ]; then
  echo "building $linear (once) ..." >&2
  rm -rf "$linear" && mkdir -p "$linear"
  git -C "$linear" init -q -b main
  python3 - "$commits" <<'PY' | git -C "$linear" fast-import --quiet --done
import sys
n = int(sys.argv[1])
w = sys.stdout.buffer.write
for i in range(1, n + 1):
    body = b"counter = %d\n" % i
    msg = b"commit %d\n" % i
    w(b"commit refs/heads/main\nmark :%d\n" % i)
    w(b"committer Bench <bench@example.com> %d +0000\n" % (1600000000 + i))
    w(b"data %d\n%s" % (len(msg), msg))
    if i > 1:
        w(b"from :%d\n" % (i - 1))
    w(b"M 100644 inline counter.txt\ndata %d\n%s\n" % (len(body), body))
w(b"done\n")
PY
  git -C "$linear" gc -q
  touch "$linear/.git/bench-complete"
fi

# One commit whose root tree holds FILES empty files (one tree object of ~36 bytes an entry).
# Built with `git mktree`: fast-import keeps a directory's entries in a list and is
# quadratic in a flat directory this size.
wide="$work/hostile-wide-$files"
if [ ! -f "$wide/.git/bench-complete" ]; then
  echo "building $wide (once) ..." >&2
  rm -rf "$wide" && mkdir -p "$wide"
  git -C "$wide" init -q -b main
  empty=$(git -C "$wide" hash-object -w --stdin </dev/null)
  tree=$(awk -v n="$files" -v id="$empty" \
    'BEGIN { for (i = 0; i < n; i++) printf "100644 blob %s\tempty-%07d\n", id, i }' |
    git -C "$wide" mktree)
  commit=$(GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com \
    GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com \
    git -C "$wide" commit-tree "$tree" -m "$files empty files")
  git -C "$wide" update-ref refs/heads/main "$commit"
  touch "$wide/.git/bench-complete"
fi

measure() {
  local label=$1 dir=$2
  shift 2
  local log
  log=$(mktemp)
  local code=0
  (cd "$dir" && NO_COLOR=1 /usr/bin/time -v "$hygiene" "$@" >"$log.out" 2>"$log") || code=$?
  local wall rss summary
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
  summary=$(grep -E '^(no findings|[0-9]+ finding)' "$log.out" "$log" | head -1 | sed 's/^[^:]*://')
  printf '%-34s exit %s  wall %s  peak RSS %s MiB\n    %s\n' "$label" "$code" "$wall" \
    "$((rss / 1024))" "$summary"
  rm -f "$log" "$log.out"
}

# Files full of keywords, just under the 10 MiB size limit: one line of a keyword repeated
# (every byte ends an occurrence), the same with a rule's whole assignment, and one line of
# the escape decoders' triggers.
dense="$work/hostile-dense"
if [ ! -f "$dense/.complete" ]; then
  mkdir -p "$dense/keyword" "$dense/assign" "$dense/escapes"
  python3 - "$dense" <<'PY'
import sys
d = sys.argv[1]
open(f"{d}/keyword/a.txt", "w").write("a" * (9 << 20))
open(f"{d}/assign/b.txt", "w").write("password=" * (1 << 20))
open(f"{d}/escapes/c.txt", "w").write("%3D:\\/\\/-----BEGIN " * 400000)
PY
  touch "$dense/.complete"
fi

echo "$("$hygiene" --version), checkout $(git -C "$root" rev-parse --short HEAD), $(nproc) CPUs"
measure "history, $commits commits" "$linear" scan . --history --no-deps
measure "history, $files empty files" "$wide" scan . --history --no-deps
measure "9 MiB line of one keyword" "$dense/keyword" scan . --no-deps
measure "9 MiB line of password=" "$dense/assign" scan . --no-deps
measure "8 MiB line of escape triggers" "$dense/escapes" scan . --no-deps
if [ "${WORKTREE:-1}" = 1 ]; then
  if [ ! -f "$wide/.git/bench-checked-out" ]; then
    echo "checking out $files files (once) ..." >&2
    git -C "$wide" checkout -q -f main
    touch "$wide/.git/bench-checked-out"
  fi
  measure "working tree, $files empty files" "$wide" scan . --no-deps
fi
