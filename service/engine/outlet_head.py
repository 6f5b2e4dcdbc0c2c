"""Where an outlet's page has its headline, and what stands above it.

The headline is the headline-shaped line just above the first line that only ever stands
under one (a byline, a date line, a reading time); without such a line, the first
headline-shaped line before the first paragraph of prose. Above it: news-feed teasers and
sections (a feed, an appeal) that the rule file names, the label right above the headline
never opening one. Under it: a standfirst, in templates that print one before the byline.
"""

from __future__ import annotations

import re

from ..rules import RuleSet, SectionRule, TextRules, TitleRule
from .outlet_lines import caption_match
from .page import Block, Page
from .textprep import SENTENCE_END, is_headline, is_prose

# Kinds of lines that only ever stand right under a headline: they anchor the title.
ANCHOR_KINDS = frozenset({"reading_time", "byline", "date"})
# How many blocks above its anchor the headline may stand (decided lines between).
TITLE_REACH = 3
# Anchors are looked for among this many leading blocks.
HEAD_SCAN_BLOCKS = 80
# Caption rules read between the headline and the body.
HEAD_SCOPES = ("head", "any")
# A standfirst is a sentence, not a paragraph: at most this many words.
MAX_STANDFIRST_WORDS = 30
# A line ending with a full stop (closing quotes and brackets aside).
_FULL_STOP = re.compile(r"\.[\"”’'»)\]]*$")


def find_title(blocks: list[Block], rs: RuleSet, page: Page) -> int | None:
    """Index of the headline: the one just above the first anchor line that has one, else the
    first headline-shaped undecided block before the first prose; None without `text.title`."""
    rule = rs.text.title
    if rule is None:
        return None
    for i, block in enumerate(blocks[:HEAD_SCAN_BLOCKS]):
        if is_anchor(block, rs.text):
            found = _headline_above(blocks, i, rule)
            if found is not None:
                return found
    for i, block in enumerate(blocks):
        if block.decided or is_anchor(block, rs.text) or _placed_caption(blocks, i, rs, page):
            continue
        if is_prose(block.text) and not _long_headline(block.text, rule):
            return None
        if is_headline(block.text, rule.max_words, rule.min_words) \
                and (not rule.title_case or _in_title_case(block.text)):
            return i
    return None


def mark_feeds(blocks: list[Block], rs: RuleSet) -> None:
    """News-feed teasers printed one per line (no blank line between them) above the
    headline: runs of at least `feeds.min_lines` prose lines with a headline after them."""
    rules, feeds = rs.text, rs.text.feeds
    if feeds is None:
        return
    limit = next((i for i, b in enumerate(blocks[:HEAD_SCAN_BLOCKS]) if is_anchor(b, rules)),
                 len(blocks))
    i = 0
    while i < limit:
        j = i
        while j < limit and not blocks[j].decided and is_prose(blocks[j].text) \
                and (j == i or blocks[j].gap == 0):
            j += 1
        if j - i >= feeds.min_lines and _headline_follows(blocks, j, rules):
            for block in blocks[i:j]:
                block.strip(feeds.kind, f"{rs.id}:text.feeds")
        i = max(j, i + 1)


def _headline_follows(blocks: list[Block], j: int, rules: TextRules) -> bool:
    """A headline-shaped line comes right after a run (the feed stands above an article)."""
    rule = rules.title
    nxt = next((b for b in blocks[j:] if not b.decided), None)
    return rule is not None and nxt is not None and not is_prose(nxt.text) \
        and is_headline(nxt.text, rule.max_words, rule.min_words)


# Words this long are capitalised in a headline in title case (short ones may not be): at
# least this share of them.
TITLE_CASE_WORD = 4
TITLE_CASE_SHARE = 0.8
_LETTER_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _long_headline(text: str, rule: TitleRule) -> bool:
    """A headline in title case as long as a paragraph: a question or an exclamation."""
    return rule.title_case and text.endswith(("?", "!")) and _in_title_case(text)


def _in_title_case(text: str) -> bool:
    """Most of the line's longer words start with a capital."""
    words = [w for w in _LETTER_WORD.findall(text) if len(w) >= TITLE_CASE_WORD]
    return sum(w[0].isupper() for w in words) >= TITLE_CASE_SHARE * len(words)


