"""Clean JSONL files of pages at scale with Dask: one machine's cores, or a whole cluster.

Each input file is one partition of a `dask.bag`; `clean` runs over whole partitions
(`map_partitions`), so a worker loads the rules once and cleans a file's pages in a row.
Each input file gives one output file of the lines `clean-batch` writes, in input order:
`{"id", "status": 200, "result"}` or `{"id", "status", "problem"}`. A page without an
`id` gets `"<file name>:<index>"`, so ids stay unique across files.

On one machine (the default scheduler, or a local cluster):

    from dask.distributed import Client, LocalCluster
    from service.integrations.dask import clean_jsonl

    with LocalCluster(n_workers=4, processes=True) as cluster, Client(cluster) as client:
        clean_jsonl(["crawl/part-0.jsonl", "crawl/part-1.jsonl"], "cleaned/", client=client)

On many machines: start `dask scheduler` on one host and `dask worker tcp://scheduler:8786`
on each of the others (each with this package installed), put the files where every
worker can read and write them (a shared disk, or s3:// with s3fs), then:

    from dask.distributed import Client
    client = Client("tcp://scheduler:8786")
    clean_jsonl("s3://bucket/crawl/*.jsonl", "s3://bucket/cleaned/", client=client)

Workers run tasks in threads, where the per-page time budget (CLEAN_TIMEOUT_S) does not
apply; run workers with `--nthreads 1` and several processes for CPU-bound cleaning.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterable
from typing import Any

INSTALL_HINT = "the Dask integration needs Dask: pip install 'dask[bag,distributed]>=2024.1'"


def _require_dask() -> Any:
    try:
        import dask.bag as db
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    return db


def clean_jsonl(
    paths: str | Iterable[str], out_dir: str, client: Any = None
) -> list[str]:
    """Clean every page of the JSONL file(s) `paths` (a glob or a list) into `out_dir`.

    Writes `out_dir/part-00000.jsonl`, ... one per input file, in the order the inputs
    sort (a glob) or are given (a list); returns their paths. `client` is a
    `dask.distributed.Client`; without one, Dask's current scheduler runs the work.
    """
    db = _require_dask()
    urlpath = paths if isinstance(paths, str) else list(paths)
    if not urlpath:
        raise ValueError("no input files given")
    bag = db.read_text(
        urlpath, blocksize=None, include_path=True, errors="surrogateescape"
    )  # blocksize=None: one partition per file, so a page's index is its index in its file
    lines = bag.map_partitions(clean_partition)
    pattern = posixpath.join(out_dir.rstrip("/"), "part-*.jsonl")
    writes = lines.to_textfiles(
        pattern, name_function=_part_name, compute=False, last_endline=True
    )
    if client is not None:
        client.compute(writes, sync=True)
    else:
        import dask

        dask.compute(*writes)
    return [pattern.replace("*", _part_name(n)) for n in range(bag.npartitions)]


def clean_partition(lines: Iterable[tuple[str, str]]) -> list[str]:
    """Output lines (JSON text) for one partition of `(input line, file path)` pairs."""
    from ..doors.batch import clean_entries, read_entries

    rows = list(lines)
    if not rows:
        return []
    prefix = posixpath.basename(rows[0][1].replace("\\", "/")) + ":"
    raw = (line.encode("utf-8", "surrogateescape") for line, _ in rows)
    answers = clean_entries(list(read_entries(raw, id_prefix=prefix)))
    return [json.dumps(answer, ensure_ascii=False) for answer in answers]


def _part_name(index: int) -> str:
    return f"{index:05d}"
