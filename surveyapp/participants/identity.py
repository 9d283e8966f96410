"""Recognising the same person across forms and classes, without keeping readable keys.

A person is recognised by their Vietnamese phone number (normalised: ``+84 912.345.678``,
``84912345678`` and ``0912 345 678`` are one number) or, without a phone, by their name
(case, spaces and accents ignored) with birth year and commune. The keys stored are
HMAC-SHA256 digests keyed with the app's secret, so a leaked table does not reveal them.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from surveyapp.localities.text import fold

_SEPARATORS = re.compile(r"[\s.\-()/]")


def normalise_phone(raw: str | None) -> str | None:
    """The number as ``0`` + 9 or 10 digits, or None when it is not a Vietnamese number."""
    text = _SEPARATORS.sub("", raw or "")
    if not text:
        return None
    if text.startswith("+84"):
        rest = text[3:]
    elif text.startswith("0084"):
        rest = text[4:]
    elif text.startswith("84") and len(text) in (11, 12):
        rest = text[2:]
    elif text.startswith("0"):
        rest = text[1:]
    else:
        return None
    if not rest.isascii() or not rest.isdigit() or len(rest) not in (9, 10):
        return None
    if rest.startswith("0"):
        return None
    return "0" + rest


def clean_name(name: str | None) -> str:
    """A name as it will be stored: trimmed, inner runs of spaces collapsed."""
    return " ".join((name or "").split())


def given_name(full_name: str | None) -> str:
    """The name a person is called by: the last word of a Vietnamese full name."""
    words = clean_name(full_name).split(" ")
    return words[-1] if words else ""


def _digest(secret: str, text: str) -> str:
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def phone_key(secret: str, phone: str) -> str:
    """Key of a normalised phone number."""
    return _digest(secret, "phone:" + phone)


def name_key(secret: str, full_name: str, birth_year: int | None, locality_id: int | None) -> str:
    """Key of name + birth year + commune, whatever the case, spacing or accents typed."""
    return _digest(secret, f"name:{fold(full_name)}|{birth_year or ''}|{locality_id or ''}")
