"""Everything held about one participant, for their right of access (Law 91/2025, art. on
the data subject's rights): profile, consents, enrolments, responses with their answers,
certificates and the requests they made, as JSON or as a long CSV.

The CSV has one line per value (section, record, field, value), UTF-8 with a byte order
mark, and cells a spreadsheet would run as formulas are neutralised. Exports are audited
by ``record_export``; the caller decides who may ask (administrators only in the web app).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from surveyapp.audit.services import record
from surveyapp.campaigns.models import Campaign
from surveyapp.certificates.models import Certificate
from surveyapp.classes.models import TrainingClass
from surveyapp.exports.writers import BOM, safe_text
from surveyapp.extensions import db
from surveyapp.instruments.i18n import tr
from surveyapp.instruments.models import Instrument, InstrumentVersion, Item
from surveyapp.localities.models import Locality
from surveyapp.participants.consent import consent_text
from surveyapp.participants.models import Consent, Enrolment, Participant
from surveyapp.privacy.models import DataRequest
from surveyapp.responses.models import Answer, Response

SECTIONS = ("profile", "consents", "enrolments", "responses", "certificates", "requests")


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value


def profile(person: Participant) -> dict:
    place = db.session.get(Locality, person.locality_id) if person.locality_id else None
    return {
        "public_id": person.public_id,
        "full_name": person.full_name,
        "birth_year": person.birth_year,
        "gender": person.gender,
        "segment": person.segment,
        "organisation": person.organisation,
        "commune": place.name if place else None,
        "commune_code": place.code if place else None,
        "phone": person.phone,
        "created_at": _plain(person.created_at),
        "erased_at": _plain(person.erased_at),
    }


def _consent_title(purpose: str, version: str, locale: str) -> str:
    try:
        return consent_text(purpose, locale, version)["title"]
    except KeyError:
        return ""


def consents(person: Participant, locale: str) -> list[dict]:
    rows = db.session.scalars(
        sa.select(Consent)
        .where(Consent.participant_id == person.id)
        .order_by(Consent.at, Consent.id)
    )
    return [
        {
            "purpose": c.purpose,
            "text": _consent_title(c.purpose, c.text_version, locale),
            "granted": c.granted,
            "text_version": c.text_version,
            "at": _plain(c.at),
            "withdrawn_at": _plain(c.withdrawn_at),
        }
        for c in rows
    ]


def enrolments(person: Participant) -> list[dict]:
    rows = db.session.execute(
        sa.select(Enrolment, TrainingClass, Campaign, Locality)
        .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
        .join(Campaign, Campaign.id == TrainingClass.campaign_id)
        .join(Locality, Locality.id == TrainingClass.locality_id)
        .where(Enrolment.participant_id == person.id)
        .order_by(Enrolment.enrolled_at, Enrolment.id)
    )
    return [
        {
            "class": cls.title,
            "access_code": cls.access_code,
            "campaign": campaign.name,
            "place": place.name,
            "class_start": _plain(cls.start_date),
            "enrolled_at": _plain(enrolment.enrolled_at),
        }
        for enrolment, cls, campaign, place in rows
    ]


def _answers_by_response(response_ids: list[int], locale: str) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {rid: [] for rid in response_ids}
    if not response_ids:
        return found
    rows = db.session.execute(
        sa.select(Answer.response_id, Item.key, Item.label, Answer.value, Answer.points)
        .join(Item, Item.id == Answer.item_id)
        .where(Answer.response_id.in_(response_ids))
        .order_by(Answer.response_id, Item.position, Item.id)
    )
    for row in rows:
        found[row.response_id].append(
            {
                "item": row.key,
                "question": tr(row.label, locale),
                "value": row.value,
                "points": _plain(row.points),
            }
        )
    return found


def responses(person: Participant, locale: str) -> list[dict]:
    rows = db.session.execute(
        sa.select(Response, InstrumentVersion, Instrument, TrainingClass.title)
        .join(InstrumentVersion, InstrumentVersion.id == Response.version_id)
        .join(Instrument, Instrument.id == InstrumentVersion.instrument_id)
        .outerjoin(TrainingClass, TrainingClass.id == Response.class_id)
        .where(Response.participant_id == person.id)
        .order_by(Response.submitted_at, Response.id)
    ).all()
    answers = _answers_by_response([row.Response.id for row in rows], locale)
    return [
        {
            "receipt": response.receipt_code,
            "form": tr(version.title, locale) or tr(instrument.title, locale),
            "instrument": instrument.key,
            "version": version.number,
            "class": class_title,
            "moment": response.moment,
            "submitted_at": _plain(response.submitted_at),
            "score": _plain(response.score),
            "max_score": _plain(response.max_score),
            "excluded": response.excluded,
            "answers": answers[response.id],
        }
        for response, version, instrument, class_title in rows
    ]


def certificates(person: Participant) -> list[dict]:
    rows = db.session.scalars(
        sa.select(Certificate)
        .where(Certificate.participant_id == person.id)
        .order_by(Certificate.issued_at, Certificate.id)
    )
    return [
        {
            "code": c.code,
            "kind": c.kind,
            "title": c.title,
            "holder_name": c.holder_name,
            "issued_at": _plain(c.issued_at),
            "revoked_at": _plain(c.revoked_at),
        }
        for c in rows
    ]


def requests(person: Participant) -> list[dict]:
    rows = db.session.scalars(
        sa.select(DataRequest)
        .where(DataRequest.participant_id == person.id)
        .order_by(DataRequest.received_at, DataRequest.id)
    )
    return [
        {
            "kind": r.kind,
            "purpose": r.purpose,
            "received_at": _plain(r.received_at),
            "due_on": _plain(r.due_on),
            "done_at": _plain(r.done_at),
        }
        for r in rows
    ]


def dossier(person: Participant, locale: str = "vi") -> dict:
    """Everything held about ``person``, section by section."""
    return {
        "profile": profile(person),
        "consents": consents(person, locale),
        "enrolments": enrolments(person),
        "responses": responses(person, locale),
        "certificates": certificates(person),
        "requests": requests(person),
    }


def to_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    return safe_text(str(value))


def _lines(data: dict):
    yield ["section", "record", "field", "value"]
    for key, value in data["profile"].items():
        yield ["profile", "1", key, value]
    for section in SECTIONS[1:]:
        for number, row in enumerate(data[section], 1):
            for key, value in row.items():
                if key != "answers":
                    yield [section, str(number), key, value]
            for answer in row.get("answers", ()):
                prefix = f"answer:{answer['item']}"
                yield [section, str(number), prefix, answer["value"]]
                yield [section, str(number), prefix + ":question", answer["question"]]
                yield [section, str(number), prefix + ":points", answer["points"]]


def to_csv(data: dict) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    for line in _lines(data):
        writer.writerow([_cell(value) for value in line])
    return buffer.getvalue().encode()


def record_export(person: Participant, *, actor, fmt: str) -> None:
    """Write the export of ``person``'s personal data to the audit log."""
    record(actor, "participant.exported", person, participant=person.public_id, format=fmt)
