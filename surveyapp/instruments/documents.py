"""Reading and writing instrument definitions as YAML or JSON text.

``definition`` checks the content; this module only turns text into a mapping and a checked
definition back into text (UTF-8, diacritics kept, defaults left out).
"""

from __future__ import annotations

import json

import yaml
from flask_babel import lazy_gettext as _l

from surveyapp.instruments.definition import ITEM_DEFAULTS, TOP_FIELDS
from surveyapp.instruments.report import ImportReport


def load_document(data: bytes | str, fmt: str, report: ImportReport) -> dict | None:
    """Parse YAML or JSON text into a mapping; record an error and return None if it fails."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.error("", "encoding", _l("The file must be saved as UTF-8 text."))
            return None
    try:
        loaded = json.loads(data) if fmt == "json" else yaml.safe_load(data)
    except (ValueError, yaml.YAMLError) as error:
        report.error(
            "", "syntax", _l("The file cannot be read: %(error)s", error=_first_line(error))
        )
        return None
    if not isinstance(loaded, dict):
        report.error("", "structure", _l("The file must describe one instrument (a mapping)."))
        return None
    return loaded


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def compact(definition: dict) -> dict:
    """The definition without default values, in the documented field order (for export)."""
    result = {name: definition[name] for name in TOP_FIELDS if definition.get(name)}
    result["items"] = [
        {
            name: value
            for name, value in item.items()
            if name in ("key", "type", "page", "label") or value != ITEM_DEFAULTS[name]
        }
        for item in definition["items"]
    ]
    return result


def dump(definition: dict, fmt: str) -> str:
    """Write a normal definition as YAML or JSON text (UTF-8, diacritics kept)."""
    data = compact(definition)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
