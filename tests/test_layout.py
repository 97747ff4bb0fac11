"""The import directions of the design, checked over every module's source.

app.py -> realtime -> content; inside content, web -> domain -> db. Content's domain never
imports the web layer, the live layer, Socket.IO or Quart (but for the short list of app glue
below); SQL and SQLite stay in the domain; realtime serves sockets and leaves storage to
content; no import hides inside a function to dodge a cycle. Each rule is also fed a bad
snippet, so the check cannot pass by finding nothing.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Domain modules that still hold app glue (an init_app, a typed accessor of the running app).
QUART_GLUE = frozenset(
    {
        "content.db",  # init_app opens and closes the database while serving; get_db
        "content.events",  # init_app, get_events
        "content.runtime",  # Runtime.of(app) / Runtime.current()
        "content.sanitize",  # init_app builds the cleaner from the settings
        "content.stats",  # init_app runs the flusher while serving; get_counter
    }
)
# Imports that may sit inside a function: heavy or optional libraries loaded only when used.
LAZY_IMPORTS = frozenset(
    {
        ("app", "hypercorn"),  # only `python app.py` serves through it
        ("app", "content.importers.joomla"),  # only the import-joomla command reads dumps
        ("content.web.pdf", "weasyprint"),  # system libraries; the portal runs without them
        ("content.calendar.ical", "icalendar"),  # only the .ics download
        ("content.importers.joomla.progress", "tqdm"),  # only in a terminal
    }
)
SQL = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+(?:OR\s+[A-Z]+\s+)?INTO\b"
    r"|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
)
DATABASE_CALLS = frozenset(
    {"fetchall", "fetchone", "fetchval", "transaction", "execute", "executescript"}
)
STORAGE_LIBRARIES = ("sqlite3", "aiosqlite")


@dataclass(frozen=True)
class Import:
    target: str  # the dotted module (or module.name) imported
    line: int
    in_function: bool


def _within(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def imports_of(tree: ast.Module) -> list[Import]:
    """Every import of a module: `from a import b` counts as a and a.b (b may be a module)."""
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend(Import(a.name, child.lineno, in_function) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                found.append(Import(child.module, child.lineno, in_function))
                found.extend(
                    Import(f"{child.module}.{a.name}", child.lineno, in_function)
                    for a in child.names
                )
            visit(child, inside)

    visit(tree, False)
    return found


def problems(module: str, source: str) -> list[str]:
    """What in one module's source breaks the layout rules, one sentence each."""
    tree = ast.parse(source)
    found: list[str] = []
    web = _within(module, "content.web")
    domain = _within(module, "content") and not web
    live = _within(module, "realtime")
    for imp in imports_of(tree):
        where = f"{module}:{imp.line}"
        if domain and _within(imp.target, "content.web", "realtime", "app", "socketio"):
            found.append(f"{where}: content's domain imports {imp.target}")
        if domain and _within(imp.target, "quart") and module not in QUART_GLUE:
            found.append(f"{where}: content's domain imports {imp.target} (not app glue)")
        if (web or live) and _within(imp.target, *STORAGE_LIBRARIES):
            found.append(f"{where}: {imp.target} outside content's storage layer")
        if live and _within(imp.target, "content.web.views", "app"):
            found.append(f"{where}: realtime imports {imp.target}")
        lazy_allowed = any(
            module == owner and _within(imp.target, target) for owner, target in LAZY_IMPORTS
        )
        if imp.in_function and not lazy_allowed:
            found.append(f"{where}: {imp.target} imported inside a function")
    if web or live:
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if SQL.search(node.value):
                    found.append(f"{module}:{node.lineno}: an SQL statement outside content")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in DATABASE_CALLS
            ):
                found.append(f"{module}:{node.lineno}: .{node.func.attr}() on the database")
    return found


def project_modules() -> dict[str, Path]:
    """app, and every module of content/ and realtime/, by dotted name."""
    modules = {"app": ROOT / "app.py"}
    for package in ("content", "realtime"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def test_every_module_keeps_the_layout() -> None:
    modules = project_modules()
    assert {"app", "content.db", "content.web", "content.web.views.public", "realtime"} <= set(
        modules
    )
    found = [p for name, path in modules.items() for p in problems(name, path.read_text())]
    assert found == []


def test_the_allow_lists_are_short_and_true() -> None:
    """Each entry is still needed: the module exists and still imports what it is allowed to."""
    modules = project_modules()
    for module in QUART_GLUE:
        found = imports_of(ast.parse(modules[module].read_text()))
        assert any(_within(i.target, "quart") for i in found), f"{module} no longer needs Quart"
    for owner, target in LAZY_IMPORTS:
        found = imports_of(ast.parse(modules[owner].read_text()))
        assert any(i.in_function and _within(i.target, target) for i in found), (owner, target)


# Each rule, fed a module that breaks it


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("content.polls", "from content.web import portal\n", "domain imports content.web"),
        ("content.polls", "from content import web\n", "domain imports content.web"),
        ("content.polls", "import realtime.polls\n", "domain imports realtime"),
        ("content.stats", "import socketio\n", "domain imports socketio"),
        ("content.media.files", "from content.web.views import media\n", "domain imports"),
        ("content.polls", "from quart import request\n", "(not app glue)"),
        ("content.web.feeds", "import sqlite3\n", "sqlite3 outside"),
        ("content.web.views.media", "import aiosqlite\n", "aiosqlite outside"),
        ("realtime.polls", "from sqlite3 import OperationalError\n", "sqlite3 outside"),
        ("realtime.polls", "from content.web.views import errors\n", "realtime imports"),
        ("realtime.server", "import app\n", "realtime imports app"),
        (
            "content.web.views.statistics",
            'async def f(db):\n    return await db.fetchval("SELECT count(*) FROM users")\n',
            "an SQL statement",
        ),
        ("content.web.feeds", 'Q = "INSERT INTO hits (id) VALUES (?)"\n', "an SQL statement"),
        ("realtime.stats", 'Q = f"UPDATE articles SET hits = {n}"\n', "an SQL statement"),
        ("realtime.stats", 'Q = "DELETE FROM presence"\n', "an SQL statement"),
        ("realtime.stats", "async def f(db):\n    await db.fetchall(QUERY)\n", ".fetchall()"),
        (
            "content.web.views.media",
            "async def f(db):\n    async with db.transaction() as conn:\n        pass\n",
            ".transaction()",
        ),
        (
            "content.web.limits",
            "def f():\n    from content.web.views.errors import render_error\n",
            "imported inside a function",
        ),
        ("content.i18n", "async def f():\n    import content.live\n", "inside a function"),
        ("content.web.pdf", "def f():\n    import tqdm\n", "inside a function"),
    ],
)
def test_each_rule_catches_what_it_forbids(module: str, source: str, expected: str) -> None:
    found = problems(module, source)
    assert any(expected in p for p in found), found


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("content.polls", "import sqlite3\nQ = 'SELECT id FROM polls'\n"),  # the storage layer
        ("content.db", "from quart import Quart\n"),  # app glue
        ("content.web.views.polls", "from content import polls\nfrom quart import request\n"),
        ("realtime.polls", "from content import polls\nfrom content.web.state import Portal\n"),
        ("content.web.pdf", "def render():\n    from weasyprint import HTML\n"),
        ("content.web.views.tools", 'N = "Select the answers you want from the list."\n'),
        (
            "content.polls",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import aiosqlite\n",
        ),
    ],
)
def test_what_the_layout_allows_passes(module: str, source: str) -> None:
    assert problems(module, source) == []
