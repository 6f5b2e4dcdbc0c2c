"""A page's text as an array of code points, and the character classes the block features
count, looked up for all of its characters at once.

The classes are those Python's own string methods and regular expressions use (``\\w`` is
``str.isalnum()`` or ``_``, ``\\s`` is ``str.isspace()``, a token is upper-case when
``str.isupper()`` says so), read off Python's Unicode database once per process: a table
for the 65,536 characters of the basic plane, looked up by numpy; the few characters above
it that a page holds are looked up one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

# Bits of a character's class.
WORD = 1  # \w: a token character
DIGIT = 2  # str.isdigit()
UPPER = 4  # str.isupper() of the character
NOT_UPPER = 8  # a character that makes a string not upper-case: lower- or title-case
ALPHA = 16  # str.isalpha()
SPACE = 32  # \s, str.isspace()
CJK = 64  # in text_block._CJK's ranges
SEPARATOR = 128  # in text_block._SEPARATORS
SENTENCE_PUNCT = 256  # text_block._SENT_PUNCT's first character
SENTENCE_END = 512  # in text_block._SENT_END_CHARS
DECIMAL = 1024  # \d, str.isdecimal()
DATE_SEPARATOR = 2048  # a date's separator: / . : -
COMMA = 4096

_CJK_RANGES = ((0x3040, 0x30FF), (0x3400, 0x9FFF), (0xAC00, 0xD7AF))
SEPARATOR_CHARS = "|•·»›/>«‹"
SENTENCE_PUNCT_CHARS = ".!?。！？"
SENTENCE_END_CHARS = ".!?。！？…»\"”’)]"
BASIC_PLANE = 0x10000


def char_class(code: int) -> int:
    """The class bits of one character, from Python's string methods."""
    c = chr(code)
    bits = 0
    if c.isalnum() or c == "_":
        bits |= WORD
    if c.isdigit():
        bits |= DIGIT
    if c.isupper():
        bits |= UPPER
    # For one character, islower() is Unicode's Lowercase and istitle() is titlecase or
    # upper-case: either of the first two makes a token not upper-case.
    if c.islower() or (c.istitle() and not c.isupper()):
        bits |= NOT_UPPER
    if c.isalpha():
        bits |= ALPHA
    if c.isspace():
        bits |= SPACE
    if any(lo <= code <= hi for lo, hi in _CJK_RANGES):
        bits |= CJK
    if c in SEPARATOR_CHARS:
        bits |= SEPARATOR
    if c in SENTENCE_PUNCT_CHARS:
        bits |= SENTENCE_PUNCT
    if c in SENTENCE_END_CHARS:
        bits |= SENTENCE_END
    if c.isdecimal():
        bits |= DECIMAL
    if c in "/.:-":
        bits |= DATE_SEPARATOR
    if c == ",":
        bits |= COMMA
    return bits


@cache
def _table(size: int) -> np.ndarray:
    """The classes of the first ``size`` code points (lone surrogates: none)."""
    return np.fromiter(map(char_class, range(size)), dtype=np.uint16, count=size)


# _lower_table's mark of a character that Python lower-cases itself.
NOT_TABLED = 0xFFFFFFFF


@cache
def _lower_table() -> np.ndarray:
    """For each character of the basic plane, the code of its ``str.lower()``; NOT_TABLED
    when that is not one character of the same word class (``WORD``) whatever the context:
    a character that lowers to several (İ), by context (Σ), or into another class."""
    lower = np.arange(BASIC_PLANE, dtype=np.uint32)
    word = _table(BASIC_PLANE) & WORD
    for code in range(BASIC_PLANE):
        low = chr(code).lower()
        if low == chr(code):
            continue
        if len(low) != 1 or code == 0x3A3 or char_class(ord(low)) & WORD != word[code]:
            lower[code] = NOT_TABLED
        else:
            lower[code] = ord(low)
    return lower


