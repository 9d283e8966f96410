"""Importing instruments: a definition file (own YAML/JSON format) or an XLSForm workbook.

``import_file`` reads, checks and stores in one go and returns an ``ImportReport``; when
the report has errors nothing was written (the caller rolls back and shows the reasons).
A key that exists gets a new version, unless the content is the same as its latest
version (so loading the same file twice, or ``load_defaults``, creates nothing new); a
frozen version is never changed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from flask_babel import lazy_gettext as _l

from surveyapp.accounts.models import Role
from surveyapp.audit.services import record
from surveyapp.extensions import db
from surveyapp.instruments import definition as fmt
from surveyapp.instruments import documents, xlsform
from surveyapp.instruments.models import Instrument, InstrumentVersion
from surveyapp.instruments.report import ImportReport
from surveyapp.instruments.services import (
    add_version,
    definition_of,
    find_instrument,
    may_manage,
)
from surveyapp.security import Scope

DEFAULTS_DIR = Path(__file__).parent / "defaults"
DEFINITION_EXTENSIONS = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
EXTENSIONS = (*DEFINITION_EXTENSIONS, *xlsform.EXTENSIONS)
MAX_FILE_BYTES = 2 * 1024 * 1024


def import_file(
    data: bytes,
    filename: str,
    *,
    actor=None,
    scope: Scope | None = None,
    key: str | None = None,
    kind: str | None = None,
    locality_id: int | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Import a definition file (``.yaml``/``.yml``/``.json``) or an XLSForm (``.xlsx``/``.xls``).

    ``actor`` None is the command line (trusted). A coordinator's new instruments belong
    to their locality; an administrator's are national unless ``locality_id`` is given.
    Returns the report; when it has errors nothing was written.
    """
    report = ImportReport(source=filename)
    raw = read_file(data, filename, report)
    if raw is None:
        return report
    if key:
        raw["key"] = key
    existing = find_instrument(raw["key"]) if isinstance(raw.get("key"), str) else None
    _choose_kind(raw, kind, existing, report)
    definition = fmt.check(raw, report)
    if definition is None:
        return report
    if actor is not None and actor.role != Role.ADMIN:
        if actor.locality_id is None:
            report.error("", "not_allowed", _l("Only a user with an area can import instruments."))
            return report
        locality_id = actor.locality_id
    store_definition(
        definition,
        report,
        actor=actor,
        scope=scope,
        locality_id=locality_id,
        source=filename,
        now=now,
    )
    return report


def read_file(data: bytes, filename: str, report: ImportReport) -> dict | None:
    """The unchecked definition in a file, by its extension; None (with errors) if unreadable."""
    suffix = Path(filename).suffix.lower()
    if suffix not in EXTENSIONS:
        report.error("", "extension", _l("Use a .yaml, .yml, .json, .xlsx or .xls file."))
        return None
    if len(data) > MAX_FILE_BYTES:
        report.error("", "too_large", too_large_message())
        return None
    if suffix in DEFINITION_EXTENSIONS:
        return documents.load_document(data, DEFINITION_EXTENSIONS[suffix], report)
    return xlsform.read_xlsform(data, filename, report)


def too_large_message():
    size = MAX_FILE_BYTES
    text = f"{size / 1048576:g} MB" if size >= 1048576 else f"{size / 1024:g} KB"
    return _l("The file is too large (at most %(size)s).", size=text)


def _choose_kind(raw: dict, kind: str | None, existing: Instrument | None, report) -> None:
    if kind:
        raw["kind"] = kind
    elif not raw.get("kind"):
        if existing is not None:
            raw["kind"] = existing.kind
        else:
            items = raw.get("items") or []
            scored = any(isinstance(i, dict) and i.get("answer") for i in items)
            raw["kind"] = "skill_test" if scored else "pre_survey"
            report.note(
                "kind", "kind", _l("No kind given; imported as %(kind)s.", kind=raw["kind"])
            )


def store_definition(
    definition: dict,
    report: ImportReport,
    *,
    actor=None,
    scope: Scope | None = None,
    locality_id: int | None = None,
    source: str = "",
    now: datetime | None = None,
) -> InstrumentVersion | None:
    """Store a checked definition: a new instrument, a new version, or nothing if unchanged."""
    instrument = find_instrument(definition["key"])
    if instrument is None:
        instrument = Instrument(
            key=definition["key"],
            kind=definition["kind"],
            title=definition["title"],
            locality_id=locality_id,
            created_at=now or datetime.now(UTC),
        )
        db.session.add(instrument)
        report.created_instrument = True
    elif not _may_add_version(instrument, definition, report, actor, scope):
        return None
    elif instrument.latest is not None and definition_of(instrument.latest) == definition:
        report.unchanged = True
        report.version_number = instrument.latest.number
        return instrument.latest
    version = add_version(instrument, definition, actor=actor, source=source, now=now)
    report.version_number = version.number
    record(actor, "instrument.imported", instrument, number=version.number, source=source[:200])
    return version


def _may_add_version(instrument, definition: dict, report, actor, scope) -> bool:
    if not may_manage(actor, instrument, scope):
        message = _l(
            "The key %(key)s is an instrument you may not change; choose another key.",
            key=instrument.key,
        )
        report.error("key", "not_allowed", message)
        return False
    if instrument.kind != definition["kind"]:
        message = _l(
            "The instrument %(key)s is a %(kind)s.", key=instrument.key, kind=instrument.kind
        )
        report.error("kind", "kind", message)
        return False
    return True


def load_defaults(actor=None, now: datetime | None = None) -> list[ImportReport]:
    """Load the default instruments shipped in ``defaults/`` (national). Idempotent."""
    reports = []
    for path in sorted(DEFAULTS_DIR.glob("*.yaml")):
        reports.append(import_file(path.read_bytes(), path.name, actor=actor, now=now))
    return reports
