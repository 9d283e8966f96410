"""Links to other parts' pages appear only when those pages exist."""

from __future__ import annotations

from surveyapp.dashboard.links import campaign_links, existing_path, item_analysis_links

from .test_views import url


def test_existing_path(app):
    with app.test_request_context():
        assert existing_path("/dashboard") == "/dashboard"
        assert existing_path("/campaigns/1/no-such-page") is None
        assert existing_path("/campaigns/1/indicator-rule") == "/campaigns/1/indicator-rule"


def test_page_links_only_to_existing_pages(f, login, world, app):
    html = login(f.user(role="admin")).get(url(world)).get_data(as_text=True)
    with app.test_request_context():
        links = campaign_links(world.campaign.id)
        analysis = item_analysis_links(world.campaign.id, world.province.id)
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
