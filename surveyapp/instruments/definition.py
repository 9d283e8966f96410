"""The project's own instrument definition format (YAML or JSON): checking its content.

A definition describes one instrument version: its key, kind, titles, settings and items
(see ``docs/instrument-format.md``). ``check`` turns a loaded document into a *normal
definition*: a plain dict in which every item carries every field, with defaults filled in
and numbers normalised, so that two definitions can be compared for equality (loading the
same file twice creates nothing new). Reading and writing the text is in ``documents.py``.
Problems are collected in an ``ImportReport`` (``report.py``); a definition with any error
is never stored.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from surveyapp.instruments import expressions, qtypes
from surveyapp.instruments.i18n import COMPETENCIES
from surveyapp.instruments.models import InstrumentKind
from surveyapp.instruments.report import ImportReport, Problem  # noqa: F401  (re-exported)

LANGS = ("vi", "en")
KINDS = tuple(kind.value for kind in InstrumentKind)
INSTRUMENT_KEY = re.compile(r"[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?\Z")
ITEM_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,79}\Z")
CHOICE_VALUE = re.compile(r"[^\s]{1,80}\Z")
MAX_ITEMS = 500
MAX_TEXT = 4000
MAX_EXPRESSION = 500
MAX_POINTS = Decimal("9999.99")
SETTINGS = {"show_feedback": bool, "shuffle": bool, "pass_percent": "percent"}

ITEM_DEFAULTS: dict = {
    "key": "",
    "type": "",
    "page": 1,
    "section": {},
    "label": {},
    "hint": {},
    "required": False,
    "relevant": "",
    "constraint": "",
    "constraint_message": {},
    "choices": [],
    "answer": None,
    "points": 0,
    "partial_credit": False,
    "explanation": {},
    "competency": "",
    "reverse": False,
    "min": None,
    "max": None,
    "max_length": None,
}
TEXT_FIELDS = ("section", "label", "hint", "constraint_message", "explanation")
FLAG_FIELDS = ("required", "partial_credit", "reverse")
TOP_FIELDS = ("key", "kind", "title", "description", "settings", "items")


# ---------------------------------------------------------------- values


def to_number(value) -> int | float | None:
    """A number from YAML, JSON or a spreadsheet cell, as int when whole; None if not a number."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def text_dict(value, where: str, name: str, report: ImportReport) -> dict:
    """Normalise a translatable text: a plain string means Vietnamese."""
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        value = {"vi": value}
    if not isinstance(value, dict):
        report.error(
            where, "text", _l("%(field)s must be a text or {vi: ..., en: ...}.", field=name)
        )
        return {}
    result = {}
    for lang, text in value.items():
        if lang not in LANGS:
            report.error(
                where,
                "language",
                _l("%(field)s: unknown language %(lang)s (use vi or en).", field=name, lang=lang),
            )
        elif not isinstance(text, str | int | float) or isinstance(text, bool):
            report.error(where, "text", _l("%(field)s must be a text.", field=name))
        elif str(text).strip():
            if len(str(text)) > MAX_TEXT:
                report.error(where, "too_long", _l("%(field)s is too long.", field=name))
            result[lang] = str(text).strip()
    return {lang: result[lang] for lang in LANGS if lang in result}


def _flag(value, where: str, name: str, report: ImportReport) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        report.error(where, "flag", _l("%(field)s must be true or false.", field=name))
        return False
    return value


# ---------------------------------------------------------------- checking


