"""What the HTML cleaner removed, worded for the editor in the request's language (issue #16:
never silently). The cleaner (content.sanitize) reports; this module only words the report."""

from __future__ import annotations

from collections.abc import Iterable

from quart import flash

from content.sanitize import Removal
from content.web.i18n import gettext

# Most alarming first: whole elements with their content, then elements, then URLs and
# attributes.
_KIND_ORDER = {"element-content": 0, "frame-host": 1, "element": 2, "scheme": 3, "attribute": 4}


def describe(removal: Removal) -> str:
    """One removal as a short phrase: "`<script>` with its content", "the `onclick` attribute
    of `<img>`"."""
    element = f"<{removal.element}>"
    if removal.kind == "element-content":
        return gettext("%(element)s with its content", element=element)
    if removal.kind == "element":
        return gettext("%(element)s (its text is kept)", element=element)
    if removal.kind == "scheme":
        return gettext(
            "a %(scheme)s address in %(attribute)s of %(element)s",
            scheme=f"{removal.detail}:",
            attribute=removal.attribute,
            element=element,
        )
    if removal.kind == "frame-host":
        return gettext(
            "an %(element)s from %(host)s, which is not an allowed video host",
            element=element,
            host=removal.detail or "?",
        )
    return gettext(
        "the %(attribute)s attribute of %(element)s", attribute=removal.attribute, element=element
    )


def describe_all(removed: Iterable[Removal]) -> list[str]:
    """Every removal as a phrase, the most alarming first, each once."""
    ordered = sorted(
        set(removed),
        key=lambda r: (_KIND_ORDER.get(r.kind, 9), r.element, r.attribute, r.detail),
    )
    return list(dict.fromkeys(describe(removal) for removal in ordered))


async def flash_removed(removed: Iterable[Removal]) -> None:
    """Tell the editor, on the page after saving, what the cleaner removed (one flashed phrase
    each; nothing removed, no message)."""
    for phrase in describe_all(removed):
        await flash(phrase, "removed")  # the page lists them under one heading
