"""Bar charts drawn on the server as SVG: the geometry and the markup, written here in one pass (a template
tag per bar and attribute cost more than the rest of the page's figures).

Each bar carries its label above it and its figure after it as text, so that nothing is said by colour
alone; the chart's title and description name it for screen readers, and the same figures stand in a
table beside it. The drawing is narrow (it scales down to a phone's width with readable text).
"""

from dataclasses import dataclass

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
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

    def svg(self) -> SafeString:
        """The chart's markup: each bar's label above it, its figure after it."""
        slug, parts = conditional_escape(self.slug), []
        parts.append(
            f'<svg class="bar-chart" viewBox="0 0 {self.width} {self.height}" role="img" '
            f'aria-labelledby="chart-{slug}-title chart-{slug}-desc" xmlns="http://www.w3.org/2000/svg">\n'
            f'  <title id="chart-{slug}-title">{conditional_escape(self.title)}</title>\n'
            f'  <desc id="chart-{slug}-desc">{conditional_escape(self.description)}</desc>\n'
        )
        for bar in self.bars:
            parts.append(
                f'  <g class="bar-chart__row{" bar-chart__row--reported" if bar.reported else ""}">\n'
                f'    <text class="bar-chart__label" x="0" y="{bar.label_y}">{conditional_escape(bar.label)}</text>\n'
                f'    <rect class="bar-chart__bar" x="0" y="{bar.bar_y}" width="{bar.width:g}" height="14" rx="2">'
                "</rect>\n"
                f'    <text class="bar-chart__value" x="{bar.value_x:g}" y="{bar.value_y}">{bar.value:d}</text>\n'
                "  </g>\n"
            )
        parts.append("</svg>")
        return mark_safe("".join(parts))


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
                label=label if len(label) <= LABEL_CHARS else Truncator(label).chars(LABEL_CHARS),
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
