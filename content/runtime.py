"""What the app holds at run time for content: one typed object instead of string keys.

create_app assembles it (content/web's `Portal` adds what pages hold) and stores it once in
``app.extensions["serambi"]``; `Runtime.of(app)` and `Runtime.current()` read it back typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Self

from quart import Quart, current_app

from content.clock import SYSTEM, Clock

if TYPE_CHECKING:
    from babel.support import NullTranslations

    from content.db import Database
    from content.events import Events
    from content.live import LiveLayer
    from content.revisions import Retention
    from content.sanitize import HtmlCleaner
    from content.stats import HitCounter

EXTENSION = "serambi"


@dataclass(kw_only=True, eq=False)
class Runtime:
    """The content parts of a running portal."""

    events: Events
    database: Database
    cleaner: HtmlCleaner
    hits: HitCounter
    catalogs: dict[str, NullTranslations]
    clock: Clock = SYSTEM  # tests give a ManualClock (create_app's `clock`)
    retention: Retention | None = None  # how many revisions items keep (the settings')
    live: LiveLayer | None = None  # realtime/ sets it; pages render without live figures until

    def install(self, app: Quart) -> None:
        """Make this the app's run-time object."""
        app.extensions[EXTENSION] = self

    @classmethod
    def of(cls, app: Quart) -> Self:
        """The app's run-time object; LookupError when the app has none of this kind."""
        found = app.extensions.get(EXTENSION)
        if not isinstance(found, cls):
            raise LookupError(f"The app holds no {cls.__name__} (create_app assembles it).")
        return found

    @classmethod
    def current(cls) -> Self:
        """The run-time object of the app handling this request."""
        return cls.of(current_app)
