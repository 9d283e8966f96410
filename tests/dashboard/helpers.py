"""Reading figures back out of the dashboard page (cells carry data-* attributes)."""

from __future__ import annotations

from html.parser import HTMLParser


class Cells(HTMLParser):
    """Collects the text of every cell with ``data-kind`` or ``data-figure``.

    Keys: ``(table class, row key, metric, kind)`` where the row key is the row's
    ``data-metric``, ``data-locality`` or ``data-segment``; figures: ``("figure", name)``.
    """

    def __init__(self, html: str):
        super().__init__()
        self.values: dict[tuple, str] = {}
        self._table = self._row = None
        self._key = self._tag = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._table = (a.get("class") or "").split()[-1]
        elif tag == "tr":
            self._row = a.get("data-metric") or a.get("data-locality") or a.get("data-segment")
        elif "data-kind" in a:
            self._key = (self._table, self._row, a.get("data-metric"), a["data-kind"])
            self._tag, self._text = tag, []
        elif "data-figure" in a:
            self._key = ("figure", a["data-figure"])
            self._tag, self._text = tag, []

    def handle_data(self, data):
        if self._key is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._key is not None and tag == self._tag:
            self.values[self._key] = "".join(self._text).replace("▼", "").strip()
            self._key = None

    def figure(self, name: str) -> str:
        return self.values[("figure", name)]

    def head(self, metric: str, kind: str) -> str:
        return self.values[("kpi-table", metric, None, kind)]

    def child(self, locality_id: int, metric: str, kind: str) -> str:
        return self.values[("kpi-children", str(locality_id), metric, kind)]


def shown(value) -> str:
    """How the page writes a count or a percent of plan (English locale)."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.0f}%"
    return f"{value:,}"
