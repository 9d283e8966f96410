"""The base of the question types: the answer error, shared readers and ``QuestionType``.

Items are read through plain attributes only, so in-memory ``Item(...)`` objects work
without a database (unset columns read ``None`` until a flush, hence the defaults here).
The concrete types and the registry are in ``surveyapp.instruments.qtypes``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# Numbers are stored in NUMERIC(14, 4): ten integer digits and four decimals at most.
MAX_ABS_NUMBER = Decimal("9999999999")
NUMBER_PLACES = Decimal("0.0001")
MAX_POINTS = Decimal("9999.99")
CENT = Decimal("0.01")


class AnswerError(ValueError):
    """An answer was refused; ``message`` (lazily translated) is shown next to the item."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


# ---- small readers shared by the types and the engine ------------------------------------


def to_decimal(value) -> Decimal | None:
    """A finite ``Decimal`` from an int, float, Decimal or numeric string; else ``None``."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def plain(number: Decimal) -> str:
    """``Decimal('100.0000')`` -> ``'100'``, never scientific notation."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def points_of(item) -> Decimal:
    return to_decimal(getattr(item, "points", None)) or Decimal(0)


def is_scored(item) -> bool:
    return getattr(item, "answer_key", None) is not None and points_of(item) > 0


def choice_values(item) -> list[str]:
    return [str(c.get("value")) for c in (getattr(item, "choices", None) or [])]


def raw_list(raw) -> list[str]:
    """The non-empty strings sent for one item (surrounding spaces kept for text types)."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    return [str(v) for v in items if v is not None and str(v).strip() != ""]


def defined(d: dict, *names):
    """The first non-empty value of ``names`` in a definition dict (file or column names)."""
    for name in names:
        value = d.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


# ---- the base type --------------------------------------------------------------------------


class QuestionType:
    name = ""
    title = _l("Question")
    has_answer = True
    multiple = False
    scorable = False
    uses_choices = False

    def parse(self, item, raw) -> object | None:
        """The stored value of the strings sent for ``item``; ``None`` when not answered."""
        values = raw_list(raw)
        if not values:
            return None
        if len(values) > 1:
            raise AnswerError(_l("Give only one answer to this question."))
        return self.parse_one(item, values[0])

    def parse_one(self, item, text: str):
        raise NotImplementedError

    def number(self, item, value) -> Decimal | None:
        """The numeric reading stored next to the answer, for aggregation in SQL."""
        return None

    def coded(self, item, value) -> Decimal | None:
        """The number used by scales and indicators (Likert after reverse-coding)."""
        return self.number(item, value)

    def score(self, item, value) -> Decimal | None:
        """Points earned, ``None`` when the item is not scored (no key or no points)."""
        if not self.scorable or not is_scored(item):
            return None
        if value is None:
            return Decimal("0.00")
        return points_of(item).quantize(CENT) if self.correct(item, value) else Decimal("0.00")

    def correct(self, item, value) -> bool:
        return str(value) == str(item.answer_key)

    def to_raw(self, item, value) -> list[str]:
        """The form strings that show a stored ``value`` again (inverse of ``parse``)."""
        return [] if value is None else [str(value)]

    def validate_definition(self, item_dict: dict) -> list[str]:
        """Problems in an item definition (file names ``answer``/``min``/``max``, or columns)."""
        d, found = item_dict, []
        points = defined(d, "points")
        if points is not None:
            number = to_decimal(points)
            if number is None or not 0 <= number <= MAX_POINTS:
                found.append(_("Points must be a number from 0 to %(max)s.", max=MAX_POINTS))
        answer = defined(d, "answer", "answer_key")
        if answer is not None and not self.scorable:
            found.append(_("This question type cannot have an answer key."))
        elif answer is not None:
            found += self.answer_problems(d, answer)
        if defined(d, "partial_credit") and self.name != "multiple_choice":
            found.append(_("Partial credit applies to multiple choice questions only."))
        if defined(d, "reverse") and self.name != "likert":
            found.append(_("Only Likert questions can be reverse-coded."))
        if defined(d, "choices") is not None and not self.uses_choices:
            found.append(_("This question type does not take choices."))
        found += self.definition_problems(d)
        return found

    def answer_problems(self, d: dict, answer) -> list[str]:
        return []

    def definition_problems(self, d: dict) -> list[str]:
        found = []
        if defined(d, "min", "min_value", "max", "max_value") is not None:
            found.append(_("Only number questions can have a minimum or maximum."))
        if defined(d, "max_length") is not None:
            found.append(_("Only text questions can have a maximum length."))
        return found
