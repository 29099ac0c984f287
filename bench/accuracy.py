#!/usr/bin/env python3
"""Recall and precision of `hygiene scan`, by line, on the labelled corpus in fixtures/accuracy.

A finding counts where it starts: (path, line). A line of truth.tsv that some finding starts on
is found; a finding on a line not in truth.tsv is a false alarm. Findings by path
(`sensitive-file-*`, always line 1) are not part of the line score: they are listed apart.

Usage: bench/accuracy.py [--bin PATH] [--corpus DIR] [--min-confidence LEVEL]
Bar: recall >= 0.90 and precision >= 0.95 (tests/accuracy.rs asserts the same).
"""
import argparse, json, os, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
ap = argparse.ArgumentParser()
ap.add_argument('--bin', default=None, help='hygiene binary (default: build target/release/hygiene)')
ap.add_argument('--corpus', default=os.path.join(root, 'fixtures', 'accuracy'))
ap.add_argument('--min-confidence', default='low')
args = ap.parse_args()
binary = args.bin
if binary is None:
    subprocess.run(['cargo', 'build', '--release', '--quiet'], cwd=root, check=True)
    binary = os.path.join(root, 'target', 'release', 'hygiene')

truth = set()
with open(os.path.join(args.corpus, 'truth.tsv')) as fh:
    for line in fh:
        if line.startswith('#') or not line.strip():
            continue
        path, lineno = line.rstrip('\n').split('\t')
        truth.add((path, int(lineno)))

run = subprocess.run([binary, 'scan', args.corpus, '--format', 'json', '--min-confidence', args.min_confidence],
                     capture_output=True, text=True)
if run.returncode not in (0, 1):
    sys.exit(f'hygiene failed ({run.returncode}): {run.stderr}')
report = json.loads(run.stdout)
found, by_line, sensitive = set(), {}, []
for f in report['findings']:
    if f.get('kind') == 'hygiene':  # practice findings (a readable secrets file) are not secrets
        continue
    if f['rule_id'].startswith('sensitive-file-'):
        sensitive.append(f)
        continue
    key = (f['path'], f['line'])
    found.add(key)
    by_line.setdefault(key, []).append(f['rule_id'])

def text(path, line):
    try:
        with open(os.path.join(args.corpus, path), encoding='utf-8', errors='replace') as fh:
            return fh.read().split('\n')[line - 1].strip()[:110]
    except (OSError, IndexError):
        return ''

tp = found & truth
misses = sorted(truth - found)
false_alarms = sorted(found - truth)
recall = len(tp) / len(truth) if truth else 1.0
precision = len(tp) / len(found) if found else 1.0
files = sum(1 for d, _, fs in os.walk(args.corpus) for x in fs if x != 'truth.tsv')
print(f'corpus: {args.corpus} ({files} files, {len(truth)} secret lines)')
print(f'findings on {len(found)} lines: {len(tp)} true, {len(false_alarms)} false alarms, {len(misses)} secret lines missed')
print(f'recall    {recall:.3f}  (bar 0.90)')
print(f'precision {precision:.3f}  (bar 0.95)')
rules = {}
for key in tp:
    for r in by_line[key]:
        rules[r] = rules.get(r, 0) + 1
print('\ntrue findings by rule:')
for r, n in sorted(rules.items(), key=lambda x: (-x[1], x[0])):
    print(f'  {n:4}  {r}')
if misses:
    print('\nmissed:')
    for p, l in misses:
        print(f'  {p}:{l}: {text(p, l)}')
if false_alarms:
    print('\nfalse alarms:')
    for p, l in false_alarms:
        print(f'  {p}:{l} [{",".join(by_line[(p, l)])}]: {text(p, l)}')
print(f'\nsensitive files by path ({len(sensitive)}, not in the line score):')
for f in sensitive:
    print(f'  {f["path"]}  {f["rule_id"]} ({f["confidence"]})')
ok = recall >= 0.90 and precision >= 0.95
print('\nPASS' if ok else '\nFAIL: below the bar')
sys.exit(0 if ok else 1)
