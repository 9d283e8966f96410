"""Builders for the data-quality tests: people and responses made without the journey."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta

from surveyapp.extensions import db
from surveyapp.instruments.models import Item
from surveyapp.participants import services as participants
from surveyapp.responses import services
from surveyapp.responses.models import Response
from tests.journey.helpers import attach, make_instrument, vi

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
_receipts = itertools.count(1)


def person(w, name="Nguyễn Thị Lan", cls=None, phone="", year=1985, locality=None):
    """Identify a person in ``cls`` (the Mậu A class by default) as the journey does."""
    fields = participants.IdentityFields(
        full_name=name,
        birth_year=year,
        gender="female",
        segment="official",
        locality=locality or w.mau_a,
        phone=phone,
        follow_up=bool(phone),
    )
    return participants.identify(
        cls or w.cls, fields, evaluation_consent=True, secret="test-secret", now=NOW
    )


def submit(form, who, answers, *, seconds=420, sid=None):
    """Store a submission through the real service, ``seconds`` after the form was shown."""
    return services.store_submission(
        form,
        who,
        answers,
        submission_id=sid or str(uuid.uuid4()),
        started_at=NOW - timedelta(seconds=seconds) if seconds is not None else None,
        now=NOW,
    ).response


def response(form, who=None, *, flags=(), seconds=300, excluded=False, note=""):
    """A bare response row (no answers) with the given flags, for the review pages."""
    n = next(_receipts)
    row = Response(
        submission_id=f"q-{uuid.uuid4()}",
        receipt_code=f"QR{n:05d}",
        class_id=form.class_id,
        version_id=form.version_id,
        class_form_id=form.id,
        moment=form.moment,
        participant_id=who.id if who is not None else None,
        locality_id=None,
        submitted_at=NOW,
        received_at=NOW,
        duration_seconds=seconds,
        flags=list(flags),
        excluded=excluded,
        exclusion_note=note,
    )
    db.session.add(row)
    db.session.flush()
    return row


def likert_block_form(w, cls=None, n=6):
    """A class form whose version has one block of ``n`` Likert statements (keys s1..sn),
    the last reverse-coded, and a free-text question."""
    items = [
        {
            "key": f"s{i}",
            "qtype": "likert",
            "section": vi("Thái độ với AI", "Attitudes"),
            "reverse": i == n,
            "label": vi(f"Nhận định {i}"),
        }
        for i in range(1, n + 1)
    ]
    items.append({"key": "comment", "qtype": "short_text", "label": vi("Góp ý")})
    version = make_instrument(f"t-att-{uuid.uuid4().hex[:6]}", "post_survey", items)
    return attach(cls or w.cls, version)[0]


def likert_items(version) -> list[Item]:
    return [item for item in version.items if item.qtype == "likert"]
