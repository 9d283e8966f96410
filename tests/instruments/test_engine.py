"""The form engine (skip logic, required, constraints, scoring, pages) and the item macro."""

import time
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from surveyapp.extensions import db
from surveyapp.instruments import engine
from surveyapp.instruments.models import Instrument, InstrumentVersion, Item
from surveyapp.instruments.qtypes import REGISTRY

TOOLS = [
    {"value": "chatgpt", "label": {"vi": "ChatGPT", "en": "ChatGPT"}},
    {"value": "gemini", "label": {"vi": "Gemini", "en": "Gemini"}},
    {"value": "none", "label": {"vi": "Chưa dùng", "en": "None yet"}},
]
OFTEN = [
    {"value": "never", "label": {"vi": "Chưa bao giờ", "en": "Never"}},
    {"value": "weekly", "label": {"vi": "Hằng tuần", "en": "Weekly"}},
    {"value": "daily", "label": {"vi": "Hằng ngày", "en": "Daily"}},
]


def survey():
    """Page 1: how often (required); hours only for users (required, <= 168); which tools only
    for users; a follow-up only when Gemini is chosen. Page 2: a note and a Likert item."""
    return [
        Item(
            key="often",
            qtype="single_choice",
            page=1,
            required=True,
            choices=OFTEN,
            section={"vi": "Thói quen", "en": "Habits"},
            label={"vi": "Bạn dùng AI thường xuyên?"},
        ),
        Item(
            key="hours",
            qtype="integer",
            page=1,
            required=True,
            relevant="${often} != 'never'",
            constraint=". <= 168",
            min_value=Decimal(0),
            constraint_message={"vi": "Một tuần chỉ có 168 giờ.", "en": "A week has 168 hours."},
            section={"vi": "Thói quen", "en": "Habits"},
            label={"vi": "Bao nhiêu giờ mỗi tuần?"},
        ),
        Item(
            key="tools",
            qtype="multiple_choice",
            page=1,
            relevant="${often} != 'never'",
            choices=TOOLS,
            constraint="not(selected(., 'none') and count-selected(.) > 1)",
            section={"vi": "Công cụ"},
            label={"vi": "Công cụ nào?"},
        ),
        Item(
            key="gemini_for",
            qtype="short_text",
            page=1,
            required=True,
            relevant="selected(${tools}, 'gemini')",
            label={"vi": "Dùng Gemini để làm gì?"},
        ),
        Item(key="intro", qtype="note", page=2, label={"vi": "Phần cuối"}),
        Item(key="trust", qtype="likert", page=2, reverse=True, label={"vi": "Tôi tin AI."}),
    ]


def form(**fields):
    data = MultiDict()
    for key, value in fields.items():
        for v in value if isinstance(value, list) else [value]:
            data.add(key, v)
    return data


def keys(items):
    return [item.key for item in items]


# ---- skip logic ------------------------------------------------------------------------------


def test_visible_items_follow_earlier_answers():
    items = survey()
    assert keys(engine.visible_items(items, {})) == ["often", "intro", "trust"]
    assert keys(engine.visible_items(items, {"often": "never"})) == ["often", "intro", "trust"]
    assert keys(engine.visible_items(items, {"often": "daily", "tools": ["chatgpt"]})) == [
        "often",
        "hours",
        "tools",
        "intro",
        "trust",
    ]
    assert "gemini_for" in keys(
        engine.visible_items(items, {"often": "daily", "tools": ["gemini"]})
    )


def test_hidden_answers_hide_what_depends_on_them():
    # "tools" is hidden (never), so its stale answer cannot show "gemini_for".
    answers = {"often": "never", "tools": ["gemini"], "gemini_for": "viết"}
    assert keys(engine.visible_items(survey(), answers)) == ["often", "intro", "trust"]


def test_hidden_items_answers_are_dropped_and_not_required():
    result = engine.validate_submission(
        survey(),
        form(often="never", hours="999", tools=["gemini", "bogus"], trust="2"),
        locale="vi",
    )
    assert result.ok, result.errors
    assert result.answers == {"often": "never", "trust": 2}
    assert keys(result.visible) == ["often", "intro", "trust"]
    assert result.raw["hours"] == ["999"]  # kept to show the form again


