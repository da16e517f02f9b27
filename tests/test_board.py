"""Wijkplatform: themes, boards, posts, replies, steun, signals, search, and their speed.

Every form is tested on both paths: without JavaScript (303 redirect, PRG) and with htmx (a
fragment without <html>, flash messages out-of-band).
"""

import gzip
import math
import random
import re

import pytest
from sqlalchemy import event, text

from portal.board import service
from portal.board.demo import CARDS as DEMO_CARDS
from portal.board.demo import POSTS as DEMO_POSTS
from portal.board.demo import SIGNALS as DEMO_SIGNALS
from portal.board.demo import add_bulk_posts
from portal.board.search import search_index_paused, search_posts, search_terms
from portal.board.text import plain_text
from portal.demo_moderation import POST_TITLES as MODERATION_POSTS
from portal.extensions import db
from portal.models import MunicipalStatus, Neighbourhood, Post, PostKind, Reply, Role, Support, Theme, User
from portal.models.base import utcnow
from tests.budgets import FRAGMENT_BUDGET, assert_no_third_party, assert_within_budget
from tests.conftest import htmx_headers, login, theme_counts
from tests.factories import (
    make_neighbourhood,
    make_newcomer,
    make_post,
    make_reply,
    make_support,
    make_user,
    theme,
)

EVIL = '<script>alert("x")</script><b onmouseover="x">vet</b>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b onmouseover=&#34;x&#34;&gt;vet&lt;/b&gt;"


def html(response) -> str:
    return response.get_data(as_text=True)


def assert_fragment(response, budget: int = FRAGMENT_BUDGET):
    """An htmx answer: no page around it, small on the wire (gzip, as the server sends it)."""
    body = html(response)
    assert "<html" not in body and "<body" not in body
    size = len(gzip.compress(response.get_data()))
    assert size <= budget, f"{size} bytes compressed"
    return body


def post_count() -> int:
    return db.session.scalar(db.select(db.func.count(Post.id)))


def published_per_theme() -> dict[str, int]:
    """Each theme's published posts, counted from the rows (what ``Theme.post_count`` caches)."""
    published = db.and_(Post.theme_id == Theme.id, Post.status == "published")
    return dict(db.session.execute(
        db.select(Theme.slug, db.func.count(Post.id)).outerjoin(Post, published).group_by(Theme.slug)
    ).all())


@pytest.fixture
def resident(app):
    return make_user(name="Riet van Dijk")


@pytest.fixture
def moderator(app):
    return make_user(name="Mehmet Yilmaz", role=Role.MODERATOR)


@pytest.fixture
def admin(app):
    return make_user(name="Anneke de Graaf", role=Role.ADMIN)


# --- Plain text: escaped, paragraphs, links ------------------------------------------------


def test_plain_text_escapes_everything_and_adds_only_its_own_markup():
    out = str(plain_text(EVIL + "\n\nTweede alinea\nmet een regel"))
    assert out == f"<p>{ESCAPED}</p>\n<p>Tweede alinea<br>\nmet een regel</p>"


def test_plain_text_links_http_addresses_only():
    out = str(plain_text("Zie https://www.utrecht.nl/vleuten?a=1&b=2. Of javascript:alert(1) en "
                         "ftp://x.nl en (http://example.org/pad)."))
    assert ('<a href="https://www.utrecht.nl/vleuten?a=1&amp;b=2" rel="nofollow ugc">'
            "https://www.utrecht.nl/vleuten?a=1&amp;b=2</a>.") in out
    assert '(<a href="http://example.org/pad" rel="nofollow ugc">http://example.org/pad</a>).' in out
    assert out.count("<a ") == 2  # no javascript: or ftp: links


def test_plain_text_cannot_break_out_of_a_link():
    out = str(plain_text('https://a.nl/"><script>x</script> https://b.nl/\'onclick=\'x'))
    assert "<script>" not in out and "'onclick" not in out
    assert '<a href="https://a.nl/" rel="nofollow ugc">' in out


def test_markup_in_every_text_field_is_shown_escaped(client, moderator, admin):
    author = make_user(name=EVIL)
    evil_theme = Theme(slug="proef", name=EVIL, description=EVIL, position=99)
    db.session.add(evil_theme)
    db.session.commit()
    post = make_post(author, theme_slug="proef", kind=PostKind.SIGNAL, title=f"Marktplein {EVIL}", body=EVIL,
                     municipal_status=MunicipalStatus.ANSWERED, municipal_answer=EVIL,
                     answered_at=utcnow())
    make_reply(post, author, body=EVIL)
    pages = ["/", "/themas", "/themas/proef", f"/berichten/{post.id}", "/signalen",
             "/zoeken?q=marktplein", "/account"]
    login(client, author)
    for path in pages:
        body = html(client.get(path))
        assert "<script>alert" not in body and "<b onmouseover" not in body, path
        assert "&lt;script&gt;" in body, path
    body = html(client.get(f"/berichten/{post.id}"))
    assert body.count(ESCAPED) >= 4  # title, text, answer, reply (and names)


# --- Themes -------------------------------------------------------------------------------


def test_themes_list_shows_each_theme_with_count_and_latest_post(client, resident):
    make_post(resident, "groen", title="Oudere post", minutes_ago=60)
    make_post(resident, "groen", title="Bankjes in Park Vleuterweide")
    make_post(resident, "groen", title="Verborgen", status="hidden")
    body = html(client.get("/themas"))
    for name in ["Verkeer", "Groen", "Sociale cohesie", "Activiteiten en voorzieningen",
                 "Relatie met de gemeente", "Wonen", "Gezondheid"]:
        assert f">{name}</a></h2>" in body
    groen = body[body.index(">Groen</a>"):body.index(">Sociale cohesie</a>")]
    assert "2 berichten" in groen and "Bankjes in Park Vleuterweide" in groen
    assert "Verborgen" not in body
    assert "Nog geen berichten" in body  # the other themes


