"""What each kind of import reads from a row, how it checks it and with which words, its natural key, and how a
chunk of checked rows is written.

Rows are checked with the same rules and messages as the domain's actions (do_register_fir, validate_person,
do_record_seizure, to_base_quantity), but with every lookup (units, substances, districts, provisions, cases)
made once per file, not once per row, and rows written in bulk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from suragh.cases.choices import CaseStatus
from suragh.cases.models import Case, CaseStatusChange, Offence
from suragh.core.choices import Distribution, Role
from suragh.core.models import Agency, District, LegalProvision, SharingGroup, Substance, Unit, User
from suragh.core.validation import FieldErrors
from suragh.people.actions import PersonDetails, check_distribution, validate_person
from suragh.people.choices import Sex
from suragh.people.identity import person_recorded
from suragh.people.models import Person
from suragh.seizures.actions import to_base_quantity
from suragh.seizures.choices import Concealment, Conveyance
from suragh.seizures.models import Seizure
from suragh.stats.actions import checked_value, starts_period
from suragh.stats.choices import PeriodType, ReturnSource
from suragh.stats.models import AggregateReturn, DataElement

from .choices import ImportKind
from .files import FORMULA_START
from .models import PersonReference

SIX_PLACES = Decimal("0.000001")
# Either a cell that starts like a formula or anything like markup, looked for in the whole row at once.
SUSPECT = re.compile("\x1f[" + re.escape("".join(FORMULA_START)) + "]|<|\x00")
MARKUP = re.compile(r"<\s*[a-zA-Z/!?]")
# Choices' `.values` is rebuilt on every access; the row checks ask millions of times.
CONVEYANCES = frozenset(Conveyance.values)
CONCEALMENTS = frozenset(Concealment.values)
PERIOD_TYPES = frozenset(PeriodType.values)
PLAIN_DISTRIBUTIONS = frozenset({Distribution.UNIT.value, Distribution.AGENCY.value, Distribution.ALL_AGENCIES.value})
LIST_SEPARATOR = re.compile(r"\s*[;,]\s*")


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: str
    allowed: str = ""  # the name of a list of allowed values (see allowed_values)
    example: str = ""


class BadCells:
    """Every bad cell of a file, in file order; only the first `keep` are stored, all are counted."""

    def __init__(self, keep: int = 10_000) -> None:
        self.cells: list[list[Any]] = []
        self.total = 0
        self.rows: set[int] = set()
        self.keep = keep

    def add(self, row: int, column: str, value: str, why: str) -> None:
        self.total += 1
        self.rows.add(row)
        if len(self.cells) < self.keep:
            self.cells.append([row, column, value, why])

    def __bool__(self) -> bool:
        return self.total > 0


def may_import(user: User) -> bool:
    """Supervisors import for their unit and below; agency admins for any unit of their agency."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.unit_id
        and user.role in (Role.SUPERVISOR, Role.AGENCY_ADMIN)
    )


def units_in_reach(user: User):
    if not may_import(user):
        return Unit.objects.none()
    if user.role == Role.AGENCY_ADMIN:
        return Unit.objects.filter(agency_id=user.unit.agency_id)
    return Unit.objects.filter(path__startswith=user.unit.path)


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def ranges(ids: Iterable[int]) -> list[list[int]]:
    """[3, 4, 5, 9] → [[3, 5], [9, 9]]: a chunk's ids are nearly always one run."""
    out: list[list[int]] = []
    for pk in sorted(ids):
        if out and pk == out[-1][1] + 1:
            out[-1][1] = pk
        else:
            out.append([pk, pk])
    return out


def ranges_q(id_ranges: list[list[int]]) -> Q:
    q = Q(pk__in=[])
    for first, last in id_ranges:
        q |= Q(pk__range=(first, last))
    return q


