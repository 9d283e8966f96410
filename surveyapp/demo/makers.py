"""Row makers shared by both demo campaigns: a core member, a class, a batch of materials."""

from __future__ import annotations

from datetime import date, timedelta

from surveyapp.campaigns.models import Campaign, CoreMember, Material, Segment
from surveyapp.classes.models import ClassStatus, TrainingClass
from surveyapp.demo import content
from surveyapp.demo.common import DemoContext, Place, day_between
from surveyapp.localities.models import Locality


def member(
    ctx: DemoContext,
    campaign: Campaign,
    place: Place,
    *,
    joined: tuple[date, date],
    hmong_share: float = 0.0,
) -> CoreMember:
    """A core member of a weighted segment, working in ``place`` (or the unit above it)."""
    rng = ctx.rng
    segments, weights = zip(*content.MEMBER_SEGMENT_WEIGHTS.items(), strict=True)
    segment = rng.choices(segments, weights=weights)[0]
    org, position = rng.choice(place.templates(content.MEMBER_ROLES[segment]))
    at_district = "{d}" in org or "{D}" in org
    hmong = rng.random() < hmong_share
    female = rng.random() < (0.7 if segment == Segment.TEACHER else 0.45)
    return CoreMember(
        campaign=campaign,
        locality=place.district if at_district else place.commune,
        full_name=ctx.namer.full_name(female=female, hmong=hmong),
        organisation=org.format(**place.words(rng)),
        position=position,
        segment=segment,
        joined_on=day_between(rng, *joined, early=True),
    )


def training_class(
    ctx: DemoContext,
    campaign: Campaign,
    place: Place,
    first_day: date,
    *,
    status: str = ClassStatus.COMPLETED,
) -> TrainingClass:
    """A class of a weighted segment in ``place``, held for one or two days from ``first_day``."""
    rng = ctx.rng
    segments, weights = zip(*content.CLASS_SEGMENT_WEIGHTS.items(), strict=True)
    segment = rng.choices(segments, weights=weights)[0]
    title, venue = rng.choice(place.templates(content.CLASS_TEMPLATES[segment]))
    words = place.words(rng)
    two_days = segment in (Segment.OFFICIAL, Segment.TEACHER) and rng.random() < 0.4
    return TrainingClass(
        campaign=campaign,
        locality=place.commune,
        title=title.format(**words),
        segment=segment,
        start_date=first_day,
        end_date=first_day + timedelta(days=1 if two_days else 0),
        venue=venue.format(**words),
        capacity=rng.randint(*content.CAPACITY_RANGES[segment]),
        status=status,
        access_code=ctx.codes.next(),
    )


def materials(
    ctx: DemoContext,
    campaign: Campaign,
    authors: list[tuple[Locality, str]],
    counts: list[int],
    period: tuple[date, date],
) -> list[Material]:
    """``counts[i]`` materials published by ``authors[i]`` (a locality and the body's name)."""
    rng = ctx.rng
    titles = rng.sample(content.material_titles(), sum(counts))
    rows = []
    for (locality, body), count in zip(authors, counts, strict=True):
        for _ in range(count):
            kind, title = titles.pop()
            where = "fanpage và kênh TikTok" if kind == "video" else "nhóm Zalo nòng cốt"
            rows.append(
                Material(
                    campaign=campaign,
                    locality=locality,
                    title=title,
                    kind=kind,
                    description=f"Do {body} xây dựng, chia sẻ trên {where} "
                    "của phong trào “Bình dân học AI”.",
                    published_on=day_between(rng, *period),
                )
            )
    return rows