@dataclass(frozen=True)
class CodePoints:
    """A text as code points, with the class bits of each."""

    codes: np.ndarray  # code point of each character
    classes: np.ndarray  # char_class of each character

    @classmethod
    def of(cls, text: str) -> CodePoints:
        if text.isascii():
            codes = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
            return cls(codes, _table(128)[codes])
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        if codes.max() < BASIC_PLANE:  # a non-ASCII text: not empty
            return cls(codes, _table(BASIC_PLANE)[codes])
        high = codes >= BASIC_PLANE
        classes = _table(BASIC_PLANE)[np.where(high, 0, codes)]
        if high.any():
            where = np.flatnonzero(high)
            classes[where] = [char_class(int(code)) for code in codes[where]]
        return cls(codes, classes)

    def has(self, bits: int) -> np.ndarray:
        """Whether each character is of the class ``bits``."""
        return (self.classes & bits) != 0


class JoinedBlocks:
    """A page's distinct blocks joined by line breaks, as code points with their classes,
    and the tokens (\\w+ runs) in it."""

    def __init__(self, blocks: Sequence[str], like: JoinedBlocks | None = None) -> None:
        """``like``: the same blocks in another case, whose layout is reused when their
        characters line up one to one."""
        self.text = "\n".join(blocks)
        self.points = CodePoints.of(self.text)
        self.word = self.points.has(WORD)
        if like is not None and len(like.text) == len(self.text) and np.array_equal(
                like.word, self.word):
            self.lengths, self.starts, self.ends = like.lengths, like.starts, like.ends
            self.first, self.end, self.token_block = like.first, like.end, like.token_block
            return
        self.lengths = np.fromiter(map(len, blocks), dtype=np.intp, count=len(blocks))
        self.starts = np.concatenate([[0], np.cumsum(self.lengths + 1)[:-1]])
        self.ends = self.starts + self.lengths
        # Where a token starts or ends: the word mask against itself one character on, padded
        # with non-word at both ends (np.diff's prepend and append, without its wrapper).
        padded = np.zeros(len(self.word) + 2, dtype=bool)
        padded[1:-1] = self.word
        edges = np.flatnonzero(padded[1:] != padded[:-1])
        self.first, self.end = edges[0::2], edges[1::2]  # token spans [first, end)
        self.token_block = self.block_of(self.first)

    def lowered(self) -> JoinedBlocks | None:
        """The blocks lower-cased (``str.lower()``) in the same layout, read off a table,
        when every character lowers to one of the same word class whatever its context
        (so the tokens stay where they are); else None (Python then lower-cases them)."""
        codes = self.points.codes
        if codes.dtype != np.uint32 or (len(codes) and codes.max() >= BASIC_PLANE):
            return None
        low = _lower_table()[codes]
        if low.max() == NOT_TABLED:
            return None
        out = JoinedBlocks.__new__(JoinedBlocks)
        out.__dict__.update(self.__dict__, text=low.tobytes().decode("utf-32-le", "surrogatepass"),
                            points=CodePoints(low, _table(BASIC_PLANE)[low]))
        return out

    def block_of(self, positions: Sequence[int] | np.ndarray) -> np.ndarray:
        return np.searchsorted(self.starts, np.asarray(positions, dtype=np.intp), "right") - 1

    def char_counts(self) -> dict[str, np.ndarray]:
        """Per block, its CJK characters, sentence punctuation before white space or the
        block's end (``_SENT_PUNCT``'s matches: the separator is white space), commas and
        separators: four counts in one sum over the characters of each block."""
        classes = self.points.classes
        space_next = np.append((classes[1:] & SPACE) != 0, True)
        fields = (((classes & CJK) != 0), ((classes & SENTENCE_PUNCT) != 0) & space_next,
                  ((classes & COMMA) != 0), ((classes & SEPARATOR) != 0))
        names = ("cjk", "sentence_punct", "comma", "separator")
        if not len(self.text) or self.lengths.max() >= 1 << 16:  # too long to pack
            running = [np.concatenate([[0], np.cumsum(f)]) for f in fields]
            return {name: r[self.ends] - r[self.starts] for name, r in zip(names, running,
                                                                              strict=True)}
        packed = np.zeros(len(classes), dtype=np.int64)
        for k, field in enumerate(fields):
            packed |= field.astype(np.int64) << (16 * k)
        sums = np.add.reduceat(packed, self.starts)  # a block and the separator after it
        return {name: (sums >> (16 * k)) & 0xFFFF for k, name in enumerate(names)}

    def _last(self) -> tuple[np.ndarray, np.ndarray]:
        """(the index of each block's last character, whether it has one)."""
        present = self.lengths > 0
        return np.where(present, self.ends - 1, 0), present

    def last_is(self, char: str) -> np.ndarray:
        last, present = self._last()
        return present & (self.points.codes[last] == ord(char))

    def ends_sentence(self, blocks: Sequence[str]) -> np.ndarray:
        """``text.rstrip()[-1:] in SENTENCE_END_CHARS`` for each block."""
        last, present = self._last()
        classes = self.points.classes[last]
        out = (present & ((classes & SENTENCE_END) != 0)).astype(np.float64)
        for k in np.flatnonzero(present & ((classes & SPACE) != 0)):
            out[k] = blocks[k].rstrip()[-1:] in SENTENCE_END_CHARS  # not folded: rare
        return out

    def find(self, needles: Sequence[str]) -> list[int]:
        """Where each of ``needles`` (none holds a line break) occurs in the text."""
        text, found = self.text, []
        for needle in needles:
            at = text.find(needle)
            while at >= 0:
                found.append(at)
                at = text.find(needle, at + 1)
        return found

    def tokens(self) -> np.ndarray:
        """Tokens per block."""
        return np.bincount(self.token_block, minlength=len(self.lengths))

    def token_counts(self) -> dict[str, np.ndarray]:
        """Per block, the tokens that are all digits (str.isdigit), upper-case
        (str.isupper), start with a letter, start with a capital, and their total length."""
        classes, first, end = self.points.classes, self.first, self.end
        # Per token, how many of its characters are no digit, lower- or title-case, upper-
        # case: three counts in one sum over each token's characters and the non-word ones
        # after it (which count for none).
        word = self.word
        packed = (((classes & DIGIT) == 0) & word).astype(np.int64)
        packed |= (((classes & NOT_UPPER) != 0) & word).astype(np.int64) << 21
        packed |= (((classes & UPPER) != 0) & word).astype(np.int64) << 42
        if not len(first) or (end - first).max() >= 1 << 21:  # a token too long to pack
            return self._unpacked_counts()
        sums = np.add.reduceat(packed, first)
        mask = (1 << 21) - 1
        head = classes[first]
        alpha = (head & ALPHA) != 0
        return self._per_token_block({
            "digit": (sums & mask) == 0,
            "upper": ((sums >> 21) & mask == 0) & ((sums >> 42) > 0),
            "alpha": alpha,
            "capital": alpha & ((head & UPPER) != 0),
            "length": end - first,
        })

    def _unpacked_counts(self) -> dict[str, np.ndarray]:
        classes, first, end = self.points.classes, self.first, self.end

        def inside(mask: np.ndarray) -> np.ndarray:  # per token: characters of the class
            running = np.concatenate([[0], np.cumsum(mask)])
            return running[end] - running[first]

        head = classes[first]
        alpha = (head & ALPHA) != 0
        return self._per_token_block({
            "digit": inside((classes & DIGIT) == 0) == 0,
            "upper": (inside((classes & NOT_UPPER) != 0) == 0) & (
                inside((classes & UPPER) != 0) > 0),
            "alpha": alpha,
            "capital": alpha & ((head & UPPER) != 0),
            "length": end - first,
        })

    def _per_token_block(self, per_token: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        n = len(self.lengths)
        return {name: np.bincount(self.token_block, values, n)
                for name, values in per_token.items()}

    def normalised(self) -> str:
        """The blocks' tokens joined by single spaces, the blocks by line breaks: each
        block's ``" ".join(re.findall(r"\\w+", block))``, for all of them at once."""
        codes, end = self.points.codes, self.end
        keep = self.word | (codes == 10)
        out = codes.copy()
        # One space after each token that another token of its block follows.
        joins = end[:-1][self.token_block[1:] == self.token_block[:-1]]
        keep[joins] = True
        out[joins] = 32
        out = out[keep]
        if out.dtype == np.uint8:
            return out.tobytes().decode("ascii")
        return out.tobytes().decode("utf-32-le", "surrogatepass")