def allocate_ids(model, count: int) -> list[int]:
    """Ids for rows about to be inserted in this transaction, so the chunk knows exactly what it created without a
    RETURNING round trip per row. PostgreSQL hands them out from the table's sequence; SQLite holds the write lock
    for the whole transaction (transaction_mode IMMEDIATE), so the next ids are free until it commits."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0),"  # noqa: S608 (table name)
            f" COALESCE((SELECT MAX(id) FROM {table}), 0))",
            [table],
        )
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


class Importer:
    """The row check and writer for one kind; made once per file with every lookup the rows need."""

    kind: str
    model: type
    columns: tuple[Column, ...]
    reach_message = "You cannot import records for this unit."
    # The column a repeated natural key is reported in, and the key in words.
    duplicate_column = ""
    key_words = "record"
    # Columns written as they are into a field of the model, checked against its length.
    free_text: tuple[str, ...] = ()
    job_id: int | None = None

    def __init__(self, user: User) -> None:
        self.user = user
        self.today = timezone.localdate()
        reach = set(units_in_reach(user).values_list("id", flat=True))
        self.units: dict[str, tuple[int, int, bool]] = {
            code: (pk, agency_id, pk in reach)
            for pk, code, agency_id in Unit.objects.values_list("id", "code", "agency_id")
        }
        self.unit_codes = {pk: code for code, (pk, _, _) in self.units.items()}
        self.districts = dict(District.objects.values_list("pcode", "id"))
        self.groups = {g.name: g for g in SharingGroup.objects.all()}
        self.positions: list[int | None] = []
        self.names = [c.name for c in self.columns]
        self.seen: dict[Any, int] = {}
        self.dates: dict[str, date | None] = {}
        self.limits = [
            (self.names.index(name), name, self.model._meta.get_field(name).max_length) for name in self.free_text
        ]

    # -- header and cells --

    def read_header(self, header: list[str], bad: BadCells) -> None:
        known = {c.name for c in self.columns}
        for name in header:
            if name and name not in known:
                bad.add(1, name, name, f"'{name}' is not a column of the {self.kind} template.")
        for column in self.columns:
            if column.required and column.name not in header:
                bad.add(1, column.name, "", f"The column '{column.name}' is missing from the header row.")
        self.positions = [header.index(c.name) if c.name in header else None for c in self.columns]

    def cells_of(self, row: list[str]) -> list[str]:
        width = len(row)
        return [row[i].strip() if i is not None and i < width else "" for i in self.positions]

    def hostile(self, number: int, cells: list[str], bad: BadCells) -> bool:
        """Formulas and markup are refused in every cell, whatever the column; free text longer than its field too,
        so that no chunk can fail on it half-way through the writing."""
        found = False
        for index, name, limit in self.limits:
            if len(cells[index]) > limit:
                bad.add(number, name, cells[index][:100], f"At most {limit} characters ({len(cells[index])} given).")
                found = True
        if not SUSPECT.search("\x1f" + "\x1f".join(cells)):
            return found
        for name, value in zip(self.names, cells, strict=True):
            if value.startswith(FORMULA_START) and not _is_number(value):
                bad.add(
                    number, name, value, "Cells may not start with =, +, -, @ or a tab: that is a spreadsheet formula."
                )
                found = True
            elif "\x00" in value:
                bad.add(number, name, value.replace("\x00", "\\0"), "Cells may not contain NUL characters.")
                found = True
            elif MARKUP.search(value):
                bad.add(number, name, value, "Cells may not contain HTML or script markup.")
                found = True
        return found

    def date_of(self, text: str) -> date | None:
        try:
            return self.dates[text]
        except KeyError:
            value = self.dates[text] = parse_date(text)
            return value

    def report(self, number: int, cells: list[str], errors: FieldErrors, bad: BadCells) -> None:
        """An action's field errors as bad cells of this row: the templates name their columns after the fields."""
        values = dict(zip(self.names, cells, strict=True))
        for column, messages in errors.errors.items():
            for message in messages:
                bad.add(number, column, values.get(column, ""), message)

    def owning_unit(self, code: str, errors: FieldErrors, field: str = "owning_unit") -> tuple[int, int] | None:
        found = self.units.get(code)
        if not code:
            errors.add(field, "Give the unit's code.")
        elif found is None:
            errors.add(field, f"No unit has the code '{code}'.")
        elif not found[2]:
            errors.add(field, self.reach_message)
        else:
            return found[0], found[1]
        return None

    def distribution(self, value: str, group_name: str, errors: FieldErrors) -> tuple[str, int | None]:
        distribution = value or Distribution.AGENCY
        if distribution in PLAIN_DISTRIBUTIONS and not group_name:
            return distribution, None
        group = self.groups.get(group_name) if group_name else None
        if group_name and group is None:
            errors.add("sharing_group", f"No sharing group is named '{group_name}'.")
            return distribution, None
        check_distribution(errors, distribution, group)
        return distribution, group.pk if group else None

    def duplicate(self, number: int, key: Any, cells: list[str], bad: BadCells, column: str = "") -> bool:
        """Whether an earlier row of the file has the same natural key (then this row is a bad cell)."""
        first = self.seen.setdefault(key, number)
        if first != number:
            column = column or self.duplicate_column
            bad.add(
                number,
                column,
                cells[self.names.index(column)],
                f"Repeats row {first}: the same {self.key_words} appears twice in the file.",
            )
            return True
        return False

    # -- what each kind supplies --

    def check(self, number: int, cells: list[str], bad: BadCells) -> Any:
        """The row's prepared values, or None when a cell is bad (each bad cell added to `bad`)."""
        raise NotImplementedError

    def finish_checks(self, prepared: list[tuple[int, Any]], bad: BadCells) -> None:
        """Checks that need every row first (references to existing records, resolved in one query)."""

    def key(self, row: Any) -> Any:
        raise NotImplementedError

    def existing(self, rows: list[Any]) -> set:
        """The natural keys among `rows` that are already stored."""
        raise NotImplementedError

    def write(self, rows: list[Any], stamp) -> dict[str, list[int]]:
        """Insert the rows; the ids created, by model label."""
        raise NotImplementedError


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


