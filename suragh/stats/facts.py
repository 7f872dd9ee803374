"""Rebuilding the analytics table (`Fact`) from the records and the aggregate returns.

Every measure in `measures.py` is one GROUP BY query over its records, by month, unit and district, run by the
database; Python only writes the grouped rows. A return's figure is added for its own period, and the record rows of
that unit, measure and period are marked `replaced`: a unit-period is counted from records or from a return, never
both (DESIGN.md). The rebuild is one transaction, so readers see the old table or the new one, never half of each.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone

from suragh.cases.choices import AcquittalReason, ChallanKind, CustodyKind, VerdictOutcome
from suragh.cases.models import Case, CaseParty, Challan, CustodyEvent, Verdict
from suragh.evidence.models import LabReport
from suragh.seizures.models import Seizure

from .choices import PeriodType
from .measures import MEASURES, Kind
from .models import AgencyFact, AggregateReturn, Fact, FactsRefresh

SIX_PLACES = Decimal("0.000001")
DAYS_PER_YEAR = 365.25
BATCH = 5000


def _local_offset_hours() -> int:
    """Pakistan keeps one offset all year, so a datetime's local month is its UTC time shifted by it."""
    offset = datetime.now(ZoneInfo(settings.TIME_ZONE)).utcoffset()
    return int(offset.total_seconds() // 3600) if offset else 0


class DatePart(models.Func):
    """The local year or month of a date or datetime, with the database's own functions (Django's Extract runs a
    Python function per row on SQLite, which is too slow for millions of records)."""

    output_field = models.IntegerField()

    def __init__(self, expression: Any, part: str, *, is_datetime: bool = False) -> None:
        super().__init__(expression)
        self.part = part
        self.is_datetime = is_datetime

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        pattern = "%Y" if self.part == "year" else "%m"
        shift = f", '{_local_offset_hours():+d} hours'" if self.is_datetime else ""
        return f"CAST(strftime('{pattern}', {sql}{shift}) AS INTEGER)", params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        zone = f" AT TIME ZONE '{settings.TIME_ZONE}'" if self.is_datetime else ""
        return f"CAST(EXTRACT({self.part.upper()} FROM {sql}{zone}) AS INTEGER)", params


class DaysBetween(models.Func):
    """Days from `start` to `end`, fractional for datetimes."""

    output_field = models.FloatField()

    def __init__(self, end: Any, start: Any) -> None:
        super().__init__(end, start)

    def as_sqlite(self, compiler, connection, **extra):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return f"(julianday({end}) - julianday({start}))", [*end_params, *start_params]

    def as_postgresql(self, compiler, connection, **extra):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return (
            f"(EXTRACT(EPOCH FROM (CAST({end} AS timestamp) - CAST({start} AS timestamp))) / 86400.0)",
            [*end_params, *start_params],
        )


def _grouped(
    queryset: models.QuerySet,
    *,
    on: Any,
    via: str,
    value: Any | None = None,
    category: Any = None,
    is_datetime: bool = False,
    agency: str | None = None,
    district: str | None = None,
    unit: str | None = None,
) -> models.QuerySet:
    """Group `queryset` by local year and month of `on`, the agency, unit and district reached through `via` (the
    path to the case or seizure the record belongs to), and `category`: one row per group, `f_value` summed (or
    counted) and `f_n` the records behind it."""
    prefix = f"{via}__" if via else ""
    unit_path = unit if unit is not None else f"{prefix}owning_unit_id"
    return (
        queryset.order_by()
        .annotate(
            f_year=DatePart(on, "year", is_datetime=is_datetime),
            f_month=DatePart(on, "month", is_datetime=is_datetime),
            f_agency=F(agency or f"{prefix}owning_unit__agency_id"),
            f_unit=F(unit_path) if unit_path else Cast(Value(None), models.BigIntegerField()),
            f_district=F(district or f"{prefix}district_id"),
            f_province=F((district or f"{prefix}district_id").removesuffix("_id") + "__province_id"),
            f_category=category if category is not None else Value(""),
        )
        .values("f_year", "f_month", "f_agency", "f_unit", "f_district", "f_province", "f_category")
        .annotate(f_value=value if value is not None else Count("pk"), f_n=Count("pk"))
    )


def _substance_group(path: str) -> Any:
    """The statistic a seizure is counted in (hashish as charas, methamphetamine as ICE), else its own code."""
    return Coalesce(NullIf(F(f"{path}__aggregate_in"), Value("")), F(f"{path}__code"), output_field=models.CharField())


def _record_groups() -> Iterator[tuple[str, models.QuerySet | tuple[str, list]]]:
    """(measure, grouped query) for every measure counted from records."""
    arrests = CustodyEvent.objects.filter(kind=CustodyKind.ARREST)
    yield "cases", _grouped(Case.objects.all(), on=F("registered_on"), via="")
    yield "arrests", _grouped(arrests, on=F("on"), via="party__case")
    repeat = arrests.filter(party__person__is_repeat_offender=True)
    yield "arrests_repeat", _grouped(repeat, on=F("on"), via="party__case")
    age_days = Coalesce(
        DaysBetween(F("on"), F("party__person__date_of_birth")),
        DaysBetween(F("on"), F("party__person__age_recorded_on")) + F("party__person__age_years") * DAYS_PER_YEAR,
    )
    band = models.Case(
        models.When(age_days__isnull=True, then=Value("unknown")),
        models.When(age_days__lt=18 * DAYS_PER_YEAR, then=Value("under_18")),
        models.When(age_days__lt=31 * DAYS_PER_YEAR, then=Value("18_30")),
        models.When(age_days__lt=46 * DAYS_PER_YEAR, then=Value("31_45")),
        default=Value("over_45"),
        output_field=models.CharField(),
    )
    aged = arrests.annotate(age_days=age_days)
    yield "arrests_by_age", _grouped(aged, on=F("on"), via="party__case", category=band)

    final_challans = Challan.objects.filter(kind=ChallanKind.FINAL).order_by("submitted_on").values("submitted_on")
    charged = CaseParty.objects.annotate(charged_on=Subquery(final_challans.filter(accused=OuterRef("pk"))[:1]))
    yield "charged", _grouped(charged.filter(charged_on__isnull=False), on=F("charged_on"), via="case")
    challaned = Case.objects.annotate(challan_on=Subquery(final_challans.filter(case=OuterRef("pk"))[:1])).filter(
        challan_on__isnull=False
    )
    challan_days = Sum(DaysBetween(F("challan_on"), F("registered_on")))
    yield "fir_to_challan_days", _grouped(challaned, on=F("challan_on"), via="", value=challan_days)
    yield "cases_challaned", _grouped(challaned, on=F("challan_on"), via="")

    for outcome in VerdictOutcome:
        yield outcome.value, _grouped(Verdict.objects.filter(outcome=outcome), on=F("decided_on"), via="party__case")
    for reason in AcquittalReason:
        cited = Verdict.objects.filter(outcome=VerdictOutcome.ACQUITTED, acquittal_reasons__icontains=f'"{reason}"')
        yield "acquittal_reason", _grouped(cited, on=F("decided_on"), via="party__case", category=Value(reason.value))
    first_verdicts = Verdict.objects.filter(party__case=OuterRef("pk")).order_by("decided_on").values("decided_on")
    decided = Case.objects.annotate(verdict_on=Subquery(first_verdicts[:1])).filter(verdict_on__isnull=False)
    verdict_days = Sum(DaysBetween(F("verdict_on"), F("registered_on")))
    yield "fir_to_verdict_days", _grouped(decided, on=F("verdict_on"), via="", value=verdict_days)

    reports = LabReport.objects.filter(submission__received_at__isnull=False)
    yield (
        "lab_turnaround_days",
        _grouped(
            reports,
            on=F("reported_at"),
            is_datetime=True,
            via="submission__item__case",
            value=Sum(DaysBetween(F("reported_at"), F("submission__received_at"))),
        ),
    )
    remands = CustodyEvent.objects.filter(kind=CustodyKind.PHYSICAL_REMAND, until__isnull=False)
    remand_days = Sum(DaysBetween(F("until"), F("on")))
    yield "remand_days", _grouped(remands, on=F("on"), via="party__case", value=remand_days)
    yield "pretrial_days", _pretrial_sql()

    yield (
        "seized",
        _grouped(
            Seizure.objects.all(),
            on=F("seized_on"),
            via="",
            agency="lead_agency_id",
            value=Sum("quantity_base"),
            category=_substance_group("substance"),
        ),
    )
    joined = Seizure.participating_agencies.through.objects.exclude(agency_id=F("seizure__lead_agency_id"))
    yield (
        "seizures_joined",
        _grouped(
            joined,
            on=F("seizure__seized_on"),
            via="seizure",
            agency="agency_id",
            unit="",
            value=Sum("seizure__quantity_base"),
            category=_substance_group("seizure__substance"),
        ),
    )


def _pretrial_sql() -> tuple[str, list]:
    """Each arrested accused's first bail, release or verdict, in one pass over custody (correlated subqueries would
    be evaluated again for every reference to the end date); the columns of `_grouped`."""
    vendor = connection.vendor
    if vendor == "sqlite":
        year, month = "CAST(strftime('%Y', left_on) AS INTEGER)", "CAST(strftime('%m', left_on) AS INTEGER)"
        days = "julianday(left_on) - julianday(arrested_on)"
    else:
        year, month = "CAST(EXTRACT(YEAR FROM left_on) AS INTEGER)", "CAST(EXTRACT(MONTH FROM left_on) AS INTEGER)"
        days = "(left_on - arrested_on)"
    sql = f"""
        SELECT {year} AS f_year, {month} AS f_month, agency_id AS f_agency, unit_id AS f_unit,
            district_id AS f_district, province_id AS f_province, '' AS f_category,
            SUM({days}) AS f_value, COUNT(*) AS f_n
        FROM (
            SELECT spans.*, CASE WHEN freed_on IS NULL THEN verdict_on WHEN verdict_on IS NULL THEN freed_on
                WHEN freed_on < verdict_on THEN freed_on ELSE verdict_on END AS left_on
            FROM (
                SELECT party.id, unit.agency_id, kase.owning_unit_id AS unit_id, kase.district_id,
                    district.province_id, verdict.decided_on AS verdict_on,
                    MIN(CASE WHEN event.kind = %s THEN event."on" END) AS arrested_on,
                    MIN(CASE WHEN event.kind IN (%s, %s) THEN event."on" END) AS freed_on
                FROM cases_caseparty party
                JOIN cases_case kase ON kase.id = party.case_id
                JOIN core_unit unit ON unit.id = kase.owning_unit_id
                JOIN core_district district ON district.id = kase.district_id
                JOIN cases_custodyevent event ON event.party_id = party.id
                LEFT JOIN cases_verdict verdict ON verdict.party_id = party.id
                GROUP BY party.id, unit.agency_id, kase.owning_unit_id, kase.district_id, district.province_id,
                    verdict.decided_on
            ) spans
        ) ended
        WHERE arrested_on IS NOT NULL AND left_on IS NOT NULL
        GROUP BY 1, 2, agency_id, unit_id, district_id, province_id
    """
    return sql, [CustodyKind.ARREST, CustodyKind.BAIL, CustodyKind.RELEASE]


def _insert_from_records() -> int:
    """Write every measure's groups straight from its query into the analytics table: no row passes through
    Python, which at millions of records is most of the time a rebuild would otherwise take."""
    table = Fact._meta.db_table
    written = 0
    with connection.cursor() as cursor:
        for measure, groups in _record_groups():
            sql, params = groups if isinstance(groups, tuple) else groups.query.sql_with_params()
            cursor.execute(
                f"INSERT INTO {table} (measure, category, year, quarter, month, agency_id, unit_id, province_id, "
                "district_id, from_return, replaced, value, n) "
                "SELECT %s, COALESCE(g.f_category, ''), g.f_year, (g.f_month + 2) / 3, g.f_month, g.f_agency, "
                f"g.f_unit, g.f_province, g.f_district, %s, %s, COALESCE(g.f_value, 0), g.f_n FROM ({sql}) g",
                [measure, False, False, *params],
            )
            written += cursor.rowcount
    return written


def _quarter(month: int | None) -> int | None:
    return None if month is None else (month - 1) // 3 + 1


def _value(raw: Any) -> Decimal:
    return Decimal(str(raw or 0)).quantize(SIX_PLACES)


def _facts_from_returns() -> Iterator[Fact]:
    returns = AggregateReturn.objects.select_related("element", "org_unit__agency", "org_unit__district")
    for figure in returns.iterator(chunk_size=BATCH):
        start = figure.period_start
        unit = figure.org_unit
        district = unit.district
        yield Fact(
            measure=figure.element.measure,
            category=figure.element.category,
            year=start.year,
            quarter=None if figure.period_type == PeriodType.YEAR else _quarter(start.month),
            month=start.month if figure.period_type == PeriodType.MONTH else None,
            agency_id=unit.agency_id,
            unit_id=unit.pk,
            province_id=district.province_id if district else unit.agency.province_id,
            district_id=district.pk if district else None,
            from_return=True,
            value=_value(figure.value),
            n=int(figure.value) if MEASURES[figure.element.measure].kind == Kind.COUNT else None,
        )


def _write(facts: Iterable[Fact]) -> int:
    written = 0
    batch: list[Fact] = []
    for fact in facts:
        batch.append(fact)
        if len(batch) == BATCH:
            Fact.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    Fact.objects.bulk_create(batch)
    return written + len(batch)


def _mark_replaced() -> int:
    """Record rows of a unit, measure and period that a return covers are kept (for records-only shares and the
    data-quality page) but no longer counted."""
    replaced = 0
    covered = (
        Fact.objects.filter(from_return=True)
        .values("measure", "category", "unit_id", "year", "quarter", "month")
        .distinct()
    )
    for cover in covered:
        period = Q(year=cover["year"])
        if cover["quarter"] is not None:
            period &= Q(quarter=cover["quarter"])
        if cover["month"] is not None:
            period &= Q(month=cover["month"])
        replaced += Fact.objects.filter(
            period,
            from_return=False,
            measure=cover["measure"],
            category=cover["category"],
            unit_id=cover["unit_id"],
        ).update(replaced=True)
    return replaced


def _roll_up() -> None:
    """Sum the facts over units and districts into `AgencyFact`, in the database."""
    columns = "measure, category, year, quarter, month, agency_id, province_id, from_return, replaced"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AgencyFact._meta.db_table} ({columns}, value, n) "
            f"SELECT {columns}, SUM(value), CASE WHEN COUNT(n) = COUNT(*) THEN SUM(n) END "
            f"FROM {Fact._meta.db_table} GROUP BY {columns}"
        )


def refresh_facts() -> FactsRefresh:
    """Rebuild the whole analytics table from the records and returns."""
    started = timezone.now()
    clock = time.monotonic()
    with transaction.atomic():
        Fact.objects.all().delete()
        AgencyFact.objects.all().delete()
        rows = _insert_from_records() + _write(_facts_from_returns())
        replaced = _mark_replaced()
        _roll_up()
        refresh = FactsRefresh.objects.create(
            started_at=started,
            finished_at=timezone.now(),
            rows=rows,
            records_replaced=replaced,
            seconds=round(time.monotonic() - clock, 3),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Fact._meta.db_table}")
            cursor.execute(f"ANALYZE {AgencyFact._meta.db_table}")
    return refresh


def last_refresh() -> FactsRefresh | None:
    return FactsRefresh.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()
