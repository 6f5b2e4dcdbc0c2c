"""`python -m service clean-batch`: clean a JSONL file of pages, in-process or via a service.

    python -m service clean-batch pages.jsonl -o cleaned.jsonl [--workers N] [--resume]
    python -m service clean-batch pages.jsonl --remote http://cleaner:8080 > cleaned.jsonl

The input is UTF-8 unless it starts with a byte order mark (UTF-8, UTF-16 or UTF-32, as
Windows tools write) or `--charset` names its encoding; lines are decoded by the decoder
every door shares (engine/decoding.py). Each input line is one page,
`{"id"?, "text"|"html", "url"?, "outlet"?}`; each output
line is what the batch endpoint answers for it, in input order: `{"id", "status": 200,
"result"}` or `{"id", "status", "problem"}`, where `id` is the line's own id or its index
among the non-blank lines. A bad line is a problem line, never a crash. Output is flushed
chunk by chunk, so an interrupted run leaves whole lines that `--resume` skips next time.

Exit status: 0 when every line was answered (problems included), 2 for bad arguments,
5 when a file cannot be read or written (or is not in its encoding), 6 when the remote
service fails, 130 on Ctrl-C,
141 when the reader of stdout goes away.
"""

from __future__ import annotations

import argparse
import errno
import io
import json
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any

from ..engine.decoding import charset_encoding, decode_text, stream_codec
from ..errors import BadInput, CleanError
from .items import answer, check_id, item_id, page_arguments

LOCAL_CHUNK = 16  # pages per task sent to a worker process: amortises the pickling
INFLIGHT_PER_WORKER = 2  # chunks queued per worker: keeps workers busy, memory bounded


class BatchFailed(Exception):
    """The run cannot go on; the message says why."""


@dataclass(frozen=True)
class Entry:
    """One input line: the page's fields for `clean()`, or the problem that refused it."""

    id: Any
    item: dict[str, Any] | None = None
    problem: dict[str, Any] | None = None


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.resume and not args.output:
        print("error: --resume needs an output file (-o)", file=sys.stderr)
        return 2
    if args.charset and charset_encoding(args.charset) is None:
        print(f"error: unknown charset {args.charset!r}", file=sys.stderr)
        return 2
    try:
        return _run(args)
    except BatchFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 6
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 5
    except KeyboardInterrupt:
        print("interrupted; run again with --resume to continue", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m service clean-batch",
        description="Clean a JSONL file of pages; write one JSON line per page, in order.",
    )
    parser.add_argument("input", help="JSONL input, one page per line (- reads stdin)")
    parser.add_argument("-o", "--output", help="JSONL output file (default: stdout)")
    parser.add_argument(
        "--workers", type=_positive, default=os.cpu_count() or 1,
        help="worker processes, or concurrent requests with --remote (default: CPU count)",
    )
    parser.add_argument("--remote", metavar="URL", help="send the pages to a running service")
    parser.add_argument(
        "--token", default=os.environ.get("CLEANER_API_TOKEN"),
        help="bearer token for --remote (default: $CLEANER_API_TOKEN)",
    )
    parser.add_argument(
        "--batch-size", type=_positive, default=50, help="pages per request with --remote"
    )
    parser.add_argument(
        "--charset", help="the input's encoding when it has no byte order mark (default UTF-8)"
    )
    parser.add_argument(
        "--resume", action="store_true",
        help="append to the output, skipping ids it already holds",
    )
    return parser


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _run(args: argparse.Namespace) -> int:
    if args.output and args.input != "-" and _same_file(args.input, args.output):
        raise OSError(17, "the output would overwrite the input", args.output)
    source = _open_input(args.input)  # before the output: a typo must not truncate it
    done = _done_ids(Path(args.output)) if args.resume else set()
    lines, charset = input_lines(source, args.charset, args.input)
    entries = (e for e in read_entries(lines, charset=charset) if _id_key(e.id) not in done)
    sink = _open_output(args.output, append=args.resume)
    counts = {"cleaned": 0, "problems": 0}
    try:
        with _progress(args.input, skipped=len(done)) as bar:
            for line in _answer(entries, args):
                sink.write(json.dumps(line, ensure_ascii=False) + "\n")
                counts["cleaned" if line["status"] == 200 else "problems"] += 1
                bar.update(1)
    finally:
        sink.flush()
        if sink is not sys.stdout:
            sink.close()
        if source is not sys.stdin.buffer:
            source.close()
    skipped = f", {len(done)} skipped (already in the output)" if done else ""
    print(
        f"clean-batch: {counts['cleaned']} cleaned, {counts['problems']} problems{skipped}",
        file=sys.stderr,
    )
    return 0


def _same_file(a: str, b: str) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def _open_input(name: str) -> IO[bytes]:
    if name == "-":
        return sys.stdin.buffer
    path = Path(name)
    if not path.is_file():
        raise OSError(2, "no such input file" if not path.exists() else "not a file", name)
    return path.open("rb")


def _open_output(name: str | None, append: bool) -> IO[str]:
    if not name:
        return sys.stdout
    return open(name, "a" if append else "w", encoding="utf-8")  # noqa: SIM115 - closed by caller


def input_lines(
    source: IO[bytes], charset: str | None, name: str = "-"
) -> tuple[Iterator[bytes], str | None]:
    """The input's lines, and the charset to decode each with. A UTF-16 or UTF-32 file (by
    its BOM or `charset`) cannot be split at b"\\n": it is read as text, its lines passed
    on as UTF-8."""
    codec = stream_codec(source.peek(4096)[:4096], charset)
    if codec is None:
        return iter(source), charset
    return _transcoded(source, codec, name), None


