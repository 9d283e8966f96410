"""A small school AI contest in the demo: two schools' clubs in two communes of Lào Cai,
twenty pupils, five teams, a timed quiz round (taken, leaderboard revealed), a judged
product round (rubric, four judges, scores, results published, prizes awarded) and an open
practice round for the pupils of the five teams (a visitor tries it by joining a club with its
code and being put in a team by the club's leader, e.g. the trainer ``giangvien``).

Everything goes through the contest services, with fixed dates and the demo's seeded RNG,
so the demo is the same every time. Flushes, never commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from surveyapp.accounts import services as accounts
from surveyapp.accounts.models import Role, User
from surveyapp.campaigns.models import Campaign
from surveyapp.contests import attempts, awards, clubs, contests, judging, rounds, rubric, teams
from surveyapp.contests.entries import save_entry
from surveyapp.contests.models import Club, ClubMember, Contest, Round
from surveyapp.demo.common import DemoContext, required_locality
from surveyapp.demo.names import short_name
from surveyapp.demo.users import DEMO_DOMAIN
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentKind, InstrumentVersion, Item
from surveyapp.security import Scope

SCHEME = "2025"
COMMUNES = ("04375", "04456")  # Mậu A, and a highland commune with many H'Mông pupils
PUPILS_PER_CLUB = 10
TEAMS = (  # (club index, team name, pupils)
    (0, "Đội Mậu A Sáng Tạo", 4), (0, "Đội Cây Quế", 3), (0, "Đội Sông Hồng", 2),
    (1, "Đội Ruộng Bậc Thang", 5), (1, "Đội Mù Cang Chải", 3),
)  # fmt: skip
ENTRIES = (  # (title, category, what the AI did)
    ("Trợ lý AI nhắc lịch tiêm cho bé", "Y tế",
     "Dùng chatbot soạn tin nhắn nhắc lịch; cả đội kiểm tra lại với trạm y tế xã."),
    ("Ứng dụng nhận biết sâu bệnh trên lá quế", "Nông nghiệp",
     "Chụp ảnh lá quế, dùng mô hình nhận dạng ảnh có sẵn; đội tự chụp và gán nhãn 200 ảnh."),
    ("Sổ tay từ vựng tiếng Anh du lịch Sa Pa", "Giáo dục",
     "Nhờ AI gợi ý mẫu câu, đội chọn lọc và thu âm lại giọng đọc của mình."),
    ("Bản đồ lũ quét của thôn bằng AI", "Môi trường",
     "AI tóm tắt tin cảnh báo thời tiết; đội vẽ bản đồ điểm nguy hiểm cùng trưởng thôn."),
    ("Video hướng dẫn ông bà dùng Zalo an toàn", "Giáo dục",
     "AI viết kịch bản nháp và phụ đề; đội quay, sửa lời cho dễ hiểu."),
)  # fmt: skip
CRITERIA = (("Ý tưởng sáng tạo", "0.4"), ("Dùng AI hợp lý, có kiểm chứng", "0.35"),
            ("Hữu ích cho cộng đồng", "0.25"))  # fmt: skip
EXTRA_JUDGES = (  # (key, name, school index or None): the first judge is the demo login
    ("giamkhao2", "Vàng Thị Mai", 0), ("giamkhao3", "Trần Quốc Bảo", 1),
    ("giamkhao4", "Nguyễn Thu Trang", None),
)  # fmt: skip
QUIZ_OPENS = datetime(2026, 11, 7, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam
PRODUCT_OPENS = datetime(2026, 10, 1, 1, 0, tzinfo=UTC)
PRODUCT_CLOSES = datetime(2026, 11, 10, 16, 0, tzinfo=UTC)
PUBLISHED = datetime(2026, 11, 14, 3, 0, tzinfo=UTC)


@dataclass(frozen=True)
class ContestSummary:
    clubs: int
    pupils: int
    teams: int
    attempts: int
    entries: int


def _text(vi: str, en: str) -> dict:
    return {"vi": vi, "en": en}


def _choices(*pairs) -> list[dict]:
    return [{"value": v, "label": _text(vi, en)} for v, vi, en in pairs]


QUIZ_ITEMS = (
    ("c1", "single_choice", _text("AI tạo sinh làm được việc nào sau đây?",
                                  "Which of these can generative AI do?"),
     _choices(("a", "Viết nháp một bài thơ", "Draft a poem"),
              ("b", "Biết chắc điểm thi của em", "Know your exam mark for sure"),
              ("c", "Tự sửa máy tính bị hỏng", "Repair a broken computer by itself")), "a"),
    ("c2", "yes_no", _text("Có nên gửi ảnh căn cước của bố mẹ cho chatbot không?",
                           "Should you send your parents' ID card photo to a chatbot?"),
     [], "no"),
    ("c3", "single_choice", _text("AI trả lời sai một sự kiện lịch sử. Em làm gì?",
                                  "The AI gets a historical fact wrong. What do you do?"),
     _choices(("a", "Tin ngay vì máy không sai", "Believe it: machines are never wrong"),
              ("b", "Kiểm tra lại trong sách giáo khoa", "Check it in the textbook"),
              ("c", "Chép nguyên vào bài", "Copy it into homework")), "b"),
    ("c4", "multiple_choice", _text("Những câu lệnh (prompt) nào rõ ràng?",
                                    "Which prompts are clear?"),
     _choices(("a", "Tóm tắt bài đọc này trong 5 câu cho học sinh lớp 8",
               "Summarise this text in 5 sentences for year-8 pupils"),
              ("b", "Viết gì đó", "Write something"),
              ("c", "Gợi ý 3 ý tưởng dự án khoa học về nước sạch",
               "Suggest 3 science project ideas about clean water")), ["a", "c"]),
    ("c5", "single_choice", _text("Ảnh do AI tạo ra có thể dùng để làm gì sai?",
                                  "What can AI-made pictures be misused for?"),
     _choices(("a", "Làm tin giả", "Fake news"), ("b", "Minh hoạ bài học", "Illustrate a lesson"),
              ("c", "Trang trí lớp", "Decorate the classroom")), "a"),
)  # fmt: skip


def contest_quiz_version(now: datetime) -> InstrumentVersion:
    """A short contest quiz (kind contest_quiz) for the demo's rounds."""
    title = _text("Đố vui AI cho học sinh", "AI quiz for pupils")
    instrument = Instrument(key="demo-contest-quiz", kind=InstrumentKind.CONTEST_QUIZ, title=title)
    version = InstrumentVersion(instrument=instrument, number=1, title=title, created_at=now)
    for position, (key, qtype, label, choices, answer) in enumerate(QUIZ_ITEMS, start=1):
        points = Decimal(2) if qtype == "multiple_choice" else Decimal(1)
        version.items.append(
            Item(key=key, position=position, qtype=qtype, label=label, choices=choices,
                 answer_key=answer, points=points, required=True,
                 partial_credit=qtype == "multiple_choice")
        )  # fmt: skip
    db.session.add_all([instrument, version])
    db.session.flush()
    return version


