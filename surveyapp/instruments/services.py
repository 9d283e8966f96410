"""Instrument rules: who sees and changes which instrument, versions, freezing, imports.

A version is *frozen* once a response references it (``freeze`` also stamps
``frozen_at``); a frozen version never changes again and edits go into a new version made
by ``clone_version``, which keeps the item keys so that results stay comparable.
Instruments with ``locality_id`` None are national: everyone staff sees them, only
administrators change them; a coordinator clones them into their own scope
(``clone_into_scope``). Imports (own YAML/JSON format or XLSForm) are in ``imports.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from surveyapp.accounts.models import Role
from surveyapp.audit.services import record
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.instruments import definition as fmt
from surveyapp.instruments import documents, xlsform
from surveyapp.instruments.models import Instrument, InstrumentVersion, Item
from surveyapp.instruments.report import ImportReport
from surveyapp.localities.models import Locality
from surveyapp.responses.models import Response
from surveyapp.security import Scope, compute_scope

# ---------------------------------------------------------------- visibility and rights


def visible_condition(scope: Scope):
    """SQL condition: national instruments, and those of the scope or of a unit above it."""
    if scope.unrestricted:
        return sa.true()
    return sa.or_(
        Instrument.locality_id.is_(None), scope.campaign_condition(Instrument.locality_id)
    )


def may_manage(actor, instrument: Instrument, scope: Scope | None = None) -> bool:
    """Administrators change everything; coordinators the instruments of their own scope."""
    if actor is None or actor.role == Role.ADMIN:
        return True
    if actor.role != Role.COORDINATOR or instrument.locality_id is None:
        return False
    scope = scope if scope is not None else compute_scope(actor)
    return scope.contains(db.session.get(Locality, instrument.locality_id))


def _check_may_manage(actor, instrument: Instrument, scope: Scope | None) -> None:
    if not may_manage(actor, instrument, scope):
        raise NotAllowed(
            _l("You may not change this instrument; make a copy in your own area instead.")
        )


# ---------------------------------------------------------------- freezing and versions


def is_frozen(version: InstrumentVersion) -> bool:
    """True once the version was frozen or any response references it."""
    if version.frozen_at is not None:
        return True
    if version.id is None:
        return False
    return db.session.scalar(sa.select(sa.exists().where(Response.version_id == version.id)))


def freeze(version: InstrumentVersion, now: datetime) -> None:
    """Freeze ``version`` (idempotent): called when the first answers arrive."""
    if version.frozen_at is None:
        version.frozen_at = now


def find_instrument(key: str) -> Instrument | None:
    return db.session.scalar(sa.select(Instrument).where(Instrument.key == key))


def get_version(instrument: Instrument, number: int | None) -> InstrumentVersion | None:
    """Version ``number`` of the instrument, or its latest when ``number`` is None."""
    if number is None:
        return instrument.latest
    return db.session.scalar(
        sa.select(InstrumentVersion).where(
            InstrumentVersion.instrument_id == instrument.id, InstrumentVersion.number == number
        )
    )


def _next_number(instrument: Instrument) -> int:
    if instrument.id is None:
        return 1
    highest = db.session.scalar(
        sa.select(sa.func.max(InstrumentVersion.number)).where(
            InstrumentVersion.instrument_id == instrument.id
        )
    )
    return (highest or 0) + 1


def add_version(instrument, definition: dict, *, actor, source: str, now) -> InstrumentVersion:
    version = InstrumentVersion(
        instrument=instrument,
        number=_next_number(instrument),
        title=definition["title"],
        description=definition["description"],
        settings=definition["settings"],
        created_at=now or datetime.now(UTC),
        created_by_id=getattr(actor, "id", None),
        source=source[:200],
    )
    version.items = [
        Item(**item_columns(item, position))
        for position, item in enumerate(definition["items"], start=1)
    ]
    instrument.title = definition["title"]
    db.session.add(version)
    db.session.flush()
    return version


def clone_version(
    version: InstrumentVersion, actor, *, scope: Scope | None = None, now: datetime | None = None
) -> InstrumentVersion:
    """A new version (number + 1) of the same instrument with copies of every item."""
    instrument = version.instrument
    _check_may_manage(actor, instrument, scope)
    source = str(_l("copy of version %(n)s", n=version.number))
    new = add_version(instrument, definition_of(version), actor=actor, source=source, now=now)
    record(actor, "instrument.version_cloned", instrument, number=new.number, of=version.number)
    return new


def clone_into_scope(
    version: InstrumentVersion, actor, *, now: datetime | None = None
) -> InstrumentVersion:
    """Copy a national (or higher-level) instrument into the coordinator's own area.

    The copy is a new instrument (key ``<key>-<locality code>``) whose first version has
    the same items and item keys, so its results compare with the original's.
    """
    if actor is None or actor.locality_id is None:
        raise NotAllowed(_l("Only a user with an area can copy an instrument into it."))
    locality = db.session.get(Locality, actor.locality_id)
    base = xlsform.slugify(f"{version.instrument.key}-{locality.code}")
    key, n = base, 1
    while find_instrument(key) is not None:
        n += 1
        key = f"{base[:76]}-{n}"
    definition = definition_of(version) | {"key": key}
    instrument = Instrument(
        key=key,
        kind=version.instrument.kind,
        title=definition["title"],
        locality_id=locality.id,
        created_at=now or datetime.now(UTC),
    )
    db.session.add(instrument)
    source = str(_l("copy of %(key)s version %(n)s", key=version.instrument.key, n=version.number))
    new = add_version(instrument, definition, actor=actor, source=source, now=now)
    record(actor, "instrument.copied", instrument, of=version.instrument.key, number=version.number)
    return new


def update_item_texts(
    version: InstrumentVersion,
    item_key: str,
    *,
    actor=None,
    scope: Scope | None = None,
    label: dict | None = None,
    hint: dict | None = None,
    explanation: dict | None = None,
    choice_labels: dict[str, dict] | None = None,
) -> Item:
    """Change the texts of one item (``None`` leaves a text as it is).

    Refused on a frozen version: make a new version with ``clone_version`` first.
    """
    _check_may_manage(actor, version.instrument, scope)
    if is_frozen(version):
        raise DomainError(
            _l("This version already has answers and cannot change. Make a new version.")
        )
    item = next((i for i in version.items if i.key == item_key), None)
    if item is None:
        raise DomainError(_l("No item %(key)s in this version.", key=item_key))
    report = ImportReport()
    texts = {"label": label, "hint": hint, "explanation": explanation}
    new = {
        name: fmt.text_dict(v, item_key, name, report) for name, v in texts.items() if v is not None
    }
    if label is not None and not new["label"]:
        raise DomainError(_l("The question text cannot be empty."), field="label_vi")
    choices = _relabelled_choices(item, choice_labels or {}, report)
    if not report.ok:
        raise DomainError(report.errors[0].message)
    for name, value in new.items():
        setattr(item, name, value)
    item.choices = choices
    record(
        actor, "instrument.item_edited", version.instrument, number=version.number, item=item_key
    )
    return item


def _relabelled_choices(item: Item, labels: dict[str, dict], report) -> list[dict]:
    values = [c["value"] for c in item.choices or []]
    unknown = sorted(set(labels) - set(values))
    if unknown:
        raise DomainError(_l("Unknown choice values: %(values)s", values=", ".join(unknown)))
    result = []
    for choice in item.choices or []:
        label = choice["label"]
        if choice["value"] in labels:
            label = fmt.text_dict(labels[choice["value"]], item.key, "choice label", report)
            if not label:
                raise DomainError(_l("Every choice needs a label."))
        result.append({"value": choice["value"], "label": label})
    return result


# ---------------------------------------------------------------- definitions <-> rows


def item_columns(item: dict, position: int) -> dict:
    """The ``Item`` column values of a normal item definition."""

    def decimal(value):
        return None if value is None else Decimal(str(value))

    return {
        "key": item["key"],
        "position": position,
        "page": item["page"],
        "section": item["section"],
        "qtype": item["type"],
        "label": item["label"],
        "hint": item["hint"],
        "required": item["required"],
        "relevant": item["relevant"],
        "constraint": item["constraint"],
        "constraint_message": item["constraint_message"],
        "choices": item["choices"],
        "answer_key": item["answer"],
        "points": decimal(item["points"]),
        "partial_credit": item["partial_credit"],
        "explanation": item["explanation"],
        "competency": item["competency"],
        "reverse": item["reverse"],
        "min_value": decimal(item["min"]),
        "max_value": decimal(item["max"]),
        "max_length": item["max_length"],
    }


def definition_of(version: InstrumentVersion) -> dict:
    """The normal definition of a stored version (what ``definition.check`` would give)."""
    return {
        "key": version.instrument.key,
        "kind": version.instrument.kind,
        "title": dict(version.title or {}),
        "description": dict(version.description or {}),
        "settings": {k: version.settings[k] for k in sorted(version.settings or {})},
        "items": [_item_definition(item) for item in version.items],
    }


def _item_definition(item: Item) -> dict:
    return {
        "key": item.key,
        "type": item.qtype,
        "page": item.page,
        "section": dict(item.section or {}),
        "label": dict(item.label or {}),
        "hint": dict(item.hint or {}),
        "required": bool(item.required),
        "relevant": item.relevant or "",
        "constraint": item.constraint or "",
        "constraint_message": dict(item.constraint_message or {}),
        "choices": [{"value": c["value"], "label": dict(c["label"])} for c in item.choices or []],
        "answer": item.answer_key,
        "points": fmt.to_number(item.points) or 0,
        "partial_credit": bool(item.partial_credit),
        "explanation": dict(item.explanation or {}),
        "competency": item.competency or "",
        "reverse": bool(item.reverse),
        "min": fmt.to_number(item.min_value),
        "max": fmt.to_number(item.max_value),
        "max_length": item.max_length,
    }


def export_text(version: InstrumentVersion, file_format: str) -> str:
    """The version in the project's own format, ``yaml`` or ``json``."""
    return documents.dump(definition_of(version), file_format)
