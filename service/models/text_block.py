"""Features of a page's text blocks for the body classifiers (text and HTML).

Each block gets language-neutral features: length, sentence punctuation, function-word
share, digits and capitals, the boilerplate lexicon (14 kinds of furniture in several
languages), dates and bylines, and how often it repeats on its page. They are counted for
all the page's distinct blocks at once: the blocks joined by line breaks become one array
of code points (``chars``), and numpy counts each class of character, and of token, per
block; only the few blocks a cheap page-wide search leaves in doubt (a lexicon phrase, a
date's shape) are looked at one by one.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import count, repeat

import numpy as np

from . import chars
from .runtime import DATA_DIR
from .text_dates import date_flags

LEXICON_FILE = DATA_DIR / "boilerplate_lexicon.json"
STOPWORDS_FILE = DATA_DIR / "stopwords.json"

# Blocks of at least this many tokens that end a sentence count as "prose" for run finding.
PROSE_MIN_TOKENS = 12
# Run finding: reward per prose token (capped), penalty per non-prose block.
RUN_TOKEN_CAP = 80
RUN_NON_PROSE_PENALTY = 1.5
RUN_SHORT_PENALTY = 0.4
SHORT_TOKENS = 4
# Context offsets whose block features enter each block's vector.
CONTEXT_OFFSETS = (-3, -2, -1, 1, 2, 3)
WIDE_WINDOW = 6
CLIP_DISTANCE = 30
LEXICON_HEAD_WORDS = 30
LEXICON_HEAD_CHARS = 200

_TOKEN = re.compile(r"\w+")
_SENT_END_CHARS = frozenset(chars.SENTENCE_END_CHARS)
_SENT_END = re.compile(r"[.!?。！？…»\"”’)\]]\s*$")
_SENT_PUNCT = re.compile(r"[.!?。！？](?:\s|$)")
_URLISH = re.compile(r"https?://|www\.|\.(?:com|org|net)\b|@\w")
_SEPARATORS = re.compile(r"[|•·»›/>«‹]")
_BYLINE = re.compile(r"^(?:by|por|par|di|von|от|autor|author)\b\s*:?\s*\S", re.IGNORECASE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

LEXICON_KINDS = (
    "cookie", "newsletter", "share", "comments", "related", "promo", "navigation",
    "copyright", "caption", "byline", "donation", "feed", "media", "tags",
)
# Lexicon category -> Verdict kind of a dropped block.
KIND_OF_CATEGORY = {
    "cookie": "boilerplate", "newsletter": "newsletter", "share": "boilerplate",
    "comments": "boilerplate", "related": "related", "promo": "promo",
    "navigation": "navigation", "copyright": "boilerplate", "caption": "caption",
    "byline": "byline", "donation": "donation", "feed": "feed", "media": "promo",
    "tags": "navigation",
}

@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, tuple[tuple[int, str, str], ...]],
                        dict[str, tuple[tuple[str, str], ...]]]:
    """Lexicon as (first word -> (n-gram size, " n-gram ", kind)...,
    trigger character -> (punctuated phrase, kind)...).

    Indexing word n-grams by their first word costs one dict lookup per word of a block
    (most words start no n-gram), much cheaper than a regex alternation or a lookup per
    (position, size); phrases whose punctuation matters ("photo:", "©") are matched as
    substrings, only in blocks that contain the phrase's first non-word character.
    """
    raw = json.loads(LEXICON_FILE.read_text(encoding="utf-8"))
    grams: dict[str, str] = {}
    literal: dict[str, str] = {}
    for kind in LEXICON_KINDS:
        for phrase in raw[kind]:
            phrase = phrase.lower()
            words = _TOKEN.findall(phrase)
            if words and " ".join(words) == phrase:
                grams.setdefault(phrase, kind)
            else:
                literal.setdefault(phrase, kind)
    index: dict[str, list[tuple[int, str, str]]] = {}
    for gram, kind in grams.items():
        words = gram.split()
        # Padded with spaces, as _lexicon_kinds looks for it in the block's words.
        index.setdefault(words[0], []).append((len(words), f" {gram} ", kind))
    by_char: dict[str, list[tuple[str, str]]] = {}
    for phrase, kind in literal.items():
        trigger = next((c for c in phrase if not c.isalnum()), phrase[0])
        by_char.setdefault(trigger, []).append((phrase, kind))
    return ({w: tuple(c) for w, c in index.items()},
            {c: tuple(p) for c, p in by_char.items()})


def _lexicon_kinds(text: str, words: Sequence[str]) -> set[str]:
    index, by_char = _lexicon()
    found = set()
    for trigger, phrases in by_char.items():
        if trigger in text:
            found.update(kind for phrase, kind in phrases if phrase in text)
    # The words that start an n-gram, found in C (most blocks have none). A longer n-gram is
    # in the words when " n-gram " is in " words joined by spaces ": words hold no space,
    # so a match cannot start or end inside a word.
    if index.keys().isdisjoint(words):
        return found
    joined = None
    for word in index.keys() & words:
        for size, gram, kind in index[word]:
            if size > 1:
                joined = joined or f" {' '.join(words)} "
                if gram not in joined:
                    continue
            found.add(kind)
    return found


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(json.loads(STOPWORDS_FILE.read_text(encoding="utf-8")))



# ---------------------------------------------------------------------------
# Base features of the blocks of a page
# ---------------------------------------------------------------------------

BASE_NAMES = (
    "log_tokens", "log_chars", "ends_sentence", "ends_colon", "sent_punct_rate",
    "comma_rate", "digit_token_frac", "allcaps_token_frac", "capitalised_frac", "stop_frac",
    "avg_token_len", "urlish", "separator_rate", "log_repeats", "date_like", "byline_like",
    "cjk_frac", "short",
) + tuple(f"lex_{k}" for k in LEXICON_KINDS)
CONTEXT_BASE = ("log_tokens", "ends_sentence", "stop_frac", "lex_any")
BYLINE_MAX_TOKENS = 12
_ROW = {name: k for k, name in enumerate(BASE_NAMES)}
# The separator of the blocks in the joined text: white space, never inside a block (blocks
# come with their white space folded), and a non-word character to every pattern.
_JOIN = "\n"


@dataclass(frozen=True)
class BlockTable:
    """The base features of a page's blocks, one column per block, and what the page-level
    features read."""

    base: np.ndarray  # (len(BASE_NAMES), blocks)
    ntok: np.ndarray  # tokens (\w+ runs) per block
    prose: np.ndarray  # ends like a sentence and long enough
    lex_hits: list[tuple[str, ...]]  # lexicon kinds found at the head of each block
    norms: list[str]  # each block's lower-cased tokens joined by spaces

    def __len__(self) -> int:
        return len(self.ntok)


# math.log and math.log1p of the small integers (counts of a block's tokens, characters,
# repeats), looked up: numpy's logarithms may differ from Python's in the last bit.
_TABLED = 4096
_TABLES = {math.log: np.array([-math.inf] + [math.log(i) for i in range(1, _TABLED)]),
           math.log1p: np.array([math.log1p(i) for i in range(_TABLED)])}


def _each(function, values: np.ndarray) -> np.ndarray:
    """``function`` (math.log, math.log1p) of each non-negative integer in ``values``, as
    Python's math library gives it (the features were defined with it)."""
    values = np.asarray(values, dtype=np.intp)
    table = _TABLES[function]
    out = table[np.minimum(values, _TABLED - 1)]
    for k in np.flatnonzero(values >= _TABLED).tolist():
        out[k] = function(int(values[k]))
    return out


