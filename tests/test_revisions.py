"""Revisions: the store and its API, retention, conflicts, comparing, restoring, and the first
revision of imported and demo content."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from quart import Quart
from quart.testing import QuartClient

from content import articles, revisions
from content.accounts import User
from content.articles import ArticleDraft, State
from content.calendar import events as calendar_events
from content.db import Database, format_utc
from content.i18n import format_date_in
from content.revisions import Retention, Shown
from content.sanitize import HtmlCleaner
from content.web.state import Portal
from tests.clock import ManualClock
from tests.conftest import Auth, DemoDatabase, copy_demo, make_app, soup


async def editor_of(db: Database, email: str = "redaksi@balittri.example") -> User:
    row = await db.fetchone("SELECT * FROM users WHERE email = ?", (email,))
    assert row is not None
    return User(
        **{key: row[key] for key in ("id", "email", "name", "role", "password_hash")},
        active=bool(row["active"]),
    )


def draft_of(article: articles.Article, **changes: object) -> ArticleDraft:
    draft = articles.draft_of_revision(
        {name: getattr(article, name) for name in ("title", "alias", "category_id")}
        | {
            "intro_html": article.intro_html,
            "full_html": article.full_html,
            "author_name": article.author_name,
            "state": int(article.state),
            "featured": int(article.featured),
            "publish_up": format_utc(article.publish_up) if article.publish_up else None,
            "publish_down": format_utc(article.publish_down) if article.publish_down else None,
            "meta_description": article.meta_description,
            "intro_image": article.intro_image,
        }
    )
    return ArticleDraft(**{**draft.__dict__, **changes})  # type: ignore[arg-type]


async def test_demo_articles_and_events_start_with_one_revision(db: Database) -> None:
    article_count = await db.fetchval("SELECT count(*) FROM articles")
    event_count = await db.fetchval("SELECT count(*) FROM events")
    assert article_count and event_count
    rows = await db.fetchall(
        "SELECT kind, count(*) AS n, min(number) AS first, max(origin) AS origin "
        "FROM revisions GROUP BY kind ORDER BY kind"
    )
    assert [tuple(row) for row in rows] == [
        ("article", article_count, 1, "demo"),
        ("event", event_count, 1, "demo"),
    ]
    first = await revisions.latest(db, "article", 1)
    article = await articles.get_article(db, 1)
    assert first is not None and article is not None
    assert first.fields["title"] == article.title
    assert first.fields["full_html"] == article.full_html
    assert first.user_id is None and first.origin == "demo"


async def test_every_save_records_who_when_note_and_all_fields(
    app: Quart, db: Database, clock: ManualClock
) -> None:
    editor = await editor_of(db)
    article = await articles.get_article(db, 2)
    assert article is not None
    cleaner = Portal.of(app).cleaner
    async with app.app_context():
        saved, errors = await articles.save_article(
            db,
            draft_of(article, title="Judul Baru", intro_html='<p onclick="x()">Pengantar baru</p>'),
            editor,
            cleaner,
            2,
            based_on=1,
            note="  Judul\ndiperbaiki  ",
        )
    assert (saved, errors) == (2, {})
    latest = await revisions.latest(db, "article", 2)
    assert latest is not None
    assert latest.number == 2
    assert (latest.user_id, latest.user_name, latest.note) == (
        editor.id,
        editor.name,
        "Judul diperbaiki",
    )
    assert latest.at == clock.now().replace(microsecond=0)
    assert latest.fields["title"] == "Judul Baru"
    assert latest.fields["intro_html"] == "<p>Pengantar baru</p>"
    assert set(latest.fields) == set(articles.REVISION_FIELDS)
    listed = await revisions.list_for(db, "article", 2)
    assert [r.number for r in listed] == [2, 1] and listed[0].fields == {}
    older = await revisions.get(db, "article", 2, 1)
    assert older is not None and older.fields["title"] == article.title
    assert await revisions.get(db, "article", 2, 3) is None


async def test_a_save_based_on_an_older_revision_is_refused_and_writes_nothing(
    app: Quart, db: Database
) -> None:
    editor = await editor_of(db)
    admin = await editor_of(db, "admin@balittri.example")
    article = await articles.get_article(db, 3)
    assert article is not None
    cleaner = Portal.of(app).cleaner
    async with app.app_context():
        await articles.save_article(
            db, draft_of(article, title="Pertama"), admin, cleaner, 3, based_on=1
        )
        before = (
            await db.fetchval("SELECT count(*) FROM revisions"),
            await db.fetchval("SELECT count(*) FROM audit_log"),
            await db.fetchval("SELECT title FROM articles WHERE id = 3"),
        )
        with pytest.raises(revisions.Conflict) as refused:
            await articles.save_article(
                db, draft_of(article, title="Kedua"), editor, cleaner, 3, based_on=1
            )
        assert refused.value.current.number == 2
        assert refused.value.current.user_name == admin.name
        assert refused.value.based_on == 1
        after = (
            await db.fetchval("SELECT count(*) FROM revisions"),
            await db.fetchval("SELECT count(*) FROM audit_log"),
            await db.fetchval("SELECT title FROM articles WHERE id = 3"),
        )
        assert after == before == (before[0], before[1], "Pertama")
        # Saving over revision 2, the one shown, goes through; over an older one it does not.
        with pytest.raises(revisions.Conflict):
            await articles.save_article(
                db, draft_of(article, title="Kedua"), editor, cleaner, 3, based_on=1, overwrite=1
            )
        saved, _ = await articles.save_article(
            db, draft_of(article, title="Kedua"), editor, cleaner, 3, based_on=1, overwrite=2
        )
    assert saved == 3
    listed = await revisions.list_for(db, "article", 3)
    assert [(r.number, r.user_name) for r in listed[:2]] == [(3, editor.name), (2, admin.name)]


async def test_state_and_featured_changes_are_revisions_too(app: Quart, db: Database) -> None:
    editor = await editor_of(db)
    async with app.app_context():
        assert await articles.set_state(db, 4, State.UNPUBLISHED, editor)
        assert await articles.set_featured(db, 4, True, editor)
    listed = await revisions.list_for(db, "article", 4)
    assert [r.number for r in listed] == [3, 2, 1]
    latest = await revisions.latest(db, "article", 4)
    assert latest is not None
    assert (latest.fields["state"], latest.fields["featured"]) == (0, 1)


def test_retention_keeps_the_last_n_one_a_day_and_the_first() -> None:
    start = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    # 1 to 30: three saves a day for ten days
    saves = [(n, start + timedelta(days=(n - 1) // 3, hours=(n - 1) % 3)) for n in range(1, 31)]
    now = saves[-1][1]
    kept = revisions.kept(saves, now, Retention(keep=5, daily_days=4))
    # the last five (26-30), the first (1), and the last of each day from 6 March (four days
    # before the last save's day) on: 10 and 9 March's are among the five, 8 March (24),
    # 7 March (21), 6 March (18)
    assert kept == {1, 18, 21, 24, 26, 27, 28, 29, 30}
    assert revisions.kept(saves, now, Retention(keep=5, daily_days=0)) == {1, 26, 27, 28, 29, 30}
    assert revisions.kept(saves[:3], now, Retention(keep=5, daily_days=0)) == {1, 2, 3}


async def test_retention_prunes_at_save_time_by_the_apps_clock_and_settings(
    tmp_path: Path, demo_database: DemoDatabase
) -> None:
    copy_demo(demo_database, tmp_path / "portal.db")
    clock = ManualClock(datetime(2026, 3, 1, 1, 0, tzinfo=UTC).timestamp())
    app = make_app(
        tmp_path,
        clock=clock,
        DATABASE=str(tmp_path / "portal.db"),
        REVISIONS_KEEP=3,
        REVISIONS_DAILY_DAYS=2,
        TIMEZONE="Asia/Jakarta",
    )
    async with app.test_app():
        db = Portal.of(app).database
        cleaner = Portal.of(app).cleaner
        editor = await editor_of(db)
        article = await articles.get_article(db, 5)
        assert article is not None
        async with app.app_context():
            for day in range(4):
                for save in range(2):
                    title = f"Hari {day} simpan {save}"
                    await articles.save_article(
                        db, draft_of(article, title=title), editor, cleaner, 5
                    )
                    clock.advance(3600)
                clock.advance(22 * 3600)
        listed = await revisions.list_for(db, "article", 5)
    # Saves 2..9 at 08:00 and 09:00 Jakarta on four days (1 to 4 March); the clock's last save
    # is on 4 March: kept are the first, the last three (7, 8, 9) and the last of each day
    # from 2 March on (3 March's is 7 already; 2 March: 5); 1 March's (3) is too old.
    assert [r.number for r in listed] == [9, 8, 7, 5, 1]
    assert listed[0].at == datetime(2026, 3, 4, 2, 0, tzinfo=UTC)


async def test_deleting_an_event_forgets_its_revisions(app: Quart, db: Database) -> None:
    editor = await editor_of(db)
    event_id = await db.fetchval("SELECT min(id) FROM events")
    assert await revisions.latest(db, "event", event_id) is not None
    async with app.app_context():
        assert await calendar_events.delete_event(db, event_id, editor)
    assert await revisions.list_for(db, "event", event_id) == []


async def test_event_saves_conflicts_and_restores(app: Quart, db: Database) -> None:
    editor = await editor_of(db)
    event_id = await db.fetchval("SELECT min(id) FROM events")
    event = await calendar_events.get_event(db, event_id)
    assert event is not None
    cleaner = HtmlCleaner()
    first = calendar_events.draft_of_revision(
        {name: getattr(event, name) for name in calendar_events.REVISION_FIELDS}
        | {"repeat_until": event.repeat_until.isoformat() if event.repeat_until else None}
    )
    async with app.app_context():
        changed = calendar_events.EventDraft(**{**first.__dict__, "location": "Aula Baru"})
        await calendar_events.save_event(db, changed, editor, cleaner, event_id, based_on=1)
        with pytest.raises(revisions.Conflict):
            await calendar_events.save_event(db, first, editor, cleaner, event_id, based_on=1)
        await calendar_events.restore_event(db, event_id, 1, editor, cleaner)
    restored = await calendar_events.get_event(db, event_id)
    assert restored is not None and restored.location == event.location
    latest = await revisions.latest(db, "event", event_id)
    assert latest is not None
    assert (latest.number, latest.origin, latest.restored_from) == (3, "restore", 1)
    audited = await db.fetchone("SELECT action, detail FROM audit_log ORDER BY id DESC LIMIT 1")
    assert audited is not None and audited["action"] == "restore"


# Comparing


def test_a_word_changed_in_html_is_shown_as_that_word() -> None:
    old = "<p>Panen kopi <strong>robusta</strong> di kebun.</p><p>Paragraf kedua.</p>"
    new = "<p>Panen kopi <strong>arabika</strong> di kebun.</p><p>Paragraf kedua.</p>"
    lines = revisions.diff_lines(old, new, is_html=True)
    changed = [line for line in lines if line.changed]
    assert len(changed) == 1
    ops = [(s.op, s.text) for s in changed[0].segments]
    assert ("delete", "robusta") in ops and ("insert", "arabika") in ops
    assert ("equal", "Panen kopi ") in ops  # unchanged tags only shape the text
    assert not any(s.markup for s in changed[0].segments)


def test_added_markup_is_shown_as_markup_and_entities_as_text() -> None:
    old = "<p>Kopi &amp; teh</p>"
    new = '<p>Kopi &amp; <a href="https://contoh.id/">teh</a></p>'
    (line,) = revisions.diff_lines(old, new, is_html=True)
    assert (line.segments[0].op, line.segments[0].text) == ("equal", "Kopi & ")
    markup = [s.text for s in line.segments if s.markup]
    assert markup == ['<a href="https://contoh.id/">', "</a>"]


def test_unchanged_paragraphs_far_from_a_change_are_counted_not_shown() -> None:
    paragraphs = [f"<p>Paragraf {n}.</p>" for n in range(10)]
    changed = list(paragraphs)
    changed[5] = "<p>Paragraf lima.</p>"
    lines = revisions.diff_lines("".join(paragraphs), "".join(changed), is_html=True)
    assert [line.skipped for line in lines] == [4, 0, 0, 0, 3]


def test_compare_lists_only_changed_fields_in_order() -> None:
    shown = [Shown("title", "Title"), Shown("intro_html", "Intro", is_html=True)]
    same = revisions.compare(
        {"title": "A", "intro_html": "<p>x</p>"}, {"title": "A", "intro_html": "<p>x</p>"}, shown
    )
    assert same == []
    changes = revisions.compare(
        {"title": "A", "intro_html": "<p>x</p>"}, {"title": "B", "intro_html": "<p>x</p>"}, shown
    )
    assert [c.name for c in changes] == ["title"]


def test_imported_articles_start_with_one_revision(tmp_path: Path) -> None:
    from tests.test_joomla import invoke, query, stock_3_blog

    app = make_app(tmp_path)
    code, output = invoke(app, "import-joomla", *stock_3_blog())
    assert code == 0, output
    path = app.config["DATABASE"]
    rows = query(
        path,
        "SELECT a.id, a.title, a.full_html, r.number, r.origin, r.user_id, r.fields "
        "FROM articles a LEFT JOIN revisions r ON r.kind = 'article' AND r.item_id = a.id",
    )
    assert len(rows) == 6
    for row in rows:
        assert (row["number"], row["origin"], row["user_id"]) == (1, "import", None)
        fields = json.loads(row["fields"])
        assert (fields["title"], fields["full_html"]) == (row["title"], row["full_html"])
    # A second import changes nothing, revisions included.
    before = query(path, "SELECT count(*) FROM revisions")[0][0]
    assert invoke(app, "import-joomla", *stock_3_blog())[0] == 0
    assert query(path, "SELECT count(*) FROM revisions")[0][0] == before == 6


async def test_articles_and_events_there_before_revisions_start_with_one(
    tmp_path: Path, demo_database: DemoDatabase
) -> None:
    """The migration gives what is there its first revision, with the fields a save keeps."""
    from content.db import migration_files

    async with Database(tmp_path / "old.db") as db:
        await db.migrate([m for m in migration_files() if m[0] < "0014"])
        async with Database(demo_database.path) as demo:
            found = await demo.fetchone("SELECT * FROM articles WHERE id = 1")
            event = await demo.fetchone("SELECT * FROM events ORDER BY id LIMIT 1")
        assert found is not None and event is not None
        article = {**dict(found), "category_id": 1, "author_id": None}
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO categories (id, title, alias) VALUES (1, 'K', 'k')")
            await conn.execute(
                f"INSERT INTO articles ({', '.join(article.keys())}) "
                f"VALUES ({', '.join('?' * len(article))})",
                tuple(article.values()),
            )
            await conn.execute(
                f"INSERT INTO events ({', '.join(event.keys())}) "
                f"VALUES ({', '.join('?' * len(event))})",
                tuple(event),
            )
        await db.migrate()
        article_revision = await revisions.latest(db, "article", 1)
        event_revision = await revisions.latest(db, "event", event["id"])
        assert article_revision is not None and event_revision is not None
        assert (article_revision.number, article_revision.origin) == (1, "existing")
        async with db.transaction() as conn:
            second = await articles.record_revision(conn, 1, None)
            await calendar_events.record_revision(conn, event["id"], None)
        again = await revisions.get(db, "article", 1, second)
        assert again is not None and again.fields == article_revision.fields
        event_again = await revisions.latest(db, "event", event["id"])
        assert event_again is not None and event_again.fields == event_revision.fields


# The editors' pages


async def form_of(client: QuartClient, path: str) -> dict[str, str]:
    """The fields an edit form would send as it is (no button pressed)."""
    page = soup(await (await client.get(path)).get_data())
    form = page.select_one("form.stacked-form")
    assert form is not None
    fields: dict[str, str] = {}
    for element in form.select("input[name], textarea[name], select[name]"):
        name = str(element["name"])
        if element.name == "textarea":
            fields[name] = element.get_text()
        elif element.name == "select":
            chosen = element.select_one("option[selected]") or element.select_one("option")
            fields[name] = str(chosen["value"]) if chosen else ""
        elif element.get("type") in ("checkbox", "radio"):
            if element.has_attr("checked"):
                fields[name] = str(element["value"])
        else:
            fields[name] = str(element.get("value", ""))
    return fields


async def admin_saves(app: Quart, db: Database, article_id: int, **changes: object) -> None:
    """Another editor (the admin) saves the article from their own form."""
    admin = await editor_of(db, "admin@balittri.example")
    article = await articles.get_article(db, article_id)
    assert article is not None
    async with app.app_context():
        saved, errors = await articles.save_article(
            db,
            draft_of(article, **changes),
            admin,
            Portal.of(app).cleaner,
            article_id,
            note="Judul dirapikan",
        )
    assert saved == article_id and not errors


async def test_the_edit_form_carries_its_revision_and_a_note_field(
    client: QuartClient, auth: Auth
) -> None:
    await auth.login("editor")
    page = soup(await (await client.get("/redaksi/artikel/6")).get_data())
    assert page.select_one("input[type=hidden][name=base_revision]")["value"] == "1"
    note = page.select_one("input#revision_note[name=revision_note]")
    assert note is not None and page.select_one("label[for=revision_note]") is not None
    history = page.select_one(".revision-links a")
    assert history["href"] == "/redaksi/artikel/6/revisi"
    new = soup(await (await client.get("/redaksi/artikel/baru")).get_data())
    assert new.select_one("input[name=base_revision]")["value"] == ""


async def test_a_stale_save_is_refused_with_who_when_and_what_changed(
    app: Quart, client: QuartClient, auth: Auth, db: Database, clock: ManualClock
) -> None:
    await auth.login("editor")
    mine = await form_of(client, "/redaksi/artikel/6")
    assert mine["base_revision"] == "1"
    original_title = mine["title"]
    await admin_saves(app, db, 6, title="Judul dari Admin", intro_html="<p>Pengantar admin.</p>")
    before = (
        await db.fetchval("SELECT count(*) FROM revisions"),
        await db.fetchval("SELECT count(*) FROM audit_log"),
        await db.fetchone("SELECT title, intro_html, version FROM articles WHERE id = 6"),
    )
    mine.update(
        title="Judul dari Redaksi",
        intro_html="<p>Pengantar <em>redaksi</em> yang baru.</p>",
        meta_description="Deskripsi redaksi",
        revision_note="Catatan saya",
        action="save",
    )
    response = await client.post("/redaksi/artikel/6", form=mine)
    assert response.status_code == 409
    page = soup(await response.get_data())
    conflict = page.select_one("section.conflict")
    assert conflict is not None
    alert = conflict.select_one("[role=alert]").get_text()
    admin_name = await db.fetchval("SELECT name FROM users WHERE email = 'admin@balittri.example'")
    saved_at = (await revisions.latest(db, "article", 6)).at  # type: ignore[union-attr]
    assert admin_name in alert
    assert format_date_in(saved_at, "time", "Asia/Jakarta", "id") in alert
    # What the admin changed, from the revision the editor started from to theirs
    labels = [h.get_text() for h in conflict.select(".diff-field .diff-label")]
    assert len(labels) == 2  # the title and the intro
    title_diff = conflict.select(".diff-field")[0]
    assert [d.get_text() for d in title_diff.select("del")] == [f"[dihapus: {original_title}]"]
    assert [i.get_text() for i in title_diff.select("ins")] == ["[ditambahkan: Judul dari Admin]"]
    # The editor's own text is all still in the form, still based on revision 1
    form = page.select_one("form.stacked-form")
    assert form.select_one("input[name=title]")["value"] == "Judul dari Redaksi"
    assert form.select_one("textarea[name=intro_html]").get_text() == mine["intro_html"]
    assert form.select_one("input[name=meta_description]")["value"] == "Deskripsi redaksi"
    assert form.select_one("input[name=revision_note]")["value"] == "Catatan saya"
    assert form.select_one("input[name=base_revision]")["value"] == "1"
    anyway = form.select_one("button[name=save_anyway]")
    assert anyway is not None and anyway["value"] == "2"
    assert form.select_one("button[name=action][value=save]") is None
    # Nothing was written
    after = (
        await db.fetchval("SELECT count(*) FROM revisions"),
        await db.fetchval("SELECT count(*) FROM audit_log"),
        await db.fetchone("SELECT title, intro_html, version FROM articles WHERE id = 6"),
    )
    assert tuple(after[:2]) == tuple(before[:2])
    assert tuple(after[2]) == tuple(before[2])  # type: ignore[arg-type]

    # "Save anyway" saves the editor's text over the admin's; both are in the history.
    mine["save_anyway"] = "2"
    del mine["action"]
    response = await client.post("/redaksi/artikel/6", form=mine)
    assert response.status_code == 302
    assert await db.fetchval("SELECT title FROM articles WHERE id = 6") == "Judul dari Redaksi"
    history = soup(await (await client.get("/redaksi/artikel/6/revisi")).get_data())
    listed = history.select("li.revision")
    assert [li["data-revision"] for li in listed] == ["3", "2", "1"]
    assert "is-current" in listed[0]["class"]
    assert listed[0].select_one(".revision-note").get_text() == "Catatan saya"
    assert listed[1].select_one(".revision-user").get_text() == admin_name
    assert listed[1].select_one(".revision-note").get_text() == "Judul dirapikan"


async def test_save_anyway_over_an_older_save_is_refused_again(
    app: Quart, client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    mine = await form_of(client, "/redaksi/artikel/7")
    await admin_saves(app, db, 7, title="Admin satu")
    await admin_saves(app, db, 7, title="Admin dua")
    mine.update(title="Redaksi", save_anyway="2")  # saw revision 2; 3 came after
    response = await client.post("/redaksi/artikel/7", form=mine)
    assert response.status_code == 409
    assert await db.fetchval("SELECT title FROM articles WHERE id = 7") == "Admin dua"


async def test_restore_brings_the_text_back_on_the_public_page(
    app: Quart, client: QuartClient, auth: Auth, db: Database
) -> None:
    article = await articles.get_article(db, 8)
    assert article is not None
    visitor = app.test_client()
    address = f"/artikel/{article.slug}"
    first = soup(await (await visitor.get(address)).get_data())
    original = first.select_one("article .article-body").get_text()
    await admin_saves(app, db, 8, intro_html="<p>Teks pengganti sementara.</p>", full_html="")
    changed = soup(await (await visitor.get(address)).get_data())
    assert "Teks pengganti sementara." in changed.select_one("article .article-body").get_text()

    await auth.login("editor")
    history = soup(await (await client.get("/redaksi/artikel/8/revisi")).get_data())
    restore = history.select_one("li[data-revision='1'] form")
    token = restore.select_one("input[name=csrf_token]")["value"]
    assert (await client.post(str(restore["action"]), form={})).status_code == 400  # no token
    response = await client.post(str(restore["action"]), form={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/redaksi/artikel/8/revisi"
    restored = soup(await (await visitor.get(address)).get_data())
    assert restored.select_one("article .article-body").get_text() == original
    after = soup(await (await client.get("/redaksi/artikel/8/revisi")).get_data())
    assert after.select_one("[role=status]") is not None
    newest = after.select_one("li.revision.is-current")
    assert newest["data-revision"] == "3"
    assert newest.select_one(".revision-origin").get_text() == "Dipulihkan dari revisi 1"
    entry = await db.fetchone(
        "SELECT action, object_type, object_id FROM audit_log ORDER BY id DESC"
    )
    assert tuple(entry) == ("restore", "article", 8)  # type: ignore[arg-type]


async def test_the_comparison_escapes_everything_it_shows(
    app: Quart, client: QuartClient, auth: Auth, db: Database
) -> None:
    await admin_saves(
        app,
        db,
        9,
        title='<script>alert("judul")</script>',
        intro_html=(
            '<p>Baca &lt;img src=x onerror=alert(1)&gt; di <a href="https://contoh.id/">sini</a>'
            "</p>"
        ),
    )
    await auth.login("editor")
    response = await client.get("/redaksi/artikel/9/revisi/banding")
    assert response.status_code == 200
    page = soup(await response.get_data())
    diff = page.select(".diff")
    assert diff
    for block in diff:
        assert block.select("script, img, a, iframe") == []
    text = " ".join(block.get_text() for block in diff)
    assert '<script>alert("judul")</script>' in text
    assert "<img src=x onerror=alert(1)>" in text
    assert [c.get_text() for c in page.select(".diff ins code")] == [
        '<a href="https://contoh.id/" rel="noopener noreferrer nofollow">',
        "</a>",
    ]
    # Another pair, chosen by number; a number not kept is a 404, a word a 400
    assert (await client.get("/redaksi/artikel/9/revisi/banding?dari=1&ke=2")).status_code == 200
    assert (await client.get("/redaksi/artikel/9/revisi/banding?dari=1&ke=9")).status_code == 404
    assert (await client.get("/redaksi/artikel/9/revisi/banding?dari=x")).status_code == 400
    assert (await client.get("/redaksi/artikel/999999/revisi")).status_code == 404
    assert (await client.get("/redaksi/lainnya/9/revisi")).status_code == 404


async def test_an_event_save_based_on_an_older_revision_is_refused(
    app: Quart, client: QuartClient, auth: Auth, db: Database
) -> None:
    event_id = await db.fetchval("SELECT min(id) FROM events")
    await auth.login("editor")
    path = f"/redaksi/kegiatan/{event_id}"
    mine = await form_of(client, path)
    assert mine["base_revision"] == "1"
    other = await form_of(client, path)
    other.update(location="Aula Utama")
    assert (await client.post(path, form=other)).status_code == 302
    mine.update(location="Ruang Rapat", revision_note="Tempat pindah")
    response = await client.post(path, form=mine)
    assert response.status_code == 409
    page = soup(await response.get_data())
    assert page.select_one("form.stacked-form input[name=location]")["value"] == "Ruang Rapat"
    assert [i.get_text() for i in page.select(".conflict ins")] == ["[ditambahkan: Aula Utama]"]
    assert (
        await db.fetchval("SELECT location FROM events WHERE id = ?", (event_id,)) == "Aula Utama"
    )
    mine["save_anyway"] = page.select_one("button[name=save_anyway]")["value"]
    assert (await client.post(path, form=mine)).status_code == 302
    history = soup(await (await client.get(f"{path}/revisi")).get_data())
    assert [li["data-revision"] for li in history.select("li.revision")] == ["3", "2", "1"]


def test_tags_that_only_shape_changed_text_are_left_out() -> None:
    table = "<table><tbody><tr><td>Hari</td><td>Tempat</td></tr></tbody></table>"
    lines = revisions.diff_lines("<p>Awal.</p>" + table, "<p>Awal.</p>", is_html=True)
    changed = [line for line in lines if line.changed]
    assert [[(s.op, s.text, s.markup) for s in line.segments] for line in changed] == [
        [("delete", "Hari", False), ("delete", " ", False), ("delete", "Tempat", False)]
    ]
    # A paragraph made a heading changes tags only: those are shown.
    (heading,) = revisions.diff_lines("<p>Jadwal</p>", "<h2>Jadwal</h2>", is_html=True)
    assert [s.text for s in heading.segments if s.markup] == ["<p>", "<h2>", "</p>", "</h2>"]
    # An empty paragraph added is nothing a reader sees.
    shown = [Shown("full_html", "Full", is_html=True)]
    assert (
        revisions.compare({"full_html": "<p>x</p>"}, {"full_html": "<p>x</p><p></p>"}, shown) == []
    )


async def test_a_conflict_whose_starting_revision_was_pruned_says_so(
    tmp_path: Path, demo_database: DemoDatabase
) -> None:
    copy_demo(demo_database, tmp_path / "portal.db")
    app = make_app(
        tmp_path,
        clock=ManualClock(),
        DATABASE=str(tmp_path / "portal.db"),
        REVISIONS_KEEP=1,
        REVISIONS_DAILY_DAYS=0,
    )
    async with app.test_app() as test_app:
        client = test_app.test_client()
        db = Portal.of(app).database
        await Auth(client, demo_database.passwords).login("editor")
        await admin_saves(app, db, 10, title="Kedua")  # revision 2
        mine = await form_of(client, "/redaksi/artikel/10")
        assert mine["base_revision"] == "2"
        await admin_saves(app, db, 10, title="Ketiga")  # revision 3; 2 is pruned (1 is the first)
        assert [r.number for r in await revisions.list_for(db, "article", 10)] == [3, 1]
        mine.update(title="Punya redaksi", action="save")
        response = await client.post("/redaksi/artikel/10", form=mine)
        assert response.status_code == 409
        page = soup(await response.get_data())
        conflict = page.select_one("section.conflict")
        assert conflict.select(".diff-field") == []
        assert "tidak lagi disimpan" in conflict.get_text()
        assert page.select_one("button[name=save_anyway]")["value"] == "3"
        assert await db.fetchval("SELECT title FROM articles WHERE id = 10") == "Ketiga"


async def test_payloads_in_notes_titles_and_text_stay_text_in_history_and_comparisons(
    app: Quart, client: QuartClient, auth: Auth, db: Database
) -> None:
    from tests.xss_payloads import TEXT_PAYLOADS, load_payload_file

    markup = load_payload_file()
    editor = await editor_of(db)
    article = await articles.get_article(db, 11)
    assert article is not None
    saves = 40
    async with app.app_context():
        for number in range(saves):
            payload = TEXT_PAYLOADS[number % len(TEXT_PAYLOADS)]
            await articles.save_article(
                db,
                draft_of(
                    article,
                    title=payload,
                    intro_html=f"<p>teks {number}</p>" + markup[number % len(markup)],
                    meta_description=payload[:300],
                ),
                editor,
                Portal.of(app).cleaner,
                11,
                note=payload,
            )
    await auth.login("editor")
    history = soup(await (await client.get("/redaksi/artikel/11/revisi")).get_data())
    notes = history.select("li.revision .revision-note")
    assert len(notes) == saves
    for note, number in zip(notes, reversed(range(saves)), strict=True):
        assert note.find() is None  # no element inside
        assert note.get_text() == revisions.clean_note(TEXT_PAYLOADS[number % len(TEXT_PAYLOADS)])
    for number in range(2, saves + 2):
        page = soup(
            await (await client.get(f"/redaksi/artikel/11/revisi/banding?ke={number}")).get_data()
        )
        for element in page.select(".diff *"):
            assert element.name in ("p", "ins", "del", "code", "span"), element
            assert set(element.attrs) <= {"class"}, element
        for described in page.select(".revision-pair dd"):
            assert [element.name for element in described.find_all()] == ["time"]
