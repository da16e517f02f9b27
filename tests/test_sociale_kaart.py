"""The sociale kaart (issue 26): search by words, need and "nu open"; an organisation's page
with schema.org JSON-LD under the CSP nonce; ``/sociale-kaart.json`` valid against Open
Referral's HSDS 3.0 JSON schemas (``tests/hsds/``); the booklet; ``/wijkinformatiepunt.ics``
read by a real iCalendar parser with the same times as the page; the same statements at 10
and at 1,000 organisations; the budgets of every new page."""

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from portal.extensions import db
from portal.infopoint import hours, service
from portal.models import Organization, Role
from tests.budgets import assert_no_third_party, assert_within_budget
from tests.conftest import login
from tests.factories import make_organization, make_question, make_user

HSDS = Path(__file__).resolve().parent / "hsds"
SPREEKUREN = (("FREQ=WEEKLY;BYDAY=TU", (10, 0), (12, 0)), ("FREQ=WEEKLY;BYDAY=TH", (13, 0), (16, 0)))


@pytest.fixture
def kaart(app):
    point = make_organization("Wijkinformatiepunt Buren voor Buren", phone="030 123 45 67", is_infopoint=True,
                              schedules=SPREEKUREN, needs=("geldzaken", "vervoer"))
    repair = make_organization("Repair Café", needs=("klussen",), description="Samen repareren.",
                               schedules=(("FREQ=MONTHLY;BYDAY=1SA", (10, 0), (13, 0)),),
                               assured_days_ago=400)
    team = make_organization("Buurtteam", phone="030 345 67 89", needs=("geldzaken", "mantelzorg"),
                             schedules=(("FREQ=WEEKLY;BYDAY=MO,WE,FR", (9, 0), (17, 0)),))
    return {"point": point.slug, "repair": repair.slug, "team": team.slug}


def _freeze(monkeypatch, moment: datetime) -> None:
    """The clock of the kaart's views at ``moment``; the pages kept for visitors (at most 10 s
    in production) are emptied, as the next second of the real clock would not."""
    from flask import current_app

    current_app.extensions["page_cache"].clear()
    naive = moment.astimezone(UTC).replace(tzinfo=None)
    for module in ("views", "kaart_views", "service"):
        monkeypatch.setattr(f"portal.infopoint.{module}.utcnow", lambda: naive)


def _names(client, path: str) -> list[str]:
    html = client.get(path).get_data(as_text=True)
    return re.findall(r'class="row-link" href="/sociale-kaart/[^"]+">([^<]+)</a>', html)


# --- searching -----------------------------------------------------------------------------------


def test_search_by_words_need_and_open_now(client, kaart, monkeypatch):
    _freeze(monkeypatch, datetime(2026, 6, 2, 10, 30, tzinfo=hours.AMSTERDAM))  # a Tuesday
    point = "Wijkinformatiepunt Buren voor Buren"
    assert _names(client, "/sociale-kaart") == ["Buurtteam", "Repair Café", point]
    assert _names(client, "/sociale-kaart?behoefte=geldzaken") == ["Buurtteam", point]
    assert _names(client, "/sociale-kaart?q=repareren") == ["Repair Café"]
    assert _names(client, "/sociale-kaart?q=REPAIR") == ["Repair Café"]
    assert _names(client, "/sociale-kaart?q=50%25") == []  # a % is a character, not a wildcard
    assert _names(client, "/sociale-kaart?open=nu") == ["Wijkinformatiepunt Buren voor Buren"]
    assert _names(client, "/sociale-kaart?open=nu&behoefte=klussen") == []
    _freeze(monkeypatch, datetime(2026, 6, 3, 10, 0, tzinfo=hours.AMSTERDAM))  # Wednesday
    assert _names(client, "/sociale-kaart?open=nu") == ["Buurtteam"]
    page = client.get("/sociale-kaart?open=nu").get_data(as_text=True)
    assert "Nu open tot 17:00" in page and "nu open</span>" in page
    assert client.get("/sociale-kaart?behoefte=onzin").status_code == 200  # an unknown need: everything


def test_an_unknown_organisation_is_a_404(client, kaart):
    assert client.get("/sociale-kaart/bestaat-niet").status_code == 404


# --- an organisation's page ------------------------------------------------------------------------


