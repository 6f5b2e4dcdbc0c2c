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

# Eight paragraphs of plain news prose (one article about a bus network), for the generic
# extractors' tests: what the classifiers must keep.
BUS_STORY = [
    "The city council voted on Tuesday to expand the bus network, adding three new routes "
    "that will connect the northern suburbs with the central station by next spring.",
    "Officials said the plan, which has been debated for more than two years, would cost "
    "about 40 million euros and be paid for largely by a regional transport fund.",
    "Residents of the affected neighbourhoods have long complained that the only way to "
    "reach their jobs in the centre was by car, and that traffic had become unbearable.",
    "The mayor told reporters that the first buses would run in March, with the remaining "
    "routes following in the summer once the new depot has been completed and staffed.",
    "Opposition members criticised the timetable as too slow, arguing that the money had "
    "been available since last year and that the delays were caused by poor planning.",
    "A spokesperson for the transport authority said drivers were already being recruited "
    "and that training would begin next month at the existing depot near the river.",
    "Environmental groups welcomed the decision but said it should be only the first step "
    "towards a network that makes it possible to live in the region without owning a car.",
    "The council will review the new routes after one year of service and decide then "
    "whether to extend them further into the rural districts on the edge of the region.",
]


def run_service(*args: str, **options) -> subprocess.CompletedProcess:
    """``python -m service <args>`` from the project's root, its output captured as text
    (``options`` go to subprocess.run: ``input``, ``env``, ``text=False`` ...)."""
    settings = {"cwd": ROOT, "capture_output": True, "text": True, "timeout": 60,
                "check": False, **options}
    return subprocess.run([sys.executable, "-m", "service", *args], **settings)


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
