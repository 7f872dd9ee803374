"""Data quality per agency: where an agency's records are not good enough to trust the figures made from them.

Each check counts, for one agency (or a supervisor's unit and below) and one period, how many records it looked at
and how many fail, with one GROUP BY or conditional-count query per kind of record, so the page costs the same number
of queries for ten cases as for ten million. The records behind a check are a query set the views narrow through the
access rule before showing a single row.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    CharField,
    Count,
    DateField,
    Exists,
    F,
    Func,
    Max,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, NullIf, TruncMonth
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from suragh.cases.choices import SENSITIVE_ROLES, CaseStatus, ChallanKind, CustodyKind, PartyRole, VerdictOutcome
from suragh.cases.models import Appeal, Case, CaseParty, Challan, CustodyEvent, Offence, Verdict
from suragh.core.access import sees_sensitive_q, visible_q
from suragh.core.choices import Role
from suragh.core.models import Agency, Unit
from suragh.evidence.models import EvidenceItem, HandOver, LabSubmission
from suragh.people.models import Person
from suragh.seizures.choices import Conveyance
from suragh.seizures.models import Seizure

from .choices import PeriodType
from .facts import DaysBetween
from .models import AggregateReturn

CASE_ENTRY_LATE_DAYS = 7
"""A case entered more than a week after its FIR was kept on paper first: the weekly and monthly figures made in
between missed it, and its details were copied from memory or a register."""

SEIZURE_ENTRY_LATE_DAYS = 7
"""A seizure entered more than a week after it happened missed the figures of its week and is often entered only
when the case is, without the detail the field report had."""

EVIDENCE_ENTRY_LATE_DAYS = 2
"""Case property is sealed and entered in the malkhana register the same day; a parcel or a hand-over written into
the chain more than two days later is the kind of gap defence counsel calls a broken chain of custody."""

CNSA_IN_FORCE = date(1997, 1, 1)
"""The Control of Narcotic Substances Act 1997: a narcotics seizure dated before it is a typing error (a year of
two digits, a day and month swapped) and would land in a year nobody reports on."""

LATEST_WINDOW_MONTHS = 3
"""A unit that registered nothing for three months is not a quiet police station: narcotics cases are registered
every month almost everywhere, so silence this long means records are not being entered."""

EARLIER_WINDOW_MONTHS = 6
"""The window before the latest one in which a unit must have reported to count as one that stopped."""

RETURN_FILING_GRACE_DAYS = 31
"""A return for a period is due within a month of the period's end."""

