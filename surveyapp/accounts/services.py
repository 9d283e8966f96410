"""Account rules: log-in with lock-out, creating and changing users within a scope."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from surveyapp.accounts.models import Role, User
from surveyapp.audit.services import record
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.localities.models import Locality

MIN_PASSWORD_LENGTH = 8


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(
    email: str, password: str, *, now: datetime, max_failures: int, lock_minutes: int
) -> User:
    """Return the user whose credentials these are, or raise ``DomainError``.

    After ``max_failures`` wrong passwords in a row the account is locked for
    ``lock_minutes``; the same message is given for unknown e-mails and wrong passwords.
    """
    user = find_user(email)
    wrong = DomainError(_l("Wrong e-mail or password."))
    if user is None or not user.active:
        # Spend the same time as a real check so unknown e-mails are not revealed.
        User(password_hash="scrypt:32768:8:1$x$" + "0" * 128).check_password(password)
        raise wrong
    if user.locked_until is not None and _aware(user.locked_until) > now:
        raise DomainError(
            _l(
                "Too many failed attempts. Try again after %(minutes)s minutes.",
                minutes=lock_minutes,
            )
        )
    if not user.check_password(password):
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + timedelta(minutes=lock_minutes)
            user.failed_logins = 0
            record(None, "user.locked", user)
        raise wrong
    user.failed_logins = 0
    user.locked_until = None
    return user


def _aware(value: datetime) -> datetime:
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _l("The password must have at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise DomainError(_l("The current password is wrong."), field="current_password")
    check_password_strength(new)
    user.set_password(new)
    record(user, "user.password_changed", user)


def _check_actor_may_manage(actor: User | None, role: str, locality: Locality | None, scope):
    if actor is None or actor.role == Role.ADMIN:
        return
    if actor.role != Role.COORDINATOR:
        raise NotAllowed(_l("You may not manage users."))
    if role == Role.ADMIN:
        raise NotAllowed(_l("Only an administrator can create administrators."))
    if locality is None or not scope.contains(locality):
        raise NotAllowed(_l("The locality is outside your scope."), field="locality")


def create_user(
    actor: User | None,
    *,
    email: str,
    password: str,
    role: str,
    locality: Locality | None,
    name: str = "",
    scope=None,
) -> User:
    """Create a user. ``actor`` None means the command line (trusted)."""
    email = normalise_email(email)
    if role not in set(Role):
        raise DomainError(_l("Unknown role."), field="role")
    if role != Role.ADMIN and locality is None:
        raise DomainError(
            _l("Every user except administrators needs a locality."), field="locality"
        )
    _check_actor_may_manage(actor, role, locality, scope)
    if find_user(email) is not None:
        raise DomainError(_l("A user with this e-mail already exists."), field="email")
    check_password_strength(password)
    user = User(email=email, name=name.strip(), role=role, locality=locality)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record(actor, "user.created", user, role=role, locality=locality.code if locality else None)
    return user


def update_user(
    actor: User, user: User, *, name: str, role: str, locality: Locality | None, active: bool, scope
) -> None:
    if role != Role.ADMIN and locality is None:
        raise DomainError(
            _l("Every user except administrators needs a locality."), field="locality"
        )
    _check_actor_may_manage(actor, role, locality, scope)
    if actor.id == user.id and (not active or role != user.role):
        raise DomainError(_l("You cannot deactivate yourself or change your own role."))
    before = {"role": user.role, "locality_id": user.locality_id, "active": user.active}
    user.name = name.strip()
    user.role = role
    user.locality = locality
    user.locality_id = locality.id if locality else None
    if user.active and not active:
        user.session_token = ""  # ends the user's open sessions
    user.active = active
    record(actor, "user.updated", user, before=before, role=role, active=active)


def reset_password(actor: User, user: User, new: str) -> None:
    check_password_strength(new)
    user.set_password(new)
    user.locked_until = None
    user.failed_logins = 0
    record(actor, "user.password_reset", user)
