"""The engine is general: a third outlet is a rule file, with no change to Python code.

Ukrainska Pravda's English edition is described only by rules/ukrainska_pravda.yaml. Without
that file its pages are cleaned generically (no outlet, its boilerplate handled differently);
dropping the file into the rules folder makes the same pages clean to their expected results.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from service import clean
from service.rules import DEFAULT_RULES_DIR, RULES_DIR_ENV
from service.settings import override

OUTLET = "ukrainska_pravda"
FIXTURES = DEFAULT_RULES_DIR / "fixtures" / OUTLET
PAGES = sorted(
    p for p in FIXTURES.glob("*.json") if json.loads(p.read_text()).get("format") != "html"
)


@pytest.fixture
def rules_without_outlet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    directory = tmp_path / "rules"
    directory.mkdir()
    for path in DEFAULT_RULES_DIR.glob("*"):
        if path.is_file() and path.name != f"{OUTLET}.yaml":
            shutil.copy(path, directory)
    monkeypatch.setenv(RULES_DIR_ENV, str(directory))  # for the servers these tests start
    with override(rules_dir=directory):
        yield directory


def fold(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("spec_path", PAGES, ids=[p.stem for p in PAGES])
def test_adding_the_rule_file_alone_cleans_its_pages(
    rules_without_outlet: Path, spec_path: Path
) -> None:
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    page = (FIXTURES / spec.get("input", spec_path.stem + ".txt")).read_text(encoding="utf-8")

    generic = clean(text=page)
    assert generic["outlet"] is None
    assert (generic["title"], generic["authors"], generic["paragraphs"]) != (
        spec["title"], spec["authors"], spec["paragraphs"]
    )

    shutil.copy(DEFAULT_RULES_DIR / f"{OUTLET}.yaml", rules_without_outlet)
    result = clean(text=page)
    assert result["outlet"] == OUTLET
    assert result["title"] == spec["title"]
    assert result["authors"] == spec["authors"]
    assert result["date"] == spec["date"]
    assert [{"text": c["text"], "credit": c["credit"]} for c in result["captions"]] == spec[
        "captions"
    ]
    assert [fold(p) for p in result["paragraphs"]] == spec["paragraphs"]


def test_no_python_code_names_the_outlet() -> None:
    names = ("ukrainska", "pravda")
    for path in (ROOT / "service").rglob("*.py"):
        text = path.read_text(encoding="utf-8").lower()
        assert not any(name in text for name in names), f"{path.name} names the outlet"
