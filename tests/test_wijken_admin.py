"""The platform admin manages the wijken (``/beheer/wijken``, ``flask create-wijk``), and each
wijk shows its own name, colour and logo; the host decides the wijk (aliases redirect, an
unknown host is the default wijk in development and a plain 404 in production)."""

import io
import re

import pytest
from flask.testing import FlaskClient

from portal import create_app
from portal.extensions import db
from portal.models import District, Role, Theme
from portal.wijk import in_wijk
from portal.wijken import service
from portal.wijken.colours import contrast_ratio, normalised
from tests.conftest import FIRST_WIJK, app_config, login
from tests.factories import make_user

FIVE_THEMES = ["verkeer", "groen", "sociale-cohesie", "activiteiten-en-voorzieningen",
               "relatie-met-de-gemeente"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
       b'<rect width="10" height="10" fill="#0b4a8b"/></svg>\n')
LIGHT = "#1a7f37"  # 5.1:1 on white
DARK_ENOUGH = "#595959"  # 7.0:1 on white
WEST = "west.localhost"


def _page(response) -> str:
    return response.get_data(as_text=True)


def _district(slug: str) -> District | None:
    db.session.expire_all()
    return db.session.scalar(db.select(District).where(District.slug == slug))


def _theme_slugs(district) -> list[str]:
    with in_wijk(district):
        return list(db.session.scalars(db.select(Theme.slug).order_by(Theme.position)))


@pytest.fixture
def admin(client):
    person = make_user(role=Role.ADMIN)
    assert person.platform_admin
    login(client, person)
    return person


@pytest.fixture
def west(app):
    district = service.create_wijk("west", "West", WEST)
    db.session.commit()
    return district


def _new(client, **fields):
    return client.post("/beheer/wijken/nieuw", data=fields)


def _save(client, **changes):
    return client.post("/beheer/wijken/west", data=_settings(**changes))


def _settings(**changes) -> dict:
    fields = {"name": "West", "host": WEST, "aliases": "", "contact_line": "", "gemeente_mail": "",
              "signalen_url": "", "signalen_category": "", "mail_from_name": "", "accent_colour": "#0b4a8b"}
    return fields | changes


# --- The contrast of a colour (WCAG 2) ------------------------------------------------------


def test_the_contrast_ratio_of_two_colours():
    assert contrast_ratio("#000000") == pytest.approx(21)
    assert contrast_ratio("#ffffff") == pytest.approx(1)
    assert contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)  # the classic 4.5:1 grey
    assert contrast_ratio(DARK_ENOUGH) == pytest.approx(7.0, abs=0.01)
    assert contrast_ratio(LIGHT) == pytest.approx(5.08, abs=0.01)
    assert contrast_ratio("#ffffff", "#0b4a8b") == contrast_ratio("#0b4a8b", "#ffffff")  # either way round
    assert normalised(" #0B4A8B ") == "#0b4a8b" and normalised("abc") == "#aabbcc"
    assert normalised("#12345") is None and normalised("blauw") is None


# --- A new wijk: the form and the command -----------------------------------------------------


def test_a_host_finds_its_wijk_and_an_alias_its_wijk_as_alias():
    """``Wijken.for_host`` (a dict made when the wijken are loaded): a wijk's own host wins
    over the same name as another wijk's alias, as the search through the wijken did."""
    from portal.wijken.hosts import Wijken, WijkFacts

    def facts(id_, host, aliases=()):
        return WijkFacts(id=id_, slug=f"w{id_}", name=f"Wijk {id_}", host=host, aliases=tuple(aliases),
                         contact_line="", gemeente_mail="", signalen_url="", signalen_category="",
                         mail_from_name="", accent_colour="#1a5e3a", has_logo=False, logo_version="")

    first, second = facts(1, "een.localhost", ["oud.localhost", "twee.localhost"]), facts(2, "twee.localhost")
    known = Wijken({1: first, 2: second}, default_id=1)
    assert known.for_host("een.localhost") == (first, False)
    assert known.for_host("oud.localhost") == (first, True)
    assert known.for_host("twee.localhost") == (second, False)
    assert known.for_host("elders.localhost") == (None, False)


