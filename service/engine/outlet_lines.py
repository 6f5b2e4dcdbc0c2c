"""The outlet's recognisers of single lines: stripped lines, bylines, author boxes, dates
and captions, and the re-splitting of print text around the lines they recognise.

Each marks only blocks that nothing decided yet, records what it lifts (authors, byline,
date, captions) in the page's metadata with the name of the pattern that gave it, and
never looks at where the block stands: the regions of the page are `outlet_text`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..rules import Pattern, RuleSet, TextRules
from ..rules.model import CaptionRule
from .dates import iso_from_parts
from .hyphenation import page_vocabulary
from .page import Block, Caption, Page
from .printfix import glue_lines
from .textprep import normalise

_AUTHOR_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")


def mark_lines(blocks: Iterable[Block], rules: TextRules) -> None:
    """Strip every undecided block a `text.lines` pattern matches, with its kind."""
    for block in blocks:
        if block.decided:
            continue
        for rule in rules.lines:
            if rule.pattern.search(block.text):
                block.strip(rule.kind, rule.pattern.name)
                break


def first_match(patterns: Iterable[Pattern], text: str) -> tuple[Pattern, Any] | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return pattern, match
    return None


def group(match: Any, name: str) -> str | None:
    """A named group's text, stripped; None when the pattern has no such group or it is empty."""
    try:
        value = match.group(name)
    except (IndexError, KeyError):
        return None
    return value.strip() if value else None


def add_authors(page: Page, names: str | None, source: str) -> None:
    """Add the author names a rule's match gives ("A, B and C"), in page order."""
    if names:
        page.meta.add_authors(_AUTHOR_SPLIT.split(names), source)


def set_date(page: Page, match: Any, rs: RuleSet, source: str) -> None:
    if not page.meta.date:
        iso = iso_from_parts(group(match, "date"), group(match, "time"), rs.timezone)
        page.meta.set("date", iso, source)


def read_bylines(blocks: Iterable[Block], rs: RuleSet, page: Page) -> None:
    for block in blocks:
        if block.decided:
            continue
        found = first_match(rs.text.bylines, block.text)
        if not found:
            continue
        pattern, match = found
        block.strip("byline", pattern.name)
        page.meta.set("byline", block.text, pattern.name)
        add_authors(page, group(match, "authors"), pattern.name)
        set_date(page, match, rs, pattern.name)


def read_dates(blocks: Iterable[Block], rs: RuleSet, page: Page) -> None:
    for block in blocks:
        if not block.decided:
            read_date(block, rs, page)


def read_date(block: Block, rs: RuleSet, page: Page) -> bool:
    """Strip the block as a date line if a date rule reads it (and date the page by it)."""
    found = first_match(rs.text.dates, block.text)
    if found is None:
        return False
    block.strip("date", found[0].name)
    set_date(page, found[1], rs, found[0].name)
    return True


def read_authors(blocks: list[Block], rules: TextRules, page: Page) -> None:
    """Author boxes (an `after` pattern must match the line just above); a line repeating the
    author line just above it (a name printed twice) goes with it."""
    last: tuple[str, str, str] | None = None  # the author line just read: text, kind, rule
    for i, block in enumerate(blocks):
        open_to_rules = not block.decided or block.kind == "author_bio"
        if last is not None and open_to_rules and block.text == last[0]:
            block.strip(last[1], last[2])
            continue
        last = None
        if not open_to_rules:
            continue
        for rule in rules.authors:
            if rule.after is not None and not (i and rule.after.search(blocks[i - 1].text)):
                continue
            match = rule.pattern.search(block.text)
            if match:
                block.strip(rule.kind, rule.pattern.name)
                add_authors(page, group(match, "authors"), rule.pattern.name)
                last = (block.text, rule.kind, rule.pattern.name)
                break


def read_captions(blocks: list[Block], rules: TextRules, page: Page,
                  scopes: tuple[str, ...]) -> None:
    """Caption lines of the given scopes. In HTML only the article's own blocks and figure
    captions are read: a menu label never becomes a photo credit."""
    for i, block in enumerate(blocks):
        if block.decided or (page.is_html and not (block.dom.in_article or block.dom.caption)):
            continue
        read_caption(blocks, i, rules, page, scopes)


