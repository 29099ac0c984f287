#!/usr/bin/env python3
"""Handmade pack_reader seeds (`u32 LE index length ++ index ++ pack`): REF_DELTA cycles (an
entry its own base, two entries each other's), an OFS_DELTA its own base, an entry and a delta
that claim huge sizes, a delta copying past its base. Usage: make_packs.py OUT_DIR"""
import hashlib, os, struct, sys, zlib

out = sys.argv[1]


def header(kind, size):
    b = [(kind << 4) | (size & 15)]
    size >>= 4
    while size:
        b[-1] |= 0x80
        b.append(size & 0x7F)
        size >>= 7
    return bytes(b)


def varint(n):
    b = []
    while True:
        b.append(n & 0x7F)
        n >>= 7
        if not n:
            return bytes(b)
        b[-1] |= 0x80


def ofs(d):
    b = [d & 0x7F]
    d >>= 7
    while d:
        d -= 1
        b.insert(0, 0x80 | (d & 0x7F))
        d >>= 7
    return bytes(b)


def build(name, entries):
    """entries: (id, the entry's bytes) in pack order."""
    body, offsets = b"", []
    for _, raw in entries:
        offsets.append(12 + len(body))
        body += raw
    pack = b"PACK" + struct.pack(">II", 2, len(entries)) + body
    pack += hashlib.sha1(pack).digest()
    order = sorted(range(len(entries)), key=lambda i: entries[i][0])
    fan = [0] * 256
    for i in order:
        for b in range(entries[i][0][0], 256):
            fan[b] += 1
    idx = b"\377tOc" + struct.pack(">I", 2) + b"".join(struct.pack(">I", f) for f in fan)
    idx += b"".join(entries[i][0] for i in order)
    idx += b"".join(struct.pack(">I", 0) for _ in order)
    idx += b"".join(struct.pack(">I", offsets[i]) for i in order)
    idx += pack[-20:]
    idx += hashlib.sha1(idx).digest()
    with open(os.path.join(out, name), "wb") as f:
        f.write(struct.pack("<I", len(idx)) + idx + pack)


blob = b"hello world\n"
bid = hashlib.sha1(b"blob %d\0" % len(blob) + blob).digest()
delta = varint(len(blob)) + varint(6) + bytes([0x90, 6])
x, y = bytes([0x11] * 20), bytes([0x22] * 20)
plain = header(3, len(blob)) + zlib.compress(blob)
build("blob", [(bid, plain)])
build("refdelta-self", [(x, header(7, len(delta)) + x + zlib.compress(delta))])
build(
    "refdelta-pair",
    [
        (x, header(7, len(delta)) + y + zlib.compress(delta)),
        (y, header(7, len(delta)) + x + zlib.compress(delta)),
    ],
)
build("ofsdelta-self", [(x, header(6, len(delta)) + ofs(0) + zlib.compress(delta))])
build("blob-huge-size", [(bid, header(3, 1 << 40) + zlib.compress(blob))])
huge = varint(len(blob)) + varint(1 << 60) + bytes([0x90, 6])
build("delta-huge-result", [(bid, plain), (x, header(6, len(huge)) + ofs(len(plain)) + zlib.compress(huge))])
past = varint(len(blob)) + varint(16) + bytes([0x91, 8, 16])
build("delta-copy-past-base", [(bid, plain), (x, header(6, len(past)) + ofs(len(plain)) + zlib.compress(past))])
