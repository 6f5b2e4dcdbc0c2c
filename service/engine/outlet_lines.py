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
from .hyphenation import page_vocabulary
from .metadata.datetext import iso_from_parts
from .page import Block, Caption, Page
from .printfix import glue_lines
from .textprep import is_prose, normalise

_AUTHOR_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")


# A teaser card glued above a line rule's match (`glued`): at most this many lines.
MAX_CARD_LINES = 4


def mark_lines(blocks: list[Block], rules: TextRules) -> None:
    """Strip every undecided block a `text.lines` pattern matches, with its kind, and the
    lines that go with it: a teaser card glued above it, a list printed right under it."""
    for i, block in enumerate(blocks):
        if block.decided:
            continue
        candidates = set(rules.line_set.matching(block.text))
        for rule in rules.lines:
            if rule.pattern not in candidates or not rule.pattern.search(block.text):
                continue
            glued = glued_above(blocks, i, rule.kind) if rule.glued else []
            if rule.glued and not glued:
                continue  # standing alone, the line is left to the other rules
            block.strip(rule.kind, rule.pattern.name)
            listed = _listed_below(blocks, i, rules, rule.kind) if rule.heads_list else []
            for other in glued + listed:
                other.strip(rule.kind, rule.pattern.name)
            break


def glued_above(blocks: list[Block], end: int, kind: str) -> list[Block]:
    """The lines of the teaser card that block `end` closes, undecided ones only: the lines
    printed right above it with no blank line between them, when they make a unit of their
    own (a blank line above the first, no prose among them); or, where blank lines set the
    card's lines apart, those up to its label, which a line rule of the same kind stripped.
    None when there is no card."""
    first = end
    while (first > 0 and end - first < MAX_CARD_LINES and blocks[first].gap == 0
           and not is_prose(blocks[first - 1].text)):
        first -= 1
    if first < end and blocks[first].gap > 0:
        return [b for b in blocks[first:end] if not b.decided]
    for k in range(end - 1, max(-1, end - 1 - MAX_CARD_LINES), -1):
        block = blocks[k]
        if block.decided:
            return blocks[k + 1 : end] if block.kind == kind and k + 1 < end else []
        if is_prose(block.text):
            return []
    return []


def _listed_below(blocks: list[Block], start: int, rules: TextRules, kind: str) -> list[Block]:
    """The lines printed right under block `start` with no blank line between them, up to
    one that a line rule of another kind knows (what comes after the list)."""
    listed = []
    for block in blocks[start + 1:]:
        if block.gap > 0 or any(r.kind != kind and r.pattern.search(block.text)
                                for r in rules.lines):
            break
        if not block.decided:
            listed.append(block)
    return listed


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
        if block.decided or not _may_be_caption(block, page):
            continue
        read_caption(blocks, i, rules, page, scopes)


def read_caption(blocks: list[Block], i: int, rules: TextRules, page: Page,
                 scopes: tuple[str, ...]) -> bool:
    """Lift block i (and the credit line under it, for a two-line rule) as a caption if a
    caption rule of these scopes reads it."""
    if not _may_be_caption(blocks[i], page):
        return False
    found = caption_match(blocks, i, rules, scopes, page)
    if found is None:
        return False
    rule, match, lines = found
    for line in lines:
        line.strip("caption", rule.pattern.name)
    page.meta.captions.append(
        Caption(group(match, "text"), group(match, "credit"), blocks[i].start))
    return True


def caption_match(blocks: list[Block], i: int, rules: TextRules, scopes: tuple[str, ...],
                  page: Page) -> tuple[CaptionRule, Any, list[Block]] | None:
    """The caption rule that reads block i as a caption, its match and the blocks it takes."""
    for rule in rules.captions:
        if rule.scope not in scopes:
            continue
        match, lines = _caption_match(blocks, i, rule, page)
        if match:
            return rule, match, lines
    return None


def _may_be_caption(block: Block, page: Page) -> bool:
    return not page.is_html or block.dom.in_article or block.dom.caption


