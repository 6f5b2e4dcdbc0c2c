"""Assertions of the result contract (spec/API.md), shared by the tests that check pages."""

from __future__ import annotations

import re
from typing import Any

_WS = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")


def fold(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def problems(result: dict[str, Any], expected: dict[str, Any], raw: str | None) -> list[str]:
    """Every way `result` departs from `expected`; offsets are checked when `raw` is given."""
    found = []
    for field in ("outlet", "title", "authors"):
        if field in expected and result.get(field) != expected[field]:
            found.append(f"{field}: {result.get(field)!r} != {expected[field]!r}")
    if "date" in expected:
        want, got = expected["date"], result.get("date")
        if (want is None) != (got is None) or (want and not got.startswith(want)):
            found.append(f"date: {got!r} != {want!r}")
    if "captions" in expected:
        got = [{"text": c["text"], "credit": c["credit"]} for c in result["captions"]]
        if got != expected["captions"]:
            found.append(f"captions: {got!r} != {expected['captions']!r}")
    if [fold(p) for p in result["paragraphs"]] != expected["paragraphs"]:
        found.append("paragraphs differ")
    if result["body"] != "\n\n".join(result["paragraphs"]):
        found.append("body is not the paragraphs joined by a blank line")
    stripped = " ".join(fold(s["text"]) for s in result["stripped"])
    found += [
        f"not stripped: {t!r}"
        for t in expected.get("stripped_texts", [])
        if fold(t) not in stripped
    ]
    kinds = {s["kind"] for s in result["stripped"]}
    found += [f"no stripped kind {k!r}" for k in expected.get("kinds", []) if k not in kinds]
    if raw is not None:
        found += offset_problems(result, raw)
    return found


def offset_problems(result: dict[str, Any], raw: str) -> list[str]:
    """Stripped offsets point at their text, and kept plus stripped cover every word."""
    found = [
        f"offsets of {s['text'][:40]!r} point elsewhere"
        for s in result["stripped"]
        if fold(raw[s["start"] : s["end"]]) != fold(s["text"])
    ]
    accounted = len(
        _TOKEN.findall(" ".join(result["paragraphs"] + [s["text"] for s in result["stripped"]]))
    )
    if accounted < len(_TOKEN.findall(raw)):
        found.append(f"input not accounted for: {accounted}/{len(_TOKEN.findall(raw))} tokens")
    return found
