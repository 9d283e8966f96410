"""The PDF machinery: only the app's static files are fetched, fonts are embedded, and the
download carries a safe file name."""

from __future__ import annotations

import pytest

from surveyapp.reports import pdf

from .conftest import pdf_fonts, pdf_text

HOSTILE = [
    "file:///etc/passwd",
    "file://localhost/etc/hostname",
    "http://example.com/tracker.png",
    "https://127.0.0.1/x.png",
    "javascript:alert(1)",
    "ftp://example.com/x",
    "fonts/../../../pyproject.toml",
    "/etc/passwd",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_fetcher_refuses_everything_outside_static(url):
    fetcher = pdf.make_fetcher()
    absolute = url if ":" in url else pdf.base_url() + url.lstrip("/")
    if url.startswith("/"):
        absolute = "file://" + url
    with pytest.raises(ValueError):
        fetcher.fetch(absolute)
    assert fetcher.refused


def test_fetcher_serves_static_files_and_data_images():
    fetcher = pdf.make_fetcher()
    font = fetcher.fetch(pdf.base_url() + "fonts/LiberationSerif-Regular.ttf")
    assert len(font.read()) > 100_000
    image = fetcher.fetch("data:image/png;base64,iVBORw0KGgo=")
    assert image.read().startswith(b"\x89PNG")
    with pytest.raises(ValueError):
        fetcher.fetch("data:text/html,<script>alert(1)</script>")


def test_hostile_markup_fetches_nothing_and_fonts_are_embedded(ctx, monkeypatch):
    fetched: list[str] = []
    real = pdf.make_fetcher

    def spy():
        fetcher = real()
        original = fetcher.fetch

        def fetch(url, headers=None):
            fetched.append(url)
            return original(url, headers)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(pdf, "make_fetcher", spy)
    html = (
        "<html><body><p>Xã Mù Cang Chải, Văn Yên: Độc lập - Tự do - Hạnh phúc</p>"
        '<img src="file:///etc/passwd"><img src="http://example.com/x.png">'
        '<img src="javascript:alert(1)"><link rel="stylesheet" href="http://example.com/a.css">'
        '<iframe src="file:///etc/passwd"></iframe><script>document.write("pwned")</script>'
        '<svg width="80" height="20"><text x="0" y="15" font-family="sans-serif">Yên</text>'
        "</svg></body></html>"
    )
    document = pdf.render_document(
        html, stylesheets=[f'body {{ font-family: "{pdf.FONT_FAMILY}"; }}']
    )
    data = document.write_pdf()
    outside = [u for u in fetched if "/static/fonts/" not in u]
    assert {u for u in outside} >= {"file:///etc/passwd", "http://example.com/x.png"}
    assert len(document.pages) == 1
    text = pdf_text(data)
    assert "Xã Mù Cang Chải, Văn Yên: Độc lập - Tự do - Hạnh phúc" in text
    assert "root:" not in text and "pwned" not in text
    assert b"/JavaScript" not in data and b"/JS " not in data
    fonts = pdf_fonts(data)
    assert fonts and all("Surveyapp-Serif" in row[0] for row in fonts)
    assert all(row[-5] == "yes" for row in fonts)  # the "emb" column


def test_pdf_response_headers(ctx):
    response = pdf.pdf_response(b"%PDF-1.7", "Báo cáo Đà Nẵng 2026.pdf")
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Bao_cao_Da_Nang_2026.pdf"')
    assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20%C4%90%C3%A0%20N%E1%BA%B5ng%202026.pdf" in (
        disposition
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    assert pdf.ascii_filename('"; evil\r\n.pdf') == "evil_.pdf"


def test_objects_are_set_aside_during_layout_and_handed_back():
    """render_pdf freezes the worker's objects out of the collector's scans during layout
    (a province's PDF took 20% longer than WeasyPrint alone) and always unfreezes them."""
    import gc

    from surveyapp.reports.pdf import objects_set_aside

    before = gc.get_freeze_count()
    with objects_set_aside():
        assert gc.get_freeze_count() > before
    assert gc.get_freeze_count() == 0
    try:
        with objects_set_aside():
            raise RuntimeError("layout failed")
    except RuntimeError:
        pass
    assert gc.get_freeze_count() == 0