def join_wrapped_headline(blocks: list[Block], rules: TextRules) -> None:
    """In a print copy, the headline the page wrapped over two lines right above the byline
    or date line is made one block again: when its first line ends with a comma, or, for
    headlines in title case, when both lines are in title case and the first starts a block
    and ends no sentence."""
    rule = rules.title
    if rule is None:
        return
    anchor = next((i for i, b in enumerate(blocks[:HEAD_SCAN_BLOCKS]) if is_anchor(b, rules)),
                  None)
    k = anchor
    while k:  # up past decided lines and a standfirst to the headline's last line
        k -= 1
        block = blocks[k]
        if not block.decided and (rule.full_stop or not _FULL_STOP.search(block.text)):
            break
    else:
        return
    above, block = (blocks[k - 1], blocks[k]) if k else (None, blocks[k])
    if above is None or above.decided or block.gap or block.decided \
            or above.words + block.words > rule.max_words:
        return
    wrapped_title = (rule.title_case and (above.gap or k == 1)
                     and not SENTENCE_END.search(above.text) and not above.text.endswith(":")
                     and _in_title_case(above.text) and _in_title_case(block.text))
    if above.text.endswith(",") or wrapped_title:
        blocks[k - 1 : k + 1] = [Block(f"{above.text} {block.text}", above.spans + block.spans,
                                       above.gap, dom=block.dom)]


def below_title(blocks: list[Block], title: int, rules: TextRules) -> int:
    """Where the article may start under its title: right under it, or, when the headline
    stands above a standfirst (`title.full_stop: false`), under the byline or date line that
    follows the standfirst."""
    rule = rules.title
    if rule is None or rule.full_stop:
        return title + 1
    for k in range(title + 1, min(len(blocks), title + 1 + TITLE_REACH)):
        block = blocks[k]
        if is_anchor(block, rules):
            return k + 1
        if not block.decided and not _FULL_STOP.search(block.text):
            break
    under = title + 1
    if under + 1 < len(blocks) and not blocks[under].decided \
            and blocks[under].words <= MAX_STANDFIRST_WORDS \
            and _FULL_STOP.search(blocks[under].text):
        nxt = blocks[under + 1]
        if not nxt.decided and not SENTENCE_END.search(nxt.text) \
                and not is_prose(nxt.text) and not _ends_article(nxt, rules):
            return under + 1  # a standfirst, then a caption or a subheading
    return title + 1


def _ends_article(block: Block, rules: TextRules) -> bool:
    return any(e.pattern.search(block.text) for e in rules.end) \
        or opened_section(block, rules) is not None


def _placed_caption(blocks: list[Block], i: int, rs: RuleSet, page: Page) -> bool:
    """Block i is a caption by where it stands (a caption rule with a condition on its
    neighbours reads it), so it is no headline even where the page shows none."""
    return caption_match(blocks, i, rs.text.placed_captions, HEAD_SCOPES, page) is not None


def is_anchor(block: Block, rules: TextRules) -> bool:
    if block.decided:
        return block.kind in ANCHOR_KINDS
    return rules.anchor_set.search_any(block.text)


def _headline_above(blocks: list[Block], anchor: int, rule: TitleRule) -> int | None:
    """The undecided block right above an anchor (past decided ones), if it has a headline's
    length; an anchored headline may end with a full stop (news-feed items do)."""
    for k in range(anchor - 1, max(-1, anchor - 1 - TITLE_REACH), -1):
        block = blocks[k]
        if block.decided:
            continue
        if not rule.full_stop and _FULL_STOP.search(block.text):
            continue  # the standfirst: the headline stands above it
        words = block.words
        fits = rule.min_words <= words <= rule.max_words and not block.text.endswith((",", ":"))
        fits = fits and (not rule.title_case or _in_title_case(block.text))
        return k if fits and any(ch.isalpha() for ch in block.text) else None
    return None


def mark_head_sections(head: list[Block], rules: TextRules) -> None:
    """Sections above the headline (a news feed before the article): from an undecided line
    opening one to its closing line, or to the headline. The label printed right above the
    headline (its category, which may read like a section's name) opens nothing."""
    last = max((i for i, b in enumerate(head) if not b.decided), default=-1)
    section: SectionRule | None = None
    for i, block in enumerate(head):
        if section is None:
            if i != last and not block.decided:
                section = opened_section(block, rules)
                if section is not None:
                    block.strip(section.kind, section.starts.name)
            continue
        closes = section.ends is not None and section.ends.search(block.text)
        if not block.decided:
            block.strip(section.kind, section.starts.name)
        if closes:
            section = None


def opened_section(block: Block, rules: TextRules) -> SectionRule | None:
    if not rules.sections:
        return None
    starts = rules.section_set.matching(block.text)
    return next((s for s in rules.sections if s.starts in starts and s.starts.search(block.text)),
                None)
