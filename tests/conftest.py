"""Shared fixtures: the project's paths, the seed pages, and a real gunicorn serving the app."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
EXPECTED = ROOT / "tests" / "fixtures" / "seeds"
SERVE_COMMAND = [sys.executable, "-m", "service", "serve"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(base_url: str, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not become healthy")


def start_server(env: dict[str, str] | None = None, workers: int = 2, log: Path | None = None):
    """Start `python -m service serve` (the Dockerfile's command) on a free loopback port.

    The server's log (stderr) goes to `log`, a file, so a long run can never block on a
    full pipe."""
    port = free_port()
    environment = {**os.environ, "WEB_CONCURRENCY": str(workers), **(env or {})}
    environment.pop("PROMETHEUS_MULTIPROC_DIR", None)  # each server gets its own
    log_file = open(log or os.devnull, "ab")  # noqa: SIM115 - the child keeps it open
    proc = subprocess.Popen(
        [*SERVE_COMMAND, "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log_file,
    )
    log_file.close()
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base_url, proc)
    except Exception:
        proc.kill()
        raise
    return proc, base_url


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def server_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("server") / "server.log"


@pytest.fixture(scope="session")
def server(server_log) -> Iterator[str]:
    """Base url of a real gunicorn serving the app for the whole test session."""
    proc, base_url = start_server(log=server_log)
    yield base_url
    stop_server(proc)


def copy_rules(target: Path, with_fixtures: bool = False) -> Path:
    """A private copy of the project's rules/ at `target` (the fixtures only when asked)."""
    ignore = None if with_fixtures else shutil.ignore_patterns("fixtures")
    shutil.copytree(ROOT / "rules", target, ignore=ignore)
    return target


def seed_cases() -> list[tuple[str, Path, dict]]:
    """(name, page path, expected result) for every seed page."""
    cases = []
    for spec in sorted(EXPECTED.glob("*.json")):
        cases.append((spec.stem, SEEDS / f"{spec.stem}.txt", json.loads(spec.read_text())))
    return cases
