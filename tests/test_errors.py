"""Bad input gets a problem+json 4xx over HTTP and a message with a non-zero exit on the CLI."""

from __future__ import annotations

import gzip
import http.client
import json
import socket
import urllib.error
import urllib.request

import pytest
from conftest import ROOT, run_service

from service import CleanError, clean

PAGE = (ROOT / "seeds" / "003_367625e2b7a9f315.txt").read_bytes()


def post(base: str, path: str, body: bytes, content_type: str | None, **headers: str):
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(base + path, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


BAD_REQUESTS = [
    ("empty body", b"", "text/plain", 400),
    ("blank page", b" \n\t\n", "text/plain", 400),
    ("undecodable bytes", b"caf\xe9 \xff\xfe", "text/plain", 400),
    ("unknown charset", b"hello", "text/plain; charset=klingon", 400),
    ("wrong content type", PAGE, "image/png", 415),
    ("no content type", PAGE, None, 415),
    ("binary pdf sent as text", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "text/plain", 415),
    ("png sent as text", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text/plain", 415),
    ("malformed json", b'{"text": "abc"', "application/json", 400),
    ("json not an object", b'["text"]', "application/json", 400),
    ("json both text and html", b'{"text": "a b c", "html": "<p>a</p>"}', "application/json", 400),
    ("json neither text nor html", b'{"url": "https://example.org/"}', "application/json", 400),
    ("json wrong type", b'{"text": 42}', "application/json", 400),
    ("json unknown field", b'{"text": "abc", "colour": "red"}', "application/json", 400),
    (
        "json deeply nested",
        b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "application/json",
        400,
    ),
]


@pytest.mark.parametrize(
    ("case", "body", "content_type", "status"), BAD_REQUESTS, ids=[c[0] for c in BAD_REQUESTS]
)
def test_http_bad_input_is_a_problem(server, case, body, content_type, status):
    got, headers, payload = post(server, "/v1/clean", body, content_type)
    assert got == status
    assert headers["Content-Type"] == "application/problem+json"
    problem = json.loads(payload)
    assert problem["status"] == status
    assert set(problem) >= {"type", "title", "status", "detail"}
    assert "Traceback" not in problem["detail"]


def test_http_unknown_outlet_hint(server):
    got, _, payload = post(server, "/v1/clean?outlet=no_such_outlet", PAGE, "text/plain")
    assert got == 400
    assert "no_such_outlet" in json.loads(payload)["detail"]


def test_http_body_over_the_limit_is_413_before_it_is_read(server):
    # Announce 6 MB but send none of it: the answer must come from the headers alone.
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /v1/clean HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
            b"Content-Length: 6000000\r\n\r\n"
        )
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert response.status == 413
        assert response.getheader("Content-Type") == "application/problem+json"
        assert json.loads(response.read())["status"] == 413


def test_http_streamed_body_over_the_limit_is_413(server):
    host, port = server.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    chunks = (b"a" * 65536 for _ in range(90))  # 5.6 MB, chunked: no Content-Length
    try:
        connection.request(
            "POST",
            "/v1/clean",
            body=chunks,
            headers={"Content-Type": "text/plain"},
            encode_chunked=True,
        )
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed before taking the rest
    response = connection.getresponse()
    assert response.status == 413
    connection.close()


def test_http_gzip_body_is_inflated(server):
    got, _, payload = post(
        server, "/v1/clean", gzip.compress(PAGE), "text/plain", **{"Content-Encoding": "gzip"}
    )
    assert got == 200
    assert json.loads(payload)["outlet"] == "moscow_times"


def test_http_gzip_bomb_is_413(server):
    bomb = gzip.compress(b"a" * (20 * 1024 * 1024))
    got, _, _ = post(server, "/v1/clean", bomb, "text/plain", **{"Content-Encoding": "gzip"})
    assert got == 413


def test_http_unknown_encoding_is_415(server):
    got, _, _ = post(server, "/v1/clean", PAGE, "text/plain", **{"Content-Encoding": "br"})
    assert got == 415


def test_http_unknown_route_and_method_are_problems(server):
    got, headers, _ = post(server, "/v2/clean", PAGE, "text/plain")
    assert got == 404 and headers["Content-Type"] == "application/problem+json"
    request = urllib.request.Request(server + "/v1/clean", method="GET")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 405
    assert caught.value.headers["Content-Type"] == "application/problem+json"


def run_cli(*args: str, stdin: bytes = b""):
    return run_service("clean", *args, input=stdin, text=False)


@pytest.mark.parametrize(
    ("case", "args", "stdin"),
    [
        ("empty stdin", ["-"], b""),
        ("undecodable bytes", ["-"], b"\xff\xfe\xfd"),
        ("binary file", ["-"], b"\x1f\x8b\x08\x00gzip"),
        ("unknown outlet", ["--outlet", "no_such_outlet", "-"], b"some page text"),
        ("missing file", ["/nonexistent/page.txt"], b""),
    ],
)
def test_cli_bad_input_is_a_message_and_non_zero_exit(case, args, stdin):
    done = run_cli(*args, stdin=stdin)
    assert done.returncode != 0
    assert done.stdout == b""
    message = done.stderr.decode()
    assert message.startswith("error: ")
    assert "Traceback" not in message


def test_cli_reads_stdin_and_takes_hints():
    done = run_cli("--url", "https://www.themoscowtimes.com/2024/11/10/a-story", "-", stdin=PAGE)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["outlet"] == "moscow_times"


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"text": ""},
        {"text": "a", "html": "<p>a</p>"},
        {"text": 5},
        {"text": "a", "outlet": "x"},
    ],
)
def test_python_api_raises_clean_error(kwargs):
    with pytest.raises(CleanError):
        clean(**kwargs)
