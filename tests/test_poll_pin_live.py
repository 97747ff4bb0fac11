"""The Polling module's live channel follows the pin, against the real server and sockets."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from tests.conftest import DemoDatabase, LiveServer, soup

pytestmark = pytest.mark.slow  # the real server
DEMO_POLL = 1


def newest_poll(server: LiveServer) -> tuple[int, list[int]]:
    conn = sqlite3.connect(server.database)
    try:
        poll_id = conn.execute("SELECT max(id) FROM polls").fetchone()[0]
        rows = conn.execute(
            "SELECT id FROM poll_options WHERE poll_id = ? ORDER BY ordering", (poll_id,)
        ).fetchall()
        return poll_id, [row[0] for row in rows]
    finally:
        conn.close()


async def post(visitor: Any, path: str, form: dict[str, str]) -> int:
    async with visitor.http.post(
        visitor.server.url + path, data=form, allow_redirects=False
    ) as response:
        return int(response.status)


async def test_the_module_channel_follows_a_pin_change(
    visitors: Any, live_server: LiveServer, demo_database: DemoDatabase
) -> None:
    editor = await visitors()
    await editor.login("redaksi@balittri.example", demo_database.passwords["editor"])
    reader = await visitors()
    tab = await reader.open_tab("/", auth={"polls": [DEMO_POLL], "poll_module": True})
    assert (await tab.wait_for("poll_module")) == {"poll_id": DEMO_POLL}
    token = soup(await editor.get("/redaksi/polling/baru")).select_one("input[name=csrf_token]")
    form = {
        "csrf_token": str(token["value"]),
        "question": "Layanan mana yang paling Anda perlukan?",
        "options": "PPID\nLPSE\nPerpustakaan",
        "guard_cookie": "1",
        "results": "always",
        "audience": "everyone",
        "action": "open",
        "sidebar": "replace",
    }
    assert await post(editor, "/redaksi/polling/baru", form) == 302
    pinned, options = newest_poll(live_server)
    # the page's module is told, and its socket now watches the pinned poll
    await tab.wait_for("poll_module", lambda data: data["poll_id"] == pinned)
    first = await tab.wait_for("poll_results", lambda data: data["poll_id"] == pinned)
    assert first["voters"] == 0 and [o["id"] for o in first["options"]] == options
    voter = await visitors()
    voting = await voter.open_tab("/")
    ack = await voting.client.call("vote", {"poll_id": pinned, "options": [options[1]]}, timeout=5)
    assert ack["ok"] is True
    pushed = await tab.wait_for(
        "poll_results", lambda data: data["poll_id"] == pinned and data["voters"] == 1
    )
    assert [o["votes"] for o in pushed["options"]] == [0, 1, 0]
    # pinning the demo poll again turns the module back
    path = f"/redaksi/polling/{DEMO_POLL}/sematkan"
    assert await post(editor, path, {"csrf_token": form["csrf_token"]}) == 302
    await tab.wait_for("poll_module", lambda data: data["poll_id"] == DEMO_POLL)
    # a socket connecting now is told the module's poll at once
    late = await (await visitors()).open_tab("/", auth={"poll_module": True})
    assert (await late.wait_for("poll_module")) == {"poll_id": DEMO_POLL}


async def test_a_module_poll_changed_by_opening_is_followed_too(
    visitors: Any, live_server: LiveServer, demo_database: DemoDatabase
) -> None:
    """Nothing pinned: opening a newer poll makes it the module's poll, and the channel says so."""
    editor = await visitors()
    await editor.login("redaksi@balittri.example", demo_database.passwords["editor"])
    token = soup(await editor.get("/redaksi/polling")).select_one("input[name=csrf_token]")
    csrf = str(token["value"])
    assert await post(editor, f"/redaksi/polling/{DEMO_POLL}/lepas", {"csrf_token": csrf}) == 302
    reader = await visitors()
    tab = await reader.open_tab("/", auth={"polls": [DEMO_POLL], "poll_module": True})
    assert (await tab.wait_for("poll_module")) == {"poll_id": DEMO_POLL}
    form = {
        "csrf_token": csrf,
        "question": "Polling berikutnya?",
        "options": "Ya\nTidak",
        "guard_cookie": "1",
        "action": "save",
    }
    assert await post(editor, "/redaksi/polling/baru", form) == 302
    draft, _ = newest_poll(live_server)
    path = f"/redaksi/polling/{draft}/status"
    assert await post(editor, path, {"csrf_token": csrf, "state": "open"}) == 302
    # the list's "Open" keeps the shown poll (pins it): the module does not change ...
    conn = sqlite3.connect(live_server.database)
    assert conn.execute("SELECT id FROM polls WHERE pinned = 1").fetchone() == (DEMO_POLL,)
    conn.close()
    # ... until the editor unpins it: then the newest open poll shows, and the page is told
    assert await post(editor, f"/redaksi/polling/{DEMO_POLL}/lepas", {"csrf_token": csrf}) == 302
    await tab.wait_for("poll_module", lambda data: data["poll_id"] == draft)
    # in order on one socket (a snapshot may come twice: at subscribing and at the next tick)
    told = [data["poll_id"] for name, data in tab.events if name == "poll_module"]
    assert [poll for i, poll in enumerate(told) if i == 0 or told[i - 1] != poll] == [
        DEMO_POLL,
        draft,
    ]
    await tab.wait_for("poll_results", lambda data: data["poll_id"] == draft)
