"""The 2024 Yên Bái pilot on the old three-level scheme, as the provincial newspaper reported it.

Six months (03-08/2024), closed. Its figures are the article's: 151 core members against a
plan of 50, 37 classes against 24, 2,500 learners against 500 (here the seats of the
classes), 100 videos and documents. Văn Yên district carries its own campaign, "Văn Yên -
tiên phong học AI", with coverage targets of 100% / 85% / 75% of officials / businesses /
adults with a smartphone.
"""

from __future__ import annotations

from dataclasses import dataclass
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
from surveyapp.demo.common import (
    DemoContext,
    Place,
    apportion,
    children,
    day_between,
    required_locality,
)
from surveyapp.demo.names import unit_phrase
from surveyapp.extensions import db
from surveyapp.localities.models import Locality
from surveyapp.security import compute_scope

ROOT = ("2024", "15")
START, END = date(2024, 3, 1), date(2024, 8, 31)
NAME = "Thí điểm mô hình Bình dân học AI tỉnh Yên Bái năm 2024"
DESCRIPTION = (
    "Thí điểm 6 tháng mô hình “Bình dân học AI”: xây dựng mạng lưới nòng cốt, tập huấn kiến "
    "thức, kỹ năng cơ bản về trí tuệ nhân tạo cho cán bộ, công chức, doanh nghiệp và người "
    "dân. Kết quả báo cáo: 151 thành viên nhóm nòng cốt (302% kế hoạch), 37 lớp (154%), "
    "2.500 người học (500%), 100 video, tài liệu được xây dựng, chia sẻ và 600 người biết "
    "ứng dụng AI hiệu quả (400%). Huyện Văn Yên triển khai chiến dịch “Văn Yên - tiên phong "
    "học AI” với mục tiêu đến hết năm 2024: 100% cán bộ, công chức, viên chức cấp huyện, "
    "cấp xã; 85% doanh nghiệp, hợp tác xã, hộ kinh doanh; 75% người dân trưởng thành có "
    "điện thoại thông minh được học và ứng dụng AI."
)
TOTAL_MEMBERS, TOTAL_CLASSES, TOTAL_LEARNERS, TOTAL_MATERIALS = 151, 37, 2500, 100

CITY, VAN_YEN = "132", "136"
MAU_A = "04375"  # Thị trấn Mậu A, seat of Văn Yên district
HMONG_DISTRICTS = {"137", "139"}  # Mù Căng Chải, Trạm Tấu
# How much of the pilot's work each district carried (the city and Văn Yên led it).
DISTRICT_WEIGHTS = {"132": 3.0, "133": 1.3, "135": 1.4, "136": 3.0, "137": 1.0,
                    "138": 1.3, "139": 0.7, "140": 1.6, "141": 1.5}  # fmt: skip

# Plan = reported actual / reported percent; materials had no percent, 80 is our choice.
PLAN = {Metric.CORE_MEMBERS: 50, Metric.CLASSES: 24, Metric.LEARNERS: 500,
        Metric.MATERIALS: 80, Metric.EFFECTIVE_APPLIERS: 150}  # fmt: skip
# The districts' plans add up to the province's, except materials: the department makes half.
DISTRICT_PLAN = {**PLAN, Metric.MATERIALS: 40}
VAN_YEN_PLAN = {Metric.CORE_MEMBERS: 10, Metric.CLASSES: 6, Metric.LEARNERS: 250,
                Metric.MATERIALS: 8, Metric.EFFECTIVE_APPLIERS: 60}  # fmt: skip

# (segment, people, target rate %) for the province and for Văn Yên.
PROVINCE_POPULATION = ((Segment.OFFICIAL, 11_600, 100), (Segment.BUSINESS, 19_500, 70),
                       (Segment.RESIDENT, 452_000, 60), (Segment.TEACHER, 13_800, 90),
                       (Segment.STUDENT, 42_000, 80))  # fmt: skip
VAN_YEN_POPULATION = ((Segment.OFFICIAL, 1_320, 100), (Segment.BUSINESS, 2_450, 85),
                      (Segment.RESIDENT, 71_500, 75))  # fmt: skip

