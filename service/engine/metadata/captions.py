"""Photo captions and their credits on pages without an outlet's caption rules.

On HTML a caption is a `figcaption` (or an element its markup calls a caption) inside the
article. On text a caption is recognised by its credit, the part a photo desk writes the
same way everywhere: "Photo: X/Reuters", "(X / Getty Images)", "X / TASS", "Credit: X".
A line without a credit is not taken for a caption: without the markup nothing else
tells a caption from a short paragraph.
"""

from __future__ import annotations

import re

from ..outlet_html import split_caption
from ..page import Block, Caption

# A caption, even with its credit, is at most this long.
MAX_CAPTION_WORDS = 70
_CAP = r"[^\W\d_][\w.'’-]*"
# "(Name Name/Agency)" or "(Agency)" closing a line, with a slash or a credit word.
_PAREN_CREDIT = re.compile(
    r"^(?P<text>.*?)\s*\((?P<credit>(?:photo|foto|image|credit|bild|фото)[^()]{0,80}|"
    rf"[^()]{{0,60}}\S\s?/\s?{_CAP}[^()]{{0,40}})\)\s*$", re.I)
# "Photo: X", "Foto: X", "Credit: X", "Фото: X", "Photograph by X", at the start or the end.
_LABELLED = re.compile(
    r"^(?P<text>(?:.*?[.!?])?)\s*(?P<credit>(?:photo(?:graph)?|foto|bild|image|credit|"
    r"photo credit|фото|фотография|crédit photo|crédits?)\s*(?:by|:|von|de|©)\s*.{2,120})$",
    re.I)
# A line that is only a credit: a person's name, a slash and an agency ("Name Name / TASS",
# "Name Name/Getty Images"); the agency in capitals or named as a picture desk, so that
# breadcrumbs ("Home / News") are not taken for credits.
_AGENCY = r"(?:[A-Z][A-Z-]{1,11}|[^\W\d_][\w.-]*\s+(?:Images|Pictures|Photos?|Press|Presse|Foto))"
_BARE_CREDIT = re.compile(
    rf"^(?P<credit>(?:©\s*)?{_CAP}(?:\s+{_CAP}){{1,3}}\s?/\s?{_AGENCY})$")


# Every credit form has one of these characters; lines without any are not looked at.
_CREDIT_MARKS = frozenset("/(:©")


def text_caption(text: str) -> Caption | None:
    """The caption and credit a text line shows, or None when it shows no credit."""
    if _CREDIT_MARKS.isdisjoint(text) or len(text.split()) > MAX_CAPTION_WORDS:
        return None
    bare = _BARE_CREDIT.match(text)
    if bare:
        return Caption(None, bare["credit"].lstrip("© "))
    for pattern in (_PAREN_CREDIT, _LABELLED):
        match = pattern.match(text)
        if match:
            credit = match["credit"].strip()
            credit = re.sub(r"^(?:photo(?:graph)?|foto|bild|image|credit|фото)\s*(?::|by)\s*",
                            "", credit, flags=re.I) if pattern is _PAREN_CREDIT else credit
            caption_text = match["text"].strip() or None
            if pattern is _LABELLED:
                caption_text, credit = split_caption(text)
                if credit is None:
                    return None
            return Caption(caption_text, credit)
    return None


def html_caption(block: Block) -> Caption:
    """A figure caption block, split into its text and its credit."""
    text, credit = split_caption(block.text, block.dom.credit)
    return Caption(text, credit)
