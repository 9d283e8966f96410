"""QR codes of class links as SVG (segno): inline for the printable sheet, or a file."""

from __future__ import annotations

import io

import segno

# Level M survives a creased or slightly smudged printout and keeps the code small.
ERROR_LEVEL = "m"


def _make(link: str) -> segno.QRCode:
    return segno.make(link, error=ERROR_LEVEL, micro=False)


def svg_inline(link: str, title: str) -> str:
    """An ``<svg>`` element without fixed size, to be scaled by CSS inside a page."""
    return _make(link).svg_inline(
        scale=1, border=4, omitsize=True, title=title, svgclass="qr-code", lineclass="qr-line"
    )


def svg_document(link: str, title: str) -> bytes:
    """A standalone SVG file (with XML declaration), large enough to print as is."""
    buffer = io.BytesIO()
    _make(link).save(buffer, kind="svg", scale=10, border=4, title=title, xmldecl=True)
    return buffer.getvalue()
