"""The HTTP client and the integrations that talk to a remote service import with urllib3
alone: a crawler that only calls the service does not load the cleaning engine."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

# Modules that only the engine (or the HTTP door) needs.
HEAVY = ("selectolax", "trafilatura", "resiliparse", "lxml", "flask", "gunicorn", "re2",
         "yaml", "jsonschema", "prometheus_client", "numpy", "lightgbm", "htmldate")


def loaded_after(statement: str) -> list[str]:
    code = (f"{statement}\nimport json, sys\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("statement", [
    "import service",
    "import service.client",
    "from service.client import Client",
    "from service.integrations.scrapy import CleanerPipeline",
])
def test_importing_the_client_side_loads_no_engine(statement: str) -> None:
    loaded = loaded_after(statement)
    assert [m for m in HEAVY if m in loaded] == []
    assert "service" in loaded


def test_clean_still_loads_the_engine_on_first_use() -> None:
    loaded = loaded_after("from service import clean")
    assert "selectolax" in loaded


def test_the_console_command_is_installed_and_answers() -> None:
    command = shutil.which("news-cleaner", path=str(ROOT / ".venv" / "bin")) \
        or shutil.which("news-cleaner")
    if command is None:
        pytest.skip("the package is not installed with its console scripts here")
    done = subprocess.run([command, "--help"], capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0
    assert "clean" in done.stdout and "serve" in done.stdout
