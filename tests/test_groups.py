"""Werkgroepen and bewonersgroepen (issue 27, points 1, 2 and 4), without JavaScript: joining
an open group, asking to join a closed one and the trekker accepting (mail through a real
SMTP server), news to members and followers at their pace (and to nobody else), following
without joining, members' names and the thread only for members,
a resident's proposal approved by a moderator, pausing and ending without losing anything,
the nudge of a quiet group (once per quiet spell), reporting a message in the thread, the
permission matrix, a fixed number of statements per page, and two wijken kept apart."""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest

from portal.dates import local_today
from portal.extensions import db
from portal.following import service as following
from portal.following.digest import send_follow_digests
from portal.groups import access, service
from portal.models import (
    DigestPace,
    FollowKind,
    Group,
    GroupKind,
    GroupMember,
    GroupMemberStatus,
    GroupMessage,
    GroupNews,
    GroupRole,
    GroupStatus,
    GroupTheme,
    OutboxMessage,
    Review,
    Role,
    Theme,
    User,
)
from portal.models.base import utcnow
from portal.notifications.service import set_pace
from portal.wijk import in_wijk
from portal.wijken.service import create_wijk
from tests.conftest import CSRF_INPUT, htmx_headers, login
from tests.factories import make_event, make_user

pytest_plugins = ["tests.mailserver"]

WEST = "http://west.localhost"
THREAD_TEXT = "Zaterdag om tien uur bij de schuur, neem handschoenen mee"


def make_group(name: str = "Werkgroep Groen", trekker: User | None = None, is_open: bool = True,
               status: str = GroupStatus.ACTIVE, members=(), requested=(), days_ago: int = 0,
               theme_slug: str | None = "groen") -> Group:
    now = utcnow()
    group = Group(slug=re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"), name=name,
                  kind=GroupKind.WERKGROEP, description="Samen zorgen voor het groen in de wijk.",
                  is_open=is_open, status=status, created_at=now - timedelta(days=days_ago))
    if theme_slug:
        theme = db.session.scalar(db.select(Theme).where(Theme.slug == theme_slug))
        group.theme_links = [GroupTheme(theme=theme)]
    rows = []
    if trekker is not None:
        rows.append(GroupMember(user=trekker, role=GroupRole.TREKKER, status=GroupMemberStatus.MEMBER,
                                joined_at=now, show_email=True))
    rows += [GroupMember(user=user, status=GroupMemberStatus.MEMBER, joined_at=now) for user in members]
    rows += [GroupMember(user=user, status=GroupMemberStatus.REQUESTED) for user in requested]
    group.members = rows
    db.session.add(group)
    db.session.commit()
    return group


@dataclass
class World:
    trekker: User
    member: User
    resident: User
    buiten: User
    moderator: User
    group: Group
    closed: Group


@pytest.fixture
def world(app) -> World:
    trekker = make_user("Karin Smulders", "trekker@example.org")
    member = make_user("Gerrit Jansen", "lid@example.org")
    resident = make_user("Riet van Dijk", "bewoner@example.org")
    buiten = make_user("Henk Verhoef", "buiten@example.org")
    moderator = make_user("Mehmet Yilmaz", "moderator@example.org", role=Role.MODERATOR)
    group = make_group(trekker=trekker, members=[member])
    closed = make_group("Themagroep Verkeer", trekker=trekker, is_open=False, theme_slug="verkeer")
    db.session.add(GroupMessage(group=group, author=member, text=THREAD_TEXT))
    db.session.commit()
    return World(trekker, member, resident, buiten, moderator, group, closed)


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def _row(group_id: int, user_id: int) -> GroupMember | None:
    db.session.expire_all()
    return db.session.scalar(db.select(GroupMember).where(
        GroupMember.group_id == group_id, GroupMember.user_id == user_id))


# --- the list and the page ---------------------------------------------------------------