def _clubs(ctx: DemoContext, leader: User, scope: Scope) -> list[Club]:
    made = []
    for index, code in enumerate(COMMUNES):
        place = required_locality(SCHEME, code)
        kind = "Trường THCS" if index == 0 else "Trường PTDTBT THCS"
        school = clubs.create_school(None, f"{kind} {short_name(place.name)}", place, scope=scope)
        fields = clubs.ClubFields(
            f"CLB AI {short_name(place.name)}", school, leader if index == 0 else None
        )
        club = clubs.create_club(None, fields, scope=scope)
        club.join_code = ctx.codes.next()  # the demo's codes are the same every time
        made.append(club)
    return made


def _pupils(ctx: DemoContext, club: Club, hmong: bool) -> list[ClubMember]:
    members = []
    for n in range(PUPILS_PER_CLUB):
        name = ctx.namer.full_name(hmong=hmong and n % 3 != 0)
        grade = f"{ctx.rng.choice((6, 7, 8, 9))}{ctx.rng.choice('ABC')}"
        member = clubs.join_club(club.join_code, name, grade, now=PRODUCT_OPENS)
        if ctx.rng.random() < 0.55:  # about half bring back a signed form
            guardian = ctx.namer.full_name()
            consent = clubs.Consent(True, True, guardian, on_paper=True)
            clubs.record_consent(None, member, consent, now=PRODUCT_OPENS + timedelta(days=2))
        members.append(member)
    return members


def _contest(campaign: Campaign, organiser: User, scope: Scope, version) -> Contest:
    fields = contests.ContestFields(
        "Học sinh sáng tạo với AI – Lào Cai 2026",
        "Cuộc thi của các câu lạc bộ AI trường học: vòng trắc nghiệm và vòng sản phẩm.",
        campaign.root_locality,
        5,
    )
    contest = contests.create_contest(organiser, campaign, fields, scope=scope)
    contests.set_contest_status(organiser, contest, "open", scope=scope)
    quiz = rounds.RoundFields(
        kind="quiz", title="Vòng 1: Hiểu biết về AI", opens_at=QUIZ_OPENS,
        closes_at=QUIZ_OPENS + timedelta(hours=2), version=version, time_limit_seconds=600,
        late_rule="penalty", late_penalty_percent=50, freeze_minutes=30,
    )  # fmt: skip
    product = rounds.RoundFields(
        kind="product", title="Vòng 2: Sản phẩm AI vì cộng đồng", opens_at=PRODUCT_OPENS,
        closes_at=PRODUCT_CLOSES, categories=["Giáo dục", "Nông nghiệp", "Y tế", "Môi trường"],
        max_file_mb=20, standardise_scores=True,
    )  # fmt: skip
    practice = rounds.RoundFields(
        kind="quiz", title="Vòng luyện tập (mở cho các đội)", opens_at=PRODUCT_OPENS,
        closes_at=datetime(2026, 12, 31, 16, 0, tzinfo=UTC), version=version,
        time_limit_seconds=900, attempts_allowed=3, late_rule="accept",
    )  # fmt: skip
    for fields in (quiz, product, practice):
        rounds.create_round(organiser, contest, fields, scope=scope)
    return contest


