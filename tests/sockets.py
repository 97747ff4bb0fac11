"""Socket.IO test helpers: a visitor with cookies and tabs, each a python-socketio client."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import aiohttp
import socketio

from tests.conftest import LiveServer, soup

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
WAIT = 5.0


class Visitor:
    """A person: an HTTP session with cookies, and any number of sockets (tabs)."""

    def __init__(self, server: LiveServer, user_agent: str = BROWSER) -> None:
        self.server = server
        self.user_agent = user_agent
        # unsafe=True: keep cookies of an IP-address host such as 127.0.0.1
        self.http = aiohttp.ClientSession(
            headers={"User-Agent": user_agent}, cookie_jar=aiohttp.CookieJar(unsafe=True)
        )
        self.tabs: list[Tab] = []

    async def get(self, path: str) -> str:
        async with self.http.get(self.server.url + path) as response:
            assert response.status == 200, path
            return await response.text()

    async def login(self, email: str, password: str) -> None:
        page = soup(await self.get("/masuk"))
        token = page.select_one("input[name=csrf_token]")["value"]
        form = {"email": email, "password": password, "csrf_token": token}
        async with self.http.post(
            self.server.url + "/masuk", data=form, allow_redirects=False
        ) as response:
            assert response.status == 302

    def cookie_header(self, **extra: str) -> str:
        cookies = {c.key: c.value for c in self.http.cookie_jar}
        cookies.update(extra)
        return "; ".join(f"{k}={v}" for k, v in cookies.items())

    async def open_tab(
        self,
        path: str = "/",
        namespace: str = "/",
        auth: dict[str, Any] | None = None,
        **headers: str,
    ) -> Tab:
        tab = Tab()
        self.tabs.append(tab)  # closed with the visitor, even if the server refuses it
        await tab.connect(
            self.server.url,
            headers={"User-Agent": self.user_agent, "Cookie": self.cookie_header(), **headers},
            path=path,
            namespace=namespace,
            auth=auth,
        )
        return tab

    async def close(self) -> None:
        for tab in self.tabs:
            await tab.close()
        await self.http.close()


class Tab:
    """One socket, with every event it receives kept in order."""

    def __init__(self, **client_options: Any) -> None:
        client_options.setdefault("reconnection", False)
        # Our own HTTP session, closed by close() even when the server dropped the socket.
        self.http = aiohttp.ClientSession()
        self.client = socketio.AsyncClient(http_session=self.http, **client_options)
        self.events: list[tuple[str, Any]] = []
        self.arrived = asyncio.Event()
        self.client.on("*", self._record, namespace="*")

    async def _record(self, event: str, namespace: str, data: Any) -> None:
        self.events.append((event, data))
        self.arrived.set()

    async def connect(
        self,
        url: str,
        *,
        headers: dict[str, str],
        path: str,
        namespace: str = "/",
        auth: dict[str, Any] | None = None,
    ) -> None:
        await self.client.connect(
            url,
            headers=headers,
            auth={"path": path, **(auth or {})},
            transports=["websocket"],
            namespaces=[namespace],
            wait_timeout=WAIT,
        )

    async def close(self) -> None:
        await self.client.disconnect()
        await self.http.close()

    def last(self, event: str) -> Any:
        found = [data for name, data in self.events if name == event]
        return found[-1] if found else None

    async def wait_for(self, event: str, check: Any = lambda data: True) -> Any:
        """Wait until the newest `event` satisfies `check`; fail after WAIT seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT
        while True:
            data = self.last(event)
            if data is not None and check(data):
                return data
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"no {event} matching within {WAIT}s; last: {data!r}")
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), remaining)


def connected(n: int) -> Any:
    return lambda data: data["connected"] == n