def test_the_list_by_kind_theme_and_buurt_and_its_empty_state(client, world):
    page = _text(client.get("/groepen"))
    assert "Werkgroep Groen" in page and "Themagroep Verkeer" in page
    verkeer = db.session.scalar(db.select(Theme.id).where(Theme.slug == "verkeer"))
    only = _text(client.get(f"/groepen?thema={verkeer}"))
    assert "Themagroep Verkeer" in only and "Werkgroep Groen" not in only
    assert "Geen groepen gevonden" in _text(client.get("/groepen?soort=bewonersgroep"))
    assert "Kies “Alle groepen”" in _text(client.get("/groepen?soort=bewonersgroep"))
    assert client.get("/groepen?thema=abc&buurt=99999999999").status_code == 200


def test_an_empty_list_says_what_to_do(client, app):
    page = _text(client.get("/groepen"))
    assert "Er zijn nog geen groepen" in page and "stel een groep voor" in page


def test_the_page_shows_what_it_does_the_trekker_as_chosen_its_events_and_news(client, world):
    event = make_event("Plantdag", starts_at=utcnow() + timedelta(days=5))
    event.group_id = world.group.id
    db.session.add(GroupNews(group=world.group, author=world.trekker, title="De tegels zijn eruit",
                             text="Negen geveltuintjes erbij."))
    db.session.commit()
    page = _text(client.get("/groepen/werkgroep-groen"))
    assert "Samen zorgen voor het groen" in page
    assert "Karin" in page and "trekker@example.org" in page  # she ticked "show my e-mail"
    assert "Plantdag" in page and "De tegels zijn eruit" in page and "Negen geveltuintjes" in page
    world.group.members[0].show_email = False
    db.session.commit()
    assert "trekker@example.org" not in _text(client.get("/groepen/werkgroep-groen"))


# --- who sees the members and the thread -------------------------------------------------


@pytest.mark.parametrize("who", ["visitor", "buiten", "resident", "moderator", "member", "trekker"])
def test_members_names_and_the_thread_are_for_members_only(client, world, who):
    if who != "visitor":
        login(client, getattr(world, who))
    page = _text(client.get("/groepen/werkgroep-groen"))
    assert "Werkgroep Groen" in page
    sees = who in ("member", "trekker")
    assert ("Gerrit" in page) is sees
    assert (THREAD_TEXT in page) is sees
    assert ("Wie doen er mee?" in page) is sees


def test_a_member_writes_in_the_thread_and_an_outsider_cannot(client, world):
    login(client, world.resident)
    assert client.post("/groepen/werkgroep-groen/berichten", data={"text": "Mag ik ook?"}).status_code == 403
    client.post("/uitloggen")
    login(client, world.member)
    empty = client.post("/groepen/werkgroep-groen/berichten", data={"text": "  "})
    assert empty.status_code == 422 and "Vul dit veld in" in _text(empty)
    answer = client.post("/groepen/werkgroep-groen/berichten", data={"text": "Ik neem koffie mee."})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("#gesprek")
    assert "Ik neem koffie mee." in _text(client.get("/groepen/werkgroep-groen"))
    fragment = client.post("/groepen/werkgroep-groen/berichten", data={"text": "En koekjes."},
                           headers=htmx_headers())
    assert fragment.status_code == 200 and 'id="gesprek"' in fragment.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True)


def test_a_member_reports_a_message_and_the_moderator_sees_only_that_one(client, world):
    message = db.session.scalar(db.select(GroupMessage))
    login(client, world.trekker)
    url = f"/groepen/werkgroep-groen/berichten/{message.id}/melden"
    assert client.get(url).status_code == 200
    reported = client.post(url, data={"reason": "onvriendelijk", "explanation": "Niet aardig"})
    assert reported.status_code == 303
    review = db.session.scalar(db.select(Review).where(Review.group_message_id == message.id))
    assert review is not None and review.report_count == 1
    client.post("/uitloggen")
    login(client, world.resident)
    assert client.get(url).status_code == 403  # not a member
    client.post("/uitloggen")
    login(client, world.member)
    assert client.get(url).status_code == 403  # their own message
    client.post("/uitloggen")
    login(client, world.moderator)
    queue = _text(client.get("/moderatie"))
    assert "Bericht van Gerrit Jansen in een groep" in queue and "Groep Werkgroep Groen" in queue
    page = _text(client.get("/groepen/werkgroep-groen"))
    assert "Gemelde berichten uit het gesprek" in page and THREAD_TEXT in page
    assert "Wie doen er mee?" not in page


