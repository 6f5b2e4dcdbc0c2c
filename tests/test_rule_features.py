"""Rule-file features for templates that print a headline over a standfirst, open articles
with subheadings, repeat lines as pull quotes, print teaser cards and lists, and captions
on two lines; on a small made-up outlet, so that each test shows one feature alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BUS_STORY

from service import clean
from service.engine.capture import mark_cut_off
from service.engine.page import Block, Page
from service.settings import override

RULES = r"""
id: example_wire
name: Example Wire
version: 1
domains: [example-wire.org]
timezone: Europe/Moscow
text:
  lines:
    - {kind: donation, pattern: '^Support Example Wire!$'}
    - {kind: related, pattern: '^(?:news|opinion)$'}
    - {kind: related, pattern: '^Read more$', glued: true}
    - {kind: feed, pattern: '^Most read$', heads_list: true}
  title: {min_words: 2, max_words: 20, full_stop: false, title_case: true}
  bylines:
    - pattern: '^By (?P<authors>\p{Lu}\p{L}+ \p{Lu}\p{L}+)$'
  dates:
    - pattern: '^(?P<date>(?:Jan|Feb|Nov)\. \d{1,2}, \d{4})$'
  captions:
    - scope: any
      two_lines: true
      pattern: '^(?P<text>.+[.!?]) (?P<credit>\p{Lu}[\p{L} ]+ / \p{Lu}\p{L}+)$'
    - scope: any
      after: '^Photo of the Day\b'
      before: '^Today\b'
      pattern: '^(?P<text>\p{Lu}.{10,200})$'
  subheads: {max_words: 8}
  repeats: {kind: pull_quote, min_words: 4}
  end:
    - '^Tags:'
  sections:
    - {kind: related, starts: '^Read more$'}
html:
  article: ['article.story']
  title: ['article.story h1']
  authors: ['.story__author']
  strip:
    - {selector: '.story__byline', kind: byline}
