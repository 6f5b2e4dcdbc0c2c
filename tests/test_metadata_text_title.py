"""The headline of a text page: the line near the top that the document title, the url's
slug and the date line or byline under it point to."""

from __future__ import annotations

from conftest import BUS_STORY

from service import clean
from service.engine.metadata.text_title import scored_headline
from service.engine.page import Block, Page


def _page(lines: list[str], kept_from: int) -> Page:
    blocks = []
    for i, line in enumerate(lines):
        block = Block(line, [(i, i + 1)])
        if i >= kept_from:
            block.keep("test")
        blocks.append(block)
    return Page("\n".join(lines), blocks)


def _text(*header: str) -> str:
    return "\n\n".join([*header, *BUS_STORY[:4]])


def test_the_headline_shown_above_its_date_line_not_the_document_title() -> None:
    text = _text("Bus network grows to the suburbs | Daily Example", "Home", "News",
                 "Council expands the bus network to the northern suburbs",
                 "March 3, 2024 | By Jane Whitfield")
    result = clean(text=text, url="https://dailyexample.org/news/bus-network")
    assert result["title"] == "Council expands the bus network to the northern suburbs"
    assert result["metadata_sources"]["title"] == "text:headline"
    assert result["date"] == "2024-03-03"
    assert result["authors"] == ["Jane Whitfield"]


def test_a_short_headline_kept_as_body_above_its_date_line() -> None:
    text = _text("Fog soup | Creeny's blog", "Creeny's blog", "Home", "Imprint", "Fog soup",
                 "Published on 24 January 2020 by Creeny")
    result = clean(text=text, url="https://creeny.org/2020/01/24/fog-soup-6/")
    assert result["title"] == "Fog soup"
    assert result["date"] == "2020-01-24"


def test_the_document_title_line_itself_is_never_the_scored_headline() -> None:
    page = _page(["Council expands the bus network | Daily Example", *BUS_STORY[:3]], 1)
    assert scored_headline(page, None, {"dailyexample"}) is None


def test_a_line_that_shares_one_word_with_the_title_is_not_the_headline() -> None:
    page = _page(["Council expands the bus network to the northern suburbs | Daily Example",
                  "Network", "Jobs", *BUS_STORY[:3]], 3)
    assert scored_headline(page, None, {"dailyexample"}) is None


def test_the_urls_slug_and_a_byline_under_it_name_the_headline() -> None:
    page = _page(["Daily Example", "Home", "Council expands the bus network",
                  "By Jane Whitfield", *BUS_STORY[:3]], 4)
    url = "https://dailyexample.org/2024/03/03/council-expands-the-bus-network/"
    assert scored_headline(page, url, {"dailyexample"}) == 2


def test_a_date_line_is_never_the_headline() -> None:
    page = _page(["Council news on March 3, 2024 | Daily Example", "Council news",
                  "March 3, 2024", *BUS_STORY[:3]], 3)
    assert scored_headline(page, None, {"dailyexample"}) == 1
