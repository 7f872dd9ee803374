"""The field reports' authorization walk: every role of three agencies, and a signed-out visitor, against one report
from each agency's field officer, compared with a plain restatement of who may see and review what."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from suragh.conftest import World
from suragh.core.choices import Role
from suragh.core.models import LegalProvision
from suragh.intake.models import FieldReport
from suragh.intake.tests.walk import ENDPOINTS

from .conftest import jpeg, report_data

pytestmark = pytest.mark.django_db

SENDERS = {Role.FIELD_OFFICER, Role.INVESTIGATING_OFFICER, Role.SUPERVISOR}


def all_users(world: World):
    for aw in world.agencies.values():
        yield from aw.users.values()


@pytest.fixture
def reports(client, world, send) -> list[FieldReport]:
    made = []
    for aw in world.agencies.values():
        client.force_login(aw.users[Role.FIELD_OFFICER])
        response = send(report_data(narrative=f"Walk marker {aw.code}"), [("scene.jpg", jpeg(), "image/jpeg")])
        made.append(FieldReport.objects.get(pk=response.json()["id"]))
    client.logout()
    return made


def sees(user, report: FieldReport) -> bool:
    """The rule, restated for a report distributed to its unit: its officer, its unit, and supervisors above it."""
    if user.pk == report.reported_by_id:
        return True
    if user.role not in {Role.FIELD_OFFICER, Role.INVESTIGATING_OFFICER, Role.SUPERVISOR, Role.ANALYST}:
        return False
    if user.role == Role.SUPERVISOR:
        return report.owning_unit.path.startswith(user.unit.path)
    return user.unit_id == report.owning_unit_id


def reviews(user, report: FieldReport) -> bool:
    return user.role == Role.SUPERVISOR and report.owning_unit.path.startswith(user.unit.path)


def test_every_field_report_endpoint_is_walked_here():
    walked = {"report_list", "report_detail", "report_review", "report_photo", "report_submit", "signed_in", "public"}
    assert {kind for kind, _ in ENDPOINTS.values()} <= walked


def test_reports_and_their_photos_open_only_to_whom_the_rule_allows(client, world, reports):
    failures = []
    for user in all_users(world):
        client.force_login(user)
        for report in reports:
            expected = 200 if sees(user, report) else 404
            photo = report.photos.get()
            for url in (
                reverse("field:report", args=[report.pk]),
                reverse("field:photo", args=[photo.pk]),
                f"/api/v1/field-reports/{report.pk}",
            ):
                if (got := client.get(url).status_code) != expected:
                    failures.append((user.username, url, got, expected))
    assert failures == []


def test_lists_show_exactly_the_visible_reports_and_the_api_only_ones_own(client, world, reports):
    failures = []
    for user in all_users(world):
        client.force_login(user)
        page = client.get(reverse("field:review"), {"state": "all"}).content.decode()
        listed = {r["id"] for r in client.get("/api/v1/field-reports").json()["items"]}
        for report in reports:
            if (f"/field/reports/{report.pk}/" in page) != sees(user, report):
                failures.append((user.username, "review", report.pk))
            if (report.pk in listed) != (report.reported_by_id == user.pk):
                failures.append((user.username, "api", report.pk))
    assert failures == []


def test_only_a_supervisor_of_the_unit_or_above_accepts_or_returns(client, world, reports):
    provision = LegalProvision.objects.filter(law_short="CNSA").order_by("code")[0].code
    failures = []
    for n, user in enumerate(all_users(world)):
        client.force_login(user)
        for report in reports:
            for name, form in (
                ("field:return", {"reason": "Walk: returned"}),
                (
                    "field:accept",
                    {"fir_number": f"W-{n}-{report.pk}", "registered_on": "2026-11-20", "offences": [provision]},
                ),
            ):
                got = client.post(reverse(name, args=[report.pk]), form).status_code
                expected = 302 if reviews(user, report) else 404 if not sees(user, report) else 400
                report.refresh_from_db()
                changed = report.status != "submitted"
                if got != expected or changed != (expected == 302):
                    failures.append((user.username, name, report.pk, got, expected))
                FieldReport.objects.filter(pk=report.pk).update(
                    status="submitted", return_reason="", case=None, seizure=None
                )
    assert failures == []


def test_reports_are_sent_only_by_those_who_record_for_a_unit(client, world, send):
    failures = []
    for user in all_users(world):
        client.force_login(user)
        got = send(report_data()).status_code
        expected = 201 if user.role in SENDERS and user.unit_id else 422
        if got != expected:
            failures.append((user.username, got, expected))
    assert failures == []


def test_signed_out_visitors_are_sent_to_sign_in(client, reports):
    report = reports[0]
    photo = report.photos.get()
    for url in (
        reverse("field:review"),
        reverse("field:report", args=[report.pk]),
        reverse("field:photo", args=[photo.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    for name in ("field:accept", "field:return"):
        response = client.post(reverse(name, args=[report.pk]), {"reason": "x"})
        assert response.status_code == 302 and "/login/" in response["Location"], name
    for url in ("/api/v1/field-reports", f"/api/v1/field-reports/{report.pk}", "/api/v1/field-reports/form-options"):
        assert client.get(url).status_code == 401, url
    body = json.dumps(report_data())
    assert client.post("/api/v1/field-reports", body, content_type="application/json").status_code == 401
    assert FieldReport.objects.filter(status="submitted").count() == 3
