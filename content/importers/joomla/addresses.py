"""Old Joomla addresses: which page here an address of the imported Joomla site asks for.

Joomla 1.5 and 3.x served a page at many addresses: `index.php?option=com_content&view=article
&id=N` and its 1.5 form `task=view`; `index.php?Itemid=M` (a menu item) alone or with other
parameters; search-engine-friendly paths with or without `index.php/` and the `.html` suffix, made
of a menu item's path (its alias and its parents') followed by category and article segments
(`12-alias`, or aliases alone under 3.8's "remove ids"), `/component/content/...` when no menu
item was active, Joomla 1.0's `/content/view/N/M/` under 1.5's legacy mode; and the feed, PDF and
print forms of those (`?format=feed&type=rss`, `.feed`, `.pdf`, `print=1`). `resolve` reads any
of them into a `Found` page; the importer keeps what it needs (menu items' paths and targets,
aliases and parents of categories and articles) in `joomla_menu` and `joomla_map`.

Looked up on every old link and on every unknown address, so this module loads neither the dump
reader nor the importer, and every lookup is an indexed query: the menu item by its id or by the
paths the address could start with (one `IN` over the route index), categories and articles by
id or by (parent, alias).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from content.db import Database

# Joomla ids in old links; bounded so a huge number is a plain 404.
MAX_ID_DIGITS = 12
# Segments of a path looked at: no Joomla menu was deeper, and a long path is not an old address.
MAX_SEGMENTS = 12
_NUMBERED = re.compile(r"^(\d{1,12})(?:[-:](.*))?$")
# The language code a multilingual Joomla 3 site put first in its paths (/id/berita/...).
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z]{2})?$")
_SUFFIXES = {".html": "", ".htm": "", ".php": "", ".feed": "feed", ".pdf": "pdf", ".raw": ""}
# Words of an address that say nothing about what was on the page.
_NOISE = frozenset(
    {"index", "php", "html", "htm", "component", "content", "com", "option", "view", "task",
     "itemid", "id", "feed", "rss", "atom", "format"}
)  # fmt: skip

Target = Literal[
    "article",
    "category",
    "section",
    "home",
    "archive",
    "search",
    "poll",
    "polls",
    "banner",
    "weblink",
    "menu",
    "none",
]


@dataclass(frozen=True)
class Link:
    """What an old address (or a menu item's link) asks for, in Joomla's ids."""

    target: Target
    old_id: int | None = None
    feed: str | None = None  # 'rss' or 'atom': the feed of that page
    variant: str | None = None  # 'pdf' or 'print' of an article
    year: int | None = None  # the archive's year and month
    month: int | None = None
    words: str = ""  # for a search


@dataclass(frozen=True)
class Found:
    """The page here that an old address leads to: a kind and what names it."""

    kind: Literal["article", "category", "home", "archive", "search", "poll", "polls", "banner"]
    slug: str | None = None  # "12-alias" of an article or category, the id of a poll or banner
    feed: str | None = None
    variant: str | None = None
    year: int | None = None
    month: int | None = None
    words: str = ""


def leading_id(raw: str | None) -> int | None:
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


def _small_number(raw: str | None, low: int, high: int) -> int | None:
    number = leading_id(raw)
    return number if number is not None and low <= number <= high else None


def read_query(args: Mapping[str, str]) -> Link | None:
    """What `index.php?...` asks for (also a menu item's link); None when nothing at all."""
    option = args.get("option", "").strip().lower()
    view = (args.get("view") or args.get("task") or "").strip().lower()
    layout = args.get("layout", "").strip().lower()
    old_id = leading_id(args.get("id"))
    item = leading_id(args.get("Itemid") or args.get("itemid"))
    form = args.get("format", "").strip().lower()
    feed = ("atom" if args.get("type", "").strip().lower() == "atom" else "rss") if form else None
    feed = feed if form == "feed" else None
    menu = Link("menu", item, feed=feed) if item is not None else None
    if option in ("", "com_frontpage"):
        return menu or Link("home", feed=feed)
    if option in ("com_content", "content"):
        if layout in ("form", "edit") or view in ("form", "new", "edit", "article.add"):
            return Link("none")
        if view in ("article", "view") and old_id is not None:
            variant = "pdf" if form == "pdf" else "print" if args.get("print") else None
            return Link("article", old_id, variant=variant)
        if view in ("category", "blogcategory") and old_id is not None:
            return Link("category", old_id, feed=feed)
        if view in ("section", "blogsection") and old_id is not None:
            return Link("section", old_id, feed=feed)
        if view == "categories" and old_id is not None and old_id > 1:
            return Link("category", old_id, feed=feed)
        if view in ("frontpage", "featured", "categories"):
            return Link("home", feed=feed)
        if view in ("archive", "archivecategory", "archivesection"):
            year = _small_number(args.get("year"), 1990, 2200)
            month = _small_number(args.get("month"), 1, 12)
            return Link("archive", year=year, month=month)
        return menu
    if option == "com_poll":
        return Link("poll", old_id) if old_id is not None else Link("polls")
    if option == "com_search":
        words = args.get("searchword") or args.get("q") or ""
        return Link("search", words=words.strip()[:200])
    if option == "com_banners" and view in ("click", "banner.click", ""):
        banner = leading_id(args.get("bid")) or old_id
        return Link("banner", banner) if banner is not None else menu
    if option == "com_weblinks" and view in ("weblink", "weblink.go", "view") and old_id:
        return Link("weblink", old_id)
    return menu or Link("none")


@dataclass(frozen=True)
class OldPath:
    """A path split the way Joomla's router reads it."""

    segments: tuple[str, ...]  # without index.php and the suffix, lower case
    suffix_format: str  # 'feed', 'pdf' or '' (from `.feed` or `.pdf` on the last segment)


def split_path(path: str) -> OldPath | None:
    """The path's segments (None when it is no page address Joomla made)."""
    parts = [part for part in path.split("/") if part]
    lowered = [part.lower() for part in parts]
    if "index.php" in lowered:
        # what comes before it is the folder the old site was installed in (/joomla/index.php)
        parts = parts[lowered.index("index.php") + 1 :]
    if len(parts) > MAX_SEGMENTS:
        return None
    suffix_format = ""
    if parts:
        last = parts[-1]
        dot = last.rfind(".")
        if dot > 0 and last[dot:].lower() in _SUFFIXES:
            suffix_format = _SUFFIXES[last[dot:].lower()]
            parts[-1] = last[:dot]
    return OldPath(tuple(part.lower() for part in parts), suffix_format)


def words_of(path: str, args: Mapping[str, str] | None = None) -> str:
    """The words of an address a visitor could search for: aliases without ids and suffixes."""
    found: list[str] = []
    for part in re.split(r"[/?&=.:;,+_\-\s]+", path):
        word = part.strip().lower()
        if word and not word.isdigit() and word not in _NOISE and len(word) <= 40:
            found.append(word)
    if args:
        for key in ("searchword", "id"):
            value = args.get(key, "")
            _, _, alias = value.partition(":")
            found.extend(w for w in re.split(r"[-_\s]+", alias or value) if w and not w.isdigit())
    words = ""
    for word in list(dict.fromkeys(found))[:8]:
        if len(words) + len(word) + 1 > 120:
            break
        words = f"{words} {word}" if words else word
    return words


async def _menu_by_id(db: Database, item: int) -> Link | None:
    row = await db.fetchone(
        "SELECT target, target_id, layout FROM joomla_menu WHERE old_id = ?", (item,)
    )
    return None if row is None else _menu_link(row["target"], row["target_id"], row["layout"])


def _menu_link(target: str, target_id: int | None, layout: str) -> Link:
    if target not in ("article", "category", "section", "home", "archive", "search", "poll"):
        return Link("none")
    return Link(target, target_id)  # type: ignore[arg-type]


async def _slug(db: Database, kind: str, old_id: int) -> str | None:
    """The slug of what a Joomla article or category became, if visitors may open it: an
    unpublished or trashed article, or an unpublished category, is a 404 at the old address
    rather than a redirect to one."""
    if kind == "article":
        table, visible = "articles", "t.state IN (1, 2)"
    else:
        table, visible = "categories", "t.published = 1"
    row = await db.fetchone(
        f"SELECT t.id, t.alias FROM joomla_map m JOIN {table} t ON t.id = m.new_id "
        f"WHERE m.kind = ? AND m.old_id = ? AND {visible}",
        (kind, old_id),
    )
    return None if row is None else f"{row['id']}-{row['alias']}"


async def _new_id(db: Database, kind: str, old_id: int) -> int | None:
    table = {"poll": "polls", "banner": "banners", "weblink": "banners"}[kind]
    row = await db.fetchone(
        f"SELECT t.id FROM joomla_map m JOIN {table} t ON t.id = m.new_id "
        "WHERE m.kind = ? AND m.old_id = ?",
        (kind, old_id),
    )
    return None if row is None else int(row["id"])


async def found_for(db: Database, link: Link) -> Found | None:
    """The page here for what an old address asked for, or None when it did not come along."""
    if link.target == "menu":
        if link.old_id is None:
            return None
        item = await _menu_by_id(db, link.old_id)
        return None if item is None else await found_for(db, replace(item, feed=link.feed))
    if link.target == "home":
        return Found("home", feed=link.feed)
    if link.target in ("archive", "search", "polls"):
        return Found(link.target, year=link.year, month=link.month, words=link.words)
    if link.old_id is None:
        return None
    if link.target == "article":
        slug = await _slug(db, "article", link.old_id)
        return None if slug is None else Found("article", slug, variant=link.variant)
    if link.target in ("category", "section"):
        slug = await _slug(db, link.target, link.old_id)
        if slug is None:
            return None
        return Found("category", slug, feed=link.feed, variant=link.variant)
    if link.target in ("poll", "banner", "weblink"):
        new_id = await _new_id(db, link.target, link.old_id)
        if new_id is None:
            return None
        return Found("poll" if link.target == "poll" else "banner", str(new_id))
    return None


async def _article_or_category(
    db: Database, number: int, alias: str | None, single: bool, under_section: bool
) -> Link:
    """A numbered last segment: an article, or a category when Joomla would have read one."""
    if single:
        # One segment after the menu item's path: Joomla 3 takes a category whose id and alias
        # both match, else the article; 1.5 reads it as a category under a section's menu item.
        category = await db.fetchone(
            "SELECT old_alias FROM joomla_map WHERE kind = 'category' AND old_id = ?", (number,)
        )
        article = await db.fetchone(
            "SELECT old_alias FROM joomla_map WHERE kind = 'article' AND old_id = ?", (number,)
        )
        if category is not None and (
            (alias and category["old_alias"] == alias)
            or (under_section and not (alias and article and article["old_alias"] == alias))
            or article is None
        ):
            return Link("category", number)
    return Link("article", number)


async def _by_aliases(
    db: Database, start: tuple[str, int] | None, segments: tuple[str, ...]
) -> Link | None:
    """Segments of aliases alone (3.8's "remove ids"), walked down from the menu item's
    category: categories by (parent, alias), and an article's alias last."""
    kind, parent = start if start is not None else ("category", None)
    found: Link | None = None
    for position, alias in enumerate(segments):
        if parent is None:
            category = await db.fetchone(
                "SELECT old_id FROM joomla_map WHERE kind = 'category' AND old_parent IS NULL "
                "AND old_alias = ? ORDER BY old_id LIMIT 1",
                (alias,),
            )
        else:
            category = await db.fetchone(
                "SELECT old_id FROM joomla_map WHERE kind = 'category' AND old_parent = ? "
                "AND old_alias = ? ORDER BY old_id LIMIT 1",
                (parent, alias),
            )
        if category is not None:
            parent, kind = int(category["old_id"]), "category"
            found = Link("category", parent)
            continue
        if position == len(segments) - 1 and kind == "category" and parent is not None:
            article = await db.fetchone(
                "SELECT old_id FROM joomla_map WHERE kind = 'article' AND old_parent = ? "
                "AND old_alias = ? ORDER BY old_id LIMIT 1",
                (parent, alias),
            )
            if article is not None:
                return Link("article", int(article["old_id"]))
        return None
    return found


async def _menu_for_path(
    db: Database, segments: tuple[str, ...]
) -> tuple[tuple[str, int | None, str], int] | None:
    """The menu item whose path is the longest start of the segments: (target, target id,
    layout) and how many segments its path took. The home item takes none (Joomla's default)."""
    routes = ["/".join(segments[:length]) for length in range(len(segments), 0, -1)]
    if routes:
        marks = ", ".join("?" for _ in routes)
        row = await db.fetchone(
            f"SELECT route, target, target_id, layout FROM joomla_menu WHERE route IN ({marks}) "
            "ORDER BY length(route) DESC, old_id LIMIT 1",
            routes,
        )
        if row is not None:
            taken = row["route"].count("/") + 1
            return (row["target"], row["target_id"], row["layout"]), taken
    row = await db.fetchone(
        "SELECT target, target_id, layout FROM joomla_menu WHERE home = 1 ORDER BY old_id LIMIT 1"
    )
    if row is None:
        return None
    return (row["target"], row["target_id"], row["layout"]), 0


async def read_path(db: Database, old: OldPath) -> Link | None:
    """What a search-engine-friendly path asks for."""
    segments = old.segments
    if not segments:
        return None
    head = segments[0]
    if head == "component" and len(segments) >= 2:
        return await _component_path(db, segments[1:])
    if head == "content" and len(segments) >= 3 and segments[1] in _LEGACY_VIEWS:
        return _legacy_10_path(segments)
    menu = await _menu_for_path(db, segments)
    if (menu is None or menu[1] == 0) and len(segments) > 1 and _LANGUAGE.match(head):
        # a language's code before the menu item's path, as Joomla 3's language filter wrote it
        without = await _menu_for_path(db, segments[1:])
        if without is not None and without[1] > 0:
            menu, segments = without, segments[1:]
    if menu is None:
        if _NUMBERED.match(segments[-1]) or _NUMBERED.match(segments[0]):
            return await _numbered(db, segments, under_section=False)
        return await _by_aliases(db, None, segments)
    (target, target_id, layout), taken = menu
    rest = segments[taken:]
    if not rest:
        if taken == 0:
            return None
        return _menu_link(target, target_id, layout)
    if target not in ("category", "section", "home", "article", "archive"):
        return None
    if target == "archive":
        return Link("archive", year=_small_number(rest[0], 1990, 2200))
    if _NUMBERED.match(rest[-1]) or _NUMBERED.match(rest[0]):
        return await _numbered(db, rest, under_section=target == "section")
    start = (target, target_id) if target in ("category", "section") and target_id else None
    if start is not None and start[0] == "section":
        start = None  # a 1.5 section's categories have ids in their paths; no alias walk
    return await _by_aliases(db, start, rest)


async def _numbered(db: Database, rest: tuple[str, ...], *, under_section: bool) -> Link | None:
    match = _NUMBERED.match(rest[-1])
    if match is None:
        # Joomla 3's own router: a category's path starts with that category's id
        first = _NUMBERED.match(rest[0])
        return None if first is None else Link("category", int(first.group(1)))
    number, alias = int(match.group(1)), (match.group(2) or None)
    return await _article_or_category(db, number, alias, len(rest) == 1, under_section)


_LEGACY_VIEWS = frozenset({"view", "blogcategory", "blogsection", "section", "category"})


def _legacy_10_path(segments: tuple[str, ...]) -> Link | None:
    """Joomla 1.0's addresses, served by 1.5 in legacy mode: /content/view/N/M/,
    /content/blogcategory/N/M/, /content/section/N/M/, /content/category/S/N/M/."""
    view, numbers = segments[1], [leading_id(s) for s in segments[2:]]
    if view == "category":
        number = numbers[1] if len(numbers) > 1 else None
        return Link("category", number) if number is not None else None
    if numbers[0] is None:
        return None
    kind: Target = {"view": "article", "blogcategory": "category"}.get(view, "section")  # type: ignore[assignment]
    return Link(kind, numbers[0])


async def _component_path(db: Database, rest: tuple[str, ...]) -> Link | None:
    """/component/content/article/29-the-cms/19-alias (no menu item was active),
    /component/content/category/9-blog, /component/poll/14-alias, /component/banners/click/5."""
    component, rest = rest[0], rest[1:]
    if component == "content" and rest:
        view, numbers = rest[0], rest[1:]
        if not numbers:
            return Link("home") if view in ("frontpage", "featured") else None
        last = leading_id(numbers[-1])
        if view == "article" and last is not None:
            return Link("article", last)
        if view in ("category", "section") and leading_id(numbers[0]) is not None:
            return Link(view, leading_id(numbers[0]))  # type: ignore[arg-type]
        return None
    if component == "poll" and rest:
        number = leading_id(rest[-1])
        return Link("poll", number) if number is not None else Link("polls")
    if component == "banners" and rest and leading_id(rest[-1]) is not None:
        return Link("banner", leading_id(rest[-1]))
    if component == "search":
        return Link("search")
    return None


async def resolve(db: Database, path: str, args: Mapping[str, str]) -> Found | None:
    """The page here for an address of the old site (path and query), or None."""
    old = split_path(path)
    if old is None:
        return None
    if old.segments:
        link = await read_path(db, old)
        if link is None:
            return None
        # parameters on a path say which feed, PDF or print form of that page was asked for
        form = old.suffix_format or args.get("format", "").strip().lower()
        if form == "feed":
            kind = "atom" if args.get("type", "").strip().lower() == "atom" else "rss"
            link = replace(link, feed=kind)
        elif form == "pdf" and link.target == "article":
            link = replace(link, variant="pdf")
        elif args.get("print") and link.target == "article":
            link = replace(link, variant="print")
        if link.target == "search" and args.get("searchword"):
            link = replace(link, words=args.get("searchword", "").strip()[:200])
        if link.target == "archive" and args.get("year"):
            year = _small_number(args.get("year"), 1990, 2200)
            link = replace(link, year=year, month=_small_number(args.get("month"), 1, 12))
        return await found_for(db, link)
    query = read_query(args)
    return None if query is None else await found_for(db, query)


async def menu_title(db: Database, args: Mapping[str, str]) -> str:
    """The title of the menu item an `Itemid` names ("" without one): the words to search for
    when its page did not come along."""
    item = leading_id(args.get("Itemid") or args.get("itemid"))
    if item is None:
        return ""
    title = await db.fetchval("SELECT title FROM joomla_menu WHERE old_id = ?", (item,))
    return "" if title is None else str(title)[:120]
