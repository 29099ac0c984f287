#!/usr/bin/env python3
"""Writes a `git fast-import` stream of a long history of real source code to stdout.

The history replays how code gets written: each commit grows one to three files by their next
chunk of real lines (10-80) taken from the corpus, now and then starting a new file, so every
file goes through many successive versions, as in a real project. Deterministic for a given
corpus and arguments.

Usage: history_gen.py CORPUS_DIR COMMITS > stream
"""
import os
import random
import sys


def source_files(corpus):
    """Rust files of 2-64 KiB under CORPUS, sorted, as (repo path, bytes)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".rs"):
                continue
            path = os.path.join(dirpath, name)
            try:
                size = os.path.getsize(path)
            except OSError:
                continue
            if 2048 <= size <= 65536:
                found.append(path)
    return found


def main():
    corpus, commits = sys.argv[1], int(sys.argv[2])
    rng = random.Random(20000)
    files = source_files(corpus)
    rng.shuffle(files)
    out = sys.stdout.buffer
    active = []  # [repo path, lines, emitted]
    next_file = 0
    t = 1_600_000_000

    def start_file():
        nonlocal next_file
        while next_file < len(files):
            src = files[next_file]
            next_file += 1
            with open(src, "rb") as f:
                lines = f.read().splitlines(keepends=True)
            if lines:
                rel = os.path.relpath(src, corpus).replace(os.sep, "/")
                active.append([rel, lines, 0])
                return True
        return False

    for _ in range(8):
        start_file()
    for i in range(commits):
        if rng.random() < 0.3 or len(active) < 4:
            start_file()
        touched = rng.sample(active, min(len(active), rng.choice((1, 1, 2, 3))))
        ops = []
        for entry in touched:
            rel, lines, emitted = entry
            emitted = min(len(lines), emitted + rng.randint(10, 80))
            entry[2] = emitted
            ops.append((rel, b"".join(lines[:emitted])))
            if emitted >= len(lines):
                active.remove(entry)
        t += 60
        msg = f"step {i}: {', '.join(os.path.basename(r) for r, _ in ops)}\n".encode()
        out.write(b"commit refs/heads/main\n")
        out.write(b"mark :%d\n" % (i + 1))
        out.write(b"author Bench Author <bench@example.com> %d +0000\n" % t)
        out.write(b"committer Bench Author <bench@example.com> %d +0000\n" % t)
        out.write(b"data %d\n%s" % (len(msg), msg))
        if i > 0:
            out.write(b"from :%d\n" % i)
        for rel, data in ops:
            out.write(b"M 100644 inline %s\ndata %d\n" % (rel.encode(), len(data)))
            out.write(data)
            out.write(b"\n")
        out.write(b"\n")
    out.write(b"done\n")


if __name__ == "__main__":
    main()
