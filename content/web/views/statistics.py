"""Visit statistics: the public figures as JSON, and the moderators' charts."""

from __future__ import annotations

import platform
from datetime import UTC, date, datetime

from quart import Blueprint, Response, current_app, jsonify, render_template
from quart.typing import ResponseReturnValue

from content import stats
from content.db import SQLITE_VERSION, get_db
from content.live import live_figures
from content.stats import get_counter
from content.web import current_user, require
from content.web.charts import Series, bar_chart, line_chart
from content.web.i18n import format_date, gettext

blueprint = Blueprint("statistics", __name__)
moderates = require(lambda user: user.can_moderate)


async def public_figures() -> dict[str, object]:
    """What the Statistik module shows: the visit total, plus the figures chosen in settings."""
    counter = get_counter()
    db = get_db()
    chosen = set(current_app.config["STATS_FIGURES"])
    return {"total": counter.total, **await stats.site_figures(db, chosen)}


def server_information() -> dict[str, str]:
    """What Joomla's module showed admins about the server."""
    return {
        "python": platform.python_version(),
        "sqlite": SQLITE_VERSION,
        "system": platform.system(),
    }


@blueprint.get("/api/statistik")
async def api_statistics() -> ResponseReturnValue:
    """The public visit figures as JSON: {"total": int, and members/articles/links if chosen},
    as the live layer keeps them (the total is the counter's; no database read per request)."""
    kept = live_figures()
    response = jsonify(await (kept.site_figures() if kept else public_figures()))
    response.cache_control.public = True
    response.cache_control.max_age = 5
    return response


@blueprint.get("/moderasi/statistik")
@moderates
async def statistics_page() -> ResponseReturnValue:
    """Charts of views and visitors per day, the last hour per minute, and the top articles."""
    db = get_db()
    counter = get_counter()
    today = counter.day()
    month = await stats.daily_figures(db, today, 30)
    year = await stats.daily_figures(db, today, 365)
    views, visitors, bots = gettext("Page views"), gettext("Visitors"), gettext("Bot views")

    def short(day: str) -> str:
        return format_date(_noon(day), "d MMM")

    month_chart = bar_chart(
        gettext("Last 30 days"),
        [short(d.day) for d in month],
        [
            Series(views, [d.views for d in month], "series-0"),
            Series(visitors, [d.visitors for d in month], "series-1"),
        ],
        label_every=5,
    )
    year_chart = line_chart(
        gettext("Last 365 days"),
        [format_date(_noon(d.day), "MMM yyyy") for d in year],
        [
            Series(views, [d.views for d in year], "series-0"),
            Series(visitors, [d.visitors for d in year], "series-1"),
            Series(bots, [d.bot_views for d in year], "series-2"),
        ],
        label_every=61,
    )
    minutes = counter.minutes()
    minute_chart = bar_chart(
        gettext("Last hour, per minute"),
        [gettext("%(num)s min ago", num=59 - i) for i in range(60)],
        [Series(views, minutes, "series-0")],
        label_every=15,
        live_key="minutes",
    )
    first_of_month = date.fromisoformat(today).replace(day=1).isoformat()
    user = await current_user()
    return await render_template(
        "moderation/statistics.html",
        total=counter.total,
        today=month[-1],
        last_5=sum(minutes[-5:]),
        last_60=sum(minutes),
        month_chart=month_chart,
        year_chart=year_chart,
        minute_chart=minute_chart,
        top_today=await stats.top_articles(db, today, today),
        top_month=await stats.top_articles(db, first_of_month, today),
        server=server_information() if user and user.is_admin else None,
    )


@blueprint.get("/moderasi/statistik.csv")
@moderates
async def statistics_csv() -> ResponseReturnValue:
    """The daily table (day, views, visitors, bot views) as CSV."""
    body = await stats.daily_csv(get_db())
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="statistik-harian.csv"'},
    )


def _noon(day: str) -> datetime:
    """Midday (UTC) of a date, so its name comes out right in any time zone nearby."""
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)
