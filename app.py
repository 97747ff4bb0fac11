"""Serambi: create_app(config) builds the portal; `python app.py` serves it with Hypercorn."""

from __future__ import annotations

import asyncio
import gc
import getpass
import logging
import os
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import click
import socketio
from quart import Quart

import realtime
from content import accounts, db, demo, events, imaging, revisions, runtime, sanitize, stats
from content.clock import SYSTEM, Clock
from content.settings import DEFAULTS, ConfigError, load_config
from content.web import compression, limits, live_json, page_cache, views
from content.web import i18n as web_i18n
from content.web.gate import Gate
from content.web.state import Portal

__all__ = [
    "DEFAULTS",
    "ConfigError",
    "Serambi",
    "asgi",
    "asgi_app",
    "create_app",
    "hypercorn_config",
    "load_config",
    "main",
    "serve",
]


T = TypeVar("T")


class Serambi(Quart):
    """The portal's Quart app: `quart --app app run` serves the whole stack (the gate, Socket.IO,
    the shared pages) through the same function as `python app.py`, not Quart alone."""

    def run(
        self,
        host: str | None = None,
        port: int | None = None,
        debug: bool | None = None,
        use_reloader: bool = True,
        loop: asyncio.AbstractEventLoop | None = None,
        ca_certs: str | None = None,
        certfile: str | None = None,
        keyfile: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Serve the portal with Hypercorn; the host and port come from the settings unless
        given (on the command line: `quart --app app run --port 8001`)."""
        if debug is not None:
            self.debug = debug
        if use_reloader and self.debug:
            print("The portal does not reload on changes; restart it to see them.", flush=True)
        serve(
            self,
            host=_given(host, "host"),
            port=_given(port, "port"),
            certfile=certfile,
            keyfile=keyfile,
        )


def _given(value: T | None, option: str) -> T | None:
    """A `quart run` option only when typed: its own defaults (port 5000) give way to PORTAL_*."""
    context = click.get_current_context(silent=True)
    if context is None or option not in context.params:
        return value
    if context.get_parameter_source(option) is click.core.ParameterSource.DEFAULT:
        return None
    return value


def create_app(config: Mapping[str, Any] | None = None, *, clock: Clock | None = None) -> Serambi:
    """Build the portal: settings, database, languages, pages and commands; `clock` is the
    system's unless a test gives its own.

    Without a mapping the settings come from the environment: that is how every start calls it
    (`python app.py`, any `quart --app app` command, `hypercorn app:asgi_app`), and there a bad
    setting ends the process with one sentence per problem instead of a traceback."""
    try:
        settings = load_config(overrides=config)
    except ConfigError as error:
        if config is None:
            raise SystemExit(error.report()) from None
        raise
    app = Serambi(__name__, instance_path=settings["INSTANCE_PATH"], instance_relative_config=False)
    app.config.update(settings)
    app.config.update(
        SESSION_COOKIE_NAME="serambi_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        TEMPLATES_AUTO_RELOAD=False,
    )
    hub = events.init_app(app)
    database = db.init_app(app, hub)
    clock = clock or SYSTEM
    held = runtime.Runtime(
        events=hub,
        database=database,
        cleaner=sanitize.init_app(app),
        hits=stats.init_app(app, database, hub, clock),
        catalogs=web_i18n.init_app(app),
        clock=clock,
        retention=revisions.Retention.from_config(app.config),
    )
    portal = views.init_app(app, held)
    limits.init_app(app)
    portal.live = realtime.init_app(app, portal)
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
    @click.option(
        "--media",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=None,
        help="The old site's root (or its images/ folder): bring the articles' images in.",
    )
    def import_joomla_command(
        dumps: tuple[Path, ...], prefix: str | None, dry_run: bool, media: Path | None
    ) -> None:
        """Import a Joomla 1.5 or 3.x dump (plain or gzip; several files are read as one)."""
        from content.importers.joomla.dump import read_dump
        from content.importers.joomla.errors import JoomlaError
        from content.importers.joomla.importer import import_dump
        from content.importers.joomla.media import MediaImport
        from content.importers.joomla.progress import terminal_progress

        progress = terminal_progress()
        try:
            dump = read_dump(dumps, prefix, progress)
            cleaner = runtime.Runtime.of(app).cleaner
            images = None
            if media is not None:
                images = MediaImport(
                    media,
                    imaging.folder_for(app.config["DATABASE"]),
                    app.config["IMAGE_MAX_BYTES"],
                    app.config["IMAGE_MAX_PIXELS"],
                    dry_run=dry_run,
                )
            summary = run(import_dump, dump, cleaner, dry_run, progress, images)
        except JoomlaError as error:
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


def asgi(app: Quart) -> Any:
    """The HTTP stack on one port: the gate, then Socket.IO, then compression (never on the
    socket's traffic), then the live JSON endpoints and the pages kept in memory, then Quart,
    which owns the lifespan."""
    kept = live_json.asgi(app, page_cache.asgi(app))
    pages = compression.asgi(kept, Portal.of(app).compressor)
    both = socketio.ASGIApp(
        realtime.live_of(app).sio, other_asgi_app=pages, socketio_path="socket.io"
    )
    return Gate(both, app.config["TRUSTED_PROXIES"], app.config["MAX_HEADER_BYTES"])


class _LazyApp:
    """The ASGI entry point; builds the app from the environment on first use."""

    def __init__(self) -> None:
        self._app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self._app is None:
            try:
                self._app = asgi(create_app())
            except SystemExit as refused:  # a bad setting; create_app's sentences say which
                # This runs inside the server's lifespan task, where Hypercorn would log the
                # exception with a traceback and go on serving without the app. Nothing has
                # been served yet: end the process with the sentences alone.
                print(refused.code, file=sys.stderr, flush=True)
                os._exit(1)
        await self._app(scope, receive, send)


asgi_app = _LazyApp()


def hypercorn_config(config: Mapping[str, Any]) -> Any:
    """Hypercorn's settings for the portal (benchmarks serve their baseline with the same)."""
    from hypercorn.config import Config as HypercornConfig

    hyper = HypercornConfig()
    hyper.bind = [f"{config['HOST']}:{config['PORT']}"]
    hyper.accesslog = "-" if config.get("ACCESS_LOG", True) else None
    hyper.graceful_timeout = float(config.get("SHUTDOWN_GRACE", DEFAULTS["SHUTDOWN_GRACE"]))
    # One silence for every connection: idle between requests (keep-alive) or stopped halfway
    # through one. Hypercorn's read timeout alone leaves a half-sent request open until the idle
    # timer fires, so both are READ_TIMEOUT (30 s by default: long enough that clients reusing a
    # connection do not race its closing). A stop still closes idle connections at once:
    # Hypercorn's idle wait ends when the server begins to stop.
    silence = int(config.get("READ_TIMEOUT", DEFAULTS["READ_TIMEOUT"]))
    hyper.keep_alive_timeout = silence
    hyper.read_timeout = silence
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


def serve(
    app: Quart,
    host: str | None = None,
    port: int | None = None,
    certfile: str | None = None,
    keyfile: str | None = None,
) -> None:
    """Serve the whole stack (gate, Socket.IO, shared pages, Quart) with Hypercorn until SIGINT
    or SIGTERM; the host and port default to the settings."""
    from hypercorn.asyncio import serve as hypercorn_serve

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    hyper = hypercorn_config(
        {
            **app.config,
            "HOST": app.config["HOST"] if host is None else host,
            "PORT": app.config["PORT"] if port is None else port,
        }
    )
    hyper.certfile, hyper.keyfile = certfile, keyfile
    scheme = "https" if certfile else "http"
    print(f"Serving {app.config['SITE_NAME']} on {scheme}://{hyper.bind[0]}/", flush=True)

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

        await hypercorn_serve(asgi(app), hyper, shutdown_trigger=stopping)

    asyncio.run(serve_until_signalled())


def main() -> None:
    """Serve the portal with Hypercorn on the configured host and port."""
    serve(create_app())


if __name__ == "__main__":
    main()
