"""Articles and their nested categories: reading for visitors, writing for editors."""

from __future__ import annotations

import math
import re
import sqlite3
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import IntEnum
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

import aiosqlite

from content import audit, revisions
from content.accounts import User
from content.db import (
    Database,
    format_utc,
    parse_utc,
    parse_utc_or_none,
    utcnow,
)
from content.events import ArticleFeatured, ArticleSaved, ArticleStateChanged, CategorySaved
from content.forms import local_moments
from content.i18n import N_
from content.imaging import picked_image
from content.sanitize import HtmlCleaner, Removal, plain_text


class State(IntEnum):
    """An article's state; the numbers are Joomla's, which the importer relies on."""

    PUBLISHED = 1
    UNPUBLISHED = 0
    ARCHIVED = 2
    TRASHED = -2


STATE_NAMES = {
    State.PUBLISHED: N_("Published"),
    State.UNPUBLISHED: N_("Unpublished"),
    State.ARCHIVED: N_("Archived"),
    State.TRASHED: N_("Trashed"),
}

ALIAS = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_TITLE = 255
MAX_HTML = 500_000
T = TypeVar("T")


def slugify(text: str) -> str:
    """A URL alias from a title: ASCII, lower case, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80].strip("-") or "artikel"


@dataclass(frozen=True)
class Category:
    """A category; `depth` is its level in the tree (0 for top level)."""

    id: int
    parent_id: int | None
    title: str
    alias: str
    description: str
    layout: str
    ordering: int
    published: bool
    depth: int = 0
    include_children: str = "auto"

    @property
    def slug(self) -> str:
        return f"{self.id}-{self.alias}"


@dataclass(frozen=True)
class Article:
    """An article with its category's title and alias."""

    id: int
    category_id: int
    category_title: str
    category_alias: str
    title: str
    alias: str
    intro_html: str
    full_html: str
    author_id: int | None
    author_name: str  # as typed by the editor; empty means the account's name
    byline: str  # what "Oleh ..." shows
    created: datetime
    modified: datetime
    publish_up: datetime | None
    publish_down: datetime | None
    state: State
    featured: bool
    hits: int
    meta_description: str
    intro_image: str
    version: int

    @property
    def slug(self) -> str:
        return f"{self.id}-{self.alias}"

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.state]

    @property
    def has_more(self) -> bool:
        """Whether there is text beyond the intro (for the "read more" link)."""
        return bool(self.full_html.strip())

    def is_readable(self, now: datetime) -> bool:
        """Whether a visitor may read it at its address now: published, or archived (kept
        readable, as Joomla does, though no blog or feed lists it), in its window."""
        return (
            self.state in (State.PUBLISHED, State.ARCHIVED)
            and (self.publish_up is None or self.publish_up <= now)
            and (self.publish_down is None or self.publish_down > now)
        )

    def is_public(self, now: datetime) -> bool:
        """Whether a visitor may see it now."""
        return (
            self.state == State.PUBLISHED
            and (self.publish_up is None or self.publish_up <= now)
            and (self.publish_down is None or self.publish_down > now)
        )


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a longer list."""

    items: list[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


class PageOutOfRange(Exception):
    """A page number past the last page."""


_SELECT = """
SELECT a.*, c.title AS category_title, c.alias AS category_alias,
       coalesce(nullif(a.author_name, ''), u.name, '') AS byline
