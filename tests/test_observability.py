"""Prometheus metrics across gunicorn workers, the docs page, and the outlets listing."""

from __future__ import annotations

import json
import re
import urllib.request

from conftest import SEEDS


def get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers["Content-Type"], response.read().decode()


def post_text(url: str, text: str) -> None:
    request = urllib.request.Request(
        url, data=text.encode(), headers={"Content-Type": "text/plain"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30):
        pass


def metric(exposition: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in exposition.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            if all(f'{k}="{v}"' in line for k, v in labels.items()):
                total += float(line.rsplit(" ", 1)[1])
    return total


def test_metrics_count_requests_pages_and_stripped_kinds(server):
    before = get(server + "/metrics")[2]
    for _ in range(4):  # several requests, so more than one worker is likely to serve them
        post_text(server + "/v1/clean", (SEEDS / "003_367625e2b7a9f315.txt").read_text())
    status, content_type, after = get(server + "/metrics")
    assert status == 200 and content_type.startswith("text/plain")
    route = {"route": "/v1/clean", "method": "POST", "status": "200"}
    assert (
        metric(after, "cleaner_requests_total", **route)
        - metric(before, "cleaner_requests_total", **route)
        == 4
    )
    assert metric(after, "cleaner_pages_total", outlet="moscow_times", format="text") >= 4
    assert metric(after, "cleaner_stripped_segments_total", kind="donation") >= 4
    assert metric(after, "cleaner_request_seconds_count", route="/v1/clean") >= 4
    assert metric(after, "cleaner_input_bytes_count") >= 4


def test_docs_page_needs_no_internet(server):
    status, content_type, page = get(server + "/docs")
    assert status == 200 and content_type.startswith("text/html")
    assert "/openapi.json" in page
    assert not re.search(r"""(src|href)=["']https?://""", page)


def test_openapi_document_is_3_1_and_lists_loaded_outlets(server):
    status, _, text = get(server + "/openapi.json")
    document = json.loads(text)
    assert document["openapi"].startswith("3.1")
    outlets = document["components"]["schemas"]["PageInput"]["properties"]["outlet"]["enum"]
    assert {"kyiv_independent", "moscow_times"} <= set(outlets)


def test_outlets_listing_has_versions_and_hashes(server):
    listed = json.loads(get(server + "/v1/outlets")[2])["outlets"]
    ids = {o["id"] for o in listed}
    assert {"kyiv_independent", "moscow_times"} <= ids
    assert all(re.fullmatch(r"[0-9a-f]{64}", o["sha256"]) and o["version"] for o in listed)


def test_a_page_the_rules_fail_on_is_counted_by_reason(server):
    from test_rules_fallback import ki_html

    labels = {"outlet": "kyiv_independent", "reason": "article_not_found"}
    before = metric(get(server + "/metrics")[2], "cleaner_rules_fallbacks_total", **labels)
    request = urllib.request.Request(
        server + "/v1/clean?url=https://kyivindependent.com/a-story/",
        data=ki_html("story-body-2030").encode(),
        headers={"Content-Type": "text/html"}, method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert json.loads(response.read())["input"]["rules_fallback"] == "article_not_found"
    after = metric(get(server + "/metrics")[2], "cleaner_rules_fallbacks_total", **labels)
    assert after - before == 1
