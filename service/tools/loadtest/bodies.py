"""The request bodies the load phases send: the seed pages and the benchmark's HTML."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

from .common import SEEDS


@dataclass
class Body:
    content_type: str
    path: Path
    data: bytes


def load_bodies(dataset: Path | None, scratch: Path) -> tuple[list[Body], str]:
    """Seed and benchmark pages, alternating 1:1 (seeds cycle), and a note on what was used.

    Benchmark pages are inflated into `scratch` (a temporary directory, never the repo)
    so wrk can read them."""
    seeds = [Body("text/plain", p, p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))]
    html_dir = _html_dir(dataset)
    if html_dir is None:
        return seeds, f"seed pages only: no benchmark pages under {dataset}"
    pages = []
    for source in sorted(html_dir.glob("*.html.gz")):
        target = scratch / source.name.removesuffix(".gz")
        target.write_bytes(gzip.decompress(source.read_bytes()))
        pages.append(Body("text/html", target, target.read_bytes()))
    mixed = [b for i, page in enumerate(pages) for b in (seeds[i % len(seeds)], page)]
    note = f"{len(seeds)} seed pages (text/plain) and {len(pages)} benchmark pages (text/html)"
    return mixed, note + ", alternating 1:1"


def _html_dir(dataset: Path | None) -> Path | None:
    for candidate in (dataset / "html", dataset) if dataset else ():
        if candidate.is_dir() and any(candidate.glob("*.html.gz")):
            return candidate
    return None


def write_manifest(bodies: list[Body], path: Path) -> Path:
    path.write_text("".join(f"{b.content_type}\t{b.path}\n" for b in bodies), encoding="utf-8")
    return path
