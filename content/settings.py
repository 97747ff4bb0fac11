"""Every setting of the portal: its default, how it is read and what it may be.

Settings come in layers (defaults, then PORTAL_* environment variables, then the mapping given to
create_app) and are checked whole at start: load_config() gathers every problem into one
ConfigError, one sentence per problem naming the setting, so a start stops before serving anything
instead of failing on the first page that reads a bad value.
"""

from __future__ import annotations

import difflib
import ipaddress
import math
import os
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from content.i18n import LANGUAGES
from content.media.uploads import FILE_KINDS

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "PORTAL_"

# Every setting, with its default; each can be set as PORTAL_<NAME> in the environment.
DEFAULTS: dict[str, Any] = {
    "HOST": "127.0.0.1",
    "PORT": 8000,
    "DATABASE": "",  # empty: <instance folder>/serambi.db
    "INSTANCE_PATH": str(ROOT / "instance"),
    "SECRET_KEY": "",  # empty: generated once and kept in the instance folder
    "SITE_NAME": "Balai Penelitian Tanaman Industri dan Penyegar",
    "TIMEZONE": "Asia/Jakarta",
    "DEFAULT_LANGUAGE": "id",
    "ARTICLES_PER_PAGE": 8,
    "PAGE_CACHE_SECONDS": 1.0,  # anonymous visitors share rendered pages this long (0: off)
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,  # request body bytes; more gets 413
    "MAX_FORM_MEMORY_SIZE": 500_000,  # bytes of one form field kept in memory
    "MAX_FORM_PARTS": 1_000,  # fields and files in one form
    "BODY_TIMEOUT": 30,  # seconds a request body may take to arrive (slow uploads get 408)
    "VIDEO_HOSTS": ("www.youtube-nocookie.com", "www.youtube.com", "player.vimeo.com"),
    # Requests per address per minute (0: no limit); a 429 page says when to try again
    "LOGIN_PER_MINUTE": 10,  # login, password confirmation and reset-link pages
    "SEARCH_PER_MINUTE": 60,
    "PDF_PER_MINUTE": 20,
    "MAIL_FORM_PER_MINUTE": 6,  # sends of the e-mail-a-friend form (hourly caps below too)
    "LOGIN_FREE_FAILURES": 5,
    "LOGIN_MAX_DELAY": 900,
    # The live layer
    "LIVE_TICK": 1.0,  # seconds between coalesced pushes of each live figure
    "LIVE_FANOUT_PER_TICK": 2000,  # a room larger than this is pushed to less often (0: never)
    "ACTIVE_WINDOW": 300,  # seconds a page view keeps a visitor "active"
    # seconds between a tab closing and the next page's socket for the moderators' feed to show
    # one move rather than a departure and an arrival
    "PRESENCE_MOVE_GRACE": 10.0,
    "ALLOWED_ORIGINS": (),  # other origins allowed to open sockets (the site's own always is)
    "SOCKET_PING_INTERVAL": 10,
    "SOCKET_PING_TIMEOUT": 10,  # a vanished tab stops counting within interval + timeout
    "SOCKET_MAX_PAYLOAD": 16 * 1024,
    "SOCKET_EVENT_BURST": 20,  # events a connection may send at once ...
    "SOCKET_EVENT_RATE": 2.0,  # ... and per second after that; more closes the connection
    "SOCKETS_PER_ADDRESS": 200,  # open sockets one network address may hold (offices share one)
    # Hardening: proxies, HTTPS, limits of the HTTP server
    "TRUSTED_PROXIES": (),  # reverse proxies' addresses whose X-Forwarded-For/-Proto are believed
    "HSTS_SECONDS": 31_536_000,  # Strict-Transport-Security max-age, sent only over HTTPS
    "SHUTDOWN_GRACE": 5.0,  # seconds open requests and sockets get when the server stops
    "READ_TIMEOUT": 30,  # seconds a connection may stay silent before it is closed
    "MAX_HEADER_BYTES": 16 * 1024,  # request line and headers together
    "STAFF_SESSION_HOURS": 12,  # a staff login lasts this long, then asks again
    "REAUTH_MINUTES": 10,  # account and role changes need the password entered this recently
    "RESET_TOKEN_MINUTES": 30,  # a password reset link works once, within this time
    # Visit statistics
    "VISIT_WINDOW": 1800,  # seconds in which one visitor's views of an article count once
    "STATS_FLUSH_INTERVAL": 1.0,  # seconds between the transactions that write the counts
    "STATS_MEMORY_CAP": 50_000,  # entries held in memory before an early flush
    "STATS_ADDRESS_CAP": 60,  # counted views per address per window (floods without cookies)
    "STATS_FIGURES": (),  # extra Statistik figures: members, articles, links
    "COUNT_VISITS": True,  # false: no view is counted (benchmarks compare the cost)
    "ACCESS_LOG": True,  # one line per request on standard output
    "COMPRESSION": True,  # false: nothing is compressed (benchmarks compare the cost)
    # Polls
    "POLL_VOTES_PER_MINUTE": 20,  # vote attempts per address per minute before "too fast"
    "POLL_ALERT_PER_MINUTE": 60,  # votes per minute on one poll that alert the moderators
    # Article tools, search, feeds
    "SITE_URL": "",  # public address (https://...) for mails, feeds, sitemap; empty: the request's
    "SEARCH_PER_PAGE": 10,
    "FEED_ITEMS": 20,  # newest articles in each RSS and Atom feed
    "SMTP_HOST": "",  # empty: "E-mail" is a mailto: link and the server sends nothing
    "SMTP_PORT": 25,
    "SMTP_USERNAME": "",
    "SMTP_PASSWORD": "",
    "SMTP_TLS": False,  # true: TLS from the start on port 465, STARTTLS on any other port
    "SMTP_TIMEOUT": 15.0,
    "MAIL_FROM": "",  # the site's sender address; needed with SMTP_HOST
    "MAIL_MIN_SECONDS": 5,  # the e-mail form must have been open this long before sending
    "MAIL_FORM_MAX_AGE": 3 * 3600,  # seconds after which an open e-mail form has expired
    "MAIL_PER_ADDRESS_PER_HOUR": 3,  # messages one recipient address may receive
    "MAIL_PER_VISITOR_PER_HOUR": 5,  # messages one visitor (cookie) may send
    "MAIL_PER_NETWORK_PER_HOUR": 20,  # messages one network address may send (offices share one)
    # "Forgot password" requests per hour for one typed address, and from one network (an IPv4
    # /24 or an IPv6 /64), whether or not the address has an account
    "RESET_MAIL_PER_ADDRESS_PER_HOUR": 3,
    "RESET_MAIL_PER_NETWORK_PER_HOUR": 10,
    # Sidebar modules: calendar, downloads
    "CALENDAR_UPCOMING": 3,  # next events in the Kalender Kegiatan module
    # Largest file the library accepts; the request body limit (MAX_CONTENT_LENGTH) caps it too
    "UPLOAD_MAX_BYTES": 2_000_000,
    # File types the library accepts, checked by content; html and svg are never accepted
    "UPLOAD_TYPES": ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "zip", "csv", "txt"),
    # Media library images: the largest upload (its request alone may be this big), the most
    # pixels one may have (Pillow's decompression-bomb guard), and the processes that make the
    # variants (0: a thread of the server process)
    "IMAGE_MAX_BYTES": 20_000_000,
    "IMAGE_MAX_PIXELS": 50_000_000,
    "IMAGE_WORKERS": 1,
    # Revisions of articles, events and the other kinds editors save: each item keeps its last
    # REVISIONS_KEEP saves, and of the older ones the last of each day for REVISIONS_DAILY_DAYS
    # days (0: none); its first revision is always kept
    "REVISIONS_KEEP": 50,
    "REVISIONS_DAILY_DAYS": 30,
}


