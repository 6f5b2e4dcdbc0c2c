"""The plan of a run and the load phases; the figures of a whole run."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .bodies import load_bodies, write_manifest
from .clients import run_wrk
from .common import DEFAULT_GRACEFUL_S
from .faults import kill_phase, term_phase
from .report import machine, versions
from .server import Server, cpu_seconds, rss_kib, serving


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
