"""Fixtures of the impact report tests: the dashboard's small campaign (``world``: a
province, Xã Mù Cang Chải and Xã Văn Yên, five learners) and helpers to read PDFs."""

from __future__ import annotations

import subprocess

import pytest

from tests.dashboard.conftest import world  # noqa: F401  (the fixture, reused)


def pdf_text(pdf: bytes, *, layout: bool = True) -> str:
    """The text of ``pdf`` as poppler's pdftotext extracts it."""
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()


def pdf_fonts(pdf: bytes) -> list[list[str]]:
    """Rows of ``pdffonts``: name, type, encoding, emb, sub, uni, ... (header dropped)."""
    out = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def pdf_pages(pdf: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    line = next(x for x in out.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


@pytest.fixture
def reader(f, login, world):  # noqa: F811
    """A client logged in as a province evaluator."""
    return login(f.user(role="evaluator", locality=world.province))
