"""The blank templates officers fill in: the header row of each kind as CSV, and as XLSX with a sheet of the columns'
meaning, a sheet of allowed values and drop-down lists that offer them."""

from __future__ import annotations

import io

from django.db.models import Q

from suragh.core.choices import Distribution
from suragh.core.models import Agency, District, LegalProvision, SharingGroup, Substance, User
from suragh.people.choices import Relation, Sex
from suragh.seizures.choices import Concealment, Conveyance
from suragh.stats.choices import PeriodType
from suragh.stats.models import DataElement

from .files import csv_bytes, safe_cell
from .kinds import IMPORTERS, units_in_reach


def allowed_values(name: str, user: User) -> list[tuple[str, str]]:
    """(value, what it means) for one list of allowed values."""
    if name == "units":
        return list(units_in_reach(user).order_by("code").values_list("code", "name"))
    if name == "districts":
        return [(d.pcode, f"{d.name} ({d.province.name})") for d in District.objects.select_related("province")]
    if name == "substances":
        return [(s.code, f"{s.name}: {', '.join(s.units)}") for s in Substance.objects.order_by("code")]
    if name == "quantity_units":
        units = sorted({u for s in Substance.objects.all() for u in s.units})
        return [(u, "") for u in units]
    if name == "provisions":
        return list(LegalProvision.objects.order_by("code").values_list("code", "title"))
    if name == "agencies":
        return list(Agency.objects.order_by("code").values_list("code", "short_name"))
    if name == "sharing_groups":
        return [(g.name, "") for g in SharingGroup.objects.filter(Q(agencies=user.unit.agency_id)).distinct()]
    if name == "data_elements":
        return [(e.code, f"{e.name} ({e.unit_of_measure})") for e in DataElement.objects.all()]
    choices = {
        "conveyance": Conveyance,
        "concealment": Concealment,
        "distribution": Distribution,
        "sex": Sex,
        "relation": Relation,
        "period_type": PeriodType,
    }[name]
    return [(str(value), str(label)) for value, label in choices.choices]


def template_csv(kind: str) -> bytes:
    return csv_bytes([[c.name for c in IMPORTERS[kind].columns]])


def template_xlsx(kind: str, user: User) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = IMPORTERS[kind].columns
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind
    allowed_sheet = workbook.create_sheet("allowed values")
    about = workbook.create_sheet("columns")
    about.append(["column", "required", "what to write", "allowed values"])
    lists: dict[str, str] = {}
    for position, column in enumerate(columns, start=1):
        letter = get_column_letter(position)
        sheet.cell(row=1, column=position, value=column.name).font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, len(column.name) + 4)
        about.append(
            [column.name, "yes" if column.required else "no", safe_cell(column.description), column.allowed or ""]
        )
        if not column.allowed:
            continue
        if column.allowed not in lists:
            values = allowed_values(column.allowed, user)
            list_column = get_column_letter(len(lists) * 2 + 1)
            allowed_sheet.cell(row=1, column=len(lists) * 2 + 1, value=column.allowed).font = Font(bold=True)
            for row, (value, meaning) in enumerate(values, start=2):
                allowed_sheet.cell(row=row, column=len(lists) * 2 + 1, value=safe_cell(value))
                allowed_sheet.cell(row=row, column=len(lists) * 2 + 2, value=safe_cell(meaning))
            last = max(len(values) + 1, 2)
            lists[column.allowed] = f"'allowed values'!${list_column}$2:${list_column}${last}"
        # Lists of several codes (offences, agencies) are typed, not picked: a drop-down would refuse "a;b".
        if column.name in ("offences", "participating_agencies"):
            continue
        validation = DataValidation(type="list", formula1=lists[column.allowed], allow_blank=not column.required)
        validation.error = f"Pick a value of '{column.allowed}' (see the 'allowed values' sheet)."
        validation.errorTitle = column.name
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}100000")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
