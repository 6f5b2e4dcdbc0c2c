"""The last stage: the contract's JSON, read off the page's marks and its metadata."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from ..rules import RuleSet
from .fingerprint import simhash
from .page import BODY, Page

SCHEMA_VERSION = "1"


def assemble(page: Page, rs: RuleSet | None) -> dict[str, Any]:
    """The result of cleaning `page` (with the outlet's rules `rs`, or none)."""
    paragraphs = [b.text for b in page.blocks if b.kind == BODY]
    body = "\n\n".join(paragraphs)
    meta = page.meta
    result: dict[str, Any] = {
        "outlet": rs.id if rs else None,
        "title": meta.title,
        "authors": list(meta.authors),
        "byline": meta.byline,
        "date": meta.date,
        "captions": [c.as_dict() for c in meta.captions],
        "metadata_sources": {
            name: source for name, source in meta.sources.items() if getattr(meta, name, None)
        },
        "paragraphs": paragraphs,
        "body": body,
        "stripped": _stripped(page),
        "kept": _kept(page),
        "fingerprint": simhash(body),
        "input": {
            "format": "html" if page.is_html else "text",
            "length": len(page.source),
            "print_layout": page.wrapped,
            "rules_version": rs.version if rs else None,
            "rules_fallback": page.fallback,
        },
        "warnings": list(page.notes),
        "schema_version": SCHEMA_VERSION,
    }
    if page.is_html:
        result["rendered_text"] = page.source
    return result


def _stripped(page: Page) -> list[dict[str, Any]]:
    source = page.source
    entries = []
    for block in page.blocks:
        kind = block.kind
        if kind == BODY:
            continue
        rule = block.rule or "unclassified"
        spans = block.spans
        for start, end in spans if len(spans) == 1 else _runs(source, spans):
            entries.append({"kind": kind or "boilerplate", "text": source[start:end],
                            "start": start, "end": end, "rule": rule})
    entries.sort(key=itemgetter("start"))
    return entries


def _kept(page: Page) -> list[dict[str, int]]:
    """Where the kept paragraphs came from in the input (or the rendered text of HTML)."""
    return [
        {"start": start, "end": end}
        for block in page.blocks
        if block.kind == BODY
        for start, end in _runs(page.source, block.spans)
    ]


def _runs(source: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge a block's line spans into runs that only white space separates."""
    if len(spans) == 1:
        return list(spans)  # most blocks are one line
    runs: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if runs and not source[runs[-1][1] : start].strip():
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs
