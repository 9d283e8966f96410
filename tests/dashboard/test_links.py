"""Links to other parts' pages appear only when those pages exist."""

from __future__ import annotations

from flask_login import login_user, logout_user

from surveyapp.dashboard.links import campaign_links, existing_path, item_analysis_links

from .test_views import url


def test_existing_path(app, f):
    admin, trainer = f.user(role="admin"), f.user(role="trainer")
    with app.test_request_context():
        login_user(admin)
        assert existing_path("/dashboard") == "/dashboard"
        assert existing_path("/campaigns/1/no-such-page") is None
        assert existing_path("/campaigns/1/indicator-rule") == "/campaigns/1/indicator-rule"
        assert existing_path("/campaigns/1/exports") == "/campaigns/1/exports"
    with app.test_request_context():
        login_user(trainer)
        assert existing_path("/campaigns/1/exports") is None  # trainers download nothing
        logout_user()  # g may outlive this context: leave nobody logged in for later tests
        assert existing_path("/dashboard") is None  # nobody logged in


def test_a_trainers_dashboard_does_not_offer_the_downloads(f, login, world):
    html = login(f.user(role="trainer", locality=world.province)).get(url(world)).text
    assert "/exports" not in html
    admin_html = login(f.user(role="admin")).get(url(world)).text
    assert f"/campaigns/{world.campaign.id}/exports" in admin_html


def test_page_links_only_to_existing_pages(f, login, world, app):
    admin = f.user(role="admin")
    html = login(admin).get(url(world)).get_data(as_text=True)
    with app.test_request_context():
        login_user(admin)
        links = campaign_links(world.campaign.id)
        analysis = item_analysis_links(world.campaign.id, world.province.id)
        logout_user()  # g may outlive this context: leave nobody logged in for later tests
    assert links["rule"] == f"/campaigns/{world.campaign.id}/indicator-rule"
    assert f'href="{links["rule"]}"' in html
    exports = f"/campaigns/{world.campaign.id}/exports"
    assert (f'href="{exports}"' in html) == (links["exports"] is not None)
    assert len(analysis) == 1
    assert analysis[0].url.endswith(
        f"/analysis?campaign_id={world.campaign.id}&locality_id={world.province.id}"
    )
    assert analysis[0].url.replace("&", "&amp;") in html
    response = login(f.user(role="admin")).get(analysis[0].url)
    assert response.status_code == 200
