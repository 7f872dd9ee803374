"""Reading the analytics table: figures by any dimension, with where they came from, and small cells suppressed for
viewers who see aggregates only.

Aggregates count every record, whoever owns it (DESIGN.md: "Aggregates count everything, show no person, and
suppress cells small enough to identify someone"); the records behind a figure are listed only through the access
rule (`drill.py`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum

from suragh.core.choices import ENFORCEMENT_ROLES, Role

from .measures import INDICATORS, MEASURES, Indicator
from .models import AgencyFact, Fact

# Dimension → the Fact field(s) it groups by.
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "agency": ("agency__code",),
    "province": ("province__code",),
    "district": ("district__pcode",),
    "unit": ("unit_id",),
    "substance": ("category",),
    "year": ("year",),
    "quarter": ("year", "quarter"),
    "month": ("year", "quarter", "month"),
}
PERIODS = ("year", "quarter", "month")
SIX_PLACES = Decimal("0.000001")  # the analytics table's precision; SQLite sums decimals as floating point
NOT_ATTRIBUTED = ""  # the key of a row whose facts carry no value for the dimension (a return from a headquarters)


def min_cell() -> int:
    """Counts from 1 to this minus one are suppressed for viewers who see aggregates only."""
    return int(getattr(settings, "SURAGH_STATS_MIN_CELL", 5))


def sees_records(user) -> bool:
    """Officers and prosecutors work with records and may see exact small counts; everyone else (policy viewers,
    auditors, laboratories, treatment centres, administrators) sees aggregates only, with small cells suppressed."""
    return getattr(user, "role", None) in ENFORCEMENT_ROLES | {Role.PROSECUTOR}


@dataclass(frozen=True)
class Scope:
    """Which facts a figure counts. Empty tuples mean "all"."""

    year_from: int | None = None
    year_to: int | None = None
    agencies: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    units: tuple[int, ...] = ()
    substances: tuple[str, ...] = ()

    def q(self) -> Q:
        q = Q()
        if self.year_from is not None:
            q &= Q(year__gte=self.year_from)
        if self.year_to is not None:
            q &= Q(year__lte=self.year_to)
        if self.agencies:
            q &= Q(agency__code__in=self.agencies)
        if self.provinces:
            q &= Q(province__code__in=self.provinces)
        if self.districts:
            q &= Q(district__pcode__in=self.districts)
        if self.units:
            q &= Q(unit_id__in=self.units)
        if self.substances:
            q &= Q(category__in=self.substances)
        return q


@dataclass
class Cell:
    """A sum of facts: the value, the records behind it (None when a return of a quantity is part of it), and
    whether it comes from records, returns or both."""

    value: Decimal = Decimal(0)
    n: int | None = 0
    from_records: bool = False
    from_returns: bool = False

    def add(self, value: Decimal, n: int | None, from_return: bool) -> None:
        self.value += value
        self.n = None if self.n is None or n is None else self.n + n
        if from_return:
            self.from_returns = True
        else:
            self.from_records = True

    def merge(self, other: Cell) -> None:
        self.value += other.value
        self.n = None if self.n is None or other.n is None else self.n + other.n
        self.from_records |= other.from_records
        self.from_returns |= other.from_returns

    @property
    def source(self) -> str:
        if self.from_records and self.from_returns:
            return "records and returns"
        return "returns" if self.from_returns else "records" if self.from_records else ""


def period_key(dimension: str, year: int, quarter: int | None, month: int | None) -> str:
    """'2023', '2023-Q1' or '2023-01'; a return for a longer period keeps its own label, so a year's return in a
    table by quarter is its own row, '2023', rather than being spread over quarters."""
    if dimension == "year" or quarter is None:
        return str(year)
    if dimension == "quarter" or month is None:
        return f"{year}-Q{quarter}"
    return f"{year}-{month:02d}"


def tally(measures: Iterable[str], by: Sequence[str], scope: Scope, *, records_only: bool = False) -> dict[tuple, Cell]:
    """{(measure, category, *keys of `by`): Cell}. `records_only` counts the records a return replaced too and no
    return (for shares whose numerator only records hold)."""
    fields: list[str] = []
    for dimension in by:
        fields += [f for f in DIMENSIONS[dimension] if f not in fields]
    # Without a unit or district, the table summed over them answers the same sums from far fewer rows.
    detailed = bool({"unit", "district"} & set(by)) or bool(scope.units or scope.districts)
    facts = (Fact if detailed else AgencyFact).objects.filter(scope.q(), measure__in=list(measures))
    facts = facts.filter(from_return=False) if records_only else facts.filter(replaced=False)
    rows = (
        facts.order_by()
        .values("measure", "category", "from_return", *fields)
        .annotate(s_value=Sum("value"), s_n=Sum("n"), s_rows=Count("id"), s_counted=Count("n"))
    )
    cells: dict[tuple, Cell] = defaultdict(Cell)
    for row in rows:
        row["s_value"] = (row["s_value"] or Decimal(0)).quantize(SIX_PLACES)
        keys = []
        for dimension in by:
            if dimension in PERIODS:
                keys.append(period_key(dimension, row["year"], row.get("quarter"), row.get("month")))
            else:
                value = row[DIMENSIONS[dimension][0]]
                keys.append(NOT_ATTRIBUTED if value is None else str(value))
        n = row["s_n"] if row["s_counted"] == row["s_rows"] else None
        cells[(row["measure"], row["category"], *keys)].add(row["s_value"], n, row["from_return"])
    return dict(cells)


@dataclass
class Figure:
    """An indicator's value for one row of a table, or None where it cannot be computed (nothing to divide by)."""

    indicator: Indicator
    value: Decimal | None
    numerator: Cell
    denominator: Cell | None = None
    suppressed: str = ""  # SMALL or COMPLEMENT when hidden from this viewer

    @property
    def source(self) -> str:
        combined = Cell()
        for part in (self.numerator, self.denominator):
            if part is not None:
                combined.merge(part)
        return combined.source

    @property
    def smallest_n(self) -> int | None:
        counts = [c.n for c in (self.numerator, self.denominator) if c is not None and c.n is not None]
        counts = [n for n in counts if n > 0]
        return min(counts) if counts else None


