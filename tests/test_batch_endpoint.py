"""POST /v1/clean/batch: pages in as a JSON array or NDJSON, results streamed back in order,
one bad page never failing the batch."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from conftest import SEEDS, start_server, stop_server

PAGES = {p.stem[:3]: p.read_text() for p in sorted(SEEDS.glob("*.txt"))}


def post_batch(base: str, body: bytes, content_type: str):
    request = urllib.request.Request(
        base + "/v1/clean/batch", data=body, headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            lines = response.read().decode().splitlines()
            return response.status, response.headers["Content-Type"], [json.loads(x) for x in lines]
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], [json.loads(error.read())]


def test_json_array_gives_one_line_per_page_in_order(server):
    items = [{"id": name, "text": text} for name, text in PAGES.items()]
    status, content_type, lines = post_batch(server, json.dumps(items).encode(), "application/json")
    assert status == 200 and content_type == "application/x-ndjson"
    assert [line["id"] for line in lines] == list(PAGES)
    assert [line["result"]["outlet"] for line in lines] == [
        "kyiv_independent",
        "kyiv_independent",
        None,
        "moscow_times",
        "moscow_times",
    ]


def test_ndjson_with_bad_items_fails_only_those_items(server):
    body = "\n".join(
        [
            json.dumps({"id": "good", "text": PAGES["003"]}),
            "{not json",
            json.dumps({"id": "empty", "text": "   "}),
            json.dumps({"id": "both", "text": "a", "html": "<p>a</p>"}),
            json.dumps({"id": "outlet", "text": PAGES["002"], "outlet": "nope"}),
            json.dumps(["not", "an", "object"]),
            json.dumps({"id": 7, "html": "<article><h1>T</h1><p>" + "Words here. " * 30 + "</p>"}),
        ]
    ).encode()
    status, _, lines = post_batch(server, body, "application/x-ndjson")
    assert status == 200
    assert [(line["id"], line["status"]) for line in lines] == [
        ("good", 200),
        (1, 400),
        ("empty", 400),
        ("both", 400),
        ("outlet", 400),
        (5, 400),
        (7, 200),
    ]
    assert all("problem" in line for line in lines if line["status"] != 200)
    assert lines[0]["result"]["outlet"] == "moscow_times"


def test_batch_that_is_not_an_array_is_a_problem(server):
    status, content_type, lines = post_batch(server, b'{"text": "a"}', "application/json")
    assert status == 400 and content_type == "application/problem+json"


def test_batch_over_the_item_limit_is_413(tmp_path):
    proc, base = start_server(env={"MAX_BATCH_ITEMS": "3"}, workers=1, log=tmp_path / "log")
    try:
        items = [{"text": "Some text."}] * 4
        status, _, lines = post_batch(base, json.dumps(items).encode(), "application/json")
        assert status == 413 and "limit is 3" in lines[0]["detail"]
    finally:
        stop_server(proc)
