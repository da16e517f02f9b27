"""The registry of kept things (portal/kept.py, portal/keeping.py) and when changes count
(portal/changes.py): every declared thing is made without its reader, each audience holds,
keys can only be what they should, and only the outermost commit announces a change."""

from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

import pytest
from flask import has_request_context, render_template_string, session
from flask.ctx import RequestContext
from flask_login import current_user, login_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from portal import create_app, kept
from portal.board.service import BoardFilters
from portal.database import after_commit, insert_once
from portal.extensions import db
from portal.keeping import CSRF, REGISTRY, NotForThisReader, ReaderRead, key_of, part, reader_free
from portal.models import Follow, FollowKind, Membership, Role, Traject
from tests.conftest import REDIS_URL, CSRFClient, app_config, login
from tests.factories import make_circle, make_member, make_post, make_reply, make_user


@pytest.fixture
def world(app):
    circle = make_circle("Vleuten Dorp", neighbourhood="Vleuten")
    other = make_circle("De Meern Zuid", streets=("Mereveldlaan",), neighbourhood="De Meern")
    post = make_post(title="Bankje bij de Schans")
    make_reply(post)
    people = {
        "resident": make_member(circle),
        "connector": make_member(circle, role="connector"),
        "stranger": make_member(other),
        "moderator": make_user(role=Role.MODERATOR),
        "admin": make_user(role=Role.ADMIN),
    }
    traject = Traject(slug="dorpsstraat", title="Dorpsstraat", ophalen_until=date(2027, 3, 1),
                      latitude=52.1079, longitude=5.0127)
    db.session.add(traject)
    db.session.commit()
    return {"circle": circle, "other": other, "post": post, "traject": traject, **people}


def _samples(world) -> dict[str, dict]:
    """Arguments for every declaration: a new one without a sample fails the test below."""
    theme = kept.theme(slug="verkeer")
    circle, post = world["circle"], world["post"]
    return {
        "device_session": {"digest": "0" * 64},
        "person": {"user_id": world["resident"].id},
        "own_membership": {"user_id": world["resident"].id},
        "circle_row": {"slug": circle.slug},
        "post_row": {"post_id": post.id},
        "theme": {"slug": "verkeer"},
        "neighbourhoods": {},
        "board_filters": {"theme": theme, "filters": BoardFilters()},
        "board_results": {"theme": theme, "filters": BoardFilters()},
        "new_post_form": {"theme": theme},
        "home_board": {},
        "home_groups": {},
        "theme_groups": {"theme": theme},
        "buurt_groups": {"neighbourhood_id": circle.neighbourhood_id},
        "reply_authors": {"post": post, "page": 1},
        "theme_followers": {"theme": theme},
        "supporters_and_followers": {"post": post},
        "post_content": {"post": post},
        "replies": {"post": post, "page": 1},
        "reply_form": {"post": post},
        "signal_figures": {"neighbourhood_id": None},
        "circle_facts": {"circle": circle},
        "circle_map": {"own_circle_id": circle.id},
        "traject_map": {"traject": world["traject"]},
        "unpublished_help_authors": {"circle": circle},
        "help_lists": {"circle": circle},
        "help_form": {"circle": circle, "poster": "namens"},
        "overview_body": {"circle": circle},
        "contact_form": {"circle": circle, "wijkinformatiepunt": "Bel 030 - 123 45 67"},
        "moderation_open_count": {},
        "moderation_queue_page": {"page": 1, "role": Role.ADMIN},
        "decision_reason_field": {"field_id": "reden-1-verbergen"},
        "wijken": {},
    }


def test_every_declared_thing_is_made_without_its_reader(app, world):
    """Made as a signed-in moderator's request would make it: none of them reads the person,
    the session or the request's ``g`` (each would raise ``ReaderRead``)."""
    samples = _samples(world)
    assert set(samples) == set(REGISTRY), "give every declaration a sample here"
    with app.test_request_context("/"):
        login_user(world["moderator"])
        session["csrf_token"] = "the person's own"
        for name, declared in REGISTRY.items():
            declared.make(samples[name])  # raises ReaderRead if it reads the person


