"""The own definition format: checking, normalising, writing (no database needed)."""

import json

import pytest
import yaml

from surveyapp.instruments import definition, documents

from .helpers import check, definition_dict


def codes(report):
    return {p.code for p in report.errors}


def test_a_valid_definition_is_normalised(ctx):
    normal, report = check(definition_dict("khao-sat"))
    assert report.ok, report.errors
    first, hours, story = normal["items"]
    assert first["page"] == 1 and first["points"] == 0 and first["hint"] == {}
    assert hours["min"] == 0 and hours["max"] == 168 and story["page"] == 2
    assert story["label"]["vi"] == "Kể một ví dụ ở Mù Cang Chải"
    assert report.key == "khao-sat" and report.item_count == 3


def test_pages_carry_forward_and_a_plain_string_is_vietnamese(ctx):
    raw = definition_dict(
        items=[
            {"key": "a", "type": "note", "page": 2, "label": "Chào bạn"},
            {"key": "b", "type": "short_text", "label": "Thôn"},
        ]
    )
    normal, report = check(raw)
    assert report.ok
    assert [i["page"] for i in normal["items"]] == [2, 2]
    assert normal["items"][0]["label"] == {"vi": "Chào bạn"}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"key": "Khảo Sát!"}, "key"),
        ({"kind": "exam"}, "kind"),
        ({"title": None}, "required"),
        ({"items": []}, "required"),
        ({"colour": "red"}, "unknown_field"),
        ({"settings": {"pass_percent": 170}}, "number"),
        ({"settings": {"timer": 3}}, "unknown_field"),
    ],
)
def test_instrument_level_problems(ctx, change, code):
    _normal, report = check(definition_dict(**change))
    assert code in codes(report)


@pytest.mark.parametrize(
    ("item", "code"),
    [
        ({"key": "x", "type": "slider", "label": "X"}, "type"),
        ({"key": "2x", "type": "short_text", "label": "X"}, "key"),
        ({"key": "x", "type": "short_text"}, "required"),
        ({"key": "x", "type": "short_text", "label": "X", "colour": 1}, "unknown_field"),
        ({"key": "x", "type": "short_text", "label": {"fr": "X"}}, "language"),
        ({"key": "x", "type": "short_text", "label": "X", "required": "yes"}, "flag"),
        ({"key": "x", "type": "short_text", "label": "X", "competency": "magic"}, "competency"),
        ({"key": "x", "type": "short_text", "label": "X", "points": -1}, "points"),
        ({"key": "x", "type": "short_text", "label": "X", "page": 0}, "page"),
        (
            {"key": "x", "type": "short_text", "label": "X", "relevant": "${nowhere} = 1"},
            "expression",
        ),
        (
            {"key": "x", "type": "short_text", "label": "X", "constraint": "regex(., 'a')"},
            "expression",
        ),
        ({"key": "x", "type": "short_text", "label": "X", "relevant": ". > 1"}, "expression"),
        (
            {
                "key": "x",
                "type": "single_choice",
                "label": "X",
                "choices": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
                "answer": "c",
            },
            "definition",
        ),
        ({"key": "x", "type": "short_text", "label": "X", "answer": "a"}, "definition"),
        (
            {
                "key": "x",
                "type": "short_text",
                "label": "X",
                "choices": [{"value": "a b", "label": "A"}],
            },
            "choices",
        ),
    ],
)
def test_item_problems(ctx, item, code):
    _normal, report = check(
        definition_dict(items=[{"key": "first", "type": "note", "label": "Hi"}, item])
    )
    assert code in codes(report), report.errors
    assert any(p.where for p in report.errors)


def test_duplicate_keys_pages_going_back_and_later_references_are_refused(ctx):
    items = [
        {"key": "a", "type": "short_text", "label": "A", "page": 2, "relevant": "${b} = 'x'"},
        {"key": "b", "type": "short_text", "label": "B", "page": 1},
        {"key": "a", "type": "short_text", "label": "A again", "page": 2},
    ]
    _normal, report = check(definition_dict(items=items))
    assert {"duplicate_key", "page", "expression"} <= codes(report)


def test_a_bare_yaml_yes_answer_is_read_as_yes(ctx):
    raw = yaml.safe_load(
        """
key: quiz
kind: skill_test
title: Đố vui
items:
  - {key: q1, type: yes_no, label: "AI có thể sai?", answer: yes, points: 1}
  - {key: q2, type: integer, label: "2 + 2 = ?", answer: 4, points: 1}
"""
    )
    normal, report = check(raw)
    assert report.ok, report.errors
    assert [i["answer"] for i in normal["items"]] == ["yes", 4]


def test_compact_dump_and_reload_give_the_same_definition(ctx):
    normal, _report = check(definition_dict("khao-sat"))
    for file_format, load in (("yaml", yaml.safe_load), ("json", json.loads)):
        text = documents.dump(normal, file_format)
        assert "Mù Cang Chải" in text  # diacritics written as they are
        again, report = check(load(text))
        assert report.ok and again == normal
    compact = documents.compact(normal)
    assert "hint" not in compact["items"][0] and "points" not in compact["items"][0]


@pytest.mark.parametrize(
    ("data", "file_format"),
    [
        (b"key: [unclosed", "yaml"),
        (b"{not json", "json"),
        (b"- a list", "yaml"),
        (b"\xff\xfe", "yaml"),
    ],
)
def test_unreadable_documents_are_reported(ctx, data, file_format):
    report = definition.ImportReport()
    assert documents.load_document(data, file_format, report) is None
    assert not report.ok


def test_to_number():
    assert definition.to_number("2") == 2 and definition.to_number("2.50") == 2.5
    assert definition.to_number(True) is None and definition.to_number("abc") is None
    assert definition.to_number("NaN") is None
