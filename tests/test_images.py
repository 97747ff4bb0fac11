"""The media library's images: uploads decided by content, metadata stripped from every served
variant, bad input refused with nothing kept, responsive article images, uses and deletion."""

from __future__ import annotations

import asyncio
import io
import random
import sqlite3
import struct
import threading
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from quart import Quart
from quart.testing import QuartClient
from werkzeug.datastructures import FileStorage

from content import imaging
from content.db import Database
from content.sanitize import clean_html
from content.web.state import Portal
from tests.conftest import Auth, DemoDatabase, copy_demo, csrf_from, make_app, soup

JSON = {"Accept": "application/json"}
UPLOAD = "/redaksi/media/gambar"
ID_EMPTY = "Berkas kosong."


@pytest.fixture
def app(tmp_path: Path, demo_database: DemoDatabase, clock: Any) -> Quart:
    """The demo portal, its images made in a thread (IMAGE_WORKERS=0) and a small byte limit."""
    target = tmp_path / "portal.db"
    copy_demo(demo_database, target)
    return make_app(
        tmp_path,
        DATABASE=str(target),
        clock=clock,
        IMAGE_WORKERS=0,
        IMAGE_MAX_BYTES=600_000,
        IMAGE_MAX_PIXELS=30_000_000,
    )


def image_folder(app: Quart) -> Path:
    return Path(app.config["DATABASE"]).parent / "gambar"


def stored(app: Quart) -> set[str]:
    folder = image_folder(app)
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


# Images made here, with the metadata a phone puts in


def halves(size: tuple[int, int] = (120, 80)) -> Image.Image:
    """Left half red, right half blue: where red ends up shows how the image was turned."""
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    return image


XMP = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    b'syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude='
    b'"6,10.5S"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)
IPTC = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0b\x1c\x02\x78\x00\x07Bogor!!"