def _sum_terms(cells: list[tuple[str, str, Cell]], terms: Sequence[tuple[str, str | None]]) -> Cell:
    total = Cell()
    for measure, category, cell in cells:
        if any(measure == m and (c is None or category == c) for m, c in terms):
            total.merge(cell)
    return total


def _figure(indicator: Indicator, numerator: Cell, denominator: Cell | None) -> Figure:
    reported_only = not all(MEASURES[m].from_records for m, _ in indicator.numerator)
    if reported_only and not numerator.from_returns:
        return Figure(indicator, None, numerator, denominator)  # no unit has returned it: unknown, not zero
    if indicator.form == "total":
        return Figure(indicator, numerator.value, numerator)
    if indicator.form == "mean":
        if not numerator.n:
            return Figure(indicator, None, numerator)
        return Figure(indicator, (numerator.value / numerator.n).quantize(Decimal("0.1"), ROUND_HALF_UP), numerator)
    assert denominator is not None
    if not denominator.value:
        return Figure(indicator, None, numerator, denominator)
    rate = (numerator.value * 100 / denominator.value).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Figure(indicator, rate, numerator, denominator)


def figures(codes: Sequence[str], by: Sequence[str], scope: Scope) -> dict[tuple, dict[str, Figure]]:
    """{keys of `by`: {indicator code: Figure}} for every row that has any fact."""
    indicators = [INDICATORS[code] for code in codes]
    wanted = {i.code: i for i in indicators}
    plain = set().union(*(i.measures for i in indicators if not i.records_only)) if indicators else set()
    special = set().union(*(i.measures for i in indicators if i.records_only)) if indicators else set()
    grouped: dict[bool, dict[tuple, list[tuple[str, str, Cell]]]] = {False: defaultdict(list), True: defaultdict(list)}
    for records_only, measures in ((False, plain), (True, special)):
        if measures:
            for (measure, category, *keys), cell in tally(measures, by, scope, records_only=records_only).items():
                grouped[records_only][tuple(keys)].append((measure, category, cell))
    result: dict[tuple, dict[str, Figure]] = {}
    for keys in sorted(set(grouped[False]) | set(grouped[True])):
        row = {}
        for code, indicator in wanted.items():
            cells = grouped[indicator.records_only].get(keys, [])
            numerator = _sum_terms(cells, indicator.numerator)
            denominator = _sum_terms(cells, indicator.denominator) if indicator.denominator else None
            row[code] = _figure(indicator, numerator, denominator)
        result[keys] = row
    return result


def total_row(codes: Sequence[str], scope: Scope) -> dict[str, Figure]:
    """The same indicators over the whole scope: the national (or province, or agency) total of a breakdown."""
    return figures(codes, (), scope).get((), {code: _figure(INDICATORS[code], Cell(), Cell()) for code in codes})


SMALL = "small"  # a count from 1 to min_cell() - 1
COMPLEMENT = "complement"  # hidden so that the total does not give a small cell away by subtraction


def hidden_counts(counts: Sequence[int | None]) -> list[str]:
    """Which of a column's cells to hide from viewers of aggregates, and why: counts from 1 to `min_cell() - 1`
    (SMALL), and, where that hides exactly one, the next smallest too (COMPLEMENT). None (a return of a quantity,
    with no count behind it) is never hidden; "" means shown."""
    threshold = min_cell()
    hidden = [SMALL if n is not None and 0 < n < threshold else "" for n in counts]
    if hidden.count(SMALL) == 1:
        others = [(n, i) for i, n in enumerate(counts) if n and not hidden[i]]
        if others:
            hidden[min(others)[1]] = COMPLEMENT
    return hidden


def suppress(rows: dict[tuple, dict[str, Figure]], viewer) -> dict[tuple, dict[str, Figure]]:
    """Mark the figures a viewer who sees aggregates only may not see: a count, rate or mean resting on fewer than
    `min_cell()` records, column by column (`hidden_counts`)."""
    if sees_records(viewer):
        return rows
    columns: dict[str, list[Figure]] = defaultdict(list)
    for row in rows.values():
        for code, figure in row.items():
            columns[code].append(figure)
    for column in columns.values():
        for figure, reason in zip(column, hidden_counts([f.smallest_n for f in column]), strict=True):
            figure.suppressed = reason
    return rows


@dataclass
class Breakdown:
    """A table: one row per key of `dimension`, and the total over the scope, which equals the sum of the rows
    for every count and quantity (the rows partition the facts; a row for facts that carry no value for the
    dimension is kept, never dropped)."""

    dimension: str
    codes: Sequence[str]
    rows: dict[tuple, dict[str, Figure]] = field(default_factory=dict)
    total: dict[str, Figure] = field(default_factory=dict)


def breakdown(codes: Sequence[str], dimension: str, scope: Scope, viewer) -> Breakdown:
    rows = suppress(figures(codes, (dimension,), scope), viewer)
    total = suppress({(): total_row(codes, scope)}, viewer)[()]
    return Breakdown(dimension, codes, rows, total)