class CaseImporter(Importer):
    kind = ImportKind.CASES
    model = Case
    columns = (
        Column("owning_unit", True, "Code of the police station or unit that registered the FIR", "units", "PS-1"),
        Column("fir_number", True, "FIR (or agency case) number as registered", example="123/2024"),
        Column("registered_on", True, "Date the FIR was registered, YYYY-MM-DD", example="2024-03-01"),
        Column("district", True, "District P-code of the place of occurrence", "districts", "PK617"),
        Column("offences", True, "Legal provisions charged, separated by ';'", "provisions", "CNSA-9(c)"),
        Column("place_description", False, "Where it happened, in words"),
        Column("summary", False, "What happened, in a few lines"),
        Column("distribution", False, "Who may see it: unit, agency (default), group or all", "distribution"),
        Column("sharing_group", False, "With distribution 'group': the sharing group's name", "sharing_groups"),
    )
    reach_message = "You cannot register cases for this unit."
    free_text = ("place_description",)
    duplicate_column = "fir_number"
    key_words = "FIR number, date and unit"

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self.provisions = dict(LegalProvision.objects.values_list("code", "id"))

    def check(self, number, cells, bad):
        unit_code, fir, registered, district, offences, place, summary, distribution, group = cells
        errors = FieldErrors()
        unit = self.owning_unit(unit_code, errors)
        if not fir:
            errors.add("fir_number", "The FIR number is required.")
        elif len(fir) > 40:
            errors.add("fir_number", "The FIR number is at most 40 characters.")
        on = self.date_of(registered)
        if on is None:
            errors.add("registered_on", f"'{registered}' is not a date: write it as YYYY-MM-DD.")
        elif on > self.today:
            errors.add("registered_on", "A case cannot be registered in the future.")
        district_id = self.districts.get(district)
        if district_id is None:
            errors.add("district", f"'{district}' is not a district P-code.")
        codes = [c for c in LIST_SEPARATOR.split(offences) if c]
        if not codes:
            errors.add("offences", "A case charges at least one offence.")
        for code in codes:
            if code not in self.provisions:
                errors.add("offences", f"'{code}' is not a legal provision.")
        distribution, group_id = self.distribution(distribution, group, errors)
        if errors.errors:
            self.report(number, cells, errors, bad)
            return None
        row = (
            unit[0],
            fir,
            on,
            district_id,
            tuple(self.provisions[c] for c in dict.fromkeys(codes)),
            place,
            summary,
            distribution,
            group_id,
        )
        if self.duplicate(number, self.key(row), cells, bad):
            return None
        return row

    def key(self, row):
        return (row[0], row[1], row[2])

    def existing(self, rows):
        found = set()
        firs = {r[1] for r in rows}
        units = {r[0] for r in rows}
        for batch in _batches(sorted(firs), 500):
            found |= set(
                Case.objects.filter(owning_unit_id__in=units, fir_number__in=batch).values_list(
                    "owning_unit_id", "fir_number", "registered_on"
                )
            )
        return found

    def write(self, rows, stamp):
        cases = Case.objects.bulk_create(
            Case(
                owning_unit_id=unit_id,
                distribution=distribution,
                sharing_group_id=group_id,
                created_by=self.user,
                created_at=stamp,
                updated_at=stamp,
                fir_number=fir,
                registered_on=on,
                status_on=on,
                district_id=district_id,
                place_description=place,
                summary=summary,
            )
            for unit_id, fir, on, district_id, _, place, summary, distribution, group_id in rows
        )
        CaseStatusChange.objects.bulk_create(
            CaseStatusChange(case=case, status=CaseStatus.REGISTERED, on=case.registered_on, by=self.user)
            for case in cases
        )
        Offence.objects.bulk_create(
            Offence(case=case, provision_id=provision_id)
            for case, row in zip(cases, rows, strict=True)
            for provision_id in row[4]
        )
        return {"cases.case": [c.pk for c in cases]}


