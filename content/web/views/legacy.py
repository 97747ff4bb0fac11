"""Old Joomla links: 301 to the imported article or category, 404 for what was not imported.

The Joomla ids in these addresses are the old ones; `content.importers.joomla.addresses` maps
them to ours.
"""

from __future__ import annotations

from typing import Any, Literal

from quart import Blueprint, abort, redirect, request, url_for
from quart.typing import ResponseReturnValue
from werkzeug.routing import BaseConverter

from content.db import get_db
from content.importers.joomla.addresses import legacy_article_slug, legacy_category_slug

blueprint = Blueprint("legacy", __name__)

# Joomla ids in old links; bounded so a huge number is a plain 404.
MAX_ID_DIGITS = 12


class JoomlaItemConverter(BaseConverter):
    """The last part of a Joomla SEF address, "12-alias.html"; nothing else matches."""

    regex = r"\d{1,12}-[^/]*\.html"


class JoomlaSlugConverter(BaseConverter):
    """A Joomla slug without suffix, "12-alias" or "12"."""

    regex = r"\d{1,12}(?:-[^/]*)?"


@blueprint.record_once
def _add_converters(state: Any) -> None:
    # Converters must exist before the rules below are bound, so this runs first.
    state.app.url_map.converters["joomla_item"] = JoomlaItemConverter
    state.app.url_map.converters["joomla_slug"] = JoomlaSlugConverter


def _leading_id(raw: str | None) -> int | None:
    """The number at the start of a Joomla id ("12", "12:alias", "12-alias"), or None."""
    if not raw:
        return None
    digits = ""
    for char in raw.strip():
        if not (char.isascii() and char.isdigit()):
            break
        digits += char
    if not digits or len(digits) > MAX_ID_DIGITS:
        return None
    return int(digits)


async def _to_article(joomla_id: int | None) -> ResponseReturnValue:
    if joomla_id is None:
        abort(404)
    slug = await legacy_article_slug(get_db(), joomla_id)
    if slug is None:
        abort(404)
    return redirect(url_for("public.article", slug=slug), 301)


async def _to_category(
    kind: Literal["category", "section"], joomla_id: int | None
) -> ResponseReturnValue:
    if joomla_id is None:
        abort(404)
    slug = await legacy_category_slug(get_db(), kind, joomla_id)
    if slug is None:
        abort(404)
    return redirect(url_for("public.category", slug=slug), 301)


@blueprint.get("/index.php")
async def index_php() -> ResponseReturnValue:
    """index.php?option=com_content&view=article&id=N (3.x) or &task=view&id=N (1.5), and more."""
    args = request.args
    option = args.get("option", "")
    if not option:
        return redirect(url_for("public.home"), 301)
    if option != "com_content":
        abort(404)
    view = args.get("view") or args.get("task") or ""
    joomla_id = _leading_id(args.get("id"))
    if view in ("article", "view"):
        return await _to_article(joomla_id)
    if view in ("category", "blogcategory"):
        return await _to_category("category", joomla_id)
    if view in ("section", "blogsection"):
        return await _to_category("section", joomla_id)
    if view in ("frontpage", "featured"):
        return redirect(url_for("public.home"), 301)
    abort(404)


@blueprint.get("/index.php/component/content/article/<path:rest>")
@blueprint.get("/component/content/article/<path:rest>")
async def component_article(rest: str) -> ResponseReturnValue:
    """/index.php/component/content/article/N-alias; 3.x puts the category first: 9-blog/N-alias."""
    return await _to_article(_leading_id(rest.rstrip("/").rsplit("/", 1)[-1]))


@blueprint.get("/<path:category>/<joomla_item:item>")
@blueprint.get("/<joomla_item:item>")
async def sef_article(item: str, category: str = "") -> ResponseReturnValue:
    """Joomla's search-engine-friendly addresses: /<category>/<N>-<alias>.html."""
    return await _to_article(_leading_id(item))


@blueprint.get("/index.php/<path:category>/<joomla_slug:item>")
async def sef_article_without_rewrite(item: str, category: str) -> ResponseReturnValue:
    """The same without URL rewriting: /index.php/<category>/<N>-<alias>."""
    return await _to_article(_leading_id(item))
