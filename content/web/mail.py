"""E-mail an article to a friend: the form's guards, the fixed message, and sending by SMTP."""

from __future__ import annotations

import logging
import re
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

import aiosmtplib
from itsdangerous import BadSignature, URLSafeSerializer
from quart import Quart, current_app

from content.i18n import N_
from content.web.state import portal

logger = logging.getLogger(__name__)

MAX_ADDRESS = 254
MAX_NAME = 80
MAX_SUBJECT = 150
MAX_INTRO = 600  # characters of the intro quoted in the message
HOUR = 3600.0

# A deliberately plain address: dot-atom local part, a domain of LDH labels with a dot in it.
# Quoted local parts, comments, IP literals and lists are refused: one ordinary address only.
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
ADDRESS = re.compile(rf"^{_LOCAL}@{_LABEL}(?:\.{_LABEL})*\.(?:[A-Za-z]{{2,63}}|xn--[A-Za-z0-9-]+)$")
# Control characters, line and paragraph separators: nothing that could end a header line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# What someone smuggling headers or extra recipients types: "bcc:", "Content-Type:", "%0a".
_HEADER_LIKE = re.compile(
    r"\b(?:b?cc|to|from|sender|reply-to|subject|content-[a-z-]+|mime-version)\s*:"
    r"|%0[ad]|\\[rn]",
    re.IGNORECASE,
)

# The only link a message carries is the article's own: none in the name or the subject.
_LINK_LIKE = re.compile(
    r"://|\bwww\.|@|\b[a-z0-9-]+\.(?:com|net|org|id|info|biz|ru|cn|xyz|top)\b", re.I
)

FIELDS = ("recipient", "sender_name", "sender_email", "subject")
FIELD_LIMITS = {"sender_name": MAX_NAME, "subject": MAX_SUBJECT}


class MailNotSent(Exception):
    """The SMTP server could not be reached or refused the message."""


@dataclass(frozen=True)
class MailForm:
    """What the visitor typed into the e-mail form."""

    recipient: str = ""
    sender_name: str = ""
    sender_email: str = ""
    subject: str = ""


def address_problem(value: str) -> str | None:
    """Why a typed e-mail address is not one plain address (a msgid), or None."""
    if not value:
        return N_("Enter an e-mail address.")
    if len(value) > MAX_ADDRESS:
        return N_("This e-mail address is too long.")
    if _CONTROL.search(value) or _HEADER_LIKE.search(value):
        return N_("Enter one e-mail address, without line breaks or headers.")
    if any(mark in value for mark in ",;<> ") or value.count("@") != 1:
        return N_("Enter exactly one e-mail address, like nama@contoh.go.id.")
    local, _, domain = value.partition("@")
    if len(local) > 64 or not ADDRESS.match(value) or len(domain) > 253:
        return N_("This is not a valid e-mail address, like nama@contoh.go.id.")
    return None


def _text_problem(value: str, limit: int) -> str | None:
    if _CONTROL.search(value):
        return N_("Keep this on one line, without special characters.")
    if _HEADER_LIKE.search(value):
        return N_("This field may not contain e-mail headers.")
    if _LINK_LIKE.search(value):
        return N_("Links and e-mail addresses are not allowed in this field.")
    if len(value) > limit:
        return N_("This is too long; use at most %(limit)s characters.")
    return None


def parse_mail_form(form: Mapping[str, str]) -> tuple[MailForm, dict[str, str]]:
    """The form's values and a message for each field to fix (msgids; `limit` fills them in)."""
    # Only surrounding spaces are trimmed: a line break inside a value must be seen and refused.
    values = {name: form.get(name, "").strip(" \t") for name in FIELDS}
    errors: dict[str, str] = {}
    for name in ("recipient", "sender_email"):
        problem = address_problem(values[name])
        if problem:
            errors[name] = problem
    if not values["sender_name"]:
        errors["sender_name"] = N_("Enter your name.")
    else:
        problem = _text_problem(values["sender_name"], MAX_NAME)
        if problem:
            errors["sender_name"] = problem
    problem = _text_problem(values["subject"], MAX_SUBJECT)
    if problem:
        errors["subject"] = problem
    # What goes back into the form is cut to a sane size; nothing is sent anyway.
    kept = {name: value[:MAX_ADDRESS] for name, value in values.items()}
    return MailForm(**kept), errors


# The signed form stamp: which article the form is for and when it was opened.


class FormStamp:
    """Signs the time an e-mail form was opened, so a send can prove a person had time to type."""

    def __init__(self, secret: str, clock: Callable[[], float] = time.time) -> None:
        self._serializer = URLSafeSerializer(secret, salt="serambi.mail-form")
        self._clock = clock

    def make(self, article_id: int, opened: float | None = None) -> str:
        """A stamp for a form about `article_id` opened now (or at `opened`)."""
        when = int(self._clock() if opened is None else opened)
        return self._serializer.dumps({"a": article_id, "t": when})

    def problem(
        self, stamp: str, article_id: int, min_seconds: float, max_age: float
    ) -> str | None:
        """Why the stamp does not allow a send now, or None when it does."""
        try:
            data: Any = self._serializer.loads(stamp[:200])
        except BadSignature:
            data = None
        if not isinstance(data, dict) or data.get("a") != article_id:
            return N_("The form was not recognised. Reload the page and fill it in again.")
        opened = data.get("t")
        if not isinstance(opened, int):
            return N_("The form was not recognised. Reload the page and fill it in again.")
        age = self._clock() - opened
        if age > max_age:
            return N_("The form had expired. Check the fields and send it again.")
        if age < min_seconds:
            return N_("That was very fast. Check the fields and send again in a few seconds.")
        return None

    def renew(self, stamp: str, article_id: int, max_age: float) -> str:
        """The stamp for a form shown again: the same opening time while it is valid."""
        try:
            data: Any = self._serializer.loads(stamp[:200])
        except BadSignature:
            data = None
        if isinstance(data, dict) and data.get("a") == article_id:
            opened = data.get("t")
            if isinstance(opened, int) and 0 <= self._clock() - opened <= max_age:
                return self.make(article_id, opened)
        return self.make(article_id)


