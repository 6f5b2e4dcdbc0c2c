"""Assertions of the result contract (spec/API.md), shared by the tests that check pages.

The comparison itself is the product's (`rules check` runs it over fixtures); the tests add
what only they check.
"""

from __future__ import annotations

from typing import Any

from service.rules.check import compare_result


def problems(result: dict[str, Any], expected: dict[str, Any], raw: str | None) -> list[str]:
    """Every way `result` departs from `expected`; offsets are checked when `raw` is given."""
    found = compare_result(expected, result, raw)
    if result["body"] != "\n\n".join(result["paragraphs"]):
        found.append("body is not the paragraphs joined by a blank line")
    return found
