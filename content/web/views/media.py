"""Videos, downloads and link banners for visitors (/video, /unduhan, /unduh/<id>, /tautan/<id>),
and the editors' pages for videos, social accounts, downloads and banners."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from quart import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from quart.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WerkzeugResponse

from content import media
from content.accounts import User
from content.db import Database, get_db, unless_unavailable
from content.i18n import N_
from content.visitors import is_bot
from content.web import current_user, is_prefetch, require
from content.web.i18n import gettext, language
from content.web.sidebar import sidebar
from content.web.state import portal
from content.web.views.errors import render_error

log = logging.getLogger(__name__)
blueprint = Blueprint("media", __name__)
edits = require(lambda user: user.can_edit)
ITEM_ID = "int(min=1, max=999999999)"
# Room in a request body for the upload form's other fields and the multipart framing.
FORM_ALLOWANCE = 64 * 1024
UPLOAD_ENDPOINTS = ("media.new_download", "media.edit_download")


def _parse_id(raw: str) -> int:
    """A public id from the address: digits only, bounded; anything else is a 404."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        abort(404)
    return int(raw)


def _folder() -> Path:
    """Where the library's files are kept: beside the database, so they move together."""
    return Path(current_app.config["DATABASE"]).resolve().parent / "unduhan"


def upload_limit() -> int:
    """The largest file accepted: the setting, within the request body limit."""
    config = current_app.config
    return int(min(config["UPLOAD_MAX_BYTES"], config["MAX_CONTENT_LENGTH"] - FORM_ALLOWANCE))


def _allowed_kinds() -> list[media.FileKind]:
    return media.allowed_kinds(current_app.config["UPLOAD_TYPES"])


def _providers() -> list[str]:
    return media.allowed_providers(current_app.config["VIDEO_HOSTS"])


def _messages(errors: Mapping[str, str], **variables: str) -> dict[str, str]:
    """The field errors in the visitor's language, with their placeholders filled in."""
    return {field: gettext(message, **variables) for field, message in errors.items()}


async def _staff() -> bool:
    return await current_user() is not None


async def _counts() -> bool:
    """Whether this request is a person's (not a bot's, a prefetch or staff) and so counts."""
    agent = request.headers.get("User-Agent", "")
    return not is_bot(agent) and not is_prefetch() and not await _staff()


@blueprint.app_template_filter("filesize")
def filesize(size: int) -> str:
    """A file size in the visitor's number format: '1,2 MB'."""
    return media.format_size(size, language())


# Visitors


@blueprint.get("/video")
async def videos() -> ResponseReturnValue:
    """Every published video, each with a player that loads only after a click."""
    listed = await media.list_videos(get_db(), providers=_providers())
    return await render_template("media/videos.html", listed=listed, **await sidebar())


@blueprint.get("/unduhan")
async def downloads() -> ResponseReturnValue:
    """The file library, by category."""
    groups: dict[str, list[media.Download]] = {}
    for item in await media.list_downloads(get_db()):
        groups.setdefault(item.category, []).append(item)
    return await render_template(
        "media/downloads.html", groups=list(groups.items()), **await sidebar()
    )