def check(raw: dict, report: ImportReport) -> dict | None:
    """Check a loaded definition; return the normal definition, or None when it has errors."""
    for name in raw:
        if name not in TOP_FIELDS:
            report.error(str(name), "unknown_field", _l("Unknown field %(name)s.", name=name))
    key = raw.get("key")
    if not isinstance(key, str) or not INSTRUMENT_KEY.match(key):
        report.error(
            "key",
            "key",
            _l("The key has 1 to 80 lower-case letters, digits, - or _ (for example skill-test)."),
        )
    kind = raw.get("kind")
    if kind not in KINDS:
        report.error(
            "kind", "kind", _l("The kind must be one of: %(kinds)s.", kinds=", ".join(KINDS))
        )
    title = text_dict(raw.get("title"), "title", "title", report)
    if not title:
        report.error("title", "required", _l("The instrument needs a title."))
    result = {
        "key": key,
        "kind": kind,
        "title": title,
        "description": text_dict(raw.get("description"), "description", "description", report),
        "settings": _settings(raw.get("settings"), report),
        "items": _items(raw.get("items"), report),
    }
    report.key = key if isinstance(key, str) else ""
    report.kind = kind if isinstance(kind, str) else ""
    report.item_count = len(result["items"])
    return result if report.ok else None


def _settings(value, report: ImportReport) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        report.error("settings", "structure", _l("settings must be a mapping."))
        return {}
    result = {}
    for name, setting in value.items():
        kind = SETTINGS.get(name)
        if kind is None:
            report.error("settings", "unknown_field", _l("Unknown setting %(name)s.", name=name))
        elif kind is bool:
            result[name] = _flag(setting, "settings", name, report)
        else:
            number = to_number(setting)
            if number is None or not 0 <= number <= 100:
                report.error(
                    "settings",
                    "number",
                    _l("%(field)s must be a number from 0 to 100.", field=name),
                )
            else:
                result[name] = number
    return {name: result[name] for name in sorted(result)}


def _items(value, report: ImportReport) -> list[dict]:
    if not isinstance(value, list) or not value:
        report.error("items", "required", _l("The instrument needs a list of items."))
        return []
    if len(value) > MAX_ITEMS:
        report.error("items", "too_many", _l("At most %(n)s items are allowed.", n=MAX_ITEMS))
        return []
    items, page = [], 1
    for index, raw in enumerate(value, start=1):
        if not isinstance(raw, dict):
            report.error(f"items[{index}]", "structure", _l("Each item must be a mapping."))
            continue
        item = _item(raw, f"items[{index}]", page, report)
        page = item["page"]
        items.append(item)
    _check_keys_and_expressions(items, report)
    return items


def _item(raw: dict, where: str, page: int, report: ImportReport) -> dict:
    where = f"{where} {raw['key']}" if isinstance(raw.get("key"), str) else where
    errors_before = len(report.errors)
    for name in raw:
        if name not in ITEM_DEFAULTS:
            report.error(where, "unknown_field", _l("Unknown field %(name)s.", name=name))
    item = {name: raw.get(name, default) for name, default in ITEM_DEFAULTS.items()}
    if not isinstance(item["key"], str) or not ITEM_KEY.match(item["key"]):
        report.error(
            where,
            "key",
            _l("An item key starts with a letter and has letters, digits, _ - or . (at most 80)."),
        )
    try:
        qtypes.get_type(item["type"])
    except (KeyError, TypeError):
        report.error(where, "type", _l("Unknown question type %(type)s.", type=item["type"]))
    item["page"] = _page(raw.get("page", page), page, where, report)
    for name in TEXT_FIELDS:
        item[name] = text_dict(item[name], where, name, report)
    if not item["label"]:
        report.error(where, "required", _l("Every item needs a label."))
    for name in FLAG_FIELDS:
        item[name] = _flag(item[name], where, name, report)
    for name in ("relevant", "constraint"):
        item[name] = _expression_text(item[name], where, name, report)
    item["choices"] = _choices(item["choices"], where, report)
    item["answer"] = _answer(item["answer"], where, report)
    item["points"] = _points(item["points"], where, report)
    item["competency"] = _competency(item["competency"], where, report)
    for name in ("min", "max", "max_length"):
        item[name] = _limit(item[name], name, where, report)
    if len(report.errors) == errors_before:
        for message in qtypes.get_type(item["type"]).validate_definition(item):
            report.error(where, "definition", message)
    return item


