"""``POST /berichten/<id>/signalen``: a moderator sends a signal to the gemeente's Signalen.

The melding is only recorded here (in this request's unit of work); ``flask sync-signalen``
sends it after the commit. Nothing of this exists without ``SIGNALEN_URL`` (404).
"""

from flask import abort, flash, redirect, url_for
from flask_login import current_user, login_required

from portal.access import require
from portal.board import access, bp
from portal.board.signalen_api import service
from portal.board.signalen_api.forms import MeldingForm
from portal.board.views import _post_context, _readable_post
from portal.web import form_invalid, render, wants_fragment


@bp.post("/berichten/<int:post_id>/signalen")
@login_required
def send_melding(post_id: int):
    if not service.signalen_url():
        abort(404)
    post = _readable_post(post_id)
    require(access.can_send_melding(current_user, post))
    form = MeldingForm()
    if not form.validate_on_submit():
        context = _post_context(post)
        context.update(service.post_page_context(post, current_user, form))
        return form_invalid("board/post.html", "board/_melding.html", **context)
    melding = service.send_melding(post, current_user, float(form.latitude.data), float(form.longitude.data),
                                   form.share_contact.data)
    if melding is None:
        flash("Dit signaal is al als melding naar de gemeente gestuurd.", "info")
    else:
        flash("De melding gaat naar Signalen van de gemeente. Het kenmerk staat hier zodra de "
              "gemeente de melding heeft ontvangen.", "success")
    if wants_fragment():
        return render("board/post.html", "board/_melding.html", post=post,
                      **service.post_page_context(post, current_user))
    return redirect(url_for("board.post", post_id=post.id, _anchor="melding"), code=303)
