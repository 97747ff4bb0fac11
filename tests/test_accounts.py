"""The admins' account pages: roles, access, re-entering the password, and reset links."""

from __future__ import annotations

from typing import Any

import argon2
from quart import Quart
from quart.testing import QuartClient

from content.db import Database
from tests.conftest import PORTAL_HASHER, Auth, csrf_from, soup

EDITOR = "redaksi@balittri.example"


def test_passwords_are_hashed_at_the_recommended_cost() -> None:
    """The portal hashes with argon2id at RFC 9106's low-memory parameters (the tests hash more
    cheaply: see conftest)."""
    recommended = argon2.profiles.RFC_9106_LOW_MEMORY
    hashed = PORTAL_HASHER.hash("panjang sekali sandinya")
    assert hashed.startswith(
        f"$argon2id$v=19$m={recommended.memory_cost},t={recommended.time_cost},"
        f"p={recommended.parallelism}$"
    )
    assert PORTAL_HASHER.verify(hashed, "panjang sekali sandinya")


async def _id(db: Database, email: str) -> int:
    return int(await db.fetchval("SELECT id FROM users WHERE email = ?", (email,)))


async def _post(client: QuartClient, path: str, **form: str) -> Any:
    token = await csrf_from(client, "/redaksi/sandi")
    return await client.post(path, form={"csrf_token": token, **form})


async def _editor_client(app: Quart, auth: Auth) -> QuartClient:
    other = app.test_client()
    await Auth(other, auth.passwords).login("editor")
    assert (await other.get("/redaksi/")).status_code == 200
    return other


