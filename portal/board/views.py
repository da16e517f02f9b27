"""Wijkplatform: themes, topic boards, posts, replies, steun and signals.

Every form works without JavaScript (post, then a 303 redirect) and with htmx (the same URL
answers with a fragment that is swapped in, and a flash message that is announced in the
live region). Permission checks: ``portal/board/access.py``.
"""

from dataclasses import replace

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from portal import kept
from portal.access import found_or_404, require, visible_or_404
from portal.board import access, bp, gemeente_signals, service
from portal.board.forms import AnswerVisibilityForm, PostEditForm, PostForm, ReplyForm, SignalStatusForm
from portal.board.search import search_posts, search_terms
from portal.board.signalen_api.service import post_page_context as signalen_context
from portal.board.words import (
    MUNICIPAL_LABELS,
    kind_label,
    municipal_label,
)
from portal.circles.service import search_circles
from portal.errors import error_page
from portal.following import service as following
from portal.models import FollowKind, SubjectType
from portal.moderation.access import can_moderate
from portal.moderation.policy import limit_per_person, may_contribute
from portal.moderation.reports import report_limit, report_page
from portal.pagecache import canonical_query, for_visitors
from portal.web import choice, form_invalid, page_number, render, see_other, wants_fragment

post_limit = limit_per_person("20 per hour")
reply_limit = limit_per_person("60 per hour")


def _post_url(post, **args) -> str:
    return url_for("board.post", post_id=post.id, **args)


# --- Themes -------------------------------------------------------------------------------


@bp.get("/themas")
@for_visitors
def themes():
    return render("board/themes.html", summaries=service.theme_overview())


# --- A board ------------------------------------------------------------------------------


@bp.get("/themas/<slug>")
@for_visitors
def board(slug: str):
    theme = found_or_404(kept.theme(slug=slug))
    context = _board_context(theme)
    return render("board/board.html", context["results"], **context)


def _board_context(theme: kept.KeptTheme) -> dict:
    """A board page: the filters and the page of posts are the same for everyone and kept
    (``kept.board_filters``, ``kept.board_results``); only the empty form (with the person's
    token) or the sign-in hint is theirs. On a kept board the page asks the database for
    nothing but the person."""
    filters = service.BoardFilters.from_args(request.args)
    places = kept.neighbourhoods()
    if filters.neighbourhood and filters.neighbourhood not in {place.slug for place in places}:
        filters = replace(filters, neighbourhood="")  # an unknown buurt: the unfiltered board
    canonical_query(**filters.url_args(), pagina=filters.page if filters.page > 1 else None)
    return {
        "theme": theme,
        "filters_form": kept.board_filters(theme=theme, filters=filters),
        "results": kept.board_results(theme=theme, filters=filters),
        "form": kept.new_post_form(theme=theme) if access.can_take_part(current_user) else None,
        "may_enter_cards": access.links_cards_on_boards(current_user),
        "following_theme": _follows_theme(theme),
        "groups": kept.theme_groups(theme=theme),
    }


def _follows_theme(theme: kept.KeptTheme) -> bool:
    """Whether the reader follows this theme (who does is kept per change)."""
    if not access.can_take_part(current_user):
        return False
    return current_user.id in kept.theme_followers(theme=theme)


@bp.post("/themas/<slug>/volgen")
@login_required
def follow_theme(slug: str):
    """"Volg dit thema": new posts of the theme reach the person at the pace they chose."""
    theme = found_or_404(kept.theme(slug=slug))
    require(access.can_take_part(current_user))
    wanted = request.form.get("actie", "volgen") != "ontvolgen"
    changed = following.set_following(current_user, FollowKind.THEME, theme.id, wanted)
    if wanted:
        flash(f"U volgt het thema {theme.name}. Nieuwe berichten krijgt u per e-mail, zo vaak als u "
              "koos bij uw e-mailinstellingen." if changed else f"U volgde het thema {theme.name} al.",
              "success" if changed else "info")
    else:
        flash(f"U volgt het thema {theme.name} niet meer." if changed
              else f"U volgde het thema {theme.name} niet.", "success" if changed else "info")
    if wants_fragment():
        return render("board/board.html", "board/_theme_follow.html", theme=theme, following_theme=wanted)
    return redirect(url_for("board.board", slug=theme.slug, _anchor="thema-volgen"), code=303)


