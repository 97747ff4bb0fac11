"""The audit log in words: every action and kind of object the code writes has a name in both
languages, an older one shows as stored, and who made a change is told truthfully."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from quart.testing import QuartClient

from content import accounts, audit, bulk, polls, sessions
from content.articles import State as ArticleState
from content.db import Database
from content.web.views.editor import AUDIT_WORDS
from tests.conftest import Auth, soup

ROOT = Path(__file__).resolve().parent.parent

# What the scan below cannot read from the code itself: written values that come from a
# parameter, an enum or a helper. A new expression passed as an action or a kind fails the test
# until it is named here, with the values it can take.
COMPUTED: dict[tuple[str, str], set[str]] = {
    ("content/audit.py", "action"): {"update"},  # save_row's default; callers' action= are scanned
    ("content/audit.py", "kind.object_type"): set(),  # every audit.Kind(...) is scanned
    ("content/polls.py", "f'state:{state}'"): {f"state:{state}" for state in polls.State},
    ("content/articles.py", "f'state:{state.name.lower()}'"): {
        f"state:{state.name.lower()}" for state in ArticleState
    },
    ("content/bulk.py", "_audit_action(action)"): {
        bulk._audit_action(action) for action in bulk.ACTIONS
    },
}


def _sources() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted([*(ROOT / "content").rglob("*.py"), ROOT / "app.py"]):
        yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(), str(path))


def _values(name: str, node: ast.expr, scope: ast.AST | None) -> set[str]:
    """The strings an expression written as an action or a kind can be."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _values(name, node.body, scope) | _values(name, node.orelse, scope)
    if isinstance(node, ast.Name) and scope is not None:
        assigned = [
            statement.value
            for statement in ast.walk(scope)
            if isinstance(statement, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == node.id for t in statement.targets)
        ]
        if assigned:
            return set().union(*(_values(name, value, scope) for value in assigned))
    key = (name, ast.unparse(node))
    assert key in COMPUTED, f"{key}: cannot tell what this writes; name its values in COMPUTED"
    return COMPUTED[key]


def written() -> tuple[set[str], set[str]]:
    """Every action and kind of object the code can write in the audit log."""
    actions: set[str] = set()
    kinds: set[str] = set()
    for name, tree in _sources():
        scopes = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            scope = next((s for s in scopes if node in ast.walk(s)), None)
            called = ast.unparse(node.func)
            in_audit = name == "content/audit.py"
            if called == "audit.record" or (in_audit and called == "record"):
                actions |= _values(name, node.args[2], scope)
                kinds |= _values(name, node.args[3], scope)
            elif called == "audit.save_row" or (in_audit and called == "save_row"):
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        actions |= _values(name, keyword.value, scope)
            elif called == "audit.Kind":
                kinds |= _values(name, node.args[1], scope)
    return actions, kinds


def test_every_action_and_kind_the_code_writes_has_words() -> None:
    actions, kinds = written()
    # the scan sees the code: these are written today
    assert {"create", "restore", "pin", "unpin", "move", "state:trashed", "reset-mail"} <= actions
    assert {"custom_module", "poll", "user", "image", "site"} <= kinds
    assert actions - AUDIT_WORDS.actions.keys() == set()
    assert kinds - AUDIT_WORDS.kinds.keys() == set()


def test_the_scan_would_notice_an_action_it_cannot_read() -> None:
    tree = ast.parse(
        "async def f(conn, user, what):\n    await audit.record(conn, user, what, 'x', 1)"
    )
    call = next(node for node in ast.walk(tree) if isinstance(node, ast.Call))
    try:
        _values("content/new.py", call.args[2], tree)
    except AssertionError as refused:
        assert "COMPUTED" in str(refused)
    else:
        raise AssertionError("an unreadable action went through")


def _rows(page: bytes) -> list[tuple[str, str, str]]:
    return [
        (
            row.select_one(".audit-who").get_text(strip=True),
            row.select_one(".audit-action").get_text(strip=True),
            row.select_one(".audit-object").get_text(strip=True),
        )
        for row in soup(page).select("tbody tr")
        if row.select_one(".audit-who")
    ]


async def test_the_log_speaks_the_readers_language_and_names_who_truthfully(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    admin = await accounts.get_user_by_email(db, "admin@balittri.example")
    editor = await accounts.get_user_by_email(db, "redaksi@balittri.example")
    assert admin is not None and editor is not None
    # a visitor asks for a link by mail (as the forgot-password task does), then uses it
    token = await sessions.new_reset(db, editor, 30, by=None)
    assert await sessions.use_reset(db, token, "kata-sandi-baru-yang-panjang") is not None
    # an admin makes an account on the accounts page, and a link for it
    made = await accounts.create_user(
        db, "baru@balittri.example", "Baru", "editor", "x" * 20, by=admin
    )
    await sessions.new_reset(db, made, 30, by=admin)
    # an entry an older version wrote, which this one has no words for
    async with db.transaction() as conn:
        await audit.record(conn, None, "frobnicate", "widget", 3)

    await auth.login("admin")
    page = await (await client.get("/redaksi/audit")).get_data()
    newest = _rows(page)[:6]
    assert newest == [
        ("Baris perintah", "frobnicate", "widget #3"),
        ("admin@balittri.example", "Tautan atur ulang dibuat", f"Akun #{made.id}"),
        ("admin@balittri.example", "Dibuat", f"Akun #{made.id}"),
        (
            "redaksi@balittri.example (akun itu sendiri)",
            "Kata sandi diatur lewat tautan atur ulang",
            f"Akun #{editor.id}",
        ),
        ("Seorang pengunjung", "Tautan atur ulang diminta lewat surel", f"Akun #{editor.id}"),
        ("Baris perintah", "Konten demo dimuat", "Situs"),
    ]

    await client.get("/bahasa/en?next=/")
    english = _rows(await (await client.get("/redaksi/audit")).get_data())[:6]
    assert [row[:2] for row in english] == [
        ("Command line", "frobnicate"),
        ("admin@balittri.example", "Reset link made"),
        ("admin@balittri.example", "Created"),
        ("redaksi@balittri.example (the account itself)", "Password set through a reset link"),
        ("A visitor", "Reset link asked for by mail"),
        ("Command line", "Demo content loaded"),
    ]
    assert english[1][2] == f"Account #{made.id}"
