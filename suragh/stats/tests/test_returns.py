"""Aggregate returns entered by hand: who may file and correct them, errors that name the field, a figure sent
twice stored once, and every role's view of the page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from suragh.core.choices import AuditAction, Role
from suragh.core.models import AuditEvent
from suragh.stats.models import AggregateReturn

pytestmark = pytest.mark.django_db

FILERS = {Role.SUPERVISOR, Role.AGENCY_ADMIN}


def signed_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def filing(unit, **changes) -> dict:
    return {
        "element": "cases_registered",
        "org_unit": unit.code,
        "period_type": "quarter",
        "period_start": "2023-04-01",
        "value": "17",
        **changes,
    }


def test_a_supervisor_files_a_figure_once_however_often_it_is_sent(world):
    punjab = world.agencies["PUNJAB_POLICE"]
    client = signed_in(punjab.users[Role.SUPERVISOR])
    response = client.post(reverse("stats:returns"), filing(punjab.child_unit))
    assert response.status_code == 302
    figure = AggregateReturn.objects.get()
    assert (figure.org_unit, figure.value, figure.source) == (punjab.child_unit, Decimal("17.000"), "entered")
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="stats.aggregatereturn").count() == 1
    again = client.post(reverse("stats:returns"), filing(punjab.child_unit))
    assert again.status_code == 400
    assert "already has a figure for this data element and period" in again.content.decode()
    assert AggregateReturn.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"period_start": "2023-05-01"}, "period_start", "2023-05-01 is not the first day of a quarter."),
        ({"period_start": "2099-01-01", "period_type": "year"}, "period_start", "A period cannot start in the future."),
        ({"value": "-3"}, "value", "Ensure this value is greater than or equal to 0."),
        ({"value": "many"}, "value", "Enter a number."),
        ({"element": "cases_solved"}, "element", "Select a valid choice."),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(world, changes, field, message):
    punjab = world.agencies["PUNJAB_POLICE"]
    response = signed_in(punjab.users[Role.SUPERVISOR]).post(
        reverse("stats:returns"), filing(punjab.child_unit, **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["form"].errors[field]
    assert not AggregateReturn.objects.exists()


def test_no_one_files_or_corrects_for_a_unit_outside_their_reach(world):
    punjab, sindh = world.agencies["PUNJAB_POLICE"], world.agencies["SINDH_POLICE"]
    response = signed_in(sindh.users[Role.SUPERVISOR]).post(reverse("stats:returns"), filing(punjab.child_unit))
    assert response.status_code == 400 and not AggregateReturn.objects.exists()
    signed_in(punjab.users[Role.SUPERVISOR]).post(reverse("stats:returns"), filing(punjab.child_unit))
    figure = AggregateReturn.objects.get()
    correct = reverse("stats:correct_return", args=[figure.pk])
    for who in (sindh.users[Role.SUPERVISOR], punjab.users[Role.ANALYST], punjab.users[Role.POLICY_VIEWER]):
        assert signed_in(who).post(correct, {"value": "1", "reason": "x"}).status_code == 404
    figure.refresh_from_db()
    assert figure.value == Decimal("17.000")


def test_a_correction_says_why_and_the_audit_trail_keeps_the_old_figure(world):
    punjab = world.agencies["PUNJAB_POLICE"]
    admin = signed_in(punjab.users[Role.AGENCY_ADMIN])
    admin.post(reverse("stats:returns"), filing(punjab.child_unit))
    figure = AggregateReturn.objects.get()
    correct = reverse("stats:correct_return", args=[figure.pk])
    admin.post(correct, {"value": "19", "reason": ""})
    figure.refresh_from_db()
    assert figure.value == Decimal("17.000")
    admin.post(correct, {"value": "19", "reason": "Two FIRs of June were left out of the return"})
    figure.refresh_from_db()
    assert figure.value == Decimal("19.000")
    change = AuditEvent.objects.get(action=AuditAction.CHANGE, object_type="stats.aggregatereturn")
    assert change.fields["value"] == {"from": "17.000", "to": "19.000"}


def test_every_role_sees_the_returns_page_as_its_reach_allows(world):
    punjab = world.agencies["PUNJAB_POLICE"]
    signed_in(punjab.users[Role.SUPERVISOR]).post(reverse("stats:returns"), filing(punjab.child_unit))
    for code, aw in world.agencies.items():
        for role, user in aw.users.items():
            response = signed_in(user).get(reverse("stats:returns"))
            expected = 200 if role in FILERS | {Role.ANALYST} else 404
            assert response.status_code == expected, f"{role} of {code}"
            if expected == 200:
                assert ("Filed" in response.content.decode()) and (
                    (punjab.child_unit.name in response.content.decode()) == (code == "PUNJAB_POLICE")
                ), f"{role} of {code} sees only its own agency's figures"
                assert ("File a figure" in response.content.decode()) == (role in FILERS), f"{role} of {code}"
    assert signed_in(None).get(reverse("stats:returns")).status_code == 302
    assert AggregateReturn.objects.count() == 1