def test_an_organisation_page_with_services_hours_phone_check_and_json_ld(client, kaart, monkeypatch):
    _freeze(monkeypatch, datetime(2026, 6, 4, 14, 0, tzinfo=hours.AMSTERDAM))  # Thursday
    answer = client.get(f"/sociale-kaart/{kaart['point']}")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Nu open tot 16:00" in html and 'href="tel:0301234567"' in html
    assert "Elke dinsdag, 10:00 tot 12:00" in html and "Dorpsstraat 1, 3451 AB Vleuten" in html
    assert "Laatst gecontroleerd" in html and "Neem mee" in html and "Uw brieven, Uw pas" in html
    script = r'<script type="application/ld\+json" nonce="([^"]+)">(.*?)</script>'
    [(nonce, data)] = re.findall(script, html, re.S)
    assert f"'nonce-{nonce}'" in answer.headers["Content-Security-Policy"]
    ld = json.loads(data)
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "Organization"
    assert ld["name"] == "Wijkinformatiepunt Buren voor Buren" and ld["telephone"] == "030 123 45 67"
    [place] = ld["location"]
    assert place["address"]["postalCode"] == "3451 AB"
    specs = {(tuple(s["dayOfWeek"]), s["opens"], s["closes"]) for s in place["openingHoursSpecification"]}
    assert specs == {(("https://schema.org/Tuesday",), "10:00", "12:00"),
                     (("https://schema.org/Thursday",), "13:00", "16:00")}


def test_json_ld_cannot_end_its_script(client, app):
    organization = make_organization("Club </script><script>alert(1)</script>")
    html = client.get(f"/sociale-kaart/{organization.slug}").get_data(as_text=True)
    assert "<script>alert(1)" not in html


# --- HSDS 3.0 ----------------------------------------------------------------------------------------


def _registry() -> Registry:
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012))
        for path in HSDS.glob("*.json") if path.name != "openapi.json"
    ]
    return Registry().with_resources(resources)


def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": name}, registry=_registry(), format_checker=FormatChecker())


def _errors(validator, instance) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(instance)]


def test_the_schemas_are_checked_for_real():
    organization = _validator("organization.json")
    assert _errors(organization, {"id": "not-a-uuid", "name": "X"})  # no description, no uuid
    schedule = _validator("schedule.json")
    assert _errors(schedule, {"id": "8d6c1b5e-5e2b-4e8c-9b1a-0d2f0d9b7a11", "freq": "DAILY"})


