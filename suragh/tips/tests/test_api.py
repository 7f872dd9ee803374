"""The tip line's API: a tip sent as JSON or multipart without signing in, its status by code in the body,
hostile input answered 422 (or 413) naming what is wrong; and the triage desk's endpoints."""

from __future__ import annotations

import json

import pytest

from suragh.conftest import register_case
from suragh.core.choices import Distribution, Role
from suragh.tips.actions import do_assign_tip, do_link_tip_to_case
from suragh.tips.conftest import photo_upload, submit
from suragh.tips.models import Tip

pytestmark = pytest.mark.django_db

TIP = {"kind": "smuggling", "description": "Containers of ICE leave Gwadar on fishing boats.", "agency": "CUSTOMS"}


def post_json(client, url: str, body, **extra):
    return client.post(
        url, json.dumps(body) if not isinstance(body, str | bytes) else body, "application/json", **extra
    )


def test_a_tip_sent_as_json_answers_its_code_once(client, world):
    response = post_json(client, "/api/v1/tips", {**TIP, "district": "PK205", "occurred_on": "2024-05-01"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"code", "status", "received_on"} and body["status"] == "received"
    tip = Tip.objects.get()
    assert (tip.agency.code, tip.district.pcode, str(tip.occurred_on)) == ("CUSTOMS", "PK205", "2024-05-01")
    assert body["code"] not in json.dumps(list(Tip.objects.values_list()), default=str)
    status = post_json(client, "/api/v1/tips/status", {"code": body["code"]})
    assert status.status_code == 200
    assert set(status.json()) == {"status", "status_label", "received_on"}
    assert post_json(client, "/api/v1/tips/status", {"code": "WRONG"}).json() == {"detail": "No tip has that code."}


def test_a_tip_sent_as_multipart_carries_a_photo(client, world):
    response = client.post("/api/v1/tips", {**TIP, "photo": photo_upload()})
    assert response.status_code == 201, response.content
    tip = Tip.objects.get()
    assert tip.photo and len(tip.photo_sha256) == 64


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"kind": 3, "description": 42, "district": 7}, {"kind", "description", "district"}),
        ({**TIP, "district": "PK999"}, {"district"}),
        ({**TIP, "agency": "NADRA"}, {"agency"}),
        ({**TIP, "occurred_on": "2024-13-45"}, {"occurred_on"}),
        ({**TIP, "description": "x" * 5001}, {"description"}),
        ({**TIP, "description": "   "}, {"description"}),
        ({**TIP, "ip_address": "10.0.0.1"}, {"ip_address"}),
        ({**TIP, "photo": "data:image/jpeg;base64,/9j/"}, {"photo"}),
        ([TIP], {"__all__"}),
        ("{not json", {"__all__"}),
    ],
)
def test_hostile_json_is_refused_naming_each_field(client, world, body, fields):
    response = post_json(client, "/api/v1/tips", body)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert set(errors) == fields, errors
    assert all(errors[f] for f in fields)
    assert Tip.objects.count() == 0


def test_hostile_uploads_are_refused_naming_the_photo(client, world):
    for photo, message in (
        (photo_upload(b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024 + 1)), "The photo is 10.0 MB; at most 10 MB"),
        (photo_upload(b"MZ\x90\x00 not a photo at all", "receipt.jpg"), "not a JPEG, PNG or WebP photo"),
    ):
        response = client.post("/api/v1/tips", {**TIP, "photo": photo})
        assert response.status_code == 422
        assert message in response.json()["errors"]["photo"][0]
    as_text = client.post("/api/v1/tips", {**TIP, "photo": "/9j/4AAQSkZJRgABAQ"})
    assert as_text.status_code == 422 and "as a file" in as_text.json()["errors"]["photo"][0]
    assert Tip.objects.count() == 0


def test_a_ten_megabyte_json_body_is_refused_before_it_is_read(client, world):
    body = json.dumps({**TIP, "description": "x" * (10 * 1024 * 1024)})
    response = post_json(client, "/api/v1/tips", body)
    assert response.status_code == 413
    assert "at most 2.0 MB" in response.json()["detail"]
    assert Tip.objects.count() == 0


