"""The Socket.IO namespaces besides the public "/": one name each, for the server and channels."""

from __future__ import annotations

# The moderators' live room: the presence table, live statistics and vote-rate alerts.
MODERATION = "/moderasi"

# The editors' live room: who has which article or event form open (realtime/editing.py).
EDITORIAL = "/redaksi"