def test_the_platform_admin_makes_a_wijk_through_the_form(client, admin):
    page = client.get("/beheer/wijken/nieuw")
    assert page.status_code == 200 and 'name="host"' in _page(page)
    response = client.post("/beheer/wijken/nieuw", data={
        "name": "West", "slug": "west", "host": "West.Localhost", "aliases": "west.example www.west.example"})
    assert response.status_code == 303 and response.location == "/beheer/wijken/west"
    district = _district("west")
    assert (district.name, district.host) == ("West", WEST)
    assert district.alias_list == ["west.example", "www.west.example"]
    assert _theme_slugs(district) == FIVE_THEMES
    assert "verkeer" in _theme_slugs(FIRST_WIJK) and "wonen" in _theme_slugs(FIRST_WIJK)  # its own seven
    assert "wonen" not in _theme_slugs(district)
    followed = _page(client.get(response.location))
    assert "De wijk West is gemaakt" in followed

    listed = _page(client.get("/beheer/wijken"))
    assert "West" in listed and WEST in listed and "Vleuten-De Meern" in listed


def test_a_taken_slug_or_host_is_refused_with_the_text_kept(client, admin, west):
    response = _new(client, name="Westelijk", slug="west", host="anders.localhost")
    assert response.status_code == 422
    page = _page(response)
    assert "Er is al een wijk met de korte naam west." in page and 'value="Westelijk"' in page

    response = _new(client, name="Noord", slug="noord", host=WEST)
    assert response.status_code == 422 and f"Het adres {WEST} is al van de wijk West." in _page(response)
    response = _new(client, name="Noord", slug="noord", host="noord.localhost", aliases="localhost")
    assert response.status_code == 422
    assert "Het adres localhost is al van de wijk Vleuten-De Meern." in _page(response)
    response = _new(client, name="Noord", slug="Noord Oost", host="https://noord.localhost/")
    page = _page(response)
    assert response.status_code == 422
    assert "Gebruik alleen kleine letters" in page and "zonder https://" in page
    assert _district("noord") is None


def test_create_wijk_on_the_command_line(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-wijk", "--slug", "noordoost", "--name", "Noordoost",
                                 "--host", "noordoost.localhost", "--aliases", "noordoost.example"])
    assert result.exit_code == 0, result.output
    assert "Noordoost" in result.output and "5 thema's" in result.output
    district = _district("noordoost")
    assert district.host == "noordoost.localhost" and district.alias_list == ["noordoost.example"]
    assert _theme_slugs(district) == FIVE_THEMES
    with in_wijk(district):
        assert {theme.district_id for theme in db.session.scalars(db.select(Theme))} == {district.id}

    again = runner.invoke(args=["create-wijk", "--slug", "noordoost", "--name", "Noordoost 2",
                                "--host", "nog.localhost"])
    assert again.exit_code != 0 and "Er is al een wijk met de korte naam noordoost." in again.output
    taken = runner.invoke(args=["create-wijk", "--slug", "zuid", "--name", "Zuid",
                                "--host", "noordoost.example"])
    assert taken.exit_code != 0 and "Het adres noordoost.example is al van de wijk Noordoost." in taken.output
    assert _district("zuid") is None
    assert db.session.scalar(db.select(db.func.count()).select_from(District)) == 2


# --- A wijk's settings ------------------------------------------------------------------------


def test_a_colour_below_seven_to_one_is_refused_and_one_above_is_stored(client, admin, west):
    page = _page(client.get("/beheer/wijken/west"))
    assert 'value="#0b4a8b"' in page and "Gegevens opslaan" in page

    response = _save(client, accent_colour=LIGHT, contact_line="Bel Ans")
    assert response.status_code == 422
    page = _page(response)
    assert "Deze kleur is te licht: het contrast met wit is 5,0 op 1." in page
    assert f'value="{LIGHT}"' in page and 'value="Bel Ans"' in page  # what was typed stays
    assert _district("west").accent_colour == "#0b4a8b"

    response = _save(client, accent_colour=DARK_ENOUGH.upper(), contact_line="Bel Ans")
    assert response.status_code == 303 and response.location == "/beheer/wijken/west"
    assert "De gegevens van West zijn opgeslagen." in _page(client.get(response.location))
    district = _district("west")
    assert (district.accent_colour, district.contact_line) == (DARK_ENOUGH, "Bel Ans")

    shown = client.get("/inloggen", headers={"Host": WEST})
    nonce = re.search(r"'nonce-([^']+)'", shown.headers["Content-Security-Policy"]).group(1)
    assert f'<style nonce="{nonce}">:root {{ --accent: {DARK_ENOUGH}; }}</style>' in _page(shown)
    assert "style-src 'self' 'nonce-" in shown.headers["Content-Security-Policy"]  # no unsafe-inline


