"""What goes wrong reading or importing a dump."""

from __future__ import annotations


class JoomlaError(Exception):
    """The dump cannot be imported; the message says why, naming the table and row."""
