"""Approved figures do not move when learners, classes, core members or materials arrive
late: a new learner is held until the approval is returned; staff edits that would add,
remove or move a counted item inside the approved period are refused."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from surveyapp.approvals import locks, services
from surveyapp.audit.models import AuditEntry
from surveyapp.campaigns import items
from surveyapp.campaigns.models import Metric
from surveyapp.classes import services as classes
from surveyapp.extensions import db
from surveyapp.indicators.kpi_types import KpiFilters
from surveyapp.indicators.kpis import kpi_table
from surveyapp.participants.models import Enrolment
from surveyapp.responses.models import Response
from surveyapp.security import compute_scope
from tests.journey.helpers import form_data, identity
from tests.quality.helpers import person

from .helpers import H1, NOW, YEAR, approved, submitted


def figures(w, period=H1, head=None):
    table = kpi_table(
        w.campaign, head or w.van_yen, KpiFilters(date_from=period[0], date_to=period[1])
    )
    return {m: k.actual for m, k in table.head.kpis.items()}


def enrolment_of(who, cls):
    return db.session.scalar(
        sa.select(Enrolment).where(Enrolment.participant_id == who.id, Enrolment.class_id == cls.id)
    )


def reopen(w, approval, by=None):
    actor = by or w.coord_p
    services.return_figures(
        approval, actor=actor, scope=compute_scope(actor), now=NOW, comment="Mở lại"
    )


def test_a_new_learner_in_an_approved_period_is_held_until_it_is_reopened(world):
    person(world, "Nguyễn Thị Lan")
    approval = approved(world)
    before = figures(world)
    assert before[Metric.LEARNERS] == 1
    late = person(world, "Trần Văn Minh")  # identified on 01/03/2026, inside H1
    assert enrolment_of(late, world.cls).held_for_id == approval.id
    assert figures(world) == before
    assert figures(world, YEAR)[Metric.LEARNERS] == 1  # nor in any other period
    held = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "enrolment.held"))
    assert held.detail["approval_id"] == approval.id
    assert held.object_id == enrolment_of(late, world.cls).id

    reopen(world, approval)
    assert enrolment_of(late, world.cls).held_for_id is None
    assert figures(world)[Metric.LEARNERS] == 2
    reopened = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "approval.reopened")
    )
    assert reopened.detail["learners_released"] == 1


def test_a_learner_counted_before_is_not_held_in_a_second_class(world):
    who = person(world, "Nguyễn Thị Lan")  # counted (home class: Mậu A) before approval
    approval = submitted(world, H1, locality=world.province, by=world.coord_p)
    services.approve(approval, actor=world.admin, scope=compute_scope(world.admin), now=NOW)
    before = figures(world, head=world.province)
    again = person(world, "Nguyễn Thị Lan", cls=world.cls_mcc)
    assert again.id == who.id
    assert enrolment_of(who, world.cls_mcc).held_for_id is None
    newcomer = person(world, "Lò Văn Páo", cls=world.cls_mcc, locality=world.khao_mang)
    assert enrolment_of(newcomer, world.cls_mcc).held_for_id == approval.id
    assert figures(world, head=world.province) == before


def test_outside_the_locked_place_or_period_learners_count_at_once(world):
    approved(world, (date(2026, 4, 1), date(2026, 6, 30)))  # identification is on 01/03
    approved(world, H1, locality=world.mcc, by=world.coord_mcc)
    who = person(world, "Trần Văn Minh")
    assert enrolment_of(who, world.cls).held_for_id is None
    assert figures(world)[Metric.LEARNERS] == 1


def test_a_learner_still_inside_another_approved_period_stays_held_for_it(world):
    district = approved(world)  # Văn Yên, H1 (decided first)
    province = submitted(world, YEAR, locality=world.province, by=world.coord_p)
    services.approve(province, actor=world.admin, scope=compute_scope(world.admin), now=NOW)
    late = person(world, "Trần Văn Minh")
    assert enrolment_of(late, world.cls).held_for_id == district.id
    reopen(world, district)
    assert enrolment_of(late, world.cls).held_for_id == province.id
    assert figures(world)[Metric.LEARNERS] == 0
    reopen(world, province, by=world.admin)
    assert enrolment_of(late, world.cls).held_for_id is None
    assert figures(world)[Metric.LEARNERS] == 1


def _member(w, joined_on, name="Lò Văn Páo"):
    return items.MemberFields(locality=w.mau_a, full_name=name, joined_on=joined_on)


def _material(w, published_on, title="Sổ tay AI cho cán bộ xã"):
    return items.MaterialFields(locality=w.mau_a, title=title, published_on=published_on)


def test_core_members_and_materials_of_a_locked_period_stay_as_approved(world):
    actor, scope = world.coord_vy, compute_scope(world.coord_vy)
    member = items.save_member(actor, scope, world.campaign, _member(world, date(2026, 2, 1)))
    material = items.save_material(actor, scope, world.campaign, _material(world, date(2026, 2, 1)))
    approved(world)
    before = figures(world)
    assert before[Metric.CORE_MEMBERS] == 1 and before[Metric.MATERIALS] == 1
    refused = [
        lambda: items.save_member(actor, scope, world.campaign, _member(world, date(2026, 3, 5))),
        lambda: items.save_material(
            actor, scope, world.campaign, _material(world, date(2026, 3, 5))
        ),
        lambda: items.save_member(  # moved out of the period
            actor, scope, world.campaign, _member(world, date(2026, 8, 1)), member
        ),
        lambda: items.delete_member(actor, scope, member),
        lambda: items.delete_material(actor, scope, material),
    ]
    for change in refused:
        with pytest.raises(locks.Locked) as error:
            change()
        assert error.value.status_code == 409 and "Huyện Văn Yên" in str(error.value.message)
    # What moves no figure still works: a new name, or an item dated after the period.
    items.save_member(
        actor, scope, world.campaign, _member(world, date(2026, 2, 1), "Lò Thị Mai"), member
    )
    later = items.save_material(actor, scope, world.campaign, _material(world, date(2026, 8, 1)))
    items.delete_material(actor, scope, later)
    assert figures(world) == before and member.full_name == "Lò Thị Mai"


def test_classes_of_a_locked_period_stay_as_approved(world):
    actor, scope = world.coord_vy, compute_scope(world.coord_vy)
    approved(world)
    before = figures(world)

    def fields(start, title="Lớp AI thôn Khe Mạ"):
        return classes.ClassFields(
            title=title,
            segment="official",
            locality=world.mau_a,
            start_date=start,
            end_date=start,
            trainers=[world.trainer],
        )

    with pytest.raises(locks.Locked):
        classes.create_class(actor, world.campaign, fields(date(2026, 5, 4)), scope=scope)
    later = classes.create_class(actor, world.campaign, fields(date(2026, 9, 1)), scope=scope)
    with pytest.raises(locks.Locked):
        classes.update_class(actor, later, fields(date(2026, 6, 1)), scope=scope)
    classes.update_class(actor, later, fields(date(2026, 9, 1), "Lớp AI Khe Mạ"), scope=scope)
    assert later.title == "Lớp AI Khe Mạ" and figures(world) == before


def test_the_class_form_shows_why_a_change_is_refused(world, as_user):
    approved(world)
    client = as_user(world.coord_vy)
    page = client.post(
        f"/campaigns/{world.campaign.id}/classes/new",
        data={
            "title": "Lớp AI thôn Khe Mạ",
            "segment": "official",
            "locality": str(world.mau_a.id),
            "start_date": "2026-05-04",
            "end_date": "2026-05-04",
            "capacity": "30",
            "trainers": [str(world.trainer.id)],
        },
    )
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "were approved" in text, text[text.find("<main") :][:3000]
    assert "Lớp AI thôn Khe Mạ" in text


def test_the_approval_page_says_how_many_learners_are_held(world, as_user):
    approval = approved(world)
    person(world, "Trần Văn Minh")
    person(world, "Lò Văn Páo")
    page = as_user(world.coord_p).get(f"/approvals/{approval.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "2 people came into the campaign in this period" in text
    reopen(world, approval)
    page = as_user(world.coord_p).get(f"/approvals/{approval.id}")
    assert "came into the campaign" not in page.get_data(as_text=True)


def test_a_trainee_coming_and_sending_through_the_pages_is_held(world, as_user):
    """The class page reads whether figures are approved with the class itself: a person
    identified and a form sent today, inside an approved year, are both held."""
    approval = approved(world, YEAR)
    client = as_user(None)
    identified = client.post(
        f"/c/{world.cls.access_code}/identify", data=identity(commune=str(world.mau_a.id))
    )
    assert identified.status_code == 302
    url = f"/c/{world.cls.access_code}/form/{world.forms['pre'].id}"
    answers = {"se_confident": "4", "ai_frequency": "never"}
    sent = client.post(url, data=form_data(client.get(url).text, answers))
    assert sent.status_code == 303
    response = db.session.scalar(sa.select(Response))
    assert locks.is_held(response) and locks.approval_of(response) == approval
    assert db.session.scalar(sa.select(Enrolment.held_for_id)) == approval.id
