"""Moderation: newcomers reviewed before they are public, reports from residents, decisions
on the record, and the defences against abuse.

Every decision is tested on both paths: a plain form (303 back to the queue) and htmx (the
row swapped, the decision announced out-of-band in the live region).
"""

import gzip
import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from portal.board import service as board_service
from portal.board.search import search_posts
from portal.demo_moderation import NEWCOMER, REPORTED_POST, WAITING_IDEA
from portal.extensions import db
from portal.models import (
    Decision,
    HelpItem,
    Notice,
    Post,
    Reply,
    Report,
    Review,
    Role,
    SubjectType,
    User,
    Verdict,
)
from portal.models.base import utcnow
from portal.models.moderation import AppendOnlyError
from portal.moderation import policy, queue, service
from tests.budgets import FRAGMENT_BUDGET, assert_no_third_party, assert_within_budget
from tests.conftest import htmx_headers, login, theme_counts
from tests.factories import (
    PASSWORD,
    make_circle,
    make_help_item,
    make_member,
    make_newcomer,
    make_pending_post,
    make_post,
    make_reply,
    make_report,
    make_user,
)


def html(response) -> str:
    return response.get_data(as_text=True)


def switch_to(client, person):
    client.post("/uitloggen")
    login(client, person)


def decisions(**where) -> list[Decision]:
    query = db.select(Decision).order_by(Decision.id)
    for name, value in where.items():
        query = query.where(getattr(Decision, name) == value)
    return list(db.session.scalars(query))


def refreshed(item):
    db.session.expire_all()
    return db.session.get(type(item), item.id)


@pytest.fixture
def resident(app):
    return make_user(name="Riet van Dijk")


@pytest.fixture
def newcomer(app):
    return make_newcomer(name="Daan de Vries")


@pytest.fixture
def moderator(app):
    return make_user(name="Mehmet Yilmaz", email="moderator@example.org", role=Role.MODERATOR)


@pytest.fixture
def admin(app):
    return make_user(name="Anneke de Graaf", role=Role.ADMIN)


# --- Done when ------------------------------------------------------------------------------


def test_a_new_residents_first_idea_waits_until_the_moderator_approves_it(client, moderator):
    """Register → post → invisible to everyone else and to search → approved from the queue
    by moderator@example.org → public, and the decision is in the log and on the account page."""
    client.post("/registreren", data={"name": "Daan de Vries", "email": "daan@example.org",
                                      "password": "een-goed-wachtwoord", "password2": "een-goed-wachtwoord"})
    daan = db.session.scalar(db.select(User).where(User.email == "daan@example.org"))
    assert daan.is_new
    response = client.post("/themas/verkeer/nieuw", data={
        "kind": "idee", "title": "Zebrapad bij de Ringkade", "body": "Veel kinderen steken hier over."})
    assert response.status_code == 303
    post = db.session.scalar(db.select(Post))
    assert post.status == "pending"
    page = html(client.get(response.location))
    assert "wacht op controle door een moderator" in page and "Wacht op controle" in page

    for viewer in (None, make_user()):
        client.post("/uitloggen")
        if viewer:
            login(client, viewer)
        assert client.get(f"/berichten/{post.id}").status_code == 404
        assert "Zebrapad" not in html(client.get("/themas/verkeer"))
        assert "Zebrapad" not in html(client.get("/"))
        assert "0 berichten gevonden" in html(client.get("/zoeken?q=zebrapad"))

    switch_to(client, moderator)
    queue_page = html(client.get("/moderatie"))
    assert "Moderatie (<span id=\"moderatie-aantal\">1</span>)" in queue_page
    assert "Zebrapad bij de Ringkade" in queue_page and "Daan de Vries" in queue_page
    response = client.post(f"/moderatie/bericht/{post.id}/goedkeuren")
    assert response.status_code == 303 and response.location.endswith("/moderatie")
    assert "Goedgekeurd: bericht “Zebrapad bij de Ringkade”" in html(client.get(response.location))

    client.post("/uitloggen")
    assert client.get(f"/berichten/{post.id}").status_code == 200
    assert "Zebrapad bij de Ringkade" in html(client.get("/themas/verkeer"))
    assert search_posts("zebrapad").total == 1
    [decision] = decisions()
    assert (decision.verdict, decision.moderator_id, decision.subject_id) == (
        "approve", moderator.id, post.id)
    switch_to(client, moderator)
    log = html(client.get("/moderatie/logboek"))
    assert "Goedgekeurd" in log and "Zebrapad bij de Ringkade" in log and "door Mehmet Yilmaz" in log
    client.post("/uitloggen")
    client.post("/inloggen", data={"email": "daan@example.org", "password": "een-goed-wachtwoord"})
    account = html(client.get("/account"))
    assert "Goedgekeurd</strong>" in account and "uw bericht “Zebrapad bij de Ringkade”" in account


