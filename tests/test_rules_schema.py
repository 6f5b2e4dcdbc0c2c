"""rules/schema.json describes the rule-file format, and every rule file (and the annotated
example in rules/README.md) follows it."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from service.rules import DEFAULT_RULES_DIR, load_rule_file

SCHEMA = json.loads((DEFAULT_RULES_DIR / "schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
RULE_FILES = sorted(DEFAULT_RULES_DIR.glob("*.yaml"))
MINIMAL = {"id": "example_news", "name": "Example News", "version": 1,
           "domains": ["example-news.com"], "text": {}}


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.stem for p in RULE_FILES])
def test_rule_file_follows_the_schema(path) -> None:
    errors = list(VALIDATOR.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
    assert not errors, [e.message for e in errors]
    load_rule_file(path)  # and compiles on RE2, with an id matching its file name


def test_readme_example_is_complete_and_valid() -> None:
    readme = (DEFAULT_RULES_DIR / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    example = yaml.safe_load(blocks[0])
    assert not list(VALIDATOR.iter_errors(example))
    for key in ("detect", "text", "html"):
        assert example[key], f"the README's example leaves out {key}"


@pytest.mark.parametrize(
    "change",
    [
        {"unknown_key": 1},
        {"id": "Bad-Id"},
        {"domains": ["https://example-news.com/"]},
        {"text": {"lines": [{"kind": "Not A Kind", "pattern": "^x$"}]}},
        {"text": {"lines": [{"kind": "promo"}]}},
        {"text": {"captions": [{"pattern": "^x$", "scope": "tail"}]}},
        {"html": {"strip": [{"selector": "nav"}]}},
        {"detect": {"signals": [{"pattern": "x"}]}},
    ],
)
def test_schema_rejects_malformed_files(change: dict) -> None:
    assert not list(VALIDATOR.iter_errors(MINIMAL))
    assert list(VALIDATOR.iter_errors({**MINIMAL, **change}))
