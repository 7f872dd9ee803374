"""The dashboards' tables: national, province and agency, each a list of tables that the page, the CSV and XLSX
downloads and the API all render from, so that a figure is the same wherever it is read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.urls import reverse

from suragh.core.models import Agency, District, Province, Substance, Unit

from .drill import DRILLABLE
from .measures import AGE_BANDS, INDICATORS, MEASURES
from .narrative import Trend, change, fold
from .query import (
    COMPLEMENT,
    NOT_ATTRIBUTED,
    SMALL,
    Cell,
    Figure,
    Scope,
    breakdown,
    figures,
    hidden_counts,
    min_cell,
    sees_records,
    suppress,
    tally,
    total_row,
)

BREAKDOWN_CODES = (
    "cases",
    "arrests",
    "charged",
    "convicted",
    "acquitted",
    "conviction_rate",
    "convictions_per_arrest",
    "fir_to_verdict",
)
TREND_CODES = ("cases", "arrests", "convicted", "acquitted")


@dataclass
class Column:
    code: str
    name: str
    definition: str
    unit: str = ""


@dataclass
class Shown:
    """One cell as a reader sees it: the text, the number behind it (None when unknown or hidden), where it came
    from, and a link to the records behind it when the viewer may follow one."""

    text: str
    value: Decimal | None = None
    source: str = ""
    suppressed: bool = False
    link: str = ""


@dataclass
class Row:
    key: str
    label: str
    cells: list[Shown]


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None
    note: str = ""


def number(value: Decimal | None, form: str = "total") -> str:
    """Counts whole, rates to one decimal, quantities to the gram (three decimals of a kilogram)."""
    if value is None:
        return "—"
    if form == "rate":
        return f"{value:.1f}%"
    if form == "mean":
        return f"{value:,.1f}"
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value.quantize(Decimal('0.001'), ROUND_HALF_UP).normalize():,f}"


def suppressed_text(reason: str = SMALL) -> str:
    """'<5' for a small count; a cell hidden only so that the total does not reveal another reads 'hidden'."""
    return f"<{min_cell()}" if reason == SMALL else "hidden"


def hidden_cell(reason: str) -> Shown:
    return Shown(suppressed_text(reason), suppressed=True)


class Labels:
    """Names for the keys of each dimension, read once per page."""

    def __init__(self) -> None:
        self.agency = dict(Agency.objects.values_list("code", "short_name"))
        self.province = dict(Province.objects.values_list("code", "name"))
        self.district = dict(District.objects.values_list("pcode", "name"))
        self.substance = {}
        self.base_unit = {}
        for code, name, group, base in Substance.objects.values_list("code", "name", "aggregate_in", "base_unit"):
            if not group or group == code:
                self.substance[code] = name
            self.base_unit.setdefault(group or code, base)
        self.substance.setdefault("ice", "ICE (methamphetamine)")
        self.substance.setdefault("precursors", "Precursor chemicals")
        self.unit: dict[str, str] = {}

    def of(self, dimension: str, key: str) -> str:
        if key == NOT_ATTRIBUTED:
            return {"province": "No province recorded", "district": "No district recorded"}.get(dimension, "—")
        if dimension == "unit":
            if not self.unit:
                self.unit = {str(pk): name for pk, name in Unit.objects.values_list("pk", "name")}
            return self.unit.get(key, key)
        return getattr(self, dimension, {}).get(key, key)


def drill_link(measure: str, scope: Scope, **keys: str) -> str:
    params = {"measure": measure}
    if scope.year_from is not None:
        params["from"] = str(scope.year_from)
    if scope.year_to is not None:
        params["to"] = str(scope.year_to)
    for name, values in (
        ("agency", scope.agencies),
        ("province", scope.provinces),
        ("district", scope.districts),
        ("substance", scope.substances),
    ):
        if values:
            params[name] = values[0]
    if scope.units:
        params["unit"] = str(scope.units[0])
    params.update({k: v for k, v in keys.items() if v})
    return reverse("stats:records") + "?" + urlencode(params)


def _shown(figure: Figure, viewer, scope: Scope, keys: dict[str, str]) -> Shown:
    if figure.suppressed:
        return hidden_cell(figure.suppressed)
    indicator = figure.indicator
    measure = indicator.numerator[0][0]
    link = ""
    if (
        indicator.form == "total"
        and measure in DRILLABLE
        and figure.value
        and figure.numerator.from_records
        and sees_records(viewer)
    ):
        link = drill_link(measure, scope, **keys)
    return Shown(number(figure.value, indicator.form), figure.value, figure.source, link=link)


def _columns(codes: Sequence[str]) -> list[Column]:
    return [Column(c, INDICATORS[c].name, INDICATORS[c].definition, INDICATORS[c].unit) for c in codes]


def breakdown_table(
    slug: str, title: str, dimension: str, codes: Sequence[str], scope: Scope, viewer, labels: Labels
) -> Table:
    result = breakdown(codes, dimension, scope, viewer)
    table = Table(slug, title, _columns(codes))
    for (key,), row in result.rows.items():
        keys = {dimension: key} if key != NOT_ATTRIBUTED else {}
        table.rows.append(Row(key, labels.of(dimension, key), [_shown(row[c], viewer, scope, keys) for c in codes]))
    table.rows.sort(key=lambda row: (row.key == NOT_ATTRIBUTED, row.label))
    table.total = Row("", "Total", [_shown(result.total[c], viewer, scope, {}) for c in codes])
    return table


def headline_table(codes: Sequence[str], scope: Scope, viewer) -> Table:
    totals = suppress({(): total_row(codes, scope)}, viewer)[()]
    table = Table(
        "indicators",
        "Indicators",
        [Column("value", "Value", ""), Column("source", "Counted from", ""), Column("definition", "Definition", "")],
    )
    for code in codes:
        indicator = INDICATORS[code]
        definition = indicator.definition + (f" Target: {indicator.target}." if indicator.target else "")
        shown = _shown(totals[code], viewer, scope, {})
        source = Shown(totals[code].source or "not reported")
        table.rows.append(Row(code, indicator.name, [shown, source, Shown(definition)]))
    return table


def trend_table(grain: str, scope: Scope, viewer) -> Table:
    rows = suppress(figures(TREND_CODES, (grain,), scope), viewer)
    table = Table(f"by-{grain}", f"By {grain}", _columns(TREND_CODES))
    for (key,), row in rows.items():
        keys = {"period": key}
        table.rows.append(Row(key, key, [_shown(row[c], viewer, scope, keys) for c in TREND_CODES]))
    if len(table.rows) > 1:
        first, last = table.rows[0], table.rows[-1]
        table.total = Row(
            "",
            f"Change, {first.label} to {last.label}",
            [_change(a, b) for a, b in zip(first.cells, last.cells, strict=True)],
        )
        table.note = "The change row compares the first and the last period: percent, or the multiple from twofold up."
    return table


def _change(before: Shown, after: Shown) -> Shown:
    if before.suppressed or after.suppressed:
        return hidden_cell(COMPLEMENT)
    found = change(before.value, after.value)
    if found.multiple:
        return Shown(f"×{found.multiple} ({fold(found.multiple)})")
    if found.percent is None:
        return Shown("—" if found.trend == Trend.NOTHING else "first recorded")
    return Shown(f"{found.percent:+.1f}%", found.percent)


def _tally_rows(cells: dict[tuple, Cell], viewer) -> tuple[list[tuple[str, Cell]], list[str]]:
    entries = sorted(((key[1], cell) for key, cell in cells.items()), key=lambda entry: entry[0])
    hidden = hidden_counts([cell.n for _, cell in entries]) if not sees_records(viewer) else [""] * len(entries)
    return entries, hidden


def recoveries_table(scope: Scope, viewer, labels: Labels) -> Table:
    """Quantities by substance, each seizure once under its lead agency; with an agency in scope, also what it
    took part in under another agency's lead (not added to its recoveries)."""
    led = tally(["seized"], (), scope)
    columns = [
        Column("quantity", "Recovered", MEASURES["seized"].definition),
        Column("unit", "Unit", ""),
        Column("seizures", "Seizures", "Seizures recorded, each once, under its lead agency."),
    ]
    joined = tally(["seizures_joined"], (), scope) if scope.agencies else {}
    if scope.agencies:
        columns += [
            Column("joined_quantity", "Taken part in, other agency's lead", MEASURES["seizures_joined"].definition),
            Column("joined_seizures", "Such seizures", MEASURES["seizures_joined"].definition),
        ]
    table = Table("recoveries", "Recoveries by substance", columns)
    entries, hidden = _tally_rows(led, viewer)
    joined_by = {key[1]: cell for key, cell in joined.items()}
    substances = [code for code, _ in entries] + [code for code in joined_by if code not in dict(entries)]
    for code in substances:
        cell = dict(entries).get(code, Cell())
        hide = hidden[[c for c, _ in entries].index(code)] if code in dict(entries) else ""
        cells = [
            hidden_cell(hide) if hide else Shown(number(cell.value), cell.value, cell.source),
            Shown(labels.base_unit.get(code, "")),
            hidden_cell(hide) if hide else Shown(number(Decimal(cell.n or 0)), cell.n),
        ]
        if scope.agencies:
            other = joined_by.get(code, Cell())
            small = not sees_records(viewer) and other.n is not None and 0 < other.n < min_cell()
            cells += [
                hidden_cell(SMALL) if small else Shown(number(other.value), other.value),
                hidden_cell(SMALL) if small else Shown(number(Decimal(other.n or 0)), other.n),
            ]
        if cells[0].link == "" and cell.from_records and sees_records(viewer) and not hide and cell.value:
            cells[0].link = drill_link("seized", scope, substance=code)
        table.rows.append(Row(code, labels.of("substance", code), cells))
    return table


