"""A synthetic province for the benchmarks, built with the app's real schema.

At ``scale`` 1: one province, 30 districts, 3,000 communes (a 2024-style three-level tree),
one campaign with targets, populations, core members, materials, about 3,800 classes,
100,000 participants and about 1,100,000 answers to the default instruments (see
``province`` and ``crowd``). Everything comes from one seeded ``random.Random``: the same
scale and seed give the same database. ``populate`` writes into the current app's session
(flushes, never commits), so tests can build a tiny province inside their rolled-back
transaction; ``ensure_database`` builds a whole database once and reuses it (SQLite files
are cached under ``benchmarks/.data/``, keyed by scale; a PostgreSQL database keeps a
marker in the campaign's description, and is only wiped when it holds no real campaign).

``python -m benchmarks.synthetic --scale 0.01 [--postgres URL]`` builds one and prints it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from benchmarks import province
from benchmarks.crowd import Writer, build_crowd
from surveyapp.campaigns.models import (
    Campaign,
    CoreMember,
    Material,
    Population,
    Target,
)
from surveyapp.classes.models import TrainingClass
from surveyapp.config import normalise_database_url
from surveyapp.extensions import db
from surveyapp.indicators.models import ExampleReview
from surveyapp.instruments.imports import load_defaults
from surveyapp.localities.models import Locality
from surveyapp.participants.models import Enrolment, Participant
from surveyapp.responses.models import Answer, ClassForm, Response

GENERATOR_VERSION = 1
SEED = 20240401
DATA_DIR = Path(__file__).resolve().parent / ".data"
TABLES = (
    Locality,
    Campaign,
    Target,
    Population,
    CoreMember,
    Material,
    TrainingClass,
    ClassForm,
    Participant,
    Enrolment,
    Response,
    Answer,
    ExampleReview,
)


@dataclass(frozen=True)
class SyntheticInfo:
    url: str
    campaign_id: int
    root_code: str
    middle_code: str  # a district: the "middle locality" of the benchmarks
    counts: dict[str, int]
    seconds: float = 0.0  # time spent generating (0 when reused)


@dataclass(frozen=True)
class Shape:
    districts: int
    communes_per_district: int
    participants: int

    @classmethod
    def of(cls, scale: float) -> Shape:
        side = math.sqrt(scale)
        return cls(
            districts=max(2, round(30 * side)),
            communes_per_district=max(2, round(100 * side)),
            participants=max(40, round(100_000 * scale)),
        )


def populate(scale: float = 1.0, seed: int = SEED) -> dict:
    """Build the province in the current session (flushed, not committed); returns the
    marker stored in the campaign's description (campaign id, codes, counts)."""
    rng = random.Random(seed)
    shape = Shape.of(scale)
    load_defaults(now=datetime(2024, 3, 1, tzinfo=UTC))
    db.session.flush()
    writer = Writer({m.__tablename__: _next_id(m) for m in TABLES})
    tree = province.build_tree(writer, shape.districts, shape.communes_per_district)
    campaign_id = province.build_campaign(writer, tree)
    province.build_plan(rng, writer, campaign_id, tree)
    versions = province.default_versions()
    classes = province.build_classes(rng, writer, campaign_id, tree, versions)
    province.flush_plain(writer)
    build_crowd(rng, writer, classes, versions, shape.participants)
    counts = {name: _count(model, campaign_id) for name, model in _COUNTED.items()}
    marker = {
        "generator": GENERATOR_VERSION,
        "schema": schema_fingerprint(),
        "scale": scale,
        "seed": seed,
        "campaign_id": campaign_id,
        "root_code": tree.root_code,
        "middle_code": tree.middle_code,
        "counts": counts,
    }
    db.session.execute(
        sa.update(Campaign).where(Campaign.id == campaign_id).values(description=json.dumps(marker))
    )
    _fix_sequences()
    return marker


_COUNTED = {
    "localities": Locality,
    "core_members": CoreMember,
    "materials": Material,
    "classes": TrainingClass,
    "participants": Participant,
    "enrolments": Enrolment,
    "responses": Response,
    "answers": Answer,
    "example_reviews": ExampleReview,
}


def _count(model, campaign_id: int) -> int:
    if model is Locality:
        return db.session.scalar(sa.select(sa.func.count()).select_from(Locality))
    query = sa.select(sa.func.count()).select_from(model)
    if hasattr(model, "campaign_id"):
        query = query.where(model.campaign_id == campaign_id)
    return db.session.scalar(query)


def _next_id(model) -> int:
    return (db.session.scalar(sa.select(sa.func.max(model.__table__.c.id))) or 0) + 1


