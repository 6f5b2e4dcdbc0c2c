"""Features of text blocks for the body classifiers (text and HTML).

Each block of a page gets language-neutral features: length, sentence punctuation,
function-word share, the boilerplate lexicon, repetition, its position relative to the
detected headline and to the densest run of prose, the same of its neighbours, and the
density of furniture-like blocks around it. Stage two of a classifier reads the stage-one
scores of the neighbours and of the densest scored segment (``stage2_columns``).
"""

from __future__ import annotations

import json
import math
import re
import string
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

DATA_DIR = Path(__file__).resolve().parent / "data"
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


# ---------------------------------------------------------------------------
# Page structure: headline and densest prose run
# ---------------------------------------------------------------------------

TITLE_MAX_TOKENS = 40
TITLE_SEARCH_FRACTION = 0.7


def _norm(text: str) -> str:
    return " ".join(_TOKEN.findall(text.lower()))


def detect_title(blocks: Sequence[str], gaps: Sequence[int] | None = None) -> int | None:
    """Index of the headline block, or None.

    Text rendered from a page usually starts with the <title> ("Headline - Site"); the
    on-page headline repeats it later. The first later block that the first block starts
    with (or contains) is the headline; failing that, a short unpunctuated first block.
    """
    if not blocks:
        return None
    limit = max(2, int(len(blocks) * TITLE_SEARCH_FRACTION))
    return _title_index(blocks[0], [_norm(b) for b in blocks[:limit]], limit)


def _title_index(first_block: str, norms: Sequence[str], limit: int) -> int | None:
    """``detect_title`` over the normalised blocks before ``limit`` (page_features has
    them already)."""
    first = norms[0]
    for i in range(1, min(limit, len(norms))):
        cand = norms[i]
        size = cand.count(" ") + 1
        if 3 <= size <= TITLE_MAX_TOKENS and cand in first:
            return i
    n0 = len(first.split())
    if 0 < n0 <= TITLE_MAX_TOKENS and not _SENT_END.search(first_block):
        return 0
    return None


def _densest_run(info: Sequence[BlockInfo]) -> tuple[int, int]:
    """[start, end] of the block run with the most prose (max-sum segment); (-1, -1) if none."""
    best, best_span = 0.0, (-1, -1)
    cur, start = 0.0, 0
    for i, b in enumerate(info):
        if b.prose:
            gain = min(b.ntok, RUN_TOKEN_CAP) / 10.0
        elif b.ntok <= SHORT_TOKENS:
            gain = -RUN_SHORT_PENALTY
        else:
            gain = -RUN_NON_PROSE_PENALTY
        if cur <= 0:
            cur, start = 0.0, i
        cur += gain
        if cur > best:
            best, best_span = cur, (start, i)
    return best_span


# ---------------------------------------------------------------------------
# Feature vectors
# ---------------------------------------------------------------------------


def _tokens(text: str) -> tuple[list[str], list[str], str]:
    """(tokens, lower-cased tokens, the latter joined by spaces = ``_norm(text)``)."""
    toks = _TOKEN.findall(text)
    if text.isascii():
        # ASCII lower-casing keeps \w runs intact, so the tokens need no second pass.
        norm = " ".join(toks).lower()
        return toks, norm.split(), norm
    words = _TOKEN.findall(text.lower())
    return toks, words, " ".join(words)


def feature_names() -> list[str]:
    """Names of the model's input features, in order."""
    names = list(BASE_NAMES)
    names += ["rel_pos", "chars_before", "gap_before", "gap_after", "is_title",
              "after_title", "title_dist", "no_title", "in_run", "run_dist", "run_edge",
              "prose_window", "prose_window_wide", "page_prose_frac", "log_blocks",
              "lex_any", "rel_len", "run_share", "run_len_rank"]
    for off in CONTEXT_OFFSETS:
        names += [f"{n}@{off:+d}" for n in CONTEXT_BASE]
    return names


# Where lex_any is among the page-level columns of ``_page_columns``.
_LEX_ANY_COLUMN = feature_names().index("lex_any") - len(BASE_NAMES)