def test_theme_counts_follow_posting_but_not_waiting_posts(client, resident):
    login(client, resident)
    idea = {"kind": "idee", "title": "Bankjes in het park", "body": "Graag in de schaduw."}
    assert client.post("/themas/groen/nieuw", data=idea).status_code == 303
    assert theme_counts(client)["groen"] == 1
    client.post("/uitloggen")
    login(client, make_newcomer())
    waiting = {"kind": "idee", "title": "Een moestuin", "body": "Wie doet mee?"}
    assert client.post("/themas/groen/nieuw", data=waiting).status_code == 303
    counts = theme_counts(client)
    assert counts["groen"] == 1 and counts == published_per_theme()
    assert "1 bericht." in html(client.get("/themas/groen"))


def test_theme_counts_and_board_totals_after_bulk_inserts(client, resident):
    make_post(resident, "groen", title="Verborgen", status="hidden")
    bulk(250, seed=4)
    counts = theme_counts(client)
    assert counts == published_per_theme() and sum(counts.values()) == 250
    verkeer = counts["verkeer"]
    board = html(client.get("/themas/verkeer"))
    assert f"{verkeer} berichten, pagina 1 van {math.ceil(verkeer / 20)}." in board
    assert verkeer > 20
    last = html(client.get(f"/themas/verkeer?pagina={math.ceil(verkeer / 20)}"))
    assert last.count('class="post-item"') == (verkeer % 20 or 20)
    ideas = db.session.scalar(db.select(db.func.count(Post.id)).where(
        Post.theme_id == theme("verkeer").id, Post.kind == PostKind.IDEA))
    assert f"{ideas} berichten met deze keuze" in html(client.get("/themas/verkeer?soort=idee"))


def test_recount_themes_repairs_the_cached_counts(app, resident):
    make_post(resident, "wonen")
    make_post(resident, "wonen", status="pending")
    wonen = theme("wonen")
    db.session.execute(db.update(Theme).values(post_count=7))
    service.recount_themes()
    assert wonen.post_count == 1  # a theme already loaded reads the new count too
    db.session.commit()
    assert {t.slug: t.post_count for t in service.ordered_themes()} == published_per_theme()


def test_only_admins_manage_themes(client, resident, moderator):
    assert client.get("/themas/beheer").status_code == 302  # sign in first
    for person in (resident, moderator):
        login(client, person)
        assert client.get("/themas/beheer").status_code == 403
        assert client.post("/themas/beheer", data={"nieuw-name": "Zwemmen"}).status_code == 403
        assert client.post(f"/themas/beheer/{theme('groen').id}/omhoog").status_code == 403
        client.post("/uitloggen")
    assert theme("zwemmen") is None


def test_admin_adds_renames_and_reorders_themes_without_javascript(client, admin):
    login(client, admin)
    response = client.get("/themas/beheer")
    assert response.status_code == 200 and "Nieuw thema" in html(response)
    response = client.post("/themas/beheer", data={"nieuw-name": "Veiligheid",
                                                   "nieuw-description": "Veilig in de buurt"})
    assert response.status_code == 303 and response.location.endswith("/themas/beheer")
    added = theme("veiligheid")
    assert added.name == "Veiligheid" and added.position == 8
    groen = theme("groen")
    response = client.post(f"/themas/beheer/{groen.id}",
                           data={f"thema-{groen.id}-name": "Groen en water",
                                 f"thema-{groen.id}-description": "Parken en sloten"})
    assert response.status_code == 303
    db.session.expire_all()
    assert theme("groen").name == "Groen en water"  # the address stays
    assert client.post(f"/themas/beheer/{groen.id}/omhoog").status_code == 303
    slugs = [t.slug for t in service.ordered_themes()]
    assert slugs[:2] == ["groen", "verkeer"]
    client.post(f"/themas/beheer/{added.id}/omlaag")  # already last: nothing changes
    assert [t.slug for t in service.ordered_themes()][-1] == "veiligheid"
    assert "Groen en water" in html(client.get("/themas"))


def test_admin_manages_themes_with_htmx(client, admin):
    login(client, admin)
    response = client.post("/themas/beheer", data={"nieuw-name": "Beheer"}, headers=htmx_headers())
    body = assert_fragment(response)
    assert response.status_code == 200 and 'id="thema-beheer"' in body
    assert "is toegevoegd" in body and 'hx-swap-oob="innerHTML:#meldingen"' in body
    assert theme("beheer-2") is not None  # /themas/beheer is the admin page
    verkeer = theme("verkeer")
    response = client.post(f"/themas/beheer/{verkeer.id}/omlaag", headers=htmx_headers())
    assert response.status_code == 200
    assert [t.slug for t in service.ordered_themes()][:2] == ["groen", "verkeer"]


def test_theme_form_errors_keep_the_text(client, admin):
    login(client, admin)
    long_name = "x" * 81
    for headers in ({}, htmx_headers()):
        response = client.post("/themas/beheer", data={"nieuw-name": long_name}, headers=headers)
        assert response.status_code == 422
        assert long_name in html(response) and "Gebruik hooguit 80 tekens" in html(response)
        assert ("<html" in html(response)) == (not headers)


# --- A board ------------------------------------------------------------------------------


def test_anyone_reads_a_board_newest_first(client, resident):
    make_post(resident, title="Eerste idee", minutes_ago=30)
    make_post(resident, title="Nieuwste idee")
    make_post(resident, "groen", title="Ander thema")
    body = html(client.get("/themas/verkeer"))
    assert body.index("Nieuwste idee") < body.index("Eerste idee")
    assert "Ander thema" not in body
    assert "Log in</a> om een idee" in body
    assert client.get("/themas/bestaat-niet").status_code == 404


def test_board_sorts_by_support_and_filters_kind_and_neighbourhood(client, resident):
    de_meern = make_neighbourhood("De Meern")
    make_post(resident, title="Populair idee", support_count=9, minutes_ago=60)
    make_post(resident, title="Een vraag", kind=PostKind.QUESTION, neighbourhood=de_meern)
    body = html(client.get("/themas/verkeer?volgorde=steun"))
    assert body.index("Populair idee") < body.index("Een vraag")
    body = html(client.get("/themas/verkeer?soort=vraag"))
    assert "Een vraag" in body and "Populair idee" not in body
    body = html(client.get("/themas/verkeer?buurt=de-meern"))
    assert "Een vraag" in body and "Populair idee" not in body
    body = html(client.get("/themas/verkeer?soort=signaal"))
    assert "Er zijn geen berichten met deze keuze" in body
    assert 'option value="signaal" selected' in body


