"""The old site's menu items: the path each served its page at, and what that page was.

Joomla 3.x keeps each item's path (`parent-alias/alias`); 1.5 builds it from the parents'
aliases. An item's link (`index.php?option=com_content&view=article&id=5`) says what it showed;
a 1.5 "menulink" or 3.x "alias" item shows another item's page, a "url" item to a page of the
site shows that page, and separators, headings and links elsewhere have no page of their own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from content.importers.joomla.addresses import read_query
from content.importers.joomla.dump import Dump, Row
from content.importers.joomla.encoding import repair_text

# What a component's menu item showed, for the summary when nothing here matches it.
_COMPONENTS = {
    "com_contact": "a contact form",
    "com_weblinks": "a list of web links",
    "com_newsfeeds": "news feeds from other sites",
    "com_user": "a member's account page",
    "com_users": "a member's account page",
    "com_wrapper": "another site in a frame",
    "com_tags": "a list of tags",
    "com_config": "the site's settings form",
    "com_finder": "Smart Search",
    "com_mailto": "the e-mail form",
}


@dataclass
class MenuItem:
    """One menu item of the old site."""

    old_id: int
    title: str
    route: str  # lower case, without index.php and suffix
    target: str  # see joomla_menu.target
    target_id: int | None
    layout: str
    home: bool
    why: str  # when target is 'none': what the item was


def _text(value: object) -> str:
    return "" if value is None else repair_text(str(value))


def _int(value: object, default: int = 0) -> int:
    if isinstance(value, int):
        return value
    text = _text(value).strip()
    return int(text) if text.lstrip("-").isdigit() else default


def _query(link: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(link).query, keep_blank_values=True))


def _params(row: Row) -> dict[str, str]:
    text = _text(row.get("params")).strip()
    if text.startswith("{"):
        try:
            loaded = json.loads(text)
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}
    pairs = (line.partition("=") for line in text.splitlines())
    return {key.strip(): value.strip() for key, sep, value in pairs if sep}


def _target(row: Row) -> tuple[str, int | None, str, str]:
    """(target, Joomla id, layout, why) of one item, before aliases are followed."""
    kind = _text(row.get("type")).strip().lower()
    link = _text(row.get("link")).strip()
    if kind in ("separator", "heading"):
        return "none", None, "", f"a {kind} (no page of its own)"
    if kind in ("menulink", "alias"):
        params = _params(row)
        other = _int(params.get("menu_item") or params.get("aliasoptions"), 0)
        return "alias", other or None, "", "an alias of a menu item not in the dump"
    if kind == "url" and not link.lower().startswith("index.php"):
        return "none", None, "", f"a link to {link or 'nowhere'}"
    query = _query(link)
    found = read_query(query)
    layout = query.get("layout", "").lower()
    if found is not None and found.target == "menu" and found.old_id is not None:
        return "alias", found.old_id, layout, "a link to a menu item not in the dump"
    if found is None or found.target in ("none", "menu", "banner", "weblink"):
        option = query.get("option", "").lower()
        what = _COMPONENTS.get(option, f"{option or 'an unknown page'}")
        if option in ("com_content", "content"):
            writing = found is not None and found.target == "none"
            what = "a form for writing articles" if writing else f"a {option} page"
        return "none", None, layout, f"{what}, which the portal has no page for"
    if found.target == "polls":
        return "none", None, layout, "the list of polls"
    return found.target, found.old_id, layout, ""


def menu_items(dump: Dump) -> list[MenuItem]:
    """The site's menu items (not the administrator's, not the trashed), with their paths."""
    rows = {
        _int(row.get("id")): row
        for row in dump.rows("menu")
        if _int(row.get("client_id")) == 0
        and _int(row.get("published")) != -2
        and _text(row.get("alias")).strip().lower() != "root"
        and _text(row.get("menutype")).strip() != ""
    }

    def parent_of(row: Row) -> int:
        return _int(row.get("parent_id", row.get("parent")))

    def route(old_id: int, seen: frozenset[int] = frozenset()) -> str:
        row = rows[old_id]
        path = _text(row.get("path")).strip().strip("/").lower()
        if path:
            return path
        alias = _text(row.get("alias")).strip().lower()
        parent = parent_of(row)
        if parent in rows and parent not in seen:
            return f"{route(parent, seen | {old_id})}/{alias}"
        return alias

    items: dict[int, MenuItem] = {}
    for old_id, row in rows.items():
        target, target_id, layout, why = _target(row)
        items[old_id] = MenuItem(
            old_id,
            _text(row.get("title", row.get("name"))).strip(),
            route(old_id),
            target,
            target_id,
            layout,
            bool(_int(row.get("home"))),
            why,
        )
    for item in items.values():
        hops, other = 0, item
        while other.target == "alias" and hops < 10:
            followed = items.get(other.target_id or -1)
            if followed is None:
                break
            other, hops = followed, hops + 1
        if item.target == "alias":
            if other.target == "alias":
                item.target, item.target_id = "none", None
            else:
                item.target, item.target_id, item.why = other.target, other.target_id, other.why
    return sorted(items.values(), key=lambda item: item.old_id)
