"""Every way of starting the portal: a bad setting stops each with its sentence alone, and
`quart --app app run` serves the same whole stack as `python app.py`."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from app import hypercorn_config, load_config
from tests.conftest import DemoDatabase, LiveServer, copy_demo, free_port

pytestmark = pytest.mark.slow  # each test starts the portal in a child process

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
START = 60  # seconds any start (or refusal) may take on a loaded machine
ZONE = (
    "Configuration error: PORTAL_TIMEZONE must be a time zone name such as Asia/Jakarta,"
    " not 'Mars/Base'."
)


def environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    """The child's environment: no developer PORTAL_* settings, an instance folder of its own."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PORTAL_")}
    env["PORTAL_INSTANCE_PATH"] = str(tmp_path / "instance")
    env.update({f"PORTAL_{name}": value for name, value in settings.items()})
    return env


WAYS = {
    "python app.py": [sys.executable, "app.py"],
    "quart init-db": [str(BIN / "quart"), "--app", "app", "init-db"],
    "quart seed-demo": [str(BIN / "quart"), "--app", "app", "seed-demo"],
    "quart run": [str(BIN / "quart"), "--app", "app", "run"],
    "quart --help": [str(BIN / "quart"), "--app", "app", "--help"],
    "hypercorn -w 0": [str(BIN / "hypercorn"), "--workers", "0", "app:asgi_app"],
    "hypercorn": [str(BIN / "hypercorn"), "app:asgi_app"],
}


@pytest.mark.parametrize("way", WAYS)
def test_a_bad_setting_stops_every_way_of_starting_with_its_sentence(
    tmp_path: Path, way: str
) -> None:
    result = subprocess.run(
        WAYS[way],
        cwd=ROOT,
        env=environment(tmp_path, TIMEZONE="Mars/Base", PORT=str(free_port())),
        capture_output=True,
        text=True,
        timeout=START,
        check=False,
    )
    assert result.stderr.strip() == ZONE, result.stderr
    assert "Traceback" not in result.stdout
    assert not (tmp_path / "instance").exists()  # nothing made, nothing served
    if way != "hypercorn":
        assert result.returncode != 0
    # else Hypercorn's own exit status is 0 whenever its worker process fails to start
    # (pgjones/hypercorn#269); its output is still the sentence alone.


def test_several_bad_settings_are_said_together(tmp_path: Path) -> None:
    result = subprocess.run(
        WAYS["python app.py"],
        cwd=ROOT,
        env=environment(tmp_path, TIMEZONE="Mars/Base", DEFAULT_LANGUAGE="fr", FOO="1"),
        capture_output=True,
        text=True,
        timeout=START,
        check=False,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert sorted(line.split()[2] for line in lines) == [
        "PORTAL_DEFAULT_LANGUAGE",
        "PORTAL_FOO",
        "PORTAL_TIMEZONE",
    ]
    assert all(line.startswith("Configuration error: ") for line in lines)


@pytest.fixture
def quart_run(tmp_path: Path, demo_database: DemoDatabase) -> Iterator[str]:
    """`quart --app app run` on a copy of the demo database; the port from PORTAL_PORT."""
    copy_demo(demo_database, tmp_path / "portal.db")
    port = free_port()
    env = environment(tmp_path, PORT=str(port), DATABASE=str(tmp_path / "portal.db"))
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(WAYS["quart run"], cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_page(process, url, tmp_path / "server.log")
        yield url
        process.send_signal(signal.SIGTERM)
        assert process.wait(START) == 0
        assert "Traceback" not in (tmp_path / "server.log").read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(START)
        log.close()


def wait_for_page(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server ended: {log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"no page within {START} s: {log.read_text()}")


async def test_quart_run_serves_the_whole_stack(quart_run: str) -> None:
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        # Socket.IO answers its handshake (Quart alone answered 404 here)
        async with http.ws_connect(quart_run + "/socket.io/?EIO=4&transport=websocket") as ws:
            opening = await ws.receive_str()
            assert opening.startswith('0{"sid":')
        # the gate is in front: an oversized header is refused before Quart sees it
        async with http.get(quart_run + "/", headers={"X-Big": "x" * 20_000}) as response:
            assert response.status == 431
        # and the pages come with the visitor cookie the portal sets
        async with http.get(quart_run + "/") as response:
            assert response.status == 200
            assert "serambi_pengunjung" in response.cookies


def test_idle_keep_alive_is_long_and_a_stop_still_closes_it_at_once(
    tmp_path: Path, demo_database: DemoDatabase
) -> None:
    hyper = hypercorn_config(load_config({}, {"INSTANCE_PATH": str(tmp_path)}))
    # clients reuse connections; a half-sent request is held no longer than an idle one
    assert hyper.keep_alive_timeout == hyper.read_timeout >= 30
    copy_demo(demo_database, tmp_path / "live.db")
    server = LiveServer(tmp_path, tmp_path / "live.db")
    server.start(ACCESS_LOG="false")
    try:
        idle = http.client.HTTPConnection("127.0.0.1", server.port, timeout=START)
        try:
            idle.request("GET", "/robots.txt")
            response = idle.getresponse()
            response.read()
            assert response.status == 200
            assert not response.will_close  # kept alive, and now idle
            began = time.monotonic()
            assert server.stop() == 0
            stopped = time.monotonic() - began
            assert idle.sock is not None
            assert idle.sock.recv(1) == b""  # closed by the server, not left to time out
        finally:
            idle.close()
        assert stopped < hyper.keep_alive_timeout / 2, stopped
    finally:
        server.stop()
