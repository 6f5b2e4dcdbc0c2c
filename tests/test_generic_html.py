"""Generic HTML extraction: body paragraphs and page metadata."""

from service.generic_html import HtmlArticle, extract_html_article

BODY = [
    "The city council voted on Tuesday to expand the bus network, adding three new routes "
    "that will connect the northern suburbs with the central station by next spring.",
    "Officials said the plan, which has been debated for more than two years, would cost "
    "about 40 million euros and be paid for largely by a regional transport fund.",
    "Residents of the affected neighbourhoods have long complained that the only way to "
    "reach their jobs in the centre was by car, and that traffic had become unbearable.",
    "The mayor told reporters that the first buses would run in March, with the remaining "
    "routes following in the summer once the new depot has been completed and staffed.",
]

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


def test_metadata():
    art = extract_html_article(_page())
    assert art.title == "Council expands bus network"
    assert art.authors == ["Jane Doe", "John Roe"]
    assert art.date == "2021-03-03T10:15:00+01:00"


def test_page_without_article_gives_no_paragraphs():
    art = extract_html_article("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert art.paragraphs == []
    assert art.title is None and art.date is None and art.authors == []
