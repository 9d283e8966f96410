"""The best hand-written SQL for a campaign's KPI table, per dialect, to compare with ``kpi_table``.

It computes what ``surveyapp.indicators.kpis.kpi_table`` computes under the default filters
and the default rule (thresholds written into the SQL): per person first (home class, latest
follow-up and post-test, evidence from a few answers found through the unique
``answer(response_id, item_id)`` index, outcome), then per home locality, then rolled up to
the head and each of its children by materialised path ranges. ``naive_sql`` is the form the
issue warns about (COUNT DISTINCT after joining every answer row through the heads), timed
for scale only: it does not follow the home-class rule.
"""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.localities.models import Locality, path_upper_bound

FIELDS = ("core_members", "classes", "learners", "materials", "effective_appliers",
          "respondents", "too_early", "partly", "not_yet", "excluded_responses")  # fmt: skip

# SQLite runs a join between two large intermediate results as nested loops without an
# index, so there a respondent's home is found through the enrolment index instead;
# PostgreSQL hash-joins the people.
_HOME_BY_INDEX = """(SELECT l.path FROM enrolment e JOIN training_class c ON c.id = e.class_id
     JOIN locality l ON l.id = c.locality_id
     WHERE e.participant_id = person.participant_id AND c.campaign_id = :campaign_id
       AND e.held_for_id IS NULL
     ORDER BY e.id LIMIT 1)"""

DIALECT = {
    "sqlite": {
        "days": "CAST(julianday(date(fu.submitted_at)) - julianday(fu.end_date) AS INTEGER)",
        "home_path": _HOME_BY_INDEX,
        "home_join": "",
        "true": "1",
        "false": "0",
    },
    "postgresql": {
        "days": "((fu.submitted_at AT TIME ZONE 'UTC')::date - fu.end_date)",
        "home_path": "people.home_path",
        "home_join": "\n  JOIN people ON people.participant_id = person.participant_id",
        "true": "TRUE",
        "false": "FALSE",
    },
}

_LATEST = """
  SELECT * FROM (
    SELECT r.participant_id, r.id, r.version_id, r.score, r.max_score, r.submitted_at,
           c.end_date,
           ROW_NUMBER() OVER (PARTITION BY r.participant_id
                              ORDER BY r.submitted_at DESC, r.id DESC) AS rn
    FROM response r JOIN training_class c ON c.id = r.class_id
    WHERE c.campaign_id = :campaign_id AND r.moment = '{moment}' AND r.excluded = {false}
{people}{extra}
  ) ranked WHERE rn = 1"""

_SUBTREE = """
    AND e.participant_id IN (
      SELECT e2.participant_id FROM enrolment e2
      JOIN training_class c2 ON c2.id = e2.class_id
      JOIN locality l2 ON l2.id = c2.locality_id
      WHERE c2.campaign_id = :campaign_id AND l2.path >= :path AND l2.path < :upper)"""

