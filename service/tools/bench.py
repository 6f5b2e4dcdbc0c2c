"""Body-extraction benchmark: ``python -m service bench``.

Scores this project's body extraction on both development benchmarks
(``service.tools.datasets``: the article-extraction benchmark's 121 pages, scored by word
4-shingles; trafilatura's corpus's 872 pages, scored by its with/without snippets), each on
two tracks:

- html: the page's HTML goes in;
- text: the page rendered with ``html_text.extract_text(html)`` (default options) goes in.

Every table has the in-sample row ("this project": the shipped models, trained on these
pages) and the row to report, "5-fold CV by site": all of ``clean()`` run with the fold
models (``training/folds``) that never saw the page's site. With ``--peers`` it measures
trafilatura, readability-lxml, jusText and the whole-text floor on the same pages in the
same run, so their timings compare with ours.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html as htmllib
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path

from ..engine.pipeline import clean
from ..models import runtime
from . import datasets
from .datasets import BenchPage
from .metric import page_counts, score_counts, score_snippets, snippet_counts

FOLDS_DIR = Path(__file__).resolve().parents[2] / "training" / "folds"
VERSIONED_PACKAGES = (
    "trafilatura", "readability-lxml", "jusText", "html-text", "lxml", "selectolax",
    "lightgbm", "numpy", "wordfreq",
)
CV_ROW = "this project, 5-fold CV by site"

Extractor = Callable[[BenchPage], str]


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


@cache
def fold_models(track: str) -> list[runtime.TwoStage] | None:
    """The fold models of a track (``training/folds``; absent from an installed package)."""
    path = FOLDS_DIR / f"{track}_model_folds.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return [runtime.TwoStage.from_json(m) for m in data["models"]]


def project_text(page: BenchPage) -> str:
    return clean(text=page.text)["body"] or ""


def project_html(page: BenchPage) -> str:
    return clean(html=page.html)["body"] or ""


def _under_folds(fn: Extractor) -> Extractor:
    """``fn`` (all of ``clean()``) with the fold models that never saw the page's site: the
    cascade decides as it would on an unseen page, so the timing is the one to compare."""

    def run(page: BenchPage) -> str:
        k = page.fold
        with runtime.using(text_model=fold_models("text")[k],
                           html_model=fold_models("html")[k]):
            return fn(page)

    return run


def _trafilatura(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def _readability(html: str) -> str:
    from readability import Document

    return render_text(Document(html).summary(html_partial=True))


@cache
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
    """(name, extractor) pairs of a track; extractors take a page."""
    own = project_text if track == "text" else project_html
    out = [("this project", own)]
    if fold_models("text") and fold_models("html"):
        out.append((CV_ROW, _under_folds(own)))
    if not peers:
        return out
    if track == "text":
        return out + [
            ("trafilatura (one <p> per line)",
             lambda p: _trafilatura(lines_as_paragraphs(p.text))),
            ("jusText (one <p> per line)", lambda p: _justext(lines_as_paragraphs(p.text))),
            ("whole text (no cleaning)", lambda p: p.text),
        ]
    return out + [
        ("trafilatura", lambda p: _trafilatura(p.html)),
        ("readability-lxml", lambda p: _readability(p.html)),
        ("jusText", lambda p: _justext(p.html)),
        ("whole text (no cleaning)", lambda p: p.text),
    ]


def run_system(fn: Extractor, pages: dict[str, BenchPage]) -> tuple:
    """(f1, precision, recall, median ms/page, p90 ms/page, outputs by page) of one
    extractor on one benchmark."""
    outputs, times = {}, []
    fn(next(iter(pages.values())))  # imports and model loading are not a page's time
    for pid, page in pages.items():
        start = time.perf_counter()
        outputs[pid] = fn(page)
        times.append((time.perf_counter() - start) * 1000)
    f1, p, r = score(pages, outputs)
    p90 = statistics.quantiles(times, n=10)[-1] if len(times) > 1 else times[0]
    return f1, p, r, statistics.median(times), p90, outputs


def score(pages: dict[str, BenchPage], outputs: dict[str, str]) -> tuple[float, float, float]:
    """(f1, precision, recall) by the benchmark's own metric."""
    if all(p.gold is not None for p in pages.values()):
        return score_counts(page_counts(pages[i].gold, out) for i, out in outputs.items())
    return score_snippets(snippet_counts(pages[i].with_, pages[i].without, out)
                          for i, out in outputs.items())


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
        f"machine: {_cpu_model()}, {os.cpu_count()} cores, {platform.system()}, "
        f"load {os.getloadavg()[0]:.1f}",
        f"python: {platform.python_version()}",
        f"packages: {versions}",
    ])


