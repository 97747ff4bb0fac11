"""Logging in and out."""

from __future__ import annotations

from quart import Blueprint, make_response, redirect, render_template, request, url_for
from quart.typing import ResponseReturnValue

from content.web import (
    check_password_attempt,
    current_user,
    known_device,
    login_user,
    logout_user,
    password_refusal,
    remember_device,
    safe_next,
)
from content.web.i18n import gettext

blueprint = Blueprint("auth", __name__)


@blueprint.route("/masuk", methods=["GET", "POST"])
async def login() -> ResponseReturnValue:
    """The login form; failures say nothing about whether the account exists."""
    next_url = safe_next(request.args.get("next"), "")
    if request.method == "GET":
        return await render_template("login.html", email="", error=None, next_url=next_url)
    form = await request.form
    email = form.get("email", "").strip()[:254]
    result = await check_password_attempt(
        email, form.get("password", ""), known=known_device(email)
    )
    if result.user is None:
        error, status = password_refusal(
            result, gettext("The e-mail address or the password is not right.")
        )
        page = await render_template("login.html", email=email, error=error, next_url=next_url)
        return page, status
    await login_user(result.user)
    if result.user.can_edit:
        default = url_for("dashboard.home")
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