def block_table(blocks: Sequence[str]) -> BlockTable:
    """The base features of each block of a page (``BASE_NAMES``), its tokens, prose flag,
    lexicon kinds and normalised text."""
    distinct = list(dict.fromkeys(blocks))  # menus repeat: each distinct block once
    number = dict(zip(distinct, count()))
    which = list(map(number.__getitem__, blocks))  # each block's distinct block
    of = np.array(which, dtype=np.intp)
    base, ntok, prose, hits, norms = _distinct_features(distinct)
    norms = list(map(norms.__getitem__, which))
    counts = Counter(norms)  # log_repeats: how often the block's normalised text recurs
    repeats = np.fromiter(map(counts.__getitem__, norms), dtype=np.intp, count=len(norms))
    base = base[:, of]
    base[_ROW["log_repeats"]] = _each(math.log, repeats)
    return BlockTable(base, ntok[of], prose[of], list(map(hits.__getitem__, which)), norms)


def _distinct_features(blocks: list[str]) -> tuple:
    """(base rows, tokens, prose, lexicon kinds, normalised texts) of distinct blocks."""
    m = len(blocks)
    base = np.zeros((len(BASE_NAMES), m))
    if not m:
        return base, np.zeros(0, dtype=np.intp), np.zeros(0, bool), [], []
    page = chars.JoinedBlocks(blocks)
    ntok, tokens, counts = page.tokens(), page.token_counts(), page.char_counts()
    nchar = page.lengths
    per_tok = np.maximum(ntok, 1)
    lowered = _lowered(page)
    words = _Words(lowered)
    ends = page.ends_sentence(blocks)
    cjk = counts["cjk"] / np.maximum(nchar, 1)
    rows = base
    rows[0] = _each(math.log1p, ntok)
    rows[1] = _each(math.log1p, nchar)
    rows[2] = ends
    rows[3] = page.last_is(":")
    rows[4] = counts["sentence_punct"] / per_tok
    rows[5] = counts["comma"] / per_tok
    rows[6] = tokens["digit"] / per_tok
    rows[7] = tokens["upper"] / per_tok
    rows[8] = tokens["capital"] / np.maximum(tokens["alpha"], 1)
    rows[9] = words.stop_counts() / per_tok
    rows[10] = tokens["length"] / per_tok / 10.0
    rows[11] = _url_flags(page)
    rows[12] = counts["separator"] / per_tok
    rows[14] = date_flags(blocks, page, lowered, lowered.text.split(_JOIN))
    rows[15] = _byline_flags(blocks, page, ntok)
    rows[16] = cjk
    rows[17] = ntok <= SHORT_TOKENS
    hits = _lexicon_hits(lowered, words, rows)
    # CJK sentences are single \w+ runs: judge their length by characters instead.
    long_enough = (ntok >= PROSE_MIN_TOKENS) | ((cjk > 0.3) & (nchar >= 2 * PROSE_MIN_TOKENS))
    return base, ntok, (ends > 0) & long_enough, hits, words.norms


