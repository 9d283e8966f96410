"""XLSForm import: the spreadsheet form format that KoboToolbox and ODK users write.

The workbook is read by the reference parser (pyxform), which checks the sheets, groups,
choice lists and ``${...}`` references the way ODK does. Its JSON form is then mapped to
the project's own definition format (``definition.py``), which checks it again. Whatever
cannot be mapped (other question types, repeat groups, calculations, columns with a
meaning the platform does not support) is listed in the import report, never dropped
silently. Extra columns ``answer``, ``points``, ``competency``, ``explanation::<lang>``,
``partial_credit`` and ``reverse`` let a skill test be written as an XLSForm too.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from surveyapp.instruments.definition import to_number
from surveyapp.instruments.report import ImportReport

EXTENSIONS = (".xlsx", ".xls")
TYPES = {
    "select one": "single_choice",
    "select all that apply": "multiple_choice",
    "integer": "integer",
    "decimal": "decimal",
    "text": "short_text",
    "date": "date",
    "note": "note",
}
CHOICE_TYPES = {"single_choice", "multiple_choice"}
LANGUAGES = {
    "vi": "vi",
    "vie": "vi",
    "vietnamese": "vi",
    "tiếng việt": "vi",
    "tieng viet": "vi",
    "en": "en",
    "eng": "en",
    "english": "en",
    "tiếng anh": "en",
}
# Keys of pyxform's JSON that this module maps (or that carry no meaning of their own).
MAPPED = {"type", "name", "label", "hint", "bind", "control", "choices", "itemset", "list_name"}
EXTRA_COLUMNS = {"answer", "points", "competency", "explanation", "partial_credit", "reverse"}
BIND_MAPPED = {"required", "relevant", "constraint", "jr:constraintMsg"}
SETTINGS_USED = {"type", "name", "title", "id_string", "sms_keyword", "default_language"}
SETTINGS_USED |= {"children", "choices", "kind", "version"}
TRUE = {"yes", "true", "true()", "1"}
FALSE = {"no", "false", "false()", "0", ""}
YES_NO = {"yes", "no"}
LIKERT_POINTS = {"1", "2", "3", "4", "5"}
RELATIVE_PATH = re.compile(r"\.\./([A-Za-z_][A-Za-z0-9_.-]*)")


@dataclass
class _State:
    report: ImportReport
    rows: dict[str, int]
    default_language: str
    items: list[dict] = field(default_factory=list)
    page: int = 1
    page_used: bool = False
    dropped_languages: set[str] = field(default_factory=set)

    def where(self, name: str) -> str:
        row = self.rows.get(name)
        return str(_l("%(name)s (row %(row)s)", name=name, row=row)) if row else name

    def new_page(self) -> None:
        if self.page_used:
            self.page += 1
            self.page_used = False


def read_xlsform(data: bytes, filename: str, report: ImportReport) -> dict | None:
    """Map an XLSForm workbook to an unchecked definition; None (with errors) if refused.

    The result's ``kind`` is None unless the settings sheet has a ``kind`` column.
    """
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in EXTENSIONS:
        report.error("", "extension", _l("An XLSForm must be an .xlsx or .xls workbook."))
        return None
    stem = slugify(filename.rsplit("/", 1)[-1][: -len(suffix)]) or "instrument"
    parsed = _parse(data, suffix, report)
    if parsed is None:
        return None
    form, rows, settings, warnings = parsed
    for warning in warnings:
        report.note("", "xlsform_warning", warning)
    default_language = map_language(str(form.get("default_language", "default")), "vi") or "vi"
    state = _State(report, rows, default_language)
    _walk(form.get("children", []), state, section={}, relevant=[], in_page=False)
    if state.dropped_languages:
        report.skip(
            "",
            "language",
            _l(
                "Texts in these languages were not imported: %(langs)s",
                langs=", ".join(sorted(state.dropped_languages)),
            ),
        )
    _note_settings(form, report)
    key = settings.get("form_id") or settings.get("id_string") or stem
    return {
        "key": slugify(str(key)),
        "kind": form.get("kind"),
        "title": {default_language: str(settings.get("form_title") or key)},
        "items": state.items,
    }


def _parse(data: bytes, suffix: str, report: ImportReport):
    """pyxform's JSON form, the row of each name, the settings row and pyxform's warnings."""
    try:
        workbook = get_xlsform(io.BytesIO(data), file_type=suffix)
    except (PyXFormError, ValueError, KeyError, OSError, TypeError, zipfile.BadZipFile):
        report.error("", "workbook", _l("The file is not a readable Excel workbook."))
        return None
    rows = _row_numbers(workbook.survey)
    settings = dict((workbook.settings or [{}])[0])  # before pyxform changes it
    warnings: list[str] = []
    try:
        form = workbook_to_json(
            workbook, form_name="data", fallback_form_name="data", warnings=warnings
        )
    except PyXFormError as error:
        report.error("", "xlsform", str(error).strip())
        return None
    return form, rows, settings, warnings


def slugify(text: str) -> str:
    """An instrument key from any text: ASCII lower case, digits, - and _ (Vietnamese
    letters lose their marks: "Khảo sát đầu vào" -> "khao-sat-dau-vao")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")
    return text[:80].strip("-_")


