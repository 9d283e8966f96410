"""Accounts: login, passwords, users and their scope."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
