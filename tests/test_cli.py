"""The command line: init-db, seed-demo, create-user, set-password; and the set-up checks."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

from quart import Quart

from content import accounts
from content.db import Database, migration_files
from tests.conftest import make_app

ROOT = Path(__file__).resolve().parent.parent


def invoke(app: Quart, *args: str, input: str | None = None) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=list(args), input=input)
    return result.exit_code, result.output


async def count(path: str, sql: str) -> int:
    async with Database(path) as db:
        return int(await db.fetchval(sql))


def test_init_db_then_seed_demo_once(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    code, output = invoke(app, "init-db")
    migrations = len(migration_files())
    assert code == 0 and f"({migrations} migrations)" in output
    code, output = invoke(app, "seed-demo")
    assert code == 0
    lines = [line.split() for line in output.splitlines() if "@balittri.example" in line]
    assert {line[0] for line in lines} == {"admin", "editor", "moderator"}
    assert all(len(line[2]) >= 12 for line in lines)  # the generated passwords, shown once
    articles = asyncio.run(count(app.config["DATABASE"], "SELECT count(*) FROM articles"))
    assert articles >= 30
    code, output = invoke(app, "seed-demo")
    assert code == 0 and "already has content" in output
    assert "@balittri.example" not in output
    assert asyncio.run(count(app.config["DATABASE"], "SELECT count(*) FROM articles")) == articles


def test_create_user_and_set_password(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    code, output = invoke(
        app,
        "create-user",
        "kepala@balittri.example",
        "--role",
        "admin",
        input="rahasia-panjang-1\n",
    )
    assert code == 0, output

    async def check(password: str) -> bool:
        async with Database(app.config["DATABASE"]) as db:
            result = await accounts.authenticate(db, "kepala@balittri.example", password, "cli")
            return result.user is not None and result.user.role == "admin"

    assert asyncio.run(check("rahasia-panjang-1"))
    code, output = invoke(app, "set-password", "kepala@balittri.example", input="rahasia-baru-22\n")
    assert code == 0, output
    assert asyncio.run(check("rahasia-baru-22"))
    assert not asyncio.run(check("rahasia-panjang-1"))


def test_cli_errors_are_sentences(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    code, output = invoke(app, "create-user", "a@b.example", "--role", "editor", input="short\n")
    assert code != 0 and "at least 10 characters" in output
    code, output = invoke(
        app, "create-user", "a@b.example", "--role", "boss", input="x" * 12 + "\n"
    )
    assert code != 0 and "boss" in output
    code, output = invoke(app, "set-password", "nobody@b.example", input="x" * 12 + "\n")
    assert code != 0 and "no account" in output


def test_missing_prerequisites_are_named_in_one_sentence(tmp_path: Path) -> None:
    result = subprocess.run(
        ["/bin/sh", str(ROOT / "tools" / "check-prerequisites")],
        env={"PATH": str(tmp_path)},  # nothing installed here
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith("Missing prerequisite: Python 3.11") for line in lines)
    assert any(line.startswith("Missing prerequisite: Node.js 20") for line in lines)
    assert all("install" in line for line in lines)
    assert "Traceback" not in result.stderr