_SQL = """
WITH
heads AS (
  SELECT id, path, {upper} AS upper FROM locality WHERE id = :head_id OR parent_id = :head_id
),
home AS (
  SELECT e.participant_id, MIN(e.id) AS enrolment_id
  FROM enrolment e JOIN training_class c ON c.id = e.class_id
  WHERE c.campaign_id = :campaign_id AND e.held_for_id IS NULL{subtree}
  GROUP BY e.participant_id
),
people AS (
  SELECT h.participant_id, l.path AS home_path
  FROM home h JOIN enrolment e ON e.id = h.enrolment_id
  JOIN training_class c ON c.id = e.class_id
  JOIN locality l ON l.id = c.locality_id
  WHERE l.path >= :path AND l.path < :upper
),
fu AS ({follow_up}),
post AS ({post}),
safety_total AS (
  SELECT version_id, SUM(points) AS total FROM instrument_item
  WHERE competency = 'privacy_safety' GROUP BY version_id
),
evidence AS (
  -- One row per fact about a person; grouped by person below (no joins between big sets).
  SELECT participant_id, {days} AS days, 0 AS frequency_ok, 0 AS purpose_ok,
    0 AS time_ok, 0 AS verifies_ok, 0 AS data_ok, 0 AS accepted, 0 AS quality_gain,
    0 AS post_ok, CAST(NULL AS NUMERIC) AS safety_got, CAST(NULL AS NUMERIC) AS safety_total
  FROM fu
  UNION ALL
  SELECT fu.participant_id, NULL,
    MAX(CASE WHEN i.key = 'ai_frequency' AND CAST(a.value AS TEXT)
         IN ('"weekly_1_2"', '"weekly_3_6"', '"daily"') THEN 1 ELSE 0 END),
    MAX(CASE WHEN i.key = 'ai_purposes' AND CAST(a.value AS TEXT) LIKE '[%'
         AND CAST(a.value AS TEXT) <> '[]' THEN 1 ELSE 0 END),
    MAX(CASE WHEN i.key = 'time_saved' AND CAST(a.value AS TEXT)
         IN ('"m30_60"', '"h1_3"', '"gt3"') THEN 1 ELSE 0 END),
    MAX(CASE WHEN i.key = 'verifies_outputs' AND a.number >= 4 THEN 1 ELSE 0 END),
    MAX(CASE WHEN i.key = 'enters_personal_data' AND a.number <= 1 THEN 1 ELSE 0 END),
    0, 0, 0, NULL, NULL
  FROM fu
  JOIN instrument_item i ON i.version_id = fu.version_id AND i.key IN
    ('ai_frequency', 'ai_purposes', 'time_saved', 'verifies_outputs', 'enters_personal_data')
  JOIN answer a ON a.response_id = fu.id AND a.item_id = i.id
  GROUP BY fu.participant_id
  UNION ALL
  SELECT fu.participant_id, NULL, 0, 0, 0, 0, 0, 1,
    CASE WHEN er.quality_gain = {true} THEN 1 ELSE 0 END, 0, NULL, NULL
  FROM fu JOIN example_review er ON er.response_id = fu.id AND er.status = 'accepted'
  UNION ALL
  SELECT post.participant_id, NULL, 0, 0, 0, 0, 0, 0, 0,
    CASE WHEN post.max_score > 0 AND CAST(post.score AS FLOAT) * 100
         / CAST(post.max_score AS FLOAT) + 1e-9 >= 70 THEN 1 ELSE 0 END,
    NULL, t.total
  FROM post LEFT JOIN safety_total t ON t.version_id = post.version_id
  UNION ALL
  SELECT post.participant_id, NULL, 0, 0, 0, 0, 0, 0, 0, 0, SUM(a.points), NULL
  FROM post
  JOIN instrument_item i ON i.version_id = post.version_id AND i.competency = 'privacy_safety'
  JOIN answer a ON a.response_id = post.id AND a.item_id = i.id
  GROUP BY post.participant_id
),
person AS (
  SELECT participant_id, MAX(days) AS days,
    MAX(frequency_ok) AS frequency_ok, MAX(purpose_ok) AS purpose_ok, MAX(time_ok) AS time_ok,
    MAX(verifies_ok) AS verifies_ok, MAX(data_ok) AS data_ok, MAX(accepted) AS accepted,
    MAX(quality_gain) AS quality_gain, MAX(post_ok) AS post_ok,
    CASE WHEN MAX(safety_total) > 0 AND CAST(SUM(safety_got) AS FLOAT)
              / CAST(MAX(safety_total) AS FLOAT) + 1e-9 >= CAST(2 AS FLOAT) / 3
         THEN 1 ELSE 0 END AS safety_ok
  FROM evidence GROUP BY participant_id
  HAVING MAX(days) IS NOT NULL
),
outcomes AS (
  -- Follow-up respondents only, with their home locality.
  SELECT {home_path} AS home_path,
    CASE
      WHEN days < 30 THEN 'early'
      WHEN frequency_ok = 1 AND post_ok = 1 AND safety_ok = 1 THEN
        CASE WHEN purpose_ok = 1 AND accepted = 1 AND verifies_ok = 1 AND data_ok = 1
                  AND (time_ok = 1 OR quality_gain = 1)
             THEN 'achieved' ELSE 'partly' END
      ELSE 'not_yet'
    END AS outcome
  FROM person{home_join}
),
facts AS (
  SELECT home_path AS path, COUNT(*) AS learners, 0 AS effective_appliers, 0 AS respondents,
    0 AS too_early, 0 AS partly, 0 AS not_yet,
    0 AS core_members, 0 AS classes, 0 AS materials, 0 AS excluded_responses
  FROM people GROUP BY home_path
  UNION ALL
  SELECT home_path, 0,
    SUM(CASE WHEN outcome = 'achieved' THEN 1 ELSE 0 END),
    SUM(CASE WHEN outcome IN ('achieved', 'partly', 'not_yet') THEN 1 ELSE 0 END),
    SUM(CASE WHEN outcome = 'early' THEN 1 ELSE 0 END),
    SUM(CASE WHEN outcome = 'partly' THEN 1 ELSE 0 END),
    SUM(CASE WHEN outcome = 'not_yet' THEN 1 ELSE 0 END),
    0, 0, 0, 0
  FROM outcomes GROUP BY home_path
  UNION ALL
  {things}
)
SELECT h.id,
  {sums}
FROM heads h
LEFT JOIN facts f ON f.path >= h.path AND f.path < h.upper
GROUP BY h.id
"""

# Things counted where they are registered (constant table names, no user input).
_THINGS = (("core_member", "core_members"), ("training_class", "classes"),
           ("material", "materials"))  # fmt: skip
_COLUMNS = ("learners", "effective_appliers", "respondents", "too_early", "partly", "not_yet",
            "core_members", "classes", "materials", "excluded_responses")  # fmt: skip