FROM articles a
JOIN categories c ON c.id = a.category_id
LEFT JOIN users u ON u.id = a.author_id
"""
_PUBLIC = """
a.state = 1 AND c.published = 1
AND (a.publish_up IS NULL OR a.publish_up <= :now)
AND (a.publish_down IS NULL OR a.publish_down > :now)
"""
# What a visitor may read at its address and find by searching: published or archived (as in
# Joomla, whose search finds archived articles), never listed in blogs or feeds when archived.
_READABLE = """
a.state IN (1, 2) AND c.published = 1
AND (a.publish_up IS NULL OR a.publish_up <= :now)
AND (a.publish_down IS NULL OR a.publish_down > :now)
"""


def _article(r: sqlite3.Row) -> Article:
    created = parse_utc(r["created"])
    modified = parse_utc(r["modified"])
    return Article(
        id=r["id"],
        category_id=r["category_id"],
        category_title=r["category_title"],
        category_alias=r["category_alias"],
        title=r["title"],
        alias=r["alias"],
        intro_html=r["intro_html"],
        full_html=r["full_html"],
        author_id=r["author_id"],
        author_name=r["author_name"],
        byline=r["byline"],
        created=created,
        modified=modified,
        publish_up=parse_utc_or_none(r["publish_up"]),
        publish_down=parse_utc_or_none(r["publish_down"]),
        state=State(r["state"]),
        featured=bool(r["featured"]),
        hits=r["hits"],
        meta_description=r["meta_description"],
        intro_image=r["intro_image"],
        version=r["version"],
    )


def _category(r: sqlite3.Row, depth: int = 0) -> Category:
    return Category(
        id=r["id"],
        parent_id=r["parent_id"],
        title=r["title"],
        alias=r["alias"],
        description=r["description"],
        layout=r["layout"],
        ordering=r["ordering"],
        published=bool(r["published"]),
        depth=depth,
        include_children=r["include_children"],
    )


async def _page(
    db: Database, where: str, params: dict[str, object], order: str, number: int, per_page: int
) -> Page[Article]:
    if number < 1:
        raise PageOutOfRange(number)
    total = int(
        await db.fetchval(
            "SELECT count(*) FROM articles a JOIN categories c ON c.id = a.category_id "
            f"WHERE {where}",
            params,
        )
    )
    if number > 1 and (number - 1) * per_page >= total:
        raise PageOutOfRange(number)
    rows = await db.fetchall(
        f"{_SELECT} WHERE {where} ORDER BY {order} LIMIT :limit OFFSET :offset",
        {**params, "limit": per_page, "offset": (number - 1) * per_page},
    )
    return Page([_article(r) for r in rows], number, per_page, total)


def _now() -> str:
    return utcnow()


async def get_article(db: Database, article_id: int) -> Article | None:
    """An article in any state, or None."""
    row = await db.fetchone(f"{_SELECT} WHERE a.id = ?", (article_id,))
    return None if row is None else _article(row)


async def had_alias(db: Database, article_id: int, alias: str) -> bool:
    """Whether the article was once reachable under this alias."""
    found = await db.fetchval(
        "SELECT 1 FROM article_aliases WHERE article_id = ? AND alias = ?", (article_id, alias)
    )
    return found is not None


async def featured_articles(db: Database, number: int, per_page: int) -> Page[Article]:
    """Published featured articles, newest first (the home page)."""
    return await _page(
        db,
        f"a.featured = 1 AND {_PUBLIC}",
        {"now": _now()},
        "a.featured_ordering, coalesce(a.publish_up, a.created) DESC, a.id DESC",
        number,
        per_page,
    )


# The category and its published subcategories at any depth (an unpublished one hides its
# branch, as it hides its own articles).
_CATEGORY_TREE = """
a.category_id IN (
    WITH RECURSIVE tree (id) AS (
        SELECT :category
        UNION
        SELECT sub.id FROM categories sub JOIN tree ON sub.parent_id = tree.id
        WHERE sub.published = 1
    )
    SELECT id FROM tree
)
"""

# What "include subcategories' articles" can be set to, with labels for the editors' form.
INCLUDE_CHILDREN = {
    "auto": N_("Automatic"),
    "yes": N_("Always"),
    "no": N_("Never"),
}


async def includes_children(db: Database, category: Category) -> bool:
    """Whether the category's page lists its subcategories' articles too: always, never, or
    ('auto') when it has no published article of its own."""
    if category.include_children != "auto":
        return category.include_children == "yes"
    own = await db.fetchval(
        "SELECT 1 FROM articles a JOIN categories c ON c.id = a.category_id "
        f"WHERE a.category_id = :category AND {_PUBLIC} LIMIT 1",
        {"now": _now(), "category": category.id},
    )
    return own is None


async def category_articles(
    db: Database,
    category: Category,
    number: int,
    per_page: int,
    *,
    with_children: bool | None = None,
) -> Page[Article]:
    """Published articles of a category (and of its subcategories when it includes them, or
    as `with_children` says when given), newest first."""
    if with_children is None:
        with_children = await includes_children(db, category)
    where = _CATEGORY_TREE if with_children else "a.category_id = :category"
    return await _page(
        db,
        f"{where} AND {_PUBLIC}",
        {"now": _now(), "category": category.id},
        "coalesce(a.publish_up, a.created) DESC, a.id DESC",
        number,
        per_page,
    )


async def latest_articles(db: Database, limit: int) -> list[Article]:
    """The newest published articles."""
    rows = await db.fetchall(
        f"{_SELECT} WHERE {_PUBLIC} ORDER BY coalesce(a.publish_up, a.created) DESC LIMIT :limit",
        {"now": _now(), "limit": limit},
    )
    return [_article(r) for r in rows]


async def popular_articles(db: Database, limit: int) -> list[Article]:
    """The most read published articles."""
    rows = await db.fetchall(
        f"{_SELECT} WHERE {_PUBLIC} ORDER BY a.hits DESC, a.id DESC LIMIT :limit",
        {"now": _now(), "limit": limit},
    )
    return [_article(r) for r in rows]


# The editors' list sorts by these columns (the names are the address's `urut` values); the
# article's id breaks ties in the same direction, so every order is complete and pages never
# repeat or skip an article.
EDITOR_SORTS = {
    "judul": "a.title COLLATE NOCASE",
    "kategori": "c.title COLLATE NOCASE",
    "penulis": "byline COLLATE NOCASE",
    "status": "a.state",
    "tanggal": "a.modified",
    "dibaca": "a.hits",
    "mulai": "coalesce(a.publish_up, a.created)",  # when publishing starts (scheduled ones)
}
EDITOR_DEFAULT_SORT = "tanggal"


async def editor_articles(
    db: Database,
    *,
    query: str = "",
    state: State | None = None,
    category_id: int | None = None,
    number: int = 1,
    per_page: int = 20,
    sort: str = EDITOR_DEFAULT_SORT,
    descending: bool = True,
    author_id: int | None = None,
    scheduled_after: datetime | None = None,
) -> Page[Article]:
    """Articles for the editors' list: any state but trashed unless asked, filtered (by state,
    category, author, or published with a start after `scheduled_after`) and searched, sorted
    by one of EDITOR_SORTS (newest change first by default)."""
    where = ["1 = 1"]
    params: dict[str, object] = {}
    if scheduled_after is not None:
        where.append("a.state = 1 AND a.publish_up > :scheduled")
        params["scheduled"] = format_utc(scheduled_after)
    elif state is None:
        where.append("a.state != -2")
    else:
        where.append("a.state = :state")
        params["state"] = int(state)
    if category_id is not None:
        where.append("a.category_id = :category")
        params["category"] = category_id
    if author_id is not None:
        where.append("a.author_id = :author")
        params["author"] = author_id
    if query.strip():
        where.append("(a.title LIKE :q ESCAPE '\\' OR a.alias LIKE :q ESCAPE '\\')")
        escaped = query.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["q"] = f"%{escaped}%"
    direction = "DESC" if descending else "ASC"
    order = f"{EDITOR_SORTS[sort]} {direction}, a.id {direction}"
    return await _page(db, " AND ".join(where), params, order, number, per_page)


async def total_hits(db: Database) -> int:
    """The sum of all articles' hits."""
    return int(await db.fetchval("SELECT coalesce(sum(hits), 0) FROM articles"))


