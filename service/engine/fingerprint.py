"""A 64-bit simhash of an article body, for near-duplicate detection across copies.

Shingles of three lower-cased word tokens are hashed and voted bit by bit, so copies of
one article that differ only in layout, quotes or wrapping get the same fingerprint and
small edits move it by a few bits.
"""

from __future__ import annotations

import re
from hashlib import blake2b

import numpy as np

_TOKEN = re.compile(r"\w+")
SHINGLE = 3
BITS = 64
# A fresh hash of the fingerprint's size: copying it is cheaper than making one with the
# digest size set (the digest itself, one compression per shingle, is most of the time).
_EMPTY_HASH = blake2b(digest_size=BITS // 8)


def simhash(text: str) -> str:
    """16 hex digits; all zeros for an empty body."""
    # Lower-casing the tokens joined by spaces gives the same words as lower-casing each
    # (a space is neither cased nor case-ignorable, so even a final sigma sees the same
    # context), in one call; the shingles are then joined and hashed as bytes.
    words = " ".join(_TOKEN.findall(text)).lower().encode().split(b" ")
    if words == [b""]:
        return "0" * (BITS // 4)
    if len(words) < SHINGLE:
        grams = [b" ".join(words)]  # a body shorter than a shingle is one shingle
    else:
        grams = map(b" ".join, zip(*(words[i:] for i in range(SHINGLE)), strict=False))
    # The 8-byte big-endian digests, one per shingle (repeats vote again), as rows of bits:
    # a bit is set in the fingerprint when more than half the rows have it.
    digests: list[bytes] = []
    add, fresh = digests.append, _EMPTY_HASH.copy
    for gram in grams:
        h = fresh()
        h.update(gram)
        add(h.digest())
    bits = np.unpackbits(np.frombuffer(b"".join(digests), dtype=np.uint8))
    votes = bits.reshape(-1, BITS).sum(axis=0) > len(digests) / 2
    return np.packbits(votes).tobytes().hex()


def hamming(a: str, b: str) -> int:
    """Bits that differ between two fingerprints."""
    return bin(int(a, 16) ^ int(b, 16)).count("1")