@blueprint.get("/unduh/<raw_id>")
async def download_file(raw_id: str) -> ResponseReturnValue:
    """A file of the library by its id, always as an attachment, counted once per request."""
    db = get_db()
    item = await media.get_download(db, _parse_id(raw_id))
    if item is None:
        abort(404)
    user = await current_user()
    if not item.published and not (user and user.can_edit):
        abort(404)
    path = media.stored_path(_folder(), item.stored_name)
    if path is None or not path.is_file():
        log.warning("The file of download %s (%s) is missing", item.id, item.stored_name)
        abort(404)
    # A download manager's later pieces (Range past the start) are not new downloads.
    piece = request.headers.get("Range", "").replace(" ", "")
    if request.method == "GET" and piece in ("", "bytes=0-") and await _counts():
        _count_later(media.count_download, item.id)
    response = await send_file(path, mimetype=item.file_kind.mimetype)
    response.headers["Content-Type"] = item.file_kind.mimetype
    response.headers["Content-Disposition"] = media.content_disposition(
        item.filename, f"unduhan-{item.id}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Never a page: even a file a browser could render runs nothing and loads nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers.pop("Expires", None)
    return response


def _count_later(count: Callable[[Database, int], Awaitable[None]], item_id: int) -> None:
    """Count a download or a click after the response: the file or the redirect never waits
    for the database, and a count the database cannot take (locked, disk full) is logged."""
    db = get_db()
    pending = portal().pending_counts

    async def counting() -> None:
        task = asyncio.current_task()
        if task is not None:
            pending.add(task)
            task.add_done_callback(pending.discard)
        with unless_unavailable(log, f"The {count.__name__} of {item_id}"):
            await count(db, item_id)

    current_app.add_background_task(counting)


@blueprint.get("/tautan/<raw_id>")
async def banner_link(raw_id: str) -> ResponseReturnValue:
    """A banner's click: counted (people only), then off to the address stored for it."""
    db = get_db()
    banner = await media.get_banner(db, _parse_id(raw_id))
    if banner is None or not banner.published or not media.safe_target(banner.url):
        abort(404)
    if await _counts():
        _count_later(media.count_click, banner.id)
    response = redirect(banner.url, 302)
    response.headers["Cache-Control"] = "no-store"
    return response


# Editors: one list, one form and one confirmation per kind of item


def _saved_redirect(endpoint: str, saved: int) -> WerkzeugResponse:
    return redirect(url_for(endpoint, disimpan=saved))


async def _user() -> User:
    user = await current_user()
    assert user is not None  # guaranteed by @edits
    return user


async def _confirm_delete(
    kind: str, item_id: int, name: str | None, back: str, heading: str
) -> ResponseReturnValue:
    """The confirmation page (GET), or the removal (POST) with an audit entry."""
    if name is None:
        abort(404)
    if request.method == "POST":
        await media.delete_item(get_db(), kind, item_id, await _user())
        return redirect(back)
    return await render_template(
        "editor/confirm_delete.html", item_name=name, back=back, heading=heading
    )


# Videos


@blueprint.get("/redaksi/video")
@edits
async def manage_videos() -> ResponseReturnValue:
    """Every video, published or not."""
    listed = await media.list_videos(get_db(), published_only=False)
    return await render_template("editor/videos.html", listed=listed)


@blueprint.route("/redaksi/video/baru", methods=["GET", "POST"])
@edits
async def new_video() -> ResponseReturnValue:
    """Add a video by its address."""
    return await _edit_video(None)


@blueprint.route(f"/redaksi/video/<{ITEM_ID}:item_id>", methods=["GET", "POST"])
@edits
async def edit_video(item_id: int) -> ResponseReturnValue:
    """Change a video."""
    return await _edit_video(item_id)


async def _edit_video(item_id: int | None) -> ResponseReturnValue:
    db = get_db()
    existing = await media.get_video(db, item_id) if item_id else None
    if item_id and existing is None:
        abort(404)
    errors: dict[str, str] = {}
    values: Any = existing or media.VideoDraft()
    providers = _providers()
    if request.method == "POST":
        form = await request.form
        draft, errors = media.parse_video_form(form, providers)
        if not errors:
            saved = await media.save_video(db, draft, await _user(), item_id)
            return _saved_redirect("media.manage_videos", saved)
        values = {**asdict(draft), "ordering": form.get("ordering", "")}
    sites = ", ".join(media.PROVIDER_NAMES[p] for p in providers) or "-"
    page = await render_template(
        "editor/video_form.html",
        item=existing,
        values=values,
        errors=_messages(errors, sites=sites),
        sites=sites,
    )
    return (page, 400) if errors else page


@blueprint.route(f"/redaksi/video/<{ITEM_ID}:item_id>/hapus", methods=["GET", "POST"])
@edits
async def delete_video(item_id: int) -> ResponseReturnValue:
    """Remove a video, after a confirmation page."""
    found = await media.get_video(get_db(), item_id)
    return await _confirm_delete(
        "video",
        item_id,
        found.title if found else None,
        url_for("media.manage_videos"),
        gettext("Delete video"),
    )


# Social media accounts


@blueprint.get("/redaksi/media-sosial")
@edits
async def manage_social() -> ResponseReturnValue:
    """The institute's accounts."""
    listed = await media.list_social(get_db(), published_only=False)
    return await render_template("editor/social.html", listed=listed)


@blueprint.route("/redaksi/media-sosial/baru", methods=["GET", "POST"])
@edits
async def new_social() -> ResponseReturnValue:
    """Add an account."""
    return await _edit_social(None)


@blueprint.route(f"/redaksi/media-sosial/<{ITEM_ID}:item_id>", methods=["GET", "POST"])
@edits
async def edit_social(item_id: int) -> ResponseReturnValue:
    """Change an account."""
    return await _edit_social(item_id)


async def _edit_social(item_id: int | None) -> ResponseReturnValue:
    db = get_db()
    existing = await media.get_social(db, item_id) if item_id else None
    if item_id and existing is None:
        abort(404)
    errors: dict[str, str] = {}
    values: Any = existing or media.SocialDraft()
    network = ""
    if request.method == "POST":
        form = await request.form
        draft, errors = media.parse_social_form(form)
        if not errors:
            saved = await media.save_social(db, draft, await _user(), item_id)
            return _saved_redirect("media.manage_social", saved)
        values = {**asdict(draft), "ordering": form.get("ordering", "")}
        network = media.NETWORKS[draft.network].name
    page = await render_template(
        "editor/social_form.html",
        item=existing,
        values=values,
        errors=_messages(errors, network=gettext(network) if network else ""),
        networks=media.NETWORKS,
    )
    return (page, 400) if errors else page


@blueprint.route(f"/redaksi/media-sosial/<{ITEM_ID}:item_id>/hapus", methods=["GET", "POST"])
@edits
async def delete_social(item_id: int) -> ResponseReturnValue:
    """Remove an account, after a confirmation page."""
    found = await media.get_social(get_db(), item_id)
    return await _confirm_delete(
        "social_account",
        item_id,
        found.name if found else None,
        url_for("media.manage_social"),
        gettext("Delete account"),
    )


# Downloads


@blueprint.get("/redaksi/unduhan")
@edits
async def manage_downloads() -> ResponseReturnValue:
    """Every file in the library, with its downloads."""
    listed = await media.list_downloads(get_db(), published_only=False)
    return await render_template("editor/downloads.html", listed=listed)


@blueprint.route("/redaksi/unduhan/baru", methods=["GET", "POST"])
@edits
async def new_download() -> ResponseReturnValue:
    """Upload a file into the library."""
    return await _edit_download(None)


@blueprint.route(f"/redaksi/unduhan/<{ITEM_ID}:item_id>", methods=["GET", "POST"])
@edits
async def edit_download(item_id: int) -> ResponseReturnValue:
    """Change a file's details, or replace the file."""
    return await _edit_download(item_id)


def _upload_variables() -> dict[str, str]:
    return {
        "limit": media.format_size(upload_limit(), language()),
        "types": ", ".join(kind.label for kind in _allowed_kinds()),
    }


async def _download_form(
    existing: media.Download | None, values: Any, errors: Mapping[str, str], **variables: str
) -> str:
    kinds = _allowed_kinds()
    return await render_template(
        "editor/download_form.html",
        item=existing,
        values=values,
        errors=_messages(errors, **_upload_variables(), **variables),
        accept=",".join(ext for kind in kinds for ext in kind.extensions),
        categories=await media.download_categories(get_db()),
        **_upload_variables(),
    )


async def _edit_download(item_id: int | None) -> ResponseReturnValue:
    db = get_db()
    existing = await media.get_download(db, item_id) if item_id else None
    if item_id and existing is None:
        abort(404)
    if request.method == "GET":
        return await _download_form(existing, existing or media.DownloadDraft(), {})
    form = await request.form
    draft, errors = media.parse_download_form(form)
    upload = None
    kind_label = ""
    storage = (await request.files).get("file")
    if storage is not None and (storage.filename or existing is None):
        limit = upload_limit()
        data = storage.read(limit + 1)
        upload, problem = media.check_upload(storage.filename, data, _allowed_kinds(), limit)
        if problem:
            errors["file"] = problem
            extension = Path(storage.filename or "").suffix.lower()
            found = [k for k in _allowed_kinds() if extension in k.extensions]
            kind_label = found[0].label if found else ""
    elif existing is None:
        errors["file"] = media.clean_filename(None)[1] or ""
    if not errors:
        saved = await media.save_download(db, draft, upload, await _user(), _folder(), item_id)
        return _saved_redirect("media.manage_downloads", saved)
    page = await _download_form(existing, draft, errors, type=kind_label)
    return page, 400


@blueprint.route(f"/redaksi/unduhan/<{ITEM_ID}:item_id>/hapus", methods=["GET", "POST"])
@edits
async def delete_download(item_id: int) -> ResponseReturnValue:
    """Remove a file from the library, after a confirmation page."""
    db = get_db()
    found = await media.get_download(db, item_id)
    if found is None:
        abort(404)
    if request.method == "POST":
        await media.delete_download(db, item_id, await _user(), _folder())
        return redirect(url_for("media.manage_downloads"))
    return await render_template(
        "editor/confirm_delete.html",
        item_name=found.title,
        back=url_for("media.manage_downloads"),
        heading=gettext("Delete file"),
    )


@blueprint.errorhandler(413)
async def upload_too_large(error: HTTPException) -> ResponseReturnValue:
    """An upload over the body limit: the form again, with the limit next to the file field."""
    user = await current_user()
    if request.endpoint not in UPLOAD_ENDPOINTS or user is None or not user.can_edit:
        return await render_error(error)
    item_id = (request.view_args or {}).get("item_id")
    existing = await media.get_download(get_db(), item_id) if item_id else None
    errors = {"file": N_("The file is larger than the limit of %(limit)s.")}
    page = await _download_form(existing, existing or media.DownloadDraft(), errors)
    return page, 413


# Link banners


@blueprint.get("/redaksi/tautan")
@edits
async def manage_banners() -> ResponseReturnValue:
    """The banner row's links, with their clicks."""
    listed = await media.list_banners(get_db(), published_only=False)
    return await render_template("editor/banners.html", listed=listed)


@blueprint.route("/redaksi/tautan/baru", methods=["GET", "POST"])
@edits
async def new_banner() -> ResponseReturnValue:
    """Add a banner."""
    return await _edit_banner(None)


@blueprint.route(f"/redaksi/tautan/<{ITEM_ID}:item_id>", methods=["GET", "POST"])
@edits
async def edit_banner(item_id: int) -> ResponseReturnValue:
    """Change a banner, or switch it off."""
    return await _edit_banner(item_id)


async def _edit_banner(item_id: int | None) -> ResponseReturnValue:
    db = get_db()
    existing = await media.get_banner(db, item_id) if item_id else None
    if item_id and existing is None:
        abort(404)
    errors: dict[str, str] = {}
    values: Any = existing or media.BannerDraft()
    if request.method == "POST":
        form = await request.form
        draft, errors = media.parse_banner_form(form)
        if not errors:
            saved = await media.save_banner(db, draft, await _user(), item_id)
            return _saved_redirect("media.manage_banners", saved)
        values = {**asdict(draft), "ordering": form.get("ordering", "")}
    page = await render_template(
        "editor/banner_form.html", item=existing, values=values, errors=_messages(errors)
    )
    return (page, 400) if errors else page


@blueprint.route(f"/redaksi/tautan/<{ITEM_ID}:item_id>/hapus", methods=["GET", "POST"])
@edits
async def delete_banner(item_id: int) -> ResponseReturnValue:
    """Remove a banner, after a confirmation page."""
    found = await media.get_banner(get_db(), item_id)
    return await _confirm_delete(
        "banner",
        item_id,
        found.title if found else None,
        url_for("media.manage_banners"),
        gettext("Delete banner"),
    )