# --- joining -----------------------------------------------------------------------------


def test_joining_an_open_group_at_once_and_leaving_again(client, world):
    answer = client.post("/groepen/werkgroep-groen/meedoen")
    assert answer.status_code == 303
    assert "/inloggen?next=/groepen/werkgroep-groen" in answer.headers["Location"]
    login(client, world.resident)
    joined = client.post("/groepen/werkgroep-groen/meedoen")
    assert joined.status_code == 303 and joined.headers["Location"].endswith("/groepen/werkgroep-groen")
    row = _row(world.group.id, world.resident.id)
    assert row.is_member and row.joined_at is not None
    page = _text(client.get("/groepen/werkgroep-groen"))
    assert "U doet mee met Werkgroep Groen" in page and "Gerrit" in page and THREAD_TEXT in page
    assert client.post("/groepen/werkgroep-groen/verlaten").status_code == 303
    assert _row(world.group.id, world.resident.id) is None
    assert "Gerrit" not in _text(client.get("/groepen/werkgroep-groen"))


def test_joining_with_htmx_swaps_the_box(client, world):
    login(client, world.resident)
    answer = client.post("/groepen/werkgroep-groen/meedoen", headers=htmx_headers())
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "U doet mee" in html and "<html" not in html
    assert "hx-swap-oob" in html  # the confirmation, out of band


def test_asking_to_join_a_closed_group_and_the_trekker_accepts_with_real_mail(client, world, mail_server):
    login(client, world.resident)
    asked = client.post("/groepen/themagroep-verkeer/meedoen")
    assert asked.status_code == 303
    assert not _row(world.closed.id, world.resident.id).is_member
    assert "Uw verzoek wacht op de trekker" in _text(client.get("/groepen/themagroep-verkeer"))
    mail_server.deliver()
    [to_trekker] = mail_server.to("trekker@example.org")
    assert "Riet wil meedoen met Themagroep Verkeer" in to_trekker["Subject"]
    assert "/groepen/themagroep-verkeer/beheer" in to_trekker.get_content()
    client.post("/uitloggen")

    login(client, world.trekker)
    manage = client.get("/groepen/themagroep-verkeer/beheer")
    assert manage.status_code == 200 and "Riet van Dijk" in _text(manage)
    row = _row(world.closed.id, world.resident.id)
    accepted = client.post(f"/groepen/themagroep-verkeer/leden/{row.id}/aannemen")
    assert accepted.status_code == 303
    assert _row(world.closed.id, world.resident.id).is_member
    mail_server.deliver()
    [welcome] = mail_server.to("bewoner@example.org")
    assert "Welkom bij Themagroep Verkeer" in welcome["Subject"]


def test_the_trekker_declines_a_request(client, world, mail_server):
    login(client, world.buiten)
    client.post("/groepen/themagroep-verkeer/meedoen")
    client.post("/uitloggen")
    login(client, world.trekker)
    row = _row(world.closed.id, world.buiten.id)
    assert client.post(f"/groepen/themagroep-verkeer/leden/{row.id}/afwijzen").status_code == 303
    assert _row(world.closed.id, world.buiten.id) is None
    mail_server.deliver()
    assert "Uw verzoek om mee te doen" in mail_server.to("buiten@example.org")[-1]["Subject"]


def test_the_trekker_hands_the_role_on_and_the_last_trekker_cannot_just_leave(client, world):
    login(client, world.trekker)
    assert client.post("/groepen/werkgroep-groen/verlaten").status_code == 303
    assert _row(world.group.id, world.trekker.id) is not None  # refused: the only trekker
    gerrit = _row(world.group.id, world.member.id)
    assert client.post(f"/groepen/werkgroep-groen/leden/{gerrit.id}/trekker").status_code == 303
    assert _row(world.group.id, world.member.id).is_trekker
    assert not _row(world.group.id, world.trekker.id).is_trekker
    assert client.get("/groepen/werkgroep-groen/beheer").status_code == 403
    assert client.post("/groepen/werkgroep-groen/verlaten").status_code == 303
    assert _row(world.group.id, world.trekker.id) is None


