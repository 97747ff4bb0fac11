"""What the media forms share: length limits, the addresses a link may have, and the
title and ordering fields."""

from __future__ import annotations

import re
from collections.abc import Mapping

from content.i18n import N_

MAX_TITLE = 255
MAX_DESCRIPTION = 2000
MAX_CATEGORY = 80
MAX_URL = 2000
MAX_ORDERING = 9999
SITE_OR_WEB_URL = re.compile(r"^(https?://[^\s\"'<>]+|/(?!/)[^\s\"'<>\\]*)$")
IMAGE_URL = re.compile(r"^(https://[^\s\"'<>]+|/(?!/)[^\s\"'<>\\]*)$")


def parse_ordering(raw: str, errors: dict[str, str]) -> int:
    """A place in a list, 0 to 9999 (0 when empty); a message in errors otherwise."""
    raw = raw.strip() or "0"
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_ORDERING:
        errors["ordering"] = N_("Enter a whole number from 0 to 9999.")
        return 0
    return int(raw)


def parse_title(form: Mapping[str, str], errors: dict[str, str], missing: str) -> str:
    """The form's title on one line; `missing` in errors when there is none."""
    title = " ".join(form.get("title", "").split())
    if not title:
        errors["title"] = missing
    elif len(title) > MAX_TITLE:
        errors["title"] = N_("The title is too long.")
    return title
