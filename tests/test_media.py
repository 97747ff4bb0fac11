"""Videos, social accounts and the download library: guards on every input, safe serving."""

from __future__ import annotations

import io
import shutil
import sqlite3
import time
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from quart import Quart
from quart.testing import QuartClient
from werkzeug.datastructures import FileStorage

from content.db import BUSY_TIMEOUT_MS, Database
from content.demo.modules import files_folder, tiny_pdf
from content.media.downloads import get_download
from content.media.files import content_disposition, format_size, store_file
from content.media.uploads import FILE_KINDS, Upload, allowed_kinds, check_upload, clean_filename
from content.media.videos import parse_video_url
from tests.conftest import Auth, DemoDatabase, csrf_from, make_app, settled, soup
from tests.test_modules import BOT, PERSON

PDF = tiny_pdf("Laporan", ["Isi laporan."])


@pytest.fixture
def library(app: Quart, demo_database: DemoDatabase) -> Path:
    """The app's file folder, beside its database, with the demo's files (copied by `app`)."""
    folder = Path(app.config["DATABASE"]).parent / "unduhan"
    assert {p.name for p in folder.iterdir()} == {
        p.name for p in files_folder(str(demo_database.path)).iterdir()
    }
    return folder


def stored_files(app: Quart) -> set[str]:
    folder = Path(app.config["DATABASE"]).parent / "unduhan"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


# Videos


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=42", ("youtube", "dQw4w9WgXcQ")),
        ("https://youtu.be/dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://vimeo.com/76979871", ("vimeo", "76979871")),
        ("https://player.vimeo.com/video/76979871", ("vimeo", "76979871")),
        ("https://www.youtube.com/watch?v=short", ("youtube", "")),
        ("https://www.youtube.com/channel/UC123", ("youtube", "")),
        ("https://evil.example/watch?v=dQw4w9WgXcQ", None),
        ("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", None),
        ("https://user@www.youtube.com/watch?v=dQw4w9WgXcQ", None),
        ("javascript:alert(1)//www.youtube.com/watch?v=dQw4w9WgXcQ", None),
        ("https://[::1/", None),
    ],
)
def test_video_addresses(url: str, expected: tuple[str, str] | None) -> None:
    assert parse_video_url(url) == expected


def video_form(token: str, **fields: str) -> dict[str, str]:
    form = {
        "csrf_token": token,
        "title": "Sambung Samping Kakao",
        "url": "https://www.youtube.com/watch?v=Abc_def-123",
        "thumbnail": "",
        "description": "Teknik <b>sambung samping</b>.",
        "ordering": "0",
        "published": "1",
    }
    form.update(fields)
    return form


async def test_editor_adds_a_youtube_video_played_only_on_click(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/video/baru")
    response = await client.post("/redaksi/video/baru", form=video_form(token))
    assert response.status_code == 302
    row = await db.fetchone("SELECT * FROM videos ORDER BY id DESC LIMIT 1")
    assert (row["provider"], row["video_id"]) == ("youtube", "Abc_def-123")
    assert row["description"] == "Teknik sambung samping."
    await auth.logout()
    page = soup(await (await client.get("/video")).get_data())
    player = page.select_one(f"#video-{row['id']} figure.video")
    assert player["data-video-embed"].startswith(
        "https://www.youtube-nocookie.com/embed/Abc_def-123?"
    )
    poster = player.select_one("a.video-poster")
    assert poster["href"] == "https://www.youtube.com/watch?v=Abc_def-123"
    assert poster.select_one("img")["src"] == "https://i.ytimg.com/vi/Abc_def-123/hqdefault.jpg"
    assert page.select("iframe") == []  # nothing of YouTube's loads before a click
    scripts = [s["src"].split("?")[0] for s in page.select("script[src]")]
    assert "/static/js/video.js" in scripts and all(s.startswith("/") for s in scripts)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.dailymotion.com/video/x8abcd",
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "http://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)",
    ],
)
async def test_videos_from_unknown_hosts_are_refused(
    client: QuartClient, auth: Auth, db: Database, url: str
) -> None:
    await auth.login("editor")
    await client.get("/bahasa/en?next=/")
    before = await db.fetchval("SELECT count(*) FROM videos")
    token = await csrf_from(client, "/redaksi/video/baru")
    response = await client.post("/redaksi/video/baru", form=video_form(token, url=url))
    assert response.status_code == 400
    page = soup(await response.get_data())
    assert page.select_one("#url")["aria-invalid"] == "true"
    assert page.select_one("#url")["value"] == url
    message = page.select_one("#url-error").get_text()
    assert message == "Only videos from YouTube, Vimeo can be added here."
    assert await db.fetchval("SELECT count(*) FROM videos") == before


