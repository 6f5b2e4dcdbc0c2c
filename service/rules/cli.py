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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CleanError
from ..settings import override
from .load import SCHEMA_NAME, load_rule_file, rules_dir
from .model import RuleError, RuleSet, record_hits

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_FOLD = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")
# Share of the input's word tokens that kept and stripped text together must account for.
MIN_ACCOUNTED_SHARE = 0.99


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
    p.set_defaults(run=_check)

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


# --- check -----------------------------------------------------------------------------------


@dataclass
class Report:
    """What `rules check` found about one rule file."""

    path: Path
    ruleset: RuleSet | None = None
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    fixtures: int = 0
    passed: int = 0


def _check(args: argparse.Namespace) -> int:
    target = Path(args.path) if args.path else rules_dir()
    files = _rule_files(target)
    directory = target if target.is_dir() else target.parent
    schema = _load_schema(directory)
    reports = [_check_file(path, schema) for path in files]
    _run_all_fixtures(reports, directory)
    for report in reports:
        _print_report(report)
    failed = sum(bool(r.failures or r.notes) for r in reports)
    unused = sum(len(r.unused) for r in reports)
    fixtures, passed = sum(r.fixtures for r in reports), sum(r.passed for r in reports)
    print(f"{len(reports)} rule files, {passed}/{fixtures} fixtures pass, "
          f"{failed} files failing, {unused} rules fired on no fixture")
    return EXIT_FAILED if failed or (args.strict and unused) else EXIT_OK


def _run_all_fixtures(reports: list[Report], directory: Path) -> None:
    """Fixtures run against the whole folder (detection weighs every outlet's signals), so
    only when every rule file in it loads."""
    from .load import load_rules

    try:
        if any(r.ruleset is None for r in reports):
            raise RuleError(directory, "(directory)", "a rule file does not load")
        load_rules(directory)
        with _rules_env(directory):
            for report in reports:
                if report.ruleset is not None:
                    _check_fixtures(report, report.ruleset)
    except RuleError as exc:
        for report in reports:
            if not report.failures:
                report.notes.append(f"fixtures not run: {exc}")


def _rule_files(target: Path) -> list[Path]:
    if target.is_dir():
        files = sorted(target.glob("*.yaml"))
        if not files:
            raise RuleError(target, "(directory)", "no *.yaml rule files here")
        return files
    if not target.is_file():
        raise RuleError(target, "(file)", "no such file or directory")
    return [target]


def _load_schema(directory: Path) -> dict[str, Any]:
    import jsonschema

    path = directory / SCHEMA_NAME
    if not path.exists():
        path = Path(__file__).resolve().parent.parent / "rules" / SCHEMA_NAME
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
    except (ValueError, jsonschema.exceptions.SchemaError) as exc:
        raise RuleError(path, "(schema)", f"not a valid JSON Schema: {exc}") from None
    return schema


def _check_file(path: Path, schema: dict[str, Any]) -> Report:
    report = Report(path)
    try:
        report.ruleset = load_rule_file(path, schema)
    except RuleError as exc:
        report.failures.append(f"{exc.key}: {exc.reason}")
        return report
    report.failures += _bad_selectors(report.ruleset)
    return report


def _bad_selectors(rs: RuleSet) -> list[str]:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser("<html><body><p>x</p></body></html>")
    bad = []
    for key, selector in rs.selectors():
        try:
            tree.css(selector)
        except Exception as exc:  # noqa: BLE001 - lexbor raises plain exceptions
            bad.append(f"{key}: selector {selector!r} does not parse: {exc}")
    return bad


@contextmanager
def _rules_env(directory: Path) -> Iterator[None]:
    """Clean fixtures with the rules being checked, not the service's configured ones."""
    with override(rules_dir=directory.resolve()):
        yield


def _check_fixtures(report: Report, rs: RuleSet) -> None:
    specs = sorted(rs.fixtures.rglob("*.json"))
    if not specs:
        report.failures.append(f"no fixtures: add pages and expected JSON to {rs.fixtures}")
        return
    fired: set[str] = set()
    with record_hits() as hits:
        for spec_path in specs:
            hits.clear()
            problems, html_hits = _run_fixture(spec_path, rs)
            fired |= {h for h in hits if h.startswith(rs.id + ":")} | html_hits
            report.fixtures += 1
            report.passed += not problems
            report.failures += [f"{spec_path.name}: {p}" for p in problems]
    report.unused = _unused(rs, fired)


def _run_fixture(spec_path: Path, rs: RuleSet) -> tuple[list[str], set[str]]:
    """Problems with one fixture (empty when it passes) and the selectors its HTML matched."""
    from ..engine.pipeline import clean

    try:
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        is_html = spec.get("format") == "html"
        source = spec_path.with_name(spec.get("input", spec_path.stem + ".txt"))
        raw = source.read_text(encoding="utf-8")
    except (OSError, ValueError, AttributeError) as exc:
        return [f"cannot read the fixture: {exc}"], set()
    try:
        result = clean(**{"html" if is_html else "text": raw}, url=spec.get("url"))
    except CleanError as exc:
        return [f"clean() refused the page: {exc.detail}"], set()
    except Exception as exc:  # noqa: BLE001 - a crash is this fixture's failure, not the run's
        return [f"clean() crashed: {type(exc).__name__}: {exc}"], set()
    html_hits = _selector_hits(rs, raw) if is_html else set()
    return compare_result(spec, result, None if is_html else raw), html_hits


