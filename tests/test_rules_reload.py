"""Changed rule files are picked up without a restart; a broken edit never breaks requests.

In-process: `current_rules()` re-reads when a file changes and keeps the last good rules
when the new file is broken. Against a real gunicorn: after SIGHUP, GET /v1/outlets shows the
changed file's new version and content hash, and requests kept being answered meanwhile.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import copy_rules, start_server, stop_server

from service import clean
from service.rules import RULES_DIR_ENV, RuleError, current_rules
from service.settings import override

OUTLET = "moscow_times"


@pytest.fixture
def rules_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of rules/ that the service reads ($RULES_DIR)."""
    directory = copy_rules(tmp_path / "rules")
    monkeypatch.setenv(RULES_DIR_ENV, str(directory))  # for the servers these tests start
    with override(rules_dir=directory):
        yield directory


def bump_version(directory: Path, outlet: str = OUTLET, version: str = "bumped") -> None:
    path = directory / f"{outlet}.yaml"
    text = re.sub(r"\nversion: \S+\n", f"\nversion: {version}\n", path.read_text(encoding="utf-8"))
    write_later(path, text)


def break_file(directory: Path, outlet: str = OUTLET) -> None:
    path = directory / f"{outlet}.yaml"
    text = path.read_text(encoding="utf-8") + "\n  - {kind: promo, pattern: '(?<=lookbehind)'}\n"
    write_later(path, re.sub(r"\nversion: \S+\n", "\nversion: broken\n", text))


def write_later(path: Path, text: str) -> None:
    """Write so that the modification time surely differs from the previous write's."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


def test_changed_file_is_read_again(rules_copy: Path) -> None:
    before = current_rules()[OUTLET]
    bump_version(rules_copy)
    after = current_rules()[OUTLET]
    assert after.version == "bumped" != before.version
    assert after.sha256 != before.sha256


def test_broken_edit_keeps_previous_rules_and_logs(
    rules_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = current_rules()[OUTLET]
    break_file(rules_copy)
    with caplog.at_level(logging.ERROR, logger="service.rules"):
        kept = current_rules()[OUTLET]
    assert kept.sha256 == good.sha256
    assert any("moscow_times.yaml" in r.getMessage() for r in caplog.records)
    # Requests go on being cleaned with the previous rules.
    page = "Support The Moscow Times!\n\nA headline of three words\n\n" + "Word " * 20 + "."
    result = clean(text=page)
    assert result["outlet"] == OUTLET


def test_broken_file_at_first_load_is_an_error(rules_copy: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    shutil.copytree(rules_copy, fresh)
    break_file(fresh)
    with override(rules_dir=fresh), pytest.raises(RuleError, match="moscow_times.yaml"):
        current_rules()


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200
        return json.loads(response.read())


def outlet_hash(base_url: str) -> str:
    outlets = get_json(base_url + "/v1/outlets")["outlets"]
    return next(o["sha256"] for o in outlets if o["id"] == OUTLET)


def wait_for_hash(base_url: str, old: str, seconds: float = 15) -> str:
    """Poll until the hash changes; every request on the way must succeed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        current = outlet_hash(base_url)
        if current != old:
            return current
        time.sleep(0.1)
    return old


@pytest.fixture
def served_rules(tmp_path: Path):
    """A real gunicorn reading a private copy of rules/: (process, base url, rules folder)."""
    directory = copy_rules(tmp_path / "served-rules")
    proc, base_url = start_server(env={RULES_DIR_ENV: str(directory)})
    yield proc, base_url, directory
    stop_server(proc)


def test_sighup_shows_new_hash(served_rules) -> None:
    proc, base_url, directory = served_rules
    before = outlet_hash(base_url)
    bump_version(directory)
    proc.send_signal(signal.SIGHUP)
    after = wait_for_hash(base_url, before)
    assert after != before
    described = next(o for o in get_json(base_url + "/v1/outlets")["outlets"] if o["id"] == OUTLET)
    assert described["version"] == "bumped"
    assert proc.poll() is None


def test_sighup_with_broken_file_keeps_serving(served_rules) -> None:
    proc, base_url, directory = served_rules
    before = outlet_hash(base_url)
    break_file(directory)
    proc.send_signal(signal.SIGHUP)
    time.sleep(1.5)  # new workers boot
    for _ in range(10):
        assert outlet_hash(base_url) == before
    assert proc.poll() is None
