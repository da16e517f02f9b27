"""Sign in, register, sign out, a new password by mail, the profile and the account page,
and the devices someone is signed in on (``sessions.py``)."""

import json

from flask import Response, flash, redirect, request, session
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from portal.access import found_or_404, require
from portal.accounts import access, bp, privacy, service, sessions
from portal.accounts.forms import (
    EMAIL_TAKEN,
    REMEMBER_HINT,
    ChangePasswordForm,
    DeleteAccountForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    ProfileForm,
    RegisterForm,
)
from portal.board import service as board_service
from portal.extensions import db, limiter
from portal.following import service as following
from portal.groups import service as groups_service
from portal.models import User
from portal.models.accounts import normalise_email
from portal.moderation import queue as moderation_queue
from portal.moderation.policy import blocked_message
from portal.newsletter import service as newsletter_service
from portal.notifications.service import preferences_for
from portal.web import form_invalid, render, safe_next, see_other
from portal.wijken import settings

# Compared against when no account has the address, so a wrong address costs as long as a
# wrong password and the answer does not reveal who has an account.
_UNKNOWN_USER_HASH = generate_password_hash("no-such-account")
LOGIN_FAILED = "Het e-mailadres of het wachtwoord klopt niet. Probeer het opnieuw."
WRONG_PASSWORD = "Dit wachtwoord klopt niet."  # noqa: S105 - a message, not a password
CHANGED_ELSEWHERE = "Uw wachtwoord is net ergens anders veranderd. Probeer het opnieuw."
WELCOME_STREET = "welkom_straat"  # the street typed at registration, until the welcome page


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit("10 per minute;30 per hour", methods=["POST"])
def login():
    form = LoginForm()
    next_url = safe_next(request.args.get("next"))
    if form.validate_on_submit():
        user = _authenticate(form.email.data, form.password.data)
        if user and user.blocked:
            form.email.errors.append(blocked_message(settings.contact_line()))
        elif user and sessions.sign_in(user, remember=form.remember.data):  # a fresh session
            flash(f"Welkom, {user.first_name}. U bent ingelogd.", "success")
            return redirect(next_url, code=303)
        else:
            form.password.errors.append(LOGIN_FAILED)
    if form.errors:
        return form_invalid("accounts/login.html", form=form, next_url=next_url, remember_hint=REMEMBER_HINT)
    return render("accounts/login.html", form=form, next_url=next_url, remember_hint=REMEMBER_HINT)


def _authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(db.select(User).where(User.email == normalise_email(email)))
    if user is None or user.deleted_at is not None:
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
            sessions.sign_in(user, remember=form.remember.data)
            if form.street.data:  # in the session cookie only, for the next page; never stored
                session[WELCOME_STREET] = form.street.data
            return see_other("accounts.welcome")
        form.email.errors.append(EMAIL_TAKEN)
    if form.errors:
        return form_invalid("accounts/register.html", form=form, remember_hint=REMEMBER_HINT)
    return render("accounts/register.html", form=form, remember_hint=REMEMBER_HINT)


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


@bp.get("/account/welkom")
@login_required
def welcome():
    """After registering: the circle of the street they typed, with its join button."""
    street = session.pop(WELCOME_STREET, "")
    circles = service.circles_covering(street)
    buurt_ids = [summary.circle.neighbourhood_id for summary in circles]
    nearby = groups_service.active_groups(buurt_ids=buurt_ids, limit=5) if buurt_ids else []
    return render("accounts/welcome.html", user=current_user, street=street, circles=circles,
                  offered=nearby or groups_service.active_groups(limit=5), nearby=bool(nearby))


@bp.post("/uitloggen")
def logout():
    """This device's session ends on the server: the same cookie afterwards is a visitor's."""
    sessions.end_session(sessions.current_token())
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
        my_groups=groups_service.my_groups(user),  # following/_account.html
        followed=following.followed_by(user),
        mail=preferences_for(user),  # notifications/_account.html
        wijkbrief=newsletter_service.account_subscription(user),  # newsletter/_account.html
        waiting=moderation_queue.waiting_items_of(user),  # moderation/_account.html
        notices=moderation_queue.notices_of(user),
        devices=sessions.devices_of(user), seen_when=sessions.seen_when,
    )