def test_the_other_settings_are_checked(client, admin, west):
    response = _save(client, gemeente_mail="wijkbureau@utrecht.example; fietsen=fiets@utrecht.example",
                     signalen_url="api.meldingen.nl", mail_from_name="West <noreply@x>",
                     accent_colour="blauw")
    page = _page(response)
    assert response.status_code == 422
    assert "De wijk heeft geen thema met het webadres fietsen." in page
    assert "Schrijf een volledig webadres dat begint met https://." in page
    assert "Gebruik geen &lt; &gt;" in page
    assert "Schrijf de kleur als # met zes cijfers" in page

    mail = "wijkbureau@utrecht.example; verkeer=verkeer@utrecht.example, fiets@utrecht.example"
    response = _save(client, gemeente_mail=mail, signalen_url="https://api.meldingen.example.nl",
                     mail_from_name="Wijkplatform West")
    assert response.status_code == 303
    district = _district("west")
    assert (district.gemeente_mail, district.signalen_url, district.mail_from_name) == (
        mail, "https://api.meldingen.example.nl", "Wijkplatform West")


def test_a_new_host_keeps_the_old_one_as_an_alias(client, admin, west):
    response = _save(client, name="Utrecht West", host="utrecht-west.localhost")
    assert response.status_code == 303
    followed = _page(client.get(response.location))
    assert "Het oude adres west.localhost stuurt bezoekers voortaan door" in followed
    district = _district("west")
    assert (district.name, district.host, district.alias_list) == ("Utrecht West", "utrecht-west.localhost",
                                                                   [WEST])
    moved = client.get("/agenda?week=2", headers={"Host": WEST})
    assert moved.status_code == 301 and moved.location == "http://utrecht-west.localhost/agenda?week=2"
    assert "Buurtportaal Utrecht West" in _page(client.get("/inloggen", headers={"Host": district.host}))

    refused = _save(client, host="localhost")
    assert refused.status_code == 422
    assert "Het adres localhost is al van de wijk Vleuten-De Meern." in _page(refused)


# --- The logo ----------------------------------------------------------------------------------


def _upload(client, data: bytes, name: str):
    return client.post("/beheer/wijken/west/logo", data={"logo": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_a_png_logo_is_uploaded_and_served_on_the_wijks_own_host(client, admin, west):
    assert client.get("/wijk/logo", headers={"Host": WEST}).status_code == 404
    response = _upload(client, PNG, "logo.png")
    assert response.status_code == 303 and response.location == "/beheer/wijken/west#logo"
    assert "Het nieuwe logo van West is opgeslagen." in _page(client.get("/beheer/wijken/west"))

    page = _page(client.get("/inloggen", headers={"Host": WEST}))
    found = re.search(r'<img class="wijk-logo" src="(/wijk/logo\?v=\w+)" alt="West">', page)
    assert found, page[:2000]
    logo = client.get(found.group(1), headers={"Host": WEST})
    assert logo.status_code == 200 and logo.data == PNG and logo.mimetype == "image/png"
    assert logo.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert logo.headers["X-Content-Type-Options"] == "nosniff"
    old = client.get("/wijk/logo?v=oud", headers={"Host": WEST})
    assert old.headers["Cache-Control"] == "public, max-age=300"
    assert client.get("/wijk/logo").status_code == 404  # Vleuten-De Meern has none
    assert 'class="wijk-logo"' not in _page(client.get("/inloggen"))

    removed = client.post("/beheer/wijken/west/logo/verwijderen")
    assert removed.status_code == 303 and _district("west").logo is None
    assert client.get("/wijk/logo", headers={"Host": WEST}).status_code == 404


def test_an_svg_logo_is_served_with_a_policy_that_allows_nothing(client, admin, west):
    assert _upload(client, SVG, "logo.svg").status_code == 303
    logo = client.get("/wijk/logo", headers={"Host": WEST})
    assert logo.status_code == 200 and logo.mimetype == "image/svg+xml" and logo.data == SVG
    policy = logo.headers["Content-Security-Policy"]
    assert policy.startswith("default-src 'none'") and "script" not in policy and "sandbox" in policy


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"GIF89a" + b"\x00" * 50, "logo.gif", "Kies een logo in PNG of SVG."),
    (PNG + b"\x00" * (100 * 1024), "groot.png", "Het mag hooguit 100 kB zijn."),
    (SVG.replace(b"<rect", b'<script>alert(1)</script><rect'), "logo.svg", "bevat een script"),
    (SVG.replace(b"<rect", b'<rect onload="alert(1)"'), "logo.svg", "bevat een script"),
])
def test_a_logo_that_is_not_a_small_png_or_a_plain_svg_is_refused(client, admin, west, data, name, message):
    response = _upload(client, data, name)
    assert response.status_code == 422 and message in _page(response)
    assert _district("west").logo is None


