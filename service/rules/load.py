"""Load, validate and compile the per-outlet rule files.

A rule file is data (`rules/<outlet>.yaml`): the engine in `template.py` reads it and never
names an outlet. Every file is checked against `rules/schema.json` and every pattern is
compiled on RE2, a linear-time engine, so no rule can backtrack catastrophically. A broken
file stops the service at start-up with a message naming the file, the key and the reason;
a file broken later (an edit picked up on reload) is logged and the last good rules stay in
use, so requests never fail because of it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import re2
import yaml

from ..settings import DEFAULT_RULES_DIR, ENV_NAMES, get_settings

RULES_DIR_ENV = ENV_NAMES["rules_dir"]
SCHEMA_NAME = "schema.json"
FIXTURES_DIR = "fixtures"

log = logging.getLogger(__name__)
# Names of the patterns that matched, while `record_hits()` is active (for `rules check`).
_HITS: ContextVar[set[str] | None] = ContextVar("rule_hits", default=None)


class RuleError(Exception):
    """A rule file that cannot be used; says which file, which key and why."""

    def __init__(self, path: Path | str, key: str, reason: str) -> None:
        super().__init__(f"{path}: {key}: {reason}")
        self.path, self.key, self.reason = str(path), key, reason


@dataclass(frozen=True)
class Pattern:
    """A compiled RE2 pattern and where it came from (for the report and `rules explain`)."""

    source: str
    name: str  # e.g. "kyiv_independent:text.lines[3]"
    regex: Any = field(compare=False, repr=False)

    def search(self, text: str) -> Any:
        match = self.regex.search(text) if self.regex is not None else None
        if match is not None:
            hits = _HITS.get()
            if hits is not None:
                hits.add(self.name)
        return match


@contextmanager
def record_hits() -> Iterator[set[str]]:
    """Collect the names of the patterns that match inside the block (see `rules check`)."""
    hits: set[str] = set()
    token = _HITS.set(hits)
    try:
        yield hits
    finally:
        _HITS.reset(token)


@dataclass
class RuleSet:
    """One outlet's rules, compiled."""

    id: str
    name: str
    version: str
    domains: tuple[str, ...]
    timezone: str | None
    path: Path
    sha256: str
    data: dict[str, Any]  # the file as loaded, for sections not compiled below
    patterns: dict[str, list[Pattern]]  # "text.lines" -> compiled patterns, in file order

    def text(self, key: str, default: Any = None) -> Any:
        return (self.data.get("text") or {}).get(key, default)

    def html(self, key: str, default: Any = None) -> Any:
        return (self.data.get("html") or {}).get(key, default)

    def compiled(self, key: str) -> list[Pattern]:
        return self.patterns.get(key, [])

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "version": self.version,
            "domains": list(self.domains),
            "timezone": self.timezone,
            "sha256": self.sha256,
            "file": self.path.name,
        }


def rules_dir() -> Path:
    """The directory the rules are read from (the RULES_DIR setting)."""
    return get_settings().rules_dir


@lru_cache(maxsize=1)
def _schema(directory: Path) -> dict[str, Any]:
    path = directory / SCHEMA_NAME
    if not path.exists():
        path = DEFAULT_RULES_DIR / SCHEMA_NAME
    return json.loads(path.read_text(encoding="utf-8"))


