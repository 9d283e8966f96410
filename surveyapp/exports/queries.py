"""The SQL behind the exports: the responses of a campaign under a locality, the versions.

Two streams in the same order are merged in Python: the responses (with the person) and
their answers. Both are ordered by class, version, response (and item) id: the order of the
indexes ``response(class_id, version_id)`` and ``answer(response_id, item_id)``, so rows
stream straight off them with no sort (ordering by response id alone makes SQLite sort a
million rows before the first one comes out). Response columns are thus read once per
response, not once per answer. The few small things repeated on every row (class
locality, instrument key, item key) are looked up once into dictionaries (``Lookups``).
"""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.campaigns.models import Campaign
from surveyapp.classes.models import TrainingClass
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion, Item
from surveyapp.localities.models import Locality, subtree_filter
from surveyapp.participants.models import Participant
from surveyapp.responses.models import Answer, ClassForm, Response


def area_classes(campaign: Campaign, head: Locality):
    """Select of the ids of the campaign's classes located under ``head``."""
    return (
        sa.select(TrainingClass.id)
        .join(Locality, Locality.id == TrainingClass.locality_id)
        .where(TrainingClass.campaign_id == campaign.id, subtree_filter(Locality.path, head.path))
    )


def campaign_versions(campaign: Campaign) -> list[InstrumentVersion]:
    """Instrument versions given in the campaign's classes (as class forms or answered)."""
    classes = sa.select(TrainingClass.id).where(TrainingClass.campaign_id == campaign.id)
    used = sa.union(
        sa.select(ClassForm.version_id).where(ClassForm.class_id.in_(classes)),
        sa.select(Response.version_id).where(Response.class_id.in_(classes)),
    ).subquery()
    return list(
        db.session.scalars(
            sa.select(InstrumentVersion)
            .join(Instrument)
            .where(InstrumentVersion.id.in_(sa.select(used.c.version_id)))
            .order_by(Instrument.key, InstrumentVersion.number)
        )
    )


def version_in_campaign(campaign: Campaign, version_id: int) -> InstrumentVersion | None:
    return next((v for v in campaign_versions(campaign) if v.id == version_id), None)


class Lookups:
    """Small dictionaries for the columns repeated on every row, filled when first needed
    (inside the row generator, so a download starts before any of these queries run)."""

    def __init__(self, campaign: Campaign, head: Locality):
        self.campaign, self.head = campaign, head
        self._classes: dict[int, tuple[str, str]] | None = None
        self.versions: dict[int, tuple[str, int]] = {}
        self.items: dict[int, str] = {}  # item id -> key, for the versions met so far

    def place(self, class_id: int) -> tuple[str, str]:
        """(code, name) of the locality of a class of the area."""
        if self._classes is None:
            rows = db.session.execute(
                sa.select(TrainingClass.id, Locality.code, Locality.name)
                .join(Locality, Locality.id == TrainingClass.locality_id)
                .where(TrainingClass.id.in_(area_classes(self.campaign, self.head)))
            )
            self._classes = {row.id: (row.code, row.name) for row in rows}
        return self._classes.get(class_id, (None, None))

    def version(self, version_id: int) -> tuple[str, int]:
        """(instrument key, version number); also loads the version's item keys."""
        found = self.versions.get(version_id)
        if found is None:
            row = db.session.execute(
                sa.select(Instrument.key, InstrumentVersion.number)
                .join(Instrument)
                .where(InstrumentVersion.id == version_id)
            ).one()
            found = self.versions[version_id] = (row.key, row.number)
            items = sa.select(Item.id, Item.key).where(Item.version_id == version_id)
            self.items.update(db.session.execute(items).tuples().all())
        return found


def _in_area(query, campaign: Campaign, head: Locality, version_id: int | None):
    query = query.where(Response.class_id.in_(area_classes(campaign, head)))
    if version_id is not None:
        query = query.where(Response.version_id == version_id)
    return query


RESPONSE_ORDER = (Response.class_id, Response.version_id, Response.id)


def _response_columns(identities: bool) -> list:
    """The response-level columns of every export (names and phones only with identities)."""
    columns = [
        Response.id,
        Response.receipt_code,
        Participant.public_id,
        Participant.segment,
        Response.class_id,
        Response.version_id,
        Response.moment,
        Response.submitted_at,
        Response.score,
        Response.max_score,
        Response.excluded,
        Response.flags,
    ]
    if identities:
        columns += [Participant.full_name, Participant.phone]
    return columns


def area_responses(
    campaign: Campaign, head: Locality, *, version_id: int | None = None, identities: bool = False
) -> sa.Select:
    """Select of the responses in the area, ordered by class, version and id.

    Columns: id, receipt, participant public id, segment, class id, version id, moment,
    submitted_at, score, max_score, excluded, flags[, full name, phone].
    """
    columns = _response_columns(identities)
    query = (
        sa.select(*columns)
        .outerjoin(Participant, Participant.id == Response.participant_id)
        .order_by(*RESPONSE_ORDER)
    )
    return _in_area(query, campaign, head, version_id)


def raw(column):
    """``column`` as the driver returns it: no result processing in SQLAlchemy (a million
    Decimal and JSON conversions cost more than writing the CSV)."""
    return sa.type_coerce(column, sa.types.NullType())


def area_answers(campaign: Campaign, head: Locality, *, version_id: int | None = None):
    """Select of the answers of ``area_responses``, in the same order (then by item id).

    Columns: response id, item id, value as JSON text, number, points (driver values:
    int/float on SQLite, Decimal on PostgreSQL).
    """
    query = (
        sa.select(
            Answer.response_id,
            Answer.item_id,
            sa.cast(Answer.value, sa.Text),
            raw(Answer.number),
            raw(Answer.points),
        )
        .select_from(Response)
        .join(Answer, Answer.response_id == Response.id)
        .order_by(*RESPONSE_ORDER, Answer.item_id)
    )
    return _in_area(query, campaign, head, version_id)


def response_answers(
    campaign: Campaign,
    head: Locality,
    *,
    version_id: int | None = None,
    identities: bool = False,
    every_response: bool = False,
) -> sa.Select:
    """Select of one row per answer in the area, ordered by response id then item id (the
    JSON API pages through it with a (response id, item id) cursor).

    Columns: id, receipt_code, public_id, segment, class_id, version_id, moment,
    submitted_at, score, max_score, excluded, flags, [full_name, phone,] item_id, value,
    number, points. ``every_response`` keeps responses without answers (item_id NULL).
    """
    columns = _response_columns(identities)
    columns += [Answer.item_id, Answer.value, Answer.number, Answer.points]
    join = sa.orm.outerjoin if every_response else sa.orm.join
    query = (
        sa.select(*columns)
        .select_from(join(Response, Answer, Answer.response_id == Response.id))
        .outerjoin(Participant, Participant.id == Response.participant_id)
        .order_by(Response.id, Answer.item_id)
    )
    return _in_area(query, campaign, head, version_id)
