"""`python -m service clean-batch`: in order, bad lines as problems, resume, remote, progress."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, free_port

from service import clean

SEED_NAMES = ["001_cabdf59f935a869e", "003_367625e2b7a9f315", "004_30a59d0e4a8cb1b4"]
ARTICLE_HTML = (ROOT / "tests/fixtures/ecosystem/kyiv_article.html").read_text(encoding="utf-8")


def seed(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8")


def run_batch(*args: str, stderr: int = subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "service", "clean-batch", *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr, text=True, timeout=60,
    )


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    """Three seed pages, an HTML page, and one of each kind of bad line."""
    lines = [json.dumps({"id": f"seed-{n}", "text": seed(name)}) for n, name in
             enumerate(SEED_NAMES)]
    lines += [
        json.dumps({"id": "html-1", "html": ARTICLE_HTML, "url": "https://kyivindependent.com/a/"}),
        "{not json",
        "",
        json.dumps(["a", "list"]),
        json.dumps({"text": "   "}),
        json.dumps({"text": "words", "colour": "red"}),
        json.dumps({"id": [1], "text": "words"}),
    ]
    path = tmp_path / "pages.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# Blank lines are not pages: a line's index counts the non-blank lines before it.
EXPECTED_IDS = ["seed-0", "seed-1", "seed-2", "html-1", 4, 5, 6, 7, 8]
EXPECTED_STATUSES = [200, 200, 200, 200, 400, 400, 400, 400, 400]


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def check_answers(lines: list[dict]) -> None:
    assert [line["id"] for line in lines] == EXPECTED_IDS
    assert [line["status"] for line in lines] == EXPECTED_STATUSES
    for line, name in zip(lines, SEED_NAMES, strict=False):
        assert line["result"] == clean(text=seed(name))
    assert lines[3]["result"]["captions"][0]["credit"] == "Press Service/Telegram"
    details = [line["problem"]["detail"] for line in lines[4:]]
    assert details == [
        "the line is not valid JSON",
        "each page must be a JSON object with text or html",
        "the page is empty",
        "unknown fields: colour",
        "id must be a string or an integer",
    ]


def test_in_process_pool_answers_every_line_in_order(pages: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    done = run_batch(str(pages), "-o", str(out), "--workers", "2")
    assert done.returncode == 0, done.stderr
    check_answers(read_lines(out))
    assert done.stderr.strip() == "clean-batch: 4 cleaned, 5 problems"  # no progress bar: no tty


def test_without_output_the_lines_go_to_stdout(pages: Path) -> None:
    done = run_batch(str(pages), "--workers", "1")
    assert done.returncode == 0, done.stderr
    check_answers([json.loads(line) for line in done.stdout.splitlines()])


def test_remote_gives_the_same_lines_as_in_process(pages: Path, server: str) -> None:
    done = run_batch(str(pages), "--remote", server, "--workers", "2", "--batch-size", "3")
    assert done.returncode == 0, done.stderr
    check_answers([json.loads(line) for line in done.stdout.splitlines()])


def test_resume_skips_answered_ids_and_drops_a_torn_line(pages: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    first = run_batch(str(pages), "-o", str(out), "--workers", "1")
    assert first.returncode == 0, first.stderr
    full = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(full[:2]) + full[2][:40], encoding="utf-8")  # killed mid-line

    again = run_batch(str(pages), "-o", str(out), "--workers", "2", "--resume")
    assert again.returncode == 0, again.stderr
    check_answers(read_lines(out))
    assert "7 cleaned" not in again.stderr and "2 skipped" in again.stderr


def test_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("kept\n")
    done = run_batch(str(tmp_path / "nope.jsonl"), "-o", str(out))
    assert done.returncode == 5
    assert "nope.jsonl: no such input file" in done.stderr
    assert "Traceback" not in done.stderr
    assert out.read_text() == "kept\n"  # a typo in the input never truncates the output


def test_resume_needs_an_output_file(pages: Path) -> None:
    done = run_batch(str(pages), "--resume")
    assert done.returncode == 2
    assert "--resume needs an output file" in done.stderr


def test_an_unreachable_service_is_a_clear_error(pages: Path) -> None:
    done = run_batch(str(pages), "--remote", f"http://127.0.0.1:{free_port()}")
    assert done.returncode == 6
    assert "the service at http://127.0.0.1:" in done.stderr
    assert "Traceback" not in done.stderr


def test_progress_bar_shows_on_a_terminal(pages: Path, tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        done = run_batch(str(pages), "-o", str(tmp_path / "out.jsonl"), "--workers", "1",
                         stderr=follower)
        os.close(follower)
        follower = -1
        shown = b""
        while True:
            try:
                data = os.read(leader, 4096)
            except OSError:  # the terminal's other end closed: all read
                break
            if not data:
                break
            shown += data
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    assert done.returncode == 0
    assert b"9/9" in shown and b"page" in shown
