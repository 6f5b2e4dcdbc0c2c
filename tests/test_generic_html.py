"""Generic HTML extraction: the block classifier's cascade over the rendered blocks."""

import numpy as np
from conftest import BUS_STORY

from service import clean
from service.engine import generic_html
from service.engine import render as htmlpage
from service.models import html_features as gh
from service.models import runtime

BODY = BUS_STORY[:4]

PAGE = """<!doctype html><html><head>
<title>Council expands bus network - Daily Example</title>
<meta property="og:title" content="Council expands bus network">
<meta name="author" content="Jane Doe and John Roe">
<meta property="article:published_time" content="2021-03-03T10:15:00+01:00">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>Council expands bus network</h1>
<p class="byline">By Jane Doe and John Roe</p>
{paragraphs}
</article>
<footer><p>© 2021 Daily Example. All rights reserved.</p>
<ul><li><a href="/privacy">Privacy policy</a></li></ul></footer>
</body></html>"""


def _page() -> str:
    return PAGE.format(paragraphs="\n".join(f"<p>{p}</p>" for p in BODY))


def test_body_paragraphs_in_order_without_furniture():
    result = clean(html=_page(), url="https://example.org/news/bus")
    assert [p for p in result["paragraphs"] if p in BODY] == BODY
    assert not any("All rights reserved" in p or p == "Home" for p in result["paragraphs"])


def test_metadata_is_read_by_the_metadata_stage():
    result = clean(html=_page())
    assert result["title"] == "Council expands bus network"
    assert result["authors"] == ["Jane Doe", "John Roe"]
    assert result["date"] == "2021-03-03T10:15:00+01:00"


def test_text_a_browser_does_not_show_is_never_body():
    copy = "".join(f"<p>{p}</p>" for p in BODY)
    html = _page().replace("<footer>", f'<div style="display: none">{copy}</div>'
                                       f"<div hidden><p>{BODY[0]}</p></div><footer>")
    result = clean(html=html)
    assert [p for p in result["paragraphs"] if p in BODY] == BODY  # each paragraph once
    hidden = [s for s in result["stripped"] if s["rule"] == "generic-html:hidden"]
    assert [s["text"] for s in hidden] == BODY + BODY[:1]


COMMENTS = ["I think the council should have done this years ago, frankly.",
            "Great news for everyone who takes the number 12 bus every single day."]


def _with_thread(comments: list[str]) -> str:
    thread = "".join(f'<div class="comment"><p class="comment-body">{c}</p></div>'
                     for c in comments)
    return _page().replace("<footer>", f'<section id="comments">{thread}</section><footer>')


def test_a_comment_thread_under_the_article_is_not_body():
    result = clean(html=_with_thread(COMMENTS))
    assert not set(COMMENTS) & set(result["paragraphs"])
    assert {s["text"] for s in result["stripped"]
            if s["rule"] == "generic-html:comments"} >= set(COMMENTS)


def test_comments_that_hold_most_of_the_page_are_not_set_aside():
    blocks = htmlpage.load(_with_thread(COMMENTS * 20)).rendered.blocks
    _probs, page = generic_html.block_probs(blocks)
    assert set(generic_html.set_aside(blocks, page)) == {None}
    blocks = htmlpage.load(_with_thread(COMMENTS)).rendered.blocks
    _probs, page = generic_html.block_probs(blocks)
    aside = generic_html.set_aside(blocks, page)
    assert {b.text for b, a in zip(blocks, aside, strict=True) if a} == set(COMMENTS)


