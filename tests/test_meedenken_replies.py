"""Reactions on inbreng (issue 28, part 2): posted on the contribution's page while ``ophalen``
runs, without JavaScript (PRG to ``#reactie-<id>``) and with htmx (the form swapped, the reaction
added); refused after the deadline with the text kept; moderated like the board's replies (a new
account's waits, reports, hiding, ``reply_count`` kept); only the inbreng's author hears of it,
at their pace; wijken kept apart; a fixed number of queries; the AVG export; migration 0025."""

from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import insert, inspect, text
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.meedenken import access, service
from portal.models import (
    DigestItem,
    DigestPace,
    Follow,
    FollowKind,
    Inbreng,
    InbrengReply,
    Review,
    Traject,
)
from portal.models.base import utcnow
from portal.moderation import access as moderation_access
from portal.notifications.service import set_pace
from portal.wijk import in_wijk
from portal.wijken.service import create_wijk
from tests.conftest import htmx_headers, login
from tests.factories import make_user
from tests.test_meedenken import SLUG, body_of, html, make_traject, switch

pytest_plugins = ["tests.mailserver", "tests.meedenken_people"]  # mail_server, people

IDEA = "Een veilige oversteekplaats bij de bakker."
REACTION = "Eens, en graag ook een bankje bij de bushalte."




def make_inbreng(author, days_left: int = 14, **fields) -> Inbreng:
    traject = db.session.scalar(db.select(Traject).where(Traject.slug == SLUG)) or make_traject(
        days_left=days_left)
    item = Inbreng(traject_id=traject.id, author=author, text=IDEA, **fields)
    db.session.add(item)
    db.session.commit()
    return item


def page_of(item: Inbreng) -> str:
    return f"/meedenken/{SLUG}/inbreng/{item.id}"


def reply_count(item: Inbreng) -> int:
    db.session.expire_all()
    return db.session.get(Inbreng, item.id).reply_count


def the_reply() -> InbrengReply:
    return db.session.scalar(db.select(InbrengReply).order_by(InbrengReply.id.desc()))


# --- without JavaScript and with htmx ---------------------------------------------------------------


def test_a_reaction_without_javascript_lands_on_its_anchor_and_is_counted(client, people):
    bewoner, buur, _ = people
    item = make_inbreng(bewoner)
    assert "Log in om te reageren" in html(client.get(page_of(item)))
    login(client, buur)
    form = html(client.get(page_of(item)))
    assert 'id="reactie-formulier"' in form and 'aria-live="polite"' in form
    assert '<label for="text">Uw reactie</label>' in form and 'name="website"' in form

    posted = client.post(f"{page_of(item)}/reacties", data={"text": REACTION})
    reply = the_reply()
    assert posted.status_code == 303
    assert posted.location.endswith(f"{page_of(item)}#reactie-{reply.id}")
    assert (reply.author_id, reply.status, reply.text) == (buur.id, "published", REACTION)
    assert reply_count(item) == 1
    page = client.get(posted.location)
    assert f'id="reactie-{reply.id}"' in html(page) and REACTION in html(page)
    assert "Uw reactie staat bij de inbreng" in html(page)  # the confirmation
    assert 'Reacties (<span id="reacties-aantal">1</span>)' in html(page)

    traject = html(client.get(f"/meedenken/{SLUG}"))  # "1 reactie", a link to the contribution
    assert f'<a href="{page_of(item)}#reacties">1 reactie<span class="visually-hidden">' in traject
    empty = client.post(f"{page_of(item)}/reacties", data={"text": "  "})
    assert empty.status_code == 422 and "Vul dit veld in." in html(empty)


