"""Export services shared by the web pages and ``flask export``: what may be exported, and
the tables (header + streamed rows) for responses (long or wide) and codebooks.

Columns (English snake_case, stable for scripts):

- ``response_id``, ``receipt``: the response (pseudonymous); ``participant``: the person's
  public id (``Participant.public_id``), never their name; ``full_name`` and ``phone``
  follow only when an administrator asks for identities (the request is audited).
- ``class_id``, ``locality_code``, ``locality_name``: the class and where it was held;
  ``segment``: the person's segment; ``instrument_key``, ``version_number``, ``moment``;
  ``submitted_at``: ISO 8601 in UTC.
- long only: ``item_key``, ``value`` (the raw answer; a multiple choice list is joined
  with ";", e.g. ``chatbot;images``), ``number`` (its numeric reading), ``points``.
- wide only: one column per item key of the version (in item order), holding ``value``.
- ``score``, ``max_score``; ``excluded``: 1 when the response was excluded from every
  figure, else 0; ``flags``: quality flags joined with ";".

Rows come from two server-side cursors (``yield_per``) merged in order: the responses and
their answers (see ``queries``); nothing is collected in memory. The long CSV is written
as text lines directly (``_long_lines``; a test proves them equal to ``csv.writer``'s),
which keeps a million-row export as fast as a plain ``csv.writer`` loop over a cursor.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from surveyapp.accounts.models import Role
from surveyapp.audit.services import record
from surveyapp.campaigns.models import Campaign
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.exports import queries
from surveyapp.exports.writers import Table, csv_field, safe_text
from surveyapp.extensions import db
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.localities.models import Locality

SHAPES = ("long", "wide")
FORMATS = ("csv", "xlsx")
YIELD_PER = 2000
DECODED_CACHE = 4096

PREFIX = [
    "response_id",
    "receipt",
    "participant",
    "class_id",
    "locality_code",
    "locality_name",
    "segment",
    "instrument_key",
    "version_number",
    "moment",
    "submitted_at",
]
IDENTITY = ["full_name", "phone"]
ANSWER = ["item_key", "value", "number", "points"]
SUFFIX = ["score", "max_score", "excluded", "flags"]
CODEBOOK = [
    "item_key",
    "position",
    "type",
    "label_vi",
    "label_en",
    "choices_vi",
    "choices_en",
    "competency",
    "points",
    "reverse",
    "answer_key",
]


@dataclass(frozen=True)
class ResponseExport:
    """A checked request for a response export."""

    campaign: Campaign
    head: Locality
    shape: str = "long"
    fmt: str = "csv"
    version: InstrumentVersion | None = None
    identities: bool = False


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise DomainError(_l("Choose CSV or XLSX as the file format."), field="format")
    return fmt


def response_export(
    actor,
    campaign: Campaign,
    head: Locality,
    *,
    shape: str = "long",
    fmt: str = "csv",
    version: InstrumentVersion | None = None,
    identities: bool = False,
) -> ResponseExport:
    """Check an export request; ``actor`` None is the trusted command line.

    Names and phones go only to administrators (and the command line), and every such
    export is written to the audit log.
    """
    root = campaign.root_locality
    if head.scheme_id != root.scheme_id or not head.path.startswith(root.path):
        raise DomainError(_l("This locality is not part of the campaign."), field="locality")
    if shape not in SHAPES:
        raise DomainError(_l("Choose the long or the wide layout."), field="shape")
    check_format(fmt)
    if shape == "wide" and version is None:
        raise DomainError(_l("Choose the instrument version for a wide export."), field="version")
    if version is not None and queries.version_in_campaign(campaign, version.id) is None:
        raise DomainError(_l("This version was not used in the campaign."), field="version")
    if identities and actor is not None and actor.role != Role.ADMIN:
        raise NotAllowed(_l("Only administrators may export names and phone numbers."))
    if identities:
        record(
            actor,
            "export_identities",
            campaign,
            locality_id=head.id,
            shape=shape,
            format=fmt,
            version_id=version.id if version else None,
            source="web" if actor is not None else "command line",
        )
        db.session.flush()
    return ResponseExport(campaign, head, shape, fmt, version, identities)


# ---------------------------------------------------------------- cell values


def number(value: Decimal | None):
    """A Decimal as an int when whole, else without trailing zeros (2.5000 -> 2.5)."""
    if not isinstance(value, Decimal):
        return value
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


def answer_value(value):
    """The raw answer: text as it is, a list joined with ";", a number as a number."""
    if value is None or isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, list):
        return safe_text(";".join(str(part) for part in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return safe_text(json.dumps(value, ensure_ascii=False))


def raw_number(value):
    """A number as the driver gives it (int or float on SQLite, Decimal on PostgreSQL)."""
    if value is None or type(value) is int:
        return value
    if type(value) is float:
        return int(value) if value.is_integer() else value
    return number(value)


def json_value(text: str | None):
    """``answer_value`` of a JSON text, decoding only what needs it (most answers are a
    short code, a number or a list of codes)."""
    if text is None:
        return None
    if "\\" not in text:
        first = text[0]
        if first == '"':
            return safe_text(text[1:-1])
        if first in "-0123456789":
            try:
                return int(text)
            except ValueError:
                return float(text)
        if text.startswith('["') and '", "' in text and '","' not in text:
            return safe_text(";".join(text[2:-2].split('", "')))
    return answer_value(json.loads(text))


def iso_utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="seconds") + "Z"


# ---------------------------------------------------------------- response tables


def response_header(spec: ResponseExport) -> list[str]:
    prefix = PREFIX[:3] + IDENTITY + PREFIX[3:] if spec.identities else PREFIX
    if spec.shape == "long":
        return prefix + ANSWER + SUFFIX
    return prefix + SUFFIX + [item.key for item in spec.version.items]


def _response_cells(row, lk: queries.Lookups, identities: bool) -> tuple[list, list]:
    """The cells before and after the answer columns, from one row of the query."""
    place = lk.place(row[4])
    version = lk.version(row[5])
    prefix = [row[0], row[1], row[2]]
    if identities:
        prefix += [safe_text(row[12] or ""), row[13]]
    prefix += [row[4], place[0], place[1], row[3], version[0], version[1], row[6]]
    prefix.append(iso_utc(row[7]))
    flags = ";".join(str(flag) for flag in row[11] or [])
    return prefix, [number(row[8]), number(row[9]), int(bool(row[10])), flags]


def _batches(query) -> Iterator[list]:
    """Rows of ``query`` off a server-side cursor, in lists of ``YIELD_PER``."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        # A million-row plan is costly enough to trigger JIT compilation, which takes
        # longer than sending the first rows; streaming gains nothing from it.
        connection.exec_driver_sql("SET LOCAL jit = off")
    with connection.execute(query.execution_options(yield_per=YIELD_PER)) as result:
        yield from result.partitions()


