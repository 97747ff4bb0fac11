"""A small publish interface: content announces what happened; app.py wires the listeners.

Content never imports the live layer. A write others must see is committed first, then announced
here; listeners must be quick (they record in memory, the live layer emits later, per tick).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from quart import Quart

from content.runtime import Runtime

Listener = Callable[..., None]
log = logging.getLogger(__name__)


class Events:
    """Named events with plain keyword payloads, delivered synchronously to listeners."""

    def __init__(self) -> None:
        self._listeners: dict[str, list[Listener]] = defaultdict(list)

    def subscribe(self, name: str, listener: Listener) -> None:
        """Call `listener(**payload)` whenever `name` is published."""
        self._listeners[name].append(listener)

    def publish(self, name: str, **payload: Any) -> None:
        """Tell every listener of `name`; a failing listener is logged, never raised."""
        for listener in self._listeners.get(name, ()):
            try:
                listener(**payload)
            except Exception:
                log.exception("Listener of %s failed", name)


def init_app(app: Quart) -> Events:
    """Give the app its event hub."""
    return Events()


def get_events() -> Events:
    """The app's event hub."""
    return Runtime.current().events
