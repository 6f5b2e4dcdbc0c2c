"""The benchmark harness: folds by site across both sets, the metrics, the systems."""

from service.tools import bench, datasets
from service.tools.metric import score_snippets, snippet_counts


def test_fold_is_by_site_and_ignores_www():
    a = datasets.fold_of("https://www.example.com/a")
    assert a == datasets.fold_of("http://example.com/other/page")
    assert 0 <= a < datasets.N_FOLDS


def test_site_of_archived_pages_and_file_names():
    assert datasets.site_of(
        "https://web.archive.org/web/20160526181643/http://ordnungsrausch.com/x/") == (
        "ordnungsrausch.com")
    assert datasets.site_of("hard::iwr.de.IWR-Pressedienst.html") == "iwr.de"
    assert datasets.site_of("hard::laestrella.com.pa-laboral.html") == "laestrella.com.pa"


def test_decode_page_as_a_crawler_would():
    assert datasets.decode_page("é".encode()) == "é"
    latin = '<meta charset="iso-8859-1"><p>caf\xe9</p>'.encode("latin-1")
    assert datasets.decode_page(latin).endswith("café</p>")
    assert datasets.decode_page(b"caf\xe9 \x80") == "café €"  # Windows-1252


def test_snippet_metric_counts_found_and_leaked_snippets():
    counts = snippet_counts(["the  body text", "missing"], ["Impressum", "menu"],
                            "The start\nthe body\ntext and menu")
    assert counts == (1, 1, 1, 1)
    f1, p, r = score_snippets([counts, (1, 0, 0, 1)])
    assert (p, r) == (2 / 3, 2 / 3) and abs(f1 - 2 / 3) < 1e-12


def test_lines_as_paragraphs_escapes_and_skips_blank_lines():
    html = bench.lines_as_paragraphs("a < b\n\n  \nc & d")
    assert html.count("<p>") == 2
    assert "a &lt; b" in html and "c &amp; d" in html


def test_every_learned_part_has_a_cross_validated_row():
    for track in ("text", "html"):
        names = [name for name, _fn in bench.systems(track, peers=False)]
        assert names == ["this project", bench.CV_ROW]


def test_fold_models_exist_for_every_fold():
    for track in ("text", "html"):
        models = bench.fold_models(track)
        assert len(models) == datasets.N_FOLDS
        assert all(m.features == models[0].features for m in models)