@bp.route("/themas/<slug>/nieuw", methods=["GET", "POST"])
@login_required
@post_limit
def new_post(slug: str):
    theme = found_or_404(service.theme_or_none(slug))
    form = PostForm().set_neighbourhoods(service.neighbourhoods())
    context = {"theme": theme, "form": form}
    if form.validate_on_submit() and may_contribute(current_user, SubjectType.POST, form.title, form.body):
        post = service.create_post(
            theme, current_user, form.post_kind, form.title.data, form.body.data,
            form.neighbourhood_id, form.phase.data, hold=form.honeypot_filled,
        )
        flash(_posted_message(post), "success")
        if wants_fragment():
            fresh = PostForm(formdata=None).set_neighbourhoods(service.neighbourhoods())
            return render("board/new_post.html", "board/_post_created.html",
                          theme=theme, form=fresh, post=post, inline=True)
        return redirect(_post_url(post), code=303)
    if form.errors:
        return form_invalid("board/new_post.html", "board/_post_form.html", inline=True, **context)
    return render("board/new_post.html", **context)


def _posted_message(post) -> str:
    what = f"Uw {kind_label(post.kind).lower()} “{post.title}”"
    if post.is_published:
        return f"Dank u. {what} staat op het prikbord."
    return (f"Dank u. {what} wacht op controle door een moderator. Daarna ziet iedereen het; "
            "tot die tijd ziet alleen u het.")


# --- A post -------------------------------------------------------------------------------


def _readable_post(post_id: int):
    return visible_or_404(kept.post_row(post_id=post_id), current_user, access.can_read)


def _post_context(post, **forms) -> dict:
    """The post page. For a plain reader (signed in, not a moderator, and nothing of their own
    on the page) the post and the page of replies are the same as for every other plain
    reader: kept (``kept.post_content``, ``kept.replies``), like the empty reply form; steun
    and following are theirs. Everyone else (the author, someone with a reply on the page or
    waiting, a moderator) gets them rendered for them. The person is looked up once, not at
    each use of Flask-Login's ``current_user`` proxy."""
    user = current_user._get_current_object()
    page = page_number(request.args)
    plain = _is_plain_reader(post, user, page)
    supported, following = _supports_and_follows(post, user)
    context = {
        "post": post,
        "post_content": kept.post_content(post=post) if plain else _rendered(
            "board/_post_content.html", post=post),
        "replies_html": kept.replies(post=post, page=page) if plain else _rendered(
            "board/_replies.html", post=post, replies=service.replies_page(post, user, page)),
        "reply_form_html": _reply_form_html(post, user, forms.get("reply_form")),
        "supported": supported,
        "following": following,
        "signal_form": None,
        "visibility_form": None,
    }
    if post.is_signal and access.can_answer_signals(user):
        context["signal_form"] = SignalStatusForm(
            formdata=None, municipal_status=post.municipal_status, answer=post.municipal_answer
        )
        context["visibility_form"] = AnswerVisibilityForm(formdata=None)
    context.update(signalen_context(post, user))
    context.update(forms)
    return context


def _rendered(template: str, **context) -> Markup:
    return Markup(render_template(template, **context))  # noqa: S704 - a rendered template


def _supports_and_follows(post, user) -> tuple[bool, bool]:
    """Whether the reader supports and follows the post (who does is kept per change)."""
    if not access.can_take_part(user):
        return False, False
    supporters, followers = kept.supporters_and_followers(post=post)
    return user.id in supporters, user.id in followers


def _is_plain_reader(post, user, page: int) -> bool:
    """Signed in, no moderator, not the post's author, and no reply of theirs on this page or
    waiting on the post: then the post and its replies look to them as to every such reader
    ("Melden" under each, no buttons of their own). Who wrote what is kept per change."""
    if not access.can_take_part(user) or can_moderate(user) or post.author_id == user.id:
        return False
    shown, unpublished = kept.reply_authors(post=post, page=page)
    return user.id not in shown and user.id not in unpublished


def _reply_form_html(post, user, form) -> Markup | None:
    """The reply form: the empty one kept per post; one with errors or text typed rendered
    for this person; None for visitors (they get the sign-in hint)."""
    if form is not None:
        return _rendered("board/_reply_form.html", post=post, reply_form=form)
    if not access.can_take_part(user):
        return None
    return kept.reply_form(post=post)


@bp.get("/berichten/<int:post_id>")
@for_visitors
def post(post_id: int):
    post = _readable_post(post_id)
    page = page_number(request.args)
    canonical_query(pagina=page if page > 1 else None)
    return render("board/post.html", **_post_context(post))


