"""Tables that scroll sideways on a phone must be reachable by keyboard (axe-core's
"scrollable-region-focusable", serious): every ``table-wrap`` in a template is focusable.
The audited pages are checked in a real browser in tests/a11y; this covers every staff page."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
WRAPPER = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\btable-wrap\b[^\"]*\"[^>]*>")


def test_every_scrolling_table_wrapper_is_focusable():
    found, missing = 0, []
    for path in TEMPLATES.rglob("*.html"):
        for tag in WRAPPER.findall(path.read_text(encoding="utf-8")):
            found += 1
            if 'tabindex="0"' not in tag:
                missing.append(f"{path.relative_to(TEMPLATES)}: {tag}")
    assert found > 30  # the scan sees the templates
    assert missing == []
