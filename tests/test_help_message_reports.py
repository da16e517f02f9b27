"""Reporting one message in the private conversation on a help item: only its participants
report (not their own message); a moderator sees the reported message, in the queue and on the
item's page, and none of the rest of the conversation; hiding hides it for everyone."""

import pytest

from portal.extensions import db, limiter
from portal.models import ContentStatus, Decision, HelpMessage, Review, SubjectType
from tests.conftest import htmx_headers, login
from tests.test_help_loop import _ask, _choose, _offer, _text
from tests.test_help_loop import people as people  # noqa: F401 - the fixture, used by ``conversation``

pytest_plugins = ["tests.mailserver"]

RUDE = "Als u niet op tijd bent, hoeft het niet meer, sukkel."
PRIVATE = "Mijn sleutel ligt onder de mat bij de achterdeur."
OWN = "Ik kan dinsdag om tien uur."
HIDDEN = "Dit bericht is verborgen door een moderator"


def _message_id(text: str) -> int:
    return db.session.scalar(db.select(HelpMessage.id).where(HelpMessage.text == text))


@pytest.fixture
def conversation(client, people):  # noqa: F811 - the fixture imported above
    """bewoner asks, buur helps; bewoner writes RUDE and PRIVATE, buur writes OWN. Returns the
    item, the id of RUDE and the people of ``test_help_loop``."""
    item_id = _ask(client, people)
    _offer(client, people["buur"], item_id)
    _choose(client, people["bewoner"], item_id, people["buur"])
    for text in (RUDE, PRIVATE):
        assert client.post(f"/hulp/{item_id}/berichten", data={"text": text}).status_code == 303
    login(client, people["buur"])
    assert client.post(f"/hulp/{item_id}/berichten", data={"text": OWN}).status_code == 303
    return item_id, _message_id(RUDE), people


def _report_url(item_id: int, message_id: int) -> str:
    return f"/hulp/{item_id}/berichten/{message_id}/melden"


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_the_helper_reports_the_askers_message_and_the_moderator_sees_only_that_one(
        client, conversation, htmx):
    item_id, rude_id, people = conversation
    own_id = _message_id(OWN)
    login(client, people["buur"])
    page = _text(client.get(f"/hulp/{item_id}"))
    assert f'href="{_report_url(item_id, rude_id)}"' in page
    assert _report_url(item_id, own_id) not in page  # not one's own message

    form = client.get(_report_url(item_id, rude_id), headers=htmx_headers() if htmx else {})
    assert form.status_code == 200 and 'name="reason"' in _text(form)
    assert ("<html" in _text(form)) is not htmx
    response = client.post(_report_url(item_id, rude_id),
                           data={"reason": "onvriendelijk", "explanation": "Scheldwoord"},
                           headers=htmx_headers() if htmx else {})
    if htmx:
        assert response.status_code == 200 and "Gemeld. Dank u wel." in _text(response)
        assert "Dank u voor uw melding" in _text(response)  # out of band, in #meldingen
    else:
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/hulp/{item_id}#gespreksbericht-{rude_id}")
    review = db.session.scalar(db.select(Review).where(Review.help_message_id == rude_id))
    assert review.is_open and review.subject_type == SubjectType.HELP_MESSAGE
    assert review.author_id == people["bewoner"].id

    login(client, people["moderator"])
    queue = _text(client.get("/moderatie"))
    assert RUDE in queue and "Scheldwoord" in queue and "Bericht van Riet de Vries in een gesprek" in queue
    assert f'href="/hulp/{item_id}#gespreksbericht-{rude_id}"' in queue
    assert PRIVATE not in queue and OWN not in queue
    item_page = _text(client.get(f"/hulp/{item_id}"))
    assert "Gemelde berichten uit het gesprek" in item_page and RUDE in item_page
    assert PRIVATE not in item_page and OWN not in item_page and 'id="gesprek"' not in item_page
    assert f'id="gespreksbericht-{rude_id}"' in item_page


def test_hiding_hides_the_message_for_everyone_and_restoring_brings_it_back(client, conversation):
    item_id, rude_id, people = conversation
    login(client, people["buur"])
    client.post(_report_url(item_id, rude_id), data={"reason": "onvriendelijk"})

    login(client, people["moderator"])
    hidden = client.post(f"/moderatie/gespreksbericht/{rude_id}/verbergen",
                         data={"reason": "Schelden hoort hier niet.", "next": f"/hulp/{item_id}"})
    assert hidden.status_code == 303 and hidden.headers["Location"] == f"/hulp/{item_id}"
    assert db.session.get(HelpMessage, rude_id).moderation == ContentStatus.HIDDEN
    item_page = _text(client.get(f"/hulp/{item_id}"))
    assert RUDE in item_page and "Verborgen" in item_page  # decided, so still shown to moderators
    assert f"/moderatie/gespreksbericht/{rude_id}/herstellen" in item_page
    assert PRIVATE not in item_page
    log = _text(client.get("/moderatie/logboek"))
    assert "Verborgen" in log and "Schelden hoort hier niet." in log

    for reader in ("bewoner", "buur", "verbinder"):
        login(client, people[reader])
        page = _text(client.get(f"/hulp/{item_id}"))
        assert RUDE not in page and HIDDEN in page and PRIVATE in page, reader
    assert client.get(_report_url(item_id, rude_id)).status_code == 403  # hidden: nothing to report

    limiter.reset()  # eleven sign-ins from one address in a minute: the sign-in limit is not tested here
    login(client, people["moderator"])
    restored = client.post(f"/moderatie/gespreksbericht/{rude_id}/herstellen", data={"reason": ""})
    assert restored.status_code == 303
    login(client, people["buur"])
    page = _text(client.get(f"/hulp/{item_id}"))
    assert RUDE in page and HIDDEN not in page
    verdicts = db.session.scalars(db.select(Decision.verdict).where(
        Decision.subject_type == SubjectType.HELP_MESSAGE, Decision.subject_id == rude_id,
    ).order_by(Decision.id))
    assert list(verdicts) == ["hide", "restore"]


def test_only_participants_report_and_not_their_own_message(client, conversation):
    item_id, rude_id, people = conversation
    for outsider in ("lid", "buiten", "moderator"):
        login(client, people[outsider])
        assert client.get(_report_url(item_id, rude_id)).status_code == 404, outsider
        refused = client.post(_report_url(item_id, rude_id), data={"reason": "reclame"})
        assert refused.status_code == 404, outsider
    login(client, people["bewoner"])
    page = _text(client.get(f"/hulp/{item_id}"))
    assert _report_url(item_id, rude_id) not in page
    assert _report_url(item_id, _message_id(OWN)) in page  # buur's message: bewoner may report it
    assert client.get(_report_url(item_id, rude_id)).status_code == 403  # one's own
    other_item = _ask(client, people, title="Boodschappen op vrijdag")
    assert client.get(_report_url(other_item, _message_id(OWN))).status_code == 404  # not this item's
    assert db.session.scalar(db.select(db.func.count(Review.id))) == 0
