"""An example crawler that hands every page it holds to the cleaner sidecar.

    python examples/crawler.py --cleaner http://127.0.0.1:8080 seeds/

It stands in for a real crawler: it reads saved pages from a folder (text or HTML) and
prints one line per page with what the cleaner made of it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from service.client import Client, ProblemError


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path, help="folder of .txt / .html pages")
    parser.add_argument("--cleaner", default="http://127.0.0.1:8080", help="the service's url")
    args = parser.parse_args()
    with Client(args.cleaner, timeout=30, retries=5) as client:
        for path in sorted(args.pages.iterdir()):
            if path.suffix not in (".txt", ".html"):
                continue
            key = "html" if path.suffix == ".html" else "text"
            started = time.perf_counter()
            try:
                result = client.clean(**{key: path.read_text(encoding="utf-8")})
            except ProblemError as error:
                print(f"{path.name}: refused: {error}", file=sys.stderr)
                continue
            ms = (time.perf_counter() - started) * 1000
            print(
                f"{path.name}: outlet={result['outlet']} paragraphs={len(result['paragraphs'])} "
                f"stripped={len(result['stripped'])} title={result['title']!r} ({ms:.0f} ms)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
