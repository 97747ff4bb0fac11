"""Full-text search over published articles (SQLite FTS5, kept current by triggers)."""

from __future__ import annotations

import logging
import re
import sqlite3
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup, escape

from content import articles
from content.articles import Article, Page, PageOutOfRange
from content.db import Database, utcnow

logger = logging.getLogger(__name__)

MAX_QUERY = 200  # characters of the query that are looked at
MAX_TERMS = 12
# Words as FTS5's unicode61 tokenizer sees them: letters and digits; everything else separates.
_WORD = re.compile(r"[^\W_]+")
# Private-use characters mark the matches in snippets; they are replaced after escaping.
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_WORDS = 24
# bm25 weights: a word in the title counts ten times one in the text.
_RANK = "bm25(articles_fts, 10.0, 1.0)"
_FROM = f"""
FROM articles_fts
JOIN articles a ON a.id = articles_fts.rowid
JOIN categories c ON c.id = a.category_id
LEFT JOIN users u ON u.id = a.author_id
WHERE articles_fts MATCH :match AND {articles._PUBLIC}
"""


@dataclass(frozen=True)
class SearchHit:
    """One found article, with its title and an excerpt where the words are marked."""

    article: Article
    title: Markup
    snippet: Markup


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


async def search_articles(db: Database, query: str, number: int, per_page: int) -> Page[SearchHit]:
    """Published articles matching the query, best first; PageOutOfRange past the last page."""
    match = match_expression(query)
    if match is None:
        if number > 1:
            raise PageOutOfRange(number)
        return Page([], 1, per_page, 0)
    params: dict[str, object] = {"match": match, "now": utcnow()}
    try:
        total = int(await db.fetchval(f"SELECT count(*) {_FROM}", params))
        if number < 1 or (number > 1 and (number - 1) * per_page >= total):
            raise PageOutOfRange(number)
        rows = await db.fetchall(
            "SELECT a.*, c.title AS category_title, c.alias AS category_alias, "
            "coalesce(nullif(a.author_name, ''), u.name, '') AS byline, "
            "highlight(articles_fts, 0, :start, :end) AS title_marked, "
            f"snippet(articles_fts, 1, :start, :end, '…', {SNIPPET_WORDS}) AS snippet "
            f"{_FROM} ORDER BY {_RANK}, a.id DESC LIMIT :limit OFFSET :offset",
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
            article=articles._article(row),
            title=marked(row["title_marked"]),
            snippet=marked(" ".join(row["snippet"].split())),
        )
        for row in rows
    ]
    return Page(hits, number, per_page, total)