def test_a_logo_form_without_a_file_says_so(client, admin, west):
    response = client.post("/beheer/wijken/west/logo", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Kies een bestand." in _page(response)


# --- Who may -------------------------------------------------------------------------------


PAGES = [("get", "/beheer/wijken"), ("get", "/beheer/wijken/nieuw"), ("post", "/beheer/wijken/nieuw"),
         ("get", "/beheer/wijken/west"), ("post", "/beheer/wijken/west"),
         ("post", "/beheer/wijken/west/logo"), ("post", "/beheer/wijken/west/logo/verwijderen")]


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.COORDINATOR, Role.RESIDENT])
def test_nobody_but_the_platform_admin_manages_wijken(client, west, role):
    login(client, make_user(role=role))
    for method, path in PAGES:
        response = getattr(client, method)(path, data=_settings(name="Overgenomen")) if method == "post" \
            else client.get(path)
        assert response.status_code == 403, (role, path)
    assert _district("west").name == "West"
    assert "Wijken beheren" not in _page(client.get("/account"))


def test_a_visitor_is_sent_to_sign_in(client, west):
    for method, path in PAGES:
        response = getattr(client, method)(path)
        assert response.status_code == 302 and "/inloggen" in response.location, path


def test_the_account_page_links_the_platform_admin_to_the_wijken(client, admin):
    assert 'href="/beheer/wijken">Wijken beheren</a>' in _page(client.get("/account"))


def test_the_list_counts_the_participants_of_every_wijk(client, admin, west):
    make_user(), make_user(role=Role.MODERATOR)  # and the admin: three in Vleuten-De Meern
    page = _page(client.get("/beheer/wijken"))
    row = re.compile(r'<a class="row-link"[^>]*>([^<]+)</a>.*?<dt>Deelnemers</dt><dd>(\d+)</dd>', re.S)
    counts = dict(row.findall(page))
    assert counts == {"Vleuten-De Meern": "3", "West": "0"}


# --- The host decides the wijk ------------------------------------------------------------------


def test_each_wijk_shows_its_own_name(client, west):
    west_page = _page(client.get("/inloggen", headers={"Host": WEST}))
    assert "<title>Inloggen · Buurtportaal West</title>" in west_page
    assert "<title>Inloggen · Buurtportaal Vleuten-De Meern</title>" in _page(client.get("/inloggen"))
    header = _page(client.get("/inloggen", headers={"Host": WEST})).split("</header>")[0]
    assert "<span>West</span>" in header and "Vleuten-De Meern" not in header


def test_an_alias_redirects_to_the_main_host_with_path_and_query(client, west):
    response = client.get("/themas/verkeer?pagina=2&volgorde=steun", headers={"Host": "127.0.0.1"})
    assert response.status_code == 200  # the host of PUBLIC_URL: the default wijk, no alias
    service.change_wijk(west, service.Settings(**_settings(aliases=["www.west.localhost"])))
    db.session.commit()
    response = client.get("/agenda?week=1", headers={"Host": "www.west.localhost:8080"})
    assert response.status_code == 301 and response.location == "http://west.localhost:8080/agenda?week=1"


def test_an_unknown_host_is_the_default_wijk_in_development(client):
    response = client.get("/inloggen", headers={"Host": "onbekend.example"})
    assert response.status_code == 200 and "Buurtportaal Vleuten-De Meern" in _page(response)


def test_an_unknown_host_is_a_plain_404_in_production(database_url, monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    production = create_app(app_config(database_url))
    production.test_client_class = FlaskClient
    assert production.config["PORTAL_ENV"] == "production"
    client = production.test_client()
    response = client.get("/inloggen", headers={"Host": "onbekend.example"}, base_url="https://onbekend.example")
    assert response.status_code == 404
    assert "<h1>Onbekend adres</h1>" in _page(response) and "Buurtportaal" not in _page(response)
    known = client.get("/inloggen", base_url="https://localhost")
    assert known.status_code == 200 and "Buurtportaal Vleuten-De Meern" in _page(known)
    with production.app_context():
        db.engine.dispose()