async def test_a_provider_left_out_of_video_hosts_is_refused(
    tmp_path: Path, demo_database: DemoDatabase
) -> None:
    shutil.copy(demo_database.path, tmp_path / "portal.db")
    app = make_app(tmp_path, VIDEO_HOSTS=("www.youtube-nocookie.com",))
    async with app.test_app() as test_app:
        client = test_app.test_client()
        await Auth(client, demo_database.passwords).login("editor")
        token = await csrf_from(client, "/redaksi/video/baru")
        form = video_form(token, url="https://vimeo.com/76979871")
        response = await client.post("/redaksi/video/baru", form=form)
        assert response.status_code == 400
        page = soup(await response.get_data())
        assert "YouTube" in page.select_one("#url-error").get_text()
        assert "Vimeo" not in page.select_one("#url-error").get_text()


async def test_sidebar_shows_the_first_video_and_the_demo_asks_nothing_of_youtube(
    client: QuartClient,
) -> None:
    page = soup(await (await client.get("/")).get_data())
    module = page.select_one(".modules-right .module-video")
    assert len(module.select("figure.video")) == 1
    assert module.select_one("a.video-poster img")["src"].startswith("/static/")
    assert module.select_one(".module-more a")["href"] == "/video"


# Social media


def social_form(token: str, **fields: str) -> dict[str, str]:
    form = {
        "csrf_token": token,
        "network": "instagram",
        "name": "@balittri.kopi",
        "url": "https://www.instagram.com/balittri.kopi/",
        "ordering": "9",
        "published": "1",
    }
    form.update(fields)
    return form


async def test_social_accounts_are_plain_links_with_icons(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    page = soup(await (await client.get("/")).get_data())
    links = page.select(".module-social a")
    assert [a["data-network"] for a in links] == ["instagram", "facebook", "youtube", "x"]
    for link in links:
        assert link["href"].startswith("https://")
        assert link.select_one("img")["src"].startswith(
            f"/static/img/social/{link['data-network']}.svg?v="
        )
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/media-sosial/baru")
    response = await client.post("/redaksi/media-sosial/baru", form=social_form(token))
    assert response.status_code == 302
    await auth.logout()
    links = soup(await (await client.get("/")).get_data()).select(".module-social a")
    assert links[-1]["href"] == "https://www.instagram.com/balittri.kopi/"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"url": "https://www.facebook.com/balittri"}, "url"),
        ({"url": "http://www.instagram.com/balittri"}, "url"),
        ({"url": "https://instagram.com.evil.example/x"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"network": "myspace"}, "network"),
        ({"name": ""}, "name"),
        ({"ordering": "x"}, "ordering"),
    ],
)
async def test_bad_social_accounts_are_refused(
    client: QuartClient, auth: Auth, db: Database, fields: dict[str, str], field: str
) -> None:
    await auth.login("editor")
    before = await db.fetchval("SELECT count(*) FROM social_accounts")
    token = await csrf_from(client, "/redaksi/media-sosial/baru")
    response = await client.post("/redaksi/media-sosial/baru", form=social_form(token, **fields))
    assert response.status_code == 400
    page = soup(await response.get_data())
    assert page.select_one(f"#{field}")["aria-invalid"] == "true"
    assert page.select_one(f"#{field}-error").get_text()
    assert await db.fetchval("SELECT count(*) FROM social_accounts") == before


async def test_a_website_may_be_on_any_host(client: QuartClient, auth: Auth) -> None:
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/media-sosial/baru")
    form = social_form(token, network="website", url="https://pertanian.go.id/")
    assert (await client.post("/redaksi/media-sosial/baru", form=form)).status_code == 302


# Downloads: sizes, names, types


@pytest.mark.parametrize(
    ("size", "locale", "text"),
    [
        (0, "id", "0 B"),
        (512, "id", "512 B"),
        (1_000, "id", "1 KB"),
        (1_234, "id", "1,2 KB"),
        (1_200_000, "id", "1,2 MB"),
        (1_200_000, "en", "1.2 MB"),
        (999_999, "id", "1 MB"),
        (3_500_000_000, "id", "3,5 GB"),
    ],
)
def test_sizes_in_human_units(size: int, locale: str, text: str) -> None:
    assert format_size(size, locale) == text


