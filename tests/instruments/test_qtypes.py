"""Question types: reading form strings (good, bad and hostile), numbers, scoring, definitions."""

from decimal import Decimal

import pytest

from surveyapp.instruments.models import Item
from surveyapp.instruments.qtypes import REGISTRY, AnswerError, get_type

CHOICES = [{"value": v, "label": {"vi": f"Lựa chọn {v}", "en": v}} for v in ("a", "b", "c", "d")]


def make(qtype, **kw):
    return Item(key=kw.pop("key", "q"), qtype=qtype, **kw)


def parse(qtype, raw, **kw):
    return get_type(qtype).parse(make(qtype, **kw), raw)


def refused(qtype, raw, **kw) -> str:
    with pytest.raises(AnswerError) as caught:
        parse(qtype, raw, **kw)
    assert str(caught.value) == str(caught.value.message) and caught.value.message
    return str(caught.value.message)


def test_registry_has_every_type_once():
    assert set(REGISTRY) == {
        "single_choice",
        "multiple_choice",
        "likert",
        "yes_no",
        "integer",
        "decimal",
        "short_text",
        "long_text",
        "date",
        "note",
    }
    assert all(name == t.name and str(t.title) for name, t in REGISTRY.items())
    assert [n for n, t in REGISTRY.items() if t.multiple] == ["multiple_choice"]
    assert [n for n, t in REGISTRY.items() if not t.has_answer] == ["note"]
    with pytest.raises(KeyError):
        get_type("__import__('os')")


@pytest.mark.parametrize("qtype", sorted(REGISTRY))
@pytest.mark.parametrize("raw", [[], [""], ["   "], None])
def test_empty_input_is_no_answer(qtype, raw):
    assert parse(qtype, raw, choices=CHOICES) is None


# ---- choices ---------------------------------------------------------------------------


def test_single_choice():
    assert parse("single_choice", ["b"], choices=CHOICES) == "b"
    assert parse("single_choice", "c", choices=CHOICES) == "c"
    for bad in (["e"], ["A"], ["a b"], ["<script>alert(1)</script>"], ["a\x00"], ["' OR 1=1 --"]):
        assert "listed options" in refused("single_choice", bad, choices=CHOICES)
    assert "only one" in refused("single_choice", ["a", "b"], choices=CHOICES)


def test_single_choice_without_choices_refuses_everything():
    assert "listed options" in refused("single_choice", ["a"])


def test_multiple_choice_keeps_declared_order_and_refuses_tampering():
    assert parse("multiple_choice", ["c", "a"], choices=CHOICES) == ["a", "c"]
    assert parse("multiple_choice", ["d"], choices=CHOICES) == ["d"]
    assert parse("multiple_choice", ["", "b"], choices=CHOICES) == ["b"]
    assert "only once" in refused("multiple_choice", ["a", "a"], choices=CHOICES)
    assert "only among" in refused("multiple_choice", ["a", "zz"], choices=CHOICES)
    assert "only once" in refused("multiple_choice", ["a"] * 10_000, choices=CHOICES)


def test_choice_values_given_as_numbers_in_the_definition():
    choices = [{"value": 1, "label": "Một"}, {"value": 2, "label": "Hai"}]
    assert parse("single_choice", ["2"], choices=choices) == "2"
    item = make("single_choice", choices=choices)
    assert get_type("single_choice").number(item, "2") == Decimal(2)
    assert get_type("single_choice").number(item, "abc") is None
    assert get_type("single_choice").number(item, "99999999999999") is None


def test_likert_points_and_reverse_coding():
    likert = get_type("likert")
    assert [parse("likert", [str(p)]) for p in range(1, 6)] == [1, 2, 3, 4, 5]
    for bad in (["0"], ["6"], ["3.0"], ["-1"], ["nan"], ["１"], ["1e0"]):
        assert "1 to 5" in refused("likert", bad)
    plain, reverse = make("likert"), make("likert", reverse=True)
    assert likert.number(reverse, 2) == Decimal(2)  # stored raw
    assert likert.coded(plain, 2) == Decimal(2)
    assert likert.coded(reverse, 2) == Decimal(4)
    assert likert.coded(reverse, 5) == Decimal(1)
    assert likert.coded(reverse, None) is None
    assert likert.score(make("likert", answer_key=5, points=1), 5) is None


