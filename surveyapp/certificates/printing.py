"""The printed certificate: an A4 landscape page rendered by WeasyPrint
(``surveyapp.reports.pdf``) with the holder's name, what and when, the issuing body, the
verification code and a QR code pointing to the public ``/verify/<code>`` page."""

from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from surveyapp.classes import qr

from .models import Certificate, CertificateKind


def verify_link(certificate: Certificate) -> str:
    """The absolute link of the verification page (``PUBLIC_BASE_URL`` when set)."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/") + url_for("certificates.verify", code=certificate.code)


def kind_heading(certificate: Certificate) -> str:
    if certificate.kind == CertificateKind.AWARD:
        return _("Certificate of award")
    return _("Certificate of completion")


def certificate_html(certificate: Certificate) -> str:
    """The certificate page as HTML (the PDF's source; also handy in tests)."""
    link = verify_link(certificate)
    return render_template(
        "certificates/certificate_pdf.html",
        certificate=certificate,
        campaign=certificate.campaign,
        heading=kind_heading(certificate),
        link=link,
        qr_svg=Markup(qr.svg_inline(link, _("Verification QR code"))),  # noqa: S704 (segno escapes)
    )


def certificate_pdf(certificate: Certificate) -> bytes:
    from surveyapp.reports.pdf import FONT_FAMILY, render_pdf

    css = render_template("certificates/certificate_pdf.css", font_family=FONT_FAMILY)
    return render_pdf(certificate_html(certificate), stylesheets=[css])


def pdf_download(certificate: Certificate):
    """The PDF of ``certificate`` as a download response."""
    from surveyapp.reports.pdf import pdf_response

    return pdf_response(certificate_pdf(certificate), f"certificate-{certificate.code}.pdf")
