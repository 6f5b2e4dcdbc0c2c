"""Apply one outlet's text template to a page's blocks.

The engine reads the template from the rule file and never names an outlet. A page is read
in regions around its headline:

- the **title**: the headline-shaped line just above the first line that only stands under
  a headline (a byline, a date line, a reading time), else the first headline-shaped line
  before the first paragraph of prose;
- the **head**: before the title, page furniture (a news feed, a ticker, menus), stripped
  with the kind of the section it sits in, else as navigation or boilerplate; between the
  title and the body, the byline, dates and the lead photo's caption;
- the **body**: from the first prose paragraph after the title to the first line that the
  rules say ends the article; kept, except captions, teaser cards and lines the rules strip;
- the **tail**: after the end, author boxes, feeds, newsletter and donation appeals, all
  stripped.

Every recogniser and every region marks only blocks nothing decided yet, so a line that a
rule already stripped (an in-body card's "Read more") never ends the article or opens a
section.
"""

from __future__ import annotations

import re

from ..rules import Pattern, RepeatRule, RuleSet, SubheadRule, TextRules
from .outlet_head import (
    HEAD_SCOPES,
    below_title,
    find_title,
    join_wrapped_headline,
    mark_feeds,
    mark_head_sections,
    opened_section,
)
from .outlet_lines import (
    mark_lines,
    read_authors,
    read_bylines,
    read_caption,
    read_captions,
    read_date,
    read_dates,
    read_tab_laid_captions,
    refine_figcaptions,
    split_prefixes,
    split_recognised_lines,
)
from .page import Block, Page
from .textprep import MIN_PROSE_WORDS, SENTENCE_END, is_headline, is_prose

# A short sentence just before the first prose paragraph still opens the body.
MIN_OPENING_WORDS = 4
# Cards are looked for only where most body paragraphs are set apart by blank lines.
MIN_BLANK_SEPARATED_SHARE = 0.5
# Unmatched head lines this short read as navigation rather than unexplained boilerplate.
MAX_NAV_WORDS = 5
# Teaser lines glued right above an end marker that takes them ('glued'): at most this many.
MAX_GLUED_LINES = 4


def apply_text_rules(page: Page, rs: RuleSet) -> None:
    """Mark every block of `page` by the rule set's text template."""
    rules = rs.text
    split_recognised_lines(page, rules)
    split_prefixes(page, rules)
    blocks = page.blocks
    if not page.is_html:
        read_tab_laid_captions(page)
    mark_lines(blocks, rules)
    mark_feeds(blocks, rs)
    if page.wrapped and rules.title is not None:
        join_wrapped_headline(blocks, rules)
    title = find_title(blocks, rs, page) if page.meta.title is None else None
    if title is not None:
        page.meta.set("title", blocks[title].text, f"{rs.id}:text.title")
        blocks[title].strip("title", f"{rs.id}:text.title")
        mark_head_sections(blocks[:title], rules)
        _strip_region(blocks[:title], "head:before-title")
    read_bylines(blocks, rs, page)
    refine_figcaptions(blocks, rules, page)
    first = 0 if title is None else below_title(blocks, title, rules)
    start = _body_start(blocks, first, rs, page)
    if start is None:
        read_authors(blocks, rules, page)
        return  # no prose at all: generic extraction decides what is left
    end = _body_end(blocks, start, rules, page.meta.authors)
    # Author lines are read once the end is known: an author box's first line ends the body.
    read_authors(blocks, rules, page)
    if rules.repeats is not None:
        _read_head_lines(blocks[:start], rs, page)
        _strip_repeats(blocks[first:end], rules.repeats, rs)
        start = _body_start(blocks, start, rs, page)
        if start is None or start >= end:
            return
    start = _short_opening(blocks, start)
    if rules.subheads is not None:
        _read_head_lines(blocks[:start], rs, page)
        start = _subhead_opening(blocks, start, first, rules.subheads)
    _read_head(blocks[:start], rs, page)
    _read_body(blocks[start:end], rs, page, ended=end < len(blocks))
    _read_tail(blocks[end:], rules, page.meta.authors)
    if all(c.at is not None for c in page.meta.captions):
        page.meta.captions.sort(key=lambda c: c.at)


def _strip_region(blocks: list[Block], rule: str) -> None:
    """Strip what is left undecided in a region of furniture: short lines as navigation,
    the rest as unexplained boilerplate."""
    for block in blocks:
        if not block.decided:
            short = block.words <= MAX_NAV_WORDS and not SENTENCE_END.search(block.text)
            block.strip("navigation" if short else "boilerplate", rule)
            block.region = True


def _body_start(blocks: list[Block], start: int, rs: RuleSet, page: Page) -> int | None:
    """Index of the first undecided block from `start` on that reads as prose; the date lines
    and captions under the headline are lifted on the way (a long caption reads like prose)."""
    for i in range(start, len(blocks)):
        block = blocks[i]
        if block.decided:
            continue
        if block.text == page.meta.title:
            block.strip("title", f"{rs.id}:text.title(repeat)")
        elif not (read_date(block, rs, page)
                  or read_caption(blocks, i, rs.text, page, HEAD_SCOPES)) and is_prose(block.text):
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


def _subhead_opening(blocks: list[Block], start: int, floor: int, rule: SubheadRule) -> int:
    """Move the body's start back over the subheadings right above its first paragraph (and
    paragraphs that only lack their full stop), up to the last line the head's rules
    decided (the caption, the byline, the title) and never above `floor`."""
    while start > floor:
        block = blocks[start - 1]
        if block.decided:
            break
        if not is_headline(block.text, rule.max_words) and block.words < MIN_PROSE_WORDS:
            break
        start -= 1
    return start


