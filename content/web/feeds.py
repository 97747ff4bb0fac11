"""RSS 2.0 and Atom feeds of the newest articles, the sitemap and robots.txt."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.etree import ElementTree as ET

from content import articles
from content.articles import Article, Category
from content.db import Database
from content.sanitize import plain_text
from content.text_modules import without_modules

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_SITEMAP_URLS = 50_000  # the sitemap protocol's limit for one file
SUMMARY_LENGTH = 500
# Characters XML 1.0 does not allow anywhere, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# robots.txt: who may crawl what; staff pages and the login stay out of search engines.
DISALLOWED = ("/redaksi/", "/moderasi/", "/masuk")


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def summary(article: Article, limit: int = SUMMARY_LENGTH) -> str:
    """The intro as plain text, cut at a word boundary when long."""
    text = plain_text(without_modules(article.intro_html))
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + " …"
    return _text(text)


@dataclass(frozen=True)
class Feed:
    """What a feed says about itself; `url` is its own address, `link` the page it follows."""

    title: str
    description: str
    url: str
    link: str
    language: str


def _published(article: Article) -> datetime:
    return article.publish_up or article.created


def _child(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = _text(text)
    return element


def _serialise(root: ET.Element) -> bytes:
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def rss(feed: Feed, items: Sequence[Article], link_for: Callable[[Article], str]) -> bytes:
    """An RSS 2.0 document (with atom:link rel=self, as the RSS Advisory Board advises)."""
    root = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM, "xmlns:dc": DC})
    channel = _child(root, "channel")
    _child(channel, "title", feed.title)
    _child(channel, "link", feed.link)
    _child(channel, "description", feed.description)
    _child(channel, "language", feed.language)
    built = max((a.modified for a in items), default=datetime.now(UTC))
    _child(channel, "lastBuildDate", format_datetime(built.astimezone(UTC), usegmt=True))
    _child(channel, "atom:link", href=feed.url, rel="self", type="application/rss+xml")
    for article in items:
        item = _child(channel, "item")
        link = link_for(article)
        _child(item, "title", article.title)
        _child(item, "link", link)
        _child(item, "guid", link, isPermaLink="true")
        _child(item, "pubDate", format_datetime(_published(article).astimezone(UTC), usegmt=True))
        if article.byline:
            _child(item, "dc:creator", article.byline)
        _child(item, "category", article.category_title)
        _child(item, "description", summary(article))
    return _serialise(root)


def _rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom(
    feed: Feed, items: Sequence[Article], link_for: Callable[[Article], str], author: str
) -> bytes:
    """An Atom 1.0 document; the feed's author covers entries without a byline."""
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": feed.language})
    _child(root, "id", feed.url)
    _child(root, "title", feed.title)
    _child(root, "subtitle", feed.description)
    updated = max((a.modified for a in items), default=datetime.now(UTC))
    _child(root, "updated", _rfc3339(updated))
    _child(root, "link", rel="self", type="application/atom+xml", href=feed.url)
    _child(root, "link", rel="alternate", type="text/html", href=feed.link)
    _child(_child(root, "author"), "name", author)
    for article in items:
        entry = _child(root, "entry")
        link = link_for(article)
        _child(entry, "id", link)
        _child(entry, "title", article.title, type="text")
        _child(entry, "link", rel="alternate", type="text/html", href=link)
        _child(entry, "published", _rfc3339(_published(article)))
        _child(entry, "updated", _rfc3339(max(article.modified, _published(article))))
        if article.byline:
            _child(_child(entry, "author"), "name", article.byline)
        _child(entry, "category", term=article.category_alias, label=article.category_title)
        _child(entry, "summary", summary(article), type="text")
    return _serialise(root)


async def newest_articles(db: Database, limit: int) -> list[Article]:
    """The newest published articles of the whole site."""
    return await articles.latest_articles(db, limit)


async def newest_in_category(db: Database, category: Category, limit: int) -> list[Article]:
    """The newest published articles of one category."""
    page = await articles.category_articles(db, category, 1, limit)
    return page.items


async def sitemap_articles(db: Database) -> list[tuple[int, str, datetime | None]]:
    """(id, alias, modified) of every published article, newest first, within the limit."""
    return await articles.sitemap_entries(db, MAX_SITEMAP_URLS)


def sitemap(entries: Sequence[tuple[str, datetime | None]]) -> bytes:
    """A sitemap (sitemaps.org 0.9) of absolute addresses with their last change."""
    root = ET.Element("urlset", {"xmlns": SITEMAP})
    for location, modified in entries[:MAX_SITEMAP_URLS]:
        url = _child(root, "url")
        _child(url, "loc", location)
        if modified is not None:
            _child(url, "lastmod", _rfc3339(modified))
    return _serialise(root)


def robots_txt(sitemap_url: str) -> str:
    """robots.txt: everything may be crawled but the staff pages; where the sitemap is."""
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    lines += ["", f"Sitemap: {sitemap_url}", ""]
    return "\n".join(lines)
