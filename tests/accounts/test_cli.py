from surveyapp.accounts.models import User
from surveyapp.extensions import db


def test_users_create(runner, f):
    province, commune, _ = f.tree()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "cli@example.vn",
            "--password",
            "password123",
            "--role",
            "coordinator",
            "--locality",
            commune.code,
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "cli@example.vn"))
    assert user.role == "coordinator" and user.locality_id == commune.id


def test_users_create_refuses_bad_input(runner, f):
    f.tree()
    short = runner.invoke(
        args=["users", "create", "--email", "a@example.vn", "--password", "x", "--role", "admin"]
    )
    assert short.exit_code != 0 and "8" in short.output
    nowhere = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "b@example.vn",
            "--password",
            "password123",
            "--role",
            "trainer",
            "--locality",
            "nope",
        ]
    )
    assert nowhere.exit_code != 0 and "nope" in nowhere.output
    no_scope = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "c@example.vn",
            "--password",
            "password123",
            "--role",
            "trainer",
        ]
    )
    assert no_scope.exit_code != 0
