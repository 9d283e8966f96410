"""The trainee journey: a class's public page at /c/<code>, identification with consent,
the forms, receipts and results, the follow-up link /f/<token>, and the trainer's
assisted mode for learners without a smartphone."""

from flask import Blueprint

bp = Blueprint("journey", __name__)