def test_csrf_token_in_a_part_with_a_csrf_slot_is_the_slot(app, world):
    """``{{ csrf_token() }}`` in a template rendered whole (not only through ``form_top``)
    gives the slot's mark while a part with a CSRF slot is made, and her own token after."""
    with app.test_request_context("/"):
        login_user(world["resident"])
        with reader_free((CSRF,)):
            assert render_template_string("{{ csrf_token() }}") == CSRF.mark
        assert render_template_string("{{ csrf_token() }}") == generate_csrf()


def test_a_read_shares_the_kept_person_unmerged_and_refuses_to_change_her(app, world):
    """``kept.person`` (``shared_on_reads``): a read gets the kept row itself, outside every
    session; attaching it to one raises at once, changing it raises when it is served next;
    a write loads her in its own session."""
    from sqlalchemy import inspect as sa_inspect

    from portal.keeping import KeptRowChanged

    resident = world["resident"]
    with app.test_request_context("/"):
        first = kept.person(user_id=resident.id)
        assert kept.person(user_id=resident.id) is first  # the kept row itself, every read
        assert sa_inspect(first).session_id is None and first.role == Role.RESIDENT
        with pytest.raises(KeptRowChanged):
            db.session.add(first)
        with pytest.raises(KeptRowChanged):
            db.session.add(Membership(user=first, circle_id=world["other"].id))  # linked to a new row
        db.session.rollback()
    with app.test_request_context("/", method="POST"):
        written = kept.person(user_id=resident.id)
        assert written is not first and sa_inspect(written).session_id is not None
        db.session.rollback()
    with app.test_request_context("/"):
        first.name = "Iemand anders"  # as a read that changed her would
        with pytest.raises(KeptRowChanged):
            kept.person(user_id=resident.id)


SHARED_ON_READS = {"person", "own_membership", "circle_row", "post_row"}


def test_the_rows_shared_on_reads_are_the_ones_this_test_knows(app):
    """A new ``shared_on_reads`` declaration gets a line in the test below."""
    shared = {name for name, declared in REGISTRY.items() if getattr(declared, "shared_on_reads", False)}
    assert shared == SHARED_ON_READS


@pytest.mark.parametrize(("name", "loaded"), [
    ("own_membership", {"circle"}),
    ("circle_row", {"neighbourhood", "streets"}),
    ("post_row", {"theme", "neighbourhood", "author"}),
])
def test_a_read_shares_these_kept_rows_with_what_pages_read_of_them(app, world, name, loaded):
    """Shared rows beside the person: a read gets the kept row itself, with every relationship
    a page reads already loaded (a row outside a session cannot load one later), and attaching
    it, or a row loaded with it, raises at once; a write loads its own."""
    from sqlalchemy import inspect as sa_inspect

    from portal.keeping import KeptRowChanged

    arguments = _samples(world)[name]
    with app.test_request_context("/"):
        first = REGISTRY[name](**arguments)
        assert REGISTRY[name](**arguments) is first
        state = sa_inspect(first)
        assert state.session_id is None and not loaded & state.unloaded
        related = getattr(first, sorted(loaded)[0])
        for row in (first, related[0] if isinstance(related, list) else related):
            with pytest.raises(KeptRowChanged):
                db.session.add(row)
            db.session.rollback()
    with app.test_request_context("/", method="POST"):
        written = REGISTRY[name](**arguments)
        assert written is not first and sa_inspect(written).session_id is not None
        db.session.rollback()
    with app.test_request_context("/"):
        (related[0] if isinstance(related, list) else related).name = "Veranderd"  # as a read that changed it
        with pytest.raises(KeptRowChanged):
            REGISTRY[name](**arguments)


def test_a_part_that_reads_its_reader_fails_at_once(app, world):
    @part(kept.EVERYONE)
    def greeting_for_the_reader():
        return f"Hallo {current_user.name}"

    try:
        with app.test_request_context("/"):
            login_user(world["resident"])
            with pytest.raises(ReaderRead):
                greeting_for_the_reader()
            with pytest.raises(ReaderRead), reader_free():
                session.get("csrf_token")
    finally:
        del REGISTRY["greeting_for_the_reader"]


