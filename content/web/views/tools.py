"""Article tools (PDF, print page, e-mail to a friend), search, feeds, sitemap and robots.txt."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, cast
from urllib.parse import quote

from quart import (
    Blueprint,
    Quart,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from quart.blueprints import BlueprintSetupState
from quart.typing import ResponseReturnValue

from content import articles, calendar
from content.articles import Article, Category, PageOutOfRange
from content.calendar import Event, Occurrence
from content.db import get_db
from content.i18n import N_
from content.sanitize import plain_text
from content.search import KINDS, MAX_QUERY, Group, search_everything, search_kind
from content.text_modules import without_modules
from content.web import feeds, mail, parse_page_number, pdf, site_timezone, visitor_id
from content.web.i18n import gettext, language
from content.web.sidebar import sidebar
from content.web.state import portal

# The article page's own rules: which ids and aliases are valid, and who may see an article.
from content.web.views.public import _parse_slug, _visible_article

blueprint = Blueprint("tools", __name__)
logger = logging.getLogger(__name__)

PUBLIC_CACHE_SECONDS = 300  # how long browsers and proxies may keep PDFs, feeds and the sitemap
MAILTO_INTRO = 300  # characters of the intro in a mailto: link (long links fail in some clients)


@blueprint.record_once
def _set_up(state: BlueprintSetupState) -> None:
    app = cast(Quart, state.app)
    mail.init_app(app)
    if mail.MailSettings.from_config(app.config).enabled and not app.config["SITE_URL"]:
        logger.warning(
            "Set PORTAL_SITE_URL: without it, links in mails are built from the request's Host."
        )


def _setting(name: str) -> int:
    value: int = current_app.config[name]
    return value


def site_root() -> str:
    """The site's public address with a trailing slash: SITE_URL, else the request's."""
    configured: str = current_app.config["SITE_URL"].rstrip("/")
    return f"{configured}/" if configured else request.url_root


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute address on this site (SITE_URL when set, so a forged Host cannot change it)."""
    configured: str = current_app.config["SITE_URL"].rstrip("/")
    if configured:
        return configured + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


async def _tool_article(slug: str, endpoint: str) -> tuple[Article, bool, str | None]:
    """The article a tool is for, whether it is a preview, and where an old slug now leads."""
    article_id, alias = _parse_slug(slug)
    found, preview = await _visible_article(article_id)
    if alias == found.alias:
        return found, preview, None
    if alias is not None and not await articles.had_alias(get_db(), found.id, alias):
        abort(404)
    return found, preview, url_for(endpoint, slug=found.slug)


@blueprint.app_template_global()
def mail_enabled() -> bool:
    """Whether the E-mail tool is the site's form (else it is a mailto: link)."""
    return mail.mail_settings().enabled


@blueprint.app_template_global()
def article_mailto(article: Article) -> str:
    """A mailto: link with the article's title, intro and address, for sites without SMTP."""
    link = external_url("public.article", slug=article.slug)
    intro = mail.intro_excerpt(plain_text(without_modules(article.intro_html)), MAILTO_INTRO)
    body = f"{intro}\n\n{link}" if intro else link
    return f"mailto:?subject={quote(article.title, safe='')}&body={quote(body, safe='')}"


# PDF


@blueprint.get("/artikel/<slug>.pdf")
async def article_pdf(slug: str) -> ResponseReturnValue:
    """The article as a PDF download, rendered once per version and language, then cached."""
    article, _, moved = await _tool_article(slug, "tools.article_pdf")
    if moved:
        return redirect(moved, 301)
    hashes = portal().static_hashes
    key = pdf.PdfKey(
        article_id=article.id,
        language=language(),
        version=article.version,
        frame="\n".join(
            (
                article.modified.isoformat(),
                article.category_title,
                article.byline,
                current_app.config["SITE_NAME"],
                hashes.get("css/pdf.css", ""),
                hashes.get("img/logo.svg", ""),
            )
        ),
    )

    async def make_html() -> str:
        return await render_template(
            "tools/pdf.html",
            article=article,
            address=external_url("public.article", slug=article.slug),
        )

    path = await pdf.get_pdf_cache().get(key, site_root(), make_html)
    response = await send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        attachment_filename=f"{article.alias}.pdf",
        conditional=True,
    )
    response.cache_control.public = True
    response.cache_control.max_age = PUBLIC_CACHE_SECONDS
    return response