def category_table(slug: str, title: str, measure: str, names: dict[str, str], scope: Scope, viewer) -> Table:
    """Counts of one measure by its category (acquittal reasons, age bands), in the order of `names`."""
    cells = tally([measure], (), scope, records_only=measure == "arrests_by_age")
    entries, hidden = _tally_rows(cells, viewer)
    table = Table(slug, title, [Column("count", "Count", MEASURES[measure].definition)])
    order = list(names)
    for (code, cell), hide in sorted(
        zip(entries, hidden, strict=True), key=lambda e: order.index(e[0][0]) if e[0][0] in order else 99
    ):
        shown = hidden_cell(hide) if hide else Shown(number(cell.value), cell.value, cell.source)
        table.rows.append(Row(code, names.get(code, code), [shown]))
    return table


def district_values(scope: Scope, viewer) -> dict[str, str | None]:
    """Cases registered by district P-code for the map; None where the figure is hidden."""
    rows = suppress(figures(("cases",), ("district",), scope), viewer)
    return {
        key: (None if row["cases"].suppressed else f"{(row['cases'].value or 0):.0f}")
        for (key,), row in rows.items()
        if key != NOT_ATTRIBUTED
    }


def acquittal_reason_names() -> dict[str, str]:
    from suragh.cases.choices import AcquittalReason

    return dict(AcquittalReason.choices)


