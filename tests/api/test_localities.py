"""/api/v1/localities: roots, children, one locality; scope; schemes; bad arguments."""

import pytest


def codes(response):
    return [item["code"] for item in response.get_json()["items"]]


def test_admin_lists_the_provinces_of_every_scheme_or_of_one(f, api):
    province, a, b = f.tree()
    old = f.locality("Tỉnh Yên Bái", scheme="2024", kind="province", code="15")
    client = api(f.user(role="admin"))
    response = client.get("/api/v1/localities")
    assert response.status_code == 200
    assert {province.code, old.code} <= set(codes(response))
    only_2024 = client.get("/api/v1/localities?scheme=2024").get_json()["items"]
    assert [item["code"] for item in only_2024] == ["15"]
    assert only_2024[0] == {
        "code": "15",
        "name": "Tỉnh Yên Bái",
        "kind": "province",
        "scheme": "2024",
        "depth": 0,
        "parent_code": None,
        "child_count": 0,
    }


def test_children_of_a_parent_keep_vietnamese_names(f, api):
    province, a, b = f.tree()
    response = api(f.user(role="evaluator", locality=province)).get(
        f"/api/v1/localities?parent={province.code}&scheme=2025"
    )
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [i["name"] for i in items] == ["Xã Mù Cang Chải", "Xã Văn Yên"]
    assert {i["parent_code"] for i in items} == {province.code}
    assert "Văn Yên".encode() in response.data or b"V\\u0103n Y\\u00ean" in response.data


def test_a_commune_user_sees_its_commune_as_root_and_nothing_above_or_beside(f, api):
    province, a, b = f.tree()
    client = api(f.user(role="coordinator", locality=a))
    assert codes(client.get("/api/v1/localities")) == [a.code]
    assert client.get(f"/api/v1/localities?parent={province.code}").status_code == 404
    assert client.get(f"/api/v1/localities/{b.code}").status_code == 404
    assert client.get(f"/api/v1/localities/{province.code}").status_code == 404
    assert client.get(f"/api/v1/localities/{a.code}").status_code == 200


def test_one_locality_with_its_ancestors_and_children(f, api):
    province, a, b = f.tree()
    village = f.locality("Thôn Púng Luông", parent=a, kind="village")
    body = api(f.user(role="admin")).get(f"/api/v1/localities/{a.code}?scheme=2025").get_json()
    assert body["name"] == "Xã Mù Cang Chải" and body["parent_code"] == province.code
    assert body["child_count"] == 1
    assert [x["code"] for x in body["ancestors"]] == [province.code]
    assert body["children"][0]["name"] == "Thôn Púng Luông"
    assert body["children"][0]["code"] == village.code


def test_codes_are_looked_up_within_a_scheme(f, api):
    new = f.locality("Tỉnh Lào Cai", kind="province", code="15")
    old = f.locality("Tỉnh Yên Bái", scheme="2024", kind="province", code="15")
    client = api(f.user(role="admin"))
    assert client.get("/api/v1/localities/15").get_json()["name"] == new.name  # newest scheme
    assert client.get("/api/v1/localities/15?scheme=2024").get_json()["name"] == old.name


@pytest.mark.parametrize(
    "query",
    ["scheme=20%2025", "scheme=", "parent=%00", "parent=" + "1" * 30, "scheme=a/b"],
)
def test_bad_query_arguments_get_422_json(f, api, query):
    f.tree()
    response = api(f.user(role="admin")).get(f"/api/v1/localities?{query}")
    assert response.status_code == 422, response.data
    body = response.get_json()
    assert body["error"] and body["errors"]["query"]


@pytest.mark.parametrize("url", ["/api/v1/localities?scheme=1999", "/api/v1/localities/%00x"])
def test_unknown_schemes_and_odd_codes_get_404_json(f, api, url):
    f.tree()
    response = api(f.user(role="admin")).get(url)
    assert response.status_code == 404
    assert response.get_json()["error"]
