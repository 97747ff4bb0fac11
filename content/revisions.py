"""Revisions: every save of an item editors write keeps who, when, a note and the whole saved
content, so a change can be compared, restored, and never silently overwritten.

Any kind of item plugs in with four calls (articles and events are the first two users):

1. In the transaction that saves the item, after writing it, record what was saved::

       async with db.transaction() as conn:
           await revisions.check_base(conn, "custom_module", item_id, based_on, overwrite)
           ...  # write the row
           await revisions.record(conn, "custom_module", item_id, user, fields, note=note)

   `kind` is a short name of your own ("article", "event", "custom_module"); `fields` a dict of
   JSON values holding everything the save wrote (enough to restore it: for HTML, the cleaned
   HTML). record() prunes the item's old revisions by the retention settings at the same time,
   and returns the new revision's number (1, 2, 3 ... per item).
2. Put that number in the item's form (a hidden `base_revision`, from `latest()`), and pass it
   back to check_base() as `based_on`: when someone else saved since, check_base() raises
   Conflict (rolling the transaction back, so nothing is written); the form's "Save anyway"
   sends the number of the revision the editor was shown, `overwrite`, which lets the save
   through unless yet another save came in between.
3. Read them back: `latest(db, kind, item_id)`, `latest_number(db, kind, item_id)`,
   `list_for(db, kind, item_id)` (newest first, without their fields), `get(db, kind, item_id,
   number)`.
4. When the item is deleted, `forget(conn, kind, item_id)` in the same transaction.

`compare()` turns two revisions' fields into a word-level diff of text and HTML whose every
piece is plain text: templates escape it, so a diff never carries markup of its own.
"""

from __future__ import annotations

import difflib
import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import aiosqlite

from content.clock import SYSTEM, Clock
from content.db import Database, format_utc, parse_utc
from content.runtime import Runtime

if TYPE_CHECKING:
    from content.accounts import User

MAX_NOTE = 300
# How a revision came to be (the `origin` column); the pages word each in the reader's language.
ORIGINS = ("", "restore", "import", "demo", "existing")


@dataclass(frozen=True)
class Retention:
    """How many revisions an item keeps: its last `keep`; beyond those, the last of each day (in
    `timezone`) of today and the `daily_days` days before; and always its first."""

    keep: int = 50
    daily_days: int = 30
    timezone: tzinfo = UTC

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Retention:
        """The retention the settings ask for (PORTAL_REVISIONS_KEEP, ..._DAILY_DAYS)."""
        return cls(
            keep=config["REVISIONS_KEEP"],
            daily_days=config["REVISIONS_DAILY_DAYS"],
            timezone=ZoneInfo(config["TIMEZONE"]),
        )


@dataclass(frozen=True)
class Revision:
    """One kept save of an item; `fields` is empty when listed without them."""

    id: int
    kind: str
    item_id: int
    number: int
    at: datetime
    user_id: int | None
    user_name: str
    note: str
    origin: str
    restored_from: int | None
    fields: dict[str, Any] = field(default_factory=dict)


class Conflict(Exception):
    """The item was saved by someone else after the revision the form was based on: `current`
    is the latest revision (without fields), `based_on` the form's."""

    def __init__(self, current: Revision, based_on: int | None) -> None:
        super().__init__(f"{current.kind} {current.item_id}: revision {current.number} is newer")
        self.current = current
        self.based_on = based_on


_COLUMNS = "id, kind, item_id, number, at, user_id, user_name, note, origin, restored_from"


def _revision(row: Any, with_fields: bool) -> Revision:
    return Revision(
        id=row["id"],
        kind=row["kind"],
        item_id=row["item_id"],
        number=row["number"],
        at=parse_utc(row["at"]),
        user_id=row["user_id"],
        user_name=row["user_name"],
        note=row["note"],
        origin=row["origin"],
        restored_from=row["restored_from"],
        fields=json.loads(row["fields"]) if with_fields else {},
    )


