"""The metadata stage: title, date, authors and byline, captions, for every page.

It runs once per page after the outlet's rules and generic extraction, on text and on HTML
alike, and fills only what is still unset: an outlet's rules speak first. It reads what
the page declares in machine-readable form (HTML: JSON-LD, microdata, meta tags, `<time>`,
from the tree the page was parsed into once) and what it shows in the article's header
(the headline, a date line, a byline, near each other), plus the url. Each value records
the signal that gave it in `Metadata.sources`.

On the blocks it marks what it lifts: the headline as `title`, a date line as `date`, a
byline as `byline`, a caption as `caption` (stripped, never lost: kept plus stripped still
cover the input). A block an outlet's rules or the generic extractor kept as body is
stripped only when it is clearly a date line or a byline.
"""

from __future__ import annotations

from ...rules import RuleSet
from ..page import Block, Page
from ..render import HtmlDoc
from . import authors as author_reader
from . import captions as caption_reader
from .dates import Dated, choose_date, first_date_line, header_dates, line_date, time_elements
from .header import Header, find_header, headline_index, is_header_line
from .names import SiteNames, given_name_first
from .structured import Declared, read_declared
from .text_title import read_text_title
from .title import html_title, site_keys

RULE = "metadata"
# The share of the page after the headline a byline is looked for in when the header has
# none.
BYLINE_SEARCH_SHARE = 0.6
# Rules of the stages before this one whose marks it may change (an outlet's may not).
GENERIC_RULES = ("generic", "print", "unclassified", RULE)
# A kept block is stripped as a date line or byline only when it has at most this many
# words besides its date and names: it cannot be a sentence of the article.
MAX_LIFTED_WORDS = 14
# How many blocks under the headline a line with only a name is read as its byline.
NAME_REACH = 2
# How many lines after a byline's marker alone may hold its names and their joiners.
SPLIT_BYLINE_LINES = 7


def read_metadata(page: Page, doc: HtmlDoc | None, url: str | None, rs: RuleSet | None) -> None:
    """Fill `page.meta` from the page's signals and mark the blocks they came from."""
    declared = read_declared(doc.tree) if doc is not None else None
    sites = SiteNames(site_keys(declared.site_names if declared else [], url))
    headline = _read_title(page, declared, url)
    header = find_header(page, headline)
    shown = header_dates(page, header)
    _read_date(page, doc, declared, shown, url, rs)
    _read_authors(page, doc, declared, header, shown, sites)
    if not page.meta.authors and sites.refused:
        # No person named: the site's own name where the page gives it as the author
        # (a personal site named for its author, an organisation's press release).
        _read_authors(page, doc, declared, header, shown, set())
    if not page.meta.authors and "authors" not in page.meta.settled:
        _desk_byline(page, header)
    _read_captions(page, header, rs)


def _read_title(page: Page, declared: Declared | None, url: str | None) -> int | None:
    meta = page.meta
    if declared is not None:
        found = html_title(page, declared, url)
        if found is not None:
            title, source, index = found
            meta.set("title", title, source)
            if index is not None and meta.title == title:
                _relabel(page, page.blocks[index], "title", f"{RULE}:{source}")
        return headline_index(page, meta.title)
    return read_text_title(page, url)


def _read_date(page: Page, doc: HtmlDoc | None, declared: Declared | None,
               shown: list[Dated], url: str | None, rs: RuleSet | None) -> None:
    """The date the signals vote for, when the outlet's rules gave none; when they gave a
    day alone, the structured time of that same day makes it precise."""
    meta = page.meta
    times = time_elements(doc.tree) if doc is not None else []
    zone = rs.timezone if rs else None
    if not meta.date:
        if rs is None:
            chosen = choose_date(declared, shown, times, url, lambda: first_date_line(page))
        else:
            # An outlet's rules know where its template prints the date: when they read
            # none, its text shows none, and neither a date-shaped line elsewhere (an
            # appeal's "Since July 1, 2024") nor the url's date is one the page states.
            # Its structured data and <time> elements still count.
            chosen = choose_date(declared, [], times, None)
        if chosen is not None:
            meta.set("date", chosen.found.iso(zone), chosen.source)
    elif len(meta.date) == len("YYYY-MM-DD") and declared is not None:
        precise = choose_date(declared, [], times, None)
        if precise is not None and precise.found.at is not None:
            if precise.found.iso(zone).startswith(meta.date):
                meta.date, meta.sources["date"] = precise.found.iso(zone), precise.source
    for dated in shown[:1]:
        block = page.blocks[dated.block]
        if block.kind not in ("title", "byline"):
            _lift(page, block, "date")


def _read_authors(page: Page, doc: HtmlDoc | None, declared: Declared | None, header: Header,
                  shown: list[Dated], sites: set[str]) -> None:
    """A byline in the header (or the name on a date line), else the declared authors, else
    the page's author element; nothing when an outlet's rules answer for the authors."""
    meta = page.meta
    if "authors" in meta.settled:
        return
    for index in header.indices(len(page.blocks)):
        block = page.blocks[index]
        if not is_header_line(block) or block.kind in ("title", "caption"):
            continue
        if _take_byline(page, index, sites, "text:byline"):
            break
    if declared is not None and not meta.authors:
        for values, source in declared.authors:
            names = author_reader.declared_names(values, sites)
            if names:
                meta.add_authors(names, source)
                break
    if doc is not None and not meta.authors:
        header_text = None
        if header.headline is not None:
            header_text = " ".join(page.blocks[i].text for i in header.indices(len(page.blocks)))
        meta.add_authors(author_reader.element_names(doc.tree, sites, header_text),
                         "html:author-element")
    if not meta.authors:
        for dated in shown[:1]:
            names = author_reader.dateline_names(page.blocks[dated.block].text, sites)
            if names:
                meta.add_authors(names, "text:date-line")
                meta.set("byline", page.blocks[dated.block].text, "text:date-line")
    if not meta.authors and not page.is_html:  # on HTML the markup names the author
        _name_line(page, header, shown, sites, near_date=True)
    if not meta.authors:
        _first_byline(page, header, sites)
    if not meta.authors and not page.is_html:
        _name_line(page, header, shown, sites, near_date=False)


