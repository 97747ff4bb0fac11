"""The factory and its layered settings."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from app import DEFAULTS, ConfigError, create_app, load_config


def test_defaults_then_environment_then_overrides(tmp_path: Path) -> None:
    environ = {
        "PORTAL_PORT": "9001",
        "PORTAL_HOST": "127.0.0.9",
        "PORTAL_INSTANCE_PATH": str(tmp_path),
    }
    config = load_config(environ, {"HOST": "127.0.0.2"})
    assert config["PORT"] == 9001  # from the environment
    assert config["HOST"] == "127.0.0.2"  # the override wins
    assert config["TIMEZONE"] == DEFAULTS["TIMEZONE"]  # the default stays
    assert config["DATABASE"] == str(tmp_path / "serambi.db")


def test_database_from_environment(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.db"
    config = load_config({"PORTAL_DATABASE": str(target), "PORTAL_INSTANCE_PATH": str(tmp_path)})
    assert config["DATABASE"] == str(target)


def test_list_settings_split_on_commas(tmp_path: Path) -> None:
    config = load_config(
        {"PORTAL_VIDEO_HOSTS": "a.example, b.example", "PORTAL_INSTANCE_PATH": str(tmp_path)}
    )
    assert config["VIDEO_HOSTS"] == ("a.example", "b.example")


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"PORTAL_PORT": "eighty"}, "PORTAL_PORT"),
        ({"PORTAL_PORT": "70000"}, "PORTAL_PORT"),
        ({"PORTAL_DATABSE": "x.db"}, "PORTAL_DATABSE"),
    ],
)
def test_bad_setting_names_the_setting(tmp_path: Path, environ: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_config({**environ, "PORTAL_INSTANCE_PATH": str(tmp_path)})


def test_secret_key_made_once_and_kept_private(tmp_path: Path) -> None:
    first = load_config({"PORTAL_INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    second = load_config({"PORTAL_INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    assert first == second and len(first) >= 40
    mode = (tmp_path / "secret_key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_create_app_uses_test_mapping(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_PATH": str(tmp_path), "TESTING": True, "SITE_NAME": "Uji"})
    assert app.config["TESTING"] is True
    assert app.config["SITE_NAME"] == "Uji"
    assert app.config["DATABASE"] == str(tmp_path / "serambi.db")
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
