"""The trainers' queue of follow-up examples to review, and recording a review.

In the follow-up survey a person describes a concrete use of AI (item key ``example``).
The rule counts an example only once a trainer or reviewer has accepted it, and an
accepted example that describes better work counts as a benefit (``quality_gain``).

Who sees which responses: a trainer those of the classes they teach, a coordinator (or
evaluator) those of classes inside their scope, an admin all (``classes.services
.visible_classes``). Excluded responses never enter the queue. ``review_example`` creates
or updates the one ``ExampleReview`` of a response and writes an audit entry with the old
and the new judgement; it flushes but never commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from surveyapp.accounts.models import Role, User
from surveyapp.approvals import locks
from surveyapp.audit.services import record
from surveyapp.classes.models import TrainingClass
from surveyapp.classes.services import visible_classes
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.instruments.i18n import tr
from surveyapp.instruments.models import Item
from surveyapp.localities.models import Locality
from surveyapp.models_base import utcnow
from surveyapp.participants.models import Participant
from surveyapp.responses.models import Answer, Moment, Response
from surveyapp.security import compute_scope

from .models import ExampleReview, ReviewStatus

EXAMPLE_KEY = "example"
SHOWN_KEYS = ("example", "ai_frequency", "ai_purposes", "ai_purposes_other", "time_saved")
NOTE_MAX = 500
REVIEWERS = (Role.ADMIN, Role.COORDINATOR, Role.TRAINER)


def has_example():
    """SQL condition: the response (``Response.id``) holds a non-empty ``example`` answer."""
    return (
        sa.select(Answer.id)
        .join(Item, Answer.item_id == Item.id)
        .where(
            Answer.response_id == Response.id,
            Item.key == EXAMPLE_KEY,
            Answer.value.is_not(None),
            sa.cast(Answer.value, sa.Text).not_in(['""', "null"]),
        )
        .exists()
    )


def _reviewed():
    return sa.select(ExampleReview.id).where(ExampleReview.response_id == Response.id).exists()


def _visible_class_ids(scope, actor) -> sa.Select:
    if actor is None:
        return sa.select(TrainingClass.id)
    return visible_classes(actor, scope).with_only_columns(TrainingClass.id)


def follow_ups_with_examples(scope, actor, campaign_id: int | None = None) -> sa.Select:
    """Counted follow-up responses with an example, in classes ``actor`` may see."""
    query = sa.select(Response).where(
        Response.moment == Moment.FOLLOW_UP,
        Response.excluded.is_(False),
        Response.class_id.in_(_visible_class_ids(scope, actor)),
        has_example(),
    )
    if campaign_id is not None:
        in_campaign = sa.select(TrainingClass.id).where(TrainingClass.campaign_id == campaign_id)
        query = query.where(Response.class_id.in_(in_campaign))
    return query


def pending_examples(scope, actor, campaign_id: int | None = None) -> sa.Select:
    """``select(Response)``: examples nobody has reviewed yet, oldest first."""
    return (
        follow_ups_with_examples(scope, actor, campaign_id)
        .where(~_reviewed())
        .order_by(Response.submitted_at, Response.id)
    )


def reviewed_examples(scope, actor, campaign_id: int | None = None) -> sa.Select:
    """``select(Response)``: examples already reviewed, the latest review first."""
    return (
        follow_ups_with_examples(scope, actor, campaign_id)
        .join(ExampleReview, ExampleReview.response_id == Response.id)
        .order_by(ExampleReview.reviewed_at.desc(), Response.id.desc())
    )


def find_reviewable(scope, actor, response_id: int) -> Response | None:
    """The follow-up response if ``actor`` sees it and it has an example (reviewed or not)."""
    return db.session.scalar(
        follow_ups_with_examples(scope, actor).where(Response.id == response_id)
    )


# ---------------------------------------------------------------- what the queue shows


@dataclass
class ExampleCard:
    """One example as the queue shows it: never the person's name or phone."""

    response_id: int
    submitted_at: datetime
    class_id: int | None
    class_title: str
    class_end: date | None
    locality_name: str
    public_id: str
    segment: str
    example: str = ""
    frequency: str = ""
    purposes: list[str] = field(default_factory=list)
    time_saved: str = ""
    review: ExampleReview | None = None


def _choice_label(choices, value) -> str:
    for choice in choices or ():
        if isinstance(choice, dict) and choice.get("value") == value:
            return tr(choice.get("label")) or str(value)
    return str(value)


