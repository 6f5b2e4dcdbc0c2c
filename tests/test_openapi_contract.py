"""The service matches its own OpenAPI document: schemathesis fuzzes every operation of a
real gunicorn and validates each response (no server errors, documented statuses, bodies
that match the schemas)."""

from __future__ import annotations

import json
import urllib.request

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from service import clean

OPERATIONS = [
    "POST /v1/clean",
    "POST /v1/clean/batch",
    "GET /v1/outlets",
    "GET /healthz",
    "GET /metrics",
]


@pytest.fixture(scope="module")
def api_schema(server):
    return schemathesis.openapi.from_url(server + "/openapi.json")


def test_the_document_lists_every_route(api_schema):
    found = {
        f"{op.method.upper()} {op.path}" for op in (r.ok() for r in api_schema.get_all_operations())
    }
    assert found == set(OPERATIONS)


@pytest.mark.parametrize("name", OPERATIONS)
def test_every_operation_conforms(api_schema, name):
    method, path = name.split()
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate()

    check()


def test_real_results_match_the_result_schema(server):
    import jsonschema

    with urllib.request.urlopen(server + "/openapi.json", timeout=10) as response:
        document = json.load(response)
    result_schema = {
        **document["components"]["schemas"]["Result"],
        "components": document["components"],
    }
    page = (pytest.importorskip("conftest").SEEDS / "001_cabdf59f935a869e.txt").read_text()
    jsonschema.validate(clean(page), result_schema)
    jsonschema.validate(
        clean(html="<h1>A title</h1><p>" + "Some words. " * 30 + "</p>"), result_schema
    )
