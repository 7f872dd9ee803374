"""A supervisor's review: accepting a report makes its case, persons and seizure, or returns it with a reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from suragh.cases.models import Case, CaseParty
from suragh.conftest import register_case
from suragh.core.choices import Role
from suragh.core.models import LegalProvision
from suragh.intake.actions import do_accept_field_report, do_return_field_report
from suragh.intake.models import FieldReport
from suragh.people.models import Person
from suragh.seizures.models import Seizure

from .conftest import jpeg, report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def anf(world):
    return world.agencies["ANF"]


@pytest.fixture
def report(client, anf, send) -> FieldReport:
    client.force_login(anf.users[Role.FIELD_OFFICER])
    response = send(report_data(), [("scene.jpg", jpeg(), "image/jpeg")])
    assert response.status_code == 201
    return FieldReport.objects.get(pk=response.json()["id"])


def cnsa() -> str:
    return LegalProvision.objects.filter(law_short="CNSA").order_by("code")[0].code


def test_accepting_registers_the_fir_with_the_persons_and_seizure_from_the_report(client, anf, report):
    client.force_login(anf.users[Role.SUPERVISOR])
    queue = client.get("/field/review/").content.decode()
    assert f"/field/reports/{report.pk}/" in queue
    response = client.post(
        f"/field/reports/{report.pk}/accept",
        {"fir_number": "88/2026", "registered_on": "2026-11-20", "offences": [cnsa()]},
    )
    report.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == f"/cases/{report.case_id}/"
    case = report.case
    assert (case.fir_number, case.owning_unit, case.registered_on) == (
        "88/2026",
        report.owning_unit,
        date(2026, 11, 20),
    )
    accused = case.parties.get(role="accused").person
    assert (accused.name_latin, accused.cnic) == ("Muhammad Aslam", "3520212345671")
    assert list(report.people.all()) == [accused]
    assert (report.seizure.case, report.seizure.substance.code, report.seizure.quantity_base) == (
        case,
        "heroin",
        Decimal("1.2"),
    )
    assert report.seizure.concealment == "vehicle_cavity"
    assert report.status == "accepted" and report.reviewed_by == anf.users[Role.SUPERVISOR]
    assert f"/field/reports/{report.pk}/" not in client.get("/field/review/").content.decode()
    assert f"field report No. {report.pk}</a>" in client.get(f"/cases/{case.pk}/").content.decode()
    client.force_login(anf.users[Role.FIELD_OFFICER])
    mine = client.get(f"/api/v1/field-reports/{report.pk}").json()
    assert (mine["status"], mine["case_id"]) == ("accepted", case.pk)


def test_accepting_into_a_case_already_registered_links_who_is_already_on_it(client, anf, report, send):
    supervisor = anf.users[Role.SUPERVISOR]
    case = register_case(anf, fir="12/2026", on=date(2026, 11, 20))
    do_accept_field_report(report, case=case, acting_user=supervisor)
    client.force_login(anf.users[Role.FIELD_OFFICER])
    arrest = send(report_data(kind="arrest", substance_code="", quantity=None, unit="")).json()
    client.force_login(supervisor)
    response = client.post(f"/field/reports/{arrest['id']}/accept", {"existing_fir": "12/2026"})
    assert response.status_code == 302
    assert case.parties.filter(role="accused").count() == 1, "the same CNIC is linked, not recorded twice"
    assert case.seizures.count() == 1
    assert FieldReport.objects.get(pk=arrest["id"]).case == case


def test_nothing_is_made_when_any_part_of_the_acceptance_fails(client, anf, report):
    register_case(anf, fir="88/2026", on=date(2026, 11, 20))
    before = (Case.objects.count(), Person.objects.count(), CaseParty.objects.count(), Seizure.objects.count())
    client.force_login(anf.users[Role.SUPERVISOR])
    response = client.post(
        f"/field/reports/{report.pk}/accept",
        {"fir_number": "88/2026", "registered_on": "2026-11-20", "offences": [cnsa()]},
    )
    assert response.status_code == 400 and "already registered" in response.content.decode()
    assert (Case.objects.count(), Person.objects.count(), CaseParty.objects.count(), Seizure.objects.count()) == before
    report.refresh_from_db()
    assert report.status == "submitted" and report.case_id is None


def test_the_form_asks_for_a_new_fir_or_an_existing_one(client, anf, report):
    client.force_login(anf.users[Role.SUPERVISOR])
    neither = client.post(f"/field/reports/{report.pk}/accept", {})
    assert neither.status_code == 400 and "Give the FIR number to register" in neither.content.decode()
    unknown = client.post(f"/field/reports/{report.pk}/accept", {"existing_fir": "999/1999"})
    assert "has no case with FIR 999/1999" in unknown.content.decode()
    assert FieldReport.objects.get(pk=report.pk).status == "submitted"


def test_a_returned_report_shows_its_reason_to_the_officer(client, anf, report):
    client.force_login(anf.users[Role.SUPERVISOR])
    empty = client.post(f"/field/reports/{report.pk}/return", {"reason": "   "})
    assert empty.status_code == 400
    response = client.post(f"/field/reports/{report.pk}/return", {"reason": "Weight not given in the seizure memo."})
    assert response.status_code == 302
    client.force_login(anf.users[Role.FIELD_OFFICER])
    mine = client.get("/api/v1/field-reports").json()["items"][0]
    assert (mine["status"], mine["return_reason"]) == ("returned", "Weight not given in the seizure memo.")
    assert "Weight not given in the seizure memo." in client.get(f"/field/reports/{report.pk}/").content.decode()


def test_a_report_is_reviewed_once(anf, report):
    supervisor = anf.users[Role.SUPERVISOR]
    do_return_field_report(report, reason="Photos unclear.", acting_user=supervisor)
    with pytest.raises(ValidationError, match="already returned"):
        do_accept_field_report(report, fir_number="1/2026", provision_codes=[cnsa()], acting_user=supervisor)
    with pytest.raises(ValidationError, match="already returned"):
        do_return_field_report(report, reason="Again.", acting_user=supervisor)


def test_only_a_supervisor_of_the_unit_or_above_reviews(anf, report, world):
    for user in (
        anf.users[Role.FIELD_OFFICER],
        anf.users[Role.INVESTIGATING_OFFICER],
        world.agencies["PUNJAB_POLICE"].users[Role.SUPERVISOR],
    ):
        with pytest.raises(ValidationError, match="Only a supervisor"):
            do_return_field_report(report, reason="No.", acting_user=user)