def _answers(ctx: DemoContext, ability: float) -> dict:
    right = {key: answer for key, _qtype, _label, _choices, answer in QUIZ_ITEMS}
    wrong = {"c1": "b", "c2": "yes", "c3": "a", "c4": ["a", "b"], "c5": "c"}
    return {k: right[k] if ctx.rng.random() < ability else wrong[k] for k in right}


def _take_quiz(ctx: DemoContext, rnd: Round, pupils: list[ClubMember]) -> int:
    taken = 0
    for member in pupils:
        start = QUIZ_OPENS + timedelta(minutes=ctx.rng.randint(1, 80))
        seed = ctx.rng.getrandbits(31)
        attempt = attempts.start_attempt(rnd, member, now=start, seed=seed)
        spent = timedelta(seconds=ctx.rng.randint(150, 560))
        if taken == 3:
            spent = timedelta(seconds=640)  # one pupil's phone lost signal: recorded late
        submission = str(uuid.UUID(int=ctx.rng.getrandbits(128), version=4))
        answers = _answers(ctx, ability=ctx.rng.uniform(0.45, 0.95))
        attempts.submit_attempt(attempt, answers, submission, now=start + spent)
        taken += 1
    attempts.reveal(rnd, now=QUIZ_OPENS + timedelta(hours=2, minutes=30))
    return taken


def _judges(ctx: DemoContext, contest: Contest, users: dict, schools, scope: Scope) -> list[User]:
    organiser = users["province_coordinator"]
    province = contest.locality
    found = [users["judge"]]
    contests.add_judge(organiser, contest, users["judge"], None, scope=scope)
    for key, name, school_index in EXTRA_JUDGES:
        judge = accounts.create_user(
            None, email=f"{key}@{DEMO_DOMAIN}", password=f"demo-{key}-{ctx.rng.getrandbits(64):x}",
            role=Role.JUDGE, locality=province, name=name,
        )  # fmt: skip
        school = schools[school_index] if school_index is not None else None
        contests.add_judge(organiser, contest, judge, school, scope=scope)
        found.append(judge)
    return found


def _judge_products(ctx: DemoContext, rnd: Round, team_list, organiser: User) -> int:
    for name, weight in CRITERIA:
        rubric.add_criterion(rnd, name=name, description="", weight=weight,
                             min_score="0", max_score="10")  # fmt: skip
    quality = {}
    for team, (title, category, ai_usage) in zip(team_list, ENTRIES, strict=True):
        entry = save_entry(
            rnd, team, title=title, description=f"{title}. Sản phẩm của {team.name}.",
            category=category, ai_usage=ai_usage, link="", now=PRODUCT_OPENS + timedelta(days=20),
        )  # fmt: skip
        quality[entry.id] = ctx.rng.uniform(5.5, 8.5)
    judging.auto_assign(rnd, 3, now=PRODUCT_CLOSES + timedelta(hours=1))
    leniency: dict[int, float] = {}
    criteria = rubric.criteria(rnd)
    for assignment in judging.round_assignments(rnd):
        bias = leniency.setdefault(assignment.judge_id, ctx.rng.uniform(-1.5, 1.0))
        scores = {}
        for criterion in criteria:
            raw = quality[assignment.entry_id] + bias + ctx.rng.uniform(-0.8, 0.8)
            scores[criterion.id] = str(round(min(10.0, max(0.0, raw)) * 2) / 2)
        judging.submit_scores(assignment, scores, "Sản phẩm có ích, trình bày rõ ràng.",
                              now=PRODUCT_CLOSES + timedelta(days=2))  # fmt: skip
    awards.publish_results(rnd, organiser, now=PUBLISHED)
    awards.award_prizes(rnd, organiser, consolation=1, now=PUBLISHED)
    return len(quality)


def build_demo_contest(ctx: DemoContext, users: dict, campaign: Campaign) -> ContestSummary:
    """The demo contest of the current campaign (see the module docstring)."""
    everywhere = Scope(unrestricted=True)
    organiser = users["province_coordinator"]
    version = contest_quiz_version(PRODUCT_OPENS - timedelta(days=10))
    club_list = _clubs(ctx, users["trainer"], everywhere)
    pupils = [_pupils(ctx, club, hmong=i == 1) for i, club in enumerate(club_list)]
    contest = _contest(campaign, organiser, everywhere, version)
    team_list, in_teams, taken = [], [], {0: 0, 1: 0}
    for club_index, name, size in TEAMS:
        members = pupils[club_index][taken[club_index] : taken[club_index] + size]
        taken[club_index] += size
        club = club_list[club_index]
        team_list.append(teams.create_team(None, contest, club, name, members, scope=everywhere))
        in_teams.extend(members)
    quiz, product, _practice = contest.rounds
    quiz_attempts = _take_quiz(ctx, quiz, in_teams)
    schools = [club.school for club in club_list]
    _judges(ctx, contest, users, schools, everywhere)
    entries = _judge_products(ctx, product, team_list, organiser)
    return ContestSummary(len(club_list), sum(map(len, pupils)), len(team_list), quiz_attempts,
                          entries)  # fmt: skip
