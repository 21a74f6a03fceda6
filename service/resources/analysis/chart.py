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


def render(data: ChartData) -> str:
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
    _element(svg, "title", data.title)
    _element(svg, "rect", x=0, y=0, width=WIDTH, height=HEIGHT, fill="#ffffff")
    _element(
        svg, "text", data.title, x=WIDTH / 2, y=32, text_anchor="middle", font_size=18, font_weight="bold"
    )
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    instants = (
        [p.said_at for p in data.points] + [m.start for m in data.events] + [m.end for m in data.events]
    )
    if not instants:
        _element(svg, "text", "No positions on this topic.", x=WIDTH / 2, y=HEIGHT / 2, text_anchor="middle")
        return ET.tostring(svg, encoding="unicode", xml_declaration=True)
    first, last = min(instants), max(instants)
    span = max(last - first, timedelta(days=1))
    first, last = first - span * 0.05, last + span * 0.05

    def x(at: datetime) -> float:
        return round(LEFT + (at - first) / (last - first) * plot_width, 1)

    def y(value: float) -> float:
        return round(TOP + (1 - (value + 1) / 2) * plot_height, 1)

    # Value axis: the poles by name, and the middle.
    for value, name in ((1.0, data.positive_pole), (0.0, "neutral"), (-1.0, data.negative_pole)):
        _element(svg, "line", x1=LEFT, x2=LEFT + plot_width, y1=y(value), y2=y(value), stroke="#d0d0d0")
        lines = _wrap(f"{value:+.0f} {name}" if value else "0 neutral", 30)
        # The bottom pole's label grows upward, clear of the dates under the axis.
        first_row = y(value) + 4 - (len(lines) - 1) * 15 if value < 0 else y(value) + 4
        for row, line in enumerate(lines):
            _element(svg, "text", line, x=LEFT - 10, y=first_row + row * 15, text_anchor="end", fill="#444")
    # Time axis: five dates.
    base = TOP + plot_height
    _element(svg, "line", x1=LEFT, x2=LEFT + plot_width, y1=base + 8, y2=base + 8, stroke="#888")
    for tick in range(5):
        at = first + (last - first) * tick / 4
        _element(svg, "line", x1=x(at), x2=x(at), y1=base + 8, y2=base + 13, stroke="#888")
        _element(svg, "text", at.date().isoformat(), x=x(at), y=base + 28, text_anchor="middle", fill="#444")

    shifts = _element(svg, "g", class_="shifts")
    for shift in data.shifts:
        band = _element(
            shifts,
            "rect",
            x=x(shift.start),
            y=TOP,
            width=max(x(shift.end) - x(shift.start), 2),
            height=plot_height,
            fill=SHIFT_COLOUR,
            fill_opacity=0.25,
        )
        _element(band, "title", shift.label)
    events = _element(svg, "g", class_="events")
    for number, event in enumerate(data.events):
        marker = _element(events, "g", class_="event")
        _element(marker, "title", event.label)
        _element(
            marker,
            "line",
            x1=x(event.start),
            x2=x(event.start),
            y1=TOP,
            y2=base,
            stroke=EVENT_COLOUR,
            stroke_dasharray="4 3",
            stroke_width=1.5,
        )
        _element(
            marker,
            "polygon",
            points=f"{x(event.start) - 5},{base + 2} {x(event.start) + 5},{base + 2} "
            f"{x(event.start)},{base - 7}",
            fill=EVENT_COLOUR,
        )
        # A short name beside the line, staggered so that neighbours do not overlap.
        name = event.label if len(event.label) <= 34 else event.label[:33] + "…"
        top = TOP + 14 + (number % 4) * 16
        line_x = x(event.start)
        right_side = line_x > LEFT + plot_width * 0.7  # there, the name runs leftward, inside the chart
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
    if len(data.points) > 1:
        path = " ".join(f"{x(p.said_at)},{y(p.value)}" for p in data.points)
        _element(svg, "polyline", points=path, fill="none", stroke=LINE_COLOUR, stroke_width=2)
    points = _element(svg, "g", class_="positions")
    for point in data.points:
        dot = _element(
            points,
            "circle",
            cx=x(point.said_at),
            cy=y(point.value),
            r=6,
            fill=POINT_COLOUR,
            stroke="#ffffff",
            stroke_width=1.5,
        )
        dot.set("data-value", f"{point.value:g}")
        dot.set("data-said-at", point.said_at.isoformat())
        _element(dot, "title", point.label)

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
    return ET.tostring(svg, encoding="unicode", xml_declaration=True)
