"""Cases, persons and aggregate returns: the same checks and words as the forms, natural keys on re-import."""

from __future__ import annotations

from decimal import Decimal

import pytest

from suragh.cases.models import Case
from suragh.core.choices import Role
from suragh.people.models import Person
from suragh.stats.models import AggregateReturn, DataElement

from .conftest import csv_of

pytestmark = pytest.mark.django_db

CASE_HEADER = ["owning_unit", "fir_number", "registered_on", "district", "offences", "distribution"]


def case_rows(aw) -> list[list[str]]:
    district = (aw.child_unit.district or aw.unit.district).pcode
    return [
        [aw.child_unit.code, "101/2024", "2024-01-05", district, "CNSA-9(c)", "agency"],
        [aw.child_unit.code, "102/2024", "2024-01-06", district, "CNSA-9(c); CNSA-9(b)", "unit"],
    ]


def test_cases_import_with_their_offences_and_a_second_import_changes_nothing(world, hand_in):
    anf = world.agencies["ANF"]
    supervisor = anf.users[Role.SUPERVISOR]
    content = csv_of([CASE_HEADER, *case_rows(anf)])
    job = hand_in(supervisor, "cases", content)
    assert (job.status, job.created_count, job.unchanged_count) == ("done", 2, 0)
    case = Case.objects.get(fir_number="102/2024")
    assert sorted(case.offences.values_list("provision__code", flat=True)) == ["CNSA-9(b)", "CNSA-9(c)"]
    assert (case.status, case.distribution, case.owning_unit) == ("registered", "unit", anf.child_unit)
    assert case.status_history.get().status == "registered"

    again = hand_in(supervisor, "cases", content)
    assert (again.status, again.rows_total, again.created_count, again.unchanged_count) == ("done", 2, 0, 2)
    assert Case.objects.filter(owning_unit=anf.child_unit).count() == 2


def test_case_cells_are_refused_with_the_registration_forms_words(world, hand_in):
    anf = world.agencies["ANF"]
    rows = case_rows(anf)
    rows[0][1] = ""
    rows[1][4] = "CNSA-99"
    rows.append([anf.child_unit.code, "103/2024", "2099-01-01", rows[1][3], "CNSA-9(c)", "everyone"])
    job = hand_in(anf.users[Role.SUPERVISOR], "cases", csv_of([CASE_HEADER, *rows]))
    assert job.status == "invalid"
    assert [cell[1:] for cell in job.bad_cells] == [
        ["fir_number", "", "The FIR number is required."],
        ["offences", "CNSA-99", "'CNSA-99' is not a legal provision."],
        ["registered_on", "2099-01-01", "A case cannot be registered in the future."],
        ["distribution", "everyone", "'everyone' is not one of unit, agency, group, all."],
    ]
    assert Case.objects.count() == 0


PERSON_HEADER = ["owning_unit", "reference", "name_latin", "cnic", "age_years", "sex"]


def test_persons_are_found_again_by_cnic_or_by_the_units_reference(world, hand_in):
    anf = world.agencies["ANF"]
    admin = anf.users[Role.AGENCY_ADMIN]
    rows = [
        [anf.child_unit.code, "", "Akram Khan", "35202-1234567-1", "34", "M"],
        [anf.child_unit.code, "REG-7", "Bibi Zainab", "", "", "F"],
        [anf.child_unit.code, "REG-8", "Young Boy", "", "15", "M"],
    ]
    job = hand_in(admin, "persons", csv_of([PERSON_HEADER, *rows]))
    assert (job.status, job.created_count) == ("done", 3)
    assert Person.objects.get(name_latin="Akram Khan").cnic == "3520212345671"
    assert Person.objects.get(name_latin="Young Boy").is_juvenile
    again = hand_in(admin, "persons", csv_of([PERSON_HEADER, *rows]))
    assert (again.created_count, again.unchanged_count) == (0, 3)
    assert Person.objects.count() == 3


