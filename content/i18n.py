"""Languages: Bahasa Indonesia first, English second; gettext catalogs, Babel dates and numbers
in a given language. What a request has chosen is content.web.i18n's."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
# Message ids in the code are English; the Indonesian catalog translates them.
SOURCE_LANGUAGE = "en"
LANGUAGE_COOKIE = "bahasa"
CATALOG_FOLDER = Path(__file__).resolve().parent.parent / "translations"
ARTICLE_DATE = "EEEE, d MMMM yyyy HH:mm"  # "Kamis, 13 Februari 2020 10:43"


def N_(message: str) -> str:
    """Mark a message for translation; it is translated where it is shown."""
    return message


def load_catalogs(folder: Path = CATALOG_FOLDER) -> dict[str, NullTranslations]:
    """Compile each language's .po catalog once, at start, into gettext translations."""
    catalogs: dict[str, NullTranslations] = {SOURCE_LANGUAGE: NullTranslations()}
    for code in LANGUAGES:
        if code == SOURCE_LANGUAGE:
            continue
        po_path = folder / code / "LC_MESSAGES" / "messages.po"
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=code)
        compiled = BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        catalogs[code] = Translations(fp=compiled)
    return catalogs


def translate(
    catalogs: dict[str, NullTranslations], language: str, message: str, **variables: object
) -> str:
    """Translate outside a request (e.g. a socket's acknowledgement), in a given language."""
    text = catalogs.get(language, catalogs[SOURCE_LANGUAGE]).gettext(message)
    return text % variables if variables else text


def pick_language(chosen: str, default: str) -> str:
    """The language for a remembered choice (the cookie's value), else the site's default."""
    return chosen if chosen in LANGUAGES else default


@lru_cache(maxsize=4096)
def format_date_in(value: datetime, pattern: str, timezone: str, language: str) -> str:
    """A date in a zone and a language: "Kamis, 13 Februari 2020 10:43"."""
    # Babel is slow enough to matter on a page with a dozen dates; the same dates recur.
    return format_datetime(value, pattern, tzinfo=ZoneInfo(timezone), locale=language)


def format_number_in(value: int | float, language: str) -> str:
    """A number with a language's grouping ("1.805.559" in Indonesian)."""
    return format_decimal(value, locale=language)
