"""The export form: read from the query string of a download link (no CSRF, it changes nothing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice

SHAPE_LABELS = {
    "long": _l("Long: one row per answer"),
    "wide": _l("Wide: one row per response, one column per question"),
}
FORMAT_LABELS = {"csv": _l("CSV (Excel, UTF-8)"), "xlsx": _l("Excel workbook (XLSX)")}


def optional_int(value):
    """The empty choice is None; anything else must be a whole number."""
    return None if value in ("", None) else int(value)


class ExportForm(FlaskForm):
    class Meta:
        csrf = False

    locality = SelectField(_l("Area"), coerce=int)
    shape = SelectField(
        _l("Layout"),
        choices=[SelectChoice(k, v) for k, v in SHAPE_LABELS.items()],
        default="long",
    )
    format = SelectField(
        _l("File format"),
        choices=[SelectChoice(k, v) for k, v in FORMAT_LABELS.items()],
        default="csv",
    )
    version = SelectField(
        _l("Questionnaire or test version"),
        coerce=optional_int,
        default=None,
        description=_l("Needed for the wide layout; for the long layout it limits the rows."),
    )
    identities = BooleanField(
        _l("Include names and phone numbers"),
        description=_l("Only for administrators; every such export is logged."),
    )


class FormatForm(FlaskForm):
    class Meta:
        csrf = False

    format = SelectField(
        _l("File format"),
        choices=[SelectChoice(k, v) for k, v in FORMAT_LABELS.items()],
        default="csv",
    )
