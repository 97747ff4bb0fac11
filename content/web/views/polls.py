"""Polls for visitors (the widget's form, results pages, the archive, JSON) and for staff."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from quart import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from quart.typing import ResponseReturnValue

from content import polls
from content.db import get_db
from content.i18n import N_
from content.live import live_figures
from content.polls import STATE_NAMES, PollDraft
from content.web import current_user, local_input, require, safe_next, site_timezone
from content.web.i18n import gettext
from content.web.sidebar import guard, poll_view, sidebar, sidebar_poll, voter
from content.web.state import portal

blueprint = Blueprint("polls", __name__)
staff = require(lambda user: user.can_edit or user.can_moderate)


def _poll_id(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        abort(404)
    return int(raw)


@blueprint.post("/polling/<raw_id>/pilih")
async def vote(raw_id: str) -> ResponseReturnValue:
    """The no-JavaScript vote: a plain form post that redirects back with a message."""
    poll_id = _poll_id(raw_id)
    form = await request.form
    back = safe_next(form.get("next"), url_for("polls.results", raw_id=poll_id))
    throttle = portal().vote_throttle
    me = await voter()
    if not throttle.allow(request.remote_addr or ""):
        outcome = polls.VoteOutcome(False, "too_fast")
    elif g.get("new_visitor"):  # no valid visitor cookie: a vote could not be recognised again
        outcome = polls.VoteOutcome(False, "cookies_needed")
    else:
        try:
            chosen = [int(value) for value in form.getlist("option") if len(value) < 10]
        except ValueError:
            chosen = [-1]
        outcome = await polls.cast_vote(
            get_db(), poll_id, chosen, me, guard(), channel="form", tz=site_timezone()
        )
    if outcome.ok:
        await flash(gettext("Thank you, your vote was counted."), "ok")
    else:
        await flash(gettext(outcome.message), "error")
    return redirect(f"{back}#polling-{poll_id}")


@blueprint.get("/polling")
async def archive() -> ResponseReturnValue:
    """Every poll visitors may look back on."""
    listed = [await poll_view(poll) for poll in await polls.archive(get_db())]
    return await render_template("polls/archive.html", listed=listed, **await sidebar())


@blueprint.get("/polling/modul")
async def module() -> ResponseReturnValue:
    """The Polling module alone (for the live script, when the module's poll changed), its vote
    form returning to the page `next`; empty when no poll is shown."""
    g.page_view_announced = True  # a piece of a page already counted, not a page view
    view = await sidebar_poll()
    back = safe_next(request.args.get("next"), url_for("public.home"))
    return await render_template("polls/module.html", sidebar_poll=view, module_next=back)


@blueprint.get("/polling/<raw_id>")
async def results(raw_id: str) -> ResponseReturnValue:
    """One poll: its results as bars (where its rule allows), first and last vote, or the form."""
    poll = await polls.get_poll(get_db(), _poll_id(raw_id))
    if poll is None or (poll.state == polls.State.DRAFT and await current_user() is None):
        abort(404)
    modules = await sidebar()
    shown = modules.get("sidebar_poll")
    if shown is not None and shown["poll"].id == poll.id:
        modules["sidebar_poll"] = None  # the page shows this poll already: its answers once
    return await render_template("polls/results.html", view=await poll_view(poll), **modules)


@blueprint.get("/api/polls/<raw_id>")
async def api_poll(raw_id: str) -> ResponseReturnValue:
    """{"poll": {...}, "results": {...} or null when this visitor may not see them yet}; the
    poll as the live layer keeps it (no database read per request)."""
    poll_id = _poll_id(raw_id)
    kept = live_figures()
    poll = await (kept.poll(poll_id) if kept else polls.get_poll(get_db(), poll_id))
    if poll is None or poll.state == polls.State.DRAFT:
        abort(404)
    view = await poll_view(poll)
    now = datetime.now(UTC)
    return jsonify(polls.api_answer(poll, now, voted=view["voted"], shown=view["show_results"]))


# Staff


def _form_values(draft: PollDraft) -> dict[str, Any]:
    return {
        "question": draft.question,
        "options": "\n".join(draft.options),
        "multiple": draft.multiple,
        "max_choices": str(draft.max_choices),
        "opens_at": local_input(draft.opens_at),
        "closes_at": local_input(draft.closes_at),
        "audience": draft.audience,
        "results": draft.results,
        "guard_cookie": draft.guard_cookie,
        "guard_ip": draft.guard_ip,
        "guard_member": draft.guard_member,
        "lag_hours": str(draft.lag_hours),
    }


@blueprint.get("/redaksi/polling")
@staff
async def manage() -> ResponseReturnValue:
    """All polls with their state, votes, dates, the Polling module's poll and the actions."""
    db = get_db()
    shown = await polls.current_poll(db)
    return await render_template(
        "polls/manage.html",
        listed=await polls.all_polls(db),
        state_names=STATE_NAMES,
        shown_id=shown.id if shown else None,
        now=datetime.now(UTC),
    )


@blueprint.route("/redaksi/polling/baru", methods=["GET", "POST"])
@staff
async def new_poll() -> ResponseReturnValue:
    """Create a poll: saved as a draft, or saved and opened in one step."""
    return await _edit(None)


@blueprint.route("/redaksi/polling/<int:poll_id>", methods=["GET", "POST"])
@staff
async def edit_poll(poll_id: int) -> ResponseReturnValue:
    """Edit a poll; its answers only while nobody has voted."""
    return await _edit(poll_id)


async def _edit(poll_id: int | None) -> ResponseReturnValue:
    db = get_db()
    existing = None
    if poll_id is not None:
        existing = await polls.get_poll(db, poll_id)
        if existing is None:
            abort(404)
    can_open = existing is None or existing.state != polls.State.OPEN
    rival = await polls.module_rival(db, poll_id) if can_open else None
    errors: dict[str, str] = {}
    sidebar_choice = "keep"
    if request.method == "GET":
        draft = PollDraft()
        if existing is not None:
            draft = PollDraft(
                question=existing.question,
                options=[o.label for o in existing.options],
                multiple=existing.multiple,
                max_choices=existing.max_choices,
                opens_at=existing.opens_at,
                closes_at=existing.closes_at,
                audience=existing.audience,
                results=existing.results,
                guard_cookie=existing.guard_cookie,
                guard_ip=existing.guard_ip,
                guard_member=existing.guard_member,
                lag_hours=existing.lag_hours,
            )
        values = _form_values(draft)
    else:
        form = await request.form
        raw = {key: form.get(key, "") for key in form}
        draft, errors = polls.parse_poll_form(raw, site_timezone())
        values = _form_values(draft)
        for key in ("opens_at", "closes_at", "max_choices", "lag_hours"):
            values[key] = raw.get(key, "")
        open_now = can_open and raw.get("action") == "open"
        sidebar_choice = raw.get("sidebar", "keep") or "keep"
        if sidebar_choice not in polls.SIDEBAR_CHOICES:
            errors["sidebar"] = N_("Choose from the list.")
            sidebar_choice = "keep"
        if not errors:
            saved, errors = await polls.save_poll(
                db, draft, await current_user(), poll_id, open_now=open_now, sidebar=sidebar_choice
            )
            if saved is not None:
                if open_now:
                    await _flash_opened(saved, draft.question)
                elif existing is None:
                    await flash(
                        gettext("Saved as a draft: “%(question)s”.", question=draft.question), "ok"
                    )
                else:
                    await flash(gettext("Saved: “%(question)s”.", question=draft.question), "ok")
                return redirect(url_for("polls.manage"))
    page = await render_template(
        "polls/form.html",
        poll=existing,
        values=values,
        errors=errors,
        poll_id=poll_id,
        can_open=can_open,
        rival=rival,
        sidebar_choice=sidebar_choice,
    )
    return (page, 400) if errors else page


async def _flash_opened(poll_id: int, question: str) -> None:
    """Say that a poll opened, and which poll the Polling module shows now."""
    shown = await polls.current_poll(get_db())
    if shown is not None and shown.id == poll_id:
        text = gettext(
            "Poll opened: “%(question)s”. The Polling module shows it now.", question=question
        )
    elif shown is not None:
        text = gettext(
            "Poll opened: “%(question)s”. The Polling module still shows “%(shown)s”.",
            question=question,
            shown=shown.question,
        )
    else:
        text = gettext("Poll opened: “%(question)s”.", question=question)
    await flash(text, "ok")


STATE_DONE = {
    polls.State.DRAFT: N_("Moved back to draft: “%(question)s”."),
    polls.State.CLOSED: N_("Poll closed: “%(question)s”. Voting is over; its results stay."),
    polls.State.ARCHIVED: N_("Poll archived: “%(question)s”."),
}


@blueprint.post("/redaksi/polling/<int:poll_id>/status")
@staff
async def change_state(poll_id: int) -> ResponseReturnValue:
    """Open, close, archive or return to draft, with a message saying what happened."""
    form = await request.form
    try:
        state = polls.State(form.get("state", ""))
    except ValueError:
        abort(400)
    sidebar_choice = form.get("sidebar", "keep")
    if sidebar_choice not in polls.SIDEBAR_CHOICES:
        abort(400)
    db = get_db()
    poll = await polls.get_poll(db, poll_id)
    if poll is None or not await polls.set_state(
        db, poll_id, state, await current_user(), sidebar=sidebar_choice
    ):
        abort(404)
    if state == polls.State.OPEN:
        await _flash_opened(poll_id, poll.question)
    else:
        await flash(gettext(STATE_DONE[state], question=poll.question), "ok")
    return redirect(url_for("polls.manage"))


@blueprint.post("/redaksi/polling/<int:poll_id>/sematkan")
@staff
async def pin(poll_id: int) -> ResponseReturnValue:
    """Pin a poll for the Polling module (in place of any other)."""
    db = get_db()
    poll = await polls.get_poll(db, poll_id)
    if poll is None:
        abort(404)
    refused = await polls.pin(db, poll_id, await current_user())
    if refused:
        await flash(gettext(refused), "error")
    else:
        await flash(
            gettext("Pinned: the Polling module shows “%(question)s”.", question=poll.question),
            "ok",
        )
    return redirect(url_for("polls.manage"))


@blueprint.post("/redaksi/polling/<int:poll_id>/lepas")
@staff
async def unpin(poll_id: int) -> ResponseReturnValue:
    """Unpin a poll: the Polling module shows the newest open one again."""
    db = get_db()
    poll = await polls.get_poll(db, poll_id)
    if poll is None:
        abort(404)
    if await polls.unpin(db, poll_id, await current_user()):
        shown = await polls.current_poll(db)
        if shown is None:
            text = gettext(
                "Unpinned: “%(question)s”. The Polling module shows no poll now.",
                question=poll.question,
            )
        else:
            text = gettext(
                "Unpinned: “%(question)s”. The Polling module shows “%(shown)s”.",
                question=poll.question,
                shown=shown.question,
            )
        await flash(text, "ok")
    return redirect(url_for("polls.manage"))


@blueprint.route("/redaksi/polling/<int:poll_id>/reset", methods=["GET", "POST"])
@staff
async def reset(poll_id: int) -> ResponseReturnValue:
    """Remove all votes, after a confirmation page."""
    poll = await polls.get_poll(get_db(), poll_id)
    if poll is None:
        abort(404)
    if request.method == "POST":
        if (await request.form).get("confirm") != "1":
            abort(400)
        await polls.reset_votes(get_db(), poll_id, await current_user(), guard())
        await flash(
            gettext("All votes of “%(question)s” were removed.", question=poll.question), "ok"
        )
        return redirect(url_for("polls.manage"))
    return await render_template("polls/reset.html", poll=poll)


@blueprint.get("/redaksi/polling/<int:poll_id>/suara")
@staff
async def vote_log(poll_id: int) -> ResponseReturnValue:
    """The latest ballots with hashed identities."""
    poll = await polls.get_poll(get_db(), poll_id)
    if poll is None:
        abort(404)
    return await render_template(
        "polls/log.html", poll=poll, ballots=await polls.ballots(get_db(), poll_id)
    )


@blueprint.get("/redaksi/polling/<int:poll_id>/suara.csv")
@staff
async def votes_csv(poll_id: int) -> ResponseReturnValue:
    """Every ballot as CSV (no address is ever stored, only salted hashes)."""
    if await polls.get_poll(get_db(), poll_id) is None:
        abort(404)
    return Response(
        await polls.votes_csv(get_db(), poll_id),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="polling-{poll_id}.csv"'},
    )
