"""One page request as the batch endpoint and the batch CLI take it, and its answer line.

A page request is a JSON object `{"id"?, "text"|"html", "url"?, "outlet"?}`; its answer is
`{"id", "status": 200, "result"}` or `{"id", "status", "problem"}`. Both doors share these
two functions, so a page is refused, and answered, the same way wherever it comes from.
"""

from __future__ import annotations

import logging
from typing import Any

from ..errors import BadInput, CleanError
from .budget import time_budget

PAGE_FIELDS = frozenset({"text", "html", "url", "outlet"})
INTERNAL_PROBLEM = {
    "type": "about:blank",
    "title": "Internal error",
    "status": 500,
    "detail": "the page could not be cleaned because of an internal error",
}
log = logging.getLogger(__name__)


def page_arguments(payload: Any, *, with_id: bool = False) -> dict[str, Any]:
    """`clean()`'s keyword arguments from a request object; BadInput when it is not one."""
    if not isinstance(payload, dict):
        raise BadInput("each page must be a JSON object with text or html")
    allowed = PAGE_FIELDS | {"id"} if with_id else PAGE_FIELDS
    unknown = set(payload) - allowed
    if unknown:
        raise BadInput(f"unknown fields: {', '.join(sorted(unknown))}")
    return {k: v for k, v in payload.items() if k != "id" and v is not None}


def item_id(payload: Any, default: int | str) -> int | str:
    """The id a batch line answers with: the page's own, or `default` (its position)."""
    given = payload.get("id") if isinstance(payload, dict) else None
    if given is None or isinstance(given, bool) or not isinstance(given, str | int):
        return default
    return given


def check_id(payload: Any) -> None:
    given = payload.get("id") if isinstance(payload, dict) else None
    if given is not None and (isinstance(given, bool) or not isinstance(given, str | int)):
        raise BadInput("id must be a string or an integer")


def answer(payload: Any, default_id: int | str) -> dict[str, Any]:
    """The answer line for one page request: its result, or the problem that refused it."""
    from ..engine.pipeline import clean

    line_id = item_id(payload, default_id)
    try:
        check_id(payload)
        arguments = page_arguments(payload, with_id=True)
        with time_budget():
            result = clean(**arguments)
    except CleanError as error:
        return {"id": line_id, "status": error.status, "problem": error.problem()}
    except Exception:  # one page's bug must not end the batch
        log.exception("internal error on page %r", line_id)
        return {"id": line_id, "status": 500, "problem": INTERNAL_PROBLEM}
    return {"id": line_id, "status": 200, "result": result}


def refused(payload_id: int | str, detail: str) -> dict[str, Any]:
    """The answer line for a line that is not even a request (bad JSON, bad bytes)."""
    return {"id": payload_id, "status": 400, "problem": BadInput(detail).problem()}