KINDS = {
    "missing": "Missing fields",
    "late": "Late entries",
    "impossible": "Impossible dates",
    "stopped": "Units that stopped reporting",
    "overlap": "Records and returns for the same unit and period",
}


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    """The days a page looks at (both ends included) and the day it is "as of"."""

    start: date
    end: date

    @classmethod
    def last_twelve_months(cls, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(add_months(today, -12) + timedelta(days=1), today)

    @classmethod
    def year(cls, year: int, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(date(year, 1, 1), min(date(year, 12, 31), today))

    @property
    def label(self) -> str:
        if self.start.month == 1 and self.start.day == 1 and self.end.year == self.start.year:
            return str(self.start.year) if self.end == date(self.start.year, 12, 31) else f"{self.start.year} to date"
        return f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"

    def entered_q(self, path: str = "") -> Q:
        """Records entered during the period (created_at, in local days)."""
        start = timezone.make_aware(datetime.combine(self.start, datetime.min.time()))
        end = timezone.make_aware(datetime.combine(self.end + timedelta(days=1), datetime.min.time()))
        return Q(**{f"{path}created_at__gte": start, f"{path}created_at__lt": end})

    def dated_q(self, date_path: str) -> Q:
        return Q(**{f"{date_path}__gte": self.start, f"{date_path}__lte": self.end})


@dataclass(frozen=True)
class Scope:
    """Whose records a page counts: an agency's, or for a supervisor their unit's and those below it."""

    agency: Agency
    unit: Unit | None = None

    def units_q(self, unit_path: str) -> Q:
        if self.unit is not None:
            return Q(**{f"{unit_path}__path__startswith": self.unit.path})
        return Q(**{f"{unit_path}__agency": self.agency})

    @property
    def label(self) -> str:
        return f"{self.unit.name} and the units below it" if self.unit else self.agency.name


def scope_for(user, agency: Agency) -> Scope:
    """A supervisor's page covers their unit and below; everyone else who may open it sees the whole agency."""
    if user.role == Role.SUPERVISOR and user.unit_id:
        return Scope(agency, user.unit)
    return Scope(agency)


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[Model], object]


@dataclass(frozen=True)
class RecordCheck:
    """A check over one kind of record: which are looked at (the period and `checked`) and which fail."""

    code: str
    kind: str
    title: str
    definition: str
    model: type[Model]
    unit_path: str
    period_path: str
    failing: Callable[[], Q]
    checked: Callable[[], Q] = Q
    by_entry: bool = False
    case_path: str | None = None
    person_path: str | None = None
    related: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()

    def base_q(self, scope: Scope, period: Period) -> Q:
        when = period.entered_q(self.period_path) if self.by_entry else period.dated_q(self.period_path)
        return scope.units_q(self.unit_path) & when

    def failing_records(self, scope: Scope, period: Period) -> QuerySet:
        records = self.model.objects.filter(self.base_q(scope, period) & self.checked() & self.failing())
        return records.select_related(*self.related).order_by("-pk")

    def visible_q(self, user) -> Q:
        """The access rule for these rows: the record itself, or the case and the person a part belongs to."""
        if issubclass(self.model, (Case, Seizure, Person)) or hasattr(self.model, "access_through"):
            return visible_q(user, self.model)
        q = Q(**{f"{self.case_path}__in": Case.objects.filter(visible_q(user, Case)).values("pk")})
        if self.person_path:
            q &= self.person_on_visible_case_q(user)
        return q

    def person_on_visible_case_q(self, user) -> Q:
        """Whether the person on a row whose case the user sees is one they see too: Person.reach_q restated for
        this one party, so that the whole set of persons the user sees is never built. Through the visible case
        they see a party in a role that is not sensitive who is neither a juvenile nor a victim of trafficking, and
        anyone when they see the case's sensitive parts; those protected persons they may also see on their own."""
        party = self.person_path.removesuffix("person")
        person = self.person_path
        protected = Person.objects.filter(Q(is_juvenile=True) | Q(is_trafficking_victim=True))
        return (
            (
                ~Q(**{f"{party}role__in": SENSITIVE_ROLES})
                & Q(**{f"{person}__is_juvenile": False, f"{person}__is_trafficking_victim": False})
            )
            | Q(**{f"{self.case_path}__in": Case.objects.filter(sees_sensitive_q(user, Case)).values("pk")})
            | Q(**{f"{person}__in": protected.filter(visible_q(user, Person)).values("pk")})
        )


@dataclass(frozen=True)
class UnitCheck:
    """A check over a unit's reporting as a whole, not over single records."""

    code: str
    kind: str
    title: str
    definition: str
    columns: tuple[str, ...]
    rows: Callable[[Scope, Period], tuple[int, list[tuple]]]


@dataclass
class Result:
    """One check's figures for the page."""

    check: RecordCheck | UnitCheck
    checked: int
    failing: int
    rows: list[tuple] = field(default_factory=list)

    @property
    def share(self) -> str:
        if not self.checked:
            return "–"
        return f"{Decimal(100 * self.failing) / self.checked:.1f}%"


def no_offence() -> Q:
    return ~Exists(Offence.objects.filter(case=OuterRef("pk")))


def no_accused() -> Q:
    return ~Exists(CaseParty.objects.filter(case=OuterRef("pk"), role=PartyRole.ACCUSED))


def no_verdict() -> Q:
    return ~Exists(Verdict.objects.filter(party=OuterRef("pk")))


def accused_q() -> Q:
    return Q(role=PartyRole.ACCUSED)


class LocalDate(Func):
    """The local calendar day of a moment, with the database's own functions (Django's TruncDate runs a Python
    function per row on SQLite, too slow for an agency's records)."""

    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        offset = timezone.localtime().utcoffset() or timedelta()
        return f"date({sql}, '{int(offset.total_seconds()) // 60:+d} minutes')", params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(({sql} AT TIME ZONE '{settings.TIME_ZONE}') AS date)", params


def entered_late(event_field: str, days: int) -> Q:
    """Entered (created_at, as a local day) more than `days` days after the day of `event_field`."""
    return Q(GreaterThan(DaysBetween(LocalDate("created_at"), F(event_field)), days))


def recorded_late(event_field: str, days: int) -> Q:
    """Written in (recorded_at) more than `days` days after the moment `event_field`."""
    return Q(GreaterThan(DaysBetween(F("recorded_at"), F(event_field)), days))


def case_link(case: Case) -> tuple[str, int]:
    return ("cases:detail", case.pk)


CASE_COLUMNS = (
    Column("FIR / case no.", lambda c: c),
    Column("Registered", lambda c: c.registered_on),
    Column("Unit", lambda c: c.owning_unit.name),
)
PARTY_COLUMNS = (
    Column("FIR / case no.", lambda p: p.case),
    Column("Registered", lambda p: p.case.registered_on),
    Column("Unit", lambda p: p.case.owning_unit.name),
    Column("Accused", lambda p: p.person),
)
SEIZURE_COLUMNS = (
    Column("Seizure", lambda s: s),
    Column("Seized", lambda s: s.seized_on),
    Column("Unit", lambda s: s.owning_unit.name),
)
VERDICT_COLUMNS = (
    Column("FIR / case no.", lambda v: v.party.case),
    Column("Registered", lambda v: v.party.case.registered_on),
    Column("Unit", lambda v: v.party.case.owning_unit.name),
    Column("Accused", lambda v: v.party.person),
    Column("Verdict", lambda v: v),
)


def entered_on(record) -> date:
    return timezone.localtime(record.created_at).date()


RECORD_CHECKS: tuple[RecordCheck, ...] = (
    RecordCheck(
        code="case-without-place",
        kind="missing",
        title="Cases without a place",
        definition="A case registered in the period with neither a named point nor a description of the place; "
        "only its district is known.",
        model=Case,
        unit_path="owning_unit",
        period_path="registered_on",
        failing=lambda: Q(point__isnull=True, place_description=""),
        related=("owning_unit",),
        columns=CASE_COLUMNS,
    ),
    RecordCheck(
        code="case-without-offence",
        kind="missing",
        title="Cases without an offence",
        definition="A case registered in the period that cites no offence, so it is counted under no law and no "
        "ICCS category.",
        model=Case,
        unit_path="owning_unit",
        period_path="registered_on",
        failing=no_offence,
        related=("owning_unit",),
        columns=CASE_COLUMNS,
    ),
    RecordCheck(
        code="case-without-accused",
        kind="missing",
        title="Cases without an accused",
        definition="A case registered in the period with nobody on it as accused, so it adds no arrest, no person "
        "charged and no verdict.",
        model=Case,
        unit_path="owning_unit",
        period_path="registered_on",
        failing=no_accused,
        related=("owning_unit",),
        columns=CASE_COLUMNS,
    ),
    RecordCheck(
        code="accused-without-identity",
        kind="missing",
        title="Accused without a CNIC or passport",
        definition="An accused on a case registered in the period whose record has neither a CNIC nor a passport "
        "number, so a repeat offender cannot be recognised.",
        model=CaseParty,
        unit_path="case__owning_unit",
        period_path="case__registered_on",
        checked=accused_q,
        failing=lambda: Q(person__cnic="", person__passport_number=""),
        case_path="case",
        person_path="person",
        related=("case__owning_unit", "person"),
        columns=PARTY_COLUMNS,
    ),
    RecordCheck(
        code="accused-without-age",
        kind="missing",
        title="Accused without an age",
        definition="An accused on a case registered in the period with neither a date of birth nor an age with the "
        "date it was stated, so the age distribution and juvenile counts miss them.",
        model=CaseParty,
        unit_path="case__owning_unit",
        period_path="case__registered_on",
        checked=accused_q,
        failing=lambda: (
            Q(person__date_of_birth__isnull=True)
            & (Q(person__age_years__isnull=True) | Q(person__age_recorded_on__isnull=True))
        ),
        case_path="case",
        person_path="person",
        related=("case__owning_unit", "person"),
        columns=PARTY_COLUMNS,
    ),
    RecordCheck(
        code="seizure-without-conveyance",
        kind="missing",
        title="Seizures without a conveyance",
        definition='A seizure in the period whose conveyance is recorded as "Other", so routes and methods '
        "of trafficking cannot be counted.",
        model=Seizure,
        unit_path="owning_unit",
        period_path="seized_on",
        failing=lambda: Q(conveyance=Conveyance.OTHER),
        related=("owning_unit", "substance"),
        columns=SEIZURE_COLUMNS,
    ),
    RecordCheck(
        code="seizure-without-case",
        kind="missing",
        title="Seizures without a case",
        definition="A seizure in the period linked to no case, so nobody is counted as arrested or charged for it.",
        model=Seizure,
        unit_path="owning_unit",
        period_path="seized_on",
        failing=lambda: Q(case__isnull=True),
        related=("owning_unit", "substance"),
        columns=SEIZURE_COLUMNS,
    ),
    RecordCheck(
        code="decided-accused-without-verdict",
        kind="missing",
        title="Decided cases with an accused without a verdict",
        definition="An accused who was arrested or bailed, on a case registered in the period that is decided or "
        "under appeal, with no verdict recorded for them, so convictions and acquittals are undercounted (an accused "
        "who absconded is tried later and has no verdict yet).",
        model=CaseParty,
        unit_path="case__owning_unit",
        period_path="case__registered_on",
        checked=lambda: (
            accused_q()
            & Q(case__status__in=[CaseStatus.DECIDED, CaseStatus.APPEAL])
            & Exists(CustodyEvent.objects.filter(party=OuterRef("pk")))
        ),
        failing=no_verdict,
        case_path="case",
        person_path="person",
        related=("case__owning_unit", "person"),
        columns=PARTY_COLUMNS,
    ),
    RecordCheck(
        code="acquittal-without-reason",
        kind="missing",
        title="Acquittals without a reason",
        definition="An acquittal on a case registered in the period with no reason recorded, so nobody can tell "
        "which failures of investigation or prosecution lose cases.",
        model=Verdict,
        unit_path="party__case__owning_unit",
        period_path="party__case__registered_on",
        checked=lambda: Q(outcome=VerdictOutcome.ACQUITTED),
        failing=lambda: Q(acquittal_reasons=[]),
        case_path="party__case",
        person_path="party__person",
        related=("party__case__owning_unit", "party__person"),
        columns=VERDICT_COLUMNS,
    ),
    RecordCheck(
        code="case-entered-late",
        kind="late",
        title="Cases entered late",
        definition=f"A case registered in the period but entered in Suragh more than {CASE_ENTRY_LATE_DAYS} days "
        "after its FIR date.",
        model=Case,
        unit_path="owning_unit",
        period_path="registered_on",
        failing=lambda: entered_late("registered_on", CASE_ENTRY_LATE_DAYS),
        related=("owning_unit",),
        columns=(*CASE_COLUMNS, Column("Entered", entered_on)),
    ),
    RecordCheck(
        code="seizure-entered-late",
        kind="late",
        title="Seizures entered late",
        definition=f"A seizure in the period entered in Suragh more than {SEIZURE_ENTRY_LATE_DAYS} days after the "
        "day it was made.",
        model=Seizure,
        unit_path="owning_unit",
        period_path="seized_on",
        failing=lambda: entered_late("seized_on", SEIZURE_ENTRY_LATE_DAYS),
        related=("owning_unit", "substance"),
        columns=(*SEIZURE_COLUMNS, Column("Entered", entered_on)),
    ),
    RecordCheck(
        code="evidence-entered-late",
        kind="late",
        title="Case property entered late",
        definition=f"A sealed parcel of a case registered in the period written into Suragh more than "
        f"{EVIDENCE_ENTRY_LATE_DAYS} days after it was sealed.",
        model=EvidenceItem,
        unit_path="case__owning_unit",
        period_path="case__registered_on",
        failing=lambda: recorded_late("sealed_at", EVIDENCE_ENTRY_LATE_DAYS),
        case_path="case",
        related=("case__owning_unit",),
        columns=(
            Column("FIR / case no.", lambda i: i.case),
            Column("Parcel", lambda i: i),
            Column("Sealed", lambda i: timezone.localtime(i.sealed_at).date()),
            Column("Entered", lambda i: timezone.localtime(i.recorded_at).date()),
        ),
    ),
    RecordCheck(
        code="hand-over-entered-late",
        kind="late",
        title="Hand-overs entered late",
        definition=f"A link in the chain of custody of a case registered in the period written into Suragh more "
        f"than {EVIDENCE_ENTRY_LATE_DAYS} days after the hand-over.",
        model=HandOver,
        unit_path="item__case__owning_unit",
        period_path="item__case__registered_on",
        failing=lambda: recorded_late("at", EVIDENCE_ENTRY_LATE_DAYS),
        case_path="item__case",
        related=("item__case__owning_unit",),
        columns=(
            Column("FIR / case no.", lambda h: h.item.case),
            Column("Parcel", lambda h: h.item),
            Column("Handed over", lambda h: timezone.localtime(h.at).date()),
            Column("Entered", lambda h: timezone.localtime(h.recorded_at).date()),
        ),
    ),
    RecordCheck(
        code="case-dated-after-entry",
        kind="impossible",
        title="Cases dated after they were entered",
        definition="A case entered in the period whose FIR date is later than the day it was entered: an FIR "
        "cannot be recorded before it is registered.",
        model=Case,
        unit_path="owning_unit",
        period_path="",
        by_entry=True,
        failing=lambda: Q(registered_on__gt=LocalDate("created_at")),
        related=("owning_unit",),
        columns=(*CASE_COLUMNS, Column("Entered", entered_on)),
    ),
    RecordCheck(
        code="seizure-date-impossible",
        kind="impossible",
        title="Seizures with an impossible date",
        definition="A seizure entered in the period dated later than the day it was entered, or before the CNSA "
        "came into force in 1997.",
        model=Seizure,
        unit_path="owning_unit",
        period_path="",
        by_entry=True,
        failing=lambda: Q(seized_on__gt=LocalDate("created_at")) | Q(seized_on__lt=CNSA_IN_FORCE),
        related=("owning_unit", "substance"),
        columns=(*SEIZURE_COLUMNS, Column("Entered", entered_on)),
    ),
    RecordCheck(
        code="verdict-before-fir",
        kind="impossible",
        title="Verdicts before the FIR",
        definition="A verdict on a case registered in the period dated before the case's FIR.",
        model=Verdict,
        unit_path="party__case__owning_unit",
        period_path="party__case__registered_on",
        failing=lambda: Q(decided_on__lt=F("party__case__registered_on")),
        case_path="party__case",
        person_path="party__person",
        related=("party__case__owning_unit", "party__person"),
        columns=VERDICT_COLUMNS,
    ),
    RecordCheck(
        code="challan-before-fir",
        kind="impossible",
        title="Challans before the FIR",
        definition="A challan of a case registered in the period dated before the case's FIR.",
        model=Challan,
        unit_path="case__owning_unit",
        period_path="case__registered_on",
        failing=lambda: Q(submitted_on__lt=F("case__registered_on")),
        case_path="case",
        related=("case__owning_unit",),
        columns=(
            Column("FIR / case no.", lambda c: c.case),
            Column("Registered", lambda c: c.case.registered_on),
            Column("Unit", lambda c: c.case.owning_unit.name),
            Column("Challan", lambda c: c),
        ),
    ),
    RecordCheck(
        code="arrest-before-fir",
        kind="impossible",
        title="Arrests before the FIR's day",
        definition="An arrest on a case registered in the period dated before the day of the FIR (an arrest "
        "may come hours before the FIR, so the same day is accepted).",
        model=CustodyEvent,
        unit_path="party__case__owning_unit",
        period_path="party__case__registered_on",
        checked=lambda: Q(kind=CustodyKind.ARREST),
        failing=lambda: Q(on__lt=F("party__case__registered_on")),
        case_path="party__case",
        person_path="party__person",
        related=("party__case__owning_unit", "party__person"),
        columns=(
            Column("FIR / case no.", lambda e: e.party.case),
            Column("Registered", lambda e: e.party.case.registered_on),
            Column("Unit", lambda e: e.party.case.owning_unit.name),
            Column("Accused", lambda e: e.party.person),
            Column("Arrested", lambda e: e.on),
        ),
    ),
    RecordCheck(
        code="born-after-fir",
        kind="impossible",
        title="Accused born after the FIR",
        definition="An accused on a case registered in the period whose date of birth is after the FIR.",
        model=CaseParty,
        unit_path="case__owning_unit",
        period_path="case__registered_on",
        checked=lambda: accused_q() & Q(person__date_of_birth__isnull=False),
        failing=lambda: Q(person__date_of_birth__gt=F("case__registered_on")),
        case_path="case",
        person_path="person",
        related=("case__owning_unit", "person"),
        columns=(*PARTY_COLUMNS, Column("Born", lambda p: p.person.date_of_birth)),
    ),
    RecordCheck(
        code="lab-dates-out-of-order",
        kind="impossible",
        title="Laboratory dates out of order",
        definition="A sample of a case registered in the period received by the laboratory before it was sent, or "
        "reported on before it was received.",
        model=LabSubmission,
        unit_path="item__case__owning_unit",
        period_path="item__case__registered_on",
        checked=lambda: Q(received_at__isnull=False),
        failing=lambda: Q(received_at__lt=F("sent_at")) | Q(report__reported_at__lt=F("received_at")),
        case_path="item__case",
        related=("item__case__owning_unit", "lab", "report"),
        columns=(
            Column("FIR / case no.", lambda s: s.item.case),
            Column("Sample", lambda s: s),
            Column("Sent", lambda s: timezone.localtime(s.sent_at).date()),
            Column("Received", lambda s: timezone.localtime(s.received_at).date()),
            Column(
                "Reported",
                lambda s: timezone.localtime(s.report.reported_at).date() if hasattr(s, "report") else "",
            ),
        ),
    ),
    RecordCheck(
        code="appeal-before-verdict",
        kind="impossible",
        title="Appeals before the verdict",
        definition="An appeal on a case registered in the period filed before the verdict it appeals against.",
        model=Appeal,
        unit_path="verdict__party__case__owning_unit",
        period_path="verdict__party__case__registered_on",
        failing=lambda: Q(filed_on__lt=F("verdict__decided_on")),
        case_path="verdict__party__case",
        person_path="verdict__party__person",
        related=("verdict__party__case__owning_unit", "verdict__party__person", "verdict"),
        columns=(
            Column("FIR / case no.", lambda a: a.verdict.party.case),
            Column("Accused", lambda a: a.verdict.party.person),
            Column("Verdict", lambda a: a.verdict),
            Column("Appeal filed", lambda a: a.filed_on),
        ),
    ),
)


def latest_windows(period: Period) -> tuple[date, date]:
    """The first day of the latest window and of the earlier one, counted back from the page's "as of" day."""
    latest_from = add_months(period.end, -LATEST_WINDOW_MONTHS) + timedelta(days=1)
    earlier_from = add_months(latest_from, -EARLIER_WINDOW_MONTHS)
    return latest_from, earlier_from


def units_that_stopped_records(scope: Scope, period: Period) -> tuple[int, list[tuple]]:
    """Units with cases or seizures in the earlier window and none in the latest: one GROUP BY per kind."""
    latest_from, earlier_from = latest_windows(period)
    last: dict[int, date] = {}
    for model, date_field in ((Case, "registered_on"), (Seizure, "seized_on")):
        rows = (
            model.objects.filter(
                scope.units_q("owning_unit"), **{f"{date_field}__gte": earlier_from, f"{date_field}__lte": period.end}
            )
            .values("owning_unit")
            .annotate(last=Max(date_field))
            .values_list("owning_unit", "last")
        )
        for unit_id, day in rows:
            last[unit_id] = max(day, last.get(unit_id, day))
    stopped = {unit_id: day for unit_id, day in last.items() if day < latest_from}
    units = Unit.objects.in_bulk(list(stopped))
    rows = sorted(((units[pk], day) for pk, day in stopped.items()), key=lambda row: (row[1], row[0].code))
    return len(last), [(unit.name, unit.code, day) for unit, day in rows]


def period_end(period_type: str, start: date) -> date:
    months = {PeriodType.MONTH: 1, PeriodType.QUARTER: 3, PeriodType.YEAR: 12}[period_type]
    return add_months(start, months) - timedelta(days=1)


def units_that_stopped_returns(scope: Scope, period: Period) -> tuple[int, list[tuple]]:
    """Units whose aggregate returns end before the latest period that should have come in by the page's day."""
    rows = (
        AggregateReturn.objects.filter(scope.units_q("org_unit"), period_start__lte=period.end)
        .values("org_unit", "period_type")
        .annotate(last=Max("period_start"))
        .values_list("org_unit", "period_type", "last")
    )
    filers, stopped = set(), []
    for unit_id, period_type, last in rows:
        filers.add(unit_id)
        next_start = period_end(period_type, last) + timedelta(days=1)
        if period_end(period_type, next_start) + timedelta(days=RETURN_FILING_GRACE_DAYS) < period.end:
            stopped.append((unit_id, period_type, last))
    units = Unit.objects.in_bulk([unit_id for unit_id, _, _ in stopped])
    labels = dict(PeriodType.choices)
    result = [
        (units[unit_id].name, units[unit_id].code, labels[period_type], last)
        for unit_id, period_type, last in sorted(stopped, key=lambda row: (row[2], units[row[0]].code))
    ]
    return len(filers), result


@dataclass(frozen=True)
class RecordSource:
    """The records a measure is counted from (as suragh/stats/facts.py counts them): their model, owning unit, the
    date that puts them in a period, which of them count, and their category (the substance group of a seizure)."""

    model: type[Model]
    unit_path: str
    date_path: str
    which: Q
    category: Callable[[], Any] | None = None


def substance_group() -> Coalesce:
    """A seizure's statistic: the substance it is counted in (hashish as charas), else its own code."""
    return Coalesce(NullIf(F("substance__aggregate_in"), Value("")), F("substance__code"), output_field=CharField())


MEASURE_RECORDS: dict[str, RecordSource] = {
    "cases": RecordSource(Case, "owning_unit", "registered_on", Q()),
    "cases_challaned": RecordSource(Challan, "case__owning_unit", "submitted_on", Q(kind=ChallanKind.FINAL)),
    "charged": RecordSource(
        Challan, "case__owning_unit", "submitted_on", Q(kind=ChallanKind.FINAL, accused__isnull=False)
    ),
    "arrests": RecordSource(CustodyEvent, "party__case__owning_unit", "on", Q(kind=CustodyKind.ARREST)),
    **{
        outcome.value: RecordSource(Verdict, "party__case__owning_unit", "decided_on", Q(outcome=outcome))
        for outcome in VerdictOutcome
    },
    "seized": RecordSource(Seizure, "owning_unit", "seized_on", Q(), category=substance_group),
}
"""The measures that aggregate returns stand in for and records also hold (DataElement.measure)."""


def records_and_returns_overlap(scope: Scope, period: Period) -> tuple[int, list[tuple]]:
    """Returns for a period in which the same unit also has records of the same measure and category: one query for
    the returns, and one GROUP BY (unit, month, category) per measure that has returns in the scope."""
    returns = list(
        AggregateReturn.objects.filter(
            scope.units_q("org_unit"),
            period_start__gte=period.start,
            period_start__lte=period.end,
            element__measure__in=list(MEASURE_RECORDS),
        )
        .select_related("element", "org_unit")
        .order_by("period_start", "org_unit__code", "element__code")
    )
    by_measure: dict[str, list[AggregateReturn]] = defaultdict(list)
    for figure in returns:
        by_measure[figure.element.measure].append(figure)
    overlaps = []
    for measure, figures in by_measure.items():
        source = MEASURE_RECORDS[measure]
        ends = [period_end(f.period_type, f.period_start) for f in figures]
        months = (
            source.model.objects.filter(
                source.which,
                **{
                    f"{source.unit_path}__in": {f.org_unit_id for f in figures},
                    f"{source.date_path}__gte": min(f.period_start for f in figures),
                    f"{source.date_path}__lte": max(ends),
                },
            )
            .annotate(
                month=TruncMonth(source.date_path),
                group=source.category() if source.category else Value("", output_field=CharField()),
            )
            .values(source.unit_path, "month", "group")
            .annotate(records=Count("pk", distinct=True))
            .values_list(source.unit_path, "month", "group", "records")
        )
        counted: dict[tuple[int, str], list[tuple[date, int]]] = defaultdict(list)
        for unit_id, month, group, records in months:
            counted[(unit_id, group)].append((month.date() if isinstance(month, datetime) else month, records))
        for figure, end in zip(figures, ends, strict=True):
            key = (figure.org_unit_id, figure.element.category if source.category else "")
            records = sum(n for month, n in counted[key] if figure.period_start <= month <= end)
            if records:
                overlaps.append(
                    (
                        figure.org_unit.name,
                        figure.org_unit.code,
                        figure.element.name,
                        figure.get_period_type_display(),
                        figure.period_start,
                        figure.value.normalize(),
                        records,
                    )
                )
    return len(returns), overlaps


UNIT_CHECKS: tuple[UnitCheck, ...] = (
    UnitCheck(
        code="units-stopped-records",
        kind="stopped",
        title="Units that stopped entering records",
        definition=f"A unit that entered cases or seizures in the {EARLIER_WINDOW_MONTHS} months before the latest "
        f"{LATEST_WINDOW_MONTHS} months and none in those {LATEST_WINDOW_MONTHS} months up to the page's date.",
        columns=("Unit", "Code", "Last case or seizure"),
        rows=units_that_stopped_records,
    ),
    UnitCheck(
        code="units-stopped-returns",
        kind="stopped",
        title="Units that stopped filing returns",
        definition=f"A unit that filed aggregate returns for earlier periods but not for the latest period that "
        f"ended more than {RETURN_FILING_GRACE_DAYS} days before the page's date.",
        columns=("Unit", "Code", "Returns by", "Last period filed"),
        rows=units_that_stopped_returns,
    ),
    UnitCheck(
        code="records-and-returns",
        kind="overlap",
        title="Returns that overlap records",
        definition="An aggregate return in the period for a unit that also has records of the same data element "
        "in that period: the statistics count the return and not the records, so one side needs correcting.",
        columns=("Unit", "Code", "Data element", "Period", "Period start", "Return's figure", "Records"),
        rows=records_and_returns_overlap,
    ),
)

CHECKS: dict[str, RecordCheck | UnitCheck] = {check.code: check for check in (*RECORD_CHECKS, *UNIT_CHECKS)}


def record_check_counts(scope: Scope, period: Period) -> dict[str, tuple[int, int]]:
    """(checked, failing) for every record check: one conditional-count query per kind of record and period."""
    groups: dict[tuple[type[Model], str, bool], list[RecordCheck]] = defaultdict(list)
    for check in RECORD_CHECKS:
        groups[(check.model, check.period_path, check.by_entry)].append(check)
    counts = {}
    for checks in groups.values():
        first = checks[0]
        aggregates = {}
        for check in checks:
            aggregates[f"{check.code}:checked"] = Count("pk", filter=check.checked())
            aggregates[f"{check.code}:failing"] = Count("pk", filter=check.checked() & check.failing())
        figures = first.model.objects.filter(first.base_q(scope, period)).aggregate(**aggregates)
        for check in checks:
            counts[check.code] = (figures[f"{check.code}:checked"], figures[f"{check.code}:failing"])
    return counts


def quality_summary(scope: Scope, period: Period) -> list[Result]:
    """Every check's figures, in the order of KINDS."""
    counts = record_check_counts(scope, period)
    results = [Result(check, *counts[check.code]) for check in RECORD_CHECKS]
    for check in UNIT_CHECKS:
        checked, rows = check.rows(scope, period)
        results.append(Result(check, checked, len(rows), rows))
    order = list(KINDS)
    return sorted(results, key=lambda result: order.index(result.check.kind))
