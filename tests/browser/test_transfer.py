"""What a first visit to the home page costs on the wire, as Chromium counts it.

Every response's encodedDataLength from Chrome's own network log (the DevTools protocol's
Network.loadingFinished: the headers and the body as they came over the connection), summed
over all requests of a first visit with an empty cache: the page, the style sheets, the scripts
(the socket.io client included), the images. The socket itself is left out: its handshake is an
HTTP upgrade that Chrome reports as a WebSocket, not as a request, and its frames are the live
figures, not the page. The figures are written to the artifacts folder (transfer.json).
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

from playwright.async_api import expect

from tests.conftest import LiveServer

FIRST_VISIT_LIMIT = 60_000  # bytes: the 60 KB
PERSON = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Safari/537.36"
)


async def first_visit(browser: Any, url: str, width: int, height: int) -> list[dict[str, Any]]:
    """Each request of a first visit: its URL, type, Content-Encoding and bytes transferred."""
    context = await browser.new_context(
        user_agent=PERSON, viewport={"width": width, "height": height}
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    cdp = await context.new_cdp_session(page)
    requests: dict[str, dict[str, Any]] = {}
    finished: set[str] = set()
    settled = asyncio.Event()  # every request so far has finished

    def sent(event: dict[str, Any]) -> None:
        requests[event["requestId"]] = {"url": event["request"]["url"], "type": event.get("type")}
        settled.clear()

    def ended(request_id: str) -> None:
        finished.add(request_id)
        if not set(requests) - finished:
            settled.set()

    def received(event: dict[str, Any]) -> None:
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        requests[event["requestId"]].update(
            status=event["response"]["status"],
            encoding=headers.get("content-encoding", ""),
            cache_control=headers.get("cache-control", ""),
        )

    def done(event: dict[str, Any]) -> None:
        requests[event["requestId"]]["bytes"] = int(event["encodedDataLength"])
        ended(event["requestId"])

    def failed(event: dict[str, Any]) -> None:
        requests[event["requestId"]]["failed"] = event.get("errorText", "")
        ended(event["requestId"])

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", done)
    cdp.on("Network.loadingFailed", failed)
    await cdp.send("Network.enable")
    await cdp.send("Network.clearBrowserCache")
    await page.goto(url, wait_until="load")
    await expect(page.locator("html")).to_have_class(re.compile(r"\bis-live\b"))  # scripts ran
    await asyncio.wait_for(settled.wait(), 10)
    await context.close()
    return list(requests.values())


async def test_a_first_visit_to_the_home_page_is_at_most_60_kb(
    browser: Any, live_server: LiveServer, server_with: Any, artifacts: Path
) -> None:
    plain_server = server_with(COMPRESSION="false")
    report: dict[str, Any] = {}
    for width, height in ((360, 740), (1366, 768)):
        sent = await first_visit(browser, live_server.url + "/", width, height)
        plain = await first_visit(browser, plain_server.url + "/", width, height)
        total = sum(r["bytes"] for r in sent)
        plain_total = sum(r["bytes"] for r in plain)
        report[f"{width}x{height}"] = {
            "compressed": total,
            "uncompressed": plain_total,
            "requests": sorted(sent, key=lambda r: -r["bytes"]),
        }
        (artifacts / "transfer.json").write_text(json.dumps(report, indent=2))
        assert not [r for r in sent if r.get("failed") or r.get("status", 200) >= 400]
        urls = [r["url"] for r in sent]
        assert any("/vendor/socket.io.min.js" in u for u in urls), "the socket client counts"
        assert any("/static/css/site.css" in u for u in urls)
        texts = [r for r in sent if r["type"] in ("Document", "Stylesheet", "Script")]
        assert texts and all(r["encoding"] in ("gzip", "br") for r in texts), texts
        # what the templates link carries its hash (an article may link a bare /static/ URL)
        versioned = [r for r in sent if "?v=" in r["url"]]
        assert len(versioned) >= 4
        assert all(r["cache_control"] == "public, max-age=31536000, immutable" for r in versioned)
        assert total <= FIRST_VISIT_LIMIT, f"{total} bytes at {width} px: {sent}"
        assert total < plain_total * 0.6  # compression, not a lighter demo, keeps it small
