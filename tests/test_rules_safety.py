"""Rule files are code paths: a broken file stops start-up with a clear message, YAML is
loaded safely, and no pattern can backtrack catastrophically (RE2 runs in linear time)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SERVE_COMMAND, copy_rules, free_port

from service.rules import RuleError, load_rule_file


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    return copy_rules(tmp_path / "rules")


def run_with_rules(command: list[str], rules: Path, stdin: str | None = None):
    """Run a command of ours with $RULES_DIR set to `rules` and nothing else inherited."""
    return subprocess.run(
        command,
        cwd=ROOT,
        input=stdin,
        env={"RULES_DIR": str(rules), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def break_file(path: Path, old: str, new: str) -> None:
    """Replace the first match of the regular expression `old` (a key and its value, whatever
    the value is today) with the text `new`."""
    path.write_text(re.sub(old, lambda _: new, path.read_text(), count=1))


# The first detection signal's pattern.
FIRST_SIGNAL = r"(?<=signals:\n    - \{pattern: )'[^']*'"


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        (r"min_score: \d+", "min_score: three", "detect.min_score", "is not of type"),
        (r"timezone: \S+", "timezone: Europe/Atlantis", "timezone", "unknown time zone"),
        (FIRST_SIGNAL, "'^(Avatar)\\1$'", "detect.signals[0].pattern", "RE2"),
    ],
)
def test_serve_refuses_to_start_on_a_broken_rule_file(rules_copy, old, new, key, reason):
    broken = rules_copy / "kyiv_independent.yaml"
    break_file(broken, old, new)
    done = run_with_rules([*SERVE_COMMAND, "--port", str(free_port())], rules_copy)
    assert done.returncode != 0
    assert str(broken) in done.stderr and key in done.stderr and reason in done.stderr
    assert "Traceback" not in done.stderr


def test_yaml_is_loaded_safely(rules_copy):
    path = rules_copy / "kyiv_independent.yaml"
    path.write_text("!!python/object/apply:os.system ['echo unsafe']\n" + path.read_text())
    with pytest.raises(RuleError, match="not valid YAML"):
        load_rule_file(path)


def test_a_pattern_that_would_backtrack_runs_in_linear_time(rules_copy):
    path = rules_copy / "moscow_times.yaml"
    break_file(path, r"(?<=\n  end:\n)", "    - '^(a+)+$'\n")
    rs = load_rule_file(path)
    pattern = next(e.pattern for e in rs.text.end if e.pattern.source == "^(a+)+$")
    started = time.perf_counter()
    assert pattern.search("a" * 100_000 + "!") is None
    assert time.perf_counter() - started < 0.5


def test_the_cli_names_the_file_key_and_reason(rules_copy):
    break_file(rules_copy / "moscow_times.yaml", r"min_score: \d+", "min_score: 0")
    done = run_with_rules(
        [sys.executable, "-m", "service", "clean", "-"], rules_copy, stdin="Some page text."
    )
    assert done.returncode != 0
    assert "moscow_times.yaml" in done.stderr and "detect.min_score" in done.stderr