STATS_FIGURE_CHOICES = ("members", "articles", "links")
HOST_NAME = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\Z")


class ConfigError(Exception):
    """Settings are wrong; each problem is one sentence naming the setting to fix."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))

    def report(self) -> str:
        """What a refused start prints: one line per problem, no traceback."""
        return "\n".join(f"Configuration error: {problem}" for problem in self.problems)


# A check returns what is wrong with a value (the end of a sentence after the setting's name),
# or None when the value is good.
Check = Callable[[Any], str | None]


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _at_least(low: int, meaning: str = "") -> Check:
    def check(value: Any) -> str | None:
        return None if value >= low else f"must be {low} or more{meaning}, not {_shown(value)}"

    return check


def _between(low: int, high: int) -> Check:
    def check(value: Any) -> str | None:
        if low <= value <= high:
            return None
        return f"must be between {low} and {high}, not {_shown(value)}"

    return check


def _more_than_zero(value: Any) -> str | None:
    return None if value > 0 else f"must be more than 0, not {_shown(value)}"


def _not_empty(value: Any) -> str | None:
    return None if value.strip() else "must not be empty"


def _language(value: Any) -> str | None:
    if value in LANGUAGES:
        return None
    return f"must be a language the site has catalogs for ({', '.join(LANGUAGES)}), not {value!r}"


def _time_zone(value: Any) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"must be a time zone name such as Asia/Jakarta, not {value!r}"
    return None


def _site_url(value: Any) -> str | None:
    if not value:
        return None  # the request's own address is used
    try:
        parts = urlsplit(value)
        good = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        good = False
    if good:
        return None
    example = "https://balittri.example"
    return f"must be an http or https address with a host, such as {example}, not {value!r}"


def _mail_address(value: Any) -> str | None:
    local, _, domain = value.partition("@")
    if not value or (local and domain and "@" not in domain and value.split() == [value]):
        return None
    return f"must be an e-mail address such as portal@balittri.example, not {value!r}"


def _each(check: Callable[[str], bool], what: str) -> Check:
    def check_all(values: Any) -> str | None:
        for value in values:
            if not check(value):
                return f"must list {what}, and {value!r} is not one"
        return None

    return check_all


def _is_host_name(value: str) -> bool:
    return bool(HOST_NAME.match(value))


def _is_origin(value: str) -> bool:
    try:
        parts = urlsplit(value.rstrip("/"))
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and port_ok
        and not (parts.path or parts.query or parts.fragment or parts.username)
    )


def _is_network(value: str) -> bool:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return True


NO_LIMIT = " (0: no limit)"

# What each setting may be beyond its type (the type is the default's).
RULES: dict[str, Check] = {
    "HOST": _not_empty,
    "PORT": _between(0, 65535),
    "INSTANCE_PATH": _not_empty,
    "SITE_NAME": _not_empty,
    "TIMEZONE": _time_zone,
    "DEFAULT_LANGUAGE": _language,
    "ARTICLES_PER_PAGE": _at_least(1),
    "PAGE_CACHE_SECONDS": _at_least(0, " (0: every page rendered afresh)"),
    "MAX_CONTENT_LENGTH": _at_least(1),
    "MAX_FORM_MEMORY_SIZE": _at_least(1),
    "MAX_FORM_PARTS": _at_least(1),
    "BODY_TIMEOUT": _at_least(1),
    "VIDEO_HOSTS": _each(_is_host_name, "host names such as www.youtube.com"),
    "LOGIN_PER_MINUTE": _at_least(0, NO_LIMIT),
    "SEARCH_PER_MINUTE": _at_least(0, NO_LIMIT),
    "PDF_PER_MINUTE": _at_least(0, NO_LIMIT),
    "MAIL_FORM_PER_MINUTE": _at_least(0, NO_LIMIT),
    "LOGIN_FREE_FAILURES": _at_least(0),
    "LOGIN_MAX_DELAY": _at_least(0),
    "LIVE_TICK": _more_than_zero,
    "LIVE_FANOUT_PER_TICK": _at_least(0, NO_LIMIT),
    "ACTIVE_WINDOW": _at_least(1),
    "PRESENCE_MOVE_GRACE": _more_than_zero,
    "ALLOWED_ORIGINS": _each(_is_origin, "origins such as https://balittri.example"),
    "SOCKET_PING_INTERVAL": _at_least(1),
    "SOCKET_PING_TIMEOUT": _at_least(1),
    "SOCKET_MAX_PAYLOAD": _at_least(1),
    "SOCKET_EVENT_BURST": _at_least(1),
    "SOCKET_EVENT_RATE": _more_than_zero,
    "SOCKETS_PER_ADDRESS": _at_least(0, NO_LIMIT),
    "TRUSTED_PROXIES": _each(_is_network, "IP addresses or networks such as 10.0.0.0/8"),
    "HSTS_SECONDS": _at_least(0, " (0: no Strict-Transport-Security)"),
    "SHUTDOWN_GRACE": _more_than_zero,
    "READ_TIMEOUT": _at_least(1),
    "MAX_HEADER_BYTES": _at_least(1024),
    "STAFF_SESSION_HOURS": _at_least(1),
    "REAUTH_MINUTES": _at_least(1),
    "RESET_TOKEN_MINUTES": _at_least(1),
    "VISIT_WINDOW": _at_least(1),
    "STATS_FLUSH_INTERVAL": _more_than_zero,
    "STATS_MEMORY_CAP": _at_least(1),
    "STATS_ADDRESS_CAP": _at_least(1),
    "STATS_FIGURES": _each(
        STATS_FIGURE_CHOICES.__contains__, "figures among " + ", ".join(STATS_FIGURE_CHOICES)
    ),
    "POLL_VOTES_PER_MINUTE": _at_least(1),
    "POLL_ALERT_PER_MINUTE": _at_least(1),
    "SITE_URL": _site_url,
    "SEARCH_PER_PAGE": _at_least(1),
    "FEED_ITEMS": _at_least(1),
    "SMTP_PORT": _between(1, 65535),
    "SMTP_TIMEOUT": _more_than_zero,
    "MAIL_FROM": _mail_address,
    "MAIL_MIN_SECONDS": _at_least(0),
    "MAIL_FORM_MAX_AGE": _at_least(1),
    "MAIL_PER_ADDRESS_PER_HOUR": _at_least(1),
    "MAIL_PER_VISITOR_PER_HOUR": _at_least(1),
    "MAIL_PER_NETWORK_PER_HOUR": _at_least(1),
    "RESET_MAIL_PER_ADDRESS_PER_HOUR": _at_least(1),
    "RESET_MAIL_PER_NETWORK_PER_HOUR": _at_least(1),
    "CALENDAR_UPCOMING": _at_least(1),
    "UPLOAD_MAX_BYTES": _at_least(1),
    "IMAGE_MAX_BYTES": _at_least(1),
    "IMAGE_MAX_PIXELS": _at_least(1),
    "IMAGE_WORKERS": _between(0, 16),
    "REVISIONS_KEEP": _at_least(1),
    "REVISIONS_DAILY_DAYS": _between(0, 36500),
    # Only types the library can recognise; html and svg are never among them
    "UPLOAD_TYPES": _each(
        lambda kind: kind.lower() in FILE_KINDS, "file types among " + ", ".join(FILE_KINDS)
    ),
}


def _together(config: Mapping[str, Any]) -> list[str]:
    """Problems that only two settings together make."""
    problems = []
    if config["SMTP_HOST"] and not config["MAIL_FROM"]:
        problems.append(
            f"{PREFIX}MAIL_FROM must be set when {PREFIX}SMTP_HOST is: "
            "mail needs the site's sender address."
        )
    if config["MAIL_FORM_MAX_AGE"] <= config["MAIL_MIN_SECONDS"]:
        problems.append(
            f"{PREFIX}MAIL_FORM_MAX_AGE ({config['MAIL_FORM_MAX_AGE']}) must be longer than "
            f"{PREFIX}MAIL_MIN_SECONDS ({config['MAIL_MIN_SECONDS']}), or no form could be sent."
        )
    return problems


def _parse(raw: str, default: Any) -> Any:
    """A value from the environment, as the default's type; ValueError says what it must be."""
    if isinstance(default, bool):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError("must be true or false")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ValueError("must be a whole number") from None
    if isinstance(default, float):
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise ValueError("must be a number")
        return value
    if isinstance(default, tuple):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw


