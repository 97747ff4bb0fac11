"""Accounts, login, logout, CSRF, and slowing down password guessing."""

from __future__ import annotations

import hashlib
from typing import Any

from quart import Quart
from quart.testing import QuartClient

from content import accounts
from content.db import Database
from tests.clock import ManualClock
from tests.conftest import Auth, csrf_from, soup


async def test_passwords_are_argon2id(db: Database) -> None:
    hashes = [r[0] for r in await db.fetchall("SELECT password_hash FROM users")]
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)


def _cookie(response: Any, name: str) -> str:
    found = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{name}=")]
    assert found, f"no {name} cookie in {response.headers.getlist('Set-Cookie')}"
    return str(found[0])


async def test_login_starts_a_server_side_session_and_logout_ends_it_everywhere(
    app: Quart, client: QuartClient, auth: Auth, db: Database
) -> None:
    response = await auth.login("editor")
    assert response.status_code == 302 and response.headers["Location"].endswith("/redaksi/")
    cookie = _cookie(response, "serambi_staf")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http in tests
    token = cookie.split(";")[0].split("=", 1)[1]
    stored = await db.fetchall("SELECT token_hash FROM staff_sessions")
    assert len(stored) == 1 and stored[0][0] == hashlib.sha256(token.encode()).hexdigest()
    assert (await client.get("/redaksi/")).status_code == 200
    # the same cookie copied to another browser works while the session lives ...
    other = app.test_client()
    other.set_cookie("localhost", "serambi_staf", token)
    assert (await other.get("/redaksi/")).status_code == 200
    await auth.logout()
    assert await db.fetchval("SELECT count(*) FROM staff_sessions") == 0
    response = await client.get("/redaksi/")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    # ... and not after logging out: the server forgot it
    response = await other.get("/redaksi/")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


async def test_session_cookie_is_host_prefixed_and_secure_over_https(
    client: QuartClient, auth: Auth
) -> None:
    token = await csrf_from(client, "/masuk")
    response = await client.post(
        "/masuk",
        form={
            "email": "redaksi@balittri.example",
            "password": auth.passwords["editor"],
            "csrf_token": token,
        },
        scheme="https",
    )
    assert response.status_code == 302
    cookie = _cookie(response, "__Host-serambi_staf")
    assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in (await client.get("/")).headers
    staff = await client.get("/redaksi/", scheme="https")
    assert staff.status_code == 200
    # the plain-named cookie is not accepted over HTTPS, nor the prefixed one over plain HTTP
    assert (await client.get("/redaksi/")).status_code == 302