@bp.post("/berichten/<int:post_id>/steun")
@login_required
def support(post_id: int):
    post = _readable_post(post_id)
    wanted = _wanted_support(post)
    if service.set_support(post, current_user, wanted):
        flash("Dank u. U steunt dit bericht nu." if wanted else "U steunt dit bericht niet meer.",
              "success")
    else:
        flash("U steunde dit bericht al." if wanted else "U steunde dit bericht nog niet.", "info")
    if wants_fragment():
        return render("board/post.html", "board/_support.html", post=post, supported=wanted)
    return redirect(_post_url(post, _anchor="steun"), code=303)


def _wanted_support(post) -> bool:
    """The button says what it does (``actie=geven`` or ``intrekken``), so a double click or
    a resent form cannot undo itself; without ``actie`` it toggles."""
    action = request.form.get("actie")
    if action in ("geven", "intrekken"):
        return action == "geven"
    return not service.has_supported(post, current_user)


@bp.post("/berichten/<int:post_id>/reageren")
@login_required
@reply_limit
def reply(post_id: int):
    post = _readable_post(post_id)
    form = ReplyForm()
    if not (form.validate_on_submit() and may_contribute(current_user, SubjectType.REPLY, form.reply)):
        return form_invalid("board/post.html", "board/_reply_form.html",
                            **_post_context(post, reply_form=form))
    reply = service.add_reply(post, current_user, form.reply.data, hold=form.honeypot_filled)
    gemeente_signals.reply_posted(post, reply)
    if reply.status == service.PUBLISHED:
        flash("Dank u. Uw reactie staat onder het bericht.", "success")
    else:
        flash("Dank u. Uw reactie wacht op controle door een moderator. Daarna ziet iedereen haar.",
              "success")
    if wants_fragment():
        return render("board/post.html", "board/_reply_created.html",
                      post=post, reply=reply, reply_form=ReplyForm(formdata=None))
    page = service.last_reply_page(post)
    return redirect(_post_url(post, pagina=page if page > 1 else None, _anchor=f"reactie-{reply.id}"),
                    code=303)