def _transcoded(source: IO[bytes], codec: str, name: str) -> Iterator[bytes]:
    try:
        for line in io.TextIOWrapper(source, encoding=codec):
            yield line.encode("utf-8", "surrogatepass")
    except UnicodeDecodeError as exc:
        raise OSError(errno.EILSEQ, f"not valid {codec} text: {exc.reason}", name) from None


def read_entries(
    lines: Iterable[bytes], id_prefix: str = "", charset: str | None = None
) -> Iterator[Entry]:
    """One `Entry` per non-blank input line; a line that is not a page becomes a problem.

    A page without an id gets its index among the non-blank lines, after `id_prefix` if
    one is given (then the id is a string, e.g. "part-3.jsonl:17"). Lines are UTF-8 (a BOM
    on the first is dropped) unless `charset` names another encoding.
    """
    index = 0
    for raw in lines:
        if not raw.strip():
            continue
        yield _entry(raw, f"{id_prefix}{index}" if id_prefix else index, charset)
        index += 1


def _entry(raw: bytes, index: int | str, charset: str | None = None) -> Entry:
    try:
        payload = json.loads(decode_text(raw, charset).text)
    except CleanError as error:
        return _refused(index, f"the line cannot be read: {error.detail}")
    except (ValueError, RecursionError):
        return _refused(index, "the line is not valid JSON")
    line_id = item_id(payload, index)
    try:
        check_id(payload)
        return Entry(line_id, item=page_arguments(payload, with_id=True))
    except BadInput as error:
        return _refused(line_id, error.detail)


def _refused(line_id: Any, detail: str) -> Entry:
    return Entry(line_id, problem=BadInput(detail).problem())


def _id_key(item_id: Any) -> str:
    # JSON text keeps 7 and "7" apart, as they are in the files.
    return json.dumps(item_id)


def _done_ids(path: Path) -> set[str]:
    """Ids already answered in the output; a torn last line (a killed run) is cut off."""
    if not path.exists():
        return set()
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        data = data[: data.rfind(b"\n") + 1]
        with path.open("r+b") as handle:
            handle.truncate(len(data))
    done = set()
    for raw in data.splitlines():
        try:
            done.add(_id_key(json.loads(raw)["id"]))
        except (ValueError, KeyError, TypeError):
            continue
    return done


def _answer(entries: Iterator[Entry], args: argparse.Namespace) -> Iterator[dict[str, Any]]:
    if args.remote:
        yield from _answer_remote(entries, args)
    elif args.workers == 1:
        for chunk in _chunks(entries, LOCAL_CHUNK):
            yield from clean_entries(chunk)
    else:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["service.engine.pipeline"])
        with ProcessPoolExecutor(args.workers, mp_context=context) as pool:
            try:
                yield from _in_order(pool, clean_entries, _chunks(entries, LOCAL_CHUNK), args)
            except BrokenProcessPool:
                raise BatchFailed("a worker process died (out of memory?)") from None


def _answer_remote(entries: Iterator[Entry], args: argparse.Namespace) -> Iterator[dict]:
    from ..client import Client, ClientError

    with Client(args.remote, token=args.token) as client, ThreadPoolExecutor(args.workers) as pool:
        send = _RemoteBatch(client)
        try:
            yield from _in_order(pool, send, _chunks(entries, args.batch_size), args)
        except ClientError as exc:
            raise BatchFailed(f"the service at {args.remote} failed: {exc}") from None


def _in_order(
    pool: Executor,
    task: Callable[[list[Entry]], list[dict]],
    chunks: Iterator[list[Entry]],
    args: argparse.Namespace,
) -> Iterator[dict[str, Any]]:
    """Run `task` over the chunks in parallel, yielding the answers in input order."""
    window: deque = deque()
    try:
        for chunk in chunks:
            window.append(pool.submit(task, chunk))
            if len(window) >= args.workers * INFLIGHT_PER_WORKER:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()
    finally:
        for future in window:
            future.cancel()


def _chunks(entries: Iterator[Entry], size: int) -> Iterator[list[Entry]]:
    while chunk := list(islice(entries, size)):
        yield chunk


def clean_entries(entries: list[Entry]) -> list[dict[str, Any]]:
    """Answer entries in this process: one output line each."""
    return [_clean_entry(entry) for entry in entries]


def _clean_entry(entry: Entry) -> dict[str, Any]:
    if entry.problem is not None:
        return {"id": entry.id, "status": entry.problem["status"], "problem": entry.problem}
    return answer(entry.item, entry.id)


class _RemoteBatch:
    """Answer a chunk through the service's batch endpoint; refused lines never leave."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def __call__(self, entries: list[Entry]) -> list[dict[str, Any]]:
        pages = [{"id": e.id, **e.item} for e in entries if e.problem is None]
        answers = self.client.clean_many(pages, batch_size=max(len(pages), 1))
        lines = [_clean_entry(e) if e.problem is not None else next(answers, None) for e in entries]
        if None in lines:
            raise BatchFailed("the service answered fewer lines than it was sent")
        return lines


def _progress(input_name: str, skipped: int) -> Any:
    from tqdm import tqdm

    total = _count_lines(input_name)
    return tqdm(
        total=total, initial=skipped if total else 0, unit="page", file=sys.stderr,
        disable=not sys.stderr.isatty(), dynamic_ncols=True,
    )


def _count_lines(name: str) -> int | None:
    """Pages in a regular input file (for the progress bar's total); None for a pipe."""
    if name == "-" or not Path(name).is_file():
        return None
    count = 0
    with open(name, "rb") as handle:
        for raw in handle:
            count += bool(raw.strip())
    return count
