#!/usr/bin/env python3
"""Recall and precision of `hygiene scan`, by line, on the credential-file corpus fixtures/credfiles.

The corpus (written by bench/credfiles-corpus.py) holds credential files as FTP clients, database
tools, mail/VPN clients, OSes and password managers, package managers, cloud CLIs, CI tools and
web frameworks write them, plus clean look-alikes. Two files describe it:

  truth.tsv  path<TAB>line<TAB>family<TAB>encoding   every secret (line where its value starts)
  files.tsv  path<TAB>family<TAB>clean|secret         every corpus file and its format's family

A finding counts where it starts: (path, line). A truth line some finding starts on is found; a
finding on any other line is a false alarm, charged to the family of its file. Findings by path
(`sensitive-file-*`, always line 1) are not part of the line score: they are listed apart.
The scorer also counts the findings in clean files that would fail a scan at default settings
(a finding fails by default when its confidence is not `low`).

Usage: bench/credfiles.py [--bin PATH] [--corpus DIR] [--min-confidence LEVEL] [--brief]
Bar: recall >= 0.95 and precision >= 0.98 (exit 1 below it, 2 on a run error).
"""
import argparse, json, os, subprocess, sys

FAMILIES = ('ftp', 'database', 'messaging', 'os', 'packages', 'cloud', 'ci', 'framework')
RECALL_BAR, PRECISION_BAR = 0.95, 0.98
META = ('truth.tsv', 'files.tsv')

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
ap.add_argument('--bin', default=None, help='hygiene binary (default: build target/release/hygiene)')
ap.add_argument('--corpus', default=os.path.join(root, 'fixtures', 'credfiles'))
ap.add_argument('--min-confidence', default='low')
ap.add_argument('--brief', action='store_true', help='summary only: no per-line lists')
args = ap.parse_args()
binary = args.bin
if binary is None:
    subprocess.run(['cargo', 'build', '--release', '--quiet'], cwd=root, check=True)
    binary = os.path.join(root, 'target', 'release', 'hygiene')


def rows(name):
    with open(os.path.join(args.corpus, name), encoding='utf-8') as fh:
        for line in fh:
            if line.startswith('#') or not line.strip():
                continue
            yield line.rstrip('\n').split('\t')


truth = {}                      # (path, line) -> (family, encoding)
for path, lineno, family, enc in rows('truth.tsv'):
    truth[(path, int(lineno))] = (family, enc)
files = {}                      # path -> (family, clean|secret)
for path, family, kind in rows('files.tsv'):
    files[path] = (family, kind)
bad = [p for p, _ in truth if p not in files]
if bad:
    sys.exit(f'truth.tsv names files missing from files.tsv: {bad[:5]}')

# --no-deps: the corpus holds lockfiles as look-alikes (integrity hashes); their advisories are not scored.
run = subprocess.run([binary, 'scan', args.corpus, '--no-deps', '--format', 'json', '--min-confidence', args.min_confidence],
                     capture_output=True, text=True)
if run.returncode not in (0, 1):
    print(f'hygiene failed ({run.returncode}): {run.stderr}', file=sys.stderr)
    sys.exit(2)
report = json.loads(run.stdout)

corpus_abs = os.path.abspath(args.corpus)


def rel(p):
    """Finding paths relative to the corpus, whatever form the report gives them in."""
    if os.path.isabs(p):
        p = os.path.relpath(p, corpus_abs)
    else:
        for prefix in (args.corpus.rstrip('/') + '/', os.path.relpath(corpus_abs).rstrip('/') + '/'):
            if p.startswith(prefix) and p[len(prefix):] in files:
                p = p[len(prefix):]
                break
    return p.replace(os.sep, '/')


found, by_line, sensitive, meta, all_findings = set(), {}, [], [], []
for f in report['findings']:
    if f.get('kind') == 'hygiene':  # practice findings (a readable secrets file) are not secrets
        continue
    path = rel(f['path'])
    all_findings.append((path, f))
    if path in META:
        meta.append(f)
        continue
    if f['rule_id'].startswith('sensitive-file-'):
        sensitive.append((path, f))
        continue
    key = (path, f['line'])
    found.add(key)
    by_line.setdefault(key, []).append(f"{f['rule_id']}({f.get('confidence', '?')})")