PROVINCE_MEMBERS = (
    ("Sở Thông tin và Truyền thông tỉnh Yên Bái", "Phó Trưởng phòng Công nghệ thông tin",
     Segment.OFFICIAL),
    ("Sở Thông tin và Truyền thông tỉnh Yên Bái", "Chuyên viên Phòng Bưu chính - Viễn thông",
     Segment.OFFICIAL),
    ("Trung tâm Công nghệ thông tin và Truyền thông tỉnh Yên Bái", "Viên chức", Segment.OFFICIAL),
    ("Trường Chính trị tỉnh Yên Bái", "Giảng viên Khoa Nhà nước và Pháp luật", Segment.TEACHER),
    ("Trường Chính trị tỉnh Yên Bái", "Giảng viên Khoa Lý luận cơ sở", Segment.TEACHER),
    ("Sở Giáo dục và Đào tạo tỉnh Yên Bái", "Chuyên viên Phòng Giáo dục Trung học",
     Segment.OFFICIAL),
    ("Tỉnh đoàn Yên Bái", "Chuyên viên Ban Phong trào", Segment.OFFICIAL),
    ("Báo Yên Bái", "Phóng viên", Segment.OTHER),
    ("Viettel Yên Bái", "Trưởng phòng Kỹ thuật", Segment.BUSINESS),
    ("VNPT Yên Bái", "Chuyên viên Chuyển đổi số", Segment.BUSINESS),
)  # fmt: skip


@dataclass
class PilotTree:
    root: Locality
    districts: list[Locality]
    communes: dict[int, list[Locality]]

    @property
    def weights(self) -> list[float]:
        return [DISTRICT_WEIGHTS.get(d.code, 1.0) for d in self.districts]

    def district(self, code: str) -> Locality:
        return next(d for d in self.districts if d.code == code)

    def place(self, ctx: DemoContext, district: Locality) -> Place:
        return Place(ctx.rng.choice(self.communes[district.id] or [district]), district)


def load_tree() -> PilotTree:
    root = required_locality(*ROOT)
    districts = children(root)
    return PilotTree(root, districts, {d.id: children(d) for d in districts})


def build_pilot(ctx: DemoContext, trainers: list[User]) -> Campaign:
    """Add the pilot campaign with everything in it; flushes, never commits."""
    tree = load_tree()
    campaign = Campaign(
        name=NAME,
        description=DESCRIPTION,
        root_locality=tree.root,
        start_date=START,
        end_date=END,
        status=CampaignStatus.CLOSED,
        parent_body="UBND TỈNH YÊN BÁI",
        issuing_body="SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
    )
    db.session.add(campaign)
    db.session.add_all(targets(campaign, tree))
    db.session.add_all(populations(campaign, tree))
    db.session.add_all(core_members(ctx, campaign, tree))
    db.session.add_all(classes(ctx, campaign, tree, trainers))
    db.session.add_all(materials(ctx, campaign, tree))
    db.session.flush()
    return campaign


def targets(campaign: Campaign, tree: PilotTree) -> list[Target]:
    """The province plan, and a district split of it in which Văn Yên keeps its own plan."""
    rows = [
        Target(campaign=campaign, locality=tree.root, metric=m, value=v) for m, v in PLAN.items()
    ]
    others = [d for d in tree.districts if d.code != VAN_YEN]
    weights = [DISTRICT_WEIGHTS.get(d.code, 1.0) for d in others]
    for metric, total in DISTRICT_PLAN.items():
        own = VAN_YEN_PLAN[metric]
        rows.append(
            Target(campaign=campaign, locality=tree.district(VAN_YEN), metric=metric, value=own)
        )
        for district, value in zip(others, apportion(total - own, weights), strict=True):
            rows.append(Target(campaign=campaign, locality=district, metric=metric, value=value))
    return rows


def populations(campaign: Campaign, tree: PilotTree) -> list[Population]:
    places = ((tree.root, PROVINCE_POPULATION), (tree.district(VAN_YEN), VAN_YEN_POPULATION))
    return [
        Population(
            campaign=campaign,
            locality=locality,
            segment=segment,
            population=people,
            target_rate=Decimal(rate),
        )
        for locality, figures in places
        for segment, people, rate in figures
    ]


def core_members(ctx: DemoContext, campaign: Campaign, tree: PilotTree) -> list[CoreMember]:
    """Ten members of provincial bodies, the rest spread over the districts' communes."""
    rng = ctx.rng
    members = [
        CoreMember(
            campaign=campaign, locality=tree.root, full_name=ctx.namer.full_name(),
            organisation=org, position=position, segment=segment,
            joined_on=day_between(rng, START, START + timedelta(days=30), early=True),
        )
        for org, position, segment in PROVINCE_MEMBERS
    ]  # fmt: skip
    joined = (START, END - timedelta(days=30))
    counts = apportion(TOTAL_MEMBERS - len(members), tree.weights)
    for district, count in zip(tree.districts, counts, strict=True):
        hmong = 0.7 if district.code in HMONG_DISTRICTS else 0.0
        members.extend(
            makers.member(
                ctx, campaign, tree.place(ctx, district), joined=joined, hmong_share=hmong
            )
            for _ in range(count)
        )
    return members