def dashboard_tables(scope: Scope, viewer, grain: str = "year") -> list[Table]:
    """Every table of the dashboard for `scope`: national when it names no agency or province, a province's or an
    agency's otherwise."""
    labels = Labels()
    tables = [headline_table(list(INDICATORS), scope, viewer)]
    if scope.agencies:
        tables.append(breakdown_table("by-district", "By district", "district", BREAKDOWN_CODES, scope, viewer, labels))
        tables.append(breakdown_table("by-unit", "By unit", "unit", BREAKDOWN_CODES, scope, viewer, labels))
    else:
        tables.append(breakdown_table("by-agency", "By agency", "agency", BREAKDOWN_CODES, scope, viewer, labels))
        dimension = "district" if scope.provinces else "province"
        title = "By district" if scope.provinces else "By province or territory"
        tables.append(breakdown_table(f"by-{dimension}", title, dimension, BREAKDOWN_CODES, scope, viewer, labels))
    tables.append(recoveries_table(scope, viewer, labels))
    tables.append(trend_table(grain, scope, viewer))
    tables.append(
        category_table(
            "acquittals", "Acquittals by reason", "acquittal_reason", acquittal_reason_names(), scope, viewer
        )
    )
    tables.append(category_table("ages", "Arrests by age", "arrests_by_age", AGE_BANDS, scope, viewer))
    return tables
