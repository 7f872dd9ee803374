"""Sending field reports: stored once per client_id, with their photos, and nothing partial when refused."""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from decimal import Decimal

import pytest
from django.test import Client

from suragh.conftest import make_user, require_postgres
from suragh.core.choices import Role
from suragh.core.models import AuditEvent
from suragh.intake.models import FieldReport, FieldReportPhoto

from .conftest import jpeg, report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, world):
    user = world.agencies["ANF"].users[Role.FIELD_OFFICER]
    client.force_login(user)
    return user


def test_a_report_sent_twice_is_stored_once(officer, send):
    data = report_data()
    first = send(data)
    assert first.status_code == 201, first.content
    again = send(data)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert FieldReport.objects.filter(client_id=data["client_id"]).count() == 1
    report = FieldReport.objects.get()
    assert report.owning_unit == officer.unit and report.reported_by == officer
    assert report.quantity == Decimal("1.2") and report.persons[0]["cnic"] == "3520212345671"
    assert AuditEvent.objects.filter(object_type="intake.fieldreport", action="create").count() == 1


def test_a_report_arrives_with_its_photos_and_they_are_served_unchanged(officer, send, client):
    photo = jpeg()
    response = send(report_data(), [("scene.jpg", photo, "image/jpeg"), ("same.jpg", photo, "image/jpeg")])
    assert response.status_code == 201, response.content
    body = response.json()
    assert [p["sha256"] for p in body["photos"]] == [hashlib.sha256(photo).hexdigest()]
    served = client.get(f"/field/photos/{body['photos'][0]['id']}/")
    assert served.status_code == 200 and b"".join(served.streaming_content) == photo


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_sends_racing_store_one_report(reference_data, world):
    """Two connections race for real on PostgreSQL; SQLite's in-memory test database cannot hold two at once (the
    browser test races two sends through the server on both databases)."""
    require_postgres()
    officer = world.agencies["ANF"].users[Role.FIELD_OFFICER]
    data = json.dumps(report_data())
    signed_in = Client()
    signed_in.force_login(officer)
    barrier = threading.Barrier(2, timeout=20)
    answers: list = []
    failures: list = []

    def send() -> None:
        from django.db import connection

        client = Client()
        client.cookies = signed_in.cookies
        try:
            barrier.wait()
            answers.append(client.post("/api/v1/field-reports", data, content_type="application/json"))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    assert sorted(a.status_code for a in answers) == [200, 201], [a.content for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert FieldReport.objects.count() == 1


def test_another_officers_client_id_is_refused(officer, send, client, world):
    data = report_data()
    assert send(data).status_code == 201
    client.force_login(world.agencies["ANF"].users[Role.INVESTIGATING_OFFICER])
    response = send(data)
    assert response.status_code == 422
    assert "client_id" in response.json()["errors"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"client_id": "not-a-uuid"}, "client_id"),
        ({"kind": "robbery"}, "kind"),
        ({"district_pcode": "PK999"}, "district_pcode"),
        ({"occurred_at": "2099-01-01T00:00:00+05:00"}, "occurred_at"),
        ({"substance_code": ""}, "substance_code"),
        ({"quantity": "0"}, "quantity"),
        ({"unit": "litre"}, "unit"),
        ({"latitude": 123.0}, "latitude"),
        ({"longitude": None}, "longitude"),
        ({"conveyance": "rocket"}, "conveyance"),
        ({"narrative": "x" * 5001}, "narrative"),
        ({"persons": [{"name_latin": "Aslam", "cnic": "123"}]}, "persons.0.cnic"),
        ({"persons": [{"name_latin": "", "name_urdu": ""}]}, "persons.0.name_latin"),
        ({"persons": [{"name_latin": "Aslam", "age_years": 400}]}, "persons.0.age_years"),
        ({"kind": "arrest", "persons": []}, "persons"),
        ({"quantity": "a lot"}, "quantity"),
        ({"place": 42}, "place"),
        ({"persons": "Aslam and two others"}, "persons"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
    ],
)
def test_a_bad_field_is_named_and_nothing_is_stored(officer, send, change, field):
    response = send(report_data(**change))
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"], response.json()
    assert not FieldReport.objects.exists()