# The first letters of _BYLINE's words: a block can match it only when it starts with a
# character that matches one of them (as _BYLINE does: ignoring case).
_BYLINE_FIRST = re.compile(r"[bpdvоa]", re.IGNORECASE)


@lru_cache(maxsize=1)
def _byline_first() -> np.ndarray:
    """Whether each character of the basic plane can start a _BYLINE match."""
    out = np.zeros(chars.BASIC_PLANE, dtype=bool)
    plane = "".join(map(chr, range(chars.BASIC_PLANE)))  # character c at index c
    out[[m.start() for m in _BYLINE_FIRST.finditer(plane)]] = True
    return out


def _byline_flags(blocks: list[str], page: chars.JoinedBlocks, ntok: np.ndarray) -> np.ndarray:
    """Whether _BYLINE matches each short block (BYLINE_MAX_TOKENS tokens at most), tried
    only on those that start with a character it can start with."""
    out = np.zeros(len(blocks))
    if not page.text:
        return out
    short = (ntok <= BYLINE_MAX_TOKENS) & (page.lengths > 0)
    first = page.points.codes[np.minimum(page.starts, len(page.points.codes) - 1)]
    high = first >= chars.BASIC_PLANE
    short &= high | _byline_first()[np.where(high, 0, first)]
    for k in np.flatnonzero(short).tolist():
        out[k] = _BYLINE.match(blocks[k]) is not None
    return out


def _lowered(page: chars.JoinedBlocks) -> chars.JoinedBlocks:
    """The page lower-cased, as ``text.lower()`` of each block (lower-casing can change the
    length of a character, and split a token: the tokens are those of the lower-cased
    text)."""
    if not page.text.isascii():
        lower = page.lowered()
        if lower is None:
            lower = chars.JoinedBlocks(page.text.lower().split(_JOIN), like=page)
        return lower
    text = page.text.lower()
    # The same characters in the same classes but for their case: the page's code points
    # serve, with the lower-cased text (its normalised text is lower-cased in turn).
    lower = chars.JoinedBlocks.__new__(chars.JoinedBlocks)
    lower.__dict__.update(page.__dict__, text=text, shares_codes=True)
    return lower


