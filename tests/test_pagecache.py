"""Public pages kept for visitors who are not signed in (portal/pagecache.py): fast, but never
someone else's page, never a stale secret, and fresh after a change."""

import gzip
import random
import re
import time

import pytest
from flask import request as flask_request
from hypothesis import given
from hypothesis import strategies as st

from portal import create_app
from portal.extensions import db
from portal.models import Post
from portal.pagecache import _accepts_gzip, page_cache
from portal.precompressed import PrecompressedPage
from portal.web import wants_fragment, wants_fragment_in
from tests.conftest import FIRST_WIJK, CSRFClient, app_config, htmx_headers, login
from tests.factories import make_post, make_user

NONCE_IN_HEADER = re.compile(r"'nonce-([^']+)'")
GZIP = {"Accept-Encoding": "gzip"}
PUBLIC_PAGES = ["/", "/themas", "/themas/verkeer", "/themas/verkeer?pagina=2&soort=idee", "/signalen",
                "/signalen?status=nieuw", "/zoeken", "/cirkels", "/cirkels/kaart", "/agenda", "/privacy",
                "/toegankelijkheid"]


def html(response) -> str:
    return response.get_data(as_text=True)


def nonce_of(response) -> str:
    return NONCE_IN_HEADER.search(response.headers["Content-Security-Policy"]).group(1)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_visitor_gets_the_kept_page_without_a_query(client, count_queries, path):
    count_queries(client, path)
    assert len(page_cache()) == 1
    assert count_queries(client, path) == []


def test_each_answer_has_its_own_nonce_in_header_and_page(client):
    make_post(title="Bankje bij de Schans")
    answers = [client.get("/themas/verkeer") for _ in range(3)]
    nonces = [nonce_of(answer) for answer in answers]
    assert len(set(nonces)) == 3
    for answer, nonce in zip(answers, nonces, strict=True):
        assert f'"inlineScriptNonce": "{nonce}"' in html(answer)
        assert "\x00" not in html(answer)
        assert "Bankje bij de Schans" in html(answer)


def test_the_map_script_carries_the_answers_nonce(client):
    for _ in range(2):
        answer = client.get("/cirkels/kaart")
        assert f'<script nonce="{nonce_of(answer)}">' in html(answer)


def test_reading_sets_no_cookie(client):
    for path in PUBLIC_PAGES * 2:
        assert "Set-Cookie" not in client.get(path).headers, path


def test_the_gzipped_copy_is_the_same_page(client):
    make_post(title="Bankje bij de Schans")
    plain = client.get("/themas")
    answer = client.get("/themas", headers=GZIP)
    assert "Content-Encoding" not in plain.headers and answer.headers["Content-Encoding"] == "gzip"
    unpacked = gzip.decompress(answer.get_data()).decode()
    assert "Bankje bij de Schans" in unpacked
    assert unpacked.replace(nonce_of(answer), "N") == html(plain).replace(nonce_of(plain), "N")


def test_signed_in_people_never_get_or_make_a_copy(client):
    post = make_post(title="Zebrapad bij de school")
    path = f"/berichten/{post.id}"
    assert 'id="reageren"' not in html(client.get(path))  # a visitor: the copy is made now
    reader = make_user(name="Gerda Smit")
    login(client, reader)
    signed_in = html(client.get(path))
    assert 'id="reageren"' in signed_in and "Gerda" in signed_in
    client.post("/uitloggen")
    client.get("/")  # shows and clears the goodbye message
    assert "Gerda" not in html(client.get(path))
    assert 'id="reageren"' not in html(client.get(path))


def test_anyone_with_a_session_cookie_gets_a_page_rendered_for_them(client, count_queries):
    count_queries(client, "/themas")  # kept
    client.get("/inloggen")  # the sign-in form starts a session (its CSRF token)
    assert count_queries(client, "/themas")
    head = client.head("/themas")
    assert head.status_code == 200 and head.get_data() == b""


def test_a_waiting_message_is_shown_not_a_copy(client):
    client.get("/")
    login(client, make_user())
    client.post("/uitloggen")
    assert "U bent uitgelogd" in html(client.get("/"))


