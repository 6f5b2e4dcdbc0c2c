"""The metadata stage on whole pages, text and HTML: what the result says and where from."""

from __future__ import annotations

from conftest import BUS_STORY

from service import clean

BLOG = "\n".join([
    "Skip to main content",
    "Home",
    "About",
    "Blog",
    "",
    "A quiet morning at the harbour",
    "Posted on March 3, 2024 by Jane Whitfield",
    "",
    *(f"{p}\n" for p in BUS_STORY[:4]),
    "Leave a comment",
])


def _stripped(result: dict, kind: str) -> list[str]:
    return [s["text"] for s in result["stripped"] if s["kind"] == kind]


def test_the_blog_page() -> None:
    result = clean(text=BLOG)
    assert result["title"] == "A quiet morning at the harbour"
    assert result["date"] == "2024-03-03"
    assert result["authors"] == ["Jane Whitfield"]
    assert result["byline"] == "Posted on March 3, 2024 by Jane Whitfield"
    assert "Skip to main content" not in (result["title"] or "")
    assert _stripped(result, "title") == ["A quiet morning at the harbour"]
    assert _stripped(result, "byline") == ["Posted on March 3, 2024 by Jane Whitfield"]
    assert result["metadata_sources"]["date"] == "text:date-line"
    assert result["paragraphs"] == BUS_STORY[:4]


def test_the_url_names_the_date_when_the_page_does_not() -> None:
    text = "\n\n".join(["Council expands the bus network", *BUS_STORY[:4]])
    result = clean(text=text, url="https://example.org/2021/03/03/council-expands-bus-network/")
    assert result["date"] == "2021-03-03"
    assert result["metadata_sources"]["date"] == "url"


def test_a_date_in_the_prose_is_never_the_pages() -> None:
    text = "\n\n".join([*BUS_STORY[:3], "The vote was held on March 3, 2024 after a long debate "
                        "in which several members of the council spoke against the plan.",
                        *BUS_STORY[3:5]])
    assert clean(text=text)["date"] is None


def _html(head: str, header: str, body: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in BUS_STORY[:5])
    return (f"<html><head>{head}</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a>"
            f"</nav><article><h1>Council expands the bus network</h1>{header}{body}{paragraphs}"
            "</article><footer>© 2024 Daily Example</footer></body></html>")


def test_a_utc_timestamp_does_not_move_the_shown_local_date() -> None:
    # Posted at 00:30 local time (+02:00): 22:30 UTC the day before.
    html = _html('<meta property="article:published_time" content="2024-03-02T22:30:00Z">',
                 "<p class='meta'>March 3, 2024</p>")
    result = clean(html=html)
    assert result["date"][:10] == "2024-03-03"
    assert result["metadata_sources"]["date"] == "text:date-line"


def test_structured_time_keeps_its_offset() -> None:
    html = _html('<meta property="article:published_time" content="2024-03-03T10:15:00+01:00">',
                 "<p class='meta'>March 3, 2024</p>")
    result = clean(html=html)
    assert result["date"] == "2024-03-03T10:15:00+01:00"


def test_json_ld_graph_authors_title_and_the_sites_name() -> None:
    ld = ('{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": '
          '"Daily Example"}, {"@type": "NewsArticle", "headline": "Council expands the bus '
          'network", "datePublished": "2024-03-03T08:00:00+01:00", "author": [{"@type": '
          '"Person", "name": "Jane Doe"}, {"@type": "Organization", "name": "Daily Example"}]}]}')
    head = (f'<title>Council expands the bus network | Daily Example</title>'
            f'<script type="application/ld+json">{ld}</script>')
    result = clean(html=_html(head, ""), url="https://www.dailyexample.com/news/bus")
    assert result["title"] == "Council expands the bus network"
    assert result["authors"] == ["Jane Doe"]
    assert result["date"] == "2024-03-03T08:00:00+01:00"
    assert result["metadata_sources"]["date"] == "json-ld:article.datePublished"


def test_title_without_the_site_name_and_entities_decoded() -> None:
    head = ('<meta property="og:site_name" content="Daily Example">'
            '<title>Fares rise by &amp;#163;2 - Daily Example</title>')
    html = f"<html><head>{head}</head><body>" + "".join(
        f"<p>{p}</p>" for p in BUS_STORY[:5]) + "</body></html>"
    assert clean(html=html)["title"] == "Fares rise by £2"