def test_three_reports_hide_a_post_until_a_moderator_restores_it(client, resident, moderator):
    post = make_post(resident, title="Bankjes in het park")
    reporters = [make_user() for _ in range(3)]
    for n, reporter in enumerate(reporters[:2], start=1):
        switch_to(client, reporter)
        response = client.post(f"/berichten/{post.id}/melden", data={"reason": "onvriendelijk",
                                                                    "explanation": f"Melding {n}"})
        assert response.status_code == 303 and response.location.endswith(f"/berichten/{post.id}")
        assert "Dank u voor uw melding" in html(client.get(response.location))
    client.post("/uitloggen")
    assert client.get(f"/berichten/{post.id}").status_code == 200  # two reports: still there
    assert queue.open_count() == 1

    switch_to(client, reporters[2])
    client.post(f"/berichten/{post.id}/melden", data={"reason": "reclame"})
    assert refreshed(post).status == "hidden"
    client.post("/uitloggen")
    assert client.get(f"/berichten/{post.id}").status_code == 404
    assert search_posts("bankjes").total == 0
    [automatic] = decisions()
    assert (automatic.verdict, automatic.moderator_id) == ("hide", None)

    switch_to(client, moderator)
    page = html(client.get("/moderatie"))
    assert "Verborgen na meldingen" in page and "Meldingen (3)" in page and "Melding 2" in page
    assert client.post(f"/moderatie/bericht/{post.id}/herstellen").status_code == 303
    assert refreshed(post).status == "published"
    client.post("/uitloggen")
    assert client.get(f"/berichten/{post.id}").status_code == 200
    assert search_posts("bankjes").total == 1
    assert queue.open_count() == 0
    assert db.session.scalar(db.select(db.func.count(Report.id)).where(Report.resolved_at.is_(None))) == 0
    assert [d.verdict for d in decisions()] == ["hide", "restore"]
    switch_to(client, resident)  # the author read both
    account = html(client.get("/account"))
    assert "Verborgen</strong>" in account and "Hersteld</strong>" in account
    assert "Drie bewoners meldden" in account


def test_theme_counts_follow_moderation(client, resident, newcomer, moderator):
    """A post counts on /themas while it is published: not while it waits, not while hidden."""
    waiting = make_pending_post(newcomer, theme_slug="groen")
    assert theme_counts(client)["groen"] == 0
    login(client, moderator)
    client.post(f"/moderatie/bericht/{waiting.id}/goedkeuren")
    assert theme_counts(client)["groen"] == 1
    client.post(f"/moderatie/bericht/{waiting.id}/verbergen", data={"reason": "Niet over groen."})
    assert theme_counts(client)["groen"] == 0
    client.post(f"/moderatie/bericht/{waiting.id}/herstellen")
    assert theme_counts(client)["groen"] == 1

    reported = make_post(resident, "groen")
    assert theme_counts(client)["groen"] == 2
    for _ in range(3):
        make_report(reported)
    assert refreshed(reported).status == "hidden"
    assert theme_counts(client)["groen"] == 1
    client.post(f"/moderatie/bericht/{reported.id}/herstellen")
    assert theme_counts(client)["groen"] == 2
    hidden_while_waiting = make_pending_post(newcomer, theme_slug="groen")
    client.post(f"/moderatie/bericht/{hidden_while_waiting.id}/verbergen", data={"reason": "Reclame."})
    assert refreshed(hidden_while_waiting).status == "hidden"
    counts = theme_counts(client)
    assert counts["groen"] == 2 and sum(counts.values()) == 2


# --- Trust ----------------------------------------------------------------------------------


def test_trusted_residents_moderators_and_admins_publish_at_once(app, resident, moderator, admin):
    for person in (resident, moderator, admin):
        assert policy.initial_status(person) == "published"
        assert policy.initial_status(person, hold=True) == "pending"  # a filled honeypot
    assert policy.initial_status(make_newcomer()) == "pending"


def test_a_new_accounts_reply_waits_and_the_reply_count_follows_moderation(client, resident, newcomer,
                                                                         moderator):
    post = make_post(resident)
    login(client, newcomer)
    response = client.post(f"/berichten/{post.id}/reageren", data={"reply": "Goed plan, ik help mee."})
    assert response.status_code == 303
    reply = db.session.scalar(db.select(Reply))
    assert reply.status == "pending" and refreshed(post).reply_count == 0
    own = html(client.get(f"/berichten/{post.id}"))
    assert "Goed plan, ik help mee." in own and "Wacht op controle" in own
    switch_to(client, resident)
    assert "Goed plan, ik help mee." not in html(client.get(f"/berichten/{post.id}"))

    switch_to(client, moderator)
    client.post(f"/moderatie/reactie/{reply.id}/goedkeuren")
    assert refreshed(post).reply_count == 1
    client.post(f"/moderatie/reactie/{reply.id}/verbergen", data={"reason": "Niet vriendelijk."})
    assert refreshed(post).reply_count == 0
    client.post(f"/moderatie/reactie/{reply.id}/herstellen")
    assert refreshed(post).reply_count == 1
    client.post("/uitloggen")
    assert "Goed plan, ik help mee." in html(client.get(f"/berichten/{post.id}"))


def test_a_new_members_help_item_waits_and_only_the_author_sees_it(client, moderator):
    circle = make_circle("Vleuten Dorp")
    neighbour = make_member(circle)
    newcomer = make_member(circle, name="Daan de Vries")
    newcomer.trusted = False
    db.session.commit()
    login(client, newcomer)
    response = client.post(f"/cirkels/{circle.slug}/hulp/nieuw", data={
        "kind": "request", "category": "klusjes", "title": "Plank ophangen", "text": "Wie helpt?"})
    assert response.status_code == 303
    item = db.session.scalar(db.select(HelpItem))
    assert (item.status, item.moderation) == ("open", "pending")
    assert "wacht op controle" in html(client.get(response.location))
    own = html(client.get(f"/cirkels/{circle.slug}"))
    assert "Plank ophangen" in own and "Wacht op controle" in own

    switch_to(client, neighbour)
    circle_page = html(client.get(f"/cirkels/{circle.slug}"))
    assert "Plank ophangen" not in circle_page and "Er staan nu geen hulpvragen open." in circle_page
    assert client.get(f"/hulp/{item.id}").status_code == 404
    assert client.post(f"/hulp/{item.id}/reageren", data={"message": "Ik"}).status_code == 404
    client.post("/uitloggen")
    assert "0 open hulpvragen" in html(client.get("/cirkels"))

    switch_to(client, moderator)
    assert "Plank ophangen" in html(client.get("/moderatie")) and "Buurtcirkel Vleuten Dorp" in html(
        client.get("/moderatie"))
    client.post(f"/moderatie/hulp/{item.id}/goedkeuren")
    switch_to(client, neighbour)
    assert "Plank ophangen" in html(client.get(f"/cirkels/{circle.slug}"))
    assert client.get(f"/hulp/{item.id}").status_code == 200
    client.post("/uitloggen")
    assert "1 open hulpvraag" in html(client.get("/cirkels"))


