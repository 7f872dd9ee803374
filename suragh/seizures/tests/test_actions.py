"""Bad input is refused with an error naming the field, and nothing partial is stored."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from suragh.core.validation import error_dict
from suragh.seizures.actions import do_record_seizure
from suragh.seizures.models import Seizure

pytestmark = pytest.mark.django_db


def record(aw, **overrides):
    values = dict(
        owning_unit=aw.child_unit,
        seized_on=date(2024, 5, 2),
        substance_code="heroin",
        quantity="2.5",
        unit="kg",
        district_pcode=aw.child_unit.district.pcode,
        acting_user=aw.users["io"],
    )
    return do_record_seizure(**{**values, **overrides})


def refused(aw, **overrides) -> dict:
    before = Seizure.objects.count()
    with pytest.raises(ValidationError) as caught:
        record(aw, **overrides)
    assert Seizure.objects.count() == before
    return error_dict(caught.value)


def test_quantity_is_normalized_to_the_base_unit(world):
    seizure = record(world.agencies["ANF"], quantity="750", unit="g")
    assert seizure.quantity_base == Decimal("0.75")
    assert seizure.lead_agency.code == "ANF"


def test_a_negative_quantity_is_refused(world):
    assert "quantity" in refused(world.agencies["ANF"], quantity="-3")


def test_a_quantity_that_is_not_a_number_is_refused(world):
    assert "quantity" in refused(world.agencies["ANF"], quantity="two kilos")


def test_a_unit_the_substance_is_not_measured_in_is_refused(world):
    errors = refused(world.agencies["ANF"], unit="tablet")
    assert "heroin" in errors["unit"][0].lower() and "kg" in errors["unit"][0]


def test_an_unknown_district_is_refused(world):
    assert "district" in refused(world.agencies["ANF"], district_pcode="PK999")


def test_an_unknown_substance_is_refused(world):
    assert "substance" in refused(world.agencies["ANF"], substance_code="unobtainium")


def test_a_future_date_is_refused(world):
    assert "seized_on" in refused(world.agencies["ANF"], seized_on=date(2099, 1, 1))


def test_every_problem_is_named_at_once(world):
    errors = refused(world.agencies["ANF"], quantity="0", district_pcode="nowhere", conveyance="teleport")
    assert {"quantity", "district", "conveyance"} <= set(errors)


def test_a_joint_seizure_has_one_lead_and_is_one_record(world):
    seizure = record(world.agencies["ANF"], participating_agency_codes=["CUSTOMS", "ANF", "PUNJAB_POLICE"])
    assert seizure.lead_agency.code == "ANF"
    assert sorted(a.code for a in seizure.participating_agencies.all()) == ["CUSTOMS", "PUNJAB_POLICE"]
    assert Seizure.objects.count() == 1


def test_an_officer_cannot_record_for_another_agencys_unit(world):
    assert "owning_unit" in refused(world.agencies["ANF"], acting_user=world.agencies["SINDH_POLICE"].users["io"])


def test_the_same_seizure_recorded_twice_on_a_case_is_refused(world):
    from suragh.conftest import register_case

    aw = world.agencies["PUNJAB_POLICE"]
    case = register_case(aw)
    record(aw, case=case)
    assert "quantity" in refused(aw, case=case)
    assert record(aw, case=case, quantity="3").case == case  # another recovery on the same case is recorded
