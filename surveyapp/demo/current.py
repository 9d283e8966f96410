"""The current campaign of Lào Cai province on today's two-level scheme (2025-2026, active).

After the 2025 reorganisation Yên Bái is part of Lào Cai, which takes the pilot to the whole
new province: plan targets for the province and ten communes and wards, coverage aims per
segment, and classes that are done, under way or still planned.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from surveyapp.accounts.models import User
from surveyapp.campaigns.models import (
    Campaign,
    CampaignStatus,
    CoreMember,
    Material,
    Metric,
    Population,
    Segment,
    Target,
)
from surveyapp.classes.models import ClassStatus, TrainingClass
from surveyapp.demo import makers
from surveyapp.demo.common import DemoContext, Place, apportion, day_between, required_locality
from surveyapp.demo.names import unit_phrase
from surveyapp.extensions import db
from surveyapp.localities.models import Locality
from surveyapp.security import compute_scope

ROOT = ("2025", "15")
START, END = date(2025, 9, 1), date(2026, 12, 31)
NAME = "Bình dân học AI tỉnh Lào Cai 2025-2026"
DESCRIPTION = (
    "Nhân rộng mô hình thí điểm “Bình dân học AI” của tỉnh Yên Bái (cũ) ra toàn tỉnh Lào Cai "
    "sau sắp xếp đơn vị hành chính: mỗi xã, phường có tổ nòng cốt, mở lớp cho cán bộ, công "
    "chức, doanh nghiệp, giáo viên, học sinh và người dân; theo dõi tỷ lệ người biết ứng dụng "
    "AI hiệu quả."
)
PLAN = {Metric.CORE_MEMBERS: 400, Metric.CLASSES: 250, Metric.LEARNERS: 20_000,
        Metric.MATERIALS: 200, Metric.EFFECTIVE_APPLIERS: 5_000}  # fmt: skip
PROVINCE_POPULATION = ((Segment.OFFICIAL, 36_500, 100), (Segment.BUSINESS, 41_000, 80),
                       (Segment.RESIDENT, 985_000, 70), (Segment.TEACHER, 27_500, 100),
                       (Segment.STUDENT, 168_000, 90))  # fmt: skip
MAU_A = "04375"
MAU_A_POPULATION = ((Segment.OFFICIAL, 160, 100), (Segment.BUSINESS, 420, 85),
                    (Segment.RESIDENT, 14_800, 75))  # fmt: skip
# Communes and wards with their own plan, and the share of H'Mông names among their members.
COMMUNES = {"04252": 0.0, "02647": 0.0, "03006": 0.3, MAU_A: 0.0, "04456": 0.8,
            "02839": 0.6, "03082": 0.1, "04288": 0.0, "04303": 0.0, "02905": 0.0}  # fmt: skip
PROVINCE_MEMBERS = (
    ("Sở Khoa học và Công nghệ tỉnh Lào Cai", "Phó Trưởng phòng Chuyển đổi số", Segment.OFFICIAL),
    ("Sở Khoa học và Công nghệ tỉnh Lào Cai", "Chuyên viên", Segment.OFFICIAL),
    ("Sở Giáo dục và Đào tạo tỉnh Lào Cai", "Chuyên viên", Segment.OFFICIAL),
    ("Trường Chính trị tỉnh Lào Cai", "Giảng viên", Segment.TEACHER),
)
MEMBERS_PER_COMMUNE = 4
COMPLETED_BY = date(2026, 10, 31)
ONGOING = (date(2026, 11, 16), date(2026, 12, 11))  # an evening course over four weeks
PLANNED_FROM = date(2026, 12, 7)


def build_current(ctx: DemoContext, trainers: list[User]) -> Campaign:
    """Add the Lào Cai campaign with everything in it; flushes, never commits."""
    root = required_locality(*ROOT)
    communes = [required_locality(ROOT[0], code) for code in COMMUNES]
    campaign = Campaign(
        name=NAME,
        description=DESCRIPTION,
        root_locality=root,
        start_date=START,
        end_date=END,
        status=CampaignStatus.ACTIVE,
        parent_body="UBND TỈNH LÀO CAI",
        issuing_body="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    )
    db.session.add(campaign)
    db.session.add_all(targets(ctx, campaign, root, communes))
    db.session.add_all(populations(campaign, root, communes))
    db.session.add_all(core_members(ctx, campaign, root, communes))
    db.session.add_all(classes(ctx, campaign, communes, trainers))
    db.session.add_all(materials(ctx, campaign, root, communes))
    db.session.flush()
    return campaign


def targets(ctx: DemoContext, campaign, root: Locality, communes: list[Locality]) -> list[Target]:
    rng = ctx.rng
    rows = [Target(campaign=campaign, locality=root, metric=m, value=v) for m, v in PLAN.items()]
    for commune in communes:
        plan = {
            Metric.CORE_MEMBERS: rng.randint(8, 16),
            Metric.CLASSES: rng.randint(5, 10),
            Metric.LEARNERS: 50 * rng.randint(7, 16),
            Metric.MATERIALS: rng.randint(3, 8),
            Metric.EFFECTIVE_APPLIERS: 10 * rng.randint(8, 20),
        }
        rows += [
            Target(campaign=campaign, locality=commune, metric=m, value=v) for m, v in plan.items()
        ]
    return rows


def populations(campaign, root: Locality, communes: list[Locality]) -> list[Population]:
    mau_a = next(c for c in communes if c.code == MAU_A)
    return [
        Population(
            campaign=campaign,
            locality=locality,
            segment=segment,
            population=people,
            target_rate=Decimal(rate),
        )
        for locality, figures in ((root, PROVINCE_POPULATION), (mau_a, MAU_A_POPULATION))
        for segment, people, rate in figures
    ]


def core_members(ctx: DemoContext, campaign, root, communes) -> list[CoreMember]:
    joined = (START, COMPLETED_BY)
    members = [
        CoreMember(
            campaign=campaign, locality=root, full_name=ctx.namer.full_name(),
            organisation=org, position=position, segment=segment,
            joined_on=day_between(ctx.rng, *joined, early=True),
        )
        for org, position, segment in PROVINCE_MEMBERS
    ]  # fmt: skip
    for commune in communes:
        place = Place(commune, commune)  # no district level any more
        members += [
            makers.member(ctx, campaign, place, joined=joined, hmong_share=COMMUNES[commune.code])
            for _ in range(MEMBERS_PER_COMMUNE)
        ]
    return members


def classes(ctx: DemoContext, campaign, communes, trainers: list[User]) -> list[TrainingClass]:
    """One finished class per commune; Xã Mậu A and two wards also run or plan more."""
    rng = ctx.rng
    rows = []
    for commune in communes:
        place = Place(commune, commune)
        rows.append(
            makers.training_class(ctx, campaign, place, day_between(rng, START, COMPLETED_BY))
        )
        if commune.code in (MAU_A, "04252", "02647"):
            ongoing = makers.training_class(
                ctx, campaign, place, ONGOING[0], status=ClassStatus.ONGOING
            )
            ongoing.end_date = ONGOING[1]
            planned = makers.training_class(
                ctx, campaign, place, day_between(rng, PLANNED_FROM, END - timedelta(days=7)),
                status=ClassStatus.PLANNED,
            )  # fmt: skip
            rows += [ongoing, planned]
    for index, trainer in enumerate(trainers):
        scope = compute_scope(trainer)
        mine = [c for c in rows if c.locality.code == MAU_A and scope.contains(c.locality)]
        for cls in mine[index:]:  # the first trainer teaches all of them, the second fewer
            cls.trainers.append(trainer)
    return rows


def materials(ctx: DemoContext, campaign, root: Locality, communes) -> list[Material]:
    authors = [(root, "Sở Khoa học và Công nghệ tỉnh Lào Cai")]
    authors += [(c, f"UBND {unit_phrase(c.name)}") for c in communes[:6]]
    counts = [8, *apportion(12, [1.0] * 6)]
    return makers.materials(ctx, campaign, authors, counts, (START, COMPLETED_BY))
