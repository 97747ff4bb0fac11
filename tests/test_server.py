"""The real server: `python app.py` serves through Hypercorn and stops cleanly on SIGTERM."""

from __future__ import annotations

import urllib.error
import urllib.request

from tests.conftest import LiveServer, soup


def test_serves_pages_and_static_files(live_server: LiveServer) -> None:
    with urllib.request.urlopen(live_server.url + "/", timeout=5) as response:
        page = soup(response.read())
        assert response.headers["Content-Type"].startswith("text/html")
    css = page.select_one("link[rel=stylesheet]")["href"]
    with urllib.request.urlopen(live_server.url + css, timeout=5) as response:
        assert b"--green" in response.read()
    try:
        urllib.request.urlopen(live_server.url + "/artikel/xyz", timeout=5)
        raise AssertionError("expected 404")
    except urllib.error.HTTPError as error:
        assert error.code == 404


def test_stops_cleanly_on_sigterm(live_server: LiveServer) -> None:
    assert live_server.stop() == 0
    assert "Traceback" not in live_server.log()


def test_bad_setting_stops_start_with_a_sentence(live_server: LiveServer) -> None:
    live_server.stop()
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, str(root / "app.py")],
        env={"PORTAL_PORT": "lapan-ribu", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode != 0
    assert "PORTAL_PORT must be a whole number" in result.stderr
    assert "Traceback" not in result.stderr


async def test_what_start_made_is_left_out_of_full_collections() -> None:
    import gc

    from app import freeze_start_objects

    try:
        await freeze_start_objects()
        assert gc.get_freeze_count() > 10_000  # this process's modules at least
    finally:
        gc.unfreeze()