def test_three_approved_contributions_make_an_account_trusted(client, newcomer, moderator, resident):
    post = make_post(resident)
    items = [make_pending_post(newcomer) for _ in range(2)]
    items.append(board_service.add_reply(post, newcomer, "Mee eens!"))
    assert items[-1].status == "pending"
    login(client, moderator)
    for item in items:
        kind = "reactie" if isinstance(item, Reply) else "bericht"
        client.post(f"/moderatie/{kind}/{item.id}/goedkeuren")
    assert refreshed(newcomer).trusted
    automatic = decisions(verdict="trust")[0]
    assert (automatic.moderator_id, automatic.subject_user_id) == (None, newcomer.id)
    assert db.session.get(Post, make_post(newcomer).id).status == "published"  # created trusted
    switch_to(client, newcomer)
    client.post("/themas/verkeer/nieuw", data={"kind": "idee", "title": "Meteen online", "body": "Ja."})
    assert db.session.scalar(db.select(Post).where(Post.title == "Meteen online")).status == "published"


def test_a_moderator_trusts_an_account(client, newcomer, moderator):
    pending = make_pending_post(newcomer)
    login(client, moderator)
    response = client.post(f"/moderatie/account/{newcomer.id}/vertrouwen", data={"next": "/moderatie/mensen"})
    assert response.status_code == 303 and response.location.endswith("/moderatie/mensen")
    assert refreshed(newcomer).trusted and not refreshed(newcomer).is_new
    assert refreshed(pending).status == "pending"  # what waits still waits for a decision
    assert decisions()[-1].verdict == "trust"


# --- Reports ---------------------------------------------------------------------------------


def test_report_once_per_person_with_a_friendly_second_answer(client, resident):
    post = make_post(resident)
    reporter = make_user()
    login(client, reporter)
    page = html(client.get(f"/berichten/{post.id}"))
    assert f'href="/berichten/{post.id}/melden"' in page
    assert "Wat is er mis mee?" in html(client.get(f"/berichten/{post.id}/melden"))
    client.post(f"/berichten/{post.id}/melden", data={"reason": "reclame"})
    again = client.post(f"/berichten/{post.id}/melden", data={"reason": "onvriendelijk"},
                        follow_redirects=True)
    assert "U heeft dit al gemeld" in html(again)
    assert "U heeft dit al gemeld" in html(client.get(f"/berichten/{post.id}/melden"))
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 1
    assert db.session.scalar(db.select(Review.report_count)) == 1


def test_a_refused_second_report_changes_nothing_after_a_decision(client, resident, moderator):
    """Issue 23: reported, approved (out of the queue), reported again by the same person:
    "al gemeld", and the item stays out of the queue; nothing in the database changed. A
    report from someone else still brings it back."""
    post = make_post(resident)
    reporter = make_user()
    login(client, reporter)
    client.post(f"/berichten/{post.id}/melden", data={"reason": "reclame"})
    switch_to(client, moderator)
    assert client.post(f"/moderatie/bericht/{post.id}/goedkeuren", data={"reason": ""}).status_code == 303
    review = db.session.scalar(db.select(Review))
    closed = (review.is_open, review.opened_at, review.closed_at, review.report_count)
    assert closed[0] is False and queue.open_count() == 0
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    switch_to(client, reporter)
    event.listen(db.engine, "before_cursor_execute", record)
    again = client.post(f"/berichten/{post.id}/melden", data={"reason": "onvriendelijk"})
    event.remove(db.engine, "before_cursor_execute", record)
    assert "U heeft dit al gemeld" in html(client.get(f"/berichten/{post.id}"))
    assert again.status_code == 303
    review = refreshed(review)
    assert (review.is_open, review.opened_at, review.closed_at, review.report_count) == closed
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 1
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE REVIEWS")], statements
    switch_to(client, moderator)
    assert queue.open_count() == 0
    assert 'id="moderatie-aantal">0<' in html(client.get("/moderatie"))
    assert post.title not in html(client.get("/moderatie"))

    assert make_report(refreshed(post), make_user()) == service.ReportOutcome.REPORTED  # someone else
    db.session.commit()
    assert refreshed(review).is_open and queue.open_count() == 1


def test_reports_need_a_reason_and_keep_the_explanation(client, resident):
    post = make_post(resident)
    login(client, make_user())
    response = client.post(f"/berichten/{post.id}/melden", data={"explanation": "Er staat mijn adres in"})
    assert response.status_code == 422
    assert "Kies wat er mis mee is." in html(response) and "Er staat mijn adres in" in html(response)
    fragment = client.post(f"/berichten/{post.id}/melden", data={"reason": "privacy"}, headers=htmx_headers())
    assert fragment.status_code == 200 and "Gemeld. Dank u wel." in html(fragment)
    assert 'hx-swap-oob="innerHTML:#meldingen"' in html(fragment)


