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
    BlockTable,
    _each,
    block_table,
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


def _densest_run(table: BlockTable) -> tuple[int, int]:
    """[start, end] of the block run with the most prose (max-sum segment); (-1, -1) if none."""
    best, best_span = 0.0, (-1, -1)
    cur, start = 0.0, 0
    gains = np.where(table.prose, np.minimum(table.ntok, RUN_TOKEN_CAP) / 10.0,
                     np.where(table.ntok <= SHORT_TOKENS, -RUN_SHORT_PENALTY,
                              -RUN_NON_PROSE_PENALTY))
    for i, gain in enumerate(gains.tolist()):
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
        BlockTable, int | None, np.ndarray]:
    """The blocks' base features, the title index and the page-level features (the
    ``feature_names`` after the base ones and before the neighbours'), one row each."""
    table = block_table(blocks)
    n = len(table)
    if not n:
        return table, None, np.zeros((0, 0))
    title = _title_index(blocks[0], table.norms, max(2, int(n * TITLE_SEARCH_FRACTION)))
    positions = np.arange(n)
    lengths = np.fromiter(map(len, blocks), dtype=np.intp, count=n)
    total_chars = int(lengths.sum()) or 1
    log_tokens = table.base[0]
    gap_before = np.minimum(np.asarray(gaps[:n], dtype=np.float64), 3.0)
    in_run, run_dist, run_edge, run_share = _run_columns(table)
    prose_window, prose_window_wide, page_prose = _prose_windows(table.prose)
    lex_any = np.fromiter(map(bool, table.lex_hits), dtype=np.float64, count=n)
    columns = [
        positions / max(n - 1, 1),  # rel_pos
        np.concatenate([[0], np.cumsum(lengths[:-1])]) / total_chars,  # chars_before
        gap_before,
        np.append(gap_before[1:], 3.0),  # gap_after
        positions == (-1 if title is None else title),  # is_title
        *_title_columns(title, n),  # after_title, title_dist
        np.full(n, 1.0 if title is None else 0.0),  # no_title
        in_run,
        run_dist,
        run_edge,
        prose_window,
        prose_window_wide,
        np.full(n, page_prose),
        np.full(n, math.log1p(n)),  # log_blocks
        lex_any,
        log_tokens - log_tokens.max(),  # rel_len
        in_run * run_share,
        _length_rank(table.ntok),
    ]
    return table, title, np.array(columns)