def _name_line(page: Page, header: Header, shown: list[Dated], sites: set[str],
               near_date: bool) -> None:
    """A line that shows only a person's name next to the header's date line ("Jane Doe"
    above "March 3, 2024"), or (after any byline further down) right under the headline
    when its first word is a given name (a menu's "Aktuelle Themen" is no name)."""
    if near_date:
        indices = [i for dated in shown[:1] for i in (dated.block - 1, dated.block + 1)]
    elif header.headline is not None:
        indices = list(range(header.headline + 1, header.headline + 1 + NAME_REACH))
    else:
        return
    for index in indices:
        if not 0 <= index < len(page.blocks):
            continue
        block = page.blocks[index]
        if block.kind in ("title", "caption"):
            continue
        name = author_reader.name_line(block.text, sites, vouched=near_date)
        if name and (near_date or given_name_first(name)):
            page.meta.add_authors([name], "text:name-line")
            page.meta.set("byline", block.text, "text:name-line")
            _lift(page, block, "byline", force=True)
            return


def _first_byline(page: Page, header: Header, sites: set[str]) -> None:
    """The first byline further down (a header the headline's window missed), never in the
    page's last part, where comments and teasers are."""
    start = header.headline if header.headline is not None else 0
    end = start + int((len(page.blocks) - start) * BYLINE_SEARCH_SHARE)
    for index in range(start, end):
        block = page.blocks[index]
        if block.words > MAX_LIFTED_WORDS or block.kind in ("title", "caption"):
            continue
        if _take_byline(page, index, sites, "text:first-byline"):
            return


def _desk_byline(page: Page, header: Header) -> None:
    """A header line that credits an editorial desk, no person ("von Redaktion")."""
    for index in header.indices(len(page.blocks)):
        block = page.blocks[index]
        if not is_header_line(block) or block.kind in ("title", "caption"):
            continue
        desk = author_reader.desk_name(block.text)
        if desk:
            page.meta.add_authors([desk], "text:desk")
            page.meta.set("byline", block.text, "text:desk")
            _lift(page, block, "byline")
            return


def _take_byline(page: Page, index: int, sites: set[str], source: str) -> bool:
    """Read the byline at `index` (or split over it and the next line: "By" above "Jane
    Doe"): the authors unless known, the byline as printed; the lines lifted."""
    block = page.blocks[index]
    names = author_reader.byline_names(block.text, sites)
    lines = [block]
    if names is None:
        following = page.blocks[index + 1 : index + 1 + SPLIT_BYLINE_LINES]
        split = author_reader.split_byline_names(block.text, [b.text for b in following], sites)
        if split is not None:
            names, used = split
            lines += following[:used]
    if not names:
        return False
    if not page.meta.authors:
        page.meta.add_authors(names, source)
    page.meta.set("byline", " ".join(line.text for line in lines), source)
    for line in lines:
        _lift(page, line, "byline", force=line is not block)
    return True


def _read_captions(page: Page, header: Header, rs: RuleSet | None) -> None:
    if rs is not None and page.meta.captions:
        return  # the outlet's caption rules spoke
    start = header.headline if header.headline is not None else header.body or 0
    last = max((i for i, b in enumerate(page.blocks) if b.kept), default=-1)
    for block in page.blocks[start : last + 1]:
        if block.kind == "caption" and not (block.rule or "").startswith(("generic", "print")):
            continue  # lifted by the outlet's rules (or already by this stage)
        if page.is_html:
            caption = caption_reader.html_caption(block) if block.dom.caption else None
        else:
            caption = caption_reader.text_caption(block.text)
        if caption is not None:
            page.meta.captions.append(caption)
            page.meta.sources.setdefault(
                "captions", "html:figcaption" if page.is_html else "text:credit-line")
            _lift(page, block, "caption", force=True)


def _relabel(page: Page, block: Block, kind: str, rule: str) -> None:
    """Give a block that is not body the kind of what it shows (unless an outlet's rule
    stripped it: its kind stands)."""
    if not block.kept and _generic_mark(block):
        block.strip(kind, rule)


def _generic_mark(block: Block) -> bool:
    """The block was decided by generic extraction or print repair, not an outlet's rule."""
    return (block.rule or "").startswith(GENERIC_RULES)


def _lift(page: Page, block: Block, kind: str, force: bool = False) -> None:
    """Strip a header line as `kind`: relabel it if it was stripped; if it was kept as
    body, only when it is clearly not prose (or `force`, for a caption with its credit)."""
    rule = f"{RULE}:{kind}"
    if not block.kept:
        if _generic_mark(block):
            block.strip(kind, rule)
        return
    if not force and not _clearly_header(block):
        return
    block.strip(kind, rule)


def _clearly_header(block: Block) -> bool:
    if block.words > MAX_LIFTED_WORDS + 6:
        return False
    dated = line_date(block.text)
    if dated is not None:
        return True
    return author_reader.byline_names(block.text) is not None and block.words <= MAX_LIFTED_WORDS
