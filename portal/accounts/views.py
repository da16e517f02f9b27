"""Sign in, register, sign out and the account page."""

import json

from flask import Response, current_app, flash, redirect, request, session
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from portal.accounts import bp, privacy
from portal.accounts.forms import EMAIL_TAKEN, DeleteAccountForm, LoginForm, RegisterForm
from portal.board import service as board_service
from portal.extensions import db, limiter
from portal.models import User
from portal.models.accounts import normalise_email
from portal.moderation import queue as moderation_queue
from portal.moderation.policy import blocked_message
from portal.notifications.service import preferences_for
from portal.web import form_invalid, render, safe_next, see_other

# Compared against when no account has the address, so a wrong address costs as long as a
# wrong password and the answer does not reveal who has an account.
_UNKNOWN_USER_HASH = generate_password_hash("no-such-account")
LOGIN_FAILED = "Het e-mailadres of het wachtwoord klopt niet. Probeer het opnieuw."


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit("10 per minute;30 per hour", methods=["POST"])
def login():
    form = LoginForm()
    next_url = safe_next(request.args.get("next"))
    if form.validate_on_submit():
        user = _authenticate(form.email.data, form.password.data)
        if user and user.blocked:
            form.email.errors.append(blocked_message(current_app.config["WIJKINFORMATIEPUNT"]))
        elif user:
            session.clear()  # a fresh session at sign-in: no fixation
            login_user(user)
            flash(f"Welkom, {user.first_name}. U bent ingelogd.", "success")
            return redirect(next_url, code=303)
        else:
            form.password.errors.append(LOGIN_FAILED)
    if form.errors:
        return form_invalid("accounts/login.html", form=form, next_url=next_url)
    return render("accounts/login.html", form=form, next_url=next_url)


def _authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(db.select(User).where(User.email == normalise_email(email)))
    if user is None:
        check_password_hash(_UNKNOWN_USER_HASH, password)
        return None
    return user if user.check_password(password) else None


@bp.route("/registreren", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        # End the form's read before the deliberately slow password hash: on SQLite a POST's
        # transaction holds the write lock (portal/database.py), and other writers would wait.
        db.session.rollback()
        user = User(name=form.name.data.strip(), email=normalise_email(form.email.data))
        user.set_password(form.password.data)
        if _saved(user):
            session.clear()
            login_user(user)
            flash(f"Welkom, {user.first_name}! Uw account is klaar.", "success")
            return see_other("accounts.account")
        form.email.errors.append(EMAIL_TAKEN)
    if form.errors:
        return form_invalid("accounts/register.html", form=form)
    return render("accounts/register.html", form=form)


def _saved(user: User) -> bool:
    """Store a new account; False when the same address was registered at the same moment
    (a double click, two tabs). On PostgreSQL both requests can pass the form's check before
    either commits; the unique email then refuses the second (in a savepoint, so the request
    goes on and answers with the form)."""
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        return False
    return True


@bp.post("/uitloggen")
def logout():
    logout_user()
    session.clear()
    flash("U bent uitgelogd. Tot ziens!", "success")
    return see_other("pages.home")


@bp.get("/account")
@login_required
def account():
    """The account page asks each domain for its own section."""
    user = current_user._get_current_object()
    return render(
        "accounts/account.html", user=user,
        signals=board_service.signals_of(user),  # board/_my_signals.html
        mail=preferences_for(user),  # notifications/_account.html
        waiting=moderation_queue.waiting_items_of(user),  # moderation/_account.html
        notices=moderation_queue.notices_of(user),
    )


@bp.get("/account/gegevens")
@login_required
def my_data():
    """Download everything the portal holds about me (AVG: right of access)."""
    body = json.dumps(privacy.export_user_data(current_user), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="mijn-gegevens-buurtportaal.json"',
        "Cache-Control": "no-store",
    })


@bp.route("/account/verwijderen", methods=["GET", "POST"])
@login_required
def delete_account():
    """Delete my account after I confirm with my password (AVG: right to be forgotten)."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if current_user.check_password(form.password.data):
            privacy.delete_account(current_user._get_current_object())
            logout_user()
            session.clear()
            flash("Uw account en uw gegevens zijn verwijderd. Bedankt voor uw hulp in de wijk.", "success")
            return see_other("pages.home")
        form.password.errors.append("Dit wachtwoord klopt niet.")
    if form.errors:
        return form_invalid("accounts/delete.html", form=form)
    return render("accounts/delete.html", form=form)
