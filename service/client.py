"""A Python client for a running cleaner service: one page, or a stream of many.

    from service.client import Client

    with Client("http://cleaner:8080", token="...") as client:
        result = client.clean(text=page_text)
        for line in client.clean_many({"id": n, "html": h} for n, h in pages):
            ...   # {"id", "status": 200, "result": {...}} or {"id", "status", "problem": {...}}

One pooled connection set per client (thread-safe, so threads may share a client).
Overload and gateway answers (502/503/504) and dropped connections are retried with
exponential backoff; a 4xx is the caller's and is never retried.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import MaxRetryError

from . import __version__

RETRY_STATUSES = frozenset({502, 503, 504})
BACKOFF_FACTOR = 0.2  # first retry at once, then 0.4 s, 0.8 s, 1.6 s, ...
BACKOFF_MAX = 10.0
NDJSON = "application/x-ndjson"
PAGE_FIELDS = ("text", "html", "url", "outlet")


class ClientError(Exception):
    """The service could not answer a request."""


class ServiceUnreachable(ClientError):
    """No answer at all after every retry: refused, reset or timed out connections."""


class ProblemError(ClientError):
    """The service answered with an RFC 9457 problem; `problem` is its JSON, `status` its code."""

    def __init__(self, problem: dict[str, Any], status: int) -> None:
        self.problem = problem
        self.status = status
        self.detail = str(problem.get("detail") or problem.get("title") or f"HTTP {status}")
        super().__init__(f"{status}: {self.detail}")


class Client:
    """A client of one cleaner service at `base_url`."""

    def __init__(
        self,
        base_url: str,
        timeout: float = 30.0,
        retries: int = 3,
        token: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self._headers = {"User-Agent": f"news-cleaner-client/{__version__}"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._pool = urllib3.PoolManager(
            retries=_retry_policy(retries),
            timeout=urllib3.Timeout(connect=min(timeout, 10.0), read=timeout),
            headers=self._headers,
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections."""
        self._pool.clear()

    def clean(
        self,
        text: str | None = None,
        *,
        html: str | None = None,
        url: str | None = None,
        outlet: str | None = None,
    ) -> dict[str, Any]:
        """Clean one page; the contract's result, or `ProblemError` when the service refuses."""
        fields = {"text": text, "html": html, "url": url, "outlet": outlet}
        payload = {k: v for k, v in fields.items() if v is not None}
        response = self._request(
            "POST", "/v1/clean", json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            "application/json",
        )
        if response.status != 200:
            raise ProblemError(_problem_of(response), response.status)
        return _json_body(response)

    def clean_many(self, items: Iterable[dict[str, Any]], batch_size: int = 50) -> Iterator[dict]:
        """Clean many pages through the batch endpoint, `batch_size` per request.

        Yields one line per item, in input order: `{"id", "status": 200, "result"}` or
        `{"id", "status", "problem"}`. An item without an `id` gets its index in `items`.
        A batch the service finds too large (413) is split in halves and sent again, so a
        single oversized page becomes its own problem line instead of failing the stream;
        any other refusal of a whole request raises `ProblemError`.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        return self._stream_batches(items, batch_size)

    def _stream_batches(self, items: Iterable[Any], batch_size: int) -> Iterator[dict]:
        numbered = (_numbered(item, index) for index, item in enumerate(items))
        while batch := list(islice(numbered, batch_size)):
            yield from self._clean_batch(batch)

    def healthz(self) -> dict[str, Any]:
        """The service's health answer (raises `ProblemError` when it is not healthy)."""
        response = self._request("GET", "/healthz")
        if response.status != 200:
            raise ProblemError(_problem_of(response), response.status)
        return _json_body(response)

    def _clean_batch(self, batch: list[tuple[Any, Any]]) -> Iterator[dict]:
        """`batch` holds (id, item) pairs; lines come back with those ids, in that order."""
        pending = batch
        for _attempt in range(self.retries + 1):
            body = "".join(json.dumps(item, ensure_ascii=False) + "\n" for _, item in pending)
            response = self._request(
                "POST", "/v1/clean/batch", body.encode("utf-8"), NDJSON, stream=True
            )
            if response.status != 200:
                yield from self._refused_batch(response, pending)
                return
            done, complete = 0, False
            try:
                for line in _ndjson_lines(response):
                    if done == len(pending):
                        raise ClientError("the service answered more lines than it was sent")
                    line["id"] = pending[done][0]
                    yield line
                    done += 1
                complete = True
            except Urllib3Error:
                pass  # the stream broke: the lines already yielded stand, the rest go again
            finally:
                _finish(response, complete)
            pending = pending[done:]
            if not pending:
                return
        raise ServiceUnreachable(
            f"{self.base_url} broke off a batch stream {self.retries + 1} times"
        )

    def _refused_batch(
        self, response: urllib3.BaseHTTPResponse, pending: list[tuple[Any, Any]]
    ) -> Iterator[dict]:
        problem = _problem_of(response)
        response.release_conn()
        if response.status == 413 and len(pending) > 1:
            half = len(pending) // 2
            yield from self._clean_batch(pending[:half])
            yield from self._clean_batch(pending[half:])
        elif len(pending) == 1 and response.status == 413:
            yield {"id": pending[0][0], "status": response.status, "problem": problem}
        else:
            raise ProblemError(problem, response.status)

    def _request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str | None = None,
        stream: bool = False,
    ) -> urllib3.BaseHTTPResponse:
        headers = {**self._headers, "Accept": f"application/json, {NDJSON}"}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            return self._pool.request(
                method, self.base_url + path, body=body, headers=headers,
                preload_content=not stream,
            )
        except MaxRetryError as exc:
            reason = exc.reason or exc
            raise ServiceUnreachable(
                f"no answer from {self.base_url} after {self.retries} retries: {reason}"
            ) from None
        except Urllib3Error as exc:
            raise ServiceUnreachable(f"no answer from {self.base_url}: {exc}") from None


