"""The two clients: wrk for throughput, a threaded Python client that accounts for each request."""

from __future__ import annotations

import http.client
import json
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .bodies import Body
from .common import HOST, LUA, REQUEST_TIMEOUT_S


def run_wrk(url: str, source: Path | str, seconds: int, connections: int) -> dict[str, Any]:
    """One wrk run with service/tools/loadtest/loadtest.lua; `source` is a manifest or "healthz"."""
    threads = max(1, min(2, connections))  # two cores: more wrk threads only steal the server's
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={REQUEST_TIMEOUT_S}s",
        "-s",
        str(LUA),
        url,
        "--",
        str(source),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + REQUEST_TIMEOUT_S + 30
    )
    marker = "LOADTEST_JSON "
    lines = [line for line in done.stdout.splitlines() if line.startswith(marker)]
    if done.returncode or not lines:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return summarise_wrk(json.loads(lines[0][len(marker) :]))


def summarise_wrk(raw: dict[str, Any]) -> dict[str, Any]:
    seconds = raw["duration_us"] / 1e6
    latency = {k: round(v / 1000, 1) for k, v in raw["latency_us"].items()}
    non_2xx = sum(n for status, n in raw["statuses"].items() if not 200 <= int(status) < 300)
    # wrk's "status" error counts responses >= 400, already in non_2xx.
    socket_errors = {k: v for k, v in raw["errors"].items() if k != "status"}
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "rps": round(raw["requests"] / seconds, 1),
        "latency_ms": latency,
        "statuses": raw["statuses"],
        "socket_errors": socket_errors,
        "errors": non_2xx + sum(socket_errors.values()),
    }


@dataclass
class Outcome:
    started: float  # time.monotonic()
    ended: float
    kind: str  # ok | http_error | refused | no_response | timeout | client_error
    client_port: int = 0  # this end's port: the key to the server's view of the connection
    status: int = 0
    detail: str = ""


def request_once(port: int, body: Body) -> Outcome:
    """POST one page on a fresh connection and say how it ended."""
    started = time.monotonic()
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
    client_port, status, kind, detail = 0, 0, "ok", ""
    try:
        conn.connect()
        client_port = conn.sock.getsockname()[1]
        headers = {"Content-Type": body.content_type}
        conn.request("POST", "/v1/clean", body=body.data, headers=headers)
        response = conn.getresponse()
        response.read()
        status = response.status
        kind = "ok" if 200 <= status < 300 else "http_error"
    except ConnectionRefusedError:
        kind = "refused"
    except TimeoutError:
        kind = "timeout"
    except (ConnectionError, http.client.HTTPException) as exc:
        kind, detail = "no_response", type(exc).__name__
    except OSError as exc:
        kind, detail = "client_error", str(exc)
    finally:
        conn.close()
    return Outcome(started, time.monotonic(), kind, client_port, status, detail)


class Client:
    """`connections` threads, each sending one request per connection (sync workers close
    each connection after its response) until stopped or `seconds` have passed."""

    MAX_OUTCOMES = 200_000

    def __init__(
        self,
        port: int,
        bodies: list[Body],
        connections: int,
        seconds: float,
        stop_on_refused: bool = False,
    ) -> None:
        self.outcomes: list[Outcome] = []
        self._stop = threading.Event()
        self._deadline = time.monotonic() + seconds
        self._threads = [
            threading.Thread(target=self._run, args=(port, bodies, n, stop_on_refused), daemon=True)
            for n in range(connections)
        ]

    def start(self) -> Client:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> list[Outcome]:
        """Stop sending; wait for the requests under way (each bounded by its timeout)."""
        self._stop.set()
        for thread in self._threads:
            thread.join(REQUEST_TIMEOUT_S + 5)
        return list(self.outcomes)

    def _run(self, port: int, bodies: list[Body], n: int, stop_on_refused: bool) -> None:
        index = n * 7919  # threads start at different pages
        while not self._stop.is_set() and time.monotonic() < self._deadline:
            if len(self.outcomes) >= self.MAX_OUTCOMES:
                return
            outcome = request_once(port, bodies[index % len(bodies)])
            self.outcomes.append(outcome)  # list.append is atomic under the GIL
            if outcome.kind == "refused" and stop_on_refused:
                return
            if outcome.kind != "ok":
                time.sleep(0.01)  # a dead server must not turn the loop into a spin
            index += 1
