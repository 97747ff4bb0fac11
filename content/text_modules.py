"""Modules inside an article's text: the portal's own tag `{modul latest|popular|archive}`
(written by the Joomla importer for `{loadmodule ...}` and `{loadposition ...}`, and by any
editor who types it) stands where the article page shows that module; everywhere else (teasers,
feeds, print, PDF, mail) it is left out."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The tag with the paragraph it stands in.
MODULE_TAG = re.compile(r"(?:<p>\s*)?\{modul (latest|popular|archive)\}(?:\s*</p>)?")


@dataclass(frozen=True)
class Part:
    """A piece of an article's text: HTML as cleaned on write, or a module to show there."""

    html: str
    module: str | None = None


def article_parts(html: str) -> list[Part]:
    """The text cut at its module tags (most articles have none: one part, no regex run)."""
    if "{modul " not in html:
        return [Part(html)]
    parts: list[Part] = []
    at = 0
    for match in MODULE_TAG.finditer(html):
        parts.append(Part(html[at : match.start()]))
        parts.append(Part("", match.group(1)))
        at = match.end()
    parts.append(Part(html[at:]))
    return parts


def without_modules(html: str) -> str:
    """The text without module tags."""
    return MODULE_TAG.sub("", html) if "{modul " in html else html
