"""The media library in Chromium: images dropped on the page and chosen with the button are
uploaded by the page's script, listed with their thumbnails, and the page passes axe-core at
1366 and 360 px (screenshots kept in the artifacts)."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

from PIL import Image

from tests.browser.test_accessibility import ACCOUNTS, audit
from tests.browser.test_presence import PERSON
from tests.conftest import DemoDatabase, LiveServer
from tests.test_images import phone_jpeg

DROP = """async ([files]) => {
  const transfer = new DataTransfer();
  for (const [name, type, data] of files) {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], name, { type }));
  }
  const zone = document.querySelector("[data-dropzone]");
  for (const kind of ["dragenter", "dragover", "drop"]) {
    const init = { dataTransfer: transfer, bubbles: true, cancelable: true };
    zone.dispatchEvent(new DragEvent(kind, init));
  }
}"""


def landscape(color: tuple[int, int, int], size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    image.paste((250, 250, 250), (size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2))
    image.save(out, "PNG")
    return out.getvalue()


async def logged_in(browser: Any, server: LiveServer, passwords: dict[str, str], width: int) -> Any:
    context = await browser.new_context(
        user_agent=PERSON, viewport={"width": width, "height": 900}, bypass_csp=True
    )
    page = await context.new_page()
    page.set_default_timeout(20_000)
    await page.goto(server.url + "/masuk")
    await page.fill("#email", ACCOUNTS["editor"])
    await page.fill("#password", passwords["editor"])
    await page.click("form.stacked-form button[type=submit]")
    await page.wait_for_load_state("networkidle")
    return context, page


async def test_images_are_dropped_and_chosen_then_listed_and_the_page_passes_axe(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path
) -> None:
    context, page = await logged_in(browser, live_server, demo_database.passwords, 1366)
    await page.goto(live_server.url + "/redaksi/media")
    await page.fill("#media-alt", "Kebun percobaan Pakuwon")
    files = [
        ["kebun.jpg", "image/jpeg", base64.b64encode(phone_jpeg((1800, 1200), 6)).decode()],
        [
            "sawah.png",
            "image/png",
            base64.b64encode(landscape((40, 140, 60), (1200, 700))).decode(),
        ],
        ["bukan-gambar.jpg", "image/jpeg", base64.b64encode(b"<html><script>x</script>").decode()],
    ]
    async with page.expect_response(lambda r: r.url.endswith("/redaksi/media/gambar")) as first:
        await page.evaluate(DROP, [files])
    assert (await first.value).status == 201
    # Two of three were kept: the page says which one was not and why, and stays to show it.
    refused = page.locator("[data-upload-status] .field-error")
    await refused.wait_for()
    assert "bukan-gambar.jpg" in await refused.inner_text()
    assert "kode halaman web atau skrip" in await refused.inner_text()
    await page.goto(live_server.url + "/redaksi/media")
    names = await page.locator(".media-item .media-name").all_inner_texts()
    assert sorted(names) == ["kebun.jpg", "sawah.png"]

    # The button: choose a file and press Upload (the script sends it, then reloads the list).
    await page.set_input_files(
        "#media-file",
        files=[{"name": "gedung.png", "mimeType": "image/png",
                "buffer": landscape((120, 90, 60), (800, 1000))}],
    )  # fmt: skip
    await page.fill("#media-alt", "Gedung kantor")
    async with page.expect_navigation():
        await page.click(".media-upload button[type=submit]")
    items = page.locator(".media-item")
    assert await items.count() == 3
    newest = items.first
    assert await newest.locator(".media-name").inner_text() == "gedung.png"
    assert "Gedung kantor" in await newest.inner_text()
    thumbnail = newest.locator("img")
    await thumbnail.wait_for()
    assert await thumbnail.evaluate("img => img.complete && img.naturalWidth") == 480
    kebun = page.locator(".media-item", has_text="kebun.jpg")
    assert "1.200 × 1.800 px" in await kebun.inner_text()  # turned upright
    assert "Kebun percobaan Pakuwon" in await kebun.inner_text()

    for width in (1366, 360):
        await page.set_viewport_size({"width": width, "height": 900})
        await page.goto(live_server.url + "/redaksi/media")
        await page.wait_for_load_state("networkidle")
        await page.screenshot(path=str(artifacts / f"media-library-{width}.png"), full_page=True)
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the library is {overflow}px wider than {width}px"
        assert await audit(page) == []
        await page.click(".media-item .media-name a >> nth=0")
        await page.wait_for_load_state("networkidle")
        await page.screenshot(path=str(artifacts / f"media-image-{width}.png"), full_page=True)
        assert await audit(page) == []
    await context.close()


async def test_an_intro_image_picked_from_the_library_is_a_responsive_teaser(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path
) -> None:
    context, page = await logged_in(browser, live_server, demo_database.passwords, 1366)
    await page.goto(live_server.url + "/redaksi/media")
    await page.set_input_files(
        "#media-file",
        files=[{"name": "panen.jpg", "mimeType": "image/jpeg",
                "buffer": phone_jpeg((2400, 1600), 1)}],
    )  # fmt: skip
    async with page.expect_navigation():
        await page.click(".media-upload button[type=submit]")
    await page.goto(live_server.url + "/redaksi/artikel/2")
    picker = page.locator("#intro_image_library")
    value = await picker.locator("option", has_text="panen.jpg").get_attribute("value")
    assert value is not None and value.endswith("-2400x1600-960.webp")
    await picker.select_option(value)
    # The script puts the address into the field, shows a preview, and leaves the field in charge.
    assert await page.input_value("#intro_image") == value
    assert await picker.input_value() == ""
    preview = page.locator("[data-picker-preview]")
    assert await preview.is_visible()
    await page.locator("[data-image-picker]").screenshot(
        path=str(artifacts / "media-picker-1366.png")
    )
    async with page.expect_navigation():
        await page.click(".form-actions button[name=action][value=save]")
    assert "disimpan=1" in page.url
    await context.close()

    for width, expected in ((360, "-480.webp"), (1366, "-960.webp")):
        visitor = await browser.new_context(
            user_agent=PERSON, viewport={"width": width, "height": 900}
        )
        home = await visitor.new_page()
        await home.goto(live_server.url + "/artikel/2")
        image = home.locator("img.intro-image")
        await image.wait_for()
        await home.wait_for_function("() => document.querySelector('img.intro-image').complete")
        chosen = await image.evaluate("img => img.currentSrc")
        assert chosen.endswith(expected), (width, chosen)
        box = await image.bounding_box()
        assert box is not None and box["width"] <= width
        await home.screenshot(path=str(artifacts / f"media-intro-image-{width}.png"))
        await visitor.close()