def test_required_only_when_visible():
    result = engine.validate_submission(survey(), form(), locale="en")
    assert result.errors == {"often": "Please answer this question."}
    result = engine.validate_submission(survey(), form(often="weekly"), locale="en")
    assert set(result.errors) == {"hours"}
    result = engine.validate_submission(
        survey(), form(often="weekly", hours="3", tools=["gemini"]), locale="en"
    )
    assert set(result.errors) == {"gemini_for"}
    result = engine.validate_submission(
        survey(), form(often="weekly", hours="3", tools=["gemini"], gemini_for="Viết báo cáo")
    )
    assert result.ok
    assert result.answers == {
        "often": "weekly",
        "hours": 3,
        "tools": ["gemini"],
        "gemini_for": "Viết báo cáo",
    }


def test_constraint_messages_in_the_item_language_or_generic():
    items = survey()
    vi = engine.validate_submission(items, form(often="daily", hours="200"), locale="vi")
    assert vi.errors["hours"] == "Một tuần chỉ có 168 giờ."
    en = engine.validate_submission(items, form(often="daily", hours="200"), locale="en")
    assert en.errors["hours"] == "A week has 168 hours."
    both = engine.validate_submission(
        items, form(often="daily", hours="2", tools=["none", "gemini"]), locale="en"
    )
    assert both.errors == {"tools": "This answer is not accepted. Please check it."}
    assert "tools" not in both.answers and "gemini_for" not in keys(both.visible)


def test_type_errors_come_before_constraints_and_bounds_apply():
    result = engine.validate_submission(survey(), form(often="daily", hours="-1"), locale="en")
    assert result.errors["hours"] == "Enter a number of at least 0."
    result = engine.validate_submission(survey(), form(often="daily", hours="nan"), locale="en")
    assert "whole number" in result.errors["hours"]
    result = engine.validate_submission(survey(), form(often="sometimes"), locale="en")
    assert result.errors == {"often": "Choose one of the listed options."}


def test_tampered_and_hostile_values_are_refused_per_item():
    result = engine.validate_submission(
        survey(),
        form(often=["daily", "never"], trust="9", intro="tampered"),
        locale="en",
    )
    assert result.errors == {
        "often": "Give only one answer to this question.",
        "trust": "Choose a point from 1 to 5.",
    }
    assert "intro" not in result.answers


def test_plain_dict_forms_and_earlier_pages():
    page1, page2 = engine.pages(survey())
    first = engine.validate_submission(
        page1, {"often": "daily", "hours": "5", "tools": ["gemini"], "gemini_for": "dịch"}
    )
    assert first.ok
    second = engine.validate_submission(page2, {"trust": "5"}, earlier=first.answers)
    assert second.answers == {"trust": 5}


def test_constraints_may_refer_to_earlier_answers_and_today():
    items = [
        Item(key="start", qtype="date", label={"vi": "Bắt đầu"}),
        Item(
            key="end",
            qtype="date",
            constraint=". >= ${start} and . <= today()",
            constraint_message={"vi": "Ngày không hợp lệ."},
            label={"vi": "Kết thúc"},
        ),
    ]
    today = date(2025, 7, 1)
    ok = engine.validate_submission(items, form(start="01/06/2025", end="2025-06-30"), today=today)
    assert ok.ok and ok.answers["end"] == "2025-06-30"
    late = engine.validate_submission(
        items, form(start="2025-06-01", end="2025-07-02"), today=today, locale="vi"
    )
    assert late.errors == {"end": "Ngày không hợp lệ."}


def test_a_broken_stored_expression_does_not_break_the_form(caplog):
    items = [
        Item(
            key="a",
            qtype="short_text",
            relevant="__import__('os')",
            constraint="(((",
            label={"vi": "A"},
        )
    ]
    result = engine.validate_submission(items, form(a="xin chào"))
    assert result.answers == {"a": "xin chào"}
    assert "Ignoring the relevant of item a" in caplog.text


def test_validating_a_big_form_is_fast():
    items = [
        Item(
            key=f"q{i}",
            qtype="integer",
            required=True,
            relevant=f"${{q{i - 1}}} >= 0" if i else "",
            constraint=". < 1000",
            label={"vi": f"Câu {i}"},
        )
        for i in range(400)
    ]
    data = form(**{f"q{i}": str(i) for i in range(400)})
    started = time.perf_counter()
    result = engine.validate_submission(items, data)
    assert result.ok and len(result.answers) == 400
    assert time.perf_counter() - started < 1.0


# ---- scoring and storage -----------------------------------------------------------------------


