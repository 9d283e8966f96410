"""Log-in, log-out, own password, and the user administration pages."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from surveyapp.accounts import bp, services
from surveyapp.accounts.forms import ChangePasswordForm, LoginForm, UserForm
from surveyapp.accounts.models import Role, User
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.localities.lookup import find_locality, scheme_choices
from surveyapp.localities.models import Locality
from surveyapp.security import (
    ALL_ROLES,
    MANAGERS,
    is_safe_redirect,
    public,
    roles_required,
    scope_for,
)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                form.email.data,
                form.password.data,
                now=datetime.now(UTC),
                max_failures=current_app.config["LOGIN_MAX_FAILURES"],
                lock_minutes=current_app.config["LOGIN_LOCK_MINUTES"],
            )
        except DomainError as error:
            db.session.commit()  # keep the failure count
            form.password.errors.append(str(error.message))
            return render_template("accounts/login.html", form=form), 401
        db.session.commit()
        login_user(user, remember=form.remember.data)
        target = request.args.get("next")
        return redirect(target if is_safe_redirect(target) else url_for("main.home"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@roles_required(*ALL_ROLES)
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@roles_required(*ALL_ROLES)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user._get_current_object(), form.current_password.data, form.password.data
            )
        except DomainError as error:
            getattr(form, error.field or "current_password").errors.append(str(error.message))
        else:
            db.session.commit()
            login_user(current_user)  # the session token changed with the password
            flash(_("Your password was changed."), "success")
            return redirect(url_for("main.home"))
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template("accounts/password.html", form=form), status


@bp.route("/users")
@roles_required(*MANAGERS)
def users():
    scope = scope_for()
    query = (
        sa.select(User)
        .outerjoin(Locality, User.locality_id == Locality.id)
        .order_by(User.role, User.email)
    )
    if not scope.unrestricted:
        query = query.where(scope.condition(Locality.path))
    return render_template("accounts/users.html", users=db.session.scalars(query).all())


def _user_form(user: User | None) -> tuple[UserForm, list]:
    form = UserForm(obj=user)
    schemes = scheme_choices()
    if not request.form and user is not None and user.locality is not None:
        form.scheme.data = user.locality.scheme.code
        form.locality_code.data = user.locality.code
    form.scheme.choices = schemes
    if current_user.role != Role.ADMIN:
        form.role.choices = [c for c in form.role.choices if c.value != Role.ADMIN]
    return form, schemes


def _save_user(form: UserForm, user: User | None):
    locality = find_locality(form.scheme.data, form.locality_code.data)
    if form.locality_code.data and locality is None:
        form.locality_code.errors.append(_("No locality with this code in the chosen scheme."))
        return None
    scope = scope_for()
    try:
        if user is None:
            if not form.password.data:
                form.password.errors.append(_("A new user needs a password."))
                return None
            user = services.create_user(
                current_user._get_current_object(),
                email=form.email.data,
                password=form.password.data,
                role=form.role.data,
                locality=locality,
                name=form.name.data,
                scope=scope,
            )
        else:
            services.update_user(
                current_user._get_current_object(),
                user,
                name=form.name.data,
                role=form.role.data,
                locality=locality,
                active=form.active.data,
                scope=scope,
            )
            if form.password.data:
                services.reset_password(
                    current_user._get_current_object(), user, form.password.data
                )
    except DomainError as error:
        field = getattr(form, error.field, None) if error.field else None
        if error.field == "locality":
            field = form.locality_code
        (field.errors if field is not None else form.form_errors).append(str(error.message))
        return None
    return user


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new_user():
    form, _schemes = _user_form(None)
    if form.validate_on_submit() and _save_user(form, None) is not None:
        db.session.commit()
        flash(_("The user was created."), "success")
        return redirect(url_for("accounts.users"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_user(user_id: int):
    user = db.session.get(User, user_id)
    scope = scope_for()
    if user is None or not (scope.unrestricted or scope.contains(user.locality)):
        from flask import abort

        abort(404)
    if user.role == Role.ADMIN and current_user.role != Role.ADMIN:
        from flask import abort

        abort(404)
    form, _schemes = _user_form(user)
    if form.validate_on_submit() and _save_user(form, user) is not None:
        db.session.commit()
        flash(_("The user was saved."), "success")
        return redirect(url_for("accounts.users"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/user_form.html", form=form, user=user), status
