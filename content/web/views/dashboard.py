"""The editors' dashboard (/redaksi/): what needs them now, in panels that link to the lists."""

from __future__ import annotations

from quart import Blueprint, render_template

from content import dashboard
from content.db import get_db
from content.live import get_presence
from content.web import current_user, require
from content.web.state import portal

blueprint = Blueprint("dashboard", __name__, url_prefix="/redaksi")


@blueprint.get("/", endpoint="home")
@require(lambda user: user.can_edit)
async def home() -> str:
    """My drafts, what is scheduled and recently published, what people read now, the open
    polls with their voters, and the newest uploads; reads only, nothing is written."""
    db = get_db()
    user = await current_user()
    assert user is not None  # guaranteed by @require
    now = portal().clock.now()
    return await render_template(
        "editor/dashboard.html",
        drafts=await dashboard.my_drafts(db, user.id),
        scheduled=await dashboard.scheduled(db, now),
        published=await dashboard.recently_published(db, now),
        reading=dashboard.reading_now(get_presence()),
        polls=await dashboard.open_polls(db, now),
        images=await dashboard.recent_images(db),
        downloads=await dashboard.recent_downloads(db),
        now=now,
    )
