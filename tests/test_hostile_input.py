"""Whatever a crawler sends, the service answers with a result or a problem: never a 500,
never a hung worker; it never fetches a url it is given, and logs no page text."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import ROOT, SERVE_COMMAND, free_port, start_server, stop_server

from service.engine.pipeline import MAX_BLOCKS

PAGE = (ROOT / "seeds" / "001_cabdf59f935a869e.txt").read_bytes()


def post(base, body, content_type="text/plain", path="/v1/clean", timeout=60, **headers):
    headers = {"Content-Type": content_type, **headers}
    request = urllib.request.Request(base + path, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read())


HOSTILE = [
    ("nul bytes and control characters", b"Title\x00 here\n\n" + PAGE.replace(b" ", b" \x01", 50)),
    ("one 2 MB line", b"word " * 400_000),
    ("100,000 one-character lines", b"a\n" * 100_000),
    ("html nested 100,000 levels", b"<div>" * 100_000 + b"x" + b"</div>" * 100_000),
    ("html of unclosed formatting tags", b"<p><b><i>" * 30_000 + b"x"),
    ("only punctuation", b"!?.,;:" * 10_000),
    ("right-to-left and combining marks", "שלום עולם ".encode() * 500 + "e\u0301".encode() * 999),
]


@pytest.mark.parametrize(("case", "body"), HOSTILE, ids=[c for c, _ in HOSTILE])
def test_hostile_page_gets_a_result_or_a_problem(server, case, body):
    content_type = "text/html" if body.startswith(b"<") else "text/plain"
    started = time.monotonic()
    status, headers, payload = post(server, body, content_type)
    assert status in (200, 413, 415, 422), payload
    assert time.monotonic() - started < 30
    if status == 200:
        assert "\x00" not in json.dumps(payload["paragraphs"])
    else:
        assert headers["Content-Type"] == "application/problem+json"


def test_deep_html_is_refused_quickly_and_clearly(server):
    started = time.monotonic()
    status, _, problem = post(server, b"<div>" * 100_000 + b"</div>" * 100_000, "text/html")
    assert status == 422
    assert "deep" in problem["detail"]
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(("content_type", "body"), [
    ("text/plain", b"word\n" * (MAX_BLOCKS + 1)),
    ("text/html", b"<ul>" + b"<li><a href=/x>word</a></li>" * (MAX_BLOCKS + 1) + b"</ul>"),
], ids=["text lines", "html blocks"])
def test_a_page_of_too_many_blocks_is_refused_clearly(server, content_type, body):
    # Well under MAX_BODY_BYTES, but no article: classifying it would take a worker
    # gigabytes (about 3 KB a block), so it gets a 422 that says the limit.
    status, headers, problem = post(server, body, content_type)
    assert status == 422
    assert headers["Content-Type"] == "application/problem+json"
    assert f"the limit is {MAX_BLOCKS:,}" in problem["detail"]


def test_a_long_page_under_the_limit_is_cleaned(server):
    body = b"\n".join([b"Menu", b"Home"] * 2000 + [PAGE])
    status, _, result = post(server, body)
    assert status == 200
    assert result["paragraphs"]


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", "data:,x", "ftp://x.y/z"]
)
def test_urls_with_odd_schemes_are_only_hints(server, url):
    status, _, result = post(server, PAGE, path=f"/v1/clean?url={urllib.parse.quote(url)}")
    assert status == 200
    assert result["outlet"] == "kyiv_independent"  # the content decided


def test_the_service_never_fetches_the_url_it_is_given(server):
    hits = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    port = free_port()
    httpd = http.server.HTTPServer(("127.0.0.1", port), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        status, _, _ = post(server, PAGE, path=f"/v1/clean?url=http://127.0.0.1:{port}/page")
        body = json.dumps({"html": "<p>x y z</p>", "url": f"http://127.0.0.1:{port}/p"}).encode()
        post(server, body, "application/json")
        time.sleep(0.3)
    finally:
        httpd.shutdown()
    assert status == 200
    assert hits == []


def test_time_budget_turns_a_slow_page_into_a_422(tmp_path):
    proc, base = start_server(env={"CLEAN_TIMEOUT_S": "0.05"}, workers=1, log=tmp_path / "log")
    try:
        status, _, problem = post(base, b"Some words here.\n" * 200_000)
        assert status == 422
        assert "budget" in problem["detail"]
        # The worker survived: the next request is served.
        status, _, _ = post(base, b"A short page that cleans in no time at all.")
        assert status == 200
    finally:
        stop_server(proc)


@pytest.fixture(scope="module")
def token_server(tmp_path_factory):
    proc, base = start_server(
        env={"CLEANER_API_TOKEN": "s3cret-token"},
        workers=1,
        log=tmp_path_factory.mktemp("token") / "log",
    )
    yield base
    stop_server(proc)


def test_bearer_token_is_required_when_configured(token_server):
    assert post(token_server, PAGE)[0] == 401
    assert post(token_server, PAGE, Authorization="Bearer wrong")[0] == 401
    assert post(token_server, PAGE, Authorization="Basic czNjcmV0LXRva2Vu")[0] == 401
    status, _, result = post(token_server, PAGE, Authorization="Bearer s3cret-token")
    assert status == 200 and result["outlet"] == "kyiv_independent"
    with urllib.request.urlopen(token_server + "/healthz", timeout=5) as response:
        assert response.status == 200  # probes need no token


def test_request_id_is_echoed_and_logged_without_page_text(server, server_log):
    status, headers, _ = post(server, PAGE, **{"X-Request-ID": "crawler-42.7"})
    assert status == 200 and headers["X-Request-ID"] == "crawler-42.7"
    status, headers, _ = post(server, PAGE, **{"X-Request-ID": "bad id\twith spaces"})
    assert len(headers["X-Request-ID"]) == 32  # replaced by one of ours
    time.sleep(0.2)
    lines = [json.loads(x) for x in server_log.read_text().splitlines() if x.startswith("{")]
    ours = [x for x in lines if x.get("request_id") == "crawler-42.7"]
    assert ours and ours[0]["status"] == 200 and ours[0]["outlet"] == "kyiv_independent"
    assert {"ms", "bytes_in", "bytes_out", "route"} <= set(ours[0])
    assert "Putin" not in server_log.read_text()


def test_serve_binds_loopback_by_default(tmp_path):
    import subprocess

    port = free_port()
    log = tmp_path / "log"
    with open(log, "wb") as sink:
        proc = subprocess.Popen([*SERVE_COMMAND, "--port", str(port)], cwd=ROOT, stderr=sink)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "Listening at" not in log.read_text():
            time.sleep(0.1)
        assert f"Listening at: http://127.0.0.1:{port}" in log.read_text()
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        stop_server(proc)


def test_control_characters_are_read_as_spaces_and_said_so():
    from service import clean

    result = clean("A page\x00 with a NUL\x07 and a bell, both of which are not text at all.")
    assert result["warnings"] == ["control characters (NUL and the like) read as spaces: 2"]
    assert "\x00" not in result["body"] and "\x07" not in result["body"]
