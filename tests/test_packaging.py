"""The container runs what the tests run, and the compose file is valid Compose."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import yaml
from conftest import ROOT, SERVE_COMMAND


def dockerfile_cmd() -> list[str]:
    text = (ROOT / "Dockerfile").read_text()
    match = re.search(r"^CMD (\[.*\])\s*$", text, re.M)
    assert match, "the Dockerfile has an exec-form CMD"
    return json.loads(match.group(1))


def test_dockerfile_runs_the_serve_command_the_tests_run():
    cmd = dockerfile_cmd()
    assert cmd[0] == "python" and cmd[1:4] == SERVE_COMMAND[1:4] == ["-m", "service", "serve"]
    options = dict(zip(cmd[4::2], cmd[5::2], strict=True))
    assert options == {"--host": "0.0.0.0", "--port": "8080"}


def test_dockerfile_is_non_root_and_health_checked():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", text, re.M)
    assert re.search(r"^USER (?!root|0\b)\S+$", text, re.M)
    assert "HEALTHCHECK" in text and "/healthz" in text


def test_compose_file_matches_the_compose_specification():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            str(ROOT / "docker-compose.yml"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_compose_runs_the_cleaner_as_a_sidecar():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    cleaner = compose["services"]["cleaner"]
    assert "8080:8080" in cleaner["ports"][0]
    assert "/healthz" in " ".join(cleaner["healthcheck"]["test"])
    rules = [v for v in cleaner["volumes"] if v["target"] == "/app/rules"]
    assert rules and rules[0]["read_only"] is True
    assert not str(cleaner["user"]).startswith("0")
    crawler = compose["services"]["crawler"]
    assert "http://cleaner:8080" in crawler["command"]
    assert crawler["depends_on"]["cleaner"]["condition"] == "service_healthy"


def test_the_wheel_the_container_installs_carries_every_served_file(tmp_path):
    # The image runs `pip install .` (not editable): whatever the app reads beside its code
    # must travel in the wheel.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    import zipfile

    names = set(zipfile.ZipFile(next(tmp_path.glob("*.whl"))).namelist())
    package = ROOT / "service"
    needed = [
        p.relative_to(ROOT).as_posix()
        for pattern in ("doors/*.json", "doors/docs/*", "doors/static/*", "models/data/*")
        for p in package.glob(pattern)
    ]
    assert needed and set(needed) <= names
