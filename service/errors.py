"""Errors that the caller caused, each mapped to an RFC 9457 problem (+json over HTTP)."""

from __future__ import annotations

from typing import Any

PROBLEM_BASE = "https://news-cleaner.local/problems/"


class CleanError(Exception):
    """Input that cannot be cleaned; `status` is the HTTP status it maps to."""

    status = 400
    title = "Bad request"
    slug = "bad-request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def problem(self) -> dict[str, Any]:
        return {
            "type": PROBLEM_BASE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }


class BadInput(CleanError):
    status, title, slug = 400, "Malformed input", "malformed-input"


class UnknownOutlet(CleanError):
    status, title, slug = 400, "Unknown outlet", "unknown-outlet"


class TooLarge(CleanError):
    status, title, slug = 413, "Payload too large", "too-large"


class UnsupportedType(CleanError):
    status, title, slug = 415, "Unsupported media type", "unsupported-media-type"


class Uncleanable(CleanError):
    status, title, slug = 422, "Input cannot be cleaned", "uncleanable"


class TimedOut(CleanError):
    # 422, not 503: the same page would overrun again, so a retry cannot help.
    status, title, slug = 422, "Cleaning took too long", "timeout"


class Unauthorized(CleanError):
    status, title, slug = 401, "Unauthorized", "unauthorized"