def test_the_trekker_chooses_the_contact_shown(client, world):
    login(client, world.trekker)
    bad = client.post("/groepen/werkgroep-groen/contact", data={"phone": "bel me"})
    assert bad.status_code == 422 and "bel me" in bad.get_data(as_text=True)
    assert client.post("/groepen/werkgroep-groen/contact", data={"phone": "06 12345678"}).status_code == 303
    page = client.get("/groepen/werkgroep-groen").get_data(as_text=True)
    assert "06 12345678" in page and "trekker@example.org" not in page


# --- news --------------------------------------------------------------------------------


def test_news_reaches_the_members_only_through_a_real_smtp_server(client, world, mail_server):
    extra = make_user("Ans de Wit", "ans@example.org")
    service.join(world.group, extra)
    waiting = make_user("Wachtend", "wacht@example.org")
    db.session.add(GroupMember(group=world.group, user=waiting, status=GroupMemberStatus.REQUESTED))
    for person in (extra, waiting, world.member, world.resident):
        set_pace(person, DigestPace.DIRECT.value)
    db.session.commit()
    login(client, world.resident)
    assert client.get("/groepen/werkgroep-groen/nieuws/nieuw").status_code == 403
    client.post("/uitloggen")
    login(client, world.trekker)
    form = client.get("/groepen/werkgroep-groen/nieuws/nieuw").get_data(as_text=True)
    assert 'name="title"' in form and 'name="text"' in form
    invalid = client.post("/groepen/werkgroep-groen/nieuws/nieuw", data={"title": "", "text": "Mijn tekst"})
    assert invalid.status_code == 422 and "Mijn tekst" in invalid.get_data(as_text=True)
    posted = client.post("/groepen/werkgroep-groen/nieuws/nieuw",
                         data={"title": "Plantdag op zaterdag", "text": "We planten veertig bomen."})
    assert posted.status_code == 303 and posted.headers["Location"].endswith("#nieuws")
    mail_server.deliver()
    receivers = sorted(address for _from, tos in mail_server.envelopes for address in tos)
    assert receivers == ["ans@example.org", "lid@example.org"]
    news = mail_server.to("lid@example.org")[0]
    assert news["Subject"] == "Werkgroep Groen: Plantdag op zaterdag"
    assert "We planten veertig bomen." in news.get_content() and news["List-Unsubscribe"]
    assert "Plantdag op zaterdag" in _text(client.get("/groepen/werkgroep-groen"))


def test_news_reaches_members_and_followers_at_their_pace_and_nobody_else(client, world, mail_server):
    """Issue 27's "Done when": a member with ``direct`` at once, a follower with ``wekelijks``
    once in the weekly digest (the clock moved to their day), nobody with ``nooit``, and no
    one who neither takes part nor follows."""
    today = local_today(utcnow())
    their_day = (today.weekday() + 2) % 7
    set_pace(world.member, DigestPace.DIRECT.value)
    weekly = make_user("Wim Wekelijks", "wekelijks@example.org")
    never = make_user("Nel Nooit", "nooit@example.org")
    for person, pace, day in ((weekly, DigestPace.WEEKLY, their_day), (never, DigestPace.NEVER, None),
                              (world.resident, DigestPace.DIRECT, None)):
        set_pace(person, pace.value, day)
    db.session.commit()
    for person in (weekly, never):
        login(client, person)
        assert client.post("/groepen/werkgroep-groen/volgen").status_code == 303
        client.post("/uitloggen")
    login(client, world.trekker)
    assert client.post("/groepen/werkgroep-groen/nieuws/nieuw",
                       data={"title": "Plantdag", "text": "We planten veertig bomen."}).status_code == 303
    mail_server.deliver()
    assert [m["To"] for m in mail_server.messages] == ["lid@example.org"]  # the direct member, at once

    later = utcnow() + timedelta(minutes=1)
    assert send_follow_digests(later) == 0  # not Wim's day yet
    assert send_follow_digests(later + timedelta(days=2)) == 1
    assert send_follow_digests(later + timedelta(days=2, hours=1)) == 0  # once
    mail_server.deliver(later + timedelta(days=2))
    [digest] = mail_server.to("wekelijks@example.org")
    body = digest.get_body(("plain",)).get_content()
    assert "== Werkgroep Groen ==" in body and "We planten veertig bomen." in body
    assert mail_server.to("nooit@example.org") == [] and mail_server.to("bewoner@example.org") == []
    assert mail_server.to("buiten@example.org") == [] and mail_server.to("trekker@example.org") == []