def test_a_reaction_with_htmx_swaps_the_form_and_adds_itself_to_the_list(client, people):
    bewoner, buur, _ = people
    item = make_inbreng(bewoner)
    login(client, buur)
    answer = client.post(f"{page_of(item)}/reacties", data={"text": REACTION}, headers=htmx_headers())
    reply = the_reply()
    fragment = html(answer)
    assert answer.status_code == 200 and "<html" not in fragment
    assert "Geplaatst" in fragment and 'name="text"' in fragment and REACTION in fragment
    assert 'data-hx-swap-oob="beforeend:#reacties-lijst"' in fragment
    assert f'id="reactie-{reply.id}"' in fragment
    assert '<span id="reacties-aantal" data-hx-swap-oob="true">1</span>' in fragment
    assert "Uw reactie staat bij de inbreng" in fragment  # the flash, out of band
    assert len(fragment.encode()) < 4096  # an htmx partial: at most 4 KB
    invalid = client.post(f"{page_of(item)}/reacties", data={"text": ""}, headers=htmx_headers())
    assert invalid.status_code == 422 and "<html" not in html(invalid) and "Vul dit veld in." in html(invalid)


def test_after_the_deadline_a_reaction_is_refused_with_the_text_kept(client, people):
    bewoner, buur, _ = people
    item = make_inbreng(bewoner, days_left=-1)
    login(client, buur)
    page = html(client.get(page_of(item)))
    assert 'name="text"' not in page and "Reageren kan niet meer" in page
    late = client.post(f"{page_of(item)}/reacties", data={"text": REACTION})
    assert late.status_code == 422
    assert "het ophalen van ideeën voor dit traject is gesloten" in html(late) and REACTION in html(late)
    assert 'type="submit" class="button">Plaats reactie' not in html(late)  # no button: it is closed
    with_htmx = client.post(f"{page_of(item)}/reacties", data={"text": REACTION}, headers=htmx_headers())
    assert with_htmx.status_code == 422 and REACTION in html(with_htmx) and "gesloten" in html(with_htmx)
    assert db.session.scalar(db.select(db.func.count()).select_from(InbrengReply)) == 0
    with pytest.raises(service.Closed):
        service.add_reply(db.session.get(Inbreng, item.id), buur, REACTION)


# --- moderation ----------------------------------------------------------------------------------------


def test_a_new_accounts_reaction_waits_for_a_moderator(client, mail_server, people):
    bewoner, _, moderator = people
    item = make_inbreng(bewoner)
    newcomer = make_user("Nieuwe Buur", trusted=False)
    login(client, newcomer)
    linked = client.post(f"{page_of(item)}/reacties", data={"text": "Kijk op www.voorbeeld.nl"})
    assert linked.status_code == 422 and "webadressen" in html(linked)  # the board's rule
    waiting = client.post(f"{page_of(item)}/reacties", data={"text": REACTION})
    reply = the_reply()
    assert waiting.status_code == 303 and reply.status == "pending" and reply_count(item) == 0
    mine = html(client.get(waiting.location))
    assert "wacht even op een moderator" in mine and REACTION in mine and "Wacht op controle" in mine
    again = client.post(f"{page_of(item)}/reacties", data={"text": REACTION})
    assert again.status_code == 422 and "al geplaatst" in html(again)  # the duplicate check
    client.post("/uitloggen")
    assert REACTION not in html(client.get(page_of(item)))
    mail_server.deliver()
    assert mail_server.to(bewoner.email) == []  # not yet: it is not public

    login(client, moderator)
    queue = html(client.get("/moderatie"))
    assert "Reactie van Nieuwe Buur op inbreng" in queue and "reactie op inbreng" in queue.lower()
    assert f"{page_of(item)}#reactie-{reply.id}" in queue
    assert REACTION in html(client.get(page_of(item)))  # moderators see it, marked
    approved = client.post(f"/moderatie/inbrengreactie/{reply.id}/goedkeuren", data={"reason": ""})
    assert approved.status_code == 303
    assert reply_count(item) == 1
    mail_server.deliver()
    [told] = mail_server.to(bewoner.email)  # now the author hears of it
    assert REACTION in body_of(told)
    client.post("/uitloggen")
    assert REACTION in html(client.get(page_of(item)))


def test_a_filled_honeypot_holds_even_a_trusted_reaction(client, people):
    bewoner, buur, _ = people
    item = make_inbreng(bewoner)
    login(client, buur)
    assert client.post(f"{page_of(item)}/reacties",
                       data={"text": REACTION, "website": "http://spam.example"}).status_code == 303
    assert the_reply().status == "pending" and reply_count(item) == 0


