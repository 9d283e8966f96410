"""Importing plan targets and populations of a campaign from CSV or XLSX: all rows or none.

Columns: targets ``locality_code, metric, value``; populations ``locality_code, segment,
population, target_rate`` (percent, 0-100). Metrics and segments may be given by key
(``core_members``), by English or Vietnamese label, or by a common Vietnamese wording.
Locality codes are looked up in the scheme of the campaign's root; each must lie in the
campaign's tree and in the actor's scope. Every row is checked before anything is written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from surveyapp.campaigns import services
from surveyapp.campaigns.models import Campaign, Population, Target
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.labels import METRIC_LABELS, SEGMENT_LABELS
from surveyapp.localities.models import Locality, subtree_filter
from surveyapp.tabular import ImportReport, TableError, read_rows

TARGET_COLUMNS = ("locality_code", "metric", "value")
POPULATION_COLUMNS = ("locality_code", "segment", "population", "target_rate")
CHUNK = 500

METRIC_ALIASES = {
    "nòng cốt": "core_members",
    "nhóm nòng cốt": "core_members",
    "thành viên nòng cốt": "core_members",
    "thành viên nhóm nòng cốt": "core_members",
    "lớp": "classes",
    "lớp học": "classes",
    "số lớp": "classes",
    "học viên": "learners",
    "người học": "learners",
    "học liệu": "materials",
    "tài liệu": "materials",
    "video, tài liệu": "materials",
    "video và tài liệu": "materials",
    "người ứng dụng ai hiệu quả": "effective_appliers",
    "người biết ứng dụng ai hiệu quả": "effective_appliers",
    "ứng dụng ai hiệu quả": "effective_appliers",
}
SEGMENT_ALIASES = {
    "cán bộ": "official",
    "công chức": "official",
    "cán bộ, công chức": "official",
    "cán bộ công chức": "official",
    "doanh nghiệp": "business",
    "hộ kinh doanh": "business",
    "người dân": "resident",
    "dân cư": "resident",
    "người dân có điện thoại thông minh": "resident",
    "học sinh": "student",
    "sinh viên": "student",
    "học sinh, sinh viên": "student",
    "giáo viên": "teacher",
    "khác": "other",
}

_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_GROUPED = re.compile(r"[0-9]{1,3}([., ][0-9]{3})+", re.ASCII)


@dataclass
class CampaignImportReport(ImportReport):
    unchanged: int = 0


class RowProblem(ValueError):
    """One cell of a row is wrong; the message is shown against the row's line."""


