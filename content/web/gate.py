"""The ASGI layer in front of everything: who the client really is, and requests refused outright.

Hypercorn hands over requests that carry both Content-Length and Transfer-Encoding (a request
smuggling pattern when a proxy in front reads them differently); the gate answers them with 400
and closes the connection before the app sees them.

The client's address and scheme come from the TCP peer, unless the peer is a configured trusted
proxy: then from its X-Forwarded-For and X-Forwarded-Proto. Forwarding headers from anyone else are
removed, so nothing further in (Quart, Socket.IO's environ) can be misled by them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED = (b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host", b"forwarded")
AMBIGUOUS_LENGTH = b"Bad request: ambiguous message length.\n"
HEADERS_TOO_LARGE = b"Request headers too large.\n"


class ProxySettingError(ValueError):
    """A TRUSTED_PROXIES entry is not an address or a network."""


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or networks (CIDR) from the TRUSTED_PROXIES setting."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ProxySettingError(
                f"PORTAL_TRUSTED_PROXIES: {entry!r} is not an IP address or network."
            ) from None
    return tuple(networks)


def _trusted(host: str, networks: tuple[Network, ...]) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in networks)


def forwarded_client(peer: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """The client behind trusted proxies: the rightmost X-Forwarded-For entry not a proxy itself."""
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer  # garbage in the header: believe only the peer we can see
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else peer


def ambiguous_length(headers: list[tuple[bytes, bytes]]) -> bool:
    """Both Content-Length and Transfer-Encoding, or Content-Lengths that disagree."""
    lengths = {value.strip() for name, value in headers if name.lower() == b"content-length"}
    chunked = any(name.lower() == b"transfer-encoding" for name, _ in headers)
    return len(lengths) > 1 or (bool(lengths) and chunked)


class Gate:
    """ASGI middleware: refuse ambiguous requests; set the real client address and scheme."""

    def __init__(
        self, app: Any, trusted_proxies: Iterable[str] = (), max_header_bytes: int = 16 * 1024
    ) -> None:
        self.app = app
        self.networks = parse_networks(trusted_proxies)
        self.max_header_bytes = max_header_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = list(scope.get("headers", ()))
        if sum(len(name) + len(value) + 4 for name, value in headers) > self.max_header_bytes:
            # Hypercorn limits only headers that arrive in pieces; this covers all of them.
            await _refuse(send, 431, HEADERS_TOO_LARGE)
            return
        if scope["type"] == "http" and ambiguous_length(headers):
            await _refuse(send, 400, AMBIGUOUS_LENGTH)
            return
        client = scope.get("client")
        peer = client[0] if client else ""
        forwarded = [(n, v) for n, v in headers if n.lower() in FORWARDED]
        if not forwarded:
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        if peer and self.networks and _trusted(peer, self.networks):
            found = {name.lower(): value.decode("latin-1") for name, value in forwarded}
            real = forwarded_client(peer, found.get(b"x-forwarded-for", ""), self.networks)
            scope["client"] = (real, 0)
            proto = found.get(b"x-forwarded-proto", "").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                secure = proto == "https"
                if scope["type"] == "websocket":
                    scope["scheme"] = "wss" if secure else "ws"
                else:
                    scope["scheme"] = proto
        scope["headers"] = [(n, v) for n, v in headers if n.lower() not in FORWARDED]
        await self.app(scope, receive, send)


async def _refuse(send: Any, status: int, text: bytes) -> None:
    """Answer before the app, and close the connection (whatever follows cannot be trusted)."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(text)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": text})
