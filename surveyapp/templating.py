"""Template filters and globals: labels, dates and numbers in Vietnamese conventions."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_decimal, get_locale

from surveyapp import labels
from surveyapp.security import scope_for


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        role_label=lambda v: labels.ROLE_LABELS.get(v, v),
        segment_label=lambda v: labels.SEGMENT_LABELS.get(v, v),
        metric_label=lambda v: labels.METRIC_LABELS.get(v, v),
        campaign_status_label=lambda v: labels.CAMPAIGN_STATUS_LABELS.get(v, v),
        class_status_label=lambda v: labels.CLASS_STATUS_LABELS.get(v, v),
        material_kind_label=lambda v: labels.MATERIAL_KIND_LABELS.get(v, v),
        dmy=dmy,
        number=number,
    )
    app.jinja_env.globals.update(current_locale=lambda: str(get_locale()), scope_for=scope_for)


def dmy(value: date | datetime | None) -> str:
    """dd/mm/yyyy, the way dates are written in Vietnam (and fine in English too)."""
    if value is None:
        return ""
    return format_date(value, "dd/MM/yyyy")


def number(value, digits: int = 0) -> str:
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern)
