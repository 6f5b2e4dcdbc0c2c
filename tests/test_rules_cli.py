"""`python -m service rules check|explain|new`: what rule authors and CI run.

Most cases call `rules_cli.main()` in-process (fast); the ones about exit codes and "never a
traceback" run the real command.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import copy_rules, run_service

from service.rules import DEFAULT_RULES_DIR, load_rule_file
from service.rules import cli as rules_cli

KI_FIXTURES = DEFAULT_RULES_DIR / "fixtures" / "kyiv_independent"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_service("rules", *args, env=env)


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    return copy_rules(tmp_path / "rules", with_fixtures=True)


def test_check_passes_on_the_project_rules() -> None:
    done = run("check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 files failing" in done.stdout
    for outlet in ("kyiv_independent", "moscow_times", "ukrainska_pravda"):
        assert f"{outlet}.yaml: ok" in done.stdout


def test_check_fails_on_a_pattern_re2_cannot_compile(rules_copy: Path) -> None:
    path = rules_copy / "moscow_times.yaml"
    path.write_text(path.read_text().replace("'^Related article: \\S'", "'^(?=Related) \\S'", 1))
    done = run("check", str(rules_copy))
    assert done.returncode == 1
    assert "moscow_times.yaml: FAIL" in done.stdout
    assert "does not compile on RE2" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_check_fails_on_schema_violation(rules_copy: Path, capsys: pytest.CaptureFixture) -> None:
    path = rules_copy / "kyiv_independent.yaml"
    path.write_text(path.read_text().replace("  tail_kind: related", "  tail_kind: Not A Kind"))
    assert rules_cli.main(["check", str(rules_copy)]) == 1
    out = capsys.readouterr().out
    assert "kyiv_independent.yaml: FAIL" in out and "text.tail_kind" in out


def test_check_fails_when_a_fixture_expects_something_else(
    rules_copy: Path, capsys: pytest.CaptureFixture
) -> None:
    spec = rules_copy / "fixtures" / "moscow_times" / "hospital_web.json"
    spec.write_text(spec.read_text().replace('"Denis Orlov"', '"Somebody Else"'))
    assert rules_cli.main(["check", str(rules_copy / "moscow_times.yaml")]) == 1
    out = capsys.readouterr().out
    assert "hospital_web.json: authors is ['Denis Orlov'], expected ['Somebody Else']" in out


def test_check_fails_on_a_rule_file_without_fixtures(
    rules_copy: Path, capsys: pytest.CaptureFixture
) -> None:
    shutil.rmtree(rules_copy / "fixtures" / "ukrainska_pravda")
    assert rules_cli.main(["check", str(rules_copy)]) == 1
    assert "no fixtures" in capsys.readouterr().out


def test_check_reports_rules_no_fixture_fired(
    rules_copy: Path, capsys: pytest.CaptureFixture
) -> None:
    path = rules_copy / "moscow_times.yaml"
    extra = "    - {kind: promo, pattern: '^Never on any fixture page$'}\n"
    path.write_text(path.read_text().replace("  title: {", extra + "\n  title: {", 1))
    assert rules_cli.main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "unused (fired on no fixture)" in out and "Never on any fixture page" in out
    assert rules_cli.main(["check", "--strict", str(path)]) == 1


def test_check_of_a_missing_path_is_a_clear_error() -> None:
    done = run("check", "no/such/rules")
    assert done.returncode == 1
    assert done.stderr.startswith("error:") and "Traceback" not in done.stderr


def test_explain_marks_each_line(capsys: pytest.CaptureFixture) -> None:
    page = KI_FIXTURES / "substation_web.txt"
    assert rules_cli.main(["explain", str(page), "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "# outlet: kyiv_independent" in out
    lines = out.splitlines()
    byline = next(
        ln
        for ln in lines
        if ln.endswith(
            "| by Oksana Hrytsenko and Dmytro Levchuk November 14, 2024 8:12 AM 3 min read"
        )
    )
    assert byline.startswith("- byline") and "kyiv_independent:text.bylines[0]" in byline
    kept = next(ln for ln in lines if "| Repairs could take days" in ln)
    assert kept.startswith("+ body")
    assert "\033[" not in out


def test_explain_colours_only_when_asked_or_on_a_terminal(capsys: pytest.CaptureFixture) -> None:
    page = str(KI_FIXTURES / "radar_feed.txt")
    assert rules_cli.main(["explain", page, "--color", "always"]) == 0
    assert "\033[32m" in capsys.readouterr().out
    assert rules_cli.main(["explain", page]) == 0  # captured stdout is no terminal
    assert "\033[" not in capsys.readouterr().out


def test_explain_honours_no_color_and_reads_html() -> None:
    env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
    done = run("explain", "--html", str(KI_FIXTURES / "substation.html"), env=env)
    assert done.returncode == 0, done.stderr
    assert "\033[" not in done.stdout
    assert "- caption" in done.stdout and "html:figcaption" in done.stdout


def test_explain_bad_input_is_a_clear_error() -> None:
    done = run("explain", "no-such-page.txt")
    assert done.returncode == 1 and "no-such-page.txt" in done.stderr
    done = run("explain", str(KI_FIXTURES / "radar_feed.txt"), "--outlet", "nope")
    assert done.returncode == 1 and "no rule set with id 'nope'" in done.stderr
    assert "Traceback" not in done.stderr


def test_new_scaffolds_a_valid_rule_file_and_fixture_folder(
    rules_copy: Path, capsys: pytest.CaptureFixture
) -> None:
    assert rules_cli.main(["new", "https://www.meduza.io/en/news", "--dir", str(rules_copy)]) == 0
    path = rules_copy / "meduza.yaml"
    rs = load_rule_file(path)
    assert (rs.id, rs.domains) == ("meduza", ("meduza.io",))
    assert (rules_copy / "fixtures" / "meduza").is_dir()
    assert "created" in capsys.readouterr().out
    # Until pages are added, the new file's check fails and says why.
    assert rules_cli.main(["check", str(path)]) == 1
    assert "no fixtures" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("domain", "outlet_id"),
    [
        ("example-news.com.ua", "example_news"),
        ("news.example-site.co.uk", "news_example_site"),
        ("www.meduza.io", "meduza"),
        ("24tv.ua", "outlet_24tv"),
    ],
)
def test_new_derives_the_id_from_the_domain(domain: str, outlet_id: str) -> None:
    assert rules_cli.outlet_id_from(rules_cli.domain_from(domain)) == outlet_id


def test_new_refuses_bad_domains_and_existing_files(rules_copy: Path) -> None:
    done = run("new", "not a domain", "--dir", str(rules_copy))
    assert done.returncode == 1 and "not a domain name" in done.stderr
    done = run("new", "themoscowtimes.com", "--id", "moscow_times", "--dir", str(rules_copy))
    assert done.returncode == 1 and "already exists" in done.stderr
    assert "Traceback" not in done.stderr
