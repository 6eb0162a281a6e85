"""Charts for the PDF, drawn on the server as SVG (no JavaScript, no images to fetch).

Two shapes cover what a reader would rather look at than read: a diverging bar per line for a
variance (overspend right, underspend left of zero), and a pair of bars per line for a budget
against its forecast. Every text in the SVG is escaped; the figures drawn are the table's own,
and the table stays next to the chart, so nothing is only in the picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from html import escape

from django.utils.safestring import SafeString, mark_safe

FONT = "Liberation Sans, DejaVu Sans, sans-serif"
WIDTH = 640  # CSS px; 170 mm at 96 px per inch, the text width of an A4 portrait page
LABEL_WIDTH = 230
ROW = 16
TOP = 26
BOTTOM = 26
# Colours that stay distinct in greyscale print and for the common colour-vision deficiencies;
# the sign and the figure are printed too, so colour is never the only cue.
OVER = "#d4351c"
UNDER = "#1d70b8"
BUDGET = "#505a5f"
FORECAST = "#f47738"


def decimal_or_none(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    caption: str
    # The figures drawn, in words: the SVG's <desc>, and the text beside the chart on the page.
    description: str = ""


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[Decimal, ...]


def _nice_step(span: float, ticks: int = 5) -> float:
    if span <= 0:
        return 1.0
    raw = span / ticks
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _fmt(value: float) -> str:
    text = f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"
    return text.replace(".0", "") if text.endswith(".0") else text


def _short(label: str, limit: int = 44) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


# Advance widths (in em) of the characters of a figure in Liberation Sans, which has Arial's
# metrics. Figures are right- or centre-aligned by computing their width here: WeasyPrint draws
# every SVG text with a text-anchor other than "start" as a separate transparency group, which
# made a hundred extra objects (and seconds) for the charts of one annex.
_ADVANCE = {**dict.fromkeys("0123456789", 0.556), "-": 0.333, "+": 0.584, ".": 0.278, ",": 0.278}


def _width(content: str, size: float) -> float:
    return sum(_ADVANCE.get(char, 0.556) for char in content) * size


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: float = 9.5) -> str:
    if anchor == "end":
        x -= _width(content, size)
    elif anchor == "middle":
        x -= _width(content, size) / 2
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" '
        f'font-family="{FONT}" fill="#0b0c0c">{escape(content)}</text>'
    )


def _axis(lo: float, hi: float, left: float, right: float, top: float, bottom: float) -> list[str]:
    """Grid lines and tick labels for the value axis, scaled from lo..hi onto left..right."""
    span = hi - lo
    step = _nice_step(span)
    parts = []
    tick = math.ceil(lo / step) * step
    while tick <= hi + step / 1000:
        x = left + (tick - lo) / span * (right - left)
        colour = "#0b0c0c" if abs(tick) < step / 1000 else "#d8dadb"
        parts.append(
            f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" '
            f'stroke="{colour}" stroke-width="0.75"/>'
        )
        parts.append(_text(x, bottom + 12, _fmt(tick), anchor="middle", size=8))
        tick += step
    return parts


def _extent(values: Sequence[Decimal]) -> tuple[float, float]:
    lo = min([0.0, *(float(v) for v in values)])
    hi = max([0.0, *(float(v) for v in values)])
    if lo == hi:
        hi = lo + 1
    # Room for the figure printed beyond the end of each bar.
    pad = (hi - lo) * 0.14
    return (lo - pad if lo < 0 else lo), (hi + pad if hi > 0 else hi)


def _svg(height: float, title: str, description: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every text above went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" role="img">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        + "".join(body)
        + "</svg>"
    )


def _legend(items: Sequence[tuple[str, str]], y: float) -> list[str]:
    parts, x = [], float(LABEL_WIDTH)
    for colour, name in items:
        parts.append(f'<rect x="{x}" y="{y - 8}" width="10" height="10" fill="{colour}"/>')
        parts.append(_text(x + 14, y, name, size=8.5))
        x += 24 + 5.2 * len(name)
    return parts


def variance_chart(bars: Sequence[Bar], *, title: str, unit: str) -> Chart | None:
    """One bar per line from zero: right for more than budget, left for less."""
    if len(bars) < 2:
        return None
    values = [bar.values[0] for bar in bars]
    lo, hi = _extent(values)
    left, right = LABEL_WIDTH + 6, WIDTH - 8
    plot_bottom = TOP + ROW * len(bars)
    scale = (right - left) / (hi - lo)
    zero = left + (0 - lo) * scale
    body = _legend([(OVER, "more than budget"), (UNDER, "less than budget")], 12)
    body += _axis(lo, hi, left, right, TOP - 4, plot_bottom)
    for index, bar in enumerate(bars):
        value = float(bar.values[0])
        y = TOP + index * ROW
        x = min(zero, zero + value * scale)
        width = max(abs(value) * scale, 0.75)
        colour = OVER if value > 0 else UNDER
        body.append(
            f'<rect x="{x:.1f}" y="{y + 2:.1f}" width="{width:.1f}" height="{ROW - 5}" '
            f'fill="{colour}"/>'
        )
        body.append(_text(0, y + ROW - 5, _short(bar.label)))
        figure = f"{bar.values[0]:+}" if value else "0"
        if value >= 0:
            body.append(_text(zero + value * scale + 3, y + ROW - 5, figure, size=8.5))
        else:
            body.append(
                _text(zero + value * scale - 3, y + ROW - 5, figure, anchor="end", size=8.5)
            )
    height = plot_bottom + BOTTOM
    description = "; ".join(f"{bar.label}: {bar.values[0]} {unit}" for bar in bars)
    return Chart(svg=_svg(height, title, description, body), caption=title, description=description)


def paired_chart(
    bars: Sequence[Bar], *, title: str, unit: str, names: tuple[str, str]
) -> Chart | None:
    """Two bars per line, e.g. the budget and the forecast, on one scale from zero."""
    if len(bars) < 2:
        return None
    values = [v for bar in bars for v in bar.values[:2]]
    lo, hi = _extent(values)
    left, right = LABEL_WIDTH + 6, WIDTH - 8
    pair = ROW + 6
    plot_bottom = TOP + pair * len(bars)
    scale = (right - left) / (hi - lo)
    zero = left + (0 - lo) * scale
    body = _legend([(BUDGET, names[0]), (FORECAST, names[1])], 12)
    body += _axis(lo, hi, left, right, TOP - 4, plot_bottom)
    for index, bar in enumerate(bars):
        y = TOP + index * pair
        body.append(_text(0, y + pair / 2 + 2, _short(bar.label)))
        pairs = zip((BUDGET, FORECAST), bar.values[:2], strict=True)
        for offset, (colour, number) in enumerate(pairs):
            value = float(number)
            top = y + 2 + offset * (pair - 6) / 2
            x = min(zero, zero + value * scale)
            width = max(abs(value) * scale, 0.75)
            body.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" '
                f'height="{(pair - 7) / 2:.1f}" fill="{colour}"/>'
            )
            end = zero + value * scale
            anchor, shift = ("start", 3) if value >= 0 else ("end", -3)
            body.append(
                _text(end + shift, top + (pair - 7) / 2, str(number), anchor=anchor, size=7)
            )
    height = plot_bottom + BOTTOM
    description = "; ".join(
        f"{bar.label}: {names[0]} {bar.values[0]}, {names[1]} {bar.values[1]} {unit}"
        for bar in bars
    )
    return Chart(svg=_svg(height, title, description, body), caption=title, description=description)
