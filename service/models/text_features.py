"""Page-level features of text blocks for the body classifiers (text and HTML).

Each block's own features (``text_block``) are put in the context of its page: position
relative to the detected headline and to the densest run of prose, the same of its
neighbours, and the density of furniture-like blocks around it. Stage two of a classifier
reads the stage-one scores of the neighbours and of the densest scored segment
(``stage2_columns``). Features are computed column by column and handed to the trees as
one matrix (blocks, features).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate

import numpy as np

from .text_block import (
    _SENT_END,
    _TOKEN,
    BASE_NAMES,
    CLIP_DISTANCE,
    CONTEXT_BASE,
    CONTEXT_OFFSETS,
    RUN_NON_PROSE_PENALTY,
    RUN_SHORT_PENALTY,
    RUN_TOKEN_CAP,
    SHORT_TOKENS,
    WIDE_WINDOW,
    BlockInfo,
    block_infos,
)

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


def _page_columns(blocks: Sequence[str], gaps: Sequence[int]) -> tuple[
        list[BlockInfo], int | None, list[list[float]]]:
    """The block infos, the title index and the columns of the page-level features (the
    ``feature_names`` after the base ones and before the neighbours').

    The features are computed column by column, each in one comprehension over the page,
    and only then put together row by row: cheaper than building each row value by value.
    """
    info, norms = block_infos(blocks)
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
    """The features of every block of a page, column by column (one per
    ``feature_names`` entry); the block infos and the headline's index."""
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
# teaser list. Text model only: the HTML classifier reads ``feature_columns`` as they are.
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


def text_matrix(blocks: Sequence[str], gaps: Sequence[int]) -> tuple[
        np.ndarray, list[BlockInfo], int | None]:
    """The text model's stage-1 input, (``text_feature_names``, blocks); the block infos
    and the headline's index."""
    columns, info, title = feature_columns(blocks, gaps)
    if info:
        columns += _density_columns(columns[: len(BASE_NAMES)], gaps)
    return np.array(columns, dtype=np.float64).reshape(-1, len(info)), info, title


def stage2_matrix(probs: np.ndarray, ntoks: Sequence[int], columns: np.ndarray) -> np.ndarray:
    """The text model's stage-2 input: context over the stage-1 scores, then the stage-1
    columns."""
    context = np.array(stage2_columns(probs.tolist(), ntoks), dtype=np.float64)
    return np.concatenate([context.reshape(STAGE2_COLUMNS, len(probs)), columns])


STAGE2_OFFSETS = (-3, -2, -1, 1, 2, 3)
STAGE2_WINDOWS = (2, 5, 10)
LOW_PROB = 0.3
# The number of columns of ``stage2_columns``.
STAGE2_COLUMNS = 1 + len(STAGE2_OFFSETS) + 3 + len(STAGE2_WINDOWS) + 2


def _logit(p: float) -> float:
    # min(max(p, 1e-4), 1 - 1e-4) spelt out: this runs for every block, and so do the
    # calls of min and max.
    p = 1e-4 if 1e-4 > p else p
    p = 1 - 1e-4 if 1 - 1e-4 < p else p
    return math.log(p / (1 - p))


def stage2_columns(probs: Sequence[float], ntoks: Sequence[int]) -> list[Sequence[float]]:
    """Context over stage-1 probabilities (the block's own logit, its neighbours', the
    best-scored segment, windows, the page's best and kept share), column by column."""
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


