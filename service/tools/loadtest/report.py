"""The criteria a run must meet, and the table of its figures."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .run import Plan

from .common import MEMORY_GROWTH_LIMIT, ROOT


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
