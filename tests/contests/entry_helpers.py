"""Builders for product-round tests: entries, judges, a rubric, scores and sample files.

Also ``sibling_product`` for tests/test_scope_matrix.py: a product round of commune B's
contest with an entry, a file, a criterion and an assignment.
"""

from __future__ import annotations

import io
import tempfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from flask import current_app

from surveyapp.contests import uploads
from surveyapp.contests.entry_models import (
    Entry,
    EntryFile,
    JudgeAssignment,
    JudgeScore,
    RubricCriterion,
)
from surveyapp.contests.models import (
    Club,
    ClubMember,
    Contest,
    ContestJudge,
    Round,
    RoundKind,
    School,
    Team,
)
from surveyapp.extensions import db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 200
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 100
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 100
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 50
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
ZIP = b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 200
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)

_TMP: dict[str, str] = {}


def use_tmp_upload_dir(app=None) -> str:
    """Point ``CONTEST_UPLOAD_DIR`` at a temporary folder (one per test session)."""
    app = app or current_app
    if "dir" not in _TMP:
        _TMP["dir"] = tempfile.mkdtemp(prefix="contest-files-")
    app.config["CONTEST_UPLOAD_DIR"] = _TMP["dir"]
    return _TMP["dir"]


def make_entry(round_, team, title="Trợ lý AI cho nhà nông", **kw) -> Entry:
    values = dict(
        description="Ứng dụng nhận diện bệnh lúa",
        ai_usage="Dùng AI để phân loại ảnh lá lúa",
        category=(round_.categories or [""])[0],
    )
    values.update(kw)
    entry = Entry(round_id=round_.id, team_id=team.id, title=title, **values)
    db.session.add(entry)
    db.session.flush()
    return entry


def add_judge(f, contest, locality=None, school=None):
    user = f.user("judge", locality)
    db.session.add(
        ContestJudge(
            contest_id=contest.id, user_id=user.id, school_id=school.id if school else None
        )
    )
    db.session.flush()
    return user


def make_rubric(round_, specs) -> list[RubricCriterion]:
    """``specs``: (name, weight, min, max) tuples."""
    found = []
    for position, (name, weight, low, high) in enumerate(specs, start=1):
        criterion = RubricCriterion(
            round_id=round_.id,
            position=position,
            name=name,
            weight=Decimal(str(weight)),
            min_score=Decimal(str(low)),
            max_score=Decimal(str(high)),
        )
        db.session.add(criterion)
        found.append(criterion)
    db.session.flush()
    return found


def give_scores(entry, judge, criteria, values, at=T0) -> JudgeAssignment:
    """Assign ``judge`` to ``entry`` (if needed) and record ``values`` (one per criterion)."""
    assignment = db.session.scalar(
        db.select(JudgeAssignment).where(
            JudgeAssignment.entry_id == entry.id, JudgeAssignment.judge_id == judge.id
        )
    )
    if assignment is None:
        assignment = JudgeAssignment(entry_id=entry.id, judge_id=judge.id)
        db.session.add(assignment)
    for criterion, value in zip(criteria, values, strict=True):
        assignment.scores.append(JudgeScore(criterion_id=criterion.id, score=Decimal(str(value))))
    assignment.scored_at = at
    db.session.flush()
    return assignment


def store_file(entry, content=PDF, name="bao-cao.pdf") -> EntryFile:
    directory = use_tmp_upload_dir()
    stored = uploads.store(io.BytesIO(content), limit_bytes=10**7, directory=directory)
    file = EntryFile(
        original_name=name,
        stored_name=stored.stored_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
    )
    entry.files.append(file)
    db.session.flush()
    return file


def sibling_product(f, b, campaign, values: dict) -> dict:
    """Commune B's product round, entry, file, criterion and assignment, by route name."""
    school = School(name="Trường THPT Văn Yên (B)", locality_id=b.id)
    db.session.add(school)
    db.session.flush()
    club = Club(name="CLB AI B", school=school, locality_id=b.id, join_code="CLBSIBPR")
    contest = db.session.get(Contest, values["contest_id"]) if "contest_id" in values else None
    if contest is None:
        contest = Contest(title="Cuộc thi xã B", campaign_id=campaign.id, locality_id=b.id)
    db.session.add_all([club, contest])
    db.session.flush()
    pupil = ClubMember(club=club, full_name="Đặng Thu Hà", grade="9")
    team = Team(contest=contest, club=club, name="Đội Văn Yên B", members=[pupil])
    round_ = Round(
        contest=contest,
        kind=RoundKind.PRODUCT,
        title="Vòng sản phẩm B",
        position=9,
        opens_at=T0,
        closes_at=T0 + timedelta(days=7),
    )
    db.session.add_all([pupil, team, round_])
    db.session.flush()
    entry = make_entry(round_, team)
    file = store_file(entry)
    criterion = make_rubric(round_, [("Sáng tạo", 1, 0, 10)])[0]
    judge = add_judge(f, contest, b)
    assignment = JudgeAssignment(entry_id=entry.id, judge_id=judge.id)
    db.session.add(assignment)
    db.session.flush()
    return {
        "product_round_id": round_.id,
        "entry_id": entry.id,
        "file_id": file.id,
        "criterion_id": criterion.id,
        "assignment_id": assignment.id,
    }