def test_following_a_group_without_joining_with_and_without_htmx(client, world):
    assert client.post("/groepen/werkgroep-groen/volgen").status_code in (302, 303)  # sign in first
    login(client, world.resident)
    assert "Volg deze groep" in _text(client.get("/groepen/werkgroep-groen"))
    swapped = client.post("/groepen/werkgroep-groen/volgen", headers=htmx_headers())
    assert swapped.status_code == 200 and "Niet meer volgen" in swapped.get_data(as_text=True)
    assert following.is_following(world.resident, FollowKind.GROUP, world.group.id)
    assert _text(client.get("/groepen/werkgroep-groen")).count(THREAD_TEXT) == 0  # following is not joining
    stopped = client.post("/groepen/werkgroep-groen/volgen", data={"actie": "ontvolgen"})
    assert stopped.status_code == 303 and stopped.headers["Location"].endswith("#groep-volgen")
    assert not following.is_following(world.resident, FollowKind.GROUP, world.group.id)


def test_a_moderator_posts_news_too(client, world):
    login(client, world.moderator)
    answer = client.post("/groepen/werkgroep-groen/nieuws/nieuw",
                         data={"title": "Van de moderator", "text": "Hoi"})
    assert answer.status_code == 303
    assert db.session.scalar(db.select(GroupNews.title)) == "Van de moderator"


# --- proposing and approving -------------------------------------------------------------


def test_a_resident_proposes_and_a_moderator_approves(client, world, mail_server):
    login(client, world.resident)
    form = client.get("/groepen/nieuw")
    assert form.status_code == 200 and "Een groep voorstellen" in _text(form)
    groen = db.session.scalar(db.select(Theme.id).where(Theme.slug == "groen"))
    invalid = client.post("/groepen/nieuw", data={"name": "Buurtmoestuin", "kind": "bewonersgroep",
                                                  "description": ""})
    assert invalid.status_code == 422 and 'value="Buurtmoestuin"' in invalid.get_data(as_text=True)
    proposed = client.post("/groepen/nieuw", data={
        "name": "Buurtmoestuin", "kind": "bewonersgroep", "description": "Een moestuin voor buren.",
        "themes": [str(groen)], "is_open": "y"})
    assert proposed.status_code == 303
    group = db.session.scalar(db.select(Group).where(Group.slug == "buurtmoestuin"))
    assert group.status == GroupStatus.PROPOSED
    assert "Buurtmoestuin" not in _text(client.get("/groepen"))
    client.post("/uitloggen")
    login(client, world.buiten)
    assert client.get("/groepen/buurtmoestuin").status_code == 404
    client.post("/uitloggen")

    login(client, world.moderator)
    mail_server.deliver()
    assert mail_server.to("moderator@example.org")
    assert "Buurtmoestuin" in _text(client.get("/groepen/voorstellen"))
    assert client.post("/groepen/buurtmoestuin/goedkeuren").status_code == 303
    db.session.expire_all()
    group = db.session.scalar(db.select(Group).where(Group.slug == "buurtmoestuin"))
    assert group.status == GroupStatus.ACTIVE
    assert [m.user_id for m in group.members if m.is_trekker] == [world.resident.id]
    assert "Buurtmoestuin" in _text(client.get("/groepen"))
    mail_server.deliver()
    assert "Uw groep staat online" in mail_server.to("bewoner@example.org")[-1]["Subject"]