# Print page


@blueprint.get("/artikel/<slug>/cetak")
async def print_article(slug: str) -> ResponseReturnValue:
    """The article alone, ready to print: no navigation, no modules."""
    article, preview, moved = await _tool_article(slug, "tools.print_article")
    if moved:
        return redirect(moved, 301)
    return await render_template(
        "tools/print.html",
        article=article,
        preview=preview,
        address=external_url("public.article", slug=article.slug),
    )


# E-mail to a friend


def _article_mail(article: Article, link: str, sender: mail.MailForm) -> mail.ArticleMail:
    """The fixed message about the article, in the sender's language."""
    site = current_app.config["SITE_NAME"]
    intro = mail.intro_excerpt(plain_text(without_modules(article.intro_html)))
    lines = [
        gettext(
            "%(name)s recommends this article from %(site)s:", name=sender.sender_name, site=site
        ),
        "",
        article.title,
        "",
    ]
    if intro:
        lines += [intro, ""]
    lines += [
        gettext("Read it here: %(link)s", link=link),
        "",
        "-- ",
        gettext(
            "This message was sent with the e-mail form of %(site)s by a visitor who gave the "
            "address %(address)s; replies go to that address. If you did not expect it, you "
            "can ignore it.",
            site=site,
            address=sender.sender_email,
        ),
    ]
    subject = gettext("An article from %(site)s: %(title)s", site=site, title=article.title)
    return mail.ArticleMail(subject=subject, body="\n".join(lines))


def _field_errors(errors: dict[str, str]) -> dict[str, str]:
    return {
        name: gettext(message, limit=mail.FIELD_LIMITS.get(name, mail.MAX_ADDRESS))
        for name, message in errors.items()
    }


@blueprint.route("/artikel/<slug>/email", methods=["GET", "POST"])
async def email_article(slug: str) -> ResponseReturnValue:
    """Send the article's title, intro and link to one address; every guard says what to fix."""
    settings = mail.mail_settings()
    if not settings.enabled:
        abort(404)  # the E-mail tool is a mailto: link; the server sends nothing
    article, preview, moved = await _tool_article(slug, "tools.email_article")
    if moved:
        return redirect(moved, 301)
    config = current_app.config
    stamps = mail.form_stamp()

    async def page(
        form: mail.MailForm, errors: dict[str, str], notices: list[str], stamp: str, status: int
    ) -> tuple[str, int]:
        html = await render_template(
            "tools/email.html",
            article=article,
            preview=preview,
            form=form,
            errors=_field_errors(errors),
            notices=[gettext(n) for n in notices],
            stamp=stamp,
            sent=request.method == "GET" and request.args.get("terkirim") == "1",
            **await sidebar(),
        )
        return html, status

    if request.method == "GET":
        return await page(mail.MailForm(), {}, [], stamps.make(article.id), 200)

    form_data = await request.form
    values, errors = mail.parse_mail_form(form_data)
    raw_stamp = form_data.get("form_stamp", "")
    notices: list[str] = []
    status = 400
    stamp_problem = stamps.problem(
        raw_stamp, article.id, config["MAIL_MIN_SECONDS"], config["MAIL_FORM_MAX_AGE"]
    )
    if stamp_problem:
        notices.append(stamp_problem)
    visitor = visitor_id()
    network = request.remote_addr or "unknown"
    limiter = mail.limiter()
    if not errors and not notices:
        limits = mail.Limits(
            per_address=config["MAIL_PER_ADDRESS_PER_HOUR"],
            per_visitor=config["MAIL_PER_VISITOR_PER_HOUR"],
            per_network=config["MAIL_PER_NETWORK_PER_HOUR"],
        )
        over = mail.limit_problems(limiter, limits, values.recipient, visitor, network)
        if over:
            status = 429
            if "" in over:
                notices.append(over.pop(""))
            errors.update(over)
    if errors or notices:
        renewed = stamps.renew(raw_stamp, article.id, config["MAIL_FORM_MAX_AGE"])
        return await page(values, errors, notices, renewed, status)

    link = external_url("public.article", slug=article.slug)
    message = mail.compose(
        settings, values, config["SITE_NAME"], _article_mail(article, link, values)
    )
    mail.record_send(limiter, values.recipient, visitor, network)
    try:
        await mail.send(settings, message)
    except mail.MailNotSent:
        notices.append(N_("The message could not be sent just now. Please try again later."))
        renewed = stamps.renew(raw_stamp, article.id, config["MAIL_FORM_MAX_AGE"])
        return await page(values, {}, notices, renewed, 503)
    return redirect(url_for("tools.email_article", slug=article.slug, terkirim=1))


