"""The playground at GET /, end to end in headless Chromium against the real service."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

from service import clean

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOT = Path("/tmp/playground.png")
SEED_001 = (SEEDS / "001_cabdf59f935a869e.txt").read_text(encoding="utf-8")
ARTICLE_HTML = (ROOT / "tests/fixtures/ecosystem/kyiv_article.html").read_text(encoding="utf-8")

if not CHROMIUM.exists():
    pytest.skip(
        f"no Chromium at {CHROMIUM}: apt-get install -y chromium (or set CHROMIUM)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (dev group) is needed")


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server: str) -> Iterator:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.set_default_timeout(10_000)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + "/")
    yield page
    context.close()
    assert errors == []  # no script error on the page


def test_text_page_is_cleaned_with_every_stripped_segment_highlighted(page) -> None:
    expected = clean(text=SEED_001)
    page.fill("#input", SEED_001)
    page.click("#clean")
    page.wait_for_selector('#annotated mark[data-kind="byline"]')

    assert page.inner_text('mark[data-kind="byline"]') == expected["byline"]
    caption = page.locator('#annotated mark[data-kind="caption"]').first.inner_text()
    assert caption.endswith("(Chip Somodevilla/Getty Images)")
    marks = page.locator("#annotated mark").evaluate_all(
        "marks => marks.map(m => [m.dataset.kind, m.textContent])"
    )
    assert marks == [[s["kind"], s["text"]] for s in expected["stripped"]]
    colours = {
        kind: page.locator(f'#annotated mark[data-kind="{kind}"]').first.evaluate(
            "m => getComputedStyle(m).backgroundColor")
        for kind in ("byline", "caption", "navigation")
    }
    assert len(set(colours.values())) == 3, colours  # each kind in a colour of its own
    # Highlighting never changes the text: the view reads exactly as the input.
    assert page.locator("#annotated").text_content() == SEED_001

    body = page.locator("#body p").all_text_contents()
    assert body == expected["paragraphs"]
    assert page.inner_text("#meta-title") == expected["title"]
    assert page.inner_text("#meta-authors") == "Olena Goncharova"
    assert page.inner_text("#meta-date") == expected["date"]
    assert page.inner_text("#meta-outlet") == "kyiv_independent"
    assert page.inner_text("#meta-fingerprint") == expected["fingerprint"]
    assert "Chip Somodevilla/Getty Images" in page.inner_text("#meta-captions")
    page.screenshot(path=str(SCREENSHOT), full_page=False)


def test_html_offsets_point_into_the_rendered_text(page) -> None:
    url = "https://kyivindependent.com/drones-hit-oil-depot-in-bryansk-oblast/"
    expected = clean(html=ARTICLE_HTML, url=url)
    page.click("label:has(#format-html)")
    page.fill("#url", url)
    page.fill("#input", ARTICLE_HTML)
    page.click("#clean")
    page.wait_for_selector('#annotated mark[data-kind="caption"]')

    assert page.locator("#annotated").text_content() == expected["rendered_text"]
    newsletter = page.inner_text('#annotated mark[data-kind="newsletter"]')
    assert newsletter == "Sign up for our newsletter"
    assert page.locator("#body p").all_text_contents() == expected["paragraphs"]


def test_the_json_can_be_downloaded(page, tmp_path: Path) -> None:
    page.fill("#input", SEED_001)
    page.click("#clean")
    page.wait_for_selector("#download:enabled")
    with page.expect_download() as info:
        page.click("#download")
    saved = tmp_path / "cleaned.json"
    info.value.save_as(saved)
    assert info.value.suggested_filename == "cleaned.json"
    assert json.loads(saved.read_text(encoding="utf-8")) == clean(text=SEED_001)


def test_a_refused_page_shows_the_problem(page) -> None:
    page.click("#clean")
    assert page.inner_text("#error") == "Paste a page first."
    # Over the service's 5 MB body limit: the service's own 413 problem is shown.
    page.evaluate("document.getElementById('input').value = 'word '.repeat(1200000)")
    page.click("#clean")
    page.wait_for_selector("#error:has-text('413')")
    assert page.inner_text("#error").startswith("413: the body is ")
    assert page.locator("#result").is_hidden()
