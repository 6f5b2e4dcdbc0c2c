"""`CleanerPipeline` in a real Scrapy crawl of a local site, in-process and via the service."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT

from service import clean

pytest.importorskip("scrapy", reason="scrapy is an optional dependency (the dev group)")

SITE = ROOT / "tests" / "fixtures" / "ecosystem"
CANONICAL = "https://kyivindependent.com/drones-hit-oil-depot-in-bryansk-oblast/"

# Runs in its own process: Twisted's reactor starts once per process. It serves SITE over
# http.server and crawls it twice, once per spider, each spider with its own settings.
CRAWL = textwrap.dedent(
    """
    import functools, sys, threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    import scrapy
    from scrapy.crawler import CrawlerProcess

    site, out_dir, service_url = sys.argv[1:4]

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=site)
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    start = f"http://127.0.0.1:{httpd.server_port}/index.html"

    class SiteSpider(scrapy.Spider):
        custom_settings = {"HTTPERROR_ALLOWED_CODES": [404]}

        async def start(self):
            yield scrapy.Request(start)

        def parse(self, response):
            yield from response.follow_all(css="a", callback=self.parse_page)

        def parse_page(self, response):
            canonical = response.css('link[rel="canonical"]::attr(href)').get()
            page = response.text if response.status == 200 else ""
            yield {"url": canonical or response.url, "html": page}

    class InProcessSpider(SiteSpider):
        name = "in_process"
        custom_settings = {**SiteSpider.custom_settings,
                           "FEEDS": {f"{out_dir}/in_process.jsonl": {"format": "jsonlines"}}}

    class RemoteSpider(SiteSpider):
        name = "remote"
        custom_settings = {**SiteSpider.custom_settings, "CLEANER_URL": service_url,
                           "FEEDS": {f"{out_dir}/remote.jsonl": {"format": "jsonlines"}}}

    process = CrawlerProcess({
        "ITEM_PIPELINES": {"service.integrations.scrapy.CleanerPipeline": 300},
        "LOG_LEVEL": "ERROR",
        "TELNETCONSOLE_ENABLED": False,
        "ROBOTSTXT_OBEY": False,
    })
    process.crawl(InProcessSpider)
    process.crawl(RemoteSpider)
    process.start()
    httpd.shutdown()
    """
)


@pytest.fixture(scope="module")
def crawled(server: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("crawl")
    script = out_dir / "crawl.py"  # a file, not -c: Scrapy reads its callbacks' source
    script.write_text(CRAWL, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(SITE), str(out_dir), server],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return out_dir


def items_by_url(path: Path) -> dict[str, dict]:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {item["url"].rsplit("/", 1)[-1] or item["url"]: item for item in items}


@pytest.mark.parametrize("mode", ["in_process", "remote"])
def test_the_pipeline_stores_the_cleaned_article_on_the_item(crawled: Path, mode: str) -> None:
    items = items_by_url(crawled / f"{mode}.jsonl")
    assert set(items) == {"gone.html", CANONICAL}
    article = items[CANONICAL]["article"]
    html = (SITE / "kyiv_article.html").read_text(encoding="utf-8")
    assert article == clean(html=html, url=CANONICAL)
    assert article["outlet"] == "kyiv_independent"
    assert article["byline"] == "by Olena Goncharova November 10, 2024 9:57 PM 2 min read"
    assert "article_problem" not in items[CANONICAL]


@pytest.mark.parametrize("mode", ["in_process", "remote"])
def test_a_page_without_content_keeps_its_item_with_a_problem(crawled: Path, mode: str) -> None:
    gone = items_by_url(crawled / f"{mode}.jsonl")["gone.html"]
    assert gone["article"] is None
    assert gone["article_problem"]["status"] == 400
    assert gone["article_problem"]["detail"] == "the item has no html or text"


def test_a_clear_error_without_scrapy(tmp_path: Path) -> None:
    # A directory named like the package shadows the real one: as if it were not installed.
    (tmp_path / "scrapy").mkdir()
    (tmp_path / "scrapy" / "__init__.py").write_text("raise ImportError('not installed')\n")
    done = subprocess.run(
        [sys.executable, "-c",
         "from service.integrations.scrapy import CleanerPipeline\n"
         "try:\n    CleanerPipeline()\nexcept ImportError as e:\n    print(e)"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"},
        capture_output=True, text=True, timeout=30,
    )
    assert "pip install 'scrapy" in done.stdout, done.stderr
