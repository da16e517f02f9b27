"""Following at one's own pace (issue 27, point 3), against a real SMTP server (aiosmtpd on
loopback): a theme, a group or a post is followed in one table (``follows``); news reaches
each follower by their pace (``direct`` at once, ``dagelijks``/``wekelijks`` in a digest,
``nooit`` not at all); the digest groups by where the news comes from, newest first, with
the text itself, is skipped when empty and when the person came by after the news. The
clock is moved by handing ``now`` to the digest job, as in ``tests/test_circle_mail.py``."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from portal.dates import local_today
from portal.extensions import db
from portal.following import service as following
from portal.following import visits
from portal.following.digest import is_due, purge_old_items, send_follow_digests
from portal.models import (
    DeviceSession,
    DigestItem,
    DigestPace,
    Follow,
    FollowKind,
    NotificationPreference,
    Participation,
    Role,
    Theme,
    Verdict,
)
from portal.models.base import utcnow
from portal.notifications.service import set_pace
from portal.wijk import in_wijk
from portal.wijken.service import create_wijk
from tests.conftest import FIRST_WIJK, htmx_headers, login
from tests.factories import make_pending_post, make_post, make_user, theme

pytest_plugins = ["tests.mailserver"]

NEW_POST = {"kind": "idee", "title": "Zebrapad bij de Schans",
            "body": "Bij de Schans steken veel kinderen over. Een zebrapad maakt het veiliger."}


def _text(message) -> str:
    return message.get_body(("plain",)).get_content()


def _page(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture(autouse=True)
def _no_visits_remembered():
    visits.forget_visits()
    yield
    visits.forget_visits()


def _follower(kind: FollowKind, target_id: int, pace: DigestPace, weekday: int | None = None, **user):
    person = make_user(**user)
    following.follow(person, kind, target_id)
    set_pace(person, pace.value, weekday)
    db.session.commit()
    return person


def _checked(page: str, name: str, value: str) -> bool:
    """Whether the radio button ``name`` = ``value`` (or the option ``value``) is chosen."""
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return " checked" in tag
    return False


def _items_of(person) -> list[DigestItem]:
    return list(db.session.scalars(select(DigestItem).where(DigestItem.user_id == person.id)))


# --- A theme's new post, by pace ----------------------------------------------------------------


def test_a_new_post_reaches_each_follower_of_the_theme_at_their_pace(app, client, mail_server):
    verkeer = theme("verkeer").id
    today = local_today(utcnow())
    day_after_tomorrow = (today.weekday() + 2) % 7
    direct = _follower(FollowKind.THEME, verkeer, DigestPace.DIRECT, email="direct@example.org")
    weekly = _follower(FollowKind.THEME, verkeer, DigestPace.WEEKLY, day_after_tomorrow,
                       email="wekelijks@example.org")
    never = _follower(FollowKind.THEME, verkeer, DigestPace.NEVER, email="nooit@example.org")
    _follower(FollowKind.THEME, theme("groen").id, DigestPace.DIRECT, email="groen@example.org")
    make_user(email="niemand@example.org")  # follows nothing
    author = make_user(name="Kees Bakker", email="kees@example.org")
    following.follow(author, FollowKind.THEME, verkeer)  # the author hears nothing of his own post
    db.session.commit()

    login(client, author)
    assert client.post("/themas/verkeer/nieuw", data=NEW_POST).status_code == 303
    mail_server.deliver()

    [mail] = mail_server.messages  # only the direct follower, at once
    assert mail["To"] == direct.email
    assert mail["Subject"] == "Nieuw bij Verkeer: Zebrapad bij de Schans"
    assert "Een zebrapad maakt het veiliger." in _text(mail)  # the text itself
    assert "/afmelden/volgen/" in mail["List-Unsubscribe"]
    assert [item.title for item in _items_of(weekly)] == ["Zebrapad bij de Schans"]
    assert _items_of(never) == [] and _items_of(direct) == []

    now = utcnow() + timedelta(minutes=1)
    assert send_follow_digests(now) == 0  # not their day yet
    assert send_follow_digests(now + timedelta(days=1)) == 0
    their_day = now + timedelta(days=2)
    assert send_follow_digests(their_day) == 1
    assert send_follow_digests(their_day + timedelta(hours=1)) == 0  # once
    mail_server.deliver(their_day)
    [digest] = mail_server.to(weekly.email)
    assert digest["Subject"] == "Uw overzicht van de week: 1 bericht"
    body = _text(digest)
    assert "== Thema Verkeer ==" in body and "Een zebrapad maakt het veiliger." in body
    assert "overzicht van de week" in body
    assert _items_of(weekly) == []  # deleted once sent
    assert mail_server.to(never.email) == [] and mail_server.to("niemand@example.org") == []
    assert mail_server.to("groen@example.org") == [] and mail_server.to(author.email) == []
    assert len(mail_server.messages) == 2
    # a week later: nothing new, no digest
    assert send_follow_digests(their_day + timedelta(days=7)) == 0


def test_a_reply_on_a_followed_post_respects_the_pace(app, client, mail_server):
    post = make_post(title="Bankje bij de vijver")
    direct = _follower(FollowKind.POST, post.id, DigestPace.DIRECT)
    daily = _follower(FollowKind.POST, post.id, DigestPace.DAILY)
    writer = make_user(name="Fatima El Amrani")
    login(client, writer)
    client.post(f"/berichten/{post.id}/reageren", data={"reply": "Goed plan, met een prullenbak erbij."})
    mail_server.deliver()
    [mail] = mail_server.messages
    assert mail["To"] == direct.email and mail["Subject"] == "Nieuwe reactie op: Bankje bij de vijver"
    assert "met een prullenbak erbij" in _text(mail)
    [item] = _items_of(daily)
    assert item.source == "Bericht “Bankje bij de vijver”" and "prullenbak" in item.text
    assert item.title == "Fatima El Amrani reageerde"

    assert send_follow_digests(utcnow() + timedelta(minutes=1)) == 1  # daily: today
    mail_server.deliver()
    [digest] = mail_server.to(daily.email)
    assert digest["Subject"] == "Uw overzicht van de dag: 1 bericht"
    assert "met een prullenbak erbij" in _text(digest)


def test_a_post_approved_by_a_moderator_reaches_the_followers_once(app, mail_server):
    from portal.moderation.service import decide

    verkeer = theme("verkeer").id
    follower = _follower(FollowKind.THEME, verkeer, DigestPace.DIRECT)
    post = make_pending_post(title="Drempels in de Hoge Woerd", body="Graag drempels, er wordt hard gereden.")
    db.session.commit()
    mail_server.deliver()
    assert mail_server.messages == []  # waiting: nobody hears of it yet
    moderator = make_user(role=Role.MODERATOR)
    decide(moderator, post, Verdict.APPROVE)
    db.session.commit()
    mail_server.deliver()
    [mail] = mail_server.to(follower.email)
    assert "er wordt hard gereden" in _text(mail)
    decide(moderator, post, Verdict.HIDE, "Dubbel")
    db.session.commit()
    decide(moderator, post, Verdict.RESTORE)
    db.session.commit()
    mail_server.deliver()
    assert len(mail_server.to(follower.email)) == 1  # shown again: not news


# --- The digest ---------------------------------------------------------------------------------


def test_the_digest_groups_by_source_newest_first(app, mail_server):
    post = make_post(title="Bankje bij de vijver")
    reader = _follower(FollowKind.THEME, theme("verkeer").id, DigestPace.DAILY)
    following.follow(reader, FollowKind.POST, post.id)
    db.session.commit()
    start = utcnow() - timedelta(hours=5)
    news = [(FollowKind.THEME, theme("verkeer").id, "Thema Verkeer", "Oudste over verkeer", 0),
            (FollowKind.POST, post.id, "Bericht “Bankje bij de vijver”", "Reactie op het bankje", 1),
            (FollowKind.THEME, theme("verkeer").id, "Thema Verkeer", "Nieuwste over verkeer", 2)]
    for kind, target, source, title, hours in news:
        told = following.tell_followers(kind, target, source=source, title=title, text=f"Tekst: {title}.",
                                        url="http://localhost/x")
        assert (told.mailed, told.kept) == (0, 1)
        db.session.flush()
        db.session.execute(db.update(DigestItem).where(DigestItem.title == title)
                           .values(created_at=start + timedelta(hours=hours)))
    db.session.commit()

    assert send_follow_digests(utcnow()) == 1
    mail_server.deliver()
    [digest] = mail_server.messages
    body = _text(digest)
    assert digest["Subject"] == "Uw overzicht van de dag: 3 berichten"
    order = [body.index(text) for text in ("== Thema Verkeer ==", "Nieuwste over verkeer",
                                          "Tekst: Nieuwste over verkeer.", "Oudste over verkeer",
                                          "== Bericht “Bankje bij de vijver” ==", "Reactie op het bankje")]
    assert order == sorted(order)


def test_no_digest_when_nothing_is_new(app, mail_server):
    _follower(FollowKind.THEME, theme("verkeer").id, DigestPace.DAILY)
    assert send_follow_digests(utcnow()) == 0
    result = app.test_cli_runner().invoke(args=["send-digests"])
    assert result.exit_code == 0, result.output
    assert "[vleuten-de-meern] overzicht van wat men volgt: 0 klaargezet" in result.output
    assert mail_server.messages == []


def test_no_digest_for_someone_who_came_by_after_the_news(app, client, mail_server):
    verkeer = theme("verkeer").id
    visitor = _follower(FollowKind.THEME, verkeer, DigestPace.DAILY)
    away = _follower(FollowKind.THEME, verkeer, DigestPace.DAILY)
    following.tell_followers(FollowKind.THEME, verkeer, source="Thema Verkeer", title="Drempels",
                             text="Er komen drempels.", url="http://localhost/x")
    db.session.commit()

    login(client, visitor)
    # a signed-in page notes the visit with the device's "last seen" (every five minutes)
    db.session.execute(db.update(DeviceSession).where(DeviceSession.user_id == visitor.id)
                       .values(last_seen_at=utcnow() - timedelta(minutes=10)))
    db.session.commit()
    assert client.get("/themas/verkeer").status_code == 200
    seen = db.session.execute(select(Participation.user_id, Participation.last_seen_at)
                              .where(Participation.user_id.in_([visitor.id, away.id]))).all()
    assert {user for user, at in seen if at is not None} == {visitor.id}

    assert send_follow_digests(utcnow() + timedelta(minutes=1)) == 1
    mail_server.deliver()
    assert [m["To"] for m in mail_server.messages] == [away.email]
    assert _items_of(visitor) == []  # seen: gone too


def test_the_visit_is_written_at_most_once_an_hour(app, client):
    person_id = make_user().id
    db.session.close()  # SQLite: no read of the test's own in the way of the visit's write
    now = utcnow()
    assert visits.note_visit(person_id, now)
    assert not visits.note_visit(person_id, now + timedelta(minutes=59))
    assert visits.note_visit(person_id, now + timedelta(minutes=61))
    seen = db.session.scalar(select(Participation.last_seen_at).where(Participation.user_id == person_id))
    assert seen == now + timedelta(minutes=61)


def test_when_a_digest_is_due():
    monday_morning = utcnow().replace(year=2026, month=12, day=7, hour=6, minute=30)  # a Monday, 07:30 local
    assert is_due(DigestPace.WEEKLY, 0, None, monday_morning)
    assert not is_due(DigestPace.WEEKLY, 2, None, monday_morning)
    assert not is_due(DigestPace.WEEKLY, 0, monday_morning - timedelta(hours=1), monday_morning)
    assert is_due(DigestPace.WEEKLY, 0, monday_morning - timedelta(days=7), monday_morning)
    assert is_due(DigestPace.DAILY, 4, monday_morning - timedelta(days=1), monday_morning)
    assert not is_due(DigestPace.DAILY, 4, monday_morning - timedelta(hours=2), monday_morning)
    assert not is_due(DigestPace.NEVER, 0, None, monday_morning)


def test_nooit_forgets_what_waited_and_old_items_are_purged(app, mail_server):
    verkeer = theme("verkeer").id
    not_today = (local_today(utcnow()).weekday() + 3) % 7  # on its own day the other's digest would go
    person = _follower(FollowKind.THEME, verkeer, DigestPace.WEEKLY, not_today)
    other = _follower(FollowKind.THEME, verkeer, DigestPace.WEEKLY, not_today)
    following.tell_followers(FollowKind.THEME, verkeer, source="Thema Verkeer", title="Drempels",
                             text="Er komen drempels.", url="http://localhost/x")
    set_pace(person, DigestPace.NEVER.value)
    db.session.commit()
    send_follow_digests(utcnow() + timedelta(minutes=1))
    assert _items_of(person) == [] and len(_items_of(other)) == 1
    assert purge_old_items(utcnow() + timedelta(days=29)) == 0
    assert purge_old_items(utcnow() + timedelta(days=31)) == 1
    mail_server.deliver()
    assert mail_server.messages == []


def test_group_members_are_told_through_also_user_ids(app, mail_server):
    """How the groups will call it: members who do not follow the group, once each."""
    member = make_user()
    set_pace(member, DigestPace.DIRECT.value)
    both = _follower(FollowKind.GROUP, 7, DigestPace.DIRECT)
    trekker = _follower(FollowKind.GROUP, 7, DigestPace.DIRECT)
    told = following.tell_followers(FollowKind.GROUP, 7, source="Werkgroep Groen", title="Plantdag",
                                    text="Zaterdag planten we bollen.", url="http://localhost/groepen/groen",
                                    also_user_ids={member.id, both.id}, skip_user_ids={trekker.id})
    db.session.commit()
    assert told.mailed == 2
    mail_server.deliver()
    assert sorted(m["To"] for m in mail_server.messages) == sorted([member.email, both.email])
    assert mail_server.messages[0]["Subject"] == "Werkgroep Groen: Plantdag"


# --- Following a theme on its board -------------------------------------------------------------


def test_follow_and_unfollow_a_theme_on_its_board(app, client):
    person = make_user()
    login(client, person)
    page = _page(client.get("/themas/verkeer"))
    assert 'id="thema-volg-knop"' in page and "Volg dit thema" in page
    response = client.post("/themas/verkeer/volgen", data={"actie": "volgen"})
    assert response.status_code == 303 and response.location.endswith("/themas/verkeer#thema-volgen")
    page = _page(client.get("/themas/verkeer"))
    assert "U volgt het thema Verkeer." in page and "Niet meer volgen" in page
    assert following.is_following(person, FollowKind.THEME, theme("verkeer").id)
    again = _page(client.post("/themas/verkeer/volgen", data={"actie": "volgen"}, headers=htmx_headers()))
    assert "U volgde het thema Verkeer al." in again and '<div id="thema-volgen"' in again
    assert "<html" not in again
    stopped = _page(client.post("/themas/verkeer/volgen", data={"actie": "ontvolgen"},
                                headers=htmx_headers()))
    assert "U volgt het thema Verkeer niet meer." in stopped and "Volg dit thema" in stopped
    assert not following.is_following(person, FollowKind.THEME, theme("verkeer").id)
    assert client.post("/themas/bestaat-niet/volgen").status_code == 404


def test_visitors_see_no_theme_follow_button(app, client):
    assert "thema-volg-knop" not in _page(client.get("/themas/verkeer"))
    assert client.post("/themas/verkeer/volgen").status_code in (302, 303)  # to the sign-in page


def test_following_twice_keeps_one_row(app):
    person = make_user()
    assert following.follow(person, FollowKind.THEME, 1)
    assert not following.follow(person, FollowKind.THEME, 1)
    db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(Follow)) == 1


# --- The settings ------------------------------------------------------------------------------


def test_the_settings_keep_the_pace_and_refuse_a_bad_value(app, client):
    person = make_user()
    login(client, person)
    page = _page(client.get("/account/meldingen"))
    assert _checked(page, "digest", "wekelijks")
    assert 'name="digest"' in page and 'name="digest_weekday"' in page
    form = {"help_items": "daily", "digest": "dagelijks", "digest_weekday": "3", "event_reminders": "y",
            "moderation": "y", "post_updates": "y"}
    assert client.post("/account/meldingen", data=form).status_code == 303
    preference = db.session.get(NotificationPreference, (person.id, FIRST_WIJK))
    assert (preference.digest, preference.digest_weekday) == ("dagelijks", 3)
    page = _page(client.get("/account/meldingen"))
    assert _checked(page, "digest", "dagelijks") and not _checked(page, "digest", "wekelijks")
    assert re.search(r'<option[^>]*selected[^>]*value="3"|<option[^>]*value="3"[^>]*selected', page)
    assert "één keer per dag een overzicht" in _page(client.get("/account"))

    bad = client.post("/account/meldingen", data={**form, "digest": "elk-uur", "help_items": "direct"})
    assert bad.status_code == 422
    assert "Kies hoe vaak u e-mail wilt." in _page(bad)
    assert _checked(_page(bad), "help_items", "direct")  # what was typed is kept
    bad_day = client.post("/account/meldingen", data={**form, "digest_weekday": "9"})
    assert bad_day.status_code == 422 and "Kies een dag van de week." in _page(bad_day)
    db.session.expire_all()
    assert db.session.get(NotificationPreference, (person.id, FIRST_WIJK)).digest == "dagelijks"
    # a form from before the pace was there: what the person chose stays
    assert client.post("/account/meldingen", data={"help_items": "daily"}).status_code == 303
    db.session.expire_all()
    kept = db.session.get(NotificationPreference, (person.id, FIRST_WIJK))
    assert (kept.digest, kept.digest_weekday) == ("dagelijks", 3)


def test_the_unsubscribe_link_of_a_follow_mail_sets_nooit(app, client, mail_server):
    verkeer = theme("verkeer").id
    person = _follower(FollowKind.THEME, verkeer, DigestPace.DIRECT)
    following.tell_followers(FollowKind.THEME, verkeer, source="Thema Verkeer", title="Drempels",
                             text="Er komen drempels.", url="http://localhost/x")
    db.session.commit()
    mail_server.deliver()
    [mail] = mail_server.messages
    link = re.search(r"http://[^/\s]+(/afmelden/volgen/\S+)", _text(mail)).group(1)
    assert app.test_client().post(link, csrf=False).status_code == 200
    db.session.expire_all()
    assert db.session.get(NotificationPreference, (person.id, FIRST_WIJK)).digest == "nooit"


# --- Wijk isolation -----------------------------------------------------------------------------


@pytest.fixture
def west(app):
    district = create_wijk(slug="west", name="West", host="west.localhost")
    db.session.commit()
    return district.id


def test_follows_and_digest_items_of_west_stay_in_west(app, west, mail_server):
    with in_wijk(west):
        west_verkeer = db.session.scalar(select(Theme.id).where(Theme.slug == "verkeer"))
        kees = _follower(FollowKind.THEME, west_verkeer, DigestPace.DAILY, email="kees@example.org")
        following.tell_followers(FollowKind.THEME, west_verkeer, source="Thema Verkeer",
                                 title="Drempels in Lombok", text="Er komen drempels in de Kanaalstraat.",
                                 url="http://west.localhost/themas/verkeer")
        db.session.commit()
    _follower(FollowKind.THEME, theme("verkeer").id, DigestPace.DAILY, email="riet@example.org")
    # in Vleuten-De Meern nothing of West is seen
    assert following.follower_ids(FollowKind.THEME, west_verkeer) == frozenset()
    assert db.session.scalar(select(db.func.count()).select_from(DigestItem)) == 0
    assert not following.is_following(kees, FollowKind.THEME, west_verkeer)
    assert following.tell_followers(FollowKind.THEME, west_verkeer, source="x", title="x", text="x",
                                    url="x").total == 0
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["send-digests"])
    assert result.exit_code == 0, result.output
    assert "[west] overzicht van wat men volgt: 1 klaargezet" in result.output
    assert "[vleuten-de-meern] overzicht van wat men volgt: 0 klaargezet" in result.output
    [mail] = mail_server.to("kees@example.org")
    assert "Kanaalstraat" in _text(mail) and "http://west.localhost" in _text(mail)
    assert mail_server.to("riet@example.org") == []
    with in_wijk(west):
        assert db.session.scalar(select(db.func.count()).select_from(DigestItem)) == 0


# --- The migration ------------------------------------------------------------------------------


def test_migration_0021_moves_post_follows_and_keeps_what_people_had(empty_database_url):
    from flask_migrate import downgrade, upgrade

    from portal import create_app
    from tests.conftest import app_config

    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade(directory="migrations", revision="0019")
        now = "2026-12-01 10:00:00"
        ids = {}
        for name in ("volger", "uit", "nieuw", "schrijver"):
            db.session.execute(text(
                "INSERT INTO users (name, email, password_hash, created_at, platform_admin) "
                "VALUES (:n, :e, 'x', :t, false)"), {"n": name, "e": f"{name}@example.org", "t": now})
            ids[name] = db.session.scalar(text("SELECT id FROM users WHERE name = :n"), {"n": name})
        theme_id = db.session.scalar(text("SELECT min(id) FROM themes"))
        db.session.execute(text(
            "INSERT INTO posts (district_id, theme_id, author_id, kind, title, body, status, created_at, "
            "support_count, reply_count) "
            "VALUES (1, :t, :a, 'idea', 'Bankje', 'Tekst', 'published', :c, 0, 0)"),
            {"t": theme_id, "a": ids["schrijver"], "c": now})
        post_id = db.session.scalar(text("SELECT max(id) FROM posts"))
        for name in ("volger", "uit"):
            db.session.execute(text("INSERT INTO post_follows (district_id, post_id, user_id, created_at) "
                                    "VALUES (1, :p, :u, :c)"), {"p": post_id, "u": ids[name], "c": now})
        db.session.execute(text(
            "INSERT INTO notification_preferences (user_id, district_id, help_items, event_reminders, "
            "moderation, post_updates) VALUES (:u, 1, 'daily', true, true, false)"), {"u": ids["uit"]})
        db.session.commit()

        upgrade(directory="migrations", revision="0021")
        follows = db.session.execute(text("SELECT user_id, kind, target_id FROM follows ORDER BY user_id"))
        assert [tuple(row) for row in follows] == [(ids["volger"], "post", post_id),
                                                   (ids["uit"], "post", post_id)]
        paces = dict(db.session.execute(text("SELECT user_id, digest FROM notification_preferences")).all())
        assert paces == {ids["volger"]: "direct", ids["uit"]: "nooit"}  # "nieuw" has no row: wekelijks
        db.session.commit()

        downgrade(directory="migrations", revision="0019")
        back = db.session.execute(text("SELECT user_id FROM post_follows ORDER BY user_id")).scalars().all()
        assert back == [ids["volger"], ids["uit"]]
        db.session.remove()
        db.engine.dispose()


# --- My data ------------------------------------------------------------------------------------


def test_my_data_lists_what_i_follow_and_deleting_the_account_forgets_it(app):
    from portal.accounts import privacy

    verkeer = theme("verkeer").id
    person = _follower(FollowKind.THEME, verkeer, DigestPace.DAILY)
    following.tell_followers(FollowKind.THEME, verkeer, source="Thema Verkeer", title="Drempels",
                             text="Er komen drempels.", url="http://localhost/x")
    db.session.commit()
    [wijk] = privacy.export_user_data(person)["wijken"]
    assert wijk["volgt"] == [{"soort": "theme", "id": verkeer}]
    assert wijk["meldingen"]["wat_u_volgt"] == "dagelijks"
    privacy.delete_account(person)
    db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(Follow)) == 0
    assert db.session.scalar(select(db.func.count()).select_from(DigestItem)) == 0


# --- What I follow, on the account page --------------------------------------------------------


def test_the_account_page_lists_my_groups_and_what_i_follow(app, client, west):
    from portal.groups import service as groups_service
    from tests.test_groups import make_group
    from tests.test_meedenken import make_traject

    person = make_user()
    login(client, person)
    page = _page(client.get("/account"))
    assert "Mijn groepen en wat ik volg" in page and "u volgt nog niets" in page

    group = make_group("Werkgroep Groen")
    groups_service.join(group, person)
    post = make_post(title="Bankje bij de Schans")
    hidden = make_post(title="Verborgen bericht")
    hidden.status = "hidden"
    traject = make_traject()
    for kind, target in ((FollowKind.THEME, theme("verkeer").id), (FollowKind.POST, post.id),
                         (FollowKind.POST, hidden.id), (FollowKind.TRAJECT, traject.id)):
        following.follow(person, kind, target)
    with in_wijk(west):
        west_groen = db.session.scalar(select(Theme.id).where(Theme.slug == "groen"))
        following.follow(person, FollowKind.THEME, west_groen)
    db.session.commit()

    page = _page(client.get("/account"))
    assert f'href="/groepen/{group.slug}">Werkgroep Groen</a>' in page
    assert 'href="/themas/verkeer">Thema: Verkeer</a>' in page
    assert f'href="/berichten/{post.id}">Bericht: Bankje bij de Schans</a>' in page
    assert f'href="/meedenken/{traject.slug}">Meedenken: {traject.title}</a>' in page
    assert "Verborgen bericht" not in page  # off line: not listed
    assert "Thema: Groen" not in page  # West's theme: followed there, not here
    assert "u volgt nog niets" not in page