def table(title: str, results: list[tuple[str, tuple]]) -> str:
    lines = [
        title,
        "| system | F1 | precision | recall | median ms/page | p90 ms/page |",
        "|---|---|---|---|---|---|",
    ]
    for name, (f1, p, r, ms, p90, _out) in results:
        lines.append(f"| {name} | {f1:.3f} | {p:.3f} | {r:.3f} | {ms:.1f} | {p90:.1f} |")
    return "\n".join(lines)


def cascade_note(pages: dict[str, BenchPage]) -> str:
    """How the cascade decided the pages of the html track, under the fold models."""
    from ..engine import generic_html, render

    counts: dict[str, int] = {}
    for page in pages.values():
        k = page.fold
        with runtime.using(text_model=fold_models("text")[k],
                           html_model=fold_models("html")[k]):
            rule = generic_html.decide(render.load(page.html), None).rule
        counts[rule] = counts.get(rule, 0) + 1
    parts = ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items()))
    return f"cascade under the fold models, pages decided by: {parts} (of {len(pages)})"


def main(argv: list[str]) -> int:
    """Entry point of ``python -m service bench``."""
    if "--metadata" in argv:  # the metadata benchmark has its own sets and options
        from .bench_metadata import main as metadata_main

        return metadata_main([arg for arg in argv if arg != "--metadata"])
    ap = argparse.ArgumentParser(prog="python -m service bench", description=__doc__.split("\n")[0])
    ap.add_argument("--metadata", action="store_true",
                    help="the metadata benchmark instead (see: bench --metadata --help)")
    ap.add_argument("--benchmark", choices=("article", "trafilatura", "both"), default="both")
    ap.add_argument("--track", choices=("text", "html", "both"), default="both")
    ap.add_argument("--peers", action="store_true", help="also measure peer extractors")
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages of each")
    ap.add_argument("--worst", type=int, default=0, help="list the N worst pages per table")
    a = ap.parse_args(argv)
    loaders = {"article": datasets.load_article, "trafilatura": datasets.load_trafilatura}
    names = tuple(loaders) if a.benchmark == "both" else (a.benchmark,)
    tracks = ("text", "html") if a.track == "both" else (a.track,)
    print(header())
    for name in names:
        pages = loaders[name](limit=a.limit)
        for page in pages.values():
            page.text = render_text(page.html)
        for track in tracks:
            results = [(label, run_system(fn, pages)) for label, fn in systems(track, a.peers)]
            print()
            print(table(f"{name} benchmark, {track} track ({len(pages)} pages)", results))
            if track == "html" and fold_models("html"):
                print(cascade_note(pages))
            if a.worst:
                _print_worst(pages, results, a.worst)
            sys.stdout.flush()
    return 0


def _print_worst(pages: dict[str, BenchPage], results: list, n: int) -> None:
    """The pages the reported row (CV when there is one) scores worst on."""
    outputs = [r for label, r in results if label.startswith("this project")][-1][5]

    def f1(pid: str) -> float:
        return score({pid: pages[pid]}, {pid: outputs[pid]})[0]

    for pid in sorted(outputs, key=f1)[:n]:
        print(f"  {pid[:10]} F1 {f1(pid):.2f} {pages[pid].url[:80]}")