def classes(
    ctx: DemoContext, campaign: Campaign, tree: PilotTree, trainers: list[User]
) -> list[TrainingClass]:
    """The classes the article names, then the rest spread over the districts' communes.

    Seats add up to the 2,500 learners reported; every class is completed.
    """
    landmarks = landmark_classes(ctx, campaign, tree)
    counts = apportion(TOTAL_CLASSES - len(landmarks), tree.weights)
    first, last = START + timedelta(days=14), END - timedelta(days=2)
    generated = [
        makers.training_class(
            ctx, campaign, tree.place(ctx, district), day_between(ctx.rng, first, last)
        )
        for district, count in zip(tree.districts, counts, strict=True)
        for _ in range(count)
    ]
    seats = apportion(
        TOTAL_LEARNERS - sum(c.capacity for c in landmarks), [c.capacity for c in generated]
    )
    for cls, capacity in zip(generated, seats, strict=True):
        cls.capacity = capacity
    everything = landmarks + generated
    # The demo trainers of Xã Mậu A (2025) taught there in 2024 too, when it was Thị trấn Mậu A.
    for trainer in trainers:
        scope = compute_scope(trainer)
        for cls in everything:
            if cls.locality.code == MAU_A and scope.contains(cls.locality):
                cls.trainers.append(trainer)
    return everything


# (district or commune code, title, segment, first day, days, venue, seats): the article's events.
LANDMARKS = (
    (CITY, "Tập huấn ứng dụng trí tuệ nhân tạo (AI) trong giảng dạy lý luận chính trị",
     Segment.TEACHER, date(2024, 3, 14), 2, "Hội trường Trường Chính trị tỉnh Yên Bái", 85),
    (MAU_A, "Chiến dịch “Văn Yên - tiên phong học AI”: tập huấn kiến thức, kỹ năng cơ bản về "
     "AI cho cán bộ chủ chốt (đợt 1)", Segment.OFFICIAL, date(2024, 4, 9), 2,
     "Hội trường Huyện ủy Văn Yên", 260),
    (MAU_A, "Chiến dịch “Văn Yên - tiên phong học AI”: tập huấn kiến thức, kỹ năng cơ bản về "
     "AI cho cán bộ chủ chốt (đợt 2)", Segment.OFFICIAL, date(2024, 4, 23), 2,
     "Hội trường Huyện ủy Văn Yên", 240),
    (CITY, "Phổ biến sử dụng AI phục vụ công việc cho cán bộ, nhân viên khối văn phòng "
     "Viettel Yên Bái", Segment.BUSINESS, date(2024, 5, 8), 1, "Hội trường Viettel Yên Bái", 60),
    (CITY, "Câu lạc bộ AI Trường THPT Nguyễn Huệ: AI trong học tập và nghiên cứu khoa học",
     Segment.STUDENT, date(2024, 4, 6), 1, "Phòng Tin học Trường THPT Nguyễn Huệ", 45),
    (VAN_YEN, "Ứng dụng nền tảng AI trong dạy và học cho giáo viên Trường THPT Chu Văn An",
     Segment.TEACHER, date(2024, 5, 15), 1, "Trường THPT Chu Văn An, huyện Văn Yên", 55),
    (MAU_A, "AI hỗ trợ quản trị, sản xuất, kinh doanh cho doanh nghiệp, hợp tác xã, hộ kinh "
     "doanh huyện Văn Yên", Segment.BUSINESS, date(2024, 6, 12), 1,
     "Hội trường UBND huyện Văn Yên", 70),
)  # fmt: skip


def landmark_classes(ctx: DemoContext, campaign: Campaign, tree: PilotTree) -> list[TrainingClass]:
    units = {d.code: d for d in tree.districts}
    units.update({c.code: c for communes in tree.communes.values() for c in communes})
    return [
        TrainingClass(
            campaign=campaign, locality=units[code], title=title, segment=segment,
            start_date=first, end_date=first + timedelta(days=days - 1), venue=venue,
            capacity=seats, status=ClassStatus.COMPLETED, access_code=ctx.codes.next(),
        )
        for code, title, segment, first, days, venue, seats in LANDMARKS
    ]  # fmt: skip


def materials(ctx: DemoContext, campaign: Campaign, tree: PilotTree) -> list[Material]:
    """40 from the provincial department, 60 from the districts' culture offices."""
    authors = [(tree.root, "Sở Thông tin và Truyền thông tỉnh Yên Bái")]
    authors += [(d, f"Phòng Văn hóa và Thông tin {unit_phrase(d.name)}") for d in tree.districts]
    counts = [40, *apportion(TOTAL_MATERIALS - 40, tree.weights)]
    return makers.materials(ctx, campaign, authors, counts, (START, END))