# Rate limits, in memory.


class RateLimiter:
    """Events per key in a sliding window, in memory, holding at most `max_keys` keys."""

    def __init__(
        self,
        window: float = HOUR,
        max_keys: int = 20_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window = window
        self.max_keys = max_keys
        self._clock = clock
        self._events: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str) -> deque[float]:
        events = self._events.get(key)
        if events is None:
            return deque()
        horizon = self._clock() - self.window
        while events and events[0] <= horizon:
            events.popleft()
        if not events:
            del self._events[key]
        return events

    def allowed(self, key: str, limit: int) -> bool:
        """Whether one more event for `key` stays within `limit` per window."""
        return len(self._recent(key)) < limit

    def record(self, *keys: str) -> None:
        """Count one event for each key."""
        now = self._clock()
        for key in keys:
            events = self._recent(key)
            events.append(now)
            self._events[key] = events
            self._events.move_to_end(key)
        # The oldest keys go first; a flood of new keys cannot grow memory without bound.
        while len(self._events) > self.max_keys:
            self._events.popitem(last=False)


@dataclass(frozen=True)
class Limits:
    """How many messages per hour: to one address, from one visitor, from one network address."""

    per_address: int
    per_visitor: int
    per_network: int


def limit_problems(
    limiter: RateLimiter, limits: Limits, recipient: str, visitor: str, network: str
) -> dict[str, str]:
    """Messages for the limits a send would exceed ('recipient' or '' for the whole form)."""
    problems: dict[str, str] = {}
    if not limiter.allowed(f"visitor:{visitor}", limits.per_visitor) or not limiter.allowed(
        f"network:{network}", limits.per_network
    ):
        problems[""] = N_("You have sent many messages in a short time. Please try again later.")
    if not limiter.allowed(f"to:{recipient.lower()}", limits.per_address):
        problems["recipient"] = N_(
            "This address has received enough messages from this site for now. "
            "Please try again later."
        )
    return problems


def record_send(limiter: RateLimiter, recipient: str, visitor: str, network: str) -> None:
    """Count a send against every limit."""
    limiter.record(f"to:{recipient.lower()}", f"visitor:{visitor}", f"network:{network}")


# The message.


@dataclass(frozen=True)
class MailSettings:
    """How to reach the SMTP server, and the site's sender address."""

    host: str
    port: int
    username: str
    password: str
    tls: bool
    timeout: float
    mail_from: str

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings:
        return cls(
            host=config["SMTP_HOST"],
            port=config["SMTP_PORT"],
            username=config["SMTP_USERNAME"],
            password=config["SMTP_PASSWORD"],
            tls=config["SMTP_TLS"],
            timeout=config["SMTP_TIMEOUT"],
            mail_from=config["MAIL_FROM"],
        )

    @property
    def enabled(self) -> bool:
        """Whether the server sends mail; without it the E-mail tool is a mailto: link."""
        return bool(self.host and self.mail_from)

    def __repr__(self) -> str:  # the password never shows in a log or a traceback
        return f"MailSettings(host={self.host!r}, port={self.port}, tls={self.tls})"


@dataclass(frozen=True)
class ArticleMail:
    """The fixed, already translated parts of the message about one article."""

    subject: str
    body: str


def compose(
    settings: MailSettings, form: MailForm, site_name: str, mail: ArticleMail
) -> EmailMessage:
    """The message: from the site, to the one recipient, replies going to the sender."""
    message = EmailMessage()
    message["From"] = Address(display_name=site_name, addr_spec=settings.mail_from)
    message["To"] = Address(addr_spec=form.recipient)
    message["Reply-To"] = Address(display_name=form.sender_name, addr_spec=form.sender_email)
    message["Subject"] = form.subject or mail.subject
    message["Date"] = format_datetime(datetime.now(UTC))
    domain = settings.mail_from.rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.body)
    return message


def intro_excerpt(text: str, limit: int = MAX_INTRO) -> str:
    """The intro's plain text, cut at a word boundary when long."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + " …"


async def send(settings: MailSettings, message: EmailMessage) -> None:
    """Deliver the message to its one recipient through the SMTP server; MailNotSent if not."""
    implicit_tls = settings.tls and settings.port == 465
    try:
        await aiosmtplib.send(
            message,
            hostname=settings.host,
            port=settings.port,
            username=settings.username or None,
            password=settings.password or None,
            use_tls=implicit_tls,
            start_tls=settings.tls and not implicit_tls,
            timeout=settings.timeout,
        )
    except (aiosmtplib.SMTPException, OSError) as error:
        logger.warning("A mail was not sent through %s: %s", settings.host, error)
        raise MailNotSent(str(error)) from error


def init_app(app: Quart) -> None:
    """Warn when mail is half set up (the portal holds the form's stamp signer and limiter)."""
    settings = MailSettings.from_config(app.config)
    if settings.host and not settings.mail_from:
        logger.warning("PORTAL_SMTP_HOST is set but PORTAL_MAIL_FROM is empty: no mail is sent.")


def mail_settings() -> MailSettings:
    """The app's SMTP settings."""
    return MailSettings.from_config(current_app.config)


def form_stamp() -> FormStamp:
    """The app's form stamp signer."""
    return portal().mail_stamp


def limiter() -> RateLimiter:
    """The app's rate limiter for the e-mail form."""
    return portal().mail_limiter