def test_replies_and_help_items_are_reported_the_same_way(client, resident, moderator):
    reply = make_reply(make_post(resident), resident, body="Onaardige reactie")
    circle = make_circle()
    author, neighbour = make_member(circle), make_member(circle)
    item = make_help_item(circle, author)
    login(client, neighbour)
    assert client.post(f"/reacties/{reply.id}/melden", data={"reason": "onvriendelijk"}).status_code == 303
    assert client.post(f"/hulp/{item.id}/melden", data={"reason": "reclame"}).status_code == 303
    switch_to(client, make_user())  # not a member: may not see, so may not report the item
    assert client.post(f"/hulp/{item.id}/melden", data={"reason": "reclame"}).status_code == 404
    switch_to(client, moderator)
    page = html(client.get("/moderatie"))
    assert "Reactie van" in page and "Onaardige reactie" in page and "Boodschappen doen" in page


def test_who_may_report_what(client, resident, newcomer):
    post = make_post(resident)
    pending = make_pending_post(newcomer)
    assert client.post(f"/berichten/{post.id}/melden", data={"reason": "reclame"}).status_code == 302
    login(client, resident)
    assert client.get(f"/berichten/{post.id}/melden").status_code == 403  # not one's own
    assert f"/berichten/{post.id}/melden" not in html(client.get(f"/berichten/{post.id}"))
    assert client.get(f"/berichten/{pending.id}/melden").status_code == 404  # cannot see it
    assert client.get("/berichten/99999/melden").status_code == 404
    assert client.get("/reacties/99999/melden").status_code == 404
    for kind in ("berichten", "reacties", "hulp"):
        assert client.get(f"/{kind}/99999999999999999999/melden").status_code == 404


# --- The queue and decisions ----------------------------------------------------------------


def test_queue_lists_oldest_first_with_context(client, resident, moderator):
    newcomer = make_newcomer(name="Lotte Jansen")
    newcomer.created_at = utcnow() - timedelta(days=3)
    first = make_pending_post(newcomer, title="Eerste idee")
    second = make_pending_post(newcomer, title="Tweede idee", theme_slug="groen")
    first.created_at = utcnow() - timedelta(hours=5)
    db.session.scalar(db.select(Review).where(Review.post_id == first.id)).opened_at = first.created_at
    db.session.commit()
    old = make_post(newcomer, title="Eerder verborgen")
    service.decide(moderator, old, Verdict.HIDE, "Reclame.")
    reported = make_post(resident, title="Gemeld bericht")
    make_report(reported, reason="privacy", explanation="Er staat een adres in.")
    login(client, moderator)
    page = html(client.get("/moderatie"))
    assert page.index("Eerste idee") < page.index("Tweede idee") < page.index("Gemeld bericht")
    assert "Prikbord, thema Groen" in page and "3 dagen oud" in page and "0 goedgekeurd, 1 verborgen" in page
    assert "Er staan persoonlijke gegevens in" in page and "Er staat een adres in." in page
    assert "3 bijdragen wachten" in page and second.title in page


def test_decide_inline_with_htmx_swaps_the_row_and_announces_it(client, moderator):
    post = make_pending_post(title="Fietsenrekken")
    make_pending_post()
    review = db.session.scalar(db.select(Review).where(Review.post_id == post.id))
    login(client, moderator)
    page = html(client.get("/moderatie"))
    decision = (f'data-hx-post="/moderatie/bericht/{post.id}/goedkeuren" '
                f'data-hx-target="#beoordeling-{review.id}"')
    assert decision in page
    response = client.post(f"/moderatie/bericht/{post.id}/goedkeuren", data={"rij": str(review.id)},
                           headers=htmx_headers())
    body = html(response)
    assert response.status_code == 200 and "<html" not in body
    assert f'id="beoordeling-{review.id}"' in body and "data-focus-after-swap" in body
    assert 'hx-swap-oob="innerHTML:#meldingen"' in body and "Goedgekeurd: bericht “Fietsenrekken”" in body
    assert '<span id="moderatie-aantal" data-hx-swap-oob="true">1</span>' in body
    assert len(gzip.compress(response.get_data())) <= FRAGMENT_BUDGET


def test_hiding_needs_a_reason_on_both_paths(client, moderator):
    post = make_pending_post(title="Spam")
    review = db.session.scalar(db.select(Review))
    login(client, moderator)
    page = client.post(f"/moderatie/bericht/{post.id}/verbergen", data={"reason": "  "})
    assert page.status_code == 422 and "<html" in html(page) and "Schrijf de reden op" in html(page)
    fragment = client.post(f"/moderatie/bericht/{post.id}/verbergen",
                           data={"rij": str(review.id), "reason": "x" * 1001}, headers=htmx_headers())
    body = html(fragment)
    assert fragment.status_code == 422 and "<html" not in body and f'id="beoordeling-{review.id}"' in body
    assert "Gebruik hooguit 1.000 tekens" in body and "x" * 1001 in body
    assert '<details class="decision-details" open>' in body
    assert refreshed(post).status == "pending" and decisions() == []
    client.post(f"/moderatie/bericht/{post.id}/verbergen", data={"reason": "Reclame hoort hier niet."})
    assert refreshed(post).status == "hidden" and decisions()[0].reason == "Reclame hoort hier niet."


def test_an_account_decision_in_a_row_keeps_the_row(client, newcomer, moderator):
    make_pending_post(newcomer)
    review = db.session.scalar(db.select(Review))
    login(client, moderator)
    response = client.post(f"/moderatie/account/{newcomer.id}/vertrouwen", data={"rij": str(review.id)},
                           headers=htmx_headers())
    body = html(response)
    assert response.status_code == 200 and f'id="beoordeling-{review.id}"' in body
    assert "Vertrouwd</span>" in body and "Vertrouwd: het account van Daan de Vries" in body


def test_a_second_click_changes_nothing(client, moderator):
    post = make_pending_post()
    login(client, moderator)
    client.post(f"/moderatie/bericht/{post.id}/goedkeuren")
    again = client.post(f"/moderatie/bericht/{post.id}/goedkeuren", follow_redirects=True)
    assert "Dit was al gebeurd" in html(again)
    assert client.post(f"/moderatie/bericht/{post.id}/herstellen").status_code == 303
    assert len(decisions()) == 1