async def count_public(db: Database) -> int:
    """How many articles a visitor can read."""
    return int(
        await db.fetchval(
            "SELECT count(*) FROM articles a JOIN categories c ON c.id = a.category_id "
            f"WHERE {_PUBLIC}",
            {"now": _now()},
        )
    )


async def sitemap_entries(db: Database, limit: int) -> list[tuple[int, str, datetime | None]]:
    """(id, alias, modified) of the newest `limit` published articles, newest first."""
    rows = await db.fetchall(
        "SELECT a.id, a.alias, a.modified FROM articles a "
        "JOIN categories c ON c.id = a.category_id "
        f"WHERE {_PUBLIC} "
        "ORDER BY coalesce(a.publish_up, a.created) DESC, a.id DESC LIMIT :limit",
        {"now": _now(), "limit": limit},
    )
    return [(row["id"], row["alias"], parse_utc(row["modified"])) for row in rows]


# Categories


async def list_categories(db: Database, *, published_only: bool = False) -> list[Category]:
    """All categories in tree order: each parent followed by its children."""
    rows = await db.fetchall("SELECT * FROM categories ORDER BY ordering, title")
    children: dict[int | None, list[sqlite3.Row]] = {}
    for row in rows:
        children.setdefault(row["parent_id"], []).append(row)
    ordered: list[Category] = []

    def walk(parent: int | None, depth: int) -> None:
        for row in children.get(parent, []):
            if published_only and not row["published"]:
                continue
            ordered.append(_category(row, depth))
            walk(row["id"], depth + 1)

    walk(None, 0)
    return ordered


