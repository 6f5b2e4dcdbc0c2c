#!/usr/bin/env python3
"""Load and fault test of the real service: gunicorn with sync workers on 127.0.0.1.

    python scripts/loadtest.py [--duration 60] [--connections 32] [--workers 4]
                               [--dataset DIR] [--smoke] [--json OUT]

Each phase gets a fresh `python -m service serve` on a free loopback port:

- kill: a threaded Python client (one request per connection) keeps --connections requests
  going; one worker that holds a request is frozen (SIGSTOP), the client connections it holds
  are read from the kernel, then it is killed (SIGKILL). Every failed request must be one of
  those connections, and gunicorn must start a replacement that serves.
- term: the same client; SIGTERM to the master. Every request a worker had accepted must be
  answered, within the graceful timeout. Refused connections (listener closed) are fine;
  connections reset while still queued in the kernel's backlog, never accepted by a worker,
  are counted apart. Acceptance is read from the kernel (sock_diag) while the server stops.
- load: after a warm-up, wrk (scripts/loadtest.lua) POSTs seed pages (text/plain) and
  benchmark pages (text/html), alternately, to /v1/clean for --duration seconds; worker RSS
  is read from /proc before and after. Then the same load on GET /healthz is the floor.

The fault phases run first because the load phases leave tens of thousands of TIME_WAIT
sockets behind. Prints a table of figures (JSON with --json) and exits 1 if a criterion
fails (--smoke: a ~15 s run at low concurrency, where memory growth is only reported).
Everything is bounded in count and time, talks to 127.0.0.1 only, and stops its servers on
exit, Ctrl-C or error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "loadtest.lua"
SEEDS = ROOT / "seeds"
DEFAULT_DATASET = ROOT.parent / "shared" / "bench" / "article-extraction"
HOST = "127.0.0.1"
MEMORY_GROWTH_LIMIT = 0.10
REQUEST_TIMEOUT_S = 30  # per request, both clients: nothing waits forever
DEFAULT_GRACEFUL_S = 30  # service/gunicorn_conf.py's default for GRACEFUL_TIMEOUT


# --------------------------------------------------------------------------- request bodies


@dataclass
class Body:
    content_type: str
    path: Path
    data: bytes


def load_bodies(dataset: Path | None, scratch: Path) -> tuple[list[Body], str]:
    """Seed and benchmark pages, alternating 1:1 (seeds cycle), and a note on what was used.

    Benchmark pages are inflated into `scratch` (a temporary directory, never the repo)
    so wrk can read them."""
    seeds = [Body("text/plain", p, p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))]
    html_dir = _html_dir(dataset)
    if html_dir is None:
        return seeds, f"seed pages only: no benchmark pages under {dataset}"
    pages = []
    for source in sorted(html_dir.glob("*.html.gz")):
        target = scratch / source.name.removesuffix(".gz")
        target.write_bytes(gzip.decompress(source.read_bytes()))
        pages.append(Body("text/html", target, target.read_bytes()))
    mixed = [b for i, page in enumerate(pages) for b in (seeds[i % len(seeds)], page)]
    note = f"{len(seeds)} seed pages (text/plain) and {len(pages)} benchmark pages (text/html)"
    return mixed, note + ", alternating 1:1"


def _html_dir(dataset: Path | None) -> Path | None:
    for candidate in (dataset / "html", dataset) if dataset else ():
        if candidate.is_dir() and any(candidate.glob("*.html.gz")):
            return candidate
    return None


def write_manifest(bodies: list[Body], path: Path) -> Path:
    path.write_text("".join(f"{b.content_type}\t{b.path}\n" for b in bodies), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- /proc and kernel


def proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (state, ppid, ...), None if gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def children(ppid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = proc_stat(int(entry))
            if fields and int(fields[1]) == ppid:
                pids.append(int(entry))
    return sorted(pids)


def rss_kib(pid: int) -> int:
    """Resident set size in KiB; 0 for a process that is gone (a died worker is flagged apart)."""
    with suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(server: Server) -> tuple[float, float, float]:
    """CPU seconds so far: (the whole machine busy, the server's processes, this script and
    its finished children, i.e. wrk), to split a phase's CPU between who used it."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    busy = sum(fields) - fields[3] - fields[4]  # all but idle and iowait
    served = 0
    for pid in [server.proc.pid, *server.worker_pids()]:
        stat = proc_stat(pid)
        served += int(stat[11]) + int(stat[12]) if stat else 0  # utime, stime
    own = os.times()
    return (
        busy / TICKS,
        served / TICKS,
        own.user + own.system + own.children_user + own.children_system,
    )


