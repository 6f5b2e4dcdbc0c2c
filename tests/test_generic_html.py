"""Generic HTML extraction: body paragraphs and page metadata."""

from conftest import BUS_STORY

from service.engine.generic_html import HtmlArticle, extract_html_article  # noqa: E402

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
    art = extract_html_article(_page(), "https://example.org/news/bus")
    assert isinstance(art, HtmlArticle)
    assert [p for p in art.paragraphs if p in BODY] == BODY
    assert not any("All rights reserved" in p or p == "Home" for p in art.paragraphs)


def test_metadata_is_read_by_the_metadata_stage():
    from service import clean

    result = clean(html=_page())
    assert result["title"] == "Council expands bus network"
    assert result["authors"] == ["Jane Doe", "John Roe"]
    assert result["date"] == "2021-03-03T10:15:00+01:00"


def test_page_without_article_gives_no_paragraphs():
    art = extract_html_article("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert art.paragraphs == []


# ---------------------------------------------------------------------------
# Block classifier pieces
# ---------------------------------------------------------------------------

from service.engine import generic_html  # noqa: E402
from service.engine import render as htmlpage  # noqa: E402
from service.models import html_features as gh  # noqa: E402
from service.models import text_features  # noqa: E402


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


def test_block_features_one_row_per_block_with_every_feature():
    blocks = _blocks(_page())
    rows, ntok = gh.block_features(blocks, "\n".join(BODY))
    assert len(rows) == len(blocks) == len(ntok)
    assert all(len(r) == len(gh.feature_names()) for r in rows)
    extracted = gh.dom_feature_names().index("extracted")
    kept = {b.text for b, r in zip(blocks, rows, strict=True) if r[extracted]}
    assert set(BODY) <= kept and "Home" not in kept


class _B:
    def __init__(self, text: str) -> None:
        self.text = text


def test_merge_body_drops_rejected_lines_and_adds_sure_blocks_in_order():
    blocks = [_B("Menu"), _B("First paragraph here."), _B("Missed paragraph."),
              _B("Related: other story"), _B("Last paragraph.")]
    lines = ["First paragraph here.", "Related: other story", "Last paragraph."]
    probs = [0.0, 0.9, 0.95, 0.05, 0.8]
    out = generic_html.merge_body(lines, blocks, probs)
    assert out == ["First paragraph here.", "Missed paragraph.", "Last paragraph."]


def test_merge_body_keeps_lines_it_cannot_place():
    out = generic_html.merge_body(["Text only trafilatura saw."], [_B("Other block")], [0.0])
    assert out == ["Text only trafilatura saw."]


def test_pipeline_rendered_blocks_give_the_same_body():
    tree = htmlpage.parse(_page())
    art = extract_html_article(_page(), tree=tree, rendered=htmlpage.render(tree))
    assert [p for p in art.paragraphs if p in BODY] == BODY


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
    ntok = [len(b.text.split()) for b in blocks]
    rows = text_features.transpose(gh.container_columns(blocks, ntok, [0.1, 0.1, 0.9, 0.7]))
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


def test_view_text_is_the_main_content():
    view = generic_html.view_text(_page())
    assert all(p in view for p in BODY)
    assert "Privacy policy" not in view


def _constant_model(score: float) -> dict:
    """A model whose trees say `score` (as a logit) for every block."""
    const = {"base": score, "trees": [[[0.0]]]}
    return {"stage1": const, "stage2": const}


def test_cascade_sure_classifier_decides_alone_per_block():
    tree = htmlpage.parse(_page())
    rendered = htmlpage.render(tree)
    art = extract_html_article(_page(), tree=tree, rendered=rendered,
                               html_model=_constant_model(6.0))
    assert art.keep == [True] * len(rendered.blocks)
    assert art.paragraphs == [b.text for b in rendered.blocks]


def test_cascade_unsure_classifier_hands_over_to_trafilatura():
    tree = htmlpage.parse(_page())
    rendered = htmlpage.render(tree)
    # p = 0.5 everywhere: all kept text is uncertain, so trafilatura runs and is corrected.
    art = extract_html_article(_page(), tree=tree, rendered=rendered,
                               html_model=_constant_model(0.0))
    assert art.keep is None
    assert [p for p in art.paragraphs if p in BODY] == BODY


def test_extracted_membership_and_shingle_share():
    view = "one two three four five six seven\nalpha beta"
    tokens = [["two", "three"], ["three", "two"], ["one", "two", "three", "four", "five"],
              ["four", "five", "six", "nine", "ten"], ["seven", "alpha"], []]
    member, share = gh._extracted(tokens, view)
    # Short runs: contiguous in the view or not; a run may span the view's lines.
    assert member[:2] == [1.0, 0.0] and member[4] == 1.0 and member[5] == 0.0
    assert member[2] == 1.0 and share[2] == 1.0
    assert member[3] == 0.0 and share[3] == 0.0  # its only shingles are not in the view
    assert share[0] == member[0]  # under four tokens, the share is the membership


def test_main_fragment_is_the_articles_wrapper_not_the_page(monkeypatch):
    html = ("<html><body><nav><ul><li><a href='/'>Home</a></li></ul></nav>"
            "<main id='main'><div id='wrap'><div id='story'><div id='text'>"
            + "".join(f"<p>{p}</p>" for p in BODY)
            + "</div></div><aside><p>Related: another story about something else</p></aside>"
            "</div></main><footer><p>© Example</p></footer></body></html>")
    tree = htmlpage.parse(html)
    blocks = htmlpage.render(tree).blocks
    probs = [0.95 if b.text in BODY else 0.05 for b in blocks]
    ntok = [len(b.text.split()) for b in blocks]
    # The best evidence: the outermost element holding the body and nothing else.
    monkeypatch.setattr(generic_html, "FRAGMENT_LEVELS_UP", 0)
    inner = generic_html.main_fragment(tree, blocks, probs, ntok)
    # Levels up from there: the article's wrapper, still without the page's navigation.
    monkeypatch.setattr(generic_html, "FRAGMENT_LEVELS_UP", 2)
    outer = generic_html.main_fragment(tree, blocks, probs, ntok)
    # Up to the page itself: no fragment, trafilatura reads the whole page.
    monkeypatch.setattr(generic_html, "FRAGMENT_LEVELS_UP", 5)
    whole = generic_html.main_fragment(tree, blocks, probs, ntok)
    assert inner is not None and inner.startswith('<html><body><div id="story">')
    assert "Related" not in inner
    assert outer is not None and outer.startswith('<html><body><main id="main">')
    assert whole is None
    assert "Home" not in outer and all(p in outer for p in BODY)


def test_best_element_prefers_the_outermost_of_equal_wrappers():
    # Two blocks inside elements 1 > 2 > 3 and one outside them, in element 1 > 4.
    chains = [(1, 2, 3), (1, 2, 3), (1, 4)]
    best, evidence, gains = gh.best_element(chains, [20, 20, 20], [0.9, 0.9, 0.1])
    assert best == 2  # 2 and 3 hold the same two good blocks: the outer one
    assert evidence == gains[0] + gains[1] and gains[2] < 0
    assert gh.best_element([], [], []) == (None, 0.0, [])
