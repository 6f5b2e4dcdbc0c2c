"""Prometheus metrics and one structured JSON log line per request.

Under gunicorn each worker is a process, so metrics use prometheus-client's multiprocess
mode: `python -m service serve` points PROMETHEUS_MULTIPROC_DIR at a fresh directory and
`/metrics` aggregates every worker's files. Logs carry a request id and sizes, never the
page text.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

from ..settings import get_settings

REQUESTS = Counter(
    "cleaner_requests_total",
    "HTTP requests by route, method and status",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "cleaner_request_seconds",
    "HTTP request latency by route",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
PAGES = Counter("cleaner_pages_total", "Pages cleaned by outlet and format", ["outlet", "format"])
STRIPPED = Counter("cleaner_stripped_segments_total", "Stripped segments by kind", ["kind"])
FALLBACKS = Counter(
    "cleaner_rules_fallbacks_total",
    "Pages whose body came from generic extraction because the outlet's rules failed on them",
    ["outlet", "reason"],
)
INPUT_BYTES = Histogram(
    "cleaner_input_bytes",
    "Size of request bodies in bytes",
    buckets=(1e3, 1e4, 5e4, 1e5, 2.5e5, 5e5, 1e6, 2.5e6, 5e6),
)


def record_result(result: dict[str, Any]) -> None:
    PAGES.labels(result.get("outlet") or "generic", result["input"]["format"]).inc()
    for entry in result.get("stripped", []):
        STRIPPED.labels(entry["kind"]).inc()
    reason = result["input"].get("rules_fallback")
    if reason:
        FALLBACKS.labels(result.get("outlet") or "generic", reason).inc()


def record_request(route: str, method: str, status: int, seconds: float, size: int) -> None:
    REQUESTS.labels(route, method, str(status)).inc()
    LATENCY.labels(route).observe(seconds)
    if size:
        INPUT_BYTES.observe(size)


def metrics_payload() -> tuple[bytes, str]:
    """The exposition text: every worker's metrics under gunicorn, this process's otherwise."""
    if get_settings().metrics_dir:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(entry, ensure_ascii=False)


def request_logger() -> logging.Logger:
    logger = logging.getLogger("service.requests")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger
