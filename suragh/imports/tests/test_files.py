"""XLSX as well as CSV, the templates, and hostile files: each refused with a clear error and no partial record."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from suragh.core.choices import Role
from suragh.imports.actions import do_create_import_job
from suragh.imports.files import csv_bytes
from suragh.imports.models import ImportJob
from suragh.imports.templates_files import template_csv, template_xlsx
from suragh.seizures.models import Seizure

from .conftest import csv_of
from .test_seizures import HEADER, rows_for

pytestmark = pytest.mark.django_db


def xlsx_of(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_file_imports_like_its_csv_and_counts_the_same_twice(world, hand_in):
    anf = world.agencies["ANF"]
    supervisor = anf.users[Role.SUPERVISOR]
    rows = rows_for(anf, 3)
    # Spreadsheets hold dates as dates and quantities as numbers.
    typed = [[r[0], date.fromisoformat(r[1]), r[2], float(r[3]), *r[4:]] for r in rows]
    job = hand_in(supervisor, "seizures", xlsx_of([HEADER, *typed]), "seizures.xlsx")
    assert (job.status, job.file_format, job.created_count) == ("done", "xlsx", 3)
    again = hand_in(supervisor, "seizures", csv_of([HEADER, *rows]), "seizures.csv")
    assert (again.status, again.created_count, again.unchanged_count) == ("done", 0, 3)
    assert Seizure.objects.count() == 3


def test_the_xlsx_template_offers_the_allowed_values_and_imports_once_filled_in(world, hand_in):
    anf = world.agencies["ANF"]
    supervisor = anf.users[Role.SUPERVISOR]
    workbook = load_workbook(io.BytesIO(template_xlsx("seizures", supervisor)))
    assert workbook.sheetnames == ["seizures", "allowed values", "columns"]
    sheet, allowed = workbook["seizures"], workbook["allowed values"]
    assert [c.value for c in sheet[1]][:6] == HEADER[:6]
    lists = {allowed.cell(row=1, column=col).value: col for col in range(1, allowed.max_column + 1, 2)}
    assert {"units", "substances", "quantity_units", "districts", "conveyance", "concealment"} <= set(lists)
    unit_codes = [allowed.cell(row=r, column=lists["units"]).value for r in range(2, allowed.max_row + 1)]
    assert anf.child_unit.code in unit_codes
    assert world.agencies["PUNJAB_POLICE"].child_unit.code not in unit_codes  # only the importer's units
    formulas = {str(v.sqref)[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert formulas["A"].startswith("'allowed values'!$")
    assert "E" in formulas and "C" in formulas
    for column, value in enumerate(rows_for(anf, 1)[0], start=1):
        sheet.cell(row=2, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = hand_in(supervisor, "seizures", buffer.getvalue(), "filled.xlsx")
    assert (job.status, job.created_count) == ("done", 1)


def test_the_csv_template_is_the_header_row():
    assert template_csv("returns").decode("utf-8-sig").strip() == "element,org_unit,period_type,period_start,value"


def test_exported_cells_never_start_a_formula():
    text = csv_bytes([['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "plain"]]).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "plain"]


def test_formulas_and_markup_in_cells_are_refused_by_row_and_column(world, hand_in):
    anf = world.agencies["ANF"]
    rows = rows_for(anf, 3)
    rows[0][9 - 2] = "=cmd|' /C calc'!A0"  # concealment, row 2
    rows[1].extend(["<script>alert(1)</script>", ""])  # origin, row 3
    header = [*HEADER, "origin", "destination"]
    rows[0].extend(["", ""])
    rows[2].extend(["@SUM(1+1)", ""])
    job = hand_in(anf.users[Role.SUPERVISOR], "seizures", csv_of([header, *rows]))
    assert job.status == "invalid"
    assert [cell[:2] for cell in job.bad_cells] == [[2, "concealment"], [3, "origin"], [4, "origin"]]
    assert "spreadsheet formula" in job.bad_cells[0][3]
    assert job.bad_cells[1][3] == "Cells may not contain HTML or script markup."
    assert Seizure.objects.count() == 0


def test_a_nul_character_deep_in_a_csv_is_refused_by_its_cell(world, hand_in):
    anf = world.agencies["ANF"]
    first = rows_for(anf, 1)[0]
    rows = [[*first[:3], f"{n + 1}.5", *first[4:]] for n in range(2000)]
    rows[1999][6] = "veh\x00icle"
    job = hand_in(anf.users[Role.SUPERVISOR], "seizures", csv_of([HEADER, *rows]))
    assert job.bad_cells == [[2001, "conveyance", "veh\\0icle", "Cells may not contain NUL characters."]]
    assert Seizure.objects.count() == 0


def test_a_formula_cell_in_a_workbook_is_refused(world, hand_in):
    anf = world.agencies["ANF"]
    row = rows_for(anf, 1)[0]
    row[3] = "=1+2"
    job = hand_in(anf.users[Role.SUPERVISOR], "seizures", xlsx_of([HEADER, row]), "f.xlsx")
    assert job.bad_cells[0][:3] == [2, "quantity", "=1+2"]
    assert Seizure.objects.count() == 0


def test_wrong_types_are_named_cell_by_cell(world, hand_in):
    anf = world.agencies["ANF"]
    row = rows_for(anf, 1)[0]
    row[1], row[3] = "yesterday", "1.2.3"
    job = hand_in(anf.users[Role.SUPERVISOR], "seizures", csv_of([HEADER, row]))
    assert [c[1:] for c in job.bad_cells] == [
        ["seized_on", "yesterday", "'yesterday' is not a date: write it as YYYY-MM-DD."],
        ["quantity", "1.2.3", "'1.2.3' is not a number."],
    ]


def test_a_header_that_is_not_the_templates_names_the_columns(world, hand_in):
    anf = world.agencies["ANF"]
    job = hand_in(anf.users[Role.SUPERVISOR], "seizures", csv_of([["owning_unit", "weight"], ["X", "1"]]))
    assert job.status == "invalid"
    assert [1, "weight", "weight", "'weight' is not a column of the seizures template."] in job.bad_cells
    assert [1, "substance", "", "The column 'substance' is missing from the header row."] in job.bad_cells


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "holds binary data"),
        ("sheet.xlsx", b"owning_unit,seized_on\n", "not an Excel workbook"),
        ("sheet.csv", xlsx_of([HEADER]), "is a zip or Excel workbook"),
        ("run.exe", b"MZ\x90\x00", "is not a CSV or XLSX file"),
        ("latin1.csv", "owning_unit,origin\nX,Peshāwar\n".encode("cp1252", "replace") + b"\xff\xfe", "not UTF-8"),
        ("empty.csv", b"", "The file is empty."),
    ],
    ids=["png", "csv-as-xlsx", "xlsx-as-csv", "exe", "latin1", "empty"],
)
def test_files_that_are_not_csv_or_xlsx_are_refused_before_any_job(world, name, content, why):
    supervisor = world.agencies["ANF"].users[Role.SUPERVISOR]
    with pytest.raises(ValidationError) as refused:
        do_create_import_job(
            kind="seizures", file_name=name, chunks=iter([content]), size=len(content), acting_user=supervisor
        )
    assert why in refused.value.message_dict["file"][0]
    assert ImportJob.objects.count() == 0 and Seizure.objects.count() == 0


def test_an_upload_over_10_mb_is_refused_even_if_its_size_is_misstated(world, settings):
    supervisor = world.agencies["ANF"].users[Role.SUPERVISOR]
    big = b"owning_unit\n" + b"x" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError, match="at most 10 MB"):
        do_create_import_job(
            kind="seizures", file_name="big.csv", chunks=iter([big]), size=len(big), acting_user=supervisor
        )
    with pytest.raises(ValidationError, match="larger than 10 MB"):
        do_create_import_job(
            kind="seizures",
            file_name="big.csv",
            chunks=iter([big[:6000000], big[6000000:]]),
            size=10,
            acting_user=supervisor,
        )
    assert ImportJob.objects.count() == 0
    assert not [p for p in (settings.MEDIA_ROOT / "imports").iterdir()]


def test_a_workbook_that_unpacks_to_a_bomb_is_refused(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (201 * 1024 * 1024))
    content = buffer.getvalue()
    assert len(content) < 1024 * 1024
    with pytest.raises(ValidationError, match="unpacks to more than 200 MB"):
        do_create_import_job(
            kind="seizures",
            file_name="bomb.xlsx",
            chunks=iter([content]),
            size=len(content),
            acting_user=world.agencies["ANF"].users[Role.SUPERVISOR],
        )


def test_only_supervisors_and_agency_admins_import(world):
    for role in (Role.FIELD_OFFICER, Role.INVESTIGATING_OFFICER, Role.ANALYST, Role.AUDITOR, Role.SYSTEM_ADMIN):
        with pytest.raises(ValidationError, match="Only supervisors and agency admins import files."):
            do_create_import_job(
                kind="seizures",
                file_name="a.csv",
                chunks=iter([b"a\n"]),
                size=2,
                acting_user=world.agencies["ANF"].users[role],
            )
