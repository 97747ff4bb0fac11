"""Password reset by mail ("forgot password"): the form's limits, and the link sent afterwards.

The answer to the form never depends on whether the address belongs to an account. Before the
answer only what the visitor typed is looked at: its form, and the hourly limits on the typed
address and on the visitor's network. Everything that depends on the account (the lookup, the new
link, the SMTP conversation) runs after the answer, in a task the app awaits when it stops
(Quart's `add_background_task`), so a request that was acknowledged is not lost to a restart.

A mail goes only to an active account with a password of its own. A switched-off account is
switched back on by an administrator, not by its mailbox; an imported account that never had a
password here gets its first one through an administrator's link.

The link is built on PORTAL_SITE_URL only. Built on the request's Host header, a forged Host would
send the account's owner a working link to someone else's server; so without SITE_URL the portal
sends no reset mail and the form says to ask an administrator.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from babel.support import NullTranslations

from content import accounts, sessions
from content.accounts import User
from content.clock import Clock
from content.db import Database, unless_unavailable
from content.i18n import N_
from content.web.mail import MailNotSent, MailSettings, RateLimiter, send

logger = logging.getLogger(__name__)

IPV4_NETWORK = 24  # an office, a campus, a home router's neighbours
IPV6_NETWORK = 64  # one site's network; a single host is often given a whole /64

ADDRESS_LIMITED = N_(
    "Links for this address have been asked for several times in the last hour. Look for them "
    "in the mailbox (and its spam folder), or try again in an hour."
)
NETWORK_LIMITED = N_(
    "Many links have been asked for from your network in the last hour. Please try again in an "
    "hour, or ask an administrator."
)


def available(config: Mapping[str, Any]) -> bool:
    """Whether the portal mails reset links: SMTP is set up and so is the site's address."""
    return MailSettings.from_config(config).enabled and bool(config["SITE_URL"])


def network_of(address: str) -> str:
    """The network a client address belongs to for the limits: its IPv4 /24 or IPv6 /64 (an
    IPv4 address written as IPv6 counts as IPv4); anything else as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = IPV4_NETWORK if ip.version == 4 else IPV6_NETWORK
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


@dataclass(frozen=True)
class ResetLimits:
    """Requests per hour: for one typed address, and from one network."""

    per_address: int
    per_network: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ResetLimits:
        return cls(
            per_address=config["RESET_MAIL_PER_ADDRESS_PER_HOUR"],
            per_network=config["RESET_MAIL_PER_NETWORK_PER_HOUR"],
        )


def _keys(email: str, network: str) -> tuple[str, str]:
    return f"address:{email.strip().lower()}", f"network:{network}"


def limit_problem(
    limiter: RateLimiter, limits: ResetLimits, email: str, network: str
) -> str | None:
    """Why one more request for `email` from `network` is refused now (a msgid), or None. The
    counts are of requests, not of mails, so the answer is the same whether an account exists."""
    address_key, network_key = _keys(email, network)
    if not limiter.allowed(network_key, limits.per_network):
        return NETWORK_LIMITED
    if not limiter.allowed(address_key, limits.per_address):
        return ADDRESS_LIMITED
    return None


def record_request(limiter: RateLimiter, email: str, network: str) -> None:
    """Count an accepted request against both limits."""
    limiter.record(*_keys(email, network))


@dataclass(frozen=True)
class ResetRequest:
    """An accepted request, with what the mail needs from the request that made it."""

    email: str  # as typed
    language: str  # the visitor's: the mail is written in it
    link_prefix: str  # SITE_URL and the reset page's path up to the token
    site_name: str
    site_url: str
    minutes: int  # how long the link works (RESET_TOKEN_MINUTES)


def compose(
    settings: MailSettings,
    request: ResetRequest,
    translations: NullTranslations,
    user: User,
    token: str,
) -> EmailMessage:
    """The plain-text message with the link, in the request's language."""

    def say(message: str, **variables: object) -> str:
        return translations.gettext(message) % variables

    lasts = translations.ngettext(
        "The link works once, within %(num)d minute.",
        "The link works once, within %(num)d minutes.",
        request.minutes,
    ) % {"num": request.minutes}
    body = "\n".join(
        [
            say(N_("Hello %(name)s,"), name=user.name),
            "",
            say(
                N_(
                    "someone asked for a new password for the staff account %(email)s on "
                    "%(site)s. If it was you, open this link and choose a new password:"
                ),
                email=user.email,
                site=request.site_name,
            ),
            "",
            request.link_prefix + token,
            "",
            lasts,
            "",
            say(
                N_(
                    "If you did not ask for it, ignore this message: your password stays as it "
                    "is, and the link is of no use to anyone without this message."
                )
            ),
            "",
            "-- ",
            request.site_name,
            request.site_url,
        ]
    )
    message = EmailMessage()
    message["From"] = Address(display_name=request.site_name, addr_spec=settings.mail_from)
    message["To"] = Address(addr_spec=user.email)
    message["Subject"] = say(N_("A new password for %(site)s"), site=request.site_name)
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


async def deliver(
    db: Database,
    clock: Clock,
    settings: MailSettings,
    catalogs: Mapping[str, NullTranslations],
    request: ResetRequest,
) -> bool:
    """Look the address up and, for an active account with a password, make a new link (older
    unused ones stop working) and mail it; whether a mail went out. Runs after the answer."""
    sent = False
    with unless_unavailable(logger, "A password reset link"):
        sent = await _deliver(db, clock, settings, catalogs, request)
    return sent


async def _deliver(
    db: Database,
    clock: Clock,
    settings: MailSettings,
    catalogs: Mapping[str, NullTranslations],
    request: ResetRequest,
) -> bool:
    user = await accounts.get_user_by_email(db, request.email)
    if user is None:
        return False
    if not user.active or not accounts.has_password(user):
        logger.info("No reset link mailed to account %d: switched off or no password", user.id)
        return False
    token = await sessions.new_reset(db, user, request.minutes, by=None, clock=clock)
    translations = catalogs.get(request.language) or NullTranslations()
    message = compose(settings, request, translations, user, token)
    try:
        await send(settings, message)
    except MailNotSent:
        logger.warning("The reset link for account %d was not mailed", user.id)
        return False
    logger.info("A reset link was mailed to account %d", user.id)
    return True
