"""Load, validate and compile the per-outlet rule files.

A rule file is data (`rules/<outlet>.yaml`): compiled into the typed model of
:mod:`service.rules.model`, which the engine reads; and never
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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from ..settings import DEFAULT_RULES_DIR, ENV_NAMES, get_settings
from .book import RuleBook
from .model import RuleError, RuleSet, compile_ruleset

RULES_DIR_ENV = ENV_NAMES["rules_dir"]
SCHEMA_NAME = "schema.json"

log = logging.getLogger(__name__)


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
    return compile_ruleset(path, data, hashlib.sha256(raw).hexdigest())


def load_rules(directory: Path | None = None) -> RuleBook:
    """Every rule file in `directory` (default: $RULES_DIR or the project's rules/)."""
    directory = directory or rules_dir()
    if not directory.is_dir():
        raise RuleError(directory, "(directory)", "no such rules directory")
    files = sorted(directory.glob("*.yaml"))
    return RuleBook({rs.id: rs for rs in (load_rule_file(p) for p in files)})


@dataclass
class _Loaded:
    directory: str = ""
    stamp: tuple[tuple[str, int, int], ...] = ()
    rules: RuleBook | None = None


_loaded = _Loaded()


def current_rules() -> RuleBook:
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