def phone_jpeg(size: tuple[int, int] = (120, 80), orientation: int = 6) -> bytes:
    """A JPEG as a phone writes it: EXIF with GPS and an orientation, XMP, IPTC, a comment."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "S", 2: (6.0, 35.0, 12.0), 3: "E", 4: (106.0, 47.0, 3.0)}
    out = io.BytesIO()
    halves(size).save(out, "JPEG", exif=exif.tobytes(), quality=92, comment=b"Kebun Raya Bogor")
    data = out.getvalue()
    segments = b""
    for payload, marker in ((b"http://ns.adobe.com/xap/1.0/\x00" + XMP, 0xE1), (IPTC, 0xED)):
        segments += struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload
    return data[:2] + segments + data[2:]  # right after SOI


def png_bytes(size: tuple[int, int] = (64, 48), mode: str = "RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (10, 200, 30, 128) if mode == "RGBA" else (10, 200, 30)).save(out, "PNG")
    return out.getvalue()


def gif_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    halves(size).convert("P").save(out, "GIF")
    return out.getvalue()


def webp_bytes(size: tuple[int, int] = (700, 500)) -> bytes:
    out = io.BytesIO()
    halves(size).save(out, "WEBP")
    return out.getvalue()


def mpo_bytes() -> bytes:
    """A multi-picture JPEG as some phones write: the photo, then a second picture."""
    out = io.BytesIO()
    halves((900, 600)).save(
        out, "MPO", save_all=True, append_images=[Image.new("RGB", (900, 600), "white")]
    )
    return out.getvalue()


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def png_bomb(side: int = 20_000) -> bytes:
    """A real decompression bomb: a 1-bit PNG of side x side pixels, all zero, a few KB."""
    row = b"\x00" + bytes(side // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def huge_jpeg_header() -> bytes:
    """A small JPEG whose frame header says 20,000 x 20,000 pixels."""
    data = bytearray(phone_jpeg(orientation=1))
    at = data.index(b"\xff\xc0")  # SOF0: marker, length, precision, height, width
    struct.pack_into(">HH", data, at + 5, 20_000, 20_000)
    return bytes(data)


def gif_js_polyglot() -> bytes:
    """The classic GIF/JavaScript polyglot: the width bytes open a comment, script follows."""
    data = bytearray(gif_bytes())
    data[6:8] = b"/*"
    return bytes(data) + b"*/=1;alert(document.cookie);"


def gif_with_script_comment() -> bytes:
    """A valid GIF whose comment extension carries markup and script."""
    out = io.BytesIO()
    halves((20, 20)).convert("P").save(out, "GIF", comment=b"<script>alert(1)</script>")
    return out.getvalue()


def more_pixels_than_allowed() -> bytes:
    out = io.BytesIO()
    Image.new("L", (6_000, 6_000)).save(out, "PNG")  # 36 MP, over the test's 30 MP
    return out.getvalue()


# Uploading


def upload_files(data: bytes, name: str = "foto.jpg") -> dict[str, FileStorage]:
    return {"file": FileStorage(io.BytesIO(data), filename=name, content_type="image/jpeg")}


async def upload(client: QuartClient, data: bytes, name: str = "foto.jpg", **fields: str) -> Any:
    token = await csrf_from(client, "/redaksi/media")
    return await client.post(
        UPLOAD,
        form=fields,
        files=upload_files(data, name),
        headers={**JSON, "X-CSRF-Token": token},
    )


async def served(client: QuartClient, url: str) -> bytes:
    response = await client.get(url)
    assert response.status_code == 200, url
    return bytes(await response.get_data())


def all_variant_urls(answer: dict[str, Any], ext: str) -> list[str]:
    webp = [part.split()[0] for part in answer["srcset"].split(", ")]
    return webp + [url.replace(".webp", f".{ext}") for url in webp]


async def test_a_phone_photo_is_turned_upright_and_no_served_variant_keeps_metadata(
    client: QuartClient, auth: Auth, db: Database, app: Quart
) -> None:
    await auth.login("editor")
    photo = phone_jpeg((2400, 1800), orientation=6)
    assert b"GPS" in photo or b"\x88\x25" in photo  # the upload does carry it
    assert Image.open(io.BytesIO(photo)).getexif()[0x0112] == 6
    response = await upload(client, photo, "IMG_2041.JPG", alt="Kebun percobaan")
    assert response.status_code == 201
    answer = await response.get_json()
    # Orientation 6: stored 2400 x 1800, shown turned a quarter clockwise, 1800 x 2400.
    assert (answer["original_width"], answer["original_height"]) == (1800, 2400)
    assert (answer["width"], answer["height"]) == (960, 1280)
    assert answer["alt"] == "Kebun percobaan"
    assert answer["url"].startswith("/media/img/") and answer["url"].endswith("-960.webp")
    assert answer["sizes"] == "(max-width: 960px) 100vw, 960px"
    assert [part.split()[1] for part in answer["srcset"].split(", ")] == ["480w", "960w", "1600w"]
    assert answer["thumbnail"].endswith("-480.webp")
    urls = all_variant_urls(answer, "jpg")
    assert len(urls) == 6
    for url in urls:
        data = await served(client, url)
        image = Image.open(io.BytesIO(data))
        assert image.format == ("WEBP" if url.endswith(".webp") else "JPEG")
        assert len(image.getexif()) == 0, url
        for marker in (b"Exif", b"GPS", b"PhoneMaker", b"xpacket", b"xmpmeta", b"ns.adobe.com"):
            assert marker not in data, (url, marker)
        for marker in (b"Photoshop 3.0", b"8BIM", b"Kebun Raya"):
            assert marker not in data, (url, marker)
        assert "xmp" not in image.info and "comment" not in image.info
        width = int(url.rsplit("-", 1)[1].split(".")[0])
        assert image.size == (width, round(2400 * width / 1800))
        # The red (left) half of the sensor's picture is at the top once turned upright.
        rgb = image.convert("RGB")
        top, bottom = rgb.getpixel((width // 2, 2)), rgb.getpixel((width // 2, image.height - 3))
        assert isinstance(top, tuple) and isinstance(bottom, tuple)
        assert top[0] > 200 and top[2] < 60, url
        assert bottom[2] > 200 and bottom[0] < 60, url


@pytest.mark.parametrize(
    ("make", "name", "ext", "widths"),
    [
        (lambda: png_bytes((2000, 1000)), "logo.png", "png", [480, 960, 1600]),
        (lambda: png_bytes((700, 300), "RGB"), "diagram.png", "png", [480, 700]),
        (gif_bytes, "ikon.gif", "gif", [40]),
        (webp_bytes, "peta.webp", "webp", [480, 700]),
        (mpo_bytes, "IMG_0001.JPG", "jpg", [480, 900]),
    ],
)
async def test_each_accepted_type_keeps_its_format_beside_webp_and_is_never_upscaled(
    client: QuartClient,
    auth: Auth,
    app: Quart,
    make: Callable[[], bytes],
    name: str,
    ext: str,
    widths: list[int],
) -> None:
    await auth.login("editor")
    response = await upload(client, make(), name)
    assert response.status_code == 201
    answer = await response.get_json()
    assert [int(part.split()[1][:-1]) for part in answer["srcset"].split(", ")] == widths
    for url in all_variant_urls(answer, ext):
        image = Image.open(io.BytesIO(await served(client, url)))
        formats = {"png": "PNG", "gif": "GIF", "webp": "WEBP", "jpg": "JPEG"}
        assert image.format == ("WEBP" if url.endswith(".webp") else formats[ext])
    if name == "logo.png":  # transparency survives in both formats
        for url in all_variant_urls(answer, "png")[:1] + all_variant_urls(answer, "png")[3:4]:
            image = Image.open(io.BytesIO(await served(client, url)))
            assert image.mode == "RGBA"
            pixel = image.getpixel((1, 1))
            assert isinstance(pixel, tuple) and pixel[3] == 128
    files = {name for name in stored(app) if not name.startswith(".")}
    assert len(files) == len(widths) * (1 if ext == "webp" else 2)


async def test_the_name_does_not_decide_the_type(client: QuartClient, auth: Auth) -> None:
    await auth.login("editor")
    response = await upload(client, png_bytes(), "sebenarnya-png.jpg")
    assert response.status_code == 201
    answer = await response.get_json()
    assert answer["filename"] == "sebenarnya-png.jpg"
    assert await served(client, answer["url"].replace(".webp", ".png"))


BAD_UPLOADS = [
    ("truncated", lambda: phone_jpeg((800, 600))[:3000], "rusak.jpg", 400, "rusak"),
    ("png bomb", png_bomb, "bom.png", 400, "megapiksel"),
    ("20000 x 20000", huge_jpeg_header, "besar.jpg", 400, "megapiksel"),
    ("over the pixel setting", more_pixels_than_allowed, "luas.png", 400, "paling banyak 30"),
    ("html as jpg", lambda: b"<!DOCTYPE html><script>alert(1)</script>", "foto.jpg", 400, "kode"),
    ("gif js polyglot", gif_js_polyglot, "animasi.gif", 400, "skrip"),
    ("gif with a script comment", gif_with_script_comment, "ikon.gif", 400, "skrip"),
    (
        "svg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"/></svg>',
        "logo.svg",
        400,
        "kode halaman web",
    ),
    (
        "svg with script, named png",
        lambda: b'<?xml version="1.0"?><svg onload="alert(1)"></svg>',
        "logo.png",
        400,
        "kode",
    ),
    ("zero bytes", lambda: b"", "kosong.jpg", 400, ID_EMPTY),
    ("a pdf", lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "a.jpg", 400, "jenis"),
    ("over the byte limit", lambda: bytes(700_000), "berat.jpg", 413, "melebihi batas 600 KB"),
]


@pytest.mark.parametrize(
    ("make", "name", "status", "reason"),
    [case[1:] for case in BAD_UPLOADS],
    ids=[case[0] for case in BAD_UPLOADS],
)
async def test_bad_input_is_refused_in_the_editors_language_and_nothing_is_kept(
    client: QuartClient,
    auth: Auth,
    db: Database,
    app: Quart,
    make: Callable[[], bytes],
    name: str,
    status: int,
    reason: str,
) -> None:
    await auth.login("editor")
    before = await db.fetchval("SELECT count(*) FROM images")
    response = await upload(client, make(), name)
    assert response.status_code == status
    message = (await response.get_json())["error"]
    assert reason in message and "%(" not in message
    assert await db.fetchval("SELECT count(*) FROM images") == before
    assert stored(app) == set()  # not a variant, not a temporary file


async def test_messages_follow_the_language_and_the_form_without_script_gets_a_flash(
    client: QuartClient, auth: Auth, db: Database, app: Quart
) -> None:
    await auth.login("editor")
    await client.get("/bahasa/en?next=/")
    response = await upload(client, b"", "empty.jpg")
    assert (await response.get_json())["error"] == "The file is empty."
    response = await upload(client, b"<html><body>hi</body></html>", "page.jpg")
    assert (await response.get_json())["error"] == (
        "The file contains web page or script code and is not accepted."
    )
    # A plain form post: back to the library, the message shown there.
    token = await csrf_from(client, "/redaksi/media")
    response = await client.post(
        UPLOAD, form={"csrf_token": token}, files=upload_files(b"", "empty.jpg")
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/redaksi/media")
    page = soup(await (await client.get("/redaksi/media")).get_data())
    notice = page.select_one(".notice-error")
    assert notice is not None and notice.get_text() == "The file is empty."
    response = await client.post(
        UPLOAD,
        form={"csrf_token": token, "alt": "A green field"},
        files=upload_files(png_bytes(), "field.png"),
    )
    assert response.status_code == 302
    page = soup(await (await client.get("/redaksi/media")).get_data())
    notice = page.select_one(".notice-ok")
    assert notice is not None and notice.get_text() == "Uploaded: field.png."
    item = page.select_one(".media-item")
    assert item is not None and "A green field" in item.get_text()
    assert await db.fetchval("SELECT count(*) FROM images") == 1


async def test_an_upload_needs_staff_and_the_form_token(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    token = await csrf_from(client, "/")
    response = await client.post(
        UPLOAD, files=upload_files(png_bytes()), headers={**JSON, "X-CSRF-Token": token}
    )
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    await auth.login("editor")
    response = await client.post(
        UPLOAD, files=upload_files(png_bytes()), headers={**JSON, "X-CSRF-Token": "forged"}
    )
    assert response.status_code == 400
    assert (await response.get_json())["error"] == (
        "Formulir sudah kedaluwarsa. Silakan kembali, muat ulang halaman, lalu kirim kembali."
    )
    assert await db.fetchval("SELECT count(*) FROM images") == 0


async def test_a_request_over_the_body_limit_is_refused_with_the_limit(
    client: QuartClient, auth: Auth, db: Database, app: Quart
) -> None:
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/media")
    response = await client.post(
        UPLOAD,
        form={"csrf_token": token},
        files=upload_files(bytes(2_000_000)),  # past the request limit (the image's + form room)
        headers={**JSON, "X-CSRF-Token": token},
    )
    assert response.status_code == 413
    assert "600 KB" in (await response.get_json())["error"]
    assert stored(app) == set()
    # Other forms keep the site's small request limit.
    assert app.config["MAX_CONTENT_LENGTH"] < app.config["IMAGE_MAX_BYTES"] * 4


async def test_the_same_file_uploaded_twice_at_once_is_kept_once_and_whole(
    client: QuartClient, auth: Auth, db: Database, app: Quart
) -> None:
    await auth.login("editor")
    photo = phone_jpeg((1700, 1000), orientation=1)
    token = await csrf_from(client, "/redaksi/media")

    async def one() -> Any:
        return await client.post(
            UPLOAD, files=upload_files(photo), headers={**JSON, "X-CSRF-Token": token}
        )

    first, second = await asyncio.gather(one(), one())
    assert (first.status_code, second.status_code) == (201, 201)
    assert (await first.get_json())["id"] == (await second.get_json())["id"]
    assert await db.fetchval("SELECT count(*) FROM images") == 1
    names = stored(app)
    assert not [name for name in names if name.startswith(".")]  # no temporary file left
    assert len(names) == 6
    for name in names:
        with Image.open(image_folder(app) / name) as image:
            image.load()  # every file complete
    # And once more later: the same image again, not a copy.
    again = await upload(client, photo, "lagi.jpg")
    assert (await again.get_json())["id"] == (await first.get_json())["id"]
    assert await db.fetchval("SELECT count(*) FROM images") == 1


async def test_processing_does_not_hold_up_the_event_loop(
    client: QuartClient, auth: Auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The upload's work waits in its thread until a page has been served meanwhile: were the
    work on the event loop, no page could be served until it gave up."""
    await auth.login("editor")
    release = threading.Event()
    seen: list[bool] = []
    real = imaging.process_image

    def held(data: bytes, folder: str, max_pixels: int) -> imaging.ProcessedImage:
        seen.append(release.wait(timeout=20))
        return real(data, folder, max_pixels)

    monkeypatch.setattr(imaging, "process_image", held)
    task = asyncio.ensure_future(upload(client, phone_jpeg((1200, 900))))
    async with asyncio.timeout(20):
        while not seen and not task.done():
            page = await client.get("/")
            assert page.status_code == 200
            if not release.is_set():
                release.set()
            await asyncio.sleep(0.01)
        response = await task
    assert response.status_code == 201
    assert seen == [True]