class PersonImporter(Importer):
    kind = ImportKind.PERSONS
    model = Person
    columns = (
        Column("owning_unit", True, "Code of the unit that records the person", "units", "PS-1"),
        Column(
            "reference",
            False,
            "The unit's own reference for the person (register serial); needed without a CNIC",
            example="REG-2024-0012",
        ),
        Column("name_latin", False, "Name in Latin script (this or name_urdu)", example="Muhammad Akram"),
        Column("name_urdu", False, "Name in Urdu script"),
        Column("relation", False, "s/o, d/o or w/o", "relation"),
        Column("father_or_husband_name", False, "Father's or husband's name"),
        Column("cnic", False, "CNIC, 13 digits (dashes allowed)", example="35202-1234567-1"),
        Column("passport_number", False, "Passport number"),
        Column("date_of_birth", False, "YYYY-MM-DD"),
        Column("age_years", False, "Age in years when recorded, if the date of birth is not known"),
        Column("sex", False, "M, F, X (transgender) or U (unknown, the default)", "sex"),
        Column("nationality", False, "Country (PAK by default): ISO code or name"),
        Column("address", False, "Address"),
        Column("district", False, "District P-code of the address", "districts"),
        Column("is_drug_dependent", False, "yes or no"),
        Column("distribution", False, "Who may see it: unit, agency (default), group or all", "distribution"),
        Column("sharing_group", False, "With distribution 'group': the sharing group's name", "sharing_groups"),
    )
    reach_message = "You cannot record persons for this unit."
    free_text = ("name_latin", "name_urdu", "father_or_husband_name")
    key_words = "person (CNIC or reference) of the unit"

    def check(self, number, cells, bad):
        values = dict(zip(self.names, cells, strict=True))
        errors = FieldErrors()
        unit = self.owning_unit(values["owning_unit"], errors)
        born = None
        if values["date_of_birth"]:
            born = self.date_of(values["date_of_birth"])
            if born is None:
                errors.add("date_of_birth", f"'{values['date_of_birth']}' is not a date: write it as YYYY-MM-DD.")
        age = None
        if values["age_years"]:
            try:
                age = int(values["age_years"])
            except ValueError:
                errors.add("age_years", f"'{values['age_years']}' is not a whole number of years.")
        dependent = values["is_drug_dependent"].lower()
        if dependent not in ("", "yes", "no", "true", "false", "1", "0"):
            errors.add("is_drug_dependent", f"'{values['is_drug_dependent']}' is not yes or no.")
        district_id = None
        if values["district"]:
            district_id = self.districts.get(values["district"])
            if district_id is None:
                errors.add("district", f"'{values['district']}' is not a district P-code.")
        details = PersonDetails(
            name_latin=values["name_latin"],
            name_urdu=values["name_urdu"],
            relation=values["relation"],
            father_or_husband_name=values["father_or_husband_name"],
            cnic=values["cnic"],
            passport_number=values["passport_number"],
            date_of_birth=born,
            age_years=age,
            sex=values["sex"] or Sex.UNKNOWN,
            nationality=values["nationality"] or "PAK",
            address=values["address"],
            is_drug_dependent=dependent in ("yes", "true", "1"),
        )
        normalized = validate_person(details, errors, as_of=self.today)
        distribution, group_id = self.distribution(values["distribution"], values["sharing_group"], errors)
        if not normalized.get("cnic") and "cnic" not in errors and not values["reference"]:
            errors.add("reference", "Give the person's CNIC or the unit's reference for them.")
        if len(values["reference"]) > 60:
            errors.add("reference", "The reference is at most 60 characters.")
        if errors.errors:
            self.report(number, cells, errors, bad)
            return None
        row = (
            unit[0],
            normalized["cnic"],
            values["reference"],
            details,
            normalized,
            district_id,
            distribution,
            group_id,
        )
        if self.duplicate(number, self.key(row), cells, bad, "cnic" if normalized["cnic"] else "reference"):
            return None
        return row

    def key(self, row):
        unit_id, cnic, reference = row[0], row[1], row[2]
        return (unit_id, "cnic", cnic) if cnic else (unit_id, "reference", reference)

    def existing(self, rows):
        units = {r[0] for r in rows}
        cnics = sorted({r[1] for r in rows if r[1]})
        references = sorted({r[2] for r in rows if not r[1]})
        found = set()
        for batch in _batches(cnics, 500):
            found |= {
                (u, "cnic", c)
                for u, c in Person.objects.filter(owning_unit_id__in=units, cnic__in=batch).values_list(
                    "owning_unit_id", "cnic"
                )
            }
        for batch in _batches(references, 500):
            found |= {
                (u, "reference", r)
                for u, r in PersonReference.objects.filter(owning_unit_id__in=units, reference__in=batch).values_list(
                    "owning_unit_id", "reference"
                )
            }
        return found

    def write(self, rows, stamp):
        people = []
        for unit_id, cnic, _, details, normalized, district_id, distribution, group_id in rows:
            person = Person(
                owning_unit_id=unit_id,
                distribution=distribution,
                sharing_group_id=group_id,
                created_by=self.user,
                created_at=stamp,
                updated_at=stamp,
                name_latin=details.name_latin.strip(),
                name_urdu=details.name_urdu.strip(),
                relation=details.relation,
                father_or_husband_name=details.father_or_husband_name.strip(),
                cnic=cnic,
                passport_number=normalized["passport_number"],
                nationality=normalized["nationality"],
                date_of_birth=details.date_of_birth,
                age_years=details.age_years,
                age_recorded_on=self.today if details.age_years is not None else None,
                sex=details.sex,
                address=details.address.strip(),
                district_id=district_id,
                is_drug_dependent=details.is_drug_dependent,
            )
            person.is_juvenile = person.is_juvenile_on(self.today)
            people.append(person)
        Person.objects.bulk_create(people)
        PersonReference.objects.bulk_create(
            PersonReference(owning_unit_id=row[0], reference=row[2], person=person)
            for person, row in zip(people, rows, strict=True)
            if row[2] and not row[1]
        )
        person_recorded(people)
        return {"people.person": [p.pk for p in people]}


