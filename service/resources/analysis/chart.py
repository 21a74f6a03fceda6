"""An SVG chart of an actor's positions on a topic, with its shifts and the events between them.

Drawn with the standard library's ElementTree, so the document is always well-formed XML and
every text in it escaped. Readable on its own: title, poles on the value axis, dates on the
time axis, a legend, and a tooltip (<title>) on every point, shift and event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from xml.etree import ElementTree as ET

WIDTH, HEIGHT = 960, 540
LEFT, RIGHT, TOP, BOTTOM = 250, 40, 70, 110
POINT_COLOUR, LINE_COLOUR, SHIFT_COLOUR, EVENT_COLOUR = "#1f5fa8", "#7a9cc6", "#f2c14e", "#b3261e"
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
BASE = TOP + PLOT_HEIGHT  # the plot's bottom edge, where the time axis hangs


@dataclass(frozen=True)
class Point:
    said_at: datetime
    value: float
    label: str  # shown on hover: date, value and the statement's words


@dataclass(frozen=True)
class Marker:
    start: datetime
    end: datetime
    label: str


@dataclass(frozen=True)
class ChartData:
    title: str
    negative_pole: str
    positive_pole: str
    points: list[Point]
    shifts: list[Marker]
    events: list[Marker]


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: Any) -> ET.Element:
    element = ET.SubElement(
        parent, tag, {key.rstrip("_").replace("_", "-"): str(value) for key, value in attributes.items()}
    )
    if text is not None:
        element.text = text
    return element


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:3]


@dataclass(frozen=True)
class _Scale:
    """Where an instant and a value fall on the plot: the time axis spans `first` to `last`."""

    first: datetime
    last: datetime

    @classmethod
    def around(cls, instants: list[datetime]) -> _Scale:
        """A time axis with a margin either side, at least a day wide, so no mark sits on an edge."""
        first, last = min(instants), max(instants)
        span = max(last - first, timedelta(days=1))
        return cls(first - span * 0.05, last + span * 0.05)

    def x(self, at: datetime) -> float:
        return round(LEFT + (at - self.first) / (self.last - self.first) * PLOT_WIDTH, 1)

    @staticmethod
    def y(value: float) -> float:
        return round(TOP + (1 - (value + 1) / 2) * PLOT_HEIGHT, 1)


def render(data: ChartData) -> str:
    svg = _canvas(data.title)
    instants = (
        [p.said_at for p in data.points] + [m.start for m in data.events] + [m.end for m in data.events]
    )
    if not instants:
        _element(svg, "text", "No positions on this topic.", x=WIDTH / 2, y=HEIGHT / 2, text_anchor="middle")
        return ET.tostring(svg, encoding="unicode", xml_declaration=True)
    scale = _Scale.around(instants)
    _value_axis(svg, data.negative_pole, data.positive_pole)
    _time_axis(svg, scale)
    _shift_bands(svg, scale, data.shifts)
    _event_markers(svg, scale, data.events)
    _positions(svg, scale, data.points)
    _legend(svg)
    return ET.tostring(svg, encoding="unicode", xml_declaration=True)


def _canvas(title: str) -> ET.Element:
    """The document, its white ground and its title (as text, and as <title> for readers)."""
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "width": str(WIDTH),
            "height": str(HEIGHT),
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
            "font-family": "system-ui, sans-serif",
            "font-size": "13",
            "role": "img",
        },
    )
    _element(svg, "title", title)
    _element(svg, "rect", x=0, y=0, width=WIDTH, height=HEIGHT, fill="#ffffff")
    _element(svg, "text", title, x=WIDTH / 2, y=32, text_anchor="middle", font_size=18, font_weight="bold")
    return svg


def _value_axis(svg: ET.Element, negative_pole: str, positive_pole: str) -> None:
    """The poles by name, and the middle."""
    for value, name in ((1.0, positive_pole), (0.0, "neutral"), (-1.0, negative_pole)):
        y = _Scale.y(value)
        _element(svg, "line", x1=LEFT, x2=LEFT + PLOT_WIDTH, y1=y, y2=y, stroke="#d0d0d0")
        lines = _wrap(f"{value:+.0f} {name}" if value else "0 neutral", 30)
        # The bottom pole's label grows upward, clear of the dates under the axis.
        first_row = y + 4 - (len(lines) - 1) * 15 if value < 0 else y + 4
        for row, line in enumerate(lines):
            _element(svg, "text", line, x=LEFT - 10, y=first_row + row * 15, text_anchor="end", fill="#444")


def _time_axis(svg: ET.Element, scale: _Scale) -> None:
    """Five dates, evenly spread."""
    _element(svg, "line", x1=LEFT, x2=LEFT + PLOT_WIDTH, y1=BASE + 8, y2=BASE + 8, stroke="#888")
    for tick in range(5):
        at = scale.first + (scale.last - scale.first) * tick / 4
        x = scale.x(at)
        _element(svg, "line", x1=x, x2=x, y1=BASE + 8, y2=BASE + 13, stroke="#888")
        _element(svg, "text", at.date().isoformat(), x=x, y=BASE + 28, text_anchor="middle", fill="#444")


def _shift_bands(svg: ET.Element, scale: _Scale, shifts: list[Marker]) -> None:
    group = _element(svg, "g", class_="shifts")
    for shift in shifts:
        band = _element(
            group,
            "rect",
            x=scale.x(shift.start),
            y=TOP,
            width=max(scale.x(shift.end) - scale.x(shift.start), 2),
            height=PLOT_HEIGHT,
            fill=SHIFT_COLOUR,
            fill_opacity=0.25,
        )
        _element(band, "title", shift.label)


def _event_markers(svg: ET.Element, scale: _Scale, events: list[Marker]) -> None:
    group = _element(svg, "g", class_="events")
    for number, event in enumerate(events):
        marker = _element(group, "g", class_="event")
        _element(marker, "title", event.label)
        x = scale.x(event.start)
        _element(
            marker,
            "line",
            x1=x,
            x2=x,
            y1=TOP,
            y2=BASE,
            stroke=EVENT_COLOUR,
            stroke_dasharray="4 3",
            stroke_width=1.5,
        )
        _element(
            marker,
            "polygon",
            points=f"{x - 5},{BASE + 2} {x + 5},{BASE + 2} {x},{BASE - 7}",
            fill=EVENT_COLOUR,
        )
        _event_name(marker, x, number, event.label)


def _event_name(marker: ET.Element, line_x: float, number: int, label: str) -> None:
    """A short name beside the event's line, staggered so that neighbours do not overlap."""
    name = label if len(label) <= 34 else label[:33] + "…"
    top = TOP + 14 + (number % 4) * 16
    right_side = line_x > LEFT + PLOT_WIDTH * 0.7  # there, the name runs leftward, inside the chart
    _element(
        marker,
        "text",
        name,
        x=line_x - 4 if right_side else line_x + 4,
        y=top,
        text_anchor="end" if right_side else "start",
        fill=EVENT_COLOUR,
        font_size=11,
    )