def read_caption(blocks: list[Block], i: int, rules: TextRules, page: Page,
                 scopes: tuple[str, ...]) -> bool:
    """Lift block i as a caption if a caption rule of these scopes reads it."""
    match = caption_match(blocks, i, rules, scopes, page.meta.title)
    if match is None:
        return False
    rule, found = match
    blocks[i].strip("caption", rule.pattern.name)
    page.meta.captions.append(Caption(group(found, "text"), group(found, "credit")))
    return True


def caption_match(blocks: list[Block], i: int, rules: TextRules, scopes: tuple[str, ...],
                  title: str | None) -> tuple[CaptionRule, Any] | None:
    """The caption rule (and its match) that reads block i as a caption, if any."""
    for rule in rules.captions:
        if rule.scope not in scopes or not _fits(rule, blocks, i, title):
            continue
        found = rule.pattern.search(blocks[i].text)
        if found:
            return rule, found
    return None


def _fits(rule: CaptionRule, blocks: list[Block], i: int, title: str | None) -> bool:
    """The caption rule's size limit and its neighbours' conditions hold for block i."""
    if rule.max_words is not None and blocks[i].words > rule.max_words:
        return False
    if rule.after_headline and not _under_headline_repeat(blocks, i, title):
        return False
    if rule.after is not None and not (i and rule.after.search(blocks[i - 1].text)):
        return False
    return rule.before is None or (
        i + 1 < len(blocks) and rule.before.search(blocks[i + 1].text) is not None
    )


def _under_headline_repeat(blocks: list[Block], i: int, title: str | None) -> bool:
    """Block i sits right under a repeat of the headline, no blank line between."""
    above = blocks[i - 1] if i else None
    return (above is not None and title is not None and above.text == title
            and above.kind != "title" and blocks[i].gap == 0)


def refine_figcaptions(blocks: Iterable[Block], rules: TextRules, page: Page) -> None:
    """Split HTML figure captions into text and credit the way the outlet writes credits,
    which its caption patterns know better than a generic split."""
    lifted = [b for b in blocks if b.dom.caption and b.kind == "caption"]
    if not lifted or len(lifted) != len(page.meta.captions):
        return
    for block, caption in zip(lifted, page.meta.captions, strict=True):
        for rule in rules.captions:
            match = rule.pattern.search(block.text)
            if match and (rule.max_words is None or block.words <= rule.max_words):
                caption.text, caption.credit = group(match, "text"), group(match, "credit")
                break


def split_prefixes(page: Page, rules: TextRules) -> None:
    """Split off the labels the page glues to the start of a line (an icon's text before a
    headline), so that the line is read as it is and the label is stripped on its own."""
    if not rules.prefixes:
        return
    blocks: list[Block] = []
    for block in page.blocks:
        pieces = None
        if not block.decided and len(block.spans) == 1:
            pieces = _split_prefix(page.source, block, rules)
        blocks += pieces or [block]
    page.blocks[:] = blocks


def _split_prefix(source: str, block: Block, rules: TextRules) -> list[Block] | None:
    """The block as its glued label and the rest, if a prefix rule matches its line."""
    start, end = block.spans[0]
    raw = source[start:end]
    for rule in rules.prefixes:
        match = rule.pattern.search(raw)
        if match is None or match.start() != 0:
            continue
        # With a group, the label is the group (what follows it is only looked at).
        cut = match.end(1) if match.re.groups else match.end()
        if not 0 < cut < len(raw):
            continue
        rest = raw[cut:]
        rest_start = start + cut + len(rest) - len(rest.lstrip())
        label = Block(normalise(raw[:cut]), [(start, start + cut)], block.gap,
                      rule.kind, rule.pattern.name, dom=block.dom)
        return [label, Block(normalise(rest), [(rest_start, end)], 0, dom=block.dom)]
    return None


def split_recognised_lines(page: Page, rules: TextRules) -> None:
    """In print text, a line a rule recognises on its own (a byline, a date, a stripped line)
    stands alone again when unwrapping glued it to the lines around it."""
    if not page.wrapped:
        return
    anchors = [*(r.pattern for r in rules.lines), *rules.bylines, *rules.dates,
               *(r.pattern for r in rules.authors), *(r.pattern for r in rules.end)]
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