"""

PARAGRAPHS = BUS_STORY[:3]
URL = "https://example-wire.org/2024/11/22/a-story"


@pytest.fixture(autouse=True)
def example_rules(tmp_path: Path) -> Iterator[None]:
    directory = tmp_path / "rules"
    (directory / "fixtures" / "example_wire").mkdir(parents=True)
    (directory / "example_wire.yaml").write_text(RULES)
    with override(rules_dir=directory):
        yield


def page(*lines: str) -> dict:
    return clean("\n\n".join(lines), url=URL)


def test_a_standfirst_between_headline_and_byline_is_not_the_title():
    result = page("Support Example Wire!", "Buses Come to the Northern Suburbs",
                  "The council wants fewer cars in the centre by 2026.", "By Anna Petrova",
                  "Nov. 22, 2024", *PARAGRAPHS)
    assert result["title"] == "Buses Come to the Northern Suburbs"
    assert result["authors"] == ["Anna Petrova"]
    assert result["date"] == "2024-11-22"
    assert result["paragraphs"] == PARAGRAPHS


def test_a_standfirst_over_a_subheading_is_not_body():
    result = page("Buses Come to the Northern Suburbs", "Our picks for the week ahead.",
                  "New routes", *PARAGRAPHS)
    assert result["paragraphs"] == ["New routes", *PARAGRAPHS]


def test_a_long_question_in_title_case_is_the_headline_and_a_sentence_is_not():
    question = "Why Will the City Council Expand the Bus Network to the Northern Suburbs?"
    assert page(question, *PARAGRAPHS)["title"] == question
    result = page("Buses come to the suburbs", *PARAGRAPHS)
    assert result["title"] is None
    assert result["paragraphs"][1:] == PARAGRAPHS


def test_subheadings_under_the_caption_open_the_body():
    result = page("Buses Come to the Northern Suburbs",
                  "A bus at the central station. Ivan Ivanov / Agency", "The new routes",
                  "Until March", *PARAGRAPHS)
    assert result["captions"] == [{"text": "A bus at the central station.",
                                   "credit": "Ivan Ivanov / Agency"}]
    assert result["paragraphs"] == ["The new routes", "Until March", *PARAGRAPHS]


def test_a_caption_on_two_lines_is_one_caption():
    text = ("Buses Come to the Northern Suburbs\n\n"
            "A bus at the central station.\nIvan Ivanov / Agency")
    result = clean(text + "\n\n" + "\n\n".join(PARAGRAPHS), url=URL)
    assert result["captions"] == [{"text": "A bus at the central station.",
                                   "credit": "Ivan Ivanov / Agency"}]
    assert result["paragraphs"] == PARAGRAPHS


def test_a_caption_rule_may_ask_for_its_neighbours():
    caption = "A painting of the old market square in the nineteenth century."
    today = "Today the square is a car park, and the council wants it back for people."
    result = page("Photo of the Day: The Square", caption, today, "Read more")
    assert result["captions"] == [{"text": caption, "credit": None}]
    assert result["paragraphs"] == [today]


def test_a_pull_quote_and_a_standfirst_that_repeat_the_article_go():
    quote = "Traffic had become unbearable, residents said."
    last = "The routes will be reviewed after a year, the council said."
    result = page("Buses Come to the Northern Suburbs", last, PARAGRAPHS[0], quote,
                  PARAGRAPHS[1], "Residents said: " + quote.lower() + " Nothing else.", last)
    assert result["paragraphs"] == [PARAGRAPHS[0], PARAGRAPHS[1],
                                    "Residents said: " + quote.lower() + " Nothing else.", last]
    assert [s["text"] for s in result["stripped"] if s["kind"] == "pull_quote"] == [last, quote]


def test_a_teaser_card_goes_with_its_read_more_and_a_lone_read_more_ends_the_article():
    card = "news\nAnother Story About Something Else\nRead more"
    result = page("Buses Come to the Northern Suburbs", PARAGRAPHS[0], card, PARAGRAPHS[1],
                  "Read more", PARAGRAPHS[2])
    assert result["paragraphs"] == PARAGRAPHS[:2]
    related = [s["text"] for s in result["stripped"] if s["kind"] == "related"]
    assert related[:3] == ["news", "Another Story About Something Else", "Read more"]


def test_a_teaser_card_set_apart_by_blank_lines_goes_from_its_label_to_its_read_more():
    result = page("Buses Come to the Northern Suburbs", PARAGRAPHS[0], "news",
                  "Another Story About Something Else", "Read more", PARAGRAPHS[1])
    assert result["paragraphs"] == PARAGRAPHS[:2]


def test_a_list_goes_with_its_heading_up_to_the_next_kind_of_line():
    feed = "Most read\nNov. 21, 2024\nA Headline of Another Story\nSupport Example Wire!"
    result = page(feed, "Buses Come to the Northern Suburbs", *PARAGRAPHS)
    kinds = {s["text"]: s["kind"] for s in result["stripped"]}
    assert kinds["Nov. 21, 2024"] == kinds["A Headline of Another Story"] == "feed"
    assert kinds["Support Example Wire!"] == "donation"
    assert result["title"] == "Buses Come to the Northern Suburbs"
    assert result["date"] is None


def test_a_caption_printed_twice_in_tab_layout_is_one_caption():
    tabbed = "\t\t\t\t\tKonstantin Yuon\t\t\t\t\t \t\t\t\t\tMuseum\nKonstantin Yuon Museum"
    credit_only = "\t\t\t\t\t\t\t\t\t\t \t\t\t\t\tsite.org\nsite.org"
    result = page("Buses Come to the Northern Suburbs", PARAGRAPHS[0], tabbed, PARAGRAPHS[1],
                  credit_only, PARAGRAPHS[2])
    assert result["captions"] == [{"text": "Konstantin Yuon", "credit": "Museum"},
                                  {"text": None, "credit": "site.org"}]
    assert result["paragraphs"] == PARAGRAPHS


def test_captions_come_in_page_order():
    result = page("Buses Come to the Northern Suburbs", "A bus. Ivan Ivanov / Agency",
                  PARAGRAPHS[0], "\t\t\t\t\t\t \t\t\t\t\tsite.org\nsite.org", *PARAGRAPHS[1:])
    assert [c["credit"] for c in result["captions"]] == ["Ivan Ivanov / Agency", "site.org"]


@pytest.mark.parametrize("first", ["Buses Come to the Northern Suburbs,",
                                   "Buses Come to the Northern Suburbs"])
def test_a_print_headline_wrapped_over_two_lines_is_one_title(first):
    wrapped = "\n".join(
        line for p in PARAGRAPHS for line in (p[:70], p[70:140], p[140:])
    )
    text = f"11/20/24, 10:15 AM\n\n{first}\nCouncil Says\nBy Anna Petrova\n\n{wrapped}"
    result = clean(text, url=URL)
    assert result["title"] == f"{first} Council Says"
    assert result["authors"] == ["Anna Petrova"]


def test_html_authors_come_from_the_byline_not_the_metadata():
    html = (
        '<html><head><meta name="author" content="Example Wire"></head><body>'
        '<article class="story"><h1>Buses Come to the Northern Suburbs</h1>'
        '<div class="story__byline">By <a class="story__author">Anna Petrova</a> and '
        '<a class="story__author">Ivan Ivanov</a></div>'
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article></body></html>"
    )
    result = clean(html=html, url=URL)
    assert result["authors"] == ["Anna Petrova", "Ivan Ivanov"]
    assert result["paragraphs"] == PARAGRAPHS
    unsigned = html.replace("By <a", "<a").replace("story__author", "story__x")
    assert clean(html=unsigned, url=URL)["authors"] == []


def test_without_its_article_element_the_page_is_generic_but_known_lines_still_go():
    html = (
        '<html><body><div class="top">Support Example Wire!</div><main><h1>Buses Come to '
        "the Northern Suburbs</h1>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "<p>news</p></main></body></html>"
    )
    result = clean(html=html, url=URL)
    assert result["input"]["rules_fallback"] == "article_not_found"
    assert any("article selectors" in w for w in result["warnings"])
    assert "news" not in result["paragraphs"]
    assert PARAGRAPHS[0] in result["paragraphs"]


def test_a_capture_at_the_crawlers_size_limit_ends_in_a_cut_line():
    body = PARAGRAPHS[0] + "\n\n"
    text = (body * 20)[:1970] + "\n\nRussian journalist Arkady sh"
    page_ = Page(text, [Block(PARAGRAPHS[0], [(0, 10)], 0, "body"),
                        Block("Russian journalist Arkady sh", [(len(text) - 28, len(text))], 1)])
    mark_cut_off(page_)
    assert page_.blocks[-1].kind == "page_artifact"
    # Away from the size limit, a short last line is a label, not a cut paragraph.
    short = Page("x" * 500, [Block("Russian journalist Arkady", [(0, 25)], 0)])
    mark_cut_off(short)
    assert short.blocks[-1].kind is None
