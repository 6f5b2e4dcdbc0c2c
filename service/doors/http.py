"""The HTTP door: a Flask application factory with thin views over `clean()`.

Views parse the request, call `clean()` and serialise its result. Every error, ours or
the framework's, leaves as `application/problem+json`. A body over the limit is refused
from its Content-Length (or as soon as a streamed body passes it) before it is read; a
gzip body is inflated only up to the same limit. Each request gets an id (echoed in
`X-Request-ID`), one JSON log line and its metrics; the page text is never logged.
A page body goes to `clean()` as the bytes received, with the Content-Type's charset, so
it is decoded as a browser would (engine/decoding.py).
"""

from __future__ import annotations

import hmac
import json
import re
import time
import uuid
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request, send_from_directory
from werkzeug.exceptions import HTTPException

from .. import __version__
from ..engine.decoding import decode_text
from ..engine.pipeline import clean
from ..errors import BadInput, CleanError, TooLarge, Unauthorized, UnsupportedType
from ..rules import current_rules
from ..settings import get_settings
from . import observability
from .budget import time_budget
from .items import INTERNAL_PROBLEM, answer, page_arguments, refused

PROBLEM_TYPE = "application/problem+json"
NDJSON = "application/x-ndjson"
PAGE_TYPES = {"text/plain": "text", "text/html": "html", "application/xhtml+xml": "html"}
HERE = Path(__file__).resolve().parent
OPEN_PATHS = {"/healthz", "/", "/docs", "/openapi.json", "/metrics"}
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `config` overrides settings read from the environment."""
    app = Flask(__name__, static_folder="static", static_url_path="/static")
    settings = get_settings()
    app.config.update(
        MAX_BODY_BYTES=settings.max_body_bytes,
        MAX_BATCH_ITEMS=settings.max_batch_items,
        MAX_BATCH_BYTES=settings.max_batch_bytes,
        API_TOKEN=settings.api_token or None,
    )
    app.config.update(config or {})
    current_rules()  # a broken rule file stops start-up here, with its message
    _register_routes(app)
    _register_hooks(app)
    app.register_error_handler(CleanError, _clean_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


def _register_routes(app: Flask) -> None:
    @app.post("/v1/clean")
    def clean_page() -> Response:
        data = _body(app.config["MAX_BODY_BYTES"])
        arguments = _page_arguments(data)
        with time_budget():
            result = clean(**arguments)
        g.outlet = result["outlet"]
        observability.record_result(result)
        return _json(result)

    @app.post("/v1/clean/batch")
    def clean_batch() -> Response:
        data = _body(app.config["MAX_BATCH_BYTES"])
        items = _batch_items(data, app.config["MAX_BATCH_ITEMS"])
        return Response(_batch_lines(items), mimetype=NDJSON)

    @app.get("/v1/outlets")
    def outlets() -> Response:
        return _json({"outlets": [rs.describe() for rs in current_rules().values()]})

    @app.get("/healthz")
    def healthz() -> Response:
        return _json({"status": "ok", "version": __version__})

    @app.get("/metrics")
    def metrics() -> Response:
        payload, content_type = observability.metrics_payload()
        return Response(payload, content_type=content_type)

    @app.get("/openapi.json")
    def openapi() -> Response:
        return _json(openapi_document())

    @app.get("/docs")
    def docs() -> Response:
        return send_from_directory(HERE / "docs", "index.html")

    @app.get("/")
    def playground() -> Response:
        return send_from_directory(HERE / "static", "playground.html")


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document, with the outlet ids this instance has loaded as an enum."""
    document = json.loads((HERE / "openapi.json").read_text(encoding="utf-8"))
    outlet = {"type": "string", "enum": sorted(current_rules())}
    for parameter in document["paths"]["/v1/clean"]["post"]["parameters"]:
        if parameter["name"] == "outlet":
            parameter["schema"] = outlet
    for name in ("PageInput", "BatchItem"):
        document["components"]["schemas"][name]["properties"]["outlet"] = outlet
    return document


