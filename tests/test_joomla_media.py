"""`import-joomla --media DIR`: the images of the old site's articles come into the media library
and the imported articles show them from there."""

from __future__ import annotations

import asyncio
import io
import sqlite3
from contextlib import closing
from pathlib import Path

from PIL import Image
from quart import Quart

from content import imaging
from tests.conftest import make_app, soup
from tests.test_joomla import invoke, query, stock_15, value

# Joomla 1.5's sample article 26 ("Extensions") shows four images, article 1 one.
EXTENSIONS = 26


def image_bytes(color: tuple[int, int, int], kind: str, size: tuple[int, int] = (300, 90)) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (6.0, 35.0, 12.0)}
    if kind == "JPEG":
        image.save(out, kind, exif=exif.tobytes())
    else:
        image.save(out, kind)
    return out.getvalue()


def old_site(root: Path) -> Path:
    """A copy of the old site's images: one missing, two files with the same content."""
    stories = root / "images" / "stories"
    stories.mkdir(parents=True)
    same = image_bytes((200, 30, 30), "PNG")
    (stories / "ext_com.png").write_bytes(same)
    (stories / "ext_plugin.png").write_bytes(same)  # the same picture under another name
    (stories / "ext_mod.png").write_bytes(image_bytes((30, 30, 200), "JPEG"))  # named .png
    (stories / "powered_by.png").write_bytes(image_bytes((30, 200, 30), "GIF", (165, 68)))
    # ext_lang.png is missing
    return root


def library_files(app: Quart) -> set[str]:
    folder = Path(app.config["DATABASE"]).parent / "gambar"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def article(path: Path, joomla_id: int) -> dict[str, str]:
    row = query(
        path,
        "SELECT a.id, a.alias, a.intro_html, a.full_html FROM articles a JOIN joomla_map m "
        "ON m.new_id = a.id WHERE m.kind = 'article' AND m.old_id = ?",
        (joomla_id,),
    )[0]
    return dict(row)


def test_the_articles_images_come_into_the_library_and_the_article_shows_them(
    tmp_path: Path,
) -> None:
    site = old_site(tmp_path / "situs-lama")
    app = make_app(tmp_path / "portal")
    path = Path(app.config["DATABASE"])

    # A dry run reports and writes nothing.
    code, output = invoke(app, "import-joomla", "--dry-run", "--media", site, *stock_15())
    assert code == 0, output
    assert "Images: 3 would be brought into the media library" in output
    assert library_files(app) == set()

    code, output = invoke(app, "import-joomla", "--media", site, *stock_15())
    assert code == 0, output
    assert (
        "Images: 3 brought into the media library, 1 already there, 5 not found, 0 refused."
    ) in output
    assert "  images/stories/ext_lang.png (Joomla articles 26)" in output
    # the banners' images are looked for too (this old site has none of them)
    assert "  images/banners/osmbanner1.png (Joomla banners 1)" in output
    assert value(path, "SELECT image FROM banners WHERE title = 'OSM 1'") == (
        "/images/banners/osmbanner1.png"
    )
    assert value(path, "SELECT count(*) FROM images") == 3
    assert sorted(r[0] for r in query(path, "SELECT filename FROM images")) == [
        "ext_com.png",
        "ext_mod.png",
        "powered_by.png",
    ]
    extensions = article(path, EXTENSIONS)
    html = extensions["intro_html"] + extensions["full_html"]
    assert "images/stories/ext_com.png" not in html
    assert "/images/stories/ext_lang.png" in html  # missing: left at its old address
    images = soup(html).select("img")
    library = [img for img in images if img["src"].startswith("/media/img/")]
    assert len(library) == 3
    for img in library:
        found = imaging.parse_library_url(img["src"])
        assert found is not None
        assert img["srcset"] == found.srcset() and img["loading"] == "lazy"
        # The old article's own width (17 px icons) is kept; the height follows the picture.
        width = int(img["width"])
        assert width <= found.width
        assert int(img["height"]) == imaging.variant_height(found.width, found.height, width)
    assert {img["alt"] for img in library} >= {"Component - Joomla! Extension Directory"}
    # The two files with one content are one image, shown twice.
    assert len({img["src"] for img in library}) == 2
    uses = query(
        path,
        "SELECT count(*) FROM image_uses u JOIN joomla_map m ON m.new_id = u.article_id "
        "WHERE m.kind = 'article' AND m.old_id = ?",
        (EXTENSIONS,),
    )[0][0]
    assert uses == 2

    # The imported article's page shows them, and every shown variant is served, stripped.
    asyncio.run(shown_and_served(app, extensions))
    files = library_files(app)

    # A second run brings nothing twice.
    code, output = invoke(app, "import-joomla", "--media", site, *stock_15())
    assert code == 0, output
    assert value(path, "SELECT count(*) FROM images") == 3
    assert library_files(app) == files


async def shown_and_served(app: Quart, extensions: dict[str, str]) -> None:
    async with app.test_app() as test_app:
        client = test_app.test_client()
        page = await client.get(f"/artikel/{extensions['id']}-{extensions['alias']}")
        assert page.status_code == 200
        shown = soup(await page.get_data()).select(".article-body img[src^='/media/img/']")
        assert len(shown) == 3
        for img in shown:
            for candidate in [img["src"]] + [c.split()[0] for c in img["srcset"].split(", ")]:
                response = await client.get(candidate)
                assert response.status_code == 200, candidate
                data = await response.get_data()
                assert b"GPS" not in data and b"Exif" not in data
                assert len(Image.open(io.BytesIO(data)).getexif()) == 0


def test_the_images_folder_itself_and_images_already_in_the_library(tmp_path: Path) -> None:
    site = old_site(tmp_path / "situs-lama")
    app = make_app(tmp_path / "portal")
    path = Path(app.config["DATABASE"])
    # An editor uploaded the GIF to the library before the import.
    code, output = invoke(app, "init-db")
    assert code == 0, output
    gif = (site / "images" / "stories" / "powered_by.png").read_bytes()
    processed = imaging.process_image(gif, str(path.parent / "gambar"), 10_000_000)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "INSERT INTO images (digest, format, width, height, bytes, stored_bytes, filename, "
            "uploaded_at) VALUES (?, ?, ?, ?, ?, ?, 'logo-lama.gif', '2026-01-01 00:00:00')",
            (processed.digest, processed.format, 165, 68, len(gif), processed.stored_bytes),
        )
        conn.commit()
    code, output = invoke(app, "import-joomla", "--media", site / "images", *stock_15())
    assert code == 0, output
    assert "Images: 2 brought into the media library, 2 already there, 5 not found" in output
    assert value(path, "SELECT count(*) FROM images") == 3
    welcome = article(path, 1)
    logo = imaging.image_url(processed.digest, 165, 68, 165)
    assert logo in welcome["intro_html"] + welcome["full_html"]