def test_yes_no():
    yes_no = get_type("yes_no")
    assert parse("yes_no", ["yes"]) == "yes" and parse("yes_no", ["no"]) == "no"
    for bad in (["YES"], ["maybe"], ["1"], ["true"]):
        assert "yes or no" in refused("yes_no", bad)
    item = make("yes_no")
    assert yes_no.number(item, "yes") == 1 and yes_no.number(item, "no") == 0
    # YAML reads a bare ``yes`` as True: keys in either form work.
    for key in (True, "yes", "Yes"):
        assert yes_no.score(make("yes_no", answer_key=key, points=2), "yes") == Decimal("2.00")
        assert yes_no.score(make("yes_no", answer_key=key, points=2), "no") == Decimal("0.00")


# ---- numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("+3", 3),
        ("-4", -4),
        ("0", 0),
        ("１２", 12),
        ("9999999999", 9999999999),
    ],
)
def test_integer_good(raw, value):
    result = parse("integer", [raw])
    assert result == value and isinstance(result, int)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("12.5", "whole number"),
        ("1,000", "whole number"),
        ("1e3", "whole number"),
        ("nan", "whole number"),
        ("inf", "whole number"),
        ("-Infinity", "whole number"),
        ("0x1F", "whole number"),
        ("١٢", "whole number"),
        ("1_000", "whole number"),
        ("12 giờ", "whole number"),
        ("__import__('os').system('ls')", "whole number"),
        ("10000000000", "too large"),
        ("9" * 39, "too large"),
        ("9" * 41, "too long"),
        ("9" * 1_000_000, "too long"),
    ],
)
def test_integer_bad(raw, words):
    assert words in refused("integer", [raw])


def test_number_bounds_messages():
    bounded = {"min_value": Decimal("0.0000"), "max_value": Decimal("168.0000")}
    assert parse("integer", ["168"], **bounded) == 168
    assert refused("integer", ["169"], **bounded) == "Enter a number from 0 to 168."
    assert refused("integer", ["-1"], **bounded) == "Enter a number from 0 to 168."
    assert refused("decimal", ["-0.5"], min_value=Decimal("0")) == "Enter a number of at least 0."
    assert refused("decimal", ["10.01"], max_value=10) == "Enter a number of at most 10."
    assert parse("decimal", ["10"], max_value=10.0) == 10.0


@pytest.mark.parametrize(
    ("raw", "value"),
    [("2.5", 2.5), ("2,5", 2.5), (".5", 0.5), ("-3", -3.0), ("1.23456", 1.2346), ("7,", 7.0)],
)
def test_decimal_good(raw, value):
    result = parse("decimal", [raw])
    assert result == value and isinstance(result, float)


@pytest.mark.parametrize("raw", ["NaN", "inf", "1e5", "1.2.3", "1,2,3", "--1", "2.5đ", "0b1", "½"])
def test_decimal_bad(raw):
    assert "Enter a number" in refused("decimal", [raw])


def test_number_readings_and_scores():
    integer, decimal_ = get_type("integer"), get_type("decimal")
    item = make("integer", answer_key=42, points=Decimal("1.50"))
    assert integer.number(item, 42) == Decimal(42)
    assert integer.score(item, 42) == Decimal("1.50")
    assert integer.score(item, 41) == Decimal("0.00")
    assert integer.score(item, None) == Decimal("0.00")
    item = make("decimal", answer_key="2.50", points=1)
    assert decimal_.number(item, 2.5) == Decimal("2.5")
    assert decimal_.score(item, 2.5) == Decimal("1.00")
    assert decimal_.to_raw(item, 2.5) == ["2.5"] and decimal_.to_raw(item, 3.0) == ["3"]


# ---- text and dates ----------------------------------------------------------------------


def test_short_text_normalises_and_limits():
    assert parse("short_text", ["  Mù Cang Chải  "]) == "Mù Cang Chải"
    decomposed = "Va\u0306n Ye\u0302n"  # typed with combining marks
    assert parse("short_text", [decomposed]) == "Văn Yên"
    assert parse("short_text", ["dòng 1\r\ndòng 2"]) == "dòng 1 dòng 2"
    assert parse("short_text", ["<script>alert('x')</script>"]) == "<script>alert('x')</script>"
    assert parse("short_text", ["x" * 200]) == "x" * 200
    assert refused("short_text", ["x" * 201]) == "Write at most 200 characters (now 201)."
    assert (
        refused("short_text", ["x" * 11], max_length=10) == "Write at most 10 characters (now 11)."
    )
    assert "at most 200" in refused("short_text", ["x" * 5_000_000])
    assert "not allowed" in refused("short_text", ["a\x00b"])
    assert "not allowed" in refused("short_text", ["a\x1bb"])
    assert "only one" in refused("short_text", ["a", "b"])