def _running() -> tuple[Clock, Retention]:
    """The app's clock (tests move it by hand) and retention settings; outside a running app
    (a script on a database of its own), the system's clock and the default retention."""
    try:
        runtime = Runtime.current()
    except (RuntimeError, LookupError):
        return SYSTEM, Retention()
    return runtime.clock, runtime.retention or Retention()


def clean_note(note: str) -> str:
    """A revision note as kept: one line of plain text, at most MAX_NOTE characters."""
    return " ".join(note.split())[:MAX_NOTE]


async def record(
    conn: aiosqlite.Connection,
    kind: str,
    item_id: int,
    user: User | None,
    fields: Mapping[str, Any],
    *,
    note: str = "",
    origin: str = "",
    restored_from: int | None = None,
    now: datetime | None = None,
    retention: Retention | None = None,
) -> int:
    """Keep a revision of an item inside the caller's transaction (the one that saved it), prune
    the item's old ones, and return the new revision's number. `user` None is the command line;
    `now` and `retention` default to the app's clock and settings."""
    assert origin in ORIGINS, origin
    clock, settings = _running()
    moment = now or clock.now()
    async with conn.execute(
        "SELECT coalesce(max(number), 0) FROM revisions WHERE kind = ? AND item_id = ?",
        (kind, item_id),
    ) as cursor:
        row = await cursor.fetchone()
    number = int(row[0] if row else 0) + 1
    await conn.execute(
        "INSERT INTO revisions (kind, item_id, number, at, user_id, user_name, note, origin, "
        "restored_from, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            kind,
            item_id,
            number,
            format_utc(moment),
            user.id if user else None,
            user.name if user else "",
            clean_note(note),
            origin,
            restored_from,
            json.dumps(dict(fields), ensure_ascii=False, sort_keys=True),
        ),
    )
    await prune(conn, kind, item_id, moment, retention or settings)
    return number


