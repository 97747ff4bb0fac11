"""The request's language: the visitor's choice (cookie) or the site's default, its translations
for views and templates, and dates and numbers worded in it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.support import NullTranslations
from markupsafe import Markup
from quart import Quart, current_app, g, request

from content.i18n import (
    ARTICLE_DATE,
    DATE_PATTERNS,
    LANGUAGE_COOKIE,
    LANGUAGES,
    date_names,
    format_date_in,
    format_number_in,
    load_catalogs,
    pick_language,
    zone_label,
)
from content.live import LIVE_TEXTS
from content.runtime import Runtime


def current_language() -> str:
    """The visitor's language: the remembered choice, else the site's default."""
    return pick_language(
        request.cookies.get(LANGUAGE_COOKIE, ""), current_app.config["DEFAULT_LANGUAGE"]
    )


def _translations() -> NullTranslations:
    cached: NullTranslations | None = g.get("translations")
    if cached is None:
        cached = Runtime.current().catalogs[language()]
        g.translations = cached
    return cached


def language() -> str:
    """The language of the current request (cached on `g`)."""
    code: str | None = g.get("language")
    if code is None:
        code = current_language()
        g.language = code
    return code


def gettext(message: str, **variables: object) -> str:
    """Translate a message into the request's language, then fill in %(name)s variables."""
    text = _translations().gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: object) -> str:
    """Translate with the plural form the language needs for `num`."""
    text = _translations().ngettext(singular, plural, num)
    return text % {"num": num, **variables}


def format_date(value: datetime, pattern: str = ARTICLE_DATE) -> str:
    """A date in the site's zone and the request's language: "Kamis, 13 Februari 2020 10:43"."""
    return format_date_in(value, pattern, current_app.config["TIMEZONE"], language())


def format_iso(value: str, pattern: str = ARTICLE_DATE) -> str:
    """An ISO timestamp text (as in JSON payloads) formatted like format_date."""
    return format_date(datetime.fromisoformat(value), pattern)


def format_number(value: int | float) -> str:
    """A number with the request language's grouping ("1.805.559" in Indonesian)."""
    return format_number_in(value, language())


def live_count(key: str, value: int, words: str | None = None, label: str = "") -> Markup:
    """A counter the live layer keeps current: the worded number, plus its plural forms.

    `words` picks other wording for the same figure (LIVE_TEXTS' key); `label` says what a bare
    number counts when the change is read out ("Content visits")."""
    words = words or key
    extra = Markup(' data-label="{label}"').format(label=label) if label else Markup("")
    if words not in LIVE_TEXTS:  # a bare number
        return Markup('<span data-live="{key}" data-value="{value}"{extra}>{text}</span>').format(
            key=key, value=value, extra=extra, text=format_number(value)
        )
    singular, plural = LIVE_TEXTS[words]
    translations = _translations()
    forms = {
        "one": translations.ngettext(singular, plural, 1) % {"num": "{n}"},
        "other": translations.ngettext(singular, plural, 2) % {"num": "{n}"},
    }
    text = translations.ngettext(singular, plural, value) % {"num": format_number(value)}
    return Markup(
        '<span data-live="{key}" data-value="{value}" data-one="{one}" data-other="{other}"'
        "{extra}>{text}</span>"
    ).format(key=key, value=value, one=forms["one"], other=forms["other"], extra=extra, text=text)


def page_date_names() -> dict[str, object]:
    """The names and zone label the live script spells dates with, in the request's language."""
    timezone = current_app.config["TIMEZONE"]
    now = datetime.now(ZoneInfo(timezone))
    return date_names(language(), timezone, zone_label(now, language()))


def init_app(app: Quart) -> dict[str, NullTranslations]:
    """Load the catalogs and give templates _(), ngettext() and date and number filters."""
    catalogs = load_catalogs()
    app.jinja_env.add_extension("jinja2.ext.i18n")
    # Jinja's new-style gettext fills in (and escapes) the variables itself.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: _translations().gettext(message),
        ngettext=lambda singular, plural, num: _translations().ngettext(singular, plural, num),
        newstyle=True,
    )
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["isodate"] = format_iso
    app.jinja_env.globals["live_count"] = live_count
    app.jinja_env.globals["date_names"] = page_date_names
    app.jinja_env.globals["date_patterns"] = DATE_PATTERNS

    @app.context_processor
    async def language_context() -> dict[str, object]:
        return {"lang": language(), "languages": LANGUAGES}

    return catalogs
