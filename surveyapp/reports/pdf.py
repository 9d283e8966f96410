"""HTML to PDF with WeasyPrint, fetching nothing but the app's own static files.

``render_pdf(html)`` turns a page (usually extending ``reports/_pdf_base.html``) into PDF
bytes; ``pdf_response(pdf, filename)`` sends them as a download. Everything PDF-making
parts of the app share lives here:

- WeasyPrint is imported once, on first use, and stays loaded in the worker (importing it
  costs about 0.4 s; never start a process per report).
- ``StaticOnlyFetcher`` is the only way WeasyPrint reads anything: ``file:`` URLs that
  resolve (symlinks followed) inside ``surveyapp/static`` are served from disk; every
  other scheme, host and path is refused, so text a trainee typed (escaped by Jinja
  anyway) can never make the renderer read a local file or call out to a server.
  ``data:`` images are allowed (a QR code as a PNG, say): they carry their own bytes.
- Relative URLs resolve against ``surveyapp/static/`` (the base URL): write
  ``fonts/x.ttf`` or ``favicon.svg``, not ``/static/...``.
- The bundled Liberation Serif 2 (``static/fonts``, SIL OFL 1.1) is declared with
  ``@font-face`` as ``FONT_FAMILY`` and embedded in every PDF whatever the machine has;
  inline SVG charts asking for a generic family are pointed at it too.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import gc
import os
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote, unquote, urlsplit

from flask import Response

STATIC_ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), os.pardir, "static"))
FONT_FAMILY = "Surveyapp Serif"  # a name no system font has, so the bundled files are used
FONT_FILES = (
    ("normal", "normal", "LiberationSerif-Regular.ttf"),
    ("bold", "normal", "LiberationSerif-Bold.ttf"),
    ("normal", "italic", "LiberationSerif-Italic.ttf"),
    ("bold", "italic", "LiberationSerif-BoldItalic.ttf"),
)
DATA_IMAGE = re.compile(r"^data:(image/(?:png|jpeg|gif|svg\+xml))(;base64)?,", re.IGNORECASE)
MAX_DATA_BYTES = 2 * 1024 * 1024
SVG_GENERIC_FONT = re.compile(r'font-family="(?:sans-serif|serif)"')


class RefusedURL(ValueError):
    """WeasyPrint asked for something outside the app's static files."""


@functools.cache
def _weasyprint():
    import weasyprint  # noqa: PLC0415  (imported once, on first use, then kept)

    return weasyprint


def base_url() -> str:
    return "file://" + quote(STATIC_ROOT) + "/"


def static_path(url: str) -> str:
    """The file under ``STATIC_ROOT`` that a ``file:`` URL names, or ``RefusedURL``."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        raise RefusedURL(url)
    path = os.path.realpath(unquote(parts.path))
    if os.path.commonpath([path, STATIC_ROOT]) != STATIC_ROOT or not os.path.isfile(path):
        raise RefusedURL(url)
    return path


def _data_image(url: str) -> tuple[str, bytes]:
    match = DATA_IMAGE.match(url)
    if match is None or len(url) > MAX_DATA_BYTES * 4 // 3 + 100:
        raise RefusedURL(url[:60])
    payload = url[match.end() :]
    body = base64.b64decode(payload) if match.group(2) else unquote(payload).encode()
    return match.group(1).lower(), body


def _fetcher_class():
    weasyprint = _weasyprint()

    class StaticOnlyFetcher(weasyprint.urls.URLFetcher):
        """Serves the app's static files and ``data:`` images; refuses everything else
        (the refusal is logged by WeasyPrint as a warning and the resource left out)."""

        def __init__(self):
            super().__init__(allowed_protocols=("file", "data"))
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            try:
                if url.lower().startswith("data:"):
                    mime, body = _data_image(url)
                    return weasyprint.urls.URLFetcherResponse(url, body, {"Content-Type": mime})
                path = static_path(url)
            except (RefusedURL, ValueError) as error:
                self.refused.append(url[:200])
                raise RefusedURL(f"not fetched: {url[:200]}") from error
            with open(path, "rb") as handle:
                return weasyprint.urls.URLFetcherResponse(url, handle.read())

    return StaticOnlyFetcher


@functools.cache
def _fetcher_type():
    return _fetcher_class()


def make_fetcher():
    """A fresh ``StaticOnlyFetcher``; ``.refused`` lists what it declined to fetch."""
    return _fetcher_type()()


def font_css() -> str:
    """``@font-face`` rules of the bundled serif, by path relative to ``STATIC_ROOT``."""
    rules = [
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
        f'font-style: {style}; src: url("fonts/{name}") format("truetype"); }}'
        for weight, style, name in FONT_FILES
    ]
    return "\n".join(rules)


def _stylesheets(weasyprint, extra: Iterable, fetcher, font_config) -> list:
    sheets = [
        weasyprint.CSS(
            string=font_css(), base_url=base_url(), url_fetcher=fetcher, font_config=font_config
        )
    ]
    for sheet in extra:
        if isinstance(sheet, str):
            sheet = weasyprint.CSS(
                string=sheet, base_url=base_url(), url_fetcher=fetcher, font_config=font_config
            )
        sheets.append(sheet)
    return sheets


def render_document(html: str, *, stylesheets: Iterable = (), fetcher=None):
    """The laid-out WeasyPrint document (``.pages``, ``.write_pdf()``) of ``html``."""
    weasyprint = _weasyprint()
    fetcher = fetcher or make_fetcher()
    font_config = weasyprint.text.fonts.FontConfiguration()
    html = SVG_GENERIC_FONT.sub(f'font-family="{FONT_FAMILY}"', html)
    document = weasyprint.HTML(string=html, base_url=base_url(), url_fetcher=fetcher)
    return document.render(
        stylesheets=_stylesheets(weasyprint, stylesheets, fetcher, font_config),
        font_config=font_config,
    )


def render_pdf(html: str, *, stylesheets: Iterable = ()) -> bytes:
    """PDF bytes of ``html``; ``stylesheets``: CSS strings (or ``weasyprint.CSS``) added
    after the page's own styles."""
    with objects_set_aside():
        return render_document(html, stylesheets=stylesheets).write_pdf()


@contextlib.contextmanager
def objects_set_aside():
    """Keep the objects alive before rendering out of the garbage collector's scans while
    WeasyPrint lays out (``gc.freeze``): a worker holding the report's data made every
    collection during layout walk it too (the PDF of a province took 20% longer than
    WeasyPrint alone). Garbage is collected first, so none of it is kept through the
    layout; nothing is leaked: the objects are handed back afterwards."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def ascii_filename(filename: str) -> str:
    """``filename`` without accents and unsafe characters ("Báo cáo Đà.pdf" ->
    "Bao_cao_Da.pdf"), for clients that ignore ``filename*``."""
    text = filename.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "document.pdf"
    return text


def pdf_response(pdf: bytes, filename: str, *, as_attachment: bool = True) -> Response:
    """A response sending ``pdf`` as ``filename`` (UTF-8 name in ``filename*``)."""
    disposition = "attachment" if as_attachment else "inline"
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'{disposition}; filename="{ascii_filename(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
