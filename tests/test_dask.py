"""The Dask path: JSONL files cleaned on a real two-process LocalCluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEEDS

from service import clean

pytest.importorskip("dask.bag", reason="dask is an optional dependency (the dev group)")
distributed = pytest.importorskip("dask.distributed", reason="needs dask.distributed")

from service.integrations.dask import clean_jsonl  # noqa: E402 - after the skip

SEED_001 = (SEEDS / "001_cabdf59f935a869e.txt").read_text(encoding="utf-8")
SEED_003 = (SEEDS / "003_367625e2b7a9f315.txt").read_text(encoding="utf-8")
SEED_004 = (SEEDS / "004_30a59d0e4a8cb1b4.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cluster_client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def write_jsonl(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_every_page_of_every_file_is_cleaned_in_order(cluster_client, tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", [
        json.dumps({"id": "kyiv", "text": SEED_001}),
        json.dumps({"text": SEED_003}),
        "{broken",
    ])
    second = write_jsonl(tmp_path / "b.jsonl", [json.dumps({"text": SEED_004})])

    written = clean_jsonl([first, second], str(tmp_path / "out"), client=cluster_client)

    assert [Path(p).name for p in written] == ["part-00000.jsonl", "part-00001.jsonl"]
    a, b = ([json.loads(line) for line in Path(p).read_text().splitlines()] for p in written)
    assert [(line["id"], line["status"]) for line in a] == [
        ("kyiv", 200), ("a.jsonl:1", 200), ("a.jsonl:2", 400)
    ]
    assert a[0]["result"] == clean(text=SEED_001)
    assert a[1]["result"] == clean(text=SEED_003)
    assert a[2]["problem"]["detail"] == "the line is not valid JSON"
    assert [(line["id"], line["status"]) for line in b] == [("b.jsonl:0", 200)]
    assert b[0]["result"]["paragraphs"] == a[1]["result"]["paragraphs"]  # 003 and 004: one story


def test_the_cleaning_runs_on_the_cluster_workers(cluster_client, tmp_path: Path) -> None:
    for n in range(4):
        write_jsonl(tmp_path / f"{n}.jsonl", [json.dumps({"text": SEED_003})])
    with distributed.get_task_stream(cluster_client) as stream:
        written = clean_jsonl(str(tmp_path / "*.jsonl"), str(tmp_path / "out"), cluster_client)
    workers = {t["worker"] for t in stream.data if "clean_partition" in str(t["key"])}
    assert workers and workers <= set(cluster_client.scheduler_info()["workers"])
    assert len(written) == 4
    assert all(json.loads(Path(p).read_text())["status"] == 200 for p in written)
