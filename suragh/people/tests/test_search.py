"""Cross-agency search walked as every role of three agencies: results only from records the searcher may open;
for the rest only the holding unit, how many and whom to ask, with both sides alerted; never a field of a hidden
record, and never a hit on a victim or informant."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from suragh.cases.actions import do_add_party
from suragh.conftest import register_case, signed_in_clients
from suragh.core.choices import Distribution, Role
from suragh.core.models import AccessGrant, AuditEvent
from suragh.people.access import PERSON_SEARCH_ROLES
from suragh.people.actions import PersonDetails, do_create_person
from suragh.people.models import DeconflictionAlert

pytestmark = pytest.mark.django_db
CNIC = "35202-7654321-3"


def person(aw, name: str, distribution=Distribution.AGENCY, **details):
    return do_create_person(
        PersonDetails(name_latin=name, **details),
        owning_unit=aw.child_unit,
        distribution=distribution,
        as_of=date(2024, 1, 10),
        acting_user=aw.users["io"],
    )


def everyone(world):
    return [u for aw in world.agencies.values() for u in aw.users.values()]


@pytest.fixture
def held(world):
    """One man recorded by Punjab Police for itself only, with a father's name nobody else may read."""
    return person(
        world.agencies["PUNJAB_POLICE"],
        "Muhammad Rafiq Gondal",
        cnic=CNIC,
        father_or_husband_name="Sherbaz Gondal",
        identifiers=[("phone", "0301-7654321")],
    )


def test_every_role_finds_what_it_may_open_and_only_the_holder_of_the_rest(world, held):
    for user, client in signed_in_clients(everyone(world)).items():
        for query in (CNIC, "0301 7654321", "محمد رفیق گوندل"):
            page = client.get(reverse("people:search"), {"q": query})
            api = client.get("/api/v1/search", {"q": query})
            if user.role not in PERSON_SEARCH_ROLES:
                assert (page.status_code, api.status_code) == (404, 404), user.username
                continue
            html, answer = page.content.decode(), api.json()
            mine = user.unit.agency.code == "PUNJAB_POLICE" and user.role != Role.PROSECUTOR
            assert (reverse("people:detail", args=[held.pk]) in html) == mine, (user.username, query)
            assert [r["id"] for r in answer["results"]] == ([held.pk] if mine else []), (user.username, query)
            if mine:
                continue
            assert "Sherbaz" not in html and "Sherbaz" not in json.dumps(answer), user.username
            assert "Rafiq" not in json.dumps(answer["deconfliction"])
            (hit,) = answer["deconfliction"]
            assert hit["unit"]["id"] == held.owning_unit_id and hit["records"] == 1
            assert hit["contact"] and world.agencies["PUNJAB_POLICE"].unit.name in hit["contact"]
            assert held.owning_unit.name in html


def test_both_sides_see_the_alert_and_only_the_searcher_asks_for_access(world, held):
    sindh, punjab = world.agencies["SINDH_POLICE"], world.agencies["PUNJAB_POLICE"]
    clients = signed_in_clients(everyone(world))
    searcher = sindh.users[Role.INVESTIGATING_OFFICER]
    clients[searcher].get(reverse("people:search"), {"q": CNIC})
    clients[searcher].get(reverse("people:search"), {"q": CNIC})
    alert = DeconflictionAlert.objects.get()  # the same search twice in a day alerts once
    assert (alert.searcher_unit, alert.holder_unit) == (sindh.child_unit, held.owning_unit)
    for user, client in clients.items():
        page = client.get(reverse("people:alerts"))
        if user.role not in PERSON_SEARCH_ROLES:
            assert page.status_code == 404
            continue
        listed = searcher.username in page.content.decode()
        # The searcher's unit (and its supervisor above) and the holding unit (and its supervisor above).
        expected = user == searcher or user.unit in (sindh.child_unit, punjab.child_unit)
        expected |= user.role == Role.SUPERVISOR and user.unit in (sindh.unit, punjab.unit)
        assert listed == expected, user.username
        assert "Sherbaz" not in page.content.decode()
        # The home page counts the alerts of each side.
        home = client.get(reverse("home")).content.decode()
        holder = user.unit == punjab.child_unit or (user.role == Role.SUPERVISOR and user.unit == punjab.unit)
        assert f'data-count="found_ours">{int(holder)}<' in home, user.username
        assert f'data-count="ours_found">{int(expected and not holder)}<' in home, user.username
        response = client.post(
            reverse("people:alert_request_grant", args=[alert.pk]), {"reason": "Same man in FIR 12/2024"}
        )
        assert response.status_code == (302 if user == searcher else 404), user.username
    grant = AccessGrant.objects.get()
    assert (grant.requested_by, grant.object_id, grant.owning_unit) == (searcher, held.pk, held.owning_unit)
    alert.refresh_from_db()
    assert alert.grant == grant


def test_a_victim_or_informant_never_makes_a_hit(world):
    punjab = world.agencies["PUNJAB_POLICE"]
    victim = person(punjab, "Nasreen Bibi", cnic="35202-1111111-2")
    do_add_party(register_case(punjab), victim, "victim", acting_user=punjab.users["io"])
    client = signed_in_clients([world.agencies["SINDH_POLICE"].users[Role.ANALYST]])
    answer = next(iter(client.values())).get("/api/v1/search", {"q": "35202-1111111-2"}).json()
    assert answer["results"] == [] and answer["deconfliction"] == []
    assert not DeconflictionAlert.objects.exists()


def test_names_are_found_in_either_script_and_every_search_is_audited(world):
    punjab = world.agencies["PUNJAB_POLICE"]
    latin = person(punjab, "Haji Rehmat Ullah Khokhar", Distribution.ALL_AGENCIES)
    urdu = person(world.agencies["ANF"], "رحمت اللہ کھوکھر", Distribution.ALL_AGENCIES)
    person(punjab, "Rashid Mehmood", Distribution.ALL_AGENCIES)
    client = next(iter(signed_in_clients([world.agencies["SINDH_POLICE"].users[Role.ANALYST]]).values()))
    for query in ("Rehmatullah Khokhar", "رحمت اللہ"):
        found = {r["id"] for r in client.get("/api/v1/search", {"q": query}).json()["results"]}
        assert found == {latin.pk, urdu.pk}, query
    assert AuditEvent.objects.filter(action="search", object_type="people.person").count() == 2


def test_one_name_alone_alerts_no_one(world, held):
    client = next(iter(signed_in_clients([world.agencies["SINDH_POLICE"].users[Role.ANALYST]]).values()))
    assert client.get("/api/v1/search", {"q": "Muhammad Rafiq"}).json()["deconfliction"] == []
    assert len(client.get("/api/v1/search", {"q": "Rafiq Gondal"}).json()["deconfliction"]) == 1
    assert DeconflictionAlert.objects.count() == 1


def test_a_search_too_short_names_the_field(world):
    client = next(iter(signed_in_clients([world.agencies["ANF"].users[Role.ANALYST]]).values()))
    page = client.get(reverse("people:search"), {"q": "ab"})
    assert page.status_code == 400 and "Search for at least 3 letters or digits." in page.content.decode()
    api = client.get("/api/v1/search", {"q": "ab"})
    assert api.status_code == 422 and "q" in json.dumps(api.json())