def test_unknown_words_and_subjects_answer_404(client, moderator):
    post = make_pending_post()
    login(client, moderator)
    for path in (f"/moderatie/bericht/{post.id}/blokkeren", f"/moderatie/account/{post.author_id}/goedkeuren",
                 f"/moderatie/foto/{post.id}/goedkeuren", f"/moderatie/bericht/{post.id}/weg",
                 "/moderatie/bericht/99999/goedkeuren", "/moderatie/account/99999/blokkeren",
                 "/moderatie/reactie/99999999999999999999/goedkeuren"):
        assert client.post(path, data={"reason": "x"}).status_code == 404, path


def test_moderators_hide_what_they_come_across(client, resident, moderator):
    post = make_post(resident, title="Scheldpartij")
    login(client, moderator)
    page = html(client.get(f"/berichten/{post.id}"))
    hide = f"/moderatie/bericht/{post.id}/verbergen?next=/berichten/{post.id}"
    assert f'href="{hide}"' in page
    assert "Nodig. De schrijver leest deze reden" in html(client.get(hide))
    response = client.post(f"/moderatie/bericht/{post.id}/verbergen",
                           data={"reason": "Schelden mag niet.", "next": f"/berichten/{post.id}"})
    assert response.status_code == 303 and response.location.endswith(f"/berichten/{post.id}")
    assert "Verborgen door een moderator" in html(client.get(f"/berichten/{post.id}"))


# --- Accounts: block, trust, roles ------------------------------------------------------------


def test_a_blocked_account_cannot_sign_in_and_its_session_ends(client, resident, moderator):
    other = make_user()
    login(client, other)
    switch_to(client, moderator)
    assert client.post(f"/moderatie/account/{other.id}/blokkeren", data={"reason": ""}).status_code == 422
    client.post(f"/moderatie/account/{other.id}/blokkeren", data={"reason": "Steeds reclame."})
    assert refreshed(other).blocked
    client.post("/uitloggen")
    response = client.post("/inloggen", data={"email": other.email, "password": PASSWORD})
    assert response.status_code == 422 and "Uw account is geblokkeerd" in html(response)
    assert client.get("/account").status_code == 302


def test_an_open_session_of_a_blocked_account_ends_with_a_message(client, resident, moderator):
    login(client, resident)
    service.decide(moderator, resident, Verdict.BLOCK, "Steeds reclame.")
    page = html(client.get("/", follow_redirects=True))
    assert "Uw account is geblokkeerd" in page and "Inloggen" in page
    response = client.post("/themas/verkeer/nieuw", data={"kind": "idee", "title": "Nog eens", "body": "x"})
    assert response.status_code == 302 and "/inloggen" in response.location
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0


def test_blocking_rules(app, moderator, admin):
    other_moderator = make_user(role=Role.MODERATOR)
    other_admin = make_user(role=Role.ADMIN)
    resident = make_user()
    from portal.moderation.access import can_decide

    assert can_decide(moderator, resident, Verdict.BLOCK)
    assert not can_decide(moderator, other_moderator, Verdict.BLOCK)
    assert not can_decide(moderator, admin, Verdict.BLOCK)
    assert not can_decide(moderator, moderator, Verdict.BLOCK)
    assert can_decide(admin, other_moderator, Verdict.BLOCK)
    assert not can_decide(admin, other_admin, Verdict.BLOCK)
    assert not can_decide(moderator, resident, Verdict.MAKE_MODERATOR)
    assert can_decide(admin, resident, Verdict.MAKE_MODERATOR)
    assert not can_decide(resident, make_user(), Verdict.BLOCK)


def test_moderators_cannot_block_admins_or_each_other(client, moderator, admin):
    other = make_user(role=Role.MODERATOR)
    login(client, moderator)
    for person in (other, admin, moderator):
        response = client.post(f"/moderatie/account/{person.id}/blokkeren", data={"reason": "Waarom niet"})
        assert response.status_code == 403
        assert not refreshed(person).blocked
    switch_to(client, admin)
    response = client.post(f"/moderatie/account/{other.id}/blokkeren", data={"reason": "Misbruik"})
    assert response.status_code == 303
    assert refreshed(other).blocked


def test_admins_give_and_take_the_moderator_role(client, moderator, admin):
    resident = make_user(name="Joke Vermeulen")
    login(client, moderator)
    assert client.post(f"/moderatie/account/{resident.id}/moderator-maken").status_code == 403
    assert "Moderator maken" not in html(client.get("/moderatie/mensen"))
    switch_to(client, admin)
    people = html(client.get("/moderatie/mensen?naam=joke"))
    assert "Moderator maken" in people and "Joke Vermeulen" in people
    client.post(f"/moderatie/account/{resident.id}/moderator-maken", data={"next": "/moderatie/mensen"})
    assert refreshed(resident).role == "moderator"
    switch_to(client, resident)
    assert client.get("/moderatie").status_code == 200
    switch_to(client, admin)
    client.post(f"/moderatie/account/{resident.id}/moderator-afnemen")
    assert refreshed(resident).role == "resident"
    assert [d.verdict for d in decisions()] == ["make_moderator", "end_moderator"]


def test_people_page_filters(client, moderator, newcomer):
    blocked = make_user(name="Kees Geblokkeerd")
    blocked.blocked = True
    db.session.commit()
    login(client, moderator)
    assert "Daan de Vries" in html(client.get("/moderatie/mensen?soort=nieuw"))
    assert "Kees Geblokkeerd" not in html(client.get("/moderatie/mensen?soort=nieuw"))
    page = html(client.get("/moderatie/mensen?soort=geblokkeerd"))
    assert "Kees Geblokkeerd" in page and "Deblokkeren" in page
    assert "Niemand gevonden" in html(client.get("/moderatie/mensen?naam=%25%25"))


