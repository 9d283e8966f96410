"""The question-type registry: how each type reads, checks, stores and scores an answer.

Every ``Item.qtype`` names one entry of ``REGISTRY``. A type turns the strings a form sent
under the item's key into a stored value (JSON types only: ``str``, ``int``, ``float``,
``list``), or raises ``AnswerError`` with a translated message for that item. Adding a type
is one new subclass here and one registry entry; the macro in
``templates/instruments/_items.html`` renders each ``qtype``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from surveyapp.instruments.qtype_base import (  # noqa: F401  (re-exported: the public API)
    CENT,
    MAX_ABS_NUMBER,
    MAX_POINTS,
    NUMBER_PLACES,
    AnswerError,
    QuestionType,
    choice_values,
    defined,
    is_scored,
    plain,
    points_of,
    raw_list,
    to_decimal,
)

MAX_NUMBER_TEXT = 40
MAX_TEXT_LIMIT = 10000
LIKERT_POINTS = ("1", "2", "3", "4", "5")
YES, NO = "yes", "no"
DATE_RANGE = (date(1900, 1, 1), date(2100, 12, 31))

_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)\Z")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_DMY_DATE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})\Z")


# ---- choices ------------------------------------------------------------------------------


def _choice_problems(choices) -> list[str]:
    if not isinstance(choices, list) or len(choices) < 2:
        return [_("Give at least two choices.")]
    found, seen = [], set()
    for choice in choices:
        value = choice.get("value") if isinstance(choice, dict) else None
        text = "" if value is None or isinstance(value, bool) else str(value).strip()
        if not text or len(text) > 80 or any(ch.isspace() for ch in text):
            found.append(_("Each choice needs a value without spaces (at most 80 characters)."))
        elif text in seen:
            found.append(_("The choice value “%(value)s” is used twice.", value=text))
        elif not choice.get("label"):
            found.append(_("The choice “%(value)s” has no label.", value=text))
        seen.add(text)
    return found


class SingleChoice(QuestionType):
    name = "single_choice"
    title = _l("Single choice")
    scorable = True
    uses_choices = True

    def parse_one(self, item, text):
        if text not in choice_values(item):
            raise AnswerError(_l("Choose one of the listed options."))
        return text

    def number(self, item, value):
        # Numeric codes ("1", "2"...) are common in survey forms; aggregate them as numbers.
        number = to_decimal(value) if isinstance(value, str) and _DECIMAL.match(value) else None
        if (
            number is None
            or abs(number) > MAX_ABS_NUMBER
            or number != number.quantize(NUMBER_PLACES)
        ):
            return None
        return number

    def definition_problems(self, d):
        return super().definition_problems(d) + _choice_problems(defined(d, "choices"))

    def answer_problems(self, d, answer):
        values = [str(c.get("value")) for c in defined(d, "choices") or [] if isinstance(c, dict)]
        if isinstance(answer, list) or str(answer) not in values:
            return [_("The answer key must be one of the choice values.")]
        return []


class MultipleChoice(SingleChoice):
    name = "multiple_choice"
    title = _l("Multiple choice")
    multiple = True

    def parse(self, item, raw):
        chosen = [v.strip() for v in raw_list(raw)]
        if not chosen:
            return None
        if len(set(chosen)) != len(chosen):
            raise AnswerError(_l("Each option can be chosen only once."))
        allowed = choice_values(item)
        if any(v not in allowed for v in chosen):
            raise AnswerError(_l("Choose only among the listed options."))
        return [v for v in allowed if v in chosen]

    def number(self, item, value):
        return None

    def to_raw(self, item, value):
        return [str(v) for v in value or []]

    def score(self, item, value):
        if not is_scored(item):
            return None
        key = item.answer_key if isinstance(item.answer_key, list) else [item.answer_key]
        correct_values = {str(v) for v in key}
        chosen = {str(v) for v in ([value] if isinstance(value, str) else value or [])}
        points = points_of(item)
        if not getattr(item, "partial_credit", False) or not correct_values:
            return (points if chosen == correct_values else Decimal(0)).quantize(CENT)
        right, wrong = len(chosen & correct_values), len(chosen - correct_values)
        share = max(Decimal(0), Decimal(right - wrong) / len(correct_values))
        return (points * share).quantize(CENT, rounding=ROUND_HALF_UP)

    def answer_problems(self, d, answer):
        values = [str(c.get("value")) for c in defined(d, "choices") or [] if isinstance(c, dict)]
        keys = [str(v) for v in answer] if isinstance(answer, list) else [str(answer)]
        if not keys or len(set(keys)) != len(keys) or any(k not in values for k in keys):
            return [_("The answer key must list different choice values.")]
        return []


class Likert(QuestionType):
    name = "likert"
    title = _l("Agreement scale (1 to 5)")
    uses_choices = True  # optional: five labels for the points 1..5

    def parse_one(self, item, text):
        if text.strip() not in LIKERT_POINTS:
            raise AnswerError(_l("Choose a point from 1 to 5."))
        return int(text)

    def number(self, item, value):
        return None if value is None else Decimal(int(value))

    def coded(self, item, value):
        number = self.number(item, value)
        if number is None or not getattr(item, "reverse", False):
            return number
        return 6 - number

    def definition_problems(self, d):
        found = super().definition_problems(d)
        choices = defined(d, "choices")
        if choices is not None:
            values = [str(c.get("value")) if isinstance(c, dict) else "" for c in choices]
            if values != list(LIKERT_POINTS) or not all(c.get("label") for c in choices):
                found.append(
                    _("A Likert question takes no choices, or five labelled points 1 to 5.")
                )
        return found


class YesNo(QuestionType):
    name = "yes_no"
    title = _l("Yes or no")
    scorable = True

    def parse_one(self, item, text):
        if text.strip() not in (YES, NO):
            raise AnswerError(_l("Choose yes or no."))
        return text.strip()

    def number(self, item, value):
        return None if value is None else Decimal(1 if value == YES else 0)

    def correct(self, item, value):
        return value == yes_no_key(item.answer_key)

    def answer_problems(self, d, answer):
        return [] if yes_no_key(answer) else [_("The answer key must be yes or no.")]


def yes_no_key(key) -> str | None:
    """``yes``/``no`` from an answer key as files write it (YAML reads ``yes`` as ``True``)."""
    text = str(key).strip().lower()
    return YES if text in ("yes", "true", "1") else NO if text in ("no", "false", "0") else None


# ---- numbers, text, dates, notes ----------------------------------------------------------


class Integer(QuestionType):
    name = "integer"
    title = _l("Whole number")
    scorable = True
    pattern = _INTEGER
    wrong_format = _l("Enter a whole number, for example 12.")

    def parse_one(self, item, text):
        if len(text) > MAX_NUMBER_TEXT:
            raise AnswerError(_l("The number is too long."))
        text = unicodedata.normalize("NFKC", text).strip()  # full-width digits from some keyboards
        if not self.pattern.match(text):
            raise AnswerError(self.wrong_format)
        number = Decimal(text.replace(",", "."))
        if abs(number) > MAX_ABS_NUMBER:
            raise AnswerError(_l("The number is too large."))
        check_bounds(item, number)
        return self.store(number)

    def store(self, number: Decimal):
        return int(number)

    def number(self, item, value):
        return to_decimal(value)

    def correct(self, item, value):
        key, got = to_decimal(item.answer_key), to_decimal(value)
        return key is not None and got is not None and key == got

    def to_raw(self, item, value):
        number = to_decimal(value)
        return [] if number is None else [plain(number)]

    def answer_problems(self, d, answer):
        return [] if to_decimal(answer) is not None else [_("The answer key must be a number.")]

    def definition_problems(self, d):
        found = (
            []
            if defined(d, "max_length") is None
            else [_("Only text questions can have a maximum length.")]
        )
        low, high = defined(d, "min", "min_value"), defined(d, "max", "max_value")
        bounds = [to_decimal(v) for v in (low, high) if v is not None]
        if any(b is None or abs(b) > MAX_ABS_NUMBER for b in bounds):
            found.append(_("Minimum and maximum must be numbers."))
        elif len(bounds) == 2 and bounds[0] > bounds[1]:
            found.append(_("The minimum is larger than the maximum."))
        return found


class DecimalNumber(Integer):
    name = "decimal"
    title = _l("Number")
    pattern = _DECIMAL
    wrong_format = _l("Enter a number, for example 2.5.")

    def store(self, number: Decimal):
        return float(number.quantize(NUMBER_PLACES, rounding=ROUND_HALF_UP))


def check_bounds(item, number: Decimal) -> None:
    low = to_decimal(getattr(item, "min_value", None))
    high = to_decimal(getattr(item, "max_value", None))
    if (low is None or number >= low) and (high is None or number <= high):
        return
    if low is not None and high is not None:
        message = _l("Enter a number from %(min)s to %(max)s.", min=plain(low), max=plain(high))
    elif low is not None:
        message = _l("Enter a number of at least %(min)s.", min=plain(low))
    else:
        message = _l("Enter a number of at most %(max)s.", max=plain(high))
    raise AnswerError(message)


# Unicode's control characters (category Cc) but tab and newline, and lone surrogates (Cs).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


class ShortText(QuestionType):
    name = "short_text"
    title = _l("Short text")
    default_max_length = 200
    keeps_lines = False

    def max_length(self, item) -> int:
        return getattr(item, "max_length", None) or self.default_max_length

    def parse_one(self, item, text):
        limit = self.max_length(item)
        if len(text) > 4 * limit + 100:  # far too long: refuse before normalising it
            raise AnswerError(_l("Write at most %(n)s characters.", n=limit))
        text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
        if not self.keeps_lines:
            text = " ".join(text.split("\n"))
        text = text.strip()
        if _CONTROL.search(text):
            raise AnswerError(_l("The text contains characters that are not allowed."))
        if len(text) > limit:
            raise AnswerError(
                _l("Write at most %(n)s characters (now %(len)s).", n=limit, len=len(text))
            )
        return text or None

    def definition_problems(self, d):
        found = (
            []
            if defined(d, "min", "min_value", "max", "max_value") is None
            else [_("Only number questions can have a minimum or maximum.")]
        )
        limit = defined(d, "max_length")
        if limit is not None and (
            isinstance(limit, bool)
            or not isinstance(limit, int)
            or not 1 <= limit <= MAX_TEXT_LIMIT
        ):
            found.append(_("The maximum length must be from 1 to %(n)s.", n=MAX_TEXT_LIMIT))
        return found


class LongText(ShortText):
    name = "long_text"
    title = _l("Long text")
    default_max_length = 2000
    keeps_lines = True


class DateAnswer(QuestionType):
    name = "date"
    title = _l("Date")

    def parse_one(self, item, text):
        text = text.strip()
        iso, dmy = _ISO_DATE.match(text), _DMY_DATE.match(text)
        try:
            if iso:
                day = date(int(iso[1]), int(iso[2]), int(iso[3]))
            elif dmy:
                day = date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
            else:
                raise ValueError(text)
        except ValueError:
            raise AnswerError(_l("Enter a real date (dd/mm/yyyy).")) from None
        if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
            raise AnswerError(_l("Enter a date between 1900 and 2100."))
        return day.isoformat()


class Note(QuestionType):
    name = "note"
    title = _l("Note (text only)")
    has_answer = False

    def parse(self, item, raw):
        return None  # a note has no input; anything sent under its key is ignored


REGISTRY: dict[str, QuestionType] = {
    t.name: t
    for t in (
        SingleChoice(),
        MultipleChoice(),
        Likert(),
        YesNo(),
        Integer(),
        DecimalNumber(),
        ShortText(),
        LongText(),
        DateAnswer(),
        Note(),
    )
}


def get_type(name: str) -> QuestionType:
    """The registered type called ``name``; ``KeyError`` when there is none."""
    return REGISTRY[name]
