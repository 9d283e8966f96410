"""The charts: actual against plan, coverage against target rates, pre/post, monthly trend.

Each function takes plain rows (the dataclasses below; ``adapters`` builds them from the
indicator and gain figures) and returns a ``markupsafe.Markup`` ``<svg>`` to put inline in
a page or in the WeasyPrint report. Bars are proportional to their values on a shared
scale starting at zero; every bar has its value written next to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from . import _canvas as c
from .trend import TrendRow, month_label, trend_chart

__all__ = [
    "PlanRow",
    "PrePostRow",
    "RateRow",
    "TrendRow",
    "coverage_chart",
    "month_label",
    "plan_chart",
    "prepost_chart",
    "trend_chart",
]

LABEL_W = 170  # left column: row labels, right-aligned
BAR_X = LABEL_W + 8
BAR_W = 260  # the bar area; value labels follow in the right column
VALUE_X = BAR_X + BAR_W + 10
ROW_H = 28
BAR_H = 14
TOP = 22  # room for the scale's tick labels


@dataclass(frozen=True)
class PlanRow:
    """One bar of ``plan_chart``: ``actual`` against ``plan`` (None: no plan set)."""

    label: str
    actual: float
    plan: float | None = None

    @property
    def percent(self) -> float | None:
        return self.actual * 100 / self.plan if self.plan else None

    @property
    def below(self) -> bool:
        return bool(self.plan) and self.actual < self.plan


@dataclass(frozen=True)
class RateRow:
    """One bar of ``coverage_chart``: a rate in percent (None: unknown) against a target
    rate in percent; ``note`` is written after the value (e.g. "12 / 240")."""

    label: str
    rate: float | None
    target: float | None = None
    note: str = ""

    @property
    def below(self) -> bool:
        return self.rate is not None and self.target is not None and self.rate < self.target


@dataclass(frozen=True)
class PrePostRow:
    """One group of ``prepost_chart``: mean pre- and post-test scores in percent of the
    maximum (None: nobody took it) and the number of matched learners."""

    label: str
    pre: float | None
    post: float | None
    n: int = 0


@dataclass(frozen=True)
class _Bar:
    label: str
    value: float | None
    marker: float | None
    caption: str
    below: bool


def _scale(top: float, y: float, integer: bool) -> list[Markup]:
    """Tick labels and light grid lines of a horizontal scale from 0 to ``top``."""
    parts: list[Markup] = []
    for tick in c.ticks(top, integer=integer):
        x = BAR_X + BAR_W * tick / top
        parts.append(c.line(x, y, x, y + 6, stroke=c.MID))
        parts.append(c.text(x, y - 2, c.fmt_tick(tick), anchor="middle"))
    return parts


def _hbars(
    chart_id: str,
    bars: Sequence[_Bar],
    top: float,
    legend: list[tuple[str, str]],
    integer: bool = False,
) -> tuple[list[Markup], float]:
    """Rows of horizontal bars with a marker line each; returns the parts and the height."""
    parts = [c.group(_scale(top, TOP - 8, integer), class_="scale", font_size="10")]
    bottom = TOP + ROW_H * len(bars)
    for tick in c.ticks(top, integer=integer):
        x = BAR_X + BAR_W * tick / top
        parts.append(c.line(x, TOP, x, bottom, stroke=c.LIGHT, stroke_dasharray="2 3"))
    for i, bar in enumerate(bars):
        y = TOP + i * ROW_H + (ROW_H - BAR_H) / 2
        parts.append(_hbar_row(chart_id, bar, y, top))
    parts.append(c.line(BAR_X, TOP, BAR_X, bottom, stroke=c.INK))
    parts.append(c.legend(bottom + 22, legend, x=BAR_X))
    return parts, bottom + 34


def _hbar_row(chart_id: str, bar: _Bar, y: float, top: float) -> Markup:
    fill = c.hatch(chart_id) if bar.below else c.DARK
    width = BAR_W * (bar.value or 0) / top
    row = [
        c.text(LABEL_W, y + BAR_H - 3, c.clip(bar.label, LABEL_W), anchor="end"),
        c.rect(BAR_X, y, width, BAR_H, fill, stroke=c.INK, stroke_width=0.8, class_="bar"),
    ]
    if bar.marker is not None:
        x = BAR_X + BAR_W * bar.marker / top
        row.append(c.line(x, y - 4, x, y + BAR_H + 4, stroke="#fff", stroke_width=5))
        row.append(
            c.line(x, y - 4, x, y + BAR_H + 4, stroke=c.INK, stroke_width=2.5, class_="marker")
        )
    weight = {"font_weight": "bold"} if bar.below else {}
    row.append(
        c.text(VALUE_X, y + BAR_H - 3, bar.caption, class_="value", font_size="11", **weight)
    )
    css = "row below" if bar.below else "row"
    return c.group(row, label=f"{bar.label}: {bar.caption}", class_=css)


def plan_chart(
    rows: Sequence[PlanRow], *, title: str, desc: str = "", chart_id: str = "plan-chart"
) -> Markup:
    """Horizontal bars of actual values, the plan as a marker line, "actual / plan · %".

    Bars below plan are hatched and their label starts with "▼" (not colour alone).
    """
    chart_id = c.safe_id(chart_id)
    if not rows:
        return _empty(chart_id, title, desc)
    values = [v for r in rows for v in (r.actual, r.plan) if v is not None]
    integer = all(float(v).is_integer() for v in values)
    top = c.nice_max(max(values), integer=integer)
    bars = [
        _Bar(
            label=r.label,
            value=r.actual,
            marker=r.plan,
            caption=_plan_caption(r),
            below=r.below,
        )
        for r in rows
    ]
    legend = [
        (c.DARK, _("Actual")),
        (c.hatch(chart_id), _("Actual, below plan (▼)")),
        ("marker", _("Plan")),
    ]
    parts, height = _hbars(chart_id, bars, top, legend, integer)
    return c.document(chart_id, height, title, desc or _plan_desc(rows), parts)


def _plan_caption(row: PlanRow) -> str:
    mark = "▼ " if row.below else ""
    if row.plan is None:
        return mark + _("%(actual)s (no plan)", actual=c.fmt_number(row.actual))
    return mark + _(
        "%(actual)s / %(plan)s · %(percent)s",
        actual=c.fmt_number(row.actual),
        plan=c.fmt_number(row.plan),
        percent=c.fmt_percent(row.percent),
    )


def _plan_desc(rows: Sequence[PlanRow]) -> str:
    below = sum(1 for r in rows if r.below)
    return _(
        "%(n)s bars of actual values against plan; %(below)s below plan.",
        n=len(rows),
        below=below,
    )


def coverage_chart(
    rows: Sequence[RateRow], *, title: str, desc: str = "", chart_id: str = "coverage-chart"
) -> Markup:
    """Horizontal bars of rates in percent (0–100 at least) with the target rate as a marker.

    Rates below their target are hatched and marked "▼"; an unknown rate has no bar.
    """
    chart_id = c.safe_id(chart_id)
    if not rows:
        return _empty(chart_id, title, desc)
    highest = max(max(r.rate or 0, r.target or 0) for r in rows)
    top = max(100.0, c.nice_max(highest))
    bars = [
        _Bar(
            label=r.label,
            value=r.rate,
            marker=r.target,
            caption=_rate_caption(r),
            below=r.below,
        )
        for r in rows
    ]
    legend = [
        (c.DARK, _("Coverage")),
        (c.hatch(chart_id), _("Below target (▼)")),
        ("marker", _("Target rate")),
    ]
    parts, height = _hbars(chart_id, bars, top, legend)
    default = _("Coverage of %(n)s groups against their target rates.", n=len(rows))
    return c.document(chart_id, height, title, desc or default, parts)


def _rate_caption(row: RateRow) -> str:
    mark = "▼ " if row.below else ""
    value = c.fmt_percent(row.rate, 1)
    if row.target is not None:
        value = _("%(rate)s (target %(target)s)", rate=value, target=c.fmt_percent(row.target, 1))
    return mark + value + (f" · {row.note}" if row.note else "")


def prepost_chart(
    rows: Sequence[PrePostRow], *, title: str, desc: str = "", chart_id: str = "prepost-chart"
) -> Markup:
    """Paired horizontal bars per group: mean pre-test (dotted) and post-test (dark) scores
    on a 0–100 % scale, each with its value, and the number of matched learners."""
    chart_id = c.safe_id(chart_id)
    if not rows:
        return _empty(chart_id, title, desc)
    pair_h = 2 * BAR_H + 16
    parts = [c.group(_scale(100.0, TOP - 8, False), class_="scale", font_size="10")]
    for i, row in enumerate(rows):
        parts.append(_prepost_pair(chart_id, row, TOP + i * pair_h + 4))
    bottom = TOP + pair_h * len(rows)
    parts.append(c.line(BAR_X, TOP, BAR_X, bottom, stroke=c.INK))
    legend = [(c.dots(chart_id), _("Pre-test")), (c.DARK, _("Post-test"))]
    parts.append(c.legend(bottom + 22, legend, x=BAR_X))
    default = _("Mean pre- and post-test scores of %(n)s groups.", n=len(rows))
    return c.document(chart_id, bottom + 34, title, desc or default, parts)


def _prepost_pair(chart_id: str, row: PrePostRow, y: float) -> Markup:
    parts = [
        c.text(LABEL_W, y + BAR_H - 2, c.clip(row.label, LABEL_W), anchor="end"),
        c.text(
            LABEL_W,
            y + 2 * BAR_H + 1,
            _("n = %(n)s", n=c.fmt_number(row.n)),
            anchor="end",
            font_size="10",
        ),
    ]
    for k, (kind, value, fill) in enumerate(
        (("pre", row.pre, c.dots(chart_id)), ("post", row.post, c.DARK))
    ):
        top = y + k * BAR_H
        width = BAR_W * (value or 0) / 100
        parts.append(
            c.rect(
                BAR_X,
                top,
                width,
                BAR_H - 1,
                fill,
                stroke=c.INK,
                stroke_width=0.8,
                class_=f"bar {kind}",
            )
        )
        name = _("Pre-test") if kind == "pre" else _("Post-test")
        caption = f"{name}: {c.fmt_percent(value, 1)}"
        parts.append(c.text(VALUE_X, top + BAR_H - 3, caption, class_="value", font_size="11"))
    label = _(
        "%(label)s: pre-test %(pre)s, post-test %(post)s, n = %(n)s",
        label=row.label,
        pre=c.fmt_percent(row.pre, 1),
        post=c.fmt_percent(row.post, 1),
        n=c.fmt_number(row.n),
    )
    return c.group(parts, label=label, class_="pair")


def _empty(chart_id: str, title: str, desc: str) -> Markup:
    message = _("No data yet.")
    return c.document(chart_id, 40, title, desc or message, [c.empty_note(24, message)])
