"""Every rule file's fixture pages clean to their expected results.

Fixtures live beside the rules (`rules/fixtures/<outlet_id>/<name>.txt|.html` with
`<name>.json`, the fields of tests/fixtures/seeds/*.json). One parametrised test walks every
fixture of every rule file through `service.clean()`, sent with no hints, as a crawler would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from contract import problems

from service import clean
from service.rules import DEFAULT_RULES_DIR, load_rules

RULESETS = load_rules(DEFAULT_RULES_DIR)


def fixture_cases() -> list[pytest.param]:
    cases = []
    for rs in RULESETS.values():
        for spec in sorted(rs.fixtures.rglob("*.json")):
            name = spec.relative_to(rs.fixtures).with_suffix("").as_posix()
            limit = json.loads(spec.read_text(encoding="utf-8")).get("known_limit")
            marks = [pytest.mark.xfail(strict=True, reason=limit)] if limit else []
            cases.append(pytest.param(rs.id, spec, id=f"{rs.id}/{name}", marks=marks))
    return cases


def load_case(spec_path: Path) -> tuple[dict, str, bool]:
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    source = spec_path.with_name(spec.get("input", spec_path.stem + ".txt"))
    return spec, source.read_text(encoding="utf-8"), spec.get("format") == "html"


@pytest.mark.parametrize("outlet_id", sorted(RULESETS))
def test_every_rule_file_has_fixtures(outlet_id: str) -> None:
    specs = list(RULESETS[outlet_id].fixtures.rglob("*.json"))
    assert specs, f"rules/{outlet_id}.yaml has no fixture pages"


@pytest.mark.parametrize(("outlet_id", "spec_path"), fixture_cases())
def test_fixture_cleans_to_expected(outlet_id: str, spec_path: Path) -> None:
    """Every field, offsets pointing at the stripped text, kept plus stripped covering the
    input (for HTML: the text it rendered to), and every stripped piece naming its rule."""
    spec, page, is_html = load_case(spec_path)
    result = clean(**{"html" if is_html else "text": page}, url=spec.get("url"))
    assert spec["outlet"] == outlet_id, "a fixture belongs to the rule file it sits under"
    assert problems(result, spec, result.get("rendered_text", page)) == []
    assert all(s["rule"] for s in result["stripped"]), "every stripped piece names its rule"