def page_features(blocks: Sequence[str], gaps: Sequence[int]) -> tuple[list[list[float]],
                                                                       list[BlockInfo], int | None]:
    """Feature vectors of all blocks of a page (plus the block infos and title index)."""
    columns, info, title = feature_columns(blocks, gaps)
    return transpose(columns), info, title


def transpose(columns: Sequence[Sequence[float]]) -> list[list[float]]:
    """Rows of a page's feature columns."""
    return [list(row) for row in zip(*columns, strict=True)]


# Blocks recur across the pages of a site (menus, share bars, footers, agency boilerplate):
# the features of short blocks are kept for the next pages (a fifth of the distinct blocks
# of the benchmark's pages are found there). Prose paragraphs seldom recur, so longer
# blocks are not kept, which also bounds the memory held (some 7 MB when full).
CACHED_BLOCK_CHARS = 120
CACHED_BLOCKS = 8192
_LOG_REPEATS = BASE_NAMES.index("log_repeats")


def _block_infos(blocks: Sequence[str]) -> tuple[list[BlockInfo], list[str]]:
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


def _page_columns(blocks: Sequence[str], gaps: Sequence[int]) -> tuple[
        list[BlockInfo], int | None, list[list[float]]]:
    """The block infos, the title index and the columns of the page-level features (the
    ``feature_names`` after the base ones and before the neighbours').

    The features are computed column by column, each in one comprehension over the page,
    and only then put together row by row: cheaper than building each row value by value.
    """
    info, norms = _block_infos(blocks)
    n = len(info)
    if not n:
        return info, None, []
    limit = max(2, int(n * TITLE_SEARCH_FRACTION))
    title = _title_index(blocks[0], norms, limit)
    run_start, run_end = _densest_run(info)
    total_chars = sum(len(b) for b in blocks) or 1
    prose_flags = [1.0 if b.prose else 0.0 for b in info]
    prefix = list(accumulate(prose_flags, initial=0.0))
    page_prose = prefix[-1] / max(n, 1)
    max_log = max((b.base[0] for b in info), default=0.0)
    prose_tokens = sum(b.ntok for b in info if b.prose) or 1
    run_tokens = 0
    if run_start >= 0:
        run_tokens = sum(b.ntok for b in info[run_start : run_end + 1] if b.prose)
    run_share = run_tokens / prose_tokens
    # Rank of each block by length (0 = longest), as a share of the page.
    order = sorted(range(n), key=[-b.ntok for b in info].__getitem__)
    rank = [1.0] * n  # min(r, CLIP_DISTANCE) / CLIP_DISTANCE is 1.0 from CLIP_DISTANCE on
    for r, j in enumerate(order[:CLIP_DISTANCE]):
        rank[j] = r / CLIP_DISTANCE

    def window(w: int) -> list[float]:
        """Share of prose among the blocks within ``w`` of each block (itself excluded)."""
        return [
            (prefix[hi] - prefix[lo] - own) / (hi - lo - 1 if hi - lo - 1 > 1 else 1)
            for own, (lo, hi) in zip(prose_flags, _bounds(n, w), strict=True)
        ]

    positions = range(n)
    in_run = [1.0 if run_start <= i <= run_end else 0.0 for i in positions]
    # (min and max spelt out as conditionals in these per-block comprehensions: cheaper
    # than calls.)
    clip = CLIP_DISTANCE
    run_dist = [
        float(clip) if run_start < 0
        else float(run_start - i if run_start - i < clip else clip) if i < run_start
        else float(i - run_end if i - run_end < clip else clip) if i > run_end
        else 0.0
        for i in positions
    ]
    if title is None:
        after = tdist = [0.0] * n
    else:
        after = [1.0 if i > title else (-1.0 if i < title else 0.0) for i in positions]
        tdist = [(-clip if i - title < -clip else i - title if i - title < clip else clip) / clip
                 for i in positions]
    gap_before = [float(gaps[i]) if gaps[i] < 3 else 3.0 for i in positions]
    last = max(n - 1, 1)
    columns = [
        [i / last for i in positions],  # rel_pos
        [c / total_chars for c in accumulate(map(len, blocks[: n - 1]), initial=0)],
        gap_before,
        gap_before[1:] + [3.0],  # gap_after
        [1.0 if i == title else 0.0 for i in positions],  # is_title
        after,
        tdist,
        [1.0 if title is None else 0.0] * n,  # no_title
        in_run,
        list(map(math.log1p, run_dist)),
        [1.0 if i in (run_start - 1, run_end + 1) else 0.0 for i in positions],  # run_edge
        window(2),
        window(WIDE_WINDOW),
        [page_prose] * n,
        [math.log1p(n)] * n,  # log_blocks
        [1.0 if b.lex_hits else 0.0 for b in info],  # lex_any
        [b.base[0] - max_log for b in info],  # rel_len
        [run_share if flag else 0.0 for flag in in_run],
        rank,
    ]
    return info, title, columns