def text(path, line):
    try:
        with open(os.path.join(args.corpus, path), encoding='utf-8', errors='replace', newline='') as fh:
            return fh.read().split('\n')[line - 1].strip().lstrip('\ufeff')[:110]
    except (OSError, IndexError):
        return ''


def fam_of(path):
    return files.get(path, ('?', '?'))[0]


tp = found & truth.keys()
misses = sorted(truth.keys() - found)
false_alarms = sorted(found - truth.keys())
ratio = lambda a, b: a / b if b else 1.0
recall = ratio(len(tp), len(truth))
precision = ratio(len(tp), len(found))

n_clean = sum(1 for _, k in files.values() if k == 'clean')
print(f'corpus: {args.corpus} ({len(files)} files: {len(files) - n_clean} with secrets, {n_clean} clean; '
      f'{len(truth)} secret lines)')
print(f'findings on {len(found)} lines: {len(tp)} true, {len(false_alarms)} false alarms, {len(misses)} secret lines missed')
print(f'recall    {recall:.3f}  (bar {RECALL_BAR:.2f})')
print(f'precision {precision:.3f}  (bar {PRECISION_BAR:.2f})')

print('\nby family      secrets  found  recall   alarms  precision')
for fam in FAMILIES + tuple(sorted({fam_of(p) for p, _ in false_alarms} - set(FAMILIES))):
    t = [k for k, v in truth.items() if v[0] == fam]
    hit = sum(1 for k in t if k in found)
    fa = sum(1 for p, _ in false_alarms if fam_of(p) == fam)
    print(f'  {fam:12} {len(t):7} {hit:6}  {ratio(hit, len(t)):.3f}  {fa:7}  {ratio(hit, hit + fa):.3f}')

print('\nby encoding    secrets  found  recall')
for enc in ('-', 'base64', 'percent', 'json-escape'):
    t = [k for k, v in truth.items() if v[1] == enc]
    hit = sum(1 for k in t if k in found)
    print(f'  {enc:12} {len(t):7} {hit:6}  {ratio(hit, len(t)):.3f}')

# What a default scan (no --min-confidence) would fail on in files that hold no credential.
clean_fail = [(p, f) for p, f in all_findings
              if p in files and files[p][1] == 'clean' and f.get('confidence', 'low') != 'low']
clean_fail_files = {p for p, _ in clean_fail}
path_only = sum(1 for _, f in clean_fail if f['rule_id'].startswith('sensitive-file-'))
print(f'\nclean files: {len(clean_fail)} findings at confidence medium/high (would fail a default scan) '
      f'in {len(clean_fail_files)} of {n_clean} clean files ({path_only} of them path-only)')

if not args.brief:
    rules = {}
    for key in tp:
        for r in by_line[key]:
            rules[r] = rules.get(r, 0) + 1
    if rules:
        print('\ntrue findings by rule:')
        for r, n in sorted(rules.items(), key=lambda x: (-x[1], x[0])):
            print(f'  {n:4}  {r}')
    if misses:
        print('\nmissed:')
        for p, l in misses:
            fam, enc = truth[(p, l)]
            e = '' if enc == '-' else f' {enc}'
            print(f'  [{fam}{e}] {p}:{l}: {text(p, l)}')
    if false_alarms:
        print('\nfalse alarms:')
        for p, l in false_alarms:
            kind = files.get(p, ('?', '?'))[1]
            print(f'  [{fam_of(p)}, {kind} file] {p}:{l} [{",".join(by_line[(p, l)])}]: {text(p, l)}')
    if clean_fail:
        print('\nclean-file findings that fail a default scan:')
        for p, f in sorted(clean_fail, key=lambda x: (x[0], x[1]['line'])):
            print(f'  {p}:{f["line"]} {f["rule_id"]} ({f["confidence"]}): {text(p, f["line"])}')
    print(f'\nsensitive files by path ({len(sensitive)}, not in the line score):')
    for p, f in sensitive:
        print(f'  {p}  {f["rule_id"]} ({f["confidence"]}) [{files.get(p, ("?", "?"))[1]} file]')
    if meta:
        print(f'\nfindings in {"/".join(META)} (ignored): {len(meta)}')

ok = recall >= RECALL_BAR and precision >= PRECISION_BAR
print('\nPASS' if ok else '\nFAIL: below the bar')
sys.exit(0 if ok else 1)