async def get_category(db: Database, category_id: int) -> Category | None:
    """One category, or None."""
    row = await db.fetchone("SELECT * FROM categories WHERE id = ?", (category_id,))
    return None if row is None else _category(row)


async def category_path(db: Database, category: Category) -> list[Category]:
    """The category's ancestors from the top, ending with itself (for breadcrumbs)."""
    path = [category]
    seen = {category.id}
    current = category
    while current.parent_id is not None and current.parent_id not in seen:
        parent = await get_category(db, current.parent_id)
        if parent is None:
            break
        path.insert(0, parent)
        seen.add(parent.id)
        current = parent
    return path


@dataclass(frozen=True)
class CategoryDraft:
    """What an editor submits for a category."""

    title: str = ""
    alias: str = ""
    description: str = ""
    parent_id: int | None = None
    layout: str = "blog"
    ordering: int = 0
    published: bool = True
    include_children: str = "auto"


def parse_category_form(form: Mapping[str, str]) -> tuple[CategoryDraft, dict[str, str]]:
    """A category draft from a form, and messages for the fields to fix."""
    errors: dict[str, str] = {}
    title = form.get("title", "").strip()
    if not title:
        errors["title"] = N_("Give the category a title.")
    elif len(title) > MAX_TITLE:
        errors["title"] = N_("The title is too long.")
    alias = form.get("alias", "").strip().lower() or slugify(title)
    if not ALIAS.match(alias):
        errors["alias"] = N_("Use only lower-case letters, digits and hyphens.")
    parent_raw = form.get("parent_id", "").strip()
    parent_id = None
    if parent_raw:
        if parent_raw.isascii() and parent_raw.isdigit() and len(parent_raw) < 10:
            parent_id = int(parent_raw)
        else:
            errors["parent_id"] = N_("Choose a parent category from the list.")
    layout = form.get("layout", "blog")
    if layout not in ("blog", "list"):
        errors["layout"] = N_("Choose a layout from the list.")
    include_children = form.get("include_children", "auto")
    if include_children not in INCLUDE_CHILDREN:
        errors["include_children"] = N_("Choose from the list.")
    ordering_raw = form.get("ordering", "0").strip() or "0"
    try:
        ordering = int(ordering_raw)
    except ValueError:
        ordering = 0
        errors["ordering"] = N_("Enter a whole number.")
    draft = CategoryDraft(
        title=title,
        alias=alias,
        description=plain_text(form.get("description", ""))[:1000],
        parent_id=parent_id,
        layout=layout,
        ordering=ordering,
        published=form.get("published") == "1",
        include_children=include_children,
    )
    return draft, errors


CATEGORIES = audit.Kind("categories", "category")


