"""Showing and receiving one form for one person.

Shared by the class page (``/c/<code>``), the follow-up link (``/f/<token>``) and the
trainer's assisted mode: each builds a ``Target`` (which form, whose answers, where to
post, where the receipt is) and hands the request to ``serve``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import redirect, render_template, request

from surveyapp import transactions
from surveyapp.accounts.models import User
from surveyapp.extensions import db
from surveyapp.instruments import engine, snapshots
from surveyapp.instruments.i18n import current_language, tr
from surveyapp.journey import api, filling
from surveyapp.models_base import utcnow
from surveyapp.participants.models import Participant
from surveyapp.responses import moments, services
from surveyapp.responses.models import ClassForm, Response


@dataclass
class Target:
    form: ClassForm
    participant: Participant
    action_url: str
    receipt_url: Callable[[Response], str]
    back_url: str
    assisted_by: User | None = None
    heading: str = ""
    place: services.Place | None = None  # read with the class, if the caller did


def serve(target: Target):
    """GET shows the first page; POST moves between pages or stores the answers."""
    if request.method == "POST":
        if api.wants_json():  # the page script's background post (static/journey.js)
            return api.respond(target, _receive)
        return _receive(target)
    return _show(target)


def _show(target: Target):
    earlier = services.previous_response(target.participant.id, target.form)
    if earlier is not None:
        return render_template(
            "journey/already_sent.html",
            target=target,
            response=earlier,
            receipt_url=target.receipt_url(earlier),
        )
    if not target.form.is_open:
        return _closed(target)
    items = snapshots.items_of(target.form.version)
    pages = engine.pages(items)
    envelope = filling.new_envelope(utcnow())
    visibility = filling.Visibility(items, pages, {})
    envelope.page = visibility.first()
    return _render(target, filling.page_view(visibility, envelope, {}), 200)


def _receive(target: Target):
    now = utcnow()
    if not target.form.is_open:
        return _retried(target) or _closed(target)
    items = snapshots.items_of(target.form.version)
    pages = engine.pages(items)
    envelope, problem = filling.read_envelope(request.form, now, len(pages))
    values = filling.raw_values(items, request.form)
    visibility = filling.Visibility(items, pages, values)

    def again(errors=None, message=None, status=400):
        view = filling.page_view(visibility, envelope, values, errors, message)
        return _render(target, view, status)

    if problem:
        return again(message=problem)
    if request.form.get("action") == "back":
        previous = visibility.step(envelope.page, -1)
        envelope.page = envelope.page if previous is None else previous
        return again(status=200)
    errors, whole = filling.check_through(pages, envelope.page, items, request.form)
    if errors:
        return again(errors)
    following = visibility.step(envelope.page, 1)
    if following is not None:
        envelope.page = following
        return again(status=200)
    result = whole if whole is not None else filling.check_all(items, request.form)
    if result.errors:
        envelope.page = filling.page_of_first_error(pages, result.errors)
        return again({k: str(v) for k, v in result.errors.items()})
    return _store(target, result.answers, envelope, now)


def _store(target: Target, answers: dict, envelope: filling.Envelope, now):
    """Store the checked answers (one transaction) and show the receipt.

    The score and the data-quality checks are made first (reads only); then, on SQLite,
    ``start_writing`` takes the write lock, so that concurrent trainees queue for the few
    statements of ``services.store`` instead of failing.
    """
    prepared = services.prepare(
        target.form,
        target.participant,
        answers,
        submission_id=envelope.submission_id,
        started_at=envelope.started_at,
        now=now,
        assisted_by=target.assisted_by,
        place=target.place,
    )
    transactions.start_writing()
    stored = services.store(prepared)
    receipt_url = target.receipt_url(stored)  # before the commit expires the class it names
    db.session.commit()  # ends the write lock's hold
    return redirect(receipt_url, 303)


def _retried(target: Target):
    """The receipt of a submission already stored, when this request repeats it.

    Only asked of a closed form: on an open one a retry goes the usual way and
    ``services.store`` finds the stored response instead of inserting a second one.
    """
    sent = request.form.get("submission_id", "")
    if not filling.valid_submission_id(sent):
        return None
    existing = services.by_submission_id(sent.lower())
    if existing is None:
        return None
    services.check_same_sender(existing, target.participant, target.form)
    return redirect(target.receipt_url(existing), 303)


def _closed(target: Target):
    return render_template("journey/closed.html", target=target), 409


def _render(target: Target, view: filling.PageView, status: int):
    version = target.form.version
    locale = current_language()
    return render_template(
        "journey/form.html",
        target=target,
        view=view,
        title=moments.form_title(target.form, locale),
        description=tr(version.description, locale),
        locale=locale,
    ), status
