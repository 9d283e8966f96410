"""XLSForm imports through pyxform: what is mapped, what is reported, what is refused."""

import pytest

from surveyapp.instruments import imports, services, xlsform

from . import workbooks


def imported(data: bytes, name: str, **kwargs):
    report = imports.import_file(data, name, **kwargs)
    assert report.ok, report.errors
    version = services.find_instrument(report.key).latest
    return report, version, {item.key: item for item in version.items}


def test_flat_single_language_form(f):
    report, version, items = imported(workbooks.flat_survey(), "khảo sát.xlsx")
    assert report.key == "khao_sat_van_yen" and report.created_instrument
    assert version.title == {"vi": "Khảo sát Văn Yên"}
    assert [i.key for i in version.items] == [
        "welcome",
        "ai_frequency",
        "ai_frequency_other",
        "ai_purposes",
        "age",
        "village",
        "class_day",
    ]
    assert {k: i.qtype for k, i in items.items()} == {
        "welcome": "note",
        "ai_frequency": "single_choice",
        "ai_frequency_other": "short_text",
        "ai_purposes": "multiple_choice",
        "age": "integer",
        "village": "short_text",
        "class_day": "date",
    }
    assert items["welcome"].label == {"vi": "Chào mừng bạn đến lớp học ở Mù Cang Chải"}
    assert items["age"].required and items["age"].hint == {"vi": "Số năm"}
    assert [c["value"] for c in items["ai_purposes"].choices] == ["writing", "translation", "other"]
    assert {i.page for i in version.items} == {1}
    # "or_other" adds an "other" choice and a text question shown when it is chosen.
    assert items["ai_frequency"].choices[-1]["value"] == "other"
    assert items["ai_frequency_other"].relevant == "selected(${ai_frequency}, 'other')"
    assert "kind" in report.codes()  # no kind given: noted, not guessed silently
    assert version.instrument.kind == "pre_survey" and version.instrument.locality_id is None


def test_groups_relevance_constraints_and_translations(f):
    report, version, items = imported(
        workbooks.grouped_translated(), "follow.xlsx", kind="follow_up"
    )
    assert version.instrument.kind == "follow_up"
    assert list(items) == ["ai_frequency", "at_work", "hours", "useful", "story", "cost", "thanks"]
    assert items["ai_frequency"].label == {"vi": "Tần suất dùng AI", "en": "How often"}
    assert items["ai_frequency"].hint == {"vi": "Chọn một", "en": "Choose one"}
    assert items["ai_frequency"].choices[0] == {
        "value": "never",
        "label": {"vi": "Chưa dùng", "en": "Never"},
    }
    # select_one with exactly yes/no -> yes_no; likert appearance with 1..5 -> likert.
    assert items["at_work"].qtype == "yes_no" and items["at_work"].choices == []
    assert items["useful"].qtype == "likert" and len(items["useful"].choices) == 5
    assert items["story"].qtype == "long_text" and items["cost"].qtype == "decimal"
    # Groups become sections; the field-list group is a page of its own.
    assert items["hours"].section == {"vi": "Việc dùng AI", "en": "Use of AI"}
    assert items["cost"].section == {"vi": "Ý kiến", "en": "Opinion"}
    assert [items[k].page for k in items] == [1, 1, 1, 2, 2, 2, 2]
    # Relevance and constraints are kept as text; a group's condition is added to its items.
    assert items["at_work"].relevant == "${ai_frequency} != 'never'"
    assert items["useful"].relevant == "${ai_frequency} != 'never'"
    assert items["story"].relevant == "(${ai_frequency} != 'never') and (${useful} >= 3)"
    assert items["hours"].constraint == ". >= 0 and . <= 60"
    assert items["hours"].constraint_message == {
        "vi": "Từ 0 đến 60 giờ",
        "en": "From 0 to 60 hours",
    }
    assert items["ai_frequency"].required and not items["hours"].required
    assert not report.skipped


def test_skill_test_columns(f):
    report, version, items = imported(workbooks.skill_test(), "quick.xlsx")
    assert report.kind == "skill_test"
    assert items["q1"].answer_key == "c" and items["q1"].points == 1
    assert items["q1"].competency == "understanding_ai"
    assert items["q1"].explanation == {"vi": "Có, nó đoán theo xác suất.", "en": "Yes, it guesses."}
    assert items["q2"].answer_key == ["a", "d"] and items["q2"].partial_credit
    assert items["q3"].answer_key == 4


def test_unsupported_things_are_listed_never_dropped_silently(f):
    report, version, items = imported(workbooks.unsupported(), "unsupported.xlsx")
    assert list(items) == ["name_village", "ai_frequency"]
    assert items["name_village"].label == {"vi": "Tên thôn"}  # "Tiếng Việt" is Vietnamese
    skipped = {(p.code, p.where.split(" ")[0]) for p in report.skipped}
    assert ("unsupported_type", "location") in skipped
    assert ("unsupported_type", "photo") in skipped
    assert ("unsupported_type", "total") in skipped
    assert ("repeat", "children") in skipped
    assert ("choices_from_file", "village") in skipped  # the form still imports
    assert ("choices_from_file", "crops") in skipped
    messages = " ".join(p.message for p in report.skipped)
    for column in ("default", "choice_filter", "media", "my_column", "Français (fr)", "crops.xml"):
        assert column in messages
    assert any("row 3" in p.where for p in report.skipped)  # the row is named


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (workbooks.no_survey_sheet, "xlsform"),
        (workbooks.unknown_reference, "xlsform"),
        (workbooks.bad_expression, "expression"),
        (lambda: b"PK\x03\x04 not really a zip file", "workbook"),
        (lambda: b"type,name,label\ntext,a,A\n", "workbook"),
    ],
)
def test_broken_workbooks_are_refused_with_reasons(f, build, code):
    report = imports.import_file(build(), "broken.xlsx")
    assert not report.ok
    assert code in {p.code for p in report.errors}
    assert all(p.message for p in report.errors)
    assert services.find_instrument("broken") is None


def test_bad_expressions_name_the_item_and_the_reason(f):
    report = imports.import_file(workbooks.bad_expression(), "bad.xlsx")
    problems = {p.where: p.message for p in report.errors}
    assert "regex" in problems["phone"]
    assert "age" in problems


def test_the_key_option_wins_over_the_form_id(f):
    report = imports.import_file(workbooks.flat_survey(), "x.xlsx", key="khao-sat-rieng")
    assert report.ok and services.find_instrument("khao-sat-rieng") is not None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Vietnamese (vi)", "vi"),
        ("vi", "vi"),
        ("Tiếng Việt", "vi"),
        ("English (en)", "en"),
        ("en", "en"),
        ("default", "vi"),
        ("Français (fr)", None),
    ],
)
def test_language_names(name, expected):
    assert xlsform.map_language(name, "vi") == expected


def test_slugify_drops_vietnamese_marks():
    assert xlsform.slugify("Khảo sát đầu vào Đồng Tâm") == "khao-sat-dau-vao-dong-tam"
