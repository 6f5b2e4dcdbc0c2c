"""A 64-bit simhash of an article body, for near-duplicate detection across copies.

Shingles of three lower-cased word tokens are hashed and voted bit by bit, so copies of
one article that differ only in layout, quotes or wrapping get the same fingerprint and
small edits move it by a few bits.
"""

from __future__ import annotations

import re
from hashlib import blake2b

_TOKEN = re.compile(r"\w+")
SHINGLE = 3
BITS = 64
# _BIT_OF[k] maps a byte to 1 where its bit k (0 = most significant) is set, else to 0.
_BIT_OF = [bytes((value >> (7 - k)) & 1 for value in range(256)) for k in range(8)]


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
        grams = list(map(b" ".join, zip(*(words[i:] for i in range(SHINGLE)), strict=False)))
    # Vote in C: the 8-byte big-endian digests, one per shingle (repeats vote again), are
    # concatenated; bit k of byte j of every digest is counted by slicing out byte j of
    # each and mapping it to 0/1 by translate.
    digests = b"".join([blake2b(gram, digest_size=8).digest() for gram in grams])
    half = len(grams) / 2
    result = 0
    for j in range(8):
        column = digests[j::8]
        for k in range(8):
            if column.translate(_BIT_OF[k]).count(1) > half:
                result |= 1 << (BITS - 1 - (8 * j + k))
    return f"{result:016x}"


def hamming(a: str, b: str) -> int:
    """Bits that differ between two fingerprints."""
    return bin(int(a, 16) ^ int(b, 16)).count("1")
