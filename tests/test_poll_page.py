"""The poll's page as served: each answer once (merged with its bar while the visitor may vote
and see the results, results only after), the sidebar leaving the same poll out, and the first
and last vote in place for the live script."""

from __future__ import annotations

from quart.testing import QuartClient

from content.db import Database
from tests.conftest import soup


async def poll_page(client: QuartClient, poll_id: int) -> object:
    response = await client.get(f"/polling/{poll_id}")
    assert response.status_code == 200
    return soup(await response.get_data())


def labels(page: object) -> list[str]:
    """Every answer's text the page shows anywhere (main and sidebar)."""
    found = page.select(".poll-label, label.poll-choice")  # type: ignore[attr-defined]
    return [
        " ".join(element.get_text().split())
        for element in found
        if not element.select(".poll-label")
    ]


async def test_each_answer_once_before_and_after_voting(client: QuartClient, db: Database) -> None:
    poll_id = await db.fetchval("SELECT id FROM polls ORDER BY id LIMIT 1")
    options = [
        row["label"]
        for row in await db.fetchall(
            "SELECT label FROM poll_options WHERE poll_id = ? ORDER BY ordering", (poll_id,)
        )
    ]
    page = await poll_page(client, poll_id)
    assert labels(page) == options
    assert page.select_one(".module-poll") is None  # the sidebar leaves this poll out
    rows = page.select("main form.poll-form-merged li[data-poll-option]")
    assert [row.select_one(".poll-label").get_text() for row in rows] == options
    assert all(row.select_one("input[name=option]") and row.select_one(".poll-bar") for row in rows)
    assert page.select("main .poll-results") == []  # no second list
    moment = page.select_one(f'time[data-poll-moment="{poll_id}:last_vote"]')
    last = await db.fetchval("SELECT last_vote FROM polls WHERE id = ?", (poll_id,))
    assert moment["datetime"].startswith(last.replace(" ", "T"))
    assert not moment.find_parent("div").has_attr("hidden")
    # another page still has the poll in its sidebar
    assert soup(await (await client.get("/")).get_data()).select_one(".module-poll")
    # voted: results only, each answer once
    token = page.select_one("main .poll-form input[name=csrf_token]")["value"]
    option = rows[0]["data-poll-option"]
    response = await client.post(
        f"/polling/{poll_id}/pilih", form={"csrf_token": token, "option": option}
    )
    assert response.status_code == 302
    page = await poll_page(client, poll_id)
    assert labels(page) == options
    assert page.select("main .poll-form") == [] and page.select("main input[name=option]") == []


async def test_a_poll_without_votes_hides_its_first_and_last_vote(
    client: QuartClient, db: Database
) -> None:
    poll_id = await db.fetchval("SELECT id FROM polls ORDER BY id LIMIT 1")
    await db.conn.execute(
        "UPDATE polls SET voters = 0, votes = 0, first_vote = NULL, last_vote = NULL WHERE id = ?",
        (poll_id,),
    )
    await db.conn.execute("UPDATE poll_options SET votes = 0 WHERE poll_id = ?", (poll_id,))
    page = await poll_page(client, poll_id)
    rows = page.select("main [data-poll-moment-row]")
    assert len(rows) == 2 and all(row.has_attr("hidden") for row in rows)
    assert [row.select_one("time")["datetime"] for row in rows] == ["", ""]


async def test_results_after_a_vote_form_first_and_nothing_told_early(
    client: QuartClient, db: Database
) -> None:
    poll_id = await db.fetchval("SELECT id FROM polls ORDER BY id LIMIT 1")
    await db.conn.execute("UPDATE polls SET results = 'after_vote' WHERE id = ?", (poll_id,))
    page = await poll_page(client, poll_id)
    assert page.select("main form.poll-form-merged") == []
    assert len(page.select("main form.poll-form label.poll-choice")) == 4
    assert page.select_one("main [data-poll-results]").has_attr("hidden")
    rows = page.select("main [data-poll-moment-row]")
    assert all(row.has_attr("hidden") and row.select_one("time").get_text() == "" for row in rows)