# Search


# The `jenis` parameter of /cari: one kind of result, paginated.
SEARCH_KINDS = {
    "artikel": "article",
    "kegiatan": "event",
    "unduhan": "download",
    "video": "video",
    "polling": "poll",
}
KIND_PARAMETERS = {kind: parameter for parameter, kind in SEARCH_KINDS.items()}
SEARCH_PREVIEW = 5  # hits of each kind on the page of all kinds


def _next_occurrence(event: Event, now: datetime) -> Occurrence:
    """The event's next occurrence not yet over, or its first one."""
    tz = site_timezone()
    start, end = event.span(tz)
    horizon = (event.repeat_until or end.date()) + timedelta(days=1)
    for occurrence in calendar.occurrences(event, tz, now.date(), horizon):
        if not occurrence.ended(now):
            return occurrence
    return Occurrence(event, start, end)


@blueprint.get("/cari")
async def search() -> ResponseReturnValue:
    """Everything matching the words typed, grouped by kind (articles, events, downloads,
    videos, polls), best first, with the words marked; `jenis` shows one kind, paginated."""
    query = request.args.get("q", "")[: MAX_QUERY * 2].strip()
    number = parse_page_number(request.args.get("halaman"))
    parameter = request.args.get("jenis", "")
    per_page = _setting("SEARCH_PER_PAGE")
    db = get_db()
    groups: list[Group]
    if parameter:
        if parameter not in SEARCH_KINDS:
            abort(400)
        kind = KINDS[SEARCH_KINDS[parameter]]
        try:
            page = await search_kind(db, kind, query, number, per_page)
        except PageOutOfRange:
            abort(404)
        groups = [Group(kind, page)] if page.total else []
    else:
        if number > 1:
            abort(404)
        groups = await search_everything(db, query, min(per_page, SEARCH_PREVIEW))
    now = datetime.now(site_timezone())
    occurrences = {
        hit.event.id: _next_occurrence(hit.event, now)
        for group in groups
        for hit in group.page.items
        if hit.event is not None
    }
    return await render_template(
        "tools/search.html",
        query=query,
        groups=groups,
        total=sum(group.page.total for group in groups),
        only=parameter,
        kind_parameters=KIND_PARAMETERS,
        occurrences=occurrences,
        **await sidebar(),
    )


# Feeds, sitemap, robots.txt


