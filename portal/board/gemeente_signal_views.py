"""The gemeente's side of a signal: its answer page (a signed link, no account, no cookie),
the moderators' hide/show of an answer, and the Atom feed of answered signals.

The rules and changes are in ``portal/board/gemeente_signals.py``.
"""

from flask import flash, make_response, redirect, request, url_for
from flask_login import current_user, login_required

from portal.access import require
from portal.board import access, bp, gemeente_signals
from portal.board.forms import AnswerVisibilityForm, SignalAnswerForm
from portal.board.views import _post_context, _readable_post
from portal.extensions import csrf
from portal.mail import public_url
from portal.models.base import utcnow
from portal.moderation.policy import limit_per_person
from portal.pagecache import for_visitors
from portal.web import form_invalid, render, wants_fragment
from portal.wijken import settings

answer_limit = limit_per_person("30 per hour")
FEED_ENTRIES = 30


def _signal_for(token: str):
    """The signal of a valid link; a kind 404 (tampered, or the signal is gone) or 410 (too old)."""
    try:
        post = gemeente_signals.signal_from_token(token)
    except gemeente_signals.LinkExpired:
        return None, render("board/signal_answer_invalid.html", status=410, expired=True,
                            wijkinformatiepunt=settings.contact_line())
    if post is None:
        return None, render("board/signal_answer_invalid.html", status=404, expired=False)
    return post, None


@bp.route("/signalen/antwoord/<token>", methods=["GET", "POST"])
@csrf.exempt
@answer_limit
def signal_answer(token: str):
    """Exempt from CSRF on purpose: the gemeente has no account and gets no cookie here. What
    protects the form is the signed, dated link, which only the gemeente's mailbox received;
    it can do one thing: write the answer of this one signal. Nothing here touches the
    session, so the page sets no cookie (no flash message: the confirmation is in the page)."""
    post, refusal = _signal_for(token)
    if refusal is not None:
        return refusal
    context = {"post": post, "token": token, "saved": request.args.get("verstuurd") == "1"}
    if request.method == "POST":
        form = SignalAnswerForm()
        if form.validate():
            gemeente_signals.set_status(post, form.municipal_status.data, form.answer.data)
            return redirect(url_for("board.signal_answer", token=token, verstuurd=1), code=303)
        return form_invalid("board/signal_answer.html", form=form, **context)
    status = post.municipal_status
    status = status if status in ("beantwoord", "in_behandeling") else "beantwoord"
    form = SignalAnswerForm(formdata=None, answer=post.municipal_answer or "", municipal_status=status)
    return render("board/signal_answer.html", form=form, **context)


@bp.post("/berichten/<int:post_id>/gemeente/antwoord")
@login_required
def answer_visibility(post_id: int):
    """A moderator hides the gemeente's answer (``actie=verbergen``) or shows it again."""
    post = _readable_post(post_id)
    require(access.can_answer_signals(current_user))
    hide = request.form.get("actie") != "tonen"
    form = AnswerVisibilityForm()
    if hide and not form.validate_on_submit():
        return form_invalid("board/post.html", "board/_signal.html",
                            **_post_context(post, visibility_form=form))
    if gemeente_signals.hide_answer(post, current_user, hide, form.reason.data or ""):
        flash("Het antwoord van de gemeente is verborgen. Dit staat in het logboek." if hide else
              "Het antwoord van de gemeente is weer te zien. Dit staat in het logboek.", "success")
    else:
        flash("Er was niets te veranderen.", "info")
    if wants_fragment():
        return render("board/post.html", "board/_signal.html", **_post_context(post))
    return redirect(url_for("board.post", post_id=post.id, _anchor="signaal"), code=303)


@bp.get("/signalen.atom")
@for_visitors
def signals_feed():
    """Answered signals, newest answer first: for the wijkbureau and the local paper."""
    posts = gemeente_signals.answered(limit=FEED_ENTRIES)
    body = render("board/signals.atom.xml", posts=posts, feed_url=public_url("board.signals_feed"),
                  page_url=public_url("board.signals"),
                  updated=posts[0].answered_at if posts else utcnow(),
                  post_url=lambda post: public_url("board.post", post_id=post.id) + "#antwoord")
    response = make_response(body)
    response.mimetype = "application/atom+xml"
    return response


