"""Article-extraction benchmark: ``python -m service bench``.

Scores this project's body extraction against the article-extraction benchmark (121 pages
with gold bodies, read from a path, never copied into the repo) on two tracks:

- html: the page's HTML goes in;
- text: the page rendered with ``html_text.extract_text(html)`` (default options) goes in.

With ``--peers`` it measures trafilatura, readability-lxml, jusText and the whole-text floor
on the same pages in the same run. The learned parts of the extractor are also scored out
of sample: every page is cleaned by the fold models that were trained without its site
(``scripts/train_text_model.py`` for the text classifier, ``scripts/train_html_model.py``
for the HTML block classifier), and that row is the figure to report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import html as htmllib
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from urllib.parse import urlparse

from ..engine import generic_text
from ..engine.generic_html import models
from ..engine.pipeline import clean
from ..models.text_features import DATA_DIR
from .metric import page_counts, score_counts

DEFAULT_DATASET = Path("..") / "shared" / "bench" / "article-extraction"
N_FOLDS = 5
FOLDS_FILE = DATA_DIR / "text_model_folds.json"
HTML_FOLDS_FILE = DATA_DIR / "html_model_folds.json"
VERSIONED_PACKAGES = (
    "trafilatura", "readability-lxml", "jusText", "html-text", "lxml", "selectolax", "resiliparse",
    "wordfreq",
)

Extractor = Callable[[dict], str]


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


def load_dataset(root: Path, limit: int | None = None) -> dict[str, dict]:
    """``{id: {"html", "gold", "url"}}`` of the benchmark at ``root`` (sorted by id)."""
    truth_file = root / "ground-truth.json"
    if not truth_file.exists():
        raise SystemExit(f"bench: no ground-truth.json under {root} (use --dataset DIR)")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    pages = {}
    for pid in ids:
        raw = gzip.decompress((root / "html" / f"{pid}.html.gz").read_bytes())
        pages[pid] = {
            "html": raw.decode("utf-8", errors="replace"),
            "gold": truth[pid]["articleBody"],
            "url": truth[pid]["url"],
        }
    return pages


def fold_of(url: str) -> int:
    """CV fold of a page: grouped by site, so no fold model has seen the page's outlet."""
    host = (urlparse(url).hostname or "").removeprefix("www.")
    return int(hashlib.md5(host.encode("utf-8")).hexdigest(), 16) % N_FOLDS


def _html_text():
    try:
        import html_text
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SystemExit(
            "bench: the text track needs html-text (pip install 'news-cleaner[peers]')"
        ) from exc
    return html_text


def render_text(html: str) -> str:
    """The text-track input: the page as ``html_text.extract_text`` renders it."""
    return _html_text().extract_text(html)


def lines_as_paragraphs(text: str) -> str:
    """HTML with one <p> per non-blank line, to feed HTML tools on the text track."""
    return "<html><body>" + "".join(
        f"<p>{htmllib.escape(line)}</p>" for line in text.splitlines() if line.strip()
    ) + "</body></html>"


# ---------------------------------------------------------------------------
# Systems
# ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _fold_models() -> list[dict] | None:
    if not FOLDS_FILE.exists():
        return None
    return json.loads(FOLDS_FILE.read_text(encoding="utf-8"))["models"]


@lru_cache(maxsize=1)
def _html_fold_models() -> list[dict] | None:
    if not HTML_FOLDS_FILE.exists():
        return None
    return json.loads(HTML_FOLDS_FILE.read_text(encoding="utf-8"))["models"]


def project_text(page: dict) -> str:
    return clean(text=page["text"])["body"] or ""


def project_text_cv(page: dict) -> str:
    model = _fold_models()[fold_of(page["url"])]
    return generic_text.extract_body(page["text"], model=model)


def project_html(page: dict) -> str:
    return clean(html=page["html"])["body"] or ""


def project_html_cv(page: dict) -> str:
    """All of ``clean(html=...)`` with the fold models that never saw the page's site: the
    cascade decides as it would on an unseen page, so the timing is the one to compare."""
    fold = fold_of(page["url"])
    with models(_html_fold_models()[fold], _fold_models()[fold]):
        return project_html(page)


def cascade_counts(pages: dict[str, dict]) -> tuple[int, int]:
    """(pages the block classifier decided alone, pages) under the fold models."""
    from ..engine import render as htmlpage
    from ..engine.generic_html import extract_html_article

    alone = 0
    for page in pages.values():
        fold = fold_of(page["url"])
        tree = htmlpage.parse(page["html"])
        article = extract_html_article(
            page["html"], page["url"], model=_fold_models()[fold], tree=tree,
            rendered=htmlpage.render(tree), html_model=_html_fold_models()[fold],
        )
        alone += article.keep is not None
    return alone, len(pages)


