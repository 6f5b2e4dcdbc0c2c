"""Paths and limits the load test's parts share."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]  # the project's checkout
LUA = Path(__file__).resolve().parent / "loadtest.lua"
SEEDS = ROOT / "seeds"
DEFAULT_DATASET = ROOT.parent / "shared" / "bench" / "article-extraction"
HOST = "127.0.0.1"
MEMORY_GROWTH_LIMIT = 0.10
REQUEST_TIMEOUT_S = 30  # per request, both clients: nothing waits forever
DEFAULT_GRACEFUL_S = 30  # service/settings.py's default for GRACEFUL_TIMEOUT