def feature_columns(blocks: Sequence[str], gaps: Sequence[int]) -> tuple[
        list[Sequence[float]], list[BlockInfo], int | None]:
    """``page_features`` column by column (one column per ``feature_names`` entry)."""
    info, title, page = _page_columns(blocks, gaps)
    if not info:
        return [], info, title
    base = list(zip(*[b.base for b in info], strict=True))
    # A block's row repeats some of its neighbours' values (-1 past either end of the page).
    lex_any = page[_LEX_ANY_COLUMN]
    context = [base[BASE_NAMES.index(c)] for c in CONTEXT_BASE if c != "lex_any"] + [lex_any]
    neighbours = [_shifted(values, off) for off in CONTEXT_OFFSETS for values in context]
    return [*base, *page, *neighbours], info, title


# Furniture clusters: comment threads carry timestamps and short lines, share bars and
# link lists short and URL-like lines, teaser lists capitalised headlines. The mean of such
# block features (and the share of blocks after a blank line) around a block, over a near
# and a wide window, tells a short paragraph inside the body from one inside a thread or a
# teaser list. Text model only: the HTML classifier reads ``page_features`` as they are.
DENSITY_FEATURES = (
    "date_like", "short", "byline_like", "lex_comments", "lex_related", "lex_share", "urlish",
    "ends_sentence", "stop_frac", "log_tokens", "digit_token_frac", "allcaps_token_frac",
    "separator_rate", "capitalised_frac", "lex_navigation", "lex_newsletter", "lex_promo",
)
DENSITY_WINDOWS = (3, 10)


def text_feature_names() -> list[str]:
    """Names of the text model's stage-1 features: ``page_features`` plus densities."""
    columns = [*DENSITY_FEATURES, "after_blank"]
    return feature_names() + [
        f"{c}_density@{w}" for w in DENSITY_WINDOWS for c in columns
    ]


@lru_cache(maxsize=64)
def _bounds(n: int, w: int) -> tuple[tuple[int, int], ...]:
    """(lo, hi) of the window of blocks within ``w`` of each of ``n`` blocks (hi exclusive),
    as ``max(0, i - w), min(n, i + w + 1)``; the same for every column and every stage of
    a page, so it is made once (and without a call of min and max per block)."""
    return tuple([
        (i - w if i > w else 0, i + w + 1 if i + w + 1 < n else n) for i in range(n)
    ])


def density_features(info: Sequence[BlockInfo], gaps: Sequence[int]) -> list[tuple[float, ...]]:
    """Per block, the mean of each density column over the blocks within each window."""
    if not info:
        return []
    base = list(zip(*[b.base for b in info], strict=True))
    return list(zip(*_density_columns(base, gaps), strict=True))


def _density_columns(base: Sequence[Sequence[float]], gaps: Sequence[int]) -> list[list[float]]:
    """``density_features`` column by column, from the base feature columns."""
    n = len(base[0])
    columns: list[Sequence[float]] = [base[BASE_NAMES.index(c)] for c in DENSITY_FEATURES]
    columns.append([1.0 if g > 0 else 0.0 for g in gaps[:n]])
    # Most of these columns are flags, and on a given page several are never set: the mean
    # of zeros is 0.0 (exactly what the sums would give) without summing them.
    prefixes = [list(accumulate(col, initial=0.0)) if any(col) else None for col in columns]
    zeros = [0.0] * n
    out = []
    for w in DENSITY_WINDOWS:
        bounds = _bounds(n, w)
        out += [
            [(pre[hi] - pre[lo]) / (hi - lo) for lo, hi in bounds] if pre else zeros
            for pre in prefixes
        ]
    return out


