"""What a page declares in machine-readable form, read from the one parsed tree."""

from __future__ import annotations

from service.engine import render
from service.engine.metadata.structured import read_declared

PAGE = """<html><head>
<title>The title - Example News</title>
<meta property="OG:title" content="  The   title ">
<meta name="DATE" content="2020-01-01">
<meta property="article:published_time" content="2020-01-02T10:00:00+01:00">
<meta name="author" content="By Ann Example and Bob Example">
<meta property="article:author" content="https://example.org/ann">
<meta property="og:site_name" content="Example News">
<meta property="article:modified_time" content="2020-01-05">
<script type="application/ld+json">[{"@type": "BreadcrumbList"},
 {"@type": ["NewsArticle"], "headline": "The title", "datePublished": "2020-01-02",
  "author": {"@type": "Person", "name": "Ann Example"},
  "publisher": {"@type": "Organization", "name": "Example News"}}]</script>
<script type="application/ld+json">{not json</script>
</head><body><span itemprop="datePublished" content="2020-01-03"></span></body></html>"""


def test_every_kind_of_declaration_with_its_source() -> None:
    declared = read_declared(render.parse(PAGE))
    assert declared.titles[0] == ("The title", "json-ld:article.headline")
    assert ("The title", "meta:og:title") in declared.titles
    assert declared.published[0] == ("2020-01-02", "json-ld:article.datePublished")
    assert ("2020-01-02T10:00:00+01:00", "meta:article:published_time") in declared.published
    assert ("2020-01-03", "microdata:datePublished") in declared.published
    assert ("2020-01-01", "meta:date") in declared.published
    assert declared.modified == [("2020-01-05", "meta:article:modified_time")]
    assert declared.authors[0] == (["Ann Example"], "json-ld:article.author")
    assert (["By Ann Example and Bob Example"], "meta:author") in declared.authors
    assert "Example News" in declared.site_names
    assert declared.document_title == "The title - Example News"


def test_a_page_without_declarations() -> None:
    declared = read_declared(render.parse("<p>Just text</p>"))
    assert not (declared.titles or declared.published or declared.authors)
