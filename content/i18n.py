"""Languages: Bahasa Indonesia first, English second; gettext catalogs, Babel dates and numbers
in a given language. What a request has chosen is content.web.i18n's."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_time, get_day_names, get_month_names
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
# The one spelling of dates and times, in both languages: the pages format them with Babel and
# the live script (static/js/live.js) fills the same patterns with the names Babel gives
# (`date_names`), so a time reads "10:43" before and after the script takes over. The script
# knows the letters used here: yyyy, M to MMMM, d, dd, EEE, EEEE, HH, mm, ss, z and 'quoted text'.
QUOTED = re.compile(r"('(?:[^']|'')*')")
ZONE_LETTERS = re.compile(r"z+")
DATE_PATTERNS = {
    "article": ARTICLE_DATE,
    "datetime": "d MMMM yyyy HH:mm",  # "13 Februari 2020 10:43"
    "short": "d MMM yyyy HH:mm",  # "13 Feb 2020 10:43"
    "time": "HH:mm z",  # "10:43 WIB"
    "clock": "HH:mm:ss",  # "10:43:07"
}


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
    pattern = DATE_PATTERNS.get(pattern, pattern)
    zone = ZoneInfo(timezone)
    if "z" in pattern:  # Babel's own "z" is "+0700" in English: put the zone's letters in
        label = "'" + zone_label(value.astimezone(zone), language).replace("'", "''") + "'"
        pattern = "".join(
            part if part.startswith("'") else ZONE_LETTERS.sub(label, part)
            for part in QUOTED.split(pattern)
        )
    return format_datetime(value, pattern, tzinfo=zone, locale=language)


def zone_label(moment: datetime, language: str) -> str:
    """The zone's short name at a moment, in letters where there are any: "WIB" in both
    languages (CLDR has none for Jakarta in English, where Babel would write "+0700")."""
    localized = str(format_time(moment, "z", tzinfo=moment.tzinfo, locale=language))
    if any(char.isalpha() for char in localized):
        return localized
    abbreviation = moment.tzname() or ""
    if any(char.isalpha() for char in abbreviation):
        return abbreviation
    return str(format_time(moment, "O", tzinfo=moment.tzinfo, locale=language))


@lru_cache(maxsize=64)
def date_names(language: str, timezone: str, zone: str) -> dict[str, object]:
    """What the live script needs to spell a date like the server: month and day names (days
    from Monday, as in Python), the zone's label, and the patterns by name."""
    months = get_month_names("wide", locale=language)
    short_months = get_month_names("abbreviated", locale=language)
    days = get_day_names("wide", locale=language)
    short_days = get_day_names("abbreviated", locale=language)
    return {
        "months": [str(months[number]) for number in range(1, 13)],
        "months_short": [str(short_months[number]) for number in range(1, 13)],
        "days": [str(days[number]) for number in range(7)],
        "days_short": [str(short_days[number]) for number in range(7)],
        "zone": zone,
        "timezone": timezone,
        "patterns": DATE_PATTERNS,
    }


def format_number_in(value: int | float, language: str) -> str:
    """A number with a language's grouping ("1.805.559" in Indonesian)."""
    return format_decimal(value, locale=language)