def test_report_queue_hide_and_the_count_drops(client, people):
    bewoner, buur, moderator = people
    item = make_inbreng(bewoner)
    login(client, buur)
    client.post(f"{page_of(item)}/reacties", data={"text": "Onaardige reactie"})
    reply = the_reply()
    assert reply_count(item) == 1
    report = f"{page_of(item)}/reacties/{reply.id}/melden"
    assert report not in html(client.get(page_of(item)))  # not for its writer
    assert client.get(report).status_code == 403

    switch(client, bewoner)
    assert f'href="{report}"' in html(client.get(page_of(item)))
    form = client.get(report)
    assert form.status_code == 200 and "Reactie op inbreng melden" in html(form)
    reported = client.post(report, data={"reason": "onvriendelijk", "explanation": "Niet aardig."})
    assert reported.status_code == 303 and reported.location.endswith(f"{page_of(item)}#reactie-{reply.id}")
    with_htmx = client.post(report, data={"reason": "onvriendelijk"}, headers=htmx_headers())
    assert with_htmx.status_code == 200 and "al gemeld" in html(with_htmx)

    switch(client, moderator)
    queue = html(client.get("/moderatie"))
    assert "Reactie van Karin Smulders op inbreng" in queue and "Niet aardig." in queue
    assert f"/moderatie/inbrengreactie/{reply.id}/verbergen" in queue
    decide = f"/moderatie/inbrengreactie/{reply.id}"
    hidden = client.post(f"{decide}/verbergen", data={"reason": "Niet vriendelijk."})
    assert hidden.status_code == 303
    assert reply_count(item) == 0
    moderators = html(client.get(page_of(item)))
    assert "Onaardige reactie" in moderators and "Verborgen" in moderators
    assert f"/moderatie/inbrengreactie/{reply.id}/herstellen" in moderators  # "Weer tonen"
    log = html(client.get("/moderatie/logboek"))
    assert "reactie op inbreng" in log

    client.post("/uitloggen")
    assert "Onaardige reactie" not in html(client.get(page_of(item)))
    assert "0 reacties" in html(client.get(f"/meedenken/{SLUG}"))
    login(client, buur)
    assert "Onaardige reactie" in html(client.get(page_of(item)))  # its writer still sees it, marked
    assert client.get(report).status_code == 403  # hidden: nothing to report
    switch(client, moderator)
    assert client.post(f"{decide}/herstellen", data={"reason": ""}).status_code == 303
    assert reply_count(item) == 1


def test_three_reports_hide_a_reaction_and_the_count_drops(client, people):
    bewoner, buur, _ = people
    item = make_inbreng(bewoner)
    reply = service.add_reply(item, buur, "Onaardige reactie")
    db.session.commit()
    assert reply_count(item) == 1
    for _ in range(3):
        login(client, make_user())
        client.post(f"{page_of(item)}/reacties/{reply.id}/melden", data={"reason": "onvriendelijk"})
        client.post("/uitloggen")
    assert db.session.get(InbrengReply, reply.id).status == "hidden" and reply_count(item) == 0


def test_who_may_react_and_read(app, people):
    bewoner, buur, moderator = people
    item = make_inbreng(bewoner)
    reply = service.add_reply(item, buur, REACTION)
    waiting = service.add_reply(item, make_user(trusted=False), "Een vraag")
    hidden_inbreng = make_inbreng(bewoner, status="hidden")
    blocked = make_user()
    blocked.blocked = True
    db.session.commit()
    visitor, other = AnonymousUserMixin(), make_user()
    assert [access.can_reply(who, item) for who in (visitor, other, bewoner, moderator, blocked)] == [
        False, True, True, True, False]
    assert not access.can_reply(bewoner, hidden_inbreng)
    assert access.can_read_reply(visitor, reply) and not access.can_read_reply(visitor, waiting)
    assert not access.can_read_reply(other, waiting) and access.can_read_reply(moderator, waiting)
    assert access.can_read_reply(waiting.author, waiting)
    assert moderation_access.can_report(bewoner, reply) and not moderation_access.can_report(buur, reply)