async def test_worker_processes_make_the_variants(
    tmp_path: Path, demo_database: DemoDatabase
) -> None:
    target = tmp_path / "portal.db"
    copy_demo(demo_database, target)
    app = make_app(tmp_path, DATABASE=str(target), IMAGE_WORKERS=1)
    async with app.test_app() as test_app:
        client = test_app.test_client()
        await Auth(client, demo_database.passwords).login("editor")
        response = await upload(client, phone_jpeg((1000, 800)))
        assert response.status_code == 201
        refused = await upload(client, png_bomb(), "bom.png")
        assert refused.status_code == 400
        processor = Portal.of(app).images
        assert processor is not None and processor._pool is not None
    assert processor._pool is None  # stopped after serving
    assert len(stored(app)) == 4  # 800 wide once upright: 480 and 800, WebP and JPEG


# Serving


async def test_variants_are_served_immutable_without_a_cookie(
    client: QuartClient, auth: Auth, app: Quart
) -> None:
    await auth.login("editor")
    answer = await (await upload(client, png_bytes((1000, 500)))).get_json()
    await auth.logout()
    for who in ("visitor", "editor"):
        if who == "editor":
            await auth.login("editor")
        client.cookie_jar.clear() if who == "visitor" else None
        response = await client.get(answer["url"])
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "image/webp"
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Set-Cookie" not in response.headers
    for bad in (
        "/media/img/../portal.db",
        "/media/img/" + "0" * 24 + "-10x10-10.webp",
        answer["url"].replace("-960", "-961"),
        answer["url"].replace(".webp", ".svg"),
    ):
        assert (await client.get(bad)).status_code == 404


