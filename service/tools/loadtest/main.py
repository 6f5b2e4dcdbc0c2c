"""`python -m service loadtest`: arguments, the run, its report and exit status."""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from .common import DEFAULT_DATASET
from .report import evaluate, render
from .run import make_plan, run


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
