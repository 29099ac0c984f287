#!/usr/bin/env bash
# Times `hygiene scan --history` on a repository of 20,000+ commits of real source code, beside
# the working-tree scan of the same content, and the pre-push check for a one-commit push.
# Targets: history at least as fast per byte as the working-tree scan; pre-push under 100 ms.
#
# Usage: bench/history.sh [CORPUS_DIR] [COMMITS] [RUNS]
#   CORPUS_DIR  source files to replay (default: what bench/corpus.sh builds)
#   COMMITS     history length (default 20000)
#   RUNS        timed runs per measurement, after one warm-up (default 3; pre-push: 10x that)
# The repository is built once with `git fast-import` (bench/history_gen.py) and cached under
# bench/.work/history-COMMITS. Needs: cargo, git, python3.
#
# READERS="ours gix gix-lru" bench/history.sh ... also times `scan --history` once per object
# reader, in turns (RUNS each), and checks they report the same findings: `ours` is
# src/source/git/pack.rs (delta bases kept in its cache); `gix` and `gix-lru` read every object
# through gix's object database (HYGIENE_OBJECT_READER, see pack.rs), with gix's default delta
# cache (64 entries, 96 MiB) or, per reader, with an LRU delta cache of the whole budget our
# readers share (CACHE_BYTES in pack.rs, 24 MiB; HYGIENE_CACHE_MIB overrides it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work="$here/.work"
corpus=${1:-}
commits=${2:-20000}
runs=${3:-3}
if [ -z "$corpus" ]; then
  [ -x "$here/corpus.sh" ] || { echo "give CORPUS_DIR (bench/corpus.sh is not here)" >&2; exit 2; }
  corpus=$("$here/corpus.sh")
fi

(cd "$root" && cargo build --release --quiet)
hygiene="$root/target/release/hygiene"
repo="$work/history-$commits"

if [ ! -f "$repo/.git/bench-complete" ]; then
  echo "building a $commits-commit repository in $repo (once) ..." >&2
  rm -rf "$repo"
  mkdir -p "$repo"
  git -C "$repo" init -q -b main
  python3 "$here/history_gen.py" "$corpus" "$commits" | git -C "$repo" fast-import --quiet --done
  # What a clone from a forge or `git gc --aggressive` leaves: one pack with fresh deltas
  # (fast-import's own are poor), and a commit-graph.
  git -C "$repo" repack -adfq --window=10 --depth=50
  git -C "$repo" commit-graph write --reachable
  git -C "$repo" checkout -q -f main
  touch "$repo/.git/bench-complete"
fi
git -C "$repo" checkout -q -f main
git -C "$repo" branch -q -D bench-push 2>/dev/null || true

python3 - "$hygiene" "$repo" "$runs" "${READERS:-}" <<'PY'
import json, os, statistics, subprocess, sys, tempfile, time

hygiene, repo, runs, readers = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split()

