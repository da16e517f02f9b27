"""Every template filter and global of the portal, registered in one place.

What a template may call is a pure function of what it is given: words for codes
(``kind_label``), access rules (``can_edit(current_user, post)``), links (``report_url``),
dates (``datum``). Nothing here queries the database. Data that needs a query is passed in
by the view (the account page asks each domain for its section), or, for the layout, loaded
once per request by ``layout_context`` below.

A new helper: write it in its domain, add it to ``GLOBALS`` or ``FILTERS`` here.
"""

from functools import lru_cache
from types import SimpleNamespace

from flask import Flask, current_app, get_flashed_messages, request, url_for
from flask_login import current_user
from werkzeug.local import LocalProxy

from portal import dates, keeping, kept, security, web
from portal.board import access as board_access
from portal.board.text import plain_text
from portal.board.words import MUNICIPAL_LABELS, kind_label, municipal_label, phase_label
from portal.infopoint import access as infopoint_access
from portal.infopoint import words as infopoint_words
from portal.meedenken import words as meedenken_words
from portal.moderation import access as moderation_access
from portal.moderation import reports, subjects, words
from portal.surveys import access as survey_access
from portal.surveys import words as survey_words
from portal.surveys.forms import field_name as survey_field_name
from portal.wijk import NoWijk
from portal.wijken import hosts
from portal.wijken import settings as wijk_settings
from portal.wijken.access import can_manage_wijken

FILTERS = {
    "datum": dates.datum,  # {{ event.starts_at|datum("dag") }}: Dutch dates, Amsterdam time
    "plain_text": plain_text,  # what someone wrote, as paragraphs, escaped
    "tel": infopoint_words.tel_href,  # <a href="{{ phone|tel }}">: "tel:0301234567"
}


def current_wijk() -> hosts.WijkFacts | None:
    """The current wijk's facts (its name, colour, logo), kept: no query. None where a page is
    made outside any wijk (the error page of a static file, which answers on any host)."""
    try:
        return hosts.here()
    except NoWijk:
        return None


def new_decision_form(field_id: str):
    """An empty decision form's token and reason field for a queue row, kept per field id
    (``kept.decision_reason_field``)."""
    return kept.decision_reason_field(field_id=field_id)


GLOBALS = {
    # layout (``current_user`` here, not in Flask-Login's context, so macros imported without
    # context can ask ``can_edit(current_user, post)``; in a kept part it is the stand-in reader
    # its declaration names, see portal/kept.py)
    "current_user": LocalProxy(keeping.template_reader),
    "csrf_token": keeping.csrf_token,  # the person's own token, or a kept part's CSRF slot
    "csp_nonce": security.csp_nonce,
    "get_flashed_messages": get_flashed_messages,
    "tijdvak": dates.tijdvak,
    "contact_line": wijk_settings.contact_line,  # the wijk's (else WIJKINFORMATIEPUNT)
    "public_base": wijk_settings.public_base,  # the wijk's address on paper (PUBLIC_URL's form)
    "wijk_name": wijk_settings.wijk_name,  # "Buurtportaal {{ wijk_name() }}" in mail
    "wijk": current_wijk,  # {% set this_wijk = wijk() %}: the current wijk's name, colour and logo
    # board
    "kind_label": kind_label,
    "municipal_label": municipal_label,
    "phase_label": phase_label,
    "municipal_statuses": MUNICIPAL_LABELS,
    "can_take_part": board_access.can_take_part,
    "can_edit": board_access.can_edit,
    "edit_minutes_left": board_access.edit_minutes_left,
    "can_manage_themes": board_access.can_manage_themes,
    # moderation
    "can_moderate": moderation_access.can_moderate,
    "can_report": moderation_access.can_report,
    "can_decide": moderation_access.can_decide,
    "done_label": words.done_label,
    "subject_label": words.subject_label,
    "button_label": words.button_label,
    "report_reason_label": words.report_reason_label,
    "subject_slugs": words.SLUG_BY_SUBJECT,
    "verdict_slugs": words.SLUG_BY_VERDICT,
    "content_state": subjects.state_of,
    "subject_path": subjects.path_of,
    "subject_name": subjects.label_of,
    "subject_text": subjects.text_of,
    "report_slot": reports.report_slot,
    "report_url": reports.report_url,
    "hide_url": reports.hide_url,
    "new_decision_form": new_decision_form,
    # surveys (peilingen)
    "can_manage_surveys": survey_access.can_manage_surveys,
    "survey_kind_label": survey_words.kind_label,
    "survey_state": survey_words.state_label,
    "survey_field_name": survey_field_name,
    "contact_labels": survey_words.CONTACT_LABELS,
    "people": survey_words.people,
    "took_part": survey_words.took_part,
    "decimal": survey_words.decimal,
    # wijken
    "can_manage_wijken": can_manage_wijken,
    # wijkinformatiepunt and sociale kaart
    "can_handle_questions": infopoint_access.can_handle_questions,
    "can_refer_help_item": infopoint_access.can_refer_help_item,  # a help item's conversation
    "rule_words": infopoint_words.rule_words,
    "hours_words": infopoint_words.hours_words,
    "status_words": infopoint_words.status_words,
    "question_status": infopoint_words.question_status,
    "need_label": infopoint_words.need_label,
    "day_words": infopoint_words.day_words,
    "occurrence_words": infopoint_words.occurrence_words,
    # meedenken: {{ meedenken_words.phase_label(traject.phase) }}, outcome_label, theme_label, ...
    "meedenken_words": meedenken_words,
}