def test_hidden_inbreng_takes_no_reactions(client, people):
    bewoner, _, moderator = people
    hidden = make_inbreng(bewoner, status="hidden")
    login(client, moderator)  # moderators read it, but nobody reacts on it
    assert 'name="text"' not in html(client.get(page_of(hidden)))
    assert client.post(f"{page_of(hidden)}/reacties", data={"text": REACTION}).status_code == 403
    switch(client, make_user())
    assert client.post(f"{page_of(hidden)}/reacties", data={"text": REACTION}).status_code == 404


# --- mail ----------------------------------------------------------------------------------------------


def test_only_the_author_hears_of_a_reaction_at_their_pace(client, mail_server, people):
    """The author, at pace "direct", gets one mail; the one who reacted none; someone who follows
    the traject hears of its steps, not of every reaction."""
    bewoner, buur, _ = people
    item = make_inbreng(bewoner)
    follower = make_user("Volger", "volger@example.org")
    set_pace(follower, DigestPace.DIRECT.value)
    db.session.add(Follow(user_id=follower.id, kind=FollowKind.TRAJECT.value, target_id=item.traject_id,
                          created_at=utcnow()))
    db.session.commit()
    login(client, buur)
    assert client.post(f"{page_of(item)}/reacties", data={"text": REACTION}).status_code == 303
    reply = the_reply()
    mail_server.deliver()
    [told] = mail_server.to(bewoner.email)
    assert told["Subject"] == "Nieuwe reactie op uw inbreng over Herinrichting Dorpsstraat Vleuten"
    body = body_of(told)
    assert "Karin Smulders reageerde op uw inbreng" in body and REACTION in body
    assert f"{page_of(item)}#reactie-{reply.id}" in body and "/afmelden/" in body
    assert mail_server.to(buur.email) == [] and mail_server.to(follower.email) == []

    switch(client, bewoner)  # the author reacting on their own inbreng: nobody is told
    assert client.post(f"{page_of(item)}/reacties", data={"text": "Dank u, Karin."}).status_code == 303
    mail_server.deliver()
    assert len(mail_server.to(bewoner.email)) == 1 and mail_server.to(buur.email) == []


def test_a_weekly_author_gets_it_in_the_digest_and_never_nothing(app, people):
    bewoner, buur, _ = people
    item = make_inbreng(bewoner)
    set_pace(bewoner, DigestPace.WEEKLY.value)
    db.session.commit()
    service.add_reply(item, buur, REACTION)
    db.session.commit()
    [kept] = db.session.scalars(db.select(DigestItem)).all()
    assert (kept.user_id, kept.kind, kept.target_id) == (bewoner.id, "traject", item.traject_id)
    assert kept.source == "Meedenken: Herinrichting Dorpsstraat Vleuten" and kept.text == REACTION
    set_pace(bewoner, DigestPace.NEVER.value)
    db.session.commit()
    service.add_reply(item, buur, "Nog een reactie")
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(DigestItem)) == 1


def test_the_verbinder_who_typed_in_paper_inbreng_hears_of_a_reaction(client, mail_server, people):
    _, buur, moderator = people
    set_pace(moderator, DigestPace.DIRECT.value)
    db.session.commit()
    item = make_inbreng(moderator, on_behalf_name="Truus")
    login(client, buur)
    client.post(f"{page_of(item)}/reacties", data={"text": REACTION})
    mail_server.deliver()
    [told] = mail_server.to(moderator.email)
    assert "de inbreng die u namens Truus gaf" in told["Subject"]


# --- wijken, queries, the AVG ---------------------------------------------------------------------------


def test_another_wijk_cannot_see_a_reaction(app, client, people):
    from tests.test_wijk_isolation import HostClient

    bewoner, buur, _ = people
    item = make_inbreng(bewoner)
    reply = service.add_reply(item, buur, REACTION)
    db.session.commit()
    west = create_wijk(slug="west", name="West", host="west.localhost").id
    db.session.commit()
    until, reply_id, path = item.traject.ophalen_until, reply.id, page_of(item)
    db.session.expunge_all()  # what one wijk loaded stays out of the next
    with in_wijk(west):
        assert db.session.get(InbrengReply, reply_id) is None
        assert db.session.scalars(db.select(InbrengReply)).all() == []
        there = Traject(slug=SLUG, title="Plein West", plan="Plan", ophalen_until=until)
        db.session.add(there)
        db.session.commit()
    on_west = HostClient(app, app.response_class, use_cookies=True)
    on_west.host = "west.localhost"
    assert on_west.get(path).status_code == 404
    assert REACTION not in html(on_west.get(f"/meedenken/{SLUG}"))
    login(on_west, make_user())
    assert on_west.get(f"{path}/reacties/{reply_id}/melden").status_code == 404
    assert on_west.post(f"{path}/reacties", data={"text": "x"}).status_code == 404
    assert REACTION in html(client.get(path))  # at home it is there


