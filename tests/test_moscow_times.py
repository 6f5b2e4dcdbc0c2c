"""The Moscow Times' rules against the site's real templates (themoscowtimes/themoscowtimes,
resources/views; fixtures under rules/fixtures/moscow_times/templates): they never make a
page worse than generic extraction, and when the markup changes they give way to it and say
so. Every field of every fixture is checked by tests/test_rule_fixtures.py; here, what the
fixtures' JSON cannot say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service import clean
from service.rules import DEFAULT_RULES_DIR

FIXTURES = DEFAULT_RULES_DIR / "fixtures" / "moscow_times"
SPECS = sorted(p for p in FIXTURES.rglob("*.json") if p.stem != "redesign_fallback")
TEMPLATE_HTML = sorted((FIXTURES / "templates").glob("*.html"))
# Entries of the site's menus (menu/main.php, menu/expanded.php, common/account.php, as the
# fixtures render them): none of them is ever a photo's caption or credit.
MENU_LABELS = {"News", "Opinion", "Business", "Meanwhile", "Arts and Life", "Podcasts", "Videos",
               "In-Depth", "Climate", "Archive", "Sections", "RU", "My account", "Signout",
               "My account Signout", "Ukraine War", "Newsletters"}


def run(spec_path: Path) -> dict:
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    page = spec_path.with_name(spec.get("input", spec_path.stem + ".txt")).read_text()
    form = "html" if spec.get("format") == "html" else "text"
    return clean(**{form: page}, url=spec.get("url"))


@pytest.mark.parametrize("spec_path", SPECS, ids=[p.stem for p in SPECS])
def test_the_rules_never_give_way_on_the_sites_own_pages(spec_path: Path) -> None:
    result = run(spec_path)
    assert result["outlet"] == "moscow_times"
    assert result["input"]["rules_fallback"] is None, result["warnings"]


@pytest.mark.parametrize("page", TEMPLATE_HTML, ids=[p.stem for p in TEMPLATE_HTML])
def test_captions_never_come_from_the_menus(page: Path) -> None:
    for caption in run(page.with_suffix(".json"))["captions"]:
        assert caption["credit"] not in MENU_LABELS and caption["text"] not in MENU_LABELS


def test_a_page_whose_class_names_changed_degrades_to_generic_with_a_warning() -> None:
    """templates/mt_news.html with the template's class names renamed, as a redesign would:
    no article selector matches, so generic extraction gives the body, and says so."""
    renamed = (FIXTURES / "redesign_fallback.html").read_text()
    original = json.loads((FIXTURES / "templates" / "mt_news.json").read_text())
    result = clean(html=renamed, url=original["url"])
    assert result["outlet"] == "moscow_times"
    assert result["input"]["rules_fallback"] == "article_not_found"
    assert any("none of the article selectors" in w for w in result["warnings"])
    assert result["paragraphs"] == original["paragraphs"]
    assert (result["title"], result["authors"]) == (original["title"], original["authors"])


@pytest.mark.parametrize("name", ["mt_news", "mt_news_text", "mt_opinion", "mt_opinion_text"])
def test_the_rules_keep_every_paragraph_generic_extraction_keeps(name: str) -> None:
    """An in-article card's "Read more" once ended the body early, and generic extraction
    kept more of the article than the rules did: now the rules keep all of it."""
    spec_path = FIXTURES / "templates" / f"{name}.json"
    spec = json.loads(spec_path.read_text())
    page = (FIXTURES / "templates" / spec["input"]).read_text()
    form = "html" if spec.get("format") == "html" else "text"
    generic = clean(**{form: page}, url="https://example.org/elsewhere")
    assert generic["outlet"] is None
    kept = run(spec_path)["paragraphs"]
    assert set(generic["paragraphs"]) & set(spec["paragraphs"]) <= set(kept)
    assert kept == spec["paragraphs"]