def _title_columns(title: int | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(after the title: 1, before: -1; the clipped signed distance to it) per block."""
    if title is None:
        return np.zeros(n), np.zeros(n)
    offset = np.arange(n) - title
    # np.minimum and np.maximum clip as np.clip does, without its Python wrapper's cost.
    clipped = np.minimum(np.maximum(offset, -CLIP_DISTANCE), CLIP_DISTANCE)
    return np.sign(offset).astype(np.float64), clipped / CLIP_DISTANCE


def _run_columns(table: BlockTable) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(in the densest prose run, log distance to it, next to it) per block, and the run's
    share of the page's prose tokens."""
    n = len(table)
    start, end = _densest_run(table)
    prose_tokens = int(table.ntok[table.prose].sum()) or 1
    positions = np.arange(n)
    if start < 0:  # no run: "next to it" is the first block, as (start - 1, end + 1) says
        return (np.zeros(n), np.full(n, math.log1p(CLIP_DISTANCE)),
                (positions == 0).astype(np.float64), 0.0)
    run_tokens = int(table.ntok[start : end + 1][table.prose[start : end + 1]].sum())
    inside = (positions >= start) & (positions <= end)
    distance = np.where(positions < start, start - positions, positions - end) * ~inside
    distance = np.minimum(distance, CLIP_DISTANCE)
    edge = (positions == start - 1) | (positions == end + 1)
    return (inside.astype(np.float64), _each(math.log1p, distance),
            edge.astype(np.float64), run_tokens / prose_tokens)


def _prose_windows(prose: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Share of prose among the blocks within 2 and within ``WIDE_WINDOW`` of each block
    (itself excluded), and on the whole page."""
    n = len(prose)
    flags = prose.astype(np.float64)
    prefix = np.concatenate([[0.0], np.cumsum(flags)])

    def window(w: int) -> np.ndarray:
        lo, hi = _window_bounds(n, w)
        return (prefix[hi] - prefix[lo] - flags) / np.maximum(hi - lo - 1, 1)

    return window(2), window(WIDE_WINDOW), prefix[-1] / max(n, 1)


def _length_rank(ntok: np.ndarray) -> np.ndarray:
    """Rank of each block by length (0 = longest), as a share of CLIP_DISTANCE (capped)."""
    order = np.argsort(-ntok, kind="stable")
    rank = np.ones(len(ntok))  # min(r, CLIP_DISTANCE) / CLIP_DISTANCE is 1.0 from there on
    top = order[:CLIP_DISTANCE]
    rank[top] = np.arange(len(top)) / CLIP_DISTANCE
    return rank


def feature_columns(blocks: Sequence[str], gaps: Sequence[int]) -> tuple[
        np.ndarray, BlockTable, int | None]:
    """The features of every block of a page, (``feature_names``, blocks); the blocks'
    base features and the headline's index."""
    parts, info, title = _feature_parts(blocks, gaps)
    if not len(info):
        return np.zeros((len(feature_names()), 0)), info, title
    return np.concatenate(parts), info, title


def _feature_parts(blocks: Sequence[str], gaps: Sequence[int]) -> tuple[
        list[np.ndarray], BlockTable, int | None]:
    """``feature_columns`` as the row blocks that make it up (the text model's matrix adds
    its own and is put together once); none for a page without blocks."""
    info, title, page_rows = _page_columns(blocks, gaps)
    n = len(info)
    if not n:
        return [], info, title
    base = info.base
    # A block's row repeats some of its neighbours' values (-1 past either end of the page),
    # offset by offset: slices of the context rows padded with -1 on both sides.
    reach = max(map(abs, CONTEXT_OFFSETS))
    padded = np.full((len(_CONTEXT_ROWS) + 1, n + 2 * reach), -1.0)
    padded[:-1, reach : reach + n] = base[_CONTEXT_ROWS]
    padded[-1, reach : reach + n] = page_rows[_LEX_ANY_COLUMN]
    neighbours = [padded[:, reach + off : reach + off + n] for off in CONTEXT_OFFSETS]
    return [base, page_rows, *neighbours], info, title


_CONTEXT_ROWS = [BASE_NAMES.index(c) for c in CONTEXT_BASE if c != "lex_any"]


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


_DENSITY_ROWS = [BASE_NAMES.index(c) for c in DENSITY_FEATURES]


def _density_columns(base: np.ndarray, gaps: Sequence[int]) -> np.ndarray:
    """The mean of each density feature (and of "after a blank line") over the blocks
    within each of ``DENSITY_WINDOWS`` of each block, from the base feature rows."""
    n = base.shape[1]
    values = np.concatenate([base[_DENSITY_ROWS],
                             (np.asarray(gaps[:n]) > 0).astype(np.float64)[None, :]])
    prefix = np.concatenate([np.zeros((len(values), 1)), np.cumsum(values, axis=1)], axis=1)
    out = []
    for w in DENSITY_WINDOWS:
        lo, hi = _window_bounds(n, w)
        out.append((prefix[:, hi] - prefix[:, lo]) / (hi - lo))
    return np.concatenate(out)


def text_matrix(blocks: Sequence[str], gaps: Sequence[int]) -> tuple[
        np.ndarray, BlockTable, int | None]:
    """The text model's stage-1 input, (``text_feature_names``, blocks); the blocks' base
    features and the headline's index."""
    parts, info, title = _feature_parts(blocks, gaps)
    if not len(info):
        return np.zeros((len(text_feature_names()), 0)), info, title
    return np.concatenate([*parts, _density_columns(info.base, gaps)]), info, title


def stage2_matrix(probs: np.ndarray, ntoks: Sequence[int], columns: np.ndarray) -> np.ndarray:
    """The text model's stage-2 input: context over the stage-1 scores, then the stage-1
    columns."""
    return np.concatenate([stage2_columns(probs, np.asarray(ntoks)), columns])


STAGE2_OFFSETS = (-3, -2, -1, 1, 2, 3)
STAGE2_WINDOWS = (2, 5, 10)
LOW_PROB = 0.3
# The number of columns of ``stage2_columns``.
STAGE2_COLUMNS = 1 + len(STAGE2_OFFSETS) + 3 + len(STAGE2_WINDOWS) + 2


def _best_segment(probs: np.ndarray, ntoks: np.ndarray) -> tuple[int, int]:
    """[start, end] of the run of blocks with the largest sum of (p - 0.5) * sqrt(tokens
    + 1) (max-sum segment); (-1, -1) when no block scores above 0.5."""
    best, span, cur, start = 0.0, (-1, -1), 0.0, 0
    for i, gain in enumerate(((probs - 0.5) * np.sqrt(ntoks + 1)).tolist()):
        if cur <= 0:
            cur, start = 0.0, i
        cur += gain
        if cur > best:
            best, span = cur, (start, i)
    return span


def stage2_columns(probs: np.ndarray, ntoks: np.ndarray) -> np.ndarray:
    """Context over stage-1 probabilities (the block's own logit, its neighbours', the
    best-scored segment, windows, the page's best and kept share): (STAGE2_COLUMNS,
    blocks)."""
    probs = np.asarray(probs, dtype=np.float64)
    n = len(probs)
    out = np.zeros((STAGE2_COLUMNS, n))
    if not n:
        return out
    clipped = np.clip(probs, 1e-4, 1 - 1e-4)
    out[0] = np.log(clipped / (1 - clipped))
    reach = max(map(abs, STAGE2_OFFSETS))
    padded = np.full(n + 2 * reach, -1.0)  # the neighbours' scores, -1 past either end
    padded[reach : reach + n] = probs
    for row, offset in enumerate(STAGE2_OFFSETS, start=1):
        out[row] = padded[reach + offset : reach + offset + n]
    # Whether each block is in the best segment, its distance to it and the low-scored
    # blocks between them.
    a, b = _best_segment(probs, np.asarray(ntoks, dtype=np.float64))
    row = 1 + len(STAGE2_OFFSETS)
    if a >= 0:
        low = np.concatenate([[0], np.cumsum(probs < LOW_PROB)])
        i = np.arange(n)
        out[row, a : b + 1] = 1.0
        out[row + 1, :a] = np.log1p(a - i[:a])
        out[row + 1, b + 1 :] = np.log1p(i[b + 1 :] - b)
        out[row + 2, :a] = np.log1p(low[a + 1] - low[1 : a + 1])
        out[row + 2, b + 1 :] = np.log1p(low[b + 1 : n] - low[b + 1])
    prefix = np.concatenate([[0.0], np.cumsum(probs)])
    for k, w in enumerate(STAGE2_WINDOWS, start=row + 3):
        lo, hi = _window_bounds(n, w)
        out[k] = (prefix[hi] - prefix[lo]) / (hi - lo)
    out[-2] = probs.max()
    out[-1] = np.count_nonzero(probs > 0.5) / n
    return out


@lru_cache(maxsize=64)
def _window_bounds(n: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi) of the window of blocks within ``w`` of each of ``n`` blocks (hi exclusive),
    as ``max(0, i - w), min(n, i + w + 1)``; the same for every column and every stage of
    a page, so it is made once."""
    i = np.arange(n)
    return np.maximum(i - w, 0), np.minimum(i + w + 1, n)