class SeizureImporter(Importer):
    kind = ImportKind.SEIZURES
    model = Seizure
    columns = (
        Column("owning_unit", True, "Code of the unit that made the seizure", "units", "PS-1"),
        Column("seized_on", True, "Date of the seizure, YYYY-MM-DD", example="2024-03-01"),
        Column("substance", True, "Substance code", "substances", "heroin"),
        Column("quantity", True, "Quantity as reported, a number greater than zero", example="1.5"),
        Column("unit", True, "Unit the quantity is in (one of the substance's units)", "quantity_units", "kg"),
        Column("district", True, "District P-code of the place of seizure", "districts", "PK617"),
        Column("conveyance", False, "How it was carried (default other)", "conveyance"),
        Column("concealment", False, "How it was hidden (default none)", "concealment"),
        Column("origin", False, "Where it came from"),
        Column("destination", False, "Where it was going"),
        Column("participating_agencies", False, "Other agencies that took part, codes separated by ';'", "agencies"),
        Column("fir_number", False, "The case's FIR number, when the seizure is on a case of the same unit"),
        Column("fir_registered_on", False, "With fir_number: the date the FIR was registered, YYYY-MM-DD"),
        Column("distribution", False, "Who may see it: unit, agency (default), group or all", "distribution"),
        Column("sharing_group", False, "With distribution 'group': the sharing group's name", "sharing_groups"),
    )
    reach_message = "You cannot record seizures for this unit."
    duplicate_column = "quantity"
    key_words = "seizure (unit, date, substance, quantity, unit of measure, district and case)"

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self.substances = {s.code: s for s in Substance.objects.all()}
        self.factors: dict[tuple[str, str], Decimal | None] = {}
        self.agencies = dict(Agency.objects.values_list("code", "id"))
        self.case_refs: dict[tuple[int, str, date], list[int]] = {}
        self.case_ids: dict[tuple[int, str, date], int] = {}

    def check(self, number, cells, bad):
        (
            unit_code,
            seized,
            substance_code,
            quantity,
            unit,
            district,
            conveyance,
            concealment,
            origin,
            destination,
            participants,
            fir,
            fir_on,
            distribution,
            group,
        ) = cells
        errors = FieldErrors()
        owner = self.owning_unit(unit_code, errors)
        on = self.date_of(seized)
        if on is None:
            errors.add("seized_on", f"'{seized}' is not a date: write it as YYYY-MM-DD.")
        elif on > self.today:
            errors.add("seized_on", "A seizure cannot be in the future.")
        amount = None
        try:
            amount = Decimal(quantity)
            if not amount.is_finite() or amount <= 0:
                errors.add("quantity", "Quantity must be a number greater than zero.")
            elif amount.as_tuple().exponent < -6:
                errors.add("quantity", "Ensure that there are no more than 6 decimal places.")
            elif amount.adjusted() >= 10:
                errors.add("quantity", "Ensure that there are no more than 10 digits before the decimal point.")
        except InvalidOperation:
            errors.add("quantity", f"'{quantity}' is not a number.")
        substance = self.substances.get(substance_code)
        if substance is None:
            errors.add("substance", f"'{substance_code}' is not a substance.")
        district_id = self.districts.get(district)
        if district_id is None:
            errors.add("district", f"'{district}' is not a district P-code.")
        conveyance = conveyance or Conveyance.OTHER
        if conveyance not in CONVEYANCES:
            errors.add("conveyance", f"'{conveyance}' is not one of {', '.join(Conveyance.values)}.")
        concealment = concealment or Concealment.NONE
        if concealment not in CONCEALMENTS:
            errors.add("concealment", f"'{concealment}' is not one of {', '.join(Concealment.values)}.")
        partner_ids: tuple[int, ...] = ()
        if participants:
            codes = [c for c in LIST_SEPARATOR.split(participants) if c]
            for code in codes:
                if code not in self.agencies:
                    errors.add("participating_agencies", f"'{code}' is not an agency.")
            partner_ids = tuple(dict.fromkeys(self.agencies[c] for c in codes if c in self.agencies))
        for name, text in (("origin", origin), ("destination", destination)):
            if len(text) > 120:
                errors.add(name, f"The {name} is at most 120 characters.")
        case_ref = None
        if fir or fir_on:
            fir_date = self.date_of(fir_on)
            if not fir:
                errors.add("fir_number", "Give the case's FIR number with its registration date.")
            if fir_date is None:
                errors.add("fir_registered_on", f"'{fir_on}' is not a date: write it as YYYY-MM-DD.")
            elif owner is not None and fir:
                case_ref = (owner[0], fir, fir_date)
        distribution, group_id = self.distribution(distribution, group, errors)
        base = None
        if substance is not None and amount is not None and not errors.errors:
            factor_key = (substance.code, unit)
            if factor_key not in self.factors:
                self.factors[factor_key] = substance.factor(unit)
            factor = self.factors[factor_key]
            if factor is None:
                to_base_quantity(substance, amount, unit, errors)
            else:
                base = (amount * factor).quantize(SIX_PLACES)
                if base.adjusted() >= 12:
                    errors.add("quantity", f"{amount:f} {unit} is more than a seizure can weigh.")
        if errors.errors:
            self.report(number, cells, errors, bad)
            return None
        amount = amount.quantize(SIX_PLACES)
        row = (
            owner[0],
            on,
            substance.pk,
            amount,
            unit,
            base,
            district_id,
            conveyance,
            concealment,
            origin,
            destination,
            owner[1],
            tuple(p for p in partner_ids if p != owner[1]),
            distribution,
            group_id,
            case_ref,
        )
        if self.duplicate(number, self.key(row), cells, bad):
            return None
        if case_ref is not None:
            self.case_refs.setdefault(case_ref, []).append(number)
        return row

    def finish_checks(self, prepared, bad):
        """Each case a seizure names must be registered by the seizure's own unit."""
        if not self.case_refs:
            return
        units = {ref[0] for ref in self.case_refs}
        firs = sorted({ref[1] for ref in self.case_refs})
        for batch in _batches(firs, 500):
            for pk, unit_id, fir, on in Case.objects.filter(owning_unit_id__in=units, fir_number__in=batch).values_list(
                "id", "owning_unit_id", "fir_number", "registered_on"
            ):
                self.case_ids[(unit_id, fir, on)] = pk
        missing = set()
        for ref, numbers in self.case_refs.items():
            if ref not in self.case_ids:
                for number in numbers:
                    missing.add(number)
                    bad.add(
                        number,
                        "fir_number",
                        ref[1],
                        f"Unit {self.unit_codes[ref[0]]} registered no FIR {ref[1]} on {ref[2]}.",
                    )
        if missing:
            prepared[:] = [(n, row) for n, row in prepared if n not in missing]

    def key(self, row):
        return (row[0], row[1], row[2], row[3], row[4], row[6], row[15])

    def existing(self, rows):
        """The file's seizures already stored, found in one pass over its units and dates (not one query a row)."""
        if not rows:
            return set()
        units = {r[0] for r in rows}
        first, last = min(r[1] for r in rows), max(r[1] for r in rows)
        case_keys = {pk: ref for ref, pk in self.case_ids.items()}
        stored = (
            Seizure.objects.filter(owning_unit_id__in=units, seized_on__range=(first, last))
            .values_list("owning_unit_id", "seized_on", "substance_id", "quantity", "unit", "district_id", "case_id")
            .iterator(chunk_size=20_000)
        )
        # A stored seizure on a case the file does not name can never match a row of the file.
        return {
            (u, on, s, q.quantize(SIX_PLACES), m, d, case_keys.get(c, ("case", c)) if c else None)
            for u, on, s, q, m, d, c in stored
        }

    def write(self, rows, stamp):
        """Seizures go in with executemany and ids allocated up front: the import's hot path (bench/bench_import.py)."""
        fields = [f for f in Seizure._meta.concrete_fields if not f.primary_key]
        given = [
            "owning_unit",
            "seized_on",
            "substance",
            "quantity",
            "unit",
            "quantity_base",
            "district",
            "conveyance",
            "concealment",
            "origin",
            "destination",
            "lead_agency",
            "distribution",
            "sharing_group",
            "case",
            "created_by",
            "created_at",
            "updated_at",
        ]
        rest = [f for f in fields if f.name not in given]
        # Any other column (added later to the model) gets its default, prepared once for the whole chunk.
        tail = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        stamp_value = Seizure._meta.get_field("created_at").get_db_prep_save(stamp, connection)
        columns = ["id", *(Seizure._meta.get_field(n).column for n in given), *(f.column for f in rest)]
        ids = allocate_ids(Seizure, len(rows))
        user_id = self.user.pk
        values = [
            (
                pk,
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                r[8],
                r[9],
                r[10],
                r[11],
                r[13],
                r[14],
                self.case_ids.get(r[15]) if r[15] else None,
                user_id,
                stamp_value,
                stamp_value,
                *tail,
            )
            for pk, r in zip(ids, rows, strict=True)
        ]
        table = connection.ops.quote_name(Seizure._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)  # noqa: S608
        through = Seizure.participating_agencies.through
        links = [through(seizure_id=pk, agency_id=a) for pk, r in zip(ids, rows, strict=True) for a in r[12]]
        if links:
            through.objects.bulk_create(links)
        return {"seizures.seizure": ids}