def _selector_hits(rs: RuleSet, html: str) -> set[str]:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    hits = set()
    for key, selector in rs.selectors():
        try:
            if tree.css_first(selector) is not None:
                hits.add(f"{rs.id}:{key}")
        except Exception:  # noqa: BLE001 - reported by _bad_selectors
            continue
    return hits


def _unused(rs: RuleSet, fired: set[str]) -> list[str]:
    names = [(p.name, p.source) for p in rs.patterns()]
    names += [(f"{rs.id}:html.strip[{i}]", item.selector) for i, item in enumerate(rs.html.strip)]
    articles = [f"{rs.id}:html.article[{i}]" for i in range(len(rs.html.article))]
    if articles and not fired.intersection(articles):
        names.append((f"{rs.id}:html.article", " | ".join(rs.html.article)))
    return [f"{name}  {source!r}" for name, source in names if name not in fired]


def _fold(text: str | None) -> str:
    return _FOLD.sub(" ", text or "").strip()


def compare_result(spec: dict[str, Any], result: dict[str, Any], raw: str | None) -> list[str]:
    """How `result` differs from a fixture's expected `spec` (the fields check_cases reads)."""
    problems = [f"{key} is {result.get(key)!r}, expected {spec[key]!r}"
                for key in ("outlet", "title", "authors") if key in spec
                and result.get(key) != spec[key]]
    problems += _compare_date(spec, result) + _compare_captions(spec, result)
    problems += _compare_paragraphs(spec, result) + _compare_stripped(spec, result)
    if raw is not None:
        problems += _compare_offsets(result, raw)
    return problems


def _compare_date(spec: dict[str, Any], result: dict[str, Any]) -> list[str]:
    if "date" not in spec:
        return []
    want, got = spec["date"], result.get("date")
    if (want is None) != (got is None) or (want and not got.startswith(want)):
        return [f"date is {got!r}, expected {want!r}"]
    return []


def _compare_captions(spec: dict[str, Any], result: dict[str, Any]) -> list[str]:
    if spec.get("captions") is None:
        return []
    got = [{"text": c.get("text"), "credit": c.get("credit")} for c in result.get("captions", [])]
    if got == spec["captions"]:
        return []
    return [f"captions are {got!r}, expected {spec['captions']!r}"]


def _compare_paragraphs(spec: dict[str, Any], result: dict[str, Any]) -> list[str]:
    got = [_fold(p) for p in result.get("paragraphs", [])]
    want = spec.get("paragraphs", [])
    if got == want:
        return []
    extra = [p[:70] for p in got if p not in want][:3]
    missing = [p[:70] for p in want if p not in got][:3]
    return [f"paragraphs differ ({len(got)} vs {len(want)} expected); "
            f"extra {extra}; missing {missing}"]


def _compare_stripped(spec: dict[str, Any], result: dict[str, Any]) -> list[str]:
    stripped = result.get("stripped", [])
    blob = _fold(" ".join(s.get("text") or "" for s in stripped))
    kinds = {s.get("kind") for s in stripped}
    return [f"not reported stripped: {t[:60]!r}" for t in spec.get("stripped_texts", [])
            if _fold(t) not in blob] + [
        f"no stripped entry of kind {k!r}" for k in spec.get("kinds", []) if k not in kinds]


def _compare_offsets(result: dict[str, Any], raw: str) -> list[str]:
    stripped = result.get("stripped", [])
    for entry in stripped:
        start, end = entry.get("start"), entry.get("end")
        if not (isinstance(start, int) and isinstance(end, int)
                and _fold(raw[start:end]) == _fold(entry.get("text"))):
            return [f"offsets do not point at the stripped text: {str(entry)[:80]}"]
    accounted = " ".join(result.get("paragraphs", []) + [s.get("text") or "" for s in stripped])
    have, need = len(_TOKEN.findall(accounted)), len(_TOKEN.findall(raw))
    if have < MIN_ACCOUNTED_SHARE * need:
        return [f"input not accounted for: {have}/{need} tokens kept or reported stripped"]
    return []


def _print_report(report: Report) -> None:
    status = "FAIL" if report.failures else "ok"
    print(f"{report.path}: {status} ({report.passed}/{report.fixtures} fixtures pass)")
    for failure in report.failures:
        print(f"  FAIL {failure}")
    for note in report.notes:
        print(f"  note: {note}")
    for name in report.unused:
        print(f"  unused (fired on no fixture): {name}")


# --- explain ---------------------------------------------------------------------------------

_COLOURS = {"keep": "\033[32m", "strip": "\033[2;31m", "kind": "\033[33m", "reset": "\033[0m"}


def _explain(args: argparse.Namespace) -> int:
    from ..doors.inputs import decode_page
    from ..engine.pipeline import clean

    data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    page = decode_page(data)
    result = clean(**{"html" if args.html else "text": page}, url=args.url, outlet=args.outlet)
    source = result.get("rendered_text", page)
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
    load_rule_file(path, _load_schema(directory))  # the scaffold itself must be valid
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
