"""Generic article-body detection on plain text, for pages of outlets without rules.

The page arrives as non-blank text blocks (lines or joined paragraphs) with the number of
blank lines before each. Each block gets language-neutral features (length, sentence
punctuation, function-word share, boilerplate lexicon, repetition, position relative to the
detected headline and to the densest run of prose, and the same of its neighbours); a
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
_SENT_END = re.compile(r"[.!?。！？…»\"”’)\]]\s*$")
_SENT_PUNCT = re.compile(r"[.!?。！？](?:\s|$)")
_URLISH = re.compile(r"https?://|www\.|\.(?:com|org|net)\b|@\w")
_SEPARATORS = re.compile(r"[|•·»›/>«‹]")
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
def _lexicon() -> tuple[dict[str, str], dict[str, str], int]:
    """Lexicon as (word n-gram -> kind, punctuated phrase -> kind, longest n-gram).

    Looking word n-grams up in a dict is much faster than one big regex alternation;
    phrases whose punctuation matters ("photo:", "©") are matched as substrings.
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
    longest = max(len(g.split()) for g in grams)
    return grams, literal, longest


def _lexicon_kinds(text: str, words: Sequence[str]) -> set[str]:
    grams, literal, longest = _lexicon()
    found = {kind for phrase, kind in literal.items() if phrase in text}
    n = len(words)
    for size in range(1, longest + 1):
        for i in range(n - size + 1):
            kind = grams.get(" ".join(words[i : i + size]) if size > 1 else words[i])
            if kind is not None:
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


def _token_counts(toks: Sequence[str]) -> tuple[int, int, int, int, int]:
    """(digit, all-caps, alphabetic, capitalised alphabetic tokens, total token length),
    in one pass: this runs for every distinct block of every page."""
    digits = upper = alpha = capital = length = 0
    for t in toks:
        length += len(t)
        if t.isdigit():
            digits += 1
        if t.isupper():
            upper += 1
        if t[0].isalpha():
            alpha += 1
            capital += t[0].isupper()
    return digits, upper, alpha, capital, length


def _base_features(text: str, repeats: int, stop: frozenset[str]) -> _Block:
    toks = _TOKEN.findall(text)
    ntok = len(toks)
    nchar = len(text)
    digits, upper, alpha, capital, length = _token_counts(toks)
    ends = 1.0 if _SENT_END.search(text) else 0.0
    cjk = 0.0 if text.isascii() else len(_CJK.findall(text)) / nchar
    lower = text.lower()
    words = _TOKEN.findall(lower)
    # Boilerplate announces itself early: scanning the head of long blocks is enough.
    found = _lexicon_kinds(lower[:LEXICON_HEAD_CHARS], words[:LEXICON_HEAD_WORDS])
    hits = tuple(k for k in LEXICON_KINDS if k in found)
    short = ntok <= SHORT_TOKENS
    base = [
        math.log1p(ntok),
        math.log1p(nchar),
        ends,
        1.0 if text.endswith(":") else 0.0,
        len(_SENT_PUNCT.findall(text)) / max(ntok, 1),
        text.count(",") / max(ntok, 1),
        digits / max(ntok, 1),
        upper / max(ntok, 1),
        capital / max(alpha, 1),
        sum(t in stop for t in words) / max(ntok, 1),
        length / max(ntok, 1) / 10.0,
        1.0 if _URLISH.search(text) else 0.0,
        len(_SEPARATORS.findall(text)) / max(ntok, 1),
        math.log(repeats),
        1.0 if _DATE.search(text) else 0.0,
        1.0 if _BYLINE.search(text) and ntok <= 12 else 0.0,
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
    first = _norm(blocks[0])
    limit = max(2, int(len(blocks) * TITLE_SEARCH_FRACTION))
    for i in range(1, min(limit, len(blocks))):
        cand = _norm(blocks[i])
        if len(cand.split()) >= 3 and len(cand.split()) <= TITLE_MAX_TOKENS and cand in first:
            return i
    n0 = len(first.split())
    if 0 < n0 <= TITLE_MAX_TOKENS and not _SENT_END.search(blocks[0]):
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


def page_features(blocks: Sequence[str], gaps: Sequence[int]) -> tuple[list[list[float]],
                                                                       list[_Block], int | None]:
    """Feature vectors of all blocks of a page (plus the block infos and title index)."""
    stop = _stopwords()
    counts = Counter(_norm(b) for b in blocks)
    seen: dict[str, _Block] = {}
    info = []
    for b in blocks:
        # Menus repeat: compute each distinct block once.
        if b not in seen:
            seen[b] = _base_features(b, counts[_norm(b)], stop)
        info.append(seen[b])
    n = len(info)
    title = detect_title(blocks, gaps)
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
    ctx_idx = [BASE_NAMES.index(c) for c in CONTEXT_BASE if c != "lex_any"]
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
        for off in CONTEXT_OFFSETS:
            j = i + off
            if 0 <= j < n:
                nb = info[j]
                row += [nb.base[k] for k in ctx_idx] + [1.0 if nb.lex_hits else 0.0]
            else:
                row += [-1.0] * len(CONTEXT_BASE)
        rows.append(row)
        chars_before += len(b.text)
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
        [f"{indent}if x[{feat}] <= {thr!r}:"]
        + _tree_source(tree, 2 * nid + 1, indent + " ")
        + [f"{indent}else:"]
        + _tree_source(tree, 2 * nid + 2, indent + " ")
    )


def compile_trees(model: dict):
    """Turn boosted trees (JSON numbers only) into one Python function x -> probability.

    Generated nested ``if`` statements run several times faster than walking node lists.
    """
    lines = ["def f(x):", f" s = {float(model['base'])!r}"]
    for tree in model["trees"]:
        lines += _tree_source(tree, 0, " ")
    lines.append(" return s")
    scope: dict = {}
    exec(compile("\n".join(lines), "<text-model>", "exec"), scope)  # noqa: S102
    raw = scope["f"]
    return lambda x: _sigmoid(raw(x))


_COMPILED: dict[int, tuple] = {}


def _compiled(model: dict) -> tuple:
    key = id(model)
    if key not in _COMPILED:
        _COMPILED[key] = (model, compile_trees(model["stage1"]), compile_trees(model["stage2"]))
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
    p1 = [f1(r) for r in rows]
    ctx = stage2_features(p1, ntoks)
    return [f2(c + list(r)) for c, r in zip(ctx, rows, strict=True)]


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
    rows, info, title = page_features(blocks, gaps)
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