def git(*args, stdin=None):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True,
                          text=True, input=stdin,
                          env={**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@e",
                               "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "b@e"}).stdout.strip()

def timed(args, stdin=None, n=runs):
    """Median wall seconds and user+sys CPU seconds over n runs after a warm-up."""
    subprocess.run(args, cwd=repo, input=stdin, capture_output=True, text=True)
    walls, cpus = [], []
    for _ in range(n):
        before = os.times()
        t = time.perf_counter()
        p = subprocess.run(args, cwd=repo, input=stdin, capture_output=True, text=True)
        walls.append(time.perf_counter() - t)
        after = os.times()
        cpus.append((after.children_user - before.children_user) + (after.children_system - before.children_system))
    return statistics.median(walls), statistics.median(cpus), p

out = tempfile.mktemp(suffix=".json")
ncommits = int(git("rev-list", "--count", "--all"))
pack = sum(os.path.getsize(os.path.join(repo, ".git/objects/pack", f))
           for f in os.listdir(os.path.join(repo, ".git/objects/pack")))
print(f"repository: {repo}")
print(f"            {ncommits} commits, pack {pack/1048576:.1f} MiB; {os.cpu_count()} CPUs, "
      f"load average {os.getloadavg()[0]:.1f}; median of {runs} runs after a warm-up")
print()
print(f"{'scan':<28} {'wall_s':>8} {'cpu_s':>8} {'files':>8} {'MiB':>8} {'files/s':>9} {'MiB/s':>8} {'MiB/cpu_s':>10}")
rows = {}
for name, args in [("history (--history)", [hygiene, "scan", "--history", ".", "-f", "json", "-o", out]),
                   ("working tree (HEAD)", [hygiene, "scan", ".", "-f", "json", "-o", out])]:
    wall, cpu, p = timed(args)
    s = json.load(open(out))["stats"]
    mib = s["bytes_scanned"] / 1048576
    rows[name] = (wall, cpu, mib)
    print(f"{name:<28} {wall:>8.2f} {cpu:>8.2f} {s['files_scanned']:>8} {mib:>8.1f} "
          f"{s['files_scanned']/wall:>9.0f} {mib/wall:>8.1f} {mib/cpu:>10.1f}")
h, w = rows["history (--history)"], rows["working tree (HEAD)"]
print(f"\nhistory vs working tree, per byte: {(h[2]/h[0])/(w[2]/w[0]):.2f}x the wall-clock MiB/s, "
      f"{(h[2]/h[1])/(w[2]/w[1]):.2f}x the MiB per CPU second")

if readers:
    def measured(reader):
        """Wall s, user+sys CPU s, peak RSS MiB and findings of one history scan."""
        env = {**os.environ, "HYGIENE_OBJECT_READER": reader}
        t = time.perf_counter()
        p = subprocess.Popen([hygiene, "scan", "--history", ".", "-f", "json", "-o", out],
                             cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        report = json.load(open(out))
        found = sorted(f["fingerprint"] for f in report["findings"])
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, found, report["stats"]
    print(f"\nobject readers, `scan --history` ({runs} runs each in turns after a warm-up; "
          f"HYGIENE_OBJECT_READER):")
    for r in readers:
        measured(r)
    samples = {r: [] for r in readers}
    for _ in range(runs):
        for r in readers:
            samples[r].append(measured(r))
    base = None
    print(f"  {'reader':<10} {'wall_s':>8} {'cpu_s':>8} {'MiB/s':>8} {'MiB/cpu_s':>10} {'RSS_MiB':>8}  findings")
    for r in readers:
        wall = statistics.median(x[0] for x in samples[r])
        cpu = statistics.median(x[1] for x in samples[r])
        rss = max(x[2] for x in samples[r])
        found, stats = samples[r][-1][3], samples[r][-1][4]
        base = base or found
        mib = stats["bytes_scanned"] / 1048576
        print(f"  {r:<10} {wall:>8.2f} {cpu:>8.2f} {mib/wall:>8.1f} {mib/cpu:>10.1f} {rss:>8.0f}  "
              f"{len(found)}{'' if found == base else ' (DIFFERENT from ' + readers[0] + ')'}")

# Pre-push for a one-commit push: origin/main is at main; one new commit on top.
old = git("rev-parse", "main")
git("update-ref", "refs/remotes/origin/main", old)
git("checkout", "-q", "-B", "bench-push", "main")
victim = git("ls-files").splitlines()[len(git("ls-files").splitlines()) // 2]
with open(os.path.join(repo, victim), "a") as f:
    f.write("\n// one more line\n")
git("commit", "-q", "-am", "one commit to push")
new = git("rev-parse", "HEAD")
zero = "0" * 40
print(f"\npre-push, one commit on top of {ncommits} ({runs * 10} runs):")
for name, line in [("update of an existing branch", f"refs/heads/main {new} refs/heads/main {old}\n"),
                   ("new branch (hide refs/remotes/*)", f"refs/heads/bench-push {new} refs/heads/bench-push {zero}\n"),
                   ("deletion", f"(delete) {zero} refs/heads/gone {old}\n")]:
    wall, cpu, p = timed([hygiene, "hook", "pre-push", "origin", "url"], stdin=line, n=runs * 10)
    print(f"  {name:<34} {wall*1000:>7.1f} ms wall {cpu*1000:>7.1f} ms cpu   [{p.stderr.strip().splitlines()[-1]}]")
git("checkout", "-q", "-f", "main")
git("branch", "-q", "-D", "bench-push")
git("update-ref", "-d", "refs/remotes/origin/main")
os.unlink(out)
PY
