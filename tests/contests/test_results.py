"""Results of product rounds against hand-computed cases: rubric totals, mean, trimmed mean,
per-judge z and T-scores, ICC(2,1)/ICC(2,k), ties; then publishing and awards."""

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from surveyapp.certificates.models import Certificate
from surveyapp.contests import awards, results
from surveyapp.contests.models import Team
from surveyapp.contests.rubric import rubric_total
from surveyapp.errors import DomainError
from surveyapp.extensions import db

from .conftest import T0
from .entry_helpers import add_judge, give_scores, make_entry, make_rubric

# ---------------------------------------------------------------- pure functions


def test_rubric_total_is_weighted_sum():
    # 2·8 + 1·4 + 0.5·6 = 23
    assert rubric_total([(2, 8), (1, 4), (Decimal("0.5"), 6)]) == Decimal(23)


def test_mean_and_trimmed_mean():
    assert results.mean([5, 6, 7, 8, 20]) == pytest.approx(9.2)
    assert results.trimmed_mean([5, 6, 7, 8, 20]) == pytest.approx(7)  # (6+7+8)/3
    assert results.trimmed_mean([5, 6, 7, 20]) is None  # fewer than 5 judges


def test_judge_z_scores_population_sd():
    totals = {(1, 10): 10.0, (2, 10): 20.0, (3, 10): 30.0, (1, 11): 7.0, (1, 12): 4.0, (2, 12): 4.0}
    z = results.judge_z_scores(totals)
    # judge 10: μ = 20, σ = √(200/3) = 8.1650 → z = ∓1.2247
    assert z[(1, 10)] == pytest.approx(-1.224745, abs=1e-6)
    assert z[(2, 10)] == 0 and z[(3, 10)] == pytest.approx(1.224745, abs=1e-6)
    assert z[(1, 11)] == 0  # one entry only
    assert z[(1, 12)] == 0 and z[(2, 12)] == 0  # σ = 0


def test_icc_shrout_fleiss_1979_example():
    # Shrout & Fleiss (1979), table 2: 6 targets × 4 judges; ICC(2,1) = .29, ICC(2,4) = .62
    matrix = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    single, average = results.icc2(matrix)
    assert single == pytest.approx(0.2898, abs=1e-3)
    assert average == pytest.approx(0.6201, abs=1e-3)


def test_icc_hand_computed_2x2():
    # grand 21.25; MS_R = 30.25, MS_C = 20.25, MS_E = 0.25
    single, average = results.icc2([[22, 26], [16, 21]])
    assert single == pytest.approx(30 / 50.5)
    assert average == pytest.approx(30 / 40.25)
    assert results.icc2([[1, 2]]) == (None, None)


@pytest.mark.parametrize(
    ("value", "word"),
    [(0.49, "poor"), (0.5, "moderate"), (0.8, "good"), (0.95, "excellent"), (None, None)],
)
def test_bands(value, word):
    assert (str(results.band(value)) if value is not None else None) == word


def test_competition_ranks_share_ties():
    ranks = results.competition_ranks([("a", 80), ("b", 75.004), ("c", 75.0), ("d", 60)])
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_complete_block_of_a_sparse_design():
    totals = {(1, 7): 1, (2, 7): 2, (3, 7): 3, (1, 8): 2, (2, 8): 3, (3, 9): 5}
    entries, judges, matrix = results.complete_block(totals)
    assert entries == [1, 2] and judges == [7, 8] and matrix == [[1, 2], [2, 3]]


# ---------------------------------------------------------------- a round end to end


@pytest.fixture
def harsh_and_lenient(world, f):
    """Harsh judge H scores E1 = 10 and E3 = 6; lenient judge L scores E2 = 18 and E3 = 14.
    Means: E1 10, E2 18, E3 10. z: H μ 8 σ 2, L μ 16 σ 2 → E1 +1, E2 +1, E3 −1."""
    product = world["product"]
    team_a, team_b = world["teams"]
    team_c = Team(contest=world["contest"], club=world["clubs"][1], name="Đội Nghĩa Lộ")
    db.session.add(team_c)
    db.session.flush()
    crit = make_rubric(product, [("Tổng thể", 1, 0, 20)])
    e1 = make_entry(product, team_a, title="Bài Mù Cang Chải")
    e2 = make_entry(product, team_b, title="Bài Văn Yên")
    e3 = make_entry(product, team_c, title="Bài Nghĩa Lộ")
    harsh, lenient = world["judge"], add_judge(f, world["contest"])
    give_scores(e1, harsh, crit, [10])
    give_scores(e3, harsh, crit, [6])
    give_scores(e2, lenient, crit, [18])
    give_scores(e3, lenient, crit, [14])
    return e1, e2, e3


