"""Every interface string has a Vietnamese translation (Vietnamese is the default language)."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _extracted() -> set[str]:
    method_map = [("surveyapp/**.py", "python"), ("templates/**.html", "jinja2")]
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_string_has_a_vietnamese_translation():
    with open(ROOT / "surveyapp/translations/vi/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle)
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id
        and m.string
        and (all(m.string) if isinstance(m.string, tuple) else True)
        and not m.fuzzy
    }
    missing = sorted(_extracted() - translated)
    assert missing == [], (
        f"{len(missing)} strings lack a Vietnamese translation, e.g. {missing[:10]}"
    )


PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|%%")


def _percent_signs(text: str) -> tuple[list[str], int]:
    """The placeholders of a message and how many bare % signs it holds besides them."""
    found = sorted(PLACEHOLDER.findall(text))
    return found, PLACEHOLDER.sub("", text).count("%")


def test_translations_keep_the_placeholders_and_percent_signs():
    """Templates format every message (Jinja's new-style gettext), so a bare "%" that the
    English text does not have breaks the page ("% so với" printed as "{}o với")."""
    with open(ROOT / "surveyapp/translations/vi/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle)
    wrong = []
    for m in catalog:
        if not m.id or not m.string:
            continue
        source = m.id[-1] if isinstance(m.id, tuple) else m.id
        for text in m.string if isinstance(m.string, tuple) else (m.string,):
            if text and _percent_signs(text) != _percent_signs(source):
                wrong.append((source, text))
    assert wrong == []