def _caption_match(blocks: list[Block], i: int, rule: CaptionRule,
                   page: Page) -> tuple[Any, list[Block]]:
    """The rule's match on block i (or, for a two-line rule, on block i and the line printed
    right under it) and the blocks it takes."""
    block, title = blocks[i], page.meta.title
    if _fits(rule, blocks, i, title):
        match = rule.pattern.search(block.text)
        if match:
            return match, [block]
    if not rule.two_lines or i + 1 >= len(blocks):
        return None, []
    nxt = blocks[i + 1]
    if nxt.decided or nxt.gap > 0 or not _may_be_caption(nxt, page) \
            or not _fits(rule, blocks, i, title, lines=2):
        return None, []
    match = rule.pattern.search(f"{block.text} {nxt.text}")
    if match is None or group(match, "credit") != nxt.text:
        return None, []  # the credit is the second line, whole
    return match, [block, nxt]


# A text-mode browser's copy of a figure caption: its two spans laid out with tab runs (the
# caption, then the credit after a tab-space-tab gap), then the same words again, flattened.
_TAB_LAID_CAPTION = re.compile(r"^\t+(?:([^\t]*[^\t\s])\t+)? \t+([^\t]*[^\t\s])\s*$")
TAB_CAPTION_RULE = "text:tab-laid-caption"


def read_tab_laid_captions(page: Page) -> None:
    """Figure captions a text-mode browser printed twice, laid out in tab-separated spans and
    then flattened: one caption, its text and credit told apart by the tab layout."""
    blocks = page.blocks
    for block, nxt in zip(blocks, blocks[1:], strict=False):
        if block.decided or nxt.decided or nxt.gap or len(block.spans) != 1:
            continue
        start, end = block.spans[0]
        line = page.source[page.source.rfind("\n", 0, start) + 1 : end]
        match = _TAB_LAID_CAPTION.match(line)
        if match is None or nxt.text != block.text:
            continue
        for piece in (block, nxt):
            piece.strip("caption", TAB_CAPTION_RULE)
        text, credit = match.groups()
        page.meta.captions.append(
            Caption(normalise(text) if text else None, normalise(credit), block.start))


def _fits(rule: CaptionRule, blocks: list[Block], i: int, title: str | None,
          lines: int = 1) -> bool:
    """The caption rule's size limit and its neighbours' conditions hold for the caption of
    `lines` lines from block i."""
    words = sum(b.words for b in blocks[i : i + lines])
    if rule.max_words is not None and words > rule.max_words:
        return False
    if rule.after_headline and not _under_headline_repeat(blocks, i, title):
        return False
    if rule.after is not None and not (i and rule.after.search(blocks[i - 1].text)):
        return False
    if rule.adjoins and (not i or blocks[i].gap > 0):
        return False
    below = i + lines
    return rule.before is None or (
        below < len(blocks) and rule.before.search(blocks[below].text) is not None
    )


def _under_headline_repeat(blocks: list[Block], i: int, title: str | None) -> bool:
    """Block i sits right under a repeat of the headline (not the headline itself: a line
    with its text stands above that one too), no blank line between."""
    if i < 1 or title is None or blocks[i - 1].text != title or blocks[i].gap:
        return False
    return any(b.text == title for b in blocks[: i - 1])


def refine_figcaptions(blocks: list[Block], rules: TextRules, page: Page) -> None:
    """Split HTML figure captions into text and credit the way the outlet writes credits,
    which its caption patterns know better than a generic split."""
    lifted = [i for i, b in enumerate(blocks) if b.dom.caption and b.kind == "caption"]
    if not lifted or len(lifted) != len(page.meta.captions):
        return
    for i, caption in zip(lifted, page.meta.captions, strict=True):
        for rule in rules.captions:
            match = rule.pattern.search(blocks[i].text)
            if match and _fits(rule, blocks, i, page.meta.title):
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
    anchors = rules.recognised_set
    vocabulary: frozenset[str] | None = None
    blocks: list[Block] = []
    for block in page.blocks:
        lines = [normalise(page.source[s:e]) for s, e in block.spans]
        whole = block.decided or anchors.search_any(block.text)
        marks = [anchors.search_any(t) for t in lines] if not whole else []
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
