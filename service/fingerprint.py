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
    votes = [0] * BITS
    for gram in grams:
        value = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "big")
        for bit in range(BITS):
            votes[bit] += 1 if value >> bit & 1 else -1
    result = sum(1 << bit for bit in range(BITS) if votes[bit] > 0)
    return f"{result:016x}"


def hamming(a: str, b: str) -> int:
    """Bits that differ between two fingerprints."""
    return bin(int(a, 16) ^ int(b, 16)).count("1")