def _streams(spec: ResponseExport):
    version_id = spec.version.id if spec.version else None
    responses = queries.area_responses(
        spec.campaign, spec.head, version_id=version_id, identities=spec.identities
    )
    answers = queries.area_answers(spec.campaign, spec.head, version_id=version_id)
    return _batches(responses), _batches(answers)


def _long_rows(spec: ResponseExport, lk: queries.Lookups) -> Iterator[list]:
    response_batches, answer_batches = _streams(spec)
    responses = itertools.chain.from_iterable(response_batches)
    items, current, prefix, suffix = lk.items, None, [], []
    decoded: dict = {}  # most answers are one of a few short codes: decode each once
    try:
        for batch in answer_batches:
            for response_id, item_id, value, numeric, points in batch:
                if response_id != current:
                    current = response_id
                    # Both streams share one order: skip the responses without answers.
                    response = next(r for r in responses if r[0] == response_id)
                    prefix, suffix = _response_cells(response, lk, spec.identities)
                cell = decoded.get(value, decoded)
                if cell is decoded:
                    cell = json_value(value)
                    if len(decoded) < DECODED_CACHE and len(value or "") <= 80:
                        decoded[value] = cell
                # raw_number inlined for the usual None and int: a million calls add up.
                yield [
                    *prefix,
                    items.get(item_id),
                    cell,
                    numeric if numeric is None or type(numeric) is int else raw_number(numeric),
                    points if points is None or type(points) is int else raw_number(points),
                    *suffix,
                ]
    finally:
        response_batches.close()


