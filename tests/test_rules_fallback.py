"""Outlet rules never make a page worse than generic extraction: when they fail on a page,
the body comes from generic extraction, and the result says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BUS_STORY, copy_rules

from service import clean
from service.settings import override

KI = "https://kyivindependent.com/a-story/"


def ki_html(article_class: str) -> str:
    """An article page with the site's chrome around it; the article element's class varies."""
    body = "".join(f"<p>{p}</p>" for p in BUS_STORY)
    return (
        "<html><body><header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header>"
        f"<main><div class='{article_class}'><h1>City expands its bus network</h1>"
        f"<p>by Anna Myroniuk March 5, 2024 10:12 AM 2 min read</p>{body}</div></main>"
        "<footer><p>© The Kyiv Independent. All rights reserved.</p></footer></body></html>"
    )


def test_an_article_whose_markup_changed_falls_back_to_generic_extraction() -> None:
    """A redesign renamed the article element: none of the rules' selectors match it."""
    result = clean(html=ki_html("story-body-2030"), url=KI)
    assert result["outlet"] == "kyiv_independent"
    assert result["input"]["rules_fallback"] == "article_not_found"
    assert any("generic extraction" in w for w in result["warnings"])
    # Every paragraph of the story, in order, as generic extraction finds them.
    kept = [p for p in result["paragraphs"] if p in BUS_STORY]
    assert kept == BUS_STORY
    assert result["title"] == "City expands its bus network"


def test_rules_that_fit_the_page_need_no_fallback() -> None:
    page = ki_html("story").replace("<div class='story'>", "<article class='post'>")
    page = page.replace("</div></main>", "</article></main>")
    result = clean(html=page, url=KI)
    assert result["input"]["rules_fallback"] is None
    assert result["paragraphs"] == BUS_STORY


@pytest.fixture
def early_end_rules(tmp_path: Path):
    """The Kyiv Independent's rules with an end marker that fires on the article's second
    paragraph, as a template change could make one do."""
    rules = copy_rules(tmp_path / "rules")
    path = rules / "kyiv_independent.yaml"
    marker = "  end:\n"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(marker, marker + "    - '^Officials said the plan'\n", 1))
    with override(rules_dir=rules):
        yield


def test_an_end_marker_that_drops_most_of_the_prose_gives_way(early_end_rules) -> None:
    page = "\n\n".join(["City expands its bus network", "2 min read", *BUS_STORY,
                        "Avatar", "The Kyiv Independent news desk"])
    result = clean(text=page, outlet="kyiv_independent")
    assert result["input"]["rules_fallback"] == "rules_kept_too_little"
    assert result["paragraphs"] == BUS_STORY
    assert "2 min read" not in result["paragraphs"]
    assert any("kept" in w and "generic extraction" in w for w in result["warnings"])