# Every link of the layout, by name: built once per worker (and script root), not ~15 times
# per page. Static files carry their content hash, which does not change while a worker runs.
LAYOUT_ENDPOINTS = {
    "home": "pages.home", "circles": "circles.index", "board": "board.themes",
    "agenda": "events.agenda", "surveys": "surveys.index", "moderation": "moderation.queue_page",
    "account": "accounts.account", "login": "accounts.login", "logout": "accounts.logout",
    "accessibility": "pages.accessibility", "privacy": "pages.privacy",
    "text_size": "pages.set_text_size", "wijk_logo": "wijken.logo",
    "infopoint": "infopoint.infopoint", "kaart": "infopoint.kaart", "questions": "infopoint.questions",
    "groups": "groups.index",
    "meedenken": "meedenken.index",
    "newsletter": "newsletter.subscribe",
}
LAYOUT_FILES = {
    "css": "css/portal.css", "favicon": "favicon.svg", "htmx": "vendor/htmx-2.0.11/htmx.min.js",
    "js": "js/portal.js",
}


def layout_urls() -> SimpleNamespace:
    """The layout's links as attributes (``urls.home``): Jinja reads ``a.b`` as an attribute
    first, so a dict would raise and catch an ``AttributeError`` for each of some twenty."""
    kept = current_app.extensions.setdefault("layout_urls", {})
    root = request.script_root
    if root not in kept:
        urls = {name: url_for(endpoint) for name, endpoint in LAYOUT_ENDPOINTS.items()}
        urls |= {name: url_for("static", filename=path) for name, path in LAYOUT_FILES.items()}
        kept[root] = SimpleNamespace(**urls)
    return kept[root]


def remembering_url_for(app: Flask, size: int = 4096):
    """``url_for`` in this app's templates: Flask's, remembered per worker for each endpoint
    and arguments. The routes, the URL defaults (a static file's version) and the script
    root do not change while a worker runs, so the same question always gets the same
    address, and building one costs 5-10 µs (a post page asks four times, home eight:
    benchmarks/README.md, "Framework overrides"). Built each time: a relative endpoint
    (``.name``, it depends on the page's blueprint), an external address (its host) and
    arguments that cannot be part of a key (a list)."""

    @lru_cache(maxsize=size)
    def remembered(key: tuple) -> str:
        endpoint, _script_root, *values = key
        return app.url_for(endpoint, **dict(values))

    def url_for_in_templates(endpoint: str, **values) -> str:
        if endpoint.startswith(".") or values.get("_external"):
            return app.url_for(endpoint, **values)
        key = (endpoint, request.script_root, *values.items())  # in order: the query keeps it
        try:
            return remembered(key)
        except TypeError:  # unhashable: not kept
            return app.url_for(endpoint, **values)

    return url_for_in_templates


def layout_context() -> dict:
    """What base.html needs on every page: the text size, and for moderators the number in
    "Moderatie (3)" (``kept.moderation_open_count``). Nothing while a kept part is made: no
    part is a page, and none may depend on its reader.

    ``current_user`` is the person herself here, not the proxy of ``GLOBALS``: a page asks
    for her some twenty times, each time through two proxies otherwise. Macros imported
    without context still get the proxy.

    ``csrf_token`` is ``GLOBALS``' again, also while a part is made: Flask-WTF's own context
    processor gives every template rendered whole its ``generate_csrf``, which knows no
    slots (in a kept part it would read the session and fail)."""
    if keeping.making():
        return {"csrf_token": keeping.csrf_token}
    user = current_user._get_current_object()
    count = kept.moderation_open_count() if moderation_access.can_moderate(user) else 0
    return {"csrf_token": keeping.csrf_token, "current_user": user, "text_size": web.text_size(),
            "text_sizes": web.TEXT_SIZES, "urls": layout_urls(), "moderation_queue_count": count}


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals.update(GLOBALS)  # after Flask-WTF's own ``csrf_token`` (and layout_context)
    app.jinja_env.globals["url_for"] = remembering_url_for(app)  # in place of Flask's own
    app.context_processor(layout_context)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