@pytest.mark.parametrize(
    "name",
    [
        "../../secret_key.pdf",
        "..\\..\\boot.ini.pdf",
        "C:\\Users\\redaksi\\laporan.pdf",
        "/etc/passwd.txt",
        ".htaccess",
        "..",
        "laporan\x00.pdf.txt",
        "laporan\n.pdf",
        "rapor\u202efdp.exe",
        "a" * 147 + ".pdf",
        "",
        None,
    ],
)
def test_path_tricks_in_names_are_refused(name: str | None) -> None:
    kept, problem = clean_filename(name)
    assert kept is None and problem


def test_ordinary_names_are_kept() -> None:
    assert clean_filename("Laporan Tahunan – 2025 (final).pdf") == (
        "Laporan Tahunan – 2025 (final).pdf",
        None,
    )
    assert clean_filename("a" * 146 + ".pdf")[0] is not None


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}/document.xml", "<document/>")
    return buffer.getvalue()


def odf_file(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


ALLOWED = allowed_kinds(["pdf", "docx", "xlsx", "odt", "zip", "csv", "txt", "png", "html", "svg"])


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("laporan.pdf", PDF, "pdf"),
        ("LAPORAN.PDF", PDF, "pdf"),
        ("surat.docx", office_file("word"), "docx"),
        ("tabel.xlsx", office_file("xl"), "xlsx"),
        ("naskah.odt", odf_file("application/vnd.oasis.opendocument.text"), "odt"),
        ("arsip.zip", office_file("word"), "zip"),
        ("data.csv", b"nama;jumlah\nKopi;3\n", "csv"),
        ("catatan.txt", "\ufeffSalam 1 < 2 dan 3 > 2".encode(), "txt"),
        ("gambar.png", b"\x89PNG\r\n\x1a\n" + bytes(20), "png"),
    ],
)
def test_types_are_found_from_the_content(name: str, data: bytes, kind: str) -> None:
    upload, problem = check_upload(name, data, ALLOWED, 10_000)
    assert problem is None and upload is not None and upload.kind.key == kind


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("halaman.html", b"<!doctype html><script>alert(1)</script>"),
        ("gambar.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("laporan.pdf", b"<html><script>alert(1)</script></html>"),
        ("catatan.txt", b"<svg onload=alert(1)>"),
        ("data.csv", b"nama\n<script>alert(1)</script>\n"),
        ("catatan.txt", b'<?xml version="1.0"?><x/>'),
        ("program.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(64)),
        ("surat.docx", PDF),
        ("surat.docx", odf_file("application/vnd.oasis.opendocument.text")),
        ("catatan.txt", b"\xff\xfe\x00biner\x00"),
        ("laporan.exe", PDF),
        ("tanpa-akhiran", PDF),
        ("kosong.pdf", b""),
        ("rusak.zip", b"PK\x03\x04 bukan zip"),
    ],
)
def test_wrong_types_are_refused(name: str, data: bytes) -> None:
    upload, problem = check_upload(name, data, ALLOWED, 10_000)
    assert upload is None and problem


def test_the_size_limit() -> None:
    assert check_upload("a.pdf", PDF, ALLOWED, len(PDF))[0] is not None
    upload, problem = check_upload("a.pdf", PDF, ALLOWED, len(PDF) - 1)
    assert upload is None and problem == "The file is larger than the limit of %(limit)s."


def test_content_disposition_is_safe_for_any_name() -> None:
    header = content_disposition('Laporan "Tahunan" – 2025\\ø.pdf', "unduhan-7")
    ascii_part, encoded = header.split("; filename*=UTF-8''")
    assert ascii_part == 'attachment; filename="Laporan _Tahunan_ - 2025.pdf"'
    assert unquote(encoded) == 'Laporan "Tahunan" – 2025\\ø.pdf'
    assert header.isascii() and "\n" not in header
    assert content_disposition("报告.pdf", "unduhan-7").startswith(
        'attachment; filename="unduhan-7.pdf"'
    )


# Downloads: the library


def upload_form(token: str, **fields: str) -> dict[str, str]:
    form = {
        "csrf_token": token,
        "title": "Laporan Kinerja",
        "category": "Laporan",
        "description": "Laporan kinerja <i>tahunan</i>.",
        "published": "1",
    }
    form.update(fields)
    return form