def normal_word(text: str) -> str:
    """NFC, case-folded, single-spaced: 'Cán  Bộ' and a decomposed 'cán bộ' are equal."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def vocabulary(labels: dict, aliases: dict) -> dict[str, str]:
    """Every accepted spelling of the keys of ``labels`` mapped to its key."""
    words = {normal_word(alias): key for alias, key in aliases.items()}
    for key, label in labels.items():
        words[normal_word(key)] = key
        for locale in ("en", "vi"):
            with force_locale(locale):
                words[normal_word(str(label))] = key
    return words


def parse_count(text: str) -> int:
    """A whole number; '12500', '12.500', '12,500' and '12 500' all give 12500."""
    cleaned = text.replace("\u00a0", " ").strip()
    if _GROUPED.fullmatch(cleaned):
        cleaned = re.sub(r"[., ]", "", cleaned)
    if not _DIGITS.fullmatch(cleaned):
        raise RowProblem(_l("'%(value)s' is not a whole number of at least 0.", value=text))
    value = int(cleaned)
    if value > services.MAX_FIGURE:
        raise RowProblem(_l("'%(value)s' is too large.", value=text))
    return value


def parse_rate(text: str) -> Decimal:
    """A percentage 0-100; '85', '85%', '85,5' and '85.5' are accepted."""
    cleaned = text.strip().removesuffix("%").strip().replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not 0 <= value <= 100:
        raise RowProblem(_l("'%(value)s' is not a percentage from 0 to 100.", value=text))
    return value.quantize(Decimal("0.01"))


def _attempt(problems: list, parse: Callable, *args):
    """Run one cell parser; note its problem and return None when the cell is wrong."""
    try:
        return parse(*args)
    except RowProblem as problem:
        problems.append(problem.args[0])
        return None


def _word(text: str, words: dict[str, str], message) -> str:
    key = words.get(normal_word(text))
    if key is None:
        raise RowProblem(message)
    return key


def _required(text: str, parse: Callable, missing):
    if not text:
        raise RowProblem(missing)
    return parse(text)


@dataclass
class _Kind:
    """What differs between the target and the population import."""

    columns: tuple[str, ...]
    model: type
    key_attr: str
    parse: Callable[[dict, dict, list], tuple[str | None, object]]
    apply: Callable


def _parse_target(row: dict, words: dict, problems: list) -> tuple[str | None, object]:
    unknown = _l("Unknown metric '%(value)s'.", value=row["metric"])
    metric = _attempt(problems, _word, row["metric"], words, unknown)
    value = _attempt(problems, _required, row["value"], parse_count, _l("The value is missing."))
    return metric, value


def _parse_population(row: dict, words: dict, problems: list) -> tuple[str | None, object]:
    unknown = _l("Unknown segment '%(value)s'.", value=row["segment"])
    segment = _attempt(problems, _word, row["segment"], words, unknown)
    population = _attempt(
        problems, _required, row["population"], parse_count, _l("The population is missing.")
    )
    rate = _attempt(
        problems, _required, row["target_rate"], parse_rate, _l("The target rate is missing.")
    )
    return segment, (population, rate)


TARGETS = _Kind(TARGET_COLUMNS, Target, "metric", _parse_target, services.apply_target)
POPULATIONS = _Kind(
    POPULATION_COLUMNS, Population, "segment", _parse_population, services.apply_population
)


def import_targets(actor, scope, campaign: Campaign, stream: IO[bytes], filename: str):
    """Import plan targets; returns a ``CampaignImportReport`` (nothing written on error)."""
    words = vocabulary(METRIC_LABELS, METRIC_ALIASES)
    return _import(TARGETS, words, actor, scope, campaign, stream, filename)


def import_populations(actor, scope, campaign: Campaign, stream: IO[bytes], filename: str):
    """Import population figures and target rates; same contract as ``import_targets``."""
    words = vocabulary(SEGMENT_LABELS, SEGMENT_ALIASES)
    return _import(POPULATIONS, words, actor, scope, campaign, stream, filename)


def _import(kind: _Kind, words, actor, scope, campaign, stream, filename):
    services.check_may_write(actor)
    report = CampaignImportReport()
    try:
        rows = _parse_rows(kind, words, stream, filename)
    except TableError as error:
        report.error(1, error.args[0] if error.args else error)
        return report
    if not rows:
        report.error(1, _l("The file has no data rows."))
        return report
    localities = resolve_codes(campaign, {row.code for row in rows if row.code})
    _check_rows(rows, localities, actor, scope, campaign)
    for row in rows:
        if row.problems:
            report.error(row.line, " ".join(str(p) for p in row.problems))
    if report.ok:
        _write(kind, rows, actor, campaign, report)
    return report


@dataclass
class _Row:
    line: int
    code: str
    key: str | None
    figure: object
    problems: list
    locality: Locality | None = None


def _parse_rows(kind: _Kind, words, stream, filename) -> list[_Row]:
    rows = []
    for line, cells in read_rows(stream, filename, kind.columns):
        problems: list = []
        if not cells["locality_code"]:
            problems.append(_l("The locality code is missing."))
        key, figure = kind.parse(cells, words, problems)
        rows.append(_Row(line, cells["locality_code"], key, figure, problems))
    return rows


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def resolve_codes(campaign: Campaign, codes: set[str]) -> dict[str, Locality]:
    """Localities of the campaign's scheme by code. A number that lost its leading zeros in
    a spreadsheet ('8' for '00008') is matched when exactly one locality of the campaign's
    tree fits."""
    root = campaign.root_locality
    found: dict[str, Locality] = {}
    for chunk in _chunks(sorted(codes)):
        for loc in db.session.scalars(
            sa.select(Locality).where(
                Locality.scheme_id == root.scheme_id, Locality.code.in_(chunk)
            )
        ):
            found[loc.code] = loc
    unpadded = sorted(c for c in codes - found.keys() if _DIGITS.fullmatch(c))
    stripped = sa.func.ltrim(Locality.code, "0")
    for chunk in _chunks(unpadded):
        candidates: dict[str, list[Locality]] = {}
        for loc in db.session.scalars(
            sa.select(Locality).where(
                Locality.scheme_id == root.scheme_id,
                subtree_filter(Locality.path, root.path),
                stripped.in_([c.lstrip("0") for c in chunk]),
            )
        ):
            candidates.setdefault(loc.code.lstrip("0"), []).append(loc)
        for code in chunk:
            matches = candidates.get(code.lstrip("0"), [])
            if len(matches) == 1:
                found[code] = matches[0]
    return found


def _check_rows(rows: list[_Row], localities, actor, scope, campaign) -> None:
    """Add locality and duplicate problems to the rows."""
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        if not row.code:
            continue
        row.locality = localities.get(row.code)
        try:
            services.check_campaign_locality(actor, scope, campaign, row.locality)
        except NotAllowed:
            row.problems.append(_l("%(name)s is outside your scope.", name=row.locality.name))
            continue
        except DomainError as error:
            message = error.message
            if row.locality is None:
                message = _l(
                    "Unknown locality code '%(code)s' in this campaign's scheme.", code=row.code
                )
            row.problems.append(message)
            continue
        if row.key is None:
            continue
        first = seen.setdefault((row.locality.id, row.key), row.line)
        if first != row.line:
            row.problems.append(_l("Same locality and key as line %(line)s.", line=first))


def _write(kind: _Kind, rows: list[_Row], actor, campaign: Campaign, report) -> None:
    ids = sorted({row.locality.id for row in rows})
    existing = {}
    for chunk in _chunks(ids):
        for obj in db.session.scalars(
            sa.select(kind.model).where(
                kind.model.campaign_id == campaign.id, kind.model.locality_id.in_(chunk)
            )
        ):
            existing[(obj.locality_id, getattr(obj, kind.key_attr))] = obj
    for row in rows:
        current = existing.get((row.locality.id, row.key))
        outcome = kind.apply(actor, campaign, row.locality.id, row.key, row.figure, current)
        if outcome == "created":
            report.created += 1
        elif outcome == "updated":
            report.updated += 1
        else:
            report.unchanged += 1
    db.session.flush()