def _trafilatura(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def _readability(html: str) -> str:
    from readability import Document

    return render_text(Document(html).summary(html_partial=True))


@lru_cache(maxsize=1)
def _justext_stoplist() -> frozenset[str]:
    import justext

    # Pages come in several languages: use the union of jusText's own stop-lists.
    words: set[str] = set()
    for name in justext.get_stoplists():
        words |= justext.get_stoplist(name)
    return frozenset(words)


def _justext(html: str) -> str:
    import justext

    paras = justext.justext(html.encode("utf-8"), _justext_stoplist(), encoding="utf-8")
    return "\n".join(p.text for p in paras if not p.is_boilerplate)


def systems(track: str, peers: bool) -> list[tuple[str, Extractor]]:
    """(name, extractor) pairs of a track; extractors take a page dict."""
    if track == "text":
        out = [("this project", project_text)]
        if _fold_models():
            out.append(("this project, 5-fold CV by site", project_text_cv))
        if peers:
            out += [
                ("trafilatura (one <p> per line)",
                 lambda p: _trafilatura(lines_as_paragraphs(p["text"]))),
                ("jusText (one <p> per line)",
                 lambda p: _justext(lines_as_paragraphs(p["text"]))),
                ("whole text (no cleaning)", lambda p: p["text"]),
            ]
        return out
    out = [("this project", project_html)]
    if _fold_models() and _html_fold_models():
        out.append(("this project, 5-fold CV by site", project_html_cv))
    if peers:
        out += [
            ("trafilatura", lambda p: _trafilatura(p["html"])),
            ("readability-lxml", lambda p: _readability(p["html"])),
            ("jusText", lambda p: _justext(p["html"])),
            ("whole text (no cleaning)", lambda p: p["text"]),
        ]
    return out


def run_system(fn: Extractor, pages: dict[str, dict]) -> tuple:
    """(f1, precision, recall, median ms/page, per-page counts, p90 ms/page) of one
    extractor."""
    rows, times = {}, []
    for pid, page in pages.items():
        start = time.perf_counter()
        pred = fn(page)
        times.append((time.perf_counter() - start) * 1000)
        rows[pid] = page_counts(page["gold"], pred)
    f1, p, r = score_counts(rows.values())
    p90 = statistics.quantiles(times, n=10)[-1] if len(times) > 1 else times[0]
    return f1, p, r, statistics.median(times), rows, p90


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(pkg: str) -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return "not installed"


def header() -> str:
    versions = ", ".join(f"{p} {_version(p)}" for p in VERSIONED_PACKAGES)
    return "\n".join([
        f"date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"machine: {_cpu_model()}, {os.cpu_count()} cores, {platform.system()}",
        f"python: {platform.python_version()}",
        f"packages: {versions}",
    ])


def table(track: str, results: list[tuple[str, tuple]], n_pages: int) -> str:
    lines = [
        f"track: {track} ({n_pages} pages)",
        "| system | F1 | precision | recall | median ms/page | p90 ms/page |",
        "|---|---|---|---|---|---|",
    ]
    for name, (f1, p, r, ms, _rows, p90) in results:
        lines.append(f"| {name} | {f1:.3f} | {p:.3f} | {r:.3f} | {ms:.1f} | {p90:.1f} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Entry point of ``python -m service bench``."""
    if "--metadata" in argv:  # the metadata benchmark has its own sets and options
        from .bench_metadata import main as metadata_main

        return metadata_main([arg for arg in argv if arg != "--metadata"])
    ap = argparse.ArgumentParser(prog="python -m service bench", description=__doc__.split("\n")[0])
    ap.add_argument("--metadata", action="store_true",
                    help="the metadata benchmark instead (see: bench --metadata --help)")
    ap.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    ap.add_argument("--track", choices=("text", "html", "both"), default="both")
    ap.add_argument("--peers", action="store_true", help="also measure peer extractors")
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages")
    ap.add_argument("--worst", type=int, default=0, help="list the N worst pages per track")
    a = ap.parse_args(argv)
    pages = load_dataset(a.dataset, a.limit)
    for page in pages.values():
        page["text"] = render_text(page["html"])
    print(header())
    tracks = ("text", "html") if a.track == "both" else (a.track,)
    for track in tracks:
        results = [(name, run_system(fn, pages)) for name, fn in systems(track, a.peers)]
        print()
        print(table(track, results, len(pages)))
        if track == "html" and _html_fold_models():
            alone, total = cascade_counts(pages)
            print(f"cascade, fold models: {alone} of {total} pages decided by the block "
                  "classifier alone, the others by trafilatura corrected by it")
        if a.worst:
            # The out-of-sample row when there is one, else "this project".
            own = [r for name, r in results if name.startswith("this project")]
            _print_worst(own[-1][4], pages, a.worst)
    sys.stdout.flush()
    return 0


def _print_worst(rows: dict, pages: dict[str, dict], n: int) -> None:
    def f1(c: tuple) -> float:
        tp, fp, fn = c
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    for pid in sorted(rows, key=lambda k: f1(rows[k]))[:n]:
        tp, fp, fn = rows[pid]
        print(f"  {pid[:10]} F1 {f1(rows[pid]):.2f} tp {tp:.2f} fp {fp:.2f} fn {fn:.2f} "
              f"{pages[pid]['url'][:70]}")