def test_board_paginates_by_twenty_and_keeps_filters(client, resident):
    for n in range(45):
        make_post(resident, title=f"Idee nummer {n:02d}", minutes_ago=n)
    first = html(client.get("/themas/verkeer?soort=idee"))
    assert first.count('class="post-item"') == 20 and "Idee nummer 00" in first
    assert "Pagina 1 van 3" in first and 'href="/themas/verkeer?soort=idee&amp;pagina=2"' in first
    third = html(client.get("/themas/verkeer?soort=idee&pagina=3"))
    assert third.count('class="post-item"') == 5 and "Idee nummer 44" in third
    assert "Deze pagina is leeg" in html(client.get("/themas/verkeer?pagina=9"))
    assert "Idee nummer 00" in html(client.get("/themas/verkeer?pagina=niets"))


def test_board_filters_answer_htmx_with_the_results_only(client, resident):
    make_post(resident, title="Een vraag", kind=PostKind.QUESTION)
    response = client.get("/themas/verkeer?soort=vraag", headers=htmx_headers())
    body = assert_fragment(response)
    assert body.lstrip().startswith('<section id="berichten"') and 'aria-live="polite"' in body
    assert "Een vraag" in body
    # boosted pagination links and history restores get the whole page
    boosted = client.get("/themas/verkeer?pagina=1", headers=htmx_headers(**{"HX-Boosted": "true"}))
    assert "<html" in html(boosted)
    assert "HX-Request" in response.headers["Vary"]


# --- Posting ------------------------------------------------------------------------------


def test_signed_out_people_cannot_post(client):
    response = client.get("/themas/verkeer/nieuw")
    assert response.status_code == 302 and "/inloggen" in response.location
    response = client.post("/themas/verkeer/nieuw", data={"kind": "idee", "title": "x", "body": "y"})
    assert response.status_code == 302 and post_count() == 0


def test_post_an_idea_without_javascript(client, resident):
    login(client, resident)
    assert "Nieuw bericht over verkeer" in html(client.get("/themas/verkeer/nieuw"))
    place = make_neighbourhood("Vleuten")
    response = client.post("/themas/verkeer/nieuw", data={
        "kind": "idee", "title": "Zebrapad bij de Europaweg",
        "body": "Veel ouderen steken hier over.\n\nZie https://www.utrecht.nl",
        "neighbourhood": str(place.id)})
    assert response.status_code == 303
    post = db.session.scalar(db.select(Post))
    assert response.location.endswith(f"/berichten/{post.id}")
    assert (post.kind, post.status, post.author_id, post.neighbourhood_id) == (
        "idea", "published", resident.id, place.id)
    assert post.municipal_status is None
    page = html(client.get(response.location))
    assert "staat op het prikbord" in page and "<p>Veel ouderen steken hier over.</p>" in page
    assert 'rel="nofollow ugc">https://www.utrecht.nl</a>' in page


def test_post_an_idea_inline_with_htmx(client, resident):
    login(client, resident)
    board = html(client.get("/themas/verkeer"))
    assert 'hx-post="/themas/verkeer/nieuw"' in board and 'id="berichten-lijst"' in board
    response = client.post("/themas/verkeer/nieuw", headers=htmx_headers(), data={
        "kind": "idee", "title": "Fietsenrekken bij station Vleuten", "body": "Meer rekken graag."})
    body = assert_fragment(response)
    assert response.status_code == 200
    assert 'hx-swap-oob="afterbegin:#berichten-lijst"' in body
    assert "Fietsenrekken bij station Vleuten" in body
    assert 'hx-swap-oob="innerHTML:#meldingen"' in body and "staat op het prikbord" in body
    assert 'value="Fietsenrekken' not in body  # a fresh, empty form comes back
    assert post_count() == 1


def test_invalid_post_keeps_the_text_on_both_paths(client, resident):
    login(client, resident)
    data = {"kind": "idee", "title": "t" * 121, "body": "Mijn lange verhaal"}
    page = client.post("/themas/verkeer/nieuw", data=data)
    assert page.status_code == 422 and "<html" in html(page)
    assert "Mijn lange verhaal" in html(page) and "Gebruik hooguit 120 tekens" in html(page)
    assert 'aria-describedby="title-hint title-error"' in html(page)
    fragment = client.post("/themas/verkeer/nieuw", data=data, headers=htmx_headers())
    assert fragment.status_code == 422 and "Mijn lange verhaal" in assert_fragment(fragment)
    too_long = client.post("/themas/verkeer/nieuw", data={**data, "title": "Goed", "body": "b" * 5001})
    assert too_long.status_code == 422 and "Gebruik hooguit 5.000 tekens" in html(too_long)
    assert post_count() == 0


def test_a_filled_honeypot_lets_the_post_through_to_the_queue(client, resident):
    """Not a 422 without a visible message (autofill fills the hidden field too): the post is
    stored and waits for a moderator."""
    login(client, resident)
    response = client.post("/themas/verkeer/nieuw", data={
        "kind": "idee", "title": "Goedkope horloges", "body": "Klik hier", "website": "http://spam"})
    assert response.status_code == 303 and post_count() == 1
    post = db.session.scalar(db.select(Post))
    assert post.status == "pending" and theme("verkeer").post_count == 0


def test_a_signal_needs_its_phase_and_starts_as_new(client, resident):
    login(client, resident)
    data = {"kind": "signaal", "title": "Oversteek bij de school", "body": "Gevaarlijk."}
    response = client.post("/themas/verkeer/nieuw", data=data)
    assert response.status_code == 422 and "Kies bij een signaal" in html(response)
    response = client.post("/themas/verkeer/nieuw", data={**data, "phase": "evaluatie"})
    assert response.status_code == 303
    signal = db.session.scalar(db.select(Post))
    assert (signal.kind, signal.phase, signal.municipal_status) == ("signal", "evaluatie", "nieuw")


# --- A post -------------------------------------------------------------------------------


