"""The records behind a figure, as far as the access rule lets the viewer follow them.

A figure counts every record; the list shows only those the viewer may open (`visible_to`), and says how many
of the figure's records are not shown. Records of a unit-period that a return replaced are left out, as the
figure leaves them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import CharField, Count, F, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from suragh.cases.choices import ChallanKind, CustodyKind, VerdictOutcome
from suragh.cases.models import Case, CaseParty, Challan, CustodyEvent, Verdict
from suragh.seizures.models import Seizure

from .models import Fact
from .query import Scope


@dataclass(frozen=True)
class Source:
    """Where a measure's records are: the rows counted, the date that puts them in a period, and the path from a row
    to the record a reader opens (a case or a seizure)."""

    rows: QuerySet
    on: str
    record: str  # path from a row to its Case or Seizure ("" when the row is the record)
    agency: str


def _sources() -> dict[str, Source]:
    final = Challan.objects.filter(kind=ChallanKind.FINAL, accused=OuterRef("pk")).order_by("submitted_on")
    charged = CaseParty.objects.annotate(charged_on=Subquery(final.values("submitted_on")[:1])).filter(
        charged_on__isnull=False
    )
    verdicts = {
        outcome.value: Source(Verdict.objects.filter(outcome=outcome), "decided_on", "party__case", "")
        for outcome in VerdictOutcome
    }
    return {
        "cases": Source(Case.objects.all(), "registered_on", "", ""),
        "arrests": Source(CustodyEvent.objects.filter(kind=CustodyKind.ARREST), "on", "party__case", ""),
        "charged": Source(charged, "charged_on", "case", ""),
        **verdicts,
        "seized": Source(Seizure.objects.all(), "seized_on", "", "lead_agency__code"),
    }


DRILLABLE = frozenset({"cases", "arrests", "charged", *VerdictOutcome.values, "seized"})


def period_range(key: str) -> tuple[date, date]:
    """First and last day of '2023', '2023-Q2' or '2023-04'."""
    if "-Q" in key:
        year, quarter = key.split("-Q")
        first = date(int(year), 3 * int(quarter) - 2, 1)
        months = 3
    elif "-" in key:
        year, month = key.split("-")
        first = date(int(year), int(month), 1)
        months = 1
    else:
        return date(int(key), 1, 1), date(int(key), 12, 31)
    following = first.month + months
    end = date(first.year + (following > 12), (following - 1) % 12 + 1, 1)
    return first, date.fromordinal(end.toordinal() - 1)


@dataclass
class Drill:
    model: type[Model]
    counted: int  # rows behind the figure
    visible_counted: int  # of those, in records the viewer may open
    records: QuerySet  # the records the viewer may open, each annotated with `counted`


def records_behind(measure: str, scope: Scope, user, period: str = "") -> Drill:
    source = _sources()[measure]
    prefix = f"{source.record}__" if source.record else ""
    q = Q()
    if period:
        first, last = period_range(period)
        q &= Q(**{f"{source.on}__range": (first, last)})
    if scope.year_from is not None:
        q &= Q(**{f"{source.on}__gte": date(scope.year_from, 1, 1)})
    if scope.year_to is not None:
        q &= Q(**{f"{source.on}__lte": date(scope.year_to, 12, 31)})
    if scope.agencies:
        q &= Q(**{f"{source.agency or prefix + 'owning_unit__agency__code'}__in": scope.agencies})
    if scope.provinces:
        q &= Q(**{f"{prefix}district__province__code__in": scope.provinces})
    if scope.districts:
        q &= Q(**{f"{prefix}district__pcode__in": scope.districts})
    if scope.units:
        q &= Q(**{f"{prefix}owning_unit_id__in": scope.units})
    if scope.substances:
        group = Coalesce(
            NullIf(F("substance__aggregate_in"), Value("")), F("substance__code"), output_field=CharField()
        )
        rows = source.rows.annotate(group=group).filter(q, group__in=scope.substances)
    else:
        rows = source.rows.filter(q)
    rows = rows.exclude(_replaced_q(measure, scope, prefix, source.on))
    model = Seizure if measure == "seized" else Case
    record_ids = rows.values(source.record or "pk")
    visible = model.objects.visible_to(user).filter(pk__in=record_ids)
    visible_rows = rows.filter(**{f"{source.record or 'pk'}__in": visible.values("pk")})
    if source.record:
        counts = visible_rows.values(source.record).annotate(n=Count("pk")).filter(**{source.record: OuterRef("pk")})
        visible = visible.annotate(counted=Subquery(counts.values("n")[:1]))
    return Drill(model, rows.count(), visible_rows.count(), visible)


def _replaced_q(measure: str, scope: Scope, prefix: str, on: str) -> Q:
    """Rows of unit-months a return covers, which the figure does not count."""
    q = Q(pk__in=[])
    covered = Fact.objects.filter(scope.q(), measure=measure, replaced=True).values_list("unit_id", "year", "month")
    for unit_id, year, month in covered.distinct():
        q |= Q(**{f"{prefix}owning_unit_id": unit_id, f"{on}__year": year, f"{on}__month": month})
    return q
