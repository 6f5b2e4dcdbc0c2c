"""Every seed page gives its expected result through all three doors: Python, CLI, HTTP."""

from __future__ import annotations

import json
import urllib.request

import pytest
from conftest import ROOT, run_service, seed_cases
from contract import problems

from service import clean

CASES = seed_cases()
IDS = [name for name, _, _ in CASES]


def test_every_seed_has_an_expected_result():
    assert len(CASES) == 5
    assert all(path.exists() for _, path, _ in CASES)


@pytest.mark.parametrize(("name", "path", "expected"), CASES, ids=IDS)
def test_python_api(name, path, expected):
    raw = path.read_text(encoding="utf-8")
    assert problems(clean(raw), expected, raw) == []


@pytest.mark.parametrize(("name", "path", "expected"), CASES, ids=IDS)
def test_cli(name, path, expected):
    done = run_service("clean", str(path))
    assert done.returncode == 0, done.stderr
    raw = path.read_text(encoding="utf-8")
    assert problems(json.loads(done.stdout), expected, raw) == []


@pytest.mark.parametrize(("name", "path", "expected"), CASES, ids=IDS)
def test_http(server, name, path, expected):
    request = urllib.request.Request(
        server + "/v1/clean", data=path.read_bytes(), headers={"Content-Type": "text/plain"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/json"
        result = json.load(response)
    raw = path.read_text(encoding="utf-8")
    assert problems(result, expected, raw) == []


def test_web_and_print_copies_are_the_same_article():
    web = clean((ROOT / "seeds" / "003_367625e2b7a9f315.txt").read_text())
    printed = clean((ROOT / "seeds" / "004_30a59d0e4a8cb1b4.txt").read_text())
    assert web["paragraphs"] == printed["paragraphs"]
    assert web["fingerprint"] == printed["fingerprint"]


def test_clean_text_comes_back_whole():
    raw = (ROOT / "seeds" / "002_a632362f40734eb3.txt").read_text()
    result = clean(raw)
    assert result["paragraphs"] == raw.split("\n")
    assert result["stripped"] == []
