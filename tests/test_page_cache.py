"""Shared pages for anonymous visitors: one render serves many, each with its own form token,
the right poll variant, counted views, and never a staff member's page."""

from __future__ import annotations

from quart import Quart
from quart.testing import QuartClient

from content.db import Database
from content.web.page_cache import PageCache
from content.web.state import Portal
from tests.clock import ManualClock
from tests.conftest import Auth, csrf_from, soup
from tests.test_editor import article_form

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def cache_of(app: Quart) -> PageCache:
    found = Portal.of(app).page_cache
    assert found is not None
    return found


async def page(client: QuartClient, path: str = "/") -> str:
    response = await client.get(path, headers={"User-Agent": BROWSER})
    assert response.status_code == 200
    return (await response.get_data()).decode()


def token_of(html: str) -> str:
    return str(soup(html).select_one(".poll-form input[name=csrf_token]")["value"])


async def test_one_render_serves_many_each_with_its_own_token(
    app: Quart, client: QuartClient
) -> None:
    cache = cache_of(app)
    first = await page(client)
    assert (cache.misses, cache.hits) == (1, 0)
    others = [app.test_client() for _ in range(3)]
    pages = [await page(other) for other in others]
    assert (cache.misses, cache.hits) == (1, 3)
    tokens = {token_of(html) for html in [first, *pages]}
    assert len(tokens) == 4 and cache.marker not in "".join([first, *pages])
    for html, token in zip(pages, [token_of(p) for p in pages], strict=True):
        assert html.replace(token, "T") == first.replace(token_of(first), "T")
    # each token works with its own cookie only
    poll_form = soup(first).select_one(".poll-form")
    option = poll_form.select_one("input[name=option]")["value"]
    action = poll_form["action"]
    response = await others[0].post(
        action, form={"csrf_token": token_of(pages[1]), "option": option}
    )
    assert response.status_code == 400
    response = await others[0].post(
        action, form={"csrf_token": token_of(pages[0]), "option": option}
    )
    assert response.status_code == 302


async def test_a_voter_sees_the_voted_variant_and_others_the_form(
    app: Quart, client: QuartClient
) -> None:
    html = await page(client)
    poll_form = soup(html).select_one(".poll-form")
    option = poll_form.select_one("input[name=option]")["value"]
    await client.post(poll_form["action"], form={"csrf_token": token_of(html), "option": option})
    flashed = soup(await page(client))  # the flash message: rendered for this visitor alone
    assert flashed.select_one(".poll-flash") is not None
    mine = soup(await page(client))  # and from now on the shared "voted" variant
    assert mine.select_one(".poll-form") is None and mine.select_one(".poll-flash") is None
    assert mine.select_one(".poll-note").get_text() == "Anda sudah memilih. Terima kasih!"
    stranger = soup(await page(app.test_client()))
    assert stranger.select_one(".poll-form") is not None


async def test_staff_never_get_or_leave_a_shared_page(
    app: Quart, client: QuartClient, auth: Auth
) -> None:
    await page(app.test_client())  # an anonymous render is now kept
    await auth.login("editor")
    staff_page = soup(await page(client))
    assert staff_page.select_one(".staff-bar") is not None
    assert soup(await page(app.test_client())).select_one(".staff-bar") is None


async def test_an_editors_change_shows_at_once(
    app: Quart, client: QuartClient, auth: Auth, db: Database
) -> None:
    reader = app.test_client()
    await page(reader)
    await auth.login("editor")
    response = await client.post(
        "/redaksi/artikel/baru", form=await article_form(client, title="Kabar Paling Baru")
    )
    assert response.status_code == 302
    titles = [a.get_text() for a in soup(await page(reader)).select(".teaser-title a")]
    assert "Kabar Paling Baru" in titles


async def test_views_served_from_memory_are_counted(app: Quart, db: Database) -> None:
    row = await db.fetchone("SELECT id, alias FROM articles WHERE state = 1 ORDER BY id LIMIT 1")
    path = f"/artikel/{row['id']}-{row['alias']}"
    counter = Portal.of(app).hits
    before = counter.unflushed_hits(row["id"])
    for _ in range(5):
        await page(app.test_client(), path)  # five people, one render
    assert cache_of(app).hits >= 4
    assert counter.unflushed_hits(row["id"]) - before == 5


async def test_token_of_a_shared_page_still_protects_forms(app: Quart, client: QuartClient) -> None:
    await page(client)
    token = await csrf_from(client, "/")
    assert token != cache_of(app).marker


async def test_an_expired_page_is_served_while_one_request_renders_it_anew(
    app: Quart, client: QuartClient
) -> None:
    cache = cache_of(app)
    await page(client)
    key = next(iter(cache._entries))
    cache._entries[key].at -= cache.seconds + 1  # expired
    cache.rendering.add(key)  # someone is rendering it right now
    await page(app.test_client())
    assert (cache.misses, cache.hits) == (1, 1)  # the old page, not a second render
    cache.rendering.discard(key)
    await page(app.test_client())
    assert (cache.misses, cache.hits) == (2, 1)  # expired and nobody rendering: render
    assert not cache.rendering


async def test_a_kept_page_lives_its_seconds_on_the_apps_clock(
    app: Quart, client: QuartClient, clock: ManualClock
) -> None:
    cache = cache_of(app)
    seconds = app.config["PAGE_CACHE_SECONDS"]
    await page(client)
    clock.advance(seconds)
    await page(client)
    assert (cache.misses, cache.hits) == (1, 1)  # however long the render took
    clock.advance(0.01)
    await page(client)
    assert (cache.misses, cache.hits) == (2, 1)  # rendered anew once expired
