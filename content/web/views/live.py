"""Live figures as JSON, and the moderators' live room page (/moderasi/online)."""

from __future__ import annotations

from quart import Blueprint, abort, jsonify, render_template
from quart.typing import ResponseReturnValue

from content.live import Presence, get_presence, moderation_snapshot, poll_alerts
from content.web import require

blueprint = Blueprint("live", __name__)
moderates = require(lambda user: user.can_moderate)


def _presence() -> Presence:
    presence = get_presence()
    if presence is None:
        abort(503)
    return presence


@blueprint.get("/api/online")
async def online() -> ResponseReturnValue:
    """The public presence figures (counts only), for caches, kiosks and scripts."""
    response = jsonify(_presence().figures().public())
    response.cache_control.public = True
    response.cache_control.max_age = 5
    return response


@blueprint.get("/api/moderasi/online")
@moderates
async def moderation_online() -> ResponseReturnValue:
    """The moderators' figures: the live table, pages, bots and the join/leave feed."""
    return jsonify(moderation_snapshot(_presence()))


@blueprint.get("/moderasi/online")
@moderates
async def moderation_room() -> ResponseReturnValue:
    """The moderators' live room: server-rendered, then kept live over the /moderasi socket."""
    return await render_template(
        "moderation/online.html", data=moderation_snapshot(_presence()), alerts=poll_alerts()
    )
