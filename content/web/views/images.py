"""The media library (/redaksi/media): uploading images (a form, drag and drop, or a script's
fetch with JSON back), their alt text, where each is used, removing unused ones; and the
images' variants for everyone under /media/img/, cached for good (their names are their
content's hash)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import Any

from markupsafe import Markup
from quart import (
    Blueprint,
    Quart,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from quart.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from content import imaging
from content.accounts import User
from content.db import Unavailable, get_db, unless_unavailable
from content.i18n import N_
from content.media import images
from content.media.files import format_size
from content.web import allow_large_body, current_user, parse_page_number, require
from content.web.i18n import gettext, language
from content.web.state import Portal, portal
from content.web.unavailable import UNAVAILABLE_MESSAGE
from content.web.views.errors import COOKIES_MESSAGE, CSRF_MESSAGE, render_error

log = logging.getLogger(__name__)
blueprint = Blueprint("images", __name__)
edits = require(lambda user: user.can_edit)
UPLOAD_PATH = "/redaksi/media/gambar"
# Room in an upload request for the form's other fields and the multipart framing.
FORM_ALLOWANCE = 64 * 1024
IMMUTABLE = "public, max-age=31536000, immutable"
ITEM_ID = "int(min=1, max=999999999)"
PICKER_CHOICES = 100
LEFTOVER_AGE = 3600  # seconds: older files without a record are a crash's leftovers
JSON_ENDPOINTS = ("images.upload", "images.edit_image", "images.delete_image")


def folder_of(app: Quart) -> Path:
    """Where the variants are kept: beside the database, so they move together."""
    return imaging.folder_for(app.config["DATABASE"])


def init_app(app: Quart) -> images.ImageProcessor:
    """The upload path's larger body limit and the processor (its workers stop after serving)."""
    allow_large_body(app, UPLOAD_PATH, app.config["IMAGE_MAX_BYTES"] + FORM_ALLOWANCE)
    processor = images.ImageProcessor(
        folder_of(app), app.config["IMAGE_MAX_PIXELS"], app.config["IMAGE_WORKERS"]
    )

    # while_serving, registered after the database's: it runs once that is open.
    @app.while_serving
    async def image_library() -> AsyncGenerator[None, None]:
        with unless_unavailable(log, "The sweep of leftover image files"):
            await images.sweep_leftovers(Portal.of(app).database, folder_of(app), LEFTOVER_AGE)
        yield
        await asyncio.to_thread(processor.close)  # waits for uploads still being made

    app.jinja_env.globals.update(image_attrs=image_attrs, library_images=library_images)

    return processor


def image_attrs(url: str, sizes: str | None = None) -> Markup:
    """The attributes of an image shown from an address: a library image's src, srcset, sizes,
    width and height (so the page does not jump), an outside image's src alone."""
    found = imaging.responsive_attributes(url)
    if found is None:
        return Markup('src="{}"').format(url)
    if sizes:
        found["sizes"] = sizes
    return Markup('src="{}" srcset="{}" sizes="{}" width="{}" height="{}" decoding="async"').format(
        url, found["srcset"], found["sizes"], found["width"], found["height"]
    )


async def library_images() -> list[images.LibraryImage]:
    """The newest library images, for the pickers beside image address fields."""
    return await images.recent_images(get_db(), limit=PICKER_CHOICES)


def _processor() -> images.ImageProcessor:
    found = portal().images
    assert found is not None  # set by init_app
    return found