def test_the_export_validates_against_the_hsds_3_schemas(client, kaart):
    answer = client.get("/sociale-kaart.json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    document = answer.get_json()
    page_schema = json.loads((HSDS / "openapi.json").read_text())["components"]["schemas"]["Page"]
    assert set(page_schema["properties"]) <= set(document)
    assert Draft202012Validator(page_schema).is_valid(document)
    shape = (document["total_items"], document["page_number"], document["first_page"], document["last_page"])
    assert shape == (3, 1, True, True)
    organization_schema, service_schema = _validator("organization.json"), _validator("service.json")
    for organization in document["contents"]:
        assert _errors(organization_schema, organization) == []
        for offered in organization["services"]:
            assert _errors(service_schema, offered) == []
    point = next(o for o in document["contents"] if o["name"] == "Wijkinformatiepunt Buren voor Buren")
    [offered] = point["services"]
    [at] = offered["service_at_locations"]
    schedules = {(s["freq"], s["byday"], s["opens_at"], s["closes_at"]) for s in at["schedules"]}
    assert schedules == {("WEEKLY", "TU", "10:00", "12:00"), ("WEEKLY", "TH", "13:00", "16:00")}
    assert at["location"]["addresses"][0]["postal_code"] == "3451 AB"
    assert {a["taxonomy_term"]["code"] for a in offered["attributes"]} == {"geldzaken", "vervoer"}
    assert [d["document"] for d in offered["required_documents"]] == ["Uw brieven", "Uw pas"]
    assert offered["assured_date"]


def test_the_export_is_paginated(client, kaart):
    document = client.get("/sociale-kaart.json?page=2&per_page=2").get_json()
    shape = (document["page_number"], document["size"], document["total_pages"], document["last_page"])
    assert shape == (2, 1, 2, True)
    assert client.get("/sociale-kaart.json?per_page=1000").status_code == 400
    assert client.get("/sociale-kaart.json?page=x").status_code == 400


# --- the booklet ---------------------------------------------------------------------------------------


def test_the_booklet_lists_services_by_need(client, kaart):
    html = client.get("/sociale-kaart/afdrukken").get_data(as_text=True)
    headings = re.findall(r"<h2>([^<]+)</h2>", html)
    assert headings[:1] == ["Weet u het niet? Wijkinformatiepunt Buren voor Buren"]
    assert headings[1:] == ["Geldzaken en formulieren", "Mantelzorg", "Vervoer", "Klussen en reparaties"]
    assert "Telefoon: 030 345 67 89" in html


# --- the calendar of spreekuren --------------------------------------------------------------------------


def test_the_calendar_gives_a_real_parser_the_same_times_as_the_page(client, kaart, monkeypatch):
    """Frozen a week before Koningsdag 2027 (a Tuesday): the feed's Tuesday spreekuur carries it
    as an EXDATE; expanded with dateutil, the feed gives exactly the occurrences the page's
    function gives, across the clock change of 28 March 2027."""
    now = datetime(2027, 4, 20, 9, 0, tzinfo=UTC)
    _freeze(monkeypatch, now)
    answer = client.get("/wijkinformatiepunt.ics")
    assert answer.status_code == 200 and answer.mimetype == "text/calendar"
    calendar = Calendar.from_ical(answer.get_data())
    assert calendar.walk("VTIMEZONE")
    start, end = now - timedelta(days=29), now + timedelta(days=60)
    from_feed = set()
    for entry in calendar.walk("VEVENT"):
        first = entry["DTSTART"].dt
        assert first.tzinfo is not None and str(entry["DTSTART"].params["TZID"]) == "Europe/Amsterdam"
        length = entry["DTEND"].dt - first
        excluded = {moment.dt for exdate in _list(entry.get("EXDATE")) for moment in exdate.dts}
        rule = rrulestr(entry["RRULE"].to_ical().decode(), dtstart=first)
        for moment in rule.between(start, end, inc=True):
            if moment not in excluded:
                from_feed.add((moment.astimezone(UTC), (moment + length).astimezone(UTC)))
    with client.application.test_request_context():
        point = service.infopoint()
        expected = {(o.starts.astimezone(UTC), o.ends.astimezone(UTC))
                    for o in hours.occurrences(service.openings_of(point), start, end)}
    assert from_feed == expected
    koningsdag = datetime(2027, 4, 27, 10, 0, tzinfo=hours.AMSTERDAM).astimezone(UTC)
    assert koningsdag not in {starts for starts, _ in from_feed}
    assert datetime(2027, 3, 23, 9, 0, tzinfo=UTC) in {s for s, _ in from_feed}  # CET: 10:00 is 09:00 UTC
    assert datetime(2027, 3, 30, 8, 0, tzinfo=UTC) in {s for s, _ in from_feed}  # CEST: 10:00 is 08:00 UTC


def test_the_agenda_feed_carries_the_spreekuren_too(client, kaart):
    """Who subscribed to the agenda sees the spreekuren in it, as they are in ``/agenda``."""
    agenda = Calendar.from_ical(client.get("/agenda.ics").get_data())
    spreekuur_feed = Calendar.from_ical(client.get("/wijkinformatiepunt.ics").get_data())
    in_agenda = {str(entry["UID"]) for entry in agenda.walk("VEVENT")}
    spreekuren = {str(entry["UID"]) for entry in spreekuur_feed.walk("VEVENT")}
    assert spreekuren and spreekuren <= in_agenda
    assert len(agenda.walk("VTIMEZONE")) == 1


def _list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# --- fixed statements, budgets ---------------------------------------------------------------------------


def _many(count: int) -> None:
    for n in range(count):
        make_organization(f"Vereniging {n:04d}", needs=("geldzaken", "eenzaamheid"),
                          schedules=(("FREQ=WEEKLY;BYDAY=WE", (9, 0), (12, 0)),), commit=False)
    db.session.commit()


def test_pages_run_the_same_statements_at_10_and_at_1000_organisations(client, kaart, count_queries,
                                                                       monkeypatch):
    # What is kept (the wijken, the signed-in person) is kept for minutes here, not 10 s: a
    # slow machine must not read it again halfway and count one statement more.
    for kept in ("kept", "page_cache"):
        monkeypatch.setattr(client.application.extensions[kept], "seconds", 600)
    informatiepunt = make_user(role=Role.INFORMATIEPUNT)
    make_question()
    _many(7)
    slug = kaart["team"]
    paths = ["/sociale-kaart", "/sociale-kaart?behoefte=geldzaken", "/sociale-kaart?q=vereniging",
             "/sociale-kaart?open=nu", f"/sociale-kaart/{slug}", "/sociale-kaart.json?per_page=10",
             "/wijkinformatiepunt"]

    def counts():
        signed_out = {path: len(count_queries(client, path)) for path in paths}
        login(client, informatiepunt)
        signed_in = {path: len(count_queries(client, path)) for path in [*paths, "/informatiepunt/vragen"]}
        client.post("/uitloggen")
        return signed_out, signed_in

    small = counts()
    _many(990)
    assert db.session.scalar(db.select(db.func.count()).select_from(Organization)) == 1000
    assert counts() == small
    print("statements per page, signed out and in:", small)


@pytest.mark.parametrize("path", [
    "/wijkinformatiepunt", "/wijkinformatiepunt/bedankt", "/sociale-kaart",
    "/sociale-kaart?behoefte=geldzaken", "/sociale-kaart/afdrukken", "ORGANISATION",
])
def test_first_visit_within_35_kb(client, kaart, path):
    path = f"/sociale-kaart/{kaart['point']}" if path == "ORGANISATION" else path
    assert_within_budget(client, path)
    assert_no_third_party(client.get(path).get_data(as_text=True))


def test_the_informatiepunt_pages_within_35_kb(client, kaart):
    question = make_question()
    login(client, make_user(role=Role.INFORMATIEPUNT))
    paths = ("/informatiepunt/vragen", f"/informatiepunt/vragen/{question.id}", "/informatiepunt/gesloten")
    for path in paths:
        assert_within_budget(client, path)


# --- changes an organisation proposes ---------------------------------------------------------------


def test_an_organisation_proposes_a_change_and_a_moderator_accepts_it(app, client, kaart):
    from portal.models import ChangeProposal, OutboxMessage, ProposalStatus

    proposer = make_user("Sanne Buurtteam", "sanne@example.org")
    assert client.get(f"/sociale-kaart/{kaart['team']}/wijziging").status_code == 302  # sign in first
    login(client, proposer)
    assert client.get("/sociale-kaart/wijzigingen").status_code == 403
    empty = client.post(f"/sociale-kaart/{kaart['team']}/wijziging", data={})
    assert empty.status_code == 422 and "Vul in wat er anders moet." in empty.get_data(as_text=True)
    sent = client.post(f"/sociale-kaart/{kaart['team']}/wijziging",
                       data={"phone": "030 999 88 77", "note": "Op vrijdag zijn wij dicht."})
    assert sent.status_code == 303
    client.post("/uitloggen")

    login(client, make_user(role=Role.MODERATOR))
    waiting = client.get("/sociale-kaart/wijzigingen").get_data(as_text=True)
    assert "030 999 88 77" in waiting and "Op vrijdag zijn wij dicht." in waiting
    assert "sanne@example.org" in waiting
    proposal_id = db.session.scalar(db.select(ChangeProposal.id))
    assert client.post(f"/sociale-kaart/wijzigingen/{proposal_id}/overnemen").status_code == 303
    db.session.expire_all()
    team = db.session.scalar(db.select(Organization).where(Organization.slug == kaart["team"]))
    assert team.phone == "030 999 88 77" and team.description  # what was left empty stayed
    assert db.session.get(ChangeProposal, proposal_id).status == ProposalStatus.ACCEPTED
    to_sanne = db.select(OutboxMessage).where(OutboxMessage.to_address == "sanne@example.org")
    [mail] = db.session.scalars(to_sanne)
    assert "overgenomen" in mail.text
    decided = client.post(f"/sociale-kaart/wijzigingen/{proposal_id}/afwijzen", data={"reason": "x"})
    assert decided.status_code == 303  # decided already: said so, nothing changes


def test_a_rejection_needs_a_reason(app, client, kaart):
    from portal.infopoint import service as infopoint_service
    from portal.models import ChangeProposal, ProposalStatus

    team = db.session.scalar(db.select(Organization).where(Organization.slug == kaart["team"]))
    infopoint_service.propose(team, make_user(), website="https://buurtteam.example")
    db.session.commit()
    proposal_id = db.session.scalar(db.select(ChangeProposal.id))
    login(client, make_user(role=Role.MODERATOR))
    refused = client.post(f"/sociale-kaart/wijzigingen/{proposal_id}/afwijzen", data={"reason": ""})
    assert refused.status_code == 422
    assert client.post(f"/sociale-kaart/wijzigingen/{proposal_id}/afwijzen",
                       data={"reason": "Dit is niet de website van het buurtteam."}).status_code == 303
    db.session.expire_all()
    assert db.session.get(ChangeProposal, proposal_id).status == ProposalStatus.REJECTED
    assert db.session.scalar(db.select(Organization.website).where(Organization.slug == kaart["team"])) == ""