async def test_csrf_token_works_only_with_its_own_cookie(app: Quart, client: QuartClient) -> None:
    token = await csrf_from(client, "/masuk")
    stranger = app.test_client()
    await stranger.get("/")  # has a visitor cookie of its own
    response = await stranger.post(
        "/masuk", form={"email": "a@balittri.example", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 400  # a replayed token from someone else
    response = await client.post(
        "/masuk", form={"email": "a@balittri.example", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 401  # the owner's token is fine


async def test_staff_token_dies_with_the_session(client: QuartClient, auth: Auth) -> None:
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/")
    await auth.logout()
    response = await client.post("/keluar", form={"csrf_token": token})
    assert response.status_code == 400


async def test_nobody_can_lock_a_staff_member_out_of_a_known_browser(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    assert (await auth.login("editor")).status_code == 302  # this browser now known
    await auth.logout()
    for _ in range(8):  # someone elsewhere fails on purpose with the editor's address
        result = await accounts.authenticate(
            db, "redaksi@balittri.example", "tebakan-salah", "198.51.100.7"
        )
    assert result.retry_after > 0
    assert (await auth.login("editor")).status_code == 302
    stranger = await accounts.authenticate(
        db, "redaksi@balittri.example", auth.passwords["editor"], "192.0.2.44"
    )
    assert stranger.user is None and stranger.retry_after > 0  # an unknown browser still waits


async def test_wrong_password_and_unknown_account_say_the_same(client: QuartClient) -> None:
    token = await csrf_from(client, "/masuk")
    messages = []
    for email in ("redaksi@balittri.example", "nobody@balittri.example"):
        response = await client.post(
            "/masuk", form={"email": email, "password": "salah-sekali!", "csrf_token": token}
        )
        assert response.status_code == 401
        page = soup(await response.get_data())
        messages.append(page.select_one(".notice-error").get_text())
        assert page.select_one("input#email")["value"] == email  # kept what was typed
    assert messages[0] == messages[1] == "Alamat surel atau kata sandi tidak benar."


async def test_repeated_failures_slow_down_account_and_address(
    client: QuartClient, auth: Auth, clock: ManualClock
) -> None:
    token = await csrf_from(client, "/masuk")
    for _ in range(5):
        response = await client.post(
            "/masuk",
            form={
                "email": "redaksi@balittri.example",
                "password": "tebakan-salah",
                "csrf_token": token,
            },
        )
        assert response.status_code == 401
    # now even the right password is refused for a while, with a clear message
    response = await auth.login("editor")
    assert response.status_code == 429
    text = soup(await response.get_data()).select_one(".notice-error").get_text()
    assert "Terlalu banyak" in text and "detik" in text
    # the same address is slowed for another account too (and for one that does not exist)
    response = await client.post(
        "/masuk", form={"email": "tidak-ada@balittri.example", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 429
    assert soup(await response.get_data()).select_one(".notice-error").get_text() == text
    # The app's clock stood still meanwhile, however slow the hashing; two seconds later the
    # first delay after the free failures is over.
    clock.advance(1)
    assert (await auth.login("editor")).status_code == 429
    clock.advance(1)
    assert (await auth.login("editor")).status_code == 302


async def test_slowdown_expires(db: Database, auth: Auth) -> None:
    await db.conn.execute(
        "INSERT INTO login_failures VALUES (?, 9, '2000-01-01 00:00:00')",
        ("account:redaksi@balittri.example",),
    )
    result = await accounts.authenticate(
        db, "redaksi@balittri.example", auth.passwords["editor"], "192.0.2.1"
    )
    assert result.user is not None and result.retry_after == 0
    remaining = await db.fetchval("SELECT count(*) FROM login_failures WHERE key LIKE 'account:%'")
    assert remaining == 0


async def test_post_without_csrf_token_is_refused(client: QuartClient, auth: Auth) -> None:
    response = await client.post(
        "/masuk", form={"email": "redaksi@balittri.example", "password": auth.passwords["editor"]}
    )
    assert response.status_code == 400
    page = soup(await response.get_data())
    assert "formulir" in page.select_one("main").get_text().lower()
    response = await client.post(
        "/masuk",
        form={
            "email": "redaksi@balittri.example",
            "password": auth.passwords["editor"],
            "csrf_token": "forged",
        },
    )
    assert response.status_code == 400


async def test_password_change_ends_old_sessions(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    assert (await client.get("/redaksi/")).status_code == 200
    await accounts.set_password(db, "redaksi@balittri.example", "kata-sandi-baru-123")
    assert (await client.get("/redaksi/")).status_code == 302


async def test_create_user_validates(db: Database) -> None:
    import pytest

    with pytest.raises(accounts.AccountError, match="10"):
        await accounts.create_user(db, "baru@balittri.example", "Baru", "editor", "pendek")
    with pytest.raises(accounts.AccountError, match="exists"):
        await accounts.create_user(
            db, "REDAKSI@balittri.example", "X", "editor", "cukup-panjang-123"
        )
    user = await accounts.create_user(
        db, "baru@balittri.example", "Baru", "moderator", "cukup-panjang-123"
    )
    assert user.role == "moderator" and not user.can_edit and user.can_moderate
