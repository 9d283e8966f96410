"""Translatable instrument texts (``{"vi": ..., "en": ...}``) and the competency labels."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

FALLBACK_ORDER = ("vi", "en")

COMPETENCIES = {
    "understanding_ai": _l("Understanding AI"),
    "genai_tools": _l("Generative AI tools"),
    "prompting": _l("Writing prompts"),
    "checking_outputs": _l("Checking AI outputs"),
    "privacy_safety": _l("Privacy and safety"),
    "ethics_law": _l("Ethics and the law"),
    "applying_at_work": _l("Applying AI at work"),
}

# The competency whose items make up the safety subscale used by the indicators.
SAFETY_COMPETENCY = "privacy_safety"


def current_language() -> str:
    """The language of the current request (``vi`` outside a request or without a choice)."""
    locale = get_locale()
    return locale.language if locale is not None else FALLBACK_ORDER[0]


def tr(texts, locale: str | None = None) -> str:
    """The text in ``locale``, else Vietnamese, else English, else any language given.

    ``texts`` is a ``{lang: text}`` dict; a plain string is returned as it is, ``None`` as "".
    """
    if texts is None:
        return ""
    if isinstance(texts, str):
        return texts
    if not isinstance(texts, dict) or not texts:
        return ""
    language = (locale or current_language()).replace("-", "_").split("_")[0]
    for lang in (language, *FALLBACK_ORDER):
        if texts.get(lang):
            return str(texts[lang])
    return next((str(v) for v in texts.values() if v), "")


def competency_label(key: str) -> str:
    """The translated name of a competency tag (the tag itself when unknown)."""
    return str(COMPETENCIES.get(key, key or ""))
