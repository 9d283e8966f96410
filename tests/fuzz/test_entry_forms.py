"""Fuzzing the small public forms: login, class code, follow-up code, certificate check and
the language switch. Whatever is posted: never a 500, every rejection a clear 4xx with a
message, nothing stored, no redirect off the site."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from hypothesis import example, given
from hypothesis import strategies as st

from surveyapp.extensions import db
from tests.fuzz.conftest import (
    ANY_TEXT,
    FUZZ,
    assert_clear_rejection,
    counts,
    maybe,
    post_data,
    text_or,
)


@FUZZ
@given(
    email=maybe(text_or("admin@example.vn", "a@b", "@", "Người@dùng.vn")),
    password=maybe(ANY_TEXT),
    remember=maybe(text_or("y", "on", "")),
)
def test_login_never_fails_and_never_lets_a_stranger_in(as_user, f, email, password, remember):
    before = counts()
    client = as_user(None)
    data = post_data({"email": email, "password": password, "remember": remember})
    response = client.post("/login", data=data)
    assert_clear_rejection(response)
    assert response.status_code in (400, 401)
    assert counts() == before
    assert client.get("/home").status_code == 302  # still anonymous


@FUZZ
@given(code=maybe(text_or("K7QM2P", "k7qm-2p", " K7QM2P ")))
@example(code="\x00")
@example(code="a\x00b")
def test_class_code_entry(as_user, fuzz_world, code):
    before = counts()
    response = as_user(None).post("/c", data=post_data({"code": code}))
    if response.status_code == 302:
        assert urlsplit(response.location).path == f"/c/{fuzz_world.code}"
    else:
        assert_clear_rejection(response)
    assert counts() == before


@FUZZ
@given(code=maybe(ANY_TEXT))
@example(code="\x00")
def test_follow_up_code_entry(as_user, fuzz_world, code):
    before = counts()
    response = as_user(None).post("/f", data=post_data({"code": code}))
    assert_clear_rejection(response)
    assert counts() == before


@FUZZ
@given(code=maybe(text_or("ABCD-EFGH", "abcd efgh", "")), path=ANY_TEXT)
@example(code="AB\x00CD", path="\x00")
def test_certificate_check(as_user, fuzz_world, code, path):
    client = as_user(None)
    query = {} if code is None else {"code": code}
    response = client.get("/verify", query_string=query)
    if code is None:
        assert response.status_code == 200
    elif response.status_code == 302:
        assert urlsplit(response.location).path.startswith("/verify/")
    else:
        assert_clear_rejection(response)
    by_path = client.get("/verify/" + quote(path, safe=""))
    if by_path.status_code not in (200, 302, 308):
        assert_clear_rejection(by_path)


@FUZZ
@given(
    code=text_or("vi", "en", "fr"),
    target=maybe(text_or("/c", "//evil.example", "https://evil.example/", "/\\evil", "/%0d%0a")),
)
def test_language_switch_stays_on_the_site(as_user, code, target):
    response = as_user(None).post("/lang/" + quote(code, safe=""), data=post_data({"next": target}))
    if response.status_code in (302, 303):
        location = urlsplit(response.location)
        assert not location.netloc or location.netloc == "localhost"
        assert not location.path.startswith("//")
    else:
        assert response.status_code in (404, 405)
    db.session.rollback()


PATHS = (
    "/c/{x}",
    "/c/{x}/identify",
    "/c/{x}/form/1",
    "/c/{x}/receipt/{x}",
    "/f/{x}",
    "/f/{x}/receipt/{x}",
    "/verify/{x}",
    "/certificates/{x}.pdf",
)


@FUZZ
@given(template=st.sampled_from(PATHS), x=ANY_TEXT.filter(bool))
@example(template="/c/{x}", x="\x00")
@example(template="/f/{x}", x="\x00")
@example(template="/c/{x}/identify", x="A\x00B")
def test_codes_in_public_links(as_user, fuzz_world, template, x):
    """Links typed or damaged by hand: a friendly 404 (or the wait page), never a 500."""
    before = counts()
    response = as_user(None).get(template.format(x=quote(x, safe="")))
    if response.status_code not in (301, 302, 303, 308):
        assert_clear_rejection(response)
    assert counts() == before
