"""Building blocks of the SVG charts: escaping, number formats, scales, patterns, legend.

Every piece of text goes through ``text()`` (escaped), so names such as "Mù Cang Chải" keep
their diacritics and hostile text such as "<script>" stays inert character data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from flask_babel import format_decimal, format_percent
from markupsafe import Markup

WIDTH = 640  # viewBox width; the SVG scales to its container's width
FONT = 12
CHAR = FONT * 0.56  # rough width of one character, for truncating labels
INK = "#000"
DARK = "#444"
MID = "#8c8c8c"
LIGHT = "#d9d9d9"
SVG_NS = "http://www.w3.org/2000/svg"


def fmt_number(value: float | int | None, digits: int = 0) -> str:
    """A locale-formatted number, "–" for None."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern)


def fmt_percent(value: float | None, digits: int = 0) -> str:
    """A locale-formatted percentage of ``value`` given in percent (75.5 -> "75.5%")."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "#" * digits if digits else "") + "%"
    return format_percent(value / 100, format=pattern)


def safe_id(chart_id: str) -> str:
    """An id usable in the page and in ``url(#...)``: lower-case letters, digits, dashes."""
    cleaned = re.sub(r"[^a-z0-9-]", "", str(chart_id).lower())
    return cleaned if cleaned and cleaned[0].isalpha() else f"c{cleaned}"


def clip(label: str, width: float) -> str:
    """``label`` cut with an ellipsis so that it fits about ``width`` units."""
    label = str(label)
    room = max(int(width / CHAR), 4)
    return label if len(label) <= room else label[: room - 1].rstrip() + "…"


def nice_max(value: float, *, integer: bool = False) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above ``value`` (at least 1); counts skip
    2.5 so that their scale has whole-number ticks."""
    if value <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    steps = (1, 2, 5, 10) if integer and power == 1 else (1, 2, 2.5, 5, 10)
    for step in steps:
        if step * power >= value:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def fmt_tick(value: float) -> str:
    """A scale label: up to two decimals, only when needed (2.5, 0.25, 10)."""
    return format_decimal(value, format="#,##0.##")


def ticks(top: float, *, integer: bool = False) -> list[float]:
    """Tick values from 0 to ``top``: four steps, or whole steps for counts."""
    count = 4
    if integer:
        count = next((n for n in (4, 5) if (top / n).is_integer()), max(int(top), 1))
    return [top * i / count for i in range(count + 1)]


def num(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_ATTR = Markup(' {}="{}"')


def _attrs(attrs: dict) -> Markup:
    """SVG attributes from keyword arguments (``class_`` -> class, ``font_size`` ->
    font-size); ``Markup.format`` escapes every value."""
    return Markup("").join(
        _ATTR.format(name.rstrip("_").replace("_", "-"), value) for name, value in attrs.items()
    )


def text(x: float, y: float, content: str, *, anchor: str = "start", **attrs) -> Markup:
    """An escaped ``<text>`` element; extra ``attrs`` use ``_`` for ``-`` in their names."""
    return Markup('<text x="{}" y="{}" text-anchor="{}"{}>{}</text>').format(
        num(x), num(y), anchor, _attrs(attrs), content
    )


def rect(x: float, y: float, w: float, h: float, fill: str, **attrs) -> Markup:
    return Markup('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"{}/>').format(
        num(x), num(y), num(max(w, 0)), num(max(h, 0)), fill, _attrs(attrs)
    )


def line(x1: float, y1: float, x2: float, y2: float, **attrs) -> Markup:
    return Markup('<line x1="{}" y1="{}" x2="{}" y2="{}"{}/>').format(
        num(x1), num(y1), num(x2), num(y2), _attrs(attrs)
    )


def group(parts: Iterable[Markup], *, label: str | None = None, **attrs) -> Markup:
    """A ``<g>`` of ``parts``; ``label`` becomes its ``<title>`` (a tooltip and a name)."""
    inner = Markup("").join(parts)
    title = Markup("<title>{}</title>").format(label) if label else Markup("")
    return Markup("<g{}>{}{}</g>").format(_attrs(attrs), title, inner)


def patterns(chart_id: str) -> Markup:
    """Hatching patterns, referenced as ``url(#<chart_id>-hatch)`` and ``-dots``."""
    return Markup(
        '<pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="{ink}" stroke-width="2"/></pattern>'
        '<pattern id="{id}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" fill="{light}"/>'
        '<circle cx="2.5" cy="2.5" r="1.1" fill="{ink}"/></pattern>'
    ).format(id=chart_id, ink=INK, light=LIGHT)


def hatch(chart_id: str) -> str:
    return f"url(#{chart_id}-hatch)"


def dots(chart_id: str) -> str:
    return f"url(#{chart_id}-dots)"


def legend(y: float, entries: Sequence[tuple[str, str]], *, x: float = 0) -> Markup:
    """A row of legend entries ``(kind, label)`` where kind is a fill (``url(#...)`` or a
    colour) for a swatch, or ``"line"``/``"dashed"``/``"marker"`` for line symbols."""
    parts: list[Markup] = []
    cursor = x
    for kind, label in entries:
        if kind == "marker":
            parts.append(line(cursor + 7, y - 7, cursor + 7, y + 5, stroke=INK, stroke_width=3))
        elif kind in ("line", "dashed"):
            dash = {"stroke_dasharray": "4 2"} if kind == "dashed" else {}
            parts.append(
                line(cursor, y - 1, cursor + 14, y - 1, stroke=INK, stroke_width=2, **dash)
            )
            parts.append(rect(cursor + 4, y - 4, 6, 6, "#fff", stroke=INK))
        else:
            parts.append(rect(cursor, y - 9, 14, 12, kind, stroke=INK, stroke_width=0.8))
        parts.append(text(cursor + 19, y + 1, label))
        cursor += 19 + len(str(label)) * CHAR + 18
    return group(parts, class_="legend")


def document(
    chart_id: str,
    height: float,
    title: str,
    desc: str,
    body: Iterable[Markup],
    *,
    standalone: bool = False,
) -> Markup:
    """The ``<svg>`` element: fixed viewBox, 100 % wide, named by ``<title>``/``<desc>``.

    Inline in HTML the namespace comes from the parser; ``standalone`` adds ``xmlns`` for a
    file of its own.
    """
    chart_id = safe_id(chart_id)
    head = Markup(
        '<svg{xmlns} class="chart" id="{id}" viewBox="0 0 {width} {height}" width="100%" '
        'preserveAspectRatio="xMidYMin meet" role="img" aria-labelledby="{id}-title {id}-desc" '
        'font-family="sans-serif" font-size="{font}" fill="{ink}">'
    ).format(
        xmlns=Markup(' xmlns="{}"').format(SVG_NS) if standalone else "",
        id=chart_id,
        width=WIDTH,
        height=num(height),
        font=FONT,
        ink=INK,
    )
    named = Markup('<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>').format(
        chart_id, title, chart_id, desc
    )
    defs = Markup("<defs>") + patterns(chart_id) + Markup("</defs>")
    return head + named + defs + Markup("").join(body) + Markup("</svg>")


def empty_note(y: float, message: str) -> Markup:
    return text(WIDTH / 2, y, message, anchor="middle", font_style="italic")
