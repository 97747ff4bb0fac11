"""Serambi: create_app(config) builds the portal; `python app.py` serves it with Hypercorn."""

from __future__ import annotations

import asyncio
import gc
import getpass
import logging
import os
import secrets
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from quart import Quart

import realtime
from content import accounts, db, demo, events, i18n, sanitize, stats, web
from content.web import gate, limits

ROOT = Path(__file__).resolve().parent

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
    # Sidebar modules: calendar, downloads
    "CALENDAR_UPCOMING": 3,  # next events in the Kalender Kegiatan module
    # Largest file the library accepts; the request body limit (MAX_CONTENT_LENGTH) caps it too
    "UPLOAD_MAX_BYTES": 2_000_000,
    # File types the library accepts, checked by content; html and svg are never accepted
    "UPLOAD_TYPES": ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "zip", "csv", "txt"),
}


class ConfigError(Exception):
    """A setting is wrong; the message names the setting to fix."""


def _parse(name: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"PORTAL_{name} must be true or false, not {raw!r}.")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"PORTAL_{name} must be a whole number, not {raw!r}.") from None
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise ConfigError(f"PORTAL_{name} must be a number, not {raw!r}.") from None
    if isinstance(default, tuple):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw


def load_config(
    environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Settings in layers: defaults, then PORTAL_* environment variables, then overrides."""
    environ = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    for key, raw in environ.items():
        if not key.startswith("PORTAL_"):
            continue
        name = key.removeprefix("PORTAL_")
        if name not in DEFAULTS:
            known = ", ".join(f"PORTAL_{n}" for n in DEFAULTS)
            raise ConfigError(f"Unknown setting {key}; the known settings are {known}.")
        config[name] = _parse(name, raw, DEFAULTS[name])
    config.update(overrides or {})
    port = config["PORT"]
    if not 0 <= port <= 65535:
        raise ConfigError(f"PORTAL_PORT must be between 0 and 65535, not {port}.")
    try:
        gate.parse_networks(config["TRUSTED_PROXIES"])
    except gate.ProxySettingError as error:
        raise ConfigError(str(error)) from None
    instance = Path(config["INSTANCE_PATH"])
    config["INSTANCE_PATH"] = str(instance)
    if not config["DATABASE"]:
        config["DATABASE"] = str(instance / "serambi.db")
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _instance_secret(instance)
    return config


def _instance_secret(instance: Path) -> str:
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


def create_app(config: Mapping[str, Any] | None = None) -> Quart:
    """Build the portal: settings, database, languages, pages and commands."""
    settings = load_config(overrides=config)
    app = Quart(__name__, instance_path=settings["INSTANCE_PATH"], instance_relative_config=False)
    app.config.update(settings)
    app.config.update(
        SESSION_COOKIE_NAME="serambi_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        TEMPLATES_AUTO_RELOAD=False,
    )
    events.init_app(app)
    db.init_app(app)
    sanitize.init_app(app)
    stats.init_app(app)
    i18n.init_app(app)
    web.init_app(app)
    limits.init_app(app)
    realtime.init_app(app)
    register_commands(app)
    return app


def register_commands(app: Quart) -> None:
    """The `quart --app app ...` commands: init-db, seed-demo, create-user, set-password."""

    def run(coro_fn: Any, *args: Any) -> Any:
        async def main() -> Any:
            async with db.Database(app.config["DATABASE"]) as database:
                await database.migrate()
                return await coro_fn(database, *args)

        return asyncio.run(main())

    @app.cli.command("init-db")
    def init_db_command() -> None:
        """Create the database or apply the migrations it lacks."""

        async def noop(database: db.Database) -> list[str]:
            return await database.applied_migrations()

        names = run(noop)
        click.echo(f"Database ready at {app.config['DATABASE']} ({len(names)} migrations).")

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Load the demo portal into an empty database; print the demo passwords once."""
        created = run(demo.seed_demo, app.config["TIMEZONE"])
        if created is None:
            click.echo("The database already has content; demo content not loaded.")
            return
        click.echo("Demo content loaded. Accounts (passwords are shown only now):")
        for email, role, password in created:
            click.echo(f"  {role:<10} {email:<28} {password}")

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--role", type=click.Choice(accounts.ROLES), required=True)
    @click.option("--name", default="", help="Display name (default: the part before @).")
    def create_user_command(email: str, role: str, name: str) -> None:
        """Create an account; the password is asked for twice."""
        password = _ask_password()
        try:
            run(accounts.create_user, email, name or email.split("@")[0], role, password)
        except accounts.AccountError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Created {role} {email}.")

    @app.cli.command("set-password")
    @click.argument("email")
    def set_password_command(email: str) -> None:
        """Set a new password for an account."""
        password = _ask_password()
        try:
            run(accounts.set_password, email, password)
        except accounts.AccountError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Password changed for {email}.")

    @app.cli.command("import-joomla")
    @click.argument(
        "dumps",
        nargs=-1,
        required=True,
        metavar="DUMP.sql...",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
    )
    @click.option("--prefix", default=None, help="Table prefix, e.g. jos_ (default: found).")
    @click.option("--dry-run", is_flag=True, help="Read and check everything, write nothing.")
    def import_joomla_command(dumps: tuple[Path, ...], prefix: str | None, dry_run: bool) -> None:
        """Import a Joomla 1.5 or 3.x dump (plain or gzip; several files are read as one)."""
        from content.importers import joomla

        progress = joomla.terminal_progress()
        try:
            dump = joomla.read_dump(dumps, prefix, progress)
            cleaner = app.extensions["html_cleaner"]
            summary = run(joomla.import_dump, dump, cleaner, dry_run, progress)
        except joomla.JoomlaError as error:
            raise click.ClickException(str(error)) from None
        for line in summary.lines():
            click.echo(line)


def _ask_password() -> str:
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat: ") != password:
            raise click.ClickException("The two passwords differ.")
    problem = accounts.password_problem(password)
    if problem:
        raise click.ClickException(problem)
    return password


class _LazyApp:
    """The ASGI entry point; builds the app from the environment on first use."""

    def __init__(self) -> None:
        self._app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self._app is None:
            self._app = realtime.asgi(create_app())
        await self._app(scope, receive, send)


asgi_app = _LazyApp()


def hypercorn_config(config: Mapping[str, Any]) -> Any:
    """Hypercorn's settings for the portal (benchmarks serve their baseline with the same)."""
    from hypercorn.config import Config as HypercornConfig

    hyper = HypercornConfig()
    hyper.bind = [f"{config['HOST']}:{config['PORT']}"]
    hyper.accesslog = "-" if config.get("ACCESS_LOG", True) else None
    hyper.graceful_timeout = float(config.get("SHUTDOWN_GRACE", DEFAULTS["SHUTDOWN_GRACE"]))
    # An idle keep-alive connection is closed well within the grace, so a stop never has to
    # cut one (Hypercorn closes busy ones after their response once the stop has begun).
    hyper.keep_alive_timeout = min(hyper.keep_alive_timeout, hyper.graceful_timeout / 2)
    hyper.read_timeout = int(config.get("READ_TIMEOUT", DEFAULTS["READ_TIMEOUT"]))
    hyper.h11_max_incomplete_size = int(
        config.get("MAX_HEADER_BYTES", DEFAULTS["MAX_HEADER_BYTES"])
    )
    hyper.h2_max_header_list_size = hyper.h11_max_incomplete_size
    # Socket.IO frames are small; a larger WebSocket message is refused by the server itself.
    hyper.websocket_max_message_size = int(
        config.get("SOCKET_MAX_PAYLOAD", DEFAULTS["SOCKET_MAX_PAYLOAD"])
    )
    return hyper


async def freeze_start_objects() -> None:
    """Leave what start-up made (modules, templates, catalogs, the app) out of the garbage
    collector's full passes. They live as long as the process, and a full pass pauses every
    socket: at 1,000 sockets one walked about 300,000 objects in 100 to 250 ms, 72,000 of them
    made at start."""
    gc.collect()
    gc.freeze()


def _connection_cut_handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """A connection still busy when the grace time ran out is cut by Hypercorn, as it should
    be; Python 3.11.7's stream callback then reports the cancellation as an error with a
    traceback. Say it in one line instead; everything else goes to the default handler."""
    if isinstance(context.get("exception"), asyncio.CancelledError) and "StreamReaderProtocol" in (
        repr(context.get("handle"))
    ):
        logging.getLogger("serambi").info("A connection still open at the end of the grace was cut")
        return
    loop.default_exception_handler(context)


def main() -> None:
    """Serve the portal with Hypercorn on the configured host and port."""
    from hypercorn.asyncio import serve

    try:
        app = create_app()
    except ConfigError as error:
        sys.exit(f"Configuration error: {error}")
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    hyper = hypercorn_config(app.config)
    print(f"Serving {app.config['SITE_NAME']} on http://{hyper.bind[0]}/", flush=True)

    app.before_serving(freeze_start_objects)

    async def serve_until_signalled() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(_connection_cut_handler)
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        closing: set[asyncio.Task[None]] = set()

        async def stopping() -> None:
            await stop.wait()
            task = asyncio.create_task(realtime.close_sockets(app, hyper.graceful_timeout))
            closing.add(task)  # kept until the loop ends; it stops by itself
            task.add_done_callback(closing.discard)

        await serve(realtime.asgi(app), hyper, shutdown_trigger=stopping)

    asyncio.run(serve_until_signalled())


if __name__ == "__main__":
    main()
