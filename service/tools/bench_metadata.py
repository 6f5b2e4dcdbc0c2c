"""Metadata benchmark: ``python -m service bench --metadata``.

Scores the date, title and authors this project returns against two evaluation sets with
gold metadata (read from a path, never copied into the repo), on both tracks (the page's
HTML, and the page rendered to visible text with ``html_text.extract_text``), with its
peers in the same run on the same pages:

- ``../shared/bench/dates/``: htmldate's 800 pages with the publication date. Metric
  (htmldate's ``tests/comparison.py``): the gold ``YYYY-MM-DD`` against the first 10
  characters of the prediction; right is a true positive, wrong a false positive, none a
  false negative.
- ``../shared/bench/trafilatura-eval/``: trafilatura's 872 pages. Metric (trafilatura's
  ``tests/evaluate.py``): over the pages where the field is annotated, the share right:
  title loose (containment either way, casefolded), author loose (the same set of
  casefolded word tokens, ignoring and/und/et/y/e/by), date ``YYYY-MM-DD`` equality; the
  exact (``=``) matches beside them.

Peers: htmldate (fast and extensive, with the url, ``original_date=True`` as its evaluation
runs it), trafilatura's ``extract_metadata`` and newspaper4k. Each row has the median ms per
page; this project's rows also the median ms of the metadata stage alone.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..engine import pipeline
from ..engine.pipeline import clean
from .bench import _version, header, lines_as_paragraphs, render_text

DATES_DATASET = Path("..") / "shared" / "bench" / "dates"
TRAFILATURA_DATASET = Path("..") / "shared" / "bench" / "trafilatura-eval"
PEER_PACKAGES = ("htmldate", "newspaper4k", "dateparser")
# Words that author lists join names with, which trafilatura's loose author match ignores.
AUTHOR_JOINERS = frozenset({"and", "und", "et", "y", "e", "by"})
_WORD = re.compile(r"\w+")


@dataclass
class Prediction:
    """What one system says about one page."""

    title: str | None = None
    author: str | None = None  # several names joined by "; "
    date: str | None = None


@dataclass
class Row:
    """One system's predictions over a set, with its timings."""

    name: str
    preds: dict[str, Prediction] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)
    stage_times: list[float] = field(default_factory=list)


System = Callable[[dict], Prediction]


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


def load_set(root: Path, limit: int | None = None) -> dict[str, dict]:
    """``{id: {"url", "html", "gold": {...}}}`` of one evaluation set (sorted by id)."""
    truth_file = root / "ground-truth.json"
    if not truth_file.exists():
        raise SystemExit(f"bench: no ground-truth.json under {root}")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    pages = {}
    for pid in ids:
        raw = gzip.decompress((root / "html" / f"{pid}.html.gz").read_bytes())
        gold = {k: truth[pid].get(k) for k in ("title", "author", "date")}
        if isinstance(gold["author"], list):  # a few pages list their authors
            gold["author"] = "; ".join(gold["author"])
        pages[pid] = {"url": truth[pid]["url"], "html": _decode(raw), "gold": gold}
    return pages


def _decode(raw: bytes) -> str:
    """The page's text as a crawler decodes it (declared or detected charset)."""
    try:
        from trafilatura.utils import decode_file
    except ImportError:  # pragma: no cover - trafilatura is a dependency
        return raw.decode("utf-8", errors="replace")
    return decode_file(raw)


# ---------------------------------------------------------------------------
# Systems
# ---------------------------------------------------------------------------


def _from_result(result: dict) -> Prediction:
    authors = result.get("authors") or []
    return Prediction(result.get("title"), "; ".join(authors) or None, result.get("date"))


def project(track: str, with_url: bool = True) -> System:
    """``clean()`` on the page's HTML or its text, with or without its url."""

    def run(page: dict) -> Prediction:
        url = page["url"] if with_url else None
        if track == "html":
            return _from_result(clean(html=page["html"], url=url))
        return _from_result(clean(text=page["text"], url=url))

    return run


def htmldate_system(extensive: bool, track: str) -> System:
    def run(page: dict) -> Prediction:
        from htmldate import find_date

        html = page["html"] if track == "html" else _pre(page["text"])
        found = find_date(html, url=page["url"], original_date=True,
                          extensive_search=extensive)
        return Prediction(date=found)

    return run


def _pre(text: str) -> str:
    import html as htmllib

    return f"<html><body><pre>{htmllib.escape(text)}</pre></body></html>"