# What two lines are compared by when looking for repeats: words, case and quotes aside.
_WORD = re.compile(r"\w+")
# A line printed again is a pull quote or a standfirst: a sentence or two, not a paragraph.
MAX_REPEAT_WORDS = 60


def _strip_repeats(region: list[Block], rule: RepeatRule, rs: RuleSet) -> None:
    """Strip the lines the article prints twice (a pull quote, a standfirst repeating a
    paragraph): of two lines where one holds the other, the shorter; of equal ones, the
    first. Only lines that end like a sentence are looked at: subheadings and listings'
    dates repeat by design."""
    lines = [(b, " ".join(_WORD.findall(b.text.lower().replace("’", "'"))))
             for b in region if not b.decided]
    for i, (block, words) in enumerate(lines):
        if not rule.min_words <= block.words <= MAX_REPEAT_WORDS \
                or not SENTENCE_END.search(block.text):
            continue
        for j, (other, other_words) in enumerate(lines):
            if j == i or other.decided or f" {words} " not in f" {other_words} ":
                continue
            if len(other_words) > len(words) or j > i:
                block.strip(rule.kind, f"{rs.id}:text.repeats")
                break


def _body_end(blocks: list[Block], start: int, rules: TextRules, authors: list[str]) -> int:
    """The first undecided block after the body's start that ends the article (an end
    marker, a line opening a section, or the name of the byline's author alone on a line:
    the author box), moved up over the teaser lines glued above it when its marker takes
    them."""
    for i in range(start + 1, len(blocks)):
        block = blocks[i]
        if block.decided:
            continue
        if block.text in authors:
            return i
        ends = rules.end_set.matching(block.text)
        ender = next((e for e in rules.end if e.pattern in ends and e.pattern.search(block.text)),
                     None)
        if ender is None and opened_section(block, rules) is None:
            continue
        if ender is not None and ender.glued:
            return _glued_start(blocks, start, i)
        return i
    return len(blocks)


def _glued_start(blocks: list[Block], start: int, end: int) -> int:
    """The first of the lines printed right above `end` with no blank line between them."""
    first = end
    while first > start + 1 and end - first < MAX_GLUED_LINES and blocks[first].gap == 0:
        first -= 1
    return first if blocks[first].gap > 0 or first == end else end


def _read_head(head: list[Block], rs: RuleSet, page: Page) -> None:
    """Between the title and the body: repeats of the title, dates, the lead photo's caption;
    what is left is furniture."""
    _read_head_lines(head, rs, page)
    _strip_region(head, "head:before-body")


def _read_head_lines(head: list[Block], rs: RuleSet, page: Page) -> None:
    title = page.meta.title
    for block in head:
        if not block.decided and block.text == title:
            block.strip("title", f"{rs.id}:text.title(repeat)")
    read_dates(head, rs, page)
    read_captions(head, rs.text, page, scopes=HEAD_SCOPES)


def _read_body(body: list[Block], rs: RuleSet, page: Page, ended: bool) -> None:
    """The article: body captions and teaser cards go, the rest is kept. When an end marker
    closed it, headlines left at its end are links to other articles (a subhead is always
    followed by its paragraphs)."""
    read_captions(body, rs.text, page, scopes=("body", "any"))
    _mark_cards(body, rs)
    cards = rs.text.cards
    if ended and cards is not None:
        for block in reversed(body):
            if block.decided or is_prose(block.text) \
                    or not is_headline(block.text, cards.headline_max_words):
                break
            block.strip(cards.kind, f"{rs.id}:text.cards(after body)")
    for block in body:
        if not block.decided:
            block.keep("body")


def _mark_cards(body: list[Block], rs: RuleSet) -> None:
    """A headline with its excerpt directly under it is a teaser for another article."""
    cards = rs.text.cards
    if cards is None or not body:
        return
    separated = sum(1 for b in body[1:] if b.gap > 0) / max(1, len(body) - 1)
    if separated < MIN_BLANK_SEPARATED_SHARE:
        return
    i = 0
    while i < len(body) - 1:
        block, nxt = body[i], body[i + 1]
        if block.decided or nxt.gap > 0 or not is_headline(block.text, cards.headline_max_words):
            i += 1
            continue
        j = i
        while j < len(body) and (j == i or body[j].gap == 0) and not body[j].decided:
            body[j].strip(cards.kind, f"{rs.id}:text.cards")
            j += 1
        i = j


def _read_tail(tail: list[Block], rules: TextRules, authors: list[str]) -> None:
    """After the article: each line opening a section gives its kind to what follows, up to
    the section's closing line (an author's name alone opens the author box); an end marker
    with a kind of its own has it; the rest is `tail_kind`."""
    section: tuple[str, str, Pattern | None] | None = None  # kind, rule, closing pattern
    for block in tail:
        opened = None if block.decided else opened_section(block, rules)
        if opened is not None:
            section = (opened.kind, opened.starts.name, opened.ends)
        elif not block.decided and block.text in authors and section is None:
            section = ("author_bio", "text:author-box", None)
        if not block.decided:
            _strip_tail_line(block, rules, section)
        if opened is None and section is not None and section[2] is not None \
                and section[2].search(block.text):
            section = None


def _strip_tail_line(block: Block, rules: TextRules,
                     section: tuple[str, str, Pattern | None] | None) -> None:
    if section is not None:
        block.strip(section[0], section[1])
        return
    ender = next((e for e in rules.end if e.kind and e.pattern.search(block.text)), None)
    if ender is not None:
        block.strip(ender.kind or rules.tail_kind, ender.pattern.name)
    else:
        block.strip(rules.tail_kind, "tail")
        block.region = True