async def save_category(
    db: Database, draft: CategoryDraft, user: User, category_id: int | None = None
) -> tuple[int | None, dict[str, str]]:
    """Create or update a category; returns its id, or the fields to fix."""
    errors: dict[str, str] = {}
    if draft.parent_id is not None:
        parent = await get_category(db, draft.parent_id)
        if parent is None:
            errors["parent_id"] = N_("Choose a parent category from the list.")
        elif category_id is not None:
            ancestors = {c.id for c in await category_path(db, parent)}
            if category_id in ancestors:
                errors["parent_id"] = N_("A category cannot be placed inside itself.")
    taken = await db.fetchval(
        "SELECT id FROM categories WHERE alias = ? AND id != ?", (draft.alias, category_id or 0)
    )
    if taken is not None:
        errors["alias"] = N_("Another category has this alias.")
    if errors:
        return None, errors
    values = {
        "parent_id": draft.parent_id,
        "title": draft.title,
        "alias": draft.alias,
        "description": draft.description,
        "layout": draft.layout,
        "ordering": draft.ordering,
        "published": int(draft.published),
        "include_children": draft.include_children,
    }
    is_new = category_id is None
    async with db.transaction() as conn:
        category_id = await audit.save_row(conn, user, CATEGORIES, category_id, values)
        db.announce(CategorySaved(category_id, created=is_new))
    return category_id, {}


# Writing articles


@dataclass(frozen=True)
class ArticleDraft:
    """What an editor submits for an article, before cleaning."""

    title: str = ""
    alias: str = ""
    category_id: int | None = None
    intro_html: str = ""
    full_html: str = ""
    author_name: str = ""
    state: State = State.UNPUBLISHED
    featured: bool = False
    publish_up: datetime | None = None
    publish_down: datetime | None = None
    meta_description: str = ""
    intro_image: str = ""


# Joomla's "read more" break: the text before it is the intro, the text after it the full text.
READ_MORE_RE = re.compile(
    r"<hr\b[^>]*?\bid\s*=\s*(?:\"system-readmore\"|'system-readmore'|system-readmore(?=[\s/>]))[^>]*>",
    re.IGNORECASE,
)


def split_read_more(intro_html: str, full_html: str) -> tuple[str, str]:
    """Intro and full text with a read-more break (``<hr id="system-readmore">``, Joomla's) taken
    out: the first one in the intro moves what follows it to the front of the full text; one in
    the full text moves what comes before it to the end of the intro. Further breaks are
    dropped (the rich-text editor shows both fields as one text with this break)."""
    combined = intro_html + full_html
    match = READ_MORE_RE.search(combined)
    if match is None:
        return intro_html, full_html
    before, after = combined[: match.start()], combined[match.end() :]
    return before.strip(), READ_MORE_RE.sub("", after).strip()


def parse_article_form(
    form: Mapping[str, str], tz: ZoneInfo
) -> tuple[ArticleDraft, dict[str, str]]:
    """An article draft from a form, and messages for the fields to fix."""
    errors: dict[str, str] = {}
    title = form.get("title", "").strip()
    if not title:
        errors["title"] = N_("Give the article a title.")
    elif len(title) > MAX_TITLE:
        errors["title"] = N_("The title is too long.")
    alias = form.get("alias", "").strip().lower() or slugify(title)
    if not ALIAS.match(alias) or len(alias) > 120:
        errors["alias"] = N_("Use only lower-case letters, digits and hyphens.")
    category_raw = form.get("category_id", "").strip()
    category_id = None
    if category_raw.isascii() and category_raw.isdigit() and len(category_raw) < 10:
        category_id = int(category_raw)
    else:
        errors["category_id"] = N_("Choose a category.")
    intro_html, full_html = split_read_more(form.get("intro_html", ""), form.get("full_html", ""))
    if not plain_text(intro_html) and "<img" not in intro_html:
        errors["intro_html"] = N_("Write an intro text; it is shown in lists and on the home page.")
    for name, html in (("intro_html", intro_html), ("full_html", full_html)):
        if len(html) > MAX_HTML:
            errors[name] = N_("The text is too long.")
    state_raw = form.get("state", "0")
    try:
        state = State(int(state_raw))
    except ValueError:
        state = State.UNPUBLISHED
        errors["state"] = N_("Choose a state from the list.")
    up, down = local_moments(form, ("publish_up", "publish_down"), tz, errors)
    if up and down and down <= up:
        errors["publish_down"] = N_("The end of publishing must come after its start.")
    intro_image = picked_image(form, "intro_image")
    if intro_image and not re.match(r"^(https://|/)[^\s\"'<>]*$", intro_image):
        errors["intro_image"] = N_("Give an address starting with https:// or /.")
    meta = plain_text(form.get("meta_description", ""))
    if len(meta) > 300:
        errors["meta_description"] = N_("Keep the description under 300 characters.")
    draft = ArticleDraft(
        title=title,
        alias=alias,
        category_id=category_id,
        intro_html=intro_html,
        full_html=full_html,
        author_name=form.get("author_name", "").strip()[:120],
        state=state,
        featured=form.get("featured") == "1",
        publish_up=up,
        publish_down=down,
        meta_description=meta,
        intro_image=intro_image,
    )
    return draft, errors