def _wants_json() -> bool:
    """Whether the client asked for JSON (a script's fetch) rather than a page."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _limit_text() -> str:
    return format_size(current_app.config["IMAGE_MAX_BYTES"], language())


def image_json(image: images.LibraryImage) -> dict[str, Any]:
    """The JSON shape of an image (upload answer and the editor's picker)."""
    width, height = image.default_size
    return {
        "id": image.id,
        "url": image.url(),
        "srcset": image.srcset,
        "sizes": image.sizes,
        "width": width,
        "height": height,
        "alt": image.alt,
        "decorative": image.decorative,
        "thumbnail": image.thumbnail,
        "filename": image.filename,
        "original_width": image.width,
        "original_height": image.height,
        "bytes": image.bytes,
    }


def _use_json(use: images.ImageUse) -> dict[str, Any]:
    return {"kind": use.kind, "id": use.id, "title": use.title, "url": _use_url(use)}


def _use_url(use: images.ImageUse) -> str:
    if use.kind == "article":
        return url_for("editor.edit_article", article_id=use.id)
    if use.kind == "banner":
        return url_for("media.edit_banner", item_id=use.id)
    return url_for("media.edit_video", item_id=use.id)


async def _user() -> User:
    user = await current_user()
    assert user is not None  # guaranteed by @edits
    return user


def _error(message: str, status: int, **variables: str) -> ResponseReturnValue:
    return jsonify({"error": gettext(message, **variables)}), status


async def _listed(page_argument: str) -> tuple[str, int, images.ImagePage, Any]:
    """The library as the address asks for it (?q= and a page number): query, number, page,
    and where each image on the page is used."""
    db = get_db()
    query = request.args.get("q", "")[:200]
    number = parse_page_number(request.args.get(page_argument))
    page = await images.list_images(db, query=query, number=number)
    return query, number, page, await images.image_uses(db, page.items)


# The library page


@blueprint.get("/redaksi/media")
@edits
async def library() -> ResponseReturnValue:
    """Every image, newest first, with its thumbnail, size, alt text, uploader and uses."""
    query, number, page, uses = await _listed("halaman")
    if number > page.pages:
        abort(404)
    return await render_template(
        "editor/media_library.html",
        page=page,
        uses=uses,
        use_url=_use_url,
        query=query,
        limit=_limit_text(),
        max_bytes=current_app.config["IMAGE_MAX_BYTES"],
        upload_url=UPLOAD_PATH,
    )


@blueprint.get("/redaksi/media/gambar.json")
@edits
async def library_json() -> ResponseReturnValue:
    """The library for the editor's picker: ?q= searches names and alt text, ?page= pages."""
    _, _, page, uses = await _listed("page")
    items = []
    for image in page.items:
        item = image_json(image)
        item["uploaded_at"] = image.uploaded_at.isoformat()
        item["uploaded_by"] = image.uploader
        item["used_in"] = [_use_json(use) for use in uses[image.id]]
        items.append(item)
    return jsonify({"images": items, "page": page.number, "pages": page.pages, "total": page.total})


@blueprint.post(UPLOAD_PATH)
@edits
async def upload() -> ResponseReturnValue:
    """Add an image: JSON 201 for a script, else back to the library with a message."""
    form = await request.form
    storage = (await request.files).get("file")
    as_json = _wants_json()
    alt, problem = images.clean_alt(form.get("alt", ""))
    decorative = form.get("decorative") == "1"
    limit = current_app.config["IMAGE_MAX_BYTES"]
    status = 400
    message: str | None = problem
    variables: dict[str, str] = {}
    image = None
    if message is None and (storage is None or not storage.filename):
        message = N_("Choose an image to upload.")
    elif message is None and storage is not None:
        data = storage.read(limit + 1)
        if len(data) > limit:
            message, status, variables = (
                N_("The image is larger than the limit of %(limit)s."),
                413,
                {"limit": _limit_text()},
            )
        else:
            try:
                image, _created = await images.add_image(
                    get_db(),
                    _processor(),
                    data,
                    filename=storage.filename,
                    alt=alt,
                    decorative=decorative,
                    user=await _user(),
                )
            except imaging.ImageRefused as refused:
                message, variables = refused.message, refused.variables
                if isinstance(refused, imaging.ImageNotStored):
                    status = 503
            except Unavailable:
                message, status = UNAVAILABLE_MESSAGE, 503
    if image is None:
        text = gettext(message or "", **variables)
        if as_json:
            return jsonify({"error": text}), status
        await flash(text, "error")
        return redirect(url_for("images.library"))
    if as_json:
        return jsonify(image_json(image)), 201
    await flash(gettext("Uploaded: %(name)s.", name=image.filename or str(image.id)), "ok")
    return redirect(url_for("images.library"))


@blueprint.route(f"/redaksi/media/gambar/<{ITEM_ID}:image_id>", methods=["GET", "POST"])
@edits
async def edit_image(image_id: int) -> ResponseReturnValue:
    """One image: its variants, alt text (changed here) and where it is used."""
    db = get_db()
    image = await images.get_image(db, image_id)
    if image is None:
        abort(404)
    error = None
    if request.method == "POST":
        form = await request.form
        alt, error = images.clean_alt(form.get("alt", ""))
        if error is None:
            await images.update_alt(db, image_id, alt, form.get("decorative") == "1", await _user())
            if _wants_json():
                changed = await images.get_image(db, image_id)
                assert changed is not None
                return jsonify(image_json(changed))
            await flash(gettext("Saved."), "ok")
            return redirect(url_for("images.edit_image", image_id=image_id))
        if _wants_json():
            return _error(error, 400)
    uses = (await images.image_uses(db, [image]))[image.id]
    page = await render_template(
        "editor/media_image.html",
        image=image,
        uses=uses,
        use_url=_use_url,
        error=error,
    )
    return (page, 400) if error else page


@blueprint.route(f"/redaksi/media/gambar/<{ITEM_ID}:image_id>/hapus", methods=["GET", "POST"])
@edits
async def delete_image(image_id: int) -> ResponseReturnValue:
    """Remove an image after a confirmation; refused, with the list, while something uses it."""
    db = get_db()
    image = await images.get_image(db, image_id)
    if image is None:
        abort(404)
    if request.method == "POST":
        uses = await images.delete_image(db, image_id, await _user(), folder_of(current_app))
        if uses is None:
            abort(404)
        if not uses:
            if _wants_json():
                return jsonify({"deleted": image_id})
            await flash(gettext("Deleted: %(name)s.", name=image.filename), "ok")
            return redirect(url_for("images.library"))
        message = gettext(
            "The image is still used and was not deleted. Remove it from these first:"
        )
        if _wants_json():
            return jsonify({"error": message, "used_in": [_use_json(u) for u in uses]}), 409
        page = await render_template(
            "editor/media_delete.html", image=image, uses=uses, use_url=_use_url, refused=True
        )
        return page, 409
    uses = (await images.image_uses(db, [image]))[image.id]
    return await render_template(
        "editor/media_delete.html", image=image, uses=uses, use_url=_use_url, refused=False
    )


@blueprint.errorhandler(400)
async def bad_upload_request(error: HTTPException) -> ResponseReturnValue:
    """A script's upload refused before the view (an expired form token, no cookie): the
    reason as JSON, as the view's own refusals are."""
    if request.endpoint not in JSON_ENDPOINTS or not _wants_json():
        return await render_error(error)
    message = {"csrf": CSRF_MESSAGE, "cookies": COOKIES_MESSAGE}.get(str(error.description))
    text = gettext(message) if message else (error.description or error.name)
    return jsonify({"error": text}), 400


@blueprint.errorhandler(413)
async def upload_too_large(error: HTTPException) -> ResponseReturnValue:
    """An upload over the request limit: the same message as a file over the image limit."""
    if request.endpoint != "images.upload":
        return await render_error(error)
    message = N_("The image is larger than the limit of %(limit)s.")
    text = gettext(message, limit=_limit_text())
    if _wants_json():
        return jsonify({"error": text}), 413
    if await current_user() is None:
        return await render_error(error)
    await flash(text, "error")
    return redirect(url_for("images.library"))


# The variants, for everyone


@blueprint.get("/media/img/<name>")
async def variant(name: str) -> ResponseReturnValue:
    """One variant of an image, cached for good: its name changes whenever its bytes would."""
    found = imaging.parse_file_name(name)
    if found is None:
        abort(404)
    path = folder_of(current_app) / name
    if not path.is_file():
        abort(404)
    mimetype = imaging.MIMETYPES[found.ext]
    response = await send_file(path, mimetype=mimetype)
    response.headers["Cache-Control"] = IMMUTABLE
    response.headers.pop("Expires", None)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