def test_a_moderator_creates_an_active_group_and_declines_a_proposal(client, world):
    login(client, world.moderator)
    made = client.post("/groepen/nieuw", data={"name": "Repair Café De Meern", "kind": "bewonersgroep",
                                               "description": "Samen repareren."})
    assert made.status_code == 303 and made.headers["Location"].endswith("/groepen/repair-cafe-de-meern")
    group = db.session.scalar(db.select(Group).where(Group.slug == "repair-cafe-de-meern"))
    assert group.status == GroupStatus.ACTIVE and not group.is_open
    proposal = make_group("Voorstel", trekker=world.resident, status=GroupStatus.PROPOSED)
    proposal.proposed_by = world.resident
    db.session.commit()
    assert client.post("/groepen/voorstel/afwijzen", data={"reason": "Bestaat al"}).status_code == 303
    assert db.session.scalar(db.select(Group).where(Group.slug == "voorstel")) is None
    body = db.session.scalars(
        db.select(OutboxMessage.text).where(OutboxMessage.to_address == "bewoner@example.org"))
    assert any("Bestaat al" in text for text in body)


# --- pausing and ending ------------------------------------------------------------------


@pytest.mark.parametrize(("status", "word"), [("gepauzeerd", "gepauzeerd"), ("beeindigd", "gestopt")])
def test_pausing_or_ending_keeps_the_page_news_and_thread(client, world, status, word):
    db.session.add(GroupNews(group=world.group, author=world.trekker, title="Oud nieuws",
                             text="Van vorig jaar"))
    db.session.commit()
    login(client, world.trekker)
    assert client.post("/groepen/werkgroep-groen/status", data={"status": status}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Group, world.group.id).status == status
    page = _text(client.get("/groepen/werkgroep-groen"))
    assert f"Deze groep is {word}" in page and "Oud nieuws" in page and THREAD_TEXT in page
    client.post("/uitloggen")
    login(client, world.resident)
    client.post("/groepen/werkgroep-groen/meedoen")
    assert _row(world.group.id, world.resident.id) is None
    assert "Werkgroep Groen" in _text(client.get("/groepen"))
    client.post("/uitloggen")
    login(client, world.trekker)
    client.post("/groepen/werkgroep-groen/status", data={"status": "actief"})
    db.session.expire_all()
    assert db.session.get(Group, world.group.id).status == GroupStatus.ACTIVE


# --- quiet groups ------------------------------------------------------------------------


def _nudges() -> list[str]:
    return list(db.session.scalars(db.select(OutboxMessage.subject).where(
        OutboxMessage.subject.like("Het is stil bij%"))))


def test_a_quiet_group_nudges_its_trekker_once_per_quiet_spell(app, client, world):
    world.group.created_at = utcnow() - timedelta(days=100)
    world.closed.created_at = utcnow() - timedelta(days=10)
    db.session.commit()
    now = utcnow()
    assert service.nudge_quiet_groups(now) == 1
    db.session.commit()
    assert _nudges() == ["Het is stil bij Werkgroep Groen"]
    assert service.nudge_quiet_groups(now + timedelta(days=1)) == 0  # once per quiet spell
    db.session.commit()
    login(client, world.moderator)
    assert "Stille groepen" in _text(client.get("/groepen"))
    client.post("/uitloggen")
    login(client, world.resident)
    assert "Stille groepen" not in _text(client.get("/groepen"))

    # News starts a new spell; two months later the trekker hears again.
    db.session.add(GroupNews(group=world.group, author=world.trekker, title="Nieuws", text="Hoi",
                             created_at=now + timedelta(days=2)))
    db.session.commit()
    assert service.nudge_quiet_groups(now + timedelta(days=30)) == 0
    later = now + timedelta(days=70)
    assert service.nudge_quiet_groups(later) == 2  # both groups: the closed one is quiet by now too
    db.session.commit()
    assert len(_nudges()) == 3


def test_a_planned_meeting_keeps_a_group_from_being_quiet(app, world):
    world.group.created_at = utcnow() - timedelta(days=100)
    event = make_event("Bijeenkomst", starts_at=utcnow() + timedelta(days=20))
    event.group_id = world.group.id
    db.session.commit()
    assert service.nudge_quiet_groups() == 0


def test_the_daily_job_runs_the_nudge_in_every_wijk(app, world):
    from portal.cron import run_daily_mail

    world.group.created_at = utcnow() - timedelta(days=100)
    db.session.commit()
    assert run_daily_mail()["stille groepen (trekkers)"] == 1