def _of_type(value: Any, default: Any) -> Any:
    """A value given in the mapping, if it has the default's type (a string is read as the
    environment's would be); ValueError says what it must be."""
    if isinstance(value, str) and not isinstance(default, str):
        return _parse(value, default)
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        raise ValueError("must be true or false")
    if isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ValueError("must be a whole number")
    if isinstance(default, float):
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
        raise ValueError("must be a number")
    if isinstance(default, tuple):
        if isinstance(value, tuple | list) and all(isinstance(item, str) for item in value):
            return tuple(value)
        raise ValueError("must be a list of words")
    if isinstance(value, str):
        return value
    raise ValueError("must be text")


def unknown_setting(key: str) -> str:
    """The sentence for a PORTAL_* variable that is no setting, naming the closest ones."""
    name = key.removeprefix(PREFIX)
    close = difflib.get_close_matches(name.upper(), DEFAULTS, n=3, cutoff=0.6)
    if close:
        named = " or ".join(PREFIX + match for match in close)
        return f"{key} is not a setting; did you mean {named}?"
    return f"{key} is not a setting (the Settings section of README.md lists them)."


def load_config(
    environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Settings in layers: defaults, then PORTAL_* environment variables, then overrides; every
    one checked, and every problem found named in one ConfigError."""
    environ = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    problems: dict[str, str] = {}
    for key, raw in sorted(environ.items()):
        if not key.startswith(PREFIX):
            continue
        name = key.removeprefix(PREFIX)
        if name not in DEFAULTS:
            problems[key] = unknown_setting(key)
            continue
        try:
            config[name] = _parse(raw, DEFAULTS[name])
        except ValueError as error:
            problems[name] = f"{key} {error}, not {raw!r}."
    for name, value in (overrides or {}).items():
        if name not in DEFAULTS:
            config[name] = value  # Quart's own settings (TESTING ...) pass through
            continue
        try:
            config[name] = _of_type(value, DEFAULTS[name])
        except ValueError as error:
            problems[name] = f"{PREFIX}{name} {error}, not {_shown(value)}."
        else:
            problems.pop(name, None)  # the mapping replaced a bad environment value
    for name, check in RULES.items():
        if name not in problems and (wrong := check(config[name])):
            problems[name] = f"{PREFIX}{name} {wrong}."
    sentences = list(problems.values())
    if not problems.keys() & {"SMTP_HOST", "MAIL_FROM", "MAIL_MIN_SECONDS", "MAIL_FORM_MAX_AGE"}:
        sentences += _together(config)
    if sentences:
        raise ConfigError(sentences)
    instance = Path(config["INSTANCE_PATH"])
    config["INSTANCE_PATH"] = str(instance)
    if not config["DATABASE"]:
        config["DATABASE"] = str(instance / "serambi.db")
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = instance_secret(instance)
    return config


def instance_secret(instance: Path) -> str:
    """The secret key kept in the instance folder, made on first start."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key
