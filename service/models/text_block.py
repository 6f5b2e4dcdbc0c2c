"""Features of one text block for the body classifiers (text and HTML).

Each distinct block gets language-neutral features: length, sentence punctuation,
function-word share, digits and capitals, the boilerplate lexicon (14 kinds of furniture
in several languages), dates and bylines, and how often it repeats on its page. Short
blocks recur across a site's pages (menus, share bars), so their features are cached.
"""

from __future__ import annotations

import json
import math
import re
import string
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from .runtime import DATA_DIR

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
_SENT_END_CHARS = frozenset(".!?。！？…»\"”’)]")
_SENT_END = re.compile(r"[.!?。！？…»\"”’)\]]\s*$")
_SENT_PUNCT = re.compile(r"[.!?。！？](?:\s|$)")
_URLISH = re.compile(r"https?://|www\.|\.(?:com|org|net)\b|@\w")
_SEPARATORS = re.compile(r"[|•·»›/>«‹]")
_FIRST_CHAR = itemgetter(0)
_ASCII_LETTERS = string.ascii_letters.encode("ascii")
_ASCII_UPPERCASE = string.ascii_uppercase.encode("ascii")
_DATE = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}"
    r"|\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4}"
    r"|(?:updated|published|posted)\b)",
    re.IGNORECASE,
)
# _DATE tries all its alternatives at every position of a block (some 30 ns a character):
# _date_like runs it only on the few blocks that these cheaper searches leave in doubt.
# Every digit alternative holds a digit followed by a date separator and a digit, or four
# digits in a row.
_DATE_SHAPE = re.compile(r"\d(?:[/.:-]\d|\d\d\d)")
# The alternatives of _DATE that start with a digit. Written to start with \d, so that a
# search skips to the digits; (?<!\w\d) after the first digit is the \b before it.
_DATE_BY_DIGIT = re.compile(
    r"\d(?<!\w\d)(?:\d?[/.-]\d{1,2}[/.-]\d{2,4}|\d{3}-\d{2}-\d{2}|\d?:\d{2}"
    r"|\d? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4})",
    re.IGNORECASE,
)
# The month alternative ends with a day and a year.
_DAY_YEAR = re.compile(r"\d,? \d{4}")
_DATE_WORDS = ("updated", "published", "posted")
_DATE_WORDS_ANYCASE = re.compile("|".join(_DATE_WORDS), re.IGNORECASE)
# Under re.IGNORECASE the date words' letters match their two ASCII cases, and these.
_DATE_WORD_ODD_LETTERS = ("İ", "ı", "ſ")
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
# Per-block base features
# ---------------------------------------------------------------------------

BASE_NAMES = (
    "log_tokens", "log_chars", "ends_sentence", "ends_colon", "sent_punct_rate",
    "comma_rate", "digit_token_frac", "allcaps_token_frac", "capitalised_frac", "stop_frac",
    "avg_token_len", "urlish", "separator_rate", "log_repeats", "date_like", "byline_like",
    "cjk_frac", "short",
) + tuple(f"lex_{k}" for k in LEXICON_KINDS)
CONTEXT_BASE = ("log_tokens", "ends_sentence", "stop_frac", "lex_any")
# The lexicon flags of the many blocks without a lexicon hit.
_NO_LEXICON_HITS = (0.0,) * len(LEXICON_KINDS)


class BlockInfo(NamedTuple):
    """A block's base features (``BASE_NAMES``) and what the page-level features read.
    Immutable (and cheaper to make than a frozen dataclass): the features of a block are
    shared by every page it recurs on (see ``_block_features``)."""

    text: str
    ntok: int
    base: tuple[float, ...]
    prose: bool
    lex_hits: tuple[str, ...]


def _token_counts(toks: list[str]) -> tuple[int, int, int, int, int]:
    """(digit, all-caps, alphabetic, capitalised alphabetic tokens, total token length).

    This runs for every distinct block of every page: str methods mapped over the tokens
    and over their first characters count in C instead of a loop per token.
    """
    firsts = "".join(map(_FIRST_CHAR, toks))
    if firsts.isascii():
        # ASCII letters and upper-case letters are fixed sets of bytes: deleting them
        # counts them in one call each.
        raw = firsts.encode("ascii")
        alpha = len(raw) - len(raw.translate(None, _ASCII_LETTERS))
        capital = len(raw) - len(raw.translate(None, _ASCII_UPPERCASE))
    else:
        alpha = sum(map(str.isalpha, firsts))
        # Outside ASCII a character can be upper-case without being a letter (Ⅷ).
        capital = sum(1 for c in firsts if c.isalpha() and c.isupper())
    return (
        sum(map(str.isdigit, toks)),
        sum(map(str.isupper, toks)),
        alpha,
        capital,
        len("".join(toks)),
    )


def _date_like(text: str, lower: str) -> bool:
    """Whether ``_DATE`` matches ``text`` (``lower`` is ``text.lower()``)."""
    if _DATE_SHAPE.search(text):
        if _DATE_BY_DIGIT.search(text):
            return True
        # Left: a month then a day and a year, or a date word.
        if not (_DAY_YEAR.search(text) or _may_hold_date_word(text, lower)):
            return False
    elif not _may_hold_date_word(text, lower):
        return False  # without digits in a date's shape only a date word could match
    return _DATE.search(text) is not None


