"""Charts drawn on the server as SVG: readable without JavaScript, styled by the site's CSS."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from content.web.i18n import format_number

WIDTH = 720
HEIGHT = 220
LEFT = 56  # room for the value axis
BOTTOM = 24  # room for the labels
TOP = 12


@dataclass(frozen=True)
class Series:
    """One named row of values; `css` picks its colour in site.css (.series-0, .series-1 ...)."""

    name: str
    values: Sequence[int]
    css: str = "series-0"


def _nice_max(value: int) -> int:
    """A round upper bound for the value axis."""
    if value <= 10:
        return 10
    magnitude: int = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return value


def _frame(
    title: str, summary: str, body: str, top: int, legend: Sequence[Series], live: str = ""
) -> Markup:
    plot_height = HEIGHT - BOTTOM - TOP
    axis = []
    for fraction in (0, 0.5, 1):
        y = TOP + plot_height * (1 - fraction)
        axis.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(format_number(round(top * fraction)))}</text>"
        )
    keys = "".join(
        f'<span class="legend-item"><span class="swatch {escape(s.css)}"></span>'
        f"{escape(s.name)}</span>"
        for s in legend
    )
    # Every text interpolated here was escaped above; numbers and CSS names are ours.
    return Markup(  # noqa: S704
        f'<figure class="chart"><svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img"{live} '
        f'aria-label="{escape(title)}: {escape(summary)}">'
        f"<title>{escape(title)}</title><desc>{escape(summary)}</desc>"
        f"{''.join(axis)}{body}</svg>"
        f'<figcaption><span class="chart-title">{escape(title)}</span>{keys}</figcaption>'
        "</figure>"
    )


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    label_every: int = 1,
    live_key: str | None = None,
) -> Markup:
    """Grouped bars, one group per label; each bar carries its value in a tooltip title.

    With `live_key`, bars carry data-live-bar="<key>:<index>" so the page can move them.
    """
    top = _nice_max(max((v for s in series for v in s.values), default=0))
    plot_width = WIDTH - LEFT
    plot_height = HEIGHT - BOTTOM - TOP
    group = plot_width / max(1, len(labels))
    bar = group * 0.8 / max(1, len(series))
    parts = []
    for index, label in enumerate(labels):
        x0 = LEFT + index * group + group * 0.1
        for number, row in enumerate(series):
            value = row.values[index]
            height = plot_height * value / top
            live = f' data-live-bar="{live_key}:{index}"' if live_key else ""
            parts.append(
                f'<rect class="{escape(row.css)}"{live} x="{x0 + number * bar:.1f}" '
                f'y="{TOP + plot_height - height:.1f}" width="{max(bar - 0.5, 0.5):.1f}" '
                f'height="{height:.1f}"><title>{escape(label)} – {escape(row.name)}: '
                f"{escape(format_number(value))}</title></rect>"
            )
        if index % label_every == 0:
            parts.append(
                f'<text class="axis" x="{x0 + group * 0.4:.1f}" y="{HEIGHT - 6}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    summary = ", ".join(f"{s.name}: {format_number(sum(s.values))}" for s in series)
    # The page's script rescales live bars with the same geometry.
    live = (
        f' data-live-chart="{live_key}" data-top="{top}" data-plot-top="{TOP}" '
        f'data-plot-height="{plot_height}"'
        if live_key
        else ""
    )
    return _frame(title, summary, "".join(parts), top, series, live)


def line_chart(
    title: str, labels: Sequence[str], series: Sequence[Series], *, label_every: int = 30
) -> Markup:
    """Lines for long periods (a year of days)."""
    top = _nice_max(max((v for s in series for v in s.values), default=0))
    plot_width = WIDTH - LEFT
    plot_height = HEIGHT - BOTTOM - TOP
    step = plot_width / max(1, len(labels) - 1)
    parts = []
    for row in series:
        points = " ".join(
            f"{LEFT + i * step:.1f},{TOP + plot_height * (1 - v / top):.1f}"
            for i, v in enumerate(row.values)
        )
        parts.append(f'<polyline class="line {escape(row.css)}" points="{points}"/>')
    for index in range(0, len(labels), label_every):
        parts.append(
            f'<text class="axis" x="{LEFT + index * step:.1f}" y="{HEIGHT - 6}" '
            f'text-anchor="middle">{escape(labels[index])}</text>'
        )
    summary = ", ".join(f"{s.name}: {format_number(sum(s.values))}" for s in series)
    return _frame(title, summary, "".join(parts), top, series)
