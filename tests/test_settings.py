"""Settings checked whole at start: every bad value named in one sentence, all of them at once."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from app import _given
from content.settings import DEFAULTS, RULES, ConfigError, load_config

ROOT = Path(__file__).resolve().parent.parent


def refused(tmp_path: Path, **environ: str) -> ConfigError:
    """The error a start with these PORTAL_* variables stops with."""
    full = {f"PORTAL_{name}": value for name, value in environ.items()}
    with pytest.raises(ConfigError) as caught:
        load_config({**full, "PORTAL_INSTANCE_PATH": str(tmp_path)})
    return caught.value


@pytest.mark.parametrize(
    ("name", "value"),
    [
        # the four the issue found accepted or failing late
        ("DEFAULT_LANGUAGE", "fr"),
        ("TIMEZONE", "Mars/Base"),
        ("SITE_URL", "ftp://x"),
        ("LOGIN_PER_MINUTE", "-3"),
        # and their kin
        ("TIMEZONE", "../etc/passwd"),
        ("SITE_URL", "https://"),
        ("SITE_URL", "balittri.example"),
        ("PORT", "70000"),
        ("PORT", "eighty"),
        ("SMTP_PORT", "0"),
        ("LIVE_TICK", "0"),
        ("LIVE_TICK", "inf"),
        ("STATS_FLUSH_INTERVAL", "nan"),
        ("SHUTDOWN_GRACE", "-1"),
        ("ARTICLES_PER_PAGE", "0"),
        ("SOCKET_PING_TIMEOUT", "0"),
        ("MAX_HEADER_BYTES", "100"),
        ("POLL_VOTES_PER_MINUTE", "0"),
        ("COUNT_VISITS", "maybe"),
        ("TRUSTED_PROXIES", "10.0.0.0/8, proxy.local"),
        ("VIDEO_HOSTS", "https://www.youtube.com/"),
        ("ALLOWED_ORIGINS", "balittri.example"),
        ("ALLOWED_ORIGINS", "https://balittri.example/halaman"),
        ("STATS_FIGURES", "members,visitors"),
        ("MAIL_FROM", "redaksi"),
        ("SITE_NAME", " "),
        ("UPLOAD_TYPES", "pdf,svg"),
        ("UPLOAD_TYPES", "html"),
    ],
)
def test_a_bad_setting_is_refused_in_one_sentence_naming_it(
    tmp_path: Path, name: str, value: str
) -> None:
    error = refused(tmp_path, **{name: value})
    assert len(error.problems) == 1
    (sentence,) = error.problems
    assert sentence.startswith(f"PORTAL_{name} ")
    assert sentence.endswith((".", "?"))
    assert "\n" not in sentence
    wrong = [part.strip() for part in value.split(",") if part.strip()]
    assert any(part in sentence for part in wrong) or not value.strip()
    assert error.report() == f"Configuration error: {sentence}"
    assert not (tmp_path / "secret_key").exists()  # a refused start leaves nothing behind


def test_every_problem_is_listed_together(tmp_path: Path) -> None:
    error = refused(
        tmp_path,
        DEFAULT_LANGUAGE="fr",
        TIMEZONE="Mars/Base",
        SITE_URL="ftp://x",
        LOGIN_PER_MINUTE="-3",
        PORT="lapan-ribu",
        TIMEZOEN="Asia/Jakarta",
    )
    named = sorted(re.match(r"PORTAL_[A-Z_]+", p).group(0) for p in error.problems)  # type: ignore[union-attr]
    assert named == [
        "PORTAL_DEFAULT_LANGUAGE",
        "PORTAL_LOGIN_PER_MINUTE",
        "PORTAL_PORT",
        "PORTAL_SITE_URL",
        "PORTAL_TIMEZOEN",
        "PORTAL_TIMEZONE",
    ]
    lines = error.report().splitlines()
    assert len(lines) == 6
    assert all(line.startswith("Configuration error: PORTAL_") for line in lines)


@pytest.mark.parametrize(
    ("key", "suggested"),
    [
        ("PORTAL_DATABSE", ["PORTAL_DATABASE"]),
        ("PORTAL_TIMEZOEN", ["PORTAL_TIMEZONE"]),
        ("PORTAL_LOGIN_PER_MINUTES", ["PORTAL_LOGIN_PER_MINUTE"]),
        ("PORTAL_timezone", ["PORTAL_TIMEZONE"]),
        ("PORTAL_SMTP_PASS", ["PORTAL_SMTP_PASSWORD"]),
    ],
)
def test_an_unknown_setting_names_the_closest_ones(
    tmp_path: Path, key: str, suggested: list[str]
) -> None:
    (sentence,) = refused(tmp_path, **{key.removeprefix("PORTAL_"): "1"}).problems
    assert sentence.startswith(f"{key} is not a setting; did you mean ")
    named = re.findall(r"PORTAL_[A-Z_]+", sentence.removeprefix(key))
    assert suggested[0] == named[0]
    assert len(named) <= 3  # the closest few, never the whole list


def test_an_unknown_setting_like_none_says_where_the_list_is(tmp_path: Path) -> None:
    (sentence,) = refused(tmp_path, FOO="1").problems
    assert sentence == "PORTAL_FOO is not a setting (the Settings section of README.md lists them)."


def test_mail_settings_that_only_fail_together(tmp_path: Path) -> None:
    (sentence,) = refused(tmp_path, SMTP_HOST="mail.balittri.example").problems
    assert "PORTAL_MAIL_FROM" in sentence and "PORTAL_SMTP_HOST" in sentence
    (sentence,) = refused(tmp_path, MAIL_MIN_SECONDS="60", MAIL_FORM_MAX_AGE="30").problems
    assert sentence.startswith("PORTAL_MAIL_FORM_MAX_AGE (30) must be longer than")


@pytest.mark.parametrize(
    ("name", "value", "read"),
    [
        ("DEFAULT_LANGUAGE", "en", "en"),
        ("TIMEZONE", "UTC", "UTC"),
        ("TIMEZONE", "Asia/Makassar", "Asia/Makassar"),
        ("SITE_URL", "https://balittri.example", "https://balittri.example"),
        ("SITE_URL", "http://127.0.0.1:8000/portal/", "http://127.0.0.1:8000/portal/"),
        ("LOGIN_PER_MINUTE", "0", 0),
        ("PAGE_CACHE_SECONDS", "0", 0.0),
        ("LIVE_TICK", "0.2", 0.2),
        ("PORT", "0", 0),
        ("COUNT_VISITS", "off", False),
        ("TRUSTED_PROXIES", "10.0.0.0/8, ::1", ("10.0.0.0/8", "::1")),
        ("ALLOWED_ORIGINS", "https://a.example:8443/", ("https://a.example:8443/",)),
        ("VIDEO_HOSTS", "www.youtube-nocookie.com", ("www.youtube-nocookie.com",)),
        ("STATS_FIGURES", "members,articles,links", ("members", "articles", "links")),
        ("SOCKETS_PER_ADDRESS", "0", 0),
        ("MAIL_FROM", "portal@localhost", "portal@localhost"),
        ("UPLOAD_TYPES", "pdf, ODT", ("pdf", "ODT")),
    ],
)
def test_good_values_are_accepted(tmp_path: Path, name: str, value: str, read: object) -> None:
    config = load_config({f"PORTAL_{name}": value, "PORTAL_INSTANCE_PATH": str(tmp_path)})
    assert config[name] == read


def test_the_defaults_pass_their_own_rules(tmp_path: Path) -> None:
    config = load_config({"PORTAL_INSTANCE_PATH": str(tmp_path)})
    checked = set(RULES) - {"INSTANCE_PATH"}  # made absolute, here tmp_path
    assert {name: config[name] for name in checked} == {name: DEFAULTS[name] for name in checked}
    assert set(RULES) <= set(DEFAULTS)


def test_the_mapping_is_checked_like_the_environment(tmp_path: Path) -> None:
    base = {"INSTANCE_PATH": str(tmp_path)}
    with pytest.raises(ConfigError, match=r"^PORTAL_LIVE_TICK must be more than 0, not 0\.0\.$"):
        load_config({}, {**base, "LIVE_TICK": 0})
    with pytest.raises(ConfigError, match=r"^PORTAL_PORT must be a whole number, not True"):
        load_config({}, {**base, "PORT": True})
    with pytest.raises(ConfigError, match=r"^PORTAL_DEFAULT_LANGUAGE"):
        load_config({}, {**base, "DEFAULT_LANGUAGE": "fr"})
    config = load_config({}, {**base, "PORT": "8080", "VIDEO_HOSTS": ["a.example"], "X": 1})
    assert config["PORT"] == 8080
    assert config["VIDEO_HOSTS"] == ("a.example",)
    assert config["X"] == 1  # Quart's own settings pass through unchecked


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    settings = readme[
        readme.index("## Settings") : readme.index("\n## ", readme.index("## Settings") + 1)
    ]
    missing = [name for name in DEFAULTS if f"`PORTAL_{name}`" not in settings]
    assert not missing


@pytest.mark.slow  # a fresh interpreter
def test_settings_import_neither_web_views_nor_realtime() -> None:
    code = (
        "import sys, content.settings; "
        "print(sorted(m for m in sys.modules if m.startswith(('content.web', 'realtime'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_typed_quart_run_options_win_over_the_settings() -> None:
    seen: list[int | None] = []

    @click.command()
    @click.option("--port", default=5000)
    def run(port: int) -> None:
        seen.append(_given(port, "port"))

    assert CliRunner().invoke(run, []).exit_code == 0
    assert CliRunner().invoke(run, ["--port", "8001"]).exit_code == 0
    assert seen == [None, 8001]  # Quart's default 5000 gives way to PORTAL_PORT
    assert _given(7000, "port") == 7000  # called from code, not a command line
