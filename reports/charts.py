"""Chart geometry for server-rendered SVG (pure: no Django). Templates draw what these functions lay out.

Readable in black and white: the first series is a solid dark fill (or a solid line with round markers), the
second a hatched fill (or a dashed line with square markers), and every bar or point carries its value as
text. A suppressed value draws no bar or point: its text ("fewer than 5", "hidden") stands in its place. Each
chart is followed on the page by a table of the same figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # None: suppressed or missing, so nothing is drawn
    texts: Sequence[str]  # what is written beside each value


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    text: str
    text_x: float
    text_y: float
    text_anchor: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "end"


@dataclass(frozen=True)
class Polyline:
    points: str
    series: int


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    series: int
    text: str

    @property
    def left(self) -> float:
        return round(self.x - 4.5, 1)

    @property
    def top(self) -> float:
        return round(self.y - 4.5, 1)


@dataclass(frozen=True)
class Tick:
    """A grid line from (x1, y1) to (x2, y2) with its value written at (text_x, text_y)."""

    x1: float
    y1: float
    x2: float
    y2: float
    text: str
    text_x: float
    text_y: float
    anchor: str


@dataclass
class Chart:
    key: str
    title: str
    description: str
    width: int
    height: int
    series_names: list[str]
    kind: str  # "bars" or "lines"
    bars: list[Bar] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    lines: list[Polyline] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    axis: tuple[float, float, float, float] = (0, 0, 0, 0)  # x1, y1, x2, y2 of the zero or base line
    plot: tuple[float, float, float, float] = (0, 0, 0, 0)  # left, top, right, bottom


LEGEND_HEIGHT = 30
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 14


def _nice_step(span: float, target_ticks: int = 5) -> float:
    if span <= 0:
        return 1.0
    raw = span / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude


def _tick_text(value: float, suffix: str, prefix: str = "") -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    return f"{sign}{prefix}{text}{suffix}"


def bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    suffix: str = "",
    prefix: str = "",
    width: int = 720,
    label_width: int = 260,
    whole_numbers: bool = False,
) -> Chart:
    """Horizontal grouped bars, one group per category, one bar per series; negative values run left of a
    zero line (changes in score). Counts pass whole_numbers so the scale never shows a fraction of a pupil; money
    passes prefix="£" for its scale."""
    values = [v for s in series for v in s.values if v is not None]
    low, high = min([0.0, *values]), max([0.0, *values])
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    if whole_numbers:
        step = max(1.0, math.ceil(step))
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    # Room left of the scale for the value written beside a negative bar, clear of the category labels.
    left, right = label_width + (56 if low < 0 else 0), width - 110
    group_height = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    top = LEGEND_HEIGHT + 10
    height = top + len(categories) * (group_height + GROUP_GAP) + 30

    def x_of(value: float) -> float:
        return round(left + (value - low) / (high - low) * (right - left), 1)

    chart = Chart(key, title, description, width, height, [s.name for s in series], "bars")
    chart.plot = (left, top, right, height - 30)
    zero = x_of(0.0)
    chart.axis = (zero, top - 4, zero, height - 26)
    tick = low
    while tick <= high + step / 1000:
        x = x_of(tick)
        chart.ticks.append(Tick(x, top, x, height - 30, _tick_text(tick, suffix, prefix), x, height - 14, "middle"))
        tick += step
    for c, category in enumerate(categories):
        group_top = top + c * (group_height + GROUP_GAP)
        chart.labels.append(Label(left - 8, group_top + group_height / 2 + 5, category))
        for s, one in enumerate(series):
            y = group_top + s * (BAR_HEIGHT + BAR_GAP)
            value = one.values[c]
            text = one.texts[c]
            if value is None:
                chart.bars.append(Bar(zero, y, 0, BAR_HEIGHT, s, text, zero + 6, y + BAR_HEIGHT - 3, "start"))
                continue
            start, end = sorted((zero, x_of(value)))
            if value >= 0:
                text_x, anchor = end + 6, "start"
            else:
                text_x, anchor = start - 6, "end"
            chart.bars.append(Bar(start, y, round(end - start, 1), BAR_HEIGHT, s, text, text_x, y + 13, anchor))
    return chart


def line_chart(
    *,
    key: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    suffix: str = "",
    width: int = 720,
    height: int = 300,
) -> Chart:
    """Lines across the x labels (terms), one per series; a missing value breaks its line."""
    values = [v for s in series for v in s.values if v is not None]
    high = max([1.0, *values])
    step = _nice_step(high)
    high = math.ceil(high / step) * step
    left, right, top, bottom = 60, width - 50, LEGEND_HEIGHT + 16, height - 50
    count = max(len(x_labels), 2)

    def x_of(index: int) -> float:
        return round(left + index * (right - left) / (count - 1), 1)

    def y_of(value: float) -> float:
        return round(bottom - value / high * (bottom - top), 1)

    chart = Chart(key, title, description, width, height, [s.name for s in series], "lines")
    chart.plot = (left, top, right, bottom)
    chart.axis = (left, bottom, right, bottom)
    tick = 0.0
    while tick <= high + step / 1000:
        y = y_of(tick)
        chart.ticks.append(Tick(left, y, right, y, _tick_text(tick, suffix), left - 8, y + 4, "end"))
        tick += step
    for i, text in enumerate(x_labels):
        chart.labels.append(Label(x_of(i), bottom + 20, text, "middle"))
    for s, one in enumerate(series):
        run: list[str] = []
        for i, value in enumerate(one.values):
            if value is None:
                if len(run) > 1:
                    chart.lines.append(Polyline(" ".join(run), s))
                run = []
                continue
            run.append(f"{x_of(i)},{y_of(value)}")
            chart.markers.append(Marker(x_of(i), y_of(value), s, one.texts[i]))
        if len(run) > 1:
            chart.lines.append(Polyline(" ".join(run), s))
    return chart