# --- Permission matrix ------------------------------------------------------------------------

ROUTES = [
    ("GET", "/moderatie"),
    ("GET", "/moderatie/logboek"),
    ("GET", "/moderatie/mensen"),
    ("GET", "/moderatie/bericht/{post}/verbergen"),
] + [("POST", f"/moderatie/{kind}/{{{subject}}}/{verdict}") for kind, subject, verdicts in [
    ("bericht", "post", ["goedkeuren", "verbergen", "herstellen"]),
    ("reactie", "reply", ["goedkeuren", "verbergen", "herstellen"]),
    ("hulp", "item", ["goedkeuren", "verbergen", "herstellen"]),
    ("account", "person", ["vertrouwen", "blokkeren", "deblokkeren"]),
] for verdict in verdicts]
ADMIN_ONLY = [("POST", "/moderatie/account/{person}/moderator-maken"),
              ("POST", "/moderatie/account/{person}/moderator-afnemen")]


@pytest.fixture
def subjects_to_decide(app):
    """One of each, so each route has something to decide on."""
    newcomer = make_newcomer()
    post = make_pending_post(newcomer)
    reply = board_service.add_reply(post, newcomer, "Een reactie")
    circle = make_circle()
    member = make_member(circle)
    return {"post": post.id, "reply": reply.id, "item": make_help_item(circle, member).id,
            "person": newcomer.id}


def _allowed(response) -> bool:
    return response.status_code in (200, 303)


@pytest.mark.parametrize("persona", ["anonymous", "resident", "moderator", "admin"])
def test_permission_matrix(client, subjects_to_decide, persona):
    people = {"resident": make_user(), "moderator": make_user(role=Role.MODERATOR),
              "admin": make_user(role=Role.ADMIN)}
    if persona != "anonymous":
        login(client, people[persona])
    for method, template in ROUTES + ADMIN_ONLY:
        path = template.format(**subjects_to_decide)
        send = client.post if method == "POST" else client.get
        response = send(path, data={"reason": "Een reden"})
        if persona == "anonymous":
            assert response.status_code == 302 and "/inloggen" in response.location, path
        elif persona == "resident" or (persona == "moderator" and (method, template) in ADMIN_ONLY):
            assert response.status_code == 403, path
        else:
            assert _allowed(response), (path, response.status_code)
    if persona == "anonymous":
        for path in ("/berichten/{post}/melden", "/reacties/{reply}/melden", "/hulp/{item}/melden"):
            assert client.get(path.format(**subjects_to_decide)).status_code == 302


def test_the_header_counts_the_queue_for_moderators_only(client, resident, moderator, admin):
    make_pending_post()
    make_pending_post()
    login(client, resident)
    assert "Moderatie (" not in html(client.get("/"))
    for person in (moderator, admin):
        switch_to(client, person)
        assert 'Moderatie (<span id="moderatie-aantal">2</span>)' in html(client.get("/"))


def test_the_header_count_is_one_query(client, resident, moderator):
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    def queries(person) -> int:
        switch_to(client, person)
        statements.clear()
        assert client.get("/privacy").status_code == 200
        # BEGIN left out: a person not kept yet is read in a transaction of its own
        return sum(not statement.startswith("BEGIN") for statement in statements)

    make_pending_post()
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        as_resident, as_moderator = queries(resident), queries(moderator)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert as_moderator == as_resident + 1, statements


# --- The log ------------------------------------------------------------------------------------

CONTENT_DECISIONS = [("goedkeuren", "approve"), ("verbergen", "hide"), ("herstellen", "restore")]
ACCOUNT_DECISIONS = [("vertrouwen", "trust"), ("blokkeren", "block"), ("deblokkeren", "unblock"),
                     ("moderator-maken", "make_moderator"), ("moderator-afnemen", "end_moderator")]
EVERY_DECISION = [(kind, slug, verdict) for kind in ("bericht", "reactie", "hulp")
                  for slug, verdict in CONTENT_DECISIONS] + [("account", *d) for d in ACCOUNT_DECISIONS]
STORED_TYPES = {"bericht": "post", "reactie": "reply", "hulp": "help", "account": "account"}


@pytest.mark.parametrize(("kind", "slug", "verdict"), EVERY_DECISION)
def test_every_decision_writes_one_line_in_the_log_and_tells_the_person(client, admin, kind, slug, verdict):
    newcomer = make_newcomer(name="Daan de Vries")
    post = make_pending_post(newcomer, title="Het onderwerp")
    subject = {
        "bericht": lambda: post,
        "reactie": lambda: board_service.add_reply(post, newcomer, "Het onderwerp, als reactie"),
        "hulp": lambda: make_help_item(make_circle(), newcomer, title="Het onderwerp"),
        "account": lambda: newcomer,
    }[kind]()
    if verdict == "restore":
        service.decide(admin, subject, Verdict.HIDE, "Eerst verborgen.")
    if verdict in ("unblock", "end_moderator"):
        service.decide(admin, subject, Verdict.BLOCK if verdict == "unblock" else Verdict.MAKE_MODERATOR, "x")
    before = len(decisions())
    login(client, admin)
    response = client.post(f"/moderatie/{kind}/{subject.id}/{slug}", data={"reason": "Omdat het moet."})
    assert response.status_code == 303
    new = decisions()[before:]
    assert [d.verdict for d in new] == [verdict]
    [line] = new
    assert (line.moderator_id, line.subject_id, line.subject_user_id, line.reason) == (
        admin.id, subject.id, newcomer.id, "Omdat het moet.")
    assert line.subject_type == STORED_TYPES[kind]
    assert line.subject_label in ("Het onderwerp", "Het onderwerp, als reactie", "Daan de Vries")
    assert db.session.scalar(db.select(Notice).where(Notice.decision_id == line.id)).user_id == newcomer.id