def test_a_byline_with_a_role_keeps_the_role_in_byline_only() -> None:
    html = _html("", "<p class='byline'>By TOM KRISHER, AP Auto Writer</p>")
    result = clean(html=html)
    assert result["authors"] == ["Tom Krisher"]
    assert result["byline"] == "By TOM KRISHER, AP Auto Writer"


def test_figure_captions_with_credits_on_generic_pages() -> None:
    figure = ("<figure><img src='bus.jpg'><figcaption>A new bus at the depot. "
              "<span class='credit'>Jane Doe/Reuters</span></figcaption></figure>")
    result = clean(html=_html("", "", figure))
    assert result["captions"] == [{"text": "A new bus at the depot.", "credit": "Jane Doe/Reuters"}]
    assert "A new bus at the depot. Jane Doe/Reuters" in _stripped(result, "caption")
    assert not any("Reuters" in p for p in result["paragraphs"])


def test_caption_lines_with_credits_on_text_pages() -> None:
    text = "\n\n".join([
        "Council expands the bus network", "By Jane Doe", BUS_STORY[0],
        "A new bus at the depot on Monday. (John Roe/Getty Images)", *BUS_STORY[1:4],
        "Photo: Anna Example/Reuters", BUS_STORY[4],
    ])
    result = clean(text=text)
    assert {"text": "A new bus at the depot on Monday.", "credit": "John Roe/Getty Images"} in (
        result["captions"])
    assert {"text": None, "credit": "Anna Example/Reuters"} in result["captions"]
    assert not any("Getty" in p or "Reuters" in p for p in result["paragraphs"])


def test_kept_and_stripped_still_cover_the_input() -> None:
    result = clean(text=BLOG)
    covered = sorted([(s["start"], s["end"]) for s in result["stripped"]]
                     + [(k["start"], k["end"]) for k in result["kept"]])
    text = BLOG
    position = 0
    for start, end in covered:
        assert not text[position:start].strip()
        position = max(position, end)
    assert not text[position:].strip()


def test_a_personal_sites_author_is_named_for_the_site() -> None:
    text = "\n\n".join(["Notes from the harbour", "By Jane Whitfield", *BUS_STORY[:4]])
    result = clean(text=text, url="https://janewhitfield.net/2024/03/03/notes-from-the-harbour/")
    assert result["authors"] == ["Jane Whitfield"]


def test_the_sites_name_as_author_only_when_no_person_is_named() -> None:
    ld = ('{"@type": "NewsArticle", "headline": "Council expands the bus network", '
          '"author": {"@type": "Organization", "name": "Daily Example"}}')
    head = ('<meta property="og:site_name" content="Daily Example">'
            f'<script type="application/ld+json">{ld}</script>')
    with_person = clean(html=_html(head, "<p class='byline'>By Jane Whitfield</p>"))
    assert with_person["authors"] == ["Jane Whitfield"]
    alone = clean(html=_html(head, ""))
    assert alone["authors"] == ["Daily Example"]


def test_a_name_alone_under_the_headline_is_its_byline() -> None:
    text = "\n\n".join(["Council expands the bus network", "Elizabeth Whitfield",
                        *BUS_STORY[:4]])
    result = clean(text=text)
    assert result["authors"] == ["Elizabeth Whitfield"]
    assert result["metadata_sources"]["authors"] == "text:name-line"


def test_a_menu_line_under_the_headline_is_no_byline() -> None:
    text = "\n\n".join(["Council expands the bus network", "Aktuelle Verkehrsmeldungen",
                        *BUS_STORY[:4]])
    assert clean(text=text)["authors"] == []


def test_a_desk_is_the_author_only_when_no_person_is_named() -> None:
    desk = "\n\n".join(["Council expands the bus network", "von Redaktion, 3. März 2024",
                        *BUS_STORY[:4]])
    assert clean(text=desk)["authors"] == ["Redaktion"]
    person = "\n\n".join(["Council expands the bus network", "von Redaktion, 3. März 2024",
                          *BUS_STORY[:4], "Von Jane Whitfield"])
    assert clean(text=person)["authors"] == ["Jane Whitfield"]
