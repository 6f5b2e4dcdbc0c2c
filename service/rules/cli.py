"""`python -m service rules check|explain|new`: author and check outlet rule files.

- `check [PATH]` validates every rule file against the schema, compiles its patterns on RE2,
  parses its CSS selectors, cleans each of its fixture pages and compares the result with the
  fixture's expected JSON, then lists the patterns and selectors no fixture made fire. Any
  failure gives a non-zero exit (CI runs it); `--strict` also fails on unused rules.
- `explain FILE` prints the input line by line, each marked kept or stripped with the kind and
  the rule that decided it.
- `new DOMAIN` scaffolds a rule file for an outlet and its fixture folder.

Bad input (a missing file, a broken rule file, an unknown outlet) gives a one-line message and
a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from ..errors import CleanError
from .check import load_schema, run_check
from .load import load_rule_file, rules_dir
from .model import RuleError

EXIT_OK, EXIT_FAILED = 0, 1


def main(argv: list[str]) -> int:
    """Run one `rules` sub-command; returns the process exit status."""
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except RuleError as exc:
        print(f"error: rule file {exc}", file=sys.stderr)
        return EXIT_FAILED
    except CleanError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m service rules", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="validate rule files and run their fixtures")
    p.add_argument("path", nargs="?", help="a rules folder or one rule file (default: rules/)")
    p.add_argument("--strict", action="store_true", help="fail on rules no fixture fired")
    p.set_defaults(run=run_check)

    p = sub.add_parser("explain", help="show which rule kept or stripped each line of a page")
    p.add_argument("file", help="the page's text (or HTML with --html); - reads stdin")
    p.add_argument("--outlet", help="force one rule set by its id")
    p.add_argument("--html", action="store_true", help="the file is HTML")
    p.add_argument("--url", help="the page's url (a hint; never fetched)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the output (auto: on a terminal, unless NO_COLOR is set)")
    p.set_defaults(run=_explain)

    p = sub.add_parser("new", help="scaffold a rule file and fixture folder for a domain")
    p.add_argument("domain", help="the outlet's domain, e.g. example-news.com")
    p.add_argument("--id", dest="outlet_id", help="the rule set's id (default: from the domain)")
    p.add_argument("--name", help="the outlet's name as printed (default: from the domain)")
    p.add_argument("--dir", help="the rules folder (default: $RULES_DIR or rules/)")
    p.set_defaults(run=_new)
    return parser


# --- explain ---------------------------------------------------------------------------------

_COLOURS = {"keep": "\033[32m", "strip": "\033[2;31m", "kind": "\033[33m", "reset": "\033[0m"}


def _explain(args: argparse.Namespace) -> int:
    from ..engine.decoding import decode_text
    from ..engine.pipeline import clean

    data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    result = clean(**{"html" if args.html else "text": data}, url=args.url, outlet=args.outlet)
    # Offsets point into the rendered text (HTML) or the decoded text (text).
    source = result.get("rendered_text") or decode_text(data).text
    colour = _use_colour(args.color)
    for line in _summary(result):
        print(line)
    for marker, kind, rule, text in explain_lines(source, result["stripped"]):
        print(_format_line(marker, kind, rule, text, colour))
    return EXIT_OK


def _use_colour(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _summary(result: dict[str, Any]) -> list[str]:
    captions = [c.get("text") or c.get("credit") for c in result.get("captions", [])]
    return [
        f"# outlet: {result['outlet'] or '(none: generic extraction)'}",
        f"# title: {result['title']!r}  authors: {result['authors']}  date: {result['date']}",
        f"# captions: {len(captions)}  paragraphs: {len(result['paragraphs'])}"
        f"  stripped: {len(result['stripped'])}",
    ]


def explain_lines(source: str, stripped: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    """(+ or -, kind, rule, text) for each non-blank line of `source`."""
    entries = sorted(stripped, key=lambda e: e["start"])
    lines, pos = [], 0
    for raw in source.splitlines(keepends=True):
        start, end = pos, pos + len(raw.rstrip("\r\n"))
        pos += len(raw)
        text = raw.strip()
        if not text:
            continue
        entry = next((e for e in entries if e["start"] < end and e["end"] > start), None)
        if entry is None:
            lines.append(("+", "body", "", text))
        else:
            lines.append(("-", entry["kind"], entry.get("rule", ""), text))
    return lines


def _format_line(marker: str, kind: str, rule: str, text: str, colour: bool) -> str:
    label = f"{kind:<13} {rule:<44}"
    if not colour:
        return f"{marker} {label} | {text}"
    tone = _COLOURS["keep" if marker == "+" else "strip"]
    reset = _COLOURS["reset"]
    return f"{tone}{marker}{reset} {_COLOURS['kind']}{label}{reset} | {tone}{text}{reset}"


# --- new -------------------------------------------------------------------------------------

_DOMAIN = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$")
# Second-level labels under a country code that name no outlet (example.com.ua -> example).
_GENERIC_SECOND_LEVEL = frozenset({"com", "co", "org", "net", "gov", "ac", "edu"})


def domain_from(text: str) -> str:
    """The bare host of a domain or url: no scheme, 'www.', port or path."""
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text.strip().lower())
    host = re.split(r"[/:?#]", host, maxsplit=1)[0].removeprefix("www.")
    if not _DOMAIN.match(host):
        raise RuleError(text, "(domain)", "not a domain name like example-news.com")
    return host


def outlet_id_from(domain: str) -> str:
    """A rule set id for a domain: its name without the public suffix, e.g. meduza.io -> meduza."""
    labels = domain.split(".")[:-1]
    if len(labels) > 1 and labels[-1] in _GENERIC_SECOND_LEVEL:
        labels = labels[:-1]
    outlet_id = re.sub(r"[^a-z0-9]+", "_", "_".join(labels)).strip("_")
    if not outlet_id[:1].isalpha():
        outlet_id = "outlet_" + outlet_id
    return outlet_id[:64]


def _new(args: argparse.Namespace) -> int:
    domain = domain_from(args.domain)
    outlet_id = args.outlet_id or outlet_id_from(domain)
    if not re.match(r"^[a-z][a-z0-9_]{1,63}$", outlet_id):
        raise RuleError(outlet_id, "id", "ids are lower-case letters, digits and _")
    directory = Path(args.dir) if args.dir else rules_dir()
    if not directory.is_dir():
        raise RuleError(directory, "(directory)", "no such rules folder")
    path = directory / f"{outlet_id}.yaml"
    if path.exists():
        raise RuleError(path, "(file)", "already exists; edit it instead")
    name = args.name or domain.split(".")[0].replace("-", " ").title()
    path.write_text(scaffold(outlet_id, name, domain), encoding="utf-8")
    load_rule_file(path, load_schema(directory))  # the scaffold itself must be valid
    folder = directory / "fixtures" / outlet_id
    folder.mkdir(parents=True, exist_ok=True)
    print(f"created {path}\ncreated {folder}/\nnext: save pages of the outlet there as "
          f"<name>.txt or <name>.html with <name>.json beside each (see rules/README.md), "
          f"describe its template in {path.name}, then run: python -m service rules check")
    return EXIT_OK


def scaffold(outlet_id: str, name: str, domain: str) -> str:
    """A rule file that validates and says where each part of the template goes."""
    escaped = re.escape(domain).replace("\\-", "-")
    return f"""# {name} ({domain}): describe the template, never an article. Patterns are RE2.
id: {outlet_id}
name: {json.dumps(name)}
version: 1
domains: [{domain}]
# timezone: Europe/Kyiv        # IANA zone of the times the site prints

detect:
  # Fingerprints for pages that come without a url; each signal counts once.
  min_score: 3
  signals:
    - {{pattern: '{escaped}', weight: 3}}

text:
  # A line that matches is stripped with this kind wherever it stands.
  lines:
    - {{kind: navigation, pattern: '^(Menu|Search|Share)$'}}
  # The headline: the first short line before the body that does not end like a sentence.
  title: {{min_words: 3, max_words: 30}}
  # bylines: [{{pattern: '^By (?P<authors>...)$'}}]
  # dates: [{{pattern: '^(?P<date>...)(?: (?P<time>...))?$'}}]
  # captions: [{{scope: head, pattern: '^(?P<text>.+[.!?]) (?P<credit>...)$'}}]
  # The article ends at the first line matching one of these.
  end: []
  # After the end, a line that matches opens a section of that kind.
  sections: []
  tail_kind: boilerplate

html:
  article: ['article']
  title: ['h1']
  strip:
    - {{selector: 'nav, body > header, footer', kind: navigation}}
"""