def map_language(name: str, default: str) -> str | None:
    """ "Vietnamese (vi)", "vi", "Tiếng Việt" -> vi; "English (en)", "en" -> en; "default" ->
    the form's default language; anything else -> None (not imported)."""
    lowered = name.strip().lower()
    if lowered == "default":
        return default
    code = re.search(r"\(([a-z]{2,3})\)\s*\Z", lowered)
    return LANGUAGES.get(code.group(1)) if code else LANGUAGES.get(lowered)


def _row_numbers(survey) -> dict[str, int]:
    # pyxform keeps empty rows in its list so that row numbers stay right (header = row 1).
    return {
        str(row["name"]): index
        for index, row in enumerate(survey or [], start=2)
        if row.get("name")
    }


def _note_settings(form: dict, report: ImportReport) -> None:
    for name in sorted(set(form) - SETTINGS_USED):
        report.skip("settings", "setting", _l("The setting %(name)s is not used.", name=name))


# ---------------------------------------------------------------- the survey tree


def _walk(children: list, state: _State, *, section: dict, relevant: list, in_page: bool) -> None:
    for element in children:
        kind = element.get("type")
        if kind == "group" and element.get("control", {}).get("bodyless"):
            continue  # pyxform's own "meta" group (instanceID), not part of the form
        if kind == "group":
            _group(element, state, section=section, relevant=relevant, in_page=in_page)
        elif kind in ("repeat", "loop"):
            count = _count_questions(element.get("children", []))
            state.report.skip(
                state.where(element.get("name", "")),
                "repeat",
                _l(
                    "Repeat groups are not supported; its %(n)s questions were not imported.",
                    n=count,
                ),
            )
        elif TYPES.get(kind) in CHOICE_TYPES and not element.get("choices"):
            state.report.skip(  # select_one_from_file, select_multiple_from_file
                state.where(element.get("name", "")),
                "choices_from_file",
                _l(
                    "The choices of this question come from the file %(file)s, which is not"
                    " part of the workbook; not imported.",
                    file=element.get("itemset") or "?",
                ),
            )
        elif kind in TYPES:
            item = _question(element, state, section=section, relevant=relevant)
            if item is not None:
                state.items.append(item)
                state.page_used = True
        else:
            state.report.skip(
                state.where(element.get("name", "")),
                "unsupported_type",
                _l("The question type %(type)s is not supported; not imported.", type=kind),
            )


def _group(element: dict, state: _State, *, section: dict, relevant: list, in_page: bool) -> None:
    appearance = element.get("control", {}).get("appearance", "")
    is_page = not in_page and ("field-list" in appearance or "table-list" in appearance)
    label = _text(element.get("label"), state)
    rule = element.get("bind", {}).get("relevant")
    _unmapped(element, state, allowed=MAPPED, bind_allowed={"relevant"})
    if is_page:
        state.new_page()
    _walk(
        element.get("children", []),
        state,
        section=label or section,
        relevant=relevant + ([rule] if rule else []),
        in_page=in_page or is_page,
    )
    if is_page:
        state.new_page()


def _count_questions(children: list) -> int:
    return sum(_count_questions(c.get("children", [])) if "children" in c else 1 for c in children)


def _question(element: dict, state: _State, *, section: dict, relevant: list) -> dict | None:
    name = str(element.get("name", ""))
    where = state.where(name)
    bind = element.get("bind", {})
    item = {
        "key": name,
        "type": _qtype(element),
        "page": state.page,
        "section": section,
        "label": _text(element.get("label"), state),
        "hint": _text(element.get("hint"), state),
        "required": _required(bind.get("required"), where, state.report),
        "relevant": _combine(relevant + ([bind["relevant"]] if bind.get("relevant") else [])),
        "constraint": _references(bind.get("constraint", "")),
        "constraint_message": _text(bind.get("jr:constraintMsg"), state),
    }
    if element.get("choices") and item["type"] in ("single_choice", "multiple_choice", "likert"):
        item["choices"] = [
            {"value": str(c.get("name", "")), "label": _text(c.get("label"), state)}
            for c in element["choices"]
        ]
        _unmapped_choice_columns(element, state)
    _extra_columns(element, item, where, state)
    _unmapped(element, state, allowed=MAPPED | EXTRA_COLUMNS, bind_allowed=BIND_MAPPED)
    return {k: v for k, v in item.items() if v not in ("", {}, None)}


