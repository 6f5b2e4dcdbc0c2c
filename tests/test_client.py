"""The Python client against a real gunicorn: single pages, batches, problems, retries, auth."""

from __future__ import annotations

import re
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import ROOT, SEEDS, free_port, start_server, stop_server

from service import clean
from service.client import Client, ProblemError, ServiceUnreachable

SEED_001 = (SEEDS / "001_cabdf59f935a869e.txt").read_text(encoding="utf-8")
SEED_003 = (SEEDS / "003_367625e2b7a9f315.txt").read_text(encoding="utf-8")
ARTICLE_HTML = (ROOT / "tests/fixtures/ecosystem/kyiv_article.html").read_text(encoding="utf-8")
TOKEN = "test-token-4f1c"


def requests_counted(base_url: str, route: str, status: int) -> float:
    """How many requests the service's own metrics saw for (route, POST, status)."""
    with urllib.request.urlopen(base_url + "/metrics", timeout=5) as response:
        text = response.read().decode()
    labels = f'(?=[^}}]*method="POST")(?=[^}}]*route="{re.escape(route)}")'
    labels += f'(?=[^}}]*status="{status}")'
    pattern = r"^cleaner_requests_total\{" + labels + r"[^}]*\} (\S+)$"
    return sum(float(m) for m in re.findall(pattern, text, re.M))


