"""Logging in and out, and asking for a password reset link by mail."""

from __future__ import annotations

import asyncio
import logging
from typing import cast

from quart import (
    Blueprint,
    Quart,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from quart.blueprints import BlueprintSetupState
from quart.typing import ResponseReturnValue

from content.db import get_db
from content.web import (
    check_password_attempt,
    current_user,
    known_device,
    login_user,
    logout_user,
    mail,
    password_refusal,
    remember_device,
    reset_mail,
    safe_next,
)
from content.web.i18n import gettext, language
from content.web.state import portal

blueprint = Blueprint("auth", __name__)
logger = logging.getLogger(__name__)


@blueprint.record_once
def _set_up(state: BlueprintSetupState) -> None:
    app = cast(Quart, state.app)
    config = app.config
    if mail.MailSettings.from_config(config).enabled and not config["SITE_URL"]:
        logger.warning(
            "Set PORTAL_SITE_URL: without it no password reset link is mailed (its address would "
            'come from the request\'s Host header), and "Forgot password?" says to ask an '
            "administrator."
        )
    # Quart awaits the app's background tasks this long when it stops: a reset mail already
    # promised to a visitor gets its whole SMTP timeout.
    config["BACKGROUND_TASK_SHUTDOWN_TIMEOUT"] = max(
        config["BACKGROUND_TASK_SHUTDOWN_TIMEOUT"], config["SMTP_TIMEOUT"] + 5
    )


@blueprint.app_template_global()
def password_mail_enabled() -> bool:
    """Whether "Forgot password?" mails a reset link (else it says to ask an administrator)."""
    return reset_mail.available(current_app.config)


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


@blueprint.route("/lupa-sandi", methods=["GET", "POST"])
async def forgot_password() -> ResponseReturnValue:
    """Ask for a reset link by mail. The answer is the same whether or not the address has an
    account, and comes before the account is looked up (see content/web/reset_mail.py)."""
    headers = {"Cache-Control": "no-store"}
    config = current_app.config
    if not reset_mail.available(config):
        if request.method == "POST":
            abort(404)  # there is no form: an administrator makes the links
        page = await render_template("forgot_password.html", available=False)
        return page, 200, headers
    email, error, status, sent = "", None, 200, False
    if request.method == "POST":
        typed = (await request.form).get("email", "").strip()
        email = typed[: mail.MAX_ADDRESS]
        problem = mail.address_problem(typed)
        if problem:
            error, status = gettext(problem), 422
        else:
            limiter = portal().reset_limiter
            network = reset_mail.network_of(request.remote_addr or "unknown")
            limits = reset_mail.ResetLimits.from_config(config)
            problem = reset_mail.limit_problem(limiter, limits, typed, network)
            if problem:
                error, status = gettext(problem), 429
            else:
                reset_mail.record_request(limiter, typed, network)
                _send_later(typed)
                sent = True
    page = await render_template(
        "forgot_password.html",
        available=True,
        email=email,
        error=error,
        sent=sent,
        minutes=config["RESET_TOKEN_MINUTES"],
    )
    return page, status, headers


def _send_later(email: str) -> None:
    """Look the address up and mail the link after the answer, in a task the app awaits when
    it stops."""
    config = current_app.config
    held = portal()
    site_url = config["SITE_URL"].rstrip("/")
    slot = "-"
    request_data = reset_mail.ResetRequest(
        email=email,
        language=language(),
        # The path up to the token: the link is this and the token made after the answer.
        link_prefix=site_url + url_for("accounts.reset_password", token=slot).removesuffix(slot),
        site_name=config["SITE_NAME"],
        site_url=site_url + "/",
        minutes=config["RESET_TOKEN_MINUTES"],
    )
    db, settings = get_db(), mail.mail_settings()
    # Quart awaits the task when the app stops; this future, settled once the mail is sent or
    # given up on, lets others wait for the mails alone (the app's other tasks run for ever).
    finished = asyncio.get_running_loop().create_future()
    held.pending_mails.add(finished)

    async def sending() -> None:
        try:
            await reset_mail.deliver(db, held.clock, settings, held.catalogs, request_data)
        finally:
            held.pending_mails.discard(finished)
            finished.set_result(None)

    current_app.add_background_task(sending)
