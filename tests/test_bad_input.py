"""Every form the portal shows, fed random unicode, very long strings, NUL bytes and wrong
types: never a 500, always a Dutch message, and valid text comes back as it was typed."""

import html

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal import create_app, demo
from portal.extensions import db
from tests.conftest import CSRFClient, app_config, login
from tests.crawl import crawl

GARBAGE = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=12000),
    st.sampled_from(["\x00", "a\x00b", "<script>alert(1)</script>", "' OR 1=1 --", "-1",
                     "99999999999999999999", "", " ", "NaN", "2026-02-30", "☃" * 300]),
    st.integers().map(str),
)
PLAIN = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=20)
TEXT_TYPES = {"text", "email", "search", "textarea"}


@pytest.fixture
def seeded_app(database_url):
    app = create_app({**app_config(database_url), "RATELIMIT_ENABLED": False})
    app.test_client_class = CSRFClient
    with app.app_context():
        context = demo.seed(password="demo-wachtwoord")
        db.session.commit()  # seed-demo commits; here the test does
        yield app, context
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("who", ["verbinder", "moderator"])
def test_forms_survive_bad_input(seeded_app, who):
    app, context = seeded_app
    client = app.test_client()
    login(client, context.users[who], "demo-wachtwoord")
    pages, forms = crawl(client)
    assert len(pages) > 3 and forms, "the crawl found no forms: it would test nothing"
    _post_garbage_to(client, forms)


@pytest.mark.parametrize("who", ["verbinder", "moderator"])
def test_survey_forms_survive_bad_input(seeded_app, who):
    """The peilingen sit deeper than the first crawl reaches: the answer sheet, the paper form,
    the builder and its questions, the open answers and the outcome post."""
    app, context = seeded_app
    client = app.test_client()
    login(client, context.users[who], "demo-wachtwoord")
    _pages, forms = crawl(client, start="/peilingen", limit=250)
    forms = [form for form in forms if form.action.startswith("/peilingen")]
    assert len(forms) >= (8 if who == "moderator" else 2), [form.action for form in forms]
    _post_garbage_to(client, forms)


def _post_garbage_to(client, forms):
    token = client.csrf_token()

    @settings(max_examples=120, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.data())
    def post_garbage(data):
        form = data.draw(st.sampled_from(forms), label="form")
        values = {}
        kept = {}
        for name in form.fields:
            choice = data.draw(st.sampled_from(["garbage", "plain", "missing", "list"]), label=name)
            if choice == "garbage":
                values[name] = data.draw(GARBAGE)
            elif choice == "plain":
                values[name] = kept[name] = data.draw(PLAIN)
            elif choice == "list":
                values[name] = [data.draw(PLAIN), data.draw(GARBAGE)]
        response = client.post(form.action, data={**values, "csrf_token": token}, csrf=False)
        assert response.status_code < 500, (form.action, values)
        if response.status_code == 422:
            page = response.get_data(as_text=True)
            assert "niet goed ingevuld" in page or 'class="error' in page, form.action
            for name, value in kept.items():
                if form.fields[name] in TEXT_TYPES and 'name="' + name + '"' in page:
                    assert html.escape(value) in page, (form.action, name)

    post_garbage()


def test_control_characters_are_removed_before_views_see_them(client):
    response = client.post("/registreren", data={"name": "Tru\x00us", "email": "x", "password": "",
                                                 "password2": ""})
    assert response.status_code == 422
    assert "Truus" in response.get_data(as_text=True)
