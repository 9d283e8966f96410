"""The province itself: the locality tree, the campaign and its plan, classes and forms.

Part of the synthetic benchmark data (see ``benchmarks.synthetic``): rows get explicit ids
from the ``Writer`` and go in with Core ``executemany``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from benchmarks.crowd import SyntheticClass, Versions, Writer
from surveyapp.campaigns.models import (
    Campaign,
    CoreMember,
    Material,
    Metric,
    Population,
    Segment,
    Target,
)
from surveyapp.classes.models import TrainingClass
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument
from surveyapp.localities.models import Locality
from surveyapp.localities.text import fold
from surveyapp.localities.vietnam_provinces import ensure_scheme
from surveyapp.responses.models import ClassForm

CAMPAIGN_NAME = "Chiến dịch tổng hợp (benchmark)"
START = date(2024, 4, 1)
# Plan per commune: core members, classes, learners, materials, effective appliers.
COMMUNE_PLAN = {
    Metric.CORE_MEMBERS: 3,
    Metric.CLASSES: 1,
    Metric.LEARNERS: 35,
    Metric.MATERIALS: 1,
    Metric.EFFECTIVE_APPLIERS: 4,
}
SEGMENT_WEIGHTS = {
    "official": 25,
    "resident": 30,
    "business": 15,
    "student": 15,
    "teacher": 10,
    "other": 5,
}


@dataclass
class Tree:
    root_id: int
    root_code: str
    middle_code: str
    districts: list[int]
    communes: dict[int, list[int]]  # district id -> commune ids


def build_tree(writer: Writer, districts: int, communes_per_district: int) -> Tree:
    scheme_id = ensure_scheme("2024").id
    db.session.flush()
    rows = []

    def add(code, name, kind, parent):
        lid = writer.new_id(Locality)
        path = f"{parent['path'] if parent else '/'}{lid}/"
        row = {
            "id": lid,
            "scheme_id": scheme_id,
            "code": code,
            "name": name,
            "kind": kind,
            "search_name": fold(name),
            "parent_id": parent["id"] if parent else None,
            "path": path,
            "depth": parent["depth"] + 1 if parent else 0,
        }
        rows.append(row)
        return row

    root = add("99", "Tỉnh Văn Yên Tổng Hợp", "province", None)
    communes: dict[int, list[int]] = {}
    for d in range(1, districts + 1):
        district = add(f"9{d:02d}", f"Huyện Mù Cang Chải {d}", "district", root)
        communes[district["id"]] = [
            add(
                f"9{(d - 1) * communes_per_district + c:04d}",
                f"Xã Văn Yên {d}-{c}",
                "commune",
                district,
            )["id"]
            for c in range(1, communes_per_district + 1)
        ]
    db.session.execute(sa.insert(Locality.__table__), rows)
    districts = list(communes)
    return Tree(root["id"], "99", "901", districts, communes)


def build_campaign(writer: Writer, tree: Tree) -> int:
    campaign_id = writer.new_id(Campaign)
    db.session.execute(
        sa.insert(Campaign.__table__),
        [
            {
                "id": campaign_id,
                "name": CAMPAIGN_NAME,
                "description": "",
                "root_locality_id": tree.root_id,
                "start_date": START,
                "end_date": date(2025, 12, 31),
                "status": "active",
                "parent_body": "",
                "issuing_body": "",
                "created_at": datetime(2024, 3, 15, tzinfo=UTC),
            }
        ],
    )
    return campaign_id


def build_plan(rng: random.Random, writer: Writer, campaign_id: int, tree: Tree) -> None:
    """Targets for every locality and metric (a few communes have none), populations per
    commune and segment, core members and materials (some at district or province level)."""
    places = [(tree.root_id, len(tree.districts) * len(tree.communes[tree.districts[0]]))]
    places += [(d, len(c)) for d, c in tree.communes.items()]
    places += [(c, 1) for cs in tree.communes.values() for c in cs if rng.random() > 0.05]
    for lid, communes in places:
        for metric, value in COMMUNE_PLAN.items():
            writer.add(
                Target,
                {
                    "id": writer.new_id(Target),
                    "campaign_id": campaign_id,
                    "locality_id": lid,
                    "metric": metric.value,
                    "value": value * communes,
                },
            )
    for commune in (c for cs in tree.communes.values() for c in cs):
        for segment in Segment:
            writer.add(
                Population,
                {
                    "id": writer.new_id(Population),
                    "campaign_id": campaign_id,
                    "locality_id": commune,
                    "segment": segment.value,
                    "population": rng.randint(50, 3000),
                    "target_rate": Decimal(rng.choice((10, 15, 20, 25))),
                },
            )
        for _ in range(rng.randint(1, 5)):
            _core_member(rng, writer, campaign_id, commune)
        for _ in range(rng.randint(0, 2)):
            _material(rng, writer, campaign_id, commune)
    for lid in [tree.root_id, *tree.districts]:
        _core_member(rng, writer, campaign_id, lid)
        for _ in range(3):
            _material(rng, writer, campaign_id, lid)


def _core_member(rng, writer: Writer, campaign_id: int, locality_id: int) -> None:
    segment = Segment.OFFICIAL if rng.random() < 0.7 else rng.choice(list(Segment))
    writer.add(
        CoreMember,
        {
            "id": writer.new_id(CoreMember),
            "campaign_id": campaign_id,
            "locality_id": locality_id,
            "full_name": "Giàng A Sùng",
            "organisation": "",
            "position": "",
            "segment": segment.value,
            "joined_on": START + timedelta(days=rng.randint(0, 300)),
        },
    )


def _material(rng, writer: Writer, campaign_id: int, locality_id: int) -> None:
    writer.add(
        Material,
        {
            "id": writer.new_id(Material),
            "campaign_id": campaign_id,
            "locality_id": locality_id,
            "title": "Sổ tay dùng AI an toàn",
            "kind": rng.choice(("video", "document", "link")),
            "url": "",
            "description": "",
            "published_on": START + timedelta(days=rng.randint(0, 400)),
        },
    )


def default_versions() -> Versions:
    def latest(kind):
        instrument = db.session.scalar(
            sa.select(Instrument).where(Instrument.kind == kind).order_by(Instrument.id).limit(1)
        )
        return instrument.latest

    skill, follow = latest("skill_test"), latest("follow_up")
    return Versions(skill.id, list(skill.items), follow.id, list(follow.items))


def build_classes(rng, writer: Writer, campaign_id: int, tree: Tree, versions: Versions):
    """One class per commune, a second in a quarter of them, two per district, three at the
    province level; each with a pre-test, a post-test and a follow-up form."""
    places = []
    for group, district in enumerate(tree.districts):
        for commune in tree.communes[district]:
            places += [(commune, group)] * (2 if rng.random() < 0.25 else 1)
        places += [(district, group)] * 2
    places += [(tree.root_id, rng.randrange(len(tree.districts)))] * 3
    segments, weights = list(SEGMENT_WEIGHTS), list(SEGMENT_WEIGHTS.values())
    classes = []
    for locality_id, group in places:
        cid = writer.new_id(TrainingClass)
        start = START + timedelta(days=rng.randint(0, 360))
        end = start + timedelta(days=rng.randint(0, 2))
        segment = rng.choices(segments, weights)[0]
        writer.add(
            TrainingClass,
            {
                "id": cid,
                "campaign_id": campaign_id,
                "locality_id": locality_id,
                "title": f"Lớp bình dân học AI {cid}",
                "segment": segment,
                "start_date": start,
                "end_date": end,
                "venue": "",
                "capacity": 40,
                "status": "completed",
                "access_code": f"X{cid:07d}",
                "created_at": datetime(2024, 3, 20, tzinfo=UTC),
            },
        )
        forms = _class_forms(writer, cid, versions)
        classes.append(SyntheticClass(cid, locality_id, segment, start, end, forms, group))
    return classes


def _class_forms(writer: Writer, class_id: int, versions: Versions) -> dict[str, int]:
    """The skill test at ``pre`` and ``post`` and the follow-up; returns their ids by moment."""
    forms = {}
    for moment, version_id in (
        ("pre", versions.skill_id),
        ("post", versions.skill_id),
        ("follow_up", versions.follow_id),
    ):
        forms[moment] = writer.new_id(ClassForm)
        writer.add(
            ClassForm,
            {
                "id": forms[moment],
                "class_id": class_id,
                "version_id": version_id,
                "moment": moment,
                "is_open": False,
                "opened_at": None,
                "closed_at": None,
            },
        )
    return forms


def flush_plain(writer: Writer) -> None:
    for model in (Target, Population, CoreMember, Material, TrainingClass, ClassForm):
        rows = writer.rows.pop(model.__tablename__, [])
        if rows:
            db.session.execute(sa.insert(model.__table__), rows)