class ReturnImporter(Importer):
    kind = ImportKind.RETURNS
    model = AggregateReturn
    columns = (
        Column("element", True, "Data element code", "data_elements", "cases_registered"),
        Column("org_unit", True, "Code of the unit the figure is for", "units", "PS-1"),
        Column("period_type", True, "month, quarter or year", "period_type", "month"),
        Column("period_start", True, "First day of the period, YYYY-MM-DD", example="2024-01-01"),
        Column("value", True, "The figure, zero or more, in the data element's unit of measure", example="12"),
    )
    reach_message = "You cannot report figures for this unit."
    duplicate_column = "period_start"
    key_words = "data element, unit and period"

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self.elements = dict(DataElement.objects.values_list("code", "id"))

    def check(self, number, cells, bad):
        element, unit_code, period_type, period_start, value = cells
        errors = FieldErrors()
        element_id = self.elements.get(element)
        if element_id is None:
            errors.add("element", f"'{element}' is not a data element.")
        unit = self.owning_unit(unit_code, errors, field="org_unit")
        if period_type not in PERIOD_TYPES:
            errors.add("period_type", f"'{period_type}' is not one of {', '.join(PeriodType.values)}.")
        start = self.date_of(period_start)
        if start is None:
            errors.add("period_start", f"'{period_start}' is not a date: write it as YYYY-MM-DD.")
        elif period_type in PERIOD_TYPES and not starts_period(start, period_type):
            errors.add("period_start", f"{start} is not the first day of a {period_type}.")
        elif start > self.today:
            errors.add("period_start", "A period cannot start in the future.")
        amount = checked_value(value, errors)
        if errors.errors:
            self.report(number, cells, errors, bad)
            return None
        row = (element_id, unit[0], period_type, start, amount)
        if self.duplicate(number, self.key(row), cells, bad):
            return None
        return row

    def key(self, row):
        return row[:4]

    def existing(self, rows):
        units = {r[1] for r in rows}
        first, last = min(r[3] for r in rows), max(r[3] for r in rows)
        return set(
            AggregateReturn.objects.filter(org_unit_id__in=units, period_start__range=(first, last)).values_list(
                "element_id", "org_unit_id", "period_type", "period_start"
            )
        )

    def write(self, rows, stamp):
        figures = AggregateReturn.objects.bulk_create(
            AggregateReturn(
                element_id=element_id,
                org_unit_id=unit_id,
                period_type=period_type,
                period_start=start,
                value=value,
                source=ReturnSource.IMPORT,
                import_job_id=self.job_id,
                created_by=self.user,
            )
            for element_id, unit_id, period_type, start, value in rows
        )
        return {"stats.aggregatereturn": [f.pk for f in figures]}


def _batches(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


IMPORTERS: dict[str, type[Importer]] = {
    ImportKind.CASES: CaseImporter,
    ImportKind.PERSONS: PersonImporter,
    ImportKind.SEIZURES: SeizureImporter,
    ImportKind.RETURNS: ReturnImporter,
}