def socket_inodes(pid: int) -> set[int]:
    inodes = set()
    with suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with suppress(OSError):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(int(target[8:-1]))
    return inodes


@dataclass(frozen=True)
class Conn:
    """A server-side TCP connection: the client's port and the socket's inode (0 while it
    waits in the listener's accept queue; a worker's file once accepted)."""

    client_port: int
    inode: int


# From <linux/netlink.h>, <linux/sock_diag.h>, <linux/inet_diag.h> and the TCP states.
_NETLINK_SOCK_DIAG = 4
_SOCK_DIAG_BY_FAMILY, _NLMSG_DONE, _NLMSG_ERROR = 20, 3, 2
_NLM_F_REQUEST_DUMP = 0x301  # NLM_F_REQUEST | NLM_F_DUMP
_TCP_ESTABLISHED, _TCP_CLOSE_WAIT = 1, 8
_NLMSG_HEADER = 16  # struct nlmsghdr
_DIAG_PORTS = _NLMSG_HEADER + 4  # inet_diag_msg: 4 one-byte fields, then sport, dport
_DIAG_INODE = _NLMSG_HEADER + 68  # ... then the 48-byte sockid and 5 u32s: inode is last


def server_connections(port: int) -> list[Conn]:
    """Established connections to 127.0.0.1:`port`, from the kernel's sock_diag.

    Netlink rather than /proc/net/tcp: the kernel filters by state, so the TIME_WAIT
    sockets a load run leaves by the ten thousand cost nothing, and a dump takes ~1 ms."""
    states = (1 << _TCP_ESTABLISHED) | (1 << _TCP_CLOSE_WAIT)
    # struct inet_diag_req_v2: family, protocol, ext, pad, states, then a zeroed sockid.
    request = struct.pack("=BBBBI", socket.AF_INET, socket.IPPROTO_TCP, 0, 0, states)
    request += bytes(48)
    size = _NLMSG_HEADER + len(request)
    header = struct.pack("=IHHII", size, _SOCK_DIAG_BY_FAMILY, _NLM_F_REQUEST_DUMP, 1, 0)
    with socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, _NETLINK_SOCK_DIAG) as nl:
        nl.sendto(header + request, (0, 0))
        return [Conn(client, inode) for local, client, inode in _diag_messages(nl) if local == port]


