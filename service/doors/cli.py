"""The command line: `python -m service clean|serve|bench ...`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..errors import CleanError
from ..rules import RuleError
from ..settings import ENV_NAMES, SettingsError, get_settings


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    delegated = _DELEGATED.get(argv[0]) if argv else None
    if delegated:
        import importlib

        return importlib.import_module(delegated, __package__).main(argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except CleanError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 2 if exc.status == 400 else 3
    except RuleError as exc:
        print(f"error: rule file {exc}", file=sys.stderr)
        return 4
    except SettingsError as exc:
        print(f"error: setting {exc}", file=sys.stderr)
        return 4
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 5
    except KeyboardInterrupt:
        return 130


# Commands with parsers of their own: name -> module with `main(argv) -> int`.
_DELEGATED = {"bench": "..tools.bench", "rules": "..rules.cli", "clean-batch": ".batch",
              "loadtest": "..tools.loadtest"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m service", description=__doc__)
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    p = sub.add_parser("clean", help="clean one page and print the result as JSON")
    p.add_argument("file", help="the page's text (or HTML with --html); - reads stdin")
    p.add_argument("--html", action="store_true", help="the file is HTML")
    p.add_argument("--url", help="the page's url (a hint; never fetched)")
    p.add_argument("--outlet", help="force one rule set by its id")
    p.add_argument(
        "--charset",
        help="the file's encoding; by default HTML is decoded as a browser would (BOM, "
        "<meta charset>, else detected) and text must be UTF-8 or start with a BOM",
    )
    p.set_defaults(run=_clean)

    p = sub.add_parser("serve", help="serve the HTTP API with gunicorn")
    p.add_argument("--host", default=None, help="default: $HOST or 127.0.0.1")
    p.add_argument("--port", type=int, default=None, help="default: $PORT or 8080")
    p.set_defaults(run=_serve)

    sub.add_parser("bench", help="run the extraction benchmark (see: bench --help)")
    sub.add_parser("rules", help="check, explain and scaffold rule files (see: rules --help)")
    sub.add_parser("clean-batch", help="clean a JSONL file of pages (see: clean-batch --help)")
    sub.add_parser("loadtest", help="load and fault test of the service (see: loadtest --help)")
    return parser


def _clean(args: argparse.Namespace) -> int:
    from ..engine.pipeline import clean

    data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    key = "html" if args.html else "text"
    result = clean(**{key: data}, url=args.url, outlet=args.outlet, charset=args.charset)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from ..rules import current_rules

    current_rules()  # refuse to start on a broken rule file, with its message
    settings = get_settings()
    _fresh_metrics_dir(settings.metrics_dir)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:service.doors.gunicorn_conf",
        "--bind",
        f"{args.host or settings.host}:{args.port or settings.port}",
        "service.doors.http:create_app()",
    ]
    os.execv(sys.executable, command)
    return 0  # not reached


def _fresh_metrics_dir(path: str | None) -> None:
    """prometheus-client's multiprocess mode needs an empty directory shared by the workers;
    they read it from the environment gunicorn is started with."""
    import shutil
    import tempfile

    if not path:
        os.environ[ENV_NAMES["metrics_dir"]] = tempfile.mkdtemp(prefix="cleaner-metrics-")
        return
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, exist_ok=True)


if __name__ == "__main__":
    sys.exit(main())