def test_page_without_article_gives_no_paragraphs():
    result = clean(html="<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert result["paragraphs"] == []
    assert result["title"] is None and result["date"] is None and result["authors"] == []


def test_the_body_is_always_read_off_kept_blocks():
    result = clean(html=_page())
    kept = [result["rendered_text"][k["start"]:k["end"]] for k in result["kept"]]
    assert kept == result["paragraphs"]


# ---------------------------------------------------------------------------
# Block classifier pieces
# ---------------------------------------------------------------------------

def _blocks(html: str) -> list:
    return htmlpage.render(htmlpage.parse(html)).blocks


def test_attr_flags_read_class_words_outer_and_inner():
    flags = gh._attr_flags(("article-body", "social-share"))
    names = gh.dom_feature_names()
    first = names.index("attr_comment")
    got = {names[first + i] for i, f in enumerate(flags) if f}
    assert {"attr_content", "attr_share", "attr_inner_content", "attr_inner_share"} <= got
    assert "attr_comment" not in got
    # Only the two innermost class values count as the block's own container.
    inner = gh._attr_flags(("comments", "x", "y"))
    assert inner[gh._ATTR_KINDS.index("comment")] == 1.0
    assert inner[len(gh._ATTR_KINDS) + gh._ATTR_KINDS.index("comment")] == 0.0


# ---------------------------------------------------------------------------
# Two-stage classifier and cascade
# ---------------------------------------------------------------------------


def test_landmarks_hint_marks_sectioning_elements_at_any_depth():
    html = ("<html><body><main><div><div><div><div><div><div><div><div><p>Deep text"
            "</p></div></div></div></div></div></div></div></div></main>"
            "<div role='complementary'><p>Side text</p></div></body></html>")
    blocks = {b.text: b.dom.landmarks for b in _blocks(html)}
    main, aside = htmlpage.LANDMARKS["main"], htmlpage.LANDMARKS["aside"]
    assert blocks["Deep text"] & main and not blocks["Deep text"] & aside
    assert blocks["Side text"] & aside and not blocks["Side text"] & main


def test_container_columns_share_scores_within_an_element_and_find_the_best():
    html = ("<html><body><div id='menu'><p>Home</p><p>World</p></div>"
            "<div id='story'><p>One two three four five six.</p>"
            "<p>Seven eight nine ten eleven twelve.</p></div></body></html>")
    blocks = _blocks(html)
    columns = gh.container_columns(gh.html_matrix(blocks), np.array([0.1, 0.1, 0.9, 0.7]))
    rows = [list(r) for r in zip(*columns, strict=True)]
    assert len(rows) == 4 and len({len(r) for r in rows}) == 1
    # Level 2 (the parent div): the two story paragraphs share one mean score.
    assert rows[2][0] == rows[3][0] and rows[2][0] > 0.7
    assert rows[0][0] == rows[1][0] < 0.2
    # The best candidate holds the story paragraphs, not the menu.
    assert [r[-2] for r in rows] == [0.0, 0.0, 1.0, 1.0]


def test_is_sure_measures_the_kept_tokens_in_the_uncertain_band():
    assert generic_html.is_sure([0.95, 0.99, 0.01], [50, 50, 10])
    assert not generic_html.is_sure([0.95, 0.6, 0.01], [50, 50, 10])
    assert not generic_html.is_sure([0.1, 0.01], [50, 10])  # nothing kept


def _constant_model(score: float) -> runtime.TwoStage:
    """A model whose trees say `score` (as a logit) for every block."""
    const = runtime.Forest(1, np.zeros(1, dtype=np.intp), np.array([1e300]),
                           np.array([score, score]), 1)
    return runtime.TwoStage((), const, const)


def _decide(score: float) -> generic_html.Decision:
    with runtime.using(html_model=_constant_model(score)):
        return generic_html.decide(htmlpage.load(_page()), None)


def test_cascade_sure_classifier_decides_alone_per_block():
    decision = _decide(6.0)
    assert decision.rule == "classifier"
    assert decision.keep == [True] * len(decision.keep)


def _length_model() -> runtime.TwoStage:
    """p = 0.7 for blocks of 12 words or more, else 0.3: every block is uncertain."""
    split = runtime.Forest(1, np.array([gh.feature_names().index("log_tokens")]),
                           np.array([np.log1p(11.5)]), np.array([-0.85, 0.85]), 1)
    stage2 = runtime.Forest(1, np.array([0]), np.array([0.0]), np.array([-0.85, 0.85]), 1)
    return runtime.TwoStage((), split, stage2)


def test_cascade_unsure_classifier_hands_over_to_trafilatura_on_the_fragment(monkeypatch):
    html = _page().replace("<article>", "<main><div id='wrap'><article>").replace(
        "</article>", "</article></div><aside><p>Related: another story</p></aside></main>")
    doc = htmlpage.load(html)
    monkeypatch.setattr(generic_html, "FRAGMENT_LEVELS_UP", 1)
    seen = []
    real = generic_html.trafilatura_text
    monkeypatch.setattr(generic_html, "trafilatura_text",
                        lambda fragment, url: seen.append(fragment) or real(fragment, url))
    with runtime.using(html_model=_length_model()):
        decision = generic_html.decide(doc, None)
    # trafilatura read the article's wrapper, not the page.
    assert len(seen) == 1 and seen[0].startswith("<html><body><main>")
    assert decision.rule == "trafilatura"
    kept = [b.text for b, k in zip(doc.rendered.blocks, decision.keep, strict=True) if k]
    assert [p for p in kept if p in BODY] == BODY


def test_cascade_falls_back_to_the_text_classifier_on_the_rendered_blocks():
    # The block classifier rejects everything: the text classifier reads the blocks.
    decision = _decide(-8.0)
    assert decision.rule == "text-classifier"


def test_in_text_places_blocks_whose_shingles_trafilatura_kept():
    class B:
        def __init__(self, text):
            self.text = text

    text = "one two three four five six seven\nalpha beta"
    blocks = [B("two three"), B("three two"), B("one two three four five"),
              B("four five six nine ten"), B("seven alpha"), B("")]
    assert generic_html.in_text(blocks, text) == [True, False, True, False, True, False]


def test_merge_drops_rejected_blocks_and_adds_sure_ones():
    class B:
        def __init__(self, text):
            self.text = text

    blocks = [B("kept by both"), B("rejected by the classifier"), B("missed by it"),
              B("unsure and missed"), B("unsure and kept")]
    text = "kept by both\nrejected by the classifier\nunsure and kept"
    probs = np.array([0.7, 0.1, 0.95, 0.5, 0.5])
    assert generic_html.merge(blocks, text, probs) == [True, False, True, False, True]


def test_main_fragment_is_the_articles_wrapper_not_the_page(monkeypatch):
    html = ("<html><body><nav><ul><li><a href='/'>Home</a></li></ul></nav>"
            "<main id='main'><div id='wrap'><div id='story'><div id='text'>"
            + "".join(f"<p>{p}</p>" for p in BODY)
            + "</div></div><aside><p>Related: another story about something else</p></aside>"
            "</div></main><footer><p>© Example</p></footer></body></html>")
    tree = htmlpage.parse(html)
    blocks = htmlpage.render(tree).blocks
    probs = [0.95 if b.text in BODY else 0.05 for b in blocks]
    # The best evidence: the outermost element holding the body and nothing else.
    monkeypatch.setattr(generic_html, "FRAGMENT_LEVELS_UP", 0)
    page, probs = gh.html_matrix(blocks), np.array(probs)
    inner = generic_html.main_fragment(tree, blocks, page, probs)
    # Levels up from there: the article's wrapper, still without the page's navigation.
    monkeypatch.setattr(generic_html, "FRAGMENT_LEVELS_UP", 2)
    outer = generic_html.main_fragment(tree, blocks, page, probs)
    # Up to the page itself: no fragment, trafilatura reads the whole page.
    monkeypatch.setattr(generic_html, "FRAGMENT_LEVELS_UP", 5)
    whole = generic_html.main_fragment(tree, blocks, page, probs)
    assert inner is not None and inner.startswith('<html><body><div id="story">')
    assert "Related" not in inner
    assert outer is not None and outer.startswith('<html><body><main id="main">')
    assert whole is None
    assert "Home" not in outer and all(p in outer for p in BODY)


def test_best_element_prefers_the_outermost_of_equal_wrappers():
    from types import SimpleNamespace

    from service.models.elements import Elements

    # Two blocks inside elements 1 > 2 > 3 and one outside them, in element 1 > 4.
    blocks = [SimpleNamespace(dom=SimpleNamespace(ids=c, tags=(), attrs=()))
              for c in [(1, 2, 3), (1, 2, 3), (1, 4)]]
    elements = Elements.of(blocks)
    gain = gh.gains(np.array([20.0, 20.0, 20.0]), np.array([0.9, 0.9, 0.1]))
    best, evidence = elements.best(gain)
    assert elements.element_ids[best] == 2  # 2 and 3 hold the same good blocks: the outer
    assert evidence == gain[0] + gain[1] and gain[2] < 0
    assert elements.holds(best).tolist() == [True, True, False]
    assert Elements.of([]).best(np.zeros(0)) == (None, 0.0)