def _bulk_replies(item: Inbreng, author, count: int, seed: int) -> None:
    now = utcnow()
    db.session.execute(insert(InbrengReply), [
        {"inbreng_id": item.id, "author_id": author.id, "text": f"Reactie {seed}-{n}", "status": "published",
         "created_at": now - timedelta(minutes=count - n), "district_id": 1}
        for n in range(count)
    ])
    db.session.execute(db.update(Inbreng).where(Inbreng.id == item.id)
                       .values(reply_count=Inbreng.reply_count + count))
    db.session.commit()


def test_the_inbreng_page_runs_the_same_queries_at_10_and_at_1000_reactions(client, count_queries, people):
    bewoner, buur, moderator = people
    item = make_inbreng(bewoner)
    _bulk_replies(item, buur, 10, seed=1)
    service.add_reply(item, make_user(trusted=False), "Wacht nog")  # one waiting, for moderators
    db.session.commit()
    path = page_of(item)

    def counts():
        found = {}
        for who in (None, buur, bewoner, moderator):
            if who is not None:
                login(client, who)
            found[who.email if who else "visitor"] = len(count_queries(client, path))
            client.post("/uitloggen")
        return found

    small = counts()
    _bulk_replies(item, buur, 990, seed=2)
    assert reply_count(item) == 1000
    assert counts() == small
    print("queries on the inbreng page:", small)
    assert max(small.values()) <= 15, small
    last = html(client.get(f"{path}?pagina=40"))
    assert "Reactie 2-989" in last and "Pagina 40 van 40" in last


def test_the_avg_export_holds_the_reactions_and_deleting_the_account_keeps_them_anonymous(app, people):
    from portal.accounts.privacy import delete_account, export_user_data

    bewoner, buur, _ = people
    item = make_inbreng(bewoner)
    reply = service.add_reply(item, buur, REACTION)
    db.session.commit()
    [wijk] = export_user_data(buur)["wijken"]
    assert wijk["meedenken"]["reacties_op_inbreng"] == [
        {"inbreng_id": item.id, "tekst": REACTION,
         "geplaatst": reply.created_at.isoformat(timespec="seconds")}]
    delete_account(buur)
    db.session.commit()
    kept = db.session.get(InbrengReply, reply.id)
    assert kept.text == REACTION and kept.author.name == "verwijderde deelnemer"  # as a board reply


def test_the_demo_has_buurs_reaction_on_bewoners_inbreng(app):
    assert app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo-wachtwoord"]).exit_code == 0
    [reply] = db.session.scalars(db.select(InbrengReply)).all()
    assert reply.author.email == "buur@example.org" and reply.inbreng.author.email == "bewoner@example.org"
    assert reply.inbreng.reply_count == 1 and reply.status == "published"


# --- migration 0025 ------------------------------------------------------------------------------------


