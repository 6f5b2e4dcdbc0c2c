"""The benchmark harness: folds by site, text-track helpers, the systems it reports."""

from service.tools import bench


def test_fold_is_by_site_and_ignores_www():
    a = bench.fold_of("https://www.example.com/a")
    assert a == bench.fold_of("http://example.com/other/page")
    assert 0 <= a < bench.N_FOLDS


def test_lines_as_paragraphs_escapes_and_skips_blank_lines():
    html = bench.lines_as_paragraphs("a < b\n\n  \nc & d")
    assert html.count("<p>") == 2
    assert "a &lt; b" in html and "c &amp; d" in html


def test_every_learned_part_has_a_cross_validated_row():
    for track in ("text", "html"):
        names = [name for name, _fn in bench.systems(track, peers=False)]
        assert names[0] == "this project"
        assert "this project, 5-fold CV by site" in names


def test_fold_models_exist_for_every_fold():
    assert len(bench._fold_models()) == bench.N_FOLDS
    assert len(bench._html_fold_models()) == bench.N_FOLDS