async def test_only_admins_reach_the_account_pages(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    admin_id = await _id(db, "admin@balittri.example")
    for role in ("moderator", "editor"):
        await auth.login(role)
        assert (await client.get("/redaksi/akun")).status_code == 403
        # a moderator cannot demote or switch off an admin
        response = await _post(client, f"/redaksi/akun/{admin_id}", role="moderator")
        assert response.status_code == 403
        await auth.logout()
    assert await db.fetchval("SELECT role FROM users WHERE id = ?", (admin_id,)) == "admin"
    await auth.login("admin")
    page = soup(await (await client.get("/redaksi/akun")).get_data())
    assert EDITOR in page.select_one("table").get_text()


async def test_role_change_needs_a_recent_password_and_ends_the_accounts_sessions(
    app: Quart, client: QuartClient, auth: Auth, db: Database
) -> None:
    editor_id = await _id(db, EDITOR)
    editor = await _editor_client(app, auth)
    await auth.login("admin")
    await db.conn.execute("UPDATE staff_sessions SET confirmed = '2000-01-01 00:00:00'")
    await db.conn.commit()
    response = await _post(client, f"/redaksi/akun/{editor_id}", role="moderator", active="1")
    assert response.status_code == 302 and "/konfirmasi-sandi" in response.headers["Location"]
    assert await db.fetchval("SELECT role FROM users WHERE id = ?", (editor_id,)) == "editor"
    confirm = response.headers["Location"]
    token = await csrf_from(client, confirm)
    wrong = await client.post(confirm, form={"csrf_token": token, "password": "bukan-ini-12"})
    assert wrong.status_code == 401
    assert "tidak benar" in soup(await wrong.get_data()).select_one(".notice-error").get_text()
    right = await client.post(
        confirm, form={"csrf_token": token, "password": auth.passwords["admin"]}
    )
    assert right.status_code == 303 and right.headers["Location"].endswith("/redaksi/akun")
    response = await _post(client, f"/redaksi/akun/{editor_id}", role="moderator", active="1")
    assert response.status_code == 303
    assert await db.fetchval("SELECT role FROM users WHERE id = ?", (editor_id,)) == "moderator"
    assert (
        await db.fetchval("SELECT count(*) FROM staff_sessions WHERE user_id = ?", (editor_id,))
        == 0
    )
    assert (await editor.get("/redaksi/")).status_code == 302  # logged out everywhere
    # switched off: the account cannot log in at all
    response = await _post(client, f"/redaksi/akun/{editor_id}", role="editor")
    assert response.status_code == 303
    assert (await Auth(app.test_client(), auth.passwords).login("editor")).status_code == 401


async def test_the_last_admin_cannot_be_demoted_or_switched_off(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    admin_id = await _id(db, "admin@balittri.example")
    await auth.login("admin")
    for form in ({"role": "editor", "active": "1"}, {"role": "admin"}):
        response = await _post(client, f"/redaksi/akun/{admin_id}", **form)
        assert response.status_code == 303
        page = soup(await (await client.get("/redaksi/akun")).get_data())
        assert "setidaknya satu administrator" in page.select_one(".notice-error").get_text()
    row = await db.fetchone("SELECT role, active FROM users WHERE id = ?", (admin_id,))
    assert (row["role"], row["active"]) == ("admin", 1)
    # with a second admin, the first may step down
    editor_id = await _id(db, EDITOR)
    assert (
        await _post(client, f"/redaksi/akun/{editor_id}", role="admin", active="1")
    ).status_code == 303
    await auth.login("admin")  # the change ended no session of ours, but log in afresh anyway
    response = await _post(client, f"/redaksi/akun/{admin_id}", role="editor", active="1")
    assert response.status_code == 303
    assert await db.fetchval("SELECT role FROM users WHERE id = ?", (admin_id,)) == "editor"


async def test_reset_link_works_once_and_ends_old_sessions(
    app: Quart, client: QuartClient, auth: Auth, db: Database
) -> None:
    editor_id = await _id(db, EDITOR)
    editor = await _editor_client(app, auth)
    await auth.login("admin")
    response = await _post(client, f"/redaksi/akun/{editor_id}/tautan-sandi")
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    link = soup(await response.get_data()).select_one("#reset-link")["value"]
    path = link.split("localhost", 1)[1]
    stranger = app.test_client()
    page = await stranger.get(path)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    token = soup(await page.get_data()).select_one("input[name=csrf_token]")["value"]
    short = await stranger.post(
        path, form={"csrf_token": token, "new_password": "pendek", "repeat_password": "pendek"}
    )
    assert short.status_code == 422
    assert "10" in soup(await short.get_data()).select_one(".notice-error").get_text()
    new = "sandi-baru-yang-panjang"
    done = await stranger.post(
        path, form={"csrf_token": token, "new_password": new, "repeat_password": new}
    )
    assert done.status_code == 303 and done.headers["Location"].endswith("/masuk")
    assert (await editor.get("/redaksi/")).status_code == 302  # the old session ended
    again = await stranger.post(
        path,
        form={
            "csrf_token": token,
            "new_password": "lain-lagi-123",
            "repeat_password": "lain-lagi-123",
        },
    )
    assert again.status_code == 410
    assert (await Auth(app.test_client(), auth.passwords).login("editor", new)).status_code == 302
    # an unused link stops working when it expires
    response = await _post(client, f"/redaksi/akun/{editor_id}/tautan-sandi")
    path = (
        soup(await response.get_data()).select_one("#reset-link")["value"].split("localhost", 1)[1]
    )
    await db.conn.execute("UPDATE password_resets SET expires = '2000-01-01 00:00:00'")
    await db.conn.commit()
    assert (await stranger.get(path)).status_code == 410


async def test_new_account_gets_a_reset_link(client: QuartClient, auth: Auth, db: Database) -> None:
    await auth.login("admin")
    token = await csrf_from(client, "/redaksi/akun/baru")
    form = {"csrf_token": token, "email": "baru@balittri.example", "name": "Baru", "role": "editor"}
    response = await client.post("/redaksi/akun/baru", form=form)
    assert response.status_code == 201
    assert (
        soup(await response.get_data()).select_one("#reset-link")["value"].count("/sandi-baru/")
        == 1
    )
    assert (
        await db.fetchval("SELECT role FROM users WHERE email = 'baru@balittri.example'")
        == "editor"
    )
    again = await client.post("/redaksi/akun/baru", form=form)
    assert again.status_code == 422
    assert "sudah ada" in soup(await again.get_data()).select_one(".notice-error").get_text()


async def test_own_password_change_keeps_this_browser_and_ends_the_others(
    app: Quart, client: QuartClient, auth: Auth
) -> None:
    elsewhere = await _editor_client(app, auth)
    await auth.login("editor")
    response = await _post(
        client,
        "/redaksi/sandi",
        current_password="salah-sekali",
        new_password="sandi-baru-123",
        repeat_password="sandi-baru-123",
    )
    assert response.status_code == 422
    assert "saat ini" in soup(await response.get_data()).select_one(".notice-error").get_text()
    response = await _post(
        client,
        "/redaksi/sandi",
        current_password=auth.passwords["editor"],
        new_password="sandi-baru-123",
        repeat_password="sandi-baru-123",
    )
    assert response.status_code == 303
    assert (await client.get("/redaksi/")).status_code == 200
    assert (await elsewhere.get("/redaksi/")).status_code == 302
