"""The media library under load: page and fan-out latency while 12-megapixel JPEGs are being
turned into variants, against the same server idle, and how long one upload takes.

An editor uploads distinct 12 MP photos back to back (each new content, so each is processed)
while wrk reads the home page, and while one vote fans out to sockets watching the poll. The
image workers are children of the server, so they share its core; they run at a lower priority.
`python -m bench.images` runs only this row and prints it; `make bench` includes it.
"""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from PIL import Image

from bench.__main__ import (
    BROWSER,
    LOAD_CORE,
    ROOT,
    Server,
    free_port,
    portal,
    seed_demo,
    seeded_instance,
    table,
    visitor_cookie,
    wrk,
)

EDITOR = "redaksi@balittri.example"
PASSWORD = "bench-password-1"  # noqa: S105 - a throwaway bench instance
PHOTOS = 6
FANOUT_SOCKETS = int(os.environ.get("BENCH_IMAGE_SOCKETS", "1000"))
SETTINGS = {
    "IMAGE_MAX_BYTES": "40000000",
    "SOCKETS_PER_ADDRESS": "0",
    "SOCKET_EVENT_BURST": "1000000",
    "POLL_VOTES_PER_MINUTE": "1000000",
}


def twelve_megapixel_photos(count: int) -> list[bytes]:
    """Distinct 4000 x 3000 JPEGs with a photo's texture (smooth shapes and grain)."""
    channels = [Image.effect_noise((500, 375), 60 + 10 * i) for i in range(3)]
    base = Image.merge("RGB", channels).resize((4000, 3000), Image.Resampling.BICUBIC)
    grain = Image.effect_noise((4000, 3000), 12).convert("RGB")
    photo = Image.blend(base, grain, 0.25)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=90)
    data = out.getvalue()
    photos = []
    for number in range(count):  # a comment segment makes each a new file to the library
        comment = f"bench photo {number} {time.time_ns()}".encode()
        photos.append(
            data[:2] + struct.pack(">BBH", 0xFF, 0xFE, len(comment) + 2) + comment + data[2:]
        )
    return photos