def _xml(body: bytes, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.cache_control.public = True
    response.cache_control.max_age = PUBLIC_CACHE_SECONDS
    return response


def _site_feed(url: str) -> feeds.Feed:
    site = current_app.config["SITE_NAME"]
    return feeds.Feed(
        title=site,
        description=gettext("News, research results and public services of %(site)s.", site=site),
        url=url,
        link=external_url("public.home"),
        language=current_app.config["DEFAULT_LANGUAGE"],
    )


def _article_link(article: Article) -> str:
    return external_url("public.article", slug=article.slug)


@blueprint.get("/feed/rss.xml")
async def rss() -> ResponseReturnValue:
    """RSS 2.0 feed of the site's newest articles."""
    items = await feeds.newest_articles(get_db(), _setting("FEED_ITEMS"))
    feed = _site_feed(external_url("tools.rss"))
    return _xml(feeds.rss(feed, items, _article_link), "application/rss+xml")


@blueprint.get("/feed/atom.xml")
async def atom() -> ResponseReturnValue:
    """Atom feed of the site's newest articles."""
    items = await feeds.newest_articles(get_db(), _setting("FEED_ITEMS"))
    feed = _site_feed(external_url("tools.atom"))
    body = feeds.atom(feed, items, _article_link, current_app.config["SITE_NAME"])
    return _xml(body, "application/atom+xml")


async def _feed_category(slug: str, endpoint: str) -> tuple[Category, str | None]:
    """A published category for a feed, and the feed's current address when `slug` is old."""
    category_id, alias = _parse_slug(slug)
    found = await articles.get_category(get_db(), category_id)
    if found is None or not found.published:
        abort(404)
    if alias != found.alias:
        return found, url_for(endpoint, slug=found.slug)
    return found, None


def _category_feed(category: Category, endpoint: str) -> feeds.Feed:
    site = current_app.config["SITE_NAME"]
    return feeds.Feed(
        title=f"{category.title} – {site}",
        description=category.description
        or gettext("Articles in %(category)s", category=category.title),
        url=external_url(endpoint, slug=category.slug),
        link=external_url("public.category", slug=category.slug),
        language=current_app.config["DEFAULT_LANGUAGE"],
    )


@blueprint.get("/kategori/<slug>/rss.xml")
async def category_rss(slug: str) -> ResponseReturnValue:
    """RSS 2.0 feed of one category's newest articles."""
    found, moved = await _feed_category(slug, "tools.category_rss")
    if moved:
        return redirect(moved, 301)
    items = await feeds.newest_in_category(get_db(), found, _setting("FEED_ITEMS"))
    feed = _category_feed(found, "tools.category_rss")
    return _xml(feeds.rss(feed, items, _article_link), "application/rss+xml")


@blueprint.get("/kategori/<slug>/atom.xml")
async def category_atom(slug: str) -> ResponseReturnValue:
    """Atom feed of one category's newest articles."""
    found, moved = await _feed_category(slug, "tools.category_atom")
    if moved:
        return redirect(moved, 301)
    items = await feeds.newest_in_category(get_db(), found, _setting("FEED_ITEMS"))
    feed = _category_feed(found, "tools.category_atom")
    body = feeds.atom(feed, items, _article_link, current_app.config["SITE_NAME"])
    return _xml(body, "application/atom+xml")


@blueprint.get("/sitemap.xml")
async def sitemap() -> ResponseReturnValue:
    """Every published category and article, for search engines."""
    db = get_db()
    entries: list[tuple[str, datetime | None]] = [(external_url("public.home"), None)]
    for category in await articles.list_categories(db, published_only=True):
        entries.append((external_url("public.category", slug=category.slug), None))
    for article_id, alias, modified in await feeds.sitemap_articles(db):
        entries.append((external_url("public.article", slug=f"{article_id}-{alias}"), modified))
    return _xml(feeds.sitemap(entries), "application/xml")


@blueprint.get("/robots.txt")
async def robots() -> ResponseReturnValue:
    """Crawlers may read everything but the staff pages; the sitemap's address."""
    response = Response(feeds.robots_txt(external_url("tools.sitemap")), mimetype="text/plain")
    response.cache_control.public = True
    response.cache_control.max_age = PUBLIC_CACHE_SECONDS
    return response