def _register_hooks(app: Flask) -> None:
    log = observability.request_logger()

    @app.before_request
    def start() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        g.started = time.perf_counter()
        g.outlet = None
        token = app.config["API_TOKEN"]
        if token and request.path not in OPEN_PATHS and not request.path.startswith("/static/"):
            _check_token(token)

    @app.after_request
    def finish(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id", "")
        seconds = time.perf_counter() - g.get("started", time.perf_counter())
        route = request.url_rule.rule if request.url_rule else "(unmatched)"
        size = request.content_length or 0
        observability.record_request(route, request.method, response.status_code, seconds, size)
        fields = {
            "request_id": g.get("request_id"),
            "method": request.method,
            "route": route,
            "status": response.status_code,
            "ms": round(seconds * 1000, 2),
            "bytes_in": size,
            "bytes_out": response.content_length,  # None while streaming
            "outlet": g.get("outlet"),
        }
        log.info("request", extra={"fields": fields})
        return response


def _check_token(token: str) -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    # Compare in constant time so the token can't be guessed byte by byte.
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), token.encode()):
        raise Unauthorized("a valid bearer token is required (Authorization: Bearer <token>)")


def _body(limit: int) -> bytes:
    """The request body, inflated if gzip-encoded; TooLarge as soon as it passes `limit`."""
    length = request.content_length
    if length is not None and length > limit:
        raise TooLarge(f"the body is {length} bytes; the limit is {limit}")
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        raise TooLarge(f"the body is over the limit of {limit} bytes")
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding in ("gzip", "x-gzip"):
        return _gunzip(raw, limit)
    raise UnsupportedType(f"Content-Encoding {encoding} is not supported; use gzip or none")


def _gunzip(raw: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(wbits=47)  # gzip or zlib header, detected
    try:
        data = inflater.decompress(raw, limit + 1)
    except zlib.error as exc:
        raise BadInput(f"the gzip body is corrupt: {exc}") from None
    if len(data) > limit or inflater.unconsumed_tail:
        raise TooLarge(f"the body inflates past the limit of {limit} bytes")
    return data


def _page_arguments(data: bytes) -> dict[str, Any]:
    """clean()'s keyword arguments from the request's body and query string."""
    mimetype = request.mimetype
    hints = {k: request.args[k] for k in ("url", "outlet") if k in request.args}
    if mimetype in PAGE_TYPES:
        charset = request.mimetype_params.get("charset") or None
        return {PAGE_TYPES[mimetype]: data, "charset": charset, **hints}
    if mimetype == "application/json":
        return {**hints, **page_arguments(_parse_json(data))}
    raise UnsupportedType(
        f"Content-Type {mimetype or '(none)'} is not supported; "
        "send text/plain, text/html, application/xhtml+xml or application/json"
    )


def _parse_json(data: bytes) -> Any:
    try:
        return json.loads(decode_text(data).text)
    except (ValueError, RecursionError):
        raise BadInput("the body is not valid JSON") from None


def _batch_items(data: bytes, max_items: int) -> list[Any]:
    if request.mimetype == "application/json":
        items = _parse_json(data)
        if not isinstance(items, list):
            raise BadInput("a JSON batch is an array of pages")
    elif request.mimetype in (NDJSON, "application/jsonl", "application/ndjson"):
        text = decode_text(data).text
        items = [_ndjson_line(line) for line in text.splitlines() if line.strip()]
    else:
        raise UnsupportedType("send a batch as application/json (an array) or application/x-ndjson")
    if len(items) > max_items:
        raise TooLarge(f"the batch has {len(items)} pages; the limit is {max_items}")
    return items


class _BadLine:
    """An NDJSON line that did not parse: a per-item problem, not a failed batch."""

    def __init__(self, detail: str) -> None:
        self.detail = detail


def _ndjson_line(line: str) -> Any:
    try:
        return json.loads(line)
    except (ValueError, RecursionError):
        return _BadLine("the line is not valid JSON")


def _batch_lines(items: list[Any]) -> Iterator[str]:
    for index, payload in enumerate(items):
        if isinstance(payload, _BadLine):
            line = refused(index, payload.detail)
        else:
            line = answer(payload, index)
        if line["status"] == 200:
            observability.record_result(line["result"])
        yield json.dumps(line, ensure_ascii=False) + "\n"


def _json(payload: dict[str, Any], status: int = 200, mimetype: str = "application/json"):
    return Response(json.dumps(payload, ensure_ascii=False), status=status, mimetype=mimetype)


def _clean_error(error: CleanError) -> Response:
    response = _json(error.problem(), error.status, PROBLEM_TYPE)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    problem = {
        "type": "about:blank",
        "title": error.name,
        "status": status,
        "detail": error.description or error.name,
    }
    response = _json(problem, status, PROBLEM_TYPE)
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _unexpected_error(error: Exception) -> Response:
    # A bug of ours: log it with the request id; answer a problem without internals.
    observability.request_logger().error(
        "unexpected error", exc_info=error, extra={"fields": {"request_id": g.get("request_id")}}
    )
    return _json(INTERNAL_PROBLEM, 500, PROBLEM_TYPE)
