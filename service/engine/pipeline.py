"""`clean()`: one raw page in, the article and everything stripped from it out.

The stages run once, in order, over one `Page` (after stage 0, `decoding`, for a page
given as bytes):

1. text preparation (the crawler's capture line split off) and print repair, or, for
   HTML, parsing and rendering (one parse);
2. outlet detection (the url's domain, else the rule files' fingerprints);
3. the outlet's rules, when one applies;
4. generic extraction for whatever the rules left undecided (everything, without rules),
   and for the whole body when the rules lose most of it (`fallback`);
5. metadata: title, date, authors and byline, captions, where the rules left them unset;
6. assembly of the result from the blocks' marks.

HTTP, the CLI, the batch runner and the Python API all call this.
"""

from __future__ import annotations

from typing import Any

from ..errors import BadInput, Uncleanable, UnknownOutlet
from ..rules import RuleSet, current_rules
from . import fallback, generic_html, generic_text, render
from .assemble import assemble
from .capture import capture_block, mark_cut_off, split_capture_line
from .decoding import Decoded, decode
from .detect import canonical_url, detect_outlet
from .metadata import read_metadata
from .outlet_html import apply_html_rules
from .outlet_text import apply_text_rules
from .page import Page
from .printfix import unwrap_print_lines
from .textprep import count_controls, split_lines

# A page of more lines (text) or blocks (HTML: paragraphs, list items, cells) than this is
# not an article page: the benchmarks' 993 pages have at most 2,738. Classifying costs
# about 3 KB a block, so such a page is refused (422) before a worker takes gigabytes.
MAX_BLOCKS = 50_000


def clean(
    text: str | bytes | None = None,
    *,
    html: str | bytes | None = None,
    url: str | None = None,
    outlet: str | None = None,
    charset: str | None = None,
) -> dict[str, Any]:
    """Clean one page given as its visible `text` or its `html` (exactly one of them).

    A page given as bytes is decoded first (`decoding`): HTML as a browser would, text by
    its BOM, `charset` or UTF-8; the result's `input.encoding` says which was used."""
    text, html, decoded = _decode_arguments(text, html, charset)
    _check_input(text, html, url, outlet)
    rulesets = current_rules()
    if outlet is not None and outlet not in rulesets:
        known = ", ".join(sorted(rulesets)) or "none"
        raise UnknownOutlet(f"no rule set with id {outlet!r} (loaded: {known})")
    forced = rulesets[outlet] if outlet else None
    if html is not None:
        page, rs = _html_stages(html, url, forced, rulesets)
    else:
        page, rs = _text_stages(text or "", url, forced, rulesets)
    return _note_decoding(assemble(page, rs), decoded)


def _decode_arguments(text: Any, html: Any, charset: Any) -> tuple[Any, Any, Decoded | None]:
    """clean()'s `text` and `html` with a page given as bytes decoded (HTML as a browser
    would, text by a BOM, `charset` or UTF-8), and how it was decoded."""
    if charset is not None and not isinstance(charset, str):
        raise BadInput(f"charset must be a string, not {type(charset).__name__}")
    page = html if html is not None else text
    if (text is None) == (html is None) or not isinstance(page, bytes | bytearray):
        if charset is not None and page is not None:
            raise BadInput("charset is for a page given as bytes")
        return text, html, None
    decoded = decode(bytes(page), html=html is not None, charset=charset)
    if html is not None:
        return None, decoded.text, decoded
    return decoded.text, None, decoded


def _note_decoding(result: dict[str, Any], decoded: Decoded | None) -> dict[str, Any]:
    """The result with the page's encoding in `input` and the decoding's warnings first."""
    if decoded is not None:
        result["input"]["encoding"] = decoded.encoding
        result["warnings"][:0] = decoded.warnings
    return result


def _check_input(text: Any, html: Any, url: Any, outlet: Any) -> None:
    if (text is None) == (html is None):
        raise BadInput("give exactly one of text or html")
    for name, value in (("text", text), ("html", html), ("url", url), ("outlet", outlet)):
        if value is not None and not isinstance(value, str):
            raise BadInput(f"{name} must be a string, not {type(value).__name__}")
    if not (text if text is not None else html).strip():
        raise BadInput("the page is empty")


def _text_stages(
    text: str, url: str | None, forced: RuleSet | None, rulesets: dict[str, RuleSet]
) -> tuple[Page, RuleSet | None]:
    capture, lines = split_capture_line(split_lines(text))
    _check_size(len(lines), "lines")
    blocks, wrapped = unwrap_print_lines(lines, text)
    if capture is not None:
        blocks.insert(0, capture_block(capture))
    page = Page(text, blocks, wrapped=wrapped)
    controls = count_controls(text)
    if controls:
        page.notes.append(f"control characters (NUL and the like) read as spaces: {controls}")
    mark_cut_off(page)
    rs = forced or detect_outlet([ln.text for ln in lines], url, rulesets)
    if rs is not None:
        apply_text_rules(page, rs)
    generic_text.mark_page(page, with_title=rs is None)
    if rs is not None:
        fallback.guard(page, rs)
    mark_cut_off(page, kept_only=True)
    read_metadata(page, None, url, rs)
    return page, rs


def _html_stages(
    html: str, url: str | None, forced: RuleSet | None, rulesets: dict[str, RuleSet]
) -> tuple[Page, RuleSet | None]:
    doc = render.load(html)
    _check_size(len(doc.rendered.blocks), "blocks")
    lines = [b.text for b in doc.rendered.blocks] + [canonical_url(doc.tree)]
    rs = forced or detect_outlet(lines, url, rulesets)
    if rs is None:
        page = generic_html.mark_page(doc, url)
    else:
        page = apply_html_rules(doc, rs, url)
        fallback.guard(page, rs)
    read_metadata(page, doc, url, rs)
    return page, rs


def _check_size(count: int, what: str) -> None:
    if count > MAX_BLOCKS:
        raise Uncleanable(f"the page has {count:,} {what}; the limit is {MAX_BLOCKS:,}")