def _by_title(round_results):
    return {row.title: row for row in round_results.rows}


def test_plain_means_and_ties(world, harsh_and_lenient):
    rows = _by_title(results.round_results(world["product"]))
    assert rows["Bài Văn Yên"].final == 18 and rows["Bài Văn Yên"].rank == 1
    # E1 and E3 both 10: they share rank 2
    assert rows["Bài Mù Cang Chải"].rank == rows["Bài Nghĩa Lộ"].rank == 2
    assert rows["Bài Nghĩa Lộ"].totals == [6.0, 14.0]


def test_standardised_scores(world, harsh_and_lenient):
    world["product"].standardise_scores = True
    result = results.round_results(world["product"])
    rows = _by_title(result)
    assert rows["Bài Mù Cang Chải"].t_score == pytest.approx(60)
    assert rows["Bài Văn Yên"].t_score == pytest.approx(60)
    assert rows["Bài Nghĩa Lộ"].t_score == pytest.approx(40)
    assert [r.rank for r in result.rows] == [1, 1, 3]
    assert [r.title for r in result.rows][:2] == ["Bài Mù Cang Chải", "Bài Văn Yên"]  # by title


def test_trimmed_mean_with_five_judges_and_incomplete_scorings(world, f):
    product = world["product"]
    crit = make_rubric(product, [("Sáng tạo", 2, 0, 10), ("Trình bày", 1, 0, 10)])
    entry = make_entry(product, world["teams"][0])
    # totals 2·a + b: 5, 6, 7, 8, 20
    for a, b in [(2, 1), (3, 0), (3, 1), (4, 0), (10, 0)]:
        give_scores(entry, add_judge(f, world["contest"]), crit, [a, b])
    partial = give_scores(make_entry(product, world["teams"][1]), world["judge"], crit[:1], [9])
    row, unscored = results.round_results(product, organiser=True).rows
    assert results.round_results(product).rows == [row]
    assert row.totals == [5, 6, 7, 8, 20] and row.mean == pytest.approx(9.2)
    assert row.trimmed == pytest.approx(7) and row.final == pytest.approx(7) and row.rank == 1
    assert partial.scored_at and unscored.judges == 0 and unscored.rank is None


def test_agreement_for_organisers_only(world, f):
    product = world["product"]
    crit = make_rubric(product, [("Sáng tạo", 2, 0, 10), ("Trình bày", 1, 0, 10)])
    e1 = make_entry(product, world["teams"][0])
    e2 = make_entry(product, world["teams"][1])
    j2 = add_judge(f, world["contest"])
    # totals: e1 22 and 26, e2 16 and 21 (the 2×2 case above)
    give_scores(e1, world["judge"], crit, [8, 6])
    give_scores(e1, j2, crit, [9, 8])
    give_scores(e2, world["judge"], crit, [6, 4])
    give_scores(e2, j2, crit, [7, 7])
    assert results.round_results(product).agreement is None
    agreement = results.round_results(product, organiser=True).agreement
    assert agreement.single == pytest.approx(30 / 50.5) and str(agreement.single_band) == "moderate"
    assert agreement.average == pytest.approx(30 / 40.25) and agreement.entries == 2


# ---------------------------------------------------------------- publishing and awards


def test_publish_and_award(world, harsh_and_lenient, clock, as_user):
    product = world["product"]
    product.standardise_scores = True
    consenting = world["pupils_a"][0]
    consenting.pupil_consent_at = consenting.guardian_consent_at = T0
    db.session.flush()
    client = as_user(world["organiser"])
    base = f"/contests/product-rounds/{product.id}"
    assert as_user(None).get(f"{base}/standings").status_code == 404
    page = client.get(f"{base}/results").get_data(as_text=True)
    assert (
        "ICC needs at least 2 entries" in page and "Krippendorff" in page and "Bài Nghĩa Lộ" in page
    )
    client.post(f"{base}/results/publish")
    assert db.session.get(type(product), product.id).results_published_at is None  # still open
    clock.advance(days=8)
    assert client.post(f"{base}/results/publish").status_code == 302
    db.session.expire_all()
    public = as_user(None).get(f"{base}/standings").get_data(as_text=True)
    assert "Đội Mù Cang Chải" in public and "ICC" not in public and "share the rank" in public
    assert client.post(f"{base}/awards", data={"consolation": "0"}).status_code == 302
    holders = sorted(db.session.scalars(sa.select(Certificate.holder_name)))
    assert holders == ["Lò Văn Páo", "Đội Mù Cang Chải", "Đội Nghĩa Lộ", "Đội Văn Yên"]
    prizes = {c.holder_name: c.detail["prize"] for c in db.session.scalars(sa.select(Certificate))}
    assert prizes["Đội Văn Yên"] == prizes["Đội Mù Cang Chải"] == "First prize"
    assert prizes["Đội Nghĩa Lộ"] == "Third prize"
    response = client.post(f"{base}/awards", data={"consolation": "0"})
    assert response.status_code == 400 and "awarded already" in response.get_data(as_text=True)


