"""Forms of the locality pages: the search box and the tree upload."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SearchField, SelectField, ValidationError
from wtforms.validators import InputRequired, Length

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class SearchForm(FlaskForm):
    """A GET form (no CSRF token): the query string is the whole state."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Name or code"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            InputRequired(_l("Type part of a name or a code.")),
            Length(min=2, max=100, message=_l("Type between 2 and 100 characters.")),
        ],
    )
    scheme = SelectField(_l("Administrative scheme"), default="")


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV or XLSX file"),
        description=_l(
            "Columns: scheme, code, name, kind, parent_code. Format code columns as text so "
            "that leading zeros are kept."
        ),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file.")),
        ],
    )

    def validate_file(self, field) -> None:
        stream = field.data.stream
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(0)
        if size > MAX_UPLOAD_BYTES:
            raise ValidationError(_l("The file is larger than 5 MB."))
