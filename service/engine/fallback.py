"""Outlet rules never make a page worse than generic extraction would.

Rules know an outlet's template better than any generic extractor, so they are the better
source for metadata and for what the template strips. But a template changes: when the
rules keep a small part of what generic extraction keeps (an end marker fired early, the
headline was not found, the body sits where the rules do not look), the body comes from
generic extraction instead, with every piece the rules recognised still stripped. The page
says so in its warnings and in `Page.fallback`, which the service counts in a metric.
"""

from __future__ import annotations

from ..rules import RuleSet
from .generic_text import classify_page
from .page import Page
from .textprep import is_prose

# The rules' body is trusted without a second opinion when it holds at least this share of
# the words of the prose paragraphs that no rule recognised (kept, or stripped only for
# where they stand).
TRUSTED_SHARE = 0.6
# Generic extraction takes over when the rules keep less than this share of its body, and
# it keeps at least this many words more.
FALLBACK_BELOW = 0.5
MIN_WORDS_LOST = 40


def guard(page: Page, rs: RuleSet) -> None:
    """Give the body to generic extraction when the rules lose most of it."""
    if page.fallback:
        return
    kept = sum(b.words for b in page.blocks if b.kept)
    unrecognised = sum(b.words for b in page.blocks
                       if (b.kept or b.region or not b.decided) and is_prose(b.text))
    if not unrecognised or kept >= TRUSTED_SHARE * unrecognised:
        return
    verdicts, _title = classify_page([b.text for b in page.blocks], [b.gap for b in page.blocks])
    generic = sum(b.words for b, v in zip(page.blocks, verdicts, strict=True) if v.keep)
    if kept >= FALLBACK_BELOW * generic or generic - kept < MIN_WORDS_LOST:
        return
    for block, verdict in zip(page.blocks, verdicts, strict=True):
        if verdict.keep and (block.kept or block.region or not block.decided):
            block.keep("generic:rules-fallback")
        elif block.kept:
            block.strip(verdict.kind, f"generic:{verdict.rule}")
    page.fallback = "rules_kept_too_little"
    page.notes.append(
        f"{rs.name} rules kept {kept} words where generic extraction keeps {generic}: the "
        "body comes from generic extraction, with the lines the rules recognise still stripped"
    )