def _diag_messages(nl: socket.socket) -> Iterator[tuple[int, int, int]]:
    """(local port, remote port, inode) per inet_diag_msg until NLMSG_DONE."""
    while True:
        data = nl.recv(1 << 16)
        offset = 0
        while offset < len(data):
            length, kind = struct.unpack_from("=IH", data, offset)
            if kind == _NLMSG_DONE:
                return
            if kind == _NLMSG_ERROR:
                raise OSError("sock_diag answered with an error")
            local, remote = struct.unpack_from("!HH", data, offset + _DIAG_PORTS)
            (inode,) = struct.unpack_from("=I", data, offset + _DIAG_INODE)
            yield local, remote, inode
            offset += (length + 3) & ~3


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """`python -m service serve` (the Dockerfile's command) on a free loopback port.

    `serve` execs gunicorn, so the Popen pid is the master's. The log goes to a file so a
    long run never blocks on a full pipe."""

    def __init__(self, workers: int, log: Path, env: dict[str, str] | None = None) -> None:
        self.workers = workers
        self.log = log
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self._seen: dict[int, str] = {}  # worker pid -> start time: kill only those, at the end
        environment = {**os.environ, "WEB_CONCURRENCY": str(workers), **(env or {})}
        # Each server makes its own metrics dir; an API token would turn every request into 401.
        for name in ("PROMETHEUS_MULTIPROC_DIR", "CLEANER_API_TOKEN"):
            environment.pop(name, None)
        command = [sys.executable, "-m", "service", "serve", "--host", HOST]
        command += ["--port", str(self.port)]
        with open(log, "ab") as log_file:
            # A session of its own: Ctrl-C reaches this script only, which then stops the server.
            self.proc = subprocess.Popen(
                command,
                cwd=ROOT,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log_file,
                start_new_session=True,
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def worker_pids(self) -> list[int]:
        pids = children(self.proc.pid)
        for pid in pids:
            fields = proc_stat(pid)
            if fields:
                self._seen.setdefault(pid, fields[19])
        return pids

    def _wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{self.tail()}")
            if len(self.worker_pids()) == self.workers and self._healthy():
                return
            time.sleep(0.1)
        raise RuntimeError(f"the server was not ready within {seconds:g} s:\n{self.tail()}")

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def tail(self, lines: int = 20) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s; then any worker of ours that outlived its master."""
        if self.proc.poll() is None:
            self.worker_pids()
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        for pid, started in self._seen.items():
            fields = proc_stat(pid)
            if fields and fields[19] == started:  # the same process, not a reused pid
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


@contextmanager
def serving(workers: int, log: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    server = Server(workers, log, env)
    try:
        yield server
    finally:
        server.stop()


# --------------------------------------------------------------------------- wrk


def run_wrk(url: str, source: Path | str, seconds: int, connections: int) -> dict[str, Any]:
    """One wrk run with scripts/loadtest.lua; `source` is a manifest or "healthz"."""
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


# --------------------------------------------------------------------------- Python client


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


# --------------------------------------------------------------------------- kill -9 phase


def freeze_busy_worker(server: Server, seconds: float = 5) -> tuple[int, list[Conn]]:
    """A worker, stopped (SIGSTOP), and the client connections it holds.

    Frozen, its set of connections can't change between reading it and killing it. Tries
    each worker in turn for one that holds a request; after `seconds`, any worker will do."""
    deadline = time.monotonic() + seconds
    while True:
        for pid in server.worker_pids():
            try:
                held = frozen_connections(pid, server.port)
            except ProcessLookupError:
                continue
            if held or time.monotonic() > deadline:
                return pid, held
            os.kill(pid, signal.SIGCONT)
        time.sleep(0.005)


def frozen_connections(pid: int, port: int) -> list[Conn]:
    os.kill(pid, signal.SIGSTOP)
    limit = time.monotonic() + 2
    while (proc_stat(pid) or ["T"])[0] not in ("T", "t") and time.monotonic() < limit:
        time.sleep(0.0005)  # the signal is delivered asynchronously
    inodes = socket_inodes(pid)
    return [conn for conn in server_connections(port) if conn.inode in inodes]


def wait_for_replacement(server: Server, before: list[int], seconds: float = 30) -> int | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pids = server.worker_pids()
        new = [pid for pid in pids if pid not in before]
        if new and len(pids) == server.workers:
            return new[0]
        time.sleep(0.01)
    return None


def first_served(port: int, pid: int, until: float) -> float | None:
    """When `pid` is first seen holding a client connection (monotonic time), or None."""
    while time.monotonic() < until:
        inodes = socket_inodes(pid)
        if any(conn.inode in inodes for conn in server_connections(port)):
            return time.monotonic()
        time.sleep(0.005)
    return None


def kill_phase(server: Server, bodies: list[Body], connections: int, seconds: float) -> dict:
    begun = time.monotonic()
    client = Client(server.port, bodies, connections, seconds + 5).start()
    try:
        time.sleep(seconds / 3)
        before = server.worker_pids()
        victim, held = freeze_busy_worker(server)
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()
        replacement = wait_for_replacement(server, before)
        forked = time.monotonic()
        serving_at = replacement and first_served(server.port, replacement, begun + seconds)
        time.sleep(max(0.0, begun + seconds - time.monotonic()))
    finally:
        outcomes = client.stop()
    held_ports = {conn.client_port for conn in held}
    failures = [o for o in outcomes if o.kind != "ok"]
    # A failure the kill explains is a request on one of the held connections, begun before.
    unexplained = [o for o in failures if o.client_port not in held_ports or o.started > killed]
    return {
        "requests": len(outcomes),
        "in_flight": len(held),
        "failed": len(failures),
        "failed_how": sorted({f"{o.kind}:{o.detail or o.status}" for o in failures}),
        "unexplained": len(unexplained),
        "replacement_forked_after_s": round(forked - killed, 2) if replacement else None,
        "replacement_serving_after_s": round(serving_at - killed, 2) if serving_at else None,
        "ok_after_kill": sum(o.kind == "ok" and o.started > killed for o in outcomes),
    }


# --------------------------------------------------------------------------- SIGTERM phase


class AcceptWatcher:
    """Records, from the kernel, every connection a worker has accepted (its socket has an
    inode once accept() has given it a file) and when it was seen, polling about every
    millisecond. A request a worker accepted can only lose its answer by the worker dying,
    at the graceful timeout at the latest, so it is held far longer than one poll."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.seen: dict[Conn, list[float]] = {}  # connection -> [first, last] seen
        self.polls = 0
        self._first = self._last = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> AcceptWatcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def accepted(self, outcome: Outcome) -> bool:
        """Was this request's connection accepted by a worker while the request was open?"""
        return any(
            conn.client_port == outcome.client_port
            and first <= outcome.ended
            and last >= outcome.started
            for conn, (first, last) in self.seen.items()
        )

    def mean_interval_ms(self) -> float:
        return round(1000 * (self._last - self._first) / max(self.polls - 1, 1), 2)

    def _run(self) -> None:
        self._first = time.monotonic()
        while not self._stop.is_set():
            now = self._last = time.monotonic()
            for conn in server_connections(self.port):
                if conn.inode:
                    self.seen.setdefault(conn, [now, now])[1] = now
            self.polls += 1
            time.sleep(0.001)


def term_phase(
    server: Server, bodies: list[Body], connections: int, term_at: float, graceful_s: float
) -> dict:
    client = Client(server.port, bodies, connections, term_at + graceful_s + 10, True).start()
    watcher = AcceptWatcher(server.port)
    shutdown_s = None
    try:
        time.sleep(term_at)
        watcher.start()
        time.sleep(0.05)  # let the watcher see the connections already accepted
        snapped = time.monotonic()
        at_term = server_connections(server.port)
        os.kill(server.proc.pid, signal.SIGTERM)
        termed = time.monotonic()
        with suppress(subprocess.TimeoutExpired):
            server.proc.wait(timeout=graceful_s + 10)
            shutdown_s = time.monotonic() - termed
        time.sleep(0.5)  # every client thread now meets the closed listener
    finally:
        watcher.stop()
        outcomes = client.stop()
    return {
        **classify_term(outcomes, watcher, at_term, snapped, termed),
        "shutdown_s": _round(shutdown_s),
        "master_exit_code": server.proc.returncode,
        "watcher_polls": watcher.polls,
        "watcher_mean_poll_ms": watcher.mean_interval_ms(),
    }


def classify_term(
    outcomes: list[Outcome],
    watcher: AcceptWatcher,
    at_term: list[Conn],
    snapped: float,
    termed: float,
) -> dict:
    """Sort every request of the SIGTERM phase by how it ended, and follow the ones that
    workers held when the connections were read (`snapped`, just before SIGTERM)."""
    in_flight = {conn.client_port for conn in at_term if conn.inode}
    counts = dict.fromkeys(
        ("failed_before_term", "http_errors", "refused", "reset_unaccepted", "accepted_dropped"),
        0,
    )
    for o in outcomes:
        if o.kind == "ok":
            continue
        if o.ended < termed:
            counts["failed_before_term"] += 1
        elif o.kind == "http_error":
            counts["http_errors"] += 1
        elif o.kind == "refused":
            counts["refused"] += 1
        elif watcher.accepted(o):
            counts["accepted_dropped"] += 1
        else:
            counts["reset_unaccepted"] += 1
    # The client may read its answer a moment before the worker's close: hence the 0.5 s.
    held = [
        o for o in outcomes if o.client_port in in_flight and o.started <= snapped <= o.ended + 0.5
    ]
    answered = [o for o in held if o.kind == "ok"]
    return {
        "requests": len(outcomes),
        "in_flight": len(in_flight),
        "in_flight_answered": len(answered),
        "slowest_answer_after_term_s": _round(max((o.ended - termed for o in answered), default=0)),
        "queued_at_term": sum(1 for conn in at_term if not conn.inode),
        "ok_after_term": sum(o.kind == "ok" and o.ended >= termed for o in outcomes),
        "ok_begun_after_term": sum(o.kind == "ok" and o.started > termed for o in outcomes),
        **counts,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# --------------------------------------------------------------------------- load phase


def load_phase(server: Server, manifest: Path, plan: Plan) -> tuple[dict, dict]:
    """(clean figures with worker RSS, healthz figures) from one warmed-up server."""
    # Warm-up: each worker loads its lazy state (models, caches) before RSS is read.
    run_wrk(server.url, manifest, plan.warmup, plan.connections)
    start_rss = {pid: rss_kib(pid) for pid in server.worker_pids()}
    clean = measured(server, lambda: run_wrk(server.url, manifest, plan.duration, plan.connections))
    end_pids = server.worker_pids()
    end_rss = {pid: rss_kib(pid) for pid in end_pids if pid in start_rss}
    clean["workers_stable"] = sorted(start_rss) == end_pids
    clean["rss_start_kib"] = sum(start_rss[pid] for pid in end_rss)
    clean["rss_end_kib"] = sum(end_rss.values())
    clean["rss_growth"] = round(clean["rss_end_kib"] / max(clean["rss_start_kib"], 1) - 1, 4)
    clean["rss_worst_worker_growth"] = round(
        max((end_rss[p] / start_rss[p] - 1 for p in end_rss), default=0.0), 4
    )
    healthz = measured(
        server, lambda: run_wrk(server.url, "healthz", plan.duration, plan.connections)
    )
    return clean, healthz


def measured(server: Server, phase: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The phase's figures plus the cores it kept busy: the server, the load generator (wrk
    and this script) and every other process on the machine (the part that skews them)."""
    before, started = cpu_seconds(server), time.monotonic()
    figures = phase()
    after, seconds = cpu_seconds(server), time.monotonic() - started
    busy, served, own = (round((b - a) / seconds, 2) for a, b in zip(before, after, strict=True))
    other = max(0.0, round(busy - served - own, 2))
    figures["cores_busy"] = {"server": served, "load": own, "other": other}
    return figures


# --------------------------------------------------------------------------- the run


@dataclass
class Plan:
    duration: int
    connections: int
    workers: int
    warmup: int
    fault_seconds: float
    term_at: float
    graceful_s: float
    smoke: bool
    dataset: Path | None


def make_plan(args: argparse.Namespace) -> Plan:
    smoke = args.smoke
    duration = args.duration or (2 if smoke else 60)
    return Plan(
        duration=duration,
        connections=args.connections or (4 if smoke else 32),
        workers=args.workers or (2 if smoke else 4),
        # Long enough for every worker to have met the largest pages: RSS grows ~5 % in the
        # 30 s after a 10 s warm-up, then stays flat for minutes (docs/reliability.md).
        warmup=1 if smoke else min(30, max(2, duration // 2)),
        fault_seconds=3.0 if smoke else max(6.0, duration / 4),
        term_at=1.0 if smoke else max(2.0, duration / 12),
        graceful_s=float(os.environ.get("GRACEFUL_TIMEOUT", DEFAULT_GRACEFUL_S)),
        smoke=smoke,
        dataset=args.dataset,
    )


def run(plan: Plan, scratch: Path) -> dict[str, Any]:
    bodies, pages_note = load_bodies(plan.dataset, scratch)
    manifest = write_manifest(bodies, scratch / "manifest.tsv")
    logs = [scratch / f"server-{name}.log" for name in ("kill", "term", "load")]
    with serving(plan.workers, logs[0]) as server:
        kill = kill_phase(server, bodies, plan.connections, plan.fault_seconds)
    with serving(plan.workers, logs[1]) as server:
        term = term_phase(server, bodies, plan.connections, plan.term_at, plan.graceful_s)
    # No recycling (MAX_REQUESTS=0) so that a leak shows instead of being reset by restarts.
    with serving(plan.workers, logs[2], {"MAX_REQUESTS": "0"}) as server:
        clean, healthz = load_phase(server, manifest, plan)
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "versions": versions(),
        "plan": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(plan).items()},
        "pages": pages_note,
        "clean": clean,
        "healthz": healthz,
        "ratio": round(clean["rps"] / healthz["rps"], 4) if healthz["rps"] else None,
        "kill": kill,
        "term": term,
        "server_log": scan_logs(logs),
    }


def scan_logs(logs: list[Path]) -> dict[str, int]:
    """Signs of a server bug in the servers' logs (the app logs one JSON line per request)."""
    text = "\n".join(log.read_text(errors="replace") for log in logs if log.exists())
    return {
        "5xx": len(re.findall(r'"status": 5\d\d', text)),
        "tracebacks": text.count("Traceback"),
        "worker_timeouts": text.count("WORKER TIMEOUT"),
    }


def machine() -> dict[str, Any]:
    cpu = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
    mem = re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.M)
    try:
        distro = platform.freedesktop_os_release().get("PRETTY_NAME", "")
    except OSError:
        distro = ""
    return {
        "cpu": cpu.group(1).strip() if cpu else platform.processor(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "ram_gib": round(int(mem.group(1)) / 1024**2, 1) if mem else None,
        "os": f"Linux {platform.release()}" + (f" ({distro})" if distro else ""),
    }


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for dist in ("news-cleaner", "gunicorn", "flask", "werkzeug", "trafilatura"):
        with suppress(metadata.PackageNotFoundError):
            found[dist] = metadata.version(dist)
    found["wrk"] = _command_output(["wrk", "-v"], r"wrk (\S+)")
    found["git"] = _command_output(["git", "-C", str(ROOT), "describe", "--always", "--dirty"])
    return found


def _command_output(command: list[str], pattern: str = r"(\S+)") -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    match = re.search(pattern, done.stdout)
    return match.group(1) if match else "unknown"


# --------------------------------------------------------------------------- criteria, report


@dataclass
class Check:
    name: str
    passed: bool
    enforced: bool = True  # False: reported only (memory growth in --smoke)


def evaluate(r: dict[str, Any], plan: Plan) -> list[Check]:
    clean, healthz, kill, term = r["clean"], r["healthz"], r["kill"], r["term"]
    return [
        Check("clean_errors", clean["errors"] == 0),
        Check("healthz_errors", healthz["errors"] == 0),
        Check("clean_rss_growth", clean["rss_growth"] < MEMORY_GROWTH_LIMIT, not plan.smoke),
        Check("workers_stable", clean["workers_stable"]),
        Check("kill_failures", kill["failed"] <= kill["in_flight"] and kill["unexplained"] == 0),
        Check("kill_replaced", kill["replacement_serving_after_s"] is not None),
        Check("term_in_flight", term["in_flight_answered"] == term["in_flight"]),
        Check(
            "term_none_dropped",
            term["accepted_dropped"] == term["failed_before_term"] == term["http_errors"] == 0,
        ),
        Check(
            "term_graceful",
            term["shutdown_s"] is not None
            and term["shutdown_s"] < plan.graceful_s
            and term["master_exit_code"] == 0,
        ),
        Check("server_log", not any(r["server_log"].values())),
    ]


def render(r: dict[str, Any], checks: list[Check]) -> str:
    plan, m, v = r["plan"], r["machine"], r["versions"]
    git = f" (git {v['git']})" if v.get("git") not in (None, "unknown") else ""
    libraries = "; ".join(f"{k} {v[k]}" for k in v if k not in ("news-cleaner", "git"))
    header = [
        f"news-cleaner load and fault test: {r['date']}" + (" (smoke)" if plan["smoke"] else ""),
        f"machine:  {m['cpu']}; {m['cores']} cores ({m['usable_cores']} usable); "
        f"{m['ram_gib']} GiB RAM; {m['os']}",
        f"versions: news-cleaner {v.get('news-cleaner', '?')}{git}; {libraries}",
        f"setup:    {plan['workers']} sync workers; {plan['connections']} connections; load "
        f"phases {plan['duration']} s each after a {plan['warmup']} s warm-up; wrk, the Python "
        f"client and the server share the machine's {m['usable_cores']} cores",
        f"pages:    {r['pages']}",
        "",
        "| phase | figure | value | check |",
        "|---|---|---|---|",
    ]
    verdicts = {c.name: _verdict(c) for c in checks}
    rows = [*_load_rows(r, verdicts), *_kill_rows(r["kill"], verdicts)]
    rows += _term_rows(r["term"], plan, verdicts)
    logs = r["server_log"]
    figures = f"{logs['5xx']} / {logs['tracebacks']} / {logs['worker_timeouts']}"
    rows.append(("server logs", "5xx / tracebacks / timeouts", figures, verdicts["server_log"]))
    failed = [c.name for c in checks if c.enforced and not c.passed]
    result = f"FAILED ({', '.join(failed)})" if failed else "all criteria hold"
    footer = ["", RESET_NOTE, "", f"result: {result}"]
    return "\n".join(header + [f"| {' | '.join(row)} |" for row in rows] + footer)


RESET_NOTE = (
    "note: a connection still queued in the kernel's listen backlog when the last worker\n"
    "closed the listener is reset: gunicorn never accepted it (the same case as a refused\n"
    "connection, met by a client that had already connected). service/client.py retries it."
)


def _verdict(check: Check) -> str:
    if check.passed:
        return "ok"
    return "FAIL" if check.enforced else "over the limit (smoke: reported only)"


Row = tuple[str, str, str, str]


def _load_rows(r: dict[str, Any], verdicts: dict[str, str]) -> list[Row]:
    c, h = r["clean"], r["healthz"]
    mib: Callable[[int], str] = lambda kib: f"{kib / 1024:,.1f}"  # noqa: E731
    rss = f"{mib(c['rss_start_kib'])} → {mib(c['rss_end_kib'])} MiB ({c['rss_growth']:+.1%})"
    return [
        ("load: POST /v1/clean", f"requests in {c['seconds']:g} s", f"{c['requests']:,}", ""),
        ("", "throughput", f"{c['rps']:,} req/s", ""),
        ("", CORES, _cores(c), ""),
        ("", "latency p50 / p99 (max)", _latency(c), ""),
        ("", "errors (non-2xx + socket errors)", str(c["errors"]), verdicts["clean_errors"]),
        ("", "worker RSS (sum) after warm-up → end", rss, verdicts["clean_rss_growth"]),
        ("", "largest growth of one worker", f"{c['rss_worst_worker_growth']:+.1%}", ""),
        (
            "",
            "workers unchanged (none died)",
            "yes" if c["workers_stable"] else "no",
            verdicts["workers_stable"],
        ),
        ("floor: GET /healthz", f"requests in {h['seconds']:g} s", f"{h['requests']:,}", ""),
        ("", "throughput", f"{h['rps']:,} req/s", ""),
        ("", CORES, _cores(h), ""),
        ("", "latency p50 / p99 (max)", _latency(h), ""),
        ("", "errors (non-2xx + socket errors)", str(h["errors"]), verdicts["healthz_errors"]),
        ("ratio", "clean / healthz throughput", f"{r['ratio']:.3f}", ""),
    ]


CORES = "cores busy: server / wrk+script / other processes"


def _cores(figures: dict[str, Any]) -> str:
    busy = figures["cores_busy"]
    return f"{busy['server']:.2f} / {busy['load']:.2f} / {busy['other']:.2f}"


def _latency(figures: dict[str, Any]) -> str:
    ms = figures["latency_ms"]
    return f"{ms['p50']:,g} / {ms['p99']:,g} ms ({ms['max']:,g} ms)"


def _kill_rows(k: dict[str, Any], verdicts: dict[str, str]) -> list[Row]:
    how = f" ({', '.join(k['failed_how'])})" if k["failed_how"] else ""
    timing = f"{k['replacement_forked_after_s']} s / {k['replacement_serving_after_s']} s"
    return [
        ("kill -9 one worker", "requests (one per connection)", f"{k['requests']:,}", ""),
        ("", "requests the killed worker held", str(k["in_flight"]), ""),
        (
            "",
            "failed requests, all among those held",
            f"{k['failed']}{how}",
            verdicts["kill_failures"],
        ),
        ("", "replacement forked / serving, after the kill", timing, verdicts["kill_replaced"]),
        ("", "requests answered after the kill", f"{k['ok_after_kill']:,}", ""),
    ]


def _term_rows(t: dict[str, Any], plan: dict[str, Any], verdicts: dict[str, str]) -> list[Row]:
    answered = f"{t['in_flight_answered']} of {t['in_flight']}"
    answered += f" (last {t['slowest_answer_after_term_s']} s after SIGTERM)"
    shutdown = f"{t['shutdown_s']} s (graceful timeout {plan['graceful_s']:g} s)"
    polls = f"{t['watcher_polls']:,} ({t['watcher_mean_poll_ms']} ms)"
    return [
        ("SIGTERM to the master", "requests (one per connection)", f"{t['requests']:,}", ""),
        ("", "in flight in workers at SIGTERM: answered", answered, verdicts["term_in_flight"]),
        (
            "",
            "accepted by a worker, then no answer",
            str(t["accepted_dropped"]),
            verdicts["term_none_dropped"],
        ),
        (
            "",
            "failed before SIGTERM / non-2xx",
            f"{t['failed_before_term']} / {t['http_errors']}",
            "",
        ),
        (
            "",
            "answered after SIGTERM (begun after it)",
            f"{t['ok_after_term']} ({t['ok_begun_after_term']})",
            "",
        ),
        ("", "queued in the listen backlog at SIGTERM", str(t["queued_at_term"]), ""),
        ("", "reset while queued, never accepted", str(t["reset_unaccepted"]), "see note"),
        ("", "refused after the listener closed", str(t["refused"]), ""),
        ("", "kernel reads of accepted connections (every)", polls, ""),
        ("", "master exited after SIGTERM", shutdown, verdicts["term_graceful"]),
    ]


# --------------------------------------------------------------------------- command line


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Load and fault test of the real service (gunicorn on 127.0.0.1)."
    )
    parser.add_argument(
        "--duration", type=_bounded(1, 600), help="seconds per load phase (default 60; --smoke 2)"
    )
    parser.add_argument(
        "--connections",
        type=_bounded(1, 256),
        help="concurrent connections (default 32; --smoke 4)",
    )
    parser.add_argument(
        "--workers", type=_bounded(1, 32), help="gunicorn workers (default 4; --smoke 2)"
    )
    parser.add_argument(
        "--dataset",
        type=Path,
        default=DEFAULT_DATASET,
        help="the benchmark folder (with html/*.html.gz); missing: seeds only",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a ~15 s run at low concurrency; memory growth is only reported",
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    return parser.parse_args(argv)


def _bounded(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so the finally blocks stop the servers


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("loadtest: wrk is not installed (Debian: apt-get install -y wrk)", file=sys.stderr)
        return 2
    plan = make_plan(args)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with tempfile.TemporaryDirectory(prefix="loadtest-") as scratch:
            results = run(plan, Path(scratch))
    except KeyboardInterrupt:
        print("loadtest: interrupted; its servers are stopped", file=sys.stderr)
        return 130
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        print(f"loadtest: {exc}", file=sys.stderr)
        return 2
    checks = evaluate(results, plan)
    results["checks"] = [asdict(c) for c in checks]
    results["passed"] = all(c.passed for c in checks if c.enforced)
    print(render(results, checks))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    return 0 if results["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