def quiz():
    choices = [{"value": v, "label": {"vi": v.upper()}} for v in "abcd"]
    return [
        Item(key="t1", qtype="single_choice", choices=choices, answer_key="c", points=Decimal(1)),
        Item(
            key="t2",
            qtype="multiple_choice",
            choices=choices,
            answer_key=["a", "b", "c"],
            points=Decimal(3),
            partial_credit=True,
        ),
        Item(key="t3", qtype="yes_no", answer_key="no", points=Decimal("0.5")),
        Item(key="t4", qtype="integer", answer_key=7, points=Decimal(2), relevant="${t3} = 'yes'"),
        Item(key="t5", qtype="likert", competency="privacy_safety"),
        Item(key="t6", qtype="multiple_choice", choices=choices, answer_key=["d"], points=1),
    ]


def test_score_hand_computed():
    answers = {"t1": "c", "t2": ["a", "b", "d"], "t3": "no", "t5": 4}
    result = engine.score(quiz(), answers)
    # t1 1; t2 3 * (2 - 1) / 3 = 1; t3 0.5; t4 hidden; t5 not scored; t6 unanswered 0.
    assert result.per_item == {
        "t1": Decimal("1.00"),
        "t2": Decimal("1.00"),
        "t3": Decimal("0.50"),
        "t6": Decimal("0.00"),
    }
    assert result.score == Decimal("2.50")
    assert result.max_score == Decimal("5.50")
    assert result.percent == Decimal("45.5")


def test_score_counts_items_shown_by_skip_logic():
    result = engine.score(quiz(), {"t3": "yes", "t4": 7})
    assert result.per_item["t4"] == Decimal("2.00")
    assert result.score == Decimal("2.00") and result.max_score == Decimal("7.50")


def test_score_with_nothing_scored():
    result = engine.score([Item(key="x", qtype="likert")], {"x": 3})
    assert result.score == 0 and result.max_score == 0 and result.percent is None


def test_answer_rows_and_raw_values():
    answers = {"t1": "a", "t2": ["a", "b", "c"], "t3": "yes", "t4": 7, "t5": 2}
    rows = {row.item.key: row for row in engine.answer_rows(quiz(), answers)}
    assert set(rows) == {"t1", "t2", "t3", "t4", "t5"}
    assert rows["t1"].points == Decimal("0.00") and rows["t2"].points == Decimal("3.00")
    assert rows["t3"].number == Decimal(1) and rows["t4"].number == Decimal(7)
    assert rows["t5"].number == Decimal(2) and rows["t5"].points is None
    raw = engine.raw_values(quiz(), answers)
    assert raw["t2"] == ["a", "b", "c"] and raw["t4"] == ["7"] and raw["t5"] == ["2"]


def test_pages_group_in_order():
    items = [
        Item(key="a", qtype="note", page=1),
        Item(key="b", qtype="note", page=3),
        Item(key="c", qtype="note", page=1),
        Item(key="d", qtype="note", page=2),
        Item(key="e", qtype="note"),
    ]
    assert [keys(page) for page in engine.pages(items)] == [["a", "c", "e"], ["d"], ["b"]]
    assert engine.pages([]) == []


def test_items_loaded_from_the_database_behave_the_same(ctx):
    instrument = Instrument(key="khao-sat", kind="pre_survey", title={"vi": "Khảo sát"})
    version = InstrumentVersion(instrument=instrument, number=1, items=survey() + quiz()[:3])
    for position, item in enumerate(version.items):
        item.position = position
    db.session.add(instrument)
    db.session.flush()
    db.session.expire_all()
    loaded = db.session.scalars(
        sa.select(InstrumentVersion).where(InstrumentVersion.id == version.id)
    ).one()
    items = loaded.items
    hours = next(i for i in items if i.key == "hours")
    assert hours.min_value == Decimal("0") and hours.points == 0
    result = engine.validate_submission(items, form(often="daily", hours="-3"), locale="vi")
    assert result.errors["hours"] == "Enter a number of at least 0."
    good = engine.validate_submission(
        items,
        form(often="daily", hours="40", tools=["chatgpt"], trust="1", t1="c", t2=["a"], t3="no"),
        locale="vi",
    )
    assert good.ok, good.errors
    scored = engine.score(items, good.answers)
    assert scored.score == Decimal("2.50") and scored.max_score == Decimal("4.50")


# ---- rendering ------------------------------------------------------------------------------


@pytest.fixture
def macros(app):
    with app.test_request_context("/"):
        yield app.jinja_env.get_template("instruments/_items.html").module