@bp.route("/berichten/<int:post_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    post = _readable_post(post_id)
    require(access.can_edit(current_user, post))
    current = {"title": post.title, "body": post.body, "neighbourhood": str(post.neighbourhood_id or "")}
    form = PostEditForm(data=current).set_neighbourhoods(service.neighbourhoods())
    if form.validate_on_submit() and may_contribute(current_user, SubjectType.POST, form.title, form.body,
                                                    editing=True):
        service.edit_post(post, form.title.data, form.body.data, form.neighbourhood_id)
        flash("Uw bericht is aangepast.", "success")
        if wants_fragment():
            return render("board/post.html", "board/_post_content.html", post=post)
        return redirect(_post_url(post), code=303)
    if form.errors:
        return form_invalid("board/post_edit.html", "board/_post_edit.html", post=post, form=form)
    return render("board/post_edit.html", "board/_post_edit.html", post=post, form=form)


@bp.route("/reacties/<int:reply_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_reply(reply_id: int):
    reply = visible_or_404(service.reply_or_none(reply_id), current_user, access.can_read)
    require(access.can_edit(current_user, reply))
    form = ReplyForm(prefix=f"r{reply.id}", data={"reply": reply.body})
    allowed = form.validate_on_submit() and may_contribute(current_user, SubjectType.REPLY, form.reply,
                                                           editing=True)
    if allowed:
        service.edit_reply(reply, form.reply.data)
        flash("Uw reactie is aangepast.", "success")
        if wants_fragment():  # the form swaps itself on errors; the saved reply replaces the item
            response = render("board/reply_edit.html", "board/_reply.html", reply=reply)
            response.headers.update({"HX-Retarget": f"#reactie-{reply.id}", "HX-Reswap": "outerHTML"})
            return response
        return redirect(_post_url(reply.post, _anchor=f"reactie-{reply.id}"), code=303)
    if form.errors:
        return form_invalid("board/reply_edit.html", "board/_reply_edit.html", reply=reply, form=form)
    return render("board/reply_edit.html", "board/_reply_edit.html", reply=reply, form=form)


# --- Reports (melden): the form is moderation's, the route the board's -----------------------


@bp.route("/berichten/<int:post_id>/melden", methods=["GET", "POST"])
@login_required
@report_limit
def report_post(post_id: int):
    return report_page(_readable_post(post_id))


@bp.route("/reacties/<int:reply_id>/melden", methods=["GET", "POST"])
@login_required
@report_limit
def report_reply(reply_id: int):
    reply = visible_or_404(service.reply_or_none(reply_id), current_user, access.can_read)
    visible_or_404(reply.post, current_user, access.can_read)
    return report_page(reply)


# --- Signals ------------------------------------------------------------------------------


@bp.post("/berichten/<int:post_id>/gemeente")
@login_required
def signal_status(post_id: int):
    post = _readable_post(post_id)
    require(access.can_answer_signals(current_user))
    if not post.is_signal:
        flash("Alleen een signaal aan de gemeente heeft een status.", "error")
        return see_other("board.post", post_id=post.id)
    form = SignalStatusForm()
    if not form.validate_on_submit():
        return form_invalid("board/post.html", "board/_signal.html",
                            **_post_context(post, signal_form=form))
    change = gemeente_signals.set_status(post, form.municipal_status.data, form.answer.data,
                                         actor=current_user)
    flash(status_message(post, change), "success")
    if wants_fragment():
        return render("board/post.html", "board/_signal.html", **_post_context(post, signal_form=form))
    return redirect(_post_url(post, _anchor="signaal"), code=303)


def status_message(post, change) -> str:
    """The moderator's confirmation: the status, and who was mailed."""
    parts = [f"De status is nu: {municipal_label(post.municipal_status)}."]
    if change.forwarded_to:
        parts.append(f"Het signaal is gemaild naar {', '.join(change.forwarded_to)}.")
    elif change.status_changed and post.municipal_status == "doorgestuurd":
        parts.append("Er is geen e-mailadres van de gemeente ingesteld voor deze wijk: "
                     "stuur het signaal zelf door.")
    if change.answer_corrected:
        parts.append("De correctie van het antwoord staat in het logboek.")
    if change.told:
        parts.append(f"{change.told} {'bewoner krijgt' if change.told == 1 else 'bewoners krijgen'} "
                     "hiervan bericht.")
    return " ".join(parts)


UNKNOWN_PLACE = "Kies een buurt uit de lijst op de pagina Signalen, of bekijk de signalen van alle buurten."


@bp.get("/signalen", endpoint="signals")
@for_visitors
def signals_overview():
    """The figures count every signal (tens of milliseconds at 15,000 of them): the same for
    everyone, so counted once per change (``kept.signal_figures``), as visitors' copies are kept."""
    status = choice(request.args, "status", MUNICIPAL_LABELS)
    places = service.neighbourhoods()
    wanted = request.args.get("buurt", "")
    place = next((p for p in places if p.slug == wanted), None)
    if wanted and place is None:
        return make_response(error_page(404, "Deze buurt kennen we niet", UNKNOWN_PLACE))
    place_id = place.id if place else None
    number = page_number(request.args)
    canonical_query(status=status, buurt=wanted, pagina=number if number > 1 else None)
    figures = kept.signal_figures(neighbourhood_id=place_id)
    page = service.signals_page(status, number, place_id, total=figures.count(status))
    return render("board/signals.html", "board/_signal_results.html", signals=page, chosen_status=status,
                  statuses=MUNICIPAL_LABELS, places=places, place=place, figures=figures)


# --- Volgen -------------------------------------------------------------------------------


@bp.post("/berichten/<int:post_id>/volgen")
@login_required
def follow(post_id: int):
    post = _readable_post(post_id)
    wanted = request.form.get("actie", "volgen") != "ontvolgen"
    changed = gemeente_signals.set_following(post, current_user, wanted)
    if wanted:
        flash("U volgt dit bericht. U krijgt een e-mail bij nieuwe reacties en bij het antwoord van de "
              "gemeente." if changed else "U volgde dit bericht al.", "success" if changed else "info")
    else:
        flash("U volgt dit bericht niet meer." if changed else "U volgde dit bericht niet.",
              "success" if changed else "info")
    if wants_fragment():
        return render("board/post.html", "board/_follow.html", post=post, following=wanted)
    return redirect(_post_url(post, _anchor="volgen"), code=303)


# --- Search -------------------------------------------------------------------------------


@bp.get("/zoeken")
@for_visitors
def search():
    query = request.args.get("q", "").strip()[:200]
    page = page_number(request.args)
    # Kept for visitors under this address only; one path keeps at most PER_PATH copies.
    canonical_query(q=query, pagina=page if page > 1 else None)
    results = {
        "posts": search_posts(query, page),
        "circles": search_circles(query) if page == 1 else [],
    }
    return render("board/search.html", "board/_search_results.html",
                  query=query, has_terms=bool(search_terms(query)), results=results)

