"""Reading a dump: the statements MySQL would run (CREATE, DROP, TRUNCATE, INSERT) into tables,
and the Joomla site found in them (its table prefix and version).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from content.importers.joomla.encoding import MYSQL_LATIN1_ERRORS, decode_dump
from content.importers.joomla.errors import JoomlaError
from content.importers.joomla.lexer import (
    INSERT_WORDS,
    Statement,
    Token,
    Truncated,
    iter_statements,
    line_of,
)
from content.importers.joomla.progress import Progress

Value = str | int | float | None


@dataclass(slots=True)
class Row:
    """One row of an INSERT: its values by column, the INSERT's line and the row's place in it."""

    values: dict[str, Value]
    line: int
    number: int

    def get(self, column: str, default: Value = None) -> Value:
        """The value of a column, or the default when the column is missing or NULL."""
        value = self.values.get(column)
        return default if value is None else value


@dataclass
class Table:
    """A table of the dump: its columns (from CREATE TABLE) and the rows kept from its INSERTs."""

    name: str
    columns: list[str] | None = None
    rows: list[Row] = field(default_factory=list)


# Tables whose rows the importer reads (by name without the prefix).
WANTED = (
    "content",
    "content_frontpage",
    "categories",
    "sections",
    "users",
    "usergroups",
    "user_usergroup_map",
    "polls",
    "poll_data",
    "poll_date",
    "banner",
    "banners",
    "weblinks",
    "modules",
    "menu",
)
_CONSTRAINT_WORDS = frozenset(
    {"PRIMARY", "KEY", "INDEX", "UNIQUE", "CONSTRAINT", "FOREIGN", "FULLTEXT", "SPATIAL", "CHECK"}
)


_NOT_A_DUMP = "{name} is not an SQL dump: it holds no CREATE TABLE or INSERT statement."


class DumpReader:
    """Reads statements into tables, as MySQL would run them: CREATE, DROP, TRUNCATE, INSERT."""

    def __init__(self) -> None:
        self.tables: dict[str, Table] = {}
        self.ignored: Counter[str] = Counter()
        self.sources: list[str] = []
        self.saw_sql = False

    def feed(self, text: str, name: str, progress: Progress | None = None) -> None:
        """Read one file's text (files are read in order, as one dump)."""
        self.sources.append(name)
        total_kb = max(1, len(text) // 1024)
        stage = f"Reading {name} (kB)"

        def report(pos: int) -> None:
            if progress is not None:
                progress(stage, min(total_kb, pos // 1024), total_kb)

        try:
            for statement in iter_statements(text, report):
                self._statement(text, statement)
        except Truncated as cut:
            if not self.saw_sql and cut.first_word not in ("CREATE", "INSERT", "REPLACE"):
                raise JoomlaError(_NOT_A_DUMP.format(name=name)) from None
            raise JoomlaError(f"{name}: {cut}") from None
        except JoomlaError as error:
            raise JoomlaError(f"{name}: {error}") from None
        if not self.saw_sql:
            raise JoomlaError(_NOT_A_DUMP.format(name=name))

    def _statement(self, text: str, statement: Statement) -> None:
        tokens = statement.tokens
        verb = tokens[0].value.upper() if tokens[0].kind == "word" else ""
        if verb in ("INSERT", "REPLACE"):
            self.saw_sql = True
            self._insert(text, statement)
        elif verb == "CREATE" and _keyword(tokens, 1) in ("TABLE", "TEMPORARY"):
            self.saw_sql = True
            self._create(statement)
        elif verb == "DROP" and _keyword(tokens, 1) == "TABLE":
            i = 2
            if _keyword(tokens, i) == "IF" and _keyword(tokens, i + 1) == "EXISTS":
                i += 2
            while i < len(tokens):
                table, i = _table_name(tokens, i)
                self.tables.pop(table, None)
                if not _is_punct(tokens, i, ","):
                    break
                i += 1
        elif verb == "TRUNCATE":
            i = 2 if _keyword(tokens, 1) == "TABLE" else 1
            table, _ = _table_name(tokens, i)
            if table in self.tables:
                self.tables[table].rows.clear()
        elif verb == "DELETE" and _keyword(tokens, 1) == "FROM":
            table, i = _table_name(tokens, 2)
            if i >= len(tokens) and table in self.tables:  # without WHERE: every row
                self.tables[table].rows.clear()
            else:
                self.ignored["DELETE with WHERE"] += 1
        elif verb:
            self.ignored[verb] += 1

    def _create(self, statement: Statement) -> None:
        tokens = statement.tokens
        i = 2 if _keyword(tokens, 1) == "TABLE" else 3
        if_not_exists = False
        if _keyword(tokens, i) == "IF":
            if_not_exists = True
            i += 3
        table, i = _table_name(tokens, i)
        if if_not_exists and table in self.tables:
            return
        if not _is_punct(tokens, i, "("):
            self.tables[table] = Table(table)  # CREATE TABLE ... LIKE / AS SELECT
            return
        columns: list[str] = []
        depth = 0
        at_start = True
        for token in tokens[i + 1 :]:
            if token.kind == "punct" and token.value == "(":
                depth += 1
            elif token.kind == "punct" and token.value == ")":
                if depth == 0:
                    break
                depth -= 1
            elif token.kind == "punct" and token.value == "," and depth == 0:
                at_start = True
                continue
            elif at_start and (
                token.kind == "name"
                or (token.kind == "word" and token.value.upper() not in _CONSTRAINT_WORDS)
            ):
                columns.append(token.value)
            at_start = False
        self.tables[table] = Table(table, columns)

    def _insert(self, text: str, statement: Statement) -> None:
        tokens = statement.tokens
        i = 1
        while _keyword(tokens, i) in INSERT_WORDS:
            i += 1
        table_name, i = _table_name(tokens, i)
        wanted = any(table_name.endswith(base) for base in WANTED)
        if not wanted:
            return
        table = self.tables.setdefault(table_name, Table(table_name))
        columns: list[str] | None = None
        if _is_punct(tokens, i, "("):
            columns = []
            i += 1
            while i < len(tokens) and not _is_punct(tokens, i, ")"):
                if tokens[i].kind in ("name", "word"):
                    columns.append(tokens[i].value)
                i += 1
            i += 1
            if table.columns is None:
                table.columns = columns
        if _keyword(tokens, i) not in ("VALUES", "VALUE"):
            raise JoomlaError(
                f"The INSERT INTO {table_name} on line {statement.line} is not of the form "
                "INSERT ... VALUES (...), which is the only one this importer reads."
            )
        if columns is None:
            columns = table.columns
        if columns is None:
            raise JoomlaError(
                f"The INSERT INTO {table_name} on line {statement.line} has no column list and "
                "the dump has no CREATE TABLE for it, so its values cannot be placed."
            )
        i += 1
        number = 0
        while True:
            number += 1
            where = f"row {number} of the INSERT INTO {table_name} on line {statement.line}"
            if not _is_punct(tokens, i, "("):
                raise _syntax(text, tokens, i, f"expected '(' to start {where}")
            values, i = _read_tuple(text, tokens, i + 1, where)
            if len(values) != len(columns):
                raise JoomlaError(
                    f"{where[0].upper()}{where[1:]} has {len(values)} values "
                    f"for {len(columns)} columns."
                )
            table.rows.append(Row(dict(zip(columns, values, strict=True)), statement.line, number))
            if _is_punct(tokens, i, ","):
                i += 1
                continue
            if i < len(tokens) and _keyword(tokens, i) not in ("ON", "AS"):
                raise _syntax(text, tokens, i, f"expected ',' or the end after {where}")
            return


def _keyword(tokens: Sequence[Token], i: int) -> str:
    if i < len(tokens) and tokens[i].kind == "word":
        return tokens[i].value.upper()
    return ""


def _is_punct(tokens: Sequence[Token], i: int, char: str) -> bool:
    return i < len(tokens) and tokens[i].kind == "punct" and tokens[i].value == char


def _table_name(tokens: Sequence[Token], i: int) -> tuple[str, int]:
    """A table name (`db`.`table` gives `table`) and the index after it."""
    if i >= len(tokens) or tokens[i].kind not in ("name", "word"):
        return "", i
    name = tokens[i].value
    i += 1
    while _is_punct(tokens, i, ".") and i + 1 < len(tokens):
        name = tokens[i + 1].value
        i += 2
    return name, i


def _syntax(text: str, tokens: Sequence[Token], i: int, problem: str) -> JoomlaError:
    pos = tokens[i].pos if i < len(tokens) else tokens[-1].pos
    found = repr(tokens[i].value[:20]) if i < len(tokens) else "the end of the statement"
    return JoomlaError(f"On line {line_of(text, pos)} the dump has {found}: {problem}.")


def _read_tuple(text: str, tokens: Sequence[Token], i: int, where: str) -> tuple[list[Value], int]:
    """The values of one (...) row from index i, just after its '('; and the index after ')'."""
    values: list[Value] = []
    if _is_punct(tokens, i, ")"):
        return values, i + 1
    while True:
        value, i = _read_value(text, tokens, i, where)
        values.append(value)
        if _is_punct(tokens, i, ","):
            i += 1
        elif _is_punct(tokens, i, ")"):
            return values, i + 1
        else:
            raise _syntax(text, tokens, i, f"expected ',' or ')' in {where}")


def _read_value(text: str, tokens: Sequence[Token], i: int, where: str) -> tuple[Value, int]:
    if i >= len(tokens):
        raise _syntax(text, tokens, i, f"expected a value in {where}")
    token = tokens[i]
    if token.kind == "string":
        return token.value, i + 1
    if token.kind == "number":
        return _number(token.value), i + 1
    if token.kind == "hex":
        return _hex_text(token.value), i + 1
    if token.kind == "punct" and token.value in "-+" and i + 1 < len(tokens):
        signed = tokens[i + 1]
        if signed.kind == "number":
            number = _number(signed.value)
            return (-number if token.value == "-" else number), i + 2
    if token.kind == "word":
        word = token.value.upper()
        if word == "NULL" or word == "DEFAULT":
            return None, i + 1
        if word in ("TRUE", "FALSE"):
            return int(word == "TRUE"), i + 1
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if following is not None and following.kind == "string":
            if word == "X":
                return _hex_text(following.value), i + 2
            if word == "B":
                return int(following.value or "0", 2), i + 2
            if word == "N" or word.startswith("_"):  # N'...' and _utf8mb4'...' introducers
                return following.value, i + 2
        if following is not None and following.kind == "hex" and word.startswith("_"):
            return _hex_text(following.value), i + 2
    raise _syntax(text, tokens, i, f"expected a plain value in {where}")


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def _hex_text(digits: str) -> str:
    try:
        raw = bytes.fromhex(digits if len(digits) % 2 == 0 else "0" + digits)
    except ValueError:
        return ""
    return raw.decode("utf-8", errors=MYSQL_LATIN1_ERRORS)


@dataclass
class Dump:
    """The Joomla tables of a dump, by name without the prefix, with the version found."""

    sources: list[str]
    prefix: str
    version: Literal["1.5", "3.x"]
    tables: dict[str, Table]
    ignored: Counter[str]

    def rows(self, base: str) -> list[Row]:
        """The rows of a table (by name without the prefix); none when the dump lacks it."""
        table = self.tables.get(base)
        return table.rows if table else []

    def has(self, base: str) -> bool:
        """Whether the dump has this table."""
        return base in self.tables

    def columns(self, base: str) -> set[str]:
        """The columns of a table (by name without the prefix)."""
        table = self.tables.get(base)
        return set(table.columns or ()) if table else set()

    def full_name(self, base: str) -> str:
        """The table's name in the dump, with the prefix."""
        return f"{self.prefix}{base}"


_JOOMLA_TABLES = (
    "content",
    "categories",
    "users",
    "modules",
    "menu",
    "session",
    "sections",
    "components",
    "extensions",
    "assets",
    "usergroups",
    "plugins",
)


def find_site(reader: DumpReader, prefix: str | None = None) -> Dump:
    """The Joomla site in what was read: its table prefix (found, or as given) and version."""
    names = set(reader.tables)
    candidates = sorted(
        name[: -len("content")]
        for name in names
        if name.endswith("content") and name[: -len("content")] + "categories" in names
    )
    sources = ", ".join(reader.sources)
    if prefix is None:
        if not candidates:
            shown = ", ".join(sorted(names)[:8]) or "none"
            raise JoomlaError(
                f"{sources} is not a Joomla dump: it has no content and categories tables "
                f"(tables found: {shown})."
            )
        if len(candidates) > 1:
            scores = {p: sum(p + t in names for t in _JOOMLA_TABLES) for p in candidates}
            best = max(scores.values())
            candidates = [p for p in candidates if scores[p] == best]
        if len(candidates) > 1:
            listed = ", ".join(repr(p) for p in candidates)
            raise JoomlaError(
                f"{sources} holds more than one Joomla site (table prefixes {listed}); "
                "choose one with --prefix."
            )
        prefix = candidates[0]
    elif prefix + "content" not in names or prefix + "categories" not in names:
        found = ", ".join(repr(p) for p in candidates) or "none"
        raise JoomlaError(
            f"{sources} has no {prefix}content and {prefix}categories tables; "
            f"the prefixes found are: {found}."
        )
    tables = {
        name[len(prefix) :]: table
        for name, table in reader.tables.items()
        if name.startswith(prefix) and name[len(prefix) :] in WANTED + _JOOMLA_TABLES
    }
    content = set(tables["content"].columns or ())
    categories = set(tables["categories"].columns or ())
    version: Literal["1.5", "3.x"]
    if prefix + "workflows" in names:
        raise JoomlaError(
            f"{sources} is a dump of Joomla 4 or later ({prefix}workflows exists); "
            "this importer reads Joomla 1.5 and 3.x."
        )
    if "sectionid" in content and "section" in categories:
        version = "1.5"
    elif "asset_id" in content and {"lft", "rgt", "extension"} <= categories:
        version = "3.x"
    else:
        raise JoomlaError(
            f"The Joomla version of {sources} is unknown: {prefix}content has neither 1.5's "
            "sectionid nor 3.x's asset_id column, so it cannot be imported."
        )
    return Dump(list(reader.sources), prefix, version, tables, reader.ignored)


def read_dump(
    paths: Iterable[Path], prefix: str | None = None, progress: Progress | None = None
) -> Dump:
    """Read one or more dump files (plain or gzip, in order, as one dump) and find the site."""
    reader = DumpReader()
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise JoomlaError(f"{path} cannot be read: {error.strerror}.") from None
        reader.feed(decode_dump(data, path.name), path.name, progress)
    return find_site(reader, prefix)


def read_dump_text(text: str, name: str = "dump.sql", prefix: str | None = None) -> Dump:
    """Read a dump given as text (for tests and tools) and find the site."""
    reader = DumpReader()
    reader.feed(text, name)
    return find_site(reader, prefix)
