"""Who reaches which class page: every route against every role and scope.

Class A lies in commune A (Mù Cang Chải), taught by ``trainer_a``. Users of the sibling
commune B, and trainers who do not teach class A, get 404 as if it did not exist;
evaluators read but never write (403); judges have no access; anonymous users are sent
to the log-in page.
"""

from __future__ import annotations

import pytest

from .conftest import class_form

ROUTES = {
    "list": ("GET", "/classes"),
    "detail": ("GET", "/classes/{cls}"),
    "sheet": ("GET", "/classes/{cls}/sheet"),
    "qr": ("GET", "/classes/{cls}/qr.svg"),
    "edit_get": ("GET", "/classes/{cls}/edit"),
    "edit_post": ("POST", "/classes/{cls}/edit"),
    "status": ("POST", "/classes/{cls}/status"),
    "new_get": ("GET", "/campaigns/{campaign}/classes/new"),
    "new_post": ("POST", "/campaigns/{campaign}/classes/new"),
}

MANAGER = dict.fromkeys(ROUTES, 200) | {"edit_post": 302, "status": 302, "new_post": 302}
READER = dict.fromkeys(ROUTES, 403) | {"list": 200, "detail": 200, "sheet": 200, "qr": 200}
# Outsiders see the campaign (its root is above them) but not class A; posting a class
# for commune A fails because A is not among their locality choices.
OUTSIDER = dict.fromkeys(ROUTES, 404) | {"list": 200, "new_get": 200, "new_post": 400}

EXPECTED = {
    None: dict.fromkeys(ROUTES, 302),
    "judge_a": dict.fromkeys(ROUTES, 403),
    "evaluator_a": READER,
    "evaluator_b": READER | {"detail": 404, "sheet": 404, "qr": 404},
    "admin": MANAGER,
    "coord_p": MANAGER,
    "coord_a": MANAGER,
    "trainer_a": MANAGER,
    "coord_b": OUTSIDER,
    "trainer_b": OUTSIDER,
    # Same commune, not assigned: may open a class of their own, not reach class A.
    "trainer_a2": OUTSIDER | {"new_post": 302},
}


def _body(world, route: str) -> dict | None:
    if route in ("edit_post", "new_post"):
        return class_form(world)
    if route == "status":
        return {"status": "ongoing"}
    return None


@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize("who", list(EXPECTED))
def test_access(world, as_user, who, route):
    method, template = ROUTES[route]
    url = template.format(cls=world.class_a.id, campaign=world.campaign.id)
    client = as_user(getattr(world, who) if who else None)
    response = client.open(url, method=method, data=_body(world, route))
    assert response.status_code == EXPECTED[who][route], response.get_data(as_text=True)[:2000]
    if who is None:
        assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("who", ["admin", "coord_a", "trainer_a", "evaluator_a"])
@pytest.mark.parametrize("suffix", ["", "/sheet", "/qr.svg", "/edit"])
def test_unknown_class_is_404(world, as_user, who, suffix):
    response = as_user(getattr(world, who)).get(f"/classes/999999{suffix}")
    expected = 403 if (who, suffix) == ("evaluator_a", "/edit") else 404
    assert response.status_code == expected


def test_campaign_of_another_province_is_404(world, as_user, f):
    _, other_commune, _ = f.tree()
    other = f.campaign(other_commune.parent)
    for who in ("coord_a", "coord_p", "trainer_a"):
        client = as_user(getattr(world, who))
        assert client.get(f"/campaigns/{other.id}/classes/new").status_code == 404
        assert client.post(f"/campaigns/{other.id}/classes/new").status_code == 404
    assert as_user(world.admin).get(f"/campaigns/{other.id}/classes/new").status_code == 200


def test_list_shows_only_classes_in_scope(world, as_user):
    def listing(user):
        return as_user(user).get("/classes").get_data(as_text=True)

    page = listing(world.coord_a)
    assert world.class_a.access_code in page and world.class_b.access_code not in page
    page = listing(world.coord_p)
    assert world.class_a.access_code in page and world.class_b.access_code in page
    page = listing(world.trainer_a2)
    assert world.class_a.access_code not in page
    page = listing(world.evaluator_b)
    assert world.class_b.access_code in page and world.class_a.access_code not in page
