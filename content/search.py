"""Full-text search over everything visitors can find: articles, events, downloads, videos and
polls in one SQLite FTS5 index, kept current by triggers (migration 0009)."""

from __future__ import annotations

import logging
import re
import sqlite3
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, fields

from markupsafe import Markup, escape

from content import articles
from content.articles import Article, Page, PageOutOfRange
from content.calendar.events import EVENT_COLUMNS, Event, _event
from content.db import Database, utcnow
from content.i18n import N_
from content.media.downloads import DOWNLOAD_COLUMNS, Download
from content.media.videos import VIDEO_COLUMNS, Video

logger = logging.getLogger(__name__)

MAX_QUERY = 200  # characters of the query that are looked at
MAX_TERMS = 12
# Words as FTS5's unicode61 tokenizer sees them: letters and digits; everything else separates.
_WORD = re.compile(r"[^\W_]+")
# Private-use characters mark the matches in snippets; they are replaced after escaping.
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_WORDS = 24
# bm25 weights: a word in the title counts ten times one in the text.
_RANK = "bm25(search_index, 10.0, 1.0)"


@dataclass(frozen=True)
class Kind:
    """One kind of item in the index: its code in the rowid (id * 8 + code), how its visible
    items are joined, and how a row becomes the item."""

    name: str
    code: int
    heading: str
    columns: str
    joins: str
    visible: str
    make: Callable[[sqlite3.Row], object]


def _download(row: sqlite3.Row) -> Download:
    values = {field.name: row[field.name] for field in fields(Download)}
    return Download(**{**values, "published": bool(values["published"])})


def _video(row: sqlite3.Row) -> Video:
    values = {field.name: row[field.name] for field in fields(Video)}
    return Video(**{**values, "published": bool(values["published"])})


def _poll_row(row: sqlite3.Row) -> PollFound:
    return PollFound(id=row["id"], question=row["question"], state=row["state"])


@dataclass(frozen=True)
class PollFound:
    """What a search result shows of a poll."""

    id: int
    question: str
    state: str


_ITEM_ID = "(search_index.rowid >> 3)"

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "article",
            1,
            N_("Articles"),
            "a.*, c.title AS category_title, c.alias AS category_alias, "
            "coalesce(nullif(a.author_name, ''), u.name, '') AS byline",
            f"JOIN articles a ON a.id = {_ITEM_ID} JOIN categories c ON c.id = a.category_id "
            "LEFT JOIN users u ON u.id = a.author_id",
            articles._READABLE,
            articles._article,
        ),
        Kind(
            "event",
            2,
            N_("Events"),
            ", ".join(f"x.{column.strip()}" for column in EVENT_COLUMNS.split(",")),
            f"JOIN events x ON x.id = {_ITEM_ID}",
            "x.published = 1",
            _event,
        ),
        Kind(
            "download",
            3,
            N_("Downloads"),
            ", ".join(f"x.{column.strip()}" for column in DOWNLOAD_COLUMNS.split(",")),
            f"JOIN downloads x ON x.id = {_ITEM_ID}",
            "x.published = 1",
            _download,
        ),
        Kind(
            "video",
            4,
            N_("Videos"),
            ", ".join(f"x.{column.strip()}" for column in VIDEO_COLUMNS.split(",")),
            f"JOIN videos x ON x.id = {_ITEM_ID}",
            "x.published = 1",
            _video,
        ),
        Kind(
            "poll",
            5,
            N_("Polls"),
            "x.id, x.question, x.state",
            f"JOIN polls x ON x.id = {_ITEM_ID}",
            "x.state != 'draft'",
            _poll_row,
        ),
    )
}


@dataclass(frozen=True)
class SearchHit:
    """One found item of a kind, with its title and an excerpt where the words are marked."""

    kind: str
    item: object
    title: Markup
    snippet: Markup

    @property
    def article(self) -> Article | None:
        return self.item if isinstance(self.item, Article) else None

    @property
    def event(self) -> Event | None:
        return self.item if isinstance(self.item, Event) else None

    @property
    def download(self) -> Download | None:
        return self.item if isinstance(self.item, Download) else None

    @property
    def video(self) -> Video | None:
        return self.item if isinstance(self.item, Video) else None

    @property
    def poll(self) -> PollFound | None:
        return self.item if isinstance(self.item, PollFound) else None


