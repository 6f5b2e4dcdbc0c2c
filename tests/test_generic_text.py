"""Generic text block classifier: clean text survives, page furniture goes."""

import re

from conftest import BUS_STORY

from service.engine.generic_text import Verdict, classify_page, split_blocks
from service.models import runtime
from service.models.text_features import detect_title

PROSE = BUS_STORY
KINDS = {"body", "title", "navigation", "related", "newsletter", "promo", "boilerplate",
         "byline", "date", "caption", "author_bio", "donation", "feed"}


def classify_blocks(blocks, gaps):
    return classify_page(blocks, gaps)[0]


def extract_body(text):
    blocks, gaps = split_blocks(text)
    return "\n".join(b for b, v in zip(blocks, classify_blocks(blocks, gaps), strict=True)
                     if v.keep)


def test_already_clean_text_comes_back_whole():
    verdicts = classify_blocks(PROSE, [0] * len(PROSE))
    assert [v.keep for v in verdicts] == [True] * 8
    assert all(v.kind == "body" for v in verdicts)


def _page() -> str:
    nav = ["Home", "World", "Politics", "Business", "Sport", "Culture", "Search", "Log in"]
    head = ["Council expands bus network - Daily Example", *nav, "",
            "Council expands bus network", "", "By Jane Doe", "March 3, 2021 10:15 am", ""]
    tail = ["", "Share this article", "Facebook", "Twitter", "Email", "",
            "Sign up for our newsletter", "Enter your email address", "Subscribe", "",
            "Related stories", "Tram line delayed again", "New cycle lanes open", "",
            "© 2021 Daily Example. All rights reserved.", "Privacy policy", "Cookie settings"]
    return "\n".join(head + [p + "\n" for p in PROSE] + tail)


def test_page_furniture_is_dropped_and_body_kept():
    body = extract_body(_page())
    assert body.splitlines() == PROSE


def test_verdicts_are_well_formed():
    blocks, gaps = split_blocks(_page())
    verdicts = classify_blocks(blocks, gaps)
    assert len(verdicts) == len(blocks)
    assert all(isinstance(v, Verdict) and v.kind in KINDS and v.rule for v in verdicts)
    kept = [b for b, v in zip(blocks, verdicts, strict=True) if v.keep]
    assert "Subscribe" not in kept and "Home" not in kept
    assert all(v.kind == "body" for v in verdicts if v.keep)


def test_detect_title_finds_the_on_page_headline():
    blocks, gaps = split_blocks(_page())
    assert blocks[detect_title(blocks, gaps)] == "Council expands bus network"
    assert detect_title([], []) is None


def test_split_blocks_counts_blank_lines():
    assert split_blocks("a\n\n\n  b   c \nd\n") == (["a", "b c", "d"], [0, 2, 0])


def test_empty_input():
    assert classify_blocks([], []) == []
    assert extract_body("") == ""


# The page-wide feature code must compute what the plain definitions say (the models were
# trained on those values): tests/test_block_features.py checks every feature.
TRICKY = [
    "Ⅷ Henry VIII and ǅungla 42 x2 ²3", "Posted 3 hours ago", "poſted by the editor",
    "Updated: Mar 3, 2021 10:15", "東京都の天気は晴れです。", "Photo: Reuters/ABC ©2020",
    "Sign up for our newsletter!", "He said \"yes.\"", "E-mail address", "ÉCOLE İstanbul 12:30",
]


def test_fast_block_features_match_their_definitions():
    from service.models import text_block as gt
    from service.models import text_dates as td
    from service.models.text_features import _norm

    table = gt.block_table(TRICKY)
    for k, text in enumerate(TRICKY):
        assert table.ntok[k] == len(re.findall(r"\w+", text))
        assert table.norms[k] == _norm(text)
        assert table.base[gt.BASE_NAMES.index("date_like"), k] == bool(td._DATE.search(text))
        assert td._date_like(text, text.lower()) == bool(td._DATE.search(text))


def test_lexicon_finds_words_phrases_and_punctuated_phrases():
    from service.models import text_block as gt

    def kinds(text):
        return set(gt.block_table([text]).lex_hits[0])

    assert "newsletter" in kinds("Sign up for our newsletter")
    assert "caption" in kinds("Photo: Jane Doe")
    assert kinds("The council voted on Tuesday") == set()


def test_text_features_have_one_value_per_name():
    from service.models import text_features as gt

    blocks, gaps = split_blocks(_page())
    columns, info, _title = gt.text_matrix(blocks, gaps)
    assert columns.shape == (len(gt.text_feature_names()), len(blocks)) and len(info) == len(blocks)
    assert runtime.load("text_model").features == tuple(gt.text_feature_names())
