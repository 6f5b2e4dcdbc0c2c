"""Every setting of the service in one place: read from the environment once, typed and
checked, so a container is configured without rebuilding and a bad value stops start-up
with a message instead of surfacing in some request later.

    from service.settings import get_settings
    get_settings().max_body_bytes

Tests and tools that need other values for a stretch of code use ``override``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace
from pathlib import Path

DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


class SettingsError(ValueError):
    """An environment variable with a value the service cannot use."""


@dataclass(frozen=True)
class Settings:
    """The service's settings; each field's environment variable is in ENV_NAMES."""

    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 2
    rules_dir: Path = DEFAULT_RULES_DIR
    max_body_bytes: int = 5 * 1024 * 1024
    max_batch_items: int = 500
    max_batch_bytes: int = 50 * 1024 * 1024
    api_token: str | None = None
    clean_timeout_s: float = 20.0  # 0: no time budget
    gunicorn_timeout: int = 60
    graceful_timeout: int = 30
    keepalive: int = 5
    max_requests: int = 5000
    max_requests_jitter: int = 500
    log_level: str = "info"
    metrics_dir: str | None = None  # prometheus-client's multiprocess directory

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings the environment gives (defaults for what it leaves unset)."""
        env = os.environ if env is None else env
        values = {}
        for f in fields(cls):
            raw = env.get(ENV_NAMES[f.name])
            if raw is not None and raw.strip() != "":
                values[f.name] = _convert(f.name, raw.strip(), f.default)
        return cls(**values)


ENV_NAMES = {
    "host": "HOST", "port": "PORT", "workers": "WEB_CONCURRENCY", "rules_dir": "RULES_DIR",
    "max_body_bytes": "MAX_BODY_BYTES", "max_batch_items": "MAX_BATCH_ITEMS",
    "max_batch_bytes": "MAX_BATCH_BYTES", "api_token": "CLEANER_API_TOKEN",
    "clean_timeout_s": "CLEAN_TIMEOUT_S", "gunicorn_timeout": "GUNICORN_TIMEOUT",
    "graceful_timeout": "GRACEFUL_TIMEOUT", "keepalive": "KEEPALIVE",
    "max_requests": "MAX_REQUESTS", "max_requests_jitter": "MAX_REQUESTS_JITTER",
    "log_level": "LOG_LEVEL", "metrics_dir": "PROMETHEUS_MULTIPROC_DIR",
}


def _convert(name: str, raw: str, default: object) -> object:
    if isinstance(default, bool) or default is None or isinstance(default, str):
        return raw
    try:
        if isinstance(default, Path):
            return Path(raw)
        value = type(default)(raw)
    except ValueError:
        kind = "a number" if isinstance(default, float) else "a whole number"
        raise SettingsError(f"{ENV_NAMES[name]}={raw!r}: must be {kind}") from None
    if value < 0:
        raise SettingsError(f"{ENV_NAMES[name]}={raw!r}: must not be negative")
    return value


_read: Settings | None = None
_override: ContextVar[Settings | None] = ContextVar("settings_override", default=None)


def get_settings() -> Settings:
    """The settings in use: the environment's, read on first use, unless overridden."""
    global _read
    chosen = _override.get()
    if chosen is not None:
        return chosen
    if _read is None:
        _read = Settings.from_env()
    return _read


@contextmanager
def override(**changes: object) -> Iterator[Settings]:
    """Within the block, the settings in use are these changes to the current ones."""
    token = _override.set(replace(get_settings(), **changes))
    try:
        yield get_settings()
    finally:
        _override.reset(token)