def _page(value, previous: int, where: str, report: ImportReport) -> int:
    number = to_number(value)
    if not isinstance(number, int) or number < 1:
        report.error(where, "page", _l("page must be a whole number from 1."))
        return previous
    if number < previous:
        report.error(
            where,
            "page",
            _l("Pages must not go backwards (page %(n)s after %(m)s).", n=number, m=previous),
        )
    return number


def _expression_text(value, where: str, name: str, report: ImportReport) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        report.error(where, "expression", _l("%(field)s must be a text.", field=name))
        return ""
    value = value.strip()
    if len(value) > MAX_EXPRESSION:
        report.error(where, "too_long", _l("%(field)s is too long.", field=name))
    return value


def _choices(value, where: str, report: ImportReport) -> list[dict]:
    if value in (None, []):
        return []
    if not isinstance(value, list):
        report.error(where, "choices", _l("choices must be a list."))
        return []
    result, seen = [], set()
    for choice in value:
        if not isinstance(choice, dict) or set(choice) - {"value", "label"}:
            report.error(where, "choices", _l("Each choice has a value and a label."))
            continue
        choice_value = str(choice.get("value", "")).strip()
        if not CHOICE_VALUE.match(choice_value):
            report.error(where, "choices", _l("A choice value must be a word without spaces."))
        elif choice_value in seen:
            report.error(
                where, "choices", _l("The choice value %(value)s is repeated.", value=choice_value)
            )
        seen.add(choice_value)
        label = text_dict(choice.get("label"), where, "choice label", report)
        if not label:
            report.error(
                where, "choices", _l("The choice %(value)s needs a label.", value=choice_value)
            )
        result.append({"value": choice_value, "label": label})
    return result


def _answer(value, where: str, report: ImportReport):
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, list):
        if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in value):
            report.error(where, "answer", _l("answer must be a value or a list of values."))
            return None
        return [str(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"  # YAML reads a bare yes/no as a boolean
    if isinstance(value, int | float):
        return to_number(value)
    if isinstance(value, str):
        return value.strip()
    report.error(where, "answer", _l("answer must be a value or a list of values."))
    return None


def _points(value, where: str, report: ImportReport) -> int | float:
    number = to_number(value if value is not None else 0)
    if number is None or not 0 <= number <= MAX_POINTS:
        report.error(where, "points", _l("points must be a number from 0 to 9999.99."))
        return 0
    return to_number(Decimal(str(number)).quantize(Decimal("0.01")))


def _competency(value, where: str, report: ImportReport) -> str:
    if value in (None, ""):
        return ""
    if value not in COMPETENCIES:
        report.error(
            where,
            "competency",
            _l(
                "Unknown competency %(tag)s (use one of: %(tags)s).",
                tag=value,
                tags=", ".join(COMPETENCIES),
            ),
        )
        return ""
    return value


def _limit(value, name: str, where: str, report: ImportReport):
    if value is None or value == "":
        return None
    number = to_number(value)
    if number is None or (name == "max_length" and (not isinstance(number, int) or number < 1)):
        report.error(where, "number", _l("%(field)s must be a number.", field=name))
        return None
    return number


def _check_keys_and_expressions(items: list[dict], report: ImportReport) -> None:
    """Keys are unique; ``relevant`` may use earlier items, ``constraint`` any item and ``.``."""
    all_keys = {item["key"] for item in items}
    earlier: set[str] = set()
    for item in items:
        key = item["key"]
        if key in earlier:
            report.error(
                str(key), "duplicate_key", _l("The item key %(key)s is used twice.", key=key)
            )
        for name, known in (("relevant", earlier), ("constraint", all_keys)):
            if item[name]:
                check_expression(item[name], str(key), name, known, report)
        earlier.add(key)


def check_expression(text: str, key: str, name: str, known: set[str], report: ImportReport) -> None:
    """The expression must parse with the platform's grammar and refer to known items."""
    for message in expressions.problems(text, known, allow_current=name == "constraint"):
        report.error(key, "expression", f"{name} “{text}”: {message}")