def test_publish_needs_a_scored_entry_and_award_needs_publishing(world, clock):
    product = world["product"]
    with pytest.raises(DomainError, match="Publish the results"):
        awards.award_prizes(product, world["organiser"], consolation=0, now=T0)
    later = T0 + timedelta(days=8)
    with pytest.raises(DomainError, match="No entry has been scored"):
        awards.publish_results(product, world["organiser"], now=later)


def test_consolation_prizes_include_ties(world, f):
    product = world["product"]
    crit = make_rubric(product, [("Tổng thể", 1, 0, 20)])
    scores = [20, 18, 16, 12, 12, 8]
    for n, value in enumerate(scores):
        team = Team(contest=world["contest"], club=world["clubs"][1], name=f"Đội {n}")
        db.session.add(team)
        db.session.flush()
        give_scores(make_entry(product, team, title=f"Bài {n}"), world["judge"], crit, [value])
    plan = awards.prize_plan(product, consolation=1)
    assert [(rank, prize) for _e, rank, prize in plan] == [
        (1, "First prize"),
        (2, "Second prize"),
        (3, "Third prize"),
        (4, "Consolation prize"),
        (4, "Consolation prize"),
    ]


def test_results_pages_are_for_organisers(world, as_user, f):
    url = f"/contests/product-rounds/{world['product'].id}/results"
    assert as_user(world["organiser"]).get(url).status_code == 200
    assert as_user(f.user("coordinator", world["a"])).get(url).status_code == 404
    assert as_user(world["judge"]).get(url).status_code == 403
    assert as_user(f.user("coordinator", world["a"])).post(url + "/publish").status_code == 404


def test_award_form_errors_and_pupil_sees_the_prize(app, world, harsh_and_lenient, clock, as_user):
    from .conftest import pupil_client

    product = world["product"]
    clock.advance(days=8)
    client = as_user(world["organiser"])
    base = f"/contests/product-rounds/{product.id}"
    assert client.post(f"{base}/results/publish").status_code == 302
    response = client.post(f"{base}/awards", data={"consolation": "99"})
    assert response.status_code == 400 and "from 0 to 50" in response.get_data(as_text=True)
    assert client.post(f"{base}/awards", data={"consolation": "1"}).status_code == 302
    page = pupil_client(app, world["pupils_b"][0]).get(f"/contests/rounds/{product.id}/my-entry")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Second prize" not in text and "First prize" in text
    assert "/certificates/" in text


def test_krippendorff_alpha_hand_computed():
    # D_o = (1/4)·(2·1²/1 + 0) = 0.5; D_e = 22/(4·3); α = 1 − 0.5/(22/12) = 0.7273
    assert results.krippendorff_alpha_interval([[1, 2], [3, 3]]) == pytest.approx(1 - 6 / 22)
    assert results.krippendorff_alpha_interval([[4], [5]]) is None


def test_krippendorff_alpha_reference_data_with_missing_values():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers,
    # 12 units, missing values; interval α = 0.849.
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
    c = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
    units = [[v for v in column if v is not None] for column in zip(a, b, c, d, strict=True)]
    assert results.krippendorff_alpha_interval(units) == pytest.approx(0.849, abs=5e-4)


def test_organiser_pages_render_in_vietnamese(world, harsh_and_lenient, as_user):
    client = as_user(world["organiser"], "vi")
    base = f"/contests/product-rounds/{world['product'].id}"
    for page in ("entries", "rubric", "judges", "results"):
        response = client.get(f"{base}/{page}")
        assert response.status_code == 200, page
        assert "Bài Mù Cang Chải" in response.get_data(as_text=True) or page == "rubric"