class _Words:
    """The lower-cased tokens of a page's blocks, in order, with what the features ask of
    each: a function word, the first word of a lexicon n-gram."""

    def __init__(self, lowered: chars.JoinedBlocks) -> None:
        normalised = lowered.normalised()
        if getattr(lowered, "shares_codes", False):
            normalised = normalised.lower()
        self.norms = normalised.split(_JOIN)
        self.words = normalised.split()
        counts = lowered.tokens()
        self.bounds = np.concatenate([[0], np.cumsum(counts)])
        self.block = np.repeat(np.arange(len(counts)), counts)
        self.kinds = np.fromiter(map(_word_kinds().get, self.words, repeat(0)), dtype=np.int8,
                                 count=len(self.words))

    def stop_counts(self) -> np.ndarray:
        """How many of each block's words are function words."""
        running = np.concatenate([[0], np.cumsum(self.kinds & _STOP)])
        return running[self.bounds[1:]] - running[self.bounds[:-1]]

    def head(self, k: int) -> list[str]:
        start = self.bounds[k]
        return self.words[start : min(self.bounds[k + 1], start + LEXICON_HEAD_WORDS)]


_STOP, _GRAM_START = 1, 2


@lru_cache(maxsize=1)
def _word_kinds() -> dict[str, int]:
    """_STOP for a function word, _GRAM_START for the first word of a lexicon n-gram."""
    kinds = dict.fromkeys(_stopwords(), _STOP)
    for word in _lexicon()[0]:
        kinds[word] = kinds.get(word, 0) | _GRAM_START
    return kinds


def _url_flags(page: chars.JoinedBlocks) -> np.ndarray:
    """Whether ``_URLISH`` matches in each block, from its literals' occurrences."""
    found = []
    text = page.text
    for needle in ("http://", "https://", "www.", "@", ".com", ".org", ".net"):
        at = text.find(needle)
        while at >= 0:
            after = text[at + len(needle) : at + len(needle) + 1]
            word_after = after.isalnum() or after == "_"
            if word_after if needle == "@" else (not word_after or needle[0] != "."):
                found.append(at)
            at = text.find(needle, at + 1)
    out = np.zeros(len(page.lengths))
    out[page.block_of(found)] = 1.0
    return out


def _lexicon_hits(lowered: chars.JoinedBlocks, words: _Words, rows: np.ndarray) -> list[tuple]:
    """The lexicon kinds at the head of each block (and their rows set in ``rows``): its
    punctuated phrases within the first LEXICON_HEAD_CHARS characters, its word n-grams
    within the first LEXICON_HEAD_WORDS words."""
    index, by_char = _lexicon()
    found: dict[int, set[str]] = {}
    text, places, kinds = lowered.text, [], []
    for phrase, kind in (pair for group in by_char.values() for pair in group):
        at = text.find(phrase)
        while at >= 0:
            places.append(at + len(phrase))  # where it ends
            kinds.append(kind)
            at = text.find(phrase, at + 1)
    if places:
        ends = np.asarray(places)
        blocks = lowered.block_of(ends - 1)
        for k, kind, within in zip(blocks.tolist(), kinds,
                                   (ends - lowered.starts[blocks] <= LEXICON_HEAD_CHARS).tolist(),
                                   strict=True):
            if within:
                found.setdefault(k, set()).add(kind)
    starting = np.flatnonzero(words.kinds & _GRAM_START)
    starting = starting[starting - words.bounds[words.block[starting]] < LEXICON_HEAD_WORDS]
    heads: dict[int, str] = {}  # a block's head words joined, made once for all its n-grams
    for at, k in zip(starting.tolist(), words.block[starting].tolist(), strict=True):
        for size, gram, kind in index[words.words[at]]:
            if size > 1:
                joined = heads.get(k)
                if joined is None:
                    joined = heads[k] = f" {' '.join(words.head(k))} "
                if gram not in joined:
                    continue
            found.setdefault(k, set()).add(kind)
    hits: list[tuple] = [()] * len(lowered.lengths)
    for k, kinds in found.items():
        # In LEXICON_KINDS' order (one kind, the most common case, needs none).
        hits[k] = tuple(kinds) if len(kinds) == 1 else tuple(
            kind for kind in LEXICON_KINDS if kind in kinds)
        for kind in hits[k]:
            rows[_ROW["lex_" + kind], k] = 1.0
    return hits
