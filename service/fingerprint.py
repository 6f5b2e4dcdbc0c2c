"""A 64-bit simhash of an article body, for near-duplicate detection across copies.

Shingles of three lower-cased word tokens are hashed and voted bit by bit, so copies of
one article that differ only in layout, quotes or wrapping get the same fingerprint and
small edits move it by a few bits.
"""

from __future__ import annotations

import hashlib
import re

_TOKEN = re.compile(r"\w+")
SHINGLE = 3
BITS = 64


def simhash(text: str) -> str:
    """16 hex digits; all zeros for an empty body."""
    tokens = [t.lower() for t in _TOKEN.findall(text)]
    if not tokens:
        return "0" * (BITS // 4)
    grams = [" ".join(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1))]
    hashes = {gram: _hash(gram) for gram in set(grams)}
    # Count the 1s in each bit position column-wise, in C: one 64-character binary string
    # per shingle, transposed by zip.
    rows = [hashes[gram] for gram in grams]
    half = len(rows) / 2
    result = 0
    for bit, column in enumerate(zip(*rows, strict=True)):
        if column.count("1") > half:
            result |= 1 << (BITS - 1 - bit)
    return f"{result:016x}"


def _hash(gram: str) -> str:
    value = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "big")
    return format(value, "064b")


def hamming(a: str, b: str) -> int:
    """Bits that differ between two fingerprints."""
    return bin(int(a, 16) ^ int(b, 16)).count("1")
