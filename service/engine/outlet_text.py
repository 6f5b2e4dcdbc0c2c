"""Apply one outlet's rule set to a page's blocks.

The engine reads the template from the rule file and never names an outlet. A page is read
in three regions: the head (before the first prose paragraph: title, byline, date,
captions), the body (up to the first line that the rules say ends the article: kept,
except captions, teaser cards and lines the rules strip) and the tail (after the end:
author boxes, news feeds, newsletter and donation appeals, all stripped).
"""

from __future__ import annotations

import re
from typing import Any

from ..rules import Pattern, RuleSet
from .hyphenation import page_vocabulary
from .metadata.datetext import iso_from_parts
from .page import Block, Caption, Page
from .printfix import glue_lines
from .textprep import SENTENCE_END, is_headline, is_prose, normalise

# A short sentence just before the first prose paragraph still opens the body.
MIN_OPENING_WORDS = 4
# Cards are looked for only where most body paragraphs are set apart by blank lines.
MIN_BLANK_SEPARATED_SHARE = 0.5
# Unmatched head lines this short read as navigation rather than unexplained boilerplate.
MAX_NAV_WORDS = 5

_AUTHOR_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")
# Rule lists whose patterns recognise a whole line on its own (see split_recognised_lines).
LINE_ANCHORS = ("text.bylines", "text.dates", "text.lines", "text.authors", "text.end")


def apply_text_rules(page: Page, rs: RuleSet) -> None:
    """Mark every block of `page` by the rule set's text template."""
    split_recognised_lines(page, rs)
    blocks = page.blocks
    _mark_lines(blocks, rs)
    _read_bylines(blocks, rs, page)
    _read_authors(blocks, rs, page)
    _refine_figcaptions(blocks, rs, page)
    _read_captions(blocks, rs, page, scopes=("any",))
    start = body_start(blocks)
    if start is None:
        return  # no prose at all: the caller falls back to generic extraction
    end = _body_end(blocks, start, rs)
    start = _short_opening(blocks, start)
    _read_head(blocks[:start], rs, page)
    _read_body(blocks[start:end], rs, page)
    _read_tail(blocks[end:], rs)


def split_recognised_lines(page: Page, rs: RuleSet) -> None:
    """In print text, a line a rule recognises on its own (a byline, a date, a stripped line)
    stands alone again when unwrapping glued it to the lines around it."""
    if not page.wrapped:
        return
    anchors = [p for key in LINE_ANCHORS for p in rs.compiled(key)]
    vocabulary: frozenset[str] | None = None
    blocks: list[Block] = []
    for block in page.blocks:
        lines = [normalise(page.source[s:e]) for s, e in block.spans]
        whole = block.decided or any(p.search(block.text) for p in anchors)
        marks = [any(p.search(t) for p in anchors) for t in lines] if not whole else []
        if not any(marks):
            blocks.append(block)
            continue
        vocabulary = vocabulary or page_vocabulary(page.source)
        blocks += _split_block(block, lines, marks, vocabulary)
    page.blocks[:] = blocks


def _split_block(
    block: Block, lines: list[str], marks: list[bool], vocabulary: frozenset[str]
) -> list[Block]:
    """Each marked line its own block; runs of unmarked lines rejoined between them."""
    pieces: list[list[int]] = []
    for i, marked in enumerate(marks):
        if marked or not pieces or marks[pieces[-1][-1]]:
            pieces.append([i])
        else:
            pieces[-1].append(i)
    return [
        Block(
            _join_lines([lines[i] for i in piece], vocabulary),
            [block.spans[i] for i in piece],
            block.gap if n == 0 else 0,
            dom=block.dom,
        )
        for n, piece in enumerate(pieces)
    ]


