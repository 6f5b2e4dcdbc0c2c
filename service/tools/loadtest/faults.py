"""The fault phases: a worker killed mid-request, and SIGTERM to the master."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from contextlib import suppress

from .bodies import Body
from .clients import Client, Outcome
from .server import Conn, Server, proc_stat, server_connections, socket_inodes


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
