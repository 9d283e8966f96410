"""The trainer's forms page of a class: who may see and change it, counts, no phones."""

import re
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.participants import services as participants
from surveyapp.responses import services
from surveyapp.responses.models import ClassForm
from tests.journey.helpers import attach, make_class, make_instrument

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def page(w):
    return f"/classes/{w.cls.id}/forms"


@pytest.mark.parametrize("who", ["admin", "coord_p", "coord_vy", "trainer"])
def test_managers_of_the_class_see_the_page(world, as_user, who):
    response = as_user(getattr(world, who)).get(page(world))
    assert response.status_code == 200
    assert "Lớp AI xã Mậu A" in response.text
    assert response.text.count(f'action="/classes/{world.cls.id}/forms/') >= 4


@pytest.mark.parametrize("who", ["coord_mcc", "other_trainer", "trainer_mcc"])
def test_others_in_or_out_of_scope_get_404(world, as_user, who):
    client = as_user(getattr(world, who))
    assert client.get(page(world)).status_code == 404
    form = world.forms["pre"]
    url = f"/classes/{world.cls.id}/forms/{form.id}/toggle"
    assert client.post(url, data={"open": "0"}).status_code == 404
    assert form.is_open


@pytest.mark.parametrize("who", ["evaluator", "judge"])
def test_roles_that_do_not_manage_forms_get_403(world, as_user, who):
    assert as_user(getattr(world, who)).get(page(world)).status_code == 403


def test_anonymous_is_sent_to_login(world, as_user):
    response = as_user(None).get(page(world))
    assert response.status_code == 302 and "/login" in response.location


def test_toggle_closes_and_opens_a_form(world, as_user):
    client = as_user(world.trainer)
    form = world.forms["skill"]
    url = f"/classes/{world.cls.id}/forms/{form.id}/toggle"
    response = client.post(url, data={"open": "0"})
    assert response.status_code == 302
    db.session.refresh(form)
    assert not form.is_open and form.closed_at is not None
    client.post(url, data={"open": "1"})
    db.session.refresh(form)
    assert form.is_open
    assert client.post(url, data={"open": "maybe"}).status_code == 400


def test_toggle_of_a_form_of_another_class_is_404(world, as_user):
    other = ClassForm(class_id=world.cls_mcc.id, version=world.v.pre, is_open=True)
    db.session.add(other)
    db.session.flush()
    url = f"/classes/{world.cls.id}/forms/{other.id}/toggle"
    assert as_user(world.admin).post(url, data={"open": "0"}).status_code == 404


def test_attach_and_defaults(world, as_user):
    extra = make_instrument(
        "pre-survey", "pre_survey", [{"key": "x", "qtype": "short_text", "label": {"vi": "X"}}]
    )
    client = as_user(world.coord_vy)
    text = client.get(page(world)).text
    assert "Add the standard forms" in text
    response = client.post(f"/classes/{world.cls_mcc.id}/forms/defaults")
    assert response.status_code == 404  # sibling district
    response = client.post(f"/classes/{world.cls.id}/forms/defaults")
    assert response.status_code == 302
    forms = db.session.scalars(sa.select(ClassForm).where(ClassForm.class_id == world.cls.id))
    # The class already uses t-pre; the standard pre-survey is a different instrument.
    assert extra.id in {f.version_id for f in forms}


def test_attach_another_version(world, as_user):
    extra = make_instrument(
        "t-extra", "post_survey", [{"key": "x", "qtype": "short_text", "label": {"vi": "X"}}]
    )
    client = as_user(world.trainer)
    url = f"/classes/{world.cls.id}/forms/attach"
    assert client.post(url, data={"version": "999999"}).status_code == 400
    assert client.post(url, data={"version": str(extra.id)}).status_code == 302
    assert (
        db.session.scalar(
            sa.select(ClassForm).where(
                ClassForm.class_id == world.cls.id, ClassForm.version_id == extra.id
            )
        )
        is not None
    )


def test_learner_list_never_shows_the_phone(world, as_user):
    fields = participants.IdentityFields(
        full_name="Lò Văn Páo",
        birth_year=1979,
        gender="male",
        segment="business",
        locality=world.mau_a,
        phone="0912 345 678",
        follow_up=True,
    )
    participants.identify(
        world.cls, fields, evaluation_consent=True, secret="s", now=world.campaign.created_at
    )
    text = as_user(world.trainer).get(page(world)).text
    assert "Lò Văn Páo" in text and "Businesses" in text
    assert "0912" not in text and "345 678" not in text


def test_csrf_is_checked(app, world, as_user):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = as_user(world.trainer)
        form = world.forms["pre"]
        url = f"/classes/{world.cls.id}/forms/{form.id}/toggle"
        assert client.post(url, data={"open": "0"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_attach_the_skill_test_after_the_class(f, world, as_user):
    cls = make_class(f, world.campaign, world.mau_a, [world.trainer], title="Lớp Văn Yên")
    attach(cls, world.v.skill)
    client = as_user(world.trainer)
    text = client.get(f"/classes/{cls.id}/forms").text
    assert "When learners answer it" in text and "After the class" in text
    assert f'<option value="{world.v.skill.id}">' in text  # the same version, once more
    url = f"/classes/{cls.id}/forms/attach"
    refused = client.post(url, data={"version": str(world.v.skill.id), "moment": "pre"})
    assert refused.status_code == 400
    assert "The class already has this form at this moment." in refused.text
    assert 'selected value="pre"' in refused.text or 'value="pre" selected' in refused.text
    data = {"version": str(world.v.skill.id), "moment": "post"}
    assert client.post(url, data=data).status_code == 302
    rows = db.session.execute(
        sa.select(ClassForm.version_id, ClassForm.moment)
        .where(ClassForm.class_id == cls.id)
        .order_by(ClassForm.id)
    ).all()
    assert rows == [(world.v.skill.id, "pre"), (world.v.skill.id, "post")]
    assert client.post(url, data=data).status_code == 400  # no longer offered
    wrong = client.post(url, data={"version": str(world.v.pre.id), "moment": "zz"})
    assert wrong.status_code == 400
    assert (
        db.session.scalar(
            sa.select(sa.func.count(ClassForm.id)).where(ClassForm.class_id == cls.id)
        )
        == 2
    )


def rows_of(html: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", html, re.S)


def test_the_page_counts_each_moment_apart(world, as_user):
    def send(name, form):
        fields = participants.IdentityFields(
            full_name=name, birth_year=1990, gender="male", segment="resident", locality=world.mau_a
        )
        who = participants.identify(
            world.cls, fields, evaluation_consent=True, secret="s", now=world.campaign.created_at
        )
        services.store_submission(
            world.forms[form], who, {}, submission_id=str(uuid.uuid4()), started_at=None, now=NOW
        )
        return who

    lan = send("Nguyễn Thị Lan", "skill")
    services.store_submission(
        world.forms["skill_post"],
        lan,
        {},
        submission_id=str(uuid.uuid4()),
        started_at=None,
        now=NOW,
    )
    send("Trần Văn Minh", "skill_post")
    text = as_user(world.trainer).get(page(world)).text
    rows = rows_of(text)
    before = next(r for r in rows if "Form t-skill – before the class" in r)
    after = next(r for r in rows if "Form t-skill – after the class" in r)
    assert '<td class="num">1</td>' in before and "Before the class" in before
    assert '<td class="num">2</td>' in after and "After the class" in after
    assert "Skill test – before the class</th>" in text
    assert "Skill test – after the class</th>" in text
    minh = next(r for r in rows if "Trần Văn Minh" in r)
    assert minh.count("✓") == 1
