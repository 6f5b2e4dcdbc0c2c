"""The real captured pages of both outlets in ../shared/real-pages (the truth the rules
answer to) clean to their expected results, with the url hint and without it.

They are read from their path, not copied: CI has ../shared beside the project too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT

from service import clean
from service.rules.check import compare_result

REAL_PAGES = ROOT.parent / "shared" / "real-pages"
# Without the url, a capture with no text of its outlet cannot be told to be the outlet's.
NO_URL_LIMITS = {
    "mt_25": "body only (an opinion piece's paragraphs): no Moscow Times text at all",
}


def cases() -> list:
    if not REAL_PAGES.is_dir():
        return []
    params = []
    for spec in sorted(REAL_PAGES.glob("*.json")):
        for with_url in (True, False):
            limit = None if with_url else NO_URL_LIMITS.get(spec.stem)
            marks = [pytest.mark.xfail(strict=True, reason=limit)] if limit else []
            label = f"{spec.stem}-{'url' if with_url else 'no-url'}"
            params.append(pytest.param(spec, with_url, id=label, marks=marks))
    return params


@pytest.mark.skipif(not REAL_PAGES.is_dir(), reason="no ../shared/real-pages beside the project")
@pytest.mark.parametrize(("spec_path", "with_url"), cases())
def test_real_page_cleans_to_expected(spec_path: Path, with_url: bool) -> None:
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    source = spec_path.with_name(spec.get("input", spec_path.stem + ".txt"))
    raw = source.read_text(encoding="utf-8")
    url_file = source.with_suffix(".url")
    url = spec.get("url") or (url_file.read_text().strip() if url_file.exists() else None)
    result = clean(text=raw, url=url if with_url else None)
    assert compare_result(spec, result, raw) == []