def _qtype(element: dict) -> str:
    qtype = TYPES[element["type"]]
    appearance = element.get("control", {}).get("appearance", "")
    values = {str(c.get("name")) for c in element.get("choices") or []}
    if qtype == "single_choice" and values == YES_NO:
        return "yes_no"
    if qtype == "single_choice" and "likert" in appearance and values == LIKERT_POINTS:
        return "likert"
    if qtype == "short_text" and "multiline" in appearance:
        return "long_text"
    return qtype


def _combine(rules: list[str]) -> str:
    rules = [_references(r).strip() for r in rules if r and r.strip()]
    if len(rules) <= 1:
        return rules[0] if rules else ""
    return " and ".join(f"({rule})" for rule in rules)


def _references(text: str) -> str:
    """pyxform writes relative paths in what it generates (``or_other``: ``../name``)."""
    return RELATIVE_PATH.sub(r"${\1}", text or "")


def _required(value, where: str, report: ImportReport) -> bool:
    text = str(value or "").strip().lower()
    if text in TRUE:
        return True
    if text not in FALSE:
        report.skip(
            where,
            "required_condition",
            _l(
                "A conditional 'required' (%(rule)s) is not supported; the question is optional.",
                rule=value,
            ),
        )
    return False


def _text(value, state: _State) -> dict:
    """A pyxform label (a string, or a mapping language -> string) as {vi: ..., en: ...}."""
    if not value:
        return {}
    if isinstance(value, str):
        return {state.default_language: value.strip()}
    result: dict[str, str] = {}
    # Untranslated columns ("default") first, so that explicit languages win.
    for language in sorted(value, key=lambda name: name != "default"):
        code = map_language(language, state.default_language)
        if code is None:
            state.dropped_languages.add(language)
        elif isinstance(value[language], str) and value[language].strip():
            result[code] = value[language].strip()
    return result


def _extra_columns(element: dict, item: dict, where: str, state: _State) -> None:
    """The platform's own columns: answer key, points, competency, explanation, flags."""
    if element.get("answer") not in (None, ""):
        answer = str(element["answer"]).strip()
        if item["type"] == "multiple_choice":
            item["answer"] = answer.split()
        elif item["type"] in ("integer", "decimal", "likert"):
            number = to_number(answer)
            item["answer"] = number if number is not None else answer
        else:
            item["answer"] = answer
    if element.get("points") not in (None, ""):
        item["points"] = element["points"]
    if element.get("competency"):
        item["competency"] = str(element["competency"]).strip()
    item["explanation"] = _text(element.get("explanation"), state)
    for name in ("partial_credit", "reverse"):
        text = str(element.get(name, "")).strip().lower()
        if text in TRUE:
            item[name] = True
        elif text not in FALSE:
            state.report.error(where, "flag", _l("%(field)s must be yes or no.", field=name))


def _unmapped(element: dict, state: _State, *, allowed: set, bind_allowed: set) -> None:
    where = state.where(str(element.get("name", "")))
    for name in sorted(set(element) - allowed - {"children"}):
        if name == "parameters" and not element[name]:
            continue
        state.report.skip(
            where, "column", _l("The column %(name)s is not supported; ignored.", name=name)
        )
    for name in sorted(set(element.get("bind", {})) - bind_allowed):
        state.report.skip(
            where, "column", _l("The column %(name)s is not supported; ignored.", name=name)
        )
    appearance = element.get("control", {}).get("appearance", "")
    known = {"field-list", "table-list", "multiline", "likert", "minimal", "horizontal"}
    for word in appearance.split():
        if word not in known:
            state.report.note(
                where, "appearance", _l("The appearance %(name)s is not used.", name=word)
            )


def _unmapped_choice_columns(element: dict, state: _State) -> None:
    extra = sorted({name for c in element["choices"] for name in c} - {"name", "label"})
    for name in extra:
        state.report.skip(
            state.where(str(element.get("name", ""))),
            "choice_column",
            _l("The choices column %(name)s is not supported; ignored.", name=name),
        )
