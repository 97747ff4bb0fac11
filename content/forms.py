"""What the editors' forms share: reading their date-and-time fields."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo

from content.db import parse_local_input
from content.i18n import N_

BAD_MOMENT = N_("Enter a date and time like 2020-02-13 10:43.")


def local_moments(
    form: Mapping[str, str], names: tuple[str, str], tz: tzinfo, errors: dict[str, str]
) -> tuple[datetime | None, datetime | None]:
    """Two datetime-local fields (a start and an end) in the zone `tz`, as UTC; None for a field
    left empty, and a message in `errors` for one that is not a moment."""
    moments: list[datetime | None] = []
    for name in names:
        raw = form.get(name, "").strip()
        moment = None
        if raw:
            try:
                moment = parse_local_input(raw, tz)
            except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 in UTC
                errors[name] = BAD_MOMENT
        moments.append(moment)
    return moments[0], moments[1]
