"""The metadata benchmark's metrics, as htmldate's and trafilatura's evaluations define them."""

from __future__ import annotations

from service.tools import bench, bench_metadata
from service.tools.bench_metadata import Prediction, Row


def _pages(*golds: dict) -> dict[str, dict]:
    return {str(i): {"url": "https://example.org/", "gold": gold} for i, gold in enumerate(golds)}


def test_date_scores_count_right_wrong_and_missing() -> None:
    pages = _pages({"date": "2020-01-01"}, {"date": "2020-01-02"}, {"date": "2020-01-03"})
    row = Row("x", preds={"0": Prediction(date="2020-01-01T10:00:00+01:00"),
                          "1": Prediction(date="2020-01-03"), "2": Prediction()})
    f1, precision, recall, accuracy = bench_metadata.date_scores(row, pages)
    assert (precision, recall) == (0.5, 0.5)
    assert round(f1, 3) == 0.5 and round(accuracy, 3) == 0.333


def test_loose_title_and_author_matches() -> None:
    assert bench_metadata.title_match("Bus network grows", "Bus Network Grows | Daily", loose=True)
    assert not bench_metadata.title_match("Bus network grows", "Bus Network Grows | Daily",
                                          loose=False)
    assert bench_metadata.author_match("Jane Doe; John Roe", "John Roe and Jane Doe", loose=True)
    assert not bench_metadata.author_match("Jane Doe", "Jane", loose=True)


def test_field_scores_are_shares_of_the_annotated_pages() -> None:
    pages = _pages({"title": "A", "author": None, "date": "2020-01-01"}, {"title": "B"})
    row = Row("x", preds={"0": Prediction("A", None, "2020-01-01"), "1": Prediction("C")})
    scores = bench_metadata.field_scores(row, pages)
    assert scores["title~"] == 0.5 and scores["date"] == 1.0 and scores["author~"] == 0.0


def test_bench_metadata_is_a_flag_of_the_bench_command(monkeypatch) -> None:
    seen = []
    monkeypatch.setattr(bench_metadata, "main", lambda argv: seen.append(argv) or 0)
    assert bench.main(["--metadata", "--set", "dates", "--limit", "3"]) == 0
    assert seen == [["--set", "dates", "--limit", "3"]]
    names = [name for name, _ in bench_metadata.systems("html", peers=False)]
    assert names == ["this project, with url", "this project, without url"]