def _join_lines(lines: list[str], vocabulary: frozenset[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        text = glue_lines(text, line, vocabulary)
    return text


def body_start(blocks: list[Block]) -> int | None:
    """Index of the first undecided block that reads as prose."""
    for i, block in enumerate(blocks):
        if not block.decided and is_prose(block.text):
            return i
    return None


def _short_opening(blocks: list[Block], start: int) -> int:
    """Move the body's start back over short sentences right before the first long one:
    an article may open with a one-line paragraph. Only undecided sentences count, so the
    head's title, byline and captions stay where they are."""
    while start > 0:
        block = blocks[start - 1]
        if block.decided or block.words < MIN_OPENING_WORDS:
            break
        if not SENTENCE_END.search(block.text):
            break
        start -= 1
    return start


def _first_match(patterns: list[Pattern], text: str) -> tuple[Pattern, Any] | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return pattern, match
    return None


def _mark_lines(blocks: list[Block], rs: RuleSet) -> None:
    kinds = [item["kind"] for item in rs.text("lines", [])]
    patterns = rs.compiled("text.lines")
    for block in blocks:
        if block.decided:
            continue
        for kind, pattern in zip(kinds, patterns, strict=True):
            if pattern.search(block.text):
                block.strip(kind, pattern.name)
                break


def _group(match: Any, name: str) -> str | None:
    try:
        value = match.group(name)
    except (IndexError, KeyError):
        return None
    return value.strip() if value else None


def add_authors(page: Page, names: str | None, source: str) -> None:
    """Add the author names a rule's match gives ("A, B and C"), in page order."""
    if names:
        page.meta.add_authors(_AUTHOR_SPLIT.split(names), source)


def _set_date(page: Page, match: Any, rs: RuleSet, source: str) -> None:
    if page.meta.date:
        return
    iso = iso_from_parts(_group(match, "date"), _group(match, "time"), rs.timezone)
    page.meta.set("date", iso, source)


def _read_bylines(blocks: list[Block], rs: RuleSet, page: Page) -> None:
    for block in blocks:
        if block.decided:
            continue
        found = _first_match(rs.compiled("text.bylines"), block.text)
        if not found:
            continue
        pattern, match = found
        block.strip("byline", pattern.name)
        page.meta.set("byline", block.text, pattern.name)
        add_authors(page, _group(match, "authors"), pattern.name)
        _set_date(page, match, rs, pattern.name)


def _read_authors(blocks: list[Block], rs: RuleSet, page: Page) -> None:
    items = rs.text("authors", [])
    patterns, afters = rs.compiled("text.authors"), rs.compiled("text.authors.after")
    for i, block in enumerate(blocks):
        if block.decided and block.kind != "author_bio":
            continue
        for item, pattern, after in zip(items, patterns, afters, strict=True):
            if after.regex is not None and not (i and after.search(blocks[i - 1].text)):
                continue
            match = pattern.search(block.text)
            if match:
                block.strip(item.get("kind", "author_bio"), pattern.name)
                add_authors(page, _group(match, "authors"), pattern.name)
                break


def _read_captions(blocks: list[Block], rs: RuleSet, page: Page, scopes: tuple[str, ...]) -> None:
    items = rs.text("captions", [])
    for block in blocks:
        if block.decided:
            continue
        for item, pattern in zip(items, rs.compiled("text.captions"), strict=True):
            if item.get("scope", "any") not in scopes:
                continue
            if "max_words" in item and block.words > item["max_words"]:
                continue
            match = pattern.search(block.text)
            if match:
                block.strip("caption", pattern.name)
                page.meta.captions.append(Caption(_group(match, "text"), _group(match, "credit")))
                break


def _refine_figcaptions(blocks: list[Block], rs: RuleSet, page: Page) -> None:
    """Split HTML figure captions into text and credit the way the outlet writes credits,
    which its caption patterns know better than a generic split."""
    lifted = [b for b in blocks if b.dom.caption and b.kind == "caption"]
    if not lifted or len(lifted) != len(page.meta.captions):
        return
    items = rs.text("captions", [])
    for block, caption in zip(lifted, page.meta.captions, strict=True):
        for item, pattern in zip(items, rs.compiled("text.captions"), strict=True):
            match = pattern.search(block.text)
            if match and block.words <= item.get("max_words", block.words):
                caption.text, caption.credit = _group(match, "text"), _group(match, "credit")
                break


def _body_end(blocks: list[Block], start: int, rs: RuleSet) -> int:
    enders = rs.compiled("text.end") + rs.compiled("text.sections.starts")
    for i in range(start + 1, len(blocks)):
        if any(p.search(blocks[i].text) for p in enders):
            return i
    return len(blocks)


def _read_head(head: list[Block], rs: RuleSet, page: Page) -> None:
    _read_title(head, rs, page)
    for block in head:
        if block.decided:
            continue
        found = _first_match(rs.compiled("text.dates"), block.text)
        if found:
            block.strip("date", found[0].name)
            _set_date(page, found[1], rs, found[0].name)
    _read_captions(head, rs, page, scopes=("head",))
    for block in head:
        if not block.decided:
            short = block.words <= MAX_NAV_WORDS and not SENTENCE_END.search(block.text)
            block.strip("navigation" if short else "boilerplate", "head:before-body")


def _read_title(head: list[Block], rs: RuleSet, page: Page) -> None:
    limits = rs.text("title") or {}
    if limits.get("max_words") is None:
        return
    title = page.meta.title
    for block in head:
        if block.decided:
            continue
        if title is None and is_headline(
            block.text, limits["max_words"], limits.get("min_words", 1)
        ):
            title = block.text
            page.meta.set("title", title, f"{rs.id}:text.title")
            block.strip("title", f"{rs.id}:text.title")
        elif title is not None and block.text == title:
            block.strip("title", f"{rs.id}:text.title(repeat)")


def _read_body(body: list[Block], rs: RuleSet, page: Page) -> None:
    _read_captions(body, rs, page, scopes=("body",))
    _mark_cards(body, rs)
    for block in body:
        if not block.decided:
            block.keep("body")


def _mark_cards(body: list[Block], rs: RuleSet) -> None:
    """A headline with its excerpt directly under it is a teaser for another article."""
    cards = rs.text("cards")
    if not cards or not body:
        return
    separated = sum(1 for b in body[1:] if b.gap > 0) / max(1, len(body) - 1)
    if separated < MIN_BLANK_SEPARATED_SHARE:
        return
    kind, max_words = cards.get("kind", "related"), cards.get("headline_max_words", 20)
    i = 0
    while i < len(body) - 1:
        block, nxt = body[i], body[i + 1]
        if block.decided or nxt.gap > 0 or not is_headline(block.text, max_words):
            i += 1
            continue
        j = i
        while j < len(body) and (j == i or body[j].gap == 0) and not body[j].decided:
            body[j].strip(kind, f"{rs.id}:text.cards")
            j += 1
        i = j


def _read_tail(tail: list[Block], rs: RuleSet) -> None:
    sections = rs.text("sections", [])
    starts, ends = rs.compiled("text.sections.starts"), rs.compiled("text.sections.ends")
    default = rs.text("tail_kind", "boilerplate")
    kind, rule, closer = default, f"{rs.id}:text.tail_kind", None
    for block in tail:
        opened = False
        for section, start, end in zip(sections, starts, ends, strict=True):
            if start.search(block.text):
                kind, rule, closer, opened = section["kind"], start.name, end, True
                break
        if not block.decided:
            block.strip(kind, rule)
        if not opened and closer is not None and closer.search(block.text):
            kind, rule, closer = default, f"{rs.id}:text.tail_kind", None
