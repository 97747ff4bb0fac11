"""A small publish interface: content announces what happened; app.py wires the listeners.

Content never imports the live layer. A change is announced by the content function that made
it, through `Database.announce()`, and published only once its transaction has committed (never
after a rollback). Each event is one frozen object saying what changed. A listener subscribes
to an event class and hears its subclasses too: the kept pages listen to `ContentChanged`, so
every change that pages show clears them. Listeners must be quick (they record in memory, the
live layer emits later, per tick).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from quart import Quart

from content.runtime import Runtime

if TYPE_CHECKING:
    from content.polls import Poll, VoteOutcome

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """Something that happened in content."""


@dataclass(frozen=True)
class PageView(Event):
    """A page was served to a visitor (rendered or kept); `article_id` when it was an article's
    page, whose hit the counter counts from this one event."""

    visitor_id: str
    path: str
    address: str
    bot: bool
    staff: bool
    article_id: int | None = None


@dataclass(frozen=True)
class ContentChanged(Event):
    """Anything pages show changed: the kept pages and module lists are stale."""


@dataclass(frozen=True)
class ArticleSaved(ContentChanged):
    """An article was created or edited."""

    article_id: int
    created: bool


@dataclass(frozen=True)
class ArticleStateChanged(ContentChanged):
    """An article was published, unpublished, archived or trashed (the State's value)."""

    article_id: int
    state: int


@dataclass(frozen=True)
class ArticleFeatured(ContentChanged):
    """An article was put on the home page or taken off."""

    article_id: int
    featured: bool


@dataclass(frozen=True)
class CategorySaved(ContentChanged):
    """A category was created or edited."""

    category_id: int
    created: bool


@dataclass(frozen=True)
class CalendarEventSaved(ContentChanged):
    """A calendar event was created or edited."""

    event_id: int
    created: bool


@dataclass(frozen=True)
class CalendarEventDeleted(ContentChanged):
    """A calendar event was removed."""

    event_id: int


@dataclass(frozen=True)
class MediaChanged(ContentChanged):
    """A video, social account, download or banner was saved or removed."""

    kind: str  # "video", "social", "download", "banner"
    item_id: int
    removed: bool = False


@dataclass(frozen=True)
class ModulesChanged(ContentChanged):
    """The modules' positions, order or visibility changed."""


@dataclass(frozen=True)
class PollChanged(ContentChanged):
    """An editor changed a poll: its question, answers, rules, times or state."""

    poll_id: int


@dataclass(frozen=True)
class PollPinned(ContentChanged):
    """The poll pinned for the Polling module changed: `poll_id` is pinned now (None: no poll
    is, and the module shows the newest open one)."""

    poll_id: int | None


@dataclass(frozen=True)
class PollVoted(Event):
    """A vote was stored; the outcome carries the poll as it stands after the vote, so nobody
    needs to read it again."""

    outcome: VoteOutcome

    @property
    def poll(self) -> Poll:
        """The poll after the vote."""
        assert self.outcome.poll is not None  # only accepted votes are announced
        return self.outcome.poll


@dataclass(frozen=True)
class PollReset(Event):
    """Every vote of a poll was removed."""

    poll_id: int


E = TypeVar("E", bound=Event)


class Events:
    """Events delivered synchronously to the listeners of their class and its bases."""

    def __init__(self) -> None:
        self._listeners: dict[type[Event], list[Callable[[Any], None]]] = defaultdict(list)

    def subscribe(self, kind: type[E], listener: Callable[[E], None]) -> None:
        """Call `listener(event)` whenever an event of `kind` (or a subclass) is published."""
        self._listeners[kind].append(listener)

    def publish(self, event: Event) -> None:
        """Tell every listener of the event's class and bases; a failing listener is logged,
        never raised."""
        for kind in type(event).__mro__:
            for listener in self._listeners.get(kind, ()):
                try:
                    listener(event)
                except Exception:
                    log.exception("Listener of %s failed", type(event).__name__)


def init_app(app: Quart) -> Events:
    """Give the app its event hub."""
    return Events()


def get_events() -> Events:
    """The app's event hub."""
    return Runtime.current().events
