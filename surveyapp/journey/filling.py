"""Filling in an instrument page by page, without JavaScript and without server-side state.

Every post carries the whole form: the answers of the page shown, the answers of the other
pages in hidden fields, and an envelope (``submission_id``, ``started_at``, ``page``) made
when the form was first shown. Nothing is trusted: the envelope is checked on every post
and all answers are validated again by the engine before anything is stored.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from surveyapp.instruments import engine, expressions
from surveyapp.instruments.models import Item
from surveyapp.instruments.qtypes import AnswerError, get_type

MAX_AGE = timedelta(days=2)
CLOCK_SKEW = timedelta(minutes=5)
ENVELOPE_FIELDS = ("submission_id", "started_at", "page", "action", "csrf_token")

TAMPERED = _l("Part of the form was changed or damaged. Check your answers and send them again.")
TOO_OLD = _l("This form was opened more than two days ago. Check your answers and send it again.")


@dataclass
class Envelope:
    submission_id: str
    started_at: datetime
    page: int = 0


@dataclass
class PageView:
    """What the form template shows: one page, the answers typed so far, the messages."""

    index: int
    count: int
    items: list[Item]
    values: dict[str, list[str]]
    errors: dict[str, str]
    hidden: list[tuple[str, str]]
    envelope: Envelope
    is_last: bool
    is_first: bool
    problem: str | None = None


def new_envelope(now: datetime) -> Envelope:
    return Envelope(str(uuid.uuid4()), now.astimezone(UTC).replace(microsecond=0), 0)


def valid_submission_id(text: str | None) -> bool:
    """A UUID4 in its canonical text form (what the server or the device made)."""
    try:
        parsed = uuid.UUID(text or "")
    except ValueError:
        return False
    return parsed.version == 4 and str(parsed) == (text or "").lower()


def _started_at(text: str | None, now: datetime) -> tuple[datetime | None, str | None]:
    try:
        value = datetime.fromisoformat(text or "")
    except ValueError:
        return None, TAMPERED
    if value.tzinfo is None:
        return None, TAMPERED
    if value > now + CLOCK_SKEW:
        return None, TAMPERED
    if value < now - MAX_AGE:
        return None, TOO_OLD
    return value.astimezone(UTC), None


def read_envelope(form: MultiDict, now: datetime, page_count: int) -> tuple[Envelope, str | None]:
    """The envelope posted, or a fresh one (keeping what was sound) with the problem found."""
    fresh = new_envelope(now)
    problem = None
    submission_id = form.get("submission_id", "")
    if not valid_submission_id(submission_id):
        submission_id, problem = fresh.submission_id, TAMPERED
    started_at, started_problem = _started_at(form.get("started_at"), now)
    if started_at is None:
        started_at, problem = fresh.started_at, problem or started_problem
    page_text = form.get("page", "")
    page = int(page_text) - 1 if page_text.isascii() and page_text.isdigit() else -1
    if not 0 <= page < max(page_count, 1):
        page, problem = 0, problem or TAMPERED
    return Envelope(submission_id.lower(), started_at, page), problem


# ---------------------------------------------------------------- pages and visibility


def raw_values(items: list[Item], form: MultiDict) -> dict[str, list[str]]:
    """The strings posted for each answerable item (kept as typed, to show them again)."""
    values = {}
    for item in items:
        if get_type(item.qtype).has_answer:
            got = [v for v in form.getlist(item.key) if v != ""]
            if got:
                values[item.key] = got
    return values


def _lenient_answers(items: list[Item], values: dict[str, list[str]]) -> dict[str, object]:
    """Parsed answers, skipping invalid ones: enough to decide which questions show."""
    answers = {}
    for item in items:
        if item.key in values:
            try:
                answers[item.key] = get_type(item.qtype).parse(item, values[item.key])
            except AnswerError:
                continue
    return answers


def visible_keys(items: list[Item], values: dict[str, list[str]]) -> set[str]:
    return {item.key for item in engine.visible_items(items, _lenient_answers(items, values))}


def _references(item: Item) -> set[str]:
    text = (item.relevant or "").strip()
    if not text:
        return set()
    try:
        return expressions.parse(text).references()
    except expressions.ExpressionError:
        return set()


class Visibility:
    """Which questions each page shows, given the answers sent so far.

    Without JavaScript a page cannot react while it is being filled in, so a question
    whose condition depends on a question of the same page is shown with it; the engine
    drops its answer at the end if the condition turns out false.
    """

    def __init__(self, items: list[Item], pages: list[list[Item]], values: dict[str, list[str]]):
        self.pages = pages
        self.shown = visible_keys(items, values)

    def on_page(self, index: int) -> list[Item]:
        if not 0 <= index < len(self.pages):
            return []
        page = self.pages[index]
        page_keys = {item.key for item in page}
        shown: list[Item] = []
        shown_keys: set[str] = set()
        for item in page:
            local = _references(item) & page_keys
            if item.key in self.shown or (local and local <= shown_keys):
                shown.append(item)
                shown_keys.add(item.key)
        return shown

    def step(self, current: int, direction: int) -> int | None:
        """The nearest page before or after ``current`` that has a question to show."""
        index = current + direction
        while 0 <= index < len(self.pages):
            if self.on_page(index):
                return index
            index += direction
        return None

    def first(self) -> int:
        found = self.step(-1, 1)
        return found if found is not None else 0


def page_view(
    visibility: Visibility,
    envelope: Envelope,
    values: dict[str, list[str]],
    errors: dict[str, str] | None = None,
    problem: str | None = None,
) -> PageView:
    """Everything the template needs to show page ``envelope.page``."""
    index = envelope.page
    on_page = visibility.on_page(index)
    rendered = {item.key for item in on_page}
    hidden = [(key, value) for key, got in values.items() if key not in rendered for value in got]
    return PageView(
        index=index,
        count=len(visibility.pages),
        items=on_page,
        values={key: values.get(key, []) for key in rendered},
        errors={k: v for k, v in (errors or {}).items() if k in rendered},
        hidden=hidden,
        envelope=envelope,
        is_last=visibility.step(index, 1) is None,
        is_first=visibility.step(index, -1) is None,
        problem=problem,
    )


# ---------------------------------------------------------------- checking what was sent


def check_through(
    pages: list[list[Item]], index: int, items: list[Item], form: MultiDict
) -> tuple[dict[str, str], engine.SubmissionResult | None]:
    """Messages for the questions of page ``index`` (earlier pages decide what shows).

    Second, the engine's verdict on the whole form when the pages up to ``index`` hold all
    of ``items`` in their order (the last page): the form then needs no second check.
    """
    if not 0 <= index < len(pages):
        return {}, None
    through = [item for page in pages[: index + 1] for item in page]
    keys = {item.key for item in pages[index]}
    result = engine.validate_submission(through, form)
    errors = {key: str(msg) for key, msg in result.errors.items() if key in keys}
    whole = len(through) == len(items) and all(a is b for a, b in zip(through, items, strict=True))
    return errors, result if whole else None


def check_all(items: list[Item], form: MultiDict):
    """The engine's verdict on the whole form: ``.answers`` and ``.errors``."""
    return engine.validate_submission(items, form)


def page_of_first_error(pages: list[list[Item]], errors: dict[str, str]) -> int:
    for index, page in enumerate(pages):
        if any(item.key in errors for item in page):
            return index
    return 0
