"""HTML pages of the outlets give the same fields as their text pages (the fixture test
checks every field of every fixture); here: offsets point into the rendered text, and the
outlet is recognised from the markup alone, without a url."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from service import clean

CASES = sorted((ROOT / "rules" / "fixtures").glob("*/*.html"))


def expected_of(page):
    return json.loads(page.with_suffix(".json").read_text())


def test_both_first_outlets_have_html_fixtures():
    outlets = {page.parent.name for page in CASES}
    assert {"kyiv_independent", "moscow_times"} <= outlets


@pytest.mark.parametrize("page", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_html_offsets_point_into_the_rendered_text(page):
    got = clean(html=page.read_text())
    rendered = got["rendered_text"]
    for entry in got["stripped"]:
        assert rendered[entry["start"] : entry["end"]] == entry["text"]
    for span, paragraph in zip(got["kept"], got["paragraphs"], strict=False):
        assert " ".join(rendered[span["start"] : span["end"]].split()) == paragraph


@pytest.mark.parametrize("page", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_outlet_is_recognised_from_the_markup_without_a_url(page):
    assert clean(html=page.read_text())["outlet"] == expected_of(page)["outlet"]


def test_a_teaser_card_marked_up_as_an_article_is_not_the_article():
    page = (
        "<html><body><header><div class=top><article><h3>Another story about something"
        " else</h3><p>A teaser line.</p></article></div></header><main><article class=story>"
        "<h1>A headline of the page itself</h1>"
        "<p>by Anna Myroniuk March 5, 2024 10:12 AM 2 min read</p>"
        + "<p>The first paragraph of the article runs long enough to be prose, officials said.</p>"
        + "<p>The second paragraph of the article also runs long enough, the governor added.</p>"
        + "<p>A third paragraph keeps the article well over the size of any teaser card.</p>"
        "</article></main></body></html>"
    )
    result = clean(html=page, url="https://kyivindependent.com/a-story/")
    assert result["title"] == "A headline of the page itself"
    assert result["authors"] == ["Anna Myroniuk"]
    assert len(result["paragraphs"]) == 3
    assert all("A teaser line" not in p for p in result["paragraphs"])
