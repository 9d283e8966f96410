"""Translated names of the enumerations shown in pages, forms, exports and reports."""

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "coordinator": _l("Coordinator"),
    "trainer": _l("Trainer"),
    "judge": _l("Judge"),
    "evaluator": _l("Evaluator"),
}

SEGMENT_LABELS = {
    "official": _l("Officials"),
    "business": _l("Businesses"),
    "resident": _l("Residents"),
    "student": _l("Students"),
    "teacher": _l("Teachers"),
    "other": _l("Other"),
}

METRIC_LABELS = {
    "core_members": _l("Core members"),
    "classes": _l("Classes"),
    "learners": _l("Learners"),
    "materials": _l("Videos and documents"),
    "effective_appliers": _l("People applying AI effectively"),
}

CAMPAIGN_STATUS_LABELS = {
    "draft": _l("Draft"),
    "active": _l("Active"),
    "closed": _l("Closed"),
}

CLASS_STATUS_LABELS = {
    "planned": _l("Planned"),
    "ongoing": _l("Ongoing"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
}

MATERIAL_KIND_LABELS = {
    "video": _l("Video"),
    "document": _l("Document"),
    "link": _l("Link"),
}


def choices(labels: dict) -> list[SelectChoice]:
    """WTForms choices from a label mapping, in its declared order."""
    return [SelectChoice(key, label) for key, label in labels.items()]
