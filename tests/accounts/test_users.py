"""User administration: admins everywhere, coordinators inside their scope."""

from surveyapp.accounts.models import User
from surveyapp.extensions import db


def _form(**overrides):
    data = {
        "email": "moi@example.vn",
        "name": "Nguyễn Thị Hằng",
        "role": "trainer",
        "scheme": "2025",
        "locality_code": "",
        "password": "password123",
        "active": "y",
    }
    data.update(overrides)
    return data


def test_admin_creates_user_with_vietnamese_name(login, f):
    province, commune, _ = f.tree()
    client = login(f.user(role="admin"))
    page = client.post("/users/new", data=_form(locality_code=commune.code))
    assert page.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "moi@example.vn"))
    assert user.name == "Nguyễn Thị Hằng" and user.locality_id == commune.id
    assert "Nguyễn Thị Hằng" in client.get("/users").get_data(as_text=True)


def test_unknown_locality_code_keeps_the_form(login, f):
    f.tree()
    client = login(f.user(role="admin"))
    page = client.post("/users/new", data=_form(locality_code="99999"))
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "Nguyễn Thị Hằng" in text and "99999" in text


def test_coordinator_cannot_create_outside_scope_or_admins(login, f):
    province, a, b = f.tree()
    client = login(f.user(role="coordinator", locality=a))
    outside = client.post("/users/new", data=_form(locality_code=b.code))
    assert outside.status_code == 400
    admin = client.post("/users/new", data=_form(role="admin", locality_code=a.code))
    assert admin.status_code == 400
    inside = client.post("/users/new", data=_form(locality_code=a.code))
    assert inside.status_code == 302


def test_coordinator_sees_only_users_in_scope(login, f):
    province, a, b = f.tree()
    mine = f.user(role="trainer", locality=a, email="mine@example.vn")
    other = f.user(role="trainer", locality=b, email="other@example.vn")
    client = login(f.user(role="coordinator", locality=a))
    listing = client.get("/users").get_data(as_text=True)
    assert "mine@example.vn" in listing and "other@example.vn" not in listing
    assert client.get(f"/users/{other.id}").status_code == 404
    assert client.get(f"/users/{mine.id}").status_code == 200


def test_deactivating_a_user_ends_their_session(login, f):
    province, a, _ = f.tree()
    trainer = f.user(role="trainer", locality=a)
    admin_client = login(f.user(role="admin"))
    trainer_client = login(trainer)
    page = admin_client.post(
        f"/users/{trainer.id}", data=_form(email=trainer.email, locality_code=a.code, active="")
    )
    assert page.status_code == 302
    assert trainer_client.get("/home").status_code == 302


def test_trainers_and_evaluators_cannot_manage_users(login, f):
    province, a, _ = f.tree()
    for role in ("trainer", "evaluator", "judge"):
        client = login(f.user(role=role, locality=a))
        assert client.get("/users").status_code == 403
        assert client.post("/users/new", data=_form()).status_code == 403
