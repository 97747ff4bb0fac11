"""Old Joomla addresses: 301 to the page here, or the 404 page with a search for their words.

`/index.php` (with or without parameters) has a route of its own; every other old address
(search-engine-friendly paths, menu items' paths, `/component/...`) matches none of the portal's
routes, so it is read where the 404 would be answered: before an unknown GET is a 404, the
imported site's addresses are asked (`content.importers.joomla.addresses.resolve`, indexed
lookups only). The portal's own routes always come first.
"""

from __future__ import annotations

from quart import Blueprint, redirect, request, url_for
from quart.typing import ResponseReturnValue
from werkzeug.exceptions import NotFound
from werkzeug.wrappers.response import Response

from content.db import get_db
from content.importers.joomla.addresses import Found, menu_title, resolve, words_of

blueprint = Blueprint("legacy", __name__)


class OldAddressNotFound(NotFound):
    """An old address whose page did not come along; the 404 page offers a search for its
    words."""

    def __init__(self, words: str) -> None:
        super().__init__()
        self.words = words


def url_of(found: Found) -> str:
    """The address here of a page an old address led to."""
    if found.kind == "article":
        endpoint = {"pdf": "tools.article_pdf", "print": "tools.print_article"}.get(
            found.variant or "", "public.article"
        )
        return url_for(endpoint, slug=found.slug)
    if found.kind == "category":
        if found.feed:
            return url_for(f"tools.category_{found.feed}", slug=found.slug)
        return url_for("public.category", slug=found.slug)
    if found.kind == "archive":
        if found.year is None:
            return url_for("archive.index")
        return url_for("archive.year", year=found.year, bulan=found.month)
    if found.kind == "search":
        return url_for("tools.search", q=found.words or None)
    if found.kind == "poll":
        return url_for("polls.results", raw_id=found.slug)
    if found.kind == "polls":
        return url_for("polls.archive")
    if found.kind == "banner":
        return url_for("media.banner_link", raw_id=found.slug)
    if found.feed:
        return url_for(f"tools.{found.feed}")
    return url_for("public.home")


async def old_address() -> Response | None:
    """The 301 to the page here for the request's address, if it is one of the old site's."""
    found = await resolve(get_db(), request.path, request.args)
    if found is None:
        return None
    return redirect(url_of(found), 301)


@blueprint.get("/index.php")
async def index_php() -> ResponseReturnValue:
    """index.php?option=com_content&view=article&id=N, ?Itemid=M, &format=feed ... and the bare
    index.php, which was the home page."""
    response = await old_address()
    if response is None:
        words = words_of(request.path, request.args) or await menu_title(get_db(), request.args)
        raise OldAddressNotFound(words)
    return response
