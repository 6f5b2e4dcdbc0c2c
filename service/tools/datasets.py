"""The two body benchmarks, read from ``../shared/bench`` (never copied into the repo).

- ``article``: the article-extraction benchmark (121 development pages, a gold body each);
  scored by word 4-shingle overlap (``metric.page_counts``).
- ``trafilatura``: trafilatura's evaluation corpus (872 development pages, snippets that
  belong to the main text and snippets that do not); scored by snippet presence
  (``metric.snippet_counts``).

Both are split into the same cross-validation folds, by site: a page's fold is a hash of
its site, so no fold model has seen the site of a page it scores, in either set.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

SHARED_BENCH = Path("..") / "shared" / "bench"
ARTICLE_DIR = SHARED_BENCH / "article-extraction"
TRAFILATURA_DIR = SHARED_BENCH / "trafilatura-eval"
N_FOLDS = 5

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)


@dataclass
class BenchPage:
    """One development page: its HTML (decoded) and what it is scored against."""

    id: str
    dataset: str  # "article" or "trafilatura"
    url: str
    html: str
    gold: str | None = None  # article: the gold body
    with_: list[str] = field(default_factory=list)  # trafilatura: snippets of the body
    without: list[str] = field(default_factory=list)  # trafilatura: snippets not of it
    text: str = ""  # the text-track input (html_text's rendering), set by the bench

    @property
    def site(self) -> str:
        return site_of(self.url)

    @property
    def fold(self) -> int:
        return fold_of(self.url)


def site_of(url: str) -> str:
    """The site a page belongs to: its host without ``www.``; for an archived page the
    archived host; for the corpus's file names (``hard::iwr.de.IWR-x.html``) the domain
    part of the name."""
    if url.startswith("https://web.archive.org/web/"):
        url = url.split("/", 5)[-1]
    host = urlparse(url).hostname
    if host is None:
        name = url.split("::", 1)[-1].removesuffix(".html").split("-", 1)[0]
        host = ".".join(p for p in name.split(".") if p.islower())
    return host.lower().removeprefix("www.")


def fold_of(url: str) -> int:
    """CV fold of a page: grouped by site, so no fold model has seen the page's site."""
    return int(hashlib.md5(site_of(url).encode("utf-8")).hexdigest(), 16) % N_FOLDS


def decode_page(raw: bytes) -> str:
    """The page's text as a crawler decodes it: UTF-8, else the charset its ``<meta>``
    declares, else Windows-1252."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET.search(raw[:4096])
    for name in ((match[1].decode("ascii"),) if match else ()) + ("cp1252",):
        try:
            return raw.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("utf-8", errors="replace")


def _truth(root: Path) -> dict:
    truth_file = root / "ground-truth.json"
    if not truth_file.exists():
        raise SystemExit(f"bench: no ground-truth.json under {root}")
    return json.loads(truth_file.read_text(encoding="utf-8"))


def _html(root: Path, pid: str) -> bytes:
    return gzip.decompress((root / "html" / f"{pid}.html.gz").read_bytes())


def load_article(root: Path = ARTICLE_DIR, limit: int | None = None) -> dict[str, BenchPage]:
    """The article-extraction benchmark's pages, by id (sorted)."""
    truth = _truth(root)
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    return {
        pid: BenchPage(pid, "article", truth[pid]["url"],
                       _html(root, pid).decode("utf-8", errors="replace"),
                       gold=truth[pid]["articleBody"])
        for pid in ids
    }


def load_trafilatura(root: Path = TRAFILATURA_DIR,
                     limit: int | None = None) -> dict[str, BenchPage]:
    """trafilatura's evaluation pages, by id (sorted)."""
    truth = _truth(root)
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    return {
        pid: BenchPage(pid, "trafilatura", truth[pid]["url"], decode_page(_html(root, pid)),
                       with_=list(truth[pid]["with"]), without=list(truth[pid]["without"]))
        for pid in ids
    }


def load_all(article_root: Path = ARTICLE_DIR, trafilatura_root: Path = TRAFILATURA_DIR,
             limit: int | None = None) -> dict[str, dict[str, BenchPage]]:
    """Both benchmarks: ``{"article": pages, "trafilatura": pages}``."""
    return {"article": load_article(article_root, limit),
            "trafilatura": load_trafilatura(trafilatura_root, limit)}
