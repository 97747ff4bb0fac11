"""How a long import shows its progress: a callback per stage, a bar on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TextIO

Progress = Callable[[str, int, int], None]


def terminal_progress(stream: TextIO | None = None) -> Progress:
    """A tqdm progress bar per stage on a terminal (quiet when the output is not a terminal)."""
    from tqdm import tqdm

    out = stream if stream is not None else sys.stderr
    bars: dict[str, Any] = {}

    def show(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, file=out, disable=None, leave=True)
        bar.update(max(0, done - bar.n))
        if done >= total:
            bar.close()

    return show
