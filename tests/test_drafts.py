"""Autosaved drafts: kept with the form token, each editor's own, offered only when newer than
the saved item, gone after a save and with their item, refused when too large, never public."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from quart.testing import QuartClient

from content import drafts
from content.db import Database, parse_utc
from tests.clock import ManualClock
from tests.conftest import Auth, csrf_from, soup
from tests.test_custom_modules import create, custom_fields, post
from tests.test_editor import article_form

FORM = "/redaksi/artikel/1"
KEEP = "/redaksi/draf/artikel/1"


async def keep(client: QuartClient, url: str = KEEP, form_url: str = FORM, **fields: Any) -> Any:
    """Post a draft the way the form's script does: the form's own fields and token."""
    token = await csrf_from(client, form_url)
    return await client.post(url, form={"csrf_token": token, **fields})


def offer_of(html: bytes) -> dict[str, list[str]] | None:
    """The draft a form page offers (its fields), or None."""
    page = soup(html)
    offer = page.select_one("[data-draft-offer]")
    if offer is None:
        return None
    assert offer.has_attr("hidden")  # the script shows it; without one nothing is offered
    fields: dict[str, list[str]] = json.loads(offer.select_one("[data-draft-fields]").string)
    return fields


async def user_id(db: Database, email: str) -> int:
    found: int = await db.fetchval("SELECT id FROM users WHERE email = ?", (email,))
    return found


async def test_a_kept_draft_is_offered_to_its_editor_only(
    client: QuartClient, auth: Auth, db: Database, clock: ManualClock
) -> None:
    await auth.login("editor")
    clock.advance(60)  # the article was saved "now" by the system's clock: the draft is newer
    response = await keep(
        client,
        title="Judul baru yang belum disimpan",
        intro_html="<p>Ketikan setengah jadi</p>",
        base_revision="3",
        featured="1",
        action="save",
    )
    assert response.status_code == 200
    body = await response.get_json()
    assert body["ok"] is True
    assert datetime.fromisoformat(body["saved_at"]) == clock.now().replace(microsecond=0)

    page = await (await client.get(FORM)).get_data()
    fields = offer_of(page)
    # every field as sent (a hidden base revision too), but not the token or the button
    assert fields == {
        "title": ["Judul baru yang belum disimpan"],
        "intro_html": ["<p>Ketikan setengah jadi</p>"],
        "base_revision": ["3"],
        "featured": ["1"],
    }
    heading = soup(page).select_one("#draft-offer-title").get_text()
    assert heading.startswith("Perubahan belum disimpan dari pukul ")
    # the form itself still shows the saved article
    assert soup(page).select_one("#title")["value"] != "Judul baru yang belum disimpan"
    # and the public never sees it
    public = await client.get(FORM.replace("/redaksi/artikel/", "/artikel/"))
    assert "Ketikan setengah jadi" not in (await public.get_data(as_text=True))

    # another editor (the admin) is not offered it and cannot discard it
    await auth.logout()
    await auth.login("admin")
    assert offer_of(await (await client.get(FORM)).get_data()) is None
    token = await csrf_from(client, FORM)
    gone = await client.post(KEEP + "/buang", form={"csrf_token": token})
    assert (await gone.get_json()) == {"ok": True, "discarded": False}
    editor = await user_id(db, "redaksi@balittri.example")
    assert await drafts.get_draft(db, editor, "article", 1) is not None

    # the editor discards it: offered no more
    await auth.logout()
    await auth.login("editor")
    token = await csrf_from(client, FORM)
    gone = await client.post(KEEP + "/buang", form={"csrf_token": token})
    assert (await gone.get_json()) == {"ok": True, "discarded": True}
    assert offer_of(await (await client.get(FORM)).get_data()) is None


async def test_only_a_draft_newer_than_the_saved_item_is_offered(db: Database) -> None:
    editor = await user_id(db, "redaksi@balittri.example")
    saved = parse_utc(await db.fetchval("SELECT modified FROM articles WHERE id = 1"))
    fields = {"title": ["x"]}
    await drafts.save_draft(db, editor, "article", 1, fields, saved - timedelta(seconds=1))
    assert await drafts.draft_to_offer(db, editor, "article", 1, saved) is None
    # the same second: the save may not have had it, so it is offered
    await drafts.save_draft(db, editor, "article", 1, fields, saved + timedelta(microseconds=1))
    assert await drafts.draft_to_offer(db, editor, "article", 1, saved) is not None
    await drafts.save_draft(db, editor, "article", 1, {"title": ["y"]}, saved + timedelta(hours=1))
    offered = await drafts.draft_to_offer(db, editor, "article", 1, saved)
    assert offered is not None and offered.fields == {"title": ["y"]}  # replaced, not added
    # a new item's draft has nothing to be older than
    await drafts.save_draft(db, editor, "article", drafts.NEW, fields, saved - timedelta(days=9))
    assert await drafts.draft_to_offer(db, editor, "article", drafts.NEW, None) is not None
    count = await db.fetchval("SELECT count(*) FROM editing_drafts WHERE user_id = ?", (editor,))
    assert count == 2


async def test_saving_the_form_deletes_the_draft(
    client: QuartClient, auth: Auth, db: Database, clock: ManualClock
) -> None:
    await auth.login("editor")
    editor = await user_id(db, "redaksi@balittri.example")
    clock.advance(60)
    assert (await keep(client, title="Belum")).status_code == 200
    new = await keep(client, "/redaksi/draf/artikel/baru", "/redaksi/artikel/baru", title="Baru")
    assert new.status_code == 200
    assert offer_of(await (await client.get("/redaksi/artikel/baru")).get_data()) == {
        "title": ["Baru"]
    }

    # a preview is not a save: the draft stays
    form = await article_form(client, action="preview")
    assert (await client.post(FORM, form=form)).status_code == 200
    assert await drafts.get_draft(db, editor, "article", 1) is not None

    # a refused save neither
    refused = await client.post(FORM, form=await article_form(client, title=""))
    assert refused.status_code == 400
    assert await drafts.get_draft(db, editor, "article", 1) is not None

    response = await client.post(FORM, form=await article_form(client))
    assert response.status_code == 302
    assert await drafts.get_draft(db, editor, "article", 1) is None
    assert await drafts.get_draft(db, editor, "article", drafts.NEW) is not None  # not this one

    response = await client.post("/redaksi/artikel/baru", form=await article_form(client))
    assert response.status_code == 302
    assert await drafts.get_draft(db, editor, "article", drafts.NEW) is None


async def test_event_drafts_go_with_the_save_and_with_the_event(
    client: QuartClient, auth: Auth, db: Database, clock: ManualClock
) -> None:
    await auth.login("editor")
    editor = await user_id(db, "redaksi@balittri.example")
    event_ids = [row["id"] for row in await db.fetchall("SELECT id FROM events ORDER BY id")]
    first, second = event_ids[:2]
    clock.advance(60)
    for event_id in (first, second):
        form_url = f"/redaksi/kegiatan/{event_id}"
        url = f"/redaksi/draf/kegiatan/{event_id}"
        assert (await keep(client, url, form_url, title="Seminar")).status_code == 200
        assert offer_of(await (await client.get(form_url)).get_data()) == {"title": ["Seminar"]}

    # the event is deleted: its draft with it
    token = await csrf_from(client, f"/redaksi/kegiatan/{first}/hapus")
    deleted = await client.post(f"/redaksi/kegiatan/{first}/hapus", form={"csrf_token": token})
    assert deleted.status_code == 302
    assert await drafts.get_draft(db, editor, "event", first) is None

    # the other is saved through its form: its draft goes
    page = soup(await (await client.get(f"/redaksi/kegiatan/{second}")).get_data())
    fields: dict[str, str] = {}
    for field in page.select("form.stacked-form [name]"):
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            fields[field["name"]] = chosen["value"] if chosen else ""
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                fields[field["name"]] = field["value"]
        elif field.name == "textarea":
            fields[field["name"]] = field.get_text()
        else:
            fields[field["name"]] = field.get("value", "")
    saved = await client.post(f"/redaksi/kegiatan/{second}", form=fields)
    assert saved.status_code == 302, await saved.get_data(as_text=True)
    assert await drafts.get_draft(db, editor, "event", second) is None


async def test_drafts_are_refused_without_token_login_or_item_and_when_too_large(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    # a visitor is sent to log in; nothing kept
    token = await csrf_from(client, "/")
    anonymous = await client.post(KEEP, form={"csrf_token": token, "title": "x"})
    assert anonymous.status_code == 302 and "/masuk" in anonymous.headers["Location"]

    await auth.login("moderator")
    token = await csrf_from(client, "/")
    assert (await client.post(KEEP, form={"csrf_token": token})).status_code == 403

    await auth.logout()
    await auth.login("editor")
    assert (await client.post(KEEP, form={"title": "x"})).status_code == 400  # no token
    assert (await keep(client, "/redaksi/draf/artikel/99999", title="x")).status_code == 404
    assert (await keep(client, "/redaksi/draf/kegiatan/99999", title="x")).status_code == 404
    assert (await keep(client, "/redaksi/draf/halaman/1", title="x")).status_code == 404
    # a body over PORTAL_MAX_CONTENT_LENGTH (2 MB): 413, and nothing half-kept
    large = await keep(client, intro_html="x" * 2_100_000)
    assert large.status_code == 413
    assert await db.fetchval("SELECT count(*) FROM editing_drafts") == 0
    assert (await keep(client, **{"n" * 101: "x"})).status_code == 400


async def test_a_draft_goes_with_its_editor(db: Database) -> None:
    editor = await user_id(db, "redaksi@balittri.example")
    await drafts.save_draft(db, editor, "article", 1, {"t": ["x"]}, datetime.now(UTC))
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM staff_sessions WHERE user_id = ?", (editor,))
        await conn.execute("UPDATE articles SET author_id = NULL WHERE author_id = ?", (editor,))
        await conn.execute("DELETE FROM audit_log WHERE user_id = ?", (editor,))
        await conn.execute("DELETE FROM users WHERE id = ?", (editor,))
    assert await db.fetchval("SELECT count(*) FROM editing_drafts") == 0


async def test_an_article_draft_goes_with_the_article(
    client: QuartClient, auth: Auth, db: Database, clock: ManualClock
) -> None:
    """Articles are trashed, not deleted, from the editors' pages; should a row ever go, its
    drafts go with it (the foreign key), rather than block it or point at nothing."""
    await auth.login("editor")
    created = await client.post("/redaksi/artikel/baru", form=await article_form(client))
    article_id = int(created.headers["Location"].split("/artikel/")[1].split("?")[0])
    clock.advance(60)
    url = f"/redaksi/draf/artikel/{article_id}"
    assert (await keep(client, url, f"/redaksi/artikel/{article_id}", title="x")).status_code == 200
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
    assert await db.fetchval("SELECT count(*) FROM editing_drafts") == 0


async def test_custom_module_drafts_are_kept_offered_and_go_as_article_drafts_do(
    client: QuartClient, auth: Auth, db: Database, clock: ManualClock
) -> None:
    await auth.login("editor")
    editor = await user_id(db, "redaksi@balittri.example")
    new_form, new_keep = "/redaksi/modul/html/baru", "/redaksi/draf/modul-html/baru"
    assert (await keep(client, new_keep, new_form, title="Pengumuman")).status_code == 200
    assert offer_of(await (await client.get(new_form)).get_data()) == {"title": ["Pengumuman"]}

    # saving the new module: its draft goes
    _, module_id = await create(client)
    assert module_id is not None
    assert await drafts.get_draft(db, editor, "custom_module", drafts.NEW) is None

    form_url, url = f"/redaksi/modul/html/{module_id}", f"/redaksi/draf/modul-html/{module_id}"
    page = soup(await (await client.get(form_url)).get_data())
    keeper = page.select_one("[data-draft-keeper]")
    assert keeper["data-save-url"] == url
    assert page.select_one("[data-draft-offer]") is None  # nothing newer than the module
    clock.advance(60)
    typed = {"title": "Layanan baru", "body_html": "<p>Setengah jadi</p>", "base_revision": "1"}
    assert (await keep(client, url, form_url, **typed)).status_code == 200
    offered = offer_of(await (await client.get(form_url)).get_data())
    assert offered == {name: [value] for name, value in typed.items()}
    # into the rich-text editor: the body is the textarea Jodit sits on
    assert page.select_one("textarea#body_html[data-rich-text]") is not None

    # another editor is not offered it
    await auth.logout()
    await auth.login("admin")
    assert offer_of(await (await client.get(form_url)).get_data()) is None
    await auth.logout()
    await auth.login("editor")

    # a save through the form deletes it
    token = await csrf_from(client, form_url)
    fields = [*custom_fields(token), ("base_revision", "1")]
    assert (await post(client, form_url, fields)).status_code == 302
    assert await drafts.get_draft(db, editor, "custom_module", module_id) is None

    # and deleting the module deletes a draft kept since
    clock.advance(60)
    assert (await keep(client, url, form_url, title="x", base_revision="2")).status_code == 200
    token = await csrf_from(client, f"{form_url}/hapus")
    deleted = await client.post(f"{form_url}/hapus", form={"csrf_token": token})
    assert deleted.status_code == 302
    assert await db.fetchval("SELECT count(*) FROM editing_drafts") == 0
    assert (await keep(client, url, "/redaksi/modul/html/baru", title="x")).status_code == 404


async def test_an_autosave_arriving_after_the_save_is_not_kept_or_offered(
    client: QuartClient, auth: Auth, db: Database, clock: ManualClock
) -> None:
    await auth.login("editor")
    editor = await user_id(db, "redaksi@balittri.example")
    base = await db.fetchval(
        "SELECT max(number) FROM revisions WHERE kind = 'article' AND item_id = 1"
    )
    clock.advance(60)
    # the form opened at `base` is saved ...
    saved = await client.post(FORM, form=await article_form(client, base_revision=str(base)))
    assert saved.status_code == 302
    # ... and the autosave that was on its way as Save was pressed comes in after it
    clock.advance(1)
    late = await keep(client, title="Panen Raya Kopi", base_revision=str(base))
    assert late.status_code == 409
    assert (await late.get_json()) == {"ok": False, "saved_since": True}
    assert await drafts.get_draft(db, editor, "article", 1) is None
    assert offer_of(await (await client.get(FORM)).get_data()) is None

    # a form opened after the save goes on being kept
    later = await keep(client, title="Lanjut", base_revision=str(base + 1))
    assert later.status_code == 200
    # and so is the stale form of an editor whom someone else overtook (the conflict screen's)
    await auth.logout()
    await auth.login("admin")
    stale = await keep(client, title="Versi admin", base_revision=str(base))
    assert stale.status_code == 200


async def test_dropping_my_changes_on_the_conflict_screen_discards_my_draft(
    client: QuartClient, auth: Auth, db: Database, clock: ManualClock
) -> None:
    await auth.login("editor")
    editor = await user_id(db, "redaksi@balittri.example")
    base = await db.fetchval(
        "SELECT max(number) FROM revisions WHERE kind = 'article' AND item_id = 1"
    )
    await auth.logout()
    await auth.login("admin")
    saved = await client.post(FORM, form=await article_form(client, base_revision=str(base)))
    assert saved.status_code == 302
    await auth.logout()
    await auth.login("editor")
    clock.advance(60)
    mine = await article_form(client, title="Versi saya", base_revision=str(base))
    refused = await client.post(FORM, form=mine)
    assert refused.status_code == 409
    assert (await keep(client, title="Versi saya", base_revision=str(base))).status_code == 200
    assert offer_of(await (await client.get(FORM)).get_data()) is not None

    # the drop is a form with the token, posting to the draft's discard; not a link
    page = soup(await refused.get_data())
    drop = page.select_one("section.conflict form[data-drops-draft]")
    assert drop is not None and drop["method"] == "post"
    assert drop["action"] == KEEP + "/buang"
    assert page.select_one("section.conflict a[href='/redaksi/artikel/1']") is None
    fields = {field["name"]: field["value"] for field in drop.select("input[type=hidden]")}
    assert set(fields) == {"csrf_token", "buka"}
    assert (await client.get(KEEP + "/buang")).status_code == 405  # no change on a GET
    dropped = await client.post(drop["action"], form=fields)
    assert dropped.status_code == 302 and dropped.headers["Location"] == FORM
    assert await drafts.get_draft(db, editor, "article", 1) is None
    assert offer_of(await (await client.get(FORM)).get_data()) is None
    # without the token: refused, nothing discarded
    assert (await keep(client, title="Lagi", base_revision=str(base + 1))).status_code == 200
    assert (await client.post(KEEP + "/buang", form={"buka": "1"})).status_code == 400
    assert await drafts.get_draft(db, editor, "article", 1) is not None