class Editor:
    """A logged-in editor's browser: cookies and the form token."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.opener.addheaders = [("User-Agent", BROWSER)]
        token = self._token("/masuk")
        form = {"email": EDITOR, "password": PASSWORD, "csrf_token": token}
        self.opener.open(self.url + "/masuk", urllib.parse.urlencode(form).encode(), timeout=30)
        self.token = self._token("/redaksi/media")

    def _token(self, path: str) -> str:
        with self.opener.open(self.url + path, timeout=30) as response:
            page = response.read().decode()
        found = re.search(r'name="csrf_token" value="([^"]+)"', page)
        if found is None:
            raise RuntimeError(f"no form token on {path} (not logged in?)")
        return found.group(1)

    def upload(self, data: bytes, name: str) -> float:
        """Upload one image; the seconds until the library answered 201."""
        boundary = "bench" + os.urandom(8).hex()
        body = (
            (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: image/jpeg\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            self.url + "/redaksi/media/gambar",
            data=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Accept": "application/json",
                "X-CSRF-Token": self.token,
            },
        )
        started = time.perf_counter()
        with self.opener.open(request, timeout=120) as response:
            if response.status != 201:
                raise RuntimeError(f"upload answered {response.status}")
            json.loads(response.read())
        return time.perf_counter() - started


class Uploader(threading.Thread):
    """Uploads new photos back to back until stopped; the time of each."""

    def __init__(self, editor: Editor, photos: list[bytes]) -> None:
        super().__init__(daemon=True)
        self.editor = editor
        self.photos = photos
        self.stopping = threading.Event()
        self.started_one = threading.Event()
        self.times: list[float] = []
        self.next = 0

    def fresh(self) -> bytes:
        data = self.photos[self.next % len(self.photos)]
        self.next += 1
        stamp = f"{self.next}-{time.time_ns()}".encode()
        return data[:2] + struct.pack(">BBH", 0xFF, 0xFE, len(stamp) + 2) + stamp + data[2:]

    def run(self) -> None:
        while not self.stopping.is_set():
            data = self.fresh()
            self.started_one.set()
            self.times.append(self.editor.upload(data, f"foto-{self.next}.jpg"))

    def stop(self) -> list[float]:
        self.stopping.set()
        self.join(180)
        return self.times


def set_editor_password(demo: Path) -> None:
    env = {**os.environ, "PORTAL_INSTANCE_PATH": str(demo.parent)}
    subprocess.run(
        [str(Path(sys.executable).parent / "quart"), "--app", "app", "set-password", EDITOR],
        cwd=ROOT,
        env=env,
        input=PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
    )


def fanout_p99(server: Server, instance: Path, uploader: Uploader | None) -> dict[str, float]:
    """One vote to FANOUT_SOCKETS watchers; with an uploader, while it keeps the workers busy."""
    with sqlite3.connect(instance / "serambi.db") as conn:
        option = conn.execute(
            "SELECT id FROM poll_options WHERE poll_id = 1 ORDER BY ordering LIMIT 1"
        ).fetchone()[0]
    node = subprocess.Popen(
        ["taskset", "-c", LOAD_CORE, "node", str(ROOT / "bench" / "fanout.mjs"), server.url, "1",
         str(option), str(FANOUT_SOCKETS)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert node.stdout is not None and node.stdin is not None
    json.loads(node.stdout.readline())
    if uploader is not None:
        uploader.start()
        uploader.started_one.wait(30)
        time.sleep(0.3)  # the photo is in the worker by now
    node.stdin.write("go\n")
    node.stdin.flush()
    done = json.loads(node.stdout.readline())
    node.wait(60)
    return {"p50": done["p50Ms"] or float("nan"), "p99": done["p99Ms"] or float("nan")}


def bench_images(base: Path, demo: Path) -> dict[str, str]:
    """Every figure of the row, formatted."""
    set_editor_password(demo)
    photos = twelve_megapixel_photos(PHOTOS)

    # Pages, and the upload's own time, on one server.
    instance = seeded_instance(base, "images-pages", demo)
    server = portal(instance, free_port(), **SETTINGS)
    editor = Editor(server.url)
    cookie = visitor_cookie(server.url)
    single = [editor.upload(photo, f"sendiri-{n}.jpg") for n, photo in enumerate(photos[:3])]
    idle = wrk(server.url + "/", cookie=cookie)
    uploader = Uploader(editor, photos)
    uploader.start()
    uploader.started_one.wait(30)
    busy = wrk(server.url + "/", cookie=cookie)
    during = uploader.stop()
    server.stop()

    # Fan-out: a fresh server for each vote (one vote per visitor and address).
    results = []
    for name, busy_fanout in (("idle", False), ("busy", True)):
        instance = seeded_instance(base, f"images-fanout-{name}", demo)
        server = portal(instance, free_port(), **SETTINGS)
        loader = None
        if busy_fanout:
            editor = Editor(server.url)
            editor.upload(photos[-1], "pemanasan.jpg")  # the worker pool starts with the first
            loader = Uploader(editor, photos)
        results.append(fanout_p99(server, instance, loader))
        if loader is not None:
            loader.stop()
        server.stop()
    fan_idle, fan_busy = results
    return {
        "photo_mb": f"{statistics.mean(len(p) for p in photos) / 1e6:.1f}",
        "upload_s": f"{statistics.median(single):.2f}",
        "upload_busy_s": f"{statistics.median(during):.2f}" if during else "-",
        "uploads_during": str(len(during)),
        "page_p99_idle": f"{idle['p99']:.1f}",
        "page_p99_busy": f"{busy['p99']:.1f}",
        "page_ratio": f"{busy['p99'] / idle['p99']:.2f}x",
        "page_rps_idle": f"{idle['rps']:.0f}",
        "page_rps_busy": f"{busy['rps']:.0f}",
        "fan_p99_idle": f"{fan_idle['p99']:.0f}",
        "fan_p99_busy": f"{fan_busy['p99']:.0f}",
        "fan_ratio": f"{fan_busy['p99'] / fan_idle['p99']:.2f}x",
    }


def report(found: dict[str, str]) -> str:
    """The row's section of BENCHMARKS.md."""
    rows = [
        ["home page p99 ms", found["page_p99_idle"], found["page_p99_busy"], found["page_ratio"]],
        ["home page requests/s", found["page_rps_idle"], found["page_rps_busy"], ""],
        [
            f"fan-out p99 ms ({FANOUT_SOCKETS:,} sockets)",
            found["fan_p99_idle"],
            found["fan_p99_busy"],
            found["fan_ratio"],
        ],
        [
            "one upload, 201 after s (median)",
            found["upload_s"],
            found["upload_busy_s"],
            f"{found['uploads_during']} uploads during the page run",
        ],
    ]
    return (
        f"**Images** (an editor uploads distinct 12-megapixel JPEGs of {found['photo_mb']} MB "
        "back to back while wrk reads the home page, 32 connections, returning visitor, and "
        f"while one vote fans out to {FANOUT_SOCKETS:,} sockets, after a first upload has "
        "started the worker; the image worker shares the server's core at a lower priority; "
        "target: p99 at most 1.5x idle)\n\n"
        + table(["measure", "idle", "while processing", "busy vs idle"], rows)
    )


def main() -> None:
    os.sched_setaffinity(0, {int(LOAD_CORE)})
    with tempfile.TemporaryDirectory(prefix="serambi-bench-images-") as folder:
        base = Path(folder)
        found = bench_images(base, seed_demo(base))
    print(report(found))


if __name__ == "__main__":
    main()