def test_a_change_in_this_worker_shows_at_once(client):
    client.get("/themas/verkeer")
    make_post(title="Meer groen op het Castellumplein", theme_slug="verkeer")
    assert "Meer groen op het Castellumplein" in html(client.get("/themas/verkeer"))


def test_a_change_in_another_worker_shows_within_the_set_time(app, client, monkeypatch):
    path = f"/berichten/{make_post(title='Oude titel').id}"
    client.get(path)
    db.session.commit()  # the test's own session lets go of SQLite's write lock
    # Another worker changes the post: this worker's session never sees the commit.
    with db.engine.begin() as connection:
        connection.execute(db.update(Post).where(Post.title == "Oude titel", Post.district_id == FIRST_WIJK)
                           .values(title="Nieuwe titel"))
    assert "Oude titel" in html(client.get(path))

    later = page_cache().seconds + 1
    clock = time.monotonic
    monkeypatch.setattr("portal.keeping.time.monotonic", lambda: clock() + later)
    assert "Nieuwe titel" in html(client.get(path))


def test_a_change_stamped_by_another_worker_of_this_server_shows_at_once(client, database_url):
    """Another worker (an app of its own on the same database and stamp) commits a change:
    this worker sees the stamp move at its next request and empties its copies."""
    path = f"/berichten/{make_post(title='Oude titel').id}"
    assert "Oude titel" in html(client.get(path))  # kept now
    other = create_app(app_config(database_url))
    with other.app_context():
        db.session.execute(db.update(Post).where(Post.title == "Oude titel").values(title="Nieuwe titel"))
        db.session.commit()
    assert "Nieuwe titel" in html(client.get(path))


def test_the_stamp_moves_once_per_change(app, tmp_path):
    from portal.changes import FileVersion

    one, two = FileVersion(str(tmp_path / "stempel")), FileVersion(str(tmp_path / "stempel"))
    assert not two.moved()
    one.advance()
    assert two.moved() and not two.moved()
    one.advance()
    one.advance()  # twice in the same clock tick still moves it
    assert two.moved() and not one.moved()  # the worker that stamped emptied its own already


def test_copies_are_kept_per_text_size_and_per_fragment(client):
    full = html(client.get("/themas/verkeer"))
    fragment = html(client.get("/themas/verkeer", headers=htmx_headers()))
    assert "<html" in full and "<html" not in fragment
    client.post("/tekstgrootte", data={"maat": "grootst", "next": "/"})
    assert 'data-tekstgrootte="grootst"' in html(client.get("/themas/verkeer"))


# --- Bounded keys: only a page's canonical address is kept (issue 23, item 5) ---------------


def test_made_up_query_strings_never_push_the_home_page_out(client, count_queries):
    count_queries(client, "/")
    assert count_queries(client, "/") == []  # kept
    rng = random.Random(23)
    for n in range(1000):
        made_up = f"buurt={rng.getrandbits(64):x}&{rng.getrandbits(32):x}={n}"
        path = rng.choice(["/", "/themas/verkeer", "/signalen", "/agenda", "/cirkels"])
        assert client.get(f"{path}?{made_up}").status_code in (200, 404)
    assert len(page_cache()) == 1, "nothing but the home page was kept"
    assert count_queries(client, "/") == [], "the home page is still served from its copy"


def test_deep_pages_asked_for_in_many_ways_never_push_the_home_page_out(client, count_queries):
    """``?pagina=`` is canonical for any number: one path keeps at most ``PER_PATH`` copies."""
    from portal.pagecache import PER_PATH

    count_queries(client, "/")
    for n in range(2, 600):
        assert client.get(f"/themas/verkeer?pagina={n}").status_code == 200
    assert len(page_cache()) == 1 + PER_PATH
    assert count_queries(client, "/") == [], "the home page is still served from its copy"


def test_free_text_searches_keep_at_most_their_share(client, count_queries):
    from portal.pagecache import PER_PATH

    count_queries(client, "/")
    for n in range(100):
        assert client.get(f"/zoeken?q=fietspad{n}").status_code == 200
        assert client.get(f"/cirkels?straat=Dorpsstraat{n}").status_code == 200
    assert len(page_cache()) == 1 + 2 * PER_PATH
    assert count_queries(client, "/") == [], "the home page is still served from its copy"
    assert count_queries(client, "/zoeken?q=fietspad99") == []  # a search is kept too


