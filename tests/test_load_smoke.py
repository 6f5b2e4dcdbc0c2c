"""The load and fault script's smoke run (`python -m service loadtest --smoke`) passes here.

It starts real gunicorn servers on 127.0.0.1, drives them with wrk and a Python client, kills
a worker and stops a master, all in about 15 s; the figures it writes as JSON are checked
for sanity on top of its own exit status.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    shutil.which("wrk") is None,
    reason="wrk is not installed (Debian package wrk): the load test drives load with it",
)


@pytest.fixture(scope="module")
def smoke(tmp_path_factory) -> tuple[subprocess.CompletedProcess, dict[str, Any]]:
    figures = tmp_path_factory.mktemp("loadtest") / "smoke.json"
    done = subprocess.run(
        [sys.executable, "-m", "service", "loadtest", "--smoke", "--json", str(figures)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done, json.loads(figures.read_text()) if figures.exists() else {}


def test_smoke_run_passes_its_criteria(smoke) -> None:
    done, _ = smoke
    assert done.returncode == 0, done.stdout + done.stderr
    assert "| phase | figure | value | check |" in done.stdout
    assert "result: all criteria hold" in done.stdout


def test_load_figures_are_sane(smoke) -> None:
    _, r = smoke
    clean, healthz = r["clean"], r["healthz"]
    assert clean["requests"] > 0 and clean["errors"] == 0 and healthz["errors"] == 0
    latency = clean["latency_ms"]
    assert 0 < latency["p50"] <= latency["p99"] <= latency["max"]
    # /healthz does no cleaning, so it is the ceiling: the ratio is a fraction.
    assert healthz["rps"] > clean["rps"] > 0 and 0 < r["ratio"] < 1
    assert clean["rss_start_kib"] > 10_000 and clean["rss_end_kib"] > 10_000
    assert r["machine"]["cores"] >= 1 and r["versions"]["gunicorn"]


def test_kill_costs_at_most_the_requests_the_worker_held(smoke) -> None:
    kill = smoke[1]["kill"]
    assert kill["failed"] <= kill["in_flight"] and kill["unexplained"] == 0
    assert kill["replacement_serving_after_s"] is not None and kill["ok_after_kill"] > 0


def test_sigterm_answers_every_accepted_request(smoke) -> None:
    _, r = smoke
    term = r["term"]
    assert term["accepted_dropped"] == 0 and term["failed_before_term"] == 0
    assert term["in_flight_answered"] == term["in_flight"]
    assert term["shutdown_s"] < r["plan"]["graceful_s"]
    assert term["refused"] > 0  # the listener did close, and the client met it