def _fill(card: ExampleCard, key: str, value, choices) -> None:
    if key == "example":
        card.example = str(value or "")
    elif key == "ai_frequency" and value:
        card.frequency = _choice_label(choices, value)
    elif key == "time_saved" and value:
        card.time_saved = _choice_label(choices, value)
    elif key == "ai_purposes" and isinstance(value, list):
        card.purposes[:0] = [_choice_label(choices, v) for v in value if v != "other"]
    elif key == "ai_purposes_other" and value:
        card.purposes.append(str(value))


def example_cards(responses: list[Response]) -> list[ExampleCard]:
    """The cards of ``responses`` (a page of the queue) in the same order: three queries."""
    ids = [r.id for r in responses]
    if not ids:
        return []
    rows = db.session.execute(
        sa.select(
            Response.id,
            Response.submitted_at,
            TrainingClass.id,
            TrainingClass.title,
            TrainingClass.end_date,
            Locality.name,
            Participant.public_id,
            Participant.segment,
        )  # fmt: skip
        .outerjoin(TrainingClass, Response.class_id == TrainingClass.id)
        .outerjoin(Locality, TrainingClass.locality_id == Locality.id)
        .outerjoin(Participant, Response.participant_id == Participant.id)
        .where(Response.id.in_(ids))
    ).all()
    cards = {
        row[0]: ExampleCard(*row[:5], row[5] or "", row[6] or "", row[7] or "") for row in rows
    }
    answers = db.session.execute(
        sa.select(Answer.response_id, Item.key, Answer.value, Item.choices)
        .join(Item, Answer.item_id == Item.id)
        .where(Answer.response_id.in_(ids), Item.key.in_(SHOWN_KEYS))
        .order_by(Answer.response_id, Item.position)
    ).all()
    for response_id, key, value, choices in answers:
        _fill(cards[response_id], key, value, choices)
    reviews = db.session.scalars(
        sa.select(ExampleReview)
        .where(ExampleReview.response_id.in_(ids))
        .options(sa.orm.joinedload(ExampleReview.reviewer))
    )
    for review in reviews:
        cards[review.response_id].review = review
    return [cards[i] for i in ids if i in cards]


# ---------------------------------------------------------------- recording a review


def _check_may_review(actor: User | None, response: Response) -> None:
    if actor is None:
        return
    if actor.role not in REVIEWERS:
        raise NotAllowed(_("Your role may not review examples."))
    visible = db.session.scalar(
        _visible_class_ids(compute_scope(actor), actor).where(TrainingClass.id == response.class_id)
    )
    if visible is None:
        raise NotAllowed(_("You may review only the examples of classes you are responsible for."))


def _check_reviewable(response: Response) -> None:
    if response.moment != Moment.FOLLOW_UP:
        raise DomainError(_("Only examples given in a follow-up survey are reviewed."))
    if response.excluded:
        raise DomainError(_("This response was excluded; its example is not reviewed."))
    if not db.session.scalar(sa.select(has_example()).where(Response.id == response.id)):
        raise DomainError(_("This response holds no example to review."))


def review_example(
    response: Response,
    actor: User | None,
    *,
    accepted: bool,
    quality_gain: bool,
    note: str = "",
    now: datetime | None = None,
) -> ExampleReview:
    """Accept or reject the example of a follow-up ``response`` (a new review or a change).

    ``quality_gain`` (the example describes better work) only holds for an accepted example.
    """
    _check_may_review(actor, response)
    _check_reviewable(response)
    # Accepting or rejecting an example moves "applies AI effectively": not in an approved period.
    locks.refuse_if_locked(response)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(
            _("The note may have at most %(max)s characters.", max=NOTE_MAX), field="note"
        )
    status = ReviewStatus.ACCEPTED if accepted else ReviewStatus.REJECTED
    gain = bool(accepted and quality_gain)
    review = db.session.scalar(
        sa.select(ExampleReview).where(ExampleReview.response_id == response.id)
    )
    before = (review.status, review.quality_gain) if review is not None else (None, None)
    if review is None:
        review = ExampleReview(response_id=response.id)
        try:
            with db.session.begin_nested():
                _apply(review, status, gain, note, actor, now)
                db.session.add(review)
        except IntegrityError:  # reviewed by someone else at the same moment
            raise DomainError(
                _("Someone reviewed this example at the same moment. Check it and try again.")
            ) from None
    else:
        _apply(review, status, gain, note, actor, now)
        db.session.flush()
    record(
        actor, "example.reviewed", review,
        locality_id=response.locality_id, response_id=response.id,
        old_status=before[0], new_status=status,
        old_quality_gain=before[1], new_quality_gain=gain, note=note,
    )  # fmt: skip
    return review


def _apply(review: ExampleReview, status, gain, note, actor, now) -> None:
    review.status = status
    review.quality_gain = gain
    review.note = note
    review.reviewer_id = getattr(actor, "id", None)
    review.reviewed_at = now or utcnow()
