"""The monthly trend chart: columns of new learners and a line of the running total of
people applying AI effectively, on one shared scale from zero."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from . import _canvas as c

PLOT_X = 52  # left edge of the plot; the scale's labels sit to its left
PLOT_W = c.WIDTH - PLOT_X - 12
PLOT_TOP = 24
PLOT_H = 200


@dataclass(frozen=True)
class TrendRow:
    """One month: ``new`` learners (a column) and ``cumulative`` achieved (a point of the
    line); ``month`` is any day of the month."""

    month: date
    new: int
    cumulative: int


def month_label(month: date) -> str:
    return format_date(month, "MM/yyyy")


def trend_chart(
    rows: Sequence[TrendRow], *, title: str, desc: str = "", chart_id: str = "trend-chart"
) -> Markup:
    """Columns for new learners per month, a dashed line with square markers for the
    running total of people applying AI effectively; every column and point is labelled."""
    chart_id = c.safe_id(chart_id)
    if not rows:
        message = _("No data yet.")
        return c.document(chart_id, 40, title, desc or message, [c.empty_note(24, message)])
    top = c.nice_max(max(max(r.new, r.cumulative) for r in rows), integer=True)
    slot = PLOT_W / len(rows)
    small = slot < 34
    parts = [_axis(top)]
    parts.append(c.group(_columns(chart_id, rows, top, slot, small), class_="columns"))
    parts.append(c.group(_cumulative_line(rows, top, slot, small), class_="cumulative"))
    label_h = _month_labels(parts, rows, slot, turned=slot < 56)
    bottom = PLOT_TOP + PLOT_H + label_h
    legend = [(c.DARK, _("New learners")), ("dashed", _("People applying AI effectively, total"))]
    parts.append(c.legend(bottom + 18, legend, x=PLOT_X))
    default = _(
        "New learners per month and the running total of people applying AI effectively, "
        "%(first)s to %(last)s.",
        first=month_label(rows[0].month),
        last=month_label(rows[-1].month),
    )
    return c.document(chart_id, bottom + 30, title, desc or default, parts)


def _y(value: float, top: float) -> float:
    return PLOT_TOP + PLOT_H - PLOT_H * value / top


def _axis(top: float) -> Markup:
    parts: list[Markup] = []
    for tick in c.ticks(top, integer=True):
        y = _y(tick, top)
        parts.append(c.line(PLOT_X, y, PLOT_X + PLOT_W, y, stroke=c.LIGHT, stroke_dasharray="2 3"))
        parts.append(c.text(PLOT_X - 6, y + 4, c.fmt_tick(tick), anchor="end"))
    base = PLOT_TOP + PLOT_H
    parts.append(c.line(PLOT_X, base, PLOT_X + PLOT_W, base, stroke=c.INK))
    parts.append(c.line(PLOT_X, PLOT_TOP, PLOT_X, base, stroke=c.INK))
    return c.group(parts, class_="scale", font_size="10")


def _columns(chart_id: str, rows, top: float, slot: float, small: bool) -> list[Markup]:
    parts: list[Markup] = []
    width = slot * 0.55
    size = "9" if small else "11"
    for i, row in enumerate(rows):
        x = PLOT_X + i * slot + (slot - width) / 2
        y = _y(row.new, top)
        label = _(
            "%(month)s: %(n)s new learners", month=month_label(row.month), n=c.fmt_number(row.new)
        )
        parts.append(
            c.group(
                [
                    c.rect(
                        x,
                        y,
                        width,
                        PLOT_TOP + PLOT_H - y,
                        c.DARK,
                        stroke=c.INK,
                        stroke_width=0.8,
                        class_="bar",
                    ),
                    _column_label(x + width / 2, y, row.new, size),
                ],
                label=label,
            )
        )
    return parts


def _column_label(x: float, y: float, value: int, size: str) -> Markup:
    """The value inside the top of a tall enough column (white on dark), else above it."""
    if PLOT_TOP + PLOT_H - y >= 18:
        return c.text(
            x,
            y + 12,
            c.fmt_number(value),
            anchor="middle",
            font_size=size,
            fill="#fff",
            font_weight="bold",
            class_="value",
        )
    return c.text(x, y - 3, c.fmt_number(value), anchor="middle", font_size=size, class_="value")


def _cumulative_line(rows, top: float, slot: float, small: bool) -> list[Markup]:
    points = [(PLOT_X + (i + 0.5) * slot, _y(r.cumulative, top)) for i, r in enumerate(rows)]
    path = " ".join(f"{c.num(x)},{c.num(y)}" for x, y in points)
    parts = [
        Markup('<polyline points="{}" fill="none" stroke="#fff" stroke-width="5"/>').format(path),
        Markup(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" '
            'stroke-dasharray="5 3" class="line"/>'
        ).format(path, c.INK),
    ]
    size = "9" if small else "11"
    for (x, y), row in zip(points, rows, strict=True):
        label = _(
            "%(month)s: %(n)s people applying AI effectively in total",
            month=month_label(row.month),
            n=c.fmt_number(row.cumulative),
        )
        parts.append(
            c.group(
                [
                    c.rect(
                        x - 4, y - 4, 8, 8, "#fff", stroke=c.INK, stroke_width=1.5, class_="point"
                    ),
                    *_halo_label(x + 6, y - 6, c.fmt_number(row.cumulative), size),
                ],
                label=label,
            )
        )
    return parts


def _halo_label(x: float, y: float, value: str, size: str) -> list[Markup]:
    """A bold label on a white box, readable over the columns (not ``paint-order``, which
    WeasyPrint ignores)."""
    height = int(size)
    width = len(value) * height * 0.62 + 4
    return [
        c.rect(x - 2, y - height + 1, width, height + 2, "#fff", opacity="0.85"),
        c.text(x, y, value, font_size=size, font_weight="bold", class_="value"),
    ]


def _month_labels(parts: list[Markup], rows, slot: float, *, turned: bool) -> float:
    """Month names under the columns, turned when they would not fit; returns their height."""
    base = PLOT_TOP + PLOT_H
    labels: list[Markup] = []
    for i, row in enumerate(rows):
        x = PLOT_X + (i + 0.5) * slot
        if turned:
            labels.append(
                c.text(
                    x,
                    base + 12,
                    month_label(row.month),
                    anchor="end",
                    font_size="9",
                    transform=f"rotate(-45 {c.num(x)} {c.num(base + 12)})",
                )
            )
        else:
            labels.append(c.text(x, base + 16, month_label(row.month), anchor="middle"))
    parts.append(c.group(labels, class_="months"))
    return 48 if turned else 24
