"""Joomla's content plugin tags in article text, replaced on the way in.

`{loadposition user1}` showed the modules of a position inside the article, `{loadmodule
articles_archive,Archived Articles}` one module by its type (and title), `{loadmoduleid 93}` one
by its id, 1.0's `{mosimage}` the article's next image from its `images` field and
`{mospagebreak}` split the article into pages. Here a module the portal has (the latest articles,
the most read, the archive) becomes the portal's own tag, `{modul latest}`, which the article page
shows as that module; a custom module's text is put in its place; a page break becomes a heading
(or nothing); the rest is removed. Each replacement is described for the import's summary.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from content.importers.joomla.dump import Row
from content.importers.joomla.encoding import repair_text

# Joomla's module types and the portal's module that shows the same.
PORTAL_MODULES = {
    "mod_latest": "latest",
    "mod_latestnews": "latest",
    "mod_articles_latest": "latest",
    "mod_articles_news": "latest",
    "mod_newsflash": "latest",
    "mod_mostread": "popular",
    "mod_articles_popular": "popular",
    "mod_popular": "popular",
    "mod_archive": "archive",
    "mod_articles_archive": "archive",
}
NAMES = {"latest": "the latest articles", "popular": "the most read", "archive": "the archive"}
CUSTOM = frozenset({"mod_custom", "custom", ""})
TAG = re.compile(
    r"\{(loadposition|mosloadposition|loadmodule|loadmoduleid|mosimage|mospagebreak|emailcloak)"
    r"(?:[ =]([^}]*))?\}",
    re.IGNORECASE,
)
PORTAL_TAG = re.compile(r"\{modul (latest|popular|archive)\}")


def _text(value: object) -> str:
    return "" if value is None else repair_text(str(value))


def _number(value: object) -> int:
    text = _text(value).strip()
    return int(text) if text.lstrip("-").isdigit() else 0


@dataclass(frozen=True)
class Module:
    """A site module of the old site, as far as a tag needs it."""

    id: int
    title: str
    type: str
    position: str
    published: bool
    content: str
    ordering: int


def site_modules(rows: Sequence[Row]) -> list[Module]:
    """The dump's site modules (not the administrator's)."""
    found = []
    for row in rows:
        client = row.get("client_id")
        if client not in (None, 0, "0"):
            continue
        found.append(
            Module(
                id=_number(row.get("id")),
                title=_text(row.get("title")).strip(),
                type=_text(row.get("module")).strip().lower(),
                position=_text(row.get("position")).strip().lower(),
                published=str(row.get("published")) == "1",
                content=_text(row.get("content")),
                ordering=_number(row.get("ordering")),
            )
        )
    return found


def images_of(field: str) -> list[dict[str, str]]:
    """1.0/1.5 `images`: one line per image, `path|align|alt|border|caption|...`."""
    images = []
    for line in field.splitlines():
        parts = line.strip().split("|")
        if parts and parts[0].strip():
            alt = parts[2].strip() if len(parts) > 2 else ""
            caption = parts[4].strip() if len(parts) > 4 else ""
            images.append({"src": parts[0].strip(), "alt": alt, "caption": caption})
    return images


class Tags:
    """Replaces the tags of one site's articles; `done` collects what was done to each."""

    def __init__(self, modules: Sequence[Module]) -> None:
        self.modules = list(modules)
        self.done: dict[int, list[str]] = {}

    def _as_portal(self, module: Module) -> tuple[str, str]:
        """(replacement, what was done) for one module."""
        portal = PORTAL_MODULES.get(module.type)
        if portal is not None:
            return f"{{modul {portal}}}", f"shows {NAMES[portal]}"
        if module.type in CUSTOM and module.content.strip():
            return module.content, f'its text (custom module "{module.title}")'
        return "", f"removed ({module.type or 'a module'} has no counterpart here)"

    def _position(self, position: str) -> tuple[str, str]:
        found = sorted(
            (m for m in self.modules if m.position == position.strip().lower() and m.published),
            key=lambda m: (m.ordering, m.id),
        )
        if not found:
            return "", "removed (no published module at that position)"
        parts = [self._as_portal(module) for module in found]
        return "".join(p[0] for p in parts), "; ".join(p[1] for p in parts)

    def _module(self, spec: str) -> tuple[str, str]:
        kind, _, title = (part.strip() for part in spec.partition(","))
        kind = kind.lower()
        full = kind if kind.startswith("mod_") else f"mod_{kind}"
        matching = [m for m in self.modules if m.type == full]
        if title:
            matching = [m for m in matching if m.title.lower() == title.lower()] or matching
        if matching:
            return self._as_portal(sorted(matching, key=lambda m: (not m.published, m.id))[0])
        portal = PORTAL_MODULES.get(full)
        if portal is not None:
            return f"{{modul {portal}}}", f"shows {NAMES[portal]}"
        return "", f"removed ({full} has no counterpart here)"

    def _module_id(self, spec: str) -> tuple[str, str]:
        digits = spec.strip()
        found = [m for m in self.modules if digits.isdigit() and m.id == int(digits)]
        if not found:
            return "", "removed (no such module in the dump)"
        return self._as_portal(found[0])

    def replace(self, joomla_id: int, text: str, images: list[dict[str, str]]) -> str:
        """The text with every tag replaced; what was done is noted under the article's id.
        `{mosimage}` takes the next of `images` (the intro's first, the full text's after)."""

        def one(match: re.Match[str]) -> str:
            name, argument = match.group(1).lower(), match.group(2) or ""
            shown = match.group(0)
            if name in ("loadposition", "mosloadposition"):
                replacement, what = self._position(argument.split(",")[0])
            elif name == "loadmodule":
                replacement, what = self._module(argument)
            elif name == "loadmoduleid":
                replacement, what = self._module_id(argument)
            elif name == "mosimage":
                if images:
                    image = images.pop(0)
                    src = image["src"]
                    src = (
                        src if src.startswith(("http", "/", "images/")) else f"images/stories/{src}"
                    )
                    replacement = (
                        f'<img src="{html.escape(src)}" alt="{html.escape(image["alt"])}">'
                    )
                    what = f"the image {src}"
                else:
                    replacement, what = "", "removed (no image left in the article's images)"
            elif name == "mospagebreak":
                title = re.search(r"title=([^&]*)", argument)
                if title and title.group(1).strip():
                    heading = html.escape(html.unescape(title.group(1).strip()))
                    replacement, what = f"<h2>{heading}</h2>", "a heading (pages are one page here)"
                else:
                    replacement, what = "", "removed (pages are one page here)"
            else:
                replacement, what = "", "removed"
            self.done.setdefault(joomla_id, []).append(f"{shown} {what}")
            return replacement

        return TAG.sub(one, text)


def params_json(raw: object) -> dict[str, str]:
    """A 3.x params column as a dict of strings (empty when it is not JSON)."""
    try:
        loaded = json.loads(_text(raw) or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}