def test_the_control_characters_refused_are_unicodes_cc_and_cs_but_tab_and_newline():
    """The one regular expression of ``qtypes`` against Unicode's own categories, over every
    code point: a text is refused for exactly the characters it should be."""
    import sys
    import unicodedata

    from surveyapp.instruments.qtypes import _CONTROL

    wrong = [
        point
        for point in range(sys.maxunicode + 1)
        if bool(_CONTROL.search(chr(point)))
        != (unicodedata.category(chr(point)) in ("Cc", "Cs") and chr(point) not in "\t\n")
    ]
    assert wrong == []
    assert "not allowed" in refused("long_text", ["dòng 1\u0085dòng 2"])  # NEL is Cc
    assert parse("long_text", ["cột 1\tcột 2"]) == "cột 1\tcột 2"


def test_long_text_keeps_lines():
    assert parse("long_text", ["dòng 1\r\ndòng 2\n"]) == "dòng 1\ndòng 2"
    assert parse("long_text", ["y" * 2000]) == "y" * 2000
    assert "at most 2000" in refused("long_text", ["y" * 2001])
    long = get_type("long_text")
    assert long.score(make("long_text", answer_key="x", points=1), "x") is None


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2025-07-01", "2025-07-01"),
        ("01/07/2025", "2025-07-01"),
        ("1/7/2025", "2025-07-01"),
        ("29.02.2024", "2024-02-29"),
        (" 2024-02-29 ", "2024-02-29"),
    ],
)
def test_date_good(raw, value):
    assert parse("date", [raw]) == value


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("2025-02-30", "real date"),
        ("31/04/2025", "real date"),
        ("2025-13-01", "real date"),
        ("0000-01-01", "real date"),
        ("yesterday", "real date"),
        ("2025/07/01", "real date"),
        ("07/01/25", "real date"),
        ("2025-07-01T00:00", "real date"),
        ("1899-12-31", "between"),
        ("2101-01-01", "between"),
        ("9" * 10_000, "real date"),
    ],
)
def test_date_bad(raw, words):
    assert words in refused("date", [raw])


def test_note_takes_no_answer():
    note = get_type("note")
    assert note.parse(make("note"), ["tampered"]) is None
    assert note.score(make("note", answer_key="x", points=1), None) is None


# ---- scoring -------------------------------------------------------------------------------


def test_single_choice_scoring():
    sc = get_type("single_choice")
    item = make("single_choice", choices=CHOICES, answer_key="c", points=2)
    assert sc.score(item, "c") == Decimal("2.00")
    assert sc.score(item, "a") == Decimal("0.00")
    assert sc.score(item, None) == Decimal("0.00")
    assert sc.score(make("single_choice", choices=CHOICES, answer_key="c", points=0), "c") is None
    assert sc.score(make("single_choice", choices=CHOICES, points=1), "c") is None
    assert sc.score(make("single_choice", choices=CHOICES, answer_key="c"), "c") is None


@pytest.mark.parametrize(
    ("chosen", "all_or_nothing", "partial"),
    [
        # key {a, b, c}, 3 points. Partial = 3 * max(0, (right - wrong) / 3).
        (["a", "b", "c"], "3.00", "3.00"),
        (["a", "b"], "0.00", "2.00"),
        (["a"], "0.00", "1.00"),
        (["a", "b", "d"], "0.00", "1.00"),
        (["a", "b", "c", "d"], "0.00", "2.00"),
        (["a", "d"], "0.00", "0.00"),
        (["d"], "0.00", "0.00"),
        (None, "0.00", "0.00"),
    ],
)
def test_multiple_choice_scoring(chosen, all_or_nothing, partial):
    mc = get_type("multiple_choice")
    strict = make("multiple_choice", choices=CHOICES, answer_key=["a", "b", "c"], points=3)
    lenient = make(
        "multiple_choice",
        choices=CHOICES,
        answer_key=["c", "b", "a"],
        points=3,
        partial_credit=True,
    )
    assert mc.score(strict, chosen) == Decimal(all_or_nothing)
    assert mc.score(lenient, chosen) == Decimal(partial)


