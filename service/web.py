"""The HTTP door: a Flask application factory with thin views over `clean()`.

Views parse the request, call `clean()` and serialise its result. Every error, ours or
the framework's, leaves as `application/problem+json`; a body over the limit is refused
from its Content-Length (or as soon as a streamed body passes it) before it is read.
"""

from __future__ import annotations

import json
import os
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from . import __version__
from .errors import BadInput, CleanError, TooLarge, UnsupportedType
from .inputs import decode_page
from .pipeline import clean
from .rules import current_rules

DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024
PROBLEM_TYPE = "application/problem+json"
JSON_FIELDS = {"text", "html", "url", "outlet"}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `config` overrides settings read from the environment."""
    app = Flask(__name__)
    app.config["MAX_BODY_BYTES"] = int(os.environ.get("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))
    app.config.update(config or {})
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_BODY_BYTES"]
    current_rules()  # a broken rule file stops start-up here, with its message

    @app.post("/v1/clean")
    def clean_page() -> Response:
        return _json(clean(**_page_arguments()))

    @app.get("/v1/outlets")
    def outlets() -> Response:
        return _json({"outlets": [rs.describe() for rs in current_rules().values()]})

    @app.get("/healthz")
    def healthz() -> Response:
        return _json({"status": "ok", "version": __version__})

    app.register_error_handler(CleanError, _clean_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


def _page_arguments() -> dict[str, Any]:
    """clean()'s keyword arguments from the request's body and query string."""
    mimetype = request.mimetype
    hints = {k: request.args[k] for k in ("url", "outlet") if k in request.args}
    data = _body()
    if mimetype in ("text/plain", "text/html"):
        page = decode_page(data, request.mimetype_params.get("charset"))
        key = "html" if mimetype == "text/html" else "text"
        return {key: page, **hints}
    if mimetype == "application/json":
        return {**hints, **_json_arguments(data)}
    raise UnsupportedType(
        f"Content-Type {mimetype or '(none)'} is not supported; "
        "send text/plain, text/html or application/json"
    )


def _body() -> bytes:
    limit = int(request.content_length or 0)
    if limit > (request.max_content_length or limit):
        raise TooLarge(f"the body is {limit} bytes; the limit is {request.max_content_length}")
    return request.get_data(cache=False)


def _json_arguments(data: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(decode_page(data))
    except (ValueError, RecursionError):
        raise BadInput("the body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise BadInput("the JSON body must be an object with text or html")
    unknown = set(payload) - JSON_FIELDS
    if unknown:
        raise BadInput(f"unknown fields: {', '.join(sorted(unknown))}")
    return {k: v for k, v in payload.items() if v is not None}


def _json(payload: dict[str, Any], status: int = 200, mimetype: str = "application/json"):
    body = json.dumps(payload, ensure_ascii=False)
    return Response(body, status=status, mimetype=mimetype)


def _clean_error(error: CleanError) -> Response:
    return _json(error.problem(), error.status, PROBLEM_TYPE)


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    if status == 413:
        return _clean_error(TooLarge(f"the body is over the limit of {request.max_content_length} bytes"))
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
    # A bug of ours: log it, answer a problem without internals.
    from flask import current_app

    current_app.logger.exception("unexpected error")
    problem = {"type": "about:blank", "title": "Internal error", "status": 500,
               "detail": "the page could not be cleaned because of an internal error"}
    return _json(problem, 500, PROBLEM_TYPE)
