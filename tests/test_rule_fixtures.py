"""Every rule file's fixture pages clean to their expected results.

Fixtures live beside the rules (`rules/fixtures/<outlet_id>/<name>.txt|.html` with
`<name>.json`, the fields of tests/fixtures/seeds/*.json). One parametrised test walks every
fixture of every rule file through `service.clean()`, sent with no hints, as a crawler would.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from service import clean
from service.rules import DEFAULT_RULES_DIR, fixtures_dir, load_rules

RULESETS = load_rules(DEFAULT_RULES_DIR)
TOKEN = re.compile(r"\w+")


def fold(text: str | None) -> str:
    return " ".join((text or "").split())


def fixture_cases() -> list[pytest.param]:
    cases = []
    for rs in RULESETS.values():
        for spec in sorted(fixtures_dir(rs).glob("*.json")):
            cases.append(pytest.param(rs.id, spec, id=f"{rs.id}/{spec.stem}"))
    return cases


def load_case(spec_path: Path) -> tuple[dict, str, bool]:
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    source = spec_path.with_name(spec.get("input", spec_path.stem + ".txt"))
    return spec, source.read_text(encoding="utf-8"), spec.get("format") == "html"


@pytest.mark.parametrize("outlet_id", sorted(RULESETS))
def test_every_rule_file_has_fixtures(outlet_id: str) -> None:
    specs = list(fixtures_dir(RULESETS[outlet_id]).glob("*.json"))
    assert specs, f"rules/{outlet_id}.yaml has no fixture pages"


@pytest.mark.parametrize(("outlet_id", "spec_path"), fixture_cases())
def test_fixture_cleans_to_expected(outlet_id: str, spec_path: Path) -> None:
    spec, page, is_html = load_case(spec_path)
    result = clean(**{"html" if is_html else "text": page})

    assert spec["outlet"] == outlet_id, "a fixture belongs to the rule file it sits under"
    assert result["outlet"] == spec["outlet"]
    assert result["title"] == spec["title"]
    assert result["authors"] == spec["authors"]
    if spec["date"] is None:
        assert result["date"] is None
    else:
        assert result["date"] is not None and result["date"].startswith(spec["date"])
    assert [{"text": c["text"], "credit": c["credit"]} for c in result["captions"]] == spec[
        "captions"
    ]
    assert [fold(p) for p in result["paragraphs"]] == spec["paragraphs"]

    stripped = result["stripped"]
    blob = fold(" ".join(s["text"] for s in stripped))
    missing = [t for t in spec.get("stripped_texts", []) if fold(t) not in blob]
    assert not missing, f"not reported stripped: {missing}"
    kinds = {s["kind"] for s in stripped}
    assert set(spec.get("kinds", [])) <= kinds
    assert all(s["rule"] for s in stripped), "every stripped piece names the rule that fired"


@pytest.mark.parametrize(("outlet_id", "spec_path"), fixture_cases())
def test_fixture_input_is_accounted_for(outlet_id: str, spec_path: Path) -> None:
    """Offsets point at the stripped text, and kept plus stripped cover the whole input."""
    spec, page, is_html = load_case(spec_path)
    result = clean(**{"html" if is_html else "text": page})
    source = result.get("rendered_text", page)
    for entry in result["stripped"]:
        assert fold(source[entry["start"] : entry["end"]]) == fold(entry["text"])
    accounted = " ".join(result["paragraphs"] + [s["text"] for s in result["stripped"]])
    assert len(TOKEN.findall(accounted)) >= 0.99 * len(TOKEN.findall(source))
