"""Bulk actions on articles from the editors' list: all of them in one transaction, or none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from content import articles, audit
from content.accounts import User
from content.articles import State
from content.db import Database, utcnow
from content.events import ArticleFeatured, ArticleSaved, ArticleStateChanged, Event
from content.i18n import N_

MAX_SELECTED = 500  # more ids than a list page could ever show is not a person's choice

# action -> (column, value): what the action sets on each selected article
# The audit log's word for the one bulk action a single change does not write too.
AUDIT_WORDS = audit.Words(actions={"move": N_("Moved to another category")})
ACTIONS = {
    "publish": ("state", int(State.PUBLISHED)),
    "unpublish": ("state", int(State.UNPUBLISHED)),
    "trash": ("state", int(State.TRASHED)),
    "feature": ("featured", 1),
    "unfeature": ("featured", 0),
    "move": ("category_id", None),  # the category comes with the request
}
# The names in the list's select, in its order.
ACTION_NAMES = {
    "publish": N_("Publish"),
    "unpublish": N_("Unpublish"),
    "feature": N_("Feature"),
    "unfeature": N_("Unfeature"),
    "move": N_("Move to category"),
    "trash": N_("Trash"),
}


class BulkRefused(ValueError):
    """The request cannot be carried out; nothing was changed. `message` is untranslated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class BulkResult:
    """Which of the selected articles changed, and how many were already as asked."""

    action: str
    changed: list[int]
    unchanged: int


def parse_ids(raw: Sequence[str]) -> list[int]:
    """The article ids of the ticked boxes, in order and once each; BulkRefused when none is
    ticked or one is not an id."""
    if not raw:
        raise BulkRefused(N_("Choose at least one article first."))
    if len(raw) > MAX_SELECTED:
        raise BulkRefused(N_("Too many articles chosen at once."))
    ids: list[int] = []
    for value in raw:
        if not (value.isascii() and value.isdigit()) or len(value) > 9:
            raise BulkRefused(N_("The list of chosen articles is not valid. Reload the page."))
        ids.append(int(value))
    return list(dict.fromkeys(ids))


def _audit_action(action: str) -> str:
    # The same names as the single changes use (set_state, set_featured), so the log reads alike.
    state = ACTIONS[action][1]
    if action in ("publish", "unpublish", "trash") and state is not None:
        return f"state:{State(state).name.lower()}"
    return action


def _event(action: str, article_id: int, value: int) -> Event:
    if action in ("feature", "unfeature"):
        return ArticleFeatured(article_id, bool(value))
    if action == "move":
        return ArticleSaved(article_id, created=False)
    return ArticleStateChanged(article_id, value)


async def apply(
    db: Database,
    action: str,
    article_ids: Sequence[int],
    user: User,
    *,
    category_id: int | None = None,
) -> BulkResult:
    """Carry out `action` on the selected articles in one transaction, one audit entry per
    article that changed; articles already as asked are left alone (no entry). BulkRefused,
    with nothing changed, for an unknown action, a missing or unknown category, or an id that
    is not an article (any more)."""
    if action not in ACTIONS:
        raise BulkRefused(N_("Choose an action from the list."))
    if not article_ids:
        raise BulkRefused(N_("Choose at least one article first."))
    column, value = ACTIONS[action]
    ids = list(dict.fromkeys(article_ids))
    marks = ",".join("?" * len(ids))
    async with db.transaction() as conn:
        category_title = ""
        if action == "move":
            if category_id is None:
                raise BulkRefused(N_("Choose the category to move the articles to."))
            async with conn.execute(
                "SELECT title FROM categories WHERE id = ?", (category_id,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                raise BulkRefused(N_("That category does not exist. Choose one from the list."))
            category_title = row["title"]
            value = category_id
        async with conn.execute(
            f"SELECT a.id, a.{column} AS current, c.title AS category "
            f"FROM articles a JOIN categories c ON c.id = a.category_id WHERE a.id IN ({marks})",
            ids,
        ) as cursor:
            rows = {row["id"]: row for row in await cursor.fetchall()}
        if len(rows) != len(ids):
            raise BulkRefused(
                N_("Some of the chosen articles no longer exist. Reload the list and try again.")
            )
        changed = [article_id for article_id in ids if rows[article_id]["current"] != value]
        now = utcnow()
        for article_id in changed:
            # The same columns as the single change of each kind (set_state and save_article
            # count a version; featuring does not).
            version = ", version = version + 1" if column != "featured" else ""
            await conn.execute(
                f"UPDATE articles SET {column} = ?, modified = ?{version} WHERE id = ?",
                (value, now, article_id),
            )
            detail = (
                f"{rows[article_id]['category']} -> {category_title}" if action == "move" else ""
            )
            await audit.record(conn, user, _audit_action(action), "article", article_id, detail)
            # a revision too, as the single changes keep: a later save based on the article as
            # it was before is then refused instead of undoing this change unseen
            await articles.record_revision(conn, article_id, user)
            assert value is not None
            db.announce(_event(action, article_id, value))
    return BulkResult(action, changed, len(ids) - len(changed))