def test_anyone_reads_a_post_with_its_replies(client, resident):
    post = make_post(resident, title="Bankjes in het park", body="Tekst")
    make_reply(post, body="Eens!")
    body = html(client.get(f"/berichten/{post.id}"))
    assert "<h1 id=\"bericht-titel\">Bankjes in het park</h1>" in body and "Eens!" in body
    assert "Reacties (<span id=\"reacties-aantal\">1</span>)" in body
    assert "Log in</a> om te reageren" in body and "Log in</a> om dit bericht te steunen" in body
    assert client.get("/berichten/999999").status_code == 404


def test_hidden_posts_only_for_their_author_and_moderators(client, resident, moderator):
    post = make_post(resident, title="Wacht op moderatie", status="pending")
    assert client.get(f"/berichten/{post.id}").status_code == 404
    login(client, make_user())
    assert client.get(f"/berichten/{post.id}").status_code == 404
    for person in (resident, moderator):
        client.post("/uitloggen")
        login(client, person)
        assert "nog niet voor iedereen te zien" in html(client.get(f"/berichten/{post.id}"))


def test_replies_are_paginated_when_long(client, resident):
    post = make_post(resident)
    for n in range(27):
        make_reply(post, body=f"Reactie nummer {n:02d}", minutes_ago=60 - n)
    first = html(client.get(f"/berichten/{post.id}"))
    assert first.count('class="reply"') == 25 and "Reactie nummer 00" in first
    assert "Pagina 1 van 2" in first
    second = html(client.get(f"/berichten/{post.id}?pagina=2"))
    assert second.count('class="reply"') == 2 and "Reactie nummer 26" in second


# --- Steun --------------------------------------------------------------------------------


def supports(post) -> tuple[int, int]:
    db.session.expire_all()
    rows = db.session.scalar(db.select(db.func.count(Support.id)).where(Support.post_id == post.id))
    return rows, db.session.get(Post, post.id).support_count


def test_steun_without_javascript_redirects_back(client, resident):
    post = make_post(resident)
    login(client, make_user())
    response = client.post(f"/berichten/{post.id}/steun", data={"actie": "geven"})
    assert response.status_code == 303 and response.location.endswith(f"/berichten/{post.id}#steun")
    assert supports(post) == (1, 1)
    page = html(client.get(f"/berichten/{post.id}"))
    assert "U steunt dit bericht nu" in page and "1 persoon steunt" in page and "Steun intrekken" in page
    client.post(f"/berichten/{post.id}/steun", data={"actie": "intrekken"})
    assert supports(post) == (0, 0)


def test_steun_is_idempotent_per_person(client, resident):
    post = make_post(resident)
    login(client, make_user())
    for _ in range(3):
        client.post(f"/berichten/{post.id}/steun", data={"actie": "geven"})
    assert supports(post) == (1, 1)
    assert "U steunde dit bericht al" in html(client.get(f"/berichten/{post.id}"))
    for _ in range(2):
        client.post(f"/berichten/{post.id}/steun", data={"actie": "intrekken"})
    assert supports(post) == (0, 0)
    client.post(f"/berichten/{post.id}/steun")  # no actie: toggles
    assert supports(post) == (1, 1)
    client.post(f"/berichten/{post.id}/steun")
    assert supports(post) == (0, 0)
    assert service.set_support(post, resident, True) and not service.set_support(post, resident, True)
    assert supports(post) == (1, 1)


def test_steun_from_several_people_adds_up(client, resident):
    post = make_post(resident)
    for _ in range(3):
        login(client, make_user())
        client.post(f"/berichten/{post.id}/steun", data={"actie": "geven"})
        client.post("/uitloggen")
    assert supports(post) == (3, 3)
    assert "3 mensen steunen" in html(client.get(f"/berichten/{post.id}"))


def test_steun_with_htmx_swaps_the_count_and_announces_it(client, resident):
    post = make_post(resident)
    login(client, make_user())
    response = client.post(f"/berichten/{post.id}/steun", data={"actie": "geven"}, headers=htmx_headers())
    body = assert_fragment(response)
    assert body.lstrip().startswith('<div id="steun"')
    assert "1 persoon steunt" in body and 'value="intrekken"' in body and "Steun intrekken" in body
    assert 'hx-swap-oob="innerHTML:#meldingen"' in body and "U steunt dit bericht nu" in body


def test_signed_out_people_cannot_give_steun(client, resident):
    post = make_post(resident)
    response = client.post(f"/berichten/{post.id}/steun", data={"actie": "geven"})
    assert response.status_code == 302 and "/inloggen" in response.location
    assert supports(post) == (0, 0)
    hidden = make_post(resident, status="hidden")
    login(client, make_user())
    assert client.post(f"/berichten/{hidden.id}/steun").status_code == 404


# --- Replies ------------------------------------------------------------------------------


def test_reply_without_javascript(client, resident):
    post = make_post(resident)
    login(client, make_user(name="Henk Verhoef"))
    response = client.post(f"/berichten/{post.id}/reageren", data={"reply": "Goed plan!\nIk help mee."})
    reply = db.session.scalar(db.select(Reply))
    assert response.status_code == 303
    assert response.location.endswith(f"/berichten/{post.id}#reactie-{reply.id}")
    db.session.expire_all()
    assert db.session.get(Post, post.id).reply_count == 1
    page = html(client.get(response.location))
    assert "Goed plan!<br>\nIk help mee." in page and "Henk Verhoef" in page
    assert "Uw reactie staat onder het bericht" in page


def test_reply_redirects_to_the_last_page_of_a_long_thread(client, resident):
    post = make_post(resident)
    for _ in range(25):
        make_reply(post)
    login(client, resident)
    response = client.post(f"/berichten/{post.id}/reageren", data={"reply": "Nummer 26"})
    assert "?pagina=2#reactie-" in response.location


def test_reply_with_htmx_appends_it(client, resident):
    post = make_post(resident)
    login(client, make_user())
    response = client.post(f"/berichten/{post.id}/reageren", data={"reply": "Mee eens"},
                           headers=htmx_headers())
    body = assert_fragment(response)
    assert 'hx-swap-oob="beforeend:#reacties-lijst"' in body and "Mee eens" in body
    assert '<span id="reacties-aantal" data-hx-swap-oob="true">1</span>' in body
    assert body.lstrip().startswith('<form id="reageren"')