@dataclass(frozen=True)
class Group:
    """The hits of one kind: a page of them, and the kind's heading."""

    kind: Kind
    page: Page[SearchHit]


def search_terms(query: str) -> list[str]:
    """The words of a visitor's query (FTS5 syntax is just punctuation here)."""
    text = unicodedata.normalize("NFKC", query[:MAX_QUERY])
    return _WORD.findall(text)[:MAX_TERMS]


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression of quoted words, the last one a prefix; None if no words."""
    terms = search_terms(query)
    if not terms:
        return None
    # Every word is a quoted string, so AND, NEAR, *, ^, : or parentheses typed by a visitor
    # are never operators; the words contain no quotes, which is all a string must avoid.
    quoted = [f'"{term}"' for term in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def marked(text: str) -> Markup:
    """Escape a highlighted text and turn only the match markers into <mark> elements."""
    parts: list[str] = []
    open_mark = False
    for piece in re.split(f"([{MARK_START}{MARK_END}])", text):
        if piece == MARK_START:
            if not open_mark:
                parts.append("<mark>")
                open_mark = True
        elif piece == MARK_END:
            if open_mark:
                parts.append("</mark>")
                open_mark = False
        else:
            parts.append(str(escape(piece)))
    if open_mark:
        parts.append("</mark>")
    return Markup("".join(parts))  # noqa: S704 -- every piece of text was escaped above


def _no_hits(number: int, per_page: int) -> Page[SearchHit]:
    if number > 1:
        raise PageOutOfRange(number)
    return Page([], 1, per_page, 0)


async def search_kind(
    db: Database, kind: Kind, query: str, number: int, per_page: int
) -> Page[SearchHit]:
    """Visible items of one kind matching the query, best first; PageOutOfRange past the last
    page."""
    match = match_expression(query)
    if match is None or number < 1:
        return _no_hits(number, per_page)
    where = (
        f"FROM search_index {kind.joins} "
        "WHERE search_index MATCH :match AND (search_index.rowid & 7) = :code "
        f"AND {kind.visible}"
    )
    params: dict[str, object] = {"match": match, "now": utcnow(), "code": kind.code}
    try:
        total = int(await db.fetchval(f"SELECT count(*) {where}", params))
        if number > 1 and (number - 1) * per_page >= total:
            raise PageOutOfRange(number)
        rows = await db.fetchall(
            f"SELECT {kind.columns}, "
            "highlight(search_index, 0, :start, :end) AS title_marked, "
            f"snippet(search_index, 1, :start, :end, '…', {SNIPPET_WORDS}) AS snippet "
            f"{where} ORDER BY {_RANK}, search_index.rowid DESC LIMIT :limit OFFSET :offset",
            {
                **params,
                "start": MARK_START,
                "end": MARK_END,
                "limit": per_page,
                "offset": (number - 1) * per_page,
            },
        )
    except sqlite3.OperationalError:
        # The expression is built from quoted words only; should FTS5 still refuse it, the
        # visitor gets no results rather than an error page.
        logger.exception("Search for %r failed", query[:MAX_QUERY])
        return Page([], 1, per_page, 0)
    hits = [
        SearchHit(
            kind=kind.name,
            item=kind.make(row),
            title=marked(row["title_marked"]),
            snippet=marked(" ".join(row["snippet"].split())),
        )
        for row in rows
    ]
    return Page(hits, number, per_page, total)


async def search_everything(db: Database, query: str, per_kind: int) -> list[Group]:
    """The best `per_kind` hits of every kind that has any, in the kinds' order."""
    groups = []
    for kind in KINDS.values():
        page = await search_kind(db, kind, query, 1, per_kind)
        if page.total:
            groups.append(Group(kind, page))
    return groups


async def search_articles(db: Database, query: str, number: int, per_page: int) -> Page[SearchHit]:
    """Published articles matching the query, best first; PageOutOfRange past the last page."""
    return await search_kind(db, KINDS["article"], query, number, per_page)