def _fix_sequences() -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the new rows."""
    if db.engine.dialect.name != "postgresql":
        return
    for model in TABLES:
        name = model.__tablename__
        db.session.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608 (model names)
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"
            )
        )


# ---------------------------------------------------------------- whole databases


def schema_fingerprint() -> str:
    """A digest of the models' tables and columns: a database built for another schema
    (a column added since, say) is built again rather than read with missing columns."""
    names = sorted(f"{t.name}.{c.name}" for t in db.metadata.tables.values() for c in t.columns)
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]


def cache_path(scale: float, seed: int = SEED) -> Path:
    return DATA_DIR / f"synthetic-v{GENERATOR_VERSION}-s{scale:g}-seed{seed}.sqlite"


def read_marker(url: str) -> dict | None:
    """The marker of an already built synthetic database at ``url`` (None if there is none)."""
    engine = sa.create_engine(normalise_database_url(url))
    try:
        if not sa.inspect(engine).has_table("campaign"):
            return None
        with engine.connect() as connection:
            text = connection.scalar(
                sa.select(Campaign.description)
                .where(Campaign.name == province.CAMPAIGN_NAME)
                .limit(1)
            )
    finally:
        engine.dispose()
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def make_app(url: str):
    """An app on ``url`` with the configuration and extensions of ``create_app`` but no
    routes: the benchmarks need the database and the models only."""
    from flask import Flask

    import surveyapp

    app = Flask(surveyapp.__name__, instance_relative_config=True)
    surveyapp.configure(
        app, {"DATABASE_URL": url, "SECRET_KEY": "benchmark", "LANGUAGES": ("en", "vi")}
    )
    surveyapp.register_extensions(app)
    return app


def ensure_database(url: str | None = None, scale: float = 1.0, seed: int = SEED) -> SyntheticInfo:
    """A synthetic database of ``scale`` at ``url`` (default: the cached SQLite file),
    built now unless it is already there with the same generator version, schema
    (``schema_fingerprint``), scale and seed."""
    target = url or f"sqlite:///{cache_path(scale, seed)}"
    marker = read_marker(target) if url or cache_path(scale, seed).exists() else None
    wanted = {
        "generator": GENERATOR_VERSION,
        "schema": schema_fingerprint(),
        "scale": scale,
        "seed": seed,
    }
    if marker and all(marker.get(k) == v for k, v in wanted.items()):
        return _info(target, marker, 0.0)
    started = time.perf_counter()
    if url is None:
        marker = _build_sqlite_file(scale, seed)
    else:
        _reset_postgres(url)
        marker = _build(url, scale, seed)
    return _info(target, marker, time.perf_counter() - started)


def _info(url: str, marker: dict, seconds: float) -> SyntheticInfo:
    return SyntheticInfo(
        url,
        marker["campaign_id"],
        marker["root_code"],
        marker["middle_code"],
        marker["counts"],
        seconds,
    )


def _build_sqlite_file(scale: float, seed: int) -> dict:
    final = cache_path(scale, seed)
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_suffix(".partial")
    for path in (final, partial):
        path.unlink(missing_ok=True)
    marker = _build(f"sqlite:///{partial}", scale, seed)
    os.replace(partial, final)
    return marker


def _build(url: str, scale: float, seed: int) -> dict:
    app = make_app(url)
    with app.app_context():
        db.create_all()
        marker = populate(scale, seed)
        db.session.commit()
        with db.engine.connect() as connection:
            connection.execute(sa.text("ANALYZE"))
            connection.commit()
        db.session.remove()
        db.engine.dispose()
    return marker


def _reset_postgres(url: str) -> None:
    """Empty the database for a new build; refuse when it holds campaigns of real users."""
    engine = sa.create_engine(normalise_database_url(url))
    try:
        with engine.begin() as connection:
            if sa.inspect(connection).has_table("campaign"):
                others = connection.scalar(
                    sa.select(sa.func.count())
                    .select_from(Campaign)
                    .where(Campaign.name != province.CAMPAIGN_NAME)
                )
                if others:
                    raise SystemExit(
                        f"{url} holds {others} campaign(s) that are not synthetic: "
                        "give the benchmarks a database of their own (createdb surveyapp_bench)."
                    )
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.synthetic")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--postgres", metavar="URL", help="build in this PostgreSQL database")
    args = parser.parse_args(argv)
    info = ensure_database(args.postgres, args.scale)
    print(f"{info.url}: campaign {info.campaign_id}, built in {info.seconds:.1f} s")
    for name, value in info.counts.items():
        print(f"  {name:16} {value:>10,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