def a_file(name: str, data: bytes, content_type: str = "application/pdf") -> dict[str, FileStorage]:
    return {"file": FileStorage(io.BytesIO(data), filename=name, content_type=content_type)}


async def test_upload_store_list_and_download(
    app: Quart, client: QuartClient, auth: Auth, db: Database, library: Path
) -> None:
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/unduhan/baru")
    name = "Laporan Kinerja – 2025.pdf"
    response = await client.post(
        "/redaksi/unduhan/baru", form=upload_form(token), files=a_file(name, PDF)
    )
    assert response.status_code == 302
    row = await db.fetchone("SELECT * FROM downloads ORDER BY id DESC LIMIT 1")
    assert (row["filename"], row["kind"], row["size"]) == (name, "pdf", len(PDF))
    assert row["description"] == "Laporan kinerja tahunan."
    assert (library / row["stored_name"]).read_bytes() == PDF
    assert name not in stored_files(app)  # kept under a random name only
    entry = await db.fetchone("SELECT action, object_type FROM audit_log ORDER BY id DESC")
    assert tuple(entry) == ("create", "download")
    await auth.logout()

    page = soup(await (await client.get("/unduhan")).get_data())
    item = page.select_one(f'li[data-download-id="{row["id"]}"]')
    assert item.select_one("a.download-title")["href"] == f"/unduh/{row['id']}"
    assert item.select_one(".download-size").get_text() == format_size(len(PDF), "id")
    assert item.select_one(".download-hits").get_text() == "Diunduh 0 kali"

    response = await client.get(f"/unduh/{row['id']}", headers=PERSON)
    assert response.status_code == 200
    assert await response.get_data() == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="Laporan Kinerja - 2025.pdf"; '
        "filename*=UTF-8''Laporan%20Kinerja%20%E2%80%93%202025.pdf"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    await settled(app)
    assert await db.fetchval("SELECT hits FROM downloads WHERE id = ?", (row["id"],)) == 1


async def test_demo_files_are_served_and_counted_for_people_only(
    app: Quart, client: QuartClient, db: Database, library: Path
) -> None:
    rows = await db.fetchall("SELECT id, kind, sha256, hits FROM downloads ORDER BY id")
    assert sorted(r["kind"] for r in rows) == ["csv", "pdf", "pdf", "pdf", "txt"]
    for row in rows:
        response = await client.get(f"/unduh/{row['id']}", headers=PERSON)
        assert response.status_code == 200
        body = await response.get_data()
        assert Upload("x", body, FILE_KINDS[row["kind"]]).sha256 == row["sha256"]
        assert response.headers["Content-Disposition"].startswith("attachment;")
    text = await db.fetchone("SELECT id FROM downloads WHERE kind = 'txt'")
    response = await client.get(f"/unduh/{text['id']}", headers=PERSON)
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    first = rows[0]
    for headers in (BOT, {"User-Agent": ""}, {**PERSON, "Range": "bytes=10-"}):
        await client.get(f"/unduh/{first['id']}", headers=headers)
    await settled(app)
    assert await db.fetchval("SELECT hits FROM downloads WHERE id = ?", (first["id"],)) == 1
    sidebar = soup(await (await client.get("/")).get_data()).select(".module-downloads li a")
    assert len(sidebar) == 5 and all(a["href"].startswith("/unduh/") for a in sidebar)


