"""The institute's social media accounts: the networks, the editors' form, and storage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from content import audit
from content.accounts import User
from content.db import Database
from content.events import MediaChanged
from content.i18n import N_
from content.media.fields import MAX_URL, parse_ordering


@dataclass(frozen=True)
class Network:
    """A social network: its name, and the hosts an account's address may be on."""

    key: str
    name: str
    domains: tuple[str, ...]


NETWORKS: dict[str, Network] = {
    network.key: network
    for network in (
        Network("instagram", "Instagram", ("instagram.com",)),
        Network("facebook", "Facebook", ("facebook.com", "fb.com")),
        Network("youtube", "YouTube", ("youtube.com", "youtu.be")),
        Network("x", "X (Twitter)", ("x.com", "twitter.com")),
        Network("tiktok", "TikTok", ("tiktok.com",)),
        Network("linkedin", "LinkedIn", ("linkedin.com",)),
        Network("website", N_("Website"), ()),
    )
}


@dataclass(frozen=True)
class SocialAccount:
    """One of the institute's accounts."""

    id: int
    name: str
    network: str
    url: str
    ordering: int
    published: bool

    @property
    def network_name(self) -> str:
        return NETWORKS[self.network].name if self.network in NETWORKS else self.network

    @property
    def icon(self) -> str:
        """The icon's static file."""
        key = self.network if self.network in NETWORKS else "website"
        return f"img/social/{key}.svg"


@dataclass(frozen=True)
class SocialDraft:
    """What an editor submits for an account, parsed."""

    name: str = ""
    network: str = "instagram"
    url: str = ""
    ordering: int = 0
    published: bool = True


def _on_domain(host: str, domains: tuple[str, ...]) -> bool:
    """Whether a host is one of the domains or under one (any host when there are none)."""
    return not domains or any(host == d or host.endswith("." + d) for d in domains)


def parse_social_form(form: Mapping[str, str]) -> tuple[SocialDraft, dict[str, str]]:
    """An account draft and the fields to fix; the address must be on the chosen network."""
    errors: dict[str, str] = {}
    name = " ".join(form.get("name", "").split())
    if not name:
        errors["name"] = N_("Give the account's name, e.g. @balittri.")
    elif len(name) > 120:
        errors["name"] = N_("The name is too long.")
    network = form.get("network", "")
    if network not in NETWORKS:
        errors["network"] = N_("Choose a network from the list.")
    url = form.get("url", "").strip()
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme != "https" or not host or len(url) > MAX_URL:
        errors["url"] = N_("Give the account's address, starting with https://.")
    elif network in NETWORKS and not _on_domain(host, NETWORKS[network].domains):
        errors["url"] = N_("This address is not on %(network)s.")
    draft = SocialDraft(
        name=name,
        network=network if network in NETWORKS else "website",
        url=url,
        ordering=parse_ordering(form.get("ordering", ""), errors),
        published=form.get("published") == "1",
    )
    return draft, errors


async def list_social(db: Database, *, published_only: bool = True) -> list[SocialAccount]:
    """Accounts in their order."""
    where = "WHERE published = 1" if published_only else ""
    rows = await db.fetchall(
        "SELECT id, name, network, url, ordering, published FROM social_accounts "
        f"{where} ORDER BY ordering, id"
    )
    return [SocialAccount(**{**dict(r), "published": bool(r["published"])}) for r in rows]


async def get_social(db: Database, account_id: int) -> SocialAccount | None:
    """One account."""
    row = await db.fetchone(
        "SELECT id, name, network, url, ordering, published FROM social_accounts WHERE id = ?",
        (account_id,),
    )
    return None if row is None else SocialAccount(**{**dict(row), "published": bool(row[5])})


SOCIAL_ACCOUNTS = audit.Kind("social_accounts", "social_account", label="name")
AUDIT_WORDS = audit.Words(kinds={"social_account": N_("Social media account")})


async def save_social(
    db: Database, draft: SocialDraft, user: User | None, account_id: int | None = None
) -> int:
    """Create or update an account (and an audit entry); its id."""
    values = {
        "name": draft.name,
        "network": draft.network,
        "url": draft.url,
        "ordering": draft.ordering,
        "published": int(draft.published),
    }
    async with db.transaction() as conn:
        account_id = await audit.save_row(conn, user, SOCIAL_ACCOUNTS, account_id, values)
        db.announce(MediaChanged("social_account", account_id))
    return account_id
