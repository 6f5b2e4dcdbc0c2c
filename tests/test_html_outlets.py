"""HTML pages of the two outlets give the same fields as their text pages."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from contract import fold

from service import clean

HTML = ROOT / "tests" / "fixtures" / "html"
CASES = sorted(HTML.glob("*.html"))


def expected_of(page):
    return json.loads(page.with_suffix(".json").read_text())


@pytest.mark.parametrize("page", CASES, ids=[p.stem for p in CASES])
def test_html_page_gives_the_text_fields(page):
    want = expected_of(page)
    got = clean(html=page.read_text(), url=want.get("url"))
    for field in ("outlet", "title", "authors", "date", "captions", "paragraphs"):
        assert got[field] == want[field], field
    stripped = [fold(s["text"]) for s in got["stripped"]]
    for piece in want["stripped_texts"]:
        assert any(fold(piece) in s for s in stripped), piece
    assert {s["kind"] for s in got["stripped"]} >= set(want["kinds"])


@pytest.mark.parametrize("page", CASES, ids=[p.stem for p in CASES])
def test_html_offsets_point_into_the_rendered_text(page):
    got = clean(html=page.read_text())
    rendered = got["rendered_text"]
    for entry in got["stripped"]:
        assert rendered[entry["start"] : entry["end"]] == entry["text"]
    for paragraph in got["paragraphs"]:
        assert paragraph in rendered


def test_outlet_html_is_detected_from_its_markup_without_a_url():
    for page in CASES:
        assert clean(html=page.read_text())["outlet"] == expected_of(page)["outlet"]
