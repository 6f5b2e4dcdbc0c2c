"""Small text helpers the metadata readers share."""

from __future__ import annotations

import html
import re

_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]{2,8});")
_WORD = re.compile(r"\w+")


def clean_text(value: str | None) -> str:
    """White space folded and HTML entities decoded (pages double-encode them:
    "&amp;#163;" reaches the tree as "&#163;")."""
    if not value:
        return ""
    if "&" in value and _ENTITY.search(value):
        value = html.unescape(value)
    return " ".join(value.split())


def words(text: str) -> list[str]:
    """The casefolded words of `text`."""
    return _WORD.findall(text.casefold())


def overlap(a: str, b: str) -> float:
    """Share of the shorter text's words that the other text has too."""
    wa, wb = set(words(a)), set(words(b))
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))