# --- The devices someone is signed in on ------------------------------------------------------


@bp.post("/account/apparaten/<int:device_id>/uitloggen")
@login_required
def end_device(device_id: int):
    """"Uitloggen" for one device on ``/account``; this device: the same as signing out."""
    device = found_or_404(sessions.device_of(current_user, device_id))
    require(access.can_end_device(current_user, device))
    if not FlaskForm().validate_on_submit():
        return see_other("accounts.account")
    if sessions.is_this_device(device):
        return logout()
    label = device.device
    sessions.end_device(device)
    flash(f"U bent uitgelogd op {label}.", "success")
    return see_other("accounts.account")


@bp.post("/account/apparaten/uitloggen")
@login_required
def end_other_devices():
    """"Overal uitloggen": every other device; this one stays signed in."""
    if FlaskForm().validate_on_submit():
        sessions.end_other_sessions(current_user, keep=sessions.current_token())
        flash("U bent nu overal uitgelogd, behalve op dit apparaat.", "success")
    return see_other("accounts.account")


@bp.route("/account/apparaten/beeindigen/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def end_device_from_mail(token: str):
    """The link in the mail "ingelogd op een ander apparaat": a page with one button (some
    mail programs open links by themselves), which ends that device's session."""
    device = sessions.device_from_end_link(token)
    if device is None:
        return render("accounts/link_invalid.html", status=410, link="device")
    if not FlaskForm().validate_on_submit():
        return render("accounts/end_device.html", device=device, token=token,
                      seen_when=sessions.seen_when)
    label, this_device = device.device, sessions.is_this_device(device)
    sessions.end_device(device)
    if this_device:
        logout_user()
        session.clear()
    flash(f"Het apparaat {label} is uitgelogd. Was u dat niet zelf? Verander dan ook uw wachtwoord.",
          "success")
    return see_other("accounts.login")


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
            privacy.delete_account(current_user._get_current_object())  # ends every session
            logout_user()
            session.clear()
            flash("Uw account en uw gegevens zijn verwijderd. Bedankt voor uw hulp in de wijk.", "success")
            return see_other("pages.home")
        form.password.errors.append(WRONG_PASSWORD)
    if form.errors:
        return form_invalid("accounts/delete.html", form=form)
    return render("accounts/delete.html", form=form)


# --- A new password by mail ------------------------------------------------------------------


def _address_and_ip() -> str:
    """Rate limits per address asked for and per visitor, so nobody fills someone's mailbox."""
    return f"wachtwoord:{get_remote_address()}:{normalise_email(request.form.get('email', ''))[:254]}"


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit("5 per hour", key_func=_address_and_ip, methods=["POST"])
@limiter.limit("20 per hour", methods=["POST"])
def forgot_password():
    """The same answer whether or not an account has the address (and a mail only if so)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        service.request_password_reset(form.email.data)
        return see_other("accounts.reset_mail_sent")
    if form.errors:
        return form_invalid("accounts/forgot_password.html", form=form)
    return render("accounts/forgot_password.html", form=form)


@bp.get("/wachtwoord-vergeten/verstuurd")
def reset_mail_sent():
    return render("accounts/reset_mail_sent.html")


@bp.route("/wachtwoord-nieuw/<token>", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def new_password(token: str):
    """The link in the mail: choose a new password, then you are signed in."""
    user = service.user_from_reset_token(token)
    if user is None:
        return render("accounts/link_invalid.html", status=410, link="password")
    form = NewPasswordForm()
    if form.validate_on_submit():
        if service.replace_password(user, form.password.data):
            user = db.session.get(User, user.id)
            sessions.end_all_sessions(user)  # whoever knew the old password is out
            sessions.sign_in(user)
            flash("Uw wachtwoord is veranderd. U bent nu ingelogd. "
                  "Op al uw andere apparaten bent u nu uitgelogd.", "success")
            return see_other("accounts.account")
        return render("accounts/link_invalid.html", status=410, link="password")  # used meanwhile
    if form.errors:
        return form_invalid("accounts/new_password.html", form=form, token=token)
    return render("accounts/new_password.html", form=form, token=token)


# --- The profile ------------------------------------------------------------------------------


def _profile_page(user: User, profile_form=None, password_form=None, status: int = 200):
    profile_form = profile_form or ProfileForm(account=user, formdata=None, data=_profile_data(user))
    password_form = password_form or ChangePasswordForm(formdata=None)
    answer = form_invalid if status == 422 else render
    return answer("accounts/profile.html", user=user, form=profile_form, password_form=password_form)


def _profile_data(user: User) -> dict:
    return {"first_name": user.first_name, "last_name": user.last_name, "email": user.email,
            "phone": user.phone, "share_phone": user.share_phone}


@bp.route("/account/profiel", methods=["GET", "POST"])
@login_required
def profile():
    """Name, address (a new one counts once confirmed by mail), phone and who may see it."""
    user = current_user._get_current_object()
    require(access.can_edit_profile(user))
    form = ProfileForm(account=user, data=_profile_data(user))
    if not form.validate_on_submit():
        return _profile_page(user, profile_form=form, status=422 if form.errors else 200)
    service.save_profile(user, form.first_name.data, form.last_name.data, form.phone.data,
                         form.share_phone.data)
    if normalise_email(form.email.data) != user.email:
        service.request_email_change(user, form.email.data)
        flash(f"Uw gegevens zijn opgeslagen. We hebben een e-mail gestuurd naar {user.pending_email}. "
              "Klik op de link in die e-mail. Pas daarna gebruikt het portaal uw nieuwe adres.", "success")
    else:
        flash("Uw gegevens zijn opgeslagen.", "success")
    return see_other("accounts.profile")


@bp.post("/account/profiel/email-niet-veranderen")
@login_required
def keep_email():
    """Stop waiting for the new address: its link no longer works."""
    require(access.can_edit_profile(current_user))
    if FlaskForm().validate_on_submit() and current_user.pending_email:
        current_user.pending_email = None
        flash(f"U houdt uw e-mailadres {current_user.email}.", "success")
    return see_other("accounts.profile")


@bp.post("/account/profiel/wachtwoord")
@login_required
@limiter.limit("10 per hour", methods=["POST"])
def change_password():
    """A new password, after the current one (someone at an unlocked tablet cannot)."""
    user = current_user._get_current_object()
    require(access.can_edit_profile(user))
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append(WRONG_PASSWORD)
        elif service.replace_password(user, form.password.data):
            sessions.end_other_sessions(user, keep=sessions.current_token())
            flash("Uw wachtwoord is veranderd. Op uw andere apparaten bent u nu uitgelogd.", "success")
            return see_other("accounts.profile")
        else:
            form.current_password.errors.append(CHANGED_ELSEWHERE)
    return _profile_page(user, password_form=form, status=422)


@bp.route("/account/email-bevestigen/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """The link mailed to the new address: one button, and from then on it counts. A page
    first (not at once on opening) because some mail programs open links by themselves."""
    change = service.email_change_from_token(token)
    if change is None:
        return render("accounts/link_invalid.html", status=410, link="email")
    if not FlaskForm().validate_on_submit():  # the button's CSRF token, on a POST
        return render("accounts/confirm_email.html", change=change, token=token)
    if not service.confirm_email_change(change):
        return render("accounts/confirm_email.html", status=409, change=change, token=token, taken=True)
    flash(f"Uw e-mailadres is nu {change.email}. Daarmee logt u voortaan in.", "success")
    if current_user.is_authenticated and current_user.id == change.user.id:
        return see_other("accounts.profile")
    return see_other("accounts.login")