def test_partial_credit_rounds_to_cents():
    mc = get_type("multiple_choice")
    item = make(
        "multiple_choice",
        choices=CHOICES,
        answer_key=["a", "b", "c"],
        points=1,
        partial_credit=True,
    )
    assert mc.score(item, ["a"]) == Decimal("0.33")  # 1/3
    assert mc.score(item, ["a", "b"]) == Decimal("0.67")  # 2/3, half up
    item.points = Decimal("2.5")
    item.answer_key = ["a", "b", "c", "d"]
    assert mc.score(item, ["a", "b", "c"]) == Decimal("1.88")  # 2.5 * 3/4 = 1.875


def test_to_raw_round_trips():
    cases = [
        ("single_choice", ["b"]),
        ("multiple_choice", ["a", "d"]),
        ("likert", ["4"]),
        ("yes_no", ["no"]),
        ("integer", ["-12"]),
        ("decimal", ["2.5"]),
        ("short_text", ["Văn Yên"]),
        ("long_text", ["a\nb"]),
        ("date", ["2025-07-01"]),
    ]
    for qtype, raw in cases:
        item = make(qtype, choices=CHOICES if "choice" in qtype else None)
        value = get_type(qtype).parse(item, raw)
        assert get_type(qtype).to_raw(item, value) == raw, qtype


# ---- definitions -----------------------------------------------------------------------------


def problems(qtype, **d):
    return get_type(qtype).validate_definition({"type": qtype, **d})


def test_valid_definitions_have_no_problems():
    assert problems("single_choice", choices=CHOICES, answer="c", points=1) == []
    assert (
        problems(
            "multiple_choice", choices=CHOICES, answer=["a", "c"], points=2, partial_credit=True
        )
        == []
    )
    assert problems("likert", reverse=True) == []
    assert (
        problems(
            "likert", choices=[{"value": str(i), "label": {"vi": f"Mức {i}"}} for i in range(1, 6)]
        )
        == []
    )
    assert problems("yes_no", answer=True, points=1) == []
    assert problems("integer", min=0, max=168, answer=5, points=1) == []
    assert problems("decimal", min="0.5", max=None) == []
    assert problems("short_text", max_length=50) == []
    assert problems("date") == []
    assert problems("note", points=0, partial_credit=False, reverse=False, choices=[]) == []


@pytest.mark.parametrize(
    ("qtype", "definition", "words"),
    [
        ("single_choice", {}, "at least two choices"),
        ("single_choice", {"choices": CHOICES[:1]}, "at least two choices"),
        ("single_choice", {"choices": [*CHOICES, {"value": "a", "label": "A"}]}, "used twice"),
        (
            "single_choice",
            {"choices": [{"value": "a b", "label": "x"}, *CHOICES]},
            "without spaces",
        ),
        ("single_choice", {"choices": [{"value": "z"}, *CHOICES]}, "no label"),
        ("single_choice", {"choices": CHOICES, "answer": "z"}, "one of the choice values"),
        ("single_choice", {"choices": CHOICES, "answer": ["a"]}, "one of the choice values"),
        ("multiple_choice", {"choices": CHOICES, "answer": ["a", "z"]}, "different choice values"),
        ("multiple_choice", {"choices": CHOICES, "answer": ["a", "a"]}, "different choice values"),
        ("single_choice", {"choices": CHOICES, "partial_credit": True}, "Partial credit"),
        ("likert", {"answer": 5}, "cannot have an answer key"),
        ("likert", {"choices": CHOICES}, "five labelled points"),
        ("short_text", {"answer": "x"}, "cannot have an answer key"),
        ("short_text", {"max_length": 0}, "maximum length"),
        ("short_text", {"max_length": 10**9}, "maximum length"),
        ("short_text", {"min": 1}, "minimum or maximum"),
        ("integer", {"min": 10, "max": 1}, "larger than the maximum"),
        ("integer", {"min": "abc"}, "must be numbers"),
        ("integer", {"answer": "many"}, "must be a number"),
        ("integer", {"max_length": 5}, "maximum length"),
        ("yes_no", {"answer": "maybe"}, "yes or no"),
        ("yes_no", {"reverse": True}, "reverse-coded"),
        ("yes_no", {"choices": CHOICES}, "does not take choices"),
        ("note", {"points": -1}, "Points must be"),
        ("note", {"points": "lots"}, "Points must be"),
        ("date", {"min": 1}, "minimum or maximum"),
    ],
)
def test_definition_problems(qtype, definition, words):
    found = problems(qtype, **definition)
    assert any(words in message for message in found), found