# Articles


def test_the_cleaner_gives_library_images_srcset_sizes_and_dimensions() -> None:
    url = imaging.image_url("ab" * 12, 3000, 2000, 960)
    html = clean_html(f'<p><img src="{url}" alt="Panen" onerror="alert(1)"></p>')
    img = soup(html).select_one("img")
    assert img is not None
    assert img["width"] == "960" and img["height"] == "640"
    assert img["loading"] == "lazy" and img["decoding"] == "async"
    assert img["sizes"] == "(max-width: 960px) 100vw, 960px"
    assert img["srcset"] == ", ".join(
        f"{imaging.image_url('ab' * 12, 3000, 2000, w)} {w}w" for w in (480, 960, 1600)
    )
    assert not img.has_attr("onerror") and img["alt"] == "Panen"
    assert clean_html(html) == html  # cleaning again changes nothing
    # An editor's narrower width is kept, the height follows it.
    narrow = soup(clean_html(f'<img src="{url}" width="300" height="9">')).select_one("img")
    assert narrow is not None and (narrow["width"], narrow["height"]) == ("300", "200")
    # Outside images keep only safe srcset candidates.
    outside = clean_html(
        '<img src="https://x.example/a.png" srcset="javascript:alert(1) 2x">'
        '<img src="/b.png" srcset="/b2.png 2x, https://x.example/b.png 900w" sizes="50vw">'
    )
    first, second = soup(outside).select("img")
    assert not first.has_attr("srcset")
    assert second["srcset"] == "/b2.png 2x, https://x.example/b.png 900w"
    assert second["sizes"] == "50vw"