def clean_draft(draft: ArticleDraft, cleaner: HtmlCleaner) -> ArticleDraft:
    """The draft with its HTML cleaned by the one cleaner (done once, on write and on preview)."""
    return clean_draft_with_report(draft, cleaner)[0]


def clean_draft_with_report(
    draft: ArticleDraft, cleaner: HtmlCleaner
) -> tuple[ArticleDraft, tuple[Removal, ...]]:
    """clean_draft, and what the cleaner removed from the intro and the full text."""
    intro = cleaner.clean_with_report(draft.intro_html)
    full = cleaner.clean_with_report(draft.full_html)
    cleaned = replace(draft, intro_html=intro.html, full_html=full.html)
    return cleaned, tuple(dict.fromkeys(intro.removed + full.removed))


ARTICLES = audit.Kind("articles", "article")
AUDIT_WORDS = audit.Words(
    actions={
        "state:published": N_("Set to published"),
        "state:unpublished": N_("Set to unpublished"),
        "state:archived": N_("Archived"),
        "state:trashed": N_("Moved to the trash"),
        "feature": N_("Made featured"),
        "unfeature": N_("No longer featured"),
    },
    kinds={"article": N_("Article"), "category": N_("Category")},
)
REVISION_KIND = "article"
# What a revision of an article holds: every column an editor's save writes.
REVISION_FIELDS = (
    "title",
    "alias",
    "category_id",
    "intro_html",
    "full_html",
    "author_name",
    "state",
    "featured",
    "publish_up",
    "publish_down",
    "meta_description",
    "intro_image",
)


async def record_revision(
    conn: aiosqlite.Connection,
    article_id: int,
    user: User | None,
    *,
    note: str = "",
    origin: str = "",
    restored_from: int | None = None,
) -> int:
    """Keep the article as the caller's transaction has just written it as a revision; its
    number."""
    return await revisions.record_row(
        conn,
        REVISION_KIND,
        "articles",
        REVISION_FIELDS,
        article_id,
        user,
        note=note,
        origin=origin,
        restored_from=restored_from,
    )


def draft_of_revision(fields: Mapping[str, Any]) -> ArticleDraft:
    """The article a revision holds, as a draft to save again."""
    return ArticleDraft(
        title=fields["title"],
        alias=fields["alias"],
        category_id=fields["category_id"],
        intro_html=fields["intro_html"],
        full_html=fields["full_html"],
        author_name=fields["author_name"],
        state=State(fields["state"]),
        featured=bool(fields["featured"]),
        publish_up=parse_utc_or_none(fields["publish_up"]),
        publish_down=parse_utc_or_none(fields["publish_down"]),
        meta_description=fields["meta_description"],
        intro_image=fields["intro_image"],
    )