def _retry_policy(retries: int) -> urllib3.Retry:
    # POST is retried too: cleaning is stateless, so sending a page twice is harmless.
    return urllib3.Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=retries,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=None,
        backoff_factor=BACKOFF_FACTOR,
        backoff_max=BACKOFF_MAX,
        raise_on_status=False,
        respect_retry_after_header=True,
    )


def _numbered(item: Any, index: int) -> tuple[Any, Any]:
    """(the id its line will carry, the item as sent): an item without an id gets its index."""
    if not isinstance(item, dict):
        return index, item
    if item.get("id") is None:
        return index, {"id": index, **item}
    return item["id"], item


def _finish(response: urllib3.BaseHTTPResponse, complete: bool) -> None:
    # An unread body would poison the pooled connection for the next request: close it.
    if not complete:
        response.close()
    response.release_conn()


def _json_body(response: urllib3.BaseHTTPResponse) -> dict[str, Any]:
    try:
        return json.loads(response.data)
    except ValueError:
        raise ProblemError(
            _problem(response.status, "the service's answer is not JSON"), response.status
        ) from None


def _problem_of(response: urllib3.BaseHTTPResponse) -> dict[str, Any]:
    """The problem+json a refusal carries, or one made up when a proxy answered instead."""
    data = response.data
    try:
        payload = json.loads(data)
    except ValueError:
        payload = None
    if isinstance(payload, dict) and "status" in payload:
        return payload
    snippet = data[:200].decode("utf-8", "replace").strip() if data else ""
    return _problem(response.status, snippet or f"HTTP {response.status}")


def _problem(status: int, detail: str) -> dict[str, Any]:
    return {"type": "about:blank", "title": f"HTTP {status}", "status": status, "detail": detail}


def _ndjson_lines(response: urllib3.BaseHTTPResponse) -> Iterator[dict[str, Any]]:
    buffer = b""
    # read1 (urllib3 >= 2.3) hands over what has arrived, so the lines before a broken
    # stream are not lost; plain read waits for a full chunk.
    read = getattr(response, "read1", None) or response.read
    while chunk := read(64 * 1024):
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            if line.strip():
                yield _parse_line(line)
    if buffer.strip():
        yield _parse_line(buffer)


def _parse_line(line: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(line)
    except ValueError:
        raise ClientError(f"the service sent a line that is not JSON: {line[:80]!r}") from None
    if not isinstance(parsed, dict):
        raise ClientError(f"the service sent a line that is not an object: {line[:80]!r}")
    return parsed