async def article_form(client: QuartClient, **fields: str) -> dict[str, str]:
    token = await csrf_from(client, "/redaksi/artikel/baru")
    page = soup(await (await client.get("/redaksi/artikel/baru")).get_data())
    category = page.select("#category_id option[value]")[-1]["value"]
    form = {
        "csrf_token": token,
        "title": "Panen kopi",
        "category_id": str(category),
        "intro_html": "<p>Panen kopi tahun ini.</p>",
        "full_html": "",
        "state": "1",
    }
    form.update(fields)
    return form


async def test_an_article_shows_a_library_image_responsively_and_keeps_it_from_deletion(
    client: QuartClient, auth: Auth, db: Database, app: Quart
) -> None:
    await auth.login("editor")
    answer = await (await upload(client, phone_jpeg((2000, 1500), 1), alt="Kopi")).get_json()
    img = f'<img src="{answer["url"]}" alt="Biji kopi" width="960" height="720">'
    form = await article_form(client, full_html=f"<p>Hasil panen.</p>{img}")
    response = await client.post("/redaksi/artikel/baru", form=form)
    assert response.status_code == 302
    article = await db.fetchone("SELECT id, alias, full_html FROM articles ORDER BY id DESC")
    assert 'srcset="' in article["full_html"] and 'loading="lazy"' in article["full_html"]

    page = soup(await (await client.get(f"/artikel/{article['id']}-{article['alias']}")).get_data())
    shown = page.select_one(f'img[src="{answer["url"]}"]')
    assert shown is not None
    assert shown["srcset"] == answer["srcset"] and shown["alt"] == "Biji kopi"
    assert (shown["width"], shown["height"]) == ("960", "720")
    assert shown["decoding"] == "async"

    # The library says where it is used and will not delete it.
    library = soup(await (await client.get("/redaksi/media")).get_data())
    item = library.select_one(f'.media-item[data-image-id="{answer["id"]}"]')
    assert item is not None
    assert [a.get_text() for a in item.select(".media-uses a")] == ["Panen kopi"]
    listed = (await (await client.get("/redaksi/media/gambar.json")).get_json())["images"]
    assert listed[0]["used_in"][0]["title"] == "Panen kopi"
    assert listed[0]["uploaded_by"] == "Redaksi Balittri"
    token = await csrf_from(client, f"/redaksi/media/gambar/{answer['id']}/hapus")
    refused = await client.post(
        f"/redaksi/media/gambar/{answer['id']}/hapus", form={"csrf_token": token}
    )
    assert refused.status_code == 409
    uses = soup(await refused.get_data()).select(".media-uses a")
    assert [a.get_text() for a in uses] == ["Panen kopi"]
    assert await db.fetchval("SELECT count(*) FROM images") == 1
    assert len(stored(app)) == 6

    # Once the article no longer shows it, it can go, files and all.
    form = await article_form(client, full_html="<p>Tanpa gambar.</p>")
    response = await client.post(f"/redaksi/artikel/{article['id']}", form=form)
    assert response.status_code == 302
    token = await csrf_from(client, f"/redaksi/media/gambar/{answer['id']}/hapus")
    response = await client.post(
        f"/redaksi/media/gambar/{answer['id']}/hapus", form={"csrf_token": token}
    )
    assert response.status_code == 302
    assert await db.fetchval("SELECT count(*) FROM images") == 0
    assert stored(app) == set()
    assert (await client.get(answer["url"])).status_code == 404