def load_rule_file(path: Path, schema: dict[str, Any] | None = None) -> RuleSet:
    """Read, validate and compile one rule file, or raise RuleError."""
    raw = _read(path)
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RuleError(path, "(file)", f"not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise RuleError(path, "(file)", "a rule file is a mapping of keys")
    _validate(path, data, schema or _schema(path.parent))
    if data["id"] != path.stem:
        raise RuleError(path, "id", f"id {data['id']!r} must match the file name {path.stem!r}")
    _check_timezone(path, data.get("timezone"))
    return RuleSet(
        id=data["id"],
        name=data["name"],
        version=str(data["version"]),
        domains=tuple(data.get("domains") or ()),
        timezone=data.get("timezone"),
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        data=data,
        patterns=_compile_all(path, data),
    )


def load_rules(directory: Path | None = None) -> dict[str, RuleSet]:
    """Every rule file in `directory` (default: $RULES_DIR or the project's rules/)."""
    directory = directory or rules_dir()
    if not directory.is_dir():
        raise RuleError(directory, "(directory)", "no such rules directory")
    return {rs.id: rs for rs in (load_rule_file(p) for p in sorted(directory.glob("*.yaml")))}


@dataclass
class _Loaded:
    directory: str = ""
    stamp: tuple[tuple[str, int, int], ...] = ()
    rules: dict[str, RuleSet] | None = None


_loaded = _Loaded()


def current_rules() -> dict[str, RuleSet]:
    """The rule sets in use, read again when a file is added, removed or changed.

    The first load raises RuleError (a service must not start on a broken file). A later
    load that fails is logged and the previous good rules stay in use until the files change
    again: a bad edit picked up on reload never fails requests.
    """
    directory = rules_dir()
    stamp = _stamp(directory)
    if _loaded.rules is not None and (_loaded.directory, _loaded.stamp) == (str(directory), stamp):
        return _loaded.rules
    try:
        rules = load_rules(directory)
    except RuleError as exc:
        if _loaded.rules is None or _loaded.directory != str(directory):
            raise
        log.error("rules not reloaded, keeping the previous rules: %s", exc)
        _loaded.stamp = stamp  # don't retry (and log) on every request until files change
        return _loaded.rules
    if _loaded.rules is not None:
        log.info("rules reloaded from %s: %s", directory, _versions(rules))
    _loaded.directory, _loaded.stamp, _loaded.rules = str(directory), stamp, rules
    return rules


def _stamp(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """What identifies the rule files' state: names, modification times and sizes."""
    if not directory.is_dir():
        return ()
    stamp = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            info = path.stat()
        except OSError:  # removed while we looked
            continue
        stamp.append((path.name, info.st_mtime_ns, info.st_size))
    return tuple(stamp)


def _versions(rules: dict[str, RuleSet]) -> str:
    return ", ".join(f"{rs.id} v{rs.version} {rs.sha256[:12]}" for rs in rules.values())


def fixtures_dir(rs: RuleSet) -> Path:
    """The folder of a rule set's fixture pages: its `fixtures` key, else fixtures/<id>."""
    return rs.path.parent / (rs.data.get("fixtures") or f"{FIXTURES_DIR}/{rs.id}")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RuleError(path, "(file)", f"cannot read: {exc.strerror}") from None


def _validate(path: Path, data: dict[str, Any], schema: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        key = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        raise RuleError(path, key, error.message)


def _check_timezone(path: Path, zone: str | None) -> None:
    if zone is None:
        return
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuleError(path, "timezone", f"unknown time zone {zone!r}") from None


def _compile_all(path: Path, data: dict[str, Any]) -> dict[str, list[Pattern]]:
    """Compile every pattern in the file, keyed by where it sits ("text.lines", ...)."""
    text = data.get("text") or {}
    places: dict[str, list[tuple[str, str]]] = {
        "detect.signals": [
            (f"detect.signals[{i}].pattern", s["pattern"])
            for i, s in enumerate((data.get("detect") or {}).get("signals", []))
        ],
        "text.end": [(f"text.end[{i}]", p) for i, p in enumerate(text.get("end", []))],
    }
    for key in ("lines", "bylines", "dates", "authors", "captions"):
        places[f"text.{key}"] = [
            (f"text.{key}[{i}].pattern", item["pattern"])
            for i, item in enumerate(text.get(key, []))
        ]
    places["text.authors.after"] = [
        (f"text.authors[{i}].after", item.get("after") or "")
        for i, item in enumerate(text.get("authors", []))
    ]
    for end in ("starts", "ends"):
        places[f"text.sections.{end}"] = [
            (f"text.sections[{i}].{end}", item.get(end) or "")
            for i, item in enumerate(text.get("sections", []))
        ]
    return {
        # Signals are searched once over the whole page, so ^ and $ must mean a line's ends.
        place: [
            _compile(path, data["id"], key, source, multiline=place == "detect.signals")
            for key, source in items
        ]
        for place, items in places.items()
    }


_OPTIONS = re2.Options()
_OPTIONS.log_errors = False


def _compile(path: Path, outlet: str, key: str, source: str, multiline: bool = False) -> Pattern:
    name = f"{outlet}:{key}"
    if not source:  # an optional pattern that is absent never matches
        return Pattern("", name, None)
    try:
        regex = re2.compile(("(?m)" if multiline else "") + source, _OPTIONS)
        return Pattern(source, name, regex)
    except re2.error as exc:
        message = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise RuleError(path, key, f"pattern does not compile on RE2: {message}") from None