def trafilatura_system(track: str) -> System:
    def run(page: dict) -> Prediction:
        from trafilatura import extract_metadata

        html = page["html"] if track == "html" else lines_as_paragraphs(page["text"])
        doc = extract_metadata(html, default_url=page["url"])
        return Prediction(doc.title, doc.author, doc.date)

    return run


def newspaper_system(page: dict) -> Prediction:
    from newspaper import Article

    article = Article(page["url"], fetch_images=False)
    article.download(input_html=page["html"])
    article.parse()
    when = article.publish_date.date().isoformat() if article.publish_date else None
    return Prediction(article.title or None, "; ".join(article.authors) or None, when)


def _peers_available() -> dict[str, bool]:
    found = {}
    for module in ("htmldate", "trafilatura", "newspaper", "html_text"):
        try:
            __import__(module)
            found[module] = True
        except ImportError:
            found[module] = False
    return found


def systems(track: str, peers: bool) -> list[tuple[str, System]]:
    """(name, system) pairs of a track."""
    out = [("this project, with url", project(track)),
           ("this project, without url", project(track, with_url=False))]
    if not peers:
        return out
    have = _peers_available()
    if have["htmldate"]:
        out += [("htmldate extensive, with url", htmldate_system(True, track))]
        if track == "html":
            out += [("htmldate fast, with url", htmldate_system(False, track))]
    if have["trafilatura"]:
        out += [("trafilatura metadata, with url", trafilatura_system(track))]
    if have["newspaper"] and track == "html":
        out += [("newspaper4k, with url", newspaper_system)]
    return out


@contextmanager
def _stage_timer(times: list[float]) -> Iterator[None]:
    """Time the pipeline's metadata stage alone while the block runs."""
    original = getattr(pipeline, "read_metadata", None)
    if original is None:
        yield
        return

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            times.append((time.perf_counter() - start) * 1000)

    pipeline.read_metadata = timed
    try:
        yield
    finally:
        pipeline.read_metadata = original


def run_system(name: str, fn: System, pages: dict[str, dict]) -> Row:
    row = Row(name)
    fn(next(iter(pages.values())))  # lazy imports and tables before timing starts
    with _stage_timer(row.stage_times):
        row.stage_times.clear()
        for pid, page in pages.items():
            start = time.perf_counter()
            try:
                pred = fn(page)
            except Exception:  # a peer that fails on a page counts as no answer  # noqa: BLE001
                pred = Prediction()
            row.times.append((time.perf_counter() - start) * 1000)
            row.preds[pid] = pred
    if not name.startswith("this project"):
        row.stage_times.clear()
    return row


# ---------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------


def date_scores(row: Row, pages: dict[str, dict]) -> tuple[float, float, float, float]:
    """htmldate's (F1, precision, recall, accuracy) of the date."""
    tp = fp = fn = 0
    for pid, page in pages.items():
        gold, pred = page["gold"]["date"], row.preds[pid].date
        if not gold:
            continue
        if not pred:
            fn += 1
        elif pred[:10] == gold[:10]:
            tp += 1
        else:
            fp += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    total = tp + fp + fn
    return f1, precision, recall, (tp / total if total else 0.0)


def title_match(gold: str, pred: str | None, loose: bool) -> bool:
    if not pred:
        return False
    gold, pred = " ".join(gold.split()), " ".join(pred.split())
    if not loose:
        return gold == pred
    gold, pred = gold.casefold(), pred.casefold()
    return gold in pred or pred in gold


def author_tokens(names: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(names.casefold()) if w not in AUTHOR_JOINERS)


def author_match(gold: str, pred: str | None, loose: bool) -> bool:
    if not pred:
        return False
    if not loose:
        return " ".join(gold.split()) == " ".join(pred.split())
    return author_tokens(gold) == author_tokens(pred)