def test_an_unknown_buurt_on_signalen_is_a_404_and_on_a_board_the_unfiltered_board(client):
    make_post(title="Bankje bij de Schans")
    unknown = client.get("/signalen?buurt=bestaat-niet")
    assert unknown.status_code == 404 and "Deze buurt kennen we niet" in html(unknown)
    board = client.get("/themas/verkeer?buurt=bestaat-niet")
    assert board.status_code == 200 and "Bankje bij de Schans" in html(board)
    assert len(page_cache()) == 0


def test_a_page_is_kept_once_whatever_the_order_of_its_arguments(client, count_queries):
    count_queries(client, "/themas/verkeer?soort=idee&pagina=2")
    assert count_queries(client, "/themas/verkeer?pagina=2&soort=idee") == []
    assert len(page_cache()) == 1
    for odd in ("pagina=1", "pagina=abc", "pagina=2&soort=idee&x=1", "soort=", "soort=onzin"):
        client.get(f"/themas/verkeer?{odd}")
    assert len(page_cache()) == 1, "a default, an invalid or an extra argument is not kept"


def test_only_plain_pages_are_kept(client):
    client.get("/berichten/999999")  # 404
    client.get("/account")  # a redirect to sign in
    assert len(page_cache()) == 0


def test_switched_off_every_visit_renders(database_url):
    app = create_app({**app_config(database_url), "PAGE_CACHE_SECONDS": 0})
    app.test_client_class = CSRFClient
    client = app.test_client()
    with app.app_context():
        path = f"/berichten/{make_post(title='Oude titel').id}"
        db.session.commit()
        assert "Oude titel" in html(client.get(path))
        with db.engine.begin() as connection:  # as another worker would
            connection.execute(db.update(Post).where(Post.district_id == FIRST_WIJK)
                               .values(title="Nieuwe titel"))
        assert "Nieuwe titel" in html(client.get(path))
        assert len(page_cache()) == 0
        db.session.remove()
        db.engine.dispose()


def test_the_text_size_switch_refuses_other_sites_without_a_token(client):
    refused = client.post("/tekstgrootte", csrf=False, data={"maat": "groot", "next": "/"},
                          headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403
    assert "tekstgrootte" not in refused.headers.get("Set-Cookie", "")
    foreign = client.post("/tekstgrootte", csrf=False, data={"maat": "groot"},
                          headers={"Origin": "https://elders.example"})
    assert foreign.status_code == 403
    ours = client.post("/tekstgrootte", csrf=False, data={"maat": "groot", "next": "/"},
                       headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"})
    assert ours.status_code == 303 and "tekstgrootte=groot" in ours.headers["Set-Cookie"]


@pytest.mark.parametrize("request_", [{}, {"HX-Request": "true"}, {"HX-Request": "false"},
                                      {"HX-Request": "true", "HX-Boosted": "true"},
                                      {"HX-Request": "true", "HX-History-Restore-Request": "true"}])
def test_the_cache_reads_fragment_requests_as_the_views_do(app, request_):
    with app.test_request_context("/themas", headers=request_):
        assert wants_fragment_in(flask_request.environ) == wants_fragment()


@pytest.mark.parametrize(("header", "accepted"), [
    ("gzip, deflate, br, zstd", True), ("br;q=1.0, gzip;q=0.8", True), ("*", True),
    ("gzip;q=0", False), ("gzip; q=0.000", False), ("identity", False), ("", False),
])
def test_gzip_is_sent_only_when_accepted(header, accepted):
    assert _accepts_gzip(header) is accepted


@given(st.lists(st.binary(max_size=3000), min_size=1, max_size=6), st.data())
def test_a_precompressed_page_unpacks_to_its_text(parts, data):
    fillings = [data.draw(st.binary(max_size=40)) for _ in parts[1:]]
    page = PrecompressedPage(parts)
    assert gzip.decompress(page.gzip(fillings)) == page.text(fillings)
    expected = b"".join(p + f for p, f in zip(parts, fillings, strict=False)) + parts[-1]
    assert page.text(fillings) == expected
