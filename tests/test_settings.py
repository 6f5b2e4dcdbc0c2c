"""Settings: read from the environment once, typed, and refused clearly when unusable."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_service

from service.settings import Settings, SettingsError, get_settings, override


def test_environment_values_are_typed() -> None:
    settings = Settings.from_env({"PORT": "9000", "CLEAN_TIMEOUT_S": "2.5", "RULES_DIR": "/r",
                                  "CLEANER_API_TOKEN": "t", "MAX_BODY_BYTES": " 1024 "})
    assert (settings.port, settings.clean_timeout_s, settings.rules_dir) == (9000, 2.5, Path("/r"))
    assert (settings.api_token, settings.max_body_bytes) == ("t", 1024)


def test_unset_and_empty_values_keep_the_defaults() -> None:
    assert Settings.from_env({"PORT": "", "WEB_CONCURRENCY": "  "}) == Settings()


@pytest.mark.parametrize("name, value", [("PORT", "eighty"), ("MAX_BODY_BYTES", "-1"),
                                         ("CLEAN_TIMEOUT_S", "soon")])
def test_an_unusable_value_names_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_the_cli_refuses_a_bad_setting_with_a_message() -> None:
    done = run_service("serve", env={**os.environ, "MAX_BODY_BYTES": "lots"})
    assert done.returncode == 4
    assert "MAX_BODY_BYTES='lots'" in done.stderr
    assert "Traceback" not in done.stderr


def test_override_applies_within_the_block_only() -> None:
    before = get_settings()
    with override(max_batch_items=3) as inside:
        assert get_settings() is inside and inside.max_batch_items == 3
    assert get_settings() is before