async def test_a_download_is_served_while_the_database_cannot_write(
    app: Quart, client: QuartClient, db: Database, library: Path, caplog: pytest.LogCaptureFixture
) -> None:
    row = await db.fetchone("SELECT id, hits FROM downloads ORDER BY id LIMIT 1")
    other = sqlite3.connect(app.config["DATABASE"], isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
        started = time.monotonic()
        response = await client.get(f"/unduh/{row['id']}", headers=PERSON)
        assert response.status_code == 200 and await response.get_data()
        # Waiting for the count would take the whole busy wait (the lock is held throughout);
        # any less, however slow the machine, means the file did not wait.
        assert time.monotonic() - started < BUSY_TIMEOUT_MS / 1000
        await settled(app)  # the count gave up once the lock outlasted its wait
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "not written (busy" in caplog.text and "Traceback" not in caplog.text
    assert await db.fetchval("SELECT hits FROM downloads WHERE id = ?", (row["id"],)) == row["hits"]


@pytest.mark.parametrize(
    "path",
    [
        "/unduh/99999",
        "/unduh/abc",
        "/unduh/..%2F..%2Fsecret_key",
        "/unduh/../secret_key",
        "/unduh/1.pdf",
        "/unduh/%00",
        "/unduh/" + "9" * 20,
    ],
)
async def test_files_are_served_by_id_only(
    app: Quart, client: QuartClient, library: Path, path: str
) -> None:
    response = await client.get(path, headers=PERSON)
    assert response.status_code == 404
    assert app.config["SECRET_KEY"].encode() not in await response.get_data()


async def test_unpublished_and_missing_files_are_404(
    client: QuartClient, auth: Auth, db: Database, library: Path
) -> None:
    row = await db.fetchone("SELECT id, stored_name FROM downloads ORDER BY id LIMIT 1")
    await db.conn.execute("UPDATE downloads SET published = 0 WHERE id = ?", (row["id"],))
    assert (await client.get(f"/unduh/{row['id']}", headers=PERSON)).status_code == 404
    await auth.login("editor")
    assert (await client.get(f"/unduh/{row['id']}", headers=PERSON)).status_code == 200
    (library / row["stored_name"]).unlink()
    assert (await client.get(f"/unduh/{row['id']}", headers=PERSON)).status_code == 404
    # a stored name this code never makes is never joined to the folder
    await db.conn.execute(
        "UPDATE downloads SET stored_name = '../secret_key' WHERE id = ?", (row["id"],)
    )
    assert (await client.get(f"/unduh/{row['id']}", headers=PERSON)).status_code == 404


async def test_html_is_never_served_as_a_page(
    client: QuartClient, db: Database, library: Path
) -> None:
    # even a file that got in some other way is an attachment of its recorded type
    name = store_file(library, b"<html><script>alert(document.cookie)</script></html>")
    await db.conn.execute(
        "INSERT INTO downloads (title, filename, stored_name, kind, size, sha256, created, "
        "modified) VALUES ('x', 'x.html', ?, 'txt', 52, '', '2025-01-01 00:00:00', "
        "'2025-01-01 00:00:00')",
        (name,),
    )
    item = await db.fetchval("SELECT max(id) FROM downloads")
    response = await client.get(f"/unduh/{item}", headers=PERSON)
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="x.html"')
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("halaman.html", b"<!doctype html><p>x</p>", "not accepted. Accepted: PDF, Word"),
        ("gambar.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "not accepted"),
        ("laporan.pdf", b"<html><body>bukan pdf</body></html>", "web page code"),
        ("program.pdf", b"MZ\x90\x00" + bytes(100), "is not what its name says (PDF)"),
        ("../../secret_key.pdf", PDF, "folders"),
        ("..\\laporan.pdf", PDF, "folders"),
        ("a" * 200 + ".pdf", PDF, "too long"),
        ("laporan.pdf", b"", "empty"),
    ],
)
async def test_bad_uploads_are_refused_and_nothing_is_kept(
    app: Quart,
    client: QuartClient,
    auth: Auth,
    db: Database,
    name: str,
    data: bytes,
    reason: str,
) -> None:
    await auth.login("editor")
    await client.get("/bahasa/en?next=/")
    before = await db.fetchval("SELECT count(*) FROM downloads")
    files_before = stored_files(app)
    token = await csrf_from(client, "/redaksi/unduhan/baru")
    response = await client.post(
        "/redaksi/unduhan/baru", form=upload_form(token), files=a_file(name, data)
    )
    assert response.status_code == 400
    page = soup(await response.get_data())
    assert page.select_one("#file")["aria-invalid"] == "true"
    message = page.select_one("#file-error").get_text()
    assert reason in message and "%(" not in message
    assert page.select_one("#title")["value"] == "Laporan Kinerja"
    assert await db.fetchval("SELECT count(*) FROM downloads") == before
    assert stored_files(app) == files_before


