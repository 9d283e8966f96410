"""Forms opened in classes, submitted responses and their answers; the trainer's page of a
class's forms (open/close, live counts, who has answered)."""

from flask import Blueprint

bp = Blueprint("responses", __name__)