# --- the rules ---------------------------------------------------------------------------

PERSONAS = ["visitor", "buiten", "member", "trekker", "moderator"]
ANON = 302
ROUTES = {
    "list": ("GET", "/groepen", None, (200, 200, 200, 200, 200)),
    "page": ("GET", "/groepen/werkgroep-groen", None, (200, 200, 200, 200, 200)),
    "unknown": ("GET", "/groepen/bestaat-niet", None, (404, 404, 404, 404, 404)),
    "new form": ("GET", "/groepen/nieuw", None, (ANON, 200, 200, 200, 200)),
    "proposals": ("GET", "/groepen/voorstellen", None, (ANON, 403, 403, 403, 200)),
    "news form": ("GET", "/groepen/werkgroep-groen/nieuws/nieuw", None, (ANON, 403, 403, 200, 200)),
    "manage": ("GET", "/groepen/werkgroep-groen/beheer", None, (ANON, 403, 403, 200, 200)),
    "status": ("POST", "/groepen/werkgroep-groen/status", {"status": "gepauzeerd"},
               (ANON, 403, 403, 303, 303)),
    "thread": ("POST", "/groepen/werkgroep-groen/berichten", {"text": "Hallo"}, (ANON, 403, 303, 303, 403)),
    "join": ("POST", "/groepen/werkgroep-groen/meedoen", {}, (303, 303, 303, 303, 303)),
}
MATRIX = [pytest.param(route, persona, expected[i], id=f"{route}-{persona}")
          for route, (_m, _u, _d, expected) in ROUTES.items() for i, persona in enumerate(PERSONAS)]


@pytest.mark.parametrize(("route", "persona", "expected"), MATRIX)
def test_permission_matrix(client, world, route, persona, expected):
    method, url, data, _ = ROUTES[route]
    if persona != "visitor":
        login(client, getattr(world, {"buiten": "buiten", "member": "member", "trekker": "trekker",
                                      "moderator": "moderator"}[persona]))
    response = client.get(url) if method == "GET" else client.post(url, data=data)
    assert response.status_code == expected, _text(response)[:400]


def test_the_rules_themselves(app, world):
    group, closed = world.group, world.closed
    for user, expected in ((None, (False, False, False, False)),
                           (world.buiten, (False, False, False, False)),
                           (world.member, (True, True, False, False)),
                           (world.trekker, (True, True, True, True)),
                           (world.moderator, (False, False, True, True))):
        assert (access.can_view_members(user, group), access.can_write_thread(user, group),
                access.can_manage(user, group), access.can_post_news(user, group)) == expected, user
    assert access.can_join(world.buiten, closed) and not access.can_join(world.member, group)
    assert not access.can_leave(world.trekker, group) and access.can_leave(world.member, group)
    group.status = GroupStatus.ENDED
    assert not access.can_post_news(world.trekker, group) and not access.can_write_thread(world.member, group)
    assert not access.can_join(world.buiten, group)
    group.status = GroupStatus.PROPOSED
    assert not access.can_view(world.buiten, group) and access.can_view(world.moderator, group)


# --- statements per page -----------------------------------------------------------------


def test_the_pages_run_a_fixed_number_of_statements(client, world, count_queries):
    login(client, world.member)
    paths = ("/groepen", "/groepen/werkgroep-groen")
    for path in paths:  # the first request after signing in notes the device's visit
        client.get(path)
    few = {path: len(count_queries(client, path)) for path in paths}
    for n in range(12):
        extra = make_user(f"Extra {n}")
        make_group(f"Groep {n}", trekker=extra, members=[world.member])
        service.join(world.group, extra)
        db.session.add(GroupNews(group=world.group, author=extra, title=f"Nieuws {n}", text="Tekst"))
        db.session.add(GroupMessage(group=world.group, author=extra, text=f"Bericht {n}"))
    db.session.commit()
    for path in paths:  # after a change every worker reads what it keeps again, once
        client.get(path)
    many = {path: count_queries(client, path) for path in few}
    assert {path: len(statements) for path, statements in many.items()} == few, many["/groepen"]


# --- two wijken --------------------------------------------------------------------------


