"""Request rate limits per real client address, configurable, in the visitor's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from content.web.limits import BoundedStore
from tests.conftest import csrf_from, make_app, soup


async def test_login_posts_are_limited_per_address_with_a_clear_page(tmp_path: Path) -> None:
    app = make_app(tmp_path, LOGIN_PER_MINUTE=3)
    async with app.test_app():
        client = app.test_client()
        token = await csrf_from(client, "/masuk")
        form = {"email": "a@balittri.example", "password": "salah-sekali", "csrf_token": token}
        codes = [(await client.post("/masuk", form=form)).status_code for _ in range(3)]
        assert codes == [401, 401, 401]
        response = await client.post("/masuk", form=form)
        assert response.status_code == 429
        assert 1 <= int(response.headers["Retry-After"]) <= 60
        page = soup(await response.get_data())
        assert page.select_one("h1").get_text(strip=True) == "Terlalu banyak permintaan"
        assert (await client.get("/masuk")).status_code == 200  # reading the form is not limited


async def test_limits_of_one_app_do_not_pile_onto_another(tmp_path: Path) -> None:
    first = make_app(tmp_path / "a", SEARCH_PER_MINUTE=5)
    second = make_app(tmp_path / "b", SEARCH_PER_MINUTE=0)
    assert len(first.view_functions["tools.search"]._quart_rate_limiter_limits) == 1
    assert not hasattr(second.view_functions["tools.search"], "_quart_rate_limiter_limits")


async def test_store_forgets_what_no_longer_limits_and_stays_bounded() -> None:
    store = BoundedStore(cap=3)
    now = datetime.now(UTC)
    await store.set("old", now - timedelta(seconds=1))
    assert await store.get("old", now) == now  # a past TAT limits nothing
    for index in range(10):
        await store.set(f"k{index}", now + timedelta(minutes=1))
    assert len(store) == 3 and await store.get("k9", now) > now
    assert await store.get("k0", now) == now


async def _search_codes(url: str, forwarded: list[str]) -> list[int]:
    codes = []
    async with aiohttp.ClientSession() as session:
        for value in forwarded:
            headers = {"X-Forwarded-For": value, "User-Agent": "Mozilla/5.0 (X11) Firefox/128.0"}
            async with session.get(f"{url}/cari?q=kopi", headers=headers) as response:
                codes.append(response.status)
    return codes


async def test_a_forged_forwarded_header_gives_no_fresh_allowance(server_with: Any) -> None:
    server = server_with(SEARCH_PER_MINUTE="4")
    forged = [f"203.0.113.{n}" for n in range(1, 7)]
    codes = await _search_codes(server.url, forged)
    assert codes[:4] == [200] * 4 and codes[4:] == [429, 429]


async def test_behind_a_trusted_proxy_each_client_has_its_own_allowance(server_with: Any) -> None:
    server = server_with(SEARCH_PER_MINUTE="4", TRUSTED_PROXIES="127.0.0.1")
    codes = await _search_codes(server.url, [f"203.0.113.{n}" for n in range(1, 7)])
    assert codes == [200] * 6
    # one client behind the proxy still meets its own limit (the proxy's own hop is skipped)
    same = await _search_codes(server.url, ["198.51.100.9, 127.0.0.1"] * 5)
    assert same == [200] * 4 + [429]


def _multipart(fields: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """A multipart/form-data body of text fields only (as a browser sends a form with files)."""
    boundary = "serambi-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


async def test_forms_over_the_field_limits_are_refused(tmp_path: Path) -> None:
    app = make_app(tmp_path, MAX_FORM_PARTS=10, MAX_FORM_MEMORY_SIZE=1000)
    async with app.test_app():
        client = app.test_client()
        token = await csrf_from(client, "/masuk")

        async def post(**fields: str) -> Any:
            body, headers = _multipart({"csrf_token": token, **fields})
            return await client.post("/masuk", data=body, headers=headers)

        response = await post(**{f"f{n}": "x" for n in range(20)})
        assert response.status_code == 413
        title = soup(await response.get_data()).select_one("h1").get_text(strip=True)
        assert title == "Terlalu besar"
        assert (await post(email="x" * 5000)).status_code == 413
        assert (await post(email="a@b.example", password="salah-sekali")).status_code == 401
