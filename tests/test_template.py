"""The template engine on small pages in the Kyiv Independent's text template: where the
body starts and ends, what the head and the tail give, and what stays in the body."""

from __future__ import annotations

from service import clean

HEAD = (
    "Skip to content\nA headline about a strike on a power plant\n\n"
    "by Anna Myroniuk and Dmytro Basmat March 5, 2024 10:12 AM 3 min read\n"
    "Workers at a damaged plant in the Kyiv region on March 4, 2024. (Roman Pilipey/AFP)\n"
    "This audio is created with AI assistance\n\n"
)
PARAGRAPH = (
    "The attack involved dozens of drones and several missiles, the regional administration "
    "said on Tuesday morning, adding that repairs would take weeks."
)
TAIL = (
    "\n\nAuthor: Anna Myroniuk\n9:15 AM\n\nA feed item headline.\n\n"
    "A feed item text that is long enough to look like prose, said officials.\n"
)


def page(body: str) -> dict:
    return clean(HEAD + body + TAIL)


def test_head_gives_title_two_authors_date_and_caption():
    result = page(PARAGRAPH)
    assert result["outlet"] == "kyiv_independent"
    assert result["title"] == "A headline about a strike on a power plant"
    assert result["authors"] == ["Anna Myroniuk", "Dmytro Basmat"]
    assert result["date"] == "2024-03-05T10:12:00+02:00"
    assert result["captions"] == [
        {
            "text": "Workers at a damaged plant in the Kyiv region on March 4, 2024.",
            "credit": "Roman Pilipey/AFP",
        }
    ]
    assert result["paragraphs"] == [PARAGRAPH]


def test_a_short_opening_sentence_is_body():
    result = page("Russia attacked Kyiv overnight.\n\n" + PARAGRAPH)
    assert result["paragraphs"] == ["Russia attacked Kyiv overnight.", PARAGRAPH]


def test_subheading_stays_and_teaser_card_goes():
    body = (
        PARAGRAPH
        + "\n\nWhat comes next\n\n"
        + PARAGRAPH.replace("Tuesday", "Monday")
        + "\n\nAnother story's headline here\nIts one-line excerpt under the headline.\n\n"
        + PARAGRAPH.replace("weeks", "months")
    )
    result = page(body)
    assert "What comes next" in result["paragraphs"]
    assert all("Another story" not in p for p in result["paragraphs"])
    related = [s["text"] for s in result["stripped"] if s["kind"] == "related"]
    assert related == ["Another story's headline here", "Its one-line excerpt under the headline."]


def test_tail_after_the_author_line_is_the_feed():
    result = page(PARAGRAPH)
    kinds = {s["text"]: s["kind"] for s in result["stripped"]}
    assert kinds["Author: Anna Myroniuk"] == "author_bio"
    assert kinds["A feed item headline."] == "feed"
    assert len(result["paragraphs"]) == 1
