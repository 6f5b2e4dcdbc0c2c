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