def test_too_many_tips_answer_429(client, world, settings):
    settings.SURAGH_TIPS_PER_HOUR = 1
    assert post_json(client, "/api/v1/tips", TIP).status_code == 201
    refused = post_json(client, "/api/v1/tips", TIP)
    assert refused.status_code == 429 and "Too many tips" in refused.json()["detail"]
    assert Tip.objects.count() == 1


def test_the_triage_desk_lists_grades_assigns_links_and_closes_through_the_api(client, world):
    anf = world.agencies["ANF"]
    tip, _ = submit(description="Heroin in a rickshaw, Peshawar Morr")
    other, _ = submit(agency_code="SINDH_POLICE")
    analyst, io = anf.users[Role.ANALYST], anf.users[Role.INVESTIGATING_OFFICER]
    client.force_login(analyst)
    listed = client.get("/api/v1/tips?reliability=ungraded").json()
    assert [item["id"] for item in listed["items"]] == [tip.pk]
    assert client.get(f"/api/v1/tips/{other.pk}").status_code == 404
    graded = post_json(client, f"/api/v1/tips/{tip.pk}/grade", {"reliability": "D", "validity": "2"})
    assert graded.status_code == 200 and graded.json()["grade"] == "D2"
    assert graded.json()["status"] == "under_review"
    bad = post_json(client, f"/api/v1/tips/{tip.pk}/grade", {"reliability": "E", "validity": "9"})
    assert set(bad.json()["errors"]) == {"reliability", "validity"}
    assigned = post_json(
        client, f"/api/v1/tips/{tip.pk}/assignment", {"unit": anf.child_unit.code, "officer": io.username}
    )
    assert assigned.status_code == 200 and assigned.json()["assigned_officer"] == io.username
    assert client.get("/api/v1/tips?reliability=D&validity=2").json()["count"] == 1
    client.force_login(io)
    case = register_case(anf, Distribution.UNIT)
    linked = post_json(client, f"/api/v1/tips/{tip.pk}/case-links", {"case_id": case.pk, "note": "Same rickshaw"})
    assert linked.status_code == 200
    assert linked.json()["case_links"][0]["fir_number"] == case.fir_number
    closed = post_json(client, f"/api/v1/tips/{tip.pk}/status", {"status": "closed", "note": "Arrested"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    kinds = [entry["kind"] for entry in closed.json()["history"]]
    assert kinds == ["received", "status", "graded", "assigned", "linked", "status"]


def test_a_linked_case_the_reader_may_not_open_is_not_named(client, world):
    anf = world.agencies["ANF"]
    tip, _ = submit()
    io, supervisor = anf.users[Role.INVESTIGATING_OFFICER], anf.users[Role.SUPERVISOR]
    do_assign_tip(tip, unit=anf.child_unit, officer=io, acting_user=supervisor)
    # A case only the IO's unit sees; an analyst at headquarters is not in that unit.
    case = register_case(anf, Distribution.UNIT, fir="SECRET-41/2024")
    do_link_tip_to_case(tip, case_id=case.pk, acting_user=io)
    client.force_login(anf.users[Role.ANALYST])
    body = client.get(f"/api/v1/tips/{tip.pk}").json()
    assert body["case_links"][0] == {**body["case_links"][0], "case_id": None, "fir_number": None, "visible": False}
    assert "SECRET-41" not in json.dumps(body)
    page = client.get(f"/tips/{tip.pk}/").content.decode()
    assert "SECRET-41" not in page and "a case you may not open" in page


def test_forwarding_hands_the_tip_over_and_the_sender_loses_it(client, world):
    tip, _ = submit()
    client.force_login(world.agencies["ANF"].users[Role.SUPERVISOR])
    response = post_json(client, f"/api/v1/tips/{tip.pk}/forwarding", {"agency": "PUNJAB_POLICE", "note": "Lahore"})
    assert response.json() == {"id": tip.pk, "agency": "PUNJAB_POLICE", "status": "received"}
    assert client.get(f"/api/v1/tips/{tip.pk}").status_code == 404
