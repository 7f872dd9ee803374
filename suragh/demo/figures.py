"""The demo's targets (seed 000's per-force, per-year figures) and what the database holds against them.

`targets(scale)` is pure: it reads `data/seed000_figures.yaml` and scales it. `measured_totals()` counts the
synthetic records with aggregate queries and returns a dict of exactly the same shape, so that
`measured_totals() == targets(scale)` is the whole check. How a record counts towards a year follows the
YAML's `year_attribution`: a case by its registration date, an arrest by its date, a verdict by its decision
date, a recovery by its seizure date, under the lead agency only.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from suragh.core.yaml_data import parse_yaml

FIGURES_FILE = Path(__file__).resolve().parent / "data" / "seed000_figures.yaml"
YEARS = (2022, 2023)
COUNTS = ("cases", "arrests", "convictions", "acquittals")
KG = Decimal("0.001")
SCALES = {"full": 1, "small": 100}


@cache
def load_figures() -> dict[str, Any]:
    return parse_yaml(FIGURES_FILE.read_text(encoding="utf-8"))


def forces() -> list[str]:
    """Force codes in the order the YAML lists them."""
    return list(load_figures()["forces"])


def checked_substances() -> list[str]:
    """Substance codes the seed's recoveries are stated in (the YAML's conventions)."""
    return list(load_figures()["conventions"]["substances"])


def kg(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(KG, rounding=ROUND_HALF_UP)


def scale_count(value: int, divisor: int) -> int:
    """Round half up; a figure above zero never scales to zero."""
    if divisor == 1 or value <= 0:
        return int(value)
    scaled = int((Decimal(value) / divisor).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return max(1, scaled)


def scale_kg(value: Any, divisor: int) -> Decimal:
    """Kilograms to the gram, round half up; above zero never scales below one gram."""
    amount = kg(value)
    if divisor == 1 or amount <= 0:
        return amount
    return max(KG, (amount / divisor).quantize(KG, rounding=ROUND_HALF_UP))


def targets(scale: str) -> dict[str, dict[int, dict[str, Any]]]:
    """{force: {year: {"cases": n, "arrests": n, "convictions": n, ["acquittals": n,]
    "recoveries_kg": {substance: Decimal}, ["recoveries_total_kg": Decimal]}}}; a key is present only
    where the seed gives (or the YAML derives) that figure."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale '{scale}'; use one of {', '.join(SCALES)}")
    divisor = SCALES[scale]
    result: dict[str, dict[int, dict[str, Any]]] = {}
    for force, entry in load_figures()["forces"].items():
        result[force] = {}
        for year in YEARS:
            figures = entry[year]
            target: dict[str, Any] = {}
            for name in COUNTS:
                if name in figures:
                    target[name] = scale_count(int(figures[name]["value"]), divisor)
            target["recoveries_kg"] = {
                code: scale_kg(item["value"], divisor) for code, item in (figures.get("recoveries_kg") or {}).items()
            }
            if "recoveries_total_kg" in figures:
                target["recoveries_total_kg"] = scale_kg(figures["recoveries_total_kg"]["value"], divisor)
            result[force][year] = target
    return result


def measured_totals() -> dict[str, dict[int, dict[str, Any]]]:
    """The synthetic records counted the way the targets are stated, in the shape of `targets()`.

    For a force whose seed figure is a total over all substances (ANF), `recoveries_total_kg` sums every
    seizure measured in kilograms and `recoveries_kg` stays empty, as in the targets. For the other forces
    `recoveries_kg` holds every checked substance with a recovery above zero, so a seizure of a substance the
    seed does not publish for that force-year shows up as a difference."""
    from django.db.models import Count, Sum
    from django.db.models.functions import ExtractYear

    from suragh.cases.choices import CustodyKind, VerdictOutcome
    from suragh.cases.models import Case, CustodyEvent, Verdict
    from suragh.core.models import Substance
    from suragh.seizures.models import Seizure

    figures = load_figures()["forces"]
    codes = list(figures)
    years = list(YEARS)

    def counted(queryset, agency_field: str, date_field: str) -> dict[tuple[str, int], int]:
        rows = (
            queryset.filter(**{f"{date_field}__year__in": years, f"{agency_field}__code__in": codes})
            .annotate(y=ExtractYear(date_field))
            .values(agency_field + "__code", "y")
            .annotate(n=Count("id"))
        )
        return {(row[agency_field + "__code"], row["y"]): row["n"] for row in rows}

    cases = counted(Case.objects.filter(is_synthetic=True), "owning_unit__agency", "registered_on")
    arrests = counted(
        CustodyEvent.objects.filter(party__case__is_synthetic=True, kind=CustodyKind.ARREST),
        "party__case__owning_unit__agency",
        "on",
    )
    verdicts = Verdict.objects.filter(party__case__is_synthetic=True)
    convictions = counted(
        verdicts.filter(outcome=VerdictOutcome.CONVICTED), "party__case__owning_unit__agency", "decided_on"
    )
    acquittals = counted(
        verdicts.filter(outcome=VerdictOutcome.ACQUITTED), "party__case__owning_unit__agency", "decided_on"
    )
    by_name = {"cases": cases, "arrests": arrests, "convictions": convictions, "acquittals": acquittals}

    groups = dict(Substance.objects.values_list("code", "aggregate_in"))
    checked = {groups.get(code, code): code for code in checked_substances()}
    seizures = Seizure.objects.filter(
        is_synthetic=True, seized_on__year__in=years, lead_agency__code__in=codes
    ).annotate(y=ExtractYear("seized_on"))
    per_group: dict[tuple[str, int], dict[str, Decimal]] = {}
    for row in seizures.values("lead_agency__code", "y", "substance__aggregate_in").annotate(
        total=Sum("quantity_base")
    ):
        group = row["substance__aggregate_in"]
        if group in checked and row["total"]:
            per_group.setdefault((row["lead_agency__code"], row["y"]), {})[checked[group]] = kg(row["total"])
    totals = {
        (row["lead_agency__code"], row["y"]): kg(row["total"] or 0)
        for row in seizures.filter(substance__base_unit="kg")
        .values("lead_agency__code", "y")
        .annotate(total=Sum("quantity_base"))
    }

    result: dict[str, dict[int, dict[str, Any]]] = {}
    for force, entry in figures.items():
        result[force] = {}
        for year in YEARS:
            stated = entry[year]
            measured: dict[str, Any] = {}
            for name in COUNTS:
                if name in stated:
                    measured[name] = by_name[name].get((force, year), 0)
            if "recoveries_total_kg" in stated:
                measured["recoveries_kg"] = {}
                measured["recoveries_total_kg"] = totals.get((force, year), kg(0))
            else:
                measured["recoveries_kg"] = {
                    code: amount for code, amount in per_group.get((force, year), {}).items() if amount > 0
                }
            result[force][year] = measured
    return result


def differences(measured: dict, wanted: dict) -> list[str]:
    """Human-readable lines for every value that differs (empty when the two agree)."""
    lines = []
    for force, years in wanted.items():
        for year, target in years.items():
            got = measured.get(force, {}).get(year, {})
            for name, value in target.items():
                if name == "recoveries_kg":
                    for code in sorted(set(value) | set(got.get(name, {}))):
                        a, b = got.get(name, {}).get(code), value.get(code)
                        if a != b:
                            lines.append(f"{force} {year} {code}: measured {a} kg, target {b} kg")
                elif got.get(name) != value:
                    lines.append(f"{force} {year} {name}: measured {got.get(name)}, target {value}")
    return lines
