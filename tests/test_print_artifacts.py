"""Print artefacts are undone generically: wraps, hyphens, page-break debris, split paragraphs."""

from __future__ import annotations

from service import clean
from service.engine.hyphenation import join_hyphenated
from service.engine.printfix import unwrap_print_lines, wrap_width
from service.engine.textprep import normalise, split_lines

WRAPPED = """\
The committee met on Tuesday to review the proposals that the regional
government had sent in the spring, and it asked the ministry to explain
why the figures in the annex did not match the ones in the main report.

Officials said the discrepancy came from a change in method that had not
been documented, and they promised to publish a corrected version of the
annex within a month, together with a note on how the numbers were made.
"""


def blocks_of(text: str):
    return unwrap_print_lines(split_lines(text), text)


def kept_texts(text: str) -> list[str]:
    blocks, _ = blocks_of(text)
    return [b.text for b in blocks if not b.decided]


def test_hard_wrapped_lines_are_rejoined_into_paragraphs():
    blocks, wrapped = blocks_of(WRAPPED)
    assert wrapped
    assert len(blocks) == 2
    assert blocks[0].text.startswith("The committee met") and blocks[0].text.endswith(
        "main report."
    )
    assert "regional government" in blocks[0].text
    assert len(blocks[0].spans) == 3


def test_browser_copy_is_not_treated_as_print():
    page = "Headline of the story\n" + "\n".join(
        f"Paragraph {i} is a whole paragraph on one line, as a browser copy gives it, "
        "and it runs to well over a hundred and sixty characters so no wrap width fits it at all."
        for i in range(6)
    )
    blocks, wrapped = blocks_of(page)
    assert not wrapped
    assert len(blocks) == 7


def test_word_hyphenated_at_line_end_is_joined():
    text = WRAPPED.replace("regional\ngovernment", "regional govern-\nment")
    assert "regional government had sent" in kept_texts(text)[0]


def test_real_compound_keeps_its_hyphen():
    text = WRAPPED.replace("explain\nwhy", "explain the full-\nscale review and why")
    assert "the full-scale review" in kept_texts(text)[0]


def test_hyphen_decisions():
    assert join_hyphenated("govern-", "ment said") == "government said"
    assert join_hyphenated("full-", "scale war") == "full-scale war"
    assert join_hyphenated("well-", "known") == "well-known"
    # The page itself is the best witness: a form it uses elsewhere wins.
    assert join_hyphenated("e-", "mail", frozenset({"email"})) == "email"
    assert join_hyphenated("co-", "operate", frozenset({"co-operate"})) == "co-operate"
    # An upper-case or numeric continuation is never glued to the stem.
    assert join_hyphenated("Mar-a-", "Lago") == "Mar-a-Lago"
    assert join_hyphenated("COVID-", "19 cases") == "COVID-19 cases"


def test_stray_url_line_is_stripped_as_url():
    text = WRAPPED.replace(
        "\n\nOfficials", "\n\nhttps://example.org/2024/11/10/some-story/ 2/3\n\nOfficials"
    )
    blocks, _ = blocks_of(text)
    urls = [b for b in blocks if b.kind == "url"]
    assert len(urls) == 1 and urls[0].text.startswith("https://example.org/")


def test_page_numbers_and_running_headers_are_page_artifacts():
    header = "The Daily Example — Politics"
    text = (
        f"{header}\n\n"
        + WRAPPED
        + f"\n\n2\n\n{header}\n\n"
        + WRAPPED.replace("committee", "council")
        + "\n\nPage 3 of 4\n"
    )
    blocks, wrapped = blocks_of(text)
    assert wrapped
    artifacts = [b.text for b in blocks if b.kind == "page_artifact"]
    assert artifacts == [header, "2", header, "Page 3 of 4"]


def test_browser_print_header_is_a_page_artifact():
    text = "11/10/24, 9:57 PM Some Headline – Some Site\n\n" + WRAPPED
    blocks, _ = blocks_of(text)
    assert blocks[0].kind == "page_artifact"


def test_paragraph_split_by_a_page_break_is_made_whole():
    first, second = WRAPPED.split("\n\n")
    cut = first.replace(
        "and it asked the ministry to explain\n",
        "and it asked the ministry to explain\n\nhttps://example.org/story 1/2\n\n12\n\n\n",
    )
    blocks, _ = blocks_of(cut + "\n\n" + second)
    body = [b for b in blocks if not b.decided]
    assert len(body) == 2
    assert "asked the ministry to explain why the figures" in body[0].text
    assert [b.kind for b in blocks if b.decided] == ["url", "page_artifact"]


def test_split_paragraph_reports_its_pieces_with_offsets():
    first, second = WRAPPED.split("\n\n")
    cut = first.replace("to explain\n", "to explain\n\nhttps://example.org/story\n\n\n")
    text = cut + "\n\n" + second
    result = clean(text, outlet="moscow_times")
    assert any("to explain why the figures" in p for p in result["paragraphs"])
    url = [s for s in result["stripped"] if s["kind"] == "url"]
    assert text[url[0]["start"] : url[0]["end"]] == "https://example.org/story"


def test_wrap_width_needs_run_on_lines():
    short_lines = [f"Menu item {i}" for i in range(20)]
    assert wrap_width(split_lines("\n".join(short_lines))) is None


def test_normalisation_of_line_ends_and_odd_spaces():
    text = "First\u00a0line\u200b here\r\nsecond\tline\rthird\u2028fourth"
    lines = split_lines(text)
    assert [ln.text for ln in lines] == ["First line here", "second line", "third", "fourth"]
    assert text[lines[1].start : lines[1].end] == "second\tline"
    assert normalise("a\u00ad\ufeffb \u3000 c\x00d") == "ab c d"


def test_numbered_link_list_of_a_text_mode_browser_is_urls():
    text = (
        WRAPPED
        + "\n\nReferences\n\n   1. https://example.org/\n   2. https://example.org/news/a-story\n"
    )
    blocks, _ = blocks_of(text)
    assert [b.kind for b in blocks if b.text[0].isdigit()] == ["url", "url"]
