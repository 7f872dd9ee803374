from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from suragh.cases.actions import do_change_case_status, do_register_fir
from suragh.cases.models import Case, Offence
from suragh.conftest import register_case
from suragh.core.models import AuditEvent, LegalProvision
from suragh.core.validation import error_dict

pytestmark = pytest.mark.django_db


def refused(**kwargs) -> dict:
    before = (Case.objects.count(), Offence.objects.count())
    with pytest.raises(ValidationError) as caught:
        do_register_fir(**kwargs)
    assert (Case.objects.count(), Offence.objects.count()) == before
    return error_dict(caught.value)


def fir(aw, **overrides):
    values = dict(
        owning_unit=aw.child_unit,
        fir_number="101/2024",
        registered_on=date(2024, 2, 2),
        district_pcode=aw.child_unit.district.pcode,
        provision_codes=[LegalProvision.objects.filter(law_short="CNSA").first().code],
        acting_user=aw.users["io"],
    )
    return {**values, **overrides}


def test_registration_records_status_offences_and_audit(world):
    aw = world.agencies["PUNJAB_POLICE"]
    case = do_register_fir(**fir(aw))
    assert case.status == "registered"
    assert list(case.status_history.values_list("status", flat=True)) == ["registered"]
    assert case.offences.count() == 1
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk), action="create").exists()


def test_an_unknown_district_is_refused(world):
    assert "district" in refused(**fir(world.agencies["PUNJAB_POLICE"], district_pcode="PK000"))


def test_an_unknown_provision_is_refused(world):
    assert "offences" in refused(**fir(world.agencies["PUNJAB_POLICE"], provision_codes=["CNSA-999"]))


def test_the_same_fir_twice_is_refused(world):
    aw = world.agencies["PUNJAB_POLICE"]
    do_register_fir(**fir(aw))
    assert "fir_number" in refused(**fir(aw))


def test_a_sharing_group_distribution_needs_a_group(world):
    assert "sharing_group" in refused(**fir(world.agencies["PUNJAB_POLICE"], distribution="group"))


def test_possession_for_personal_use_and_trafficking_are_different_iccs_codes():
    personal = LegalProvision.objects.filter(law_short="CNSA", personal_use=True)
    trafficking = LegalProvision.objects.filter(law_short="CNSA", personal_use=False)
    assert personal.exists() and trafficking.exists()
    assert not set(personal.values_list("iccs__code", flat=True)) & set(
        trafficking.values_list("iccs__code", flat=True)
    )


def test_trafficking_in_persons_and_smuggling_of_migrants_are_different_iccs_codes():
    tip = set(LegalProvision.objects.filter(iccs__code__startswith="0204").values_list("iccs__code", flat=True))
    som = set(
        LegalProvision.objects.filter(title__icontains="smuggling of migrants").values_list("iccs__code", flat=True)
    )
    assert tip and som and not tip & som


def test_only_valid_status_steps_are_allowed(world):
    aw = world.agencies["PUNJAB_POLICE"]
    case = register_case(aw, on=date(2024, 1, 5))
    with pytest.raises(ValidationError) as caught:
        do_change_case_status(case, "decided", on=date(2024, 2, 1), acting_user=aw.users["io"])
    assert "status" in error_dict(caught.value)
    do_change_case_status(
        case, "under_investigation", on=date(2024, 1, 6), reason="IO appointed", acting_user=aw.users["io"]
    )
    with pytest.raises(ValidationError) as caught:
        do_change_case_status(case, "cancelled", on=date(2024, 1, 7), acting_user=aw.users["io"])
    assert "reason" in error_dict(caught.value)
    assert case.status_history.count() == 2