def test_hostile_photos_are_refused_with_nothing_stored(officer, send):
    data = report_data()
    not_an_image = send(data, [("scene.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg")])
    assert not_an_image.status_code == 422
    assert "not a JPEG, PNG or WebP" in not_an_image.json()["errors"]["photos.0"][0]
    too_big = send(
        data, [("ok.jpg", jpeg(), "image/jpeg"), ("big.jpg", b"\xff" * (10 * 1024 * 1024 + 1), "image/jpeg")]
    )
    assert too_big.status_code == 422
    assert "at most 10 MB" in too_big.json()["errors"]["photos.1"][0]
    too_many = send(data, [(f"{n}.jpg", jpeg(), "image/jpeg") for n in range(7)])
    assert "photos" in too_many.json()["errors"]
    assert not FieldReport.objects.exists() and not FieldReportPhoto.objects.exists()


def test_a_ten_megabyte_body_is_refused_before_it_is_read(officer, client):
    body = json.dumps(report_data(narrative="x" * (10 * 1024 * 1024)))
    response = client.post("/api/v1/field-reports", body, content_type="application/json")
    assert response.status_code == 413
    assert "at most 2.0 MB" in response.json()["detail"]
    assert not FieldReport.objects.exists()


def test_a_report_without_its_json_part_is_refused(officer, client):
    response = client.post("/api/v1/field-reports", {"photos": []})
    assert response.status_code == 422 and "report" in response.json()["errors"]
    broken = client.post("/api/v1/field-reports", {"report": "{not json"})
    assert broken.status_code == 422 and "not valid JSON" in broken.json()["errors"]["report"][0]


def test_script_in_the_text_is_kept_as_text_and_shown_escaped(officer, send, client, world):
    script = "<script>alert('x')</script>"
    response = send(report_data(narrative=script, place=script))
    report = FieldReport.objects.get(pk=response.json()["id"])
    assert report.narrative == script
    client.force_login(world.agencies["ANF"].users[Role.SUPERVISOR])
    page = client.get(f"/field/reports/{report.pk}/").content.decode()
    assert script not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_only_officers_who_record_for_a_unit_send_reports(client, world, send):
    for role in (Role.ANALYST, Role.PROSECUTOR, Role.POLICY_VIEWER, Role.AUDITOR, Role.FORENSIC_ANALYST):
        client.force_login(world.agencies["ANF"].users[role])
        response = send(report_data())
        assert response.status_code == 422, role
    assert not FieldReport.objects.exists()
    client.logout()
    assert send(report_data()).status_code == 401


def test_the_officer_lists_only_their_own_reports(client, world, send):
    anf = world.agencies["ANF"]
    mine, theirs = anf.users[Role.FIELD_OFFICER], make_user(Role.FIELD_OFFICER, anf.child_unit.code)
    client.force_login(theirs)
    send(report_data())
    client.force_login(mine)
    send(report_data(client_id=str(uuid.uuid4())))
    listed = client.get("/api/v1/field-reports").json()["items"]
    assert [r["id"] for r in listed] == list(FieldReport.objects.filter(reported_by=mine).values_list("pk", flat=True))


def test_the_form_options_carry_what_the_phone_needs_offline(officer, client):
    options = client.get("/api/v1/field-reports/form-options").json()
    heroin = next(s for s in options["substances"] if s["code"] == "heroin")
    assert "kg" in heroin["units"] and heroin["default_unit"]
    assert any(d["pcode"] == "PK630" for d in options["districts"])
    assert {k["value"] for k in options["kinds"]} == {"seizure", "arrest", "interdiction"}
    assert options["max_photo_bytes"] == 10 * 1024 * 1024
