"""Train the generic text block classifier (two-stage boosted trees) and its CV fold models.

Labels come from the article-extraction benchmark: a block is body when most of its
4-token shingles (or, for a block under four tokens, its whole token run) occur in the gold
article body. Pages are rendered with ``html_text.extract_text`` as in the text track.

Writes ``service/data/text_model.json`` (all 121 pages) and
``service/data/text_model_folds.json`` (one model per fold, trained without that fold's
sites; the benchmark scores each page with the model that did not see its site).
Needs numpy (training only; inference is pure Python). Takes a few minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import gbdt  # noqa: E402

from service.engine import generic_text  # noqa: E402
from service.models import text_features as gt  # noqa: E402
from service.tools.bench import N_FOLDS, fold_of, load_dataset, render_text  # noqa: E402

STAGE1_TREES = 100
STAGE2_TREES = 60
LABEL_MIN_SHARE = 0.5
SHORT_LABEL_REACH = 3
_TOKEN = re.compile(r"\w+")


def block_labels(blocks: list[str], gold: str) -> list[int]:
    """1 for blocks whose text belongs to the gold body."""
    gold_toks = _TOKEN.findall(gold)
    gold_str = " " + " ".join(gold_toks) + " "
    gold_sh = {tuple(gold_toks[i : i + 4]) for i in range(len(gold_toks) - 3)}
    out = []
    for b in blocks:
        toks = _TOKEN.findall(b)
        if not toks:
            out.append(0)
        elif len(toks) < 4:
            out.append(int((" " + " ".join(toks) + " ") in gold_str))
        else:
            sh = [tuple(toks[i : i + 4]) for i in range(len(toks) - 3)]
            out.append(int(sum(s in gold_sh for s in sh) / len(sh) > LABEL_MIN_SHARE))
    # A short block found in the gold only counts when it sits next to long body blocks
    # ("Health" in a menu also occurs in the article).
    long_body = [i for i, b in enumerate(blocks) if out[i] and len(_TOKEN.findall(b)) >= 4]
    for i, b in enumerate(blocks):
        if out[i] and len(_TOKEN.findall(b)) < 4:
            out[i] = int(any(abs(i - j) <= SHORT_LABEL_REACH for j in long_body))
    return out


def page_matrix(text: str, gold: str) -> tuple:
    blocks, gaps = generic_text.split_blocks(text)
    rows, info, _ = gt.text_features(blocks, gaps)
    labels = block_labels(blocks, gold)
    # Weight blocks by length (the metric counts shingles), each page summing to 1.
    raw = [math.sqrt(b.ntok + 1) for b in info]
    total = sum(raw) or 1.0
    return rows, labels, [r / total for r in raw], [b.ntok for b in info]


def fit_two_stage(mats: dict[str, tuple], ids: list[str], fold: dict[str, int],
                  trees: tuple[int, int] = (STAGE1_TREES, STAGE2_TREES)) -> dict:
    """Stage-1 trees on block features; stage-2 trees on context over stage-1 probabilities
    (learned from out-of-fold stage-1 probabilities, ``gbdt.fit_two_stage``)."""

    def context(pid: str, probs: list[float]) -> list[list[float]]:
        rows, _labels, _weights, ntoks = mats[pid]
        feats = gt.stage2_features(list(probs), ntoks)
        return [c + list(r) for c, r in zip(feats, rows, strict=True)]

    stage1, stage2 = gbdt.fit_two_stage(mats, ids, fold, context, *trees)
    return {"features": gt.text_feature_names(), "stage1": stage1, "stage2": stage2}


def build(pages: dict[str, dict]) -> dict[str, tuple]:
    out = {}
    for pid, page in pages.items():
        out[pid] = page_matrix(render_text(page["html"]), page["gold"])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", default=str(ROOT.parent / "shared/bench/article-extraction"))
    ap.add_argument("--out-dir", default=str(gt.DATA_DIR))
    ap.add_argument("--trees", type=int, nargs=2, default=(STAGE1_TREES, STAGE2_TREES),
                    metavar=("STAGE1", "STAGE2"), help="boosted trees per stage")
    a = ap.parse_args(argv)
    pages = load_dataset(Path(a.dataset))
    mats = build(pages)
    ids = sorted(pages)
    fold = {i: fold_of(pages[i]["url"]) for i in ids}
    trees = tuple(a.trees)
    gbdt.write_cv_models(
        "text_model", lambda subset: fit_two_stage(mats, subset, fold, trees), ids, fold, a.out_dir,
        N_FOLDS,
    )
    print(f"trained on {len(ids)} pages, {sum(len(m[1]) for m in mats.values())} blocks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
