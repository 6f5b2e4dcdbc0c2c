"""`rules check`: validate rule files, run their fixture pages, report unused rules.

Every rule file is checked against the schema and its patterns compiled on RE2; its CSS
selectors must parse; each fixture page under its fixtures folder (any depth) is cleaned
and compared with its expected JSON, field by field. A fixture may carry `known_limit`: a
reason the page is out of the rules' reach. It is still run, counts as a known limit while
it fails, and fails the check once it passes (so the note cannot go stale).
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CleanError
from ..settings import override
from .load import SCHEMA_NAME, load_rule_file, rules_dir
from .model import RuleError, RuleSet
from .patterns import record_hits

EXIT_OK, EXIT_FAILED = 0, 1
_FOLD = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")
# Share of the input's word tokens that kept and stripped text together must account for.
MIN_ACCOUNTED_SHARE = 0.99


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
    known: list[str] = field(default_factory=list)  # fixtures failing for a known limit


def run_check(args: argparse.Namespace) -> int:
    """`rules check [PATH] [--strict]`: the exit status and a report on stdout."""
    target = Path(args.path) if args.path else rules_dir()
    files = _rule_files(target)
    directory = target if target.is_dir() else target.parent
    schema = load_schema(directory)
    reports = [_check_file(path, schema) for path in files]
    _run_all_fixtures(reports, directory)
    for report in reports:
        _print_report(report)
    failed = sum(bool(r.failures or r.notes) for r in reports)
    unused = sum(len(r.unused) for r in reports)
    fixtures, passed = sum(r.fixtures for r in reports), sum(r.passed for r in reports)
    known = sum(len(r.known) for r in reports)
    print(f"{len(reports)} rule files, {passed}/{fixtures} fixtures pass, {known} known limits, "
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


def load_schema(directory: Path) -> dict[str, Any]:
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
            _record(report, spec_path.relative_to(rs.fixtures).as_posix(), problems,
                    _known_limit(spec_path))
    report.unused = _unused(rs, fired)


def _record(report: Report, name: str, problems: list[str], known_limit: str | None) -> None:
    report.fixtures += 1
    if known_limit is None:
        report.passed += not problems
        report.failures += [f"{name}: {p}" for p in problems]
    elif problems:
        report.known.append(f"{name}: {known_limit}")
    else:
        report.failures.append(f"{name}: passes now; remove its known_limit")


def _known_limit(spec_path: Path) -> str | None:
    try:
        return json.loads(spec_path.read_text(encoding="utf-8")).get("known_limit")
    except (OSError, ValueError, AttributeError):
        return None


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
    for known in report.known:
        print(f"  known limit: {known}")
    for name in report.unused:
        print(f"  unused (fired on no fixture): {name}")
