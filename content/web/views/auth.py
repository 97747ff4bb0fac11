"""Logging in and out."""

from __future__ import annotations

from quart import Blueprint, current_app, make_response, redirect, render_template, request, url_for
from quart.typing import ResponseReturnValue

from content import accounts
from content.db import get_db
from content.web import (
    current_user,
    known_device,
    login_user,
    logout_user,
    remember_device,
    safe_next,
)
from content.web.i18n import gettext, ngettext
from content.web.state import portal

blueprint = Blueprint("auth", __name__)


@blueprint.route("/masuk", methods=["GET", "POST"])
async def login() -> ResponseReturnValue:
    """The login form; failures say nothing about whether the account exists."""
    next_url = safe_next(request.args.get("next"), "")
    if request.method == "GET":
        return await render_template("login.html", email="", error=None, next_url=next_url)
    form = await request.form
    email = form.get("email", "").strip()[:254]
    password = form.get("password", "")[:1024]
    result = await accounts.authenticate(
        get_db(),
        email,
        password,
        request.remote_addr or "unknown",
        free_failures=current_app.config["LOGIN_FREE_FAILURES"],
        max_delay=current_app.config["LOGIN_MAX_DELAY"],
        known_device=known_device(email),
        clock=portal().clock,
    )
    if result.user is None:
        if result.retry_after:
            error = ngettext(
                "Too many failed attempts. Please wait %(num)d second and try again.",
                "Too many failed attempts. Please wait %(num)d seconds and try again.",
                result.retry_after,
            )
            status = 429
        else:
            error = gettext("The e-mail address or the password is not right.")
            status = 401
        page = await render_template("login.html", email=email, error=error, next_url=next_url)
        return page, status
    await login_user(result.user)
    if result.user.can_edit:
        default = url_for("editor.articles")
    elif result.user.can_moderate:
        default = url_for("live.moderation_room")
    else:
        default = url_for("public.home")
    response = await make_response(redirect(safe_next(next_url, default)))
    remember_device(response, result.user.email)
    return response


@blueprint.post("/keluar")
async def logout() -> ResponseReturnValue:
    """End the session and go home."""
    if await current_user() is not None:
        await logout_user()
    return redirect(url_for("public.home"))
