"""Importing seizures: every bad cell named, all or nothing, the same file twice changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from suragh.conftest import register_case
from suragh.core.choices import Role
from suragh.seizures.models import Seizure

from .conftest import csv_of

pytestmark = pytest.mark.django_db

HEADER = ["owning_unit", "seized_on", "substance", "quantity", "unit", "district", "conveyance", "concealment"]


def rows_for(aw, count: int = 3) -> list[list[object]]:
    district = aw.child_unit.district or aw.unit.district
    return [
        [
            aw.child_unit.code,
            f"2024-03-{day + 1:02d}",
            "heroin",
            f"{day + 1}.5",
            "kg",
            district.pcode,
            "vehicle",
            "fuel_tank",
        ]
        for day in range(count)
    ]


def test_a_good_file_imports_and_a_second_time_changes_nothing(world, hand_in):
    anf = world.agencies["ANF"]
    supervisor = anf.users[Role.SUPERVISOR]
    content = csv_of([HEADER, *rows_for(anf, 3)])

    first = hand_in(supervisor, "seizures", content)
    assert (first.status, first.rows_total, first.created_count, first.unchanged_count, first.rejected_count) == (
        "done",
        3,
        3,
        0,
        0,
    )
    seizures = Seizure.objects.filter(owning_unit=anf.child_unit).order_by("seized_on")
    assert [s.quantity_base for s in seizures] == [Decimal("1.5"), Decimal("2.5"), Decimal("3.5")]
    assert {s.lead_agency.code for s in seizures} == {"ANF"}
    assert {s.created_by_id for s in seizures} == {supervisor.pk}

    second = hand_in(supervisor, "seizures", content)
    assert (second.status, second.rows_total, second.created_count, second.unchanged_count) == ("done", 3, 0, 3)
    assert Seizure.objects.filter(owning_unit=anf.child_unit).count() == 3
    assert second.sha256 == first.sha256


def test_a_file_with_a_bad_row_commits_nothing_and_names_every_bad_cell(world, hand_in):
    anf = world.agencies["ANF"]
    rows = rows_for(anf, 4)
    rows[1][3] = "lots"  # row 3 of the file
    rows[2][2] = "sugar"  # row 4
    rows[2][5] = "PK999"
    rows[3][1] = "2024-02-30"  # row 5

    job = hand_in(anf.users[Role.SUPERVISOR], "seizures", csv_of([HEADER, *rows]))

    assert job.status == "invalid"
    assert Seizure.objects.count() == 0
    assert job.rejected_count == 3
    assert [cell[:3] for cell in job.bad_cells] == [
        [3, "quantity", "lots"],
        [4, "substance", "sugar"],
        [4, "district", "PK999"],
        [5, "seized_on", "2024-02-30"],
    ]
    whys = [cell[3] for cell in job.bad_cells]
    # The same words as recording a seizure by hand.
    assert whys[0] == "'lots' is not a number."
    assert whys[1] == "'sugar' is not a substance."
    assert whys[2] == "'PK999' is not a district P-code."


def test_a_dry_run_checks_and_writes_nothing(world, hand_in):
    anf = world.agencies["ANF"]
    job = hand_in(anf.users[Role.SUPERVISOR], "seizures", csv_of([HEADER, *rows_for(anf, 2)]), dry_run=True)
    assert (job.status, job.created_count, job.unchanged_count) == ("checked", 2, 0)
    assert Seizure.objects.count() == 0


def test_units_outside_the_importers_reach_are_refused(world, hand_in):
    anf, punjab = world.agencies["ANF"], world.agencies["PUNJAB_POLICE"]
    rows = rows_for(anf, 1) + rows_for(punjab, 1)
    job = hand_in(anf.users[Role.SUPERVISOR], "seizures", csv_of([HEADER, *rows]))
    assert job.status == "invalid"
    assert job.bad_cells == [[3, "owning_unit", punjab.child_unit.code, "You cannot record seizures for this unit."]]
    assert Seizure.objects.count() == 0


def test_a_unit_of_measure_the_substance_is_not_measured_in(world, hand_in):
    anf = world.agencies["ANF"]
    rows = rows_for(anf, 1)
    rows[0][4] = "tablet"
    job = hand_in(anf.users[Role.SUPERVISOR], "seizures", csv_of([HEADER, *rows]))
    assert job.bad_cells[0][:2] == [2, "unit"]
    assert job.bad_cells[0][3].startswith("Heroin is not measured in 'tablet'")


def test_a_repeated_row_is_named_with_the_row_it_repeats(world, hand_in):
    anf = world.agencies["ANF"]
    rows = rows_for(anf, 2)
    job = hand_in(anf.users[Role.SUPERVISOR], "seizures", csv_of([HEADER, *rows, rows[0]]))
    assert job.status == "invalid"
    assert job.bad_cells[0][:2] == [4, "quantity"]
    assert "Repeats row 2" in job.bad_cells[0][3]


def test_seizures_on_a_case_name_it_by_fir(world, hand_in):
    anf = world.agencies["ANF"]
    case = register_case(anf, fir="IMP-1/2024")
    header = [*HEADER, "fir_number", "fir_registered_on"]
    rows = [[*r, "IMP-1/2024", "2024-03-01"] for r in rows_for(anf, 1)]
    rows.append([*rows_for(anf, 2)[1], "NOPE-9/2024", "2024-03-01"])
    job = hand_in(anf.users[Role.SUPERVISOR], "seizures", csv_of([header, *rows]))
    assert job.bad_cells == [
        [3, "fir_number", "NOPE-9/2024", f"Unit {anf.child_unit.code} registered no FIR NOPE-9/2024 on 2024-03-01."]
    ]
    job = hand_in(anf.users[Role.SUPERVISOR], "seizures", csv_of([header, rows[0]]))
    assert job.status == "done"
    assert list(case.seizures.values_list("quantity", flat=True)) == [Decimal("1.5")]
    again = hand_in(anf.users[Role.SUPERVISOR], "seizures", csv_of([header, rows[0]]))
    assert (again.created_count, again.unchanged_count) == (0, 1)