def test_invalid_reply_keeps_the_page_and_the_errors(client, resident):
    post = make_post(resident, title="Mijn idee")
    login(client, resident)
    page = client.post(f"/berichten/{post.id}/reageren", data={"reply": "   "})
    assert page.status_code == 422 and "Mijn idee" in html(page) and "Vul dit veld in" in html(page)
    fragment = client.post(f"/berichten/{post.id}/reageren", data={"reply": "r" * 5001},
                           headers=htmx_headers())
    assert fragment.status_code == 422 and "r" * 5001 in assert_fragment(fragment)
    assert db.session.scalar(db.select(db.func.count(Reply.id))) == 0
    assert client.post(f"/berichten/{post.id}/reageren", data={"reply": "x"}, csrf=False).status_code == 400


# --- Editing ------------------------------------------------------------------------------


def test_author_edits_a_post_within_30_minutes_without_javascript(client, resident):
    post = make_post(resident, title="Oude titel", minutes_ago=10)
    login(client, resident)
    page = html(client.get(f"/berichten/{post.id}"))
    assert "Bericht bewerken" in page and "nog 20 minuten" in page
    form = html(client.get(f"/berichten/{post.id}/bewerken"))
    assert 'value="Oude titel"' in form and "<html" in form
    response = client.post(f"/berichten/{post.id}/bewerken",
                           data={"title": "Nieuwe titel", "body": "Nieuwe tekst", "neighbourhood": ""})
    assert response.status_code == 303 and response.location.endswith(f"/berichten/{post.id}")
    db.session.expire_all()
    edited = db.session.get(Post, post.id)
    assert (edited.title, edited.body) == ("Nieuwe titel", "Nieuwe tekst") and edited.edited_at
    assert "(bewerkt)" in html(client.get(f"/berichten/{post.id}"))


def test_author_edits_a_post_with_htmx(client, resident):
    post = make_post(resident, title="Oude titel")
    login(client, resident)
    form = client.get(f"/berichten/{post.id}/bewerken", headers=htmx_headers())
    assert 'id="bericht"' in assert_fragment(form) and 'value="Oude titel"' in html(form)
    response = client.post(f"/berichten/{post.id}/bewerken", headers=htmx_headers(),
                           data={"title": "Nieuwe titel", "body": "Tekst", "neighbourhood": ""})
    body = assert_fragment(response)
    assert body.lstrip().startswith('<article id="bericht"') and "Nieuwe titel" in body
    invalid = client.post(f"/berichten/{post.id}/bewerken", headers=htmx_headers(),
                          data={"title": "", "body": "Mijn tekst", "neighbourhood": ""})
    assert invalid.status_code == 422 and "Mijn tekst" in assert_fragment(invalid)


def test_only_the_author_edits_and_only_within_30_minutes(client, resident, moderator):
    post = make_post(resident, minutes_ago=5)
    late = make_post(resident, minutes_ago=31)
    reply = make_reply(post, resident, minutes_ago=5)
    data = {"title": "Gewijzigd", "body": "Gewijzigd", "neighbourhood": ""}
    for person in (make_user(), moderator):
        login(client, person)
        assert client.get(f"/berichten/{post.id}/bewerken").status_code == 403
        assert client.post(f"/berichten/{post.id}/bewerken", data=data).status_code == 403
        edit = client.post(f"/reacties/{reply.id}/bewerken", data={f"r{reply.id}-reply": "x"})
        assert edit.status_code == 403
        assert "Bericht bewerken" not in html(client.get(f"/berichten/{post.id}"))
        client.post("/uitloggen")
    login(client, resident)
    assert client.post(f"/berichten/{late.id}/bewerken", data=data).status_code == 403
    assert "Bericht bewerken" not in html(client.get(f"/berichten/{late.id}"))
    db.session.expire_all()
    assert db.session.get(Post, late.id).title != "Gewijzigd"
    assert client.get("/berichten/999999/bewerken").status_code == 404


def test_author_edits_a_reply_on_both_paths(client, resident):
    post = make_post(resident)
    reply = make_reply(post, resident, body="Eerste versie")
    field = f"r{reply.id}-reply"
    login(client, resident)
    assert "Reactie bewerken" in html(client.get(f"/berichten/{post.id}"))
    page = html(client.get(f"/reacties/{reply.id}/bewerken"))
    assert "Eerste versie" in page and "<html" in page
    response = client.post(f"/reacties/{reply.id}/bewerken", data={field: "Tweede versie"})
    assert response.status_code == 303 and response.location.endswith(f"#reactie-{reply.id}")
    fragment = client.get(f"/reacties/{reply.id}/bewerken", headers=htmx_headers())
    assert "Tweede versie" in assert_fragment(fragment)
    response = client.post(f"/reacties/{reply.id}/bewerken", data={field: "Derde versie"},
                           headers=htmx_headers())
    body = assert_fragment(response)
    assert body.lstrip().startswith(f'<li class="reply" id="reactie-{reply.id}"')
    assert response.headers["HX-Retarget"] == f"#reactie-{reply.id}"
    invalid = client.post(f"/reacties/{reply.id}/bewerken", data={field: ""}, headers=htmx_headers())
    assert invalid.status_code == 422 and "HX-Retarget" not in invalid.headers
    db.session.expire_all()
    assert db.session.get(Reply, reply.id).body == "Derde versie"


# --- Signals ------------------------------------------------------------------------------


def test_moderator_sets_status_and_answer_without_javascript(client, resident, moderator):
    signal = make_post(resident, kind=PostKind.SIGNAL, title="Oversteek Europaweg")
    login(client, moderator)
    assert "Voor moderatoren" in html(client.get(f"/berichten/{signal.id}"))
    response = client.post(f"/berichten/{signal.id}/gemeente", data={
        "municipal_status": "beantwoord", "answer": "Er komt een zebrapad. Zie https://www.utrecht.nl"})
    assert response.status_code == 303 and response.location.endswith("#signaal")
    db.session.expire_all()
    answered = db.session.get(Post, signal.id)
    assert answered.municipal_status == "beantwoord" and answered.answered_at
    client.post("/uitloggen")
    page = html(client.get(f"/berichten/{signal.id}"))
    assert "Antwoord van de gemeente</h3>" in page and "Er komt een zebrapad." in page
    assert '<li aria-current="step">Beantwoord door de gemeente</li>' in page
    assert "Voor moderatoren" not in page


