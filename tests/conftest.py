"""Fixtures: an app on a temporary database built by the real migrations, clients, logins."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from quart import Quart
from quart.testing import QuartClient

from app import create_app
from content import demo
from content.db import Database


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's PORTAL_* settings."""
    import os

    for key in list(os.environ):
        if key.startswith("PORTAL_"):
            monkeypatch.delenv(key)


@dataclass(frozen=True)
class DemoDatabase:
    path: Path
    passwords: dict[str, str]  # role -> password


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> DemoDatabase:
    """The demo portal built once per run through the real migrations and seed-demo."""
    import asyncio

    path = tmp_path_factory.mktemp("demo") / "demo.db"

    async def build() -> list[tuple[str, str, str]] | None:
        async with Database(path) as db:
            await db.migrate()
            return await demo.seed_demo(db, "Asia/Jakarta")

    created = asyncio.run(build())
    assert created is not None
    return DemoDatabase(path, {role: password for _, role, password in created})


def make_app(tmp_path: Path, **overrides: Any) -> Quart:
    """An app with its instance folder and database under tmp_path."""
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE": str(tmp_path / "portal.db"),
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def empty_app(tmp_path: Path) -> Quart:
    """An app on an empty database (migrations applied at start)."""
    return make_app(tmp_path)


@pytest.fixture
def app(tmp_path: Path, demo_database: DemoDatabase) -> Quart:
    """An app on a private copy of the demo database."""
    target = tmp_path / "portal.db"
    shutil.copy(demo_database.path, target)
    return make_app(tmp_path, DATABASE=str(target))


@pytest.fixture
async def client(app: Quart) -> AsyncIterator[QuartClient]:
    """A test client of the started app (before_serving and after_serving run)."""
    async with app.test_app() as test_app:
        yield test_app.test_client()  # type: ignore[misc]


@pytest.fixture
async def db(app: Quart, client: QuartClient) -> Database:
    """The started app's database."""
    database: Database = app.extensions["database"]
    return database


def soup(html: str | bytes) -> BeautifulSoup:
    """Parse a page so tests can use CSS selectors."""
    return BeautifulSoup(html, "html.parser")


async def csrf_from(client: QuartClient, path: str) -> str:
    """The CSRF token of the form on a page."""
    response = await client.get(path)
    token = soup(await response.get_data()).select_one("input[name=csrf_token]")
    assert token is not None, f"no form with a CSRF token on {path}"
    return str(token["value"])


class Auth:
    """Log in and out through the real forms."""

    def __init__(self, client: QuartClient, passwords: dict[str, str]) -> None:
        self.client = client
        self.passwords = passwords

    async def login(self, role: str = "editor", password: str | None = None) -> Any:
        email = {
            "admin": "admin@balittri.example",
            "editor": "redaksi@balittri.example",
            "moderator": "moderator@balittri.example",
        }[role]
        token = await csrf_from(self.client, "/masuk")
        return await self.client.post(
            "/masuk",
            form={
                "email": email,
                "password": password or self.passwords[role],
                "csrf_token": token,
            },
        )

    async def logout(self) -> Any:
        token = await csrf_from(self.client, "/")
        return await self.client.post("/keluar", form={"csrf_token": token})


@pytest.fixture
def auth(client: QuartClient, demo_database: DemoDatabase) -> Auth:
    """Log in as a demo account."""
    return Auth(client, demo_database.passwords)


@pytest.fixture(scope="session")
def artifacts() -> Iterator[Path]:
    """Where tests save screenshots and other files to look at."""
    folder = Path(__file__).resolve().parent.parent / "test-artifacts"
    folder.mkdir(exist_ok=True)
    yield folder
