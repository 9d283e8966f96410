"""Files of contest entries: type checked by content (magic bytes), size limits, storage
outside the web root under a random name.

The file name a pupil's browser sends says nothing: a program renamed ``.pdf`` or a zip
archive called ``.png`` is refused because its first bytes are not those of an accepted
type. Accepted: PDF, PNG, JPEG, WebP, MP4 and WebM. Files are written to
``CONTEST_UPLOAD_DIR`` (by default ``<instance>/contest-files``), never below ``static/``.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import quote

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import safe_join

from surveyapp.errors import DomainError

# content type -> extension used for the stored file and the download name
ACCEPTED = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "video/mp4": ".mp4",
    "video/webm": ".webm",
}
MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso3",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"mmp4",
    b"dash",
}
# Programs (Windows, Linux, macOS, Java, scripts) and archives: refused with their own message.
PROGRAMS = (
    b"MZ",
    b"\x7fELF",
    b"\xcf\xfa\xed\xfe",
    b"\xce\xfa\xed\xfe",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
ARCHIVES = (b"PK\x03\x04", b"PK\x05\x06", b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")
HEAD_BYTES = 64
CHUNK = 64 * 1024


def sniff(head: bytes) -> str | None:
    """The accepted content type that ``head`` (the first bytes of a file) starts, or None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
        return "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:HEAD_BYTES]:
        return "video/webm"
    return None


def refusal(head: bytes) -> str:
    """The message for a file whose content is not accepted."""
    if not head:
        return _("The file is empty.")
    if head.startswith(PROGRAMS):
        return _("This file is a program, not a document, picture or video; it was refused.")
    if head.startswith(ARCHIVES):
        return _("Compressed archives (zip, rar...) are not accepted; upload the files inside.")
    return _("Only PDF, PNG, JPEG, WebP, MP4 and WebM files are accepted (checked by content).")


def upload_dir() -> str:
    path = current_app.config.get("CONTEST_UPLOAD_DIR") or os.path.join(
        current_app.instance_path, "contest-files"
    )
    os.makedirs(path, exist_ok=True)
    return path


def file_limit_bytes(round_max_mb: int) -> int:
    """The smaller of the round's limit and the global cap ``CONTEST_MAX_FILE_MB``."""
    cap = int(current_app.config.get("CONTEST_MAX_FILE_MB", 50))
    return min(max(int(round_max_mb or 0), 1), cap) * 1024 * 1024


@dataclass
class StoredFile:
    stored_name: str
    content_type: str
    size: int
    sha256: str


def store(stream: BinaryIO, *, limit_bytes: int, directory: str) -> StoredFile:
    """Check ``stream`` by content and size, then keep it under a random name in
    ``directory``. On any refusal nothing is left on disk and DomainError is raised."""
    head = stream.read(HEAD_BYTES)
    content_type = sniff(head)
    if content_type is None:
        raise DomainError(refusal(head), field="file")
    name = secrets.token_hex(16) + ACCEPTED[content_type]
    path = os.path.join(directory, name)
    digest = hashlib.sha256(head)
    size = len(head)
    try:
        with open(path, "xb") as out:
            out.write(head)
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit_bytes:
                    raise DomainError(
                        _(
                            "The file is larger than %(mb)s MB.",
                            mb=limit_bytes // (1024 * 1024),
                        ),
                        field="file",
                    )
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        remove(directory, name)
        raise
    return StoredFile(name, content_type, size, digest.hexdigest())


def path_of(directory: str, stored_name: str) -> str | None:
    """The file's path inside ``directory`` (None if the name would escape it)."""
    return safe_join(directory, stored_name)


def remove(directory: str, stored_name: str) -> None:
    path = path_of(directory, stored_name)
    if path and os.path.exists(path):
        os.remove(path)


def download_name(original: str, content_type: str) -> str:
    """The name offered when downloading: the original stem with the extension that matches
    the content, so a renamed file cannot pose as another type on the user's computer."""
    stem = os.path.splitext(os.path.basename(original or ""))[0].strip() or "file"
    return stem[:120] + ACCEPTED.get(content_type, "")


def read_chunks(path: str):
    """Yield the file's bytes; the file is opened on first use and always closed."""
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def attachment_header(name: str) -> str:
    """Content-Disposition for a download, with an ASCII fallback and the UTF-8 name
    (RFC 6266 / 5987), so "Báo cáo.pdf" keeps its diacritics."""
    name = name.replace('"', "").replace("\\", "").replace("\r", "").replace("\n", "")
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or "file"
    if fallback == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
