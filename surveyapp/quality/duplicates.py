"""Probable duplicate people among the learners of a class or a campaign.

The participants service already merges a returning person when their phone or their
name, birth year and commune match; a duplicate is left when the second identification
gave a different phone (a new SIM, a relative's phone), which it does not merge on
purpose. Here the keys are read in one query and grouped by ``flags.probable_duplicates``;
the responses of every member of a group (in the classes looked at) get the
``probable_duplicate`` flag for a reviewer to look at. Nothing is merged or deleted.
"""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.classes.models import TrainingClass
from surveyapp.extensions import db
from surveyapp.participants.models import Enrolment, Participant
from surveyapp.quality import flags
from surveyapp.quality.checks import add_flags
from surveyapp.responses.models import Response

_PEOPLE, _ENROLLED = Participant.__table__, Enrolment.__table__
_SAME_KEYS = (
    sa.select(_PEOPLE.c.id)
    .join(_ENROLLED, _ENROLLED.c.participant_id == _PEOPLE.c.id)
    .where(
        _ENROLLED.c.class_id == sa.bindparam("class_id"),
        _PEOPLE.c.name_key == sa.bindparam("name_key"),
        _PEOPLE.c.birth_year == sa.bindparam("birth_year"),
        _PEOPLE.c.locality_id == sa.bindparam("locality_id"),
        _PEOPLE.c.erased_at.is_(None),
    )
)


def _class_ids(*, campaign_id: int | None, class_id: int | None):
    if (campaign_id is None) == (class_id is None):
        raise ValueError("give exactly one of campaign_id and class_id")
    if class_id is not None:
        return [class_id]
    return sa.select(TrainingClass.id).where(TrainingClass.campaign_id == campaign_id)


def people_keys(*, campaign_id: int | None = None, class_id: int | None = None):
    """``PersonKey`` of every (not erased) participant enrolled in the class or campaign."""
    enrolled = sa.select(Enrolment.participant_id).where(
        Enrolment.class_id.in_(_class_ids(campaign_id=campaign_id, class_id=class_id))
    )
    rows = db.session.execute(
        sa.select(
            Participant.id,
            Participant.name_key,
            Participant.birth_year,
            Participant.locality_id,
            sa.case((Participant.phone.is_not(None), Participant.identity_key)),
        ).where(Participant.id.in_(enrolled), Participant.erased_at.is_(None))
    ).all()
    return [flags.PersonKey(*row) for row in rows]


def duplicate_groups(*, campaign_id: int | None = None, class_id: int | None = None):
    """Groups (sets of participant ids) of probable duplicates in the class or campaign."""
    return flags.probable_duplicates(people_keys(campaign_id=campaign_id, class_id=class_id))


def duplicate_group_of(participant: Participant, class_id: int) -> set[int]:
    """The probable duplicates of ``participant`` among the learners of the class, with
    itself: its group of ``duplicate_groups(class_id=...)``, found by one indexed query on
    its own keys; empty when it has none."""
    if not participant.name_key or None in (participant.birth_year, participant.locality_id):
        return set()
    found = db.session.connection().execute(
        _SAME_KEYS,
        {
            "class_id": class_id,
            "name_key": participant.name_key,
            "birth_year": participant.birth_year,
            "locality_id": participant.locality_id,
        },
    )
    group = {row[0] for row in found} | {participant.id}
    return group if len(group) > 1 else set()


def flag_duplicates(*, campaign_id: int | None = None, class_id: int | None = None) -> int:
    """Flag the responses (in those classes) of every probable duplicate; return how many
    responses got the flag newly."""
    groups = duplicate_groups(campaign_id=campaign_id, class_id=class_id)
    return flag_groups(groups, campaign_id=campaign_id, class_id=class_id)


def flag_groups(groups, *, campaign_id: int | None = None, class_id: int | None = None) -> int:
    """Flag the responses, in the class or campaign, of the people in ``groups``."""
    people = sorted({pid for group in groups for pid in group})
    if not people:
        return 0
    responses = db.session.scalars(
        sa.select(Response)
        .where(
            Response.participant_id.in_(people),
            Response.class_id.in_(_class_ids(campaign_id=campaign_id, class_id=class_id)),
        )
        .order_by(Response.id)
    ).all()
    return sum(add_flags(response, [flags.PROBABLE_DUPLICATE]) for response in responses)


def same_person_candidates(participant: Participant, class_ids) -> list[Participant]:
    """Other participants of ``class_ids`` (a select of class ids) who probably are
    ``participant``: what a reviewer compares on the detail page."""
    if not participant.name_key or None in (participant.birth_year, participant.locality_id):
        return []
    enrolled = sa.select(Enrolment.participant_id).where(Enrolment.class_id.in_(class_ids))
    return list(
        db.session.scalars(
            sa.select(Participant)
            .where(
                Participant.name_key == participant.name_key,
                Participant.birth_year == participant.birth_year,
                Participant.locality_id == participant.locality_id,
                Participant.id != participant.id,
                Participant.erased_at.is_(None),
                Participant.id.in_(enrolled),
            )
            .order_by(Participant.id)
        )
    )
