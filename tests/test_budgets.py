import pytest

from tests.budgets import assert_no_third_party, assert_within_budget, page_weight
from tests.conftest import login
from tests.factories import make_user

PAGES = ["/", "/toegankelijkheid", "/privacy", "/inloggen", "/registreren"]


@pytest.mark.parametrize("path", PAGES)
def test_first_visit_within_35_kb(client, path):
    assert_within_budget(client, path)


@pytest.mark.parametrize("path", ["/", "/account"])
def test_first_visit_signed_in_within_35_kb(client, path):
    login(client, make_user())
    assert_within_budget(client, path)


@pytest.mark.parametrize("path", PAGES)
def test_no_third_party_hosts(client, path):
    assert_no_third_party(client.get(path).get_data(as_text=True))


def test_third_party_check_can_fail():
    with pytest.raises(AssertionError):
        assert_no_third_party('<script src="https://cdn.example/x.js"></script>')
    with pytest.raises(AssertionError):
        assert_no_third_party('<link rel="stylesheet" href="//fonts.example/css">')


def test_html_css_and_js_are_compressed(client):
    total, parts = page_weight(client, "/")
    css = next(url for url in parts if "portal.css" in url)
    response = client.get(css, headers={"Accept-Encoding": "br, gzip"})
    assert response.headers.get("Content-Encoding") in {"br", "gzip"}
    html = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert html.headers.get("Content-Encoding") == "gzip"