def field_scores(row: Row, pages: dict[str, dict]) -> dict[str, float]:
    """trafilatura's metadata scores: the share right over the annotated pages."""
    right = {"title=": 0, "title~": 0, "author=": 0, "author~": 0, "date": 0}
    annotated = {"title": 0, "author": 0, "date": 0}
    for pid, page in pages.items():
        gold, pred = page["gold"], row.preds[pid]
        if gold.get("title"):
            annotated["title"] += 1
            right["title="] += title_match(gold["title"], pred.title, loose=False)
            right["title~"] += title_match(gold["title"], pred.title, loose=True)
        if gold.get("author"):
            annotated["author"] += 1
            right["author="] += author_match(gold["author"], pred.author, loose=False)
            right["author~"] += author_match(gold["author"], pred.author, loose=True)
        if gold.get("date"):
            annotated["date"] += 1
            right["date"] += bool(pred.date) and pred.date[:10] == gold["date"]
    return {key: count / max(1, annotated[key.rstrip("=~")]) for key, count in right.items()}


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def _ms(times: list[float]) -> str:
    return f"{statistics.median(times):.2f}" if times else "—"


def dates_table(track: str, rows: list[Row], pages: dict[str, dict]) -> str:
    lines = [f"dates (htmldate's set), track: {track} ({len(pages)} pages)",
             "| system | F1 | precision | recall | accuracy | median ms | stage median ms |",
             "|---|---|---|---|---|---|---|"]
    for row in rows:
        f1, p, r, acc = date_scores(row, pages)
        lines.append(f"| {row.name} | {f1:.3f} | {p:.3f} | {r:.3f} | {acc:.3f} | "
                     f"{_ms(row.times)} | {_ms(row.stage_times)} |")
    return "\n".join(lines)


def fields_table(track: str, rows: list[Row], pages: dict[str, dict]) -> str:
    lines = [f"metadata (trafilatura's corpus), track: {track} ({len(pages)} pages)",
             "| system | title = | title ~ | author = | author ~ | date | median ms "
             "| stage median ms |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        s = field_scores(row, pages)
        given = {name: any(getattr(p, name) for p in row.preds.values())
                 for name in ("title", "author", "date")}
        cells = [f"{s[key]:.3f}" if given[key.rstrip("=~")] else "—"
                 for key in ("title=", "title~", "author=", "author~", "date")]
        lines.append(f"| {row.name} | {' | '.join(cells)} | {_ms(row.times)} | "
                     f"{_ms(row.stage_times)} |")
    return "\n".join(lines)


def _print_misses(row: Row, pages: dict[str, dict], fields: tuple[str, ...], n: int) -> None:
    shown = 0
    for pid, page in pages.items():
        gold, pred = page["gold"], row.preds[pid]
        wrong = []
        for name in fields:
            want, got = gold.get(name), getattr(pred, name)
            ok = {"date": lambda w, g: bool(g) and g[:10] == w,
                  "title": lambda w, g: title_match(w, g, loose=True),
                  "author": lambda w, g: author_match(w, g, loose=True)}[name]
            if want and not ok(want, got):
                wrong.append(f"{name}: {got!r} want {want!r}")
        if wrong:
            print(f"  {pid} {page['url'][:70]}\n    " + "\n    ".join(wrong))
            shown += 1
            if shown >= n:
                return


def main(argv: list[str]) -> int:
    """Entry point of ``python -m service bench --metadata``."""
    ap = argparse.ArgumentParser(prog="python -m service bench --metadata",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--dates", type=Path, default=DATES_DATASET)
    ap.add_argument("--trafilatura", type=Path, default=TRAFILATURA_DATASET)
    ap.add_argument("--set", choices=("dates", "trafilatura", "both"), default="both")
    ap.add_argument("--track", choices=("text", "html", "both"), default="both")
    ap.add_argument("--peers", action="store_true", help="also measure the peers")
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages of a set")
    ap.add_argument("--misses", type=int, default=0,
                    help="list this project's first N pages with a wrong field")
    a = ap.parse_args(argv)
    print(header())
    print("metadata peers: " + ", ".join(f"{p} {_version(p)}" for p in PEER_PACKAGES), flush=True)
    sets = [("dates", a.dates), ("trafilatura", a.trafilatura)]
    tracks = ("html", "text") if a.track == "both" else (a.track,)
    for name, root in sets:
        if a.set not in (name, "both"):
            continue
        pages = load_set(root, a.limit)
        if "text" in tracks:
            for page in pages.values():
                page["text"] = render_text(page["html"])
        for track in tracks:
            rows = [run_system(label, fn, pages) for label, fn in systems(track, a.peers)]
            print()
            table = dates_table if name == "dates" else fields_table
            print(table(track, rows, pages), flush=True)
            if a.misses:
                fields = ("date",) if name == "dates" else ("title", "author", "date")
                _print_misses(rows[0], pages, fields, a.misses)
    return 0