async def record_row(
    conn: aiosqlite.Connection,
    kind: str,
    table: str,
    columns: Sequence[str],
    item_id: int,
    user: User | None,
    **options: Any,
) -> int:
    """`record()` of the item as the caller's transaction has just written it: `columns` of its
    row in `table` (LookupError when there is none); `options` as record() takes them."""
    async with conn.execute(
        f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?", (item_id,)
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:
        raise LookupError(item_id)
    return await record(conn, kind, item_id, user, dict(row), **options)


def kept(
    revisions: Sequence[tuple[int, datetime]], now: datetime, retention: Retention
) -> set[int]:
    """Which of an item's revisions (number, when) the retention keeps: the newest `keep`, the
    first, and the newest of each day from `daily_days` days before `now` to its day."""
    newest_first = sorted(revisions, key=lambda item: item[0], reverse=True)
    keep = {number for number, _ in newest_first[: retention.keep]}
    if newest_first:
        keep.add(newest_first[-1][0])
    oldest_day = (now.astimezone(retention.timezone) - timedelta(days=retention.daily_days)).date()
    days_seen: set[object] = set()
    for number, at in newest_first:
        day = at.astimezone(retention.timezone).date()
        if day not in days_seen and day >= oldest_day and retention.daily_days:
            keep.add(number)
        days_seen.add(day)
    return keep


async def prune(
    conn: aiosqlite.Connection, kind: str, item_id: int, now: datetime, retention: Retention
) -> int:
    """Delete the item's revisions the retention does not keep; how many went."""
    async with conn.execute(
        "SELECT number, at FROM revisions WHERE kind = ? AND item_id = ?", (kind, item_id)
    ) as cursor:
        rows = [(row[0], parse_utc(row[1])) for row in await cursor.fetchall()]
    if len(rows) <= retention.keep + 1:
        return 0
    keep = kept(rows, now, retention)
    gone = [number for number, _ in rows if number not in keep]
    await conn.executemany(
        "DELETE FROM revisions WHERE kind = ? AND item_id = ? AND number = ?",
        [(kind, item_id, number) for number in gone],
    )
    return len(gone)


async def forget(conn: aiosqlite.Connection, kind: str, item_id: int) -> None:
    """Delete every revision of an item (it was deleted), inside the caller's transaction."""
    await conn.execute("DELETE FROM revisions WHERE kind = ? AND item_id = ?", (kind, item_id))


async def check_base(
    conn: aiosqlite.Connection,
    kind: str,
    item_id: int,
    based_on: int | None,
    overwrite: int | None = None,
) -> None:
    """Inside the saving transaction: raise Conflict when the item's latest revision is neither
    the one the form was based on nor the one the editor chose to overwrite ("Save anyway").
    `based_on` None (a form that does not say) is not checked."""
    if based_on is None:
        return
    async with conn.execute(
        f"SELECT {_COLUMNS} FROM revisions WHERE kind = ? AND item_id = ? "
        "ORDER BY number DESC LIMIT 1",
        (kind, item_id),
    ) as cursor:
        row = await cursor.fetchone()
    if row is None or row["number"] in (based_on, overwrite):
        return
    raise Conflict(_revision(row, with_fields=False), based_on)


async def latest(db: Database, kind: str, item_id: int) -> Revision | None:
    """An item's newest revision with its fields, or None when it has none."""
    row = await db.fetchone(
        f"SELECT {_COLUMNS}, fields FROM revisions WHERE kind = ? AND item_id = ? "
        "ORDER BY number DESC LIMIT 1",
        (kind, item_id),
    )
    return None if row is None else _revision(row, with_fields=True)


async def latest_number(db: Database, kind: str, item_id: int) -> int | None:
    """The number of an item's newest revision (what an edit form is based on), or None."""
    number = await db.fetchval(
        "SELECT max(number) FROM revisions WHERE kind = ? AND item_id = ?", (kind, item_id)
    )
    return None if number is None else int(number)


async def list_for(db: Database, kind: str, item_id: int) -> list[Revision]:
    """An item's revisions, newest first, without their fields."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM revisions WHERE kind = ? AND item_id = ? ORDER BY number DESC",
        (kind, item_id),
    )
    return [_revision(row, with_fields=False) for row in rows]


async def get(db: Database, kind: str, item_id: int, number: int) -> Revision | None:
    """One revision of an item with its fields, or None."""
    row = await db.fetchone(
        f"SELECT {_COLUMNS}, fields FROM revisions WHERE kind = ? AND item_id = ? AND number = ?",
        (kind, item_id, number),
    )
    return None if row is None else _revision(row, with_fields=True)


def parse_number(raw: str | None) -> int | None:
    """A revision number from a form field; None when the field is missing or not one."""
    raw = (raw or "").strip()
    if raw.isascii() and raw.isdigit() and len(raw) < 10:
        return int(raw)
    return None


# Comparing


@dataclass(frozen=True)
class Segment:
    """A run of a line: `op` is "equal", "insert" or "delete"; `markup` marks an HTML tag, shown
    as code. Always plain text: it is escaped where it is shown."""

    op: str
    text: str
    markup: bool = False


@dataclass(frozen=True)
class Line:
    """One line (a block of HTML, a line of text) of a diff, or `skipped` unchanged lines."""

    segments: tuple[Segment, ...] = ()
    skipped: int = 0

    @property
    def changed(self) -> bool:
        return any(segment.op != "equal" for segment in self.segments)


@dataclass(frozen=True)
class Shown:
    """A field as a comparison shows it: its name, its label (N_ text) and whether it is HTML."""

    name: str
    label: str
    is_html: bool = False


@dataclass(frozen=True)
class FieldChange:
    """How one field differs between two revisions."""

    name: str
    label: str
    lines: tuple[Line, ...]


_TAG = re.compile(r"<[^>]*>?")
# Tags that only give text its shape (a paragraph, a table's cells): on a line whose words
# changed they are left out, since the lines already show the blocks; a change of them alone
# (a paragraph made a heading) is still shown.
_STRUCTURE = re.compile(
    r"^</?(?:p|h[1-6]|li|ul|ol|table|thead|tbody|tfoot|tr|td|th|div|blockquote|figure|"
    r"figcaption|pre|dl|dd|dt|section|br|hr)\s*/?>$",
    re.IGNORECASE,
)
NEWLINE = "\n"
CONTEXT = 1  # unchanged lines shown around a change
WORD_DIFF_LIMIT = 4000  # tokens: a larger rewrite is shown line by line


# A tag; a word with the one space after it ("kopi "), so that changed words are compared as
# words and a space alone never counts as unchanged between them; a space after a tag.
_WORD = re.compile(r"<[^>]*>?|[^ <]+ ?| ")
_SPACES = re.compile(r"\s+")
# Where a new line starts: after the end of a block, a break, an image or a frame.
_LINE_BREAK = re.compile(
    r"(</(?:p|h[1-6]|li|ul|ol|tr|table|thead|tbody|blockquote|div|figure|figcaption|pre|dl|"
    r"dd|dt|section)\s*>|<(?:br|hr|img|iframe|/iframe)\b[^>]*>)",
    re.IGNORECASE,
)


def html_lines(value: str) -> list[tuple[str, ...]]:
    """HTML as lines of tokens (tags, words with their space after), a line per block."""
    pieces = _LINE_BREAK.split(_SPACES.sub(" ", value))
    # split() keeps each line's closing tag as the piece after its text
    blocks = [
        pieces[i] + (pieces[i + 1] if i + 1 < len(pieces) else "") for i in range(0, len(pieces), 2)
    ]
    lines = (_trimmed(_WORD.findall(block)) for block in blocks)
    return [line for line in lines if line]


def text_lines(value: str) -> list[tuple[str, ...]]:
    """Plain text as lines of words (with their space after)."""
    lines = (
        _trimmed(re.findall(r"[^ ]+ ?| ", _SPACES.sub(" ", raw))) for raw in value.splitlines()
    )
    return [line for line in lines if line] or [()]


def _trimmed(tokens: list[str]) -> tuple[str, ...]:
    while tokens and tokens[0] == " ":
        tokens.pop(0)
    while tokens and tokens[-1] == " ":
        tokens.pop()
    if tokens and tokens[-1].endswith(" ") and not _is_tag(tokens[-1]):
        tokens[-1] = tokens[-1].rstrip()
    return tuple(tokens)


def _is_tag(token: str) -> bool:
    return token.startswith("<")


def _segments(pieces: Iterable[tuple[str, str]], is_html: bool) -> list[list[Segment]]:
    """(op, token) pairs as lines of merged segments; HTML text unescaped, unchanged tags left
    out (they only shape the text)."""
    lines: list[list[Segment]] = [[]]
    for op, token in pieces:
        if token == NEWLINE:
            lines.append([])
            continue
        markup = is_html and _is_tag(token)
        if markup and op == "equal":
            continue
        text = token if markup or not is_html else html.unescape(token)
        line = lines[-1]
        if line and line[-1].op == op and line[-1].markup == markup:
            line[-1] = Segment(op, line[-1].text + text, markup)
        else:
            line.append(Segment(op, text, markup))
    return lines


def _without_structure(line: list[Segment]) -> list[Segment]:
    """A changed line without the changed tags that only shape it (a space in their place)
    when its words changed too; a line of such tags only, all taken out or all put in (the end
    of a removed table), is left out whole."""
    changed = [s for s in line if s.op != "equal"]
    if changed and all(s.markup and _only_structure(s.text) for s in changed):
        return line if len({s.op for s in changed}) > 1 else []
    if not any(not s.markup and s.text.strip() for s in changed):
        return line
    kept: list[Segment] = []
    for segment in line:
        if segment.markup and segment.op != "equal":
            tags = [t for t in _TAG.findall(segment.text) if not _STRUCTURE.match(t)]
            segment = (
                Segment(segment.op, "".join(tags), True)
                if tags
                else Segment(segment.op, " ", False)
            )
        kept.append(segment)
    while kept and not kept[0].markup and not kept[0].text.strip():
        kept.pop(0)
    while kept and not kept[-1].markup and not kept[-1].text.strip():
        kept.pop()
    return kept


def _only_structure(text: str) -> bool:
    return all(_STRUCTURE.match(tag) for tag in _TAG.findall(text))


def _flatten(lines: Sequence[tuple[str, ...]]) -> list[str]:
    tokens: list[str] = []
    for number, line in enumerate(lines):
        if number:
            tokens.append(NEWLINE)
        tokens.extend(line)
    return tokens


def _word_diff(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.extend(("equal", token) for token in old[i1:i2])
            continue
        removed = old[i1:i2]
        added = new[j1:j2]
        # A line break changed alone is shown as the lines it makes, not as a change.
        pieces.extend(("delete", t) if t != NEWLINE else ("equal", t) for t in removed)
        if removed and added and removed[-1] == NEWLINE:
            pieces.pop()
        pieces.extend(("insert", t) if t != NEWLINE else ("equal", t) for t in added)
        if removed and added and removed[-1] == NEWLINE:
            pieces.append(("equal", NEWLINE))
    return pieces


def diff_lines(old: str, new: str, *, is_html: bool) -> tuple[Line, ...]:
    """A readable diff of two values: lines matched first, then words inside changed lines;
    unchanged lines away from a change are counted, not shown."""
    split = html_lines if is_html else text_lines
    old_lines, new_lines = split(old), split(new)
    # Changed lines as lines of segments; unchanged ones as their tokens, made into segments
    # only if shown (most of a long text is not).
    result: list[Line | tuple[str, ...]] = []

    def add(pieces: Iterable[tuple[str, str]]) -> None:
        for segments in _segments(pieces, is_html):
            shaped = _without_structure(segments)
            if shaped:
                result.append(Line(tuple(shaped)))

    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.extend(old_lines[i1:i2])
            continue
        old_tokens, new_tokens = _flatten(old_lines[i1:i2]), _flatten(new_lines[j1:j2])
        if old_tokens and new_tokens and max(len(old_tokens), len(new_tokens)) <= WORD_DIFF_LIMIT:
            add(_word_diff(old_tokens, new_tokens))
            continue
        for line in old_lines[i1:i2]:
            add(("delete", t) for t in line)
        for line in new_lines[j1:j2]:
            add(("insert", t) for t in line)
    return _with_context(result, is_html)


def _with_context(lines: list[Line | tuple[str, ...]], is_html: bool) -> tuple[Line, ...]:
    near = {
        index + offset
        for index, line in enumerate(lines)
        if isinstance(line, Line) and line.changed
        for offset in range(-CONTEXT, CONTEXT + 1)
    }
    shown: list[Line] = []
    skipped = 0
    for index, line in enumerate(lines):
        if index not in near:
            skipped += 1
            continue
        if not isinstance(line, Line):
            (segments,) = _segments((("equal", t) for t in line), is_html) or [[]]
            if not segments:
                continue
            line = Line(tuple(segments))
        if skipped:
            shown.append(Line(skipped=skipped))
            skipped = 0
        shown.append(line)
    if skipped and shown:
        shown.append(Line(skipped=skipped))
    return tuple(shown)


def compare(
    old: Mapping[str, str], new: Mapping[str, str], fields: Sequence[Shown]
) -> list[FieldChange]:
    """The fields that differ between two revisions (their values as shown to a reader), each
    with its diff, in the order of `fields`."""
    changes = []
    for shown in fields:
        before, after = old.get(shown.name, ""), new.get(shown.name, "")
        if before == after:
            continue
        lines = diff_lines(before, after, is_html=shown.is_html)
        if any(line.changed for line in lines):
            changes.append(FieldChange(shown.name, shown.label, lines))
    return changes