def _counting(name: str) -> str:
    return ", ".join(f"COUNT(*) AS {c}" if c == name else f"0 AS {c}" for c in _COLUMNS)


def _things_sql() -> str:
    parts = [
        f"SELECT l.path, {_counting(name)} FROM {table} t "  # noqa: S608 (constants)
        "JOIN locality l ON l.id = t.locality_id WHERE t.campaign_id = :campaign_id "
        "AND l.path >= :path AND l.path < :upper GROUP BY l.path"
        for table, name in _THINGS
    ]
    parts.append(
        f"SELECT l.path, {_counting('excluded_responses')} FROM response r "  # noqa: S608
        "JOIN training_class c ON c.id = r.class_id JOIN locality l ON l.id = c.locality_id "
        "WHERE c.campaign_id = :campaign_id AND r.excluded = {true} "
        "AND l.path >= :path AND l.path < :upper GROUP BY l.path"
    )
    return "\n  UNION ALL\n  ".join(parts)


def hand_sql(dialect: str, *, whole_campaign: bool) -> str:
    """The statement for ``dialect``; ``whole_campaign``: the head is the campaign's root, so
    every learner of the campaign is in its subtree and no subtree filter is needed."""
    words = DIALECT[dialect]
    upper = "substr(path, 1, length(path) - 1) || '0'"
    if dialect == "postgresql":
        upper = "left(path, -1) || '0'"
    skill = (
        "\n      AND r.version_id IN (SELECT v.id FROM instrument_version v "
        "JOIN instrument ins ON ins.id = v.instrument_id WHERE ins.kind = 'skill_test')"
    )
    people = (
        ""
        if whole_campaign
        else "\n      AND r.participant_id IN (SELECT participant_id FROM people)"
    )
    sums = ",\n  ".join(f"COALESCE(SUM(f.{name}), 0) AS {name}" for name in FIELDS)
    text = _SQL.format(
        upper=upper,
        subtree="" if whole_campaign else _SUBTREE,
        follow_up=_LATEST.format(moment="follow_up", false="{false}", people=people, extra=""),
        post=_LATEST.format(moment="post", false="{false}", people=people, extra=skill),
        days=words["days"],
        home_path=words["home_path"],
        home_join=words["home_join"],
        things=_things_sql(),
        sums=sums,
        true="{true}",
    )
    return text.format(true=words["true"], false=words["false"])


def hand_counts(session, campaign, head: Locality) -> dict[int, dict[str, int]]:
    """Locality id (head and each child) -> counts, by the hand-written SQL."""
    dialect = session.get_bind().dialect.name
    statement = sa.text(hand_sql(dialect, whole_campaign=head.id == campaign.root_locality_id))
    params = {"campaign_id": campaign.id, "head_id": head.id, "path": head.path,
              "upper": path_upper_bound(head.path)}  # fmt: skip
    return {
        row.id: {name: int(getattr(row, name)) for name in FIELDS}
        for row in session.execute(statement, params)
    }


def kpi_counts(table) -> dict[int, dict[str, int]]:
    """The same counts read from a ``KpiTable``."""
    out = {}
    for entry in [table.head, *table.children]:
        f = entry.follow_up
        out[entry.locality.id] = {
            "core_members": entry.kpi("core_members").actual,
            "classes": entry.kpi("classes").actual,
            "learners": entry.kpi("learners").actual,
            "materials": entry.kpi("materials").actual,
            "effective_appliers": entry.kpi("effective_appliers").actual,
            "respondents": f.respondents,
            "too_early": f.too_early,
            "partly": f.partly,
            "not_yet": f.not_yet,
            "excluded_responses": f.excluded_responses,
        }
    return out


NAIVE_SQL = """
SELECT h.id, COUNT(DISTINCT e.participant_id) AS learners,
  COUNT(DISTINCT CASE WHEN r.moment = 'follow_up' THEN r.participant_id END) AS respondents
FROM locality h
JOIN locality l ON l.path >= h.path AND l.path < {upper}
JOIN training_class c ON c.locality_id = l.id AND c.campaign_id = :campaign_id
JOIN enrolment e ON e.class_id = c.id
LEFT JOIN response r ON r.class_id = c.id AND r.participant_id = e.participant_id
LEFT JOIN answer a ON a.response_id = r.id
WHERE h.id = :head_id OR h.parent_id = :head_id
GROUP BY h.id
"""


def naive_sql(dialect: str) -> str:
    upper = (
        "left(h.path, -1) || '0'"
        if dialect == "postgresql"
        else ("substr(h.path, 1, length(h.path) - 1) || '0'")
    )
    return NAIVE_SQL.format(upper=upper)


def naive_counts(session, campaign, head: Locality) -> dict[int, tuple[int, int]]:
    dialect = session.get_bind().dialect.name
    rows = session.execute(
        sa.text(naive_sql(dialect)), {"campaign_id": campaign.id, "head_id": head.id}
    )
    return {row.id: (row.learners, row.respondents) for row in rows}