async def test_alt_text_is_edited_in_the_library(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    answer = await (await upload(client, png_bytes())).get_json()
    path = f"/redaksi/media/gambar/{answer['id']}"
    token = await csrf_from(client, path)
    response = await client.post(path, form={"csrf_token": token, "alt": "  Logo   Balittri "})
    assert response.status_code == 302
    assert await db.fetchval("SELECT alt FROM images") == "Logo Balittri"
    response = await client.post(path, form={"csrf_token": token, "alt": "x" * 251})
    assert response.status_code == 400
    page = soup(await response.get_data())
    assert page.select_one("#alt")["aria-invalid"] == "true"
    assert await db.fetchval("SELECT alt FROM images") == "Logo Balittri"
    response = await client.post(path, form={"csrf_token": token, "alt": "", "decorative": "1"})
    assert await db.fetchval("SELECT decorative FROM images") == 1
    library = soup(await (await client.get("/redaksi/media")).get_data())
    assert "Gambar dekoratif" in library.select_one(".media-item").get_text()


async def test_the_library_lists_details_and_searches(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    await upload(client, png_bytes((300, 200)), "sawah.png", alt="Sawah di Sukabumi")
    await upload(client, gif_bytes(), "ikon.gif")
    page = soup(await (await client.get("/redaksi/media")).get_data())
    # Without script a drop does nothing, so the page says so only once the script is there.
    assert page.select_one(".dropzone-text").has_attr("hidden")
    items = page.select(".media-item")
    assert [i.select_one(".media-name").get_text() for i in items] == ["ikon.gif", "sawah.png"]
    sawah = items[1].get_text(" ", strip=True)
    assert "300 × 200 px" in sawah and "Redaksi Balittri" in sawah and "Sawah di Sukabumi" in sawah
    assert "Belum ada teks alternatif" in items[0].get_text()
    thumb = items[1].select_one("img")
    assert thumb is not None and thumb["src"].endswith("-300.webp")
    found = soup(await (await client.get("/redaksi/media?q=sukabumi")).get_data())
    assert [i.select_one(".media-name").get_text() for i in found.select(".media-item")] == [
        "sawah.png"
    ]
    listed = await (await client.get("/redaksi/media/gambar.json?q=ikon")).get_json()
    assert [image["filename"] for image in listed["images"]] == ["ikon.gif"]
    assert (await client.get("/redaksi/media?halaman=abc")).status_code == 400


# Picking library images for intro images, banners and video posters


async def test_the_intro_image_is_picked_from_the_library_and_shown_responsively_as_a_teaser(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    answer = await (await upload(client, phone_jpeg((1800, 1200), 1), "kebun.jpg")).get_json()
    page = soup(await (await client.get("/redaksi/artikel/baru")).get_data())
    picker = page.select_one("select#intro_image_library")
    assert picker is not None
    assert page.select_one('label[for="intro_image_library"]') is not None
    option = picker.select_one(f'option[value="{answer["url"]}"]')
    assert option is not None and "kebun.jpg" in option.get_text()
    assert option["data-thumbnail"] == answer["thumbnail"]
    # Without JavaScript the picked image wins over the (empty) typed address.
    form = await article_form(client, intro_image="", intro_image_library=answer["url"])
    form["featured"] = "1"
    response = await client.post("/redaksi/artikel/baru", form=form)
    assert response.status_code == 302
    row = await db.fetchone(
        "SELECT a.id, a.intro_image, c.id AS category, c.alias FROM articles a "
        "JOIN categories c ON c.id = a.category_id ORDER BY a.id DESC"
    )
    assert row["intro_image"] == answer["url"]
    # A picked value that is no library address is ignored: the typed one stays.
    form = await article_form(
        client, intro_image="https://x.example/a.jpg", intro_image_library="javascript:alert(1)"
    )
    response = await client.post(f"/redaksi/artikel/{row['id']}", form={**form, "featured": "1"})
    assert await db.fetchval("SELECT intro_image FROM articles WHERE id = ?", (row["id"],)) == (
        "https://x.example/a.jpg"
    )
    form = await article_form(client, intro_image_library=answer["url"])
    response = await client.post(f"/redaksi/artikel/{row['id']}", form={**form, "featured": "1"})
    assert response.status_code == 302
    await auth.logout()
    for path in ("/", f"/kategori/{row['category']}-{row['alias']}?tampilan=blog"):
        html = soup(await (await client.get(path)).get_data())
        teaser = html.select_one(f'.teaser img.intro-image[src="{answer["url"]}"]')
        assert teaser is not None, path
        assert teaser["srcset"] == answer["srcset"]
        assert teaser["sizes"] == "(max-width: 700px) 100vw, 700px"
        assert (teaser["width"], teaser["height"]) == ("960", "640")
        assert teaser["loading"] == "lazy"


async def test_banners_and_video_posters_are_picked_from_the_library(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    answer = await (await upload(client, png_bytes((600, 200), "RGB"), "logo.png")).get_json()
    token = await csrf_from(client, "/redaksi/tautan/baru")
    page = soup(await (await client.get("/redaksi/tautan/baru")).get_data())
    assert page.select_one(f'select#image_library option[value="{answer["url"]}"]') is not None
    response = await client.post(
        "/redaksi/tautan/baru",
        form={
            "csrf_token": token,
            "title": "Portal Data",
            "url": "https://data.example/",
            "image": "",
            "image_library": answer["url"],
            "ordering": "0",
            "published": "1",
        },
    )
    assert response.status_code == 302
    banner = await db.fetchone("SELECT id, image FROM banners ORDER BY id DESC")
    assert banner["image"] == answer["url"]
    token = await csrf_from(client, "/redaksi/video/baru")
    assert soup(await (await client.get("/redaksi/video/baru")).get_data()).select_one(
        "select#thumbnail_library"
    )
    response = await client.post(
        "/redaksi/video/baru",
        form={
            "csrf_token": token,
            "title": "Sambung Samping",
            "url": "https://www.youtube.com/watch?v=Abc_def-123",
            "thumbnail": "",
            "thumbnail_library": answer["url"],
            "ordering": "0",
            "published": "1",
        },
    )
    assert response.status_code == 302
    video = await db.fetchone("SELECT id, thumbnail FROM videos ORDER BY id DESC")
    assert video["thumbnail"] == answer["url"]

    # The library knows both uses and keeps the image.
    listed = (await (await client.get("/redaksi/media/gambar.json")).get_json())["images"]
    assert sorted((use["kind"], use["title"]) for use in listed[0]["used_in"]) == [
        ("banner", "Portal Data"),
        ("video", "Sambung Samping"),
    ]
    token = await csrf_from(client, f"/redaksi/media/gambar/{answer['id']}/hapus")
    refused = await client.post(
        f"/redaksi/media/gambar/{answer['id']}/hapus", form={"csrf_token": token}, headers=JSON
    )
    assert refused.status_code == 409
    assert len((await refused.get_json())["used_in"]) == 2
    await auth.logout()

    home = soup(await (await client.get("/")).get_data())
    shown = home.select_one(f'.banner-row img[src="{answer["url"]}"]')
    assert shown is not None and shown["srcset"] == answer["srcset"] and shown["sizes"] == "10rem"
    videos = soup(await (await client.get("/video")).get_data())
    poster = videos.select_one(f'#video-{video["id"]} img[src="{answer["url"]}"]')
    assert poster is not None and poster["srcset"] == answer["srcset"]
    assert (poster["width"], poster["height"]) == ("600", "200")


def test_pixel_data_that_happens_to_look_like_a_tag_is_not_refused() -> None:
    """Compressed pixels are noise: a short tag-like run in the middle of a photo is chance
    (found about once in 1,000 photos before the check looked only near the ends for those)."""
    noise = random.Random(16).randbytes(3_000_000)
    middle = len(noise) // 2
    photo = b"\xff\xd8\xff\xe0" + noise[:middle] + b"<SVg\x00<img " + noise[middle:]
    imaging.check_content(photo)  # no ImageRefused
    with pytest.raises(imaging.ImageRefused):
        imaging.check_content(b"\xff\xd8\xff\xe0<svg onload=1>" + noise)  # in the header
    with pytest.raises(imaging.ImageRefused):
        imaging.check_content(b"\xff\xd8\xff\xe0" + noise + b"\xff\xd9<img src=x>")  # appended
    with pytest.raises(imaging.ImageRefused):
        imaging.check_content(noise[:middle] + b"<script>" + noise[middle:])


async def test_a_disk_that_fails_midway_leaves_no_file_and_no_record(
    client: QuartClient, auth: Auth, db: Database, app: Quart, monkeypatch: pytest.MonkeyPatch
) -> None:
    await auth.login("editor")
    real = imaging._write_atomically
    calls: list[Path] = []

    def full_disk(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 3:
            with path.with_name(".half.part").open("wb") as half:
                half.write(data[: len(data) // 2])  # what a full disk leaves of a file
            path.with_name(".half.part").unlink()
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(imaging, "_write_atomically", full_disk)
    response = await upload(client, phone_jpeg((1700, 1000), 1))
    assert response.status_code == 503
    assert (await response.get_json())["error"] == (
        "Gambar tidak dapat disimpan di server. Tidak ada yang disimpan; coba lagi nanti."
    )
    assert len(calls) == 3
    assert stored(app) == set()
    assert await db.fetchval("SELECT count(*) FROM images") == 0


async def test_a_database_that_cannot_write_leaves_no_files(
    client: QuartClient, auth: Auth, db: Database, app: Quart, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from content.db import Unavailable
    from content.media import images

    await auth.login("editor")

    async def locked(*args: Any, **kwargs: Any) -> int:
        raise Unavailable("busy", sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(images, "_insert", locked)
    response = await upload(client, phone_jpeg((1000, 700), 1))
    assert response.status_code == 503
    assert (await response.get_json())["error"] == (
        "Tidak ada yang disimpan. Silakan coba lagi sebentar lagi."
    )
    assert stored(app) == set()  # the variants were written, then removed with no record


async def test_the_article_pdf_shows_library_images(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    from pypdf import PdfReader

    await auth.login("editor")
    answer = await (await upload(client, phone_jpeg((1200, 800), 1), "kebun.jpg")).get_json()
    img = f'<img src="{answer["url"]}" alt="Kebun">'
    form = await article_form(client, full_html=f"<p>Hasil panen.</p>{img}")
    assert (await client.post("/redaksi/artikel/baru", form=form)).status_code == 302
    article = await db.fetchone("SELECT id, alias FROM articles ORDER BY id DESC")
    await auth.logout()
    response = await client.get(f"/artikel/{article['id']}-{article['alias']}.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(await response.get_data()))
    shown = [image for page in reader.pages for image in page.images]
    assert len(shown) == 1
    assert shown[0].image is not None and shown[0].image.size == (960, 640)


async def test_a_start_sweeps_away_what_a_crash_left_but_not_fresh_or_known_files(
    tmp_path: Path, demo_database: DemoDatabase
) -> None:
    import os
    import time

    target = tmp_path / "portal.db"
    copy_demo(demo_database, target)
    folder = imaging.folder_for(str(target))
    known = imaging.process_image(png_bytes((500, 300)), str(folder), 10_000_000)
    crashed = imaging.process_image(phone_jpeg((600, 400), 1), str(folder), 10_000_000)
    fresh = imaging.process_image(gif_bytes(), str(folder), 10_000_000)
    part = folder / f".{crashed.variants[0].name}.0123456789ab.part"
    part.write_bytes(b"half a file")
    hour_ago = time.time() - 7200
    for name in [v.name for v in known.variants + crashed.variants] + [part.name]:
        os.utime(folder / name, (hour_ago, hour_ago))
    with sqlite3.connect(target) as conn:
        conn.execute(
            "INSERT INTO images (digest, format, width, height, bytes, stored_bytes, "
            "uploaded_at) VALUES (?, 'PNG', 500, 300, 1, 1, '2026-01-01 00:00:00')",
            (known.digest,),
        )
    app = make_app(tmp_path, DATABASE=str(target), IMAGE_WORKERS=0)
    async with app.test_app():
        pass
    left = {p.name for p in folder.iterdir()}
    assert left == {v.name for v in known.variants + fresh.variants}


async def test_only_staff_with_their_form_token_may_send_a_large_body(
    tmp_path: Path, demo_database: DemoDatabase
) -> None:
    """The larger body is granted as the request arrives, before anything is read: only to a
    staff cookie with its form token. Anyone else keeps the site's small request limit."""
    target = tmp_path / "portal.db"
    copy_demo(demo_database, target)
    app = make_app(
        tmp_path,
        DATABASE=str(target),
        IMAGE_WORKERS=0,
        MAX_CONTENT_LENGTH=10_000,
        MAX_FORM_MEMORY_SIZE=5_000,
    )
    photo = phone_jpeg((1500, 1000), 1)
    assert 10_000 < len(photo) < 600_000
    async with app.test_app() as test_app:
        client = test_app.test_client()
        visitor = await csrf_from(client, "/")
        response = await client.post(
            UPLOAD, files=upload_files(photo), headers={**JSON, "X-CSRF-Token": visitor}
        )
        assert response.status_code == 413  # not even the login redirect: the body was refused
        await Auth(client, demo_database.passwords).login("editor")
        token = await csrf_from(client, "/redaksi/media")
        action = soup(await (await client.get("/redaksi/media")).get_data()).select_one(
            "form.media-upload"
        )
        assert action is not None and action["action"] == f"{UPLOAD}?csrf_token={token}"
        response = await client.post(  # the token only inside the body: too late to tell
            UPLOAD, form={"csrf_token": token}, files=upload_files(photo), headers=JSON
        )
        assert response.status_code == 413
        response = await client.post(
            UPLOAD, files=upload_files(photo), headers={**JSON, "X-CSRF-Token": "0" * 43}
        )
        assert response.status_code == 413
        response = await client.post(
            UPLOAD, files=upload_files(photo), headers={**JSON, "X-CSRF-Token": token}
        )
        assert response.status_code == 201
        response = await client.post(  # the form without script: the token in its address
            f"{UPLOAD}?csrf_token={token}",
            form={"csrf_token": token},
            files=upload_files(phone_jpeg((1400, 1000), 1)),
        )
        assert response.status_code == 302
        assert (await (await client.get("/redaksi/media/gambar.json")).get_json())["total"] == 2


def test_a_truncated_upload_is_refused_even_after_a_pdf_was_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WeasyPrint lets Pillow draw truncated pictures, process-wide, when it is imported: the
    server that rendered an article's PDF must still refuse an incomplete upload."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    # as WeasyPrint's import leaves it (an earlier upload in this process may have reset it)
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(imaging.ImageRefused):
        imaging.process_image(phone_jpeg((800, 600))[:3000], str(tmp_path), 40_000_000)
    assert list(tmp_path.iterdir()) == []
