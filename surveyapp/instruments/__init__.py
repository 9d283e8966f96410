"""Instruments: versioned questionnaires and tests, their items, imports and exports."""

from flask import Blueprint

bp = Blueprint("instruments", __name__)


@bp.app_template_filter("tr")
def _tr(texts, locale=None) -> str:
    """A translatable text ``{vi: ..., en: ...}`` in the current language (with fallbacks)."""
    from surveyapp.instruments.i18n import tr

    return tr(texts, locale)


@bp.app_template_filter("competency_label")
def _competency_label(key) -> str:
    from surveyapp.instruments.i18n import competency_label

    return competency_label(key)


@bp.app_template_filter("instrument_kind_label")
def _kind_label(kind) -> str:
    from surveyapp.instruments.forms import KIND_LABELS

    return str(KIND_LABELS.get(kind, kind))
