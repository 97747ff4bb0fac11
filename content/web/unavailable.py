"""What a person is told when the database cannot write now (content.db.Unavailable): a 503 page
after a form, the `message` of a socket's acknowledgement. Translated where shown."""

from __future__ import annotations

from content.i18n import N_

UNAVAILABLE_TITLE = N_("Saving is not possible right now")
UNAVAILABLE_MESSAGE = N_("Nothing was saved. Please try again in a moment.")