async def test_upload_over_the_setting_is_refused_with_the_limit(
    tmp_path: Path, demo_database: DemoDatabase
) -> None:
    shutil.copy(demo_database.path, tmp_path / "portal.db")
    app = make_app(tmp_path, UPLOAD_MAX_BYTES=1000)
    async with app.test_app() as test_app:
        client = test_app.test_client()
        await Auth(client, demo_database.passwords).login("editor")
        token = await csrf_from(client, "/redaksi/unduhan/baru")
        big = PDF + b"%" + bytes(2000)
        response = await client.post(
            "/redaksi/unduhan/baru", form=upload_form(token), files=a_file("besar.pdf", big)
        )
        assert response.status_code == 400
        page = soup(await response.get_data())
        assert page.select_one("#file")["aria-invalid"] == "true"
        assert "1 KB" in page.select_one("#file-error").get_text()
        assert "1 KB" in page.select_one("label[for=file] .hint").get_text()
        assert stored_files(app) == set()


@pytest.fixture
async def small_body_client(
    tmp_path: Path, demo_database: DemoDatabase
) -> AsyncIterator[QuartClient]:
    shutil.copy(demo_database.path, tmp_path / "portal.db")
    app = make_app(tmp_path, MAX_CONTENT_LENGTH=100_000)
    async with app.test_app() as test_app:
        yield test_app.test_client()


async def test_a_body_over_the_request_limit_gets_the_form_back(
    small_body_client: QuartClient, demo_database: DemoDatabase
) -> None:
    client = small_body_client
    huge = PDF + bytes(200_000)
    response = await client.post(
        "/redaksi/unduhan/baru", form=upload_form("x"), files=a_file("besar.pdf", huge)
    )
    assert response.status_code == 413  # a visitor gets the plain error page
    assert soup(await response.get_data()).select_one("form#file") is None
    await Auth(client, demo_database.passwords).login("editor")
    token = await csrf_from(client, "/redaksi/unduhan/baru")
    response = await client.post(
        "/redaksi/unduhan/baru", form=upload_form(token), files=a_file("besar.pdf", huge)
    )
    assert response.status_code == 413
    page = soup(await response.get_data())
    assert page.select_one("#file")["aria-invalid"] == "true"
    assert "KB" in page.select_one("#file-error").get_text()


async def test_replace_and_delete_a_file(
    app: Quart, client: QuartClient, auth: Auth, db: Database, library: Path
) -> None:
    await auth.login("editor")
    row = await db.fetchone("SELECT * FROM downloads WHERE kind = 'csv'")
    token = await csrf_from(client, f"/redaksi/unduhan/{row['id']}")
    # details only: the file stays
    response = await client.post(
        f"/redaksi/unduhan/{row['id']}",
        form=upload_form(token, title="Data Benih"),
        files={"file": FileStorage(io.BytesIO(b""), filename="")},
    )
    assert response.status_code == 302
    assert (
        await db.fetchval("SELECT stored_name FROM downloads WHERE id = ?", (row["id"],))
        == (row["stored_name"])
    )
    # a new file replaces the old one, which is removed
    new = b"komoditas;jumlah\nKakao;12\n"
    response = await client.post(
        f"/redaksi/unduhan/{row['id']}",
        form=upload_form(token, title="Data Benih"),
        files=a_file("benih-2026.csv", new, "text/csv"),
    )
    assert response.status_code == 302
    changed = await db.fetchone("SELECT * FROM downloads WHERE id = ?", (row["id"],))
    assert (changed["filename"], changed["size"]) == ("benih-2026.csv", len(new))
    assert not (library / row["stored_name"]).exists()
    assert (library / changed["stored_name"]).read_bytes() == new
    # deleting asks first, then removes the row and the file
    confirm = soup(await (await client.get(f"/redaksi/unduhan/{row['id']}/hapus")).get_data())
    assert "Data Benih" in confirm.select_one(".notice").get_text()
    response = await client.post(f"/redaksi/unduhan/{row['id']}/hapus", form={"csrf_token": token})
    assert response.status_code == 302
    assert await get_download(db, row["id"]) is None
    assert not (library / changed["stored_name"]).exists()
    actions = await db.fetchall(
        "SELECT action FROM audit_log WHERE object_type = 'download' AND object_id = ?",
        (row["id"],),
    )
    assert [a[0] for a in actions] == ["update", "update", "delete"]


async def test_download_pages_are_for_editors(client: QuartClient, auth: Auth) -> None:
    for path in ("/redaksi/unduhan", "/redaksi/unduhan/baru", "/redaksi/video", "/redaksi/tautan"):
        assert (await client.get(path)).status_code == 302
    await auth.login("moderator")
    for path in ("/redaksi/unduhan", "/redaksi/media-sosial", "/redaksi/video/baru"):
        assert (await client.get(path)).status_code == 403
