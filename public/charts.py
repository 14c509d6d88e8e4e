"""Bar charts drawn on the server as SVG: the geometry here, the markup in templates/public/_bar_chart.html.

Each bar carries its label above it and its figure after it as text, so that nothing is said by colour
alone; the chart's title and description name it for screen readers, and the same figures stand in a
table beside it. The drawing is narrow (it scales down to a phone's width with readable text).
"""

from dataclasses import dataclass

from django.utils.text import Truncator

WIDTH = 360
ROW = 40
LABEL_CHARS = 48
# Room after the longest bar for its figure.
FIGURE_ROOM = 56


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    label_y: int
    bar_y: int
    width: float
    value_x: float
    value_y: int
    reported: bool = False


@dataclass(frozen=True)
class BarChart:
    slug: str
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int


def bar_chart(*, slug: str, title: str, description: str, rows: list[tuple[str, int, bool]]) -> BarChart:
    """A horizontal bar per (label, value, reported) row, the longest the largest value."""
    largest = max((value for _, value, _ in rows), default=0) or 1
    room = WIDTH - FIGURE_ROOM
    bars = []
    for index, (label, value, reported) in enumerate(rows):
        top = index * ROW
        width = round(room * value / largest, 1)
        bars.append(
            Bar(
                label=Truncator(label).chars(LABEL_CHARS),
                value=value,
                label_y=top + 14,
                bar_y=top + 19,
                width=width,
                value_x=width + 6,
                value_y=top + 31,
                reported=reported,
            )
        )
    return BarChart(slug=slug, title=title, description=description, bars=bars, width=WIDTH, height=len(rows) * ROW)
