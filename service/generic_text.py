"""Generic article-body detection on plain text, for pages of outlets without rules.

The page arrives as non-blank text blocks (lines or joined paragraphs) with the number of
blank lines before each. Each block gets language-neutral features (length, sentence
punctuation, function-word share, boilerplate lexicon, repetition, position relative to the
detected headline and to the densest run of prose, the same of its neighbours, and the
density of furniture-like blocks around it); a
two-stage boosted-trees model trained by ``scripts/train_text_model.py`` scores them (the
second stage reads the first stage's scores of the neighbours and of the densest scored
segment), so the body comes out as the contiguous run of prose it usually is.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_FILE = DATA_DIR / "text_model.json"
LEXICON_FILE = DATA_DIR / "boilerplate_lexicon.json"
STOPWORDS_FILE = DATA_DIR / "stopwords.json"

# Decision thresholds (probability from the model).
KEEP_THRESHOLD = 0.5
# A short block between two kept blocks is kept when its own score is at least this.
BRIDGE_THRESHOLD = 0.2
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
# Every _DATE match holds a digit or one of its words: blocks without either skip it.
_DIGIT = re.compile(r"\d")
_DATE_WORDS = ("updated", "published", "posted")
_DATE_WORDS_ANYCASE = re.compile("|".join(_DATE_WORDS), re.IGNORECASE)
_DATE = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}"
    r"|\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4}"
    r"|(?:updated|published|posted)\b)",
    re.IGNORECASE,
)
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


@dataclass(frozen=True)
class Verdict:
    """Decision on one block: kept as body or dropped as some kind of page furniture."""

    keep: bool
    kind: str
    rule: str


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, tuple[tuple[int, str, str], ...]],
                        dict[str, tuple[tuple[str, str], ...]]]:
    """Lexicon as (first word -> (n-gram size, n-gram, kind)...,
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
        index.setdefault(words[0], []).append((len(words), gram, kind))
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
    for i, word in enumerate(words):
        for size, gram, kind in index.get(word, ()):
            if size == 1 or " ".join(words[i : i + size]) == gram:
                found.add(kind)
    return found


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(json.loads(STOPWORDS_FILE.read_text(encoding="utf-8")))


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> dict:
    """The two-stage boosted-trees model (``stage1``, ``stage2``) from JSON."""
    return json.loads(Path(path or MODEL_FILE).read_text(encoding="utf-8"))


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


@dataclass
class _Block:
    text: str
    ntok: int
    base: list[float]
    prose: bool
    lex_hits: tuple[str, ...]


def _token_counts(toks: list[str]) -> tuple[int, int, int, int, int]:
    """(digit, all-caps, alphabetic, capitalised alphabetic tokens, total token length).

    This runs for every distinct block of every page: str methods mapped over the tokens
    and over their first characters count in C instead of a loop per token.
    """
    firsts = "".join(map(_FIRST_CHAR, toks))
    if firsts.isascii():
        capital = sum(map(str.isupper, firsts))
    else:
        # Outside ASCII a character can be upper-case without being a letter (Ⅷ).
        capital = sum(1 for c in firsts if c.isalpha() and c.isupper())
    return (
        sum(map(str.isdigit, toks)),
        sum(map(str.isupper, toks)),
        sum(map(str.isalpha, firsts)),
        capital,
        len("".join(toks)),
    )


def _may_hold_date(text: str, lower: str) -> bool:
    """False only for blocks ``_DATE`` cannot match (it is the slowest block regex)."""
    if _DIGIT.search(text):
        return True
    if text.isascii():
        # Case-insensitive matching differs from lower() only outside ASCII (ſ, K).
        return any(w in lower for w in _DATE_WORDS)
    return _DATE_WORDS_ANYCASE.search(text) is not None


def _ends_sentence(text: str) -> bool:
    """``_SENT_END.search(text)`` without scanning the whole block for the anchor."""
    return text.rstrip()[-1:] in _SENT_END_CHARS


def _base_features(text: str, toks: list[str], words: list[str], repeats: int,
                   stop: frozenset[str]) -> _Block:
    """Features of one distinct block from its tokens and its lower-cased tokens."""
    ntok = len(toks)
    nchar = len(text)
    per_tok = max(ntok, 1)
    digits, upper, alpha, capital, length = _token_counts(toks)
    ends = 1.0 if _ends_sentence(text) else 0.0
    cjk = 0.0 if text.isascii() else len(_CJK.findall(text)) / nchar
    lower = text.lower()
    # Boilerplate announces itself early: scanning the head of long blocks is enough.
    found = _lexicon_kinds(lower[:LEXICON_HEAD_CHARS], words[:LEXICON_HEAD_WORDS])
    hits = tuple(k for k in LEXICON_KINDS if k in found)
    short = ntok <= SHORT_TOKENS
    base = [
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
        1.0 if _may_hold_date(text, lower) and _DATE.search(text) else 0.0,
        1.0 if ntok <= 12 and _BYLINE.match(text) else 0.0,
        cjk,
        1.0 if short else 0.0,
    ] + [1.0 if k in hits else 0.0 for k in LEXICON_KINDS]
    # CJK sentences are single \w+ runs: judge their length by characters instead.
    long_enough = ntok >= PROSE_MIN_TOKENS or (cjk > 0.3 and nchar >= 2 * PROSE_MIN_TOKENS)
    prose = bool(ends) and long_enough
    return _Block(text, ntok, base, prose, hits)


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


def _densest_run(info: Sequence[_Block]) -> tuple[int, int]:
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


def _context_values(info: Sequence[_Block]) -> list[list[float]]:
    """The ``CONTEXT_BASE`` values of each block, which its neighbours' rows repeat."""
    idx = [BASE_NAMES.index(c) for c in CONTEXT_BASE if c != "lex_any"]
    return [[b.base[k] for k in idx] + [1.0 if b.lex_hits else 0.0] for b in info]


def page_features(blocks: Sequence[str], gaps: Sequence[int]) -> tuple[list[list[float]],
                                                                       list[_Block], int | None]:
    """Feature vectors of all blocks of a page (plus the block infos and title index)."""
    stop = _stopwords()
    # Menus repeat: tokenise and featurise each distinct block once.
    tokens_of: dict[str, tuple[list[str], list[str], str]] = {}
    for b in blocks:
        if b not in tokens_of:
            tokens_of[b] = _tokens(b)
    norms = [tokens_of[b][2] for b in blocks]
    counts = Counter(norms)
    seen = {b: _base_features(b, toks, words, counts[norm], stop)
            for b, (toks, words, norm) in tokens_of.items()}
    info = [seen[b] for b in blocks]
    n = len(info)
    limit = max(2, int(n * TITLE_SEARCH_FRACTION))
    title = _title_index(blocks[0], norms, limit) if blocks else None
    run_start, run_end = _densest_run(info)
    total_chars = sum(len(b) for b in blocks) or 1
    prose_flags = [1.0 if b.prose else 0.0 for b in info]
    prefix = [0.0]
    for f in prose_flags:
        prefix.append(prefix[-1] + f)
    page_prose = prefix[-1] / max(n, 1)
    max_log = max((b.base[0] for b in info), default=0.0)
    prose_tokens = sum(b.ntok for b in info if b.prose) or 1
    run_tokens = 0
    if run_start >= 0:
        run_tokens = sum(b.ntok for b in info[run_start : run_end + 1] if b.prose)
    run_share = run_tokens / prose_tokens
    # Rank of each block by length (0 = longest), as a share of the page.
    order = sorted(range(n), key=lambda j: -info[j].ntok)
    rank = [0.0] * n
    for r, j in enumerate(order):
        rank[j] = min(r, CLIP_DISTANCE) / CLIP_DISTANCE

    def window(i: int, w: int) -> float:
        lo, hi = max(0, i - w), min(n, i + w + 1)
        return (prefix[hi] - prefix[lo] - prose_flags[i]) / max(hi - lo - 1, 1)

    rows: list[list[float]] = []
    chars_before = 0
    log_blocks = math.log1p(n)
    # The neighbours' values of block i are two slices of one padded list (offsets -3..-1
    # and +1..+3), cheaper than six concatenations per block.
    width, reach = len(CONTEXT_BASE), max(CONTEXT_OFFSETS)
    pad = [-1.0] * (width * reach)
    flat = pad + [v for values in _context_values(info) for v in values] + pad
    for i, b in enumerate(info):
        if run_start < 0:
            run_dist = float(CLIP_DISTANCE)
        elif i < run_start:
            run_dist = float(min(run_start - i, CLIP_DISTANCE))
        elif i > run_end:
            run_dist = float(min(i - run_end, CLIP_DISTANCE))
        else:
            run_dist = 0.0
        if title is None:
            after, tdist = 0.0, 0.0
        else:
            after = 1.0 if i > title else (-1.0 if i < title else 0.0)
            tdist = max(-CLIP_DISTANCE, min(CLIP_DISTANCE, i - title)) / CLIP_DISTANCE
        row = list(b.base)
        row += [
            i / max(n - 1, 1),
            chars_before / total_chars,
            float(min(gaps[i], 3)),
            float(min(gaps[i + 1], 3)) if i + 1 < n else 3.0,
            1.0 if i == title else 0.0,
            after,
            tdist,
            1.0 if title is None else 0.0,
            1.0 if run_start <= i <= run_end else 0.0,
            math.log1p(run_dist),
            1.0 if i in (run_start - 1, run_end + 1) else 0.0,
            window(i, 2),
            window(i, WIDE_WINDOW),
            page_prose,
            log_blocks,
            1.0 if b.lex_hits else 0.0,
            b.base[0] - max_log,
            run_share if run_start <= i <= run_end else 0.0,
            rank[i],
        ]
        at = i * width
        row += flat[at : at + width * reach]
        row += flat[at + width * (reach + 1) : at + width * (2 * reach + 1)]
        rows.append(row)
        chars_before += len(b.text)
    return rows, info, title


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


def density_features(info: Sequence[_Block], gaps: Sequence[int]) -> list[tuple[float, ...]]:
    """Per block, the mean of each density column over the blocks within each window."""
    n = len(info)
    idx = [BASE_NAMES.index(c) for c in DENSITY_FEATURES]
    columns = [[b.base[k] for b in info] for k in idx]
    columns.append([1.0 if g > 0 else 0.0 for g in gaps[:n]])
    prefixes = [list(accumulate(col, initial=0.0)) for col in columns]
    # Column by column in comprehensions, then transposed: cheaper than appends per row.
    out_columns = []
    for w in DENSITY_WINDOWS:
        bounds = [(max(0, i - w), min(n, i + w + 1)) for i in range(n)]
        out_columns += [[(pre[hi] - pre[lo]) / (hi - lo) for lo, hi in bounds] for pre in prefixes]
    return list(zip(*out_columns, strict=True)) if n else []


def text_features(blocks: Sequence[str], gaps: Sequence[int]) -> tuple[list[list[float]],
                                                                       list[_Block], int | None]:
    """``page_features`` with the density features appended: the text model's input."""
    rows, info, title = page_features(blocks, gaps)
    for row, dens in zip(rows, density_features(info, gaps), strict=True):
        row.extend(dens)
    return rows, info, title


# ---------------------------------------------------------------------------
# Scoring and decisions
# ---------------------------------------------------------------------------


def _sigmoid(z: float) -> float:
    if z < -30:
        return 0.0
    if z > 30:
        return 1.0
    return 1.0 / (1.0 + math.exp(-z))


def _tree_source(tree: list, nid: int, indent: str) -> list[str]:
    node = tree[nid]
    if len(node) == 1:
        return [f"{indent}s += {float(node[0])!r}"]
    feat, thr = int(node[0]), float(node[1])
    return (
        [f"{indent}if x{feat} <= {thr!r}:"]
        + _tree_source(tree, 2 * nid + 1, indent + " ")
        + [f"{indent}else:"]
        + _tree_source(tree, 2 * nid + 2, indent + " ")
    )


def _trees_body(model: dict, indent: str) -> list[str]:
    """Source lines that add the trees' raw score of the row ``x`` to ``s``."""
    splits = [node for tree in model["trees"] for node in tree if node and len(node) == 2]
    used = sorted({int(node[0]) for node in splits})
    # Each feature the trees split on is read into a local once: a few hundred comparisons
    # per row read far fewer distinct features.
    lines = [f"{indent}s = {float(model['base'])!r}"]
    lines += [f"{indent}x{k} = x[{k}]" for k in used]
    for tree in model["trees"]:
        lines += _tree_source(tree, 0, indent)
    return lines


def _exec_source(lines: list[str]):
    scope: dict = {}
    exec(compile("\n".join(lines), "<text-model>", "exec"), scope)  # noqa: S102
    return scope["f"]


def compile_trees(model: dict):
    """Turn boosted trees (JSON numbers only) into one Python function x -> probability.

    Generated nested ``if`` statements run several times faster than walking node lists.
    """
    raw = _exec_source(["def f(x):", *_trees_body(model, " "), " return s"])
    return lambda x: _sigmoid(raw(x))


def compile_trees_batch(model: dict):
    """``compile_trees`` for a list of rows at once (rows -> probabilities): the loop runs
    inside the generated function, one call per page instead of one per block."""
    raw = _exec_source([
        "def f(rows):", " out = []", " for x in rows:", *_trees_body(model, "  "),
        "  out.append(s)", " return out",
    ])
    return lambda rows: [_sigmoid(z) for z in raw(rows)]


_COMPILED: dict[int, tuple] = {}


def _compiled(model: dict) -> tuple:
    key = id(model)
    if key not in _COMPILED:
        _COMPILED[key] = (model, compile_trees_batch(model["stage1"]),
                          compile_trees_batch(model["stage2"]))
    return _COMPILED[key][1:]


STAGE2_OFFSETS = (-3, -2, -1, 1, 2, 3)
STAGE2_WINDOWS = (2, 5, 10)
LOW_PROB = 0.3


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def stage2_features(probs: Sequence[float], ntoks: Sequence[int]) -> list[list[float]]:
    """Context features over stage-1 probabilities (neighbours, body segment, windows)."""
    n = len(probs)
    best, span, cur, start = 0.0, (-1, -1), 0.0, 0
    for i, (p, t) in enumerate(zip(probs, ntoks, strict=True)):
        if cur <= 0:
            cur, start = 0.0, i
        cur += (p - 0.5) * math.sqrt(t + 1)
        if cur > best:
            best, span = cur, (start, i)
    low_prefix = [0]
    prefix = [0.0]
    for p in probs:
        low_prefix.append(low_prefix[-1] + (p < LOW_PROB))
        prefix.append(prefix[-1] + p)
    pmax = max(probs, default=0.0)
    share_kept = sum(p > 0.5 for p in probs) / max(n, 1)
    rows = []
    for i in range(n):
        row = [_logit(probs[i])]
        row += [probs[i + o] if 0 <= i + o < n else -1.0 for o in STAGE2_OFFSETS]
        a, b = span
        if a < 0:
            inseg, dist, between = 0.0, 0, 0
        elif i < a:
            inseg, dist, between = 0.0, a - i, low_prefix[a + 1] - low_prefix[i + 1]
        elif i > b:
            inseg, dist, between = 0.0, i - b, low_prefix[i] - low_prefix[b + 1]
        else:
            inseg, dist, between = 1.0, 0, 0
        row += [inseg, math.log1p(dist), math.log1p(between)]
        for w in STAGE2_WINDOWS:
            lo, hi = max(0, i - w), min(n, i + w + 1)
            row.append((prefix[hi] - prefix[lo]) / (hi - lo))
        row += [pmax, share_kept]
        rows.append(row)
    return rows


def predict_proba(rows: Sequence[Sequence[float]], ntoks: Sequence[int],
                  model: dict) -> list[float]:
    """Body probability of each block: stage-1 trees, then stage-2 trees on the context."""
    f1, f2 = _compiled(model)
    p1 = f1(rows)
    ctx = stage2_features(p1, ntoks)
    return f2([c + list(r) for c, r in zip(ctx, rows, strict=True)])


def _smooth(probs: Sequence[float], info: Sequence[_Block]) -> list[bool]:
    keep = [p >= KEEP_THRESHOLD for p in probs]
    n = len(keep)
    # Bridge short gaps (sub-headings, one-line paragraphs) inside the body.
    for i in range(1, n - 1):
        if not keep[i] and probs[i] >= BRIDGE_THRESHOLD and keep[i - 1] and keep[i + 1]:
            keep[i] = True
    return keep


def _drop_kind(i: int, b: _Block, title: int | None) -> tuple[str, str]:
    if i == title:
        return "title", "title"
    if b.base[BASE_NAMES.index("byline_like")]:
        return "byline", "byline"
    if b.base[BASE_NAMES.index("date_like")] and b.ntok <= 10:
        return "date", "date"
    for cat in b.lex_hits:
        return KIND_OF_CATEGORY[cat], f"lexicon:{cat}"
    return "boilerplate", "model"


def classify_with_model(blocks: Sequence[str], gaps: Sequence[int],
                        model: dict) -> list[Verdict]:
    """``classify_blocks`` with an explicit model (the benchmark passes fold models)."""
    if not blocks:
        return []
    rows, info, title = text_features(blocks, gaps)
    probs = predict_proba(rows, [b.ntok for b in info], model)
    keep = _smooth(probs, info)
    out = []
    for i, b in enumerate(info):
        if keep[i]:
            rule = "model" if probs[i] >= KEEP_THRESHOLD else "bridge"
            out.append(Verdict(True, "body", rule))
        else:
            kind, rule = _drop_kind(i, b, title)
            out.append(Verdict(False, kind, rule))
    return out


def classify_blocks(blocks: Sequence[str], gaps: Sequence[int]) -> list[Verdict]:
    """Decide for each block of a page whether it belongs to the article body."""
    return classify_with_model(blocks, gaps, load_model())


def split_blocks(text: str) -> tuple[list[str], list[int]]:
    """Non-blank lines of ``text`` (whitespace folded) and the blank lines before each."""
    blocks: list[str] = []
    gaps: list[int] = []
    gap = 0
    for line in text.splitlines():
        folded = " ".join(line.split())
        if not folded:
            gap += 1
            continue
        blocks.append(folded)
        gaps.append(gap)
        gap = 0
    return blocks, gaps


def extract_body(text: str, model: dict | None = None) -> str:
    """Body paragraphs of a plain-text page, one per line."""
    blocks, gaps = split_blocks(text)
    verdicts = classify_with_model(blocks, gaps, model or load_model())
    return "\n".join(b for b, v in zip(blocks, verdicts, strict=True) if v.keep)
