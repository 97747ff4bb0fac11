"""The baseline: a hello-world Quart app, served by the same Hypercorn settings as the portal."""

from __future__ import annotations

from quart import Quart

app = Quart(__name__)


@app.get("/")
async def hello() -> str:
    """The smallest page."""
    return "Hello, world"


if __name__ == "__main__":
    import asyncio
    import os
    import signal
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from hypercorn.asyncio import serve

    from app import hypercorn_config

    async def main() -> None:
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        config = {"HOST": "127.0.0.1", "PORT": int(os.environ["PORTAL_PORT"]), "ACCESS_LOG": False}
        await serve(app, hypercorn_config(config), shutdown_trigger=stop.wait)  # type: ignore[arg-type]

    asyncio.run(main())