def _positions(svg: ET.Element, scale: _Scale, points: list[Point]) -> None:
    """The line through the positions, then a dot for each that tells its value and date."""
    if len(points) > 1:
        path = " ".join(f"{scale.x(p.said_at)},{scale.y(p.value)}" for p in points)
        _element(svg, "polyline", points=path, fill="none", stroke=LINE_COLOUR, stroke_width=2)
    group = _element(svg, "g", class_="positions")
    for point in points:
        dot = _element(
            group,
            "circle",
            cx=scale.x(point.said_at),
            cy=scale.y(point.value),
            r=6,
            fill=POINT_COLOUR,
            stroke="#ffffff",
            stroke_width=1.5,
        )
        dot.set("data-value", f"{point.value:g}")
        dot.set("data-said-at", point.said_at.isoformat())
        _element(dot, "title", point.label)


def _legend(svg: ET.Element) -> None:
    legend = _element(svg, "g", class_="legend")
    legend_y = HEIGHT - 40
    _element(legend, "circle", cx=LEFT, cy=legend_y, r=6, fill=POINT_COLOUR)
    _element(legend, "text", "position (hover for the words)", x=LEFT + 12, y=legend_y + 4)
    _element(
        legend, "rect", x=LEFT + 250, y=legend_y - 7, width=18, height=14, fill=SHIFT_COLOUR, fill_opacity=0.4
    )
    _element(legend, "text", "shift", x=LEFT + 274, y=legend_y + 4)
    _element(
        legend,
        "line",
        x1=LEFT + 330,
        x2=LEFT + 330,
        y1=legend_y - 8,
        y2=legend_y + 8,
        stroke=EVENT_COLOUR,
        stroke_dasharray="4 3",
        stroke_width=1.5,
    )
    _element(legend, "text", "event between shifted positions", x=LEFT + 340, y=legend_y + 4)
