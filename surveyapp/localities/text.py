"""Folding Vietnamese text for search that ignores accents and case.

"Mù Cang Chải" -> "mu cang chai"; "Đông" -> "dong".
"""

from __future__ import annotations

import unicodedata


def fold(text: str | None) -> str:
    """Lower-case ``text``, drop diacritics ("đ" -> "d") and collapse runs of spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.split())