def _may_hold_date_word(text: str, lower: str) -> bool:
    """False only for blocks in which ``_DATE_WORDS_ANYCASE`` finds nothing."""
    # The _DATE_WORDS, spelt out: cheaper than a loop over them.
    if "updated" in lower or "published" in lower or "posted" in lower:
        return True
    # Their letters in ASCII would be in lower(); outside ASCII only a few others match.
    return (
        not text.isascii()
        and any(map(text.__contains__, _DATE_WORD_ODD_LETTERS))
        and _DATE_WORDS_ANYCASE.search(text) is not None
    )


def _ends_sentence(text: str) -> bool:
    """``_SENT_END.search(text)`` without scanning the whole block for the anchor."""
    return text.rstrip()[-1:] in _SENT_END_CHARS


def _base_features(text: str, toks: list[str], words: list[str], repeats: int,
                   stop: frozenset[str]) -> BlockInfo:
    """Features of one distinct block from its tokens and its lower-cased tokens."""
    ntok = len(toks)
    nchar = len(text)
    per_tok = max(ntok, 1)
    digits, upper, alpha, capital, length = _token_counts(toks)
    ends = 1.0 if _ends_sentence(text) else 0.0
    cjk = 0.0 if text.isascii() else len(_CJK.findall(text)) / nchar
    lower = text.lower()
    # Boilerplate announces itself early: scanning the head of long blocks is enough.
    head = words if len(words) <= LEXICON_HEAD_WORDS else words[:LEXICON_HEAD_WORDS]
    found = _lexicon_kinds(lower[:LEXICON_HEAD_CHARS], head)
    hits = tuple(k for k in LEXICON_KINDS if k in found) if found else ()
    short = ntok <= SHORT_TOKENS
    base = (
        math.log1p(ntok),
        math.log1p(nchar),
        ends,
        1.0 if text.endswith(":") else 0.0,
        len(_SENT_PUNCT.findall(text)) / per_tok,
        text.count(",") / per_tok,
        digits / per_tok,
        upper / per_tok,
        capital / max(alpha, 1),
        sum(map(stop.__contains__, words)) / per_tok,
        length / per_tok / 10.0,
        1.0 if _URLISH.search(text) else 0.0,
        len(_SEPARATORS.findall(text)) / per_tok,
        math.log(repeats),
        1.0 if _date_like(text, lower) else 0.0,
        1.0 if ntok <= 12 and _BYLINE.match(text) else 0.0,
        cjk,
        1.0 if short else 0.0,
    ) + (tuple(1.0 if k in hits else 0.0 for k in LEXICON_KINDS) if hits else _NO_LEXICON_HITS)
    # CJK sentences are single \w+ runs: judge their length by characters instead.
    long_enough = ntok >= PROSE_MIN_TOKENS or (cjk > 0.3 and nchar >= 2 * PROSE_MIN_TOKENS)
    prose = bool(ends) and long_enough
    return BlockInfo(text, ntok, base, prose, hits)



def _tokens(text: str) -> tuple[list[str], list[str], str]:
    """(tokens, lower-cased tokens, the latter joined by spaces = ``_norm(text)``)."""
    toks = _TOKEN.findall(text)
    if text.isascii():
        # ASCII lower-casing keeps \w runs intact, so the tokens need no second pass.
        norm = " ".join(toks).lower()
        return toks, norm.split(), norm
    words = _TOKEN.findall(text.lower())
    return toks, words, " ".join(words)


# Blocks recur across the pages of a site (menus, share bars, footers, agency boilerplate):
# the features of short blocks are kept for the next pages (a fifth of the distinct blocks
# of the benchmark's pages are found there). Prose paragraphs seldom recur, so longer
# blocks are not kept, which also bounds the memory held (some 7 MB when full).
CACHED_BLOCK_CHARS = 120
CACHED_BLOCKS = 8192
_LOG_REPEATS = BASE_NAMES.index("log_repeats")


def block_infos(blocks: Sequence[str]) -> tuple[list[BlockInfo], list[str]]:
    """The base features of each block, and its normalised text."""
    # Menus repeat: featurise each distinct block once.
    found = {b: _block_features(b) for b in dict.fromkeys(blocks)}
    norms = [found[b][0] for b in blocks]
    counts = Counter(norms)
    seen = {}
    for b, (norm, block) in found.items():
        repeats = counts[norm]
        if repeats > 1:  # log_repeats is the only feature that depends on the page
            base = list(block.base)
            base[_LOG_REPEATS] = math.log(repeats)
            block = BlockInfo(block.text, block.ntok, tuple(base), block.prose, block.lex_hits)
        seen[b] = block
    return [seen[b] for b in blocks], norms


def _block_features(text: str) -> tuple[str, BlockInfo]:
    """(normalised text, base features as if the block were alone on its page)."""
    if len(text) <= CACHED_BLOCK_CHARS:
        return _cached_block_features(text)
    return _features_of(text)


def _features_of(text: str) -> tuple[str, BlockInfo]:
    toks, words, norm = _tokens(text)
    return norm, _base_features(text, toks, words, 1, _stopwords())


_cached_block_features = lru_cache(maxsize=CACHED_BLOCKS)(_features_of)


