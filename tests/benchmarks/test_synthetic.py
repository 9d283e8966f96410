"""The benchmark's synthetic province and its hand-written SQL, at a tiny scale.

The bench asserts ``kpi_table`` == hand-written SQL before timing; these tests prove the
hand-written SQL right (against ``rule.evaluate`` over rows read in Python) and the
generator consistent, on the test database (SQLite or PostgreSQL).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from benchmarks import hand_sql, indicators_bench, synthetic
from benchmarks.synthetic import Shape, populate
from surveyapp.campaigns.models import Campaign
from surveyapp.classes.models import TrainingClass
from surveyapp.extensions import db
from surveyapp.indicators.kpis import kpi_table
from surveyapp.indicators.models import ExampleReview
from surveyapp.localities.models import Locality
from surveyapp.participants.models import Enrolment
from surveyapp.responses.models import Answer, ClassForm, Response

from .reference import python_counts

SCALE = 0.003


@pytest.fixture
def province(ctx):
    marker = populate(SCALE, seed=7)
    campaign = db.session.get(Campaign, marker["campaign_id"])
    root = campaign.root_locality
    middle = db.session.scalar(
        sa.select(Locality).where(
            Locality.code == marker["middle_code"], Locality.parent_id == root.id
        )
    )
    return marker, campaign, root, middle


def scalar(query):
    return db.session.scalar(query)


def test_shape_grows_with_scale():
    assert Shape.of(1.0) == Shape(30, 100, 100_000)
    tiny = Shape.of(0.0001)
    assert tiny.districts >= 2 and tiny.communes_per_district >= 2 and tiny.participants >= 40


def test_counts_match_the_marker_and_the_tree_is_consistent(province):
    marker, campaign, root, middle = province
    counts = marker["counts"]
    assert counts["participants"] == Shape.of(SCALE).participants
    assert counts["answers"] == scalar(sa.select(sa.func.count()).select_from(Answer))
    assert root.depth == 0 and middle.depth == 1 and middle.path.startswith(root.path)
    communes = db.session.scalars(sa.select(Locality).where(Locality.parent_id == middle.id)).all()
    assert len(communes) == Shape.of(SCALE).communes_per_district
    assert all(c.path == f"{middle.path}{c.id}/" and c.depth == 2 for c in communes)
    assert "Văn Yên" in communes[0].name  # diacritics survive


def test_responses_agree_with_their_class_forms_and_scores(province):
    _marker, campaign, _root, _middle = province
    mismatched = scalar(
        sa.select(sa.func.count())
        .select_from(Response)
        .join(ClassForm, ClassForm.id == Response.class_form_id)
        .where(
            sa.or_(
                ClassForm.class_id != Response.class_id,
                ClassForm.moment != Response.moment,
                ClassForm.version_id != Response.version_id,
            )
        )
    )
    assert mismatched == 0
    sums = (
        sa.select(Response.score, sa.func.sum(Answer.points))
        .join(Answer, Answer.response_id == Response.id)
        .where(Response.score.is_not(None))
        .group_by(Response.id, Response.score)
    )
    assert all(score == total for score, total in db.session.execute(sums))
    reviewed = sa.select(Response.moment).join(
        ExampleReview, ExampleReview.response_id == Response.id
    )
    assert set(db.session.scalars(reviewed)) == {"follow_up"}
    not_enrolled = scalar(
        sa.select(sa.func.count())
        .select_from(Response)
        .where(
            ~sa.exists().where(
                Enrolment.participant_id == Response.participant_id,
                Enrolment.class_id == Response.class_id,
            )
        )
    )
    assert not_enrolled == 0


def test_the_tricky_cases_are_present(province):
    _marker, campaign, _root, _middle = province
    assert scalar(sa.select(sa.func.count()).where(Response.excluded.is_(True))) > 0
    assert scalar(sa.select(sa.func.count()).where(ExampleReview.status == "accepted")) > 0
    assert scalar(sa.select(sa.func.count()).where(ExampleReview.status == "rejected")) > 0
    two_classes = (
        sa.select(Enrolment.participant_id)
        .group_by(Enrolment.participant_id)
        .having(sa.func.count() > 1)
    )
    assert db.session.scalars(two_classes).first() is not None
    at_province = sa.select(sa.func.count()).where(
        TrainingClass.campaign_id == campaign.id,
        TrainingClass.locality_id == campaign.root_locality_id,
    )
    assert scalar(at_province) == 3


@pytest.mark.parametrize("which", ["root", "middle"])
def test_hand_sql_equals_the_rule_evaluated_in_python(province, which):
    _marker, campaign, root, middle = province
    head = root if which == "root" else middle
    hand = hand_sql.hand_counts(db.session, campaign, head)
    assert hand == python_counts(campaign, head)
    top = hand[head.id]
    assert top["learners"] > 0 and top["respondents"] > 0 and top["not_yet"] > 0
    if which == "root":
        assert top["effective_appliers"] > 0 and top["partly"] > 0 and top["too_early"] > 0


@pytest.mark.parametrize("which", ["root", "middle"])
def test_hand_sql_equals_kpi_table(province, which):
    _marker, campaign, root, middle = province
    head = root if which == "root" else middle
    assert hand_sql.kpi_counts(kpi_table(campaign, head)) == hand_sql.hand_counts(
        db.session, campaign, head
    )
    assert indicators_bench.compare(campaign, head) == len(
        db.session.scalars(sa.select(Locality.id).where(Locality.parent_id == head.id)).all()
    )


def test_naive_query_counts_every_enrolled_person(province):
    _marker, campaign, root, _middle = province
    naive = hand_sql.naive_counts(db.session, campaign, root)
    enrolled = scalar(
        sa.select(sa.func.count(sa.distinct(Enrolment.participant_id)))
        .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
        .where(TrainingClass.campaign_id == campaign.id)
    )
    assert naive[root.id][0] == enrolled


def test_bench_reports_a_mismatch(province, monkeypatch):
    _marker, campaign, root, _middle = province
    real = hand_sql.hand_counts

    def off_by_one(session, campaign, head):
        counts = real(session, campaign, head)
        counts[head.id]["learners"] += 1
        return counts

    monkeypatch.setattr(indicators_bench, "hand_counts", off_by_one)
    with pytest.raises(indicators_bench.Mismatch, match="learners"):
        indicators_bench.compare(campaign, root)


def test_a_failing_kpi_table_is_reported_and_the_hand_sql_still_timed(
    province, monkeypatch, capsys
):
    marker, _campaign, _root, _middle = province

    def broken():
        def kpi_table(campaign, head):
            raise RuntimeError("no such column\nsecond line")

        return kpi_table

    monkeypatch.setattr(indicators_bench, "kpi_table_function", broken)
    info = synthetic.SyntheticInfo("test", marker["campaign_id"], marker["root_code"],
                                   marker["middle_code"], marker["counts"])  # fmt: skip
    timing = indicators_bench.bench_head(info, marker["middle_code"], runs=1, naive=False)
    assert timing.error == "RuntimeError: no such column"
    assert timing.kpi_seconds is None and timing.hand_seconds > 0 and timing.ratio is None
    indicators_bench.print_table([timing])
    assert "kpi_table failed on" in capsys.readouterr().out


def test_ensure_database_builds_once_then_reuses(tmp_path, monkeypatch, capsys):
    # A database of its own: a plain session on the bench app, not the test's connection.
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    monkeypatch.setattr(synthetic, "DATA_DIR", tmp_path)
    first = synthetic.ensure_database(scale=0.0005)
    assert (
        first.seconds > 0
        and first.url.endswith(".sqlite")
        and tmp_path.joinpath(synthetic.cache_path(0.0005).name).exists()
    )
    again = synthetic.ensure_database(scale=0.0005)
    assert again.seconds == 0 and again.counts == first.counts
    timings = indicators_bench.bench_database(again, runs=1)
    assert [t.engine for t in timings] == ["sqlite", "sqlite"]
    assert all(t.kpi_seconds is not None and t.hand_seconds > 0 for t in timings)
    indicators_bench.print_table(timings)
    assert "hand SQL" in capsys.readouterr().out