def _number_text(value) -> str:
    if value is None:
        return ""
    return str(value) if type(value) is int else str(raw_number(value))


def _long_lines(spec: ResponseExport, lk: queries.Lookups) -> Iterator[str]:
    """The rows of ``_long_rows`` as CSV lines: the response's cells are written once per
    response, and each distinct short answer once, so a row costs a few concatenations."""
    response_batches, answer_batches = _streams(spec)
    responses = itertools.chain.from_iterable(response_batches)
    current, head, tail = None, "", ""
    keys: dict[int, str] = {}
    texts: dict = {}
    try:
        for batch in answer_batches:
            for response_id, item_id, value, numeric, points in batch:
                if response_id != current:
                    current = response_id
                    response = next(r for r in responses if r[0] == response_id)
                    prefix, suffix = _response_cells(response, lk, spec.identities)
                    head = ",".join(map(csv_field, prefix))
                    tail = ",".join(map(csv_field, suffix))
                key = keys.get(item_id)
                if key is None:
                    key = keys[item_id] = csv_field(lk.items.get(item_id))
                text = texts.get(value)
                if text is None:
                    text = csv_field(json_value(value))
                    if len(texts) < DECODED_CACHE and len(value or "") <= 80:
                        texts[value] = text
                number_text = "" if numeric is None else _number_text(numeric)
                points_text = "" if points is None else _number_text(points)
                yield f"{head},{key},{text},{number_text},{points_text},{tail}\r\n"
    finally:
        response_batches.close()


def _wide_rows(spec: ResponseExport, lk: queries.Lookups) -> Iterator[list]:
    response_batches, answer_batches = _streams(spec)
    answers = itertools.chain.from_iterable(answer_batches)
    position = {item.id: index for index, item in enumerate(spec.version.items)}
    pending = next(answers, None)
    try:
        for response in itertools.chain.from_iterable(response_batches):
            prefix, suffix = _response_cells(response, lk, spec.identities)
            cells = [None] * len(position)
            while pending is not None and pending[0] == response[0]:
                if pending[1] in position:
                    cells[position[pending[1]]] = json_value(pending[2])
                pending = next(answers, None)
            yield prefix + suffix + cells
    finally:
        answer_batches.close()


def response_table(spec: ResponseExport) -> Table:
    """The export as a table whose rows are read from the database as they are written."""
    lk = queries.Lookups(spec.campaign, spec.head)
    rows = _long_rows(spec, lk) if spec.shape == "long" else _wide_rows(spec, lk)
    name = f"responses-{spec.campaign.id}-{spec.head.name}-{spec.shape}"
    if spec.version is not None:
        name += f"-{spec.version.instrument.key}-v{spec.version.number}"
    table = Table(response_header(spec), rows, f"{name}.{spec.fmt}", sheet="responses")
    if spec.shape == "long":
        table.csv_lines = _long_lines(spec, queries.Lookups(spec.campaign, spec.head))
    return table


# ---------------------------------------------------------------- codebook


def _choices(choices: list, lang: str) -> str:
    labels = []
    for choice in choices or []:
        label = choice.get("label") or {}
        text = label.get(lang, "") if isinstance(label, dict) else str(label)
        labels.append(f"{choice.get('value')}={text}")
    return "; ".join(labels)


def codebook_table(version: InstrumentVersion, fmt: str = "csv") -> Table:
    """One row per item of ``version``: what each column of the wide export means."""
    check_format(fmt)
    items = list(version.items)  # now: a CSV download streams after the view's session ends

    def rows():
        for item in items:
            label = item.label or {}
            yield [
                item.key,
                item.position,
                item.qtype,
                safe_text(label.get("vi", "")),
                safe_text(label.get("en", "")),
                safe_text(_choices(item.choices, "vi")),
                safe_text(_choices(item.choices, "en")),
                item.competency,
                number(item.points),
                int(item.reverse),
                answer_value(item.answer_key),
            ]

    name = f"codebook-{version.instrument.key}-v{version.number}.{fmt}"
    return Table(list(CODEBOOK), rows(), name, sheet="codebook")
