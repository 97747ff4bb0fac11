"""`make bench`: the portal measured against baselines run in the same command.

Pages: requests per second and p99 latency of the demo home and article pages against a
hello-world Quart app on the same Hypercorn settings (wrk as the load generator). Fan-out: N raw
websocket clients (a Node process, `bench/fanout.mjs`) watch a poll; one vote; the time until each
has the new results, and the server's memory and CPU per socket. Counting: page views served vs
counted after a graceful stop, flush transactions per second, and the page rate with counting on
vs off. Compression: the kept pages' rate and bytes with compression on vs off. The server runs
on core 0, the load generators on core 1. Figures are printed as a table and written into
BENCHMARKS.md between the markers. Nothing here fails: it measures.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SERVER_CORE, LOAD_CORE = "0", "1"
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
SOCKETS = [int(n) for n in os.environ.get("BENCH_SOCKETS", "1000,5000,10000").split(",")]
COUNTED_VIEWS = int(os.environ.get("BENCH_VIEWS", "2000"))
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def machine() -> str:
    """What the figures were measured on."""
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = int(line.split()[1]) // (1024 * 1024)
    return (
        f"{model}, {os.cpu_count()} cores, {memory} GiB, Linux {platform.release()}, "
        f"Python {platform.python_version()}"
    )


@dataclass
class Server:
    """A server process pinned to the server core."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @classmethod
    def start(cls, command: list[str], env: dict[str, str], port: int, log: Path) -> Server:
        with log.open("wb") as out:
            process = subprocess.Popen(
                ["taskset", "-c", SERVER_CORE, *command],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        server = cls(process, port, log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                    return server
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server did not start: {log.read_text()}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
        return 0.0

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(120)  # with 10,000 sockets, closing them all takes a while


def portal(instance: Path, port: int, **settings: str) -> Server:
    env = {
        **os.environ,
        "PORTAL_HOST": "127.0.0.1",
        "PORTAL_PORT": str(port),
        "PORTAL_INSTANCE_PATH": str(instance),
        "PORTAL_ACCESS_LOG": "false",
        **{f"PORTAL_{key}": value for key, value in settings.items()},
    }
    return Server.start([sys.executable, "app.py"], env, port, instance / f"server-{port}.log")


def seeded_instance(base: Path, name: str, demo: Path) -> Path:
    instance = base / name
    instance.mkdir()
    shutil.copy(demo, instance / "serambi.db")
    shutil.copy(demo.parent / "secret_key", instance / "secret_key")
    return instance


def seed_demo(base: Path) -> Path:
    instance = base / "seed"
    env = {**os.environ, "PORTAL_INSTANCE_PATH": str(instance)}
    subprocess.run(
        [str(Path(sys.executable).parent / "quart"), "--app", "app", "seed-demo"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return instance / "serambi.db"


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
BYTE_UNITS = {"B": 1.0, "KB": 1024.0, "MB": 1024.0**2, "GB": 1024.0**3}
# What Chromium sends; a kept page with a form then goes out as gzip (content/web/compression.py)
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"


def wrk(
    url: str,
    seconds: int = SECONDS,
    connections: int = 32,
    cookie: str = "",
    headers: dict[str, str] | None = None,
) -> dict[str, float]:
    """Requests per second, p50/p99 latency (ms), bytes per second and the counts, from wrk on
    the load core."""
    extra = ["-H", f"Cookie: {cookie}"] if cookie else []
    for name, value in (headers or {}).items():
        extra += ["-H", f"{name}: {value}"]
    result = subprocess.run(
        ["taskset", "-c", LOAD_CORE, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s",
         "--latency", "-H", f"User-Agent: {BROWSER}", *extra, url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    out = result.stdout

    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")

    requests = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)([KMG]?B)", out)
    return {
        "rps": float(rate.group(1)) if rate else 0.0,
        "bytes_per_s": float(transfer.group(1)) * BYTE_UNITS[transfer.group(2)]
        if transfer
        else 0.0,
        "p50": latency("50"),
        "p99": latency("99"),
        "requests": float(requests.group(1)) if requests else 0.0,
        "bad": float(bad.group(1)) if bad else 0.0,
    }


def article_path(db: Path) -> tuple[int, str]:
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT id, alias FROM articles WHERE state = 1 ORDER BY id LIMIT 1"
        ).fetchone()
    return row[0], f"/artikel/{row[0]}-{row[1]}"


def hits(db: Path, article_id: int) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(
            conn.execute("SELECT hits FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
        )
    finally:
        conn.close()


def visitor_cookie(url: str) -> str:
    """The visitor cookie a first visit gets, to come back with (as a browser does)."""
    request = urllib.request.Request(url + "/", headers={"User-Agent": BROWSER})
    with urllib.request.urlopen(request, timeout=10) as response:
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("serambi_pengunjung="):
                return header.split(";", 1)[0]
    raise RuntimeError("the portal set no visitor cookie")


def bench_pages(base: Path, demo: Path) -> list[tuple[str, str, str, str]]:
    port = free_port()
    hello = Server.start(
        [sys.executable, "bench/hello.py"], {**os.environ, "PORTAL_PORT": str(port)}, port,
        base / "hello.log",
    )  # fmt: skip
    baseline = wrk(hello.url + "/")
    hello.stop()
    instance = seeded_instance(base, "pages", demo)
    server = portal(instance, free_port())
    _, path = article_path(instance / "serambi.db")
    cookie = visitor_cookie(server.url)
    measured = [
        ("home page, returning visitor", wrk(server.url + "/", cookie=cookie)),
        ("article page, returning visitor", wrk(server.url + path, cookie=cookie)),
        ("home page, every request a new visitor", wrk(server.url + "/")),
        ("article page, every request a new visitor", wrk(server.url + path)),
    ]
    server.stop()
    rows = [("hello-world Quart (baseline)", baseline, 1.0)]
    rows += [(name, found, found["rps"] / baseline["rps"]) for name, found in measured]
    return [
        (name, f"{r['rps']:.0f}", f"{r['p99']:.1f}", f"{ratio:.2f}x") for name, r, ratio in rows
    ]


async def distinct_visitors(url: str, total: int, concurrency: int = 16) -> int:
    """Each request a new visitor (no cookies kept); returns how many were served with 200."""
    import asyncio

    import aiohttp

    served = 0
    queue = iter(range(total))

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal served
        for _ in queue:
            async with session.get(url) as response:
                await response.read()
                served += response.status == 200

    jar = aiohttp.DummyCookieJar()  # never sends a cookie back: every request is a new visitor
    async with aiohttp.ClientSession(headers={"User-Agent": BROWSER}, cookie_jar=jar) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return served


def bench_counting(base: Path, demo: Path, rounds: int = 2) -> dict[str, str]:
    """Served vs counted and flush transactions on the first round; the page rate with counting
    on and off in alternating rounds, best of each (one run alone varies by about 10%)."""
    import asyncio

    figures: dict[str, str] = {}
    rates: dict[str, list[float]] = {"true": [], "false": []}
    for turn in range(rounds):
        for counting in ("true", "false"):
            instance = seeded_instance(base, f"count-{counting}-{turn}", demo)
            db = instance / "serambi.db"
            article_id, path = article_path(db)
            server = portal(
                instance, free_port(), COUNT_VISITS=counting, STATS_ADDRESS_CAP="1000000000"
            )
            load = wrk(server.url + path)
            audit = counting == "true" and turn == 0
            if audit:
                time.sleep(1.5)  # wrk's views are flushed; count from here
                before = hits(db, article_id)
                served = asyncio.run(distinct_visitors(server.url + path, COUNTED_VIEWS))
            server.stop()
            rates[counting].append(load["rps"])
            if audit:
                counted = hits(db, article_id) - before
                log = server.log.read_text()
                match = re.search(r"Statistics: (\d+) flush transactions in ([\d.]+) s", log)
                flushes, span = (int(match.group(1)), float(match.group(2))) if match else (0, 1.0)
                figures["served"] = str(served)
                figures["counted"] = str(counted)
                figures["tx_per_s"] = f"{flushes / max(span, 1e-9):.2f}"
    on, off = max(rates["true"]), max(rates["false"])
    figures["ratio"] = f"{on / off:.2f}x"
    figures["rps_on"] = f"{on:.0f}"
    figures["rps_off"] = f"{off:.0f}"
    return figures


def bench_compression(base: Path, demo: Path, rounds: int = 2) -> list[list[str]]:
    """The kept pages with compression on and off, each asked for as a returning visitor's
    browser asks (its Accept-Encoding): requests per second and bytes per page, in alternating
    rounds, best of each (one run alone varies by about 10%)."""
    rates: dict[tuple[str, str], list[float]] = {}
    sizes: dict[tuple[str, str], float] = {}
    pages: list[tuple[str, str]] = []
    for turn in range(rounds):
        for compressing in ("true", "false"):
            instance = seeded_instance(base, f"compress-{compressing}-{turn}", demo)
            _, article = article_path(instance / "serambi.db")
            pages = [("home page", "/"), ("article page", article)]
            server = portal(instance, free_port(), COMPRESSION=compressing)
            cookie = visitor_cookie(server.url)
            for name, path in pages:
                load = wrk(
                    server.url + path,
                    cookie=cookie,
                    headers={"Accept-Encoding": BROWSER_ENCODINGS},
                )
                rates.setdefault((name, compressing), []).append(load["rps"])
                if load["rps"]:
                    sizes[(name, compressing)] = load["bytes_per_s"] / load["rps"]
            server.stop()
    rows = []
    for name, _ in pages:
        on, off = max(rates[(name, "true")]), max(rates[(name, "false")])
        rows.append(
            [
                f"{name}, returning visitor",
                f"{on:.0f}",
                f"{off:.0f}",
                f"{on / off:.2f}x" if off else "-",
                f"{sizes.get((name, 'true'), 0) / 1024:.1f}",
                f"{sizes.get((name, 'false'), 0) / 1024:.1f}",
            ]
        )
    return rows


def bench_fanout(base: Path, demo: Path, count: int, tick: str) -> dict[str, str]:
    instance = seeded_instance(base, f"fanout-{count}-{tick}", demo)
    with sqlite3.connect(instance / "serambi.db") as conn:
        option = conn.execute(
            "SELECT id FROM poll_options WHERE poll_id = 1 ORDER BY ordering LIMIT 1"
        ).fetchone()[0]
    server = portal(
        instance,
        free_port(),
        LIVE_TICK=tick,
        SOCKETS_PER_ADDRESS="0",  # every load socket comes from the one loopback address
        SOCKET_EVENT_BURST="1000000",
        POLL_VOTES_PER_MINUTE="1000000",
    )
    idle = server.rss_mib()
    node = subprocess.Popen(
        ["taskset", "-c", LOAD_CORE, "node", str(ROOT / "bench" / "fanout.mjs"), server.url, "1",
         str(option), str(count)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert node.stdout is not None and node.stdin is not None
    connected = json.loads(node.stdout.readline())
    loaded = server.rss_mib()
    cpu_before = server.cpu_seconds()
    node.stdin.write("go\n")
    node.stdin.flush()
    done = json.loads(node.stdout.readline())
    cpu_used = server.cpu_seconds() - cpu_before
    node.wait(60)
    server.stop()

    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value:.0f}"

    return {
        "sockets": f"{count:,}",
        "tick": tick,
        "received": f"{done['received']:,}",
        "ack": ms(done["ackMs"]),
        # how busy the generator was meanwhile: near 100% would make it the bottleneck
        "load_busy": "-"
        if not done["lastMs"]
        else f"{100 * done['loadCpuMs'] / done['lastMs']:.0f}%",
        "p50": ms(done["p50Ms"]),
        "p99": ms(done["p99Ms"]),
        "spread": ms(None if done["lastMs"] is None else done["lastMs"] - done["firstMs"]),
        "connect": f"{connected['connectSeconds']:.1f}",
        "kib_per_socket": f"{(loaded - idle) * 1024 / count:.1f}",
        "cpu_ms_per_socket": f"{cpu_used * 1000 / count:.3f}",
    }


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    for tool in ("wrk", "taskset", "node"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed for the benchmarks: apt-get install wrk util-linux nodejs")
    os.sched_setaffinity(
        0, {int(LOAD_CORE)}
    )  # this driver generates load too: keep it off the server
    with tempfile.TemporaryDirectory(prefix="serambi-bench-") as folder:
        base = Path(folder)
        demo = seed_demo(base)
        pages = bench_pages(base, demo)
        counting = bench_counting(base, demo)
        compressing = bench_compression(base, demo)
        fanout = [bench_fanout(base, demo, n, "1.0") for n in SOCKETS]
        from bench.images import bench_images
        from bench.images import report as images_report

        images = images_report(bench_images(base, demo))  # last: it sets the editor's password
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = "\n\n".join(
        [
            f"Measured {when} on {machine()}; server on core {SERVER_CORE}, load generators on "
            f"core {LOAD_CORE} (wrk, aiohttp, and one Node process speaking raw Engine.IO frames "
            "over `ws`).",
            "**Pages** (wrk, 32 connections, "
            f"{SECONDS} s each; target: at least 0.80x the baseline)\n\n"
            + table(["page", "requests/s", "p99 ms", "vs baseline"], [list(r) for r in pages]),
            "**Fan-out** (sockets watching the demo poll; one vote; time from sending the vote "
            "until each socket has the new results; targets: p99 under 100 ms at 1,000 and under "
            "500 ms at 10,000; under 64 KiB per idle socket)\n\n"
            + table(
                [
                    "sockets",
                    "tick s",
                    "got it",
                    "vote ack ms",
                    "p50 ms",
                    "p99 ms",
                    "first-to-last ms",
                    "connect s",
                    "generator busy",
                    "KiB/socket",
                    "CPU ms/socket",
                ],
                [
                    [
                        f[k]
                        for k in (
                            "sockets",
                            "tick",
                            "received",
                            "ack",
                            "p50",
                            "p99",
                            "spread",
                            "connect",
                            "load_busy",
                            "kib_per_socket",
                            "cpu_ms_per_socket",
                        )
                    ]
                    for f in fanout
                ],
            ),
            f"**Counting** ({COUNTED_VIEWS:,} views of an article by as many new visitors, then a "
            "graceful stop; the page rate with counting on and off under wrk, every request a new "
            "visitor, best of two alternating runs each; targets: counted "
            "equals served, at most 2 transactions per second, at least 0.95x with counting on)"
            "\n\n"
            + table(
                ["served", "counted", "flush transactions/s", "rps on", "rps off", "on vs off"],
                [
                    [
                        counting[k]
                        for k in ("served", "counted", "tx_per_s", "rps_on", "rps_off", "ratio")
                    ]
                ],
            ),
            "**Compression** (the kept pages asked for with a browser's Accept-Encoding, "
            f"`{BROWSER_ENCODINGS}`, by a returning visitor, with `PORTAL_COMPRESSION` on and off; "
            f"wrk, 32 connections, {SECONDS} s each, best of two alternating runs each; KiB per "
            "page is wrk's bytes received per response, headers included; target: at least 0.80x "
            "with compression on)\n\n"
            + table(
                ["page", "rps on", "rps off", "on vs off", "KiB/page on", "KiB/page off"],
                compressing,
            ),
            images,
        ]
    )
    print(report)
    write_section(report)


def write_section(report: str, start: str = START, end: str = END, heading: str = "") -> None:
    """Put `report` between the markers in BENCHMARKS.md; with a heading, a section missing
    there is added at the end (`make soak` writes its own section this way)."""
    target = ROOT / "BENCHMARKS.md"
    text = target.read_text() if target.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if (start not in text or end not in text) and heading:
        text = f"{text.rstrip()}\n\n## {heading}\n\n{start}\n{end}\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{start}\n{report}\n{end}{tail}"
        target.write_text(text)
        print(f"\nWritten into {target.name}.")


if __name__ == "__main__":
    main()