def test_the_log_is_append_only(app, moderator):
    post = make_pending_post()
    decision = service.decide(moderator, post, Verdict.APPROVE)
    db.session.commit()  # as the request would
    decision.reason = "Achteraf aangepast"
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.delete(db.session.get(Decision, decision.id))
        db.session.commit()
    db.session.rollback()
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/moderatie/logboek")]
    assert [sorted(r.methods - {"HEAD", "OPTIONS"}) for r in rules] == [["GET"]]


def test_the_log_filters_by_moderator_and_decision_and_pages_by_twenty(client, moderator, admin):
    for n in range(23):
        service.decide(moderator, make_pending_post(title=f"Idee nummer {n}"), Verdict.APPROVE)
    service.decide(admin, make_pending_post(title="Verborgen door beheer"), Verdict.HIDE, "Reclame")
    make_report(post := make_post(), make_user())
    make_report(post, make_user())
    make_report(post, make_user())  # hidden by the portal itself
    login(client, moderator)
    first = html(client.get("/moderatie/logboek"))
    assert "25 besluiten" in first and "Pagina 1 van 2" in first and "automatisch, door het portaal" in first
    assert len(re.findall(r'class="log-entry"', first)) == 20
    second = html(client.get("/moderatie/logboek?pagina=2"))
    assert len(re.findall(r'class="log-entry"', second)) == 5 and "Idee nummer 0" in second
    by_admin = html(client.get(f"/moderatie/logboek?moderator={admin.id}"))
    assert "1 besluit met deze keuze" in by_admin and "Verborgen door beheer" in by_admin
    hidden = html(client.get("/moderatie/logboek?besluit=verbergen"))
    assert "2 besluiten" in hidden and "Idee nummer" not in hidden
    automatic = html(client.get("/moderatie/logboek?moderator=automatisch&besluit=verbergen"))
    assert "1 besluit met deze keuze" in automatic
    odd = html(client.get("/moderatie/logboek?moderator=rommel&besluit=goedkeuren&pagina=x"))
    assert "23 besluiten met deze keuze" in odd  # an unknown moderator is no filter
    for odd in ("<script>", "%C2%B2", "99999999999999999999"):
        assert client.get(f"/moderatie/logboek?moderator={odd}&besluit=%00").status_code == 200
    post = make_pending_post()
    assert client.post(f"/moderatie/bericht/{post.id}/goedkeuren", data={"rij": "²"},
                       headers=htmx_headers()).status_code == 200


# --- Abuse defences ----------------------------------------------------------------------------


def test_new_accounts_may_not_post_links_and_keep_their_text(client, newcomer, resident):
    login(client, newcomer)
    for body in ("Kijk op https://goedkope-horloges.example", "Zie www.voorbeeld.nl", "Mail naar winkel.nl"):
        response = client.post("/themas/verkeer/nieuw", data={"kind": "idee", "title": "Aanbieding",
                                                              "body": body})
        assert response.status_code == 422, body
        assert "Nieuwe deelnemers kunnen nog geen webadressen" in html(response) and body in html(response)
    post = make_post(resident)
    response = client.post(f"/berichten/{post.id}/reageren", data={"reply": "Zie http://spam.example"},
                           headers=htmx_headers())
    assert response.status_code == 422 and "webadressen" in html(response)
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 1
    switch_to(client, resident)  # trusted: links are fine
    client.post("/themas/verkeer/nieuw", data={"kind": "idee", "title": "Link", "body": "https://www.utrecht.nl"})
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 2


def test_a_new_account_cannot_add_a_link_by_editing(client, newcomer, moderator):
    post = make_pending_post(newcomer)
    service.decide(moderator, post, Verdict.APPROVE)
    login(client, newcomer)
    response = client.post(f"/berichten/{post.id}/bewerken", data={"title": post.title,
                                                                   "body": "Nu met https://spam.example"})
    assert response.status_code == 422 and "webadressen" in html(response)
    assert "https://spam.example" not in refreshed(post).body