def test_person_cells_are_refused_with_the_person_forms_words(world, hand_in):
    anf = world.agencies["ANF"]
    rows = [
        [anf.child_unit.code, "", "No Key", "", "", "M"],
        [anf.child_unit.code, "R-1", "", "", "", "M"],
        [anf.child_unit.code, "R-2", "Bad Cnic", "1234", "", "Q"],
        [anf.child_unit.code, "R-3", "Old", "", "300", "M"],
    ]
    job = hand_in(anf.users[Role.SUPERVISOR], "persons", csv_of([PERSON_HEADER, *rows]))
    assert [cell[:2] + cell[3:] for cell in job.bad_cells] == [
        [2, "reference", "Give the person's CNIC or the unit's reference for them."],
        [3, "name_latin", "A person needs a name in Latin or Urdu script."],
        [4, "cnic", "'1234' is not a CNIC: it must be 13 digits, as 12345-1234567-1."],
        [4, "sex", "'Q' is not one of M, F, X, U."],
        [5, "age_years", "Age must be between 0 and 120."],
    ]
    assert Person.objects.count() == 0


RETURN_HEADER = ["element", "org_unit", "period_type", "period_start", "value"]


def test_aggregate_returns_import_once_per_element_unit_and_period(world, hand_in):
    anf = world.agencies["ANF"]
    assert DataElement.objects.filter(code="seized_heroin_kg").exists()
    rows = [
        ["cases_registered", anf.unit.code, "month", "2024-01-01", "12"],
        ["seized_heroin_kg", anf.unit.code, "quarter", "2024-04-01", "3.250"],
    ]
    job = hand_in(anf.users[Role.SUPERVISOR], "returns", csv_of([RETURN_HEADER, *rows]))
    assert (job.status, job.created_count) == ("done", 2)
    figure = AggregateReturn.objects.get(element__code="seized_heroin_kg")
    assert (figure.value, figure.source, figure.import_job_id) == (Decimal("3.250"), "import", job.pk)
    again = hand_in(anf.users[Role.SUPERVISOR], "returns", csv_of([RETURN_HEADER, *rows]))
    assert (again.created_count, again.unchanged_count) == (0, 2)


def test_return_cells_name_the_period_and_value_problems(world, hand_in):
    anf = world.agencies["ANF"]
    rows = [
        ["cases_registered", anf.unit.code, "quarter", "2024-02-01", "1"],
        ["arrests_typo", anf.unit.code, "week", "2024-01-01", "-3"],
    ]
    job = hand_in(anf.users[Role.SUPERVISOR], "returns", csv_of([RETURN_HEADER, *rows]))
    assert [cell[:2] + cell[3:] for cell in job.bad_cells] == [
        [2, "period_start", "2024-02-01 is not the first day of a quarter."],
        [3, "element", "'arrests_typo' is not a data element."],
        [3, "period_type", "'week' is not one of month, quarter, year."],
        [3, "value", "A figure must be a number, zero or more."],
    ]


def test_free_text_longer_than_its_field_is_refused_before_anything_is_written(world, hand_in):
    anf = world.agencies["ANF"]
    rows = [[anf.child_unit.code, "R-9", "N" * 151, "", "30", "M"]]
    job = hand_in(anf.users[Role.SUPERVISOR], "persons", csv_of([PERSON_HEADER, *rows]))
    assert job.bad_cells == [[2, "name_latin", "N" * 100, "At most 150 characters (151 given)."]]
    assert Person.objects.count() == 0


def test_the_same_cnic_written_two_ways_is_one_person_repeated(world, hand_in):
    anf = world.agencies["ANF"]
    rows = [
        [anf.child_unit.code, "", "Akram Khan", "35202-1234567-1", "34", "M"],
        [anf.child_unit.code, "", "Akram Khan", "3520212345671", "34", "M"],
    ]
    job = hand_in(anf.users[Role.SUPERVISOR], "persons", csv_of([PERSON_HEADER, *rows]))
    assert job.bad_cells == [
        [
            3,
            "cnic",
            "3520212345671",
            "Repeats row 2: the same person (CNIC or reference) of the unit appears twice in the file.",
        ]
    ]
