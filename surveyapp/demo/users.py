"""The demo log-ins: one account per role, with fixed passwords that are printed on purpose.

These passwords are for the demo only; they are public (``flask demo logins`` prints
them), so a real installation never loads the demo or deletes these accounts.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from surveyapp.accounts import services as accounts
from surveyapp.accounts.models import Role, User
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.localities.lookup import find_locality

DEMO_DOMAIN = "demo.binhdanhocai.vn"
LOGIN_URL = "http://127.0.0.1:5000/login"


@dataclass(frozen=True)
class DemoLogin:
    key: str
    role: str
    email: str
    password: str
    name: str
    scheme: str = ""
    locality_code: str = ""


# The province is Lào Cai (code 15 of the 2025 scheme); the commune is Xã Mậu A, which
# took over the old Văn Yên district seat, so its users also read the 2024 pilot there.
PROVINCE = ("2025", "15")
COMMUNE = ("2025", "04375")

DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", Role.ADMIN, f"admin@{DEMO_DOMAIN}", "demo-admin", "Trần Minh Quân"),
    DemoLogin(
        "province_coordinator", Role.COORDINATOR, f"dieuphoi.tinh@{DEMO_DOMAIN}",
        "demo-dieuphoi-tinh", "Lê Thị Thu Hà", *PROVINCE,
    ),
    DemoLogin(
        "commune_coordinator", Role.COORDINATOR, f"dieuphoi.xa@{DEMO_DOMAIN}",
        "demo-dieuphoi-xa", "Hoàng Văn Dũng", *COMMUNE,
    ),
    DemoLogin(
        "trainer", Role.TRAINER, f"giangvien@{DEMO_DOMAIN}",
        "demo-giangvien", "Nguyễn Thị Hương", *COMMUNE,
    ),
    DemoLogin(
        "trainer2", Role.TRAINER, f"giangvien2@{DEMO_DOMAIN}",
        "demo-giangvien2", "Hà Đức Thắng", *COMMUNE,
    ),
    DemoLogin(
        "evaluator", Role.EVALUATOR, f"danhgia@{DEMO_DOMAIN}",
        "demo-danhgia", "Phạm Quang Vinh", *PROVINCE,
    ),
    DemoLogin(
        "judge", Role.JUDGE, f"giamkhao@{DEMO_DOMAIN}",
        "demo-giamkhao", "Đỗ Thị Ngọc Lan", *PROVINCE,
    ),
)  # fmt: skip


def create_demo_users() -> dict[str, User]:
    """Create every demo account through the accounts service; returns them by key."""
    taken = db.session.scalar(
        sa.select(User.email).where(User.email.in_([login.email for login in DEMO_LOGINS]))
    )
    if taken:
        raise DomainError(
            _(
                "The demo account %(email)s already exists; the demo is loaded only once.",
                email=taken,
            )
        )
    users = {}
    for login in DEMO_LOGINS:
        locality = find_locality(login.scheme, login.locality_code) if login.scheme else None
        users[login.key] = accounts.create_user(
            None,
            email=login.email,
            password=login.password,
            role=login.role,
            locality=locality,
            name=login.name,
        )
    return users


def scope_label(user: User) -> str:
    """'Tỉnh Lào Cai (2025:15)': the unit, its scheme and official code."""
    if user.locality is None:
        return "Toàn quốc (all localities)"
    return f"{user.locality.name} ({user.locality.scheme.code}:{user.locality.code})"


@dataclass(frozen=True)
class LoginRow:
    login: DemoLogin
    scope: str
    present: bool
    password_works: bool


def login_rows() -> list[LoginRow]:
    """What ``flask demo logins`` prints: each demo account, its scope and whether it works."""
    emails = [login.email for login in DEMO_LOGINS]
    found = {u.email: u for u in db.session.scalars(sa.select(User).where(User.email.in_(emails)))}
    rows = []
    for login in DEMO_LOGINS:
        user = found.get(login.email)
        if user is None:
            rows.append(LoginRow(login, "", False, False))
            continue
        scope = scope_label(user)
        rows.append(LoginRow(login, scope, True, user.check_password(login.password)))
    return rows
