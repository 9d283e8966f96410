"""Indicators computed from survey and test data, starting with "applies AI effectively".

``rule`` holds the versioned rule as plain data and its pure evaluation for one person;
``wording`` turns a rule into the plain-language text footnoted in every report.
"""

from flask import Blueprint

bp = Blueprint("indicators", __name__)