def test_migration_0025_adds_the_reactions_and_takes_them_away_again(empty_database_url):
    """Up: ``inbreng.reply_count`` 0 for what is there, the reviews keep their reports, and a
    review is about exactly one thing of seven. Down: the reactions' reviews and reports go, the
    others stay; then up again."""
    from flask_migrate import downgrade, upgrade

    from portal import create_app
    from tests.conftest import app_config

    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade(directory="migrations", revision="0024")
        now = "2026-12-01 10:00:00"
        run = db.session.execute
        for name in ("riet", "karin"):
            run(text("INSERT INTO users (name, email, password_hash, created_at, platform_admin) "
                     "VALUES (:n, :e, 'x', :t, false)"), {"n": name, "e": f"{name}@example.org", "t": now})
        riet, karin = (db.session.scalar(text("SELECT id FROM users WHERE name = :n"), {"n": n})
                       for n in ("riet", "karin"))
        run(text("INSERT INTO trajecten (district_id, slug, title, plan, place, decider, documents, phase, "
                 "ophalen_until, advies, advies_sent_to, reactie, besluit, created_at) VALUES (1, 'plan', "
                 "'Plan', '', '', '', '', 'ophalen', '2027-01-01', '', '', '', '', :t)"), {"t": now})
        traject = db.session.scalar(text("SELECT id FROM trajecten"))
        run(text("INSERT INTO inbreng (district_id, traject_id, author_id, on_behalf_name, theme, text, "
                 "status, support_count, cited, outcome_reason, created_at) "
                 "VALUES (1, :tr, :a, '', 'anders', 'Idee', 'published', 0, false, '', :t)"),
            {"tr": traject, "a": riet, "t": now})
        inbreng = db.session.scalar(text("SELECT id FROM inbreng"))
        review = _review(run, "inbreng_id", inbreng, riet, karin, now)
        db.session.commit()

        upgrade(directory="migrations", revision="0025")
        assert db.session.scalar(text("SELECT reply_count FROM inbreng")) == 0
        reports = text("SELECT count(*) FROM reports WHERE review_id = :r")
        assert db.session.scalar(reports, {"r": review}) == 1
        run(text("INSERT INTO inbreng_replies (district_id, inbreng_id, author_id, text, status, created_at) "
                 "VALUES (1, :i, :a, 'Reactie', 'published', :t)"), {"i": inbreng, "a": karin, "t": now})
        reply = db.session.scalar(text("SELECT id FROM inbreng_replies"))
        _review(run, "inbreng_reply_id", reply, karin, riet, now)
        db.session.commit()
        with pytest.raises(IntegrityError):  # about two things at once
            run(text("INSERT INTO reviews (district_id, inbreng_id, inbreng_reply_id, author_id, is_open, "
                     "report_count, opened_at) VALUES (1, :i, :r, :a, true, 0, :t)"),
                {"i": inbreng, "r": reply, "a": riet, "t": now})
        db.session.rollback()

        downgrade(directory="migrations", revision="0024")
        tables = inspect(db.engine).get_table_names()
        assert "inbreng_replies" not in tables
        assert "reply_count" not in {c["name"] for c in inspect(db.engine).get_columns("inbreng")}
        assert "inbreng_reply_id" not in {c["name"] for c in inspect(db.engine).get_columns("reviews")}
        assert db.session.execute(text("SELECT id, inbreng_id FROM reviews")).all() == [(review, inbreng)]
        assert db.session.scalars(text("SELECT review_id FROM reports")).all() == [review]
        db.session.commit()
        upgrade(directory="migrations", revision="0025")
        assert "inbreng_replies" in inspect(db.engine).get_table_names()
        db.session.remove()
        db.engine.dispose()


def _review(run, column: str, subject_id: int, author: int, reporter: int, now: str) -> int:
    """An open review of one thing with one report; its id."""
    run(text(f"INSERT INTO reviews (district_id, {column}, author_id, is_open, report_count, opened_at) "  # noqa: S608
             "VALUES (1, :s, :a, true, 1, :t)"), {"s": subject_id, "a": author, "t": now})
    review = db.session.scalar(text(f"SELECT id FROM reviews WHERE {column} = :s"), {"s": subject_id})  # noqa: S608
    run(text("INSERT INTO reports (district_id, review_id, reporter_id, reason, explanation, created_at) "
             "VALUES (1, :r, :p, 'onvriendelijk', '', :t)"), {"r": review, "p": reporter, "t": now})
    return review


def test_a_review_of_a_reaction_points_at_it(app, people):
    bewoner, buur, _ = people
    item = make_inbreng(bewoner)
    reply = service.add_reply(item, make_user(trusted=False), REACTION)
    db.session.commit()
    review = db.session.scalar(db.select(Review).where(Review.inbreng_reply_id == reply.id))
    assert review.subject is reply and review.subject_type == "inb_reply" and review.is_open