def test_a_kept_form_gets_each_readers_own_token(app, world):
    with app.test_request_context("/"):
        login_user(world["resident"])
        html = str(kept.reply_form(post=world["post"]))
        from flask_wtf.csrf import generate_csrf

        assert generate_csrf() in html and "\x00" not in html


def test_flask_keeps_the_opened_session_where_reader_free_replaces_it(app):
    """``keeping.reader_free`` replaces ``RequestContext._session``: this fails when Flask
    keeps the session elsewhere (then reader_free must follow)."""
    assert isinstance(RequestContext.__dict__["session"], property)
    with app.test_request_context("/") as context:
        assert context._session is not None
        with reader_free(), pytest.raises(ReaderRead):
            session.get("x")
        assert session.get("x") is None


# --- Audiences ---------------------------------------------------------------------------------


def _as(app, user, ask):
    with app.test_request_context("/"):
        if user is not None:
            login_user(user)
        return ask()


def test_a_visitor_and_a_member_of_another_circle_never_get_a_circles_help(app, world):
    circle = world["circle"]
    for reader in (None, world["stranger"]):
        for ask in (lambda: kept.help_lists(circle=circle),
                    lambda: kept.unpublished_help_authors(circle=circle),
                    lambda: kept.help_form(circle=circle), lambda: kept.overview_body(circle=circle)):
            with pytest.raises(NotForThisReader):
                _as(app, reader, ask)
    assert isinstance(_as(app, world["resident"], lambda: kept.help_lists(circle=circle)), Markup)


def test_a_resident_after_a_moderator_gets_no_moderators_part(app, client, world):
    login(client, world["moderator"])
    assert "Moderatie (" in client.get("/moderatie").get_data(as_text=True)  # kept now
    client.post("/uitloggen")
    login(client, world["resident"])
    assert client.get("/moderatie").status_code == 403
    assert "Moderatie (" not in client.get("/").get_data(as_text=True)
    for ask in (lambda: kept.moderation_queue_page(page=1), lambda: kept.moderation_open_count()):
        with pytest.raises(NotForThisReader):
            _as(app, world["resident"], ask)


def test_the_queue_is_kept_per_role(app, world):
    moderator = _as(app, world["moderator"], lambda: str(kept.moderation_queue_page(page=1)))
    admin = _as(app, world["admin"], lambda: str(kept.moderation_queue_page(page=1)))
    keys = {key for key in app.extensions["kept"] if key[0] == "moderation_queue_page"}
    assert {key[-1] for key in keys} == {Role.MODERATOR, Role.ADMIN}
    assert moderator and admin


def test_a_former_verbinder_gets_the_overview_no_more(app, client, world):
    circle, connector = world["circle"], world["connector"]
    login(client, connector)
    assert client.get(f"/cirkels/{circle.slug}/overzicht").status_code == 200  # kept now
    membership = db.session.scalar(db.select(Membership).where(Membership.user_id == connector.id))
    membership.role = "member"
    db.session.commit()
    assert client.get(f"/cirkels/{circle.slug}/overzicht").status_code == 403
    with pytest.raises(NotForThisReader):
        _as(app, connector, lambda: kept.overview_body(circle=circle))


# --- Keys -------------------------------------------------------------------------------------


@dataclass
class Loose:
    words: str


def test_a_key_holds_only_what_was_meant(app, world):
    assert key_of(world["post"]) == ("Post", world["post"].id)
    assert key_of(BoardFilters()) == key_of(BoardFilters())
    for refused in ({"a": 1}, ["a"], Loose("x"), object()):
        with pytest.raises(TypeError):
            key_of(refused)
    with app.test_request_context("/"), pytest.raises(TypeError):
        kept.theme(slug="verkeer", extra="?")


def test_an_unknown_circle_or_post_keeps_nothing(app):
    with app.test_request_context("/cirkels/bestaat-niet"):
        assert kept.circle_row(slug="bestaat-niet") is None
        assert kept.post_row(post_id=987654) is None
    assert len(app.extensions["kept"]) == 0