@pytest.fixture
def west(app):
    district = create_wijk(slug="west", name="West", host="west.localhost")
    db.session.commit()
    return district.id


def test_a_group_of_west_is_not_seen_in_vleuten_de_meern(client, world, west):
    with in_wijk(west):
        person = make_user("Samira Benali", "samira@example.org")
        make_group("Groen in West", trekker=person, theme_slug="groen")
    db.session.expunge_all()
    assert "Groen in West" in _text(client.get("/groepen", base_url=WEST))
    assert "Werkgroep Groen" not in _text(client.get("/groepen", base_url=WEST))
    here = _text(client.get("/groepen"))
    assert "Werkgroep Groen" in here and "Groen in West" not in here
    assert client.get("/groepen/groen-in-west").status_code == 404
    assert client.get("/groepen/werkgroep-groen", base_url=WEST).status_code == 404


def test_joining_from_the_form_on_the_page_keeps_the_csrf_token(client, world):
    login(client, world.resident)
    page = client.get("/groepen/werkgroep-groen").get_data(as_text=True)
    assert CSRF_INPUT.search(page) and 'action="/groepen/werkgroep-groen/meedoen"' in page


# --- a peiling asks "Wilt u meedoen?" ----------------------------------------------------


def test_a_peiling_asks_wilt_u_meedoen_and_the_yes_land_on_the_trekkers_list(client, world):
    from portal.models import SurveyQuestion
    from tests.factories import make_survey, make_survey_response

    # Not open yet: questions can still be added.
    survey = make_survey("Groen in de wijk", opened_days_ago=-1,
                         questions=[("one", "Hoe groen is uw straat?", ["Erg", "Niet"], False)])
    login(client, world.moderator)
    form = client.get(f"/peilingen/{survey.id}/bewerken").get_data(as_text=True)
    assert 'name="group_id"' in form and "Werkgroep Groen" in form
    added = client.post(f"/peilingen/{survey.id}/vragen", data={
        "kind": "contact", "text": "", "group_id": str(world.group.id)})
    assert added.status_code == 303, _text(added)[:500]
    question = db.session.scalar(db.select(SurveyQuestion).where(SurveyQuestion.kind == "contact"))
    assert question.text == "Wilt u meedoen met Werkgroep Groen?" and question.group_id == world.group.id
    assert "trekker" in question.help_text
    client.post("/uitloggen")

    make_survey_response(survey, world.resident, {1: "Erg", 2: "ja"})
    make_survey_response(survey, world.buiten, {2: "nee"})
    make_survey_response(survey, None, {2: "ja"}, entered_by=world.member, on_behalf_name="Truus")
    login(client, world.trekker)
    listed = _text(client.get("/groepen/werkgroep-groen/beheer"))
    assert "Uit de peiling: wil meedoen" in listed
    assert "Riet van Dijk" in listed and "bewoner@example.org" in listed and "Truus" in listed
    assert "Henk Verhoef" not in listed and "buiten@example.org" not in listed
    other = _text(client.get("/groepen/themagroep-verkeer/beheer"))
    assert "Uit de peiling" not in other and "Riet van Dijk" not in other


# --- the person's data -------------------------------------------------------------------


def test_the_export_holds_the_groups_and_deleting_an_account_takes_the_person_out(app, world):
    from portal.accounts.privacy import delete_account, export_user_data

    db.session.add(GroupNews(group=world.group, author=world.member, title="Van Gerrit", text="Hallo"))
    db.session.commit()
    [here] = export_user_data(world.member)["wijken"]
    assert [row["groep"] for row in here["groepen"]["lidmaatschappen"]] == ["Werkgroep Groen"]
    assert here["groepen"]["berichten_in_groepen"][0]["tekst"] == THREAD_TEXT
    assert here["groepen"]["nieuws_van_groepen"][0]["titel"] == "Van Gerrit"
    delete_account(world.member)
    db.session.commit()
    db.session.expire_all()
    assert _row(world.group.id, world.member.id) is None
    assert db.session.scalar(db.select(GroupMessage.id)) is None
    assert db.session.scalar(db.select(GroupNews.title)) == "Van Gerrit"