async def save_article(
    db: Database,
    draft: ArticleDraft,
    user: User,
    cleaner: HtmlCleaner,
    article_id: int | None = None,
    *,
    created: datetime | None = None,
    based_on: int | None = None,
    overwrite: int | None = None,
    note: str = "",
    restored_from: int | None = None,
) -> tuple[int | None, dict[str, str]]:
    """Create or update an article with cleaned HTML, and keep the save as a revision (with
    `note`); returns its id, or the fields to fix. When someone saved the article after
    revision `based_on` (unless that save is `overwrite`, the one the editor chose to save
    over), revisions.Conflict rises and nothing is written."""
    if draft.category_id is None or await get_category(db, draft.category_id) is None:
        return None, {"category_id": N_("Choose a category.")}
    clean = clean_draft(draft, cleaner)
    now = utcnow()
    up = format_utc(clean.publish_up) if clean.publish_up else None
    down = format_utc(clean.publish_down) if clean.publish_down else None
    values = {
        "category_id": clean.category_id,
        "title": clean.title,
        "alias": clean.alias,
        "intro_html": clean.intro_html,
        "full_html": clean.full_html,
        "author_name": clean.author_name,
        "modified": now,
        "publish_up": up,
        "publish_down": down,
        "state": int(clean.state),
        "featured": int(clean.featured),
        "meta_description": clean.meta_description,
        "intro_image": clean.intro_image,
        "version": audit.Expression("version + 1"),
    }
    new_row = {"author_id": user.id, "created": format_utc(created) if created else now}
    is_new = article_id is None
    async with db.transaction() as conn:
        if article_id is not None:
            await revisions.check_base(conn, REVISION_KIND, article_id, based_on, overwrite)
            async with conn.execute(
                "SELECT alias FROM articles WHERE id = ?", (article_id,)
            ) as cur:
                old = await cur.fetchone()
            if old is None:
                raise LookupError(article_id)
            if old["alias"] != clean.alias:
                await conn.execute(
                    "INSERT OR IGNORE INTO article_aliases (article_id, alias) VALUES (?, ?)",
                    (article_id, old["alias"]),
                )
        article_id = await audit.save_row(
            conn,
            user,
            ARTICLES,
            article_id,
            values,
            on_insert=new_row,
            action="update" if restored_from is None else "restore",
            detail=None if restored_from is None else f"{clean.title} ({restored_from})",
        )
        await record_revision(
            conn,
            article_id,
            user,
            note=note,
            origin="" if restored_from is None else "restore",
            restored_from=restored_from,
        )
        db.announce(ArticleSaved(article_id, created=is_new))
    return article_id, {}


async def restore_article(
    db: Database, article_id: int, number: int, user: User, cleaner: HtmlCleaner
) -> tuple[int | None, dict[str, str]]:
    """Save an article's revision `number` again, as a new revision (audited as a restore);
    LookupError when there is no such revision, else as save_article."""
    revision = await revisions.get(db, REVISION_KIND, article_id, number)
    if revision is None:
        raise LookupError(number)
    return await save_article(
        db, draft_of_revision(revision.fields), user, cleaner, article_id, restored_from=number
    )


async def set_state(db: Database, article_id: int, state: State, user: User) -> bool:
    """Publish, unpublish, archive or trash an article; False when it does not exist."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE articles SET state = ?, modified = ?, version = version + 1 WHERE id = ?",
            (int(state), utcnow(), article_id),
        )
        if cursor.rowcount == 0:
            return False
        await audit.record(conn, user, f"state:{state.name.lower()}", "article", article_id)
        await record_revision(conn, article_id, user)
        db.announce(ArticleStateChanged(article_id, int(state)))
    return True


async def set_featured(db: Database, article_id: int, featured: bool, user: User) -> bool:
    """Feature an article on the home page or take it off; False when it does not exist."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE articles SET featured = ?, modified = ? WHERE id = ?",
            (int(featured), utcnow(), article_id),
        )
        if cursor.rowcount == 0:
            return False
        action = "feature" if featured else "unfeature"
        await audit.record(conn, user, action, "article", article_id)
        await record_revision(conn, article_id, user)
        db.announce(ArticleFeatured(article_id, featured))
    return True