# --- When a change counts --------------------------------------------------------------------


class CountingStore:
    def __init__(self):
        self.cleared = 0

    def clear(self):
        self.cleared += 1


def test_only_the_outermost_commit_announces_a_change(app, world):
    counting = CountingStore()
    app.extensions["changes"].on_change(counting.clear)
    resident, post = world["resident"], world["post"]
    # a savepoint, released
    assert insert_once(Follow, kind=FollowKind.POST, target_id=post.id, user_id=resident.id)
    assert counting.cleared == 0
    db.session.commit()
    assert counting.cleared == 1


def test_a_savepoint_rolled_back_forgets_nothing_of_the_unit_of_work(app, world):
    counting, sent = CountingStore(), []
    app.extensions["changes"].on_change(counting.clear)
    resident, post = world["resident"], world["post"]
    insert_once(Follow, kind=FollowKind.POST, target_id=post.id, user_id=resident.id)
    db.session.commit()
    counting.cleared = 0
    with app.test_request_context("/", method="POST"):
        post.title = "Bankje bij de Schans en een boom"
        db.session.flush()
        after_commit(lambda: sent.append("mail"))
        # refused, rolled back
        assert not insert_once(Follow, kind=FollowKind.POST, target_id=post.id, user_id=resident.id)
        from portal.database import commit

        commit()
    assert sent == ["mail"] and counting.cleared == 1


def test_two_servers_sharing_redis_see_each_others_changes_at_once(database_url, tmp_path, redis_prefix):
    """Two apps with stamps of their own (as on two machines) and one CACHE_REDIS_URL: a post
    hidden through the first is gone from the second's board and visitors' copy at once."""
    settings = {**app_config(database_url), "CACHE_REDIS_URL": REDIS_URL,
                "RATELIMIT_KEY_PREFIX": redis_prefix}
    one = create_app({**settings, "CHANGE_STAMP": str(tmp_path / "one")})
    two = create_app({**settings, "CHANGE_STAMP": str(tmp_path / "two")})
    one.test_client_class = two.test_client_class = CSRFClient
    with one.app_context():
        post = make_post(title="Bankje bij de Schans")
        reader = SimpleNamespace(email=make_user().email)
        db.session.commit()
        post_id = post.id
    signed_in, visitor = two.test_client(), two.test_client()
    login(signed_in, reader)
    for client in (signed_in, visitor):
        for _ in range(2):
            assert "Bankje bij de Schans" in client.get("/themas/verkeer").get_data(as_text=True)
    with one.app_context():
        from portal.models import Post

        db.session.get(Post, post_id).status = "hidden"
        db.session.commit()
    for client in (signed_in, visitor):
        assert "Bankje bij de Schans" not in client.get("/themas/verkeer").get_data(as_text=True)
    assert not has_request_context()


def test_the_registry_lists_every_kept_thing_with_its_audience(app):
    result = app.test_cli_runner().invoke(args=["kept"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(REGISTRY)
    assert any(line.startswith("part   moderation_queue_page") and "per role" in line for line in lines)


def test_a_group_of_keys_gives_up_its_own_oldest_entry_first():
    from portal.keeping import Store

    store = Store(seconds=60, entries=10, per_group=3)
    store.put(("home_board", None), "home")
    for page in range(100):
        store.put(("board_results", None, page), page)
    assert store.get(("home_board", None)).value == "home"
    assert [key[2] for key in store if key[0] == "board_results"] == [97, 98, 99]
    store.clear()
    assert len(store) == 0


def test_signing_in_empties_nothing_and_signing_out_does(app, client, world):
    counting = CountingStore()
    app.extensions["changes"].on_change(counting.clear)
    login(client, world["resident"])  # a new device session and nothing else: no change
    login(app.test_client(), world["resident"])  # and a mail "ingelogd op een ander apparaat",
    assert counting.cleared == 0  # queued, claimed and sent: the outbox is shown nowhere
    client.post("/uitloggen")  # the session ends on every worker
    assert counting.cleared == 1