def test_moderator_sets_status_with_htmx(client, resident, admin):
    signal = make_post(resident, kind=PostKind.SIGNAL)
    login(client, admin)
    response = client.post(f"/berichten/{signal.id}/gemeente", headers=htmx_headers(),
                           data={"municipal_status": "doorgestuurd", "answer": ""})
    body = assert_fragment(response)
    assert body.lstrip().startswith('<section id="signaal"')
    assert '<li aria-current="step">Doorgestuurd naar de gemeente</li>' in body
    assert "De status is nu: Doorgestuurd naar de gemeente" in body
    invalid = client.post(f"/berichten/{signal.id}/gemeente", headers=htmx_headers(),
                          data={"municipal_status": "beantwoord", "answer": ""})
    assert invalid.status_code == 422 and "Schrijf het antwoord" in assert_fragment(invalid)
    page = client.post(f"/berichten/{signal.id}/gemeente", data={"municipal_status": "onzin"})
    assert page.status_code == 422 and "<html" in html(page)


def test_only_moderators_set_a_signal_status(client, resident):
    signal = make_post(resident, kind=PostKind.SIGNAL)
    login(client, resident)  # even the author may not
    assert "Voor moderatoren" not in html(client.get(f"/berichten/{signal.id}"))
    response = client.post(f"/berichten/{signal.id}/gemeente",
                           data={"municipal_status": "beantwoord", "answer": "Zelf beantwoord"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Post, signal.id).municipal_status == "nieuw"


def test_an_idea_has_no_municipal_status(client, resident, moderator):
    idea = make_post(resident)
    login(client, moderator)
    response = client.post(f"/berichten/{idea.id}/gemeente", data={"municipal_status": "beantwoord",
                                                                  "answer": "x"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Post, idea.id).municipal_status is None


def test_signals_page_lists_signals_by_status(client, resident):
    make_post(resident, kind=PostKind.SIGNAL, title="Nieuw signaal")
    make_post(resident, "groen", kind=PostKind.SIGNAL, title="Beantwoord signaal",
              municipal_status="beantwoord", municipal_answer="Ja.", answered_at=utcnow())
    make_post(resident, title="Gewoon een idee")
    body = html(client.get("/signalen"))
    assert "Nieuw signaal" in body and "Beantwoord signaal" in body and "Gewoon een idee" not in body
    assert "2 signalen" in body
    body = html(client.get("/signalen?status=beantwoord"))
    assert "Beantwoord signaal" in body and "Nieuw signaal" not in body
    fragment = client.get("/signalen?status=nieuw", headers=htmx_headers())
    assert "Nieuw signaal" in assert_fragment(fragment)
    assert "Er zijn geen signalen met deze status" in html(client.get("/signalen?status=in_behandeling"))


def test_the_author_sees_their_signals_on_the_account_page(client, resident):
    make_post(resident, kind=PostKind.SIGNAL, title="Mijn signaal", municipal_status="in_behandeling")
    make_post(make_user(), kind=PostKind.SIGNAL, title="Signaal van een ander")
    login(client, resident)
    body = html(client.get("/account"))
    assert "Mijn signalen aan de gemeente" in body
    assert 'Mijn signaal</a> <span class="muted">In behandeling bij de gemeente</span>' in body
    assert "Signaal van een ander" not in body
    client.post("/uitloggen")
    login(client, make_user())
    assert "U heeft nog geen signaal" in html(client.get("/account"))


# --- Search -------------------------------------------------------------------------------


def test_search_finds_posts_by_title_and_text_with_prefixes(client, resident):
    make_post(resident, title="Fietsenrekken bij station Vleuten", body="Meer plek graag.")
    make_post(resident, "groen", title="Bankjes", body="Schaduw in Park Vleuterweide.")
    make_post(resident, title="Verborgen fietsen", status="hidden")
    body = html(client.get("/zoeken?q=fiets"))
    assert "Fietsenrekken bij station Vleuten" in body and "1 bericht gevonden" in body
    assert "Verborgen" not in body
    assert "Bankjes" in html(client.get("/zoeken?q=vleuterweide+schaduw"))
    assert "0 berichten gevonden" in html(client.get("/zoeken?q=fiets+schaduw"))
    assert "Verkeer" in body  # the theme is shown with each result


def test_search_keeps_up_with_edits_moderation_and_deletes(client, resident):
    post = make_post(resident, title="Oud woord")
    post.title = "Castellum rondleiding"
    db.session.commit()
    assert search_posts("castellum").total == 1 and search_posts("oud").total == 0
    post.status = "hidden"  # what moderation will do: out of the index, out of every count
    db.session.commit()
    assert search_posts("castellum").total == 0
    if db.engine.dialect.name == "sqlite":  # the FTS5 table itself is empty of it too
        indexed = "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'castellum'"
        assert db.session.scalar(text(indexed)) == 0
    post.status = "published"
    db.session.commit()
    assert search_posts("castellum").total == 1
    make_post(resident, title="Castellum wacht", status="pending")
    assert search_posts("castellum").total == 1
    db.session.delete(post)
    db.session.commit()
    assert search_posts("castellum").total == 0


@pytest.mark.parametrize("query", ['"', "fiets*", "NEAR(a b)", "a OR b", "-x", "title:x", "é ü ß", "'"])
def test_search_syntax_never_breaks_it(client, resident, query):
    make_post(resident, title="Fietspad")
    response = client.get("/zoeken", query_string={"q": query})
    assert response.status_code == 200


def test_search_without_words_explains_what_to_do(client):
    assert "Typ een of meer woorden" in html(client.get("/zoeken"))
    assert "Gebruik letters of cijfers" in html(client.get("/zoeken?q=%21%21"))
    assert search_terms("Fiets-pad, Ring_kade!") == ["fiets", "pad", "ring", "kade"]
    assert search_posts("   ") is None


def test_search_paginates_and_answers_htmx(client, resident):
    for n in range(23):
        make_post(resident, title=f"Pinautomaat {n}")
    body = html(client.get("/zoeken?q=pinautomaat"))
    assert body.count('class="post-item"') == 20 and "pagina 1 van 2" in body
    assert 'href="/zoeken?q=pinautomaat&amp;pagina=2"' in body
    second = client.get("/zoeken?q=pinautomaat&pagina=2", headers=htmx_headers())
    assert assert_fragment(second).count('class="post-item"') == 3


@pytest.mark.sqlite_only  # FTS5 and EXPLAIN QUERY PLAN; PostgreSQL has its own test below
def test_search_uses_the_index_not_a_scan(app, resident):
    """Both statements of a search page (results and count) start from the FTS index and read
    posts by their key: no scan of the posts table."""
    make_post(resident, title="Fietspad")
    executed = []

    def record(_conn, _cursor, statement, parameters, *_args):
        executed.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert search_posts("fiets").total == 1
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    searches = [(sql, params) for sql, params in executed if "posts_fts" in sql]
    assert len(searches) == 2
    cursor = db.session.connection().connection.dbapi_connection.cursor()
    for sql, params in searches:
        plan = " | ".join(row[-1] for row in cursor.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "VIRTUAL TABLE INDEX" in plan, plan
        assert re.search(r"SCAN (posts|users|themes)\b(?!_fts)", plan) is None, plan


def test_postgres_search_uses_the_indexed_expression():
    """PostgreSQL uses its GIN index only for the exact expression of migration 0003."""
    from sqlalchemy.dialects import postgresql

    from portal.board.search import _postgres_search

    items, count = _postgres_search(["fiets"])
    sql = str(items.compile(dialect=postgresql.dialect()))
    assert "to_tsvector('dutch', (posts.title || ' ') || posts.body) @@ to_tsquery('dutch'," in sql
    assert "posts.status = " in sql and "posts.status = " in str(count.compile(dialect=postgresql.dialect()))
    with open("migrations/versions/0003_board.py", encoding="utf-8") as file:
        migration = file.read()
    index = "gin (to_tsvector('dutch', title || ' ' || body)) \"\n    \"WHERE status = 'published'"
    assert index in migration


# --- Home ---------------------------------------------------------------------------------


def test_home_shows_latest_ideas_per_theme_and_answered_signals(client, resident):
    make_post(resident, title="Oud idee", minutes_ago=90)
    make_post(resident, title="Middel idee", minutes_ago=60)
    make_post(resident, title="Nieuw idee", minutes_ago=30)
    make_post(resident, title="Vraag over de bieb", kind=PostKind.QUESTION)
    make_post(resident, "wonen", title="Kleinere woningen")
    make_post(resident, kind=PostKind.SIGNAL, title="Beantwoord signaal", municipal_status="beantwoord",
              municipal_answer="Ja", answered_at=utcnow())
    body = html(client.get("/"))
    assert "Nieuw idee" in body and "Middel idee" in body and "Oud idee" not in body
    assert "Vraag over de bieb" not in body and "Kleinere woningen" in body
    assert "De gemeente antwoordde" in body and "Beantwoord signaal" in body
    assert '<a class="entry" href="/themas"><strong>Een idee voor de wijk' in body


# --- Speed: a fixed number of queries whatever the data size ------------------------------


def bulk(count: int, seed: int, reader: User | None = None):
    """``count`` posts by the people so far (not by ``reader``)."""
    authors = [u for u in db.session.scalars(db.select(User)) if u != reader]
    places = list(db.session.scalars(db.select(Neighbourhood)))
    add_bulk_posts(count, authors, list(db.session.scalars(db.select(Theme))), places,
                   random.Random(seed))


def test_pages_run_the_same_queries_at_10_and_at_1000_posts(client, count_queries, resident):
    make_neighbourhood("Vleuten")
    post = make_post(resident, title="Fietspad langs de Ringkade", kind=PostKind.SIGNAL)
    for _ in range(3):
        make_reply(post)
    make_support(post)
    reader = make_user()  # an author on the page would come from the identity map: one query less
    bulk(9, seed=1, reader=reader)
    paths = ["/", "/themas", "/themas/verkeer", "/themas/verkeer?volgorde=steun&soort=idee",
             "/themas/verkeer?pagina=2&buurt=vleuten", f"/berichten/{post.id}", "/zoeken?q=fietspad",
             "/zoeken?q=fietspad&pagina=2", "/signalen", "/signalen?status=nieuw"]

    def counts():
        signed_out = {path: len(count_queries(client, path)) for path in paths}
        login(client, reader)
        signed_in = {path: len(count_queries(client, path)) for path in paths}
        client.post("/uitloggen")
        return signed_out, signed_in

    small = counts()
    bulk(990, seed=2, reader=reader)
    assert post_count() == 1000
    assert counts() == small
    assert max(small[1].values()) <= 6, small
    print("queries per page, signed out and in:", small)


@pytest.mark.sqlite_only  # the FTS5 table and its trigger exist only on SQLite
def test_bulk_posts_are_searchable_and_the_trigger_comes_back(app, resident):
    bulk(50, seed=3)
    indexed = "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'bij'"  # in every bulk title
    assert db.session.scalar(text(indexed)) == 50
    triggers = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'posts_fts_%'"
    assert db.session.scalar(text(triggers)) == 3
    make_post(resident, title="Jeu de boules")
    assert search_posts("boules").total == 1  # the insert trigger works again
    with pytest.raises(RuntimeError), search_index_paused():
        raise RuntimeError("half way")
    db.session.rollback()
    assert db.session.scalar(text(triggers)) == 3  # a rollback brings the trigger back


def test_fragments_stay_under_4_kb(client, resident):
    for n in range(25):
        make_post(resident, kind=PostKind.SIGNAL, title=f"Een signaal over de Europaweg {n}",
                  body="Een lange tekst over het verkeer in de wijk. " * 20)
    login(client, resident)
    for path in ["/themas/verkeer?soort=signaal", "/signalen", "/zoeken?q=europaweg"]:
        assert_fragment(client.get(path, headers=htmx_headers()))


@pytest.mark.parametrize("path", ["/themas", "/themas/verkeer", "/signalen", "/zoeken?q=idee", "POST"])
def test_pages_within_35_kb_signed_out_and_in(client, resident, path):
    post = make_post(resident, kind=PostKind.SIGNAL, body="Een idee. " * 300)
    for _ in range(30):
        make_post(resident, body="Een idee voor de buurt. " * 10)
        make_reply(post, body="Een reactie op het idee. " * 10)
    path = f"/berichten/{post.id}" if path == "POST" else path
    assert_within_budget(client, path)
    assert_no_third_party(html(client.get(path)))
    login(client, resident)
    assert_within_budget(client, path)


# --- Demo data and the migration ----------------------------------------------------------


def test_seed_demo_fills_every_theme_with_replies_steun_and_signals(app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo-wachtwoord"])
    assert result.exit_code == 0, result.output
    per_theme = dict(db.session.execute(db.select(Post.theme_id, db.func.count())
                                        .where(Post.kind != "signal").group_by(Post.theme_id)).all())
    assert len(per_theme) == 7 and min(per_theme.values()) >= 5
    states = set(db.session.scalars(db.select(Post.municipal_status).where(Post.kind == "signal")))
    assert {"nieuw", "doorgestuurd", "in_behandeling", "beantwoord"} <= states
    answered = db.session.scalar(db.select(Post).where(Post.municipal_status == "beantwoord"))
    assert answered.municipal_answer and answered.answered_at
    assert db.session.scalar(db.select(db.func.count(Reply.id))) >= 25
    assert db.session.scalar(db.select(db.func.count(Support.id))) >= 60
    for post in db.session.scalars(db.select(Post)):  # the cached counters match the rows
        assert post.reply_count == db.session.scalar(  # published replies (moderation's demo has others)
            db.select(db.func.count(Reply.id)).where(Reply.post_id == post.id, Reply.status == "published"))
        assert post.support_count == db.session.scalar(
            db.select(db.func.count(Support.id)).where(Support.post_id == post.id))
    assert search_posts("Castellum").total >= 1
    bewoner = db.session.scalar(db.select(User).where(User.email == "bewoner@example.org"))
    assert db.session.scalar(db.select(db.func.count(Post.id)).where(Post.author_id == bewoner.id))


def test_seed_demo_posts_adds_that_many_published_posts(app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", "pw", "--posts", "300"])
    assert result.exit_code == 0, result.output
    assert post_count() == len(DEMO_POSTS) + len(DEMO_SIGNALS) + len(DEMO_CARDS) + len(MODERATION_POSTS) + 300
    per_theme = dict(db.session.execute(
        db.select(Post.theme_id, db.func.count()).group_by(Post.theme_id)).all())
    assert min(per_theme.values()) >= 5 + 15  # spread over every theme
    assert {t.slug: t.post_count for t in service.ordered_themes()} == published_per_theme()
    waiting = db.select(db.func.count(Post.id)).where(Post.status != "published")
    assert db.session.scalar(waiting.where(Post.title.not_in(MODERATION_POSTS))) == 0  # only moderation's
    if db.engine.dialect.name == "sqlite":  # "bij" is a stop word in PostgreSQL's Dutch search
        assert search_posts("bij").total >= 300  # every bulk title says where: "... bij De Pijler"


def test_autogenerate_ignores_only_the_search_machinery():
    from portal.database import include_name

    for name in ("posts_fts", "posts_fts_data", "posts_fts_idx", "ix_posts_fts"):
        assert not include_name(name, "table" if "ix" not in name else "index", {})
    for name in ("posts", "themes", "ix_posts_theme_status_created", "shifts"):
        assert include_name(name, "table", {})


def test_routes_match_the_design_contract(app):
    rules = {r.rule for r in app.url_map.iter_rules()}
    assert {"/themas", "/themas/<slug>", "/themas/<slug>/nieuw", "/berichten/<int:post_id>",
            "/berichten/<int:post_id>/steun", "/berichten/<int:post_id>/reageren", "/signalen",
            "/zoeken"} <= rules


def test_no_html_is_stored_or_generated_from_user_input(client, resident):
    """What people type is stored as typed; markup only appears when shown, escaped."""
    login(client, resident)
    client.post("/themas/verkeer/nieuw", data={"kind": "idee", "title": EVIL, "body": EVIL})
    stored = db.session.scalar(db.select(Post))
    assert stored.title == EVIL and stored.body == EVIL
    assert re.search(r"<script>alert", html(client.get(f"/berichten/{stored.id}"))) is None


@pytest.mark.postgresql_only
def test_search_on_postgresql(app):
    """The same search function on PostgreSQL: Dutch stemming, prefixes, published only, and
    the partial GIN index of migration 0003 is usable."""
    from portal.board.search import _postgres_search

    author = make_user()
    make_post(author, title="Fietsenrekken bij station Vleuten", body="Meer plek voor fietsen.")
    make_post(author, title="Bomen", body="De bomen langs de Meerndijk worden gekapt.")
    make_post(author, title="Verborgen fietsen", status="hidden")
    assert [p.title for p in search_posts("fiets").items] == ["Fietsenrekken bij station Vleuten"]
    assert search_posts("boom gekapt").total == 1  # Dutch stemming: bomen → boom
    assert search_posts("fietsen").total == 1 and search_posts("'; drop").total == 0
    bulk(3000, seed=4)
    db.session.execute(text("ANALYZE posts"))
    items, _count = _postgres_search(["meerndijk", "gekapt"])
    sql = str(items.compile(db.engine, compile_kwargs={"literal_binds": True}))
    plan = " ".join(row[0] for row in db.session.execute(text("EXPLAIN " + sql)))
    assert "ix_posts_fts" in plan, plan


def test_search_finds_circles_by_name_and_street(client):
    from tests.factories import make_circle

    make_circle(name="Vleuten Dorp", streets=("Dorpsstraat", "Schoolstraat"))
    make_circle(name="De Meern Zandweg", streets=("Zandweg",), neighbourhood="De Meern")
    body = html(client.get("/zoeken?q=schoolstraat+12"))
    assert "<h2>Buurtcirkels</h2>" in body and "Vleuten Dorp" in body and "De Meern Zandweg" not in body
    assert "Vleuten Dorp" in html(client.get("/zoeken?q=dorp"))
    assert "<h2>Buurtcirkels</h2>" not in html(client.get("/zoeken?q=fietspad"))