def test_the_same_text_twice_within_an_hour_is_refused(client, resident):
    login(client, resident)
    data = {"kind": "idee", "title": "Bankje bij de bushalte", "body": "Graag een bankje."}
    assert client.post("/themas/verkeer/nieuw", data=data).status_code == 303
    again = client.post("/themas/verkeer/nieuw", data={**data, "body": "  graag een   BANKJE. "})
    assert again.status_code == 422
    assert "U heeft deze tekst het afgelopen uur al geplaatst" in html(again) and "BANKJE" in html(again)
    post = db.session.scalar(db.select(Post))
    post.created_at = utcnow() - timedelta(minutes=61)
    db.session.commit()
    assert client.post("/themas/verkeer/nieuw", data=data).status_code == 303

    client.post(f"/berichten/{post.id}/reageren", data={"reply": "Mee eens"})
    refused = client.post(f"/berichten/{post.id}/reageren", data={"reply": "Mee eens"})
    assert refused.status_code == 422 and "al geplaatst" in html(refused)
    circle = make_circle()
    member = make_member(circle)
    switch_to(client, member)
    item = {"kind": "request", "category": "klusjes", "title": "Lamp ophangen", "text": ""}
    assert client.post(f"/cirkels/{circle.slug}/hulp/nieuw", data=item).status_code == 303
    assert client.post(f"/cirkels/{circle.slug}/hulp/nieuw", data=item).status_code == 422


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_a_filled_honeypot_holds_posts_and_replies_for_a_moderator(client, resident, htmx):
    """Autofill and password managers fill the hidden field too, so it never refuses: a
    trusted resident's post and reply go through and wait in the queue, as a newcomer's would."""
    post = make_post(resident)
    login(client, resident)
    page = html(client.get(f"/berichten/{post.id}"))
    honeypot = re.search(r'<input[^>]*name="website"[^>]*>', page).group(0)
    assert 'autocomplete="off"' in honeypot and 'tabindex="-1"' in honeypot
    headers = htmx_headers() if htmx else {}
    response = client.post(f"/berichten/{post.id}/reageren", headers=headers,
                           data={"reply": "Mee eens, goed plan", "website": "Riet van Dijk"})
    assert response.status_code == (200 if htmx else 303)
    assert "wacht op controle" in html(response if htmx else client.get(response.location))
    reply = db.session.scalar(db.select(Reply))
    assert reply.status == "pending" and refreshed(post).reply_count == 0
    response = client.post("/themas/verkeer/nieuw", headers=headers, data={
        "kind": "idee", "title": "Bankje bij de kerk", "body": "Om even uit te rusten.",
        "website": "https://riet.example"})
    assert response.status_code == (200 if htmx else 303)
    held = db.session.scalar(db.select(Post).where(Post.title == "Bankje bij de kerk"))
    assert held.status == "pending" and queue.open_count() == 2
    assert theme_counts(client)["verkeer"] == 1  # only the published one counts


def test_rate_limits_answer_the_friendly_429_page(client, resident):
    posts = [make_post(resident) for _ in range(21)]
    login(client, make_user())
    for n, post in enumerate(posts):
        response = client.post(f"/berichten/{post.id}/melden", data={"reason": "reclame"})
        assert response.status_code == (429 if n == 20 else 303), n
    assert "Even rustig aan" in html(response)
    switch_to(client, resident)
    for n in range(21):
        response = client.post("/themas/verkeer/nieuw", data={"kind": "idee", "title": f"Idee {n}",
                                                              "body": f"Tekst {n}"})
    assert response.status_code == 429 and "Even rustig aan" in html(response)
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 21 + 20


def test_rate_limit_on_help_items(client):
    circle = make_circle()
    member = make_member(circle)
    login(client, member)
    for n in range(21):
        response = client.post(f"/cirkels/{circle.slug}/hulp/nieuw", data={
            "kind": "request", "category": "klusjes", "title": f"Klus {n}"})
    assert response.status_code == 429


def test_the_checks_live_in_one_place(app, newcomer):
    """Board and circles both ask ``policy.may_contribute``; it refuses blocked accounts too."""
    from wtforms import Form, StringField

    class Text(Form):
        text = StringField()

    form = Text(data={"text": "Zie https://example.org"})
    assert not policy.may_contribute(newcomer, SubjectType.POST, form.text)
    newcomer.blocked = True
    form = Text(data={"text": "Gewone tekst"})
    assert not policy.may_contribute(newcomer, SubjectType.HELP, form.text)
    assert form.text.errors == [policy.BLOCKED]


# --- The author's account page, pages and budgets --------------------------------------------


def test_the_author_sees_waiting_items_and_decisions_with_reasons(client, newcomer, moderator):
    waiting = make_pending_post(newcomer, title="Nog even geduld")
    hidden = make_pending_post(newcomer, title="Te fel")
    service.decide(moderator, hidden, Verdict.HIDE, "Schrijf het wat vriendelijker, dan kan het wel.")
    login(client, newcomer)
    page = html(client.get("/account"))
    assert "U bent nieuw op het portaal" in page
    assert f'<a class="row-link" href="/berichten/{waiting.id}">Nog even geduld</a>' in page
    assert "Verborgen</strong>" in page and "“Te fel”" in page
    assert "Schrijf het wat vriendelijker" in page
    assert "Waarom, leest u op" in html(client.get(f"/berichten/{hidden.id}"))


def test_moderation_pages_within_35_kb(client, moderator):
    for n in range(25):
        post = make_pending_post(title=f"Een idee met een lange titel over de wijk {n}",
                                 body="Een lange tekst over wat er beter kan in de buurt. " * 15)
        make_report(make_post(title=f"Gemeld {n}"), make_user(), "reclame", "Dit is reclame. " * 20)
        service.decide(moderator, post, Verdict.HIDE, "Dit hoort hier niet. " * 10)
    login(client, moderator)
    for path in ("/moderatie", "/moderatie/logboek", "/moderatie/mensen"):
        assert_within_budget(client, path)
        assert_no_third_party(html(client.get(path)))


def test_demo_data_fills_the_queue_and_the_log(app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo-wachtwoord"])
    assert result.exit_code == 0, result.output
    contract = db.session.scalars(db.select(User).where(User.email.in_(
        ["bewoner@example.org", "buiten@example.org", "verbinder@example.org", "moderator@example.org",
         "beheer@example.org"])))
    assert all(person.trusted and not person.blocked for person in contract)
    newcomer = db.session.scalar(db.select(User).where(User.email == NEWCOMER[1]))
    assert newcomer.is_new
    waiting = db.session.scalars(db.select(Review).where(Review.is_open)).all()
    types = {review.subject_type for review in waiting}
    assert types == {"post", "reply", "help"} and len(waiting) >= 4
    reported = db.session.scalar(db.select(Post).where(Post.title == REPORTED_POST))
    assert reported.status == "published" and db.session.scalar(
        db.select(Review.report_count).where(Review.post_id == reported.id)) == 2
    assert db.session.scalar(db.select(Post).where(Post.title == WAITING_IDEA)).status == "pending"
    assert len(decisions()) >= 3
    assert queue.open_count() == len(waiting)