def text_features(blocks: Sequence[str], gaps: Sequence[int]) -> tuple[list[list[float]],
                                                                       list[BlockInfo], int | None]:
    """``page_features`` with the density features appended: the text model's input."""
    columns, info, title = text_columns(blocks, gaps)
    return transpose(columns), info, title


def text_columns(blocks: Sequence[str], gaps: Sequence[int]) -> tuple[
        list[Sequence[float]], list[BlockInfo], int | None]:
    """``text_features`` column by column (one column per ``text_feature_names`` entry).

    The text pipeline scores these columns as they are (see ``compile_trees_columns``):
    putting rows together would only be undone by the trees, which read a few features of
    each row."""
    columns, info, title = feature_columns(blocks, gaps)
    if info:
        columns += _density_columns(columns[: len(BASE_NAMES)], gaps)
    return columns, info, title





STAGE2_OFFSETS = (-3, -2, -1, 1, 2, 3)
STAGE2_WINDOWS = (2, 5, 10)
LOW_PROB = 0.3


def _logit(p: float) -> float:
    # min(max(p, 1e-4), 1 - 1e-4) spelt out: this runs for every block, and so do the
    # calls of min and max.
    p = 1e-4 if 1e-4 > p else p
    p = 1 - 1e-4 if 1 - 1e-4 < p else p
    return math.log(p / (1 - p))


def stage2_features(probs: Sequence[float], ntoks: Sequence[int]) -> list[list[float]]:
    """Context features over stage-1 probabilities (neighbours, body segment, windows)."""
    return [list(row) for row in zip(*stage2_columns(probs, ntoks), strict=True)]


def stage2_columns(probs: Sequence[float], ntoks: Sequence[int]) -> list[Sequence[float]]:
    """``stage2_features`` column by column."""
    n = len(probs)
    best, span, cur, start = 0.0, (-1, -1), 0.0, 0
    for i, (p, t) in enumerate(zip(probs, ntoks, strict=True)):
        if cur <= 0:
            cur, start = 0.0, i
        cur += (p - 0.5) * math.sqrt(t + 1)
        if cur > best:
            best, span = cur, (start, i)
    low_prefix = list(accumulate(map(LOW_PROB.__gt__, probs), initial=0))
    prefix = list(accumulate(probs, initial=0.0))
    pmax = max(probs, default=0.0)
    share_kept = sum(p > 0.5 for p in probs) / max(n, 1)
    # Whether each block is in the segment, and its distance and the low-scored blocks
    # between it and the segment: before the segment, in it and after it.
    a, b = span
    if a < 0:
        inseg, dist, between = [0.0] * n, [0] * n, [0] * n
    else:
        inside, after = range(a, b + 1), range(b + 1, n)
        inseg = [0.0] * a + [1.0] * len(inside) + [0.0] * len(after)
        dist = [a - i for i in range(a)] + [0] * len(inside) + [i - b for i in after]
        between = (
            [low_prefix[a + 1] - low_prefix[i + 1] for i in range(a)]
            + [0] * len(inside)
            + [low_prefix[i] - low_prefix[b + 1] for i in after]
        )
    columns: list[Sequence[float]] = [list(map(_logit, probs))]
    columns += [_shifted(probs, o) for o in STAGE2_OFFSETS]
    columns += [inseg, list(map(math.log1p, dist)), list(map(math.log1p, between))]
    columns += [
        [(prefix[hi] - prefix[lo]) / (hi - lo) for lo, hi in _bounds(n, w)]
        for w in STAGE2_WINDOWS
    ]
    return columns + [[pmax] * n, [share_kept] * n]


def _shifted(values: Sequence[float], offset: int, fill: float = -1.0) -> list[float]:
    """``values[i + offset]`` for each i, ``fill`` where that is past either end."""
    n = len(values)
    k = min(abs(offset), n)
    if offset >= 0:
        return [*values[offset:], *[fill] * k]
    return [*[fill] * k, *values[: n - k]]