class FlakyGateway:
    """A real HTTP gateway in front of the service that fails the way proxies do: it answers
    503 to the first `failures` requests, or cuts the first batch stream after some lines."""

    def __init__(self, upstream: str, failures: int = 0, cut_stream_after: int | None = None):
        self.upstream, self.failures, self.cut = upstream, failures, cut_stream_after
        self.statuses: list[int] = []
        self.batch_sizes: list[int] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> FlakyGateway:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if len(gateway.statuses) < gateway.failures:
                    gateway.statuses.append(503)
                    return self._answer(503, b"busy", "text/plain")
                if self.path.endswith("/batch"):
                    gateway.batch_sizes.append(body.count(b"\n"))
                request = urllib.request.Request(
                    gateway.upstream + self.path, data=body, method="POST",
                    headers={"Content-Type": self.headers["Content-Type"]},
                )
                try:
                    with urllib.request.urlopen(request, timeout=10) as upstream:
                        status, data = upstream.status, upstream.read()
                        kind = upstream.headers["Content-Type"]
                except urllib.error.HTTPError as error:
                    status, data, kind = error.code, error.read(), error.headers["Content-Type"]
                gateway.statuses.append(status)
                if gateway.cut is not None and len(gateway.batch_sizes) == 1:
                    return self._cut(data, kind)
                self._answer(status, data, kind)

            def _answer(self, status: int, data: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _cut(self, data: bytes, kind: str) -> None:
                lines = data.splitlines(keepends=True)
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(b"".join(lines[: gateway.cut]))
                self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        return Handler


@pytest.fixture(scope="module")
def strict_server():
    """A service with a token and small batch limits (2 pages, 20 kB)."""
    env = {"CLEANER_API_TOKEN": TOKEN, "MAX_BATCH_ITEMS": "2", "MAX_BATCH_BYTES": "20000"}
    proc, base_url = start_server(env=env, workers=1)
    yield base_url
    stop_server(proc)


def test_clean_gives_the_same_result_as_in_process(server: str) -> None:
    with Client(server) as client:
        result = client.clean(SEED_001)
    assert result == clean(text=SEED_001)
    assert result["byline"].startswith("by Olena Goncharova")


def test_html_and_hints_reach_the_service(server: str) -> None:
    with Client(server) as client:
        result = client.clean(html=ARTICLE_HTML, url="https://kyivindependent.com/a/")
        forced = client.clean(html=ARTICLE_HTML, outlet="moscow_times")
    assert result == clean(html=ARTICLE_HTML, url="https://kyivindependent.com/a/")
    assert result["captions"][0]["credit"] == "Press Service/Telegram"
    assert forced["outlet"] == "moscow_times"


def test_a_4xx_raises_problem_error_and_is_not_retried(server: str) -> None:
    before = requests_counted(server, "/v1/clean", 400)
    with Client(server, retries=3) as client, pytest.raises(ProblemError) as caught:
        client.clean(SEED_001, outlet="no_such_outlet")
    assert caught.value.status == 400
    assert caught.value.problem["type"].endswith("/unknown-outlet")
    assert "no_such_outlet" in caught.value.detail
    assert requests_counted(server, "/v1/clean", 400) - before == 1


def test_connections_are_pooled(server: str) -> None:
    with Client(server) as client:
        for _ in range(3):
            client.clean(SEED_003)
        pool = client._pool.connection_from_url(server)
        assert (pool.num_requests, pool.num_connections) == (3, 1)
    assert len(client._pool.pools) == 0  # the context manager closed them


def test_503_from_a_gateway_is_retried_until_it_passes(server: str) -> None:
    with FlakyGateway(server, failures=2) as gateway, Client(gateway.url, retries=3) as client:
        result = client.clean(SEED_003)
    assert result == clean(text=SEED_003)
    assert gateway.statuses == [503, 503, 200]


def test_503_is_raised_once_the_retries_are_spent(server: str) -> None:
    started = time.monotonic()
    with FlakyGateway(server, failures=10) as gateway, Client(gateway.url, retries=2) as client:
        with pytest.raises(ProblemError) as caught:
            client.clean(SEED_003)
    assert caught.value.status == 503
    assert gateway.statuses == [503, 503, 503]
    assert time.monotonic() - started >= 0.4  # backed off (urllib3 skips the first wait)


def test_a_broken_batch_stream_resends_only_the_unanswered_items(server: str) -> None:
    items = [{"id": n, "text": SEED_003} for n in range(4)]
    with FlakyGateway(server, cut_stream_after=1) as gateway, Client(gateway.url) as client:
        lines = list(client.clean_many(items, batch_size=4))
    assert [(line["id"], line["status"]) for line in lines] == [(n, 200) for n in range(4)]
    assert gateway.batch_sizes == [4, 3]


def test_no_service_raises_service_unreachable() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with Client(url, retries=1, timeout=2) as client, pytest.raises(ServiceUnreachable) as caught:
        client.clean("text")
    assert url in str(caught.value)


def test_clean_many_streams_one_line_per_item_in_order(server: str) -> None:
    items = [
        {"id": "a", "text": SEED_001},
        {"text": ""},
        "not an object",
        {"id": 42, "text": SEED_003, "url": "https://www.themoscowtimes.com/x"},
        {"html": "<p>no article here but words</p>", "outlet": "nope"},
    ]
    with Client(server) as client:
        lines = list(client.clean_many(items, batch_size=2))
    assert [line["id"] for line in lines] == ["a", 1, 2, 42, 4]
    assert [line["status"] for line in lines] == [200, 400, 400, 200, 400]
    assert lines[0]["result"] == clean(text=SEED_001)
    assert lines[3]["result"]["outlet"] == "moscow_times"
    assert lines[4]["problem"]["type"].endswith("/unknown-outlet")


def test_clean_many_is_lazy(server: str) -> None:
    pulled = []

    def pages():
        for n in range(6):
            pulled.append(n)
            yield {"text": SEED_003}

    with Client(server) as client:
        first = next(client.clean_many(pages(), batch_size=2))
    assert first["status"] == 200
    assert pulled == [0, 1]


def test_token_is_sent_as_bearer(strict_server: str) -> None:
    with Client(strict_server) as client, pytest.raises(ProblemError) as caught:
        client.clean(SEED_003)
    assert caught.value.status == 401
    with Client(strict_server, token=TOKEN) as client:
        assert client.clean(SEED_003)["outlet"] == "moscow_times"


def test_batches_over_the_limits_are_split(strict_server: str) -> None:
    big = "A paragraph of words that goes on. " * 1000  # 35 kB: over the 20 kB batch limit
    items = [{"text": SEED_003}] * 3 + [{"text": big}] + [{"text": SEED_001}]
    with Client(strict_server, token=TOKEN) as client:
        lines = list(client.clean_many(items, batch_size=5))
    assert [line["id"] for line in lines] == [0, 1, 2, 3, 4]
    assert [line["status"] for line in lines] == [200, 200, 200, 413, 200]
    assert lines[3]["problem"]["type"].endswith("/too-large")
