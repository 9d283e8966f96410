"""Assisted mode: a trainer collects answers for several learners without mixing them."""

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.instruments.models import Item
from surveyapp.participants.models import Participant
from surveyapp.responses.models import Answer, Response
from tests.journey.helpers import form_data, identity


def base(w):
    return f"/classes/{w.cls.id}/assisted"


def add_learner(client, w, **changes):
    response = client.post(base(w) + "/identify", data=identity(commune=str(w.mau_a.id), **changes))
    assert response.status_code == 302, response.text
    return response.location


def test_trainer_collects_answers_for_two_learners(world, as_user):
    client = as_user(world.trainer)
    assert "New learner" in client.get(base(world)).text
    page = client.get(base(world) + "/identify").text
    assert "Read this aloud to the learner" in page

    # Learner 1 goes straight to the first open form, the pre-survey.
    first_url = add_learner(client, world, full_name="Lò Thị Dung", birth_year="1970")
    assert f"/form/{world.forms['pre'].id}" in first_url
    form = client.get(first_url)
    assert "Lò Thị Dung" in form.text
    done = client.post(
        first_url, data=form_data(form.text, {"se_confident": "1", "ai_frequency": "never"})
    )
    assert done.status_code == 303
    receipt = client.get(done.location).text
    assert "Next learner" in receipt and "Next form for this learner" in receipt

    # Learner 2: a new identification, their own submission id.
    second_url = add_learner(
        client, world, full_name="Giàng A Sử", birth_year="1995", gender="male"
    )
    form2 = client.get(second_url)
    assert "Giàng A Sử" in form2.text and "Lò Thị Dung" not in form2.text
    assert "checked" not in form2.text  # nothing of learner 1 shows
    done2 = client.post(
        second_url, data=form_data(form2.text, {"se_confident": "5", "ai_frequency": "daily"})
    )
    assert done2.status_code == 303

    people = {p.full_name: p.id for p in db.session.scalars(sa.select(Participant))}
    rows = db.session.execute(
        sa.select(Response.participant_id, Response.assisted_by_id, Response.submission_id)
    ).all()
    assert {r.participant_id for r in rows} == {people["Lò Thị Dung"], people["Giàng A Sử"]}
    assert {r.assisted_by_id for r in rows} == {world.trainer.id}
    assert len({r.submission_id for r in rows}) == 2
    answers = dict(
        db.session.execute(
            sa.select(Response.participant_id, Answer.value)
            .join(Answer, Answer.response_id == Response.id)
            .join(Item, Answer.item_id == Item.id)
            .where(Item.key == "ai_frequency")
        ).all()
    )
    assert answers == {people["Lò Thị Dung"]: "never", people["Giàng A Sử"]: "daily"}

    # Nothing about the learners is kept in the trainer's session.
    with client.session_transaction() as session:
        assert "who" not in session

    overview = client.get(base(world)).text
    assert "Lò Thị Dung" in overview and "Giàng A Sử" in overview


def test_a_learner_of_another_class_cannot_be_filled_in(world, as_user):
    client = as_user(world.trainer)
    add_learner(client, world)
    person = db.session.scalar(sa.select(Participant))
    other_form = world.forms["pre"].id
    # The person is not enrolled in the Khao Mang class, and that class is not the trainer's.
    url = f"/classes/{world.cls.id}/assisted/{person.id + 1000}/form/{other_form}"
    assert client.get(url).status_code == 404
    mcc = as_user(world.trainer_mcc)
    url = f"/classes/{world.cls_mcc.id}/assisted/{person.id}/form/{other_form}"
    assert mcc.get(url).status_code == 404


@pytest.mark.parametrize("who", ["other_trainer", "coord_mcc", "trainer_mcc"])
def test_assisted_mode_is_404_outside_the_class(world, as_user, who):
    client = as_user(getattr(world, who))
    assert client.get(base(world)).status_code == 404
    assert client.post(base(world) + "/identify", data=identity()).status_code == 404


@pytest.mark.parametrize("who", ["admin", "coord_p", "coord_vy", "trainer"])
def test_assisted_mode_for_managers_of_the_class(world, as_user, who):
    assert as_user(getattr(world, who)).get(base(world)).status_code == 200


def test_assisted_mode_refuses_other_roles_and_anonymous(world, as_user):
    assert as_user(world.evaluator).get(base(world)).status_code == 403
    assert as_user(world.judge).get(base(world)).status_code == 403
    response = as_user(None).get(base(world))
    assert response.status_code == 302 and "/login" in response.location


def test_assisted_receipt_of_another_class_is_404(world, as_user):
    client = as_user(world.trainer)
    url = add_learner(client, world)
    form = client.get(url)
    done = client.post(
        url, data=form_data(form.text, {"se_confident": "3", "ai_frequency": "never"})
    )
    receipt = done.location.rsplit("/", 1)[1]
    assert client.get(done.location).status_code == 200
    mcc = as_user(world.trainer_mcc)
    assert mcc.get(f"/classes/{world.cls_mcc.id}/assisted/receipt/{receipt}").status_code == 404


def test_a_refusing_learner_leaves_nothing(world, as_user):
    client = as_user(world.trainer)
    response = client.post(base(world) + "/identify", data=identity(consent_evaluation="no"))
    assert response.status_code == 200 and "Back to the learners" in response.text
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 0


def test_assisted_mode_names_both_sittings_of_the_skill_test(world, as_user):
    for name in ("pre", "post"):
        world.forms[name].is_open = False
    db.session.flush()
    client = as_user(world.trainer)
    url = add_learner(client, world, full_name="Vàng Thị Chư")
    assert url.endswith(f"/form/{world.forms['skill'].id}")
    form = client.get(url)
    assert "Form t-skill – before the class" in form.text
    page2 = client.post(url, data=form_data(form.text, {"q1": "c", "q2": "no"}))
    done = client.post(url, data=form_data(page2.text, {"q3": ["a"]}))
    receipt = client.get(done.location).text
    assert "Form t-skill – before the class" in receipt
    assert f"/form/{world.forms['skill_post'].id}" in receipt  # next form for this learner
    overview = client.get(base(world)).text
    assert "Form t-skill – before the class ✓" in overview
    assert f"/form/{world.forms['skill_post'].id}" in overview
    moments = db.session.scalars(sa.select(Response.moment)).all()
    assert moments == ["pre"]
