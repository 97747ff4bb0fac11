"""Accounts, login, logout, CSRF, and slowing down password guessing."""

from __future__ import annotations

from quart.testing import QuartClient

from content import accounts
from content.db import Database
from tests.conftest import Auth, csrf_from, soup


async def test_passwords_are_argon2id(db: Database) -> None:
    hashes = [r[0] for r in await db.fetchall("SELECT password_hash FROM users")]
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)


async def test_login_sets_hardened_session_cookie_and_logout_ends_it(
    client: QuartClient, auth: Auth
) -> None:
    response = await auth.login("editor")
    assert response.status_code == 302 and response.headers["Location"].endswith("/redaksi/")
    cookie = response.headers["Set-Cookie"]
    assert "serambi_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in tests
    assert (await client.get("/redaksi/")).status_code == 200
    await auth.logout()
    response = await client.get("/redaksi/")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


async def test_session_cookie_is_secure_over_https(client: QuartClient, auth: Auth) -> None:
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
    assert "Secure" in response.headers["Set-Cookie"]


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
    client: QuartClient, auth: Auth
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
