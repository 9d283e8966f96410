"""Forms of the instrument pages: upload (import) and the texts of one item."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from surveyapp.instruments import imports
from surveyapp.instruments.definition import INSTRUMENT_KEY, MAX_TEXT
from surveyapp.labels import choices

KIND_LABELS = {
    "pre_survey": _l("Pre-class survey"),
    "post_survey": _l("Post-class survey"),
    "skill_test": _l("Skill test"),
    "follow_up": _l("Follow-up survey"),
    "contest_quiz": _l("Contest quiz"),
}
UPLOAD_EXTENSIONS = ["yaml", "yml", "json", "xlsx", "xls"]


class ImportForm(FlaskForm):
    file = FileField(
        _l("File"),
        description=_l(
            "An XLSForm workbook (.xlsx, .xls, as written for KoboToolbox or ODK) or a "
            "definition in the platform's own format (.yaml, .json). At most 2 MB."
        ),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(
                UPLOAD_EXTENSIONS,
                _l("Only .xlsx, .xls, .yaml, .yml or .json files can be imported."),
            ),
        ],
    )
    key = StringField(
        _l("Instrument key"),
        description=_l("Optional. Leave empty to use the key in the file (form_id)."),
        validators=[
            Optional(),
            Length(max=80),
            Regexp(INSTRUMENT_KEY, message=_l("Use lower-case letters, digits, - or _.")),
        ],
    )
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice("", _l("As given in the file")), *choices(KIND_LABELS)],
        validators=[Optional()],
    )

    def validate_file(self, field):
        stream = getattr(field.data, "stream", None)
        if stream is None:
            return
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(0)
        if size > imports.MAX_FILE_BYTES:
            raise ValidationError(imports.too_large_message())


def _text(label, required: bool = False):
    validators = [InputRequired()] if required else [Optional()]
    return TextAreaField(
        label, validators=[*validators, Length(max=MAX_TEXT)], render_kw={"rows": 2}
    )


class ItemTextForm(FlaskForm):
    label_vi = _text(_l("Question text (Vietnamese)"), required=True)
    label_en = _text(_l("Question text (English)"))
    hint_vi = _text(_l("Hint (Vietnamese)"))
    hint_en = _text(_l("Hint (English)"))
    explanation_vi = _text(_l("Explanation shown after answering (Vietnamese)"))
    explanation_en = _text(_l("Explanation shown after answering (English)"))


def item_text_form(item) -> ItemTextForm:
    """The text form of ``item``, with two fields (vi, en) for each of its choices."""
    form_class = type("ItemTextFormFor", (ItemTextForm,), {})
    data = {}
    for name in ("label", "hint", "explanation"):
        for lang in ("vi", "en"):
            data[f"{name}_{lang}"] = (getattr(item, name) or {}).get(lang, "")
    for index, choice in enumerate(item.choices or []):
        for lang, title in (("vi", _l("Vietnamese")), ("en", _l("English"))):
            name = f"choice_{index}_{lang}"
            label = _l("Option %(value)s (%(lang)s)", value=choice["value"], lang=title)
            field = StringField(
                label,
                validators=[InputRequired() if lang == "vi" else Optional(), Length(max=MAX_TEXT)],
            )
            setattr(form_class, name, field)
            data[name] = choice["label"].get(lang, "")
    return form_class(data=data)  # a submitted form's values take precedence


def choice_fields(form, item) -> list[tuple]:
    """(value, vi field, en field) for each choice of ``item``."""
    return [
        (choice["value"], form[f"choice_{i}_vi"], form[f"choice_{i}_en"])
        for i, choice in enumerate(item.choices or [])
    ]


def texts_of(form, item) -> dict:
    """The keyword arguments of ``services.update_item_texts`` from a valid form."""

    def pair(name):
        return {"vi": form[f"{name}_vi"].data or "", "en": form[f"{name}_en"].data or ""}

    return {
        "label": pair("label"),
        "hint": pair("hint"),
        "explanation": pair("explanation"),
        "choice_labels": {
            value: {"vi": vi.data, "en": en.data or ""}
            for value, vi, en in choice_fields(form, item)
        },
    }
