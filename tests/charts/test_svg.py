"""The SVG charts: well-formed XML, bars proportional to values, empty data, escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from markupsafe import Markup

from surveyapp.charts._canvas import clip, nice_max, safe_id, ticks
from surveyapp.charts.svg import (
    BAR_W,
    PlanRow,
    PrePostRow,
    RateRow,
    TrendRow,
    coverage_chart,
    plan_chart,
    prepost_chart,
    trend_chart,
)

HOSTILE = '<script>alert("x")</script> & "Mù Cang Chải"'


def parse(svg: Markup) -> ET.Element:
    assert isinstance(svg, Markup)
    return ET.fromstring(str(svg))  # noqa: S314 (our own output, parsed to check it)


def bars(root: ET.Element, css: str = "bar") -> list[ET.Element]:
    return [el for el in root.iter("rect") if css in (el.get("class") or "").split()]


def texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter("text")]


def test_plan_chart_bars_are_proportional_and_marked(ctx):
    rows = [PlanRow("Xã Mù Cang Chải", 45, 60), PlanRow("Xã Văn Yên", 120, 100), PlanRow("X", 0)]
    root = parse(plan_chart(rows, title="Learners against plan"))
    widths = [float(el.get("width")) for el in bars(root)]
    top = nice_max(120)
    assert widths == pytest.approx([BAR_W * 45 / top, BAR_W * 120 / top, 0])
    assert widths[0] / widths[1] == pytest.approx(45 / 120)
    markers = [el for el in root.iter("line") if el.get("class") == "marker"]
    assert len(markers) == 2  # no marker without a plan
    assert float(markers[0].get("x1")) - 178 == pytest.approx(BAR_W * 60 / top)
    labels = texts(root)
    assert "Xã Mù Cang Chải" in labels
    assert "▼ 45 / 60 · 75%" in labels  # below plan: a text marker, not colour alone
    assert "120 / 100 · 120%" in labels
    assert "0 (no plan)" in labels
    below = [g for g in root.iter("g") if g.get("class") == "row below"]
    assert len(below) == 1
    assert below[0].find("rect").get("fill") == "url(#plan-chart-hatch)"


def test_plan_chart_is_named_for_screen_readers(ctx):
    root = parse(plan_chart([PlanRow("A", 1, 2)], title="Lớp học", desc="Mô tả", chart_id="k1"))
    assert root.get("role") == "img"
    assert root.find("title").text == "Lớp học"
    assert root.find("desc").text == "Mô tả"
    assert root.get("aria-labelledby") == "k1-title k1-desc"
    assert root.get("viewBox").startswith("0 0 640 ")
    assert root.get("width") == "100%" and root.get("height") is None
    assert "xmlns" not in str(plan_chart([PlanRow("A", 1)], title="t"))
    assert 'xmlns="http://www.w3.org/2000/svg"' in str(
        __import__("surveyapp.charts._canvas", fromlist=["document"]).document(
            "x", 10, "t", "d", [], standalone=True
        )
    )


@pytest.mark.parametrize(
    "chart",
    [
        lambda t: plan_chart([PlanRow(HOSTILE, 3, 4)], title=t, desc=t),
        lambda t: coverage_chart([RateRow(HOSTILE, 50, 60, note=t)], title=t, desc=t),
        lambda t: prepost_chart([PrePostRow(HOSTILE, 10, 20, 2)], title=t, desc=t),
        lambda t: trend_chart([TrendRow(date(2026, 3, 1), 2, 1)], title=t, desc=t),
    ],
)
def test_every_label_is_escaped(ctx, chart):
    svg = chart(HOSTILE)
    root = parse(svg)  # still well-formed
    assert "<script" not in str(svg)
    assert not list(root.iter("script"))
    assert root.find("title").text == HOSTILE
    assert "&lt;script&gt;" in str(svg)


@pytest.mark.parametrize("func", [plan_chart, coverage_chart, prepost_chart, trend_chart])
def test_empty_data_gives_a_small_chart_saying_so(ctx, func):
    root = parse(func([], title="Empty"))
    assert texts(root) == ["No data yet."]
    assert not bars(root)


def test_all_zero_values_draw_zero_length_bars(ctx):
    root = parse(plan_chart([PlanRow("A", 0, 0), PlanRow("B", 0, None)], title="z"))
    assert [float(el.get("width")) for el in bars(root)] == [0, 0]
    assert "0 (no plan)" in texts(root)
    root = parse(trend_chart([TrendRow(date(2026, 1, 1), 0, 0)], title="z"))
    assert [float(el.get("height")) for el in bars(root)] == [0]


def test_coverage_chart_scale_and_target_markers(ctx):
    rows = [
        RateRow("Cán bộ", 80, 100, "8 / 10"),
        RateRow("Người dân", 12.5, 75),
        RateRow("?", None),
    ]
    root = parse(coverage_chart(rows, title="Coverage"))
    widths = [float(el.get("width")) for el in bars(root)]
    assert widths == pytest.approx([BAR_W * 0.8, BAR_W * 0.125, 0])
    labels = texts(root)
    assert "▼ 80% (target 100%) · 8 / 10" in labels
    assert "▼ 12.5% (target 75%)" in labels
    assert "–" in labels
    markers = [el for el in root.iter("line") if el.get("class") == "marker"]
    assert len(markers) == 2


def test_coverage_above_100_percent_widens_the_scale(ctx):
    root = parse(coverage_chart([RateRow("A", 150, 100), RateRow("B", 75, 50)], title="c"))
    widths = [float(el.get("width")) for el in bars(root)]
    assert widths == pytest.approx([BAR_W * 150 / 200, BAR_W * 75 / 200])
    values = ["".join(el.itertext()) for el in root.iter("text") if el.get("class") == "value"]
    assert values == ["150% (target 100%)", "75% (target 50%)"]


def test_prepost_chart_pairs_bars_on_a_percent_scale(ctx):
    rows = [PrePostRow("Tất cả", 45.5, 78.25, 12), PrePostRow("Cán bộ", None, 80, 3)]
    root = parse(prepost_chart(rows, title="Pre/post"))
    pre = [float(el.get("width")) for el in bars(root, "pre")]
    post = [float(el.get("width")) for el in bars(root, "post")]
    assert pre == pytest.approx([BAR_W * 0.455, 0])
    assert post == pytest.approx([BAR_W * 0.7825, BAR_W * 0.8])
    labels = texts(root)
    assert "Pre-test: 45.5%" in labels and "Post-test: 78.2%" in labels
    assert "Pre-test: –" in labels
    assert "n = 12" in labels


def test_trend_chart_columns_and_cumulative_line(ctx):
    rows = [TrendRow(date(2026, m, 1), m * 10, m * m) for m in range(1, 7)]
    root = parse(trend_chart(rows, title="Trend"))
    heights = [float(el.get("height")) for el in bars(root)]
    top = nice_max(60)
    assert heights == pytest.approx([200 * m * 10 / top for m in range(1, 7)])
    line = next(el for el in root.iter("polyline") if el.get("class") == "line")
    ys = [float(p.split(",")[1]) for p in line.get("points").split()]
    assert [224 - y for y in ys] == pytest.approx([200 * m * m / top for m in range(1, 7)])
    labels = texts(root)
    assert "03/2026" in labels and "36" in labels and "60" in labels


def test_trend_chart_turns_month_labels_when_crowded(ctx):
    rows = [TrendRow(date(2025 + m // 12, m % 12 + 1, 1), 1000 + m, m) for m in range(24)]
    root = parse(trend_chart(rows, title="Two years"))
    months = next(g for g in root.iter("g") if g.get("class") == "months")
    assert all("rotate" in el.get("transform") for el in months.iter("text"))
    assert "1,023" in texts(root)


def test_numbers_follow_the_locale(app):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("vi"):
        root = parse(coverage_chart([RateRow("A", 12.5, 1234.5)], title="t"))
    label = next(t for t in texts(root) if t.startswith("▼"))
    assert label.startswith("▼ 12,5% (") and label.endswith(" 1.234,5%)"), label


def test_helpers():
    assert safe_id("Plan Chart!<1>") == "planchart1"
    assert safe_id("9x") == "c9x"
    assert clip("Xã Mù Cang Chải", 500) == "Xã Mù Cang Chải"
    assert clip("A" * 100, 60).endswith("…")
    assert nice_max(0) == 1 and nice_max(7) == 10 and nice_max(120) == 200 and nice_max(21) == 25
    assert nice_max(2.2) == 2.5 and nice_max(2.2, integer=True) == 5
    assert ticks(100) == [0, 25, 50, 75, 100]
    assert ticks(10, integer=True) == [0, 2, 4, 6, 8, 10]
    assert ticks(2, integer=True) == [0, 1, 2]
    assert ticks(1, integer=True) == [0, 1]
    assert ticks(20, integer=True) == [0, 5, 10, 15, 20]