def test_render_item_keeps_values_and_marks_errors(macros):
    item = survey()[1]
    html = macros.render_item(item, ["abc"], "Nhập một số nguyên.", "vi")
    assert isinstance(html, Markup)
    assert 'name="hours"' in html and 'value="abc"' in html
    assert 'inputmode="numeric"' in html and 'type="text"' in html
    assert 'aria-invalid="true"' in html and 'aria-required="true"' in html
    assert 'aria-describedby="item-hours-hint item-hours-error"' in html
    assert 'id="item-hours-error" role="alert">Nhập một số nguyên.' in html
    assert "At least 0." in html
    assert "<script" not in html and "style=" not in html


def test_render_item_without_error_has_no_aria_invalid(macros):
    html = macros.render_item(survey()[0], ["weekly"], None, "vi")
    assert "aria-invalid" not in html
    assert '<legend class="item-label" id="item-often-label">Bạn dùng AI thường xuyên?' in html
    assert 'value="weekly" checked' in html and 'value="daily">' in html
    assert html.count('type="radio"') == 3


def test_render_escapes_hostile_texts_and_values(macros):
    item = Item(key="x", qtype="short_text", label={"vi": "<script>alert(1)</script>"})
    html = macros.render_item(item, ['"><img src=x onerror=alert(1)>'], "<b>lỗi</b>", "vi")
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&#34;&gt;&lt;img" in html


def test_render_each_type(macros):
    choices = [
        {"value": "a", "label": {"vi": "Văn Yên"}},
        {"value": "b", "label": {"vi": "Mù Cang Chải"}},
    ]
    html = {
        qtype: str(
            macros.render_item(
                Item(key="k", qtype=qtype, label={"vi": "Câu"}, choices=choices), values, None, "vi"
            )
        )
        for qtype, values in [
            ("single_choice", ["b"]),
            ("multiple_choice", ["a", "b"]),
            ("likert", ["5"]),
            ("yes_no", ["no"]),
            ("integer", ["12"]),
            ("decimal", ["2,5"]),
            ("short_text", ["Văn Yên"]),
            ("long_text", ["dòng 1\ndòng 2"]),
            ("date", ["2025-07-01"]),
            ("note", []),
        ]
    }
    assert html["multiple_choice"].count('type="checkbox"') == 2
    assert html["multiple_choice"].count("checked") == 2
    assert "Mù Cang Chải" in html["single_choice"]
    likert = Item(key="k", qtype="likert", label={"vi": "Câu"})
    plain_likert = str(macros.render_item(likert, ["5"], None, "vi"))
    assert plain_likert.count('type="radio"') == 5 and 'value="5" checked' in plain_likert
    assert "Strongly disagree" in plain_likert and "Strongly agree" in plain_likert
    assert html["yes_no"].count('type="radio"') == 2 and 'value="no" checked' in html["yes_no"]
    assert 'inputmode="decimal"' in html["decimal"] and 'value="2,5"' in html["decimal"]
    assert 'type="date"' in html["date"] and 'value="2025-07-01"' in html["date"]
    assert f'maxlength="{REGISTRY["short_text"].default_max_length}"' in html["short_text"]
    assert f'maxlength="{REGISTRY["long_text"].default_max_length}"' in html["long_text"]
    assert "dòng 1\ndòng 2</textarea>" in html["long_text"]
    assert "<input" not in html["note"] and "Câu" in html["note"]
    assert 'value="Văn Yên"' in html["short_text"]


def test_render_page_shows_sections_when_they_change(macros):
    items = survey()
    html = str(
        macros.render_page(items, {"often": ["daily"], "hours": ["x"]}, {"hours": "Sai"}, "en")
    )
    assert html.count('class="item-section"') == 2
    assert html.index("Habits") < html.index('name="often"') < html.index("Công cụ")
    assert html.count("Thói quen") == 0  # English chosen, Vietnamese only as a fallback
    assert html.count('aria-invalid="true"') == 1
    assert 'value="daily" checked' in html
    assert "Bạn dùng AI thường xuyên?" in html  # no English label: falls back to Vietnamese


def test_render_page_uses_the_request_language_by_default(app, vietnamese_default):
    with app.test_request_context("/"):
        module = app.jinja_env.get_template("instruments/_items.html").module
        html = str(module.render_page(survey()[:1]))
    assert "Thói quen" in html and "Chưa bao giờ" in html
