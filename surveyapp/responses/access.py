"""Which staff may work with a class's forms: trainers of the class, coordinators whose
scope holds it, and admins. Anyone else gets 404, so class ids are not revealed."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from surveyapp.classes.models import TrainingClass
from surveyapp.classes.services import visible_classes
from surveyapp.extensions import db
from surveyapp.responses.class_forms import FORM_MANAGERS
from surveyapp.security import scope_for

__all__ = ["FORM_MANAGERS", "managed_class_or_404"]


def managed_class_or_404(class_id: int) -> TrainingClass:
    """The class if the current user may manage its forms; 404 otherwise."""
    if current_user.role not in FORM_MANAGERS:
        abort(404)
    query = visible_classes(current_user, scope_for()).where(TrainingClass.id == class_id)
    cls = db.session.scalar(query)
    if cls is None:
        abort(404)
    return cls
