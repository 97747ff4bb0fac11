"""Staff accounts: the admins' account list, one's own password, and password reset links.

Changing an account (its role, whether it may log in, a reset link, a new account) needs the
admin's password entered within REAUTH_MINUTES in this session. Only admins reach these pages, and
the last active admin can be neither demoted nor switched off, so a moderator or a slip cannot
lock the site's administrators out.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, TypeVar, cast

from quart import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from quart.typing import ResponseReturnValue

from content import accounts, sessions
from content.accounts import ROLE_NAMES, ROLES, AccountError, User
from content.db import get_db
from content.web import (
    check_password_attempt,
    current_user,
    login_user,
    password_refusal,
    require,
    safe_next,
    staff_session,
)
from content.web.i18n import gettext
from content.web.state import portal

blueprint = Blueprint("accounts", __name__)
admins = require(lambda user: user.is_admin)
staff = require(lambda user: True)
F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


def recent_password(view: F) -> F:
    """Ask for the password again unless it was entered in this session a short while ago."""

    @wraps(view)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        found = await staff_session()
        assert found is not None  # the view is behind @admins
        if not found.confirmed_within(current_app.config["REAUTH_MINUTES"] * 60):
            back = request.path if request.method == "GET" else url_for("accounts.manage")
            return redirect(url_for("accounts.confirm_password", next=back))
        return await view(*args, **kwargs)

    return cast(F, wrapper)


async def _admin() -> User:
    user = await current_user()
    assert user is not None
    return user


async def _reset_link_page(user: User, status: int) -> ResponseReturnValue:
    """Make a reset link for the account and show it, once, to the admin."""
    minutes = current_app.config["RESET_TOKEN_MINUTES"]
    token = await sessions.new_reset(
        get_db(), user, minutes, by=await _admin(), clock=portal().clock
    )
    base = current_app.config["SITE_URL"].rstrip("/")
    if base:
        link = base + url_for("accounts.reset_password", token=token)
    else:
        link = url_for("accounts.reset_password", token=token, _external=True)
    page = await render_template("editor/reset_link.html", account=user, link=link, minutes=minutes)
    return page, status, {"Cache-Control": "no-store"}


@blueprint.get("/redaksi/akun")
@admins
async def manage() -> str:
    """Every account with its role, state, last login and open sessions."""
    db = get_db()
    users = await accounts.all_users(db)
    open_sessions = {u.id: await sessions.count(db, u.id) for u in users}
    last_logins = await accounts.last_logins(db)
    return await render_template(
        "editor/accounts.html",
        users=users,
        roles=ROLES,
        role_names=ROLE_NAMES,
        open_sessions=open_sessions,
        last_logins=last_logins,
    )


@blueprint.post("/redaksi/akun/<int:user_id>")
@admins
@recent_password
async def change(user_id: int) -> ResponseReturnValue:
    """Set an account's role and whether it may log in; its open sessions end."""
    form = await request.form
    role = form.get("role", "")
    active = form.get("active") == "1"
    try:
        changed = await accounts.change_account(
            get_db(), await _admin(), user_id, role=role, active=active
        )
    except AccountError as error:
        await flash(gettext(str(error)), "error")
        return redirect(url_for("accounts.manage")), 303
    await flash(gettext("Saved: %(email)s.", email=changed.email), "ok")
    return redirect(url_for("accounts.manage")), 303


@blueprint.post("/redaksi/akun/<int:user_id>/tautan-sandi")
@admins
@recent_password
async def reset_link(user_id: int) -> ResponseReturnValue:
    """A single-use link that lets the account's owner choose a new password."""
    user = await accounts.get_user(get_db(), user_id)
    if user is None or not user.active:
        abort(404)
    return await _reset_link_page(user, 200)


@blueprint.route("/redaksi/akun/baru", methods=["GET", "POST"])
@admins
@recent_password
async def new_account() -> ResponseReturnValue:
    """A new account; its owner sets the password through a reset link."""
    values = {"email": "", "name": "", "role": "editor"}
    error = None
    if request.method == "POST":
        form = await request.form
        values = {k: form.get(k, "").strip()[:254] for k in values}
        if values["role"] not in ROLES:
            error = gettext("Choose one of the roles.")
        elif not accounts.EMAIL.match(values["email"]):
            error = gettext("Enter a valid e-mail address.")
        elif await accounts.get_user_by_email(get_db(), values["email"]):
            error = gettext("An account with this e-mail address exists already.")
        else:
            user = await accounts.create_user(
                get_db(),
                values["email"],
                values["name"],
                values["role"],
                secrets.token_urlsafe(32),
                by=await _admin(),
            )
            return await _reset_link_page(user, 201)
    page = await render_template(
        "editor/account_form.html", values=values, roles=ROLES, role_names=ROLE_NAMES, error=error
    )
    return page, (422 if error else 200)


@blueprint.route("/konfirmasi-sandi", methods=["GET", "POST"])
@staff
async def confirm_password() -> ResponseReturnValue:
    """Enter the password again before changing accounts."""
    next_url = safe_next(request.args.get("next"), url_for("accounts.manage"))
    error = None
    status = 200
    if request.method == "POST":
        form = await request.form
        user = await _admin()
        result = await check_password_attempt(user.email, form.get("password", ""), known=True)
        if result.user is not None and result.user.id == user.id:
            found = await staff_session()
            assert found is not None
            await sessions.confirm(get_db(), found.token)
            return redirect(next_url), 303
        error, status = password_refusal(result, gettext("The password is not right."))
    page = await render_template("confirm_password.html", error=error, next_url=next_url)
    return page, status


@blueprint.route("/redaksi/sandi", methods=["GET", "POST"])
@staff
async def change_password() -> ResponseReturnValue:
    """One's own new password; every other session of the account ends."""
    error = None
    if request.method == "POST":
        form = await request.form
        user = await _admin()
        new = form.get("new_password", "")[:1024]
        if new != form.get("repeat_password", "")[:1024]:
            error = gettext("The two new passwords differ.")
        else:
            try:
                await accounts.change_password(
                    get_db(), user, form.get("current_password", "")[:1024], new
                )
            except AccountError as problem:
                error = gettext(str(problem))
            else:
                changed = await accounts.get_user(get_db(), user.id)
                assert changed is not None
                await login_user(changed)  # this browser goes on; every other session ended
                await flash(gettext("Your password was changed. Other sessions have ended."), "ok")
                return redirect(url_for("accounts.change_password")), 303
    page = await render_template("password_change.html", error=error)
    return page, (422 if error else 200)


@blueprint.route("/sandi-baru/<token>", methods=["GET", "POST"])
async def reset_password(token: str) -> ResponseReturnValue:
    """Choose a new password through a reset link (once, before it expires)."""
    headers = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
    db = get_db()
    clock = portal().clock
    user = await sessions.reset_user(db, token, clock=clock)
    if user is None:
        page = await render_template("password_reset.html", expired=True, error=None)
        return page, 410, headers
    error = None
    if request.method == "POST":
        form = await request.form
        new = form.get("new_password", "")[:1024]
        problem = accounts.password_problem(new)
        if new != form.get("repeat_password", "")[:1024]:
            error = gettext("The two new passwords differ.")
        elif problem:
            error = gettext(problem)
        elif await sessions.use_reset(db, token, new, clock=clock) is None:
            page = await render_template("password_reset.html", expired=True, error=None)
            return page, 410, headers
        else:
            await flash(gettext("Your new password is set. Log in with it."), "ok")
            return redirect(url_for("auth.login")), 303
    page = await render_template("password_reset.html", expired=False, error=error, account=user)
    return page, (422 if error else 200), headers
